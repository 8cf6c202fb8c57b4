#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include <warpsynth/util/python_repr.hpp>

using warpsynth::python_float_repr;

TEST_CASE("floats print as Python's str()") {
    CHECK(python_float_repr(0.0) == "0.0");
    CHECK(python_float_repr(-0.0) == "-0.0");
    CHECK(python_float_repr(2.0) == "2.0");
    CHECK(python_float_repr(1e-3) == "0.001");
    CHECK(python_float_repr(1e-4) == "0.0001");
    CHECK(python_float_repr(1e-5) == "1e-05");
    CHECK(python_float_repr(2.5e-7) == "2.5e-07");
    CHECK(python_float_repr(3.14159265) == "3.14159265");
    CHECK(python_float_repr(1e15) == "1000000000000000.0");
    CHECK(python_float_repr(1e16) == "1e+16");
    CHECK(python_float_repr(0.1) == "0.1");
    CHECK(python_float_repr(123456789012345678.0) == "1.2345678901234568e+17");
}

TEST_CASE("float repr: extremes, and Python's rules on a million random doubles") {
    CHECK(python_float_repr(5e-324) == "5e-324");
    CHECK(python_float_repr(-1.7976931348623157e308) == "-1.7976931348623157e+308");
    CHECK(python_float_repr(9.999e-5) == "9.999e-05");
    CHECK(python_float_repr(1e22) == "1e+22");
    CHECK(python_float_repr(1.0 / 0.0) == "inf");
    CHECK(python_float_repr(-1.0 / 0.0) == "-inf");
    CHECK(python_float_repr(0.0 / 0.0) == "nan");
    // For any finite x: it reads back as x (round trip); scientific exactly when |x| < 1e-4 or |x| >= 1e16 (x != 0),
    // with a signed exponent of at least two digits; otherwise fixed with a point; never longer than the bound.
    std::uint64_t state = 0x9e3779b97f4a7c15u;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    int failures = 0;
    for (int i = 0; i < 1000000 && failures < 5; ++i) {
        std::uint64_t bits = next();
        double x;
        std::memcpy(&x, &bits, sizeof x);
        if (i % 2) x = std::ldexp(static_cast<double>(bits % 100000) / 997.0, static_cast<int>(bits >> 58) - 32);
        if (!std::isfinite(x)) continue;
        auto s = python_float_repr(x);
        bool ok = s.size() <= warpsynth::python_float_repr_max && std::strtod(s.c_str(), nullptr) == x;
        auto e = s.find('e');
        bool sci = x != 0 && (std::fabs(x) < 1e-4 || std::fabs(x) >= 1e16);
        ok = ok && (e != std::string::npos) == sci;
        if (sci) ok = ok && (s[e + 1] == '-' || s[e + 1] == '+') && s.size() - e - 2 >= 2;
        else ok = ok && s.find('.') != std::string::npos;
        if (!ok) {
            ++failures;
            MESSAGE(x, " -> ", s);
        }
    }
    CHECK(failures == 0);
}
