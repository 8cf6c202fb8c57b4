// where_float_condition: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: wp.where's condition must be a bool or an integer scalar
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("where_float_condition", arg<array<float_>>("a"), arg<array<int_>>("m"), arg<array<float_>>("out"))(
        [](auto a, auto m, auto out) {
            local<int_> i("i");
#ifdef WARPSYNTH_TWIN
            return body(i = tid(), out[i] = wp::where(m[i], a[i], 1.0));  // integer conditions are Warp overloads
#else
            return body(i = tid(), out[i] = wp::where(a[i], a[i], 1.0));  // Warp has no float overload
#endif
        });
    return render(k).python_source.empty();
}
