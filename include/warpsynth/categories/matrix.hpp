// warpsynth/categories/matrix.hpp — mat22/mat33/mat44 (float32), mat33d (float64), quaternions and transforms.
//
// Shapes (compile-time, per matrix type): matrix-vector and matrix-matrix products (`*` or `@`: a runtime member of
// one typing family), determinant/trace of a combination, the inverse of a diagonally dominant matrix, outer
// products plus diag, identity shifts, element and row access (`m[0][1]`, `m[1, 0]`, `m[2]`), elements and rows
// updated in place (`m[r, c] = x`, `m[r] += v * k`, `m[r, c] *= k`), transforms' parts and components updated in
// place (`t.p += v * k`, `t[j] = k`, `t.q *= k`), parts and components of output array elements stored
// (`out[i][r, c] = x`, `out[i].p = v`, `out[i][j] = k`: Warp's slot store), cw_mul/cw_div of
// matrices, mat22 built from scalars, quaternion rotation (from axis-angle or a normalized wp.quat(...)), a unit
// quaternion's rotation matrix (quat_to_matrix) against its inverse (quat_inverse), transforms (built, or read from
// an array) applied to points/vectors, and inverse transforms with their translation/rotation parts.
//
// Safety: the inverse is taken of `M + wp.identity(n, dtype) * k` with k > n * max|m_ij| (strictly diagonally
// dominant, so invertible with ||A^-1|| <= 1 / (k - n max|m_ij|)); normalize() sees a quaternion whose w component
// is bounded away from 0 or an axis whose components' range excludes 0; cw_div divides by a range excluding 0;
// determinants are bounded by Hadamard's inequality.
#pragma once

#include <string>

#include "warpsynth/categories/kernels.hpp"

namespace warpsynth::categories {
namespace mat_detail {
using namespace detail;

inline constexpr std::int64_t N = 64;

// `*` and `@` between matrices/vectors share Warp's multiply typing.
struct product_family {
    template <wtype A, wtype B>
    static constexpr wtype result() {
        return typing::multiply<A, B>();
    }
};
struct square_rule {  // square matrix -> scalar (determinant, trace)
    template <wtype A>
    static constexpr wtype result() {
        return rules::square_to_scalar::result<A>();
    }
};
struct mat_cw_rule {
    template <wtype A, wtype B>
    static constexpr wtype result() {
        static_assert(A.kind == type_kind::matrix && A == B, "two matrices of one type expected");
        return A;
    }
};

template <class M> inline constexpr int dimn = M::value.rows;
template <class M> using scalar_of = std::conditional_t<M::value.scalar == scalar_kind::float64, float64, float_>;
template <class M>
using vec_of = std::conditional_t<M::value.scalar == scalar_kind::float64, vec3d,
                                  std::conditional_t<dimn<M> == 2, vec2, std::conditional_t<dimn<M> == 3, vec3, vec4>>>;

template <class M>
auto identity_of() {
    return wp::identity<dimn<M>, std::conditional_t<M::value.scalar == scalar_kind::float64, float64, float_>>();
}

template <class A, class B>
auto product(gen& g, const sv<A>& a, const sv<B>& b, int n) {
    return mk(binary<product_family, A, B>(g.chance(35) ? op::matmul : op::mul, a.e, b.e), scale(a.r * b.r, n));
}
template <class A, class B>
auto addsub(gen& g, const sv<A>& a, const sv<B>& b) {
    bool sub = g.coin();
    return mk(binary<additive_ops, A, B>(sub ? op::sub : op::add, a.e, b.e), sub ? a.r - b.r : a.r + b.r);
}
template <class A, class S>
auto scaled(const sv<A>& a, const sv<S>& s) {
    return mk(a.e * s.e, a.r * s.r);
}

template <class M>
struct mctx {
    gen& g;
    const names& nm;
    instance& out;
    double k_lit() { return g.id_val(260, 2000, 1000.0); }
    auto s_lit(double v) { return const_of<scalar_of<M>>(v); }
    template <class T>
    auto in(std::size_t k, iv r) {
        add_input(out, nm.arrays[k], r, N);
        return mk(arg_ref<array<T>>(nm.arrays[k])[local<int_>(nm.index)], r);
    }
    template <class T>
    void emit_out(iv r = {0, 0}) { add_input(out, nm.out, r, N); }
};

template <class TOut, class... A, class F>
void emit(instance& out, std::string_view kname, const names& nm, F&& fn) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        auto k = kernel(kname, arg<array<A>>(nm.arrays[I])..., arg<array<TOut>>(nm.out))(
            [&](const auto&...) { return fn(); });
        k.lower(out.tree);
    }(std::index_sequence_for<A...>{});
}

