// warpsynth/categories/common.hpp — what every category shares: the record's identity digits, value-range
// (interval) tracking, dtype traits, runtime-selected members of typed operator/builtin families, name pools.
//
// Identity (distinctness by construction). A record's global index is scrambled by a bijection of 32-bit words
// (`permute32`, xor-shift/odd-multiply steps, each invertible; applied twice around a word of the seed, so each
// seed has its own permutation) into a key. The key's mixed-radix digits drive, in a fixed order, every *identity*
// choice of the instance: the compile-time shape, the name set, and a few literal values ("identity literals",
// `gen::id_*`), each of which appears verbatim at a fixed place in the Python text. Every shape consumes the whole
// key (checked by tests/categories: `gen::identity_left() == 0` for the largest key), so under one seed two
// indices below 2^32 give two different digit strings and hence two different `python_source`s: the mapping
// index -> kernel is injective, not merely unlikely to collide. Everything else
// (which operator of a family, which builtin of a family, other literals, parenthesization) comes from the
// counter-based stream rng(seed, index), which adds variety without affecting identity.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "warpsynth/categories/category.hpp"
#include "warpsynth/categories/random.hpp"
#include "warpsynth/categories/scratch.hpp"
#include "warpsynth/warpsynth.hpp"

namespace warpsynth::categories::detail {

// --- identity ------------------------------------------------------------------------------------------------
// A bijection of [0, 2^32): each step (xor with a right shift, multiply by an odd constant) is invertible.
constexpr std::uint32_t permute32(std::uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

// Diagnostics for tests: the identity digits left unconsumed by the last instance built on this thread (0 when the
// shape encoded the whole key), and an override of the key (to test the largest one).
inline thread_local std::uint64_t last_identity_left = 0;
inline thread_local std::int64_t forced_key = -1;

// --- intervals -------------------------------------------------------------------------------------------------
struct iv {
    double lo = 0.0, hi = 0.0;
    double mag() const { return std::max(std::fabs(lo), std::fabs(hi)); }
    bool contains_zero(double eps = 0.0) const { return lo <= eps && hi >= -eps; }
    // Distance of the interval from zero (0 if it contains zero).
    double min_abs() const { return contains_zero() ? 0.0 : std::min(std::fabs(lo), std::fabs(hi)); }
    bool positive(double eps = 0.0) const { return lo > eps; }
};
inline iv point(double v) { return {v, v}; }
inline iv hull(iv a, iv b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }
inline iv operator+(iv a, iv b) { return {a.lo + b.lo, a.hi + b.hi}; }
inline iv operator-(iv a, iv b) { return {a.lo - b.hi, a.hi - b.lo}; }
inline iv operator-(iv a) { return {-a.hi, -a.lo}; }
inline iv operator*(iv a, iv b) {
    double p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    return {*std::min_element(p, p + 4), *std::max_element(p, p + 4)};
}
// Only for divisors that exclude zero.
inline iv operator/(iv a, iv b) { return a * iv{1.0 / b.hi, 1.0 / b.lo}; }
inline iv scale(iv a, double k) { return a * point(k); }
template <class F>
iv monotone(iv a, F f) {  // increasing f
    return {f(a.lo), f(a.hi)};
}
inline iv abs_iv(iv a) {
    if (a.contains_zero()) return {0.0, a.mag()};
    return {a.min_abs(), a.mag()};
}
inline iv sq_iv(iv a) {
    auto m = abs_iv(a);
    return {m.lo * m.lo, m.hi * m.hi};
}
inline iv min_iv(iv a, iv b) { return {std::min(a.lo, b.lo), std::min(a.hi, b.hi)}; }
inline iv max_iv(iv a, iv b) { return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)}; }
inline iv widen(iv a, double by) { return {a.lo - by, a.hi + by}; }

// --- dtype traits --------------------------------------------------------------------------------------------
// T is a spelled scalar tag (float_, float64, float16, int_, int64, uint32, ...).
template <class T>
struct dt {
    static constexpr wtype w = T::value;
    static constexpr bool is_float = warpsynth::is_float(w.scalar);
    static constexpr bool is_signed = is_float || warpsynth::is_signed(w.scalar);
    // Values of every intermediate stay within +-cap: far from overflow (and float16's 65504).
    static constexpr double cap = w.scalar == scalar_kind::float16   ? 64.0
                                  : w.scalar == scalar_kind::float64 ? 1e6
                                  : w.scalar == scalar_kind::float32 ? 1e4
                                  : w.scalar == scalar_kind::int64   ? 1e12
                                  : w.scalar == scalar_kind::int8    ? 100.0
                                  : w.scalar == scalar_kind::uint8   ? 250.0
                                  : w.scalar == scalar_kind::int16   ? 30000.0
                                  : w.scalar == scalar_kind::uint16  ? 60000.0
                                                                     : 1e8;
    static constexpr std::string_view tag = w.scalar == scalar_kind::float16   ? "f16"
                                            : w.scalar == scalar_kind::float64 ? "f64"
                                            : w.scalar == scalar_kind::float32 ? "f32"
                                            : w.scalar == scalar_kind::int64   ? "i64"
                                            : w.scalar == scalar_kind::int32   ? "i32"
                                            : w.scalar == scalar_kind::uint32  ? "u32"
                                            : w.scalar == scalar_kind::int16   ? "i16"
                                            : w.scalar == scalar_kind::uint16  ? "u16"
                                            : w.scalar == scalar_kind::int8    ? "i8"
                                            : w.scalar == scalar_kind::uint8   ? "u8"
                                                                               : "x";
};

