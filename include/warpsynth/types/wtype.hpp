// warpsynth/types/wtype.hpp — the runtime descriptor of a Warp type and its spellings.
//
// Every compile-time type tag (types/tags.hpp) carries one `wtype` value. Renderers only ever look at
// this descriptor, so one table of spellings serves the Python renderer, the IR builder and the hasher.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace warpsynth {

enum class scalar_kind : std::uint8_t {
    none, boolean, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64
};

enum class type_kind : std::uint8_t { scalar, vector, matrix, quaternion, transform, array, range, string, none };

// A value type (scalar, vector, matrix, quaternion, transform) or an array of one (`ndim` > 0).
struct wtype {
    type_kind kind = type_kind::none;
    scalar_kind scalar = scalar_kind::none;
    std::uint8_t rows = 0;  // vector length, matrix rows
    std::uint8_t cols = 0;  // matrix columns
    type_kind elem = type_kind::none;  // for arrays: the kind of the element type
    std::uint8_t ndim = 0;             // for arrays: 1..4

    constexpr bool operator==(const wtype&) const = default;

    constexpr bool is_array() const { return kind == type_kind::array; }
    constexpr bool is_scalar() const { return kind == type_kind::scalar; }
    constexpr bool is_bool() const { return kind == type_kind::scalar && scalar == scalar_kind::boolean; }
    constexpr bool is_composite() const {
        return kind == type_kind::vector || kind == type_kind::matrix || kind == type_kind::quaternion ||
               kind == type_kind::transform;
    }
    // The element type of an array, or the value type itself.
    constexpr wtype value() const {
        if (kind != type_kind::array) return *this;
        return wtype{elem, scalar, rows, cols, type_kind::none, 0};
    }
    constexpr wtype scalar_type() const { return wtype{type_kind::scalar, scalar, 0, 0, type_kind::none, 0}; }
};

namespace types {
constexpr wtype scalar(scalar_kind s) { return {type_kind::scalar, s, 0, 0, type_kind::none, 0}; }
constexpr wtype vector(std::uint8_t n, scalar_kind s) { return {type_kind::vector, s, n, 0, type_kind::none, 0}; }
constexpr wtype matrix(std::uint8_t r, std::uint8_t c, scalar_kind s) {
    return {type_kind::matrix, s, r, c, type_kind::none, 0};
}
constexpr wtype quaternion(scalar_kind s) { return {type_kind::quaternion, s, 4, 0, type_kind::none, 0}; }
constexpr wtype transform(scalar_kind s) { return {type_kind::transform, s, 7, 0, type_kind::none, 0}; }
constexpr wtype array(wtype v, std::uint8_t ndim) { return {type_kind::array, v.scalar, v.rows, v.cols, v.kind, ndim}; }
constexpr wtype range() { return {type_kind::range, scalar_kind::none, 0, 0, type_kind::none, 0}; }
constexpr wtype string() { return {type_kind::string, scalar_kind::none, 0, 0, type_kind::none, 0}; }
}  // namespace types

constexpr bool is_float(scalar_kind s) {
    return s == scalar_kind::float16 || s == scalar_kind::float32 || s == scalar_kind::float64;
}
constexpr bool is_int(scalar_kind s) {
    return s != scalar_kind::none && s != scalar_kind::boolean && !is_float(s);
}
constexpr bool is_signed(scalar_kind s) {
    return s == scalar_kind::int8 || s == scalar_kind::int16 || s == scalar_kind::int32 || s == scalar_kind::int64;
}
constexpr int bits(scalar_kind s) {
    switch (s) {
    case scalar_kind::int8: case scalar_kind::uint8: case scalar_kind::boolean: return 8;
    case scalar_kind::int16: case scalar_kind::uint16: case scalar_kind::float16: return 16;
    case scalar_kind::int32: case scalar_kind::uint32: case scalar_kind::float32: return 32;
    case scalar_kind::int64: case scalar_kind::uint64: case scalar_kind::float64: return 64;
    default: return 0;
    }
}

// Warp's scalar type name: `float32`, `int64`, ... (`bool` for booleans).
constexpr std::string_view scalar_name(scalar_kind s) {
    switch (s) {
    case scalar_kind::boolean: return "bool";
    case scalar_kind::int8: return "int8";
    case scalar_kind::int16: return "int16";
    case scalar_kind::int32: return "int32";
    case scalar_kind::int64: return "int64";
    case scalar_kind::uint8: return "uint8";
    case scalar_kind::uint16: return "uint16";
    case scalar_kind::uint32: return "uint32";
    case scalar_kind::uint64: return "uint64";
    case scalar_kind::float16: return "float16";
    case scalar_kind::float32: return "float32";
    case scalar_kind::float64: return "float64";
    default: return "?";
    }
}

