// warpsynth runtime: operators on scalars, generic value builtins and casts.
//
// Adjoint convention (Warp's): primal args, then the primal output only for
// builtins whose gradient needs it (e.g. scalar div), then one adjoint per
// arg (by reference, accumulated into), then the adjoint of the output.
// Integer adjoints are no-ops, as in Warp.
#pragma once

#include "scalar.h"

namespace WP_NAMESPACE {

namespace detail {
// fmin/fmax semantics: a NaN operand is "missing" and the other one wins.
template <typename T> CUDA_CALLABLE inline bool is_nan_value(T x) {
    if constexpr (is_float<T>::value)
        return !(x == x);
    else
        return false;
}
} // namespace detail

// ---------------------------------------------------------------------------
// Arithmetic

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T add(T a, T b) { return T(a + b); }
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T sub(T a, T b) { return T(a - b); }
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T mul(T a, T b) { return T(a * b); }
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T div(T a, T b) { return T(a / b); }
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T neg(T a) { return T(-a); }
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T pos(T a) { return a; }

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_add(T, T, T& adj_a, T& adj_b, T adj_ret) {
    adj_accumulate(adj_a, adj_ret);
    adj_accumulate(adj_b, adj_ret);
}

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_sub(T, T, T& adj_a, T& adj_b, T adj_ret) {
    adj_accumulate(adj_a, adj_ret);
    adj_accumulate(adj_b, T(-adj_ret));
}

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_mul(T a, T b, T& adj_a, T& adj_b, T adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += b * adj_ret;
        adj_b += a * adj_ret;
    }
}

// Scalar division passes its output: d(a/b)/db = -(a/b)/b.
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_div(T, T b, T ret, T& adj_a, T& adj_b, T adj_ret) {
    if constexpr (is_float<T>::value) {
        adj_a += adj_ret / b;
        adj_b -= adj_ret * ret / b;
    }
}

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_neg(T, T& adj_a, T adj_ret) {
    adj_accumulate(adj_a, T(-adj_ret));
}

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_pos(T, T& adj_a, T adj_ret) {
    adj_accumulate(adj_a, adj_ret);
}

// ---------------------------------------------------------------------------
// min / max / clamp (floats: fmin/fmax NaN handling), gradients go to the
// operand that was selected.

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T min(T a, T b) {
    if (detail::is_nan_value(a))
        return b;
    if (detail::is_nan_value(b))
        return a;
    return b < a ? b : a;
}

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T max(T a, T b) {
    if (detail::is_nan_value(a))
        return b;
    if (detail::is_nan_value(b))
        return a;
    return a < b ? b : a;
}

// The gradient goes to the operand the forward picked; NaN loses, and a tie goes to the second operand (Warp).
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_min(T a, T b, T& adj_a, T& adj_b, T adj_ret) {
    if (detail::is_nan_value(a))
        adj_accumulate(adj_b, adj_ret);
    else if (detail::is_nan_value(b) || a < b)
        adj_accumulate(adj_a, adj_ret);
    else
        adj_accumulate(adj_b, adj_ret);
}

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_max(T a, T b, T& adj_a, T& adj_b, T adj_ret) {
    if (detail::is_nan_value(a))
        adj_accumulate(adj_b, adj_ret);
    else if (detail::is_nan_value(b) || a > b)
        adj_accumulate(adj_a, adj_ret);
    else
        adj_accumulate(adj_b, adj_ret);
}

// clamp(x, lo, hi) = min(max(lo, x), hi)
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T clamp(T x, T lo, T hi) { return min(max(lo, x), hi); }

template <typename T, WP_IF_SCALAR(T)>
CUDA_CALLABLE inline void adj_clamp(T x, T lo, T hi, T& adj_x, T& adj_lo, T& adj_hi, T adj_ret) {
    const T m = max(lo, x);
    T adj_m = T(0);
    adj_min(m, hi, adj_m, adj_hi, adj_ret);
    adj_max(lo, x, adj_lo, adj_x, adj_m);
}

// ---------------------------------------------------------------------------
// abs / sign / step (sign(0) = 1; step(x) = 1 for x < 0, as in Warp)

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T abs(T x) {
    if constexpr (is_integer<T>::value && T(-1) > T(0)) // unsigned (and bool)
        return x;
    else
        return x < T(0) ? T(-x) : x;
}

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_abs(T x, T& adj_x, T adj_ret) {
    if (x < T(0))
        adj_accumulate(adj_x, T(-adj_ret));
    else
        adj_accumulate(adj_x, adj_ret);
}

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T sign(T x) { return x < T(0) ? T(-1) : T(1); }
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_sign(T, T&, T) {}

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T step(T x) { return x < T(0) ? T(1) : T(0); }
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_step(T, T&, T) {}

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T nonzero(T x) { return x == T(0) ? T(0) : T(1); }
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_nonzero(T, T&, T) {}