// The dtype's constructor (`wp.float64`, `wp.int64`, ...).
template <class T>
constexpr auto ctor_of() {
    constexpr scalar_kind s = T::value.scalar;
    if constexpr (s == scalar_kind::float16) return wp::float16;
    else if constexpr (s == scalar_kind::float32) return wp::float32;
    else if constexpr (s == scalar_kind::float64) return wp::float64;
    else if constexpr (s == scalar_kind::int8) return wp::int8;
    else if constexpr (s == scalar_kind::int16) return wp::int16;
    else if constexpr (s == scalar_kind::int32) return wp::int32;
    else if constexpr (s == scalar_kind::int64) return wp::int64;
    else if constexpr (s == scalar_kind::uint8) return wp::uint8;
    else if constexpr (s == scalar_kind::uint16) return wp::uint16;
    else if constexpr (s == scalar_kind::uint32) return wp::uint32;
    else return wp::uint64;
}

// A literal of scalar type T: a Python float/int literal for float32/int32, otherwise wrapped in the dtype's
// constructor (`wp.float64(0.5)`), since Warp types bare literals as float32/int32 and never promotes.
template <class T>
auto typed_lit(double v) {
    constexpr wtype w = T::value;
    if constexpr (w.scalar == scalar_kind::float32) return lit(v);
    else if constexpr (w.scalar == scalar_kind::int32) return lit(static_cast<long long>(v));
    else if constexpr (warpsynth::is_float(w.scalar)) return ctor_of<T>()(lit(v));
    else return ctor_of<T>()(lit(static_cast<long long>(v)));
}
template <class T>
using lit_t = decltype(typed_lit<T>(0.0));

// --- runtime members of typed families ---------------------------------------------------------------------------
// Same-type scalar operators (+ - * / // % ** & | ^ << >>): one typing rule, so the operator is a runtime leaf.
struct scalar_family {
    template <wtype A, wtype B>
    static constexpr wtype result() {
        static_assert(typing::numeric_scalar(A) && A == B, "warpsynth categories: scalar_family needs one scalar type");
        return A;
    }
};

// The Python spelling of a builtin: `wp.<key>`.
inline std::string_view builtin_python(builtins::fn f) {
    using builtins::fn;
    switch (f) {
#define WS_PY(x) case fn::x: return "wp." #x;
        WS_PY(sin) WS_PY(cos) WS_PY(tan) WS_PY(asin) WS_PY(acos) WS_PY(atan) WS_PY(atan2) WS_PY(sinh) WS_PY(cosh)
        WS_PY(tanh) WS_PY(sqrt) WS_PY(cbrt) WS_PY(exp) WS_PY(log) WS_PY(log2) WS_PY(log10) WS_PY(pow) WS_PY(abs)
        WS_PY(sign) WS_PY(floor) WS_PY(ceil) WS_PY(round) WS_PY(trunc) WS_PY(frac) WS_PY(step) WS_PY(min)
        WS_PY(max) WS_PY(clamp) WS_PY(lerp) WS_PY(smoothstep) WS_PY(dot) WS_PY(cross) WS_PY(length)
        WS_PY(length_sq) WS_PY(normalize) WS_PY(outer) WS_PY(cw_mul) WS_PY(cw_div) WS_PY(transpose)
        WS_PY(determinant) WS_PY(inverse) WS_PY(trace) WS_PY(diag) WS_PY(quat_rotate) WS_PY(quat_rotate_inv)
        WS_PY(transform_point) WS_PY(transform_vector) WS_PY(degrees) WS_PY(radians) WS_PY(quat_inverse)
        WS_PY(quat_to_matrix) WS_PY(transform_inverse) WS_PY(transform_get_translation) WS_PY(transform_get_rotation)
        WS_PY(atomic_add) WS_PY(atomic_sub) WS_PY(atomic_min)
        WS_PY(atomic_max) WS_PY(rint) WS_PY(erf) WS_PY(erfc) WS_PY(copysign) WS_PY(atomic_and) WS_PY(atomic_or)
        WS_PY(atomic_xor)
#undef WS_PY
    default: return "wp.?";
    }
}

// A call of a builtin chosen at run time among the members of a family that share one typing rule (e.g. the float
// unary math functions, or atomic_add/sub/min/max). It lowers to exactly the node `call<F, ...>` would.
template <class Rule, class... Args>
struct family_call : node_base<family_call<Rule, Args...>> {
    using type = wt<Rule::template result<Args::type::value...>()>;
    static constexpr bool is_ref = false;
    builtins::fn f;
    std::tuple<Args...> args;
    family_call(builtins::fn f_, std::tuple<Args...> a) : f(f_), args(std::move(a)) {}

