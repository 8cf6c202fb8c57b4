// warpsynth/categories/math.hpp — Warp's scalar math builtins over float32/float64/float16.
//
// Shapes (compile-time): expression skeletons mixing unary math calls (U), binary math calls
// (min/max/atan2/pow/copysign) and same-type operators; clamp/smoothstep/lerp compositions; and a straight-line
// sequence of locals where each step is `t = f(t_x) <op> t_y` or `t = g(t_x, t_y)`. Which builtin of a family
// (sin..step, erf, erfc, rint; min/max/atan2/pow/copysign) is a runtime leaf, chosen among the members whose safe
// domain contains the argument's value range: sqrt/log only see ranges >= 0.01/0.05, asin/acos |x| <= 0.9, tan
// |x| <= 1.2, exp x <= 4, pow a positive base, atan2 stays off its branch cut, copysign's sign source stays off 0.
// The input profiles (documented per argument) include positive ranges, so the domain-restricted builtins occur.
#pragma once

#include <string>

#include "warpsynth/categories/kernels.hpp"

namespace warpsynth::categories {
namespace math_detail {
using namespace detail;
using namespace detail::sk;

inline constexpr std::int64_t N = 64;

using MS0 = Bn<U<Bn<X, K>>, U<Bn<X, K>>>;                 // wp.sin(a[i] * 1.3) + wp.sqrt(b[i] + 0.5)
using MS1 = F2<U<X>, Bn<U<Bn<X, K>>, K>>;                 // wp.max(wp.tanh(a[i]), wp.exp(b[i] - 0.4) * 1.2)
using MS2 = U<Bn<U<U<Bn<X, K>>>, Bn<X, K>>>;              // wp.atan(wp.cos(wp.log(a[i] * 2.0)) - b[i] * 0.7)
using MS3 = Bn<F2<X, K>, U<Bn<P, Bn<X, K>>>>;             // wp.pow(a[i], 1.5) - wp.cbrt(alpha * (b[i] + 0.3))
using MS4 = Bn<Bn<U<X>, U<X>>, F2<Bn<X, K>, U<Bn<X, K>>>>;

template <class T, class S>
inline void expr(gen& g, instance& out, const names& nm, std::string_view kname) {
    constexpr std::size_t na = clamp_count(count_v<S, X>, 3), np = clamp_count(count_v<S, P>, 2);
    auto c = operands_1d<T>(g, out, nm, na, np, N);
    emit_1d<T, T, T, na, np>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto e = build<S>(c);
        return body_of(i = tid(), arg_ref<array<T>>(nm.out)[i] = e.e);
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = "out[i] = a composition of math builtins";
}

// t = E1; out[i] = wp.lerp(E2, t, wp.smoothstep(e0, e1, c[i])) or wp.clamp(...) compositions.
template <class T, class S1, class S2, bool Lerp>
inline void shaping(gen& g, instance& out, const names& nm, std::string_view kname) {
    constexpr std::size_t na = 3;
    auto c = operands_1d<T>(g, out, nm, na, 0, N);
    emit_1d<T, T, T, na, 0>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<T> t(nm.local(0));
        auto e1 = build<S1>(c);
        auto e2 = build<S2>(c);
        auto x = build<X>(c);
        double e0 = x.r.lo + (x.r.hi - x.r.lo) * g.val(1, 4, 10.0);  // edges inside the input range, e0 < e1
        double e1v = e0 + (x.r.hi - e0) * g.val(3, 9, 10.0);
        e0 = std::round(e0 * 100) / 100;
        e1v = std::round(e1v * 100) / 100;
        if (e1v <= e0) e1v = e0 + 0.1;
        if constexpr (Lerp) {
            auto w = wp::smoothstep(typed_lit<T>(e0), typed_lit<T>(e1v), x.e);
            return body_of(i = tid(), t = e1.e, arg_ref<array<T>>(nm.out)[i] = wp::lerp(e2.e, t, w));
        } else {
            double lo = std::round((e1.r.lo + (e1.r.hi - e1.r.lo) * 0.25) * 100) / 100;
            double hi = std::round((e1.r.lo + (e1.r.hi - e1.r.lo) * 0.75) * 100) / 100;
            if (hi <= lo) hi = lo + 0.5;
            auto cl = wp::clamp(t, typed_lit<T>(lo), typed_lit<T>(hi));
            auto st = wp::smoothstep(typed_lit<T>(e0), typed_lit<T>(e1v), x.e);
            iv r;
            op o = choose_op<T>(g, float_ops, {lo, hi}, {0, 1}, r);
            return body_of(i = tid(), t = e1.e,
                        arg_ref<array<T>>(nm.out)[i] = binary<scalar_family, decltype(cl), decltype(st)>(o, cl, st) *
                                                          e2.e);
        }
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = Lerp ? "lerp between two math expressions by a smoothstep weight"
                           : "clamp of a math expression combined with a smoothstep";
}

// Loads, then steps `t_k = f(t_x) <op> t_y` and `t_k = g(t_x, t_y)` over earlier locals; the last is stored.
template <class T>
inline void sequence(gen& g, instance& out, const names& nm, std::string_view kname) {
    constexpr std::size_t na = 2;
    auto c = operands_1d<T>(g, out, nm, na, 0, N);
    int n1 = static_cast<int>(g.between(2, 6)), n2 = static_cast<int>(g.between(1, 3));
    emit_1d<T, T, T, na, 0>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        std::vector<iv> ranges;
        using L = local<T>;
        using load_t = assign_stmt<L, ex<T>>;
        using un_t = load_t;
        using bi_t = load_t;
        auto load = [&](int k) {
            auto& a = c.arrays[static_cast<std::size_t>(k)];
            auto e = arith<T>(g, elem<T>(a.name, nm.index, a.r), const_of<T>(c.id_lit()), float_ops);
            ranges.push_back(e.r);
            return load_t(L(nm.local(k)), e.e);
        };
        stmt_run<load_t, 2> loads{{load(0), load(1)}};
        auto operand = [&](int& x) {
            int n = static_cast<int>(ranges.size());
            x = n - 1 - static_cast<int>(g.pick(static_cast<std::size_t>(std::min(n, 2))));
        };
        std::vector<un_t> us;
        for (int s = 0; s < n1; ++s) {
            int x, y = static_cast<int>(g.pick(ranges.size()));
            operand(x);
            auto fx = math1<T>(g, mk(L(nm.local(x)), ranges[static_cast<std::size_t>(x)]), 10);
            auto e = arith<T>(g, fx, mk(L(nm.local(y)), ranges[static_cast<std::size_t>(y)]), float_ops);
            ranges.push_back(e.r);
            us.push_back(un_t(L(nm.local(static_cast<int>(ranges.size()) - 1)), e.e));
        }
        std::vector<bi_t> bs;
        for (int s = 0; s < n2; ++s) {
            int x, y = static_cast<int>(g.pick(ranges.size()));
            operand(x);
            auto e = math2<T>(g, mk(L(nm.local(x)), ranges[static_cast<std::size_t>(x)]),
                              mk(L(nm.local(y)), ranges[static_cast<std::size_t>(y)]));
            ranges.push_back(e.r);
            bs.push_back(bi_t(L(nm.local(static_cast<int>(ranges.size()) - 1)), e.e));
        }
        L last(nm.local(static_cast<int>(ranges.size()) - 1));
        return body_of(i = tid(), loads, vec_run<un_t>{std::move(us)}, vec_run<bi_t>{std::move(bs)},
                    arg_ref<array<T>>(nm.out)[i] = last);
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = "a sequence of locals through math builtins";
}

using shape_fn = void (*)(gen&, instance&, const names&, std::string_view);
struct shape_entry {
    std::string_view name;
    shape_fn make;
};
template <class T, class S>
inline void expr_s(gen& g, instance& o, const names& n, std::string_view k) { expr<T, S>(g, o, n, k); }

inline constexpr shape_entry shapes[] = {
    {"expr0_f32", &expr_s<float_, MS0>},    {"expr2_f32", &expr_s<float_, MS2>},    {"expr4_f32", &expr_s<float_, MS4>},
    {"lerp_f32", &shaping<float_, U<Bn<X, K>>, Bn<X, K>, true>},
    {"clamp_f32", &shaping<float_, U<Bn<X, K>>, U<Bn<X, K>>, false>},
    {"seq_f32", &sequence<float_>},
    {"expr3_f64", &expr_s<float64, MS3>},
    {"seq_f64", &sequence<float64>},
    {"seq_f16", &sequence<float16>},
};

}  // namespace math_detail

inline void make_math(std::uint64_t seed, std::uint64_t index, instance& out) {
    using namespace math_detail;
    out.reset();
    gen g(seed, index, 0x3a7u);
    auto& s = shapes[g.digit(std::size(shapes))];
    names nm(g);
    out.shape.assign("math/").append(s.name);
    s.make(g, out, nm, kernel_name(g, "math", s.name));
    out.launch_dim = N;
    finish(g, out);
}

}  // namespace warpsynth::categories
