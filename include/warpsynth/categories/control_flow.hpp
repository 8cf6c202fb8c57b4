// warpsynth/categories/control_flow.hpp — branches, loops and boolean logic.
//
// Shapes (compile-time statement patterns): if/else on a comparison; an if/elif/else that reassigns a local (Warp
// merges it with wp::where); a ternary under and/or/not; wp.where on a comparison or an integer; constant-range loops that Warp unrolls (<= 16 trips) and
// ones it does not (> 16); loops over a parameter `range(n)`; stepped ranges; while loops with a counter; loops with
// break/continue; nested loops; a vector updated in place in a dynamic loop's branches; an early return; counting with an int local; chained comparisons into a bool local.
// Runtime leaves: comparison operators, thresholds (drawn inside the compared value's range so both branches run),
// trip counts, operators and literals of the arithmetic in the branches, names.
//
// Safety: loop trips are bounded by the documented parameter ranges; arrays read as `a[i + k]` are documented with
// length launch + max trips; accumulators' ranges are trip-count multiples of the term's range; locals mutated in
// dynamic loops start from a dynamic value (`float(0.0)`), as Warp requires.
#pragma once

#include <string>

#include "warpsynth/categories/kernels.hpp"

namespace warpsynth::categories {
namespace cf_detail {
using namespace detail;
using namespace detail::sk;

inline constexpr std::int64_t N = 64;

using ES0 = Bn<X, K>;
using ES1 = Bn<Bn<X, K>, X>;
using ES2 = Bn<X, Bn<X, K>>;
using ES3 = Bn<Bn<X, K>, Bn<X, K>>;

inline op pick_cmp(gen& g) {
    static constexpr std::array<op, 4> ops = {op::lt, op::le, op::gt, op::ge};
    return g.pick(ops);
}
// A short decimal strictly inside r (a threshold that splits the documented range).
inline double threshold(gen& g, iv r) {
    double t = r.lo + (r.hi - r.lo) * g.val(2, 8, 10.0);
    double q = std::round(t * 100.0) / 100.0;
    if (q <= r.lo || q >= r.hi) q = (r.lo + r.hi) / 2;
    return q;
}
inline void document_ctx(instance& out, ectx<float_>& c, std::int64_t length) {
    for (auto& a : c.arrays) add_input(out, a.name, a.r, length);
}
// Float inputs for control flow: ranges that straddle the thresholds.
inline ectx<float_> cf_operands(gen& g, const names& nm, std::size_t na) {
    ectx<float_> c{g, {}, {}, nm.index};
    for (std::size_t k = 0; k < na; ++k) c.arrays.push_back({nm.arrays[k], pick_profile(g)});
    return c;
}
template <class E>
auto cmp(gen& g, const E& e, double t) {
    return make_comparison(pick_cmp(g), e, lit(t));
}

// if x <cmp> t: out[i] = E1  else: out[i] = E2
template <class S1, class S2>
inline void if_else(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 2);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]),
                    arg<array<float_>>(nm.out))([&](auto a, auto, auto o) {
        local<int_> i(nm.index);
        local<float_> x(nm.local(0));
        auto e1 = build<S1>(c);
        auto e2 = build<S2>(c);
        return body_of(i = tid(), x = a[i], if_(cmp(g, x, threshold(g, c.arrays[0].r)))(o[i] = e1.e).else_(o[i] = e2.e));
    });
    k.lower(out.tree);
    document_ctx(out, c, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "if/else on a comparison, each branch stores an expression";
}

// v = E0; if v > hi: v = E1 elif v < lo: v = E2 else: v = v * k; out[i] = v
template <class S0, class S1, class S2>
inline void elif_chain(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 3);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]),
                    arg<array<float_>>(nm.arrays[2]), arg<array<float_>>(nm.out))([&](auto, auto, auto, auto o) {
        local<int_> i(nm.index);
        local<float_> v(nm.local(0));
        auto e0 = build<S0>(c);
        auto e1 = build<S1>(c);
        auto e2 = build<S2>(c);
        double lo = threshold(g, {e0.r.lo, (e0.r.lo + e0.r.hi) / 2});
        double hi = threshold(g, {(e0.r.lo + e0.r.hi) / 2, e0.r.hi});
        if (hi <= lo) hi = lo + 0.01;
        double m = g.val(2, 19, 10.0);
        iv r;
        op o3 = choose_op<float_>(g, float_ops, e0.r, point(m), r);
        auto upd = binary<scalar_family, local<float_>, float_literal>(o3, v, lit(m));
        // drawn before the call: keep the draw order explicit
        const op o_hi = g.coin() ? op::gt : op::ge;
        const op o_lo = g.coin() ? op::lt : op::le;
        return body_of(i = tid(), v = e0.e,
                    if_(make_comparison(o_hi, v, lit(hi)))(v = e1.e)
                        .elif_(make_comparison(o_lo, v, lit(lo)))(v = e2.e)
                        .else_(v = upd),
                    o[i] = v);
    });
    k.lower(out.tree);
    document_ctx(out, c, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "if/elif/else reassigning a local (phi merge), then stored";
}

