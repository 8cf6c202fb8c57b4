// reject_mat_vec_dims: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: matrix * vector needs vector length == matrix columns
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_mat_vec_dims", arg<array<mat33>>("m"), arg<array<vec4>>("v"), arg<array<vec3>>("out"))([](auto m, auto v, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = m[i] * wp::vec3(v[i][0], v[i][1], v[i][2]));
#else
        return body(i = tid(), out[i] = m[i] * v[i]);
#endif
    });
    return render(k).python_source.empty();
}
