// warpsynth runtime: quaternions, wp::quat_t<T>.
//
// Layout and conventions follow Warp: components (x, y, z, w) with w the real
// part; products are Hamilton products; rotations assume a unit quaternion.
#pragma once

#include "mat.h"

namespace WP_NAMESPACE {

template <typename T> struct quat_t {
    T x, y, z, w;

    // Zero (not identity): default values double as zero adjoints.
    CUDA_CALLABLE quat_t() : x(0), y(0), z(0), w(0) {}
    CUDA_CALLABLE quat_t(T x_, T y_, T z_, T w_) : x(x_), y(y_), z(z_), w(w_) {}
    // wp.quaternion(imaginary_vec3, real)
    CUDA_CALLABLE quat_t(const vec_t<3, T>& v, T w_) : x(v.c[0]), y(v.c[1]), z(v.c[2]), w(w_) {}
    template <typename U> CUDA_CALLABLE explicit quat_t(const quat_t<U>& o)
        : x(T(o.x)), y(T(o.y)), z(T(o.z)), w(T(o.w)) {}

    CUDA_CALLABLE T& operator[](int i) { return i == 0 ? x : (i == 1 ? y : (i == 2 ? z : w)); }
    CUDA_CALLABLE const T& operator[](int i) const { return i == 0 ? x : (i == 1 ? y : (i == 2 ? z : w)); }
    CUDA_CALLABLE T flat(unsigned k) const { return (*this)[int(k)]; }

    CUDA_CALLABLE vec_t<3, T> imag() const { return vec_t<3, T>(x, y, z); }
};

template <typename T> struct is_differentiable<quat_t<T>> { static constexpr bool value = is_float<T>::value; };

template <typename T> CUDA_CALLABLE inline quat_t<T> operator+(const quat_t<T>& a, const quat_t<T>& b) {
    return quat_t<T>(a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w);
}
template <typename T> CUDA_CALLABLE inline quat_t<T> operator-(const quat_t<T>& a, const quat_t<T>& b) {
    return quat_t<T>(a.x - b.x, a.y - b.y, a.z - b.z, a.w - b.w);
}
template <typename T> CUDA_CALLABLE inline quat_t<T> operator-(const quat_t<T>& a) {
    return quat_t<T>(-a.x, -a.y, -a.z, -a.w);
}
template <typename T> CUDA_CALLABLE inline quat_t<T> operator*(const quat_t<T>& a, T s) {
    return quat_t<T>(a.x * s, a.y * s, a.z * s, a.w * s);
}
template <typename T> CUDA_CALLABLE inline quat_t<T> operator*(T s, const quat_t<T>& a) { return a * s; }
template <typename T> CUDA_CALLABLE inline quat_t<T> operator/(const quat_t<T>& a, T s) {
    return quat_t<T>(a.x / s, a.y / s, a.z / s, a.w / s);
}
template <typename T> CUDA_CALLABLE inline quat_t<T>& operator+=(quat_t<T>& a, const quat_t<T>& b) { return a = a + b; }
template <typename T> CUDA_CALLABLE inline quat_t<T>& operator-=(quat_t<T>& a, const quat_t<T>& b) { return a = a - b; }
template <typename T> CUDA_CALLABLE inline bool operator==(const quat_t<T>& a, const quat_t<T>& b) {
    return a.x == b.x && a.y == b.y && a.z == b.z && a.w == b.w;
}
template <typename T> CUDA_CALLABLE inline bool operator!=(const quat_t<T>& a, const quat_t<T>& b) { return !(a == b); }

// ---------------------------------------------------------------------------
// Algebra

template <typename T> CUDA_CALLABLE inline quat_t<T> quat_identity() { return quat_t<T>(T(0), T(0), T(0), T(1)); }

// Conjugate; the inverse for unit quaternions (Warp's quat_inverse).
template <typename T> CUDA_CALLABLE inline quat_t<T> quat_inverse(const quat_t<T>& q) {
    return quat_t<T>(-q.x, -q.y, -q.z, q.w);
}
template <typename T>
CUDA_CALLABLE inline void adj_quat_inverse(const quat_t<T>&, quat_t<T>& adj_q, const quat_t<T>& adj_ret) {
    adj_accumulate(adj_q, quat_inverse(adj_ret));
}

// Hamilton product: (a.w b.v + b.w a.v + a.v x b.v, a.w b.w - a.v . b.v)
template <typename T> CUDA_CALLABLE inline quat_t<T> mul(const quat_t<T>& a, const quat_t<T>& b) {
    return quat_t<T>(a.w * b.x + b.w * a.x + a.y * b.z - a.z * b.y, a.w * b.y + b.w * a.y + a.z * b.x - a.x * b.z,
                     a.w * b.z + b.w * a.z + a.x * b.y - a.y * b.x, a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z);
}
// The product is bilinear and the multiplication matrices of q transpose to
// those of conj(q): adj_a += adj_r conj(b), adj_b += conj(a) adj_r.
template <typename T> CUDA_CALLABLE inline void adj_mul(const quat_t<T>& a, const quat_t<T>& b, quat_t<T>& adj_a,
                                                        quat_t<T>& adj_b, const quat_t<T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += mul(adj_ret, quat_inverse(b));
        adj_b += mul(quat_inverse(a), adj_ret);
    }
}

