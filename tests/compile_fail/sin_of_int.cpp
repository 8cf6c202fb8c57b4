// sin_of_int: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: takes one float scalar
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("sin_of_int", arg<array<int_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = wp::sin(py::float_(a[i])));
#else
        return body(i = tid(), out[i] = wp::sin(a[i]));
#endif
    });
    return render(k).python_source.empty();
}
