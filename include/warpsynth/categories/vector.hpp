// warpsynth/categories/vector.hpp — vec2/vec3/vec4 (float32) and vec3d (float64) arithmetic and geometry.
//
// Shapes (compile-time, per vector type): elementwise mixes (`(a ± b)` through wp.cw_mul/cw_div, wp.min/max,
// scaled), dot/length reductions to a scalar, cross-product chains (vec3), normalize-and-project, component access
// and reconstruction (`v.x`, `v[2]`, `wp.vec3(...)`), components updated in place (`v[j] = x`, `v.y += k`,
// `v[k] -= c[i][k] * k3` in an unrolled loop, `v[i % d] *= k4`), components of output array elements stored
// (`out[i][j] = x`, `out[i].y = c[i].x + k`), lerp by a clamped weight, an unrolled vector accumulation from
// a zero vector, and vectors assembled from scalar arrays. Runtime leaves: + or -, which member of the
// {cw_mul, cw_div}, {min, max}, {normalize, abs}, {length, length_sq} families (cw_div only for divisors whose range
// excludes 0; normalize/length only for vectors whose components' range excludes 0, so the length is bounded
// below), literals and names. Every component's range is tracked (one interval for all components).
#pragma once

#include <string>

#include "warpsynth/categories/kernels.hpp"

