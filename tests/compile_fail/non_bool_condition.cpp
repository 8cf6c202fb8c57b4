// non_bool_condition: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: conditions and boolean operators need a bool
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("non_bool_condition", arg<array<float_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), if_(a[i] != 0.0)(out[i] = a[i]));
#else
        return body(i = tid(), if_(a[i])(out[i] = a[i]));
#endif
    });
    return render(k).python_source.empty();
}
