// warpsynth runtime: fixed-size vectors, wp::vec_t<N, T>.
#pragma once

#include "scalar_math.h"

namespace WP_NAMESPACE {

template <unsigned N, typename T> struct vec_t {
    T c[N];

    CUDA_CALLABLE vec_t() : c() {}

    // wp.vec3(s): every component set to s.
    CUDA_CALLABLE explicit vec_t(T s) {
        for (unsigned i = 0; i < N; ++i)
            c[i] = s;
    }

    // wp.vec3(x, y, z): one value per component.
    template <typename... A, typename enable_if<(N > 1) && sizeof...(A) == N, int>::type = 0>
    CUDA_CALLABLE vec_t(A... a) : c{T(a)...} {}

    // wp.vec3(other_vec3d): component-wise conversion.
    template <typename U> CUDA_CALLABLE explicit vec_t(const vec_t<N, U>& o) {
        for (unsigned i = 0; i < N; ++i)
            c[i] = T(o.c[i]);
    }

    CUDA_CALLABLE T& operator[](int i) { return c[i]; }
    CUDA_CALLABLE const T& operator[](int i) const { return c[i]; }

    // k-th component; composites share this so constructor adjoints are generic
    CUDA_CALLABLE T flat(unsigned k) const { return c[k]; }
};

template <unsigned N, typename T> struct is_differentiable<vec_t<N, T>> {
    static constexpr bool value = is_float<T>::value;
};

// C++ operators, used by the runtime itself to write adjoints compactly.
template <unsigned N, typename T>
CUDA_CALLABLE inline vec_t<N, T> operator+(const vec_t<N, T>& a, const vec_t<N, T>& b) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = T(a.c[i] + b.c[i]);
    return r;
}
template <unsigned N, typename T>
CUDA_CALLABLE inline vec_t<N, T> operator-(const vec_t<N, T>& a, const vec_t<N, T>& b) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = T(a.c[i] - b.c[i]);
    return r;
}
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> operator-(const vec_t<N, T>& a) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = T(-a.c[i]);
    return r;
}
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> operator*(const vec_t<N, T>& a, T s) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = T(a.c[i] * s);
    return r;
}
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> operator*(T s, const vec_t<N, T>& a) {
    return a * s;
}
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> operator/(const vec_t<N, T>& a, T s) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = T(a.c[i] / s);
    return r;
}
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T>& operator+=(vec_t<N, T>& a, const vec_t<N, T>& b) {
    for (unsigned i = 0; i < N; ++i)
        a.c[i] += b.c[i];
    return a;
}
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T>& operator-=(vec_t<N, T>& a, const vec_t<N, T>& b) {
    for (unsigned i = 0; i < N; ++i)
        a.c[i] -= b.c[i];
    return a;
}
template <unsigned N, typename T> CUDA_CALLABLE inline bool operator==(const vec_t<N, T>& a, const vec_t<N, T>& b) {
    for (unsigned i = 0; i < N; ++i)
        if (!(a.c[i] == b.c[i]))
            return false;
    return true;
}
template <unsigned N, typename T> CUDA_CALLABLE inline bool operator!=(const vec_t<N, T>& a, const vec_t<N, T>& b) {
    return !(a == b);
}

// ---------------------------------------------------------------------------
// Arithmetic builtins

template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> add(const vec_t<N, T>& a, const vec_t<N, T>& b) {
    return a + b;
}
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> sub(const vec_t<N, T>& a, const vec_t<N, T>& b) {
    return a - b;
}
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> neg(const vec_t<N, T>& a) { return -a; }
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> pos(const vec_t<N, T>& a) { return a; }
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> mul(const vec_t<N, T>& a, T s) { return a * s; }
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> mul(T s, const vec_t<N, T>& a) { return a * s; }
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> div(const vec_t<N, T>& a, T s) { return a / s; }
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> div(T s, const vec_t<N, T>& a) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = T(s / a.c[i]);
    return r;
}

