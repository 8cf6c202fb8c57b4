// warpsynth runtime: entry header.
//
// Warp's generated module text begins with `#include "builtin.h"`; put this
// folder on the include path (-I include/warpsynth/runtime) to compile it.
// The same headers serve host compilers (CPU kernels) and NVRTC (CUDA
// kernels), so nothing here may rely on the C++ standard library on device.
#pragma once

#include "config.h"
#include "scalar.h"      // types, traits, float16
#include "scalar_ops.h"  // + - * / min max clamp abs ..., casts, copy/assign/where
#include "scalar_math.h" // sin ... smoothstep, pow, mod, floordiv
#include "vec.h"         // vec_t
#include "mat.h"         // mat_t
#include "quat.h"        // quat_t
#include "transform.h"   // transform_t
#include "atomic.h"      // pointer-level atomics
#include "array.h"       // array_t, address/load/array_store, array atomics
#include "range.h"       // range_t
#include "launch.h"      // launch_bounds_t, tid, tile_shared_storage_t
