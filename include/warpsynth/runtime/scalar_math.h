// warpsynth runtime: transcendental and rounding builtins on scalars.
//
// (Named scalar_math.h, not math.h: this folder is on the include path and a
// math.h here would shadow the C library's.)
//
// Each builtin is a template over the floating-point types; the work is done
// in compute_type<T> (float for half) through the C math functions, which
// both the host libm and NVRTC provide as sinf/sin, expf/exp, ...
#pragma once

#include "scalar_ops.h"

namespace WP_NAMESPACE {

namespace libm {
// float and double overloads of the C math functions, so templates can call
// one name for both precisions.
#define WP_LIBM_1(NAME)                                                                                                \
    CUDA_CALLABLE inline float NAME(float x) { return ::NAME##f(x); }                                                  \
    CUDA_CALLABLE inline double NAME(double x) { return ::NAME(x); }
#define WP_LIBM_2(NAME)                                                                                                \
    CUDA_CALLABLE inline float NAME(float x, float y) { return ::NAME##f(x, y); }                                      \
    CUDA_CALLABLE inline double NAME(double x, double y) { return ::NAME(x, y); }
WP_LIBM_1(sin)
WP_LIBM_1(cos)
WP_LIBM_1(tan)
WP_LIBM_1(asin)
WP_LIBM_1(acos)
WP_LIBM_1(atan)
WP_LIBM_1(sinh)
WP_LIBM_1(cosh)
WP_LIBM_1(tanh)
WP_LIBM_1(sqrt)
WP_LIBM_1(cbrt)
WP_LIBM_1(exp)
WP_LIBM_1(exp2)
WP_LIBM_1(log)
WP_LIBM_1(log2)
WP_LIBM_1(log10)
WP_LIBM_1(floor)
WP_LIBM_1(ceil)
WP_LIBM_1(round)
WP_LIBM_1(rint)
WP_LIBM_1(trunc)
WP_LIBM_1(erf)
WP_LIBM_1(erfc)
WP_LIBM_2(atan2)
WP_LIBM_2(pow)
WP_LIBM_2(fmod)
WP_LIBM_2(copysign)
#undef WP_LIBM_1
#undef WP_LIBM_2
} // namespace libm

// Unary builtin whose gradient is written in terms of x only.
#define WP_UNARY_FLOAT_BUILTIN(NAME, EXPR)                                                                             \
    template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline T NAME(T x_) {                                          \
        typedef typename compute_type<T>::type C;                                                                      \
        const C x = C(x_);                                                                                             \
        return T(EXPR);                                                                                                \
    }

// Adjoint adj_NAME(x, adj_x, adj_ret) with the derivative DERIV(x).
#define WP_UNARY_ADJOINT(NAME, DERIV)                                                                                  \
    template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline void adj_##NAME(T x_, T& adj_x, T adj_ret) {            \
        typedef typename compute_type<T>::type C;                                                                      \
        const C x = C(x_);                                                                                             \
        (void)x; /* constant derivatives do not read x */                                                              \
        adj_x += T(C(DERIV) * C(adj_ret));                                                                             \
    }

// Adjoint adj_NAME(x, ret, adj_x, adj_ret) for builtins whose derivative is
// cheaper from the output (Warp passes the output for these).
#define WP_UNARY_ADJOINT_WITH_OUTPUT(NAME, DERIV)                                                                      \
    template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline void adj_##NAME(T x_, T ret_, T& adj_x, T adj_ret) {    \
        typedef typename compute_type<T>::type C;                                                                      \
        const C x = C(x_);                                                                                             \
        const C ret = C(ret_);                                                                                         \
        (void)x;                                                                                                       \
        (void)ret;                                                                                                     \
        adj_x += T(C(DERIV) * C(adj_ret));                                                                             \
    }

// Piecewise-constant builtins have zero gradient almost everywhere.
#define WP_UNARY_ZERO_ADJOINT(NAME)                                                                                    \
    template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline void adj_##NAME(T, T&, T) {}

WP_UNARY_FLOAT_BUILTIN(sin, libm::sin(x))
WP_UNARY_ADJOINT(sin, libm::cos(x))
WP_UNARY_FLOAT_BUILTIN(cos, libm::cos(x))
WP_UNARY_ADJOINT(cos, -libm::sin(x))
WP_UNARY_FLOAT_BUILTIN(tan, libm::tan(x))
WP_UNARY_ADJOINT(tan, C(1) / (libm::cos(x) * libm::cos(x)))

// asin/acos clamp their input to [-1, 1] like Warp; the gradient is taken
// inside the open interval only (it is infinite at the ends).
WP_UNARY_FLOAT_BUILTIN(asin, libm::asin(x < C(-1) ? C(-1) : (x > C(1) ? C(1) : x)))
WP_UNARY_ADJOINT(asin, (x > C(-1) && x < C(1)) ? C(1) / libm::sqrt(C(1) - x * x) : C(0))
WP_UNARY_FLOAT_BUILTIN(acos, libm::acos(x < C(-1) ? C(-1) : (x > C(1) ? C(1) : x)))
WP_UNARY_ADJOINT(acos, (x > C(-1) && x < C(1)) ? C(-1) / libm::sqrt(C(1) - x * x) : C(0))
WP_UNARY_FLOAT_BUILTIN(atan, libm::atan(x))
WP_UNARY_ADJOINT(atan, C(1) / (C(1) + x * x))

WP_UNARY_FLOAT_BUILTIN(sinh, libm::sinh(x))
WP_UNARY_ADJOINT(sinh, libm::cosh(x))
WP_UNARY_FLOAT_BUILTIN(cosh, libm::cosh(x))
WP_UNARY_ADJOINT(cosh, libm::sinh(x))
WP_UNARY_FLOAT_BUILTIN(tanh, libm::tanh(x))
WP_UNARY_ADJOINT_WITH_OUTPUT(tanh, C(1) - ret * ret)

WP_UNARY_FLOAT_BUILTIN(sqrt, libm::sqrt(x))
WP_UNARY_ADJOINT_WITH_OUTPUT(sqrt, C(0.5) / ret)
WP_UNARY_FLOAT_BUILTIN(cbrt, libm::cbrt(x))
WP_UNARY_ADJOINT_WITH_OUTPUT(cbrt, C(1) / (C(3) * ret * ret))
WP_UNARY_FLOAT_BUILTIN(exp, libm::exp(x))
WP_UNARY_ADJOINT_WITH_OUTPUT(exp, ret)
WP_UNARY_FLOAT_BUILTIN(exp2, libm::exp2(x))
WP_UNARY_ADJOINT_WITH_OUTPUT(exp2, ret* C(0.693147180559945309417232121458176568))

WP_UNARY_FLOAT_BUILTIN(log, libm::log(x))
WP_UNARY_ADJOINT(log, C(1) / x)
WP_UNARY_FLOAT_BUILTIN(log2, libm::log2(x))
WP_UNARY_ADJOINT(log2, C(1.442695040888963407359924681001892137) / x)
WP_UNARY_FLOAT_BUILTIN(log10, libm::log10(x))
WP_UNARY_ADJOINT(log10, C(0.434294481903251827651128918916605082) / x)

WP_UNARY_FLOAT_BUILTIN(erf, libm::erf(x))
WP_UNARY_ADJOINT(erf, C(1.128379167095512573896158903121545172) * libm::exp(-x * x))
WP_UNARY_FLOAT_BUILTIN(erfc, libm::erfc(x))
WP_UNARY_ADJOINT(erfc, C(-1.128379167095512573896158903121545172) * libm::exp(-x * x))

// degrees/radians: the product with the (double) constant is formed in double and rounded once to T (through
// float for half), like Warp's `x * RAD_TO_DEG`; the adjoint scales by the constant rounded to T first.
#define WP_ANGLE_BUILTIN(NAME, K)                                                                                      \
    template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline T NAME(T x) { return T(double(x) * (K)); }             \
    template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline void adj_##NAME(T, T& adj_x, T adj_ret) {              \
        adj_x += T(T(K) * adj_ret);                                                                                    \
    }
