// warpsynth/categories/arithmetic.hpp — PLACEHOLDER category (to be replaced by the real family): out[i] = a[i] op c.
#pragma once

#include <string>

#include "warpsynth/categories/category.hpp"
#include "warpsynth/warpsynth.hpp"

namespace warpsynth::categories {

inline void make_arithmetic(std::uint64_t seed, std::uint64_t index, instance& out) {
    rng r(seed, index);
    double c = static_cast<double>(r.between(1, 1000)) / 8.0;
    static const syntax::op ops[] = {syntax::op::add, syntax::op::sub};
    auto op = ops[r.next() % 2];
    static thread_local std::string name;
    name = "arithmetic_" + std::to_string(index);
    auto k = kernel(name, arg<array<float_>>("a"), arg<array<float_>>("out"))([&](auto a, auto o) {
        local<int_> i("i");
        return body(i = tid(), o[i] = binary<additive_ops, decltype(a[i]), float_literal>(op, a[i], lit(c)));
    });
    k.lower(out.tree);
    out.description = "out[i] = a[i] +/- constant";
    out.shape = "placeholder";
    out.inputs = {{"a", -1.0, 1.0, 64}, {"out", 0.0, 0.0, 64}};
    out.launch_dim = 64;
}

}  // namespace warpsynth::categories
