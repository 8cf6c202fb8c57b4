// warpsynth/categories/category.hpp — a category is a family of typed kernel descriptions.
//
// Its shapes (expression-tree shapes, statement patterns, dtypes) are compile-time: each shape is one typed
// description template. An instance picks a shape and fills the leaves (operators of a typing family, literal
// values, names, loop bounds) from the record's random stream, then lowers into a syntax tree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "warpsynth/categories/random.hpp"
#include "warpsynth/syntax/tree.hpp"

namespace warpsynth::categories {

// The documented input distribution of one kernel argument: the executor draws inputs from it, and the category
// guarantees the kernel is numerically safe (no NaN/Inf, no out-of-bounds index, no overflow) for such inputs.
struct input_spec {
    std::string arg;
    double lo = 0.0, hi = 0.0;  // value range of a scalar or of every array element/component
    std::int64_t length = 0;    // arrays: elements per dimension the launch needs (0 for scalars)
    // Arrays whose dimensions differ: the exact shape (outermost first). Empty: `length` in every dimension.
    std::vector<std::int64_t> dims = {};
};

struct instance {
    syntax::tree tree;
    std::string description;  // one line: what the kernel computes
    std::string shape;        // which compile-time shape was instantiated, e.g. "binary_chain/3/float32"
    std::vector<input_spec> inputs;
    std::int64_t launch_dim = 64;  // threads per launch dimension
    // Multi-dimensional launches: threads per dimension (outermost first), e.g. {16, 8} for `i, j = wp.tid()`.
    // Empty: a 1-D launch of `launch_dim` threads.
    std::vector<std::int64_t> launch_shape = {};

    // Ready for the next record, keeping the buffers' capacity. The tree is left to the lowering that refills it:
    // lowering clears it first and reuses its argument strings, which `tree.clear()` would free.
    void reset() {
        description.clear();
        shape.clear();
        inputs.clear();
        launch_dim = 64;
        launch_shape.clear();
    }
};

// Build the instance for (seed, index) of this category into `out` (its tree is cleared first).
using generator = void (*)(std::uint64_t seed, std::uint64_t index, instance& out);

struct category {
    std::string_view name;
    std::string_view summary;
    generator make;
};

}  // namespace warpsynth::categories