// out[i] = (m[i] OP v[i]) * k1 ± v[i] * k2
template <class M>
inline void matvec(gen& g, instance& out, const names& nm, std::string_view kname) {
    using V = vec_of<M>;
    mctx<M> c{g, nm, out};
    emit<V, M, V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto m = c.template in<M>(0, pick_profile(g));
        auto v = c.template in<V>(1, pick_profile(g));
        auto p = product(g, m, v, dimn<M>);
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k1 = c.k_lit(), k2 = c.k_lit();
        auto e = addsub(g, scaled(p, c.s_lit(k1)), scaled(v, c.s_lit(k2)));
        return body_of(i = tid(), arg_ref<array<V>>(nm.out)[i] = e.e);
    });
    c.template emit_out<V>();
    out.description = "matrix-vector product combined with the vector";
}

// p = a[i] OP wp.transpose(b[i]); out[i] = CW(p * k1, a[i]) ± b[i] * k2
template <class M>
inline void matmat(gen& g, instance& out, const names& nm, std::string_view kname) {
    mctx<M> c{g, nm, out};
    emit<M, M, M>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<M> p(nm.local(0));
        auto a = c.template in<M>(0, pick_profile(g));
        auto b = c.template in<M>(1, pick_profile(g));
        auto pr = product(g, a, mk(wp::transpose(b.e), b.r), dimn<M>);
        auto ps = scaled(mk(p, pr.r), c.s_lit(c.k_lit()));
        bool div = a.r.min_abs() >= 0.25 && g.coin();
        auto cw = mk(fcall<mat_cw_rule>(div ? fn::cw_div : fn::cw_mul, ps.e, a.e), div ? ps.r / a.r : ps.r * a.r);
        auto e = addsub(g, cw, scaled(b, c.s_lit(c.k_lit())));
        return body_of(i = tid(), p = pr.e, arg_ref<array<M>>(nm.out)[i] = e.e);
    });
    c.template emit_out<M>();
    out.description = "matrix products with a transpose and an elementwise product";
}

// out[i] = DT(a[i] * k1 ± b[i]) * k2   (DT: determinant or trace)
template <class M>
inline void det_trace(gen& g, instance& out, const names& nm, std::string_view kname) {
    using S = scalar_of<M>;
    mctx<M> c{g, nm, out};
    emit<S, M, M>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto a = c.template in<M>(0, pick_profile(g));
        auto b = c.template in<M>(1, pick_profile(g));
        auto x = addsub(g, scaled(a, c.s_lit(c.k_lit())), b);
        double n = dimn<M>, mag = x.r.mag();
        bool det = g.chance(60) && std::pow(std::sqrt(n) * mag, n) < dt<S>::cap / 8;
        iv r = det ? iv{-std::pow(std::sqrt(n) * mag, n), std::pow(std::sqrt(n) * mag, n)} : scale(x.r, n);
        g.check(r.mag() < dt<S>::cap);
        auto d = mk(fcall<square_rule>(det ? fn::determinant : fn::trace, x.e), r);
        auto k2 = c.s_lit(c.k_lit());
        g.check((r * k2.r).mag() < dt<S>::cap);
        return body_of(i = tid(), arg_ref<array<S>>(nm.out)[i] = d.e * k2.e);
    });
    c.template emit_out<S>();
    out.description = "determinant or trace of a matrix combination";
}