    syntax::node_id lower(syntax::tree& t) const {
        return warpsynth::detail::lower_call(t, f, type::value, builtin_python(f), this->parens, args);
    }
};
template <class Rule, class... A>
auto fcall(builtins::fn f, const A&... a) {
    return family_call<Rule, as_expr_t<A>...>(f, std::tuple<as_expr_t<A>...>(as_expr(a)...));
}

// A run of statements of one type whose length is fixed per shape but whose elements are filled at run time.
template <class S, std::size_t N>
struct stmt_run {
    std::array<S, N> items;
    void lower(syntax::tree& t, block_ids& out) const {
        for (auto& s : items) s.lower(t, out);
    }
};

// A run of statements of one type whose length is a runtime leaf.
template <class S>
struct vec_run {
    std::vector<S> items;
    void lower(syntax::tree& t, block_ids& out) const {
        for (auto& s : items) s.lower(t, out);
    }
};

// --- type erasure at expression boundaries ------------------------------------------------------------------------
// `erased<W>` is a value expression of Warp type W whose concrete (typed, already checked) description is held
// behind a pointer. The generators erase the result of every typed building step, so a parent node's C++ type
// depends only on its operator family and its operands' Warp types, not on the whole subtree: the number of
// template instantiations stays bounded (compile time) while each node is still typed by the DSL's rules.
// Holders live in the thread's scratch arena, which destroys them by their own type (a holder of a trivially
// destructible description needs no destructor run at all), hence no virtual destructor.
struct erased_impl {
    virtual syntax::node_id lower(syntax::tree& t) const = 0;

  protected:
    ~erased_impl() = default;
};
template <class E>
struct erased_holder final : erased_impl {
    E e;
    explicit erased_holder(E x) : e(std::move(x)) {}
    syntax::node_id lower(syntax::tree& t) const override { return e.lower(t); }
};
// The erased descriptions of the instance being generated live in the thread's scratch arena until its `gen`
// (which outlives the kernel's lowering) ends; an `erased` is then just a pointer.
template <wtype W>
struct erased : node_base<erased<W>> {
    using type = wt<W>;
    static constexpr bool is_ref = false;
    const erased_impl* impl = nullptr;
    syntax::node_id lower(syntax::tree& t) const {
        auto id = impl->lower(t);
        if (this->parens) t[id].parens = true;
        return id;
    }
};
template <class E>
struct is_erased : std::false_type {};
template <wtype W>
struct is_erased<erased<W>> : std::true_type {};

template <class E>
erased<E::type::value> erase(const E& e) {
    if constexpr (is_erased<E>::value) return e;
    else {
        erased<E::type::value> r;
        r.impl = thread_scratch().make<erased_holder<E>>(e);
        return r;
    }
}
template <class E>
using erased_of = erased<E::type::value>;
template <class T>
using ex = erased<T::value>;  // an erased expression of spelled type T

// --- the per-record generator state -------------------------------------------------------------------------
using syntax::op;
using builtins::fn;

struct gen {
    rng r;
    std::uint64_t key;        // identity digits not yet consumed
    std::uint64_t index;
    bool violated = false;    // a safety invariant could not be established (tests assert it never is)
    // Erased expressions and owned names live in the thread's scratch arena from here until this generator ends.
    scratch_arena::mark scope = thread_scratch().position();

    gen(std::uint64_t seed, std::uint64_t idx, std::uint32_t salt)
        : r(seed, idx ^ (static_cast<std::uint64_t>(salt) << 40)), index(idx) {
        // Two bijections with a seed-derived word between them: for each seed an injective index -> key map, and
        // different seeds give unrelated keys (with the seed outside the permutation, record k of every seed had
        // the same identity digits, and shapes with little random variety repeated across seeds: 125 of 1,500).
        const auto seed_word = static_cast<std::uint32_t>(splitmix64(seed) >> 32);
        std::uint32_t k = permute32(permute32(static_cast<std::uint32_t>(idx)) ^ seed_word) ^ salt;
        key = forced_key >= 0 ? static_cast<std::uint64_t>(forced_key) : k;
    }
    ~gen() { thread_scratch().rewind(scope); }
    gen(const gen&) = delete;
    gen& operator=(const gen&) = delete;
    // The next identity digit in [0, radix).
    std::uint64_t digit(std::uint64_t radix) {
        auto d = key % radix;
        key /= radix;
        return d;
    }
    // An identity value in [first, first + 2 * count): first + 2 * digit(count) while the key lasts; once it is
    // exhausted, a random value of the other parity, first + 2 * r + 1. Both spread over the whole range, and the
    // parity tells them apart, so the sequence of values still determines the key (injectivity).
    std::int64_t id_int(std::int64_t first, std::int64_t count) {
        if (key == 0) return first + 2 * r.between(0, count - 1) + 1;
        return first + 2 * static_cast<std::int64_t>(digit(static_cast<std::uint64_t>(count)));
    }
    double id_val(std::int64_t first, std::int64_t count, double scale) {
        return static_cast<double>(id_int(first, count)) / scale;
    }
    // A random short decimal k/scale with k in [lo, hi], avoiding `avoid` (a value that would make a term trivial).
    double val(std::int64_t lo, std::int64_t hi, double scale) {
        return static_cast<double>(r.between(lo, hi)) / scale;
    }
    std::int64_t between(std::int64_t lo, std::int64_t hi) { return r.between(lo, hi); }
    std::size_t pick(std::size_t n) { return static_cast<std::size_t>(r.next() % n); }
    bool coin() { return r.coin(); }
    bool chance(int percent) { return static_cast<int>(r.next() % 100) < percent; }
    template <class T, std::size_t N>
    const T& pick(const std::array<T, N>& a) {
        return a[pick(N)];
    }
    // A name that must outlive lower(): copied into the scratch arena.
    std::string_view own(std::string_view s) { return thread_scratch().copy(s); }
    void check(bool ok) {
        if (!ok) violated = true;
    }
};

