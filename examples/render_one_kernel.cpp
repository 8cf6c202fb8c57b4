// examples/render_one_kernel.cpp — write one kernel by hand, get its Warp Python and the IR Warp generates.
#include <cstdio>

#include <warpsynth/warpsynth.hpp>

using namespace warpsynth;

int main() {
    // @wp.kernel
    // def saxpy(alpha: float, x: wp.array(dtype=float), y: wp.array(dtype=float)):
    //     i = wp.tid()
    //     y[i] = alpha * x[i] + y[i]
    auto saxpy = kernel("saxpy", arg<float_>("alpha"), arg<array<float_>>("x"), arg<array<float_>>("y"))(
        [](auto alpha, auto x, auto y) {
            local<int_> i("i");
            return body(i = tid(), y[i] = alpha * x[i] + y[i]);
        });

    rendered_kernel r = render(saxpy);
    std::printf("%s\n%s\n%s", r.python_source.c_str(), r.mangled_name.c_str(), r.cpu_forward.c_str());
}