// A = a[i] + wp.identity(n, dtype) * k (diagonally dominant); out[i] = wp.inverse(A) * v[i] * k2
template <class M>
inline void inverse(gen& g, instance& out, const names& nm, std::string_view kname) {
    using V = vec_of<M>;
    mctx<M> c{g, nm, out};
    emit<V, M, V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<M> A(nm.local(0));
        auto a = c.template in<M>(0, pick_profile(g));
        auto v = c.template in<V>(1, pick_profile(g));
        double n = dimn<M>;
        // > n * max|a_ij| by at least 1.26; the base depends only on the shape (the largest profile magnitude, 4)
        double k = std::ceil(n * 4.0 + 1.0) + c.k_lit();
        double bound = 1.0 / (k - n * a.r.mag());
        auto e = mk(wp::inverse(A) * v.e, scale(iv{-bound, bound} * v.r, n));
        return body_of(i = tid(), A = a.e + identity_of<M>() * c.s_lit(k).e,
                    arg_ref<array<V>>(nm.out)[i] = e.e * c.s_lit(c.k_lit()).e);
    });
    c.template emit_out<V>();
    out.description = "inverse of a diagonally dominant matrix applied to a vector";
}

// out[i] = wp.outer(a[i], b[i]) * k1 ± wp.diag(c[i] * k2) (+ identity shift)
template <class M>
inline void outer_diag(gen& g, instance& out, const names& nm, std::string_view kname) {
    using V = vec_of<M>;
    mctx<M> c{g, nm, out};
    emit<M, V, V, V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto a = c.template in<V>(0, pick_profile(g));
        auto b = c.template in<V>(1, pick_profile(g));
        auto d = c.template in<V>(2, pick_profile(g));
        auto o = scaled(mk(wp::outer(a.e, b.e), a.r * b.r), c.s_lit(c.k_lit()));
        auto dg = scaled(d, c.s_lit(c.k_lit()));
        auto e = addsub(g, o, mk(wp::diag(dg.e), hull(dg.r, point(0))));
        return body_of(i = tid(), arg_ref<array<M>>(nm.out)[i] = e.e - identity_of<M>());
    });
    c.template emit_out<M>();
    out.description = "outer product plus a diagonal matrix";
}

// m = a[i]; out[i] = m[r0][c0] * k1 ± m[r1, c1] ± wp.dot(m[r2], v[i]) * k2   (element, tuple-index and row access)
template <class M>
inline void elements(gen& g, instance& out, const names& nm, std::string_view kname) {
    using V = vec_of<M>;
    using S = scalar_of<M>;
    mctx<M> c{g, nm, out};
    emit<S, M, V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<M> m(nm.local(0));
        auto a = c.template in<M>(0, pick_profile(g));
        auto v = c.template in<V>(1, pick_profile(g));
        int n = dimn<M>;
        auto ix = [&] { return lit(static_cast<int>(g.pick(static_cast<std::size_t>(n)))); };
        // drawn before use: argument/operand evaluation order is unspecified in C++
        const auto r0 = ix(), c0 = ix();
        const double k1 = c.k_lit();
        auto e0 = scaled(mk(m[r0][c0], a.r), c.s_lit(k1));
        const auto r1 = ix(), c1 = ix();
        auto e1 = arith<S>(g, e0, mk(m(r1, c1), a.r), o_add | o_sub | o_mul);
        const auto r2 = ix();
        const double k2 = c.k_lit();
        auto e2 = scaled(mk(wp::dot(m[r2], v.e), scale(a.r * v.r, n)), c.s_lit(k2));
        auto e = arith<S>(g, e1, e2, o_add | o_sub);
        return body_of(i = tid(), m = a.e, arg_ref<array<S>>(nm.out)[i] = e.e);
    });
    c.template emit_out<S>();
    out.description = "matrix element and row access";
}

