// warpsynth/native/launch.hpp — run a typed kernel description as a native CUDA kernel.
//
//     native::binder b;                       // arguments by name: device arrays and scalar values
//     b.args.push_back({"a", true, d_a, {64}});
//     std::string error = native::launch(k, b, {64});
//
// `native_kernel<Image, Order>` is a template __global__ over the description's device image: nvcc compiles the
// description itself, independently of the IR text the renderers produce — a second reference on the GPU for what
// the kernel means. Forward pass only (gradients are checked against the host evaluator, eval/).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <cuda_runtime.h>

#include "warpsynth/native/statements.hpp"

namespace warpsynth::native {

// How the launch's threads run: all at once (a GPU launch, as Warp's CUDA kernels run), or one after the other in
// increasing index on one GPU thread (the order of Warp's CPU backend and of the evaluator, eval/): kernels whose
// result depends on thread order — a store every thread makes, atomics of different operators on one element —
// agree with the evaluator only in that order.
enum class order { parallel, sequential };

template <class Image, order Order>
__global__ void native_kernel(Image body, rt::launch_bounds_t<4> dim, int ndim, int* fault) {
    frame f;
    f.dim = dim;
    f.ndim = ndim;
    f.fault = fault;
    if constexpr (Order == order::parallel) {
        f.index = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
        if (f.index < dim.size) body.exec(f);
    } else {
        for (size_t i = 0; i < dim.size; ++i) {
            f.index = i;
            body.exec(f);
        }
    }
}

// Can this kernel description run natively (every node has a device image)?
template <class Kernel>
inline constexpr bool runs_natively = false;
template <class Body, class... A>
inline constexpr bool runs_natively<kernel_def<Body, A...>> = supported<Body>;

namespace launch_detail {
// nvcc's host stub spells the kernel's template arguments; spelled through this wrapper they are canonical types
// (the dev:: images), never the aliases they were named by, whose arguments are DSL nodes with string arguments
// that the host compiler cannot parse back.
template <class T>
struct canonical {
    using type = T;
};

inline std::string cuda_error(cudaError_t e, const char* what) {
    return std::string(what) + ": " + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")";
}

template <class Image, order Order>
std::string run(const Image& body, const std::vector<std::int64_t>& dims) {
    if (dims.empty() || dims.size() > 4) return "a launch has 1 to 4 dimensions";
    rt::launch_bounds_t<4> dim;
    dim.size = 1;
    for (std::size_t k = 0; k < 4; ++k) {
        dim.shape[k] = k < dims.size() ? static_cast<int>(dims[k]) : 1;
        dim.size *= static_cast<size_t>(dim.shape[k]);
    }
    int* fault = nullptr;
    if (auto e = cudaMalloc(&fault, sizeof(int)); e != cudaSuccess) return cuda_error(e, "cudaMalloc");
    std::string error;
    int host_fault = 0;
    auto blocks = Order == order::parallel ? static_cast<unsigned>((dim.size + 255) / 256) : 1u;
    unsigned threads = Order == order::parallel ? 256u : 1u;
    if (auto e = cudaMemset(fault, 0, sizeof(int)); e != cudaSuccess) error = cuda_error(e, "cudaMemset");
    if (error.empty() && dim.size > 0) {
        native_kernel<Image, Order><<<blocks, threads>>>(body, dim, static_cast<int>(dims.size()), fault);
        if (auto e = cudaGetLastError(); e != cudaSuccess) error = cuda_error(e, "launch");
    }
    if (error.empty())
        if (auto e = cudaMemcpy(&host_fault, fault, sizeof(int), cudaMemcpyDeviceToHost); e != cudaSuccess)
            error = cuda_error(e, "kernel");
    cudaFree(fault);
    if (error.empty() && host_fault == loop_limit)
        error = "a loop ran more than " + std::to_string(max_loop_trips) + " trips";
    if (error.empty() && host_fault == launch_too_small) error = "wp.tid() unpacks more indices than the launch has";
    return error;
}
}  // namespace launch_detail

// Launch `k` over `dims` (1 to 4 dimensions) with the arguments bound in `b`, its threads in `Order`; waits for
// it. Returns "" or what went wrong (a CUDA error, a fault a thread reported, a missing argument).
template <order Order = order::parallel, class Body, class... A>
std::string launch(const kernel_def<Body, A...>& k, binder& b, const std::vector<std::int64_t>& dims) {
    static_assert(supported<Body>, "warpsynth::native: this description uses a node with no native image");
    try {
        using Image = typename launch_detail::canonical<image_t<Body>>::type;
        Image body = make_image(k.body, b);
        return launch_detail::run<Image, Order>(body, dims);
    } catch (const std::exception& e) {
        return e.what();
    }
}

}  // namespace warpsynth::native
