// Rendering properties that the golden corpus does not pin down on its own.
#include <doctest/doctest.h>

#include <warpsynth/warpsynth.hpp>

using namespace warpsynth;

TEST_CASE("a constant mutated in a dynamic loop is rejected with Warp's message") {
    auto k = kernel("reject_const_in_loop", arg<array<float_>>("a"), arg<int_>("n"), arg<array<float_>>("out"))(
        [](auto a, auto n, auto out) {
            local<int_> i("i"), k("k");
            local<float_> s("s");
            return body(i = tid(), s = 0.0, for_(k, range(n))(s += a[k]), out[i] = s);
        });
    CHECK_THROWS_WITH_AS(render(k), doctest::Contains("Error mutating a constant s inside a dynamic loop"),
                         ir::rejected);
}

TEST_CASE("the same loop over a declared (non-constant) local renders") {
    auto k = kernel("const_ok", arg<array<float_>>("a"), arg<int_>("n"), arg<array<float_>>("out"))(
        [](auto a, auto n, auto out) {
            local<int_> i("i"), k("k");
            local<float_> s("s");
            return body(i = tid(), s = py::float_(0.0), for_(k, range(n))(s += a[k]), out[i] = s);
        });
    auto r = render(k);
    CHECK(r.cpu_forward.find("wp::assign(") != std::string::npos);
    CHECK(r.cuda_backward.find("\tgoto start_for_0;") != std::string::npos);
}

TEST_CASE("python renderer: precedence, explicit parentheses, power hugging, long signatures") {
    auto k = kernel("p", arg<array<float_>>("a"), arg<float_>("x"))([](auto a, auto x) {
        local<int_> i("i");
        local<float_> y("y");
        return body(i = tid(), y = (x + 1.0) * paren(x * 2.0) - -x, y = power(x, 2.0) + power(a[i], 2.0),
                    a[i] = ternary(x > 0.0 && !(x > 1.0), y, x));
    });
    auto py = render(k, {.cpu = false, .cuda = false}).python_source;
    CHECK(py.find("    y = (x + 1.0) * (x * 2.0) - -x\n") != std::string::npos);
    CHECK(py.find("    y = x**2.0 + a[i] ** 2.0\n") != std::string::npos);
    CHECK(py.find("    a[i] = y if x > 0.0 and not x > 1.0 else x\n") != std::string::npos);

    auto long_sig = kernel("a_kernel_with_a_long_signature", arg<array<float_>>("first_input"),
                           arg<array<float_>>("second_input"), arg<array<float_>>("output"))(
        [](auto a, auto, auto out) {
            local<int_> i("i");
            return body(i = tid(), out[i] = a[i]);
        });
    auto py2 = render(long_sig, {.cpu = false, .cuda = false}).python_source;
    CHECK(py2.find("def a_kernel_with_a_long_signature(\n    first_input: wp.array(dtype=float),\n") !=
          std::string::npos);
    CHECK(py2.find("    output: wp.array(dtype=float),\n):\n") != std::string::npos);
}

TEST_CASE("renderings are deterministic and device bodies agree") {
    auto k = kernel("det", arg<array<vec3>>("v"), arg<array<float_>>("out"))([](auto v, auto out) {
        local<int_> i("i");
        return body(i = tid(), out[i] = wp::length(v[i]) + v[i].x());
    });
    auto a = render(k), b = render(k);
    CHECK(a.cpu_forward == b.cpu_forward);
    CHECK(a.cuda_backward == b.cuda_backward);
    CHECK(a.mangled_name == b.mangled_name);
    CHECK(a.cpu_forward.find("wp::extract(") != std::string::npos);
}