// m = a[i]; m[r0, c0] = v[i][c1] * k1; m[r1] ±= v[i] * k2; m[r2, c2] *= k3; out[i] = m OP v[i]
// — elements and rows updated in place
template <class M>
inline void update(gen& g, instance& out, const names& nm, std::string_view kname) {
    using V = vec_of<M>;
    mctx<M> c{g, nm, out};
    emit<V, M, V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<M> m(nm.local(0));
        auto a = c.template in<M>(0, pick_profile(g));
        auto v = c.template in<V>(1, pick_profile(g));
        constexpr int n = dimn<M>;
        auto ix = [&] { return lit(static_cast<int>(g.pick(static_cast<std::size_t>(n)))); };
        // drawn before use: argument/operand evaluation order is unspecified in C++
        const auto r0 = ix(), c0 = ix(), c1 = ix(), r1 = ix(), r2 = ix(), c2 = ix();
        const double k1 = c.k_lit(), k2 = c.k_lit(), k3 = c.k_lit();
        const bool sub = g.coin();
        auto row = v.e * c.s_lit(k2).e;
        auto shift = sub ? (m[r1] -= row) : (m[r1] += row);
        iv r = hull(a.r, v.r * point(k1));
        r = hull(r, sub ? r - v.r * point(k2) : r + v.r * point(k2));
        r = hull(r, r * point(k3));
        auto p = product(g, mk(m, r), v, n);
        return body_of(i = tid(), m = a.e, m(r0, c0) = v.e[c1] * c.s_lit(k1).e, shift, m(r2, c2) *= c.s_lit(k3).e,
                       arg_ref<array<V>>(nm.out)[i] = p.e);
    });
    c.template emit_out<V>();
    out.description = "matrix elements and rows updated in place";
}

// out[i] = a[i] * k3; out[i][r0, c0] = v[i][c1] * k1; out[i][i % n, c2] = v[i][c3] ± k2 — elements of an output
// array's matrix stored (Warp's slot store, `wp::index(out, i).data[r][c] = x;`)
template <class M>
inline void slot(gen& g, instance& out, const names& nm, std::string_view kname) {
    using V = vec_of<M>;
    mctx<M> c{g, nm, out};
    emit<M, M, V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<int_> j(nm.local(0));
        auto a = c.template in<M>(0, pick_profile(g));
        auto v = c.template in<V>(1, pick_profile(g));
        constexpr int n = dimn<M>;
        auto ix = [&] { return lit(static_cast<int>(g.pick(static_cast<std::size_t>(n)))); };
        // drawn before use: argument/operand evaluation order is unspecified in C++
        const auto r0 = ix(), c0 = ix(), c1 = ix(), c2 = ix(), c3 = ix();
        const double k1 = c.k_lit(), k2 = c.k_lit(), k3 = c.k_lit();
        const op shift = g.coin() ? op::sub : op::add;
        auto o = arg_ref<array<M>>(nm.out)[i];
        auto shifted = binary<scalar_family, decltype(v.e[c3]), decltype(c.s_lit(k2).e)>(shift, v.e[c3], c.s_lit(k2).e);
        return body_of(i = tid(), o = a.e * c.s_lit(k3).e, o(r0, c0) = v.e[c1] * c.s_lit(k1).e, j = i % lit(n),
                       o(j, c2) = shifted);
    });
    c.template emit_out<M>();
    out.description = "elements of an output array's matrix stored in place (constant and dynamic row)";
}

// m = wp.mat22(x[i], y[i] * k1, -y[i], x[i] ± k2); out[i] = m OP v[i]
inline void build22(gen& g, instance& out, const names& nm, std::string_view kname) {
    mctx<mat22> c{g, nm, out};
    emit<vec2, float_, float_, vec2>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<mat22> m(nm.local(0));
        auto x = c.template in<float_>(0, pick_profile(g));
        auto y = c.template in<float_>(1, pick_profile(g));
        auto v = c.template in<vec2>(2, pick_profile(g));
        auto k1 = c.s_lit(c.k_lit());
        auto x2 = arith<float_>(g, x, c.s_lit(c.k_lit()), o_add | o_sub | o_mul);
        iv r = hull(hull(x.r, y.r * k1.r), hull(-y.r, x2.r));
        auto p = product(g, mk(m, r), v, 2);
        auto ctor = g.coin() ? wp::mat22(x.e, y.e * k1.e, -y.e, x2.e) : wp::mat22f(x.e, y.e * k1.e, -y.e, x2.e);
        return body_of(i = tid(), m = ctor, arg_ref<array<vec2>>(nm.out)[i] = p.e);
    });
    c.template emit_out<vec2>();
    out.description = "a mat22 built from scalars, applied to a vector";
}