template <typename T> CUDA_CALLABLE inline quat_t<T> add(const quat_t<T>& a, const quat_t<T>& b) { return a + b; }
template <typename T> CUDA_CALLABLE inline quat_t<T> sub(const quat_t<T>& a, const quat_t<T>& b) { return a - b; }
template <typename T> CUDA_CALLABLE inline quat_t<T> neg(const quat_t<T>& a) { return -a; }
template <typename T> CUDA_CALLABLE inline quat_t<T> mul(const quat_t<T>& a, T s) { return a * s; }
template <typename T> CUDA_CALLABLE inline quat_t<T> mul(T s, const quat_t<T>& a) { return a * s; }
template <typename T> CUDA_CALLABLE inline quat_t<T> div(const quat_t<T>& a, T s) { return a / s; }

template <typename T> CUDA_CALLABLE inline T dot(const quat_t<T>& a, const quat_t<T>& b) {
    return a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w;
}
template <typename T> CUDA_CALLABLE inline void adj_dot(const quat_t<T>& a, const quat_t<T>& b, quat_t<T>& adj_a,
                                                        quat_t<T>& adj_b, T adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += b * adj_ret;
        adj_b += a * adj_ret;
    }
}

template <typename T> CUDA_CALLABLE inline void adj_add(const quat_t<T>&, const quat_t<T>&, quat_t<T>& adj_a,
                                                        quat_t<T>& adj_b, const quat_t<T>& adj_ret) {
    adj_accumulate(adj_a, adj_ret);
    adj_accumulate(adj_b, adj_ret);
}
template <typename T> CUDA_CALLABLE inline void adj_sub(const quat_t<T>&, const quat_t<T>&, quat_t<T>& adj_a,
                                                        quat_t<T>& adj_b, const quat_t<T>& adj_ret) {
    adj_accumulate(adj_a, adj_ret);
    adj_accumulate(adj_b, -adj_ret);
}
template <typename T> CUDA_CALLABLE inline void adj_neg(const quat_t<T>&, quat_t<T>& adj_a, const quat_t<T>& adj_ret) {
    adj_accumulate(adj_a, -adj_ret);
}
template <typename T>
CUDA_CALLABLE inline void adj_mul(const quat_t<T>& a, T s, quat_t<T>& adj_a, T& adj_s, const quat_t<T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += adj_ret * s;
        adj_s += dot(a, adj_ret);
    }
}
template <typename T>
CUDA_CALLABLE inline void adj_mul(T s, const quat_t<T>& a, T& adj_s, quat_t<T>& adj_a, const quat_t<T>& adj_ret) {
    adj_mul(a, s, adj_a, adj_s, adj_ret);
}
template <typename T>
CUDA_CALLABLE inline void adj_div(const quat_t<T>& a, T s, quat_t<T>& adj_a, T& adj_s, const quat_t<T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += adj_ret / s;
        adj_s -= dot(a, adj_ret) / (s * s);
    }
}

template <typename T> CUDA_CALLABLE inline T length_sq(const quat_t<T>& q) { return dot(q, q); }
template <typename T> CUDA_CALLABLE inline void adj_length_sq(const quat_t<T>& q, quat_t<T>& adj_q, T adj_ret) {
    if constexpr (is_float<T>::value)
        adj_q += q * T(T(2) * adj_ret);
}

