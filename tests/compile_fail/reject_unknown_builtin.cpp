// reject_unknown_builtin: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: sigmoid
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_unknown_builtin", arg<array<float_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = wp::exp(a[i]));
#else
        return body(i = tid(), out[i] = wp::sigmoid(a[i]));
#endif
    });
    return render(k).python_source.empty();
}
