// reject_int_plus_float: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: Input types must be the same
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_int_plus_float", arg<array<int_>>("a"), arg<array<float_>>("b"), arg<array<float_>>("out"))([](auto a, auto b, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = py::float_(a[i]) + b[i] * py::float_(a[i]));
#else
        return body(i = tid(), out[i] = py::float_(a[i]) + b[i] * a[i]);
#endif
    });
    return render(k).python_source.empty();
}
