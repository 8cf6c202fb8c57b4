// warpsynth 0.5.0 — single-header amalgamation (renders Warp 1.16.0 kernels).
//
// GENERATED FILE — DO NOT EDIT. Produced by tools/amalgamate.py from include/warpsynth/warpsynth.hpp;
// regenerate with `python3 tools/amalgamate.py` (`--check` verifies it is current).
// Needs C++20 and GNU Nettle (SHA-256): compile with -std=c++20, link with -lnettle.
//
// Contains 25 headers, in include order:
//   warpsynth/warpsynth.hpp
//   warpsynth/version.hpp
//   warpsynth/types/wtype.hpp
//   warpsynth/types/tags.hpp
//   warpsynth/util/fixed_string.hpp
//   warpsynth/syntax/tree.hpp
//   warpsynth/util/pod_vector.hpp
//   warpsynth/util/text_buffer.hpp
//   warpsynth/expr/expression.hpp
//   warpsynth/util/python_repr.hpp
//   warpsynth/expr/operators.hpp
//   warpsynth/expr/node_base.hpp
//   warpsynth/expr/typing.hpp
//   warpsynth/expr/variables.hpp
//   warpsynth/expr/access.hpp
//   warpsynth/builtins/catalog.hpp
//   warpsynth/builtins/functions.hpp
//   warpsynth/stmt/statements.hpp
//   warpsynth/kernel.hpp
//   warpsynth/render/python.hpp
//   warpsynth/hash/kernel_hash.hpp
//   warpsynth/hash/sha256.hpp
//   warpsynth/ir/adjoint.hpp
//   warpsynth/ir/emit.hpp
//   warpsynth/render/warp_ir.hpp
#pragma once

// ---- begin warpsynth/warpsynth.hpp ----
// warpsynth/warpsynth.hpp — the one header users include.
//
// A kernel is a typed, compile-time description (kernel.hpp); from it warpsynth renders the canonical Warp Python
// module and, byte for byte, the CPU/CUDA forward/backward functions Warp v1.16.0 generates for it.

// ---- begin warpsynth/version.hpp ----
// warpsynth/version.hpp — library version and the Warp version whose output it reproduces.

// The minor version changes whenever the categories' (seed, index) -> record map changes.
#define WARPSYNTH_VERSION "0.5.0"
#define WARPSYNTH_WARP_VERSION "1.16.0"
// ---- end warpsynth/version.hpp ----
// ---- begin warpsynth/types/wtype.hpp ----
// warpsynth/types/wtype.hpp — the runtime descriptor of a Warp type and its spellings.
//
// Every compile-time type tag (types/tags.hpp) carries one `wtype` value. Renderers only ever look at
// this descriptor, so one table of spellings serves the Python renderer, the IR builder and the hasher.

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
// ---- end warpsynth/types/wtype.hpp ----
// ---- begin warpsynth/types/tags.hpp ----
// warpsynth/types/tags.hpp — compile-time Warp types.
//
// `wt<W>` is the canonical type of an expression. The named tags (`float_`, `vec3`, `array<vec3>`, ...) are what a
// user writes in a kernel signature; each knows its Python spelling, so `float_` and `float32` are the same Warp
// type but render as `float` and `wp.float32`.

#include <type_traits>

// ---- begin warpsynth/util/fixed_string.hpp ----
// warpsynth/util/fixed_string.hpp — a string usable as a template argument (names of type spellings, builtins).

#include <cstddef>

namespace warpsynth {

template <std::size_t N>
struct fixed_string {
    char data[N]{};
    constexpr fixed_string(const char (&s)[N]) {
        for (std::size_t i = 0; i < N; ++i) data[i] = s[i];
    }
    constexpr std::string_view view() const { return {data, N - 1}; }
    constexpr operator std::string_view() const { return view(); }
};

}  // namespace warpsynth
// ---- end warpsynth/util/fixed_string.hpp ----

namespace warpsynth {

// The canonical compile-time type of an expression.
template <wtype W>
struct wt {
    static constexpr wtype value = W;
};

// A spelled type: the Warp type plus the Python text a user writes for it.
template <wtype W, fixed_string Py>
struct named_type {
    static constexpr wtype value = W;
    static std::string python() { return std::string(Py.view()); }
};

template <class T>
concept warp_type = requires {
    { T::value } -> std::convertible_to<wtype>;
};
template <class T>
concept spelled_type = warp_type<T> && requires {
    { T::python() } -> std::convertible_to<std::string>;
};


// --- scalars -----------------------------------------------------------------------------------------------
using float_ = named_type<types::scalar(scalar_kind::float32), "float">;
using int_ = named_type<types::scalar(scalar_kind::int32), "int">;
using bool_ = named_type<types::scalar(scalar_kind::boolean), "bool">;
using wp_bool = named_type<types::scalar(scalar_kind::boolean), "wp.bool">;
using float16 = named_type<types::scalar(scalar_kind::float16), "wp.float16">;
using float32 = named_type<types::scalar(scalar_kind::float32), "wp.float32">;
using float64 = named_type<types::scalar(scalar_kind::float64), "wp.float64">;
using int8 = named_type<types::scalar(scalar_kind::int8), "wp.int8">;
using int16 = named_type<types::scalar(scalar_kind::int16), "wp.int16">;
using int32 = named_type<types::scalar(scalar_kind::int32), "wp.int32">;
using int64 = named_type<types::scalar(scalar_kind::int64), "wp.int64">;
using uint8 = named_type<types::scalar(scalar_kind::uint8), "wp.uint8">;
using uint16 = named_type<types::scalar(scalar_kind::uint16), "wp.uint16">;
using uint32 = named_type<types::scalar(scalar_kind::uint32), "wp.uint32">;
using uint64 = named_type<types::scalar(scalar_kind::uint64), "wp.uint64">;

// --- vectors, matrices, quaternions, transforms (Warp's named aliases) --------------------------------------
#define WARPSYNTH_VEC(N)                                                                   \
    using vec##N = named_type<types::vector(N, scalar_kind::float32), "wp.vec" #N>;                \
    using vec##N##f = named_type<types::vector(N, scalar_kind::float32), "wp.vec" #N "f">;         \
    using vec##N##d = named_type<types::vector(N, scalar_kind::float64), "wp.vec" #N "d">;         \
    using vec##N##h = named_type<types::vector(N, scalar_kind::float16), "wp.vec" #N "h">;         \
    using vec##N##i = named_type<types::vector(N, scalar_kind::int32), "wp.vec" #N "i">;           \
    using vec##N##ui = named_type<types::vector(N, scalar_kind::uint32), "wp.vec" #N "ui">;
WARPSYNTH_VEC(2)
WARPSYNTH_VEC(3)
WARPSYNTH_VEC(4)
#undef WARPSYNTH_VEC

#define WARPSYNTH_MAT(N)                                                                       \
    using mat##N##N = named_type<types::matrix(N, N, scalar_kind::float32), "wp.mat" #N #N>;           \
    using mat##N##N##f = named_type<types::matrix(N, N, scalar_kind::float32), "wp.mat" #N #N "f">;    \
    using mat##N##N##d = named_type<types::matrix(N, N, scalar_kind::float64), "wp.mat" #N #N "d">;    \
    using mat##N##N##h = named_type<types::matrix(N, N, scalar_kind::float16), "wp.mat" #N #N "h">;
WARPSYNTH_MAT(2)
WARPSYNTH_MAT(3)
WARPSYNTH_MAT(4)
#undef WARPSYNTH_MAT

using quat = named_type<types::quaternion(scalar_kind::float32), "wp.quat">;
using quatf = named_type<types::quaternion(scalar_kind::float32), "wp.quatf">;
using quatd = named_type<types::quaternion(scalar_kind::float64), "wp.quatd">;
using quath = named_type<types::quaternion(scalar_kind::float16), "wp.quath">;
using transform = named_type<types::transform(scalar_kind::float32), "wp.transform">;
using transformf = named_type<types::transform(scalar_kind::float32), "wp.transformf">;
using transformd = named_type<types::transform(scalar_kind::float64), "wp.transformd">;
using transformh = named_type<types::transform(scalar_kind::float16), "wp.transformh">;

// --- arrays -------------------------------------------------------------------------------------------------
// `array<T>` is `wp.array(dtype=T)`, `array<T, 2>` is `wp.array(dtype=T, ndim=2)`, `array2d<T>` is `wp.array2d(dtype=T)`.
template <spelled_type T, int NDim = 1>
struct array {
    static_assert(NDim >= 1 && NDim <= 4, "warpsynth: arrays have 1 to 4 dimensions");
    static_assert(!T::value.is_array(), "warpsynth: arrays of arrays are not Warp types");
    static constexpr wtype value = types::array(T::value, NDim);
    static std::string python() {
        if constexpr (NDim == 1) return "wp.array(dtype=" + T::python() + ")";
        else return "wp.array(dtype=" + T::python() + ", ndim=" + std::to_string(NDim) + ")";
    }
};
template <spelled_type T, int NDim>
struct array_nd {
    static_assert(NDim >= 1 && NDim <= 4, "warpsynth: arrays have 1 to 4 dimensions");
    static constexpr wtype value = types::array(T::value, NDim);
    static std::string python() { return "wp.array" + std::to_string(NDim) + "d(dtype=" + T::python() + ")"; }
};
template <spelled_type T> using array1d = array_nd<T, 1>;
template <spelled_type T> using array2d = array_nd<T, 2>;
template <spelled_type T> using array3d = array_nd<T, 3>;
template <spelled_type T> using array4d = array_nd<T, 4>;

// Shorthands for writing canonical types in typing rules.
inline constexpr wtype f32_t = types::scalar(scalar_kind::float32);
inline constexpr wtype i32_t = types::scalar(scalar_kind::int32);
inline constexpr wtype bool_t = types::scalar(scalar_kind::boolean);
// The type tag of comparisons and boolean operators, named at namespace scope: nvcc's front end cannot
// re-emit a class-type template argument written inside a variadic class template.
using bool_wt = wt<bool_t>;

}  // namespace warpsynth
// ---- end warpsynth/types/tags.hpp ----
// ---- begin warpsynth/syntax/tree.hpp ----
// warpsynth/syntax/tree.hpp — the Python-shaped syntax tree a typed kernel description lowers to.
//
// The typed description (expr/, stmt/, kernel.hpp) checks every rule at compile time and then lowers, once, into
// this flat tree. It mirrors Python's `ast` node for node (Subscript with a Tuple slice, Expr statements, keyword
// arguments, ...) because Warp's code generator walks Python's AST: its numbering, its hashing order (a
// breadth-first walk) and its line comments all follow that shape. Every renderer walks this one tree.

#include <vector>

// ---- begin warpsynth/util/pod_vector.hpp ----
// warpsynth/util/pod_vector.hpp — a growable array of trivially copyable values whose push_back inlines.
//
// The IR builder appends a few hundred lines per kernel to its blocks' line lists. At that many call sites GCC
// keeps std::vector::push_back out of line, and the call cost more than the 12-byte store. Here the common case
// is a capacity check and a store; growing is out of line. Capacity is kept across clear(), so reused lists stop
// allocating after the first kernels.

#include <cstring>
#include <iterator>
#include <memory>

namespace warpsynth {

template <class T>
class pod_vector {
    static_assert(std::is_trivially_copyable_v<T>, "pod_vector copies its elements as bytes");

  public:
    using value_type = T;
    using const_iterator = const T*;
    using const_reverse_iterator = std::reverse_iterator<const T*>;

    pod_vector() = default;
    pod_vector(const pod_vector& o) { append(o.begin(), o.end()); }
    pod_vector& operator=(const pod_vector& o) {
        if (this != &o) {
            clear();
            append(o.begin(), o.end());
        }
        return *this;
    }
    pod_vector(pod_vector&&) noexcept = default;
    pod_vector& operator=(pod_vector&&) noexcept = default;

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    void clear() { size_ = 0; }
    T& operator[](std::size_t i) { return data_[i]; }
    const T& operator[](std::size_t i) const { return data_[i]; }
    T& back() { return data_[size_ - 1]; }
    const T& back() const { return data_[size_ - 1]; }
    void pop_back() { --size_; }

    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    T* begin() { return data_.get(); }
    T* end() { return data_.get() + size_; }
    const T* begin() const { return data_.get(); }
    const T* end() const { return data_.get() + size_; }
    const_reverse_iterator rbegin() const { return const_reverse_iterator(end()); }
    const_reverse_iterator rend() const { return const_reverse_iterator(begin()); }

    // By value: a small element then lives in registers, not in a stack slot that the copy would reload whole
    // over its just-stored fields (a store-forwarding stall).
    [[gnu::always_inline]] void push_back(T v) {
        if (size_ == cap_) [[unlikely]]
            grow(size_ + 1);
        data_[size_++] = v;
    }
    // A value-initialized element at the end, to be filled in place.
    [[gnu::always_inline]] T& emplace_back() {
        if (size_ == cap_) [[unlikely]]
            grow(size_ + 1);
        T* p = data_.get() + size_++;
        *p = T{};
        return *p;
    }
    // Append [first, last): another list's elements, forwards or reversed (it must not be this list).
    template <class It>
    void append(It first, It last) {
        auto n = static_cast<std::size_t>(std::distance(first, last));
        if (cap_ - size_ < n) grow(size_ + n);
        T* d = data_.get() + size_;
        for (; first != last; ++first) *d++ = *first;
        size_ += n;
    }
    template <class It>
    void assign(It first, It last) {
        clear();
        append(first, last);
    }

  private:
    std::unique_ptr<T[]> data_;
    std::size_t size_ = 0, cap_ = 0;

    [[gnu::noinline]] void grow(std::size_t need) {
        std::size_t cap = cap_ ? 2 * cap_ : 16;
        while (cap < need) cap *= 2;
        std::unique_ptr<T[]> d(new T[cap]);
        if (size_) std::memcpy(d.get(), data_.get(), size_ * sizeof(T));
        data_ = std::move(d);
        cap_ = cap;
    }
};

}  // namespace warpsynth
// ---- end warpsynth/util/pod_vector.hpp ----
// ---- begin warpsynth/util/text_buffer.hpp ----
// warpsynth/util/text_buffer.hpp — a growable character buffer whose appends inline, and the same appends
// written in place into a std::string (`string_writer`).
//
// Rendering builds its text from thousands of short pieces (`var_`, a number, `, `). `std::string::append` is an
// out-of-line call per piece; here the common case is a capacity check and a memcpy the compiler can inline
// (literals have a constant size). The buffer keeps its capacity across `clear()`, so a thread-local one stops
// allocating after the first kernels.
//
// The short appends are forced inline: at their many call sites GCC otherwise keeps them out of line, and a call
// per piece costs more than the piece.

#include <utility>

namespace warpsynth {

namespace text_detail {

template <std::size_t N>
void move(char* d, const char* s) {
    char tmp[N];
    std::memcpy(tmp, s, N);
    std::memcpy(d, tmp, N);
}

// Most pieces are a few to a few dozen characters: copy them with overlapping fixed-size moves the compiler
// inlines, instead of a call to memcpy.
[[gnu::always_inline]] inline void copy(char* d, const char* s, std::size_t n) {
    if (n <= 16) {
        if (n >= 8) {
            move<8>(d, s);
            move<8>(d + n - 8, s + n - 8);
        } else if (n >= 4) {
            move<4>(d, s);
            move<4>(d + n - 4, s + n - 4);
        } else if (n > 0) {
            d[0] = s[0];
            d[n / 2] = s[n / 2];
            d[n - 1] = s[n - 1];
        }
    } else if (n <= 32) {
        move<16>(d, s);
        move<16>(d + n - 16, s + n - 16);
    } else {
        std::memcpy(d, s, n);
    }
}

// Whole lines are copied in 16-byte chunks, up to 15 bytes past their end: one predictable loop instead of a
// size-dependent branch or a call. Both sides need that much room beyond the copied text (see `ensure_slack`).
inline constexpr std::size_t chunk = 16;
[[gnu::always_inline]] inline void copy_chunks(char* d, const char* s, std::size_t n) {
    for (std::size_t i = 0; i < n; i += chunk) move<chunk>(d + i, s + i);
}

// The decimal digits of `n` at `p`; returns their end.
inline char* write_uint_long(char* p, std::uint64_t n) {
    std::size_t k = 1;
    for (auto m = n; m >= 10; m /= 10) ++k;
    char* e = p + k;
    p = e;
    do {
        *--p = static_cast<char>('0' + n % 10);
        n /= 10;
    } while (n);
    return e;
}
// Variable numbers are mostly one or two digits: those without the digit-counting loop.
[[gnu::always_inline]] inline char* write_uint(char* p, std::uint64_t n) {
    if (n < 10) {
        *p = static_cast<char>('0' + n);
        return p + 1;
    }
    if (n < 100) {
        p[0] = static_cast<char>('0' + n / 10);
        p[1] = static_cast<char>('0' + n % 10);
        return p + 2;
    }
    return write_uint_long(p, n);
}

// Indentation is copied from here rather than memset.
inline constexpr char spaces[] = "                                                                ";

// `n` spaces at `d`.
[[gnu::always_inline]] inline void put_spaces(char* d, std::size_t n) {
    if (n < sizeof spaces) copy(d, spaces, n);
    else std::memset(d, ' ', n);
}

}  // namespace text_detail

// The appends shared by `text_buffer` (which owns its characters) and `string_writer` (which writes into a
// std::string in place). `Storage::grow(n)` makes room for n more characters and updates data_/cap_.
template <class Storage>
class text_appender {
  public:
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const char* data() const { return data_; }
    std::string_view view() const { return {data_, size_}; }
    char back() const { return data_[size_ - 1]; }
    void pop_back() { --size_; }
    void truncate(std::size_t n) { size_ = n; }

    // Room for `n` more characters; returns where they go (commit them with `advance`).
    [[gnu::always_inline]] char* reserve(std::size_t n) {
        if (cap_ - size_ < n) static_cast<Storage*>(this)->grow(n);
        return data_ + size_;
    }
    void advance(std::size_t n) { size_ += n; }
    // Readable room past the end, for `text_detail::copy_chunks` reading the last line.
    void ensure_slack() { reserve(text_detail::chunk); }

    [[gnu::always_inline]] Storage& operator+=(std::string_view s) {
        text_detail::copy(reserve(s.size()), s.data(), s.size());
        size_ += s.size();
        return self();
    }
    // String literals: the size is a constant, so the copy compiles to a few stores.
    template <std::size_t N>
    [[gnu::always_inline]] Storage& operator+=(const char (&lit)[N]) {
        std::memcpy(reserve(N - 1), lit, N - 1);
        size_ += N - 1;
        return self();
    }
    [[gnu::always_inline]] Storage& operator+=(char c) {
        *reserve(1) = c;
        ++size_;
        return self();
    }
    [[gnu::always_inline]] void append(std::size_t n, char c) {
        if (c == ' ') text_detail::put_spaces(reserve(n), n);
        else std::memset(reserve(n), c, n);
        size_ += n;
    }
    // `indent` spaces then `s`: a whole line in one step.
    [[gnu::always_inline]] void append_indented(std::size_t indent, std::string_view s) {
        char* d = reserve(indent + s.size());
        text_detail::put_spaces(d, indent);
        text_detail::copy(d + indent, s.data(), s.size());
        size_ += indent + s.size();
    }
    // Decimal digits of `n`.
    [[gnu::always_inline]] void append_uint(std::uint64_t n) {
        char* p = reserve(20);
        size_ += static_cast<std::size_t>(text_detail::write_uint(p, n) - p);
    }

  protected:
    char* data_ = nullptr;
    std::size_t size_ = 0, cap_ = 0;

  private:
    Storage& self() { return static_cast<Storage&>(*this); }
};

class text_buffer : public text_appender<text_buffer> {
  public:
    text_buffer() = default;
    text_buffer(const text_buffer& o) { *this += o.view(); }
    text_buffer& operator=(const text_buffer& o) {
        if (this != &o) {
            clear();
            *this += o.view();
        }
        return *this;
    }
    text_buffer(text_buffer&& o) noexcept { take(o); }
    text_buffer& operator=(text_buffer&& o) noexcept {
        if (this != &o) take(o);
        return *this;
    }

    void clear() { size_ = 0; }

  private:
    friend class text_appender<text_buffer>;
    std::unique_ptr<char[]> own_;

    void take(text_buffer& o) {
        own_ = std::move(o.own_);
        data_ = std::exchange(o.data_, nullptr);
        size_ = std::exchange(o.size_, 0);
        cap_ = std::exchange(o.cap_, 0);
    }
    [[gnu::noinline]] void grow(std::size_t n) {
        std::size_t cap = cap_ ? cap_ * 2 : 1024;
        while (cap - size_ < n) cap *= 2;
        std::unique_ptr<char[]> b(new char[cap]);
        if (size_) std::memcpy(b.get(), data_, size_);
        own_ = std::move(b);
        data_ = own_.get();
        cap_ = cap;
    }
};

// Writes into a std::string in place, from its start: the string's size is the room (grown with `resize`, so only
// room never used before is zero-filled), and the destructor cuts the string to what was written. A string reused
// from kernel to kernel is then written without the copy a separate buffer would need.
class string_writer : public text_appender<string_writer> {
  public:
    explicit string_writer(std::string& s) : s_(s) {
        data_ = s.data();
        cap_ = s.size();
    }
    string_writer(const string_writer&) = delete;
    string_writer& operator=(const string_writer&) = delete;
    ~string_writer() { s_.resize(size_); }

  private:
    friend class text_appender<string_writer>;
    std::string& s_;

    // A little past the request: the zero-fill is the cost, and the usual request is a copy's 16-byte overrun past
    // the previous kernel's length (the string's own capacity still grows geometrically).
    [[gnu::noinline]] void grow(std::size_t n) {
        s_.resize(size_ + n + 256);
        data_ = s_.data();
        cap_ = s_.size();
    }
};

}  // namespace warpsynth
// ---- end warpsynth/util/text_buffer.hpp ----

namespace warpsynth::syntax {

enum class node_kind : std::uint8_t {
    // expressions
    name,        // a kernel argument or a local: text = identifier
    constant,    // a literal: text = Python spelling, value in `num`/`inum`
    type_ref,    // a type used as a value, e.g. `dtype=float`: text = Python spelling
    binop,       // children: left, right
    unaryop,     // children: operand
    compare,     // children: left, comparators...; ops in tree::ops[aux ...]
    boolop,      // children: values...
    ifexp,       // children: test, body, orelse
    call,        // children: positional args..., keywords...; text = callee spelling; aux = #positional
    keyword,     // children: value; text = keyword name
    subscript,   // children: value, indices...
    attribute,   // children: value; text = attribute name
    tuple,       // children: elements (assignment targets of `i, j = wp.tid()`)
    // statements
    assign,      // children: target, value
    aug_assign,  // children: target, value; op
    expr_stmt,   // children: value
    if_stmt,     // children: test, body..., orelse...; aux = #body; flag elif: orelse is one `elif`
    for_stmt,    // children: target, iter, body...
    while_stmt,  // children: test, body...
    break_stmt,
    continue_stmt,
    return_stmt,  // children: optional value
    pass_stmt,
    comment,      // a full-line `# ...` comment: produces no code
    docstring,    // a string-constant expression statement: produces no code
};

enum class op : std::uint8_t {
    none,
    // binary
    add, sub, mul, div, mod, floordiv, pow, matmul, bit_and, bit_or, bit_xor, lshift, rshift,
    // unary
    usub, not_, invert,
    // boolean
    and_, or_,
    // comparison
    lt, le, gt, ge, eq, ne,
};

enum class const_kind : std::uint8_t { none, integer, floating, boolean, string };

// The components an attribute names (its node's text), in Warp's value layout: `.x` `.y` `.z` `.w` one each, a
// transform's `.p` components 0-2 and `.q` components 3-6. Unknown letters give count 0.
struct component_range {
    int first = 0, count = 0;
};
constexpr component_range attribute_components(char letter) {
    switch (letter) {
    case 'x': return {0, 1};
    case 'y': return {1, 1};
    case 'z': return {2, 1};
    case 'w': return {3, 1};
    case 'p': return {0, 3};
    case 'q': return {3, 4};
    default: return {};
    }
}

struct node {
    node_kind kind{};
    op oper = op::none;
    const_kind ckind = const_kind::none;
    bool parens = false;   // written with explicit parentheses in the Python text
    bool elif = false;     // if_stmt whose else branch renders as `elif`
    wtype type{};          // the Warp type of an expression's value
    std::uint32_t first = 0, count = 0;    // children: tree::kids[first, first + count)
    std::uint32_t text_at = 0, text_len = 0;  // into tree::text
    std::uint32_t note_at = 0, note_len = 0;  // trailing `# comment` of a statement
    std::uint32_t aux = 0;
    std::uint16_t builtin = 0;  // builtins/catalog.hpp id of a call
    double num = 0.0;           // floating constant value
    std::int64_t inum = 0;      // integer/boolean constant value
};

using node_id = std::uint32_t;

struct tree {
    pod_vector<node> nodes;  // (pod_vector: appending a node or children inlines; lowering does it per node)
    pod_vector<node_id> kids;
    std::vector<op> ops;
    text_buffer text;  // every node's text, appended in line

    // The kernel itself.
    std::string name;
    struct argument {
        std::string name;
        std::string python;  // annotation spelling
        wtype type;
    };
    std::vector<argument> args;
    std::vector<node_id> body;
    std::string decorator = "@wp.kernel";
    std::vector<std::pair<std::string, std::string>> options;  // kernel options as (key, Python str(value))

    void clear() {
        nodes.clear();
        kids.clear();
        ops.clear();
        text.clear();
        name.clear();
        args.clear();
        body.clear();
        decorator = "@wp.kernel";
        options.clear();
    }

    const node& operator[](node_id id) const { return nodes[id]; }
    node& operator[](node_id id) { return nodes[id]; }

    std::string_view text_of(const node& n) const { return {text.data() + n.text_at, n.text_len}; }
    std::string_view note_of(const node& n) const { return {text.data() + n.note_at, n.note_len}; }
    node_id child(const node& n, std::uint32_t i) const { return kids[n.first + i]; }

    // A new node of kind `k`, filled in place through `(*this)[id]`: a node built aside and copied in is
    // written field by field and then read back whole, a store-forwarding stall per node.
    node_id add(node_kind k) {
        nodes.emplace_back().kind = k;
        return static_cast<node_id>(nodes.size() - 1);
    }
    void set_text(node_id id, std::string_view s) {
        nodes[id].text_at = static_cast<std::uint32_t>(text.size());
        nodes[id].text_len = static_cast<std::uint32_t>(s.size());
        text += s;
    }
    void set_note(node_id id, std::string_view s) {
        nodes[id].note_at = static_cast<std::uint32_t>(text.size());
        nodes[id].note_len = static_cast<std::uint32_t>(s.size());
        text += s;
    }
    // Children are appended contiguously; lowering collects child ids first, then calls this.
    void set_children(node_id id, const node_id* ids, std::size_t n) {
        nodes[id].first = static_cast<std::uint32_t>(kids.size());
        nodes[id].count = static_cast<std::uint32_t>(n);
        kids.append(ids, ids + n);
    }
};

constexpr bool is_statement(node_kind k) { return k >= node_kind::assign; }

}  // namespace warpsynth::syntax
// ---- end warpsynth/syntax/tree.hpp ----
// ---- begin warpsynth/expr/expression.hpp ----
// warpsynth/expr/expression.hpp — what an expression is, and how a C++ number becomes a Python literal.
//
// An expression is a small value type with
//   - `using type = wt<W>`: its Warp type, known at compile time;
//   - `static constexpr bool is_ref`: true when Warp sees a reference (an array element), which it loads lazily;
//   - `node_id lower(syntax::tree&) const`: append its Python-shaped node(s) to a tree.
// Runtime data lives only in leaves: names, literal values and their spellings.

