// warpsynth/eval/tolerance.hpp — how closely an executed kernel must match the reference, per float type.
//
// |got - ref| <= atol * scale + rtol * |ref|, scale = max(1, max |ref| over the array); integer and bool arrays
// must match exactly; a NaN or Inf anywhere is a failure. The reference computes the forward pass in the dtype's
// own arithmetic with Warp's formulas, so forward tolerances only absorb formula-level rounding of the runtime (a
// few ulps); it computes gradients in double from the dtype's primal values, so backward tolerances absorb the
// IR's float32/float16 adjoint arithmetic, taken for the least precise float type the computation touches.
// The one table behind both checks: `warpsynth launch` (GPU) and tools/execute_check.py (CPU; it reads the table
// from tests/eval/eval_reference's `tolerances` command).
#pragma once

#include "warpsynth/types/wtype.hpp"

namespace warpsynth::eval {

struct tolerance {
    double rtol, atol;
};

inline constexpr tolerance forward_tolerance(scalar_kind s) {
    switch (s) {
    case scalar_kind::float16: return {2e-3, 1e-3};
    case scalar_kind::float64: return {1e-12, 1e-13};
    default: return {1e-5, 1e-6};
    }
}

inline constexpr tolerance backward_tolerance(scalar_kind s) {
    switch (s) {
    case scalar_kind::float16: return {3e-2, 1e-2};
    case scalar_kind::float64: return {1e-9, 1e-10};
    default: return {1e-4, 1e-5};
    }
}

// The least precise of two float types (float16 < float32 < float64).
inline constexpr scalar_kind least_precise(scalar_kind a, scalar_kind b) {
    auto rank = [](scalar_kind s) { return s == scalar_kind::float16 ? 0 : s == scalar_kind::float32 ? 1 : 2; };
    return rank(a) <= rank(b) ? a : b;
}

}  // namespace warpsynth::eval
