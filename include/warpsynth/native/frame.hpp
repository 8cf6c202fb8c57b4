// warpsynth/native/frame.hpp — what one thread of a native kernel owns: its launch index, its locals, the
// control flow it is in, and where it reports a fault.
#pragma once

#include <cstddef>

#include "warpsynth/native/runtime.hpp"

namespace warpsynth::native {

// Locals are found by name on the host (native::binder) and live in numbered slots; each slot holds the largest
// Warp value (mat44 of float64, 128 bytes).
inline constexpr int max_locals = 32;
inline constexpr int slot_bytes = 128;
// A loop that runs longer than this is reported as a fault instead of hanging the GPU.
inline constexpr long long max_loop_trips = 1 << 20;

enum class flow { next, break_, continue_, return_ };

enum fault : int { no_fault = 0, loop_limit = 1, launch_too_small = 2 };

// The launch grid is always held as 4 dimensions, the real ones first and then 1s: wp.tid()'s coordinates are the
// same (the unused trailing ones are 0), and each description needs one kernel instantiation, not four.
struct frame {
    size_t index;                  // the linear launch index
    rt::launch_bounds_t<4> dim;    // the launch grid, padded with 1s
    int ndim;                      // its real number of dimensions
    int* fault;                    // device word: the first fault of any thread
    alignas(16) unsigned char slots[max_locals][slot_bytes];

    template <class C>
    __device__ C& at(int slot) {
        static_assert(sizeof(C) <= slot_bytes, "warpsynth: a local larger than a native frame slot");
        return *reinterpret_cast<C*>(slots[slot]);
    }
    __device__ void report(int f) { atomicCAS(fault, 0, f); }
};

}  // namespace warpsynth::native
