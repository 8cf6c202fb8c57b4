// reject_float_plus_int: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: Input types must be the same
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_float_plus_int", arg<array<float_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = a[i] + 1.0);
#else
        return body(i = tid(), out[i] = a[i] + 1);
#endif
    });
    return render(k).python_source.empty();
}
