// reject_vec_mul: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: vector * vector is not defined
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_vec_mul", arg<array<vec3>>("a"), arg<array<vec3>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = wp::cw_mul(a[i], a[i]));
#else
        return body(i = tid(), out[i] = a[i] * a[i]);
#endif
    });
    return render(k).python_source.empty();
}
