// examples/driver/catalog.hpp — the categories the driver knows: warpsynth::categories::all(), compiled once.
//
// The registry instantiates every category's typed shapes and dominates build time (about a minute per
// translation unit), so only categories.cpp includes it; the driver, its tests, the fuzzer and the benchmark link
// that one object.
#pragma once

#include <vector>

#include <warpsynth/categories/category.hpp>

namespace warpsynth::driver {

const std::vector<categories::category>& all_categories();

}  // namespace warpsynth::driver
