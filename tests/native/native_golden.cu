// tests/native/native_golden.cu — typed descriptions compiled by nvcc as native CUDA kernels (warpsynth/native.hpp):
// the 188 golden kernels and the evaluator's validation kernels (tests/eval/extra_kernels.cpp), run on the GPU and
// compared with the host evaluator (warpsynth/eval/) on the same inputs.
//
// The rendered IR is checked against the same evaluator by `warpsynth launch` (GPU) and tools/execute_check.py
// (CPU), so agreement here closes the loop Python text == IR text == description semantics with a second,
// independent execution of the description on the GPU. Forward pass only.
//
// Each kernel runs twice: its threads one after the other in index order (the evaluator's order; every kernel must
// agree) and as an ordinary parallel launch (every kernel must agree but the few whose result depends on thread
// order by design, listed below).
// Exit codes: 0 all agree, 1 a disagreement or a CUDA error, 77 (meson: skipped) no CUDA device.
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <warpsynth/eval/comparison.hpp>
#include <warpsynth/eval/encoding.hpp>
#include <warpsynth/eval/reference.hpp>
#include <warpsynth/eval/tolerance.hpp>

#include "../conformance/golden_registry.hpp"

using namespace warpsynth;

void eval_extra_kernels(golden_registry&);  // tests/eval/extra_kernels.cpp

namespace {

std::size_t arrays_compared = 0, components_compared = 0;

struct device_buffer {
    void* p = nullptr;
    ~device_buffer() {
        if (p) cudaFree(p);
    }
};

// Runs one kernel natively on the reference's inputs; "" if every array ends as the evaluator says.
std::string check(const syntax::tree& t, const golden_registry::native_launch& launch, native::order order) {
    auto inputs = eval::draw_inputs(t, nullptr, 1, 0);
    auto ref = eval::make_reference(t, inputs, eval::launch_of(t, nullptr), 1, 0);
    native::binder b;
    std::vector<device_buffer> buffers(t.args.size());
    for (std::size_t k = 0; k < t.args.size(); ++k) {
        native::argument a;
        a.name = t.args[k].name;
        auto slot = static_cast<std::size_t>(ref.initial.slot[k]);
        if (ref.initial.is_array[k]) {
            const auto& h = ref.initial.arrays[slot];
            std::vector<std::byte> bytes(h.size() * eval::scalar_bytes(h.type.scalar));
            eval::encode_array(bytes.data(), h);
            if (auto e = cudaMalloc(&buffers[k].p, bytes.size() + 16); e != cudaSuccess) return cudaGetErrorString(e);
            cudaMemcpy(buffers[k].p, bytes.data(), bytes.size(), cudaMemcpyHostToDevice);
            a.is_array = true;
            a.data = buffers[k].p;
            for (std::size_t d = 0; d < h.shape.size(); ++d) a.shape[d] = static_cast<int>(h.shape[d]);
        } else {
            eval::encode_value(reinterpret_cast<std::byte*>(a.bytes), ref.initial.values[slot]);
        }
        b.args.push_back(a);
    }
    if (auto error = launch(b, ref.launch, order); !error.empty()) return error;
    eval::comparison cmp;
    for (std::size_t k = 0; k < t.args.size(); ++k) {
        if (!ref.initial.is_array[k]) continue;
        const auto& want = ref.final_.arrays[static_cast<std::size_t>(ref.initial.slot[k])];
        std::vector<std::byte> got(want.size() * eval::scalar_bytes(want.type.scalar));
        if (auto e = cudaMemcpy(got.data(), buffers[k].p, got.size(), cudaMemcpyDeviceToHost); e != cudaSuccess)
            return cudaGetErrorString(e);
        std::string where = "array `" + t.args[k].name + "`";
        if (want.is_float())
            cmp.close(where, eval::decode_floats(got.data(), want.type.scalar, want.size()), want.f,
                      eval::forward_tolerance(want.type.scalar));
        else
            cmp.exact(where, eval::decode_ints(got.data(), want.type.scalar, want.size()), want.i);
        if (!cmp.problems.empty()) return cmp.problems.front();
        ++arrays_compared;
        components_compared += want.size();
    }
    return "";
}

// Kernels whose result depends on the order of their threads by design (they validate the evaluator's sequential
// semantics on the CPU): every thread stores last[k]; atomics of different operators (&, |, ^) meet on o[0].
// They must agree with the evaluator when their threads run in index order; in parallel they may not.
const std::set<std::string> order_dependent = {"ev_loop_atomics_stores", "ev_bitwise_atomics"};

// Which descriptions can run natively is decided at compile time: a string constant has no device value.
static_assert(!native::supported<literal<types::string()>> && native::supported<literal<f32_t>>);

}  // namespace

int main() {
    golden_registry g;
    golden_all(g);
    std::size_t golden = g.kernels.size();
    eval_extra_kernels(g);
    std::vector<std::string> not_native;
    for (auto& [name, tree] : g.kernels)
        if (!g.native.count(name)) not_native.push_back(name);
    std::printf("native kernels: %zu of %zu descriptions (%zu golden, %zu evaluator validation) instantiated by nvcc\n",
                g.native.size(), g.kernels.size(), golden, g.kernels.size() - golden);
    if (!not_native.empty()) {
        std::printf("no native image (a node the device images do not cover):");
        for (auto& n : not_native) std::printf(" %s", n.c_str());
        std::printf("\n");
    }
    int devices = 0;
    if (auto e = cudaGetDeviceCount(&devices); e != cudaSuccess || devices == 0) {
        std::printf("skipped: no CUDA device (%s)\n", e != cudaSuccess ? cudaGetErrorString(e) : "none found");
        return 77;
    }
    cudaDeviceProp prop{};
    cudaGetDeviceProperties(&prop, 0);
    // Every kernel twice: threads in index order (the evaluator's order), then a parallel launch.
    int agree_sequential = 0, agree_parallel = 0;
    std::vector<std::string> failures, tolerated;
    for (auto& [name, launch] : g.native) {
        for (auto order : {native::order::sequential, native::order::parallel}) {
            std::string why;
            try {
                why = check(g.kernels.at(name), launch, order);
            } catch (const std::exception& e) {
                why = std::string("evaluator: ") + e.what();
            }
            bool parallel = order == native::order::parallel;
            std::string what = name + (parallel ? " (parallel): " : " (sequential): ") + why;
            if (why.empty()) ++(parallel ? agree_parallel : agree_sequential);
            else if (parallel && order_dependent.count(name)) tolerated.push_back(what);
            else failures.push_back(what);
        }
    }
    for (auto& f : tolerated) std::printf("differs in parallel, as its thread order allows: %s\n", f.c_str());
    for (auto& f : failures) std::printf("DISAGREE %s\n", f.c_str());
    std::printf("compared %zu arrays (%zu components) after the launches\n", arrays_compared, components_compared);
    std::printf("native vs evaluator on %s: threads in index order %d/%zu agree; parallel %d/%zu agree (%zu "
                "thread-order-dependent kernels may differ: %zu did)\n",
                prop.name, agree_sequential, g.native.size(), agree_parallel, g.native.size(), order_dependent.size(),
                tolerated.size());
    return failures.empty() ? 0 : 1;
}
