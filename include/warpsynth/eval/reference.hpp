// warpsynth/eval/reference.hpp — the reference result of one launch, computed from the description.
//
// Inputs are drawn from a documented distribution: a category instance's `inputs` (input_spec: a value range per
// argument, array lengths/shapes) and `launch_dim`/`launch_shape`, or, for kernels that are not category
// instances (the golden corpus), `default_distribution` (floats uniform in [0.5, 2], integer arrays uniform in
// {1, 2, 3}, integer scalars 3, bools random / true; arrays of 64, 16x16, 4x4x4 or 3x3x3x3 elements; launches of
// 16, 4x4, 2x3x2 or 2x2x2x2 threads — small enough that computed indices stay in bounds for every golden kernel).
// Draws are a pure function of (seed, index), independent of the category's own random stream.
//
// For that launch the reference holds: the arrays after the forward pass; random loss weights W (uniform in
// [-1, 1], rounded to the dtype) on every float array the kernel writes; and two gradients of
//   L = sum over written float arrays A of <W_A, A after the launch>
// with respect to the initial contents of every float array: `grad_math`, the derivative of the described
// computation (forward-mode, eval/machine.hpp), and `grad_warp`, what Warp's generated backward kernel computes
// when launched on the initial arrays with the gradient arrays seeded with W (the emulation in eval/machine.hpp).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "warpsynth/categories/category.hpp"
#include "warpsynth/eval/machine.hpp"