template <typename T> CUDA_CALLABLE inline T length(const quat_t<T>& q) { return sqrt(dot(q, q)); }
template <typename T> CUDA_CALLABLE inline void adj_length(const quat_t<T>& q, T ret, quat_t<T>& adj_q, T adj_ret) {
    if constexpr (is_float<T>::value) {
        if (ret > T(0))
            adj_q += q * T(adj_ret / ret);
    }
}

// normalize(0) is the identity rotation, as in Warp. Unlike the vector
// version, Warp does not pass the output to this adjoint.
template <typename T> CUDA_CALLABLE inline quat_t<T> normalize(const quat_t<T>& q) {
    const T l = length(q);
    return l > T(0) ? q / l : quat_identity<T>();
}
template <typename T>
CUDA_CALLABLE inline void adj_normalize(const quat_t<T>& q, quat_t<T>& adj_q, const quat_t<T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        const T l = length(q);
        if (l > T(0)) {
            const quat_t<T> r = q / l;
            adj_q += (adj_ret - r * dot(r, adj_ret)) / l;
        }
    }
}

// ---------------------------------------------------------------------------
// Rotations. With u = (x, y, z):
//   rotate(q, v) = (2w^2 - 1) v + 2w (u x v) + 2 (u . v) u
// rotate_inv is the same with u negated (the conjugate).

template <typename T> CUDA_CALLABLE inline vec_t<3, T> quat_rotate(const quat_t<T>& q, const vec_t<3, T>& v) {
    const vec_t<3, T> u = q.imag();
    return v * T(T(2) * q.w * q.w - T(1)) + cross(u, v) * T(T(2) * q.w) + u * T(T(2) * dot(u, v));
}

template <typename T> CUDA_CALLABLE inline void adj_quat_rotate(const quat_t<T>& q, const vec_t<3, T>& v,
                                                                quat_t<T>& adj_q, vec_t<3, T>& adj_v,
                                                                const vec_t<3, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        const vec_t<3, T> u = q.imag();
        const vec_t<3, T>& g = adj_ret;
        const T ug = dot(u, g);
        const T uv = dot(u, v);
        adj_v += g * T(T(2) * q.w * q.w - T(1)) + cross(g, u) * T(T(2) * q.w) + u * T(T(2) * ug);
        const vec_t<3, T> adj_u = cross(v, g) * T(T(2) * q.w) + g * T(T(2) * uv) + v * T(T(2) * ug);
        adj_q.x += adj_u.c[0];
        adj_q.y += adj_u.c[1];
        adj_q.z += adj_u.c[2];
        adj_q.w += T(T(4) * q.w * dot(v, g) + T(2) * dot(cross(u, v), g));
    }
}

template <typename T> CUDA_CALLABLE inline vec_t<3, T> quat_rotate_inv(const quat_t<T>& q, const vec_t<3, T>& v) {
    return quat_rotate(quat_inverse(q), v);
}

template <typename T> CUDA_CALLABLE inline void adj_quat_rotate_inv(const quat_t<T>& q, const vec_t<3, T>& v,
                                                                    quat_t<T>& adj_q, vec_t<3, T>& adj_v,
                                                                    const vec_t<3, T>& adj_ret) {
    quat_t<T> adj_conj;
    adj_quat_rotate(quat_inverse(q), v, adj_conj, adj_v, adj_ret);
    adj_accumulate(adj_q, quat_inverse(adj_conj)); // chain through the conjugate
}

// (axis sin(a/2), cos(a/2)); the axis is used as given (not normalized).
template <typename T> CUDA_CALLABLE inline quat_t<T> quat_from_axis_angle(const vec_t<3, T>& axis, T angle) {
    const T h = angle * T(0.5);
    return quat_t<T>(axis * sin(h), cos(h));
}

template <typename T> CUDA_CALLABLE inline void adj_quat_from_axis_angle(const vec_t<3, T>& axis, T angle,
                                                                         vec_t<3, T>& adj_axis, T& adj_angle,
                                                                         const quat_t<T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        const T h = angle * T(0.5);
        const T s = sin(h), c = cos(h);
        const vec_t<3, T> g = adj_ret.imag();
        adj_axis += g * s;
        adj_angle += T(T(0.5) * (dot(axis, g) * c - adj_ret.w * s));
    }
}

