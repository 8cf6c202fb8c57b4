// where_value_types: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: wp.where's two values must have the same type
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("where_value_types", arg<array<float_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = wp::where(a[i] > 0.0, a[i], 0.0));
#else
        return body(i = tid(), out[i] = wp::where(a[i] > 0.0, a[i], 0));  // float32 vs int32
#endif
    });
    return render(k).python_source.empty();
}
