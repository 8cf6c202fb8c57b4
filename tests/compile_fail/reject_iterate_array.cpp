// reject_iterate_array: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: for loops iterate over range
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_iterate_array", arg<array<float_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        local<float_> s("s"); local<int_> k("k");
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), for_(k, range(3))(s += a[k]));
#else
        return body(i = tid(), for_(k, a)(s += a[k]));
#endif
    });
    return render(k).python_source.empty();
}