template <unsigned N, typename T> CUDA_CALLABLE inline void
adj_add(const vec_t<N, T>&, const vec_t<N, T>&, vec_t<N, T>& adj_a, vec_t<N, T>& adj_b, const vec_t<N, T>& adj_ret) {
    adj_accumulate(adj_a, adj_ret);
    adj_accumulate(adj_b, adj_ret);
}
template <unsigned N, typename T> CUDA_CALLABLE inline void
adj_sub(const vec_t<N, T>&, const vec_t<N, T>&, vec_t<N, T>& adj_a, vec_t<N, T>& adj_b, const vec_t<N, T>& adj_ret) {
    adj_accumulate(adj_a, adj_ret);
    adj_accumulate(adj_b, -adj_ret);
}
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_neg(const vec_t<N, T>&, vec_t<N, T>& adj_a, const vec_t<N, T>& adj_ret) {
    adj_accumulate(adj_a, -adj_ret);
}
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_pos(const vec_t<N, T>&, vec_t<N, T>& adj_a, const vec_t<N, T>& adj_ret) {
    adj_accumulate(adj_a, adj_ret);
}

// dot product helper used by several adjoints
template <unsigned N, typename T> CUDA_CALLABLE inline T dot(const vec_t<N, T>& a, const vec_t<N, T>& b) {
    T s = T(0);
    for (unsigned i = 0; i < N; ++i)
        s += T(a.c[i] * b.c[i]);
    return s;
}

// v * s and s * v: adj_v += s adj_ret, adj_s += dot(v, adj_ret)
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_mul(const vec_t<N, T>& a, T s, vec_t<N, T>& adj_a, T& adj_s, const vec_t<N, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += adj_ret * s;
        adj_s += dot(a, adj_ret);
    }
}
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_mul(T s, const vec_t<N, T>& a, T& adj_s, vec_t<N, T>& adj_a, const vec_t<N, T>& adj_ret) {
    adj_mul(a, s, adj_a, adj_s, adj_ret);
}

// v / s: adj_v += adj_ret / s, adj_s -= dot(v, adj_ret) / s^2
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_div(const vec_t<N, T>& a, T s, vec_t<N, T>& adj_a, T& adj_s, const vec_t<N, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += adj_ret / s;
        adj_s -= dot(a, adj_ret) / (s * s);
    }
}
// s / v (component-wise): d/ds = 1/v_i, d/dv_i = -s/v_i^2
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_div(T s, const vec_t<N, T>& a, T& adj_s, vec_t<N, T>& adj_a, const vec_t<N, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        for (unsigned i = 0; i < N; ++i) {
            adj_s += adj_ret.c[i] / a.c[i];
            adj_a.c[i] -= s * adj_ret.c[i] / (a.c[i] * a.c[i]);
        }
    }
}

// ---------------------------------------------------------------------------
// Component-wise builtins

template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> cw_mul(const vec_t<N, T>& a, const vec_t<N, T>& b) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = T(a.c[i] * b.c[i]);
    return r;
}
template <unsigned N, typename T> CUDA_CALLABLE inline void adj_cw_mul(const vec_t<N, T>& a, const vec_t<N, T>& b,
                                                                       vec_t<N, T>& adj_a, vec_t<N, T>& adj_b,
                                                                       const vec_t<N, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += cw_mul(b, adj_ret);
        adj_b += cw_mul(a, adj_ret);
    }
}

template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> cw_div(const vec_t<N, T>& a, const vec_t<N, T>& b) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = T(a.c[i] / b.c[i]);
    return r;
}
// cw_div passes its output (as in Warp): d/db_i = -ret_i / b_i
template <unsigned N, typename T> CUDA_CALLABLE inline void adj_cw_div(const vec_t<N, T>&, const vec_t<N, T>& b,
                                                                       const vec_t<N, T>& ret, vec_t<N, T>& adj_a,
                                                                       vec_t<N, T>& adj_b, const vec_t<N, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        for (unsigned i = 0; i < N; ++i) {
            adj_a.c[i] += adj_ret.c[i] / b.c[i];
            adj_b.c[i] -= adj_ret.c[i] * ret.c[i] / b.c[i];
        }
    }
}

