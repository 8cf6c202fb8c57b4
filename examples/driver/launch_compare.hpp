// examples/driver/launch_compare.hpp — comparing what a launched kernel computed with the description's reference.
//
// The comparison is include/warpsynth/eval/comparison.hpp's and the tolerances tolerance.hpp's (shared with
// tools/execute_check.py, the CPU check); the verdicts are the CPU check's (tests/eval/README.md explains both).
//
// On the GPU the same IR runs with other math functions (libdevice: up to 2 ulp where glibc is within 1), FMA
// contraction and another atomic order, so an ill-conditioned computation (sin of a large argument, a sum with
// cancellation) can move further than a few ulps of its result. The GPU comparison therefore also allows
// `gpu_slack_factor` times the description's own sensitivity: how far each value moves when every float operation
// of the description is perturbed by up to `gpu_perturb_ulps` ulps (eval::sensitivity, two runs).
#pragma once

#include <warpsynth/eval/comparison.hpp>
#include <warpsynth/eval/tolerance.hpp>

namespace warpsynth::driver {

using eval::backward_tolerance;
using eval::comparison;
using eval::forward_tolerance;
using eval::least_precise;
using eval::tolerance;

inline constexpr double gpu_perturb_ulps = 2.0;
inline constexpr double gpu_slack_factor = 4.0;

}  // namespace warpsynth::driver
