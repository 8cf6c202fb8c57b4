// warpsynth/categories/atomic.hpp — atomic reductions, histograms and scatters.
//
// Shapes (compile-time): a reduction into one slot (float32/float64/int32/int64), bucketed reductions
// (`i % nbins`), a histogram of a clamped, scaled value (int bins), per-thread slots whose returned previous value
// is used (deterministic: each thread owns its slot), 2-D accumulation grids, vec3 scatters, augmented array
// stores (`acc[b] += v`, which Warp lowers to atomics), conditional counters, and atomics inside an unrolled loop.
// Bit flags merged with wp.atomic_or/and/xor (or `|=`, `&=`, `^=` on an int array, which Warp lowers to them).
// Runtime leaves: which atomic of the family {atomic_add, atomic_sub, atomic_min, atomic_max} (add/sub for vectors),
// bucket counts, thresholds, the value expression's operators and literals, names.
//
// Safety: bucket indices are `% nbins` of non-negative ints or a clamp into [0, nbins) before int(); the target
// arrays are documented with exactly the lengths the indices reach; integer totals are bounded by
// launch size * max |value| (far below int32 overflow).
#pragma once

#include <string>

#include "warpsynth/categories/kernels.hpp"

namespace warpsynth::categories {
namespace atomic_detail {
using namespace detail;
using namespace detail::sk;

inline constexpr std::int64_t N = 64;

inline fn pick_atomic(gen& g, bool minmax = true) {
    static constexpr std::array<fn, 4> fs = {fn::atomic_add, fn::atomic_sub, fn::atomic_min, fn::atomic_max};
    return fs[g.pick(minmax ? 4u : 2u)];
}
template <class T>
iv total_range(fn f, iv v, std::int64_t count, iv init) {
    if (f == fn::atomic_min || f == fn::atomic_max) return hull(v, init);
    iv s = scale(v, static_cast<double>(count));
    return hull(init + s, init - s);
}

using VS0 = Bn<X, K>;
using VS1 = Bn<Bn<X, K>, Bn<X, K>>;

// wp.ATOMIC(total, 0, E)
// Integer values summed over the launch avoid `*`, so totals stay far from overflow.
template <class T>
ectx<T> value_operands(gen& g, instance& out, const names& nm) {
    auto c = operands_1d<T>(g, out, nm, 2, 0, N);
    if constexpr (!dt<T>::is_float) c.ops = o_add | o_sub | o_floordiv | o_mod;
    return c;
}

template <class T, class S>
inline void reduce(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = value_operands<T>(g, out, nm);
    auto k = kernel(kname, arg<array<T>>(nm.arrays[0]), arg<array<T>>(nm.arrays[1]), arg<array<T>>(nm.out))(
        [&](const auto&...) {
            local<int_> i(nm.index);
            auto e = build<S>(c);
            fn f = pick_atomic(g);
            g.check(total_range<T>(f, e.r, N, {0, 0}).mag() < dt<T>::cap);
            return body_of(i = tid(), fcall<rules::atomic_rule>(f, arg_ref<array<T>>(nm.out), lit(0), e.e));
        });
    k.lower(out.tree);
    add_input(out, nm.out, {0, 0}, 1);
    out.description = "an atomic reduction of an expression into one slot";
}

// b = i % nbins; wp.ATOMIC(bins, b, E)   (or bins[b] += E)
template <class T, class S, bool Aug>
inline void bucket(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = value_operands<T>(g, out, nm);
    std::int64_t nb = g.id_int(2, 30);
    auto k = kernel(kname, arg<array<T>>(nm.arrays[0]), arg<array<T>>(nm.arrays[1]), arg<array<T>>(nm.out))(
        [&](const auto&...) {
            local<int_> i(nm.index);
            local<int_> b(nm.local(0));
            auto e = build<S>(c);
            auto bins = arg_ref<array<T>>(nm.out);
            std::int64_t per = (N + nb - 1) / nb;
            if constexpr (Aug) {
                bool sub = g.coin();
                g.check(total_range<T>(fn::atomic_add, e.r, per, {0, 0}).mag() < dt<T>::cap);
                return body_of(i = tid(), b = i % lit(static_cast<long long>(nb)),
                            bins[b].template aug<scalar_family>(sub ? op::sub : op::add, e.e));
            } else {
                fn f = pick_atomic(g);
                g.check(total_range<T>(f, e.r, per, {0, 0}).mag() < dt<T>::cap);
                return body_of(i = tid(), b = i % lit(static_cast<long long>(nb)),
                            fcall<rules::atomic_rule>(f, bins, b, e.e));
            }
        });
    k.lower(out.tree);
    add_input(out, nm.out, {0, 0}, nb);
    out.description = Aug ? "bucketed accumulation through an augmented array store"
                          : "bucketed atomic reduction (i % nbins)";
}

// b = i % nbins; wp.atomic_or|and|xor(flags, b, ((m[i] + k) >> s) & mask)   (or flags[b] |= ..., &=, ^=)
// Bitwise atomics on int32 words: order-independent, so every launch order gives the same flags. The bin count,
// offset, shift and mask are identity leaves (the index -> instance map stays injective).
template <bool Aug>
inline void bitmask(gen& g, instance& out, const names& nm, std::string_view kname) {
    static constexpr std::array<fn, 3> fs = {fn::atomic_or, fn::atomic_and, fn::atomic_xor};
    fn f = fs[g.digit(3)];
    std::int64_t nb = g.id_int(2, 16);
    long long offset = g.id_int(1, 2000), shift = g.id_int(0, 4), mask = g.id_int(1, 2000);
    auto k = kernel(kname, arg<array<int_>>(nm.arrays[0]), arg<array<int_>>(nm.out))([&](auto m, auto flags) {
        local<int_> i(nm.index);
        local<int_> b(nm.local(0));
        auto bits = paren((m[i] + lit(offset)) >> lit(shift)) & lit(mask);
        if constexpr (Aug) {
            op o = f == fn::atomic_or ? op::bit_or : f == fn::atomic_and ? op::bit_and : op::bit_xor;
            return body_of(i = tid(), b = i % lit(static_cast<long long>(nb)),
                           flags[b].template aug<bitwise_ops>(o, bits));
        } else {
            return body_of(i = tid(), b = i % lit(static_cast<long long>(nb)),
                           fcall<rules::atomic_bitwise_rule>(f, flags, b, bits));
        }
    });
    k.lower(out.tree);
    add_input(out, nm.arrays[0], {0, 1000000}, N);
    add_input(out, nm.out, {0, 65535}, nb);
    out.description = Aug ? "bit flags merged through an augmented array store (&=, |=, ^=: atomics)"
                          : "bit flags merged with wp.atomic_or/and/xor";
}

// bin = int(wp.clamp(a[i] * k, 0.0, nb - 0.5)); wp.atomic_add(hist, bin, w)   (int or float weights)
template <bool Weighted>
inline void histogram(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = operands_1d<float_>(g, out, nm, 2, 0, N);
    std::int64_t nb = g.id_int(4, 60);
    using TH = std::conditional_t<Weighted, float_, int_>;
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]), arg<array<TH>>(nm.out))(
        [&](auto a, auto w, auto hist) {
            local<int_> i(nm.index);
            local<int_> bin(nm.local(0));
            iv r = c.arrays[0].r;
            // map the documented range onto [0, nb): (a - lo) * nb / (hi - lo), then clamp (which also guards rounding)
            double off = g.id_val(0, 75, 100.0);  // 0 .. 1.49 bins of offset (the clamp keeps it in range)
            double sc = std::floor(static_cast<double>(nb) / (r.hi - r.lo) * 100.0) / 100.0;
            double hi = static_cast<double>(nb) - 0.5;
            auto x = (a[i] - lit(r.lo)) * lit(sc) + lit(off);
            auto idx = py::int_(wp::clamp(x, lit(0.0), lit(hi)));
            if constexpr (Weighted) {
                return body_of(i = tid(), bin = idx, wp::atomic_add(hist, bin, w[i] * lit(c.id_lit())));
            } else {
                long long inc = g.id_int(1, 500);
                return body_of(i = tid(), bin = idx, wp::atomic_add(hist, bin, lit(inc)));
            }
        });
    k.lower(out.tree);
    add_input(out, nm.out, {0, 0}, nb);
    out.description = Weighted ? "a weighted histogram (float bins)" : "a histogram of a scaled, clamped value";
}