// ---------------------------------------------------------------------------
// Bitwise and logical operators (integers only; not differentiable)

template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline T bit_and(T a, T b) { return T(a & b); }
template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline T bit_or(T a, T b) { return T(a | b); }
template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline T bit_xor(T a, T b) { return T(a ^ b); }
template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline T lshift(T a, T b) { return T(a << b); }
template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline T rshift(T a, T b) { return T(a >> b); }
template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline T invert(T a) { return T(~a); }
template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline void adj_bit_and(T, T, T&, T&, T) {}
template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline void adj_bit_or(T, T, T&, T&, T) {}
template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline void adj_bit_xor(T, T, T&, T&, T) {}
template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline void adj_lshift(T, T, T&, T&, T) {}
template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline void adj_rshift(T, T, T&, T&, T) {}
template <typename T, WP_IF_INTEGER(T)> CUDA_CALLABLE inline void adj_invert(T, T&, T) {}

// `not x`
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline bool unot(T x) { return !(x != T(0)); }
template <typename T, typename A> CUDA_CALLABLE inline void adj_unot(const T&, T&, const A&) {}

// ---------------------------------------------------------------------------
// Generic value builtins: copy, assign, where/select (any type)

template <typename T> CUDA_CALLABLE inline T copy(const T& src) { return src; }

template <typename T> CUDA_CALLABLE inline void adj_copy(const T&, T& adj_src, T& adj_dest) {
    adj_accumulate(adj_src, adj_dest);
    adj_dest = T{};
}

template <typename T> CUDA_CALLABLE inline void assign(T& dest, const T& src) { dest = src; }

// Used by mutated loop locals: the adjoint of the carried value moves from
// dest to src (the caller resets adj_src at the start of each iteration).
template <typename T> CUDA_CALLABLE inline void adj_assign(T&, const T&, T& adj_dest, T& adj_src) {
    adj_src = adj_dest;
    adj_dest = T{};
}

template <typename C, typename T> CUDA_CALLABLE inline T where(const C& cond, const T& a, const T& b) {
    return (!!cond) ? a : b;
}

template <typename C, typename T>
CUDA_CALLABLE inline void adj_where(const C& cond, const T&, const T&, C&, T& adj_a, T& adj_b, const T& adj_ret) {
    if (!!cond)
        adj_accumulate(adj_a, adj_ret);
    else
        adj_accumulate(adj_b, adj_ret);
}

// Deprecated Warp spelling with swapped branches: select(cond, if_false, if_true).
template <typename C, typename T> CUDA_CALLABLE inline T select(const C& cond, const T& a, const T& b) {
    return (!!cond) ? b : a;
}

template <typename C, typename T>
CUDA_CALLABLE inline void adj_select(const C& cond, const T&, const T&, C&, T& adj_a, T& adj_b, const T& adj_ret) {
    if (!!cond)
        adj_accumulate(adj_b, adj_ret);
    else
        adj_accumulate(adj_a, adj_ret);
}

// ---------------------------------------------------------------------------
// Casts. The module header maps `wp::float(x)` / `wp::int(x)` to these.

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline float32 cast_float(T x) { return float32(x); }
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline int32 cast_int(T x) { return int32(x); }

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_cast_float(T, T& adj_x, float32 adj_ret) {
    if constexpr (is_float<T>::value)
        adj_x += T(adj_ret);
}

template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_cast_int(T, T&, int32) {}

// Adjoints of the scalar constructors wp::float32(x), wp::int64(x), ...:
// gradient flows only between floating-point types.
#define WP_DECLARE_CAST_ADJOINT(NAME, TARGET)                                                                          \
    template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_##NAME(T, T& adj_x, TARGET adj_ret) {         \
        if constexpr (is_float<T>::value && is_float<TARGET>::value)                                                   \
            adj_x += T(typename compute_type<TARGET>::type(adj_ret));                                                  \
    }
WP_DECLARE_CAST_ADJOINT(float16, float16)
WP_DECLARE_CAST_ADJOINT(float32, float32)
WP_DECLARE_CAST_ADJOINT(float64, float64)
WP_DECLARE_CAST_ADJOINT(int8, int8)
WP_DECLARE_CAST_ADJOINT(uint8, uint8)
WP_DECLARE_CAST_ADJOINT(int16, int16)
WP_DECLARE_CAST_ADJOINT(uint16, uint16)
WP_DECLARE_CAST_ADJOINT(int32, int32)
WP_DECLARE_CAST_ADJOINT(uint32, uint32)
WP_DECLARE_CAST_ADJOINT(int64, int64)
WP_DECLARE_CAST_ADJOINT(uint64, uint64)
WP_DECLARE_CAST_ADJOINT(bool, bool)
#undef WP_DECLARE_CAST_ADJOINT

} // namespace WP_NAMESPACE
