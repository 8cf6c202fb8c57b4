// warpsynth runtime: placeholder for Warp's deterministic-execution support.
//
// Warp's module text always includes "deterministic.h"; only kernels built
// with deterministic=RUN_TO_RUN use anything from it (scatter buffers), and
// warpsynth does not generate those.
#pragma once

#include "builtin.h"
