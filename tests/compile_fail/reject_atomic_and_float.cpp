// reject_atomic_and_float: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: wp.atomic_and/or/xor only work on arrays of [u]int32 or [u]int64
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_atomic_and_float", arg<array<float_>>("a"), arg<array<int_>>("m"))([](auto a, auto m) {
        local<int_> i("i");
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), wp::atomic_and(m, i, 6));
#else
        return body(i = tid(), wp::atomic_and(a, i, 6.0));  // Warp: "atomic_and() operations only work on arrays with [u]int32 or [u]int64"
#endif
    });
    return render(k).python_source.empty();
}
