// component_of_array_element: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: augmented assignment to a component of an array element
// (A plain assignment, `a[i][0] = x`, is Warp's slot store and compiles; `a[i][0] += x` is refused on purpose:
// Warp 1.16 drops its adjoint and its backward pass reads a pointer it never replays.)
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("component_of_array_element", arg<array<vec3>>("a"))([](auto a) {
        local<int_> i("i");
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), a[i][0] = a[i][0] + 1.0, a[i].y() = 2.0);
#else
        return body(i = tid(), a[i][0] += 1.0);
#endif
    });
    return render(k).python_source.empty();
}
