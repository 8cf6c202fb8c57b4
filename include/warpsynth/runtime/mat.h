// warpsynth runtime: fixed-size row-major matrices, wp::mat_t<R, C, T>.
#pragma once

#include "vec.h"

namespace WP_NAMESPACE {

template <unsigned R, unsigned C, typename T> struct mat_t {
    T data[R][C];

    CUDA_CALLABLE mat_t() : data() {}

    // wp.mat33(s): every element set to s.
    CUDA_CALLABLE explicit mat_t(T s) {
        for (unsigned i = 0; i < R; ++i)
            for (unsigned j = 0; j < C; ++j)
                data[i][j] = s;
    }

    // wp.mat22(a, b, c, d): elements in row-major order.
    template <typename... A, typename enable_if<(R * C > 1) && sizeof...(A) == R * C, int>::type = 0>
    CUDA_CALLABLE mat_t(A... a) {
        const T elems[R * C] = {T(a)...};
        for (unsigned k = 0; k < R * C; ++k)
            data[k / C][k % C] = elems[k];
    }

    // wp.mat33(other_mat33d): element-wise conversion.
    template <typename U> CUDA_CALLABLE explicit mat_t(const mat_t<R, C, U>& o) {
        for (unsigned i = 0; i < R; ++i)
            for (unsigned j = 0; j < C; ++j)
                data[i][j] = T(o.data[i][j]);
    }

    CUDA_CALLABLE vec_t<C, T> get_row(int i) const {
        vec_t<C, T> r;
        for (unsigned j = 0; j < C; ++j)
            r.c[j] = data[i][j];
        return r;
    }

    // k-th element in row-major order (see vec_t::flat)
    CUDA_CALLABLE T flat(unsigned k) const { return data[k / C][k % C]; }
};

template <unsigned R, unsigned C, typename T> struct is_differentiable<mat_t<R, C, T>> {
    static constexpr bool value = is_float<T>::value;
};

// Loop header over every element (i, j) of an R x C matrix.
#define WP_MAT_FOR_EACH(i, j)                                                                                          \
    for (unsigned i = 0; i < R; ++i)                                                                                   \
        for (unsigned j = 0; j < C; ++j)

template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T> operator+(const mat_t<R, C, T>& a, const mat_t<R, C, T>& b) {
    mat_t<R, C, T> r;
    WP_MAT_FOR_EACH(i, j) r.data[i][j] = T(a.data[i][j] + b.data[i][j]);
    return r;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T> operator-(const mat_t<R, C, T>& a, const mat_t<R, C, T>& b) {
    mat_t<R, C, T> r;
    WP_MAT_FOR_EACH(i, j) r.data[i][j] = T(a.data[i][j] - b.data[i][j]);
    return r;
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline mat_t<R, C, T> operator-(const mat_t<R, C, T>& a) {
    mat_t<R, C, T> r;
    WP_MAT_FOR_EACH(i, j) r.data[i][j] = T(-a.data[i][j]);
    return r;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T> operator*(const mat_t<R, C, T>& a, T s) {
    mat_t<R, C, T> r;
    WP_MAT_FOR_EACH(i, j) r.data[i][j] = T(a.data[i][j] * s);
    return r;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T> operator*(T s, const mat_t<R, C, T>& a) {
    return a * s;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T> operator/(const mat_t<R, C, T>& a, T s) {
    mat_t<R, C, T> r;
    WP_MAT_FOR_EACH(i, j) r.data[i][j] = T(a.data[i][j] / s);
    return r;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T>& operator+=(mat_t<R, C, T>& a, const mat_t<R, C, T>& b) {
    WP_MAT_FOR_EACH(i, j) a.data[i][j] += b.data[i][j];
    return a;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T>& operator-=(mat_t<R, C, T>& a, const mat_t<R, C, T>& b) {
    WP_MAT_FOR_EACH(i, j) a.data[i][j] -= b.data[i][j];
    return a;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline bool operator==(const mat_t<R, C, T>& a, const mat_t<R, C, T>& b) {
    WP_MAT_FOR_EACH(i, j) if (!(a.data[i][j] == b.data[i][j])) return false;
    return true;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline bool operator!=(const mat_t<R, C, T>& a, const mat_t<R, C, T>& b) {
    return !(a == b);
}

// ---------------------------------------------------------------------------
// Basic algebra

template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline mat_t<C, R, T> transpose(const mat_t<R, C, T>& a) {
    mat_t<C, R, T> r;
    WP_MAT_FOR_EACH(i, j) r.data[j][i] = a.data[i][j];
    return r;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline void adj_transpose(const mat_t<R, C, T>&, mat_t<R, C, T>& adj_a, const mat_t<C, R, T>& adj_ret) {
    adj_accumulate(adj_a, transpose(adj_ret));
}

// outer(a, b) = a b^T
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T> outer(const vec_t<R, T>& a, const vec_t<C, T>& b) {
    mat_t<R, C, T> r;
    WP_MAT_FOR_EACH(i, j) r.data[i][j] = T(a.c[i] * b.c[j]);
    return r;
}

// matrix-vector products
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline vec_t<R, T> mul(const mat_t<R, C, T>& m, const vec_t<C, T>& v) {
    vec_t<R, T> r;
    WP_MAT_FOR_EACH(i, j) r.c[i] += T(m.data[i][j] * v.c[j]);
    return r;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline vec_t<C, T> mul(const vec_t<R, T>& v, const mat_t<R, C, T>& m) {
    vec_t<C, T> r;
    WP_MAT_FOR_EACH(i, j) r.c[j] += T(v.c[i] * m.data[i][j]);
    return r;
}
// matrix product (R x K) (K x C)
template <unsigned R, unsigned K, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T> mul(const mat_t<R, K, T>& a, const mat_t<K, C, T>& b) {
    mat_t<R, C, T> r;
    for (unsigned i = 0; i < R; ++i)
        for (unsigned j = 0; j < C; ++j)
            for (unsigned k = 0; k < K; ++k)
                r.data[i][j] += T(a.data[i][k] * b.data[k][j]);
    return r;
}

template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline void adj_outer(const vec_t<R, T>& a, const vec_t<C, T>& b, vec_t<R, T>& adj_a, vec_t<C, T>& adj_b,
                                    const mat_t<R, C, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += mul(adj_ret, b);
        adj_b += mul(a, adj_ret);
    }
}

// y = M v: adj_M += adj_y v^T, adj_v += M^T adj_y
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline void adj_mul(const mat_t<R, C, T>& m, const vec_t<C, T>& v, mat_t<R, C, T>& adj_m,
                                  vec_t<C, T>& adj_v, const vec_t<R, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_m += outer(adj_ret, v);
        adj_v += mul(adj_ret, m);
    }
}
// y = v^T M: adj_v += M adj_y, adj_M += v adj_y^T
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline void adj_mul(const vec_t<R, T>& v, const mat_t<R, C, T>& m, vec_t<R, T>& adj_v,
                                  mat_t<R, C, T>& adj_m, const vec_t<C, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_v += mul(m, adj_ret);
        adj_m += outer(v, adj_ret);
    }
}
// Y = A B: adj_A += adj_Y B^T, adj_B += A^T adj_Y
template <unsigned R, unsigned K, unsigned C, typename T>
CUDA_CALLABLE inline void adj_mul(const mat_t<R, K, T>& a, const mat_t<K, C, T>& b, mat_t<R, K, T>& adj_a,
                                  mat_t<K, C, T>& adj_b, const mat_t<R, C, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += mul(adj_ret, transpose(b));
        adj_b += mul(transpose(a), adj_ret);
    }
}

template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T> add(const mat_t<R, C, T>& a, const mat_t<R, C, T>& b) {
    return a + b;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T> sub(const mat_t<R, C, T>& a, const mat_t<R, C, T>& b) {
    return a - b;
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline mat_t<R, C, T> neg(const mat_t<R, C, T>& a) {
    return -a;
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline mat_t<R, C, T> pos(const mat_t<R, C, T>& a) {
    return a;
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline mat_t<R, C, T> mul(const mat_t<R, C, T>& a, T s) {
    return a * s;
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline mat_t<R, C, T> mul(T s, const mat_t<R, C, T>& a) {
    return a * s;
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline mat_t<R, C, T> div(const mat_t<R, C, T>& a, T s) {
    return a / s;
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline mat_t<R, C, T> div(T s, const mat_t<R, C, T>& a) {
    mat_t<R, C, T> r;
    WP_MAT_FOR_EACH(i, j) r.data[i][j] = T(s / a.data[i][j]);
    return r;
}

// Frobenius inner product, used by the scalar-weight adjoints.
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline T ddot(const mat_t<R, C, T>& a, const mat_t<R, C, T>& b) {
    T s = T(0);
    WP_MAT_FOR_EACH(i, j) s += T(a.data[i][j] * b.data[i][j]);
    return s;
}

template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline void adj_add(const mat_t<R, C, T>&, const mat_t<R, C, T>&, mat_t<R, C, T>& adj_a,
                                  mat_t<R, C, T>& adj_b, const mat_t<R, C, T>& adj_ret) {
    adj_accumulate(adj_a, adj_ret);
    adj_accumulate(adj_b, adj_ret);
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline void adj_sub(const mat_t<R, C, T>&, const mat_t<R, C, T>&, mat_t<R, C, T>& adj_a,
                                  mat_t<R, C, T>& adj_b, const mat_t<R, C, T>& adj_ret) {
    adj_accumulate(adj_a, adj_ret);
    adj_accumulate(adj_b, -adj_ret);
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline void adj_neg(const mat_t<R, C, T>&, mat_t<R, C, T>& adj_a, const mat_t<R, C, T>& adj_ret) {
    adj_accumulate(adj_a, -adj_ret);
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline void adj_pos(const mat_t<R, C, T>&, mat_t<R, C, T>& adj_a, const mat_t<R, C, T>& adj_ret) {
    adj_accumulate(adj_a, adj_ret);
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline void
adj_mul(const mat_t<R, C, T>& a, T s, mat_t<R, C, T>& adj_a, T& adj_s, const mat_t<R, C, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += adj_ret * s;
        adj_s += ddot(a, adj_ret);
    }
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline void
adj_mul(T s, const mat_t<R, C, T>& a, T& adj_s, mat_t<R, C, T>& adj_a, const mat_t<R, C, T>& adj_ret) {
    adj_mul(a, s, adj_a, adj_s, adj_ret);
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline void
adj_div(const mat_t<R, C, T>& a, T s, mat_t<R, C, T>& adj_a, T& adj_s, const mat_t<R, C, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += adj_ret / s;
        adj_s -= ddot(a, adj_ret) / (s * s);
    }
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline void
adj_div(T s, const mat_t<R, C, T>& a, T& adj_s, mat_t<R, C, T>& adj_a, const mat_t<R, C, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        WP_MAT_FOR_EACH(i, j) {
            adj_s += adj_ret.data[i][j] / a.data[i][j];
            adj_a.data[i][j] -= s * adj_ret.data[i][j] / (a.data[i][j] * a.data[i][j]);
        }
    }
}

template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T> cw_mul(const mat_t<R, C, T>& a, const mat_t<R, C, T>& b) {
    mat_t<R, C, T> r;
    WP_MAT_FOR_EACH(i, j) r.data[i][j] = T(a.data[i][j] * b.data[i][j]);
    return r;
}
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline void adj_cw_mul(const mat_t<R, C, T>& a, const mat_t<R, C, T>& b, mat_t<R, C, T>& adj_a,
                                     mat_t<R, C, T>& adj_b, const mat_t<R, C, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += cw_mul(b, adj_ret);
        adj_b += cw_mul(a, adj_ret);
    }
}

template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline mat_t<R, C, T> cw_div(const mat_t<R, C, T>& a, const mat_t<R, C, T>& b) {
    mat_t<R, C, T> r;
    WP_MAT_FOR_EACH(i, j) r.data[i][j] = T(a.data[i][j] / b.data[i][j]);
    return r;
}
// cw_div passes its output (as in Warp): d/db_ij = -ret_ij / b_ij
template <unsigned R, unsigned C, typename T>
CUDA_CALLABLE inline void adj_cw_div(const mat_t<R, C, T>&, const mat_t<R, C, T>& b, const mat_t<R, C, T>& ret,
                                     mat_t<R, C, T>& adj_a, mat_t<R, C, T>& adj_b, const mat_t<R, C, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        WP_MAT_FOR_EACH(i, j) {
            adj_a.data[i][j] += adj_ret.data[i][j] / b.data[i][j];
            adj_b.data[i][j] -= adj_ret.data[i][j] * ret.data[i][j] / b.data[i][j];
        }
    }
}

// ---------------------------------------------------------------------------
// Square-matrix builtins

template <unsigned N, typename T> CUDA_CALLABLE inline mat_t<N, N, T> identity() {
    mat_t<N, N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.data[i][i] = T(1);
    return r;
}
// identity() has no differentiable inputs.
template <unsigned N, typename T, typename... A> CUDA_CALLABLE inline void adj_identity(const A&...) {}

template <unsigned N, typename T> CUDA_CALLABLE inline T trace(const mat_t<N, N, T>& m) {
    T s = T(0);
    for (unsigned i = 0; i < N; ++i)
        s += m.data[i][i];
    return s;
}
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_trace(const mat_t<N, N, T>&, mat_t<N, N, T>& adj_m, T adj_ret) {
    if constexpr (is_float<T>::value)
        for (unsigned i = 0; i < N; ++i)
            adj_m.data[i][i] += adj_ret;
}

template <unsigned N, typename T> CUDA_CALLABLE inline mat_t<N, N, T> diag(const vec_t<N, T>& d) {
    mat_t<N, N, T> r;
    for (unsigned i = 0; i < N; ++i)
        r.data[i][i] = d.c[i];
    return r;
}
template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_diag(const vec_t<N, T>&, vec_t<N, T>& adj_d, const mat_t<N, N, T>& adj_ret) {
    if constexpr (is_float<T>::value)
        for (unsigned i = 0; i < N; ++i)
            adj_d.c[i] += adj_ret.data[i][i];
}

namespace detail {
// The matrix with row r and column c removed.
template <unsigned N, typename T>
CUDA_CALLABLE inline mat_t<N - 1, N - 1, T> minor_of(const mat_t<N, N, T>& m, unsigned r, unsigned c) {
    mat_t<N - 1, N - 1, T> out;
    for (unsigned i = 0, oi = 0; i < N; ++i) {
        if (i == r)
            continue;
        for (unsigned j = 0, oj = 0; j < N; ++j) {
            if (j == c)
                continue;
            out.data[oi][oj++] = m.data[i][j];
        }
        ++oi;
    }
    return out;
}
} // namespace detail

// Laplace expansion: exact for the small sizes Warp supports and valid for
// singular matrices, which the cofactor-based gradient below relies on.
template <unsigned N, typename T> CUDA_CALLABLE inline T determinant(const mat_t<N, N, T>& m) {
    if constexpr (N == 1) {
        return m.data[0][0];
    } else if constexpr (N == 2) {
        return T(m.data[0][0] * m.data[1][1] - m.data[0][1] * m.data[1][0]);
    } else {
        T d = T(0);
        for (unsigned j = 0; j < N; ++j) {
            const T term = T(m.data[0][j] * determinant(detail::minor_of(m, 0, j)));
            d += (j % 2 == 0) ? term : T(-term);
        }
        return d;
    }
}

// Cofactor matrix: C_ij = (-1)^(i+j) det(minor_ij) = d det(M) / d M_ij.
template <unsigned N, typename T> CUDA_CALLABLE inline mat_t<N, N, T> cofactor(const mat_t<N, N, T>& m) {
    mat_t<N, N, T> r;
    if constexpr (N == 1) {
        r.data[0][0] = T(1);
    } else {
        for (unsigned i = 0; i < N; ++i)
            for (unsigned j = 0; j < N; ++j) {
                const T d = determinant(detail::minor_of(m, i, j));
                r.data[i][j] = ((i + j) % 2 == 0) ? d : T(-d);
            }
    }
    return r;
}

template <unsigned N, typename T>
CUDA_CALLABLE inline void adj_determinant(const mat_t<N, N, T>& m, mat_t<N, N, T>& adj_m, T adj_ret) {
    if constexpr (is_float<T>::value)
        adj_m += cofactor(m) * adj_ret;
}

// inverse = adjugate / det; a singular matrix gives the zero matrix, as in Warp.
template <unsigned N, typename T> CUDA_CALLABLE inline mat_t<N, N, T> inverse(const mat_t<N, N, T>& m) {
    const mat_t<N, N, T> cof = cofactor(m);
    T det = T(0);
    for (unsigned j = 0; j < N; ++j)
        det += T(m.data[0][j] * cof.data[0][j]);
    if (det == T(0))
        return mat_t<N, N, T>();
    return transpose(cof) * T(T(1) / det);
}
// inverse passes its output: d(M^-1) = -M^-1 dM M^-1, so adj_M -= R^T adj_R R^T
template <unsigned N, typename T> CUDA_CALLABLE inline void
adj_inverse(const mat_t<N, N, T>&, const mat_t<N, N, T>& ret, mat_t<N, N, T>& adj_m, const mat_t<N, N, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        const mat_t<N, N, T> rt = transpose(ret);
        adj_m -= mul(mul(rt, adj_ret), rt);
    }
}

// ---------------------------------------------------------------------------
// Element access: m[i] is a row, m[i, j] / m[i][j] an element

template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline vec_t<C, T> extract(const mat_t<R, C, T>& m, int i) {
    return m.get_row(detail::wrap_index(i, int(R)));
}
template <unsigned R, unsigned C, typename T> CUDA_CALLABLE inline T extract(const mat_t<R, C, T>& m, int i, int j) {
    return m.data[detail::wrap_index(i, int(R))][detail::wrap_index(j, int(C))];
}
template <unsigned R, unsigned C, typename T, typename I> CUDA_CALLABLE inline void
adj_extract(const mat_t<R, C, T>&, int i, mat_t<R, C, T>& adj_m, I, const vec_t<C, T>& adj_ret) {
    if constexpr (is_float<T>::value) {
        const int r = detail::wrap_index(i, int(R));
        for (unsigned j = 0; j < C; ++j)
            adj_m.data[r][j] += adj_ret.c[j];
    }
}
template <unsigned R, unsigned C, typename T, typename I, typename J>
CUDA_CALLABLE inline void adj_extract(const mat_t<R, C, T>&, int i, int j, mat_t<R, C, T>& adj_m, I, J, T adj_ret) {
    adj_accumulate(adj_m.data[detail::wrap_index(i, int(R))][detail::wrap_index(j, int(C))], adj_ret);
}

// In-place updates of a local matrix: `m[i, j] <op>= x` on an element, `m[i] <op>= row` on a row (see vec.h).
#define WP_MAT_INPLACE(name, op)                                                                                   \
    template <unsigned R, unsigned C, typename T>                                                                  \
    CUDA_CALLABLE inline void name(mat_t<R, C, T>& m, int i, int j, T x) {                                         \
        m.data[detail::wrap_index(i, int(R))][detail::wrap_index(j, int(C))] op x;                                 \
    }                                                                                                              \
    template <unsigned R, unsigned C, typename T>                                                                  \
    CUDA_CALLABLE inline void name(mat_t<R, C, T>& m, int i, const vec_t<C, T>& row) {                             \
        const int r = detail::wrap_index(i, int(R));                                                               \
        for (unsigned j = 0; j < C; ++j)                                                                           \
            m.data[r][j] op row.c[j];                                                                              \
    }
WP_MAT_INPLACE(assign_inplace, =)
WP_MAT_INPLACE(add_inplace, +=)
WP_MAT_INPLACE(sub_inplace, -=)
#undef WP_MAT_INPLACE

#define WP_MAT_ADJ_INPLACE(name, sign)                                                                             \
    template <unsigned R, unsigned C, typename T, typename I, typename J>                                          \
    CUDA_CALLABLE inline void name(const mat_t<R, C, T>&, int i, int j, T, mat_t<R, C, T>& adj_m, I, J, T& adj_x) { \
        adj_accumulate(adj_x, T(sign adj_m.data[detail::wrap_index(i, int(R))][detail::wrap_index(j, int(C))]));  \
    }                                                                                                              \
    template <unsigned R, unsigned C, typename T, typename I>                                                      \
    CUDA_CALLABLE inline void name(const mat_t<R, C, T>&, int i, const vec_t<C, T>&, mat_t<R, C, T>& adj_m, I,     \
                                   vec_t<C, T>& adj_row) {                                                         \
        const int r = detail::wrap_index(i, int(R));                                                               \
        for (unsigned j = 0; j < C; ++j)                                                                           \
            adj_accumulate(adj_row.c[j], T(sign adj_m.data[r][j]));                                                \
    }
WP_MAT_ADJ_INPLACE(adj_assign_inplace, )
WP_MAT_ADJ_INPLACE(adj_add_inplace, )
WP_MAT_ADJ_INPLACE(adj_sub_inplace, -)
#undef WP_MAT_ADJ_INPLACE

// ---------------------------------------------------------------------------
// Constructor adjoints: adj_mat_t(elements..., adj_elements..., adj_ret)

template <typename... A, typename enable_if<(sizeof...(A) >= 5), int>::type = 0>
CUDA_CALLABLE inline void adj_mat_t(A&&... args) {
    detail::component_constructor_adjoint(args...);
}
// wp.mat33(s)
template <unsigned R, unsigned C, typename T, typename S, WP_IF_SCALAR(S)>
CUDA_CALLABLE inline void adj_mat_t(S, S& adj_s, const mat_t<R, C, T>& adj_ret) {
    if constexpr (is_float<S>::value)
        WP_MAT_FOR_EACH(i, j) adj_s += S(adj_ret.data[i][j]);
}
// wp.mat33(other_matrix)
template <unsigned R, unsigned C, typename T, typename U>
CUDA_CALLABLE inline void adj_mat_t(const mat_t<R, C, U>&, mat_t<R, C, U>& adj_m, const mat_t<R, C, T>& adj_ret) {
    if constexpr (is_float<U>::value)
        adj_m += mat_t<R, C, U>(adj_ret);
}

#undef WP_MAT_FOR_EACH

} // namespace WP_NAMESPACE
