// tests/conformance/conformance.cpp — every golden kernel, re-expressed in the DSL, must render byte-identical to
// Warp v1.16.0: Python text, mangled name, and the CPU/CUDA forward/backward functions.
//
// Usage: conformance GOLDEN_DIR. Exits 77 (meson: skipped) when GOLDEN_DIR is absent.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <warpsynth/util/json.hpp>
#include <warpsynth/warpsynth.hpp>

#include "golden_registry.hpp"

namespace {

// The first differing line of two texts, for a readable failure report.
void report_diff(const std::string& name, const std::string& field, const std::string& want, const std::string& got) {
    std::istringstream a(want), b(got);
    std::string la, lb;
    int line = 0;
    while (true) {
        bool ha = static_cast<bool>(std::getline(a, la));
        bool hb = static_cast<bool>(std::getline(b, lb));
        ++line;
        if (!ha && !hb) break;
        if (!ha || !hb || la != lb) {
            std::printf("  MISMATCH %s.%s line %d\n    golden: %s\n    ours:   %s\n", name.c_str(), field.c_str(), line,
                        ha ? la.c_str() : "<end>", hb ? lb.c_str() : "<end>");
            return;
        }
    }
    std::printf("  MISMATCH %s.%s (line endings)\n", name.c_str(), field.c_str());
}

std::string field(const warpsynth::json::value& v, const char* key) {
    auto* f = v.find(key);
    return f && f->type == warpsynth::json::value::kind::string ? f->str : std::string();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: conformance GOLDEN_DIR\n");
        return 2;
    }
    std::filesystem::path dir = argv[1];
    if (!std::filesystem::exists(dir / "README.md")) {
        std::printf("skipped: golden corpus not found at %s\n", dir.c_str());
        return 77;
    }
    golden_registry reg;
    golden_all(reg);

    const char* topics[] = {"arithmetic", "atomic", "control_flow", "indexing", "math",
                            "matrix",     "misc",   "types",        "vector"};
    int total = 0, identical = 0;
    for (auto topic : topics) {
        std::ifstream in(dir / (std::string(topic) + ".jsonl"));
        std::string line;
        int t_total = 0, t_ok = 0;
        while (std::getline(in, line)) {
            warpsynth::json::parse_error err;
            auto rec = warpsynth::json::parser(line).parse(err);
            if (!rec) {
                std::printf("  bad golden record in %s: %s\n", topic, err.message.c_str());
                continue;
            }
            ++t_total;
            auto name = field(*rec, "name");
            auto it = reg.kernels.find(name);
            if (it == reg.kernels.end()) {
                std::printf("  MISSING %s (not re-expressed in the DSL)\n", name.c_str());
                continue;
            }
            warpsynth::rendered_kernel r;
            try {
                warpsynth::render(it->second, r);
            } catch (const std::exception& e) {
                std::printf("  ERROR %s: %s\n", name.c_str(), e.what());
                continue;
            }
            bool ok = true;
            auto check = [&](const char* key, const std::string& ours) {
                auto* f = rec->find(key);
                std::string want = f && f->type == warpsynth::json::value::kind::string ? f->str : std::string();
                if (want != ours) {
                    if (ok) report_diff(name, key, want, ours);
                    ok = false;
                }
            };
            check("python_source", r.python_source);
            check("mangled_name", r.mangled_name);
            check("cpu_forward", r.cpu_forward);
            check("cpu_backward", r.cpu_backward);
            check("cuda_forward", r.cuda_forward);
            check("cuda_backward", r.cuda_backward);
            if (ok) ++t_ok;
        }
        std::printf("%-13s %3d/%3d\n", topic, t_ok, t_total);
        total += t_total;
        identical += t_ok;
    }
    std::printf("golden conformance: %d/%d byte-identical\n", identical, total);
    return identical == total && total > 0 ? 0 : 1;
}
