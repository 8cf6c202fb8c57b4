// atomic_value_type: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: the atomic's value must have the array's element type
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("atomic_value_type", arg<array<float_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), wp::atomic_add(out, 0, a[i]));
#else
        return body(i = tid(), wp::atomic_add(out, 0, 1));
#endif
    });
    return render(k).python_source.empty();
}