// min/max of two vectors are component-wise; of one vector, a reduction.
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> min(const vec_t<N, T>& a, const vec_t<N, T>& b) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = min(a.c[i], b.c[i]);
    return r;
}
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> max(const vec_t<N, T>& a, const vec_t<N, T>& b) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = max(a.c[i], b.c[i]);
    return r;
}
template <unsigned N, typename T> CUDA_CALLABLE inline void adj_min(const vec_t<N, T>& a, const vec_t<N, T>& b,
                                                                    vec_t<N, T>& adj_a, vec_t<N, T>& adj_b,
                                                                    const vec_t<N, T>& adj_ret) {
    for (unsigned i = 0; i < N; ++i)
        adj_min(a.c[i], b.c[i], adj_a.c[i], adj_b.c[i], adj_ret.c[i]);
}
template <unsigned N, typename T> CUDA_CALLABLE inline void adj_max(const vec_t<N, T>& a, const vec_t<N, T>& b,
                                                                    vec_t<N, T>& adj_a, vec_t<N, T>& adj_b,
                                                                    const vec_t<N, T>& adj_ret) {
    for (unsigned i = 0; i < N; ++i)
        adj_max(a.c[i], b.c[i], adj_a.c[i], adj_b.c[i], adj_ret.c[i]);
}

namespace detail {
template <unsigned N, typename T, bool Larger> CUDA_CALLABLE inline unsigned arg_extreme(const vec_t<N, T>& a) {
    unsigned k = 0;
    for (unsigned i = 1; i < N; ++i)
        if (Larger ? a.c[k] < a.c[i] : a.c[i] < a.c[k])
            k = i;
    return k;
}
} // namespace detail

template <unsigned N, typename T> CUDA_CALLABLE inline T min(const vec_t<N, T>& a) {
    return a.c[detail::arg_extreme<N, T, false>(a)];
}
template <unsigned N, typename T> CUDA_CALLABLE inline T max(const vec_t<N, T>& a) {
    return a.c[detail::arg_extreme<N, T, true>(a)];
}
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_min(const vec_t<N, T>& a, vec_t<N, T>& adj_a, T adj_ret) {
    adj_accumulate(adj_a.c[detail::arg_extreme<N, T, false>(a)], adj_ret);
}
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_max(const vec_t<N, T>& a, vec_t<N, T>& adj_a, T adj_ret) {
    adj_accumulate(adj_a.c[detail::arg_extreme<N, T, true>(a)], adj_ret);
}

template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> abs(const vec_t<N, T>& a) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = abs(a.c[i]);
    return r;
}
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_abs(const vec_t<N, T>& a, vec_t<N, T>& adj_a, const vec_t<N, T>& adj_ret) {
    for (unsigned i = 0; i < N; ++i)
        adj_abs(a.c[i], adj_a.c[i], adj_ret.c[i]);
}

template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> sign(const vec_t<N, T>& a) {
    vec_t<N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.c[i] = sign(a.c[i]);
    return r;
}
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_sign(const vec_t<N, T>&, vec_t<N, T>&, const vec_t<N, T>&) {}

// ---------------------------------------------------------------------------
// Geometry

template <unsigned N, typename T> CUDA_CALLABLE inline void adj_dot(const vec_t<N, T>& a, const vec_t<N, T>& b,
                                                                    vec_t<N, T>& adj_a, vec_t<N, T>& adj_b, T adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += b * adj_ret;
        adj_b += a * adj_ret;
    }
}

template <typename T> CUDA_CALLABLE inline vec_t<3, T> cross(const vec_t<3, T>& a, const vec_t<3, T>& b) {
    return vec_t<3, T>(a.c[1] * b.c[2] - a.c[2] * b.c[1], a.c[2] * b.c[0] - a.c[0] * b.c[2],
                       a.c[0] * b.c[1] - a.c[1] * b.c[0]);
}
// d(a x b): adj_a += b x adj_ret, adj_b += adj_ret x a
template <typename T> CUDA_CALLABLE inline void adj_cross(const vec_t<3, T>& a, const vec_t<3, T>& b,
                                                          vec_t<3, T>& adj_a, vec_t<3, T>& adj_b,
                                                          const vec_t<3, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += cross(b, adj_ret);
        adj_b += cross(adj_ret, a);
    }
}