// The C++ spelling in generated code (`Var.type_to_ctype`): `wp::float32`, `wp::vec_t<3, wp::float32>`, ...
inline void append_ctype(std::string& out, const wtype& t) {
    auto scalar_ctype = [&](scalar_kind s) {
        if (s == scalar_kind::boolean) {
            out += "bool";
        } else {
            out += "wp::";
            out += scalar_name(s);
        }
    };
    switch (t.kind) {
    case type_kind::scalar: scalar_ctype(t.scalar); break;
    case type_kind::vector:
        out += "wp::vec_t<";
        out += std::to_string(t.rows);
        out += ", ";
        scalar_ctype(t.scalar);
        out += ">";
        break;
    case type_kind::matrix:
        out += "wp::mat_t<";
        out += std::to_string(t.rows);
        out += ", ";
        out += std::to_string(t.cols);
        out += ", ";
        scalar_ctype(t.scalar);
        out += ">";
        break;
    case type_kind::quaternion: out += "wp::quat_t<"; scalar_ctype(t.scalar); out += ">"; break;
    case type_kind::transform: out += "wp::transform_t<"; scalar_ctype(t.scalar); out += ">"; break;
    case type_kind::array: out += "wp::array_t<"; append_ctype(out, t.value()); out += ">"; break;
    case type_kind::range: out += "wp::range_t"; break;
    case type_kind::string: out += "wp::str"; break;
    case type_kind::none: out += "void"; break;
    }
}
inline std::string ctype(const wtype& t) {
    std::string s;
    append_ctype(s, t);
    return s;
}

// The hash type code (`warp.types.get_type_code`): `f4`, `v3f4`, `m33f8`, `qf4`, `tf4`, `a2v3f4`, `b`.
inline void append_type_code(std::string& out, const wtype& t) {
    auto scalar_code = [&](scalar_kind s) {
        if (s == scalar_kind::boolean) {
            out += "b";
            return;
        }
        out += is_float(s) ? 'f' : (is_signed(s) ? 'i' : 'u');
        out += std::to_string(bits(s) / 8);
    };
    switch (t.kind) {
    case type_kind::scalar: scalar_code(t.scalar); break;
    case type_kind::vector: out += "v"; out += std::to_string(t.rows); scalar_code(t.scalar); break;
    case type_kind::matrix:
        out += "m";
        out += std::to_string(t.rows);
        out += std::to_string(t.cols);
        scalar_code(t.scalar);
        break;
    case type_kind::quaternion: out += "q"; scalar_code(t.scalar); break;
    case type_kind::transform: out += "t"; scalar_code(t.scalar); break;
    case type_kind::array: out += "a"; out += std::to_string(t.ndim); append_type_code(out, t.value()); break;
    case type_kind::range: out += "rg"; break;
    case type_kind::string: out += "str"; break;
    case type_kind::none: out += "?"; break;
    }
}

// A short human-readable name for diagnostics and metadata: `float32`, `vec3f`, `mat33d`, `array2d(vec3f)`.
inline std::string type_name(const wtype& t) {
    auto suffix = [](scalar_kind s) -> std::string {
        switch (s) {
        case scalar_kind::float16: return "h";
        case scalar_kind::float32: return "f";
        case scalar_kind::float64: return "d";
        default: return std::string(scalar_name(s));
        }
    };
    switch (t.kind) {
    case type_kind::scalar: return std::string(scalar_name(t.scalar));
    case type_kind::vector: return "vec" + std::to_string(t.rows) + suffix(t.scalar);
    case type_kind::matrix: return "mat" + std::to_string(t.rows) + std::to_string(t.cols) + suffix(t.scalar);
    case type_kind::quaternion: return "quat" + suffix(t.scalar);
    case type_kind::transform: return "transform" + suffix(t.scalar);
    case type_kind::array: return "array" + std::to_string(t.ndim) + "d(" + type_name(t.value()) + ")";
    case type_kind::range: return "range";
    case type_kind::string: return "str";
    case type_kind::none: return "none";
    }
    return "?";
}

}  // namespace warpsynth