// old = wp.ATOMIC(acc, i, E1); out[i] = old * k + E2   (each thread owns slot i: deterministic)
template <class T, class S1, class S2>
inline void returned(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = operands_1d<T>(g, out, nm, 2, 0, N);
    std::string_view acc_name = nm.params[0];
    iv init = dt<T>::is_float ? iv{-1, 1} : iv{0, 50};
    auto k = kernel(kname, arg<array<T>>(nm.arrays[0]), arg<array<T>>(nm.arrays[1]), arg<array<T>>(acc_name),
                    arg<array<T>>(nm.out))([&](const auto&...) {
        local<int_> i(nm.index);
        local<T> old(nm.local(0));
        auto e1 = build<S1>(c);
        auto e2 = build<S2>(c);
        fn f = pick_atomic(g);
        auto e = arith<T>(g, mk(old, init), e2, o_add | o_sub | o_mul);
        return body_of(i = tid(), old = fcall<rules::atomic_rule>(f, arg_ref<array<T>>(acc_name), i, e1.e),
                    arg_ref<array<T>>(nm.out)[i] = e.e);
    });
    k.lower(out.tree);
    add_input(out, acc_name, init, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "per-thread atomics whose returned previous value is used";
}

// wp.ATOMIC(grid, i % R, (i // R) % C, E) on a 2-D array
template <class S>
inline void grid2d(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = operands_1d<float_>(g, out, nm, 2, 0, N);
    std::int64_t R = g.id_int(2, 8), C = g.id_int(2, 8);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]),
                    arg<array2d<float_>>(nm.out))([&](const auto&...) {
        local<int_> i(nm.index);
        local<int_> r(nm.local(0)), col(nm.local(1));
        auto e = build<S>(c);
        fn f = pick_atomic(g);
        return body_of(i = tid(), r = i % lit(static_cast<long long>(R)),
                    col = floordiv(i, lit(static_cast<long long>(R))) % lit(static_cast<long long>(C)),
                    fcall<rules::atomic_rule>(f, arg_ref<array2d<float_>>(nm.out), r, col, e.e));
    });
    k.lower(out.tree);
    out.inputs.push_back({std::string(nm.out), 0.0, 0.0, std::max(R, C), {R, C}});
    out.description = "atomic accumulation into a 2-D grid";
}