#include <concepts>

// ---- begin warpsynth/util/python_repr.hpp ----
// warpsynth/util/python_repr.hpp — Python's `str()` of numbers, which is how Warp prints constants.

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

namespace warpsynth {

// Room for any `str()` of a double: the longest are 24 characters (`-1.2345678901234567e-308`; fixed forms such as
// `-0.00012345678901234567` are 23).
inline constexpr std::size_t python_float_repr_max = 32;

// `str(x)` for a Python float, written at `p` (room for python_float_repr_max characters); returns its end. The
// shortest round-trip digits, in fixed notation when 1e-4 <= |x| < 1e16, otherwise `d.ddde-05` (Python's repr
// rule). Infinities and NaN spell as Python does (`inf`, `nan`). No allocation: literals are printed per record.
inline char* write_python_float(char* p, double x) {
    auto put = [&](const char* s) {
        while (*s) *p++ = *s++;
        return p;
    };
    if (x != x) return put("nan");
    if (x == 1.0 / 0.0) return put("inf");
    if (x == -1.0 / 0.0) return put("-inf");
    if (std::signbit(x)) {
        *p++ = '-';
        x = -x;
    }
    char sci[32];  // e.g. "1.2345e-05", "1e+16"
    auto end = std::to_chars(sci, sci + sizeof sci, x, std::chars_format::scientific).ptr;
    char digits[20];  // the significant digits, without the point
    std::size_t nd = 0;
    const char* q = sci;
    for (; *q != 'e'; ++q)
        if (*q != '.') digits[nd++] = *q;
    const bool neg_exp = q[1] == '-';
    int exp10 = 0;
    for (const char* e = q + 2; e < end; ++e) exp10 = exp10 * 10 + (*e - '0');
    if (neg_exp) exp10 = -exp10;
    const auto n = static_cast<int>(nd);
    auto copy = [&](int from, int to) {
        for (int i = from; i < to; ++i) *p++ = digits[i];
    };
    if (exp10 >= -4 && exp10 < 16) {  // Python: repr uses fixed notation when -4 <= exp10 < 16
        if (exp10 < 0) {
            *p++ = '0';
            *p++ = '.';
            for (int i = 0; i < -exp10 - 1; ++i) *p++ = '0';
            copy(0, n);
        } else if (n <= exp10 + 1) {
            copy(0, n);
            for (int i = n; i < exp10 + 1; ++i) *p++ = '0';
            *p++ = '.';
            *p++ = '0';
        } else {
            copy(0, exp10 + 1);
            *p++ = '.';
            copy(exp10 + 1, n);
        }
        return p;
    }
    *p++ = digits[0];
    if (n > 1) {
        *p++ = '.';
        copy(1, n);
    }
    *p++ = 'e';
    *p++ = exp10 < 0 ? '-' : '+';
    int a = exp10 < 0 ? -exp10 : exp10;
    if (a >= 100) *p++ = static_cast<char>('0' + a / 100);
    *p++ = static_cast<char>('0' + a / 10 % 10);
    *p++ = static_cast<char>('0' + a % 10);
    return p;
}

inline std::string python_float_repr(double x) {
    char buf[python_float_repr_max];
    return std::string(buf, write_python_float(buf, x));
}

inline std::string python_int_repr(std::int64_t v) { return std::to_string(v); }

}  // namespace warpsynth
// ---- end warpsynth/util/python_repr.hpp ----

namespace warpsynth {

template <class E>
concept expression = requires(const E& e, syntax::tree& t) {
    typename E::type;
    { E::type::value } -> std::convertible_to<wtype>;
    { e.lower(t) } -> std::same_as<syntax::node_id>;
};

// A C++ number or bool written directly in an expression (`x * 2.0`, `a[i] + 1`).
template <class T>
concept number = std::is_arithmetic_v<std::remove_cvref_t<T>>;

template <class T>
concept operand = expression<std::remove_cvref_t<T>> || number<T>;

template <expression E>
inline constexpr wtype type_of = E::type::value;

namespace detail {
inline syntax::node_id add_leaf(syntax::tree& t, syntax::node_kind k, wtype type, std::string_view text) {
    auto id = t.add(k);
    auto& n = t[id];
    n.type = type;
    t.set_text(id, text);
    return id;
}
}  // namespace detail

// A literal constant. Warp types a Python float literal as float32, an int literal as int32 (no promotion ever),
// so `W` is one of those, bool, or str. The spelling is the Python source text; the value is what Warp prints.
template <wtype W>
struct literal {
    using type = wt<W>;
    static constexpr bool is_ref = false;
    double fvalue = 0.0;
    std::int64_t ivalue = 0;
    std::string spelling;
    bool parens = false;

    // A negative number is `-` applied to a positive constant in Python's AST (Warp folds it back).
    syntax::node_id lower(syntax::tree& t) const {
        bool negative = !spelling.empty() && spelling[0] == '-';
        auto id = detail::add_leaf(t, syntax::node_kind::constant, W,
                                   negative ? std::string_view(spelling).substr(1) : std::string_view(spelling));
        fill(t[id], negative ? -1 : 1);
        if (!negative) {
            t[id].parens = parens;
            return id;
        }
        auto uid = t.add(syntax::node_kind::unaryop);
        auto& u = t[uid];
        u.oper = syntax::op::usub;
        u.type = W;
        u.parens = parens;
        t.set_children(uid, &id, 1);
        return uid;
    }

  private:
    void fill(syntax::node& n, int sign) const {
        if constexpr (W.kind == type_kind::string) {
            n.ckind = syntax::const_kind::string;
        } else if constexpr (W.is_bool()) {
            n.ckind = syntax::const_kind::boolean;
            n.inum = ivalue;
        } else if constexpr (is_float(W.scalar)) {
            n.ckind = syntax::const_kind::floating;
            n.num = sign * fvalue;
        } else {
            n.ckind = syntax::const_kind::integer;
            n.inum = sign * ivalue;
        }
    }
};

using float_literal = literal<f32_t>;
using int_literal = literal<i32_t>;
using bool_literal = literal<bool_t>;

inline float_literal lit(double v) { return {v, 0, python_float_repr(v)}; }
inline int_literal lit(int v) { return {0.0, v, python_int_repr(v)}; }
inline int_literal lit(long v) { return {0.0, v, python_int_repr(v)}; }
inline int_literal lit(long long v) { return {0.0, v, python_int_repr(v)}; }
inline bool_literal lit(bool v) { return {0.0, v ? 1 : 0, v ? "True" : "False"}; }

// A float literal kept exactly as written, e.g. flit("1e-3") renders `1e-3` in Python and `0.001` in the IR.
inline float_literal flit(std::string_view spelling) {
    return {std::strtod(std::string(spelling).c_str(), nullptr), 0, std::string(spelling)};
}
// An int literal kept exactly as written.
inline int_literal ilit(std::string_view spelling) {
    return {0.0, std::strtoll(std::string(spelling).c_str(), nullptr, 0), std::string(spelling)};
}
// A string constant (`s = "hello"`): Warp declares it as `const wp::str`.
inline literal<types::string()> slit(std::string_view s) {
    return {0.0, 0, "\"" + std::string(s) + "\""};
}

// Wrap a number as a literal; leave expressions alone.
template <class T>
decltype(auto) as_expr(const T& v) {
    if constexpr (number<T>) {
        if constexpr (std::is_same_v<T, bool>) return lit(v);
        else if constexpr (std::is_floating_point_v<T>) return lit(static_cast<double>(v));
        else return lit(static_cast<long long>(v));
    } else {
        return (v);
    }
}
template <class T>
using as_expr_t = std::remove_cvref_t<decltype(as_expr(std::declval<const T&>()))>;

// Explicit parentheses in the Python text: `paren(a + b)` renders `(a + b)` even where precedence does not need it.
template <expression E>
E paren(E e) {
    e.parens = true;
    return e;
}

}  // namespace warpsynth
// ---- end warpsynth/expr/expression.hpp ----
// ---- begin warpsynth/expr/operators.hpp ----
// warpsynth/expr/operators.hpp — Python's operators as expression templates: + - * / % // ** @ & | ^ << >>,
// unary - and `not`, comparisons (chained like Python's), `and`/`or`, and the ternary `x if c else y`.
//
// The operator *family* (its typing rule) is part of the type; the operator itself is a runtime leaf, so a
// generator can pick `+` or `-` for one compiled shape.

#include <array>
#include <stdexcept>
#include <tuple>

// ---- begin warpsynth/expr/node_base.hpp ----
// warpsynth/expr/node_base.hpp — members every expression node shares: subscripts and vector components.
//
// C++ has no `a[i, j]` before C++23, so multi-index subscripts are written `a(i, j)`; `a[i][j]` is a nested
// subscript exactly as in Python. `v.x` is written `v.x()`.



namespace warpsynth {

template <class Target, class... Index>
struct subscript;
template <class Target, wtype Result>
struct attribute;

template <class Derived>
struct node_base {
    bool parens = false;

    template <class I>
    auto operator[](const I& i) const;
    template <class... I>
    auto operator()(const I&... i) const;

    auto x() const;
    auto y() const;
    auto z() const;
    auto w() const;
    auto p() const;  // transform translation
    auto q() const;  // transform rotation

  private:
    const Derived& self() const { return static_cast<const Derived&>(*this); }
};

}  // namespace warpsynth
// ---- end warpsynth/expr/node_base.hpp ----
// ---- begin warpsynth/expr/typing.hpp ----
// warpsynth/expr/typing.hpp — Warp's typing rules for operators, checked at compile time.
//
// Each rule is a constexpr function of the operand types; an invalid combination is a static_assert whose message
// names the problem the way Warp's own error would. Warp never promotes: float32 + int32, float64 * 2.0 and
// uint32 + 1 are all "Input types must be the same".


namespace warpsynth::typing {

constexpr bool same(wtype a, wtype b) { return a == b; }
constexpr bool numeric_scalar(wtype t) { return t.is_scalar() && !t.is_bool(); }
constexpr bool float_scalar(wtype t) { return t.is_scalar() && is_float(t.scalar); }
constexpr bool int_scalar(wtype t) { return t.is_scalar() && is_int(t.scalar); }
constexpr bool vector_of_float(wtype t) { return t.kind == type_kind::vector && is_float(t.scalar); }
constexpr bool arithmetic_value(wtype t) { return numeric_scalar(t) || t.is_composite(); }
constexpr bool scalar_of(wtype s, wtype composite) { return s.is_scalar() && s.scalar == composite.scalar; }

// `a + b`, `a - b`
template <wtype A, wtype B>
constexpr wtype additive() {
    static_assert(!A.is_array() && !B.is_array(), "warpsynth: arrays cannot be operands of arithmetic; index them first");
    static_assert(arithmetic_value(A), "warpsynth: + and - need numeric operands (not bool)");
    static_assert(same(A, B), "warpsynth: Input types must be the same (Warp never promotes: vec3 + float, "
                              "float + int, float64 + 2.0 are all rejected)");
    return A;
}

// `a * b`
template <wtype A, wtype B>
constexpr wtype multiply() {
    static_assert(!A.is_array() && !B.is_array(), "warpsynth: arrays cannot be operands of arithmetic; index them first");
    static_assert(arithmetic_value(A) && arithmetic_value(B), "warpsynth: * needs numeric operands (not bool)");
    if constexpr (A.is_scalar() && B.is_scalar()) {
        static_assert(same(A, B), "warpsynth: Input types must be the same (Warp never promotes scalars)");
        return A;
    } else if constexpr (A.is_scalar()) {
        static_assert(scalar_of(A, B), "warpsynth: scalar * composite needs the composite's scalar type");
        return B;
    } else if constexpr (B.is_scalar()) {
        static_assert(scalar_of(B, A), "warpsynth: composite * scalar needs the composite's scalar type");
        return A;
    } else if constexpr (A.kind == type_kind::matrix && B.kind == type_kind::vector) {
        static_assert(A.scalar == B.scalar && A.cols == B.rows,
                      "warpsynth: matrix * vector needs vector length == matrix columns and the same scalar type");
        return types::vector(A.rows, A.scalar);
    } else if constexpr (A.kind == type_kind::vector && B.kind == type_kind::matrix) {
        static_assert(A.scalar == B.scalar && A.rows == B.rows,
                      "warpsynth: vector * matrix needs vector length == matrix rows and the same scalar type");
        return types::vector(B.cols, A.scalar);
    } else if constexpr (A.kind == type_kind::matrix && B.kind == type_kind::matrix) {
        static_assert(A.scalar == B.scalar && A.cols == B.rows,
                      "warpsynth: matrix * matrix needs inner dimensions to agree and the same scalar type");
        return types::matrix(A.rows, B.cols, A.scalar);
    } else if constexpr ((A.kind == type_kind::quaternion || A.kind == type_kind::transform) && same(A, B)) {
        return A;
    } else {
        static_assert(A.kind == type_kind::none,
                      "warpsynth: vector * vector is not defined in Warp; use wp.dot, wp.cw_mul or wp.outer");
        return A;
    }
}

// `a @ b`
template <wtype A, wtype B>
constexpr wtype matmul() {
    static_assert(A.kind == type_kind::matrix || B.kind == type_kind::matrix,
                  "warpsynth: @ needs a matrix operand");
    static_assert(!(A.is_scalar() || B.is_scalar()), "warpsynth: @ does not take scalars; use *");
    return multiply<A, B>();
}

// `a / b`
template <wtype A, wtype B>
constexpr wtype divide() {
    static_assert(!A.is_array() && !B.is_array(), "warpsynth: arrays cannot be operands of arithmetic; index them first");
    static_assert(arithmetic_value(A) && arithmetic_value(B), "warpsynth: / needs numeric operands (not bool)");
    if constexpr (A.is_scalar() && B.is_scalar()) {
        static_assert(same(A, B), "warpsynth: Input types must be the same (Warp never promotes scalars)");
        return A;
    } else if constexpr (B.is_scalar()) {
        static_assert(scalar_of(B, A) && A.kind != type_kind::transform,
                      "warpsynth: composite / scalar needs the composite's scalar type");
        return A;
    } else {
        static_assert(A.is_scalar() && scalar_of(A, B) && B.kind != type_kind::transform,
                      "warpsynth: / between two composites is not defined in Warp; use wp.cw_div");
        return B;
    }
}

// `a % b`, `a // b`
template <wtype A, wtype B>
constexpr wtype scalar_same() {
    static_assert(numeric_scalar(A) && numeric_scalar(B), "warpsynth: % and // need numeric scalar operands");
    static_assert(same(A, B), "warpsynth: Input types must be the same (Warp never promotes scalars)");
    return A;
}

// `a ** b`
template <wtype A, wtype B>
constexpr wtype power() {
    static_assert(float_scalar(A) && float_scalar(B), "warpsynth: ** needs float scalar operands");
    static_assert(same(A, B), "warpsynth: Input types must be the same (Warp never promotes scalars)");
    return A;
}

// `a & b`, `a | b`, `a ^ b`, `a << b`, `a >> b`
template <wtype A, wtype B>
constexpr wtype bitwise() {
    static_assert(int_scalar(A) && int_scalar(B), "warpsynth: bitwise operators need integer scalar operands");
    static_assert(same(A, B), "warpsynth: Input types must be the same (Warp never promotes scalars)");
    return A;
}

// `-a`
template <wtype A>
constexpr wtype negate() {
    static_assert(arithmetic_value(A), "warpsynth: unary - needs a numeric scalar or a vector/matrix/quaternion");
    return A;
}

// `a < b`, ... — Warp restricts chained comparisons to operands of one type.
template <wtype A, wtype B>
constexpr wtype compare() {
    static_assert(A.is_scalar() && B.is_scalar(), "warpsynth: comparisons need scalar operands");
    static_assert(same(A, B), "warpsynth: comparison operands must have the same type (Warp never promotes)");
    return types::scalar(scalar_kind::boolean);
}

// `a and b`, `not a`, `if c:`, `while c:`, `x if c else y`
template <wtype A>
constexpr wtype condition() {
    static_assert(A.is_bool(), "warpsynth: conditions and boolean operators need a bool (compare explicitly, "
                               "e.g. `x != 0`)");
    return A;
}

}  // namespace warpsynth::typing
// ---- end warpsynth/expr/typing.hpp ----

namespace warpsynth {

// --- operator families: the typing rule shared by their members -------------------------------------------
struct additive_ops {  // + -
    template <wtype A, wtype B> static constexpr wtype result() { return typing::additive<A, B>(); }
};
struct multiply_ops {  // *
    template <wtype A, wtype B> static constexpr wtype result() { return typing::multiply<A, B>(); }
};
struct matmul_ops {  // @
    template <wtype A, wtype B> static constexpr wtype result() { return typing::matmul<A, B>(); }
};
struct divide_ops {  // /
    template <wtype A, wtype B> static constexpr wtype result() { return typing::divide<A, B>(); }
};
struct scalar_ops {  // % //
    template <wtype A, wtype B> static constexpr wtype result() { return typing::scalar_same<A, B>(); }
};
struct power_ops {  // **
    template <wtype A, wtype B> static constexpr wtype result() { return typing::power<A, B>(); }
};
struct bitwise_ops {  // & | ^ << >>
    template <wtype A, wtype B> static constexpr wtype result() { return typing::bitwise<A, B>(); }
};

template <class Ops, expression L, expression R>
struct binary : node_base<binary<Ops, L, R>> {
    using type = wt<Ops::template result<L::type::value, R::type::value>()>;
    static constexpr bool is_ref = false;
    syntax::op oper;
    L left;
    R right;
    binary(syntax::op o, L l, R r) : oper(o), left(std::move(l)), right(std::move(r)) {}

    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kids[2] = {left.lower(t), right.lower(t)};
        auto id = t.add(syntax::node_kind::binop);
        auto& n = t[id];
        n.oper = oper;
        n.type = type::value;
        n.parens = this->parens;
        t.set_children(id, kids, 2);
        return id;
    }
};

template <class Ops, class A, class B>
auto make_binary(syntax::op o, const A& a, const B& b) {
    return binary<Ops, as_expr_t<A>, as_expr_t<B>>(o, as_expr(a), as_expr(b));
}

// `a <op> b` where at least one side is an expression.
template <class A, class B>
concept binary_operands = operand<A> && operand<B> && (expression<A> || expression<B>);

