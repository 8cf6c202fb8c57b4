// examples/driver/cuda_module.hpp — CUDA module text around records' IR, laid out as Warp v1.16.0 lays out its .cu
// modules (golden/modules/*.cu): the header with the cast and tid macros, then each kernel's forward and backward
// function. Many records share one module (mangled names are unique). tools/ir_compile_check.py reads the header
// from this file; the driver unit tests rebuild golden/modules/*.cu with it byte for byte.
#pragma once

#include <string>
#include <string_view>

namespace warpsynth::driver {

inline constexpr std::string_view cuda_module_header = R"(#define WP_NO_BFLOAT16

#define WP_TILE_BLOCK_DIM 256
#define WP_NO_CRT
#include "builtin.h"
#include "deterministic.h"

// Map wp.breakpoint() to a device brkpt at the call site so cuda-gdb attributes the stop to the generated .cu line
#if defined(__CUDACC__) && !defined(_MSC_VER)
#define __debugbreak() __brkpt()
#endif

// avoid namespacing of float type for casting to float type, this is to avoid wp::float(x), which is not valid in C++
#define float(x) cast_float(x)
#define adj_float(x, adj_x, adj_ret) adj_cast_float(x, adj_x, adj_ret)

#define int(x) cast_int(x)
#define adj_int(x, adj_x, adj_ret) adj_cast_int(x, adj_x, adj_ret)

#define builtin_tid1d() wp::tid(_idx, dim)
#define builtin_tid2d(x, y) wp::tid(x, y, _idx, dim)
#define builtin_tid3d(x, y, z) wp::tid(x, y, z, _idx, dim)
#define builtin_tid4d(x, y, z, w) wp::tid(x, y, z, w, _idx, dim)

#define builtin_block_dim() wp::block_dim()

// CUDA Thread Block Cluster shape declaration. Expands to __cluster_dims__
// only on devices that support clusters (compute capability 9.0+); otherwise
// expands to nothing so the same source compiles cleanly for any target arch.
#if defined(__CUDA_ARCH__) && (__CUDA_ARCH__ >= 900)
#define WP_CLUSTER_DIMS(x, y, z) __cluster_dims__(x, y, z)
#else
#define WP_CLUSTER_DIMS(x, y, z)
#endif

)";

// One kernel's part of a module: its forward and (when the kernel has one) backward function.
inline void append_cuda_kernel(std::string& module, std::string_view forward, std::string_view backward) {
    module += "\n\n";
    module += forward;
    if (!backward.empty()) {
        module += "\n\n\n";
        module += backward;
    }
    module += '\n';
}

}  // namespace warpsynth::driver
