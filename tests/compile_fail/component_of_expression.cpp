// component_of_expression: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: components of a local or argument
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("component_of_expression", arg<array<vec3>>("a"))([](auto a) {
        local<int_> i("i");
        local<vec3> v("v");
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), v = a[i], v.y() += 1.0, a[i] = v);
#else
        return body(i = tid(), v = a[i], (v * 2.0).y() += 1.0, a[i] = v);
#endif
    });
    return render(k).python_source.empty();
}
