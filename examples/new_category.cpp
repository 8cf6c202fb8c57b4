// examples/new_category.cpp — a new kernel family in ~40 lines.
//
// The shape is compile-time (a typed description: out[i] = f(a[i] <op> c) * b[i]); the leaves are runtime values
// drawn from a counter-based stream keyed by (seed, index): which additive operator, which math builtin, the
// constant, the names. Any record can be regenerated alone from its (seed, index).
#include <array>
#include <cstdio>
#include <string>

#include <warpsynth/categories/random.hpp>
#include <warpsynth/warpsynth.hpp>

using namespace warpsynth;

// One compile-time shape per math builtin; the runtime picks among them.
template <class F>
syntax::tree damped(F f, std::uint64_t seed, std::uint64_t index) {
    categories::rng r(seed, index);
    auto op = r.coin() ? syntax::op::add : syntax::op::sub;
    double c = static_cast<double>(r.between(1, 64)) / 16.0;  // exact in binary: prints as Python would
    std::string name = "damped_" + std::to_string(index);
    static constexpr std::array<const char*, 3> inputs = {"a", "x", "u"};
    const char* in = inputs[r.next() % inputs.size()];
    auto k = kernel(name, arg<array<float_>>(in), arg<array<float_>>("b"), arg<array<float_>>("out"))(
        [&](auto a, auto b, auto out) {
            local<int_> i("i");
            return body(i = tid(), out[i] = f(binary<additive_ops, decltype(a[i]), float_literal>(op, a[i], lit(c))) * b[i]);
        });
    syntax::tree t;
    k.lower(t);
    return t;
}

syntax::tree make_damped(std::uint64_t seed, std::uint64_t index) {
    switch (index % 3) {
    case 0: return damped(wp::sin, seed, index);
    case 1: return damped(wp::tanh, seed, index);
    default: return damped(wp::exp, seed, index);
    }
}

int main() {
    for (std::uint64_t index = 0; index < 3; ++index) {
        rendered_kernel r;
        render(make_damped(7, index), r);
        std::printf("%s# %s\n\n", r.python_source.c_str(), r.mangled_name.c_str());
    }
}
