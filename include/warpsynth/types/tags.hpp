// warpsynth/types/tags.hpp — compile-time Warp types.
//
// `wt<W>` is the canonical type of an expression. The named tags (`float_`, `vec3`, `array<vec3>`, ...) are what a
// user writes in a kernel signature; each knows its Python spelling, so `float_` and `float32` are the same Warp
// type but render as `float` and `wp.float32`.
#pragma once

#include <string>
#include <type_traits>

#include "warpsynth/types/wtype.hpp"
#include "warpsynth/util/fixed_string.hpp"

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
