// examples/driver/launch_compare.hpp — comparing what a launched kernel computed with the description's reference.
//
// The tolerances are include/warpsynth/eval/tolerance.hpp's (shared with tools/execute_check.py, the CPU check);
// the verdicts are the CPU check's (tests/eval/README.md explains both).
//
// On the GPU the same IR runs with other math functions (libdevice: up to 2 ulp where glibc is within 1), FMA
// contraction and another atomic order, so an ill-conditioned computation (sin of a large argument, a sum with
// cancellation) can move further than a few ulps of its result. The GPU comparison therefore also allows
// `gpu_slack_factor` times the description's own sensitivity: how far each value moves when every float operation
// of the description is perturbed by up to `gpu_perturb_ulps` ulps (eval::sensitivity, two runs).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <warpsynth/eval/tolerance.hpp>

namespace warpsynth::driver {

using eval::backward_tolerance;
using eval::forward_tolerance;
using eval::least_precise;
using eval::tolerance;

inline constexpr double gpu_perturb_ulps = 2.0;
inline constexpr double gpu_slack_factor = 4.0;

// Accumulates one record's comparisons: the largest errors, how much of the tolerance was used, and the first
// few differences of each array (with their positions) as readable problems.
class comparison {
  public:
    // `slack` (optional, per value): an absolute allowance on top of the tolerance.
    void close(const std::string& where, const std::vector<double>& got, const std::vector<double>& ref, tolerance tol,
               const std::vector<double>* slack = nullptr) {
        if (!same_length(where, got.size(), ref.size())) return;
        double scale = 1.0;
        for (double r : ref)
            if (std::isfinite(r)) scale = std::max(scale, std::abs(r));
        std::size_t bad = 0;
        for (std::size_t k = 0; k < got.size(); ++k) {
            double g = got[k], r = ref[k];
            if (!std::isfinite(g) || !std::isfinite(r)) {
                if (bad++ < 3) problem(where, k, g, r, " (NaN/Inf)");
                continue;
            }
            double err = std::abs(g - r), allowed = tol.atol * scale + tol.rtol * std::abs(r);
            if (err > allowed && slack && k < slack->size()) {
                allowed += (*slack)[k];
                if (err <= allowed) needed_slack = true;
            }
            max_abs = std::max(max_abs, err);
            if (r != 0) max_rel = std::max(max_rel, err / std::abs(r));
            used = std::max(used, err / allowed);
            if (err > allowed && bad++ < 3) problem(where, k, g, r, "");
        }
        if (bad > 3) problems.push_back(where + ": " + std::to_string(bad) + " values differ in total");
    }

    void exact(const std::string& where, const std::vector<std::int64_t>& got, const std::vector<std::int64_t>& ref) {
        if (!same_length(where, got.size(), ref.size())) return;
        std::size_t bad = 0;
        for (std::size_t k = 0; k < got.size(); ++k)
            if (got[k] != ref[k] && bad++ < 3)
                problems.push_back(where + "[" + std::to_string(k) + "]: got " + std::to_string(got[k]) + ", reference " +
                                   std::to_string(ref[k]));
        if (bad > 3) problems.push_back(where + ": " + std::to_string(bad) + " values differ in total");
    }

    double max_abs = 0.0, max_rel = 0.0, used = 0.0;
    bool needed_slack = false;  // some value passed only thanks to its sensitivity allowance
    std::vector<std::string> problems;

  private:
    bool same_length(const std::string& where, std::size_t got, std::size_t ref) {
        if (got == ref) return true;
        problems.push_back(where + ": " + std::to_string(got) + " values, reference has " + std::to_string(ref));
        return false;
    }
    void problem(const std::string& where, std::size_t k, double g, double r, const char* why) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "[%zu]: got %.9g, reference %.9g%s", k, g, r, why);
        problems.push_back(where + buf);
    }
};

}  // namespace warpsynth::driver
