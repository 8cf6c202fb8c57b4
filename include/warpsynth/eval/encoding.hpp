// warpsynth/eval/encoding.hpp — host values <-> the bytes a kernel reads and writes: one component of each scalar
// kind as the `wp::` runtime (and Warp's) lays it out, binary16 included. Used by every launcher (`warpsynth
// launch`, native kernels) to move eval's host arrays to and from device memory.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "warpsynth/eval/machine.hpp"
#include "warpsynth/types/wtype.hpp"

namespace warpsynth::eval {

inline std::size_t scalar_bytes(scalar_kind s) {
    switch (s) {
    case scalar_kind::boolean:
    case scalar_kind::int8:
    case scalar_kind::uint8: return 1;
    case scalar_kind::int16:
    case scalar_kind::uint16:
    case scalar_kind::float16: return 2;
    case scalar_kind::int32:
    case scalar_kind::uint32:
    case scalar_kind::float32: return 4;
    default: return 8;
    }
}

// binary16 bits of x, which the evaluator keeps exactly representable in binary16 (eval::round_to).
inline std::uint16_t half_bits(double x) {
    float f = static_cast<float>(x);
    std::uint32_t b = std::bit_cast<std::uint32_t>(f);
    auto sign = static_cast<std::uint16_t>((b >> 16) & 0x8000u);
    if (std::isnan(f)) return 0x7e00;
    if (std::isinf(f) || std::abs(f) >= 65520.0f) return static_cast<std::uint16_t>(sign | 0x7c00u);
    if (f == 0.0f) return sign;
    int e = static_cast<int>((b >> 23) & 0xffu) - 127;
    std::uint32_t m = b & 0x7fffffu;
    if (e >= -14) return static_cast<std::uint16_t>(sign | static_cast<std::uint32_t>(e + 15) << 10 | m >> 13);
    if (e < -25) return sign;
    return static_cast<std::uint16_t>(sign | (m | 0x800000u) >> (-(e + 1)));  // subnormal: mantissa * 2^-24
}

inline double half_value(std::uint16_t h) {
    int e = (h >> 10) & 0x1f, m = h & 0x3ff;
    double v = e == 0 ? std::ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : std::ldexp(1024 + m, e - 25);
    return (h & 0x8000) ? -v : v;
}

template <class T> void put_as(std::byte* p, T v) { std::memcpy(p, &v, sizeof v); }
template <class T> T get_as(const std::byte* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// One component of kind s: a float (f) or an integer/bool (i, canonical as in eval::wrap_int).
inline void encode(std::byte* p, scalar_kind s, double f, std::int64_t i) {
    switch (s) {
    case scalar_kind::float16: put_as(p, half_bits(f)); break;
    case scalar_kind::float32: put_as(p, static_cast<float>(f)); break;
    case scalar_kind::float64: put_as(p, f); break;
    case scalar_kind::boolean: put_as(p, static_cast<std::uint8_t>(i != 0)); break;
    case scalar_kind::int8:
    case scalar_kind::uint8: put_as(p, static_cast<std::uint8_t>(i)); break;
    case scalar_kind::int16:
    case scalar_kind::uint16: put_as(p, static_cast<std::uint16_t>(i)); break;
    case scalar_kind::int32:
    case scalar_kind::uint32: put_as(p, static_cast<std::uint32_t>(i)); break;
    default: put_as(p, i); break;
    }
}

inline double decode_float(const std::byte* p, scalar_kind s) {
    switch (s) {
    case scalar_kind::float16: return half_value(get_as<std::uint16_t>(p));
    case scalar_kind::float32: return get_as<float>(p);
    default: return get_as<double>(p);
    }
}

inline std::int64_t decode_int(const std::byte* p, scalar_kind s) {
    switch (s) {
    case scalar_kind::boolean: return get_as<std::uint8_t>(p) != 0;
    case scalar_kind::int8: return get_as<std::int8_t>(p);
    case scalar_kind::uint8: return get_as<std::uint8_t>(p);
    case scalar_kind::int16: return get_as<std::int16_t>(p);
    case scalar_kind::uint16: return get_as<std::uint16_t>(p);
    case scalar_kind::int32: return get_as<std::int32_t>(p);
    case scalar_kind::uint32: return get_as<std::uint32_t>(p);
    default: return get_as<std::int64_t>(p);
    }
}

// A host array's components as the kernel reads them; `floats` (float arrays) replaces its values, e.g. with
// gradient seeds.
inline void encode_array(std::byte* p, const host_array& a, const std::vector<double>* floats = nullptr) {
    std::size_t w = scalar_bytes(a.type.scalar), n = a.size();
    for (std::size_t k = 0; k < n; ++k)
        encode(p + k * w, a.type.scalar, floats ? (k < floats->size() ? (*floats)[k] : 0.0) : a.is_float() ? a.f[k] : 0.0,
               a.is_float() ? 0 : a.i[k]);
}

// A value (scalar, vector, matrix, ...) as a kernel parameter: its components, packed.
inline void encode_value(std::byte* p, const value& v) {
    std::size_t w = scalar_bytes(v.type.scalar);
    for (std::size_t k = 0; k < static_cast<std::size_t>(v.n); ++k) encode(p + k * w, v.type.scalar, v.f[k], v.i[k]);
}

// n components of kind s written by a kernel.
inline std::vector<double> decode_floats(const std::byte* p, scalar_kind s, std::size_t n) {
    std::vector<double> v(n);
    for (std::size_t k = 0; k < n; ++k) v[k] = decode_float(p + k * scalar_bytes(s), s);
    return v;
}
inline std::vector<std::int64_t> decode_ints(const std::byte* p, scalar_kind s, std::size_t n) {
    std::vector<std::int64_t> v(n);
    for (std::size_t k = 0; k < n; ++k) v[k] = decode_int(p + k * scalar_bytes(s), s);
    return v;
}

}  // namespace warpsynth::eval
