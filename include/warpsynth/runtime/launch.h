// warpsynth runtime: launch geometry (wp::launch_bounds_t, wp::tid) and the
// tile shared-memory hook that generated kernels reference.
#pragma once

#include "scalar.h"

namespace WP_NAMESPACE {

const int LAUNCH_MAX_DIMS = 4;

// Launch grid of N dimensions (N = largest wp.tid() arity of the kernel):
// the extent of each dimension and the total number of threads. Warp v1.16's
// own struct appends a `coord_mult` field (threads per grid point, for tile
// launches); it is left out here, and since it comes last a launcher that
// passes Warp's layout still works for ordinary launches.
template <int N> struct launch_bounds_t {
    static_assert(N > 0 && N <= LAUNCH_MAX_DIMS, "launch_bounds_t supports 1-4 dimensions");
    int shape[N];
    size_t size;
};

namespace detail {
// Unravels a linear thread index into row-major grid coordinates c[0..N-1].
template <int N> CUDA_CALLABLE inline void launch_coords(size_t index, const launch_bounds_t<N>& dim, int c[N]) {
    for (int k = N - 1; k > 0; --k) {
        c[k] = int(index % size_t(dim.shape[k]));
        index /= size_t(dim.shape[k]);
    }
    c[0] = int(index);
}
} // namespace detail

// builtin_tid1d(): the linear index (first coordinate of a 1-D launch).
template <int N> CUDA_CALLABLE inline int tid(size_t index, const launch_bounds_t<N>& dim) {
    int c[N];
    detail::launch_coords(index, dim, c);
    return c[0];
}

template <int N> CUDA_CALLABLE inline void tid(int& i, int& j, size_t index, const launch_bounds_t<N>& dim) {
    static_assert(N >= 2, "2-D tid needs a launch of at least 2 dimensions");
    int c[N];
    detail::launch_coords(index, dim, c);
    i = c[0];
    j = c[1];
}

template <int N> CUDA_CALLABLE inline void tid(int& i, int& j, int& k, size_t index, const launch_bounds_t<N>& dim) {
    static_assert(N >= 3, "3-D tid needs a launch of at least 3 dimensions");
    int c[N];
    detail::launch_coords(index, dim, c);
    i = c[0];
    j = c[1];
    k = c[2];
}

template <int N>
CUDA_CALLABLE inline void tid(int& i, int& j, int& k, int& l, size_t index, const launch_bounds_t<N>& dim) {
    static_assert(N >= 4, "4-D tid needs a launch of 4 dimensions");
    int c[N];
    detail::launch_coords(index, dim, c);
    i = c[0];
    j = c[1];
    k = c[2];
    l = c[3];
}

// Threads per block (1 on the CPU, which runs one task at a time).
CUDA_CALLABLE inline int block_dim() {
#if defined(WP_DEVICE_CODE)
    return int(blockDim.x);
#else
    return 1;
#endif
}

// Every generated kernel declares one of these and resets it per task. No
// tile builtins are supported, so it holds nothing.
struct tile_shared_storage_t {
    CUDA_CALLABLE static void init() {}
};

} // namespace WP_NAMESPACE
