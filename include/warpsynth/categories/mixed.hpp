// warpsynth/categories/mixed.hpp — kernels composing several categories (5-20 statements).
//
// A mixed shape is a compile-time sequence of blocks over one kernel signature
//     (a, b: float arrays, v: vec3 array, n: int, acc: float array, out: float array):
//   load   x = a[i] * k; y = b[(i + o) % n] <op> k            (arithmetic, indexing)
//   math   a run of `t = f(t_x) <op> t_y` (runtime length)      (math)
//   vec    p = v[i] * x; s = wp.dot(p, v[(i + 1) % n]) * k ...  (vector)
//   branch if x <cmp> t: z = E1 else: z = E2 (phi merge)         (control flow)
//   loop   s = s + a[(i + k) % n] * k1 over range(m) or range(n) (control flow, indexing)
//   atomic wp.ATOMIC(acc, i % nb, z * k)                         (atomic)
//   cast   c = int(wp.floor(z * k)); q = float(c % 7) * k        (casts)
//   store  out[i] = (linear combination of the live locals)
// Each block draws its operators/builtins/literals at run time with value-range tracking; the block sequence is
// the compile-time shape. Blocks are built in order into locals before body(...), so the draw order is fixed.
#pragma once

#include <string>

#include "warpsynth/categories/kernels.hpp"

