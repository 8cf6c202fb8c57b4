// warpsynth/expr/typing.hpp — Warp's typing rules for operators, checked at compile time.
//
// Each rule is a constexpr function of the operand types; an invalid combination is a static_assert whose message
// names the problem the way Warp's own error would. Warp never promotes: float32 + int32, float64 * 2.0 and
// uint32 + 1 are all "Input types must be the same".
#pragma once

#include "warpsynth/types/wtype.hpp"

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
