// warpsynth runtime: scalar types and the small type-trait toolkit.
//
// Generated code names types as wp::float32, wp::int64, ... . Because NVRTC
// has no <type_traits>, the few traits the runtime needs are defined here.
#pragma once

#include "config.h"

namespace WP_NAMESPACE {

typedef signed char int8;
typedef unsigned char uint8;
typedef short int16;
typedef unsigned short uint16;
typedef int int32;
typedef unsigned int uint32;
// 64-bit types are `long long` so that Warp's `ll`/`ull` literals and the
// CUDA atomic overloads match them exactly.
typedef long long int64;
typedef unsigned long long uint64;
typedef float float32;
typedef double float64;

// ---------------------------------------------------------------------------
// Minimal type traits (NVRTC has no standard library).

template <bool B, typename T = int> struct enable_if {};
template <typename T> struct enable_if<true, T> { typedef T type; };

template <typename T> struct remove_cvref { typedef T type; };
template <typename T> struct remove_cvref<const T> { typedef T type; };
template <typename T> struct remove_cvref<T&> { typedef T type; };
template <typename T> struct remove_cvref<const T&> { typedef T type; };
template <typename T> struct remove_cvref<T&&> { typedef T type; };

template <typename T> struct is_const { static constexpr bool value = false; };
template <typename T> struct is_const<const T> { static constexpr bool value = true; };

// Wraps T in a non-deduced context, so a parameter of this type takes its T
// from the other arguments and accepts implicit conversions.
template <typename T> struct identity_type { typedef T type; };

struct half;

// Classification of the scalar types: integer (incl. bool) or floating point.
template <typename T> struct scalar_traits {
    static constexpr bool is_scalar = false;
    static constexpr bool is_float = false;
};

#define WP_DECLARE_SCALAR_TRAITS(T, FLOAT)                                                                             \
    template <> struct scalar_traits<T> {                                                                              \
        static constexpr bool is_scalar = true;                                                                        \
        static constexpr bool is_float = FLOAT;                                                                        \
    };
WP_DECLARE_SCALAR_TRAITS(bool, false)
WP_DECLARE_SCALAR_TRAITS(int8, false)
WP_DECLARE_SCALAR_TRAITS(uint8, false)
WP_DECLARE_SCALAR_TRAITS(int16, false)
WP_DECLARE_SCALAR_TRAITS(uint16, false)
WP_DECLARE_SCALAR_TRAITS(int32, false)
WP_DECLARE_SCALAR_TRAITS(uint32, false)
WP_DECLARE_SCALAR_TRAITS(int64, false)
WP_DECLARE_SCALAR_TRAITS(uint64, false)
WP_DECLARE_SCALAR_TRAITS(half, true)
WP_DECLARE_SCALAR_TRAITS(float32, true)
WP_DECLARE_SCALAR_TRAITS(float64, true)
#undef WP_DECLARE_SCALAR_TRAITS

template <typename T> struct is_scalar { static constexpr bool value = scalar_traits<T>::is_scalar; };
template <typename T> struct is_float { static constexpr bool value = scalar_traits<T>::is_float; };
template <typename T> struct is_integer {
    static constexpr bool value = scalar_traits<T>::is_scalar && !scalar_traits<T>::is_float;
};

// A type carries gradients if it is floating point, or a vector/matrix/... of
// floating point (the composite headers add specializations). Adjoints of
// every other type (ints, bools, arrays, ranges) are no-ops, as in Warp.
template <typename T> struct is_differentiable { static constexpr bool value = scalar_traits<T>::is_float; };

// Type in which the math of a scalar type is carried out: half is widened to
// float since hardware and libm work on float.
template <typename T> struct compute_type { typedef T type; };
template <> struct compute_type<half> { typedef float type; };

// SFINAE helpers for overloads restricted to scalar kinds.
#define WP_IF_SCALAR(T) typename ::WP_NAMESPACE::enable_if<::WP_NAMESPACE::is_scalar<T>::value, int>::type = 0
#define WP_IF_FLOAT(T) typename ::WP_NAMESPACE::enable_if<::WP_NAMESPACE::is_float<T>::value, int>::type = 0
#define WP_IF_INTEGER(T) typename ::WP_NAMESPACE::enable_if<::WP_NAMESPACE::is_integer<T>::value, int>::type = 0

// ---------------------------------------------------------------------------
// Bit casts (type punning through a union is supported by GCC, Clang and NVCC/NVRTC).

CUDA_CALLABLE inline uint32 float_bits(float f) {
    union {
        float f;
        uint32 u;
    } v;
    v.f = f;
    return v.u;
}

CUDA_CALLABLE inline float bits_float(uint32 u) {
    union {
        float f;
        uint32 u;
    } v;
    v.u = u;
    return v.f;
}

// ---------------------------------------------------------------------------
// IEEE binary16. Stored as raw bits; every operation widens to float.

// float -> half bits, round to nearest even.
CUDA_CALLABLE inline uint16 float_to_half_bits(float f) {
#if defined(WP_DEVICE_CODE)
    uint16 h;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f));
    return h;
