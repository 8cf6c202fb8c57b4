// reject_vec_dims: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: Input types must be the same
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_vec_dims", arg<array<vec3>>("a"), arg<array<vec2>>("b"), arg<array<vec3>>("out"))([](auto a, auto b, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = a[i] + a[i]);
#else
        return body(i = tid(), out[i] = a[i] + b[i]);
#endif
    });
    return render(k).python_source.empty();
}