// out[i] = E1 if (x <cmp> t1 and/or y <cmp> t2) else E2, optionally negated with `not`
template <class S1, class S2, bool Or, bool Not>
inline void ternary_bool(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 2);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]),
                    arg<array<float_>>(nm.out))([&](auto a, auto b, auto o) {
        local<int_> i(nm.index);
        local<float_> x(nm.local(0)), y(nm.local(1));
        auto e1 = build<S1>(c);
        auto e2 = build<S2>(c);
        auto c1 = cmp(g, x, threshold(g, c.arrays[0].r));
        auto c2 = cmp(g, y, threshold(g, c.arrays[1].r));
        auto cond = [&] {
            if constexpr (Or) return c1 || c2;
            else return c1 && c2;
        }();
        auto full = [&] {
            if constexpr (Not) return !paren(cond);
            else return cond;
        }();
        return body_of(i = tid(), x = a[i], y = b[i], o[i] = ternary(full, e1.e, e2.e));
    });
    k.lower(out.tree);
    document_ctx(out, c, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "a conditional expression under boolean operators";
}

// out[i] = wp.where(x <cmp> t, E1, E2), or wp.where(i % 2, E1, E2) (an integer condition): unlike a ternary, both
// values are computed for every thread, so both are drawn safe for the whole input range.
template <class S1, class S2, bool IntCond>
inline void where_select(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 2);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]),
                    arg<array<float_>>(nm.out))([&](auto a, auto, auto o) {
        local<int_> i(nm.index);
        local<float_> x(nm.local(0));
        auto e1 = build<S1>(c);
        auto e2 = build<S2>(c);
        if constexpr (IntCond) return body_of(i = tid(), x = a[i], o[i] = x * wp::where(i % 2, e1.e, e2.e));
        else return body_of(i = tid(), x = a[i], o[i] = wp::where(cmp(g, x, threshold(g, c.arrays[0].r)), e1.e, e2.e));
    });
    k.lower(out.tree);
    document_ctx(out, c, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = IntCond ? "wp.where on the thread index's parity (an integer condition)"
                              : "wp.where on a comparison: both values computed, one selected";
}

// s = b[i] * k0; for k in range(m): s = s <+|-> a[i + k] * k1; out[i] = s. A constant trip count m: Warp unrolls
// it when m <= 16 (Dynamic = false) and emits a real loop otherwise.
template <bool Dynamic>
inline void const_loop(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 2);
    int m = Dynamic ? static_cast<int>(g.between(17, 24)) : static_cast<int>(g.between(2, 8));
    auto lv = g.pick(loop_names);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]),
                    arg<array<float_>>(nm.out))([&](auto a, auto b, auto o) {
        local<int_> i(nm.index);
        local<int_> kk(lv[0]);
        local<float_> s(nm.local(0));
        double k0 = c.id_lit(), k1 = c.id_lit();
        iv term = scale(c.arrays[0].r, k1);
        iv acc = scale(c.arrays[1].r, k0) + iv{std::min(0.0, m * term.lo), std::max(0.0, m * term.hi)};
        acc = hull(acc, scale(c.arrays[1].r, k0) - iv{std::min(0.0, m * term.lo), std::max(0.0, m * term.hi)});
        g.check(acc.mag() < dt<float_>::cap);
        op add = g.coin() ? op::add : op::sub;
        auto t = a[i + kk] * lit(k1);
        return body_of(i = tid(), s = b[i] * lit(k0),
                    for_(kk, range(m))(s = binary<scalar_family, local<float_>, decltype(t)>(add, s, t)), o[i] = s);
    });
    k.lower(out.tree);
    add_input(out, c.arrays[0].name, c.arrays[0].r, N + m);
    add_input(out, c.arrays[1].name, c.arrays[1].r, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = Dynamic ? "a constant-trip loop Warp does not unroll (> 16 trips)"
                              : "a constant-trip loop Warp unrolls";
}

