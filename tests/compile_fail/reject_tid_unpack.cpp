// reject_tid_unpack: must not compile; its twin (WARPSYNTH_TWIN) must.
// expect: wp.tid() unpacks into 2, 3 or 4 indices
#include <warpsynth/warpsynth.hpp>
using namespace warpsynth;
int main() {
    auto k = kernel("reject_tid_unpack", arg<array2d<float_>>("a"), arg<array2d<float_>>("out"))([](auto a, auto out) {
        local<int_> j("j"), k("k"), l("l"), m("m"), n("n");
#ifdef WARPSYNTH_TWIN
        return body(tie(j, k) = tid());
#else
        return body(tie(j, k, l, m, n) = tid());
#endif
    });
    return render(k).python_source.empty();
}
