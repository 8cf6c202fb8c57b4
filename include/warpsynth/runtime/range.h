// warpsynth runtime: `for i in range(...)` loops, wp::range_t.
//
// Generated loops read:  r = wp::range(n);  while (iter_cmp(r)) i = wp::iter_next(r);
// and the backward pass walks the same indices in reverse via wp::iter_reverse.
#pragma once

#include "scalar.h"

namespace WP_NAMESPACE {

struct range_t {
    int start;
    int end;
    int step;
    int i; // next value to hand out

    CUDA_CALLABLE range_t() : start(0), end(0), step(0), i(0) {}
};

CUDA_CALLABLE inline range_t range(int start, int end, int step) {
    range_t r;
    r.start = start;
    r.end = end;
    r.step = step;
    r.i = start;
    return r;
}
CUDA_CALLABLE inline range_t range(int end) { return range(0, end, 1); }
CUDA_CALLABLE inline range_t range(int start, int end) { return range(start, end, 1); }

// Loop bounds carry no gradient.
template <typename... A> CUDA_CALLABLE inline void adj_range(const A&...) {}

// True while the range has values left (Python semantics for either sign of step).
CUDA_CALLABLE inline bool iter_cmp(const range_t& r) { return r.step > 0 ? r.i < r.end : r.i > r.end; }

CUDA_CALLABLE inline int iter_next(range_t& r) {
    const int v = r.i;
    r.i += r.step;
    return v;
}
CUDA_CALLABLE inline void adj_iter_next(range_t&, range_t&, int) {}

// Number of values the range produces.
CUDA_CALLABLE inline int range_count(const range_t& r) {
    if (r.step > 0)
        return r.end > r.start ? (r.end - r.start + r.step - 1) / r.step : 0;
    if (r.step < 0)
        return r.start > r.end ? (r.start - r.end - r.step - 1) / -r.step : 0;
    return 0;
}

// reversed(range): starts at the last value of the forward range and steps back past `start`. Like Warp, the start
// is computed from the bounds without an emptiness test, so an empty forward range can reverse to one value.
CUDA_CALLABLE inline range_t iter_reverse(const range_t& r) {
    if (r.step == 0) return range(r.start, r.start, 0);
    const int first = r.step > 0 ? r.start + int((r.end - r.start - 1) / r.step) * r.step
                                 : r.start + int((r.end - r.start + 1) / r.step) * r.step;
    return range(first, r.start - r.step, -r.step);
}
CUDA_CALLABLE inline void adj_iter_reverse(const range_t&, range_t&, const range_t&) {}

} // namespace WP_NAMESPACE
