// warpsynth/categories/registry.hpp — every built-in category, in a fixed order (record index k of an
// all-category run belongs to all()[k % all().size()]).
#pragma once

#include <vector>

#include "warpsynth/categories/category.hpp"
#include "warpsynth/categories/arithmetic.hpp"
#include "warpsynth/categories/math.hpp"
#include "warpsynth/categories/control_flow.hpp"
#include "warpsynth/categories/vector.hpp"
#include "warpsynth/categories/matrix.hpp"
#include "warpsynth/categories/atomic.hpp"
#include "warpsynth/categories/indexing.hpp"
#include "warpsynth/categories/casts.hpp"
#include "warpsynth/categories/mixed.hpp"

namespace warpsynth::categories {

inline const std::vector<category>& all() {
    static const std::vector<category> list = {
        {"arithmetic", "scalar arithmetic expressions, accumulations and local sequences over float/int dtypes",
         &make_arithmetic},
        {"math", "compositions of Warp's math builtins with domain-safe arguments", &make_math},
        {"control_flow", "branches, loops (unrolled, dynamic, while), break/continue, boolean logic",
         &make_control_flow},
        {"vector", "vec2/vec3/vec4/vec3d arithmetic, products, lengths, components and constructors", &make_vector},
        {"matrix", "matrices (products, inverse, determinant, elements), quaternions and transforms", &make_matrix},
        {"atomic", "atomic reductions, histograms, bucketed/2-D/vector scatters, returned values", &make_atomic},
        {"indexing", "2-D/3-D launches and arrays, stencils, strided/offset/modular/gathered indices",
         &make_indexing},
        {"casts", "dtype conversions: float64/float16/int64/unsigned/8-16-bit kernels, rounding, bool()",
         &make_casts},
        {"mixed", "kernels composing several categories (5-20 statements)", &make_mixed},
    };
    return list;
}

}  // namespace warpsynth::categories