// Rotation matrix of a unit quaternion (columns are the rotated basis vectors).
template <typename T> CUDA_CALLABLE inline mat_t<3, 3, T> quat_to_matrix(const quat_t<T>& q) {
    mat_t<3, 3, T> m;
    for (unsigned j = 0; j < 3; ++j) {
        vec_t<3, T> e;
        e.c[j] = T(1);
        const vec_t<3, T> col = quat_rotate(q, e);
        for (unsigned i = 0; i < 3; ++i)
            m.data[i][j] = col.c[i];
    }
    return m;
}

// Column j of the result is rotate(q, e_j): its adjoint is rotate's adjoint with respect to q, column by column.
template <typename T> CUDA_CALLABLE inline void adj_quat_to_matrix(const quat_t<T>& q, quat_t<T>& adj_q,
                                                                   const mat_t<3, 3, T>& adj_ret) {
    for (unsigned j = 0; j < 3; ++j) {
        vec_t<3, T> e, adj_e, g;
        e.c[j] = T(1);
        for (unsigned i = 0; i < 3; ++i)
            g.c[i] = adj_ret.data[i][j];
        adj_quat_rotate(q, e, adj_q, adj_e, g);
    }
}

// ---------------------------------------------------------------------------
// Component access and constructor adjoints

template <typename T> CUDA_CALLABLE inline T extract(const quat_t<T>& q, int i) { return q[detail::wrap_index(i, 4)]; }
template <typename T, typename I>
CUDA_CALLABLE inline void adj_extract(const quat_t<T>&, int i, quat_t<T>& adj_q, I, T adj_ret) {
    adj_accumulate(adj_q[detail::wrap_index(i, 4)], adj_ret);
}

// In-place component updates of a local quaternion (see vec.h).
template <typename T> CUDA_CALLABLE inline void assign_inplace(quat_t<T>& q, int i, T x) { q[detail::wrap_index(i, 4)] = x; }
template <typename T> CUDA_CALLABLE inline void add_inplace(quat_t<T>& q, int i, T x) { q[detail::wrap_index(i, 4)] += x; }
template <typename T> CUDA_CALLABLE inline void sub_inplace(quat_t<T>& q, int i, T x) { q[detail::wrap_index(i, 4)] -= x; }
template <typename T, typename I>
CUDA_CALLABLE inline void adj_assign_inplace(const quat_t<T>&, int i, T, quat_t<T>& adj_q, I, T& adj_x) {
    adj_accumulate(adj_x, adj_q[detail::wrap_index(i, 4)]);
}
template <typename T, typename I>
CUDA_CALLABLE inline void adj_add_inplace(const quat_t<T>&, int i, T, quat_t<T>& adj_q, I, T& adj_x) {
    adj_accumulate(adj_x, adj_q[detail::wrap_index(i, 4)]);
}
template <typename T, typename I>
CUDA_CALLABLE inline void adj_sub_inplace(const quat_t<T>&, int i, T, quat_t<T>& adj_q, I, T& adj_x) {
    adj_accumulate(adj_x, T(-adj_q[detail::wrap_index(i, 4)]));
}

// wp.quat(x, y, z, w)
template <typename T>
CUDA_CALLABLE inline void adj_quat_t(T, T, T, T, T& adj_x, T& adj_y, T& adj_z, T& adj_w, const quat_t<T>& adj_ret) {
    adj_accumulate(adj_x, adj_ret.x);
    adj_accumulate(adj_y, adj_ret.y);
    adj_accumulate(adj_z, adj_ret.z);
    adj_accumulate(adj_w, adj_ret.w);
}
// wp.quaternion(imaginary, real)
template <typename T>
CUDA_CALLABLE inline void adj_quat_t(const vec_t<3, T>&, T, vec_t<3, T>& adj_v, T& adj_w, const quat_t<T>& adj_ret) {
    adj_accumulate(adj_v, adj_ret.imag());
    adj_accumulate(adj_w, adj_ret.w);
}
// wp.quat(other_quat)
template <typename T, typename U>
CUDA_CALLABLE inline void adj_quat_t(const quat_t<U>&, quat_t<U>& adj_q, const quat_t<T>& adj_ret) {
    if constexpr (is_float<U>::value)
        adj_q += quat_t<U>(adj_ret);
}

} // namespace WP_NAMESPACE