// s = float(0.0); for k in range(n) or range(start, n, step): s += a[i + k] * k0 (+|-) c[i]; out[i] = s * k1
template <bool Stepped>
inline void param_loop(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 2);
    std::int64_t nmax = g.between(4, 12);
    auto lv = g.pick(loop_names);
    std::string_view n_name = nm.params[0];
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]), arg<int_>(n_name),
                    arg<array<float_>>(nm.out))([&](auto a, auto b, auto n, auto o) {
        local<int_> i(nm.index);
        local<int_> kk(lv[0]);
        local<float_> s(nm.local(0));
        double k0 = c.id_lit(), k1 = c.id_lit();
        iv term = scale(c.arrays[0].r, k0) + c.arrays[1].r;
        iv acc = scale(iv{std::min(0.0, nmax * term.lo), std::max(0.0, nmax * term.hi)}, k1);
        g.check(acc.mag() < dt<float_>::cap);
        op add = g.coin() ? op::add : op::sub;
        auto t = binary<scalar_family, decltype(a[i + kk] * lit(k0)), decltype(b[i])>(add, a[i + kk] * lit(k0), b[i]);
        auto loop_body = s += t;
        if constexpr (Stepped) {
            std::int64_t start = g.between(0, 2), step = g.between(2, 3);
            return body_of(i = tid(), s = py::float_(lit(0.0)),
                        for_(kk, range(lit(static_cast<long long>(start)), n, lit(static_cast<long long>(step))))(loop_body),
                        o[i] = s * lit(k1));
        } else {
            return body_of(i = tid(), s = py::float_(lit(0.0)), for_(kk, range(n))(loop_body), o[i] = s * lit(k1));
        }
    });
    k.lower(out.tree);
    add_input(out, c.arrays[0].name, c.arrays[0].r, N + nmax);
    add_input(out, c.arrays[1].name, c.arrays[1].r, N);
    add_input(out, n_name, {1, static_cast<double>(nmax)}, 0);
    add_input(out, nm.out, {0, 0}, N);
    out.description = Stepped ? "a stepped loop over range(start, n, step)" : "a loop over range(n)";
}

// x = a[i] (positive); cnt = int(0); while x > t: x = x * f; cnt = cnt + 1 — halving until below a threshold.
template <bool IntOut>
inline void while_loop(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv r{g.val(5, 20, 10.0), 0};
    r.hi = r.lo + g.val(10, 80, 10.0);
    using TO = std::conditional_t<IntOut, int_, float_>;
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<TO>>(nm.out))([&](auto a, auto o) {
        local<int_> i(nm.index);
        local<float_> x(nm.local(0));
        local<int_> cnt(nm.local(1));
        double t = g.id_val(1000, 1500, 1000.0);   // 1.0 .. 3.999
        double f = g.id_val(300, 300, 1000.0);     // 0.3 .. 0.899
        double s0 = g.id_val(5, 10, 10.0);       // 0.5 .. 2.4
        auto upd = x * lit(f);
        if constexpr (IntOut) {
            return body_of(i = tid(), x = a[i] * lit(s0), cnt = py::int_(lit(0)),
                        while_(make_comparison(g.coin() ? op::gt : op::ge, x, lit(t)))(x = upd, cnt = cnt + 1),
                        o[i] = cnt);
        } else {
            return body_of(i = tid(), x = a[i] * lit(s0), cnt = py::int_(lit(0)),
                        while_(make_comparison(g.coin() ? op::gt : op::ge, x, lit(t)))(x = upd, cnt = cnt + 1),
                        o[i] = x);
        }
    });
    k.lower(out.tree);
    add_input(out, nm.arrays[0], r, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "a data-dependent while loop (geometric decay below a threshold)";
}

// s = float(0.0); for k in range(n): if a[i + k] <cmp> t: break|continue; s += a[i + k] * k0; out[i] = s + c[i] * k1
template <bool Break>
inline void break_loop(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 2);
    std::int64_t nmax = g.between(4, 12);
    auto lv = g.pick(loop_names);
    std::string_view n_name = nm.params[0];
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]), arg<int_>(n_name),
                    arg<array<float_>>(nm.out))([&](auto a, auto b, auto n, auto o) {
        local<int_> i(nm.index);
        local<int_> kk(lv[0]);
        local<float_> s(nm.local(0));
        double k0 = c.id_lit(), k1 = c.id_lit();
        auto stop = [&] {
            if constexpr (Break) return break_();
            else return continue_();
        }();
        return body_of(i = tid(), s = py::float_(lit(0.0)),
                    for_(kk, range(n))(if_(cmp(g, a[i + kk], threshold(g, c.arrays[0].r)))(stop),
                                       s += a[i + kk] * lit(k0)),
                    o[i] = s + b[i] * lit(k1));
    });
    k.lower(out.tree);
    add_input(out, c.arrays[0].name, c.arrays[0].r, N + nmax);
    add_input(out, c.arrays[1].name, c.arrays[1].r, N);
    add_input(out, n_name, {1, static_cast<double>(nmax)}, 0);
    add_input(out, nm.out, {0, 0}, N);
    out.description = Break ? "a loop that breaks on a condition" : "a loop that skips elements with continue";
}