struct quat_rule {  // quat_rotate / quat_rotate_inv
    template <wtype Q, wtype V>
    static constexpr wtype result() {
        return rules::quat_vec3_rule::result<Q, V>();
    }
};
struct xform_rule {  // transform_point / transform_vector
    template <wtype T, wtype V>
    static constexpr wtype result() {
        return rules::transform_vec3_rule::result<T, V>();
    }
};
inline constexpr std::array<iv, 4> axis_profiles = {{{0.5, 2.0}, {1.0, 4.0}, {-3.0, -0.5}, {0.25, 3.0}}};

// q = wp.quat_from_axis_angle(wp.normalize(axis[i]), angle[i] * k1); out[i] = QR(q, p[i]) * k2
inline void quat_axis(gen& g, instance& out, const names& nm, std::string_view kname) {
    mctx<mat33> c{g, nm, out};
    emit<vec3, vec3, float_, vec3>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<quat> q(nm.local(0));
        auto axis = c.template in<vec3>(0, g.pick(axis_profiles));
        auto ang = c.template in<float_>(1, pick_profile(g));
        auto p = c.template in<vec3>(2, pick_profile(g));
        auto rot = fcall<quat_rule>(g.coin() ? fn::quat_rotate : fn::quat_rotate_inv, q, p.e);
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k1 = c.k_lit(), k2 = c.k_lit();
        return body_of(i = tid(), q = wp::quat_from_axis_angle(wp::normalize(axis.e), ang.e * c.s_lit(k1).e),
                    arg_ref<array<vec3>>(nm.out)[i] = rot * c.s_lit(k2).e);
    });
    c.template emit_out<vec3>();
    out.description = "rotate points by an axis-angle quaternion";
}

// q = wp.normalize(wp.quat(x[i], y[i], z[i], w)) with |w| >= 1; out[i] = QR(q, p[i]) ± p[i] * k
inline void quat_build(gen& g, instance& out, const names& nm, std::string_view kname) {
    mctx<mat33> c{g, nm, out};
    emit<vec3, float_, float_, float_, vec3>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<quat> q(nm.local(0));
        auto x = c.template in<float_>(0, pick_profile(g));
        auto y = c.template in<float_>(1, pick_profile(g));
        auto z = c.template in<float_>(2, pick_profile(g));
        auto p = c.template in<vec3>(3, pick_profile(g));
        double w = 1.0 + c.k_lit();
        auto rot = mk(fcall<quat_rule>(g.coin() ? fn::quat_rotate : fn::quat_rotate_inv, q, p.e), scale(p.r, 3));
        auto e = addsub(g, rot, scaled(p, c.s_lit(c.k_lit())));
        auto ctor = g.coin() ? wp::quat(x.e, y.e, z.e, lit(w)) : wp::quatf(x.e, y.e, z.e, lit(w));
        return body_of(i = tid(), q = wp::normalize(ctor),
                    arg_ref<array<vec3>>(nm.out)[i] = e.e);
    });
    c.template emit_out<vec3>();
    out.description = "rotate points by a normalized quaternion built from components";
}

