// component_value_type: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: assigning a value of a different type to a component
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("component_value_type", arg<array<mat33>>("a"))([](auto a) {
        local<int_> i("i");
        local<mat33> m("m");
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), m = a[i], m[1] = wp::vec3(1.0, 2.0, 3.0), a[i] = m);
#else
        return body(i = tid(), m = a[i], m[1] = 2.0, a[i] = m);
#endif
    });
    return render(k).python_source.empty();
}