template <unsigned N, typename T> CUDA_CALLABLE inline T length_sq(const vec_t<N, T>& a) { return dot(a, a); }
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_length_sq(const vec_t<N, T>& a, vec_t<N, T>& adj_a, T adj_ret) {
    if constexpr (is_float<T>::value)
        adj_a += a * T(T(2) * adj_ret);
}

template <unsigned N, typename T> CUDA_CALLABLE inline T length(const vec_t<N, T>& a) { return sqrt(dot(a, a)); }
// length passes its output: d|a| = a / |a| (zero at the origin)
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_length(const vec_t<N, T>& a, T ret, vec_t<N, T>& adj_a, T adj_ret) {
    if constexpr (is_float<T>::value) {
        if (ret > T(0))
            adj_a += a * T(adj_ret / ret);
    }
}

// normalize(0) is 0, as in Warp.
template <unsigned N, typename T> CUDA_CALLABLE inline vec_t<N, T> normalize(const vec_t<N, T>& a) {
    const T l = length(a);
    return l > T(0) ? a / l : vec_t<N, T>();
}
// normalize passes its output r = a/|a|: adj_a += (adj_ret - r (r . adj_ret)) / |a|
template <unsigned N, typename T> CUDA_CALLABLE inline void
adj_normalize(const vec_t<N, T>& a, const vec_t<N, T>& ret, vec_t<N, T>& adj_a, const vec_t<N, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        const T l = length(a);
        if (l > T(0))
            adj_a += (adj_ret - ret * dot(ret, adj_ret)) / l;
    }
}

// Vector lerp with a scalar weight.
template <unsigned N, typename T>
CUDA_CALLABLE inline vec_t<N, T> lerp(const vec_t<N, T>& a, const vec_t<N, T>& b, T t) {
    return a * (T(1) - t) + b * t;
}
template <unsigned N, typename T> CUDA_CALLABLE inline void adj_lerp(const vec_t<N, T>& a, const vec_t<N, T>& b, T t,
                                                                     vec_t<N, T>& adj_a, vec_t<N, T>& adj_b, T& adj_t,
                                                                     const vec_t<N, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += adj_ret * (T(1) - t);
        adj_b += adj_ret * t;
        adj_t += dot(b - a, adj_ret);
    }
}

// ---------------------------------------------------------------------------
// Component access: v[i], v.x (negative indices count from the end)

namespace detail {
CUDA_CALLABLE inline int wrap_index(int i, int n) { return i < 0 ? i + n : i; }
} // namespace detail

template <unsigned N, typename T> CUDA_CALLABLE inline T extract(const vec_t<N, T>& a, int i) {
    return a.c[detail::wrap_index(i, int(N))];
}
template <unsigned N, typename T, typename I>
CUDA_CALLABLE inline void adj_extract(const vec_t<N, T>&, int i, vec_t<N, T>& adj_a, I, T adj_ret) {
    adj_accumulate(adj_a.c[detail::wrap_index(i, int(N))], adj_ret);
}