// clang-format off
template <class A, class B> requires binary_operands<A, B>
auto operator+(const A& a, const B& b) { return make_binary<additive_ops>(syntax::op::add, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator-(const A& a, const B& b) { return make_binary<additive_ops>(syntax::op::sub, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator*(const A& a, const B& b) { return make_binary<multiply_ops>(syntax::op::mul, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator/(const A& a, const B& b) { return make_binary<divide_ops>(syntax::op::div, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator%(const A& a, const B& b) { return make_binary<scalar_ops>(syntax::op::mod, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator&(const A& a, const B& b) { return make_binary<bitwise_ops>(syntax::op::bit_and, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator|(const A& a, const B& b) { return make_binary<bitwise_ops>(syntax::op::bit_or, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator^(const A& a, const B& b) { return make_binary<bitwise_ops>(syntax::op::bit_xor, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator<<(const A& a, const B& b) { return make_binary<bitwise_ops>(syntax::op::lshift, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator>>(const A& a, const B& b) { return make_binary<bitwise_ops>(syntax::op::rshift, a, b); }
// Python operators C++ lacks.
template <class A, class B> requires binary_operands<A, B>
auto floordiv(const A& a, const B& b) { return make_binary<scalar_ops>(syntax::op::floordiv, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto power(const A& a, const B& b) { return make_binary<power_ops>(syntax::op::pow, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto matmul(const A& a, const B& b) { return make_binary<matmul_ops>(syntax::op::matmul, a, b); }
// clang-format on

// --- unary ----------------------------------------------------------------------------------------------
struct negate_ops {  // -x
    template <wtype A> static constexpr wtype result() { return typing::negate<A>(); }
};
struct not_ops {  // not x
    template <wtype A> static constexpr wtype result() { return typing::condition<A>(); }
};

template <class Ops, expression E>
struct unary : node_base<unary<Ops, E>> {
    using type = wt<Ops::template result<E::type::value>()>;
    static constexpr bool is_ref = false;
    syntax::op oper;
    E operand_;
    unary(syntax::op o, E e) : oper(o), operand_(std::move(e)) {}
    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kid = operand_.lower(t);
        auto id = t.add(syntax::node_kind::unaryop);
        auto& n = t[id];
        n.oper = oper;
        n.type = type::value;
        n.parens = this->parens;
        t.set_children(id, &kid, 1);
        return id;
    }
};
template <expression E>
auto operator-(const E& e) {
    return unary<negate_ops, E>(syntax::op::usub, e);
}
template <expression E>
auto operator!(const E& e) {
    return unary<not_ops, E>(syntax::op::not_, e);
}

// --- comparisons ----------------------------------------------------------------------------------------
// `a < b < c` chains like Python: a comparison on the left of another extends the chain.
template <expression L, expression... R>
struct comparison : node_base<comparison<L, R...>> {
    static constexpr std::size_t arity = sizeof...(R);
    using type = bool_wt;
    static constexpr bool is_ref = false;
    L left;
    std::tuple<R...> rights;
    std::array<syntax::op, arity> ops;
    comparison(L l, std::tuple<R...> r, std::array<syntax::op, arity> o)
        : left(std::move(l)), rights(std::move(r)), ops(o) {}

    // The type of the last operand: the next link of a chain compares against it.
    using last_type = std::tuple_element_t<arity - 1, std::tuple<R...>>;

    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kids[arity + 1];
        kids[0] = left.lower(t);
        std::apply([&](const R&... r) {
            std::size_t k = 1;
            ((kids[k++] = r.lower(t)), ...);
        }, rights);
        auto id = t.add(syntax::node_kind::compare);
        auto& n = t[id];
        n.type = type::value;
        n.parens = this->parens;
        n.aux = static_cast<std::uint32_t>(t.ops.size());
        t.ops.insert(t.ops.end(), ops.begin(), ops.end());
        t.set_children(id, kids, arity + 1);
        return id;
    }
};

template <class T>
struct is_comparison : std::false_type {};
template <class L, class... R>
struct is_comparison<comparison<L, R...>> : std::true_type {};

template <class A, class B>
auto make_comparison(syntax::op o, const A& a, const B& b) {
    using EA = as_expr_t<A>;
    using EB = as_expr_t<B>;
    if constexpr (is_comparison<EA>::value) {
        // extend the chain: `a < b < c`
        static_assert(typing::compare<EA::last_type::type::value, EB::type::value>() == bool_t);
        auto chain = std::tuple_cat(a.rights, std::tuple<EB>(as_expr(b)));
        std::array<syntax::op, EA::arity + 1> ops{};
        for (std::size_t i = 0; i < EA::arity; ++i) ops[i] = a.ops[i];
        ops[EA::arity] = o;
        if (a.parens) throw std::logic_error("warpsynth: a parenthesized comparison cannot be compared again");
        return std::apply([&](auto... r) { return comparison<decltype(a.left), decltype(r)...>(a.left, {r...}, ops); },
                          chain);
    } else {
        static_assert(typing::compare<EA::type::value, EB::type::value>() == bool_t);
        return comparison<EA, EB>(as_expr(a), std::tuple<EB>(as_expr(b)), {o});
    }
}

// clang-format off
template <class A, class B> requires binary_operands<A, B>
auto operator<(const A& a, const B& b) { return make_comparison(syntax::op::lt, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator<=(const A& a, const B& b) { return make_comparison(syntax::op::le, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator>(const A& a, const B& b) { return make_comparison(syntax::op::gt, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator>=(const A& a, const B& b) { return make_comparison(syntax::op::ge, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator==(const A& a, const B& b) { return make_comparison(syntax::op::eq, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator!=(const A& a, const B& b) { return make_comparison(syntax::op::ne, a, b); }
// clang-format on

// --- and / or ---------------------------------------------------------------------------------------------
// `a && b` is Python's `a and b`; `a && b && c` is one `and` over three values, as Python parses it.
template <syntax::op Op, expression... E>
struct boolean_op : node_base<boolean_op<Op, E...>> {
    static_assert(((typing::condition<E::type::value>() == bool_t) && ...));
    using type = bool_wt;
    static constexpr bool is_ref = false;
    std::tuple<E...> values;
    explicit boolean_op(std::tuple<E...> v) : values(std::move(v)) {}
    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kids[sizeof...(E)];
        std::apply([&](const E&... e) {
            std::size_t k = 0;
            ((kids[k++] = e.lower(t)), ...);
        }, values);
        auto id = t.add(syntax::node_kind::boolop);
        auto& n = t[id];
        n.oper = Op;
        n.type = type::value;
        n.parens = this->parens;
        t.set_children(id, kids, sizeof...(E));
        return id;
    }
};

template <class T, syntax::op Op>
struct is_boolean_op : std::false_type {};
template <syntax::op Op, class... E>
struct is_boolean_op<boolean_op<Op, E...>, Op> : std::true_type {};

template <syntax::op Op, class A, class B>
auto make_boolean(const A& a, const B& b) {
    using EA = as_expr_t<A>;
    using EB = as_expr_t<B>;
    if constexpr (is_boolean_op<EA, Op>::value) {
        if (a.parens) throw std::logic_error("warpsynth: paren(a && b) && c would not chain; drop the parentheses");
        return std::apply([&](auto... v) {
            return boolean_op<Op, decltype(v)..., EB>(std::tuple<decltype(v)..., EB>(v..., as_expr(b)));
        }, a.values);
    } else {
        return boolean_op<Op, EA, EB>(std::tuple<EA, EB>(as_expr(a), as_expr(b)));
    }
}
template <class A, class B> requires binary_operands<A, B>
auto operator&&(const A& a, const B& b) { return make_boolean<syntax::op::and_>(a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator||(const A& a, const B& b) { return make_boolean<syntax::op::or_>(a, b); }

// --- x if c else y ----------------------------------------------------------------------------------------
template <expression C, expression A, expression B>
struct if_expression : node_base<if_expression<C, A, B>> {
    static_assert(typing::condition<C::type::value>() == bool_t);
    static_assert(A::type::value == B::type::value,
                  "warpsynth: both branches of `x if c else y` must have the same type");
    using type = wt<A::type::value>;
    static constexpr bool is_ref = false;
    C test;
    A body;
    B orelse;
    if_expression(C c, A a, B b) : test(std::move(c)), body(std::move(a)), orelse(std::move(b)) {}
    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kids[3] = {test.lower(t), body.lower(t), orelse.lower(t)};
        auto id = t.add(syntax::node_kind::ifexp);
        auto& n = t[id];
        n.type = type::value;
        n.parens = this->parens;
        t.set_children(id, kids, 3);
        return id;
    }
};
// `ternary(c, x, y)` renders `x if c else y`.
template <class C, class A, class B>
auto ternary(const C& c, const A& a, const B& b) {
    return if_expression<as_expr_t<C>, as_expr_t<A>, as_expr_t<B>>(as_expr(c), as_expr(a), as_expr(b));
}

}  // namespace warpsynth
// ---- end warpsynth/expr/operators.hpp ----
// ---- begin warpsynth/expr/variables.hpp ----
// warpsynth/expr/variables.hpp — kernel arguments and Python locals.
//
// A local has one Warp type for its whole life (Warp rejects `x = 1.0` then `x = 1`), so it is declared with its
// type: `local<float_>("s")`, or `local_as("s", expr)` to take the type of an expression.



namespace warpsynth {

template <class Target, class Value>
struct assign_stmt;
template <class Ops, class Target, class Value>
struct aug_assign_stmt;
struct additive_ops;
struct multiply_ops;
struct divide_ops;
struct scalar_ops;
struct bitwise_ops;

// A kernel argument `name: T`.
template <spelled_type T>
struct arg_ref : node_base<arg_ref<T>> {
    using type = wt<T::value>;
    using spelled = T;
    static constexpr bool is_ref = false;
    std::string_view name;
    explicit arg_ref(std::string_view n) : name(n) {}
    syntax::node_id lower(syntax::tree& t) const {
        auto id = detail::add_leaf(t, syntax::node_kind::name, T::value, name);
        t[id].parens = this->parens;
        return id;
    }
};

// A declaration of a kernel argument, as passed to kernel(...).
template <spelled_type T>
struct arg_decl {
    std::string_view name;
};
template <class T>
auto arg(std::string_view name) {
    static_assert(spelled_type<T>, "warpsynth: kernel argument annotations must be Warp types (float_, int_, "
                                   "float64, vec3, mat33, array<float_>, ...)");
    return arg_decl<T>{name};
}

// Augmented assignment operators shared by locals, subscripts and components (`s += x`, `a[i] -= v`, `v.x *= 2`);
// `Self::check_target()` rejects targets Warp cannot assign.
#define WARPSYNTH_AUG_ASSIGN_OPERATORS(Self)                                                       \
    template <class V>                                                                            \
    auto operator+=(const V& v) const { return aug<additive_ops>(syntax::op::add, v); }            \
    template <class V>                                                                            \
    auto operator-=(const V& v) const { return aug<additive_ops>(syntax::op::sub, v); }            \
    template <class V>                                                                            \
    auto operator*=(const V& v) const { return aug<multiply_ops>(syntax::op::mul, v); }            \
    template <class V>                                                                            \
    auto operator/=(const V& v) const { return aug<divide_ops>(syntax::op::div, v); }              \
    template <class V>                                                                            \
    auto operator%=(const V& v) const { return aug<scalar_ops>(syntax::op::mod, v); }              \
    template <class V>                                                                            \
    auto operator&=(const V& v) const { return aug<bitwise_ops>(syntax::op::bit_and, v); }         \
    template <class V>                                                                            \
    auto operator|=(const V& v) const { return aug<bitwise_ops>(syntax::op::bit_or, v); }          \
    template <class V>                                                                            \
    auto operator^=(const V& v) const { return aug<bitwise_ops>(syntax::op::bit_xor, v); }         \
    template <class Ops, class V>                                                                 \
    auto aug(syntax::op o, const V& v) const {                                                    \
        check_target<true>();                                                                     \
        return aug_assign_stmt<Ops, Self, as_expr_t<V>>(o, *this, as_expr(v));                    \
    }

// A Python local variable of Warp type T.
template <warp_type T>
struct local : node_base<local<T>> {
    using type = wt<T::value>;
    static constexpr bool is_ref = false;
    static_assert(!T::value.is_array(), "warpsynth: locals hold values; bind arrays by using the argument directly");
    std::string_view name;
    explicit local(std::string_view n) : name(n) {}
    local(const local&) = default;

    // `x = value` is an assignment statement; Warp keeps a local's type fixed.
    template <class V>
    auto operator=(const V& v) const {
        return assign_stmt<local, as_expr_t<V>>(*this, as_expr(v));
    }
    assign_stmt<local, local> operator=(const local& v) const { return assign_stmt<local, local>(*this, v); }
    template <bool Augmented = false>
    static constexpr void check_target() {}
    WARPSYNTH_AUG_ASSIGN_OPERATORS(local)

    syntax::node_id lower(syntax::tree& t) const {
        auto id = detail::add_leaf(t, syntax::node_kind::name, T::value, name);
        t[id].parens = this->parens;
        return id;
    }
};

// A name: a local or a kernel argument. Warp updates a component of a name in place (`v[0] = x` ->
// wp::assign_inplace); a component of any other expression cannot be assigned.
template <class T>
inline constexpr bool is_name_v = false;
template <class T>
inline constexpr bool is_name_v<local<T>> = true;
template <class T>
inline constexpr bool is_name_v<arg_ref<T>> = true;

template <expression E>
local<wt<E::type::value>> local_as(std::string_view name, const E&) {
    return local<wt<E::type::value>>(name);
}

}  // namespace warpsynth
// ---- end warpsynth/expr/variables.hpp ----
// ---- begin warpsynth/expr/access.hpp ----
// warpsynth/expr/access.hpp — subscripts (`a[i]`, `a(i, j)` for `a[i, j]`, `m[0][1]`) and components (`v.x`).



namespace warpsynth {

namespace typing {
// The type of `target[indices...]`.
template <wtype T, wtype... I>
constexpr wtype subscript() {
    static_assert(((I.is_scalar() && is_int(I.scalar)) && ...), "warpsynth: indices must be integer scalars");
    constexpr auto n = sizeof...(I);
    if constexpr (T.is_array()) {
        static_assert(n >= T.ndim, "warpsynth: array views (fewer indices than dimensions) are not supported");
        static_assert(n <= T.ndim,
                      "warpsynth: Incorrect number of indices specified for array indexing (more than its ndim)");
        return T.value();
    } else if constexpr (T.kind == type_kind::vector || T.kind == type_kind::quaternion ||
                         T.kind == type_kind::transform) {
        static_assert(n == 1, "warpsynth: a vector/quaternion/transform takes exactly one index");
        return T.scalar_type();
    } else if constexpr (T.kind == type_kind::matrix) {
        static_assert(n == 1 || n == 2, "warpsynth: a matrix takes one (row) or two (element) indices");
        if constexpr (n == 1) return types::vector(T.cols, T.scalar);
        else return T.scalar_type();
    } else {
        static_assert(T.kind == type_kind::none, "warpsynth: only arrays, vectors, matrices, quaternions and "
                                                 "transforms can be subscripted");
        return T;
    }
}
}  // namespace typing

namespace detail {
template <class T>
struct is_array_element : std::false_type {};

// A component assignment (`v[0] = x`, `v.x += y`, `m(i, j) = x`, `xf.p = v`) updates a name in place, as Warp does;
// a component of an array element (`a[i].x = v`, `a[i][k] = v`, `a[i](r, c) = v`, `a[i].p() = v`) is stored into
// that slot of the array (Warp's slot store).
template <class Target, bool Augmented>
constexpr void check_component_target() {
    constexpr bool element = is_array_element<Target>::value;
    static_assert(!(element && Augmented),
                  "warpsynth: augmented assignment to a component of an array element (`a[i].x += v`) is not "
                  "supported: Warp 1.16 drops its adjoint (and for `a[i][k] += v` its backward pass reads a pointer "
                  "it never replays); write `a[i][k] = a[i][k] + v`");
    static_assert(element || (!Target::is_ref && is_name_v<Target>),
                  "warpsynth: only array elements, components of a local or argument (`v[0] = x`, `v.x = y`, "
                  "`m(i, j) = x`, `xf.p = v`) and components of an array element (`a[i].x = v`) can be assigned");
}
}  // namespace detail

template <class Target, class... Index>
struct subscript : node_base<subscript<Target, Index...>> {
    using type = wt<typing::subscript<Target::type::value, Index::type::value...>()>;
    // An array element is a reference in Warp: an address that is loaded where its value is used.
    static constexpr bool is_ref = Target::type::value.is_array();
    static constexpr bool array_element = Target::type::value.is_array();
    Target target;
    std::tuple<Index...> indices;
    subscript(Target t, std::tuple<Index...> i) : target(std::move(t)), indices(std::move(i)) {}
    subscript(const subscript&) = default;

    // `a[i] = value`: an array store; `v[0] = x`, `m(i, j) = x`, `m[i] = row`, `xf[k] = x`: a component of a local
    // or argument updated in place, or of an array element stored. The value's type must match exactly.
    template <class V>
    auto operator=(const V& v) const {
        check_target();
        static_assert(!array_element || as_expr_t<V>::type::value == type::value,
                      "warpsynth: storing a value of a different type into an array element (Warp: array_store "
                      "type mismatch)");
        static_assert(array_element || as_expr_t<V>::type::value == type::value,
                      "warpsynth: assigning a value of a different type to a component (Warp: assign_inplace type "
                      "mismatch)");
        return assign_stmt<subscript, as_expr_t<V>>(*this, as_expr(v));
    }
    template <bool Augmented = false>
    static constexpr void check_target() {
        if constexpr (!array_element) detail::check_component_target<Target, Augmented>();
    }
    // Declared with its type so that std::is_assignable probes do not instantiate the checks above.
    assign_stmt<subscript, subscript> operator=(const subscript& v) const {
        return this->operator= <subscript>(v);
    }
    WARPSYNTH_AUG_ASSIGN_OPERATORS(subscript)

    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kids[1 + sizeof...(Index)];
        kids[0] = target.lower(t);
        std::apply([&](const Index&... i) {
            std::size_t k = 1;
            ((kids[k++] = i.lower(t)), ...);
        }, indices);
        auto id = t.add(syntax::node_kind::subscript);
        auto& n = t[id];
        n.type = type::value;
        n.parens = this->parens;
        t.set_children(id, kids, 1 + sizeof...(Index));
        return id;
    }
};

namespace detail {
template <class Target, class... Index>
struct is_array_element<subscript<Target, Index...>> : std::bool_constant<subscript<Target, Index...>::array_element> {};
}  // namespace detail

// `v.x`, `v.y`, ... (component index in `aux`), `xf.p`, `xf.q`.
template <class Target, wtype Result>
struct attribute : node_base<attribute<Target, Result>> {
    using type = wt<Result>;
    static constexpr bool is_ref = false;
    Target target;
    char component;
    attribute(Target t, char c) : target(std::move(t)), component(c) {}
    attribute(const attribute&) = default;

    // `v.x = value`, `xf.p = v`: a component of a local or argument updated in place, or of an array element stored.
    template <class V>
    auto operator=(const V& v) const {
        check_target();
        static_assert(as_expr_t<V>::type::value == Result,
                      "warpsynth: assigning a value of a different type to a component (Warp: assign_inplace type "
                      "mismatch)");
        return assign_stmt<attribute, as_expr_t<V>>(*this, as_expr(v));
    }
    assign_stmt<attribute, attribute> operator=(const attribute& v) const {
        return this->operator= <attribute>(v);
    }
    template <bool Augmented = false>
    static constexpr void check_target() {
        detail::check_component_target<Target, Augmented>();
    }
    WARPSYNTH_AUG_ASSIGN_OPERATORS(attribute)
    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kid = target.lower(t);
        auto id = t.add(syntax::node_kind::attribute);
        auto& n = t[id];
        n.type = Result;
        n.parens = this->parens;
        t.set_children(id, &kid, 1);
        char s[2] = {component, 0};
        t.set_text(id, s);
        return id;
    }
};

template <class D>
template <class I>
auto node_base<D>::operator[](const I& i) const {
    return subscript<D, as_expr_t<I>>(self(), std::tuple<as_expr_t<I>>(as_expr(i)));
}
template <class D>
template <class... I>
auto node_base<D>::operator()(const I&... i) const {
    return subscript<D, as_expr_t<I>...>(self(), std::tuple<as_expr_t<I>...>(as_expr(i)...));
}

#define WARPSYNTH_COMPONENT(fn, letter, index)                                                                \
    template <class D>                                                                                      \
    auto node_base<D>::fn() const {                                                                         \
        constexpr wtype T = D::type::value;                                                                 \
        static_assert(T.kind == type_kind::vector || T.kind == type_kind::quaternion,                       \
                      "warpsynth: ." #fn " is a component of a vector or quaternion");                      \
        static_assert(index < T.rows, "warpsynth: Vector swizzle ." #fn " is out of range for this length"); \
        return attribute<D, T.scalar_type()>(self(), letter);                                                                \
    }
WARPSYNTH_COMPONENT(x, 'x', 0)
WARPSYNTH_COMPONENT(y, 'y', 1)
WARPSYNTH_COMPONENT(z, 'z', 2)
WARPSYNTH_COMPONENT(w, 'w', 3)
#undef WARPSYNTH_COMPONENT

template <class D>
auto node_base<D>::p() const {
    static_assert(D::type::value.kind == type_kind::transform, "warpsynth: .p is the translation of a transform");
    return attribute<D, types::vector(3, D::type::value.scalar)>(self(), 'p');
}
template <class D>
auto node_base<D>::q() const {
    static_assert(D::type::value.kind == type_kind::transform, "warpsynth: .q is the rotation of a transform");
    return attribute<D, types::quaternion(D::type::value.scalar)>(self(), 'q');
}

}  // namespace warpsynth
// ---- end warpsynth/expr/access.hpp ----
// ---- begin warpsynth/builtins/catalog.hpp ----
// warpsynth/builtins/catalog.hpp — what Warp's code generator needs to know about each builtin it calls.
//
// For a call Warp emits `wp::<native>(args)` forward and `wp::adj_<native base>(...)` in the reverse pass. Three
// per-overload facts change the text: whether the adjoint also receives the primal output
// (`require_original_output_arg`), whether the builtin is differentiable at all, and whether its replay in the
// backward pass is commented out (`skip_replay`: stores and atomics). `resolve()` answers them from the argument
// types, overload by overload, as Warp's builtin registry does.



namespace warpsynth::builtins {

enum class fn : std::uint16_t {
    none,
    // internal calls Warp's builder makes itself
    address, load, array_store, copy, assign, extract, where, range, iter_next, iter_reverse, tid, unot,
    add, sub, mul, div, mod, floordiv, pow_op, neg, bit_and, bit_or, bit_xor, lshift, rshift,
    // math
    sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, sqrt, cbrt, exp, log, log2, log10, pow, abs, sign,
    floor, ceil, round, rint, trunc, frac, step, min, max, clamp, lerp, smoothstep, degrees, radians, erf, erfc, copysign,
    // vector / matrix / quaternion / transform
    dot, cross, length, length_sq, normalize, outer, cw_mul, cw_div, transpose, determinant, inverse, trace, diag,
    identity, quat_rotate, quat_rotate_inv, quat_from_axis_angle, quat_inverse, quat_to_matrix, transform_point,
    transform_vector, transform_inverse, transform_get_translation, transform_get_rotation, transform_set_translation,
    transform_set_rotation,
    // atomics
    atomic_add, atomic_sub, atomic_min, atomic_max, atomic_and, atomic_or, atomic_xor,
    // in-place updates of a local vector/quaternion/matrix component: `v[i] = x`, `v[i] += x`, ...
    assign_inplace, add_inplace, sub_inplace, bit_and_inplace, bit_or_inplace, bit_xor_inplace,
    // constructors and casts
    construct_scalar,  // float(x), int(x), wp.float64(x), ...: the result type says which
    construct_vector, construct_matrix, construct_quat, construct_transform,
};

// The Python name Warp registers a builtin under (`wp.<key>`).
constexpr std::string_view key(fn f) {
    switch (f) {
#define K(x) case fn::x: return std::string_view(#x, sizeof(#x) - 1);
        K(address) K(load) K(array_store) K(copy) K(assign) K(extract) K(where) K(range) K(iter_next)
        K(iter_reverse) K(tid) K(unot) K(add) K(sub) K(mul) K(div) K(mod) K(floordiv) K(neg) K(bit_and) K(bit_or)
        K(bit_xor) K(lshift) K(rshift) K(sin) K(cos) K(tan) K(asin) K(acos) K(atan) K(atan2) K(sinh) K(cosh) K(tanh)
        K(sqrt) K(cbrt) K(exp) K(log) K(log2) K(log10) K(pow) K(abs) K(sign) K(floor) K(ceil) K(round) K(trunc)
        K(frac) K(step) K(min) K(max) K(clamp) K(lerp) K(smoothstep) K(degrees) K(radians) K(rint) K(erf) K(erfc)
        K(copysign) K(dot) K(cross) K(length) K(length_sq)
        K(normalize) K(outer) K(cw_mul) K(cw_div) K(transpose) K(determinant) K(inverse) K(trace) K(diag)
        K(identity) K(quat_rotate) K(quat_rotate_inv) K(quat_from_axis_angle) K(quat_inverse) K(quat_to_matrix)
        K(transform_point) K(transform_vector) K(transform_inverse) K(transform_get_translation)
        K(transform_get_rotation) K(transform_set_translation) K(transform_set_rotation) K(atomic_add) K(atomic_sub) K(atomic_min) K(atomic_max) K(atomic_and)
        K(atomic_or) K(atomic_xor) K(assign_inplace) K(add_inplace) K(sub_inplace) K(bit_and_inplace)
        K(bit_or_inplace) K(bit_xor_inplace)
#undef K
    case fn::pow_op: return std::string_view("pow", 3);
    default: return "";
    }
}

// The builtin Warp's builder calls for `a[i] <op>= v` on an array of scalar type `s`: an atomic for + - & | ^, or
// fn::none where it loads, operates and stores instead (other operators; 8- and 16-bit integer arrays, Warp's
// non_atomic_types).
constexpr fn augmented_array_atomic(syntax::op o, scalar_kind s) {
    if (s == scalar_kind::int8 || s == scalar_kind::uint8 || s == scalar_kind::int16 || s == scalar_kind::uint16)
        return fn::none;
    switch (o) {
    case syntax::op::add: return fn::atomic_add;
    case syntax::op::sub: return fn::atomic_sub;
    case syntax::op::bit_and: return fn::atomic_and;
    case syntax::op::bit_or: return fn::atomic_or;
    case syntax::op::bit_xor: return fn::atomic_xor;
    default: return fn::none;
    }
}

// The builtin Warp's builder calls for `v[i] <op>= x` on a component of a local vector/quaternion/matrix/transform:
// an in-place update for + - & | ^, or fn::none where it extracts, operates and assigns in place instead (other
// operators; every `v.x <op>= x`).
constexpr fn augmented_component_inplace(syntax::op o) {
    switch (o) {
    case syntax::op::add: return fn::add_inplace;
    case syntax::op::sub: return fn::sub_inplace;
    case syntax::op::bit_and: return fn::bit_and_inplace;
    case syntax::op::bit_or: return fn::bit_or_inplace;
    case syntax::op::bit_xor: return fn::bit_xor_inplace;
    default: return fn::none;
    }
}

// A forward name with template arguments (`mat_t<4, 4, wp::float64>`), formatted in place: resolve() runs for
// every call Warp emits, so its answer must not allocate.
class call_name {
  public:
    static constexpr std::size_t capacity = 48;  // the longest spelling, `mat_t<...>`, is 24 characters
    constexpr call_name() = default;
    // Most names are plain: kept as a view of the catalog's static string, not copied.
    constexpr call_name(std::string_view s) : plain_(s) {}
    constexpr call_name& operator+=(std::string_view s) {
        spell_out();
        put(s);
        return *this;
    }
    constexpr call_name& operator+=(unsigned n) {  // a vector's or matrix's size
        spell_out();
        if (n >= 10) *this += n / 10;
        if (n_ < capacity) s_[n_++] = static_cast<char>('0' + n % 10);
        return *this;
    }
    constexpr std::string_view view() const { return n_ ? std::string_view{s_, n_} : plain_; }

  private:
    std::string_view plain_;
    char s_[capacity];  // only [0, n_) is ever read: left uninitialized, as resolve() runs per call
    std::size_t n_ = 0;

    constexpr void put(std::string_view s) {
        for (char c : s)
            if (n_ < capacity) s_[n_++] = c;
    }
    // Template arguments are being added: copy the plain name into the buffer first.
    constexpr void spell_out() {
        if (plain_.empty()) return;
        put(plain_);
        plain_ = {};
    }
};

struct call_info {
    call_name forward;          // name in the forward call, template arguments included: `vec_t<3, wp::float32>`
    std::string_view adjoint;   // base of the adjoint name: `adj_<adjoint>`
    std::string_view prefix;    // namespace prefix: "wp::" or "" (tid, bool casts)
    bool require_output = false;
    bool differentiable = true;
    bool skip_replay = false;
    bool multiple_outputs = false;  // builtin_tid2d(var_0, var_1)
};

// `args` are the (value) types of the call's arguments in order; `result` the call's type.
constexpr call_info resolve(fn f, const wtype* args, std::size_t nargs, wtype result) {
    call_info c;
    c.prefix = "wp::";
    auto a0 = nargs > 0 ? args[0] : wtype{};
    auto a1 = nargs > 1 ? args[1] : wtype{};
    auto named = [&](std::string_view n) {
        c.forward = n;
        c.adjoint = n;
    };
    // `wp::float32`, `bool`: the template argument naming the result's scalar type.
    auto scalar_ctype = [&](call_name& out) {
        if (result.scalar == scalar_kind::boolean) {
            out += "bool";
        } else {
            out += "wp::";
            out += scalar_name(result.scalar);
        }
    };
    switch (f) {
    case fn::construct_scalar:
        named(result.is_bool() ? "bool" : scalar_name(result.scalar));
        if (result.is_bool()) c.prefix = "";
        c.differentiable = is_float(result.scalar);
        break;
    case fn::construct_vector:
        named("vec_t");
        c.forward += "<";
        c.forward += unsigned{result.rows};
        c.forward += ", ";
        scalar_ctype(c.forward);
        c.forward += ">";
        break;
    case fn::construct_matrix:
        named("mat_t");
        c.forward += "<";
        c.forward += unsigned{result.rows};
        c.forward += ", ";
        c.forward += unsigned{result.cols};
        c.forward += ", ";
        scalar_ctype(c.forward);
        c.forward += ">";
        break;
    case fn::construct_quat:
        named("quat_t");
        c.forward += "<";
        scalar_ctype(c.forward);
        c.forward += ">";
        break;
    case fn::construct_transform:
        named("transform_t");
        c.forward += "<";
        scalar_ctype(c.forward);
        c.forward += ">";
        break;
    case fn::identity:
        named("identity");
        c.forward += "<";
        c.forward += unsigned{result.rows};
        c.forward += ", ";
        scalar_ctype(c.forward);
        c.forward += ">";
        c.differentiable = false;
        break;
    case fn::tid:
        c.prefix = "";
        named("builtin_tid1d");
        c.differentiable = false;
        break;
    default: named(key(f)); break;
    }
    switch (f) {
    // The adjoint needs the primal output.
    case fn::sqrt: case fn::cbrt: case fn::exp: case fn::tanh: case fn::pow: case fn::pow_op: case fn::inverse:
    case fn::cw_div: case fn::length:
        c.require_output = true;
        break;
    case fn::div: c.require_output = a0.is_scalar() && a1.is_scalar(); break;
    case fn::normalize: c.require_output = a0.kind == type_kind::vector; break;
    // Not differentiable.
    case fn::floor: case fn::ceil: case fn::round: case fn::rint: case fn::trunc: case fn::frac: case fn::sign:
    case fn::step:
    case fn::floordiv: case fn::bit_and: case fn::bit_or: case fn::bit_xor: case fn::lshift: case fn::rshift:
    case fn::load: case fn::range: case fn::iter_next: case fn::iter_reverse: case fn::unot:
    case fn::bit_and_inplace: case fn::bit_or_inplace: case fn::bit_xor_inplace:
        c.differentiable = false;
        break;
    case fn::mod: c.differentiable = a0.is_scalar(); break;
    // Side effects: the backward pass's replay comments them out.
    case fn::array_store: case fn::atomic_add: case fn::atomic_sub: case fn::atomic_min: case fn::atomic_max:
        c.skip_replay = true;
        break;
    // Bitwise atomics: side effects and no adjoint.
    case fn::atomic_and: case fn::atomic_or: case fn::atomic_xor:
        c.skip_replay = true;
        c.differentiable = false;
        break;
    default: break;
    }
    return c;
}

}  // namespace warpsynth::builtins
// ---- end warpsynth/builtins/catalog.hpp ----
// ---- begin warpsynth/builtins/functions.hpp ----
// warpsynth/builtins/functions.hpp — Warp's builtins as typed DSL functions: `wp::sin(x)`, `wp::dot(a, b)`,
// `wp::vec3(x, y, z)`, `float_(k)`, `wp::atomic_add(a, i, v)`, `tid()`, ...
//
// A builtin is a function object: its catalog id, its Python spelling, and a typing rule. Calling it with the
// wrong number or types of arguments is a compile error that names the builtin and the problem.



namespace warpsynth {

namespace detail {
// Append a call node `<python>(args...)`: shared by every kind of call node.
template <class... Args>
syntax::node_id lower_call(syntax::tree& t, builtins::fn f, wtype type, std::string_view python, bool parens,
                           const std::tuple<Args...>& args) {
    syntax::node_id kids[sizeof...(Args) + 1]{};  // (+1: a call may have no arguments)
    std::apply([&](const Args&... a) {
        std::size_t k = 0;
        ((kids[k++] = a.lower(t)), ...);
    }, args);
    auto id = t.add(syntax::node_kind::call);
    auto& n = t[id];
    n.type = type;
    n.builtin = static_cast<std::uint16_t>(f);
    n.aux = sizeof...(Args);
    n.parens = parens;
    t.set_children(id, kids, sizeof...(Args));
    t.set_text(id, python);
    return id;
}
}  // namespace detail

// A call `<python>(args...)` of type R.
template <builtins::fn F, wtype R, class... Args>
struct call : node_base<call<F, R, Args...>> {
    using type = wt<R>;
    static constexpr bool is_ref = false;
    std::string_view python;
    std::tuple<Args...> args;
    call(std::string_view py, std::tuple<Args...> a) : python(py), args(std::move(a)) {}

    syntax::node_id lower(syntax::tree& t) const { return detail::lower_call(t, F, R, python, this->parens, args); }
};

namespace rules {
using typing::float_scalar;
using typing::numeric_scalar;

// x: Float -> Float
struct float_unary {
    template <wtype A> static constexpr wtype result() {
        static_assert(float_scalar(A), "warpsynth: this math builtin takes one float scalar (float16/32/64)");
        return A;
    }
};
// x: Scalar or vector -> same (abs)
struct scalar_or_vector_unary {
    template <wtype A> static constexpr wtype result() {
        static_assert(numeric_scalar(A) || A.kind == type_kind::vector,
                      "warpsynth: this builtin takes a numeric scalar or a vector");
        return A;
    }
};
// x: Scalar -> same (sign)
struct scalar_unary {
    template <wtype A> static constexpr wtype result() {
        static_assert(numeric_scalar(A), "warpsynth: this builtin takes a numeric scalar");
        return A;
    }
};
// (Float, Float) -> Float (atan2, pow)
struct float_binary {
    template <wtype A, wtype B> static constexpr wtype result() {
        static_assert(float_scalar(A) && A == B, "warpsynth: this builtin takes two float scalars of the same type");
        return A;
    }
};
// (Scalar, Scalar) or (vector, vector) of one type (min, max)
struct same_binary {
    template <wtype A, wtype B> static constexpr wtype result() {
        static_assert((numeric_scalar(A) || A.kind == type_kind::vector) && A == B,
                      "warpsynth: min/max take two numeric scalars or two vectors of the same type");
        return A;
    }
};
// (x, lo, hi): Scalar, one type (clamp); (a, b, x): Float (smoothstep)
struct same_ternary_scalar {
    template <wtype A, wtype B, wtype C> static constexpr wtype result() {
        static_assert(numeric_scalar(A) && A == B && B == C,
                      "warpsynth: this builtin takes three numeric scalars of the same type");
        return A;
    }
};
struct same_ternary_float {
    template <wtype A, wtype B, wtype C> static constexpr wtype result() {
        static_assert(float_scalar(A) && A == B && B == C,
                      "warpsynth: this builtin takes three float scalars of the same type");
        return A;
    }
};
// lerp(a, b, t): a, b of one float type, t their scalar
struct lerp_rule {
    template <wtype A, wtype B, wtype T> static constexpr wtype result() {
        static_assert(A == B && is_float(A.scalar) && (A.is_scalar() || A.is_composite()),
                      "warpsynth: wp.lerp(a, b, t) needs a and b of the same float type");
        static_assert(T == A.scalar_type(), "warpsynth: wp.lerp's t must be the scalar type of a and b");
        return A;
    }
};
// wp.where(cond, value_if_true, value_if_false): cond a bool or an integer scalar (Warp registers no float
// overload), both values of one (non-array) type, which is the result's.
struct where_rule {
    template <wtype C, wtype A, wtype B> static constexpr wtype result() {
        static_assert(C.is_bool() || (C.is_scalar() && is_int(C.scalar)),
                      "warpsynth: wp.where's condition must be a bool or an integer scalar (Warp has no float "
                      "overload: compare it, e.g. x > 0.0)");
        static_assert(A == B, "warpsynth: wp.where's two values must have the same type (Warp: \"where() true "
                              "value type must be of the same type as the false type\")");
        static_assert(!A.is_array(), "warpsynth: wp.where selects values, not arrays");
        return A;
    }
};
// wp.select(cond, value_if_false, value_if_true) was removed in Warp 1.10: every call is rejected.
struct removed_select_rule {
    template <wtype... A> static constexpr wtype result() {
        static_assert(sizeof...(A) != sizeof...(A), "warpsynth: wp.select() has been removed (Warp 1.10); use "
                                                    "wp.where(cond, value_if_true, value_if_false)");
        return {};
    }
};
struct dot_rule {
    template <wtype A, wtype B> static constexpr wtype result() {
        static_assert((A.kind == type_kind::vector || A.kind == type_kind::quaternion) && A == B,
                      "warpsynth: wp.dot takes two vectors (or quaternions) of the same type");
        return A.scalar_type();
    }
};
struct cross_rule {
    template <wtype A, wtype B> static constexpr wtype result() {
        static_assert(A.kind == type_kind::vector && A.rows == 3 && A == B,
                      "warpsynth: wp.cross takes two vec3 of the same type");
        return A;
    }
};
struct length_rule {
    template <wtype A> static constexpr wtype result() {
        static_assert((A.kind == type_kind::vector || A.kind == type_kind::quaternion) && is_float(A.scalar),
                      "warpsynth: wp.length/wp.length_sq take a float vector or quaternion");
        return A.scalar_type();
    }
};
struct normalize_rule {
    template <wtype A> static constexpr wtype result() {
        static_assert((A.kind == type_kind::vector || A.kind == type_kind::quaternion) && is_float(A.scalar),
                      "warpsynth: wp.normalize takes a float vector or quaternion");
        return A;
    }
};
struct outer_rule {
    template <wtype A, wtype B> static constexpr wtype result() {
        static_assert(A.kind == type_kind::vector && B.kind == type_kind::vector && A.scalar == B.scalar,
                      "warpsynth: wp.outer takes two vectors of the same scalar type");
        return types::matrix(A.rows, B.rows, A.scalar);
    }
};
struct elementwise_rule {
    template <wtype A, wtype B> static constexpr wtype result() {
        static_assert((A.kind == type_kind::vector || A.kind == type_kind::matrix) && A == B,
                      "warpsynth: wp.cw_mul/wp.cw_div take two vectors or matrices of the same type");
        return A;
    }
};
struct transpose_rule {
    template <wtype A> static constexpr wtype result() {
        static_assert(A.kind == type_kind::matrix, "warpsynth: wp.transpose takes a matrix");
        return types::matrix(A.cols, A.rows, A.scalar);
    }
};
struct square_to_scalar {
    template <wtype A> static constexpr wtype result() {
        static_assert(A.kind == type_kind::matrix && A.rows == A.cols,
                      "warpsynth: wp.determinant/wp.trace take a square matrix");
        return A.scalar_type();
    }
};
struct inverse_rule {
    template <wtype A> static constexpr wtype result() {
        static_assert(A.kind == type_kind::matrix && A.rows == A.cols && A.rows >= 2 && A.rows <= 4 &&
                          is_float(A.scalar),
                      "warpsynth: wp.inverse takes a square float matrix of size 2, 3 or 4");
        return A;
    }
};
struct diag_rule {
    template <wtype A> static constexpr wtype result() {
        static_assert(A.kind == type_kind::vector, "warpsynth: wp.diag takes a vector");
        return types::matrix(A.rows, A.rows, A.scalar);
    }
};
struct quat_vec3_rule {
    template <wtype Q, wtype V> static constexpr wtype result() {
        static_assert(Q.kind == type_kind::quaternion && V.kind == type_kind::vector && V.rows == 3 &&
                          Q.scalar == V.scalar,
                      "warpsynth: wp.quat_rotate/_inv take a quaternion and a vec3 of the same scalar type");
        return V;
    }
};
struct axis_angle_rule {
    template <wtype V, wtype A> static constexpr wtype result() {
        static_assert(V.kind == type_kind::vector && V.rows == 3 && is_float(V.scalar) && A == V.scalar_type(),
                      "warpsynth: wp.quat_from_axis_angle takes a float vec3 axis and an angle of its scalar type");
        return types::quaternion(V.scalar);
    }
};
// quat -> quat (quat_inverse)
struct quat_unary_rule {
    template <wtype Q> static constexpr wtype result() {
        static_assert(Q.kind == type_kind::quaternion && is_float(Q.scalar),
                      "warpsynth: wp.quat_inverse takes one float quaternion");
        return Q;
    }
};
// quat -> mat33 of its scalar type (quat_to_matrix)
struct quat_matrix_rule {
    template <wtype Q> static constexpr wtype result() {
        static_assert(Q.kind == type_kind::quaternion && is_float(Q.scalar),
                      "warpsynth: wp.quat_to_matrix takes one float quaternion");
        return types::matrix(3, 3, Q.scalar);
    }
};
// transform -> transform (transform_inverse)
struct transform_unary_rule {
    template <wtype T> static constexpr wtype result() {
        static_assert(T.kind == type_kind::transform && is_float(T.scalar),
                      "warpsynth: wp.transform_inverse takes one float transform");
        return T;
    }
};
// transform -> its vec3 translation / its quaternion rotation
struct transform_translation_rule {
    template <wtype T> static constexpr wtype result() {
        static_assert(T.kind == type_kind::transform && is_float(T.scalar),
                      "warpsynth: wp.transform_get_translation takes one float transform");
        return types::vector(3, T.scalar);
    }
};
struct transform_rotation_rule {
    template <wtype T> static constexpr wtype result() {
        static_assert(T.kind == type_kind::transform && is_float(T.scalar),
                      "warpsynth: wp.transform_get_rotation takes one float transform");
        return types::quaternion(T.scalar);
    }
};
struct transform_vec3_rule {
    template <wtype T, wtype V> static constexpr wtype result() {
        static_assert(T.kind == type_kind::transform && V.kind == type_kind::vector && V.rows == 3 &&
                          T.scalar == V.scalar,
                      "warpsynth: wp.transform_point/_vector take a transform and a vec3 of the same scalar type");
        return V;
    }
};
// atomic_*(array, indices..., value) -> element type
struct atomic_rule {
    template <wtype A, wtype... Rest> static constexpr wtype result() {
        static_assert(A.is_array(), "warpsynth: atomics take an array as their first argument");
        static_assert(sizeof...(Rest) == A.ndim + 1u,
                      "warpsynth: atomics take the array, one index per dimension, then the value");
        constexpr wtype all[] = {Rest...};
        for (std::size_t i = 0; i + 1 < sizeof...(Rest); ++i)
            if (!(all[i].is_scalar() && is_int(all[i].scalar))) throw "warpsynth: atomic indices must be integers";
        static_assert(all[sizeof...(Rest) - 1] == A.value(),
                      "warpsynth: the atomic's value must have the array's element type");
        return A.value();
    }
};
// wp.atomic_and/or/xor: an atomic on a [u]int32 or [u]int64 array (or one of vectors of them), as Warp checks.
struct atomic_bitwise_rule {
    template <wtype A, wtype... Rest> static constexpr wtype result() {
        constexpr wtype r = atomic_rule::template result<A, Rest...>();
        constexpr scalar_kind s = r.scalar;
        static_assert(s == scalar_kind::int32 || s == scalar_kind::int64 || s == scalar_kind::uint32 ||
                          s == scalar_kind::uint64,
                      "warpsynth: wp.atomic_and/or/xor only work on arrays of [u]int32 or [u]int64 (Warp)");
        return r;
    }
};
}  // namespace rules

// A builtin whose argument count is the rule's arity.
template <builtins::fn F, class Rule, fixed_string Py>
struct builtin {
    template <class... A>
    auto operator()(const A&... a) const {
        static_assert(requires { Rule::template result<as_expr_t<A>::type::value...>(); },
                      "warpsynth: wrong number of arguments to this builtin (Warp: \"Couldn't find function "
                      "overload\")");
        constexpr wtype R = Rule::template result<as_expr_t<A>::type::value...>();
        return call<F, R, as_expr_t<A>...>(Py.view(), std::tuple<as_expr_t<A>...>(as_expr(a)...));
    }
};

// A scalar cast/constructor: `float(x)`, `int(x)`, `wp.float64(x)`, ...
template <wtype R, fixed_string Py>
struct scalar_constructor {
    template <class A>
    auto operator()(const A& a) const {
        static_assert(as_expr_t<A>::type::value.is_scalar(), "warpsynth: scalar constructors take one scalar");
        return call<builtins::fn::construct_scalar, R, as_expr_t<A>>(Py.view(), std::tuple<as_expr_t<A>>(as_expr(a)));
    }
};

// Vector/matrix/quaternion constructors from scalar components (or one scalar to fill, or none for zeros).
template <builtins::fn F, wtype R, fixed_string Py>
struct composite_constructor {
    template <class... A>
    auto operator()(const A&... a) const {
        constexpr std::size_t n = sizeof...(A);
        constexpr std::size_t components = R.kind == type_kind::matrix ? R.rows * R.cols : R.rows;
        if constexpr (R.kind == type_kind::transform) {
            static_assert(n == 2, "warpsynth: wp.transform takes (p: vec3, q: quat)");
            constexpr wtype ts[] = {as_expr_t<A>::type::value...};
            static_assert(ts[0] == types::vector(3, R.scalar) && ts[1] == types::quaternion(R.scalar),
                          "warpsynth: wp.transform takes (p: vec3, q: quat) of its scalar type");
        } else {
            static_assert(n == 0 || n == 1 || n == components,
                          "warpsynth: a vector/matrix/quaternion constructor takes all its components, one scalar, "
                          "or none (building a matrix from vectors is rejected by Warp: use "
                          "wp.matrix_from_rows/cols)");
            static_assert(((as_expr_t<A>::type::value == R.scalar_type()) && ...),
                          "warpsynth: constructor components must all have the constructed type's scalar type");
        }
        return call<F, R, as_expr_t<A>...>(Py.view(), std::tuple<as_expr_t<A>...>(as_expr(a)...));
    }
};

// `wp.tid()`: the thread index. `i = tid()` for 1-D launches, `tie(i, j) = tid()` for 2-D, ...
inline auto tid() { return call<builtins::fn::tid, i32_t>("wp.tid", {}); }

// `wp.identity(n=N, dtype=T)`
template <int N, spelled_type T>
struct identity_call : node_base<identity_call<N, T>> {
    static_assert(N >= 2 && N <= 4, "warpsynth: wp.identity needs n in 2..4");
    using type = wt<types::matrix(N, N, T::value.scalar)>;
    static constexpr bool is_ref = false;
    syntax::node_id lower(syntax::tree& t) const {
        auto n_value = lit(N).lower(t);
        auto kn = t.add(syntax::node_kind::keyword);
        t.set_children(kn, &n_value, 1);
        t.set_text(kn, "n");
        auto type_node = detail::add_leaf(t, syntax::node_kind::type_ref, T::value, T::python());
        auto kd = t.add(syntax::node_kind::keyword);
        t.set_children(kd, &type_node, 1);
        t.set_text(kd, "dtype");
        syntax::node_id kids[2] = {kn, kd};
        auto id = t.add(syntax::node_kind::call);
        auto& n = t[id];
        n.type = type::value;
        n.builtin = static_cast<std::uint16_t>(builtins::fn::identity);
        n.aux = 0;
        n.parens = this->parens;
        t.set_children(id, kids, 2);
        t.set_text(id, "wp.identity");
        return id;
    }
};

// Python's own scalar constructors: `py::float_(k)` is `float(k)`.
namespace py {
inline constexpr scalar_constructor<f32_t, "float"> float_{};
inline constexpr scalar_constructor<i32_t, "int"> int_{};
inline constexpr scalar_constructor<bool_t, "bool"> bool_{};
}  // namespace py

namespace wp {
using builtins::fn;
// clang-format off
#define WARPSYNTH_BUILTIN(name, rule) inline constexpr builtin<fn::name, rules::rule, "wp." #name> name{};
WARPSYNTH_BUILTIN(sin, float_unary) WARPSYNTH_BUILTIN(cos, float_unary) WARPSYNTH_BUILTIN(tan, float_unary)
WARPSYNTH_BUILTIN(asin, float_unary) WARPSYNTH_BUILTIN(acos, float_unary) WARPSYNTH_BUILTIN(atan, float_unary)
WARPSYNTH_BUILTIN(sinh, float_unary) WARPSYNTH_BUILTIN(cosh, float_unary) WARPSYNTH_BUILTIN(tanh, float_unary)
WARPSYNTH_BUILTIN(sqrt, float_unary) WARPSYNTH_BUILTIN(cbrt, float_unary) WARPSYNTH_BUILTIN(exp, float_unary)
WARPSYNTH_BUILTIN(log, float_unary) WARPSYNTH_BUILTIN(log2, float_unary) WARPSYNTH_BUILTIN(log10, float_unary)
WARPSYNTH_BUILTIN(floor, float_unary) WARPSYNTH_BUILTIN(ceil, float_unary) WARPSYNTH_BUILTIN(round, float_unary)
WARPSYNTH_BUILTIN(trunc, float_unary) WARPSYNTH_BUILTIN(frac, float_unary) WARPSYNTH_BUILTIN(step, float_unary)
WARPSYNTH_BUILTIN(degrees, float_unary) WARPSYNTH_BUILTIN(radians, float_unary) WARPSYNTH_BUILTIN(rint, float_unary)
WARPSYNTH_BUILTIN(erf, float_unary) WARPSYNTH_BUILTIN(erfc, float_unary)
WARPSYNTH_BUILTIN(sign, scalar_unary) WARPSYNTH_BUILTIN(abs, scalar_or_vector_unary)
WARPSYNTH_BUILTIN(atan2, float_binary) WARPSYNTH_BUILTIN(pow, float_binary) WARPSYNTH_BUILTIN(copysign, float_binary)
WARPSYNTH_BUILTIN(min, same_binary) WARPSYNTH_BUILTIN(max, same_binary)
WARPSYNTH_BUILTIN(clamp, same_ternary_scalar) WARPSYNTH_BUILTIN(smoothstep, same_ternary_float)
WARPSYNTH_BUILTIN(lerp, lerp_rule) WARPSYNTH_BUILTIN(where, where_rule)
WARPSYNTH_BUILTIN(dot, dot_rule) WARPSYNTH_BUILTIN(cross, cross_rule)
WARPSYNTH_BUILTIN(length, length_rule) WARPSYNTH_BUILTIN(length_sq, length_rule)
WARPSYNTH_BUILTIN(normalize, normalize_rule) WARPSYNTH_BUILTIN(outer, outer_rule)
WARPSYNTH_BUILTIN(cw_mul, elementwise_rule) WARPSYNTH_BUILTIN(cw_div, elementwise_rule)
WARPSYNTH_BUILTIN(transpose, transpose_rule) WARPSYNTH_BUILTIN(determinant, square_to_scalar)
WARPSYNTH_BUILTIN(trace, square_to_scalar) WARPSYNTH_BUILTIN(inverse, inverse_rule)
WARPSYNTH_BUILTIN(diag, diag_rule)
WARPSYNTH_BUILTIN(quat_rotate, quat_vec3_rule) WARPSYNTH_BUILTIN(quat_rotate_inv, quat_vec3_rule)
WARPSYNTH_BUILTIN(quat_from_axis_angle, axis_angle_rule)
WARPSYNTH_BUILTIN(quat_inverse, quat_unary_rule) WARPSYNTH_BUILTIN(quat_to_matrix, quat_matrix_rule)
WARPSYNTH_BUILTIN(transform_inverse, transform_unary_rule)
WARPSYNTH_BUILTIN(transform_get_translation, transform_translation_rule)
WARPSYNTH_BUILTIN(transform_get_rotation, transform_rotation_rule)
WARPSYNTH_BUILTIN(transform_point, transform_vec3_rule) WARPSYNTH_BUILTIN(transform_vector, transform_vec3_rule)
WARPSYNTH_BUILTIN(atomic_add, atomic_rule) WARPSYNTH_BUILTIN(atomic_sub, atomic_rule)
WARPSYNTH_BUILTIN(atomic_min, atomic_rule) WARPSYNTH_BUILTIN(atomic_max, atomic_rule)
WARPSYNTH_BUILTIN(atomic_and, atomic_bitwise_rule) WARPSYNTH_BUILTIN(atomic_or, atomic_bitwise_rule)
WARPSYNTH_BUILTIN(atomic_xor, atomic_bitwise_rule)
#undef WARPSYNTH_BUILTIN
inline constexpr builtin<fn::where, rules::removed_select_rule, "wp.select"> select{};  // rejected, as in Warp 1.16

#define WARPSYNTH_SCALAR_CTOR(name, kind) \
    inline constexpr scalar_constructor<types::scalar(scalar_kind::kind), "wp." #name> name{};
WARPSYNTH_SCALAR_CTOR(float16, float16) WARPSYNTH_SCALAR_CTOR(float32, float32) WARPSYNTH_SCALAR_CTOR(float64, float64)
WARPSYNTH_SCALAR_CTOR(int8, int8) WARPSYNTH_SCALAR_CTOR(int16, int16) WARPSYNTH_SCALAR_CTOR(int32, int32)
WARPSYNTH_SCALAR_CTOR(int64, int64) WARPSYNTH_SCALAR_CTOR(uint8, uint8) WARPSYNTH_SCALAR_CTOR(uint16, uint16)
WARPSYNTH_SCALAR_CTOR(uint32, uint32) WARPSYNTH_SCALAR_CTOR(uint64, uint64)
#undef WARPSYNTH_SCALAR_CTOR

#define WARPSYNTH_CTOR(name, f, type) inline constexpr composite_constructor<fn::f, type, "wp." #name> name{};
#define WARPSYNTH_VEC_CTORS(N)                                                                           \
    WARPSYNTH_CTOR(vec##N, construct_vector, types::vector(N, scalar_kind::float32))                    \
    WARPSYNTH_CTOR(vec##N##f, construct_vector, types::vector(N, scalar_kind::float32))                 \
    WARPSYNTH_CTOR(vec##N##d, construct_vector, types::vector(N, scalar_kind::float64))                 \
    WARPSYNTH_CTOR(vec##N##h, construct_vector, types::vector(N, scalar_kind::float16))                 \
    WARPSYNTH_CTOR(vec##N##i, construct_vector, types::vector(N, scalar_kind::int32))                   \
    WARPSYNTH_CTOR(vec##N##ui, construct_vector, types::vector(N, scalar_kind::uint32))                 \
    WARPSYNTH_CTOR(mat##N##N, construct_matrix, types::matrix(N, N, scalar_kind::float32))              \
    WARPSYNTH_CTOR(mat##N##N##f, construct_matrix, types::matrix(N, N, scalar_kind::float32))           \
    WARPSYNTH_CTOR(mat##N##N##d, construct_matrix, types::matrix(N, N, scalar_kind::float64))
WARPSYNTH_VEC_CTORS(2) WARPSYNTH_VEC_CTORS(3) WARPSYNTH_VEC_CTORS(4)
WARPSYNTH_CTOR(quat, construct_quat, types::quaternion(scalar_kind::float32))
WARPSYNTH_CTOR(quatf, construct_quat, types::quaternion(scalar_kind::float32))
WARPSYNTH_CTOR(quatd, construct_quat, types::quaternion(scalar_kind::float64))
WARPSYNTH_CTOR(transform, construct_transform, types::transform(scalar_kind::float32))
WARPSYNTH_CTOR(transformf, construct_transform, types::transform(scalar_kind::float32))
WARPSYNTH_CTOR(transformd, construct_transform, types::transform(scalar_kind::float64))
#undef WARPSYNTH_VEC_CTORS
#undef WARPSYNTH_CTOR
// clang-format on

// `wp.identity(n=N, dtype=T)`
template <int N, spelled_type T>
identity_call<N, T> identity() {
    return {};
}
}  // namespace wp

}  // namespace warpsynth
// ---- end warpsynth/builtins/functions.hpp ----
// ---- begin warpsynth/stmt/statements.hpp ----
// warpsynth/stmt/statements.hpp — Python statements as typed values.
//
//   i = tid()                          ->  i = tid()                     (local<int_> i("i"))
//   i, j = wp.tid()                    ->  tie(i, j) = tid()
//   out[i] = a[i] + b[i]               ->  out[i] = a[i] + b[i]
//   s += x                             ->  s += x
//   wp.atomic_add(a, 0, v)             ->  wp::atomic_add(a, 0, v)        (a call used as a statement)
//   if c: ... elif d: ... else: ...    ->  if_(c)(...).elif_(d)(...).else_(...)
//   for k in range(n): ...             ->  for_(k, range(n))(...)
//   while c: ...                       ->  while_(c)(...)
//   break / continue / return / pass   ->  break_(), continue_(), return_(), pass_()
//   # comment / """docstring"""        ->  comment("..."), docstring("...")
//   stmt  # trailing comment           ->  note(stmt, "# ...")
//
// Every statement lowers into syntax nodes appended to a block: `void lower(syntax::tree&, block_ids&) const`.

#include <deque>
#include <initializer_list>


namespace warpsynth {

using block_ids = std::vector<syntax::node_id>;

template <class S>
concept statement = requires(const S& s, syntax::tree& t, block_ids& out) { s.lower(t, out); };

namespace detail {
// The child list of a compound statement (if/for/while) while its body lowers: one reusable vector per nesting
// depth, kept per thread, so that lowering stops allocating once warm.
class child_list {
  public:
    child_list() {
        auto& p = pool();
        if (depth() == p.size()) p.emplace_back();
        ids_ = &p[depth()++];
        ids_->clear();
    }
    child_list(std::initializer_list<syntax::node_id> first) : child_list() { ids_->assign(first); }
    ~child_list() { --depth(); }
    child_list(const child_list&) = delete;
    child_list& operator=(const child_list&) = delete;
    block_ids& operator*() { return *ids_; }
    block_ids* operator->() { return ids_; }

  private:
    block_ids* ids_;
    static std::deque<block_ids>& pool() {  // a deque: deeper levels never move the vectors in use
        thread_local std::deque<block_ids> p;
        return p;
    }
    static std::size_t& depth() {
        thread_local std::size_t d = 0;
        return d;
    }
};

inline syntax::node_id add_stmt(syntax::tree& t, syntax::node_kind k, const syntax::node_id* kids, std::size_t n,
                                syntax::op o = syntax::op::none) {
    auto id = t.add(k);
    t[id].oper = o;
    t.set_children(id, kids, n);
    return id;
}
}  // namespace detail

// --- assignment ---------------------------------------------------------------------------------------------
template <class Target, class Value>
struct assign_stmt {
    static_assert(Value::type::value == Target::type::value,
                  "warpsynth: assigning a value of a different type (Warp: \"Error, assigning to existing symbol "
                  "with different type\"; locals keep one type)");
    Target target;
    Value value;
    assign_stmt(Target t, Value v) : target(std::move(t)), value(std::move(v)) {}
    void lower(syntax::tree& t, block_ids& out) const {
        syntax::node_id kids[2] = {target.lower(t), value.lower(t)};
        out.push_back(detail::add_stmt(t, syntax::node_kind::assign, kids, 2));
    }
};

template <class Ops, class Target, class Value>
struct aug_assign_stmt {
    static_assert(Ops::template result<Target::type::value, Value::type::value>() == Target::type::value,
                  "warpsynth: augmented assignment must keep the target's type (Warp: \"augmented assignment ... "
                  "produces different type\")");
    syntax::op oper;
    Target target;
    Value value;
    aug_assign_stmt(syntax::op o, Target t, Value v) : oper(o), target(std::move(t)), value(std::move(v)) {}
    void lower(syntax::tree& t, block_ids& out) const {
        syntax::node_id kids[2] = {target.lower(t), value.lower(t)};
        out.push_back(detail::add_stmt(t, syntax::node_kind::aug_assign, kids, 2, oper));
    }
};

// `i, j = wp.tid()`: the only tuple assignment Warp kernels need.
template <class... L>
struct tuple_target;

template <class... X>
struct tid_unpack {
    std::tuple<X...> names;
    call<builtins::fn::tid, i32_t> value;
    void lower(syntax::tree& t, block_ids& out) const {
        syntax::node_id names_ids[sizeof...(X)];
        std::apply([&](const X&... x) {
            std::size_t k = 0;
            ((names_ids[k++] = x.lower(t)), ...);
        }, names);
        auto tid_ = t.add(syntax::node_kind::tuple);
        t.set_children(tid_, names_ids, sizeof...(X));
        syntax::node_id kids[2] = {tid_, value.lower(t)};
        out.push_back(detail::add_stmt(t, syntax::node_kind::assign, kids, 2));
    }
};

template <class... L>
struct tuple_target {
    std::tuple<L...> names;
    template <builtins::fn F, wtype R>
    auto operator=(const call<F, R>& c) const {
        static_assert(F == builtins::fn::tid, "warpsynth: only wp.tid() can be unpacked into several locals");
        static_assert(sizeof...(L) >= 2 && sizeof...(L) <= 4, "warpsynth: wp.tid() unpacks into 2, 3 or 4 indices");
        static_assert(((L::type::value == i32_t) && ...), "warpsynth: wp.tid() indices are int locals");
        return tid_unpack<L...>{names, c};
    }
};
template <class... L>
tuple_target<L...> tie(const L&... l) {
    return {std::tuple<L...>(l...)};
}

// A call evaluated for its side effect: `wp.atomic_add(total, 0, v)`.
template <class E>
struct expr_stmt {
    E value;
    void lower(syntax::tree& t, block_ids& out) const {
        syntax::node_id kid = value.lower(t);
        out.push_back(detail::add_stmt(t, syntax::node_kind::expr_stmt, &kid, 1));
    }
};

// --- blocks -------------------------------------------------------------------------------------------------
template <class S>
auto as_statement(const S& s) {
    if constexpr (statement<S>) return s;
    else {
        static_assert(expression<S>, "warpsynth: a block holds statements (or calls used as statements)");
        return expr_stmt<S>{s};
    }
}
template <class S>
using as_statement_t = decltype(as_statement(std::declval<const S&>()));

template <class... S>
struct block {
    std::tuple<S...> statements;
    void lower(syntax::tree& t, block_ids& out) const {
        std::apply([&](const S&... s) { (s.lower(t, out), ...); }, statements);
    }
};
template <class... S>
block<as_statement_t<S>...> body(const S&... s) {
    return {std::tuple<as_statement_t<S>...>(as_statement(s)...)};
}

// --- simple statements --------------------------------------------------------------------------------------
struct keyword_stmt {
    syntax::node_kind kind;
    void lower(syntax::tree& t, block_ids& out) const { out.push_back(detail::add_stmt(t, kind, nullptr, 0)); }
};
inline keyword_stmt break_() { return {syntax::node_kind::break_stmt}; }
inline keyword_stmt continue_() { return {syntax::node_kind::continue_stmt}; }
inline keyword_stmt return_() { return {syntax::node_kind::return_stmt}; }
inline keyword_stmt pass_() { return {syntax::node_kind::pass_stmt}; }
template <class E>
keyword_stmt return_(const E&) {
    static_assert(sizeof(E) == 0, "warpsynth: Warp kernels cannot return values; write results to an output array");
    return {syntax::node_kind::return_stmt};
}

// `# text` on its own line (text without the `# `), or a docstring `"""text"""`: no code.
struct text_stmt {
    syntax::node_kind kind;
    std::string_view text;
    void lower(syntax::tree& t, block_ids& out) const {
        auto id = detail::add_stmt(t, kind, nullptr, 0);
        t.set_text(id, text);
        out.push_back(id);
    }
};
inline text_stmt comment(std::string_view text) { return {syntax::node_kind::comment, text}; }
inline text_stmt docstring(std::string_view text) { return {syntax::node_kind::docstring, text}; }

// `stmt  # trailing comment`: the comment stays in Warp's line comments (they quote the stripped source line).
template <class S>
struct noted {
    S stmt;
    std::string_view text;
    void lower(syntax::tree& t, block_ids& out) const {
        auto before = out.size();
        stmt.lower(t, out);
        if (out.size() > before) t.set_note(out[before], text);
    }
};
template <class S>
auto note(const S& s, std::string_view text) {
    return noted<as_statement_t<S>>{as_statement(s), text};
}

// --- if / elif / else ---------------------------------------------------------------------------------------
template <class C, class Body, class Orelse, bool Elif = false>
struct if_stmt {
    static_assert(typing::condition<C::type::value>() == bool_t);
    C test;
    Body then;
    Orelse orelse;

    void lower(syntax::tree& t, block_ids& out) const {
        syntax::node_id test_id = test.lower(t);
        detail::child_list kids{test_id};
        then.lower(t, *kids);
        auto nbody = static_cast<std::uint32_t>(kids->size() - 1);
        orelse.lower(t, *kids);
        auto id = detail::add_stmt(t, syntax::node_kind::if_stmt, kids->data(), kids->size());
        t[id].aux = nbody;
        t[id].elif = Elif;
        out.push_back(id);
    }

    // Attach an else branch to the innermost `elif` (or to this `if`).
    template <class E>
    auto with_else(const E& e) const {
        if constexpr (Elif) {
            auto inner = std::get<0>(orelse.statements).with_else(e);
            return if_stmt<C, Body, block<decltype(inner)>, true>{test, then, {std::tuple(inner)}};
        } else {
            return if_stmt<C, Body, E, Elif>{test, then, e};
        }
    }
    template <class D>
    auto elif_(const D& d) const {
        return [self = *this, d](const auto&... s) {
            auto inner = if_stmt<as_expr_t<D>, decltype(body(s...)), block<>>{as_expr(d), body(s...), {}};
            return self.template attach_elif(inner);
        };
    }
    template <class... S>
    auto else_(const S&... s) const {
        return with_else(body(s...));
    }
    template <class I>
    auto attach_elif(const I& inner) const {
        if constexpr (Elif) {
            auto deeper = std::get<0>(orelse.statements).attach_elif(inner);
            return if_stmt<C, Body, block<decltype(deeper)>, true>{test, then, {std::tuple(deeper)}};
        } else {
            return if_stmt<C, Body, block<I>, true>{test, then, {std::tuple(inner)}};
        }
    }
};

template <class C>
auto if_(const C& c) {
    return [c](const auto&... s) {
        return if_stmt<as_expr_t<C>, decltype(body(s...)), block<>>{as_expr(c), body(s...), {}};
    };
}

// --- loops --------------------------------------------------------------------------------------------------
// `range(stop)`, `range(start, stop)`, `range(start, stop, step)` over int32.
template <class... A>
auto range(const A&... a) {
    static_assert(sizeof...(A) >= 1 && sizeof...(A) <= 3, "warpsynth: range takes 1 to 3 arguments");
    static_assert(((as_expr_t<A>::type::value == i32_t) && ...), "warpsynth: range arguments must be int");
    return call<builtins::fn::range, types::range(), as_expr_t<A>...>("range",
                                                                      std::tuple<as_expr_t<A>...>(as_expr(a)...));
}

template <class Target, class Iter, class Body>
struct for_stmt {
    Target target;
    Iter iter;
    Body loop_body;
    void lower(syntax::tree& t, block_ids& out) const {
        detail::child_list kids{target.lower(t), iter.lower(t)};
        loop_body.lower(t, *kids);
        out.push_back(detail::add_stmt(t, syntax::node_kind::for_stmt, kids->data(), kids->size()));
    }
};
template <class K, class R>
auto for_(const K& k, const R& r) {
    static_assert(R::type::value == types::range(),
                  "warpsynth: for loops iterate over range(...) (Warp cannot iterate over an array)");
    return for_range(k, r);
}
template <class T, class R>
auto for_range(const local<T>& k, const R& r) {
    static_assert(T::value == i32_t, "warpsynth: a range loop variable is an int local");
    static_assert(R::type::value == types::range(), "warpsynth: for loops iterate over range(...)");
    return [k, r](const auto&... s) { return for_stmt<local<T>, R, decltype(body(s...))>{k, r, body(s...)}; };
}

template <class C, class Body>
struct while_stmt {
    static_assert(typing::condition<C::type::value>() == bool_t);
    C test;
    Body loop_body;
    void lower(syntax::tree& t, block_ids& out) const {
        detail::child_list kids{test.lower(t)};
        loop_body.lower(t, *kids);
        out.push_back(detail::add_stmt(t, syntax::node_kind::while_stmt, kids->data(), kids->size()));
    }
};
template <class C>
auto while_(const C& c) {
    return [c](const auto&... s) { return while_stmt<as_expr_t<C>, decltype(body(s...))>{as_expr(c), body(s...)}; };
}

}  // namespace warpsynth
// ---- end warpsynth/stmt/statements.hpp ----
// ---- begin warpsynth/kernel.hpp ----
// warpsynth/kernel.hpp — a kernel: its name, decorator options, typed arguments and body.
//
//   auto k = kernel("saxpy", arg<float_>("alpha"), arg<array<float_>>("x"), arg<array<float_>>("y"))(
//       [](auto alpha, auto x, auto y) {
//           local<int_> i("i");
//           return body(i = tid(), y[i] = alpha * x[i] + y[i]);
//       });
//
// The body lambda receives one typed reference per argument; its return type is the whole typed description.

#include <optional>


namespace warpsynth {

// Options of `@wp.kernel(...)` that change the generated text. They enter the kernel hash as `key:str(value)`.
// Written with designated initializers (`kernel_options{.enable_backward = false}`); the default member
// initializers keep g++ -Wextra from warning about the members left out.
struct kernel_options {
    std::optional<bool> enable_backward = {};
    std::optional<int> launch_bounds = {};
    std::optional<int> cluster_dim = {};
    std::optional<bool> grid_stride = {};
};

// A type's Python spelling, formatted once per program (it is a constant of the type).
template <class T>
const std::string& python_spelling() {
    static const std::string s = T::python();
    return s;
}

template <class Body, class... A>
struct kernel_def {
    std::string name;  // owned: generated names are often temporaries
    kernel_options options;
    std::tuple<arg_decl<A>...> args;
    Body body;

    // Lower the description into a Python-shaped syntax tree (cleared first).
    void lower(syntax::tree& t) const {
        auto arg_storage = std::move(t.args);  // reused below: the strings keep their capacity
        t.clear();
        t.args = std::move(arg_storage);
        t.args.resize(sizeof...(A));
        t.name = name;
        std::size_t i = 0;
        std::apply(
            [&](const arg_decl<A>&... a) {
                ((t.args[i].name.assign(a.name), t.args[i].python.assign(python_spelling<A>()),
                  t.args[i].type = A::value, ++i),
                 ...);
            },
            args);
        body.lower(t, t.body);
        auto py_bool = [](bool b) { return std::string(b ? "True" : "False"); };
        // Decorator text in Python's keyword order; hash options are sorted by the hasher.
        std::string deco;
        auto add = [&](std::string_view key, std::string value) {
            if (!deco.empty()) deco += ", ";
            deco += key;
            deco += "=";
            deco += value;
            t.options.emplace_back(std::string(key), std::move(value));
        };
        if (options.enable_backward) add("enable_backward", py_bool(*options.enable_backward));
        if (options.launch_bounds) add("launch_bounds", std::to_string(*options.launch_bounds));
        if (options.cluster_dim) add("cluster_dim", std::to_string(*options.cluster_dim));
        if (options.grid_stride) add("grid_stride", py_bool(*options.grid_stride));
        t.decorator = deco.empty() ? "@wp.kernel" : "@wp.kernel(" + deco + ")";
    }
};

template <class... A>
struct kernel_signature {
    std::string name;
    kernel_options options;
    std::tuple<arg_decl<A>...> args;

    template <class F>
    auto operator()(F&& make_body) const {
        auto b = std::apply([&](const arg_decl<A>&... a) { return make_body(arg_ref<A>(a.name)...); }, args);
        using Body = decltype(b);
        static_assert(statement<Body>, "warpsynth: the kernel body lambda must return body(...)");
        return kernel_def<Body, A...>{name, options, args, std::move(b)};
        // Argument and local names are views: keep the strings they view alive until lower() has run.
    }
};

template <class... A>
kernel_signature<A...> kernel(std::string_view name, arg_decl<A>... args) {
    return {std::string(name), {}, {args...}};
}
template <class... A>
kernel_signature<A...> kernel(std::string_view name, kernel_options options, arg_decl<A>... args) {
    return {std::string(name), options, {args...}};
}

}  // namespace warpsynth
// ---- end warpsynth/kernel.hpp ----
// ---- begin warpsynth/render/python.hpp ----
// warpsynth/render/python.hpp — the canonical Python module of a kernel.
//
// Layout (golden/README.md): `import warp as wp`, two blank lines, the decorator on line 4, `def` on line 5, 4-space
// indentation, a final newline. The signature stays on one line up to 100 characters, otherwise one argument per
// line with a trailing comma. Expressions get the parentheses precedence needs plus any written with paren(); `**`
// hugs simple operands as black formats it.
//
// Besides the text it records where every statement landed (`source_map`): Warp's `<L n>` comments quote those
// lines, and the kernel hash covers the function's source text.



namespace warpsynth {

struct source_map {
    std::vector<std::uint32_t> line_of;      // node id -> 1-based line of the statement (0: not a statement)
    std::vector<std::uint32_t> line_start;   // 1-based line -> offset in the module text (index 0 unused)
    std::uint32_t def_line = 5;              // the `def` line
    std::uint32_t decorator_line = 4;
    std::string_view text;                   // the module text (owned by the caller)

    std::string_view line(std::uint32_t n) const {
        auto b = line_start[n];
        auto e = n + 1 < line_start.size() ? line_start[n + 1] - 1 : static_cast<std::uint32_t>(text.size());
        return text.substr(b, e - b);
    }
    // The function's source as Warp's `adj.source` sees it: from the decorator to the end (already dedented).
    std::string_view function_source() const { return text.substr(line_start[decorator_line]); }
};

namespace python_detail {

using syntax::node;
using syntax::node_kind;
using syntax::op;

constexpr int precedence(const node& n) {
    switch (n.kind) {
    case node_kind::ifexp: return 1;
    case node_kind::boolop: return n.oper == op::or_ ? 2 : 3;
    case node_kind::unaryop: return n.oper == op::not_ ? 4 : 12;
    case node_kind::compare: return 5;
    case node_kind::binop:
        switch (n.oper) {
        case op::bit_or: return 6;
        case op::bit_xor: return 7;
        case op::bit_and: return 8;
        case op::lshift: case op::rshift: return 9;
        case op::add: case op::sub: return 10;
        case op::pow: return 13;
        default: return 11;  // * / // % @
        }
    case node_kind::call: case node_kind::subscript: case node_kind::attribute: return 14;
    default: return 15;
    }
}

constexpr std::string_view op_text(op o) {
    switch (o) {
    case op::add: return "+";
    case op::sub: return "-";
    case op::mul: return "*";
    case op::div: return "/";
    case op::mod: return "%";
    case op::floordiv: return "//";
    case op::pow: return "**";
    case op::matmul: return "@";
    case op::bit_and: return "&";
    case op::bit_or: return "|";
    case op::bit_xor: return "^";
    case op::lshift: return "<<";
    case op::rshift: return ">>";
    case op::usub: return "-";
    case op::not_: return "not ";
    case op::invert: return "~";
    case op::and_: return "and";
    case op::or_: return "or";
    case op::lt: return "<";
    case op::le: return "<=";
    case op::gt: return ">";
    case op::ge: return ">=";
    case op::eq: return "==";
    case op::ne: return "!=";
    default: return "?";
    }
}

class writer {
  public:
    writer(const syntax::tree& t, text_buffer& out, source_map* map) : t_(t), out_(out), map_(map) {}

    void module() {
        line_ = 0;
        emit_line("import warp as wp");
        emit_line("");
        emit_line("");
        emit_line(t_.decorator);
        signature();
        for (auto s : t_.body) statement(s, 1);
    }

  private:
    const syntax::tree& t_;
    text_buffer& out_;
    source_map* map_;
    std::uint32_t line_ = 0;

    void begin_line(int indent) {
        ++line_;
        if (map_) map_->line_start.push_back(static_cast<std::uint32_t>(out_.size()));
        out_.append(static_cast<std::size_t>(indent) * 4, ' ');
    }
    void emit_line(std::string_view s) {
        begin_line(0);
        out_ += s;
        out_ += '\n';
    }

    void signature() {
        std::size_t one_line = 4 + t_.name.size() + 3;  // `def <name>():`
        for (std::size_t i = 0; i < t_.args.size(); ++i)
            one_line += (i ? 2 : 0) + t_.args[i].name.size() + 2 + t_.args[i].python.size();
        begin_line(0);
        out_ += "def ";
        out_ += std::string_view(t_.name);
        out_ += '(';
        if (one_line <= 100) {
            for (std::size_t i = 0; i < t_.args.size(); ++i) {
                if (i) out_ += ", ";
                argument(t_.args[i]);
            }
        } else {
            out_ += '\n';
            for (auto& a : t_.args) {
                begin_line(1);
                argument(a);
                out_ += ",\n";
            }
            begin_line(0);
        }
        out_ += "):\n";
    }
    void argument(const syntax::tree::argument& a) {
        out_ += std::string_view(a.name);
        out_ += ": ";
        out_ += std::string_view(a.python);
    }

    void block(const node& parent, std::uint32_t from, std::uint32_t to, int indent) {
        for (auto i = from; i < to; ++i) statement(t_.child(parent, i), indent);
    }

    void statement(syntax::node_id id, int indent) {
        const node& n = t_[id];
        begin_line(indent);
        if (map_) map_->line_of[id] = line_;
        switch (n.kind) {
        case node_kind::assign:
            expr(t_.child(n, 0), 0);
            out_ += " = ";
            expr(t_.child(n, 1), 0);
            break;
        case node_kind::aug_assign:
            expr(t_.child(n, 0), 0);
            out_ += ' ';
            out_ += op_text(n.oper);
            out_ += "= ";
            expr(t_.child(n, 1), 0);
            break;
        case node_kind::expr_stmt: expr(t_.child(n, 0), 0); break;
        case node_kind::if_stmt: if_chain(id, indent, "if "); return;
        case node_kind::for_stmt:
            out_ += "for ";
            expr(t_.child(n, 0), 0);
            out_ += " in ";
            expr(t_.child(n, 1), 0);
            out_ += ":";
            end_statement(n);
            block(n, 2, n.count, indent + 1);
            return;
        case node_kind::while_stmt:
            out_ += "while ";
            expr(t_.child(n, 0), 0);
            out_ += ":";
            end_statement(n);
            block(n, 1, n.count, indent + 1);
            return;
        case node_kind::break_stmt: out_ += "break"; break;
        case node_kind::continue_stmt: out_ += "continue"; break;
        case node_kind::pass_stmt: out_ += "pass"; break;
        case node_kind::return_stmt:
            out_ += "return";
            if (n.count) {
                out_ += ' ';
                expr(t_.child(n, 0), 0);
            }
            break;
        case node_kind::comment:
            out_ += "# ";
            out_ += t_.text_of(n);
            break;
        case node_kind::docstring:
            out_ += "\"\"\"";
            out_ += t_.text_of(n);
            out_ += "\"\"\"";
            break;
        default: break;
        }
        end_statement(n);
    }

    void end_statement(const node& n) {
        if (n.note_len) {
            out_ += "  # ";
            out_ += t_.note_of(n);
        }
        out_ += '\n';
    }

    // `if`, then `elif`s as long as the else branch is a single flagged if, then `else`.
    void if_chain(syntax::node_id id, int indent, std::string_view keyword) {
        const node& n = t_[id];
        out_ += keyword;
        expr(t_.child(n, 0), 0);
        out_ += ":";
        end_statement(n);
        block(n, 1, 1 + n.aux, indent + 1);
        if (1 + n.aux == n.count) return;
        if (n.elif) {
            auto inner = t_.child(n, 1 + n.aux);
            begin_line(indent);
            if (map_) map_->line_of[inner] = line_;
            if_chain(inner, indent, "elif ");
            return;
        }
        begin_line(indent);
        out_ += "else:\n";
        block(n, 1 + n.aux, n.count, indent + 1);
    }

    // Black's "simple power operand": a name, a number, an attribute chain, optionally negated.
    bool simple_power_operand(const node& n) const {
        if (n.parens) return false;
        switch (n.kind) {
        case node_kind::name: case node_kind::constant: return true;
        case node_kind::attribute: return simple_power_operand(t_[t_.child(n, 0)]);
        case node_kind::unaryop: return n.oper == op::usub && simple_power_operand(t_[t_.child(n, 0)]);
        default: return false;
        }
    }

    // Render expression `id` in a context that needs precedence >= `need`.
    void expr(syntax::node_id id, int need) {
        const node& n = t_[id];
        bool wrap = n.parens || precedence(n) < need;
        if (wrap) out_ += '(';
        switch (n.kind) {
        case node_kind::name: case node_kind::constant: case node_kind::type_ref: out_ += t_.text_of(n); break;
        case node_kind::binop: {
            int p = precedence(n);
            auto l = t_.child(n, 0), r = t_.child(n, 1);
            if (n.oper == op::pow) {
                expr(l, p + 1);
                bool hug = simple_power_operand(t_[l]) && simple_power_operand(t_[r]);
                out_ += hug ? "**" : " ** ";
                expr(r, 12);
            } else {
                expr(l, p);
                out_ += ' ';
                out_ += op_text(n.oper);
                out_ += ' ';
                expr(r, p + 1);
            }
            break;
        }
        case node_kind::unaryop:
            out_ += op_text(n.oper);
            expr(t_.child(n, 0), precedence(n));
            break;
        case node_kind::compare:
            expr(t_.child(n, 0), 6);
            for (std::uint32_t i = 1; i < n.count; ++i) {
                out_ += ' ';
                out_ += op_text(t_.ops[n.aux + i - 1]);
                out_ += ' ';
                expr(t_.child(n, i), 6);
            }
            break;
        case node_kind::boolop:
            for (std::uint32_t i = 0; i < n.count; ++i) {
                if (i) {
                    out_ += ' ';
                    out_ += op_text(n.oper);
                    out_ += ' ';
                }
                expr(t_.child(n, i), precedence(n) + 1);
            }
            break;
        case node_kind::ifexp:
            expr(t_.child(n, 1), 2);
            out_ += " if ";
            expr(t_.child(n, 0), 2);
            out_ += " else ";
            expr(t_.child(n, 2), 1);
            break;
        case node_kind::call:
            out_ += t_.text_of(n);
            out_ += '(';
            for (std::uint32_t i = 0; i < n.count; ++i) {
                if (i) out_ += ", ";
                expr(t_.child(n, i), 0);
            }
            out_ += ')';
            break;
        case node_kind::keyword:
            out_ += t_.text_of(n);
            out_ += '=';
            expr(t_.child(n, 0), 0);
            break;
        case node_kind::subscript:
            expr(t_.child(n, 0), 14);
            out_ += '[';
            for (std::uint32_t i = 1; i < n.count; ++i) {
                if (i > 1) out_ += ", ";
                expr(t_.child(n, i), 0);
            }
            out_ += ']';
            break;
        case node_kind::attribute:
            expr(t_.child(n, 0), 14);
            out_ += '.';
            out_ += t_.text_of(n);
            break;
        case node_kind::tuple:
            for (std::uint32_t i = 0; i < n.count; ++i) {
                if (i) out_ += ", ";
                expr(t_.child(n, i), 0);
            }
            break;
        default: break;
        }
        if (wrap) out_ += ')';
    }
};

}  // namespace python_detail

// Append the canonical module text of `t` to `out`; fill `map` (if given) with statement line numbers.
inline void render_python(const syntax::tree& t, std::string& out, source_map* map = nullptr) {
    if (map) {
        map->line_of.assign(t.nodes.size(), 0);
        map->line_start.assign(1, 0);
    }
    thread_local text_buffer text;  // written piece by piece, then copied out once
    text.clear();
    python_detail::writer(t, text, map).module();
    auto base = out.size();
    out += text.view();
    if (map) {
        map->text = std::string_view(out).substr(base);
        map->def_line = 5;
        map->decorator_line = 4;
    }
}

inline std::string render_python(const syntax::tree& t) {
    std::string s;
    render_python(t, s, nullptr);
    return s;
}

}  // namespace warpsynth
// ---- end warpsynth/render/python.hpp ----
// ---- begin warpsynth/hash/kernel_hash.hpp ----
// warpsynth/hash/kernel_hash.hpp — Warp's kernel hash, whose first 8 hex digits suffix every generated name.
//
// SHA-256 over: the key; `opt:value` for each decorator option in sorted order; and the adjoint hash, itself a
// SHA-256 over the function source (decorator included), `name:typecode` per argument, and the type codes of the
// value types the body *calls* (`float(x)` adds `f4`, `wp.vec3(...)` adds `v3f4`), unique, in the breadth-first
// order of Python's `ast.walk`. Builtins are not hashed.

#include <algorithm>

// ---- begin warpsynth/hash/sha256.hpp ----
// warpsynth/hash/sha256.hpp — SHA-256 from GNU Nettle (no hand-rolled crypto).

#include <nettle/sha2.h>


namespace warpsynth {

class sha256 {
  public:
    using digest = std::array<std::uint8_t, SHA256_DIGEST_SIZE>;
    sha256() { sha256_init(&ctx_); }
    sha256& update(std::string_view s) {
        sha256_update(&ctx_, s.size(), reinterpret_cast<const std::uint8_t*>(s.data()));
        return *this;
    }
    sha256& update(const digest& d) {
        sha256_update(&ctx_, d.size(), d.data());
        return *this;
    }
    digest finish() {
        digest d;
        sha256_digest(&ctx_, d.size(), d.data());
        return d;
    }

  private:
    sha256_ctx ctx_;
};

inline void append_hex(std::string& out, const std::uint8_t* p, std::size_t n) {
    static constexpr char hex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < n; ++i) {
        out += hex[p[i] >> 4];
        out += hex[p[i] & 15];
    }
}

}  // namespace warpsynth
// ---- end warpsynth/hash/sha256.hpp ----

namespace warpsynth {

namespace hash_detail {

// A called value type, identified as Python identifies the type object: `float` and `wp.float32` differ,
// `wp.vec3` and `wp.vec3f` are one class.
struct called_type {
    bool python_builtin;
    wtype type;
    bool operator==(const called_type&) const = default;
};

inline bool is_constructor(builtins::fn f) {
    using builtins::fn;
    return f == fn::construct_scalar || f == fn::construct_vector || f == fn::construct_matrix ||
           f == fn::construct_quat || f == fn::construct_transform;
}

inline called_type called_of(const syntax::tree& t, const syntax::node& call) {
    auto py = t.text_of(call);
    return {py == "float" || py == "int" || py == "bool", call.type};
}

// The called value types, into `found`: breadth-first over the body in Python AST field order; a multi-index
// subscript's Tuple slice is one level. (The definition; `called_types` below is the fast path.)
inline void called_types_bfs(const syntax::tree& t, std::vector<called_type>& found) {
    found.clear();
    // An entry is a node id, with the top bit marking "the Tuple slice of this subscript": one 4-byte value, so
    // reading an entry soon after pushing it forwards from the store (a two-field entry was stored in two pieces and
    // reloaded whole, a store-forwarding stall per node).
    constexpr std::uint32_t tuple_slice = 0x80000000u;
    // A FIFO as a list read from the front (entries are only appended); per thread, so it keeps its capacity.
    // A node's children are contiguous in the tree, so they are queued as one block.
    thread_local pod_vector<std::uint32_t> queue;
    queue.assign(t.body.begin(), t.body.end());
    const syntax::node_id* kids = t.kids.data();
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const std::uint32_t e = queue[head];
        const syntax::node_id id = e & ~tuple_slice;
        const auto& n = t[id];
        if (e & tuple_slice) {
            queue.append(kids + n.first + 1, kids + n.first + n.count);
            continue;
        }
        if (n.kind == syntax::node_kind::call && is_constructor(static_cast<builtins::fn>(n.builtin))) {
            auto c = called_of(t, n);
            if (std::find(found.begin(), found.end(), c) == found.end()) found.push_back(c);
        }
        if (n.kind == syntax::node_kind::subscript && n.count > 2) {
            queue.push_back(t.child(n, 0));
            queue.push_back(id | tuple_slice);
            continue;
        }
        queue.append(kids + n.first, kids + n.first + n.count);
    }
}

// The same list, usually without the walk: only the order needs it, and it is moot while no two different types
// are constructed. Every node of a lowered tree is reachable from its body (a node is appended only as part of its
// parent), so one pass over the nodes finds the constructors the walk would; the tests compare both functions.
inline void called_types(const syntax::tree& t, std::vector<called_type>& found) {
    found.clear();
    for (const auto& n : t.nodes) {
        if (n.kind != syntax::node_kind::call || !is_constructor(static_cast<builtins::fn>(n.builtin))) continue;
        auto c = called_of(t, n);
        if (found.empty()) found.push_back(c);
        else if (!(found[0] == c)) return called_types_bfs(t, found);
    }
}

}  // namespace hash_detail

// The kernel hash digest; `source` is the function's source text from the decorator line on.
inline sha256::digest kernel_hash(const syntax::tree& t, std::string_view source) {
    sha256 adj;
    adj.update(source);
    std::string s;
    for (auto& a : t.args) {
        s.assign(a.name);
        s += ':';
        append_type_code(s, a.type);
        adj.update(s);
    }
    thread_local std::vector<hash_detail::called_type> called;  // reused between kernels
    hash_detail::called_types(t, called);
    for (auto& c : called) {
        s.clear();
        append_type_code(s, c.type);
        adj.update(s);
    }
    sha256 h;
    h.update(t.name);
    // The options in sorted order, sorted as pointers (SHA-256 is streamed: `k`, `:`, `v` hash as `k:v`).
    thread_local std::vector<const std::pair<std::string, std::string>*> options;
    options.clear();
    for (auto& o : t.options) options.push_back(&o);
    std::sort(options.begin(), options.end(), [](auto* a, auto* b) { return *a < *b; });
    for (auto* o : options) h.update(o->first).update(":").update(o->second);
    h.update(adj.finish());
    return h.finish();
}

// `<key>_<first 8 hex digits of the kernel hash>`, written into `out` (whose capacity a caller may reuse).
inline void mangled_name(const syntax::tree& t, std::string_view source, std::string& out) {
    auto d = kernel_hash(t, source);
    out.assign(t.name);
    out += '_';
    append_hex(out, d.data(), 4);
}
inline std::string mangled_name(const syntax::tree& t, std::string_view source) {
    std::string m;
    mangled_name(t, source, m);
    return m;
}

}  // namespace warpsynth
// ---- end warpsynth/hash/kernel_hash.hpp ----
// ---- begin warpsynth/ir/adjoint.hpp ----
// warpsynth/ir/adjoint.hpp — the builder API of Warp's `Adjoint`, in C++.
//
// Warp numbers variables, orders loads, lays out blocks and builds the reverse pass as side effects of a handful of
// builder calls (add_var, add_constant, add_call, begin_if/end_if, begin_for/end_for, begin_while/end_while, ...).
// Emulating that API — one place that owns numbering, blocks and the reverse list — is what makes the text
// byte-exact; ir/emit.hpp walks the syntax tree and calls it in the order Warp's `emit_*` methods do.

#include <climits>


namespace warpsynth::ir {

// Warp rejected the kernel while building it (a rule that depends on control flow, e.g. mutating a constant in a
// dynamic loop). The message is Warp's.
struct rejected : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A value: a numbered variable (index >= 0) or a kernel argument (-1 - argument index).
struct value {
    std::int32_t id = INT32_MIN;
    bool valid() const { return id != INT32_MIN; }
    bool is_arg() const { return id < 0 && id != INT32_MIN; }
    bool operator==(const value&) const = default;
};

// A fixed array whose elements are left uninitialized (they are assigned before being read).
template <class T, std::size_t N>
struct uninitialized {
    union {
        T items[N];
    };
    uninitialized() {}
    T& operator[](std::size_t i) { return items[i]; }
    T* data() { return items; }
};

struct variable {
    wtype type;
    bool is_ref = false;  // an address: `wp::float32* var_1`
    syntax::const_kind ckind = syntax::const_kind::none;  // a constant: `const wp::float32 var_4 = 0.0;`
    double fnum = 0.0;
    std::int64_t inum = 0;
    std::uint32_t str_at = 0, str_len = 0;  // a string constant's quoted text, in adjoint::strings
};

// One line of generated code in the arena, written whole: `indent` spaces, an optional TAB (Warp's loop-reverse
// quirk), the statement and the newline. The renderer then copies each line with one move per device.
struct line {
    std::uint32_t off = 0, len = 0;  // the whole line, newline included
    std::uint16_t indent = 0;
    bool tab = false;
};

struct block {
    pod_vector<line> forward, replay, reverse;
    pod_vector<std::int32_t> vars;
    std::string_view label_kind;  // the label is `<kind>_<number>`: `for_0`, `while_1`, `block_2`
    int label_number = 0;
};

class adjoint {
  public:
    struct argument {
        std::string name;
        wtype type;
    };

    std::vector<argument> args;
    std::vector<variable> variables;
    std::vector<std::size_t> loop_blocks;  // indices into blocks of the enclosing loops' condition blocks
    std::uint16_t indentation = 0;         // spaces
    int label_count = 0;
    long lineno = -1;
    bool has_return = false;  // a `return;` in the forward pass (the CUDA grid-stride loop spells it `continue;`)
    text_buffer arena;                     // the text of every line
    text_buffer strings;                   // the text of string constants (variables stay small and trivial)

    // The open blocks are pool[0, depth): popped blocks stay in the pool so their vectors keep their capacity
    // for the next kernel rendered by this (thread-local) builder.
    block& top() { return pool_[depth_ - 1]; }
    const block& top() const { return pool_[depth_ - 1]; }
    block& block_at(std::size_t i) { return pool_[i]; }
    const block& block_at(std::size_t i) const { return pool_[i]; }

    void reset() {
        args.clear();
        variables.clear();
        depth_ = 0;
        push_block();
        loop_blocks.clear();
        indentation = 0;
        label_count = 0;
        has_return = false;
        lineno = -1;
        arena.clear();
        strings.clear();
    }

    // The whole line (indentation and newline included) and just its statement.
    std::string_view text(const line& l) const { return arena.view().substr(l.off, l.len); }
    std::string_view statement(const line& l) const {
        auto head = static_cast<std::size_t>(l.indent) + (l.tab ? 1 : 0);
        return arena.view().substr(l.off + head, l.len - head - 1);
    }

    // --- variables -------------------------------------------------------------------------------------
    value add_var(wtype t, bool is_ref = false) {
        // Filled in place: a `variable` built on the stack and then copied is reloaded whole over its
        // just-stored fields, a store-forwarding stall (two thirds of this function's time).
        auto& v = variables.emplace_back();
        v.type = t;
        v.is_ref = is_ref;
        auto id = static_cast<std::int32_t>(variables.size() - 1);
        top().vars.push_back(id);
        return {id};
    }
    value add_constant_int(std::int64_t v, wtype t = types::scalar(scalar_kind::int32)) {
        auto r = add_var(t);
        variables[r.id].ckind = syntax::const_kind::integer;
        variables[r.id].inum = v;
        return r;
    }
    value add_constant_float(double v) {
        auto r = add_var(types::scalar(scalar_kind::float32));
        variables[r.id].ckind = syntax::const_kind::floating;
        variables[r.id].fnum = v;
        return r;
    }
    value add_constant_bool(bool v) {
        auto r = add_var(types::scalar(scalar_kind::boolean));
        variables[r.id].ckind = syntax::const_kind::boolean;
        variables[r.id].inum = v;
        return r;
    }
    value add_constant_string(std::string_view quoted) {
        auto r = add_var(types::string());
        variables[r.id].ckind = syntax::const_kind::string;
        variables[r.id].str_at = static_cast<std::uint32_t>(strings.size());
        variables[r.id].str_len = static_cast<std::uint32_t>(quoted.size());
        strings += quoted;
        return r;
    }
    std::string_view string_constant(const variable& v) const { return strings.view().substr(v.str_at, v.str_len); }

    wtype type_of(value v) const { return v.is_arg() ? args[-1 - v.id].type : variables[v.id].type; }
    bool is_ref(value v) const { return !v.is_arg() && variables[v.id].is_ref; }
    bool is_constant(value v) const { return !v.is_arg() && variables[v.id].ckind != syntax::const_kind::none; }
    const variable& var(value v) const { return variables[v.id]; }
    variable& var(value v) { return variables[v.id]; }

    [[gnu::always_inline]] void emit_label(text_buffer& out, value v) const {
        if (v.is_arg()) out += std::string_view(args[-1 - v.id].name);
        else out.append_uint(static_cast<std::uint32_t>(v.id));
    }
    [[gnu::always_inline]] void emit(text_buffer& out, value v) const {
        out += "var_";
        emit_label(out, v);
    }
    [[gnu::always_inline]] void emit_adj(text_buffer& out, value v) const {
        out += "adj_";
        emit_label(out, v);
    }
    std::string name(value v) const {
        text_buffer s;
        emit(s, v);
        return std::string(s.view());
    }
    // `<kind>_<number>` of a block.
    void emit_block_label(text_buffer& out, const block& b) const {
        out += b.label_kind;
        out += '_';
        out.append_uint(static_cast<std::uint32_t>(b.label_number));
    }

    // The longest spelling of `v`'s label: an argument's name or a variable number.
    std::size_t label_bound(value v) const { return v.is_arg() ? args[-1 - v.id].name.size() : 10; }

    // Writes into space reserved beforehand (see add_call); `p` is a local, so it stays in a register.
    struct cursor {
        char* p;
        [[gnu::always_inline]] void put(std::string_view s) {
            text_detail::copy(p, s.data(), s.size());
            p += s.size();
        }
        template <std::size_t N>
        [[gnu::always_inline]] void put(const char (&lit)[N]) {
            std::memcpy(p, lit, N - 1);
            p += N - 1;
        }
        [[gnu::always_inline]] void put(char ch) { *p++ = ch; }
        [[gnu::always_inline]] void spaces(std::size_t n) {
            text_detail::put_spaces(p, n);
            p += n;
        }
        // `<prefix><label>`: `var_3`, `adj_x`.
        template <std::size_t N>
        [[gnu::always_inline]] void var(const adjoint& a, const char (&prefix)[N], value v) {
            put(prefix);
            if (v.is_arg()) put(std::string_view(a.args[-1 - v.id].name));
            else p = text_detail::write_uint(p, static_cast<std::uint32_t>(v.id));
        }
    };

    // --- lines -----------------------------------------------------------------------------------------
    // Open a line in the arena (this writes its indentation); write the statement with `arena += ...`; close it
    // (this writes the newline) to get its reference. Forced inline: returned out of line, the small `line` is
    // stored field by field and reloaded whole, a store-forwarding stall per line.
    [[gnu::always_inline]] line open(std::uint16_t indent, bool tab = false) {
        line l{static_cast<std::uint32_t>(arena.size()), 0, indent, tab};
        arena.append(indent, ' ');
        if (tab) arena += '\t';
        return l;
    }
    [[gnu::always_inline]] line close(const line& l) {
        arena += '\n';
        return {l.off, static_cast<std::uint32_t>(arena.size()) - l.off, l.indent, l.tab};
    }
    [[gnu::always_inline]] line make(std::string_view s, std::uint16_t indent, bool tab = false) {
        auto m = open(indent, tab);
        arena += s;
        return close(m);
    }

    // Append to the forward pass; the replay (the backward's forward section) gets the same line or `replay`.
    // Forced inline like open/close: called out of line, a `line` built field by field on the stack is reloaded
    // whole into argument registers, a store-forwarding stall (was a third of add_call's own time).
    [[gnu::always_inline]] void add_forward(line l) {
        auto& b = top();
        b.forward.push_back(l);
        b.replay.push_back(l);
    }
    void add_forward(std::string_view statement) { add_forward(make(statement, indentation)); }
    void add_forward(std::string_view statement, std::string_view replay) {
        auto& b = top();
        b.forward.push_back(make(statement, indentation));
        b.replay.push_back(make(replay, indentation));
    }
    void add_forward_no_replay(std::string_view statement) {
        top().forward.push_back(make(statement, indentation));
    }
    [[gnu::always_inline]] void add_reverse(line l) { top().reverse.push_back(l); }
    void add_reverse(std::string_view statement) { add_reverse(make(statement, indentation)); }

    void indent() { indentation = static_cast<std::uint16_t>(indentation + 4); }
    void dedent() { indentation = static_cast<std::uint16_t>(indentation - 4); }

    std::size_t begin_block(std::string_view kind = "block") {
        push_block();
        top().label_kind = kind;
        top().label_number = label_count++;
        return depth_ - 1;
    }
    // The popped block stays readable until the next begin_block.
    const block& end_block() { return pool_[--depth_]; }

    // `load()` turns a reference into a value; values pass through.
    value load(value v) {
        if (!is_ref(v)) return v;
        return add_call(builtins::fn::load, {v}, var(v).type);
    }

    // `add_call`: allocate the output first, then load reference arguments, then emit forward and reverse.
    value add_call(builtins::fn f, std::initializer_list<value> args_in, wtype result, bool output_is_ref = false,
                   std::string_view name_override = {}) {
        return add_call(f, args_in.begin(), args_in.size(), result, output_is_ref, name_override);
    }
    value add_call(builtins::fn f, const std::vector<value>& args_in, wtype result, bool output_is_ref = false,
                   std::string_view name_override = {}) {
        return add_call(f, args_in.data(), args_in.size(), result, output_is_ref, name_override);
    }
    value add_call(builtins::fn f, const value* args_in, std::size_t nargs, wtype result, bool output_is_ref,
                   std::string_view name_override) {
        uninitialized<wtype, 20> arg_types;  // only [0, nargs) is used: filling all 20 cost more than the call
        uninitialized<value, 20> fwd;
        if (nargs > 20) throw rejected("warpsynth: calls take at most 20 arguments");
        for (std::size_t i = 0; i < nargs; ++i) arg_types[i] = type_of(args_in[i]);
        auto info = builtins::resolve(f, arg_types.data(), nargs, result);
        std::string_view forward_name = info.forward.view(), adjoint_name = info.adjoint;
        if (!name_override.empty()) forward_name = adjoint_name = name_override;

        value out;
        if (result.kind != type_kind::none) out = add_var(result, output_is_ref);
        for (std::size_t i = 0; i < nargs; ++i) fwd[i] = f == builtins::fn::load ? args_in[i] : load(args_in[i]);

        // The call, its replay and its adjoint are written through a local pointer into space reserved once:
        // appending piece by piece reloads the arena's size after every store (a char store may alias it).
        std::size_t labels = 0;  // an upper bound of the operands' spelled length
        for (std::size_t i = 0; i < nargs; ++i) labels += label_bound(args_in[i]) + label_bound(fwd[i]) + 12;
        const std::size_t bound = indentation + 1 + forward_name.size() + adjoint_name.size() + 96 + labels;
        char* const start = arena.reserve(3 * bound);
        const auto base = static_cast<std::uint32_t>(arena.size());
        cursor c{start};

        c.spaces(indentation);
        if (out.valid()) {
            c.var(*this, "var_", out);
            c.put(" = ");
        }
        c.put(info.prefix);
        c.put(forward_name);
        c.put('(');
        for (std::size_t i = 0; i < nargs; ++i) {
            if (i) c.put(", ");
            c.var(*this, "var_", fwd[i]);
        }
        c.put(");\n");
        line call{base, static_cast<std::uint32_t>(c.p - start), indentation, false};
        line replay = call;
        if (info.skip_replay) {  // the same statement, commented out
            char* r = c.p;
            c.spaces(indentation);
            c.put("// ");
            c.put({start + indentation, call.len - indentation - 1});
            c.put('\n');
            replay = {base + static_cast<std::uint32_t>(r - start), static_cast<std::uint32_t>(c.p - r), indentation,
                      false};
        }
        top().forward.push_back(call);
        top().replay.push_back(replay);

        if (info.differentiable && nargs > 0) {
            char* r = c.p;
            c.spaces(indentation);
            c.put("wp::adj_");
            c.put(adjoint_name);
            c.put('(');
            for (std::size_t i = 0; i < nargs; ++i) {
                if (i) c.put(", ");
                c.var(*this, "var_", fwd[i]);
            }
            if (info.require_output && out.valid()) c.var(*this, ", var_", out);
            for (std::size_t i = 0; i < nargs; ++i)  // adjoints of the *unloaded* arguments: an address's adjoint
                c.var(*this, ", adj_", args_in[i]);
            if (out.valid()) c.var(*this, ", adj_", out);
            c.put(");\n");
            add_reverse({base + static_cast<std::uint32_t>(r - start), static_cast<std::uint32_t>(c.p - r),
                         indentation, false});
        }
        arena.advance(static_cast<std::size_t>(c.p - start));
        return out;
    }

    // `builtin_tid2d(var_0, var_1);`: one call, several outputs.
    std::vector<value> add_tid_call(int arity) {
        std::vector<value> outs;
        for (int i = 0; i < arity; ++i) outs.push_back(add_var(types::scalar(scalar_kind::int32)));
        auto m = open(indentation);
        arena += "builtin_tid";
        arena += static_cast<char>('0' + arity);
        arena += "d(";
        for (int i = 0; i < arity; ++i) {
            if (i) arena += ", ";
            emit(arena, outs[static_cast<std::size_t>(i)]);
        }
        arena += ");";
        add_forward(close(m));
        return outs;
    }

    // --- control flow ----------------------------------------------------------------------------------
    [[gnu::always_inline]] line if_line(value cond, bool negate) {
        auto m = open(indentation);
        arena += negate ? std::string_view("if (!") : std::string_view("if (");
        emit(arena, cond);
        arena += ") {";
        return close(m);
    }
    void begin_if(value cond, bool negate = false) {
        cond = load(cond);
        add_forward(if_line(cond, negate));
        add_reverse("}");
        indent();
    }
    void end_if(value cond, bool negate = false) {
        dedent();
        add_forward("}");
        cond = load(cond);
        add_reverse(if_line(cond, negate));
    }

    // A line `<before><label of block b><after>`. Lines are returned from forced-inline functions only (see open).
    [[gnu::always_inline]] line label_line(std::string_view before, const block& b, std::string_view after,
                                           std::uint16_t indent, bool tab = false) {
        auto m = open(indent, tab);
        arena += before;
        emit_block_label(arena, b);
        arena += after;
        return close(m);
    }

    value begin_for(value iter) {
        auto cond = begin_block("for");
        loop_blocks.push_back(cond);
        add_forward(label_line("start_", block_at(cond), ":;", indentation));
        indent();
        auto m = open(indentation);
        arena += "if (iter_cmp(";
        emit(arena, iter);
        arena += ") == 0) goto end_";
        emit_block_label(arena, block_at(cond));
        arena += ';';
        add_forward(close(m));
        auto val = add_call(builtins::fn::iter_next, {iter}, types::scalar(scalar_kind::int32));
        begin_block();
        return val;
    }

    void end_for(value iter) {
        const block& body = end_block();
        const block& cond = end_block();
        loop_blocks.pop_back();
        auto& outer = top();
        outer.forward.append(cond.forward.begin(), cond.forward.end());
        outer.forward.append(body.forward.begin(), body.forward.end());
        outer.forward.push_back(label_line("goto start_", cond, ";", indentation));
        dedent();
        outer.forward.push_back(label_line("end_", cond, ":;", indentation));

        // The reverse pass runs the loop backwards; built in order, then appended reversed.
        auto& rev = scratch_;
        rev.clear();
        auto m = open(indentation);
        emit(arena, iter);
        arena += " = wp::iter_reverse(";
        emit(arena, iter);
        arena += ");";
        rev.push_back(close(m));
        rev.append(cond.forward.begin(), cond.forward.end());
        for (auto v : body.vars) {
            m = open(indentation, true);
            emit_adj(arena, {v});
            arena += " = {};";
            rev.push_back(close(m));
        }
        rev.append(body.replay.begin(), body.replay.end());
        rev.append(body.reverse.rbegin(), body.reverse.rend());
        rev.push_back(label_line("goto start_", cond, ";", indentation, true));
        rev.push_back(label_line("end_", cond, ":;", indentation));
        auto& r = outer.reverse;
        r.append(rev.rbegin(), rev.rend());
    }

    // The condition is evaluated by the caller between begin_while_head and begin_while_body.
    void begin_while_head() {
        auto cond = begin_block("while");
        loop_blocks.push_back(cond);
        top().forward.push_back(label_line("start_", top(), ":;", 0));
    }
    void begin_while_body(value c) {
        c = load(c);
        auto& cond = block_at(loop_blocks.back());
        auto m = open(0);
        arena += "if ((";
        emit(arena, c);
        arena += ") == false) goto end_";
        emit_block_label(arena, cond);
        arena += ';';
        cond.forward.push_back(close(m));
        begin_block();
        indent();
    }
    void end_while() {
        dedent();
        const block& body = end_block();
        const block& cond = end_block();
        loop_blocks.pop_back();
        auto& outer = top();
        outer.forward.append(cond.forward.begin(), cond.forward.end());
        outer.forward.append(body.forward.begin(), body.forward.end());
        auto go = label_line("goto start_", cond, ";", 0);
        auto end = label_line("end_", cond, ":;", 0);
        outer.forward.push_back(go);
        outer.forward.push_back(end);

        auto& rev = scratch_;
        rev.assign(cond.forward.begin(), cond.forward.end());
        for (auto v : body.vars) {
            auto m = open(0);
            emit_adj(arena, {v});
            arena += " = {};";
            rev.push_back(close(m));
        }
        rev.append(body.replay.begin(), body.replay.end());
        rev.append(body.reverse.rbegin(), body.reverse.rend());
        rev.push_back(go);
        rev.push_back(end);
        auto& r = outer.reverse;
        r.append(rev.rbegin(), rev.rend());
    }

    // `goto <prefix><innermost loop label>;` (break: `end_`, continue: `start_`).
    void add_loop_jump(std::string_view prefix) {
        auto m = open(indentation);
        arena += "goto ";
        arena += prefix;
        emit_block_label(arena, block_at(loop_blocks.back()));
        arena += ';';
        add_forward(close(m));
    }

    void add_return() {
        auto& b = top();
        b.forward.push_back(make("return;", indentation));
        has_return = true;
        auto m = open(indentation);
        arena += "goto label";
        arena.append_uint(static_cast<std::uint32_t>(label_count));
        arena += ';';
        b.replay.push_back(close(m));
        m = open(indentation);
        arena += "label";
        arena.append_uint(static_cast<std::uint32_t>(label_count));
        arena += ":;";
        add_reverse(close(m));
        ++label_count;
    }

    // `<indentation><head><source line><pad><tail><n>>`: a source-line comment of set_lineno.
    template <std::size_t H, std::size_t T>
    [[gnu::always_inline]] void comment_line(cursor& c, const char (&head)[H], std::string_view stripped_line,
                                             std::size_t pad, const char (&tail)[T], long absolute) const {
        c.spaces(indentation);
        c.put(head);
        c.put(stripped_line);
        c.spaces(pad);
        c.put(tail);
        c.p = text_detail::write_uint(c.p, static_cast<std::uint32_t>(absolute));
        c.put(">\n");
    }

    // `// <line>   <L n>` before the code of each new source line (forward and reverse), padded to one width.
    void set_lineno(long rel, std::string_view stripped_line, long absolute) {
        if (lineno == rel) return;
        lineno = rel;
        auto width = 80 - static_cast<long>(indentation);
        auto pad = static_cast<long>(stripped_line.size()) < width
                       ? static_cast<std::size_t>(width - static_cast<long>(stripped_line.size()))
                       : 0;
        // Both lines through one cursor (see add_call); they have the same length.
        char* const start = arena.reserve(2 * (indentation + stripped_line.size() + pad + 40));
        const auto base = static_cast<std::uint32_t>(arena.size());
        cursor c{start};
        comment_line(c, "// ", stripped_line, pad, "       <L ", absolute);
        const auto len = static_cast<std::uint32_t>(c.p - start);
        comment_line(c, "// adj: ", stripped_line, pad, "  <L ", absolute);
        add_forward(line{base, len, indentation, false});
        add_reverse(line{base + len, len, indentation, false});
        arena.advance(static_cast<std::size_t>(c.p - start));
    }

  private:
    std::vector<block> pool_;
    std::size_t depth_ = 0;
    pod_vector<line> scratch_;

    void push_block() {
        if (depth_ == pool_.size()) pool_.emplace_back();
        auto& b = pool_[depth_++];
        b.forward.clear();
        b.replay.clear();
        b.reverse.clear();
        b.vars.clear();
        b.label_kind = {};
        b.label_number = 0;
    }
};

// The C++ initializer of a constant var, as Warp's `constant_str` prints it.
inline void append_constant(text_buffer& out, const adjoint& adj, const variable& v) {
    switch (v.ckind) {
    case syntax::const_kind::boolean: out += v.inum ? std::string_view("true") : std::string_view("false"); break;
    case syntax::const_kind::integer:
        if (v.inum < 0) out += '-';
        out.append_uint(v.inum < 0 ? 0 - static_cast<std::uint64_t>(v.inum) : static_cast<std::uint64_t>(v.inum));
        break;
    case syntax::const_kind::floating:
        if (v.fnum != v.fnum) out += "NAN";
        else if (v.fnum == 1.0 / 0.0) out += "INFINITY";
        else if (v.fnum == -1.0 / 0.0) out += "-INFINITY";
        else {
            char* p = out.reserve(python_float_repr_max);
            out.advance(static_cast<std::size_t>(write_python_float(p, v.fnum) - p));
        }
        break;
    case syntax::const_kind::string: out += adj.string_constant(v); break;
    default: break;
    }
}

}  // namespace warpsynth::ir
// ---- end warpsynth/ir/adjoint.hpp ----
// ---- begin warpsynth/ir/emit.hpp ----
// warpsynth/ir/emit.hpp — the walk over the syntax tree that drives the Adjoint builder in Warp's order.
//
// One method per Python node kind, each mirroring the `emit_*` method of Warp's codegen named in its comment.
// Symbols (Python names -> values) are an insertion-ordered map, as Warp's dict is: phi merges and loop
// materialization iterate it in that order.



namespace warpsynth::ir {

struct build_options {
    int max_unroll = 16;
};

// Names are views into the syntax tree's text (or its argument names), which outlives the walk; copying a table
// (branches and loops snapshot it) is then a plain copy of small pairs.
class symbol_table {
  public:
    const value* find(std::string_view n) const {
        auto i = index_of(n);
        return i < items_.size() ? &items_[i].second : nullptr;
    }
    void set(std::string_view n, value v) {
        auto i = index_of(n);
        if (i < items_.size()) {
            items_[i].second = v;
            return;
        }
        items_.emplace_back(n, v);
        tags_.push_back(tag(n));
    }
    // `find`/`set` for a name expected at index `i`. Tables only grow by appending and are restored to snapshots
    // of themselves, so a name keeps its index in every table that holds it: a branch's or a loop's table starts
    // with the snapshot it was taken from. Checked, with the search as the fallback.
    const value* find_at(std::size_t i, std::string_view n) const {
        return holds(i, n) ? &items_[i].second : find(n);
    }
    void set_at(std::size_t i, std::string_view n, value v) {
        if (holds(i, n)) items_[i].second = v;
        else set(n, v);
    }
    const std::vector<std::pair<std::string_view, value>>& items() const { return items_; }
    void clear() {
        items_.clear();
        tags_.clear();
    }

  private:
    std::vector<std::pair<std::string_view, value>> items_;
    std::vector<std::uint32_t> tags_;  // tag(name) per item: most mismatches fail on one integer comparison

    bool holds(std::size_t i, std::string_view n) const { return i < items_.size() && same(items_[i].first, n); }
    std::size_t index_of(std::string_view n) const {  // items_.size() when absent
        const auto t = tag(n);
        std::size_t i = 0;
        for (; i < items_.size(); ++i)
            if (tags_[i] == t && same(items_[i].first, n)) break;
        return i;
    }
    // Length, first and last character.
    static std::uint32_t tag(std::string_view n) {
        if (n.empty()) return 0;
        auto byte = [](char c) { return static_cast<std::uint32_t>(static_cast<unsigned char>(c)); };
        return static_cast<std::uint32_t>(n.size() & 0xFFFF) | byte(n.front()) << 16 | byte(n.back()) << 24;
    }
    // Identifiers are short: compare in line rather than through memcmp.
    static bool same(std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i] != b[i]) return false;
        return true;
    }
};

// A call's arguments or a subscript's indices, on the stack: calls take at most 20 arguments (add_call's limit),
// so a fixed capacity saves an allocation per call.
template <class T>
class arg_list {
  public:
    static constexpr std::size_t capacity = 20;
    arg_list() = default;
    arg_list(std::initializer_list<T> xs) {
        for (auto x : xs) push_back(x);
    }
    void push_back(T x) {
        if (n_ == capacity) throw rejected("warpsynth: calls take at most 20 arguments");
        v_[n_++] = x;
    }
    void append(const arg_list& o) {
        for (auto x : o) push_back(x);
    }
    std::size_t size() const { return n_; }
    bool empty() const { return n_ == 0; }
    const T* data() const { return v_; }
    const T* begin() const { return v_; }
    const T* end() const { return v_ + n_; }
    const T& operator[](std::size_t i) const { return v_[i]; }

  private:
    T v_[capacity]{};
    std::size_t n_ = 0;
};
using value_list = arg_list<value>;

// The walk's working storage. It lives per thread and is reused from kernel to kernel, so that once warm a
// build allocates nothing; one emitter per thread builds at a time.
struct emit_workspace {
    symbol_table symbols;
    std::deque<symbol_table> saved;  // snapshots taken by branches and loops, used as a stack (stable addresses)
    std::size_t saved_depth = 0;
    std::vector<const symbol_table*> loop_symbols;
    std::vector<std::string_view> const_iter_symbols;
    text_buffer text;
    text_buffer slot_access;  // the component path of a slot store, e.g. `.data[var_3][var_4]`

    // A snapshot of `from`, valid until the matching release.
    symbol_table& save(const symbol_table& from) {
        if (saved_depth == saved.size()) saved.emplace_back();
        auto& t = saved[saved_depth++];
        t = from;
        return t;
    }
    void release(std::size_t n = 1) { saved_depth -= n; }

    static emit_workspace& for_this_thread() {
        thread_local emit_workspace w;
        return w;
    }
};

class emitter {
  public:
    emitter(adjoint& adj, const syntax::tree& t, const source_map& src, build_options opt = {})
        : adj_(adj), t_(t), src_(src), opt_(opt), ws_(emit_workspace::for_this_thread()), symbols_(ws_.symbols),
          const_iter_symbols_(ws_.const_iter_symbols), loop_symbols_(ws_.loop_symbols) {}

    int kernel_dim = 1;

    // Adjoint.build + emit_FunctionDef
    void build() {
        adj_.reset();
        symbols_.clear();
        const_iter_symbols_.clear();
        loop_symbols_.clear();
        ws_.saved_depth = 0;
        for (std::size_t i = 0; i < t_.args.size(); ++i) {
            adj_.args.push_back({t_.args[i].name, t_.args[i].type});
            symbols_.set(t_.args[i].name, value{static_cast<std::int32_t>(-1 - static_cast<std::int32_t>(i))});
        }
        set_line(src_.def_line);
        for (auto s : t_.body) {
            if (t_[s].kind == syntax::node_kind::docstring || t_[s].kind == syntax::node_kind::comment) continue;
            statement(s);
        }
        adj_.arena.ensure_slack();  // the renderer copies lines in whole chunks
    }

  private:
    adjoint& adj_;
    const syntax::tree& t_;
    const source_map& src_;
    build_options opt_;
    emit_workspace& ws_;
    symbol_table& symbols_;
    std::vector<std::string_view>& const_iter_symbols_;
    std::vector<const symbol_table*>& loop_symbols_;

    using node = syntax::node;
    using nk = syntax::node_kind;
    using fn = builtins::fn;

    [[noreturn]] void reject(const std::string& msg) { throw rejected(msg); }

    static std::string_view strip(std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
        return s;
    }
    // Adjoint.set_lineno: line numbers relative to the decorator line.
    void set_line(std::uint32_t absolute) {
        adj_.set_lineno(static_cast<long>(absolute - src_.decorator_line), strip(src_.line(absolute)), absolute);
    }

    // --- statements ------------------------------------------------------------------------------------
    void statement(syntax::node_id id) {
        const node& n = t_[id];
        if (n.kind == nk::comment) return;
        if (auto line = src_.line_of[id]) set_line(line);
        switch (n.kind) {
        case nk::assign: emit_assign(n); break;
        case nk::aug_assign: emit_aug_assign(n); break;
        case nk::expr_stmt: expr(t_.child(n, 0)); break;
        case nk::if_stmt: emit_if(n); break;
        case nk::for_stmt: emit_for(n); break;
        case nk::while_stmt: emit_while(n); break;
        case nk::break_stmt:  // emit_Break
            materialize(*loop_symbols_.back());
            adj_.add_loop_jump("end_");
            break;
        case nk::continue_stmt:  // emit_Continue
            materialize(*loop_symbols_.back());
            adj_.add_loop_jump("start_");
            break;
        case nk::return_stmt: adj_.add_return(); break;  // emit_Return (kernels return nothing)
        case nk::pass_stmt: break;
        case nk::docstring: {  // appended piece by piece: `"\"" + std::string(...)` trips g++ 12's false -Wrestrict
            std::string quoted;
            quoted.reserve(t_.text_of(n).size() + 2);
            quoted += '"';
            quoted += t_.text_of(n);
            quoted += '"';
            adj_.add_constant_string(quoted);
            break;
        }
        default: break;
        }
    }

    void block(const node& n, std::uint32_t from, std::uint32_t to) {
        for (auto i = from; i < to; ++i) statement(t_.child(n, i));
    }

    // emit_Assign
    void emit_assign(const node& n) {
        const node& lhs = t_[t_.child(n, 0)];
        auto rhs_id = t_.child(n, 1);
        if (lhs.kind == nk::tuple) {  // i, j = wp.tid()
            auto outs = adj_.add_tid_call(static_cast<int>(lhs.count));
            kernel_dim = std::max(kernel_dim, static_cast<int>(lhs.count));
            for (std::uint32_t i = 0; i < lhs.count; ++i) symbols_.set(t_.text_of(t_[t_.child(lhs, i)]), outs[i]);
            return;
        }
        value rhs = expr(rhs_id);
        if ((lhs.kind == nk::subscript || lhs.kind == nk::attribute) && try_slot_write(t_.child(n, 0), rhs)) return;
        if (lhs.kind == nk::subscript) {
            auto [target, indices] = eval_subscript(t_.child(n, 0));
            auto idx = eval_indices(indices);
            if (adj_.type_of(target).is_array()) store_subscript(target, idx, rhs);
            else update_component(fn::assign_inplace, target, idx, rhs);
            return;
        }
        if (lhs.kind == nk::attribute) return store_attribute(lhs, expr(t_.child(lhs, 0)), rhs);
        // a name
        value out = rhs;
        if (t_[rhs_id].kind == nk::name || adj_.is_ref(rhs)) out = adj_.add_call(fn::copy, {rhs}, adj_.type_of(rhs));
        symbols_.set(t_.text_of(lhs), out);
    }

    // _try_lower_array_slot_write (Warp 1.16's fast path): a component of an array element (`a[i].x = v`,
    // `a[i][k] = v`, `a[i][r, c] = v`, `a[i].p = v`) is stored into its slot, `wp::index(a, i)<access> = v;`, and
    // its adjoint takes (and clears) the slot's gradient: `wp::adj_array_store_slot(a, adj_a, adj_v,
    // [&](auto& _e) -> auto& { return _e<access>; }, i);`. Returns false, having emitted nothing, for any other
    // target. (Warp also declines int8/16 element arrays; their elements have no components.)
    bool try_slot_write(syntax::node_id lhs, value rhs) {
        syntax::node_id chain[index_list::capacity];  // root first, once reversed
        std::size_t levels = 0;
        auto at = lhs;
        for (; t_[at].kind == nk::subscript || t_[at].kind == nk::attribute; at = t_.child(t_[at], 0)) {
            if (levels == index_list::capacity) return false;
            chain[levels++] = at;
        }
        if (t_[at].kind != nk::name) return false;
        const value* root = symbols_.find(t_.text_of(t_[at]));
        if (!root || !adj_.type_of(*root).is_array()) return false;
        std::reverse(chain, chain + levels);
        wtype arr_t = adj_.type_of(*root);
        // The array's indices: its ndim outermost subscripts.
        index_list array_idx;
        std::size_t needed = arr_t.ndim, consumed = 0;
        for (; consumed < levels && needed > 0 && t_[chain[consumed]].kind == nk::subscript; ++consumed) {
            const node& sub = t_[chain[consumed]];
            if (sub.count - 1 > needed) return false;
            for (std::uint32_t i = 1; i < sub.count; ++i) array_idx.push_back(t_.child(sub, i));
            needed -= sub.count - 1;
        }
        if (needed != 0 || consumed == levels) return false;  // a view, or the whole element
        // The component path: classified before anything is emitted.
        wtype slot = arr_t.value();
        for (std::size_t l = consumed; l < levels; ++l) {
            const node& step = t_[chain[l]];
            if (step.kind == nk::attribute) {
                auto name = t_.text_of(step);
                char c = name.size() == 1 ? name[0] : '\0';
                if (slot.kind == type_kind::vector && std::string_view("xyzw").substr(0, slot.rows).find(c) !=
                                                          std::string_view::npos)
                    slot = slot.scalar_type();
                else if (slot.kind == type_kind::quaternion && std::string_view("xyzw").find(c) != std::string_view::npos)
                    slot = slot.scalar_type();
                else if (slot.kind == type_kind::transform && c == 'p') slot = types::vector(3, slot.scalar);
                else if (slot.kind == type_kind::transform && c == 'q') slot = types::quaternion(slot.scalar);
                else return false;
            } else if (slot.kind == type_kind::matrix) {
                if (step.count != 3) return false;
                slot = slot.scalar_type();
            } else if (slot.kind == type_kind::vector || slot.kind == type_kind::quaternion ||
                       slot.kind == type_kind::transform) {
                if (step.count != 2) return false;
                slot = slot.scalar_type();
            } else {
                return false;
            }
        }
        if (slot != adj_.type_of(rhs)) return false;

        // Committed. A loaded array element is copied (its adjoint then reaches the source array).
        if (adj_.is_ref(rhs)) rhs = adj_.add_call(fn::copy, {rhs}, adj_.type_of(rhs));
        value_list idx;  // Python's order: the array's indices, then the path's
        for (auto i : array_idx) idx.push_back(expr(i));
        auto& access = ws_.slot_access;
        access.clear();
        for (std::size_t l = consumed; l < levels; ++l) {
            const node& step = t_[chain[l]];
            if (step.kind == nk::attribute) {
                char c = t_.text_of(step)[0];
                bool vector = t_[t_.child(step, 0)].type.kind == type_kind::vector;
                if (vector) {
                    access += ".c[";
                    access += static_cast<char>('0' + syntax::attribute_components(c).first);
                    access += ']';
                } else {
                    access += '.';
                    access += c;
                }
            } else if (t_[t_.child(step, 0)].type.kind == type_kind::matrix) {
                access += ".data[";
                adj_.emit(access, expr(t_.child(step, 1)));
                access += "][";
                adj_.emit(access, expr(t_.child(step, 2)));
                access += ']';
            } else {
                access += '[';
                adj_.emit(access, expr(t_.child(step, 1)));
                access += ']';
            }
        }
        auto& out = adj_.arena;
        auto indices = [&] {
            for (std::size_t i = 0; i < idx.size(); ++i) {
                if (i) out += ", ";
                adj_.emit(out, idx[i]);
            }
        };
        auto m = adj_.open(adj_.indentation);
        out += "wp::index(";
        adj_.emit(out, *root);
        out += ", ";
        indices();
        out += ')';
        out += access.view();
        out += " = ";
        adj_.emit(out, rhs);
        out += ';';
        adj_.add_forward(adj_.close(m));
        m = adj_.open(adj_.indentation);
        out += "wp::adj_array_store_slot(";
        adj_.emit(out, *root);
        out += ", ";
        adj_.emit_adj(out, *root);
        out += ", ";
        adj_.emit_adj(out, rhs);
        out += ", [&](auto& _e) -> auto& { return _e";
        out += access.view();
        out += "; }, ";
        indices();
        out += ");";
        adj_.add_reverse(adj_.close(m));
        return true;
    }

    // `v[i] = x`, `m[i, j] += x`, `v.x = x` on a local or argument: Warp's assign_inplace / add_inplace / ...
    // update the variable itself, so the name keeps its variable (no new SSA value, no phi).
    void update_component(fn f, value target, const value_list& idx, value rhs) {
        value_list args{target};
        args.append(idx);
        args.push_back(rhs);
        call(f, args, wtype{});
    }
    // _store_attribute: a vector/quaternion component gets a fresh constant index and assign_inplace; a transform's
    // `.p`/`.q` is set with transform_set_translation/rotation
    void store_attribute(const node& lhs, value agg, value rhs) {
        if (adj_.type_of(agg).kind == type_kind::transform) {
            bool p = t_.text_of(lhs)[0] == 'p';
            adj_.add_call(p ? fn::transform_set_translation : fn::transform_set_rotation, {agg, rhs}, wtype{});
            return;
        }
        update_component(fn::assign_inplace, agg, {component_index(lhs)}, rhs);
    }
    // vector_component_index: `.x` .. `.w` as a fresh int constant
    value component_index(const node& attribute) {
        return adj_.add_constant_int(syntax::attribute_components(t_.text_of(attribute)[0]).first);
    }

    void store_subscript(value target, const value_list& idx, value rhs) {
        value_list args{target};
        args.append(idx);
        args.push_back(rhs);
        call(fn::array_store, args, wtype{});
    }
    value call(fn f, const value_list& args, wtype result, bool output_is_ref = false, std::string_view name = {}) {
        return adj_.add_call(f, args.data(), args.size(), result, output_is_ref, name);
    }

    static fn op_fn(syntax::op o) {
        switch (o) {
        case syntax::op::add: return fn::add;
        case syntax::op::sub: return fn::sub;
        case syntax::op::mul: case syntax::op::matmul: return fn::mul;
        case syntax::op::div: return fn::div;
        case syntax::op::mod: return fn::mod;
        case syntax::op::floordiv: return fn::floordiv;
        case syntax::op::pow: return fn::pow_op;
        case syntax::op::bit_and: return fn::bit_and;
        case syntax::op::bit_or: return fn::bit_or;
        case syntax::op::bit_xor: return fn::bit_xor;
        case syntax::op::lshift: return fn::lshift;
        case syntax::op::rshift: return fn::rshift;
        default: return fn::none;
        }
    }

    // emit_AugAssign
    void emit_aug_assign(const node& n) {
        const node& lhs = t_[t_.child(n, 0)];
        value rhs = expr(t_.child(n, 1));
        if (lhs.kind == nk::name) {
            value target = expr(t_.child(n, 0));
            value result = adj_.add_call(op_fn(n.oper), {target, rhs}, lhs.type);
            symbols_.set(t_.text_of(lhs), result);
            return;
        }
        if (lhs.kind == nk::attribute) {  // augassign_attribute: read (emit_Attribute), operate, store in place
            value agg = expr(t_.child(lhs, 0));
            value current = emit_attribute(lhs);
            value result = adj_.add_call(op_fn(n.oper), {current, rhs}, lhs.type);
            return store_attribute(lhs, agg, result);
        }
        auto [target, indices] = eval_subscript(t_.child(n, 0));
        auto idx = eval_indices(indices);
        wtype tt = adj_.type_of(target);
        if (!tt.is_array()) {  // a component of a local or argument
            if (fn f = builtins::augmented_component_inplace(n.oper); f != fn::none)
                return update_component(f, target, idx, rhs);
            value current = emit_indexing(target, idx);
            value result = adj_.add_call(op_fn(n.oper), {current, rhs}, lhs.type);
            return update_component(fn::assign_inplace, target, idx, result);
        }
        auto elem = tt.value();
        fn atomic = builtins::augmented_array_atomic(n.oper, elem.scalar);
        if (atomic != fn::none) {
            value_list args{target};
            args.append(idx);
            args.push_back(rhs);
            call(atomic, args, elem);
            return;
        }
        // load, apply, store back
        value_list addr_args{target};
        addr_args.append(idx);
        value current = call(fn::address, addr_args, elem, true);
        value result = adj_.add_call(op_fn(n.oper), {current, rhs}, elem);
        store_subscript(target, idx, result);
    }

    // emit_If, with Warp's phi (`wp::where`) merge of locals assigned in the branches
    void emit_if(const node& n) {
        value cond = expr(t_.child(n, 0));
        if (adj_.is_constant(cond)) {
            bool taken = adj_.var(cond).inum != 0;
            if (taken) block(n, 1, 1 + n.aux);
            else block(n, 1 + n.aux, n.count);
            return;
        }
        const symbol_table& prev = ws_.save(symbols_);
        adj_.begin_if(cond);
        block(n, 1, 1 + n.aux);
        adj_.end_if(cond);
        const symbol_table& if_syms = ws_.save(symbols_);
        symbols_ = prev;
        if (1 + n.aux < n.count) {
            adj_.begin_if(cond, true);
            block(n, 1 + n.aux, n.count);
            adj_.end_if(cond, true);
        }
        const symbol_table& else_syms = ws_.save(symbols_);
        symbols_ = prev;
        // A name at index i < prev's size is at index i in all three tables (see find_at); names the branches
        // added are not in prev.
        const std::size_t common = prev.items().size();
        auto merge = [&](std::size_t i, std::string_view sym, const value* a, const value* b) {
            const value* p = i < common ? prev.find_at(i, sym) : nullptr;
            if (!a) a = p;
            if (!b) b = p;
            if (a && b && *a == *b) {
                symbols_.set_at(i, sym, *a);
            } else if (!a) {
                symbols_.set_at(i, sym, *b);
            } else if (!b) {
                symbols_.set_at(i, sym, *a);
            } else {
                symbols_.set_at(i, sym, adj_.add_call(fn::where, {cond, *a, *b}, adj_.type_of(*a)));
            }
        };
        // The if branch's names in order, then the else branch's new ones.
        const auto& ifs = if_syms.items();
        const auto& els = else_syms.items();
        for (std::size_t i = 0; i < ifs.size(); ++i) {
            auto sym = ifs[i].first;
            merge(i, sym, &ifs[i].second, i < common ? else_syms.find_at(i, sym) : else_syms.find(sym));
        }
        for (std::size_t i = common; i < els.size(); ++i)
            if (!if_syms.find(els[i].first)) merge(i, els[i].first, nullptr, &els[i].second);
        ws_.release(3);
    }

    // emit_For: constant ranges up to max_unroll without break/continue are unrolled
    void emit_for(const node& n) {
        const node& target = t_[t_.child(n, 0)];
        const node& iter = t_[t_.child(n, 1)];
        std::string_view name = t_.text_of(target);
        // get_unroll_range: evaluate each range() argument once; numeric constants stay Python numbers
        struct arg {
            bool numeric;
            std::int64_t num;
            value v;
        };
        arg_list<arg> range_args;
        for (std::uint32_t i = 0; i < iter.count; ++i) {
            auto a = t_.child(iter, i);
            std::int64_t k;
            if (constant_int(a, k)) {
                range_args.push_back({true, k, {}});
                continue;
            }
            value v = expr(a);
            if (adj_.is_constant(v)) range_args.push_back({true, adj_.var(v).inum, v});
            else range_args.push_back({false, 0, v});
        }
        bool all_numeric = std::all_of(range_args.begin(), range_args.end(), [](const arg& a) { return a.numeric; });
        if (all_numeric) {
            std::int64_t start = 0, end = 0, step = 1;
            if (range_args.size() == 1) end = range_args[0].num;
            else {
                start = range_args[0].num;
                end = range_args[1].num;
                if (range_args.size() == 3) step = range_args[2].num;
            }
            std::int64_t max_iters = (end > start ? end - start : start - end) / (step > 0 ? step : -step);
            if (max_iters <= opt_.max_unroll && !contains_break(n, 2)) {
                if (std::find(const_iter_symbols_.begin(), const_iter_symbols_.end(), name) ==
                    const_iter_symbols_.end())
                    const_iter_symbols_.emplace_back(name);
                for (std::int64_t i = start; step > 0 ? i < end : i > end; i += step) {
                    symbols_.set(name, adj_.add_constant_int(i));
                    block(n, 2, n.count);
                }
                return;
            }
        }
        value_list call_args;
        for (auto& a : range_args) call_args.push_back(a.numeric ? adj_.add_constant_int(a.num) : a.v);
        value range = call(fn::range, call_args, types::range());
        promote_mutated_iter_constants(n, 2);
        symbols_.set(name, adj_.begin_for(range));
        loop_symbols_.push_back(&ws_.save(symbols_));
        block(n, 2, n.count);
        materialize(*loop_symbols_.back());
        loop_symbols_.pop_back();
        ws_.release();
        adj_.end_for(range);
    }

    // emit_While
    void emit_while(const node& n) {
        promote_mutated_iter_constants(n, 1);
        adj_.begin_while_head();
        value c = expr(t_.child(n, 0));
        adj_.begin_while_body(c);
        loop_symbols_.push_back(&ws_.save(symbols_));
        block(n, 1, n.count);
        materialize(*loop_symbols_.back());
        loop_symbols_.pop_back();
        ws_.release();
        adj_.end_while();
    }

    // materialize_redefinitions: locals changed inside a dynamic loop are written back with wp::assign
    void materialize(const symbol_table& snapshot) {
        const auto& items = snapshot.items();
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto [sym, var1] = items[i];
            const value* var2 = symbols_.find_at(i, sym);  // the snapshot's names keep their index (see find_at)
            if (!var2 || *var2 == var1) continue;
            bool iter_const = std::find(const_iter_symbols_.begin(), const_iter_symbols_.end(), sym) !=
                              const_iter_symbols_.end();
            if (iter_const && adj_.is_constant(var1)) continue;
            if (adj_.is_constant(var1))
                reject("Error mutating a constant " + std::string(sym) +
                       " inside a dynamic loop, use the following syntax: pi = float(3.141) to declare a dynamic "
                       "variable");
            adj_.add_call(fn::assign, {var1, *var2}, wtype{});
            symbols_.set_at(i, sym, var1);
        }
    }

    void collect_stores(syntax::node_id id, std::vector<std::string_view>& out) const {
        const node& n = t_[id];
        auto add = [&](syntax::node_id target) {
            if (t_[target].kind == nk::name) out.push_back(t_.text_of(t_[target]));
        };
        if (n.kind == nk::assign || n.kind == nk::aug_assign || n.kind == nk::for_stmt) add(t_.child(n, 0));
        if (n.kind == nk::assign && t_[t_.child(n, 0)].kind == nk::tuple) {
            const node& tup = t_[t_.child(n, 0)];
            for (std::uint32_t i = 0; i < tup.count; ++i) add(t_.child(tup, i));
        }
        if (syntax::is_statement(n.kind))
            for (std::uint32_t i = 0; i < n.count; ++i)
                if (syntax::is_statement(t_[t_.child(n, i)].kind)) collect_stores(t_.child(n, i), out);
    }

    // _promote_mutated_iter_constants
    void promote_mutated_iter_constants(const node& loop, std::uint32_t body_from) {
        if (const_iter_symbols_.empty()) return;
        std::vector<std::string_view> mutated;
        for (auto i = body_from; i < loop.count; ++i) collect_stores(t_.child(loop, i), mutated);
        std::vector<std::string_view> done;
        for (auto name : mutated) {
            if (std::find(done.begin(), done.end(), name) != done.end()) continue;
            done.push_back(name);
            const value* v = symbols_.find(name);
            bool iter_const = std::find(const_iter_symbols_.begin(), const_iter_symbols_.end(), name) !=
                              const_iter_symbols_.end();
            if (iter_const && v && adj_.is_constant(*v)) symbols_.set(name, adj_.add_call(fn::copy, {*v}, adj_.type_of(*v)));
        }
    }

    // contains_break: break/continue directly in the body or inside its ifs (not nested loops)
    bool contains_break(const node& n, std::uint32_t from) const {
        for (auto i = from; i < n.count; ++i) {
            const node& s = t_[t_.child(n, i)];
            if (s.kind == nk::break_stmt || s.kind == nk::continue_stmt) return true;
            if (s.kind == nk::if_stmt && contains_break(s, 1)) return true;
        }
        return false;
    }

    // eval_num: a literal or a negated literal
    bool constant_int(syntax::node_id id, std::int64_t& out) const {
        const node& n = t_[id];
        if (n.kind == nk::constant && n.ckind == syntax::const_kind::integer) {
            out = n.inum;
            return true;
        }
        if (n.kind == nk::unaryop && n.oper == syntax::op::usub) {
            const node& c = t_[t_.child(n, 0)];
            if (c.kind == nk::constant && c.ckind == syntax::const_kind::integer) {
                out = -c.inum;
                return true;
            }
        }
        return false;
    }

    // --- expressions -----------------------------------------------------------------------------------
    value expr(syntax::node_id id) {
        const node& n = t_[id];
        switch (n.kind) {
        case nk::name: {  // emit_Name
            const value* v = symbols_.find(t_.text_of(n));
            if (!v) reject("Referencing undefined symbol: " + std::string(t_.text_of(n)));
            return *v;
        }
        case nk::constant: return constant(n);  // emit_Constant
        case nk::binop: {  // emit_BinOp
            value l = expr(t_.child(n, 0));
            value r = expr(t_.child(n, 1));
            return adj_.add_call(op_fn(n.oper), {l, r}, n.type);
        }
        case nk::unaryop: {  // emit_UnaryOp: a negated constant folds
            auto operand_id = t_.child(n, 0);
            value a = expr(operand_id);
            if (n.oper == syntax::op::usub && adj_.is_constant(a)) {
                auto& v = adj_.var(a);
                if (v.ckind == syntax::const_kind::integer || v.ckind == syntax::const_kind::floating ||
                    v.ckind == syntax::const_kind::boolean) {
                    if (t_[operand_id].kind == nk::constant) {
                        v.inum = -v.inum;
                        v.fnum = -v.fnum;
                        if (v.ckind == syntax::const_kind::boolean) v.ckind = syntax::const_kind::integer;
                        return a;
                    }
                    if (v.ckind == syntax::const_kind::floating) return adj_.add_constant_float(-v.fnum);
                    return adj_.add_constant_int(-v.inum);
                }
            }
            return adj_.add_call(n.oper == syntax::op::not_ ? fn::unot : fn::neg, {a}, n.type);
        }
        case nk::compare: return emit_compare(n);
        case nk::boolop: return emit_boolop(n);
        case nk::ifexp: return emit_ifexp(n);
        case nk::call: return emit_call(n);
        case nk::subscript: {  // emit_Subscript
            auto [target, indices] = eval_subscript(id);
            return emit_indexing(target, eval_indices(indices));
        }
        case nk::attribute: return emit_attribute(n);
        default: reject("unsupported expression");
        }
    }

    value constant(const node& n) {
        switch (n.ckind) {
        case syntax::const_kind::floating: return adj_.add_constant_float(n.num);
        case syntax::const_kind::boolean: return adj_.add_constant_bool(n.inum != 0);
        case syntax::const_kind::string: return adj_.add_constant_string(t_.text_of(n));
        default: return adj_.add_constant_int(n.inum);
        }
    }

    // emit_Compare / add_comp
    value emit_compare(const node& n) {
        value left = expr(t_.child(n, 0));
        value_list comps;
        for (std::uint32_t i = 1; i < n.count; ++i) comps.push_back(expr(t_.child(n, i)));
        value out = adj_.add_var(types::scalar(scalar_kind::boolean));
        left = adj_.load(left);
        // The loads below add lines of their own, so the comparison's text is assembled aside first.
        auto& s = ws_.text;
        s.clear();
        adj_.emit(s, out);
        s += " = ";
        s.append(comps.size(), '(');
        adj_.emit(s, left);
        s += ' ';
        value prev;
        for (std::size_t i = 0; i < comps.size(); ++i) {
            std::string_view op = python_detail::op_text(t_.ops[n.aux + i]);
            value comp;
            if (prev.valid()) {
                prev = adj_.load(prev);
                comp = adj_.load(comps[i]);
                s += "&& (";
                adj_.emit(s, prev);
                s += ' ';
                s += op;
                s += ' ';
                adj_.emit(s, comp);
                s += ")) ";
            } else {
                comp = adj_.load(comps[i]);
                s += op;
                s += ' ';
                adj_.emit(s, comp);
                s += ") ";
            }
            prev = comp;
        }
        while (!s.empty() && s.back() == ' ') s.pop_back();
        s += ';';
        adj_.add_forward(s.view());
        return out;
    }

    // emit_BoolOp: short-circuit `and`/`or`
    value emit_boolop(const node& n) {
        bool is_and = n.oper == syntax::op::and_;
        value out = adj_.add_var(types::scalar(scalar_kind::boolean));
        value first = adj_.load(expr(t_.child(n, 0)));
        adj_.add_forward(adj_.name(out) + " = " + adj_.name(first) + ";");
        for (std::uint32_t i = 1; i < n.count; ++i) {
            std::string guard = std::string(is_and ? "if (" : "if (!") + adj_.name(out) + ") {";
            adj_.add_forward(guard);
            adj_.add_reverse("}");
            adj_.indent();
            value v = adj_.load(expr(t_.child(n, i)));
            adj_.add_forward(adj_.name(out) + " = " + adj_.name(out) + (is_and ? " && " : " || ") + adj_.name(v) + ";");
            adj_.dedent();
            adj_.add_forward("}");
            adj_.add_reverse(guard);
        }
        return out;
    }

    // emit_IfExp
    value emit_ifexp(const node& n) {
        value cond = expr(t_.child(n, 0));
        if (adj_.is_constant(cond)) return expr(t_.child(n, adj_.var(cond).inum ? 1 : 2));
        adj_.begin_if(cond);
        value body = adj_.load(expr(t_.child(n, 1)));
        adj_.end_if(cond);
        adj_.begin_if(cond, true);
        value orelse = adj_.load(expr(t_.child(n, 2)));
        adj_.end_if(cond, true);
        return adj_.add_call(fn::where, {cond, body, orelse}, adj_.type_of(body));
    }

    // emit_Call / add_call
    value emit_call(const node& n) {
        auto f = static_cast<fn>(n.builtin);
        if (f == fn::tid) return adj_.add_call(fn::tid, {}, n.type);
        value_list args;
        for (std::uint32_t i = 0; i < n.aux; ++i) args.push_back(expr(t_.child(n, i)));
        for (std::uint32_t i = n.aux; i < n.count; ++i) {  // keywords: constants get vars, types do not
            const node& kw = t_[t_.child(n, i)];
            const node& v = t_[t_.child(kw, 0)];
            if (v.kind != nk::type_ref) expr(t_.child(kw, 0));
        }
        // 64-bit scalar constructors of one constant re-type the constant's own var
        if (f == fn::construct_scalar && args.size() == 1 && adj_.is_constant(args[0]) &&
            (n.type.scalar == scalar_kind::float64 || n.type.scalar == scalar_kind::int64 ||
             n.type.scalar == scalar_kind::uint64)) {
            auto& v = adj_.var(args[0]);
            std::string text;
            if (n.type.scalar == scalar_kind::float64) {
                double d = v.ckind == syntax::const_kind::floating ? v.fnum : static_cast<double>(v.inum);
                if (d != d) goto no_fold;
                text = python_float_repr(d);
            } else {
                std::int64_t k = v.ckind == syntax::const_kind::floating ? static_cast<std::int64_t>(v.fnum) : v.inum;
                text = std::to_string(k) + (n.type.scalar == scalar_kind::int64 ? "ll" : "ull");
            }
            v.type = n.type;
            v.ckind = syntax::const_kind::none;
            adj_.add_forward(adj_.name(args[0]) + " = " + text + ";");
            return args[0];
        }
    no_fold:
        // Python's own `float(x)`/`int(x)` keep their names: `wp::float(var_1)` (a macro in Warp's header).
        auto py = t_.text_of(n);
        if (f == fn::construct_scalar && (py == "float" || py == "int")) return call(f, args, n.type, false, py);
        return call(f, args, n.type);
    }

    // eval_subscript / recurse_subscript: nested subscripts collapse; an array is indexed as soon as it has
    // all its indices. Warp recurses down to the innermost subscript, prepending each level's index group; on the
    // way back up each level indexes an array that has more indices than dimensions. That is done here as a loop
    // over the levels, innermost first, with the groups in one flat list.
    using index_list = arg_list<syntax::node_id>;
    std::pair<value, index_list> eval_subscript(syntax::node_id id) {
        syntax::node_id chain[index_list::capacity];  // the subscript nodes, outermost first
        std::size_t levels = 0;
        for (auto at = id; t_[at].kind == nk::subscript; at = t_.child(t_[at], 0)) {
            if (levels == index_list::capacity) throw rejected("warpsynth: calls take at most 20 arguments");
            chain[levels++] = at;
        }
        index_list ids;                            // every group's indices, innermost group first
        std::uint32_t sizes[index_list::capacity];  // each group's size
        for (std::size_t l = levels; l-- > 0;) {
            const node& n = t_[chain[l]];
            sizes[levels - 1 - l] = n.count - 1;
            for (std::uint32_t i = 1; i < n.count; ++i) ids.push_back(t_.child(n, i));
        }
        value target = expr(t_.child(t_[chain[levels - 1]], 0));
        std::size_t group = 0, first = 0;  // the groups not yet used: [group, levels), their indices [first, ...)
        for (std::size_t l = 0; l < levels; ++l) {
            wtype tt = adj_.type_of(target);
            if (!tt.is_array() || adj_.is_ref(target) || ids.size() - first <= tt.ndim) continue;
            value_list idx;
            for (std::size_t i = 0; i < tt.ndim; ++i) idx.push_back(expr(ids[first + i]));
            target = emit_indexing(target, idx);
            for (std::size_t count = tt.ndim; count > 0 && group < levels;) {
                std::size_t g = sizes[group++];
                first += g;
                count = g < count ? count - g : 0;
            }
        }
        // Built in the returned object (NRVO): a list filled element by element and then copied out is reloaded
        // 16 bytes at a time over its just-stored elements, a store-forwarding stall.
        std::pair<value, index_list> result;
        result.first = target;
        for (std::size_t i = first; i < ids.size(); ++i) result.second.push_back(ids[i]);
        return result;
    }
    value_list eval_indices(const index_list& ids) {
        value_list v;
        for (auto i : ids) v.push_back(expr(i));
        return v;
    }
    // emit_indexing: arrays give an address, values an extract
    value emit_indexing(value target, const value_list& idx) {
        wtype tt = adj_.type_of(target);
        value_list args{target};
        args.append(idx);
        if (tt.is_array() && !adj_.is_ref(target)) return call(fn::address, args, tt.value(), true);
        wtype r;
        if (tt.kind == type_kind::matrix && idx.size() == 1) r = types::vector(tt.cols, tt.scalar);
        else r = tt.scalar_type();
        return call(fn::extract, args, r);
    }

    // emit_Attribute: vector components are an extract with a fresh constant index; a transform's `.p`/`.q` is a
    // call of transform_get_translation/rotation (Warp 1.16, checked with its code generator)
    value emit_attribute(const node& n) {
        value agg = expr(t_.child(n, 0));
        char c = t_.text_of(n)[0];
        wtype at = adj_.type_of(agg);
        if (at.kind == type_kind::transform)
            return adj_.add_call(c == 'p' ? fn::transform_get_translation : fn::transform_get_rotation, {agg}, n.type);
        return adj_.add_call(fn::extract, {agg, component_index(n)}, n.type);
    }
};

}  // namespace warpsynth::ir
// ---- end warpsynth/ir/emit.hpp ----
// ---- begin warpsynth/render/warp_ir.hpp ----
// warpsynth/render/warp_ir.hpp — the four kernel functions Warp v1.16.0 generates: CPU/CUDA x forward/backward.
//
// The builder (ir/) is run once; the devices differ only in the wrapper and the body indentation (4 spaces on CPU,
// 8 in CUDA kernels), plus `return;` -> `continue;` inside the CUDA grid-stride loop. Each function is written
// straight from the builder's arena lines (and the declarations, formatted once per kernel) into its string: no
// intermediate copy of the body.



namespace warpsynth {

struct render_options {
    bool python = true;
    bool cpu = true;
    bool cuda = true;
    int max_unroll = 16;  // module option `max_unroll`
};

struct rendered_kernel {
    std::string python_source;
    std::string mangled_name;
    std::string cpu_forward, cpu_backward, cuda_forward, cuda_backward;  // backward empty without enable_backward
    bool has_backward = true;
};

namespace ir_detail {

inline const std::string* option(const syntax::tree& t, std::string_view key) {
    for (auto& [k, v] : t.options)
        if (k == key) return &v;
    return nullptr;
}
inline bool option_is(const syntax::tree& t, std::string_view key, std::string_view value) {
    auto v = option(t, key);
    return v && *v == value;
}

// The C++ spelling of each type, formatted once per kernel: declarations repeat a handful of types many times.
class ctype_cache {
  public:
    void clear() { used_ = 0; }  // entries past `used_` keep their strings' capacity for the next kernel
    // The spelling stays valid until the next lookup (a new entry may move the others).
    std::string_view operator()(const wtype& t) {
        const auto k = key(t);
        for (std::size_t i = 0; i < used_; ++i)
            if (entries_[i].first == k) return entries_[i].second;
        if (used_ == entries_.size()) entries_.emplace_back();
        auto& e = entries_[used_++];
        e.first = k;
        e.second.clear();
        append_ctype(e.second, t);
        return e.second;
    }

  private:
    std::vector<std::pair<std::uint64_t, std::string>> entries_;
    std::size_t used_ = 0;

    // The type's fields as one integer: one comparison per entry instead of one per field. (Assembled by shifts: a
    // memcpy of the struct went through a stack copy reloaded whole, a store-forwarding stall.)
    static std::uint64_t key(const wtype& t) {
        auto b = [](auto field, int byte) { return static_cast<std::uint64_t>(field) << (8 * byte); };
        return b(t.kind, 0) | b(t.scalar, 1) | b(t.rows, 2) | b(t.cols, 3) | b(t.elem, 4) | b(t.ndim, 5);
    }
};

// Arena lines [first, last) appended to `out`, each at the device's base indentation `Base` (4 spaces in the CPU
// function, 8 in the CUDA kernel's loop). One reservation, then plain pointer writes: appending line by line
// reloads the buffer's size after every store (a char store may alias it).
template <std::size_t Base, class Out, class It>
void append_lines(Out& out, const text_buffer& arena, It first, It last) {
    std::size_t bytes = 0;
    for (auto it = first; it != last; ++it) {
        bytes += Base + it->len;
        // Kept scalar: GCC vectorizes this sum over the 12-byte lines through a stack slot, a store-forwarding
        // stall per line that made it the renderer's hottest loop.
        asm("" : "+r"(bytes));
    }
    char* const start = out.reserve(bytes + text_detail::chunk);  // room for the last line's over-copy
    char* d = start;
    const char* base = arena.data();
    for (auto it = first; it != last; ++it) {
        std::memcpy(d, text_detail::spaces, Base);
        text_detail::copy_chunks(d + Base, base + it->off, it->len);
        d += Base + it->len;
    }
    out.advance(static_cast<std::size_t>(d - start));
}

// `//---------` and a section title (`// primal vars`), at the device's base indentation.
template <std::size_t Base, class Out, std::size_t N>
void append_heading(Out& out, const char (&title)[N]) {
    out.append(Base, ' ');
    out += "//---------\n";
    out.append(Base, ' ');
    out += title;
}

// The body's declarations, formatted once per kernel at both devices' indentation (4 spaces on the CPU, 8 in
// CUDA) with their headings: each function then copies its blocks whole, and the backward repeats the forward's.
class declarations {
  public:
    // One pass: each variable's type is spelled once for both of its declarations.
    void build(const ir::adjoint& adj, ctype_cache& ctypes, bool backward) {
        start(primal_, "// primal vars\n");
        start(dual_, "// dual vars\n");
        for (std::size_t i = 0; i < adj.variables.size(); ++i) {
            auto& v = adj.variables[i];
            auto ctype = ctypes(v.type);
            const auto number = static_cast<std::uint32_t>(i);
            if (v.ckind == syntax::const_kind::none) {  // `<ctype>[*] var_<n>;`
                put_line(primal_, ctype.size(),
                         [&](char* p) { return declaration(p, ctype, v.is_ref, " var_", number, ";\n"); });
            } else {  // `const <ctype> var_<n> = <value>;`: rare, so formatted aside and then copied
                scratch_.clear();
                scratch_ += "const ";
                scratch_ += ctype;
                scratch_ += " var_";
                scratch_.append_uint(number);
                scratch_ += " = ";
                ir::append_constant(scratch_, adj, v);
                scratch_ += ";\n";
                put_line(primal_, scratch_.size(), [&](char* p) {
                    std::memcpy(p, scratch_.data(), scratch_.size());
                    return p + scratch_.size();
                });
            }
            if (!backward) continue;
            // `<ctype> adj_<n> = {};`
            put_line(dual_, ctype.size(),
                     [&](char* p) { return declaration(p, ctype, false, " adj_", number, " = {};\n"); });
        }
    }
    template <std::size_t Base, class Out>
    void primal(Out& out) const {
        out += primal_[device<Base>()].view();
    }
    template <std::size_t Base, class Out>
    void dual(Out& out) const {
        out += dual_[device<Base>()].view();
    }

  private:
    text_buffer primal_[2], dual_[2];  // [0]: CPU (4 spaces), [1]: CUDA (8 spaces)
    text_buffer scratch_;

    template <std::size_t Base>
    static constexpr std::size_t device() {
        static_assert(Base == 4 || Base == 8, "the CPU function's body is indented 4 spaces, the CUDA kernel's 8");
        return Base / 4 - 1;
    }
    // `<ctype>[*]<name><n><end>` at p, written through a local pointer (appending piece by piece reloads the
    // buffer's size after every store: a char store may alias it); returns its end. At most ctype + 32 characters.
    template <std::size_t E>
    [[gnu::always_inline]] static char* declaration(char* p, std::string_view ctype, bool ref, const char (&name)[6],
                                                    std::uint32_t number, const char (&end)[E]) {
        text_detail::copy(p, ctype.data(), ctype.size());
        p += ctype.size();
        *p = '*';
        p += ref;
        std::memcpy(p, name, 5);
        p = text_detail::write_uint(p + 5, number);
        std::memcpy(p, end, E - 1);
        return p + E - 1;
    }

    template <std::size_t N>
    static void start(text_buffer (&b)[2], const char (&title)[N]) {
        b[0].clear();
        b[1].clear();
        append_heading<4>(b[0], title);
        append_heading<8>(b[1], title);
    }
    // A line written by `write` (whose text `size` bounds but for 32 characters) after the indentation of each
    // block. Written twice rather than copied: a wide load of the just-written small stores would stall.
    template <class Write>
    [[gnu::always_inline]] static void put_line(text_buffer (&b)[2], std::size_t size, Write write) {
        for (std::size_t k = 0; k < 2; ++k) {
            const std::size_t indent = 4 * (k + 1);
            char* const s = b[k].reserve(indent + size + 32);
            std::memcpy(s, text_detail::spaces, 8);
            b[k].advance(static_cast<std::size_t>(write(s + indent) - s));
        }
    }
};

// The forward pass (codegen_func_forward). In the CUDA grid-stride loop `return;` becomes `continue;`.
template <std::size_t Base, class Out>
void forward_pass(Out& out, const ir::adjoint& adj, bool return_is_continue) {
    append_heading<Base>(out, "// forward\n");
    auto& lines = adj.block_at(0).forward;
    if (!return_is_continue) return append_lines<Base>(out, adj.arena, lines.begin(), lines.end());
    for (auto& l : lines) {
        auto stmt = adj.statement(l);
        if (stmt.starts_with("return;")) {
            out.append(Base + l.indent, ' ');
            if (l.tab) out += '\t';
            out += std::string_view("continue;");
            out += stmt.substr(7);
            out += '\n';
        } else {
            append_lines<Base>(out, adj.arena, &l, &l + 1);
        }
    }
}

// The backward's body before its closing `return;`/`continue;`: the forward replay, then the reverse pass
// (codegen_func_reverse).
template <std::size_t Base, class Out>
void replay_and_reverse(Out& out, const ir::adjoint& adj) {
    auto& b = adj.block_at(0);
    append_heading<Base>(out, "// forward\n");
    append_lines<Base>(out, adj.arena, b.replay.begin(), b.replay.end());
    append_heading<Base>(out, "// reverse\n");
    append_lines<Base>(out, adj.arena, b.reverse.rbegin(), b.reverse.rend());
}

// What a kernel's four functions share, built once per kernel.
struct shared_text {
    ctype_cache ctypes;
    declarations decls;
    text_buffer cpu_vars, cpu_adjs;    // `    <ctype> var_<name> = _wp_args-><name>;\n` per argument (adj_: _wp_adj_args)
    text_buffer cuda_vars, cuda_adjs;  // `,\n    <ctype> var_<name>` per argument: the CUDA parameter list

    void build(const ir::adjoint& adj, bool backward) {
        ctypes.clear();
        decls.build(adj, ctypes, backward);
        cpu_vars.clear();
        cpu_adjs.clear();
        cuda_vars.clear();
        cuda_adjs.clear();
        // `    <ctype> <prefix><name><source><name>;\n` on the CPU, `,\n    <ctype> <prefix><name>` in CUDA.
        auto argument = [](text_buffer& cpu, text_buffer& cuda, std::string_view ctype, std::string_view name,
                           std::string_view prefix, std::string_view source) {
            cpu += "    ";
            cpu += ctype;
            cpu += prefix;
            cpu += name;
            cpu += source;
            cpu += name;
            cpu += ";\n";
            cuda += ",\n    ";
            cuda += ctype;
            cuda += prefix;
            cuda += name;
        };
        for (auto& a : adj.args) {
            auto ctype = ctypes(a.type);
            argument(cpu_vars, cuda_vars, ctype, a.name, " var_", " = _wp_args->");
            if (backward) argument(cpu_adjs, cuda_adjs, ctype, a.name, " adj_", " = _wp_adj_args->");
        }
    }
};

template <class Out>
void cuda_function(Out& out, const syntax::tree& t, const ir::adjoint& adj, const shared_text& sh, int dim,
                   const std::string& mangled, bool backward) {
    bool grid_stride = !option_is(t, "grid_stride", "False");
    out += "extern \"C\" ";
    if (auto lb = option(t, "launch_bounds")) {
        out += "__launch_bounds__(";
        out += *lb;
        out += ") ";
    }
    if (auto cd = option(t, "cluster_dim"); cd && *cd != "1") {
        out += "WP_CLUSTER_DIMS(";
        out += *cd;
        out += ", 1, 1) ";
    }
    out += "__global__ void ";
    out += mangled;
    out += backward ? std::string_view("_cuda_kernel_backward(\n") : std::string_view("_cuda_kernel_forward(\n");
    out += "    wp::launch_bounds_t<";
    out += static_cast<char>('0' + dim);
    out += "> dim";
    out += sh.cuda_vars.view();
    if (backward) out += sh.cuda_adjs.view();
    out += ")\n{\n    wp::tile_shared_storage_t tile_mem;\n\n";
    if (grid_stride) {
        out +=
            "    for (size_t _idx = static_cast<size_t>(blockDim.x) * static_cast<size_t>(blockIdx.x) + "
            "static_cast<size_t>(threadIdx.x);\n"
            "         _idx < dim.size;\n"
            "         _idx += static_cast<size_t>(blockDim.x) * static_cast<size_t>(gridDim.x))\n"
            "    {\n"
            "            // reset shared memory allocator\n"
            "        wp::tile_shared_storage_t::init();\n\n";
    } else {
        out +=
            "    const size_t _idx = static_cast<size_t>(blockIdx.z * gridDim.y + blockIdx.y) * "
            "static_cast<size_t>(gridDim.x * blockDim.x) + static_cast<size_t>(blockIdx.x * blockDim.x + "
            "threadIdx.x);\n"
            "    if (_idx >= dim.size) return;\n"
            "            // reset shared memory allocator\n"
            "    wp::tile_shared_storage_t::init();\n\n";
    }
    sh.decls.primal<8>(out);
    if (backward) {
        sh.decls.dual<8>(out);
        replay_and_reverse<8>(out, adj);
        out += grid_stride ? "        continue;\n" : "        return;\n";
    } else {
        forward_pass<8>(out, adj, grid_stride && adj.has_return);
    }
    out += grid_stride ? "    }\n}\n" : "}\n";
}

template <class Out>
void cpu_function(Out& out, const ir::adjoint& adj, const shared_text& sh, int dim, const std::string& mangled,
                  bool backward) {
    out += "void ";
    out += mangled;
    out += backward ? std::string_view("_cpu_kernel_backward(\n") : std::string_view("_cpu_kernel_forward(\n");
    out += "    wp::launch_bounds_t<";
    out += static_cast<char>('0' + dim);
    out += "> dim,\n    size_t task_index,\n    wp_args_";
    out += mangled;
    out += " *_wp_args";
    if (backward) {
        out += ",\n    wp_args_";
        out += mangled;
        out += " *_wp_adj_args";
    }
    out += ")\n{\n";
    out += "    //---------\n    // argument vars\n";
    out += sh.cpu_vars.view();
    if (backward) out += sh.cpu_adjs.view();
    sh.decls.primal<4>(out);
    if (backward) {
        sh.decls.dual<4>(out);
        replay_and_reverse<4>(out, adj);
        out += std::string_view("    return;\n");
    } else {
        forward_pass<4>(out, adj, false);
    }
    out += std::string_view("}\n");
}

}  // namespace ir_detail

// Render a lowered kernel: Python module, mangled name and the requested IR functions.
inline void render(const syntax::tree& t, rendered_kernel& r, const render_options& opt = {}) {
    r.python_source.clear();
    thread_local source_map map;  // reused: its vectors keep their capacity between kernels
    render_python(t, r.python_source, &map);
    mangled_name(t, map.function_source(), r.mangled_name);
    r.has_backward = !ir_detail::option_is(t, "enable_backward", "False");
    auto clear_ir = [&] {
        r.cpu_forward.clear();
        r.cpu_backward.clear();
        r.cuda_forward.clear();
        r.cuda_backward.clear();
    };
    if (!opt.cpu && !opt.cuda) return clear_ir();
    thread_local ir::adjoint adj;  // reused: its buffers keep their capacity between kernels
    ir::emitter e(adj, t, map, {opt.max_unroll});
    try {
        e.build();
    } catch (...) {  // Warp rejected the kernel: no text of the previous one stays behind
        clear_ir();
        throw;
    }
    const int dim = e.kernel_dim;
    thread_local ir_detail::shared_text sh;
    sh.build(adj, r.has_backward);
    // Each function is written in place into its string, whose size (the previous kernel's text) is the room.
    auto write = [](std::string& out, bool wanted, auto&& function) {
        if (!wanted) return out.clear();
        string_writer w(out);
        function(w);
    };
    const bool cpu_bw = opt.cpu && r.has_backward, cuda_bw = opt.cuda && r.has_backward;
    write(r.cpu_forward, opt.cpu, [&](auto& w) { ir_detail::cpu_function(w, adj, sh, dim, r.mangled_name, false); });
    write(r.cpu_backward, cpu_bw, [&](auto& w) { ir_detail::cpu_function(w, adj, sh, dim, r.mangled_name, true); });
    write(r.cuda_forward, opt.cuda,
          [&](auto& w) { ir_detail::cuda_function(w, t, adj, sh, dim, r.mangled_name, false); });
    write(r.cuda_backward, cuda_bw,
          [&](auto& w) { ir_detail::cuda_function(w, t, adj, sh, dim, r.mangled_name, true); });
}

// Lower a typed kernel description and render it.
template <class Kernel>
    requires requires(const Kernel& k, syntax::tree& t) { k.lower(t); }
rendered_kernel render(const Kernel& k, const render_options& opt = {}) {
    syntax::tree t;
    k.lower(t);
    rendered_kernel r;
    render(t, r, opt);
    return r;
}

}  // namespace warpsynth
// ---- end warpsynth/render/warp_ir.hpp ----
// ---- end warpsynth/warpsynth.hpp ----