// v = b[i]; for k in range(n): if a[i + k] <cmp> t: v[k % 3] ±= a[i + k] * k0  else: v.C ±= k1; out[i] = v * k2
// — a vector's components updated in place inside a dynamic loop and a branch (no phi, no loop-carried copy)
inline void loop_vec_update(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 2);
    std::int64_t nmax = g.between(4, 12);
    auto lv = g.pick(loop_names);
    std::string_view n_name = nm.params[0];
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<vec3>>(nm.arrays[1]), arg<int_>(n_name),
                    arg<array<vec3>>(nm.out))([&](auto a, auto b, auto n, auto o) {
        local<int_> i(nm.index);
        local<int_> kk(lv[0]);
        local<vec3> v(nm.local(0));
        // drawn before use: argument/operand evaluation order is unspecified in C++
        const double k0 = c.id_lit(), k1 = c.id_lit(), k2 = c.id_lit();
        const double t = threshold(g, c.arrays[0].r);
        const op o0 = g.coin() ? op::add : op::sub, o1 = g.coin() ? op::add : op::sub;
        const char comp = "xyz"[g.pick(std::size_t{3})];
        iv step = hull(scale(c.arrays[0].r, k0), point(k1));
        iv acc = scale(c.arrays[1].r + iv{-nmax * step.mag(), nmax * step.mag()}, k2);
        g.check(acc.mag() < dt<float_>::cap);
        auto term = a[i + kk] * lit(k0);
        auto grow = aug_assign_stmt<additive_ops, decltype(v[kk % lit(3)]), decltype(term)>(o0, v[kk % lit(3)], term);
        auto comp_v = attribute<local<vec3>, types::scalar(scalar_kind::float32)>(v, comp);
        auto nudge = aug_assign_stmt<additive_ops, decltype(comp_v), decltype(lit(k1))>(o1, comp_v, lit(k1));
        return body_of(i = tid(), v = b[i],
                       for_(kk, range(n))(if_(make_comparison(pick_cmp(g), a[i + kk], lit(t)))(grow).else_(nudge)),
                       o[i] = v * lit(k2));
    });
    k.lower(out.tree);
    add_input(out, c.arrays[0].name, c.arrays[0].r, N + nmax);
    add_input(out, nm.arrays[1], c.arrays[1].r, N);
    add_input(out, n_name, {1, static_cast<double>(nmax)}, 0);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "a vector's components updated in place in a dynamic loop's branches";
}

// if a[i] <cmp> t: return; out[i] = E
template <class S>
inline void early_return(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 2);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]),
                    arg<array<float_>>(nm.out))([&](auto a, auto, auto o) {
        local<int_> i(nm.index);
        auto e = build<S>(c);
        return body_of(i = tid(), if_(cmp(g, a[i], threshold(g, c.arrays[0].r)))(return_()), o[i] = e.e);
    });
    k.lower(out.tree);
    document_ctx(out, c, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "an early return guarding the store";
}

// s = b[i] * k0; for p in range(P): for q in range(Q|n): s += a[i + p * M + q] * k1; out[i] = s
template <bool InnerDynamic>
inline void nested(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 2);
    int P = static_cast<int>(g.between(2, 4)), M = static_cast<int>(g.between(2, 5));
    auto lv = g.pick(loop_names);
    std::string_view n_name = nm.params[0];
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]), arg<int_>(n_name),
                    arg<array<float_>>(nm.out))([&](auto a, auto b, auto n, auto o) {
        local<int_> i(nm.index);
        local<int_> p(lv[0]), q(lv[1]);
        local<float_> s(nm.local(0));
        double k0 = c.id_lit(), k1 = c.id_lit();
        auto inner_range = [&] {
            if constexpr (InnerDynamic) return range(n);
            else return range(lit(M));
        }();
        return body_of(i = tid(), s = b[i] * lit(k0),
                    for_(p, range(lit(P)))(for_(q, inner_range)(s += a[i + p * lit(M) + q] * lit(k1))), o[i] = s);
    });
    k.lower(out.tree);
    add_input(out, c.arrays[0].name, c.arrays[0].r, N + P * M);
    add_input(out, c.arrays[1].name, c.arrays[1].r, N);
    add_input(out, n_name, {1, static_cast<double>(M)}, 0);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "nested loops accumulating a window";
}

