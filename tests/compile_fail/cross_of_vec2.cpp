// cross_of_vec2: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: wp.cross takes two vec3
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("cross_of_vec2", arg<array<vec2>>("a"), arg<array<vec2>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = a[i] + a[i]);
#else
        return body(i = tid(), out[i] = wp::cross(a[i], a[i]));
#endif
    });
    return render(k).python_source.empty();
}