namespace warpsynth::categories {
namespace mixed_detail {
using namespace detail;

inline constexpr std::int64_t N = 64;
using L = local<float_>;

// Names: a = arrays[0], b = arrays[1], v = arrays[2], acc = arrays[3], n = params[0]; locals x = local(0),
// y = local(1), p = local(2) (vec3), s = local(3), z = local(4), c = local(5) (int), q = local(6), math run
// locals from local(7).
struct state {
    gen& g;
    const names& nm;
    iv ra, rb, rv;
    iv x, y, z, s, q;
    int math_names = 7;
    std::int64_t nb = 0;
    double klit() { return g.id_val(260, 2000, 1000.0); }
    L lx() const { return L(nm.local(0)); }
    L ly() const { return L(nm.local(1)); }
    L ls() const { return L(nm.local(3)); }
    L lz() const { return L(nm.local(4)); }
    L lq() const { return L(nm.local(6)); }
    local<int_> li() const { return local<int_>(nm.index); }
    arg_ref<array<float_>> a() const { return arg_ref<array<float_>>(nm.arrays[0]); }
    arg_ref<array<float_>> b() const { return arg_ref<array<float_>>(nm.arrays[1]); }
    arg_ref<array<vec3>> v() const { return arg_ref<array<vec3>>(nm.arrays[2]); }
    arg_ref<array<float_>> acc() const { return arg_ref<array<float_>>(nm.arrays[3]); }
    arg_ref<int_> n() const { return arg_ref<int_>(nm.params[0]); }
};

inline op pick_cmp(gen& g) {
    static constexpr std::array<op, 4> ops = {op::lt, op::le, op::gt, op::ge};
    return g.pick(ops);
}
inline double inside(gen& g, iv r) {
    double q = std::round((r.lo + (r.hi - r.lo) * g.val(2, 8, 10.0)) * 100.0) / 100.0;
    return (q <= r.lo || q >= r.hi) ? (r.lo + r.hi) / 2 : q;
}

// x = a[i] * k1; y = b[(i + o) % n] <op> k2
inline auto load(state& st) {
    auto i = st.li();
    double k1 = st.klit(), k2 = st.klit();
    long long o = st.g.between(1, N - 1);
    auto ye = arith<float_>(st.g, mk(st.b()[(i + lit(o)) % st.n()], st.rb), const_of<float_>(k2), float_ops);
    st.x = scale(st.ra, k1);
    st.y = ye.r;
    return body_of(st.lx() = st.a()[i] * lit(k1), st.ly() = ye.e);
}

// t_k = f(t_x) <op> t_y for a runtime number of steps (t0 = x, t1 = y); then x = t_last
template <int MaxLen>
auto math_run(state& st) {
    using un_t = assign_stmt<L, ex<float_>>;
    int len = static_cast<int>(st.g.between(1, MaxLen));
    std::vector<iv> t = {st.x, st.y};
    std::vector<std::string_view> nm = {st.nm.local(0), st.nm.local(1)};
    std::vector<un_t> run;
    for (int s = 0; s < len; ++s) {
        int n = static_cast<int>(t.size());
        int x = n - 1 - static_cast<int>(st.g.pick(2));
        int y = static_cast<int>(st.g.pick(static_cast<std::size_t>(n)));
        auto fx = math1<float_>(st.g, mk(L(nm[static_cast<std::size_t>(x)]), t[static_cast<std::size_t>(x)]), 10);
        auto e = arith<float_>(st.g, fx, mk(L(nm[static_cast<std::size_t>(y)]), t[static_cast<std::size_t>(y)]),
                               float_ops);
        nm.push_back(st.nm.local(st.math_names++));
        run.push_back(un_t(L(nm.back()), e.e));
        t.push_back(e.r);
    }
    st.x = t.back();
    return body_of(vec_run<un_t>{std::move(run)}, st.lx() = L(nm.back()));
}

// p = v[i] * x; s = wp.dot(p, v[(i + 1) % n]) * k1 <+|-> wp.length_sq(p) * k2
inline auto vec_block(state& st) {
    auto i = st.li();
    local<vec3> p(st.nm.local(2));
    double k1 = st.klit(), k2 = st.klit() / 10;
    bool use_y = st.y.mag() < st.x.mag();  // scale by the smaller of x, y
    iv pr = st.rv * (use_y ? st.y : st.x);
    iv d = scale(pr * st.rv, 3 * k1);
    iv l2 = scale(sq_iv(pr), 3 * k2);
    auto e = arith<float_>(st.g, mk(wp::dot(p, st.v()[(i + 1) % st.n()]) * lit(k1), d),
                           mk(wp::length_sq(p) * lit(k2), l2), o_add | o_sub);
    st.s = e.r;
    st.g.check(st.s.mag() < dt<float_>::cap);
    return body_of(p = st.v()[i] * (use_y ? st.ly() : st.lx()), st.ls() = e.e);
}

// z = x * k0; if x <cmp> t: z = x <op> y  else: z = y * k2
inline auto branch(state& st) {
    double k0 = st.klit();
    auto e1 = arith<float_>(st.g, mk(st.lx(), st.x), mk(st.ly(), st.y), float_ops);
    double k2 = st.g.val(2, 30, 10.0);
    double t = st.x.hi > st.x.lo ? inside(st.g, st.x) : st.x.lo;
    st.z = hull(hull(scale(st.x, k0), e1.r), scale(st.y, k2));
    auto cond = make_comparison(pick_cmp(st.g), st.lx(), lit(t));
    return body_of(st.lz() = st.lx() * lit(k0), if_(cond)(st.lz() = e1.e).else_(st.lz() = st.ly() * lit(k2)));
}

// s = (s or y) * k0; for k in range(m | n): s = s <+|-> a[(i + k) % n] * k1
template <bool Dynamic, bool HasS>
auto loop(state& st) {
    auto i = st.li();
    auto lv = st.g.pick(loop_names);
    local<int_> kk(lv[0]);
    double k0 = st.klit() / (HasS ? 10 : 1), k1 = st.klit();
    int m = static_cast<int>(st.g.between(2, 8));
    bool sub = st.g.coin();
    auto term = st.a()[(i + kk) % st.n()] * lit(k1);
    auto upd = binary<scalar_family, L, decltype(term)>(sub ? op::sub : op::add, st.ls(), term);
    iv tr = scale(st.ra, k1);
    double trips = Dynamic ? static_cast<double>(N) : m;
    st.s = scale(HasS ? st.s : st.y, k0) + scale(iv{-tr.mag(), tr.mag()}, trips);
    st.g.check(st.s.mag() < dt<float_>::cap);
    auto init = [&] {
        if constexpr (HasS) return st.ls() * lit(k0);
        else return st.ly() * lit(k0);
    }();
    if constexpr (Dynamic) return body_of(st.ls() = init, for_(kk, range(st.n()))(st.ls() = upd));
    else return body_of(st.ls() = init, for_(kk, range(m))(st.ls() = upd));
}

// wp.ATOMIC(acc, i % nb, w * k)   (w: z when defined, else x)
template <bool UseZ>
auto atomic_block(state& st) {
    auto i = st.li();
    st.nb = st.g.between(2, 16);
    static constexpr std::array<fn, 4> fs = {fn::atomic_add, fn::atomic_sub, fn::atomic_min, fn::atomic_max};
    fn f = st.g.pick(fs);
    double k = st.klit();
    auto w = UseZ ? st.lz() : st.lx();
    return body_of(fcall<rules::atomic_rule>(f, st.acc(), i % lit(static_cast<long long>(st.nb)), w * lit(k)));
}

// c = int(wp.floor(w * k1)); q = float(c % m) * k2
template <bool UseZ>
auto cast_block(state& st) {
    local<int_> c(st.nm.local(5));
    double k1 = st.klit(), k2 = st.klit();
    long long m = st.g.between(3, 9);
    iv w = UseZ ? st.z : st.x;
    st.g.check(scale(w, k1).mag() < 1e6);
    st.q = scale(iv{-(m - 1.0), m - 1.0}, k2);
    auto wl = UseZ ? st.lz() : st.lx();
    return body_of(c = py::int_(wp::floor(wl * lit(k1))), st.lq() = py::float_(c % lit(m)) * lit(k2));
}

// out[i] = x * k (+|- z) (+|- s * k) (+|- q)
template <bool Z, bool S, bool Q>
auto store(state& st) {
    auto i = st.li();
    auto out = arg_ref<array<float_>>(st.nm.out);
    auto pm = [&] { return st.g.coin() ? op::sub : op::add; };
    auto e0 = st.lx() * lit(st.klit());
    auto e1 = [&] {
        if constexpr (Z) return binary<additive_ops, decltype(e0), L>(pm(), e0, st.lz());
        else return e0;
    }();
    auto e2 = [&] {
        if constexpr (S) {
            auto sk = st.ls() * lit(st.g.val(1, 20, 10.0));
            return binary<additive_ops, decltype(e1), decltype(sk)>(pm(), e1, sk);
        } else return e1;
    }();
    auto e3 = [&] {
        if constexpr (Q) return binary<additive_ops, decltype(e2), L>(pm(), e2, st.lq());
        else return e2;
    }();
    return body_of(out[i] = e3);
}

// The kernel: a, b, [v], n, [acc], out.
template <bool V, bool Acc, class F>
void emit(instance& out, std::string_view kname, const names& nm, F&& fn) {
    auto f = [&](const auto&...) { return fn(); };
    auto A = arg<array<float_>>(nm.arrays[0]);
    auto B = arg<array<float_>>(nm.arrays[1]);
    auto n = arg<int_>(nm.params[0]);
    auto o = arg<array<float_>>(nm.out);
    if constexpr (V && Acc)
        kernel(kname, A, B, arg<array<vec3>>(nm.arrays[2]), n, arg<array<float_>>(nm.arrays[3]), o)(f).lower(out.tree);
    else if constexpr (V) kernel(kname, A, B, arg<array<vec3>>(nm.arrays[2]), n, o)(f).lower(out.tree);
    else if constexpr (Acc) kernel(kname, A, B, n, arg<array<float_>>(nm.arrays[3]), o)(f).lower(out.tree);
    else kernel(kname, A, B, n, o)(f).lower(out.tree);
}

inline void document(state& st, instance& out, bool v, bool acc) {
    add_input(out, st.nm.arrays[0], st.ra, N);
    add_input(out, st.nm.arrays[1], st.rb, N);
    if (v) add_input(out, st.nm.arrays[2], st.rv, N);
    add_input(out, st.nm.params[0], {static_cast<double>(N), static_cast<double>(N)}, 0);
    if (acc) add_input(out, st.nm.arrays[3], {0, 0}, st.nb);
    add_input(out, st.nm.out, {0, 0}, N);
}

// Each shape: blocks built in order (fixing the draw order), then one body.
template <int Shape>
inline void shape(gen& g, instance& out, const names& nm, std::string_view kname) {
    state st{g, nm, pick_profile(g), pick_profile(g), pick_profile(g), {}, {}, {}, {}, {}};
    constexpr bool V = Shape == 1 || Shape == 3 || Shape == 4 || Shape == 6;
    constexpr bool Acc = Shape == 1 || Shape == 3 || Shape == 4 || Shape == 7;
    emit<V, Acc>(out, kname, nm, [&] {
        auto i = st.li();
        auto b0 = load(st);
        if constexpr (Shape == 0) {  // arithmetic + math + branch
            auto b1 = math_run<5>(st);
            auto b2 = branch(st);
            auto b3 = store<true, false, false>(st);
            return body_of(i = tid(), b0, b1, b2, b3);
        } else if constexpr (Shape == 1) {  // vector + unrolled loop + atomic
            auto b1 = vec_block(st);
            auto b2 = loop<false, true>(st);
            auto b3 = atomic_block<false>(st);
            auto b4 = store<false, true, false>(st);
            return body_of(i = tid(), b0, b1, b2, b3, b4);
        } else if constexpr (Shape == 2) {  // math + dynamic loop + branch + cast
            auto b1 = math_run<4>(st);
            auto b2 = loop<true, false>(st);
            auto b3 = branch(st);
            auto b4 = cast_block<true>(st);
            auto b5 = store<true, true, true>(st);
            return body_of(i = tid(), b0, b1, b2, b3, b4, b5);
        } else if constexpr (Shape == 3) {  // branch + vector + math + atomic
            auto b1 = branch(st);
            auto b2 = vec_block(st);
            auto b3 = math_run<4>(st);
            auto b4 = atomic_block<true>(st);
            auto b5 = store<true, true, false>(st);
            return body_of(i = tid(), b0, b1, b2, b3, b4, b5);
        } else if constexpr (Shape == 4) {  // everything
            auto b1 = math_run<3>(st);
            auto b2 = vec_block(st);
            auto b3 = branch(st);
            auto b4 = loop<false, true>(st);
            auto b5 = cast_block<true>(st);
            auto b6 = atomic_block<true>(st);
            auto b7 = store<true, true, true>(st);
            return body_of(i = tid(), b0, b1, b2, b3, b4, b5, b6, b7);
        } else if constexpr (Shape == 5) {  // loop + math + cast
            auto b1 = loop<false, false>(st);
            auto b2 = math_run<5>(st);
            auto b3 = cast_block<false>(st);
            auto b4 = store<false, true, true>(st);
            return body_of(i = tid(), b0, b1, b2, b3, b4);
        } else if constexpr (Shape == 6) {  // vector + branch + math
            auto b1 = vec_block(st);
            auto b2 = branch(st);
            auto b3 = math_run<5>(st);
            auto b4 = store<true, true, false>(st);
            return body_of(i = tid(), b0, b1, b2, b3, b4);
        } else {  // branch + cast + dynamic loop + atomic
            auto b1 = branch(st);
            auto b2 = cast_block<true>(st);
            auto b3 = loop<true, false>(st);
            auto b4 = atomic_block<true>(st);
            auto b5 = store<true, true, true>(st);
            return body_of(i = tid(), b0, b1, b2, b3, b4, b5);
        }
    });
    document(st, out, V, Acc);
    out.description = "a kernel composing arithmetic, math, vector, control flow, atomics and casts";
}

using shape_fn = void (*)(gen&, instance&, const names&, std::string_view);
struct shape_entry {
    std::string_view name;
    shape_fn make;
};

inline constexpr shape_entry shapes[] = {
    {"math_branch", &shape<0>},       {"vec_loop_atomic", &shape<1>},      {"math_dynloop_branch_cast", &shape<2>},
    {"branch_vec_math_atomic", &shape<3>}, {"all_blocks", &shape<4>},      {"loop_math_cast", &shape<5>},
    {"vec_branch_math", &shape<6>},   {"branch_cast_dynloop_atomic", &shape<7>},
};

}  // namespace mixed_detail

inline void make_mixed(std::uint64_t seed, std::uint64_t index, instance& out) {
    using namespace mixed_detail;
    out.reset();
    gen g(seed, index, 0x31du);
    auto& s = shapes[g.digit(std::size(shapes))];
    names nm(g);
    out.shape.assign("mixed/").append(s.name);
    s.make(g, out, nm, kernel_name(g, "mixed", s.name));
    out.launch_dim = N;
    finish(g, out);
}

}  // namespace warpsynth::categories