// Finish an instance: record the diagnostics.
inline void finish(gen& g, instance& out) {
    last_identity_left = g.key;
    if (g.violated) out.description += " [UNSAFE]";
}

// --- name pools ---------------------------------------------------------------------------------------------
// Roles have disjoint pools, so a kernel's names never collide.
inline constexpr std::array<std::string_view, 6> index_names = {"i", "tid", "idx", "gid", "ii", "lane"};
inline constexpr std::array<std::array<std::string_view, 4>, 8> array_sets = {{
    {"a", "b", "c", "d"}, {"xs", "ys", "zs", "ws"}, {"src", "aux", "ext", "oth"}, {"lhs", "rhs", "mid", "side"},
    {"u", "v", "w", "h"}, {"f", "g", "e", "m"}, {"data", "vals", "coef", "bias"}, {"inp", "wts", "offs", "gain"},
}};
inline constexpr std::array<std::string_view, 6> out_names = {"out", "result", "dst", "res", "output", "target"};
inline constexpr std::array<std::array<std::string_view, 3>, 5> param_sets = {{
    {"alpha", "beta", "gamma"}, {"scale", "shift", "gain2"}, {"s0", "s1", "s2"}, {"k1", "k2", "k3"},
    {"lam", "mu", "nu"},
}};
inline constexpr std::array<std::string_view, 12> local_prefixes = {"t", "v", "tmp", "r", "z", "q",
                                                                     "h", "acc", "val", "e_", "x_", "loc"};
inline constexpr std::array<std::array<std::string_view, 2>, 6> loop_names = {{
    {"k", "q"}, {"it", "inner"}, {"kk", "kq"}, {"jk", "jq"}, {"step", "sub"}, {"loop", "l2"},
}};
inline constexpr std::array<std::array<std::string_view, 2>, 6> index2_names = {{
    {"i", "j"}, {"row", "col"}, {"ix", "iy"}, {"gi", "gj"}, {"y0", "x0"}, {"tx", "ty"},
}};
inline constexpr std::array<std::array<std::string_view, 3>, 6> index3_names = {{
    {"i", "j", "k"}, {"ix", "iy", "iz"}, {"gi", "gj", "gk"}, {"p0", "p1", "p2"}, {"u0", "u1", "u2"},
    {"tx", "ty", "tz"},
}};

// The names of one kernel, drawn by identity digits. Every digit drawn is visible in the kernel: the index digit
// names the 1-D index or the 2-D/3-D index tuple (whichever the shape uses), the array set and the output are
// always used, and the parameter set / local prefix digits are drawn lazily, on the shape's first use of a
// parameter / local (radix 6 * 8 * 6, times 5 and 12 when used).
struct names {
    struct param_names {
        const names* owner;
        std::string_view operator[](std::size_t k) const { return owner->param_set()[k]; }
    };
    std::string_view index, out;
    std::array<std::string_view, 4> arrays;
    param_names params{this};
    gen* g = nullptr;
    explicit names(gen& g_) : g(&g_) {
        index_digit = static_cast<int>(g_.digit(6));
        index = index_names[static_cast<std::size_t>(index_digit)];
        arrays = array_sets[g_.digit(8)];
        out = out_names[g_.digit(6)];
    }
    names(const names&) = delete;
    names& operator=(const names&) = delete;
    // The k-th local: prefix + k (`t0`, `v3`, ...).
    std::string_view local(int k) const {
        if (!prefix_drawn) {
            prefix = local_prefixes[g->digit(12)];
            prefix_drawn = true;
        }
        return g->own(std::string(prefix) + std::to_string(k));
    }
    const std::array<std::string_view, 2>& index2() const { return index2_names[static_cast<std::size_t>(index_digit)]; }
    const std::array<std::string_view, 3>& index3() const { return index3_names[static_cast<std::size_t>(index_digit)]; }
    const std::array<std::string_view, 3>& param_set() const {
        if (params_index < 0) params_index = static_cast<int>(g->digit(5));
        return param_sets[static_cast<std::size_t>(params_index)];
    }

  private:
    int index_digit = 0;
    mutable int params_index = -1;
    mutable bool prefix_drawn = false;
    mutable std::string_view prefix;
};