WP_ANGLE_BUILTIN(degrees, 57.29577951308232087679)
WP_ANGLE_BUILTIN(radians, 0.01745329251994329577)
#undef WP_ANGLE_BUILTIN

// rsqrt passes its output like sqrt: d/dx x^-1/2 = -ret^3 / 2.
WP_UNARY_FLOAT_BUILTIN(rsqrt, C(1) / libm::sqrt(x))
WP_UNARY_ADJOINT_WITH_OUTPUT(rsqrt, C(-0.5) * ret * ret * ret)

// round: half away from zero (roundf); rint: half to even.
WP_UNARY_FLOAT_BUILTIN(floor, libm::floor(x))
WP_UNARY_ZERO_ADJOINT(floor)
WP_UNARY_FLOAT_BUILTIN(ceil, libm::ceil(x))
WP_UNARY_ZERO_ADJOINT(ceil)
WP_UNARY_FLOAT_BUILTIN(round, libm::round(x))
WP_UNARY_ZERO_ADJOINT(round)
WP_UNARY_FLOAT_BUILTIN(rint, libm::rint(x))
WP_UNARY_ZERO_ADJOINT(rint)
WP_UNARY_FLOAT_BUILTIN(trunc, libm::trunc(x))
WP_UNARY_ZERO_ADJOINT(trunc)

