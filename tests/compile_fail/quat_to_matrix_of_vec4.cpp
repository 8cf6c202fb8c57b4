// quat_to_matrix_of_vec4: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: wp.quat_to_matrix takes one float quaternion
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("quat_to_matrix_of_vec4", arg<array<quat>>("q"), arg<array<vec4>>("v"), arg<array<mat33>>("out"))(
        [](auto q, auto v, auto out) {
            local<int_> i("i");
#ifdef WARPSYNTH_TWIN
            return body(i = tid(), out[i] = wp::quat_to_matrix(wp::quat_inverse(q[i])));
#else
            return body(i = tid(), out[i] = wp::quat_to_matrix(v[i]));
#endif
        });
    return render(k).python_source.empty();
}