namespace warpsynth::eval {

// splitmix64 stream for input draws (seeded by (seed, index), salted so it never equals a category's stream)
class draw_rng {
  public:
    draw_rng(std::uint64_t seed, std::uint64_t index) : s_(mix(mix(seed ^ 0x5eed'1a7e'ca5e'f00dull) ^ index)) {}
    std::uint64_t next() { return s_ = mix(s_); }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        if (hi <= lo) return lo;
        return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }

  private:
    static std::uint64_t mix(std::uint64_t x) {
        x += 0x9e3779b97f4a7c15ull;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
        return x ^ (x >> 31);
    }
    std::uint64_t s_;
};

struct default_distribution {
    double float_lo = 0.5, float_hi = 2.0;
    std::int64_t int_lo = 1, int_hi = 3;
    std::int64_t int_scalar = 3;
    std::vector<std::int64_t> array_shape(int ndim) const {
        switch (ndim) {
        case 1: return {64};
        case 2: return {16, 16};
        case 3: return {4, 4, 4};
        default: return {3, 3, 3, 3};
        }
    }
    std::vector<std::int64_t> launch(int dim) const {
        switch (dim) {
        case 1: return {16};
        case 2: return {4, 4};
        case 3: return {2, 3, 2};
        default: return {2, 2, 2, 2};
        }
    }
};

struct reference {
    std::vector<std::int64_t> launch;
    launch_args initial;                         // the inputs
    launch_args final_;                          // after the forward launch
    std::vector<std::vector<double>> weights;    // per array slot: W (float arrays the kernel writes), else empty
    std::vector<std::vector<double>> grad_math;  // per array slot (float arrays): dL/d(initial contents)
    std::vector<std::vector<double>> grad_warp;  // per array slot (float arrays): Warp's backward
    // per array slot: Warp's backward gradient of this array depends on a value its replay never computes (an
    // atomic's result used in a product, ...): C++ reads an uninitialized variable there, so it is not predictable
    std::vector<bool> grad_undefined;
    event_set events;                            // constructs where Warp's gradient convention may differ
    bool unpredictable = false;                  // Warp's backward depends on a value it never computes
    std::string why;
};

namespace reference_detail {
inline void fill(value& v, const wtype& t, double lo, double hi, draw_rng& r) {
    v = value::of(t);
    for (int c = 0; c < v.n; ++c) {
        if (warpsynth::is_float(t.scalar)) {
            v.f[static_cast<std::size_t>(c)] = round_to(t.scalar, lo == hi ? lo : r.uniform(lo, hi));
        } else if (t.scalar == scalar_kind::boolean) {
            v.i[static_cast<std::size_t>(c)] = lo == hi ? (lo != 0) : static_cast<std::int64_t>(r.next() & 1);
        } else {
            auto ilo = static_cast<std::int64_t>(std::ceil(lo)), ihi = static_cast<std::int64_t>(std::floor(hi));
            v.i[static_cast<std::size_t>(c)] = wrap_int(t.scalar, r.between(ilo, ihi));
        }
    }
}
}  // namespace reference_detail

// Draw a launch's arguments. `inst` may be null (defaults everywhere); an argument a category does not document
// gets the defaults too.
inline launch_args draw_inputs(const syntax::tree& t, const categories::instance* inst, std::uint64_t seed,
                               std::uint64_t index, const default_distribution& dflt = {}) {
    draw_rng r(seed, index);
    launch_args a;
    for (auto& arg : t.args) {
        const categories::input_spec* spec = nullptr;
        if (inst)
            for (auto& s : inst->inputs)
                if (s.arg == arg.name) spec = &s;
        const wtype vt = arg.type.value();
        bool fl = warpsynth::is_float(vt.scalar);
        double lo = fl ? dflt.float_lo : static_cast<double>(dflt.int_lo);
        double hi = fl ? dflt.float_hi : static_cast<double>(dflt.int_hi);
        if (spec) {
            lo = spec->lo;
            hi = spec->hi;
        }
        if (arg.type.is_array()) {
            std::vector<std::int64_t> shape;
            if (spec && !spec->dims.empty()) shape = spec->dims;
            else if (spec && spec->length > 0) shape.assign(arg.type.ndim, spec->length);
            else shape = dflt.array_shape(arg.type.ndim);
            if (shape.size() != arg.type.ndim)
                throw eval_error("input spec of '" + arg.name + "' has " + std::to_string(shape.size()) +
                                 " dimensions, the argument " + std::to_string(arg.type.ndim));
            host_array h = host_array::make(arg.type, shape);
            value v;
            for (std::int64_t e = 0; e < h.numel(); ++e) {
                reference_detail::fill(v, vt, lo, hi, r);
                for (int c = 0; c < h.comps; ++c) {
                    std::size_t k = static_cast<std::size_t>(e * h.comps + c);
                    if (h.is_float()) h.f[k] = v.f[static_cast<std::size_t>(c)];
                    else h.i[k] = v.i[static_cast<std::size_t>(c)];
                }
            }
            a.slot.push_back(static_cast<int>(a.arrays.size()));
            a.is_array.push_back(true);
            a.arrays.push_back(std::move(h));
        } else {
            value v;
            if (!spec && !fl) {
                double s = vt.scalar == scalar_kind::boolean ? 1.0 : static_cast<double>(dflt.int_scalar);
                reference_detail::fill(v, vt, s, s, r);
            } else {
                reference_detail::fill(v, vt, lo, hi, r);
            }
            a.slot.push_back(static_cast<int>(a.values.size()));
            a.is_array.push_back(false);
            a.values.push_back(v);
        }
    }
    return a;
}

inline std::vector<std::int64_t> launch_of(const syntax::tree& t, const categories::instance* inst,
                                           const default_distribution& dflt = {}) {
    int dim = machine(t).kernel_dim();
    if (inst) {
        if (!inst->launch_shape.empty()) return inst->launch_shape;
        if (dim == 1) return {inst->launch_dim};
    }
    return dflt.launch(dim);
}

// Loss weights for a launch: uniform in [-1, 1], rounded to the dtype, on every float array the kernel writes
// (empty for the others).
inline std::vector<std::vector<double>> draw_weights(const syntax::tree& t, const launch_args& inputs,
                                                     std::uint64_t seed, std::uint64_t index) {
    draw_rng r(seed ^ 0x3e1647ull, index);
    std::size_t nslots = inputs.arrays.size();
    std::vector<std::vector<double>> w(nslots);
    std::vector<bool> written(nslots, false);
    for (int k : machine(t).written_arrays()) written[static_cast<std::size_t>(inputs.slot[static_cast<std::size_t>(k)])] = true;
    for (std::size_t s = 0; s < nslots; ++s) {
        const auto& a = inputs.arrays[s];
        if (!a.is_float() || !written[s]) continue;
        w[s].resize(a.size());
        for (auto& x : w[s]) x = round_to(a.type.scalar, r.uniform(-1.0, 1.0));
    }
    return w;
}

// Warp's backward launch starts from gradient arrays seeded with W (0 for float arrays without weights).
inline std::vector<std::vector<double>> seed_adjoints(const launch_args& inputs,
                                                      const std::vector<std::vector<double>>& weights) {
    std::vector<std::vector<double>> seed(inputs.arrays.size());
    for (std::size_t s = 0; s < seed.size(); ++s) {
        if (!inputs.arrays[s].is_float()) continue;
        seed[s] = weights[s].empty() ? std::vector<double>(inputs.arrays[s].size(), 0.0) : weights[s];
    }
    return seed;
}

// Forward pass, both gradients (for the given loss weights per array slot), and the events that explain where the
// gradients differ.
inline reference make_reference(const syntax::tree& t, launch_args inputs, std::vector<std::int64_t> launch,
                                std::vector<std::vector<double>> weights, eval_options opt = {}) {
    reference ref;
    ref.launch = std::move(launch);
    ref.initial = inputs;
    machine m(t, opt);
    launch_args work = inputs;
    auto fwd = m.run_forward(work, ref.launch, true);
    ref.final_ = std::move(work);
    std::size_t nslots = inputs.arrays.size();
    weights.resize(nslots);
    ref.weights = std::move(weights);

    // mathematical gradient: sum_j W_j d(out_j)/d(input)
    ref.grad_math.assign(nslots, {});
    for (std::size_t s = 0; s < nslots; ++s)
        if (inputs.arrays[s].is_float()) ref.grad_math[s].assign(inputs.arrays[s].size(), 0.0);
    auto locate_id = [&](std::uint32_t id, std::size_t& slot, std::size_t& comp) {
        for (std::size_t s = 0; s < nslots; ++s) {
            if (!inputs.arrays[s].is_float()) continue;
            std::uint32_t b = fwd.id_base[s];
            if (id >= b && id < b + inputs.arrays[s].size()) {
                slot = s;
                comp = id - b;
                return;
            }
        }
        throw eval_error("internal: tangent id out of range");
    };
    for (std::size_t s = 0; s < nslots; ++s) {
        if (ref.weights[s].empty()) continue;
        for (std::size_t c = 0; c < ref.weights[s].size(); ++c)
            for (auto& [id, d] : fwd.tangents[s][c]) {
                std::size_t slot = 0, comp = 0;
                locate_id(id, slot, comp);
                ref.grad_math[slot][comp] += ref.weights[s][c] * d;
            }
    }

    auto seedadj = seed_adjoints(inputs, ref.weights);
    machine mb(t, opt);
    auto bwd = mb.run_backward(inputs, ref.launch, seedadj);
    ref.grad_warp = std::move(bwd.adjoints);
    // again with uninitialized values poisoned differently (NaN propagates through any arithmetic use)
    machine mp(t, opt);
    auto alt = mp.run_backward(inputs, ref.launch, std::move(seedadj), std::numeric_limits<double>::quiet_NaN(), 7919);
    ref.grad_undefined.assign(nslots, false);
    for (std::size_t s = 0; s < nslots; ++s)
        for (std::size_t c = 0; c < ref.grad_warp[s].size(); ++c)
            if (!(alt.adjoints[s][c] == ref.grad_warp[s][c])) ref.grad_undefined[s] = true;
    ref.events = fwd.events;
    for (auto& e : bwd.events.names) ref.events.add(e);
    ref.unpredictable = bwd.unpredictable;
    ref.why = bwd.why;
    return ref;
}

// How far the results move when every float operation is perturbed by up to `ulps` units in the last place
// (eval_options::perturb_ulps; `runs` runs with different draws): per array slot and component, the largest
// |perturbed - reference| of the arrays after the forward launch and of Warp's backward gradient. A comparison with
// an implementation whose libm, FMA contraction or atomic order differ (the GPU) allows for this much: it is the
// conditioning of the described computation, measured on the description itself. A perturbed run that fails
// (e.g. a perturbed float becomes an out-of-range index) is skipped.
struct sensitivity_t {
    std::vector<std::vector<double>> final_;     // per array slot (float arrays)
    std::vector<std::vector<double>> grad_warp;  // per array slot (float arrays)
};

inline sensitivity_t sensitivity(const syntax::tree& t, const reference& ref, double ulps = 2.0, int runs = 2,
                                 eval_options opt = {}) {
    sensitivity_t out;
    std::size_t nslots = ref.initial.arrays.size();
    out.final_.assign(nslots, {});
    out.grad_warp.assign(nslots, {});
    for (std::size_t s = 0; s < nslots; ++s) {
        if (!ref.initial.arrays[s].is_float()) continue;
        out.final_[s].assign(ref.initial.arrays[s].size(), 0.0);
        out.grad_warp[s].assign(ref.grad_warp[s].size(), 0.0);
    }
    auto seedadj = seed_adjoints(ref.initial, ref.weights);
    auto widen = [](std::vector<double>& acc, const std::vector<double>& got, const std::vector<double>& want) {
        for (std::size_t k = 0; k < acc.size() && k < got.size() && k < want.size(); ++k)
            acc[k] = std::max(acc[k], std::abs(got[k] - want[k]));
    };
    opt.perturb_ulps = ulps;
    for (int r = 0; r < runs; ++r) {
        opt.perturb_seed = 0x5e45'1717'0000ull + static_cast<std::uint64_t>(r);
        try {
            launch_args work = ref.initial;
            machine(t, opt).run_forward(work, ref.launch, false);
            for (std::size_t s = 0; s < nslots; ++s)
                if (work.arrays[s].is_float()) widen(out.final_[s], work.arrays[s].f, ref.final_.arrays[s].f);
        } catch (const eval_error&) {
        }
        try {
            auto bwd = machine(t, opt).run_backward(ref.initial, ref.launch, seedadj);
            for (std::size_t s = 0; s < nslots; ++s) widen(out.grad_warp[s], bwd.adjoints[s], ref.grad_warp[s]);
        } catch (const eval_error&) {
        }
    }
    return out;
}

inline reference make_reference(const syntax::tree& t, launch_args inputs, std::vector<std::int64_t> launch,
                                std::uint64_t seed, std::uint64_t index, eval_options opt = {}) {
    auto w = draw_weights(t, inputs, seed, index);
    return make_reference(t, std::move(inputs), std::move(launch), std::move(w), opt);
}

}  // namespace warpsynth::eval