// q = wp.normalize(wp.quat(x[i], y[i], z[i], w)) with |w| >= 1; m = wp.quat_to_matrix(q);
// out[i] = (m OP p[i]) * k1 ± QR(wp.quat_inverse(q), p[i]) * k2   (float32: wp.quat/wp.quatf, float64: wp.quatd)
template <class S>
inline void quat_matrix(gen& g, instance& out, const names& nm, std::string_view kname) {
    constexpr bool f64 = S::value.scalar == scalar_kind::float64;
    using Q = std::conditional_t<f64, quatd, quat>;
    using M = std::conditional_t<f64, mat33d, mat33>;
    using V = std::conditional_t<f64, vec3d, vec3>;
    mctx<M> c{g, nm, out};
    emit<V, S, S, S, V>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<Q> q(nm.local(0));
        local<M> m(nm.local(1));
        auto x = c.template in<S>(0, pick_profile(g));
        auto y = c.template in<S>(1, pick_profile(g));
        auto z = c.template in<S>(2, pick_profile(g));
        auto p = c.template in<V>(3, pick_profile(g));
        // drawn before use: argument evaluation order is unspecified in C++
        const double w = 1.0 + c.k_lit();
        const bool alias = g.coin();
        const fn rf = g.coin() ? fn::quat_rotate : fn::quat_rotate_inv;
        const double k1 = c.k_lit(), k2 = c.k_lit();
        // q is a unit quaternion: m is a rotation (entries in [-1, 1]) and rotations keep lengths
        auto mp = product(g, mk(m, iv{-1, 1}), p, 3);
        auto rot = mk(fcall<quat_rule>(rf, wp::quat_inverse(q), p.e), scale(p.r, 3));
        auto e = addsub(g, scaled(mp, c.s_lit(k1)), scaled(rot, c.s_lit(k2)));
        auto ctor = [&] {
            if constexpr (f64) return wp::quatd(x.e, y.e, z.e, typed_lit<S>(w));
            else return alias ? wp::quatf(x.e, y.e, z.e, lit(w)) : wp::quat(x.e, y.e, z.e, lit(w));
        }();
        return body_of(i = tid(), q = wp::normalize(ctor), m = wp::quat_to_matrix(q),
                       arg_ref<array<V>>(nm.out)[i] = e.e);
    });
    c.template emit_out<V>();
    out.description = "a normalized quaternion as a rotation matrix, against its inverse's rotation";
}

// inv = wp.transform_inverse(xf[i]); t = wp.transform_get_translation(inv);
// out[i] = TP(inv, p[i]) * k1 ± QR(wp.transform_get_rotation(xf[i]), t) * k2
inline void xform_inverse(gen& g, instance& out, const names& nm, std::string_view kname) {
    mctx<mat33> c{g, nm, out};
    emit<vec3, transform, vec3>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<transform> inv(nm.local(0));
        local<vec3> t(nm.local(1));
        // components in [-1, 1]: the (unnormalized) rotation scales lengths by at most |q|^2 <= 4, and the inverse
        // only conjugates and rotates (no division)
        auto xf = c.template in<transform>(0, {-1, 1});
        auto p = c.template in<vec3>(1, pick_profile(g));
        // drawn before use: argument evaluation order is unspecified in C++
        const fn f1 = g.coin() ? fn::transform_point : fn::transform_vector;
        const fn f2 = g.coin() ? fn::quat_rotate : fn::quat_rotate_inv;
        const double k1 = c.k_lit(), k2 = c.k_lit();
        auto t1 = mk(fcall<xform_rule>(f1, inv, p.e), iv{-1e3, 1e3});
        auto t2 = mk(fcall<quat_rule>(f2, wp::transform_get_rotation(xf.e), t), iv{-1e3, 1e3});
        auto e = addsub(g, scaled(t1, c.s_lit(k1)), scaled(t2, c.s_lit(k2)));
        return body_of(i = tid(), inv = wp::transform_inverse(xf.e), t = wp::transform_get_translation(inv),
                       arg_ref<array<vec3>>(nm.out)[i] = e.e);
    });
    c.template emit_out<vec3>();
    out.description = "inverse transforms and their parts applied to points and vectors";
}

