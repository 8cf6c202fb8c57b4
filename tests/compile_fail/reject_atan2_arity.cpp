// reject_atan2_arity: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: wrong number of arguments to this builtin
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_atan2_arity", arg<array<float_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = wp::atan2(a[i], a[i]));
#else
        return body(i = tid(), out[i] = wp::atan2(a[i]));
#endif
    });
    return render(k).python_source.empty();
}
