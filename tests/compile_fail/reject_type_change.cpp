// reject_type_change: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: assigning a value of a different type
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_type_change", arg<array<float_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        local<int_> x("x");
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), x = py::int_(a[i]));
#else
        return body(i = tid(), x = a[i]);
#endif
    });
    return render(k).python_source.empty();
}