// frac(x) = x - trunc(x). Its slope is 1 between integers, but Warp's adj_frac
// is empty (and Warp's IR never calls it: frac is registered non-differentiable);
// the same convention here, so a kernel behaves as under Warp's own headers.
WP_UNARY_FLOAT_BUILTIN(frac, x - libm::trunc(x))
WP_UNARY_ZERO_ADJOINT(frac)

#undef WP_UNARY_FLOAT_BUILTIN
#undef WP_UNARY_ADJOINT
#undef WP_UNARY_ADJOINT_WITH_OUTPUT
#undef WP_UNARY_ZERO_ADJOINT

// isfinite / isnan / isinf (integers are always finite)
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline bool isnan(T x) { return detail::is_nan_value(x); }
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline bool isinf(T x) {
    if constexpr (is_float<T>::value) {
        typedef typename compute_type<T>::type C;
        const C v = C(x);
        return v - v != v - v && v == v; // inf - inf is nan, finite - finite is 0
    } else {
        return false;
    }
}
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline bool isfinite(T x) { return !isnan(x) && !isinf(x); }

// ---------------------------------------------------------------------------
// Binary builtins

// copysign(x, y): x's magnitude with y's sign. d/dx is +1 where the signs (bits) agree, -1 otherwise; d/dy is 0
// almost everywhere (Warp's adj_copysign).
template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline T copysign(T x, T y) {
    typedef typename compute_type<T>::type C;
    return T(libm::copysign(C(x), C(y)));
}
template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline void adj_copysign(T x, T y, T& adj_x, T&, T adj_ret) {
    typedef typename compute_type<T>::type C;
    if (libm::copysign(C(1), C(x)) == libm::copysign(C(1), C(y)))
        adj_x += adj_ret;
    else
        adj_x -= adj_ret;
}

// atan2(y, x): d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2)
template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline T atan2(T y, T x) {
    typedef typename compute_type<T>::type C;
    return T(libm::atan2(C(y), C(x)));
}

template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline void adj_atan2(T y_, T x_, T& adj_y, T& adj_x, T adj_ret) {
    typedef typename compute_type<T>::type C;
    const C y = C(y_), x = C(x_);
    const C d = x * x + y * y;
    if (d > C(0)) {
        adj_y += T(x / d * C(adj_ret));
        adj_x += T(-y / d * C(adj_ret));
    }
}