// cnt = int(0); for k in range(m): if a[i + k] <cmp> t: cnt += w (int); out[i] = cnt
template <bool Dynamic>
inline void count(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 1);
    int m = static_cast<int>(g.between(2, 10));
    auto lv = g.pick(loop_names);
    std::string_view n_name = nm.params[0];
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<int_>(n_name), arg<array<int_>>(nm.out))(
        [&](auto a, auto n, auto o) {
            local<int_> i(nm.index);
            local<int_> kk(lv[0]);
            local<int_> cnt(nm.local(0));
            long long w1 = g.id_int(1, 200), w2 = g.id_int(1, 200);
            auto rng_ = [&] {
                if constexpr (Dynamic) return range(n);
                else return range(lit(m));
            }();
            return body_of(i = tid(), cnt = py::int_(lit(0)),
                        for_(kk, rng_)(if_(cmp(g, a[i + kk], threshold(g, c.arrays[0].r)))(cnt += lit(w1))
                                           .else_(cnt -= lit(w2))),
                        o[i] = cnt);
        });
    k.lower(out.tree);
    add_input(out, c.arrays[0].name, c.arrays[0].r, N + m);
    add_input(out, n_name, {1, static_cast<double>(m)}, 0);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "counting elements that pass a test (int result)";
}

// x = a[i]; flag = t0 < x < t1; if flag or b[i] <cmp> t2: out[i] = E1 else: out[i] = E2
template <class S1, class S2>
inline void chained(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = cf_operands(g, nm, 2);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]),
                    arg<array<float_>>(nm.out))([&](auto a, auto b, auto o) {
        local<int_> i(nm.index);
        local<float_> x(nm.local(0));
        local<bool_> flag(nm.local(1));
        auto e1 = build<S1>(c);
        auto e2 = build<S2>(c);
        iv r = c.arrays[0].r;
        double t0 = threshold(g, {r.lo, (r.lo + r.hi) / 2}), t1 = threshold(g, {(r.lo + r.hi) / 2, r.hi});
        if (t1 <= t0) t1 = t0 + 0.01;
        // drawn before the call: argument evaluation order is unspecified in C++
        const op o_outer = g.coin() ? op::le : op::lt;
        const op o_inner = g.coin() ? op::le : op::lt;
        auto ch = make_comparison(o_outer, make_comparison(o_inner, lit(t0), x), lit(t1));
        return body_of(i = tid(), x = a[i], flag = ch,
                    if_(flag || cmp(g, b[i], threshold(g, c.arrays[1].r)))(o[i] = e1.e).else_(o[i] = e2.e));
    });
    k.lower(out.tree);
    document_ctx(out, c, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "a chained comparison into a bool local, used under `or`";
}

using shape_fn = void (*)(gen&, instance&, const names&, std::string_view);
struct shape_entry {
    std::string_view name;
    shape_fn make;
};

inline constexpr shape_entry shapes[] = {
    {"if_else", &if_else<ES0, ES1>},
    {"elif", &elif_chain<ES1, ES0, ES2>},
    {"ternary_and", &ternary_bool<ES0, ES2, false, false>},
    {"ternary_not_or", &ternary_bool<ES1, ES0, true, true>},
    {"where_cmp", &where_select<ES1, ES2, false>},
    {"where_parity", &where_select<ES0, ES3, true>},
    {"loop_unrolled", &const_loop<false>},
    {"loop_const_dynamic", &const_loop<true>},
    {"loop_range_n", &param_loop<false>},
    {"while_count", &while_loop<true>},
    {"loop_break", &break_loop<true>},
    {"loop_continue", &break_loop<false>},
    {"early_return", &early_return<ES3>},
    {"nested_dynamic", &nested<true>},
    {"count_dynamic", &count<true>},
    {"chained_flag", &chained<ES2, ES0>},
    {"loop_vec_update", &loop_vec_update},
};

}  // namespace cf_detail

inline void make_control_flow(std::uint64_t seed, std::uint64_t index, instance& out) {
    using namespace cf_detail;
    out.reset();
    gen g(seed, index, 0xc0fu);
    auto& s = shapes[g.digit(std::size(shapes))];
    names nm(g);
    out.shape.assign("control_flow/").append(s.name);
    s.make(g, out, nm, kernel_name(g, "control_flow", s.name));
    out.launch_dim = N;
    finish(g, out);
}

}  // namespace warpsynth::categories
