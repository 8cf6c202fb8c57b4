// transform_inverse_of_quat: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: wp.transform_inverse takes one float transform
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("transform_inverse_of_quat", arg<array<transform>>("t"), arg<array<quat>>("q"),
                    arg<array<vec3>>("out"))([](auto t, auto q, auto out) {
        local<int_> i("i");
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = wp::transform_get_translation(wp::transform_inverse(t[i])) +
                                         wp::quat_rotate(wp::transform_get_rotation(t[i]), wp::vec3()));
#else
        return body(i = tid(), out[i] = wp::transform_get_translation(wp::transform_inverse(q[i])));
#endif
    });
    return render(k).python_source.empty();
}
