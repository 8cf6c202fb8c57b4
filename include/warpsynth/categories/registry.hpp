// warpsynth/categories/registry.hpp — every built-in category, in a fixed order (record index k of an
// all-category run belongs to all()[k % all().size()]).
#pragma once

#include <vector>

#include "warpsynth/categories/category.hpp"
#include "warpsynth/categories/arithmetic.hpp"

namespace warpsynth::categories {

inline const std::vector<category>& all() {
    static const std::vector<category> list = {
        {"arithmetic", "scalar arithmetic expression chains over float/int arrays", &make_arithmetic},
    };
    return list;
}

}  // namespace warpsynth::categories