// xf = wp.transform(pos[i], wp.quat_from_axis_angle(axis, angle[i])); out[i] = TP(xf, p[i]) * k1 ± ...
inline void xform_build(gen& g, instance& out, const names& nm, std::string_view kname) {
    mctx<mat33> c{g, nm, out};
    emit<vec3, vec3, float_, vec3>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<transform> xf(nm.local(0));
        auto pos = c.template in<vec3>(0, pick_profile(g));
        auto ang = c.template in<float_>(1, pick_profile(g));
        auto p = c.template in<vec3>(2, pick_profile(g));
        double ax = c.k_lit(), az = c.k_lit();
        auto axis = wp::normalize(wp::vec3(lit(ax), lit(g.val(-9, 9, 10.0)), lit(az)));
        auto tp = fcall<xform_rule>(g.coin() ? fn::transform_point : fn::transform_vector, xf, p.e);
        auto rot = wp::quat_from_axis_angle(axis, ang.e);
        auto ctor = g.coin() ? wp::transform(pos.e, rot) : wp::transformf(pos.e, rot);
        return body_of(i = tid(), xf = ctor,
                    arg_ref<array<vec3>>(nm.out)[i] = tp * lit(g.val(2, 30, 10.0)));
    });
    c.template emit_out<vec3>();
    out.description = "build a transform and apply it to points or vectors";
}

// out[i] = TP(xf[i], p[i] * k1) ± TP2(xf[i], p[i]) * k2 — transforms read from an array
// t = xf[i]; t.p ±= p[i] * k1; t[j] = k2; t.q *= k3; out[i] = TP(t, p[i]) — a transform's parts and components
// updated in place (get + op + transform_set_*, assign_inplace, get + mul + set)
inline void xform_update(gen& g, instance& out, const names& nm, std::string_view kname) {
    mctx<mat33> c{g, nm, out};
    emit<vec3, transform, vec3>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<transform> t(nm.local(0));
        auto xf = c.template in<transform>(0, {-1, 1});
        auto p = c.template in<vec3>(1, pick_profile(g));
        // drawn before use: argument/operand evaluation order is unspecified in C++
        const double k1 = c.k_lit(), k2 = c.k_lit(), k3 = c.k_lit();
        const int j = static_cast<int>(g.pick(std::size_t{7}));
        const bool sub = g.coin();
        const fn f = g.coin() ? fn::transform_point : fn::transform_vector;
        auto shift = p.e * c.s_lit(k1).e;
        auto move = sub ? (t.p() -= shift) : (t.p() += shift);
        auto e = mk(fcall<xform_rule>(f, t, p.e), iv{-1e3, 1e3});
        return body_of(i = tid(), t = xf.e, move, t[lit(j)] = c.s_lit(k2).e, t.q() *= c.s_lit(k3).e,
                       arg_ref<array<vec3>>(nm.out)[i] = e.e);
    });
    c.template emit_out<vec3>();
    out.description = "a transform's translation, rotation and components updated in place";
}

// out[i] = xf[i]; out[i].p = p[i] * k1; out[i][i % 7] = k2; out[i].q = xf[i].q * k3 — a transform array element's
// parts and components stored (Warp's slot store: `wp::index(out, i).p = v;`, `wp::index(out, i)[j] = x;`)
inline void xform_slot(gen& g, instance& out, const names& nm, std::string_view kname) {
    mctx<mat33> c{g, nm, out};
    emit<transform, transform, vec3>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<int_> j(nm.local(0));
        auto xf = c.template in<transform>(0, {-1, 1});
        auto p = c.template in<vec3>(1, pick_profile(g));
        // drawn before use: argument/operand evaluation order is unspecified in C++
        const double k1 = c.k_lit(), k2 = c.k_lit(), k3 = c.k_lit();
        auto o = arg_ref<array<transform>>(nm.out)[i];
        return body_of(i = tid(), o = xf.e, o.p() = p.e * c.s_lit(k1).e, j = i % lit(7), o[j] = c.s_lit(k2).e,
                       o.q() = xf.e.q() * c.s_lit(k3).e);
    });
    c.template emit_out<transform>();
    out.description = "a transform array element's translation, rotation and a component stored in place";
}