// pow passes its output: d/da = b a^(b-1), d/db = log(a) a^b.
template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline T pow(T a, T b) {
    typedef typename compute_type<T>::type C;
    return T(libm::pow(C(a), C(b)));
}

template <typename T, WP_IF_FLOAT(T)>
CUDA_CALLABLE inline void adj_pow(T a_, T b_, T ret_, T& adj_a, T& adj_b, T adj_ret) {
    typedef typename compute_type<T>::type C;
    const C a = C(a_), b = C(b_), ret = C(ret_), g = C(adj_ret);
    adj_a += T(b * libm::pow(a, b - C(1)) * g);
    // log(a) is undefined for a <= 0; there b only matters at integer values
    // where the derivative in b does not exist, so skip it.
    if (a > C(0))
        adj_b += T(libm::log(a) * ret * g);
}

// Truncated modulo (sign follows the dividend): C `%` for ints, fmod for floats.
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T mod(T a, T b) {
    if constexpr (is_float<T>::value) {
        typedef typename compute_type<T>::type C;
        return T(libm::fmod(C(a), C(b)));
    } else {
        return T(a % b);
    }
}

// Warp's float adj_mod passes the gradient to `a` only (the divisor gets none), matching its generated backward.
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_mod(T, T, T& adj_a, T&, T adj_ret) {
    if constexpr (is_float<T>::value) adj_a += adj_ret;
}

// Warp's `//`: C division for integers, floor(a / b) for floats.
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline T floordiv(T a, T b) {
    if constexpr (is_float<T>::value) {
        typedef typename compute_type<T>::type C;
        return T(libm::floor(C(a) / C(b)));
    } else {
        return T(a / b);
    }
}

// Piecewise constant: zero gradient almost everywhere.
template <typename T, WP_IF_SCALAR(T)> CUDA_CALLABLE inline void adj_floordiv(T, T, T&, T&, T) {}

// ---------------------------------------------------------------------------
// Interpolation

// smoothstep(e0, e1, x) = s(t), t = clamp((x - e0) / (e1 - e0), 0, 1), s = t^2 (3 - 2t)
template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline T smoothstep(T edge0, T edge1, T x) {
    typedef typename compute_type<T>::type C;
    C t = (C(x) - C(edge0)) / (C(edge1) - C(edge0));
    t = t < C(0) ? C(0) : (t > C(1) ? C(1) : t);
    return T(t * t * (C(3) - C(2) * t));
}

template <typename T, WP_IF_FLOAT(T)>
CUDA_CALLABLE inline void adj_smoothstep(T edge0, T edge1, T x, T& adj_edge0, T& adj_edge1, T& adj_x, T adj_ret) {
    typedef typename compute_type<T>::type C;
    const C d = C(edge1) - C(edge0);
    const C t = (C(x) - C(edge0)) / d;
    if (!(t > C(0) && t < C(1)))
        return; // clamped: flat
    // ds/dt = 6 t (1 - t); dt/dx = 1/d, dt/de0 = (t - 1)/d, dt/de1 = -t/d
    const C g = C(6) * t * (C(1) - t) * C(adj_ret) / d;
    adj_x += T(g);
    adj_edge0 += T(g * (t - C(1)));
    adj_edge1 += T(-g * t);
}

// lerp(a, b, t) = a (1 - t) + b t (the composite headers add vector versions)
template <typename T, WP_IF_FLOAT(T)> CUDA_CALLABLE inline T lerp(T a, T b, T t) { return a * (T(1) - t) + b * t; }

template <typename T, WP_IF_FLOAT(T)>
CUDA_CALLABLE inline void adj_lerp(T a, T b, T t, T& adj_a, T& adj_b, T& adj_t, T adj_ret) {
    adj_a += adj_ret * (T(1) - t);
    adj_b += adj_ret * t;
    adj_t += adj_ret * (b - a);
}

} // namespace WP_NAMESPACE
