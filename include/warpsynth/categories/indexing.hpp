// warpsynth/categories/indexing.hpp — multi-dimensional launches and arrays, strided/offset/gathered indices.
//
// Shapes (compile-time): 2-D elementwise (`wp.array2d` and the `wp.array(dtype=..., ndim=2)` spelling), transposed
// reads/writes, a 5-point stencil with a halo, flatten/unflatten between 1-D and 2-D, 3-D volumes (elementwise with
// a permuted read, and a reduction over the last axis from a 2-D launch), row sums and a naive matmul over a
// parameter extent, strided 1-D reads (`a[s * i + o]`), modular offsets (`a[(i + k) % n]`), reversal
// (`a[n - 1 - i]`), gathers through an index array, vec3 grids, and int grids built from the indices.
// Runtime leaves: extents (R, C, D), strides/offsets, operators and literals, names.
//
// Safety: every index is in bounds for the documented array shapes (`input_spec::dims`, and `launch_shape` for the
// launch): halos are allocated (R+2 x C+2), strided arrays have length s * launch + o, modular indices use the
// documented length, gathers read an int array whose documented values lie in [0, n - 1].
#pragma once

#include <string>

#include "warpsynth/categories/kernels.hpp"

namespace warpsynth::categories {
namespace idx_detail {
using namespace detail;

inline constexpr std::int64_t N = 64;

struct grid {
    std::int64_t R, C;
};
inline grid pick_grid(gen& g) { return {g.between(4, 16), g.between(4, 16)}; }
inline void launch2(instance& out, grid gr) {
    out.launch_shape = {gr.R, gr.C};
    out.launch_dim = std::max(gr.R, gr.C);
}
inline void arr2(instance& out, std::string_view name, iv r, std::int64_t R, std::int64_t C) {
    out.inputs.push_back({std::string(name), r.lo, r.hi, std::max(R, C), {R, C}});
}
inline double klit(gen& g) { return g.id_val(260, 2000, 1000.0); }
template <class A, class B>
auto addsub(gen& g, const A& a, const B& b) {
    return binary<additive_ops, A, B>(g.coin() ? op::sub : op::add, a, b);
}
template <class A, class B>
auto mixop(gen& g, const A& a, const B& b) {  // + - * between bounded operands
    static constexpr std::array<op, 3> ops = {op::add, op::sub, op::mul};
    return binary<scalar_family, A, B>(g.pick(ops), a, b);
}

// i, j = wp.tid(); out[i, j] = a[i, j] * k1 OP b[i, j] * k2    (Nd: spell arrays as wp.array(ndim=2))
template <bool Nd>
inline void grid_elementwise(gen& g, instance& out, const names& nm, std::string_view kname) {
    grid gr = pick_grid(g);
    const auto& ix = nm.index2();
    using A2 = std::conditional_t<Nd, array<float_, 2>, array2d<float_>>;
    auto k = kernel(kname, arg<A2>(nm.arrays[0]), arg<A2>(nm.arrays[1]), arg<A2>(nm.out))([&](auto a, auto b, auto o) {
        local<int_> i(ix[0]), j(ix[1]);
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k54_0 = klit(g), k54_1 = klit(g);
        return body_of(tie(i, j) = tid(), o(i, j) = mixop(g, a(i, j) * lit(k54_0), b(i, j) * lit(k54_1)));
    });
    k.lower(out.tree);
    arr2(out, nm.arrays[0], pick_profile(g), gr.R, gr.C);
    arr2(out, nm.arrays[1], pick_profile(g), gr.R, gr.C);
    arr2(out, nm.out, {0, 0}, gr.R, gr.C);
    launch2(out, gr);
    out.description = "2-D elementwise combination";
}

// i, j = wp.tid(); out[j, i] = a[i, j] * k1 ± b[j, i] * k2   (square grid)
inline void transpose(gen& g, instance& out, const names& nm, std::string_view kname) {
    std::int64_t R = g.between(4, 16);
    const auto& ix = nm.index2();
    auto k = kernel(kname, arg<array2d<float_>>(nm.arrays[0]), arg<array2d<float_>>(nm.arrays[1]),
                    arg<array2d<float_>>(nm.out))([&](auto a, auto b, auto o) {
        local<int_> i(ix[0]), j(ix[1]);
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k71_0 = klit(g), k71_1 = klit(g);
        return body_of(tie(i, j) = tid(), o(j, i) = addsub(g, a(i, j) * lit(k71_0), b(j, i) * lit(k71_1)));
    });
    k.lower(out.tree);
    arr2(out, nm.arrays[0], pick_profile(g), R, R);
    arr2(out, nm.arrays[1], pick_profile(g), R, R);
    arr2(out, nm.out, {0, 0}, R, R);
    launch2(out, {R, R});
    out.description = "transposed 2-D read and write";
}

// c = u[i+1, j+1]; out[i, j] = (u[i, j+1] + u[i+2, j+1] + u[i+1, j] + u[i+1, j+2]) * k1 - c * k2
inline void stencil(gen& g, instance& out, const names& nm, std::string_view kname) {
    grid gr = pick_grid(g);
    const auto& ix = nm.index2();
    auto k = kernel(kname, arg<array2d<float_>>(nm.arrays[0]), arg<array2d<float_>>(nm.out))([&](auto u, auto o) {
        local<int_> i(ix[0]), j(ix[1]);
        local<float_> c(nm.local(0));
        auto sum = paren(u(i, j + 1) + u(i + 2, j + 1) + u(i + 1, j) + u(i + 1, j + 2));
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k90_0 = klit(g), k90_1 = klit(g);
        return body_of(tie(i, j) = tid(), c = u(i + 1, j + 1),
                    o(i, j) = addsub(g, sum * lit(k90_0), c * lit(k90_1)));
    });
    k.lower(out.tree);
    arr2(out, nm.arrays[0], pick_profile(g), gr.R + 2, gr.C + 2);
    arr2(out, nm.out, {0, 0}, gr.R, gr.C);
    launch2(out, gr);
    out.description = "5-point stencil over a haloed 2-D array";
}

// out[i * w + j] = a[i, j] * k1 ± b[j] * k2   (w: the launch width, a parameter)
inline void flatten(gen& g, instance& out, const names& nm, std::string_view kname) {
    grid gr = pick_grid(g);
    const auto& ix = nm.index2();
    auto k = kernel(kname, arg<array2d<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]), arg<int_>(nm.params[0]),
                    arg<array<float_>>(nm.out))([&](auto a, auto b, auto w, auto o) {
        local<int_> i(ix[0]), j(ix[1]);
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k106_0 = klit(g), k106_1 = klit(g);
        return body_of(tie(i, j) = tid(), o[i * w + j] = addsub(g, a(i, j) * lit(k106_0), b[j] * lit(k106_1)));
    });
    k.lower(out.tree);
    arr2(out, nm.arrays[0], pick_profile(g), gr.R, gr.C);
    add_input(out, nm.arrays[1], pick_profile(g), gr.C);
    add_input(out, nm.params[0], {static_cast<double>(gr.C), static_cast<double>(gr.C)}, 0);
    add_input(out, nm.out, {0, 0}, gr.R * gr.C);
    launch2(out, gr);
    out.description = "flatten a 2-D array into 1-D (row-major)";
}