// In-place component updates of a local: `v[i] = x`, `v[i] += x`, `v[i] -= x`, `v[i] &= x` (| ^).
// Their adjoints pass the component's adjoint to the value and leave it in place (Warp does not clear it, so the
// overwritten component keeps receiving gradient); the bitwise ones have none.
template <unsigned N, typename T> CUDA_CALLABLE inline void assign_inplace(vec_t<N, T>& a, int i, T x) {
    a.c[detail::wrap_index(i, int(N))] = x;
}
template <unsigned N, typename T> CUDA_CALLABLE inline void add_inplace(vec_t<N, T>& a, int i, T x) {
    a.c[detail::wrap_index(i, int(N))] += x;
}
template <unsigned N, typename T> CUDA_CALLABLE inline void sub_inplace(vec_t<N, T>& a, int i, T x) {
    a.c[detail::wrap_index(i, int(N))] -= x;
}
template <unsigned N, typename T> CUDA_CALLABLE inline void bit_and_inplace(vec_t<N, T>& a, int i, T x) {
    a.c[detail::wrap_index(i, int(N))] &= x;
}
template <unsigned N, typename T> CUDA_CALLABLE inline void bit_or_inplace(vec_t<N, T>& a, int i, T x) {
    a.c[detail::wrap_index(i, int(N))] |= x;
}
template <unsigned N, typename T> CUDA_CALLABLE inline void bit_xor_inplace(vec_t<N, T>& a, int i, T x) {
    a.c[detail::wrap_index(i, int(N))] ^= x;
}
template <unsigned N, typename T, typename I>
CUDA_CALLABLE inline void adj_assign_inplace(const vec_t<N, T>&, int i, T, vec_t<N, T>& adj_a, I, T& adj_x) {
    adj_accumulate(adj_x, adj_a.c[detail::wrap_index(i, int(N))]);
}
template <unsigned N, typename T, typename I>
CUDA_CALLABLE inline void adj_add_inplace(const vec_t<N, T>&, int i, T, vec_t<N, T>& adj_a, I, T& adj_x) {
    adj_accumulate(adj_x, adj_a.c[detail::wrap_index(i, int(N))]);
}
template <unsigned N, typename T, typename I>
CUDA_CALLABLE inline void adj_sub_inplace(const vec_t<N, T>&, int i, T, vec_t<N, T>& adj_a, I, T& adj_x) {
    adj_accumulate(adj_x, T(-adj_a.c[detail::wrap_index(i, int(N))]));
}

// Element pointer, used for `v[i] = x` on a vector held in an array.
template <unsigned N, typename T> CUDA_CALLABLE inline T* index(vec_t<N, T>* a, int i) {
    return &a->c[detail::wrap_index(i, int(N))];
}

// ---------------------------------------------------------------------------
// Constructor adjoints: adj_vec_t(args..., adj_args..., adj_ret)

namespace detail {
// Returns the last argument of a pack (the adjoint of the constructed value).
template <typename A> CUDA_CALLABLE inline const A& last_arg(const A& a) { return a; }
template <typename A, typename... R> CUDA_CALLABLE inline decltype(auto) last_arg(const A&, const R&... r) {
    return last_arg(r...);
}

// For an argument list (p_0..p_{K-1}, adj_p_0..adj_p_{K-1}, adj_ret): adds
// component k of adj_ret to adj_p_k. `pos` walks the pack; primal and const
// arguments are skipped.
template <typename Ret, typename A>
CUDA_CALLABLE inline void scatter_component_adjoint(unsigned& pos, unsigned k, const Ret& adj_ret, A& arg) {
    typedef typename remove_cvref<A>::type V;
    if constexpr (!is_const<A>::value && is_scalar<V>::value) {
        if (pos >= k && pos < 2 * k)
            adj_accumulate(arg, V(adj_ret.flat(pos - k)));
    }
    ++pos;
}

template <typename... A> CUDA_CALLABLE inline void component_constructor_adjoint(A&&... args) {
    const unsigned k = unsigned(sizeof...(A) - 1) / 2;
    const auto& adj_ret = last_arg(args...);
    unsigned pos = 0;
    (scatter_component_adjoint(pos, k, adj_ret, args), ...);
}
} // namespace detail

// wp.vec3(x, y, z)
template <typename... A, typename enable_if<(sizeof...(A) >= 5), int>::type = 0>
CUDA_CALLABLE inline void adj_vec_t(A&&... args) {
    detail::component_constructor_adjoint(args...);
}
// wp.vec3(s)
template <unsigned N, typename T, typename S, WP_IF_SCALAR(S)>
CUDA_CALLABLE inline void adj_vec_t(S, S& adj_s, const vec_t<N, T>& adj_ret) {
    if constexpr (is_float<S>::value)
        for (unsigned i = 0; i < N; ++i)
            adj_s += S(adj_ret.c[i]);
}
// wp.vec3(other_vector)
template <unsigned N, typename T, typename U>
CUDA_CALLABLE inline void adj_vec_t(const vec_t<N, U>&, vec_t<N, U>& adj_v, const vec_t<N, T>& adj_ret) {
    if constexpr (is_float<U>::value)
        adj_v += vec_t<N, U>(adj_ret);
}

} // namespace WP_NAMESPACE
