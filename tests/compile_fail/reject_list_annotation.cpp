// reject_list_annotation: Warp rejects a kernel argument annotated with a non-Warp type (`a: list`).
// expect: argument annotations must be Warp types
#include <warpsynth/warpsynth.hpp>
#include <vector>
using namespace warpsynth;
int main() {
#ifdef WARPSYNTH_TWIN
    auto a = arg<array<float_>>("a");
#else
    auto a = arg<std::vector<float>>("a");
#endif
    (void)a;
}
