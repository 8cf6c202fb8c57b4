// warpsynth/eval/comparison.hpp — comparing what an executed kernel computed with the reference, array by array.
//
// A float value passes when |got - ref| <= atol * scale + rtol * |ref| (scale = max(1, max |ref| over the array),
// tolerance.hpp's table), plus an optional per-value allowance; NaN/Inf fails; integers must match exactly. Used by
// every launcher: `warpsynth launch` (examples/driver/launch.hpp) and the native kernels' test.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "warpsynth/eval/tolerance.hpp"

namespace warpsynth::eval {

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

}  // namespace warpsynth::eval
