// warpsynth/native/ctype.hpp — the C++ type of a Warp type in the `wp::` runtime (include/warpsynth/runtime/):
// what a value of the description is while a native kernel runs.
//
// Native kernels are the typed description compiled by nvcc (native/launch.hpp); include this from CUDA
// translation units only.
#pragma once

#include <type_traits>

#include "warpsynth/native/runtime.hpp"
#include "warpsynth/types/wtype.hpp"

namespace warpsynth::native {

// (Class templates, not constexpr functions in decltype: g++ 12 crashes on the latter after nvcc's front end.)
template <scalar_kind S> struct scalar_ctype_of { using type = void; };
template <> struct scalar_ctype_of<scalar_kind::boolean> { using type = bool; };
template <> struct scalar_ctype_of<scalar_kind::int8> { using type = rt::int8; };
template <> struct scalar_ctype_of<scalar_kind::int16> { using type = rt::int16; };
template <> struct scalar_ctype_of<scalar_kind::int32> { using type = rt::int32; };
template <> struct scalar_ctype_of<scalar_kind::int64> { using type = rt::int64; };
template <> struct scalar_ctype_of<scalar_kind::uint8> { using type = rt::uint8; };
template <> struct scalar_ctype_of<scalar_kind::uint16> { using type = rt::uint16; };
template <> struct scalar_ctype_of<scalar_kind::uint32> { using type = rt::uint32; };
template <> struct scalar_ctype_of<scalar_kind::uint64> { using type = rt::uint64; };
template <> struct scalar_ctype_of<scalar_kind::float16> { using type = rt::float16; };
template <> struct scalar_ctype_of<scalar_kind::float32> { using type = rt::float32; };
template <> struct scalar_ctype_of<scalar_kind::float64> { using type = rt::float64; };
template <scalar_kind S>
using scalar_ctype = typename scalar_ctype_of<S>::type;

template <type_kind K, scalar_kind S, unsigned Rows, unsigned Cols, type_kind Elem>
struct ctype_parts {
    using type = void;  // range, string: no runtime value in a native kernel
};
template <scalar_kind S, unsigned R, unsigned C, type_kind E>
struct ctype_parts<type_kind::scalar, S, R, C, E> { using type = scalar_ctype<S>; };
template <scalar_kind S, unsigned R, unsigned C, type_kind E>
struct ctype_parts<type_kind::vector, S, R, C, E> { using type = rt::vec_t<R, scalar_ctype<S>>; };
template <scalar_kind S, unsigned R, unsigned C, type_kind E>
struct ctype_parts<type_kind::matrix, S, R, C, E> { using type = rt::mat_t<R, C, scalar_ctype<S>>; };
template <scalar_kind S, unsigned R, unsigned C, type_kind E>
struct ctype_parts<type_kind::quaternion, S, R, C, E> { using type = rt::quat_t<scalar_ctype<S>>; };
template <scalar_kind S, unsigned R, unsigned C, type_kind E>
struct ctype_parts<type_kind::transform, S, R, C, E> { using type = rt::transform_t<scalar_ctype<S>>; };
template <scalar_kind S, unsigned R, unsigned C, type_kind E>
struct ctype_parts<type_kind::array, S, R, C, E> {
    using type = rt::array_t<typename ctype_parts<E, S, R, C, type_kind::none>::type>;
};

// `ctype<Tag>` of a type tag (a class whose `value` is the wtype: wt<W>, float_, a node's `type`):
// wp::float32, wp::vec_t<3, wp::float32>, wp::array_t<wp::mat_t<3, 3, wp::float64>>, ... (A tag, not the wtype
// itself: g++ 12 crashes substituting a class-type template argument into an alias after nvcc's front end.)
template <class Tag>
using ctype = typename ctype_parts<Tag::value.kind, Tag::value.scalar, Tag::value.rows, Tag::value.cols,
                                   Tag::value.elem>::type;

}  // namespace warpsynth::native
