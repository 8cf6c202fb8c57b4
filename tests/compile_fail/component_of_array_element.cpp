// component_of_array_element: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: assigning a component of an array element
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("component_of_array_element", arg<array<vec3>>("a"))([](auto a) {
        local<int_> i("i");
        local<vec3> v("v");
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), v = a[i], v[0] = 1.0, a[i] = v);
#else
        return body(i = tid(), a[i][0] = 1.0);
#endif
    });
    return render(k).python_source.empty();
}
