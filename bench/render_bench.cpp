// bench/render_bench.cpp — rendering throughput for a ~10-statement kernel: Python + all four IR functions.
//
// Target (issue 2): >= 200,000 kernels/s on one core; Warp's own code generator does ~180 kernels/s here.
// Reported as items/s (kernels/s). Four stages are timed separately: lowering the typed description into the
// syntax tree, rendering Python + hash only, Python + hash + the Adjoint builder, and the full render.
#include <benchmark/benchmark.h>

#include <warpsynth/warpsynth.hpp>

using namespace warpsynth;

namespace {

// Ten statements: tid, loads, math builtins, a branch, a dynamic loop and stores.
auto ten_statement_kernel() {
    return kernel("bench_kernel", arg<array<float_>>("a"), arg<array<float_>>("b"), arg<float_>("alpha"),
                  arg<int_>("n"), arg<array<float_>>("out"))([](auto a, auto b, auto alpha, auto n, auto out) {
        local<int_> i("i"), k("k");
        local<float_> x("x"), y("y"), s("s");
        return body(i = tid(),                                   //
                    x = a[i] * alpha + b[i],                     //
                    y = wp::sin(x) * wp::cos(x) + 0.5,           //
                    s = py::float_(0.0),                         //
                    for_(k, range(n))(s += a[k] * y),            //
                    if_(s > 1.0)(s = wp::sqrt(s)).else_(s = s * 2.0),  //
                    y = wp::max(y, s),                           //
                    out[i] = x + y * s,                          //
                    wp::atomic_add(out, 0, y),                   //
                    b[i] = wp::abs(x - y));
    });
}

void BM_lower(benchmark::State& st) {
    auto k = ten_statement_kernel();
    syntax::tree t;
    for (auto _ : st) {
        k.lower(t);
        benchmark::DoNotOptimize(t.nodes.data());
    }
    st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_lower);

void BM_python_and_hash(benchmark::State& st) {
    auto k = ten_statement_kernel();
    syntax::tree t;
    k.lower(t);
    rendered_kernel r;
    for (auto _ : st) {
        render(t, r, {.cpu = false, .cuda = false});
        benchmark::DoNotOptimize(r.mangled_name.data());
    }
    st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_python_and_hash);

// Python + hash + the Adjoint builder (every IR line written once into its arena), without formatting the
// declarations or assembling the four functions: what any output contract must pay at least.
void BM_python_hash_and_builder(benchmark::State& st) {
    auto k = ten_statement_kernel();
    syntax::tree t;
    k.lower(t);
    rendered_kernel r;
    source_map map;
    ir::adjoint adj;
    for (auto _ : st) {
        r.python_source.clear();
        render_python(t, r.python_source, &map);
        mangled_name(t, map.function_source(), r.mangled_name);
        ir::emitter e(adj, t, map);
        e.build();
        benchmark::DoNotOptimize(adj.arena.data());
    }
    st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_python_hash_and_builder);

void BM_full_render(benchmark::State& st) {
    auto k = ten_statement_kernel();
    syntax::tree t;
    rendered_kernel r;
    std::size_t bytes = 0;
    for (auto _ : st) {
        k.lower(t);
        render(t, r);
        bytes += r.python_source.size() + r.cpu_forward.size() + r.cpu_backward.size() + r.cuda_forward.size() +
                 r.cuda_backward.size();
    }
    st.SetItemsProcessed(st.iterations());
    st.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    st.counters["warp_codegen_ratio"] =
        benchmark::Counter(static_cast<double>(st.iterations()) / 180.0, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_full_render);

}  // namespace

BENCHMARK_MAIN();