inline std::string_view kernel_name(gen& g, std::string_view category, std::string_view shape) {
    thread_local std::string s;  // reused: a kernel name is longer than std::string's inline buffer
    s.assign(category);
    s += '_';
    for (char c : shape) s += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    s += '_';
    s += std::to_string(g.index);
    return g.own(s);
}

// A kernel body (kept as a name of its own so shapes read uniformly).
template <class... S>
auto body_of(const S&... s) {
    return body(s...);
}

// --- typed values with a value range -----------------------------------------------------------------------------
// An expression (erased to its Warp type) and the interval every component of its value lies in, for the
// documented inputs.
template <class E>
struct sv {
    E e;
    iv r;
};
template <class E>
sv<erased_of<E>> mk(const E& e, iv r) {
    return {erase(e), r};
}

template <class T>
auto const_of(double v) {
    return mk(typed_lit<T>(v), point(v));
}

// Array element `arr[idx]` of a 1-D array argument.
template <class T>
using elem_t = subscript<arg_ref<array<T>>, local<int_>>;
template <class T>
auto elem(std::string_view arr, std::string_view idx, iv r) {
    return mk(arg_ref<array<T>>(arr)[local<int_>(idx)], r);
}

// --- safe scalar operators ---------------------------------------------------------------------------------------
// Which operators a binary node may use; the generator picks among those that are safe for the operands' ranges.
enum opbits : unsigned {
    o_add = 1, o_sub = 2, o_mul = 4, o_div = 8, o_pow = 16, o_floordiv = 32, o_mod = 64, o_and = 128, o_or = 256,
    o_xor = 512, o_shl = 1024, o_shr = 2048,
};
inline constexpr unsigned float_ops = o_add | o_sub | o_mul | o_div;
inline constexpr unsigned int_ops = o_add | o_sub | o_mul | o_floordiv | o_mod | o_div;
inline constexpr unsigned bit_ops = o_and | o_or | o_xor | o_shl | o_shr;

inline double next_pow2_minus1(double x) {
    double p = 1.0;
    while (p <= x) p *= 2.0;
    return p - 1.0;
}

