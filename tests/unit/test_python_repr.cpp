#include <doctest/doctest.h>

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