namespace warpsynth::categories {
namespace vec_detail {
using namespace detail;

inline constexpr std::int64_t N = 64;

// float vector -> same vector (normalize, abs)
struct vec_unary_rule {
    template <wtype A>
    static constexpr wtype result() {
        static_assert(A.kind == type_kind::vector && warpsynth::is_float(A.scalar), "float vector expected");
        return A;
    }
};
// same float vectors -> same (min, max, cw_mul, cw_div)
struct vec_binary_rule {
    template <wtype A, wtype B>
    static constexpr wtype result() {
        static_assert(A.kind == type_kind::vector && A == B, "two vectors of one type expected");
        return A;
    }
};

template <class V>
using scalar_of = std::conditional_t<V::value.scalar == scalar_kind::float64, float64, float_>;
template <class V>
inline constexpr int dim = V::value.rows;

inline constexpr std::array<iv, 5> nonzero_profiles = {{{0.5, 2.0}, {1.0, 4.0}, {-3.0, -0.5}, {0.25, 3.0}, {0.1, 1.0}}};

template <class V>
auto velem(std::string_view arr, std::string_view idx, iv r) {
    return mk(arg_ref<array<V>>(arr)[local<int_>(idx)], r);
}

template <class A, class B>
auto vadd(gen& g, const sv<A>& a, const sv<B>& b) {
    bool sub = g.coin();
    return mk(binary<additive_ops, A, B>(sub ? op::sub : op::add, a.e, b.e), sub ? a.r - b.r : a.r + b.r);
}
template <class A, class B>
auto vcw(gen& g, const sv<A>& a, const sv<B>& b) {
    bool div = b.r.min_abs() >= 0.25 && g.coin();
    return mk(fcall<vec_binary_rule>(div ? fn::cw_div : fn::cw_mul, a.e, b.e), div ? a.r / b.r : a.r * b.r);
}
template <class A, class B>
auto vminmax(gen& g, const sv<A>& a, const sv<B>& b) {
    bool mx = g.coin();
    return mk(fcall<vec_binary_rule>(mx ? fn::max : fn::min, a.e, b.e), mx ? max_iv(a.r, b.r) : min_iv(a.r, b.r));
}
template <class V, class A>
auto vunary(gen& g, const sv<A>& a) {
    bool norm = a.r.min_abs() >= 0.1 && g.chance(70);
    return mk(fcall<vec_unary_rule>(norm ? fn::normalize : fn::abs, a.e), norm ? iv{-1, 1} : abs_iv(a.r));
}
// length (when bounded away from 0) or length_sq
template <class V, class A>
auto vlen(gen& g, const sv<A>& a) {
    double d = dim<V>;
    bool len = a.r.min_abs() >= 0.1 && g.chance(60);
    iv m = abs_iv(a.r);
    return mk(fcall<rules::length_rule>(len ? fn::length : fn::length_sq, a.e),
              len ? iv{std::sqrt(d) * m.lo, std::sqrt(d) * m.hi} : iv{d * m.lo * m.lo, d * m.hi * m.hi});
}
template <class V>
iv dot_iv(iv a, iv b) {
    return scale(a * b, dim<V>);
}

template <class V>
struct vctx {
    gen& g;
    const names& nm;
    instance& out;
    operand_list arrays;
    // Register input array k with a general or a nonzero profile.
    const operand& input(std::size_t k, bool nonzero) {
        iv r = nonzero ? g.pick(nonzero_profiles) : pick_profile(g);
        arrays.push_back({nm.arrays[k], r});
        add_input(out, nm.arrays[k], r, N);
        return arrays.back();
    }
    auto el(std::size_t k) { return velem<V>(arrays[k].name, nm.index, arrays[k].r); }
    double k_lit() { return g.id_val(260, 2000, 1000.0); }
    auto s_lit(double v) { return const_of<scalar_of<V>>(v); }
};

template <class V, class F>
void emit3(instance& out, std::string_view kname, const names& nm, F&& fn) {
    auto k = kernel(kname, arg<array<V>>(nm.arrays[0]), arg<array<V>>(nm.arrays[1]), arg<array<V>>(nm.arrays[2]),
                    arg<array<V>>(nm.out))([&](const auto&...) { return fn(); });
    k.lower(out.tree);
}

// out[i] = CW(a[i] ± b[i], c[i]) * k1 ± MM(a[i], b[i] * k2)
template <class V>
inline void mix(gen& g, instance& out, const names& nm, std::string_view kname) {
    vctx<V> c{g, nm, out, {}};
    c.input(0, false), c.input(1, false), c.input(2, g.coin());
    emit3<V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto s = vadd(g, c.el(0), c.el(1));
        auto w = vcw(g, s, c.el(2));
        auto k1 = c.s_lit(c.k_lit());
        auto k2 = c.s_lit(c.k_lit());
        auto l = mk(w.e * k1.e, w.r * k1.r);
        auto m = vminmax(g, c.el(0), mk(c.el(1).e * k2.e, c.el(1).r * k2.r));
        auto e = vadd(g, l, m);
        return body_of(i = tid(), arg_ref<array<V>>(nm.out)[i] = e.e);
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = "elementwise vector mix (cw_mul/cw_div, min/max, scaling)";
}

// out[i] = wp.dot(a[i], b[i]) * k1 + LEN(a[i] ± c[i] * k2)   (scalar output)
template <class V>
inline void reduce(gen& g, instance& out, const names& nm, std::string_view kname) {
    using S = scalar_of<V>;
    vctx<V> c{g, nm, out, {}};
    c.input(0, true), c.input(1, false), c.input(2, false);
    auto k = kernel(kname, arg<array<V>>(nm.arrays[0]), arg<array<V>>(nm.arrays[1]), arg<array<V>>(nm.arrays[2]),
                    arg<array<S>>(nm.out))([&](const auto&...) {
        local<int_> i(nm.index);
        auto k1 = c.s_lit(c.k_lit());
        auto k2 = c.s_lit(c.k_lit());
        auto d = mk(wp::dot(c.el(0).e, c.el(1).e), dot_iv<V>(c.arrays[0].r, c.arrays[1].r));
        // keep a ± c*k2 away from 0 by letting a dominate: only when the range allows, else length_sq
        auto v = vadd(g, c.el(0), mk(c.el(2).e * k2.e, c.el(2).r * k2.r));
        auto len = vlen<V>(g, v);
        auto e = arith<S>(g, mk(d.e * k1.e, d.r * k1.r), len, o_add | o_sub);
        return body_of(i = tid(), arg_ref<array<S>>(nm.out)[i] = e.e);
    });
    k.lower(out.tree);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "dot products and lengths reduced to a scalar";
}

// n = wp.cross(a[i], b[i]); out[i] = n * k1 ± wp.cross(n, c[i]) * k2   (vec3 types)
template <class V>
inline void cross_chain(gen& g, instance& out, const names& nm, std::string_view kname) {
    vctx<V> c{g, nm, out, {}};
    c.input(0, false), c.input(1, false), c.input(2, false);
    emit3<V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<V> n(nm.local(0));
        auto k1 = c.s_lit(c.k_lit());
        auto k2 = c.s_lit(c.k_lit());
        iv nr = scale(c.arrays[0].r * c.arrays[1].r, 2.0);
        auto e = vadd(g, mk(n * k1.e, nr * k1.r), mk(wp::cross(n, c.el(2).e) * k2.e, scale(nr * c.arrays[2].r, 2.0) * k2.r));
        return body_of(i = tid(), n = wp::cross(c.el(0).e, c.el(1).e), arg_ref<array<V>>(nm.out)[i] = e.e);
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = "cross products chained through a local";
}

// d = VU(b[i] * k1); out[i] = a[i] - d * (wp.dot(a[i], d) * k2) — projection onto a normalized (or abs) direction
template <class V>
inline void project(gen& g, instance& out, const names& nm, std::string_view kname) {
    using S = scalar_of<V>;
    vctx<V> c{g, nm, out, {}};
    c.input(0, false), c.input(1, true), c.input(2, false);
    emit3<V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<V> d(nm.local(0));
        auto k1 = c.s_lit(c.k_lit());
        auto k2 = c.s_lit(c.k_lit());
        auto du = vunary<V>(g, mk(c.el(1).e * k1.e, c.el(1).r * k1.r));
        auto proj = mk(wp::dot(c.el(0).e, d) * k2.e, dot_iv<V>(c.arrays[0].r, du.r) * k2.r);
        auto e = vadd(g, c.el(0), mk(d * paren(proj.e), du.r * proj.r));
        auto full = vadd(g, e, c.el(2));
        (void)sizeof(S);
        return body_of(i = tid(), d = du.e, arg_ref<array<V>>(nm.out)[i] = full.e);
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = "project a vector against a normalized direction";
}

// v = a[i]; out[i] = wp.vec3(v.x * k1 ± v.y, v[2] - k2, v.z * b[i].x)  (vec3 of float32)
template <class V>
inline void components(gen& g, instance& out, const names& nm, std::string_view kname) {
    using S = scalar_of<V>;
    vctx<V> c{g, nm, out, {}};
    c.input(0, false), c.input(1, false), c.input(2, false);
    emit3<V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<V> v(nm.local(0));
        iv r = c.arrays[0].r;
        auto k1 = c.s_lit(c.k_lit());
        auto k2 = c.s_lit(c.k_lit());
        auto x = arith<S>(g, mk(v.x() * k1.e, r * k1.r), mk(v.y(), r), o_add | o_sub | o_mul);
        auto y = arith<S>(g, mk(v[lit(2)], r), k2, float_ops);
        auto z = arith<S>(g, mk(v.z(), r), mk(c.el(1).e.x(), c.arrays[1].r), o_add | o_sub | o_mul);
        auto ctor = [&] {
            if constexpr (V::value.scalar == scalar_kind::float64) return wp::vec3d(x.e, y.e, z.e);
            else return g.coin() ? wp::vec3(x.e, y.e, z.e) : wp::vec3f(x.e, y.e, z.e);
        }();
        auto e = vadd(g, mk(ctor, hull(hull(x.r, y.r), z.r)), c.el(2));
        return body_of(i = tid(), v = c.el(0).e, arg_ref<array<V>>(nm.out)[i] = e.e);
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = "vector components (attribute and index) recombined by a constructor";
}

// t = wp.clamp(w[i], 0.0, 1.0); out[i] = wp.lerp(a[i], b[i], t) * k1 ± c[i] * k2
template <class V>
inline void lerp_mix(gen& g, instance& out, const names& nm, std::string_view kname) {
    using S = scalar_of<V>;
    vctx<V> c{g, nm, out, {}};
    c.input(0, false), c.input(1, false), c.input(2, false);
    iv wr = pick_profile(g);
    std::string_view wname = nm.params[0];
    auto k = kernel(kname, arg<array<V>>(nm.arrays[0]), arg<array<V>>(nm.arrays[1]), arg<array<V>>(nm.arrays[2]),
                    arg<array<S>>(wname), arg<array<V>>(nm.out))([&](const auto&...) {
        local<int_> i(nm.index);
        local<S> t(nm.local(0));
        auto k1 = c.s_lit(c.k_lit());
        auto k2 = c.s_lit(c.k_lit());
        auto l = mk(wp::lerp(c.el(0).e, c.el(1).e, t) * k1.e, hull(c.arrays[0].r, c.arrays[1].r) * k1.r);
        auto e = vadd(g, l, mk(c.el(2).e * k2.e, c.arrays[2].r * k2.r));
        auto w = arg_ref<array<S>>(wname)[i];
        return body_of(i = tid(), t = wp::clamp(w, typed_lit<S>(0.0), typed_lit<S>(1.0)),
                    arg_ref<array<V>>(nm.out)[i] = e.e);
    });
    k.lower(out.tree);
    add_input(out, wname, wr, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "lerp between vectors by a clamped weight";
}

// acc = wp.vec3(); for k in range(m): acc = acc ± a[i + k] * k1; out[i] = acc * k2 + b[i]   (unrolled)
template <class V>
inline void accumulate(gen& g, instance& out, const names& nm, std::string_view kname) {
    vctx<V> c{g, nm, out, {}};
    int m = static_cast<int>(g.between(2, 6));
    iv ra = pick_profile(g), rb = pick_profile(g);
    auto lv = g.pick(loop_names);
    auto k = kernel(kname, arg<array<V>>(nm.arrays[0]), arg<array<V>>(nm.arrays[1]), arg<array<V>>(nm.out))(
        [&](auto a, auto b, auto o) {
            local<int_> i(nm.index);
            local<int_> kk(lv[0]);
            local<V> acc(nm.local(0));
            auto k1 = c.s_lit(c.k_lit());
            auto k2 = c.s_lit(c.k_lit());
            bool f = g.coin();  // wp.vec3() or its alias wp.vec3f(): one type, two spellings
            auto zero = [&] {
                if constexpr (V::value == vec2::value) return f ? wp::vec2() : wp::vec2f();
                else if constexpr (V::value == vec4::value) return f ? wp::vec4() : wp::vec4f();
                else if constexpr (V::value == vec3d::value) return wp::vec3d();
                else return f ? wp::vec3() : wp::vec3f();
            }();
            bool sub = g.coin();
            auto step = binary<additive_ops, local<V>, decltype(a[i + kk] * k1.e)>(sub ? op::sub : op::add, acc,
                                                                                   a[i + kk] * k1.e);
            return body_of(i = tid(), acc = zero, for_(kk, range(m))(acc = step), o[i] = acc * k2.e + b[i]);
        });
    k.lower(out.tree);
    add_input(out, nm.arrays[0], ra, N + m);
    add_input(out, nm.arrays[1], rb, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "an unrolled vector accumulation from a zero vector";
}

// v = a[i]; v[j0] = b[i][j1] * k1; v.C ±= k2; for k in range(d): v[k] ±= c[i][k] * k3; j = i % d; v[j] *= k4;
// out[i] = v — components updated in place (Warp's assign_inplace, add/sub_inplace, extract + mul + assign)
template <class V>
inline void update(gen& g, instance& out, const names& nm, std::string_view kname) {
    using S = scalar_of<V>;
    vctx<V> c{g, nm, out, {}};
    c.input(0, false), c.input(1, false), c.input(2, false);
    auto lv = g.pick(loop_names);
    emit3<V>(out, kname, nm, [&] {
        local<int_> i(nm.index), kk(lv[0]);
        local<V> v(nm.local(0));
        local<int_> j(nm.local(1));
        constexpr int d = dim<V>;
        auto ix = [&] { return lit(static_cast<int>(g.pick(static_cast<std::size_t>(d)))); };
        // drawn before use: argument/operand evaluation order is unspecified in C++
        const auto j0 = ix(), j1 = ix();
        const char comp = "xyzw"[g.pick(static_cast<std::size_t>(d))];
        const double k1 = c.k_lit(), k2 = c.k_lit(), k3 = c.k_lit(), k4 = c.k_lit();
        const bool sub2 = g.coin(), sub3 = g.coin();
        auto a = attribute<local<V>, S::value>(v, comp);
        auto set = v[j0] = c.el(1).e[j1] * c.s_lit(k1).e;
        auto shift = sub2 ? (a -= c.s_lit(k2).e) : (a += c.s_lit(k2).e);
        auto term = c.el(2).e[kk] * c.s_lit(k3).e;
        auto acc = sub3 ? (v[kk] -= term) : (v[kk] += term);
        return body_of(i = tid(), v = c.el(0).e, set, shift, for_(kk, range(d))(acc), j = i % lit(d),
                       v[j] *= c.s_lit(k4).e, arg_ref<array<V>>(nm.out)[i] = v);
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = "vector components updated in place (assignment, augmented assignment, dynamic index)";
}

// out[i] = a[i] * k4; out[i][j0] = b[i][j1] * k1; out[i].c = c[i].c' ± k2; out[i][i % d] = b[i][j2] * k3 —
// components of an array element stored (Warp's slot store, `wp::index(out, i).c[1] = v;`, whose adjoint takes the
// slot's gradient); later stores may overwrite earlier ones
template <class V>
inline void slot(gen& g, instance& out, const names& nm, std::string_view kname) {
    using S = scalar_of<V>;
    vctx<V> c{g, nm, out, {}};
    c.input(0, false), c.input(1, false), c.input(2, false);
    emit3<V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<int_> j(nm.local(0));
        constexpr int d = dim<V>;
        auto ix = [&] { return lit(static_cast<int>(g.pick(static_cast<std::size_t>(d)))); };
        // drawn before use: argument/operand evaluation order is unspecified in C++
        const auto j0 = ix(), j1 = ix(), j2 = ix();
        const char comp = "xyzw"[g.pick(static_cast<std::size_t>(d))], comp2 = "xyzw"[g.pick(static_cast<std::size_t>(d))];
        const double k1 = c.k_lit(), k2 = c.k_lit(), k3 = c.k_lit(), k4 = c.k_lit();
        const op shift = g.coin() ? op::sub : op::add;
        auto o = arg_ref<array<V>>(nm.out)[i];
        auto src = attribute<ex<V>, S::value>(c.el(2).e, comp2);
        auto shifted = binary<scalar_family, decltype(src), decltype(c.s_lit(k2).e)>(shift, src, c.s_lit(k2).e);
        return body_of(i = tid(), o = c.el(0).e * c.s_lit(k4).e, o[j0] = c.el(1).e[j1] * c.s_lit(k1).e,
                       attribute<decltype(o), S::value>(o, comp) = shifted, j = i % lit(d),
                       o[j] = c.el(1).e[j2] * c.s_lit(k3).e);
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = "components of an output array element stored in place (constant, attribute, dynamic index)";
}

// out[i] = wp.vec3(x[i] * k1, y[i] ± z[i], k2) — a vector assembled from scalar arrays, then VU'd and scaled
inline void assemble(gen& g, instance& out, const names& nm, std::string_view kname) {
    ectx<float_> c{g, {}, {}, nm.index};
    for (std::size_t k = 0; k < 3; ++k) {
        iv r = k == 0 ? g.pick(nonzero_profiles) : pick_profile(g);
        c.arrays.push_back({nm.arrays[k], r});
        add_input(out, nm.arrays[k], r, N);
    }
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]),
                    arg<array<float_>>(nm.arrays[2]), arg<array<vec3>>(nm.out))([&](auto x, auto y, auto z, auto o) {
        local<int_> i(nm.index);
        local<vec3> v(nm.local(0));
        double k1 = c.id_lit(), k2 = c.id_lit();
        iv rx = scale(c.arrays[0].r, k1);
        auto yz = arith<float_>(g, mk(y[i], c.arrays[1].r), mk(z[i], c.arrays[2].r), o_add | o_sub | o_mul);
        iv all = hull(hull(rx, yz.r), point(k2));
        auto vu = vunary<vec3>(g, mk(v, all));
        auto ctor = g.coin() ? wp::vec3(x[i] * lit(k1), yz.e, lit(k2)) : wp::vec3f(x[i] * lit(k1), yz.e, lit(k2));
        return body_of(i = tid(), v = ctor, o[i] = vu.e * lit(g.val(2, 30, 10.0)));
    });
    k.lower(out.tree);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "a vector assembled from scalar arrays";
}

using shape_fn = void (*)(gen&, instance&, const names&, std::string_view);
struct shape_entry {
    std::string_view name;
    shape_fn make;
};

inline constexpr shape_entry shapes[] = {
    {"mix_vec3", &mix<vec3>},           {"mix_vec4", &mix<vec4>},
    {"mix_vec3d", &mix<vec3d>},         {"reduce_vec3", &reduce<vec3>},   {"reduce_vec4", &reduce<vec4>},
    {"cross_vec3", &cross_chain<vec3>}, {"project_vec3", &project<vec3>},   {"components_vec3", &components<vec3>},
    {"lerp_vec3", &lerp_mix<vec3>}, {"accumulate_vec3", &accumulate<vec3>}, {"accumulate_vec2", &accumulate<vec2>},
    {"accumulate_vec4", &accumulate<vec4>},
    {"components_vec3d", &components<vec3d>}, {"assemble_vec3", &assemble},
    {"update_vec3", &update<vec3>}, {"update_vec4", &update<vec4>}, {"update_vec3d", &update<vec3d>},
    {"slot_vec3", &slot<vec3>},     {"slot_vec4", &slot<vec4>},     {"slot_vec3d", &slot<vec3d>},
};

}  // namespace vec_detail

inline void make_vector(std::uint64_t seed, std::uint64_t index, instance& out) {
    using namespace vec_detail;
    out.reset();
    gen g(seed, index, 0x7ecu);
    auto& s = shapes[g.digit(std::size(shapes))];
    names nm(g);
    out.shape.assign("vector/").append(s.name);
    s.make(g, out, nm, kernel_name(g, "vector", s.name));
    out.launch_dim = N;
    finish(g, out);
}

}  // namespace warpsynth::categories
