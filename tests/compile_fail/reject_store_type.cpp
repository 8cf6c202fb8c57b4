// reject_store_type: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: storing a value of a different type into an array element
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_store_type", arg<array<float_>>("a"), arg<array<int_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
        
#ifdef WARPSYNTH_TWIN
        return body(i = tid(), out[i] = py::int_(a[i]));
#else
        return body(i = tid(), out[i] = a[i]);
#endif
    });
    return render(k).python_source.empty();
}
