// warpsynth/native.hpp — native CUDA kernels from typed descriptions (nvcc only; not part of warpsynth.hpp).
//
// Compile with nvcc -std=c++20 --expt-relaxed-constexpr; see native/launch.hpp.
#pragma once

#if !defined(__CUDACC__)
#error "warpsynth/native.hpp instantiates CUDA kernels: compile this translation unit with nvcc"
#endif

#include "warpsynth/native/launch.hpp"
