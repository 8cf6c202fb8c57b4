// examples/compile_time_check.cpp — an ill-typed kernel does not compile, and the message says why.
//
// Warp has no implicit promotion: a float array element plus the int literal 1 is rejected by Warp at codegen
// time ("Input types must be the same"). warpsynth rejects it when *your* program compiles. Build with
// -DWARPSYNTH_SHOW_ERROR to see the diagnostic (the test suite does, and checks its text).
#include <cstdio>

#include <warpsynth/warpsynth.hpp>

using namespace warpsynth;

int main() {
    auto k = kernel("add_one", arg<array<float_>>("a"), arg<array<float_>>("out"))([](auto a, auto out) {
        local<int_> i("i");
#ifdef WARPSYNTH_SHOW_ERROR
        return body(i = tid(), out[i] = a[i] + 1);  // error: Input types must be the same
#else
        return body(i = tid(), out[i] = a[i] + 1.0);  // a float literal: fine
#endif
    });
    std::printf("%s", render(k).python_source.c_str());
}