// wp.atomic_add|sub(forces, i % nb, v[i] * k1 ± u[i] * k2)   (vec3 elements)
inline void vec_scatter(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv ra = pick_profile(g), rb = pick_profile(g);
    add_input(out, nm.arrays[0], ra, N);
    add_input(out, nm.arrays[1], rb, N);
    std::int64_t nb = g.id_int(2, 30);
    auto k = kernel(kname, arg<array<vec3>>(nm.arrays[0]), arg<array<vec3>>(nm.arrays[1]), arg<array<vec3>>(nm.out))(
        [&](auto v, auto u, auto f) {
            local<int_> i(nm.index);
            double k1 = g.id_val(260, 2000, 1000.0), k2 = g.id_val(260, 2000, 1000.0);
            bool sub = g.coin();
            auto e = binary<additive_ops, decltype(v[i] * lit(k1)), decltype(u[i] * lit(k2))>(
                sub ? op::sub : op::add, v[i] * lit(k1), u[i] * lit(k2));
            return body_of(i = tid(), fcall<rules::atomic_rule>(pick_atomic(g, false), f,
                                                             i % lit(static_cast<long long>(nb)), e));
        });
    k.lower(out.tree);
    add_input(out, nm.out, {0, 0}, nb);
    out.description = "scatter-add of vec3 values into buckets";
}