// i, j, k = wp.tid(); out[i, j, k] = a[i, j, k] * k1 ± b[k, j, i] * k2   (cube)
inline void volume(gen& g, instance& out, const names& nm, std::string_view kname) {
    std::int64_t D = g.between(2, 8);
    const auto& ix = nm.index3();
    auto k = kernel(kname, arg<array3d<float_>>(nm.arrays[0]), arg<array3d<float_>>(nm.arrays[1]),
                    arg<array3d<float_>>(nm.out))([&](auto a, auto b, auto o) {
        local<int_> i(ix[0]), j(ix[1]), kk(ix[2]);
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k125_0 = klit(g), k125_1 = klit(g);
        return body_of(tie(i, j, kk) = tid(),
                    o(i, j, kk) = addsub(g, a(i, j, kk) * lit(k125_0), b(kk, j, i) * lit(k125_1)));
    });
    k.lower(out.tree);
    for (auto name : {nm.arrays[0], nm.arrays[1]}) {
        iv r = pick_profile(g);
        out.inputs.push_back({std::string(name), r.lo, r.hi, D, {D, D, D}});
    }
    out.inputs.push_back({std::string(nm.out), 0, 0, D, {D, D, D}});
    out.launch_shape = {D, D, D};
    out.launch_dim = D;
    out.description = "3-D elementwise with a permuted read";
}