inline void xform_array(gen& g, instance& out, const names& nm, std::string_view kname) {
    mctx<mat33> c{g, nm, out};
    emit<vec3, transform, vec3>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto xf = c.template in<transform>(0, {-1, 1});
        auto p = c.template in<vec3>(1, pick_profile(g));
        // drawn before the call: argument evaluation order is unspecified in C++
        const fn f1 = g.coin() ? fn::transform_point : fn::transform_vector;
        const double k1 = c.k_lit();
        auto t1 = mk(fcall<xform_rule>(f1, xf.e, p.e * c.s_lit(k1).e), iv{-1e3, 1e3});
        auto t2 = mk(fcall<xform_rule>(g.coin() ? fn::transform_point : fn::transform_vector, xf.e, p.e), iv{-1e3, 1e3});
        auto e = addsub(g, t1, scaled(t2, c.s_lit(c.k_lit())));
        return body_of(i = tid(), arg_ref<array<vec3>>(nm.out)[i] = e.e);
    });
    c.template emit_out<vec3>();
    out.description = "transforms from an array applied to points and vectors";
}

// out[i] = a[i] * k1 + wp.identity(n, dtype) * k2 - b[i]
template <class M>
inline void identity_shift(gen& g, instance& out, const names& nm, std::string_view kname) {
    mctx<M> c{g, nm, out};
    emit<M, M, M>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto a = c.template in<M>(0, pick_profile(g));
        auto b = c.template in<M>(1, pick_profile(g));
        // drawn before the call: argument evaluation order is unspecified in C++
        const double k1 = c.k_lit(), k2 = c.k_lit();
        auto e = addsub(g, scaled(a, c.s_lit(k1)), mk(identity_of<M>() * c.s_lit(k2).e, iv{0, 4}));
        auto f = addsub(g, e, b);
        return body_of(i = tid(), arg_ref<array<M>>(nm.out)[i] = f.e);
    });
    c.template emit_out<M>();
    out.description = "scaled matrices shifted by a multiple of the identity";
}

using shape_fn = void (*)(gen&, instance&, const names&, std::string_view);
struct shape_entry {
    std::string_view name;
    shape_fn make;
};

inline constexpr shape_entry shapes[] = {
    {"matvec_mat22", &matvec<mat22>},       {"matvec_mat44", &matvec<mat44>},
    {"matvec_mat33d", &matvec<mat33d>},     {"matmat_mat33", &matmat<mat33>},     {"dettrace_mat33", &det_trace<mat33>},
    {"dettrace_mat44", &det_trace<mat44>},  {"inverse_mat33", &inverse<mat33>},
    {"inverse_mat33d", &inverse<mat33d>},
    {"outer_mat33", &outer_diag<mat33>},    {"elements_mat33", &elements<mat33>},
    {"build_mat22", &build22},
    {"quat_axis", &quat_axis},              {"quat_build", &quat_build},          {"xform_build", &xform_build},
    {"xform_array", &xform_array},          {"shift_mat33", &identity_shift<mat33>},
    {"quat_matrix", &quat_matrix<float_>},  {"quat_matrix_f64", &quat_matrix<float64>},
    {"xform_inverse", &xform_inverse},
    {"update_mat33", &update<mat33>},       {"update_mat22", &update<mat22>},    {"update_mat33d", &update<mat33d>},
    {"update_mat44", &update<mat44>},       {"xform_update", &xform_update},
    {"slot_mat22", &slot<mat22>},           {"slot_mat33", &slot<mat33>},        {"slot_mat44", &slot<mat44>},
    {"slot_mat33d", &slot<mat33d>},         {"xform_slot", &xform_slot},
};

}  // namespace mat_detail

inline void make_matrix(std::uint64_t seed, std::uint64_t index, instance& out) {
    using namespace mat_detail;
    out.reset();
    gen g(seed, index, 0x3a3u);
    auto& s = shapes[g.digit(std::size(shapes))];
    names nm(g);
    out.shape.assign("matrix/").append(s.name);
    s.make(g, out, nm, kernel_name(g, "matrix", s.name));
    out.launch_dim = N;
    finish(g, out);
}

}  // namespace warpsynth::categories