// if a[i] <cmp> t: wp.atomic_add(counts, 0, w1) else: wp.atomic_add(counts, 1, w2); total += a[i] * k  (int counts)
inline void conditional(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv ra = pick_profile(g);
    add_input(out, nm.arrays[0], ra, N);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<int_>>(nm.out), arg<array<float_>>(nm.params[0]))(
        [&](auto a, auto counts, auto total) {
            local<int_> i(nm.index);
            local<float_> x(nm.local(0));
            long long w1 = g.id_int(1, 50), w2 = g.id_int(1, 50);
            double t = std::round((ra.lo + (ra.hi - ra.lo) * g.val(2, 8, 10.0)) * 100.0) / 100.0;
            static constexpr std::array<op, 4> ops = {op::lt, op::le, op::gt, op::ge};
            // drawn before the call: argument evaluation order is unspecified in C++
            const op cmp_op = g.pick(ops);
            const fn fa = pick_atomic(g);
            const double k3 = g.id_val(260, 2000, 1000.0);
            return body_of(i = tid(), x = a[i],
                        if_(make_comparison(cmp_op, x, lit(t)))(wp::atomic_add(counts, lit(0), lit(w1)))
                            .else_(wp::atomic_sub(counts, lit(1), lit(w2))),
                        fcall<rules::atomic_rule>(fa, total, lit(0), x * lit(k3)));
        });
    k.lower(out.tree);
    add_input(out, nm.out, {0, 0}, 2);
    add_input(out, nm.params[0], {0, 0}, 1);
    out.description = "conditional atomic counters plus a float reduction";
}

// for k in range(m): wp.ATOMIC(bins, (i + k) % nb, a[i] * k1 ± b[i])   (unrolled)
inline void loop_scatter(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto c = operands_1d<float_>(g, out, nm, 2, 0, N);
    std::int64_t nb = g.id_int(2, 30);
    int m = static_cast<int>(g.between(2, 5));
    auto lv = g.pick(loop_names);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]), arg<array<float_>>(nm.out))(
        [&](auto a, auto b, auto bins) {
            local<int_> i(nm.index);
            local<int_> kk(lv[0]);
            // drawn before the call: argument evaluation order is unspecified in C++
            const double ka = c.id_lit(), kb = c.id_lit();
            auto e = arith<float_>(g, mk(a[i] * lit(ka), c.arrays[0].r * iv{0.26, 6.0}), mk(b[i] * lit(kb), c.arrays[1].r * iv{0.26, 6.0}),
                                   o_add | o_sub | o_mul);
            return body_of(i = tid(), for_(kk, range(m))(fcall<rules::atomic_rule>(
                                       pick_atomic(g), bins, (i + kk) % lit(static_cast<long long>(nb)), e.e)));
        });
    k.lower(out.tree);
    add_input(out, nm.out, {0, 0}, nb);
    out.description = "atomics inside an unrolled loop over neighbouring buckets";
}

using shape_fn = void (*)(gen&, instance&, const names&, std::string_view);
struct shape_entry {
    std::string_view name;
    shape_fn make;
};

inline constexpr shape_entry shapes[] = {
    {"reduce_f32", &reduce<float_, VS1>},       {"reduce_f64", &reduce<float64, VS1>},
    {"reduce_i32", &reduce<int_, VS1>},         {"bucket_f32", &bucket<float_, VS1, false>}, {"bucket_i32", &bucket<int_, VS1, false>},
    {"bucket_aug_f32", &bucket<float_, VS1, true>}, {"histogram", &histogram<false>},           {"histogram_weighted", &histogram<true>},
    {"returned_f32", &returned<float_, VS0, VS0>}, {"grid2d", &grid2d<VS1>},                   {"vec_scatter", &vec_scatter},
    {"conditional", &conditional},              {"loop_scatter", &loop_scatter},
    {"bitmask", &bitmask<false>},               {"bitmask_aug", &bitmask<true>},
};

}  // namespace atomic_detail

inline void make_atomic(std::uint64_t seed, std::uint64_t index, instance& out) {
    using namespace atomic_detail;
    out.reset();
    gen g(seed, index, 0xa70u);
    auto& s = shapes[g.digit(std::size(shapes))];
    names nm(g);
    out.shape.assign("atomic/").append(s.name);
    s.make(g, out, nm, kernel_name(g, "atomic", s.name));
    out.launch_dim = N;
    finish(g, out);
}

}  // namespace warpsynth::categories