// The range of `a <op> b`, or false if the operator is unsafe for these ranges.
template <class T>
bool op_range(op o, iv a, iv b, iv& out) {
    constexpr bool fl = dt<T>::is_float;
    constexpr double cap = dt<T>::cap;
    const double div_eps = fl ? 0.25 : 1.0;
    switch (o) {
    case op::add: out = a + b; break;
    case op::sub: out = a - b; break;
    case op::mul: out = a * b; break;
    case op::div:
        if (b.min_abs() < div_eps) return false;
        if (fl) out = a / b;
        else out = {-(a.mag() / b.min_abs()), a.mag() / b.min_abs()};
        if (!fl && a.lo >= 0 && b.lo > 0) out.lo = 0;
        break;
    case op::floordiv:
        if (fl || b.min_abs() < 1.0) return false;
        out = {-(a.mag() / b.min_abs()) - 1, a.mag() / b.min_abs() + 1};
        if (a.lo >= 0 && b.lo > 0) out.lo = 0;
        break;
    case op::mod:
        if (fl || b.min_abs() < 1.0) return false;
        out = a.lo >= 0 ? iv{0, b.mag() - 1} : iv{-(b.mag() - 1), b.mag() - 1};
        break;
    case op::pow: {
        if (!fl || a.lo < 0.25 || b.mag() > 3.0) return false;
        double c[4] = {std::pow(a.lo, b.lo), std::pow(a.lo, b.hi), std::pow(a.hi, b.lo), std::pow(a.hi, b.hi)};
        out = {*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
        break;
    }
    case op::bit_and:
        if (fl || a.lo < 0 || b.lo < 0) return false;
        out = {0, std::min(a.hi, b.hi)};
        break;
    case op::bit_or:
    case op::bit_xor:
        if (fl || a.lo < 0 || b.lo < 0) return false;
        out = {0, next_pow2_minus1(std::max(a.hi, b.hi))};
        break;
    case op::lshift:
        if (fl || a.lo < 0 || b.lo < 0 || b.hi > 6) return false;
        out = {a.lo * std::ldexp(1.0, static_cast<int>(b.lo)), a.hi * std::ldexp(1.0, static_cast<int>(b.hi))};
        break;
    case op::rshift:
        if (fl || a.lo < 0 || b.lo < 0 || b.hi > 6) return false;
        out = {0, a.hi};
        break;
    default: return false;
    }
    if (!dt<T>::is_signed && out.lo < 0) return false;
    return out.mag() <= cap;
}

inline op op_of_bit(unsigned bit) {
    switch (bit) {
    case o_add: return op::add;
    case o_sub: return op::sub;
    case o_mul: return op::mul;
    case o_div: return op::div;
    case o_pow: return op::pow;
    case o_floordiv: return op::floordiv;
    case o_mod: return op::mod;
    case o_and: return op::bit_and;
    case o_or: return op::bit_or;
    case o_xor: return op::bit_xor;
    case o_shl: return op::lshift;
    default: return op::rshift;
    }
}

// Pick a safe operator among `allowed` for operand ranges a, b; its result range goes to `out`. Falls back to the
// smallest-magnitude of + and - (always far from the hard limits, since every range is kept within dt<T>::cap).
template <class T>
op choose_op(gen& g, unsigned allowed, iv a, iv b, iv& out) {
    op cands[12];
    iv outs[12];
    int n = 0;
    for (unsigned bit = 1; bit <= o_shr; bit <<= 1) {
        if (!(allowed & bit)) continue;
        iv r;
        if (op_range<T>(op_of_bit(bit), a, b, r)) {
            cands[n] = op_of_bit(bit);
            outs[n++] = r;
        }
    }
    if (n == 0) {
        iv s = a + b, d = a - b;
        bool use_add = !dt<T>::is_signed || s.mag() <= d.mag();
        out = use_add ? s : d;
        g.check(out.mag() <= 4 * dt<T>::cap && (dt<T>::is_signed || out.lo >= 0));
        return use_add ? op::add : op::sub;
    }
    int k = static_cast<int>(g.pick(static_cast<std::size_t>(n)));
    out = outs[k];
    return cands[k];
}

// `a <op> b` with a safe operator of the family.
template <class T, class A, class B>
auto arith(gen& g, const sv<A>& a, const sv<B>& b, unsigned allowed) {
    iv r;
    op o = choose_op<T>(g, allowed, a.r, b.r, r);
    return mk(binary<scalar_family, A, B>(o, a.e, b.e), r);
}

// --- float math families -----------------------------------------------------------------------------------------
inline constexpr fn unary_math_fns[] = {fn::sin,  fn::cos,  fn::tan,   fn::asin,  fn::acos,  fn::atan, fn::sinh,
                                        fn::cosh, fn::tanh, fn::sqrt,  fn::cbrt,  fn::exp,   fn::log,  fn::log2,
                                        fn::log10, fn::abs, fn::floor, fn::ceil,  fn::round, fn::trunc, fn::frac,
                                        fn::sign, fn::step, fn::radians, fn::erf, fn::erfc, fn::rint};
// Not wp.degrees: in these expression chains a value is often divided by a local and later multiplied by it again
// (t7 = f(t1) / t0; ...; t10 = g(t9) * t0), a gradient that is zero only through cancellation; degrees' factor 57.3
// lifts the float32 adjoint's rounding noise there above any tolerance relative to that (zero) gradient (found by
// `warpsynth launch` and tools/execute_check.py). radians' factor 1/57.3 shrinks it instead.

// Range of f(x) for x in a, or false if x may leave f's safe domain (or the result may exceed `cap`). Domains keep
// a margin from singular points (sqrt/log at 0, asin/acos at +-1, tan at pi/2) so gradients stay finite too.
inline bool unary_range(fn f, iv a, double cap, iv& out) {
    switch (f) {
    case fn::sin: case fn::cos: out = {-1, 1}; break;
    case fn::tan:
        if (a.mag() > 1.2) return false;
        out = monotone(a, [](double x) { return std::tan(x); });
        break;
    case fn::asin:
        if (a.mag() > 0.9) return false;
        out = monotone(a, [](double x) { return std::asin(x); });
        break;
    case fn::acos:
        if (a.mag() > 0.9) return false;
        out = {std::acos(a.hi), std::acos(a.lo)};
        break;
    case fn::atan: out = monotone(a, [](double x) { return std::atan(x); }); break;
    case fn::sinh:
        if (a.mag() > 4) return false;
        out = monotone(a, [](double x) { return std::sinh(x); });
        break;
    case fn::cosh:
        if (a.mag() > 4) return false;
        out = {std::cosh(abs_iv(a).lo), std::cosh(a.mag())};
        break;
    case fn::tanh: out = monotone(a, [](double x) { return std::tanh(x); }); break;
    case fn::sqrt:
        if (a.lo < 0.01) return false;
        out = monotone(a, [](double x) { return std::sqrt(x); });
        break;
    case fn::cbrt:
        if (a.min_abs() < 0.01) return false;
        out = monotone(a, [](double x) { return std::cbrt(x); });
        break;
    case fn::exp:
        if (a.hi > 4) return false;
        out = monotone(a, [](double x) { return std::exp(x); });
        break;
    case fn::log: case fn::log2: case fn::log10:
        if (a.lo < 0.05) return false;
        out = monotone(a, [](double x) { return std::log(x); });
        if (f == fn::log2) out = scale(out, 1.0 / std::log(2.0));
        if (f == fn::log10) out = scale(out, 1.0 / std::log(10.0));
        break;
    case fn::abs: out = abs_iv(a); break;
    case fn::floor: out = monotone(a, [](double x) { return std::floor(x); }); break;
    case fn::ceil: out = monotone(a, [](double x) { return std::ceil(x); }); break;
    case fn::round: out = monotone(a, [](double x) { return std::round(x); }); break;
    case fn::trunc: out = monotone(a, [](double x) { return std::trunc(x); }); break;
    case fn::rint: out = monotone(a, [](double x) { return std::rint(x); }); break;
    case fn::erf: out = monotone(a, [](double x) { return std::erf(x); }); break;
    case fn::erfc: out = {std::erfc(a.hi), std::erfc(a.lo)}; break;  // decreasing
    case fn::degrees: out = scale(a, 57.29577951308232); break;  // linear: the cap check bounds it
    case fn::radians: out = scale(a, 0.017453292519943295); break;
    case fn::frac: out = {a.lo < 0 ? -1.0 : 0.0, a.hi > 0 ? 1.0 : 0.0}; break;
    case fn::sign: out = {-1, 1}; break;
    case fn::step: out = {0, 1}; break;
    default: return false;
    }
    return out.mag() <= cap;
}

inline bool differentiable(fn f) {
    switch (f) {
    case fn::floor: case fn::ceil: case fn::round: case fn::rint: case fn::trunc: case fn::frac: case fn::sign:
    case fn::step:
        return false;
    default: return true;
    }
}

// Choose a unary math builtin safe for range a. `nondiff_percent`: how often the piecewise-constant ones
// (floor, ceil, ... whose gradients are zero) may be considered at all.
template <class T>
fn choose_unary(gen& g, iv a, iv& out, int nondiff_percent = 15) {
    fn cands[32];
    iv outs[32];
    int n = 0;
    bool allow_nd = g.chance(nondiff_percent);
    for (fn f : unary_math_fns) {
        if (!differentiable(f) && !allow_nd) continue;
        iv r;
        if (unary_range(f, a, dt<T>::cap, r)) {
            cands[n] = f;
            outs[n++] = r;
        }
    }
    int k = static_cast<int>(g.pick(static_cast<std::size_t>(n)));  // sin/cos/atan/tanh are always safe
    out = outs[k];
    return cands[k];
}

template <class T, class A>
auto math1(gen& g, const sv<A>& a, int nondiff_percent = 15) {
    iv r;
    fn f = choose_unary<T>(g, a.r, r, nondiff_percent);
    return mk(fcall<rules::float_unary>(f, a.e), r);
}

// Binary float builtins: min, max, atan2, pow, copysign.
inline bool binary_range(fn f, iv a, iv b, double cap, iv& out) {
    switch (f) {
    case fn::min: out = min_iv(a, b); break;
    case fn::max: out = max_iv(a, b); break;
    case fn::atan2:  // continuous away from the origin and the branch cut (x < 0, y crossing 0)
        if (!(b.lo >= 0.1 || a.min_abs() >= 0.1)) return false;
        out = {-3.1416, 3.1416};
        break;
    case fn::pow: {
        if (a.lo < 0.25 || b.mag() > 3.0) return false;
        double c[4] = {std::pow(a.lo, b.lo), std::pow(a.lo, b.hi), std::pow(a.hi, b.lo), std::pow(a.hi, b.hi)};
        out = {*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
        break;
    }
    case fn::copysign:  // the sign source stays off 0, so rounding never flips the result's sign
        if (b.min_abs() < 0.1) return false;
        out = b.lo > 0 ? abs_iv(a) : scale(abs_iv(a), -1.0);
        break;
    default: return false;
    }
    return out.mag() <= cap;
}

template <class T, class A, class B>
auto math2(gen& g, const sv<A>& a, const sv<B>& b) {
    static constexpr fn fs[] = {fn::min, fn::max, fn::atan2, fn::pow, fn::copysign};
    fn cands[std::size(fs)];
    iv outs[std::size(fs)];
    int n = 0;
    for (fn f : fs) {
        iv r;
        if (binary_range(f, a.r, b.r, dt<T>::cap, r)) {
            cands[n] = f;
            outs[n++] = r;
        }
    }
    if (n == 0) {  // operands already near the cap: min keeps the range within the operands' ranges
        cands[0] = fn::min;
        outs[0] = min_iv(a.r, b.r);
        g.check(outs[0].mag() <= 4 * dt<T>::cap);
        n = 1;
    }
    int k = static_cast<int>(g.pick(static_cast<std::size_t>(n)));
    return mk(fcall<rules::float_binary>(cands[k], a.e, b.e), outs[k]);
}

// --- documented input ranges ---------------------------------------------------------------------------------------
// Input profiles: the executor draws each float input uniformly from [lo, hi].
inline constexpr std::array<iv, 8> float_profiles = {{
    {-1.0, 1.0}, {0.5, 2.0}, {-2.0, 2.0}, {0.1, 1.0}, {1.0, 4.0}, {-0.5, 0.5}, {0.25, 3.0}, {-3.0, -0.5},
}};
inline iv pick_profile(gen& g) { return g.pick(float_profiles); }
inline constexpr std::array<iv, 5> int_profiles = {{{0, 100}, {-50, 50}, {1, 20}, {0, 1000}, {-9, 9}}};

inline void add_input(instance& out, std::string_view name, iv r, std::int64_t length) {
    out.inputs.push_back({std::string(name), r.lo, r.hi, length});
}

}  // namespace warpsynth::categories::detail

// --- expression skeletons -----------------------------------------------------------------------------------------
// A skeleton is a compile-time expression-tree shape; building it for dtype T picks the leaves and operators at
// run time (with value ranges), giving a typed DSL expression.
namespace warpsynth::categories::detail {
namespace sk {
struct X {};                                   // an element of an input array (which one: runtime)
struct P {};                                   // a scalar parameter (which one: runtime)
struct C {};                                   // a random literal
struct K {};                                   // an identity literal
template <class A, class B> struct Bn {};      // a same-type operator of the allowed set
template <class A> struct Ng {};               // unary minus
template <class A> struct U {};                // a unary math builtin (floats)
template <class A, class B> struct F2 {};      // min / max / atan2 / pow (floats)
}  // namespace sk

// The operands a skeleton's leaves can name.
struct operand {
    std::string_view name;
    iv r;
};
// The few operands of one context, kept inline (a context is made per record; a vector allocated twice a record).
struct operand_list {
    static constexpr std::size_t capacity = 8;
    std::array<operand, capacity> items{};
    std::size_t n = 0;

    void push_back(const operand& o) {
        if (n == capacity) throw std::length_error("operand_list: more than 8 operands");
        items[n++] = o;
    }
    std::size_t size() const { return n; }
    bool empty() const { return n == 0; }
    const operand& operator[](std::size_t k) const { return items[k]; }
    operand& operator[](std::size_t k) { return items[k]; }
    const operand* begin() const { return items.data(); }
    const operand* end() const { return items.data() + n; }
    const operand& back() const { return items[n - 1]; }
};
template <class T>
struct ectx {
    gen& g;
    operand_list arrays;  // 1-D input arrays of T, indexed by `idx`
    operand_list params;  // scalar parameters of T
    std::string_view idx;
    unsigned ops = dt<T>::is_float ? float_ops : int_ops;
    int paren_percent = 8;
    int next_array = 0;  // leaves name the arrays round-robin first, so every array is used
    int next_param = 0;

    const operand& take_array() {
        int k = next_array < static_cast<int>(arrays.size()) ? next_array : static_cast<int>(g.pick(arrays.size()));
        ++next_array;
        return arrays[static_cast<std::size_t>(k)];
    }
    const operand& take_param() {
        int k = next_param < static_cast<int>(params.size()) ? next_param : static_cast<int>(g.pick(params.size()));
        ++next_param;
        return params[static_cast<std::size_t>(k)];
    }
    // A random literal, never 0 (trivial) and for floats away from zero (so it can divide).
    double rand_lit() {
        if constexpr (dt<T>::is_float) {
            double v = g.val(2, 40, 10.0);  // 0.2 .. 4.0
            return dt<T>::is_signed && g.chance(30) ? -v : v;
        } else {
            double v = static_cast<double>(g.between(1, 9));
            return dt<T>::is_signed && g.chance(25) ? -v : v;
        }
    }
    // An identity literal (2000 digit values): floats 0.26 .. 4.259 (three decimals), ints 2 .. 4001.
    double id_lit() {
        if constexpr (dt<T>::is_float) return g.id_val(260, 2000, 1000.0);
        else return static_cast<double>(g.id_int(2, 2000));
    }
};

template <class T> auto build(ectx<T>& c, sk::X*) {
    auto& a = c.take_array();
    return elem<T>(a.name, c.idx, a.r);
}
template <class T> auto build(ectx<T>& c, sk::P*) {
    auto& p = c.take_param();
    return mk(arg_ref<T>(p.name), p.r);
}
template <class T> auto build(ectx<T>& c, sk::C*) { return const_of<T>(c.rand_lit()); }
template <class T> auto build(ectx<T>& c, sk::K*) { return const_of<T>(c.id_lit()); }
template <class T, class A, class B> auto build(ectx<T>& c, sk::Bn<A, B>*) {
    auto a = build(c, static_cast<A*>(nullptr));
    auto b = build(c, static_cast<B*>(nullptr));
    auto r = arith<T>(c.g, a, b, c.ops);
    r.e.parens = c.g.chance(c.paren_percent);
    return r;
}
template <class T, class A> auto build(ectx<T>& c, sk::Ng<A>*) {
    auto a = build(c, static_cast<A*>(nullptr));
    if constexpr (!dt<T>::is_signed) {
        c.g.violated = true;  // never instantiated for unsigned types
    }
    return mk(unary<negate_ops, decltype(a.e)>(syntax::op::usub, a.e), -a.r);
}
template <class T, class A> auto build(ectx<T>& c, sk::U<A>*) {
    auto a = build(c, static_cast<A*>(nullptr));
    return math1<T>(c.g, a);
}
template <class T, class A, class B> auto build(ectx<T>& c, sk::F2<A, B>*) {
    auto a = build(c, static_cast<A*>(nullptr));
    auto b = build(c, static_cast<B*>(nullptr));
    return math2<T>(c.g, a, b);
}
template <class S, class T>
auto build(ectx<T>& c) {
    return build(c, static_cast<S*>(nullptr));
}

}  // namespace warpsynth::categories::detail
