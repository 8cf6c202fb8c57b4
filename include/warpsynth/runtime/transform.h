// warpsynth runtime: rigid transforms, wp::transform_t<T> = (translation p, rotation q).
#pragma once

#include "quat.h"

namespace WP_NAMESPACE {

template <typename T> struct transform_t {
    vec_t<3, T> p;
    quat_t<T> q;

    // All-zero by default (zero adjoint), like the other composites.
    CUDA_CALLABLE transform_t() : p(), q() {}
    CUDA_CALLABLE transform_t(const vec_t<3, T>& p_, const quat_t<T>& q_) : p(p_), q(q_) {}
    template <typename U> CUDA_CALLABLE explicit transform_t(const transform_t<U>& o) : p(o.p), q(o.q) {}
    // Components 0-2 are p, 3-6 are q (the slot store `wp::index(a, i)[var_3] = v;`).
    CUDA_CALLABLE T& operator[](int i) { return i < 3 ? p[i] : q[i - 3]; }
    CUDA_CALLABLE const T& operator[](int i) const { return i < 3 ? p[i] : q[i - 3]; }
};

template <typename T> struct is_differentiable<transform_t<T>> { static constexpr bool value = is_float<T>::value; };

template <typename T> CUDA_CALLABLE inline transform_t<T> operator+(const transform_t<T>& a, const transform_t<T>& b) {
    return transform_t<T>(a.p + b.p, a.q + b.q);
}
template <typename T> CUDA_CALLABLE inline transform_t<T> operator-(const transform_t<T>& a, const transform_t<T>& b) {
    return transform_t<T>(a.p - b.p, a.q - b.q);
}
template <typename T> CUDA_CALLABLE inline transform_t<T> operator-(const transform_t<T>& a) {
    return transform_t<T>(-a.p, -a.q);
}
template <typename T> CUDA_CALLABLE inline transform_t<T>& operator+=(transform_t<T>& a, const transform_t<T>& b) {
    return a = a + b;
}
template <typename T> CUDA_CALLABLE inline transform_t<T>& operator-=(transform_t<T>& a, const transform_t<T>& b) {
    return a = a - b;
}

template <typename T> CUDA_CALLABLE inline transform_t<T> add(const transform_t<T>& a, const transform_t<T>& b) {
    return a + b;
}
template <typename T> CUDA_CALLABLE inline transform_t<T> sub(const transform_t<T>& a, const transform_t<T>& b) {
    return a - b;
}
template <typename T> CUDA_CALLABLE inline void adj_add(const transform_t<T>&, const transform_t<T>&,
                                                        transform_t<T>& adj_a, transform_t<T>& adj_b,
                                                        const transform_t<T>& adj_ret) {
    adj_accumulate(adj_a, adj_ret);
    adj_accumulate(adj_b, adj_ret);
}
template <typename T> CUDA_CALLABLE inline void adj_sub(const transform_t<T>&, const transform_t<T>&,
                                                        transform_t<T>& adj_a, transform_t<T>& adj_b,
                                                        const transform_t<T>& adj_ret) {
    adj_accumulate(adj_a, adj_ret);
    adj_accumulate(adj_b, -adj_ret);
}

template <typename T> CUDA_CALLABLE inline transform_t<T> transform_identity() {
    return transform_t<T>(vec_t<3, T>(), quat_identity<T>());
}

template <typename T> CUDA_CALLABLE inline vec_t<3, T> transform_get_translation(const transform_t<T>& t) {
    return t.p;
}
template <typename T> CUDA_CALLABLE inline quat_t<T> transform_get_rotation(const transform_t<T>& t) { return t.q; }
template <typename T> CUDA_CALLABLE inline void
adj_transform_get_translation(const transform_t<T>&, transform_t<T>& adj_t, const vec_t<3, T>& adj_ret) {
    adj_accumulate(adj_t.p, adj_ret);
}
template <typename T> CUDA_CALLABLE inline void adj_transform_get_rotation(const transform_t<T>&, transform_t<T>& adj_t,
                                                                           const quat_t<T>& adj_ret) {
    adj_accumulate(adj_t.q, adj_ret);
}

// `t.p = v`, `t.q = q` on a local: set in place; the adjoint passes the part's adjoint on and leaves it in place.
template <typename T> CUDA_CALLABLE inline void transform_set_translation(transform_t<T>& t, const vec_t<3, T>& p) { t.p = p; }
template <typename T> CUDA_CALLABLE inline void transform_set_rotation(transform_t<T>& t, const quat_t<T>& q) { t.q = q; }
template <typename T> CUDA_CALLABLE inline void
adj_transform_set_translation(const transform_t<T>&, const vec_t<3, T>&, const transform_t<T>& adj_t, vec_t<3, T>& adj_p) {
    adj_accumulate(adj_p, adj_t.p);
}
template <typename T> CUDA_CALLABLE inline void
adj_transform_set_rotation(const transform_t<T>&, const quat_t<T>&, const transform_t<T>& adj_t, quat_t<T>& adj_q) {
    adj_accumulate(adj_q, adj_t.q);
}

// Component k of a transform: p.x, p.y, p.z, q.x, q.y, q.z, q.w (negative k counts from the end).
namespace detail {
template <typename T> CUDA_CALLABLE inline T& transform_component(transform_t<T>& t, int k) {
    k = wrap_index(k, 7);
    return k < 3 ? t.p.c[k] : t.q[k - 3];
}
template <typename T> CUDA_CALLABLE inline const T& transform_component(const transform_t<T>& t, int k) {
    k = wrap_index(k, 7);
    return k < 3 ? t.p.c[k] : t.q[k - 3];
}
} // namespace detail
template <typename T> CUDA_CALLABLE inline T extract(const transform_t<T>& t, int k) { return detail::transform_component(t, k); }
template <typename T, typename I>
CUDA_CALLABLE inline void adj_extract(const transform_t<T>&, int k, transform_t<T>& adj_t, I, T adj_ret) {
    adj_accumulate(detail::transform_component(adj_t, k), adj_ret);
}
template <typename T> CUDA_CALLABLE inline void assign_inplace(transform_t<T>& t, int k, T x) { detail::transform_component(t, k) = x; }
template <typename T> CUDA_CALLABLE inline void add_inplace(transform_t<T>& t, int k, T x) { detail::transform_component(t, k) += x; }
template <typename T> CUDA_CALLABLE inline void sub_inplace(transform_t<T>& t, int k, T x) { detail::transform_component(t, k) -= x; }
template <typename T, typename I>
CUDA_CALLABLE inline void adj_assign_inplace(const transform_t<T>&, int k, T, transform_t<T>& adj_t, I, T& adj_x) {
    adj_accumulate(adj_x, detail::transform_component(adj_t, k));
}
template <typename T, typename I>
CUDA_CALLABLE inline void adj_add_inplace(const transform_t<T>&, int k, T, transform_t<T>& adj_t, I, T& adj_x) {
    adj_accumulate(adj_x, detail::transform_component(adj_t, k));
}
template <typename T, typename I>
CUDA_CALLABLE inline void adj_sub_inplace(const transform_t<T>&, int k, T, transform_t<T>& adj_t, I, T& adj_x) {
    adj_accumulate(adj_x, T(-detail::transform_component(adj_t, k)));
}

// transform_point(t, x) = rotate(t.q, x) + t.p
template <typename T> CUDA_CALLABLE inline vec_t<3, T> transform_point(const transform_t<T>& t, const vec_t<3, T>& x) {
    return quat_rotate(t.q, x) + t.p;
}
template <typename T> CUDA_CALLABLE inline void adj_transform_point(const transform_t<T>& t, const vec_t<3, T>& x,
                                                                    transform_t<T>& adj_t, vec_t<3, T>& adj_x,
                                                                    const vec_t<3, T>& adj_ret) {
    adj_accumulate(adj_t.p, adj_ret);
    adj_quat_rotate(t.q, x, adj_t.q, adj_x, adj_ret);
}

// transform_vector(t, v) = rotate(t.q, v): directions ignore the translation
template <typename T> CUDA_CALLABLE inline vec_t<3, T> transform_vector(const transform_t<T>& t, const vec_t<3, T>& v) {
    return quat_rotate(t.q, v);
}
template <typename T> CUDA_CALLABLE inline void adj_transform_vector(const transform_t<T>& t, const vec_t<3, T>& v,
                                                                     transform_t<T>& adj_t, vec_t<3, T>& adj_v,
                                                                     const vec_t<3, T>& adj_ret) {
    adj_quat_rotate(t.q, v, adj_t.q, adj_v, adj_ret);
}

// Composition: (a * b)(x) = a(b(x))
template <typename T> CUDA_CALLABLE inline transform_t<T> mul(const transform_t<T>& a, const transform_t<T>& b) {
    return transform_t<T>(quat_rotate(a.q, b.p) + a.p, mul(a.q, b.q));
}
template <typename T> CUDA_CALLABLE inline void adj_mul(const transform_t<T>& a, const transform_t<T>& b,
                                                        transform_t<T>& adj_a, transform_t<T>& adj_b,
                                                        const transform_t<T>& adj_ret) {
    adj_accumulate(adj_a.p, adj_ret.p);
    adj_quat_rotate(a.q, b.p, adj_a.q, adj_b.p, adj_ret.p);
    adj_mul(a.q, b.q, adj_a.q, adj_b.q, adj_ret.q);
}

// Inverse of a rigid transform: (-rotate_inv(q, p), conj(q))
template <typename T> CUDA_CALLABLE inline transform_t<T> transform_inverse(const transform_t<T>& t) {
    return transform_t<T>(-quat_rotate_inv(t.q, t.p), quat_inverse(t.q));
}
template <typename T> CUDA_CALLABLE inline void adj_transform_inverse(const transform_t<T>& t, transform_t<T>& adj_t,
                                                                      const transform_t<T>& adj_ret) {
    adj_quat_rotate_inv(t.q, t.p, adj_t.q, adj_t.p, -adj_ret.p);
    adj_quat_inverse(t.q, adj_t.q, adj_ret.q);
}

// wp.transform(p, q)
template <typename T> CUDA_CALLABLE inline void adj_transform_t(const vec_t<3, T>&, const quat_t<T>&,
                                                                vec_t<3, T>& adj_p, quat_t<T>& adj_q,
                                                                const transform_t<T>& adj_ret) {
    adj_accumulate(adj_p, adj_ret.p);
    adj_accumulate(adj_q, adj_ret.q);
}
// wp.transform(other_transform)
template <typename T, typename U>
CUDA_CALLABLE inline void adj_transform_t(const transform_t<U>&, transform_t<U>& adj_t, const transform_t<T>& adj_ret) {
    if constexpr (is_float<U>::value)
        adj_t += transform_t<U>(adj_ret);
}

} // namespace WP_NAMESPACE
