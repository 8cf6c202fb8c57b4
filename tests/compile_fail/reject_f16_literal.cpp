// reject_f16_literal: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: Input types must be the same
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_f16_literal", arg<array<float16>>("a"), arg<array<float16>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = a[i] * wp::float16(2.0));
#else
        return body(i = tid(), out[i] = a[i] * 2.0);
#endif
    });
    return render(k).python_source.empty();
}