// i, j = wp.tid(); s = a[i, j, 0] * k1; for k in range(1, d): s += a[i, j, k] * k2; out[i, j] = s   (2-D launch, 3-D array)
inline void slice_sum(gen& g, instance& out, const names& nm, std::string_view kname) {
    grid gr = pick_grid(g);
    std::int64_t D = g.between(2, 6);
    const auto& ix = nm.index2();
    auto lv = g.pick(loop_names);
    auto k = kernel(kname, arg<array3d<float_>>(nm.arrays[0]), arg<int_>(nm.params[0]), arg<array2d<float_>>(nm.out))(
        [&](auto a, auto d, auto o) {
            local<int_> i(ix[0]), j(ix[1]), kk(lv[0]);
            local<float_> s(nm.local(0));
            // drawn before the call: argument evaluation order is unspecified in C++
            const double k158_0 = klit(g), k158_1 = klit(g);
            return body_of(tie(i, j) = tid(), s = a(i, j, 0) * lit(k158_0),
                        for_(kk, range(1, d))(s += a(i, j, kk) * lit(k158_1)), o(i, j) = s);
        });
    k.lower(out.tree);
    iv r = pick_profile(g);
    out.inputs.push_back({std::string(nm.arrays[0]), r.lo, r.hi, std::max({gr.R, gr.C, D}), {gr.R, gr.C, D}});
    add_input(out, nm.params[0], {static_cast<double>(D), static_cast<double>(D)}, 0);
    arr2(out, nm.out, {0, 0}, gr.R, gr.C);
    launch2(out, gr);
    out.description = "reduce a 3-D array over its last axis";
}

// i = wp.tid(); s = float(0.0); for c in range(ncols): s += a[i, c] * w[c]; out[i] = s * k
inline void row_sum(gen& g, instance& out, const names& nm, std::string_view kname) {
    std::int64_t C = g.between(2, 12);
    auto lv = g.pick(loop_names);
    auto k = kernel(kname, arg<array2d<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]), arg<int_>(nm.params[0]),
                    arg<array<float_>>(nm.out))([&](auto a, auto w, auto ncols, auto o) {
        local<int_> i(nm.index), c(lv[0]);
        local<float_> s(nm.local(0));
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k169_0 = klit(g), k169_1 = klit(g);
        return body_of(i = tid(), s = py::float_(lit(0.0)), for_(c, range(ncols))(s += a(i, c) * w[c]),
                    o[i] = s * lit(k169_0) + lit(k169_1));
    });
    k.lower(out.tree);
    arr2(out, nm.arrays[0], pick_profile(g), N, C);
    add_input(out, nm.arrays[1], pick_profile(g), C);
    add_input(out, nm.params[0], {static_cast<double>(C), static_cast<double>(C)}, 0);
    add_input(out, nm.out, {0, 0}, N);
    out.launch_dim = N;
    out.description = "weighted row sums of a 2-D array";
}

// i, j = wp.tid(); s = float(0.0); for k in range(n): s += a[i, k] * b[k, j]; c[i, j] = s * k1 ± c0[i, j] * k2
inline void matmul(gen& g, instance& out, const names& nm, std::string_view kname) {
    grid gr = pick_grid(g);
    std::int64_t K = g.between(2, 8);
    const auto& ix = nm.index2();
    auto lv = g.pick(loop_names);
    auto k = kernel(kname, arg<array2d<float_>>(nm.arrays[0]), arg<array2d<float_>>(nm.arrays[1]),
                    arg<int_>(nm.params[0]), arg<array2d<float_>>(nm.out))([&](auto a, auto b, auto n, auto c) {
        local<int_> i(ix[0]), j(ix[1]), kk(lv[0]);
        local<float_> s(nm.local(0));
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k191_0 = klit(g), k191_1 = klit(g);
        return body_of(tie(i, j) = tid(), s = py::float_(lit(0.0)), for_(kk, range(n))(s += a(i, kk) * b(kk, j)),
                    c(i, j) = s * lit(k191_0) + lit(k191_1));
    });
    k.lower(out.tree);
    arr2(out, nm.arrays[0], pick_profile(g), gr.R, K);
    arr2(out, nm.arrays[1], pick_profile(g), K, gr.C);
    add_input(out, nm.params[0], {static_cast<double>(K), static_cast<double>(K)}, 0);
    arr2(out, nm.out, {0, 0}, gr.R, gr.C);
    launch2(out, gr);
    out.description = "naive matrix multiply over 2-D arrays";
}

// out[i] = a[s * i + o] * k1 ± a[s * i] * k2   (length s * launch + o)
inline void strided(gen& g, instance& out, const names& nm, std::string_view kname) {
    long long s = g.between(2, 4), o = g.between(1, s);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.out))([&](auto a, auto res) {
        local<int_> i(nm.index);
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k207_0 = klit(g), k207_1 = klit(g);
        return body_of(i = tid(), res[i] = addsub(g, a[lit(s) * i + lit(o)] * lit(k207_0), a[lit(s) * i] * lit(k207_1)));
    });
    k.lower(out.tree);
    add_input(out, nm.arrays[0], pick_profile(g), s * N + o);
    add_input(out, nm.out, {0, 0}, N);
    out.launch_dim = N;
    out.description = "strided reads of a 1-D array";
}

