// The doctest runner's main, in its own static library: it is the slow part to compile.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
