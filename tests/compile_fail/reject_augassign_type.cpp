// reject_augassign_type: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: Input types must be the same
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_augassign_type", arg<array<float_>>("a"), arg<array<int_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        local<int_> c("c");
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), c += py::int_(a[i]));
#else
        return body(i = tid(), c += a[i]);
#endif
    });
    return render(k).python_source.empty();
}
