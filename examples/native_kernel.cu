// examples/native_kernel.cu — run a typed kernel description itself as a CUDA kernel (nvcc), no rendered text.
//
// Build: nvcc -std=c++20 --expt-relaxed-constexpr -arch=sm_90 -I include examples/native_kernel.cu -lnettle
// Without a CUDA device it says so and exits 77 (meson: skipped).
#include <cstdio>
#include <vector>

#include <warpsynth/native.hpp>

using namespace warpsynth;

int main() {
    // @wp.kernel
    // def saxpy(alpha: float, x: wp.array(dtype=float), y: wp.array(dtype=float)):
    //     i = wp.tid()
    //     if x[i] > 2.0:
    //         y[i] = alpha * x[i] + y[i]
    //     else:
    //         y[i] = 0.0 - y[i]
    auto saxpy = kernel("saxpy", arg<float_>("alpha"), arg<array<float_>>("x"), arg<array<float_>>("y"))(
        [](auto alpha, auto x, auto y) {
            local<int_> i("i");
            return body(i = tid(), if_(x[i] > 2.0)(y[i] = alpha * x[i] + y[i]).else_(y[i] = 0.0 - y[i]));
        });
    static_assert(native::runs_natively<decltype(saxpy)>);

    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
        std::printf("skipped: no CUDA device\n");
        return 77;
    }
    const int n = 6;
    std::vector<float> x = {0, 1, 2, 3, 4, 5}, y(n, 1.0f);
    float *d_x = nullptr, *d_y = nullptr;
    cudaMalloc(&d_x, n * sizeof(float));
    cudaMalloc(&d_y, n * sizeof(float));
    cudaMemcpy(d_x, x.data(), n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(d_y, y.data(), n * sizeof(float), cudaMemcpyHostToDevice);

    native::binder b;  // arguments by name: device arrays (pointer, shape) and values (their bytes)
    b.args.push_back({"x", true, d_x, {n}});
    b.args.push_back({"y", true, d_y, {n}});
    native::argument alpha{"alpha"};
    float two = 2.0f;
    std::memcpy(alpha.bytes, &two, sizeof two);
    b.args.push_back(alpha);

    std::string error = native::launch(saxpy, b, {n});  // "" or what went wrong; waits for the kernel
    cudaMemcpy(y.data(), d_y, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d_x);
    cudaFree(d_y);
    if (!error.empty()) {
        std::printf("error: %s\n", error.c_str());
        return 1;
    }
    for (int k = 0; k < n; ++k) std::printf("y[%d] = %g\n", k, y[k]);
}
