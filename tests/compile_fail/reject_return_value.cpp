// reject_return_value: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: cannot return values
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_return_value", arg<array<float_>>("a"))([](auto a) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), return_());
#else
        return body(i = tid(), return_(a[i]));
#endif
    });
    return render(k).python_source.empty();
}
