// reject_index_count: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: Incorrect number of indices
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_index_count", arg<array<float_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = a[i]);
#else
        return body(i = tid(), out[i] = a(i, i));
#endif
    });
    return render(k).python_source.empty();
}
