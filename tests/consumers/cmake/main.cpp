// A warpsynth consumer: renders one small kernel and prints its mangled name (exit 1 if it is not the expected one).
#include <warpsynth/warpsynth.hpp>

#include <cstdio>

using namespace warpsynth;

int main() {
    auto k = kernel("add_arrays", arg<array<float_>>("a"), arg<array<float_>>("b"), arg<array<float_>>("out"))(
        [](auto a, auto b, auto out) {
            local<int_> i("i");
            return body(i = tid(), out[i] = a[i] + b[i]);
        });
    auto r = render(k);
    std::printf("%s\n", r.mangled_name.c_str());
    return r.mangled_name == "add_arrays_44b10dce" ? 0 : 1;
}
