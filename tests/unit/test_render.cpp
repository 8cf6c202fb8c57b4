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

TEST_CASE("a reused rendered_kernel holds exactly the last kernel's text") {
    // The functions are written in place over the previous kernel's text (see string_writer): longer, shorter and
    // rejected kernels in turn must each leave exactly their own rendering.
    auto big = kernel("big", arg<array<float_>>("a"), arg<int_>("n"), arg<array<float_>>("out"))(
        [](auto a, auto n, auto out) {
            local<int_> i("i"), k("k");
            local<float_> s("s");
            return body(i = tid(), s = py::float_(0.0), for_(k, range(n))(s += wp::sin(a[k]) * wp::cos(a[k])),
                        if_(s > 1.0)(s = wp::sqrt(s)).else_(s = s * 2.0), out[i] = s);
        });
    auto small = kernel("small", arg<array<float_>>("out"))([](auto out) {
        local<int_> i("i");
        return body(i = tid(), out[i] = 1.0);
    });
    auto rejected = kernel("reject_const_in_loop", arg<array<float_>>("a"), arg<int_>("n"))([](auto a, auto n) {
        local<int_> k("k");
        local<float_> s("s");
        return body(s = 0.0, for_(k, range(n))(s += a[k]));
    });
    const auto fresh_big = render(big), fresh_small = render(small);
    REQUIRE(fresh_big.cuda_backward.size() > fresh_small.cuda_backward.size());
    auto same = [](const rendered_kernel& x, const rendered_kernel& y) {
        return x.python_source == y.python_source && x.mangled_name == y.mangled_name &&
               x.cpu_forward == y.cpu_forward && x.cpu_backward == y.cpu_backward &&
               x.cuda_forward == y.cuda_forward && x.cuda_backward == y.cuda_backward;
    };
    rendered_kernel r;
    syntax::tree t;
    auto into = [&](const auto& k, const render_options& opt = {}) {
        k.lower(t);
        render(t, r, opt);
    };
    into(small);
    CHECK(same(r, fresh_small));
    into(big);
    CHECK(same(r, fresh_big));
    into(small);
    CHECK(same(r, fresh_small));
    into(big, {.cpu = false});
    CHECK(r.cpu_forward.empty());
    CHECK(r.cuda_backward == fresh_big.cuda_backward);
    into(big);
    CHECK_THROWS_AS(into(rejected), ir::rejected);
    CHECK(r.cpu_forward.empty());
    CHECK(r.cuda_backward.empty());
    into(big);
    CHECK(same(r, fresh_big));
}

TEST_CASE("string_writer writes in place, grows, and leaves exactly what was written") {
    std::string s = "previous text that is longer than what comes next";
    {
        string_writer w(s);
        w += "short";
        w.append_uint(42);
    }
    CHECK(s == "short42");
    {
        string_writer w(s);
        for (int i = 0; i < 1000; ++i) w += "0123456789";  // well past the string's previous size
    }
    REQUIRE(s.size() == 10000);
    CHECK(s.substr(9990) == "0123456789");
    { string_writer w(s); }
    CHECK(s.empty());
}