// out[i] = a[(i + k) % n] * k1 OP b[(i + n - m) % n] * k2   (n: the documented length)
inline void modular(gen& g, instance& out, const names& nm, std::string_view kname) {
    long long off = g.between(1, N - 1), m = g.between(1, N - 1);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]), arg<int_>(nm.params[0]),
                    arg<array<float_>>(nm.out))([&](auto a, auto b, auto n, auto res) {
        local<int_> i(nm.index);
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k238_0 = klit(g), k238_1 = klit(g);
        return body_of(i = tid(), res[i] = mixop(g, a[(i + lit(off)) % n] * lit(k238_0),
                                              b[(i + n - lit(m)) % n] * lit(k238_1)));
    });
    k.lower(out.tree);
    add_input(out, nm.arrays[0], pick_profile(g), N);
    add_input(out, nm.arrays[1], pick_profile(g), N);
    add_input(out, nm.params[0], {static_cast<double>(N), static_cast<double>(N)}, 0);
    add_input(out, nm.out, {0, 0}, N);
    out.launch_dim = N;
    out.description = "cyclic offsets with modular indices";
}

// j = idx[i]; out[i] = a[j] * k1 OP b[idx[(i + 1) % n]] * k2   (idx values in [0, n - 1])
inline void gather(gen& g, instance& out, const names& nm, std::string_view kname) {
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]), arg<array<int_>>(nm.arrays[2]),
                    arg<int_>(nm.params[0]), arg<array<float_>>(nm.out))([&](auto a, auto b, auto idx, auto n, auto res) {
        local<int_> i(nm.index), j(nm.local(0));
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k240_0 = klit(g), k240_1 = klit(g);
        return body_of(i = tid(), j = idx[i],
                    res[i] = mixop(g, a[j] * lit(k240_0), b[idx[(i + 1) % n]] * lit(k240_1)));
    });
    k.lower(out.tree);
    add_input(out, nm.arrays[0], pick_profile(g), N);
    add_input(out, nm.arrays[1], pick_profile(g), N);
    add_input(out, nm.arrays[2], {0, static_cast<double>(N - 1)}, N);
    add_input(out, nm.params[0], {static_cast<double>(N), static_cast<double>(N)}, 0);
    add_input(out, nm.out, {0, 0}, N);
    out.launch_dim = N;
    out.description = "gather through an index array";
}

// i, j = wp.tid(); out[i, j] = wp.length_sq(v[i, j]) * k1 ± wp.dot(v[i, j], v[j, i]) * k2   (square vec3 grid)
inline void vec_grid(gen& g, instance& out, const names& nm, std::string_view kname) {
    std::int64_t R = g.between(4, 12);
    const auto& ix = nm.index2();
    auto k = kernel(kname, arg<array2d<vec3>>(nm.arrays[0]), arg<array2d<float_>>(nm.out))([&](auto v, auto o) {
        local<int_> i(ix[0]), j(ix[1]);
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k276_0 = klit(g), k276_1 = klit(g);
        return body_of(tie(i, j) = tid(), o(i, j) = addsub(g, wp::length_sq(v(i, j)) * lit(k276_0),
                                                          wp::dot(v(i, j), v(j, i)) * lit(k276_1)));
    });
    k.lower(out.tree);
    arr2(out, nm.arrays[0], pick_profile(g), R, R);
    arr2(out, nm.out, {0, 0}, R, R);
    launch2(out, {R, R});
    out.description = "vec3 grid reductions with a transposed partner";
}

using shape_fn = void (*)(gen&, instance&, const names&, std::string_view);
struct shape_entry {
    std::string_view name;
    shape_fn make;
};

inline constexpr shape_entry shapes[] = {
    {"grid2d", &grid_elementwise<false>}, {"grid_ndim2", &grid_elementwise<true>}, {"transpose", &transpose},
    {"stencil", &stencil},                {"flatten", &flatten},                   {"volume3d", &volume},                {"slice_sum3d", &slice_sum},             {"row_sum", &row_sum},
    {"matmul", &matmul},                  {"strided", &strided},                   {"modular", &modular},
    {"gather", &gather},                     {"vec_grid", &vec_grid},
    };

}  // namespace idx_detail

inline void make_indexing(std::uint64_t seed, std::uint64_t index, instance& out) {
    using namespace idx_detail;
    out.reset();
    gen g(seed, index, 0x1d3u);
    auto& s = shapes[g.digit(std::size(shapes))];
    names nm(g);
    out.shape.assign("indexing/").append(s.name);
    out.launch_dim = N;
    s.make(g, out, nm, kernel_name(g, "indexing", s.name));
    finish(g, out);
}

}  // namespace warpsynth::categories
