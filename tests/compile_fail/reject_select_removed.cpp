// reject_select_removed: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: wp.select() has been removed (Warp 1.10)
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_select_removed", arg<array<float_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = wp::where(a[i] > 0.0, a[i], 0.0));
#else
        return body(i = tid(), out[i] = wp::select(a[i] > 0.0, 0.0, a[i]));
#endif
    });
    return render(k).python_source.empty();
}
