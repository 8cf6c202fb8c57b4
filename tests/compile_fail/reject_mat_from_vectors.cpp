// reject_mat_from_vectors: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: building a matrix from vectors is rejected
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_mat_from_vectors", arg<array<vec3>>("a"), arg<array<vec3>>("b"), arg<array<mat33>>("out"))([](auto a, auto b, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = wp::outer(a[i], b[i]));
#else
        return body(i = tid(), out[i] = wp::mat33(a[i], b[i], wp::cross(a[i], b[i])));
#endif
    });
    return render(k).python_source.empty();
}
