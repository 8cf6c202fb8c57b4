// warpsynth/eval/value.hpp — a Warp value on the host: its type and its components.
//
// Layout of components (the order Warp stores them in memory, which is also the order of array elements):
//   scalar 1; vecN N; matRxC R*C row-major; quat (x, y, z, w); transform (p.x, p.y, p.z, q.x, q.y, q.z, q.w).
// Float components live in `f` (as doubles holding exactly the dtype's value: a float32 value, a binary16 value);
// integer and bool components live in `i` (unsigned values as their bit pattern, so uint64 survives).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "warpsynth/eval/numeric.hpp"
#include "warpsynth/types/wtype.hpp"

namespace warpsynth::eval {

inline int components(const wtype& t) {
    switch (t.kind) {
    case type_kind::scalar: return 1;
    case type_kind::vector: return t.rows;
    case type_kind::matrix: return t.rows * t.cols;
    case type_kind::quaternion: return 4;
    case type_kind::transform: return 7;
    case type_kind::array: return components(t.value());
    default: return 0;
    }
}

inline bool float_valued(const wtype& t) {
    return t.kind != type_kind::array && t.kind != type_kind::range && warpsynth::is_float(t.scalar);
}

// The dtype's value nearest to x (float32: one rounding; float16: via float, as Warp's half(double) does).
inline double round_to(scalar_kind s, double x) {
    switch (s) {
    case scalar_kind::float32: return static_cast<float>(x);
    case scalar_kind::float16: return round_to_half(static_cast<float>(x));
    default: return x;
    }
}

// An integer of kind s, wrapped to its width (two's complement) and stored canonically.
inline std::int64_t wrap_int(scalar_kind s, std::int64_t x) {
    switch (s) {
    case scalar_kind::boolean: return x != 0;
    case scalar_kind::int8: return static_cast<std::int8_t>(x);
    case scalar_kind::int16: return static_cast<std::int16_t>(x);
    case scalar_kind::int32: return static_cast<std::int32_t>(x);
    case scalar_kind::uint8: return static_cast<std::uint8_t>(x);
    case scalar_kind::uint16: return static_cast<std::uint16_t>(x);
    case scalar_kind::uint32: return static_cast<std::uint32_t>(x);
    default: return x;  // int64, uint64 (bit pattern)
    }
}

struct value {
    wtype type{};
    int n = 0;
    std::array<double, 16> f{};
    std::array<std::int64_t, 16> i{};

    bool is_float() const { return float_valued(type); }
    static value of(const wtype& t) {
        value v;
        v.type = t;
        v.n = components(t);
        return v;
    }
    static value scalar_f(scalar_kind s, double x) {
        value v = of(types::scalar(s));
        v.f[0] = round_to(s, x);
        return v;
    }
    static value scalar_i(scalar_kind s, std::int64_t x) {
        value v = of(types::scalar(s));
        v.i[0] = wrap_int(s, x);
        return v;
    }
    static value boolean(bool b) { return scalar_i(scalar_kind::boolean, b ? 1 : 0); }
    bool truth() const { return is_float() ? f[0] != 0.0 : i[0] != 0; }
    // A component as a double (integers converted exactly where possible; uint64 via its unsigned value).
    double as_double(int k) const {
        if (is_float()) return f[static_cast<std::size_t>(k)];
        if (type.scalar == scalar_kind::uint64)
            return static_cast<double>(static_cast<std::uint64_t>(i[static_cast<std::size_t>(k)]));
        return static_cast<double>(i[static_cast<std::size_t>(k)]);
    }
};

// Scalar conversion with C semantics, as Warp's casts (`float(x)`, `int(x)`, `wp.uint32(x)`, ...) compile:
// float -> int truncates toward zero; int -> narrower int wraps; -> bool is `!= 0`.
inline value convert_scalar(const value& x, scalar_kind to) {
    value r = value::of(types::scalar(to));
    bool from_float = x.is_float();
    if (to == scalar_kind::boolean) {
        r.i[0] = from_float ? (x.f[0] != 0.0) : (x.i[0] != 0);
    } else if (warpsynth::is_float(to)) {
        double d = x.as_double(0);
        if (!from_float && (x.type.scalar == scalar_kind::int64 || x.type.scalar == scalar_kind::uint64)) {
            // (float)int64 rounds once from the integer, not via double
            if (to == scalar_kind::float32) {
                d = x.type.scalar == scalar_kind::uint64
                        ? static_cast<float>(static_cast<std::uint64_t>(x.i[0]))
                        : static_cast<float>(x.i[0]);
            }
        }
        r.f[0] = round_to(to, d);
    } else if (from_float) {
        double d = std::trunc(x.f[0]);
        if (!std::isfinite(d) || d < -9.3e18 || d > 1.8e19)
            throw eval_error("float to int conversion out of range (undefined behaviour in C)");
        if (to == scalar_kind::uint64 && d >= 9.2e18) r.i[0] = static_cast<std::int64_t>(static_cast<std::uint64_t>(d));
        else r.i[0] = wrap_int(to, static_cast<std::int64_t>(d));
    } else {
        r.i[0] = wrap_int(to, x.i[0]);
    }
    return r;
}

inline std::string describe(const value& v) {
    std::string s = type_name(v.type) + "(";
    for (int k = 0; k < v.n; ++k) {
        if (k) s += ", ";
        s += v.is_float() ? std::to_string(v.f[static_cast<std::size_t>(k)]) : std::to_string(v.i[static_cast<std::size_t>(k)]);
    }
    return s + ")";
}

}  // namespace warpsynth::eval
