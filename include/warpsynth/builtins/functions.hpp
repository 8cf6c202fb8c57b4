// warpsynth/builtins/functions.hpp — Warp's builtins as typed DSL functions: `wp::sin(x)`, `wp::dot(a, b)`,
// `wp::vec3(x, y, z)`, `float_(k)`, `wp::atomic_add(a, i, v)`, `tid()`, ...
//
// A builtin is a function object: its catalog id, its Python spelling, and a typing rule. Calling it with the
// wrong number or types of arguments is a compile error that names the builtin and the problem.
#pragma once

#include <tuple>

#include "warpsynth/builtins/catalog.hpp"
#include "warpsynth/expr/expression.hpp"
#include "warpsynth/expr/node_base.hpp"
#include "warpsynth/expr/typing.hpp"
#include "warpsynth/util/fixed_string.hpp"

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
