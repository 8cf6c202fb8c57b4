// examples/driver/categories.cpp — the one translation unit that compiles the category registry (catalog.hpp).
#include <warpsynth/categories/registry.hpp>

#include "catalog.hpp"

namespace warpsynth::driver {

const std::vector<categories::category>& all_categories() { return categories::all(); }

}  // namespace warpsynth::driver