#else
    const uint32 x = float_bits(f);
    const uint32 sign = (x >> 16) & 0x8000u;
    const uint32 mag = x & 0x7fffffffu;

    if (mag >= 0x7f800000u) // inf stays inf, nan stays a (quiet) nan
        return uint16(sign | 0x7c00u | (mag > 0x7f800000u ? 0x0200u : 0u));
    if (mag >= 0x47800000u) // >= 2^16 overflows to inf
        return uint16(sign | 0x7c00u);

    if (mag < 0x38800000u) {
        // below 2^-14: result is a half subnormal, value = m * 2^-24
        const uint32 e = mag >> 23;
        if (e < 102) // below 2^-25 rounds to zero
            return uint16(sign);
        const uint32 m = (mag & 0x7fffffu) | 0x800000u;
        const uint32 shift = 126 - e;
        uint32 h = m >> shift;
        const uint32 rem = m & ((1u << shift) - 1u);
        const uint32 halfway = 1u << (shift - 1u);
        if (rem > halfway || (rem == halfway && (h & 1u)))
            ++h;
        return uint16(sign | h);
    }

    // normal: rebias exponent (127 -> 15) and drop 13 mantissa bits; a carry
    // out of the mantissa correctly bumps the exponent (up to inf).
    uint32 h = (mag - 0x38000000u) >> 13;
    const uint32 rem = mag & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u)))
        ++h;
    return uint16(sign | h);
#endif
}

CUDA_CALLABLE inline float half_bits_to_float(uint16 h) {
#if defined(WP_DEVICE_CODE)
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
    return f;
#else
    const uint32 sign = uint32(h & 0x8000u) << 16;
    const uint32 e = (h >> 10) & 0x1fu;
    const uint32 m = h & 0x3ffu;
    if (e == 0x1f)
        return bits_float(sign | 0x7f800000u | (m << 13));
    if (e == 0) {
        const float v = float(m) * 5.9604644775390625e-8f; // m * 2^-24
        return sign ? -v : v;
    }
    return bits_float(sign | ((e + 112u) << 23) | (m << 13));
#endif
}

struct half {
    uint16 u;

    CUDA_CALLABLE half() : u(0) {}
    CUDA_CALLABLE half(float f) : u(float_to_half_bits(f)) {}
    CUDA_CALLABLE half(double d) : u(float_to_half_bits(float(d))) {}
    CUDA_CALLABLE half(int i) : u(float_to_half_bits(float(i))) {}
    CUDA_CALLABLE half(unsigned int i) : u(float_to_half_bits(float(i))) {}
    CUDA_CALLABLE half(long long i) : u(float_to_half_bits(float(i))) {}
    CUDA_CALLABLE half(unsigned long long i) : u(float_to_half_bits(float(i))) {}

    // Implicit, so wp::float64(h) and wp::int32(h) work; generated code never
    // mixes half with other types in one expression (Warp rejects that).
    CUDA_CALLABLE operator float() const { return half_bits_to_float(u); }

    CUDA_CALLABLE half& operator+=(half o) { return *this = half(float(*this) + float(o)); }
    CUDA_CALLABLE half& operator-=(half o) { return *this = half(float(*this) - float(o)); }
    CUDA_CALLABLE half& operator*=(half o) { return *this = half(float(*this) * float(o)); }
    CUDA_CALLABLE half& operator/=(half o) { return *this = half(float(*this) / float(o)); }
};

typedef half float16;

CUDA_CALLABLE inline half operator+(half a, half b) { return half(float(a) + float(b)); }
CUDA_CALLABLE inline half operator-(half a, half b) { return half(float(a) - float(b)); }
CUDA_CALLABLE inline half operator*(half a, half b) { return half(float(a) * float(b)); }
CUDA_CALLABLE inline half operator/(half a, half b) { return half(float(a) / float(b)); }
CUDA_CALLABLE inline half operator-(half a) {
    half r;
    r.u = uint16(a.u ^ 0x8000u);
    return r;
}
CUDA_CALLABLE inline bool operator<(half a, half b) { return float(a) < float(b); }
CUDA_CALLABLE inline bool operator<=(half a, half b) { return float(a) <= float(b); }
CUDA_CALLABLE inline bool operator>(half a, half b) { return float(a) > float(b); }
CUDA_CALLABLE inline bool operator>=(half a, half b) { return float(a) >= float(b); }
CUDA_CALLABLE inline bool operator==(half a, half b) { return float(a) == float(b); }
CUDA_CALLABLE inline bool operator!=(half a, half b) { return float(a) != float(b); }

// Accumulate an adjoint; a no-op for types that carry no gradient.
template <typename T> CUDA_CALLABLE inline void adj_accumulate(T& dst, const T& v) {
    if constexpr (is_differentiable<T>::value)
        dst += v;
}

} // namespace WP_NAMESPACE
