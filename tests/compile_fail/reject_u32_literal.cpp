// reject_u32_literal: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: Input types must be the same
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_u32_literal", arg<array<uint32>>("a"), arg<array<uint32>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = a[i] + wp::uint32(1));
#else
        return body(i = tid(), out[i] = a[i] + 1);
#endif
    });
    return render(k).python_source.empty();
}
