// bench/driver_bench.cpp — throughput of the `warpsynth generate` driver (examples/driver/).
//
//   driver_bench [-n RECORDS] [--dir SCRATCH] [--threads 1,2,4,...]
//
// Prints, for -d both over all categories (records k = 0..N-1, seed 1):
//   1. one core, no I/O, cumulative stages: make (category -> syntax tree), + render (Python + 4 IR functions),
//      + JSONL serialization, + statistics — records/s and microseconds per record for each;
//   2. the whole driver (thread pool + in-order writer) for each thread count of --threads (default 1,2), first
//      with the writer discarding the bytes (the pool's own scaling), then writing fsync'ed files: records/s and
//      the speed-up over the first count (target >= 1.8x for 2 threads);
//   3. raw write speed of the same bytes (same files, write + fsync, and write alone) for comparison, in MB/s
//      and in the records/s it would allow.
// Targets (issue): >= 100,000 records/s per core with -d both; 2 threads >= 1.8x one thread.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "../examples/driver/generate.hpp"

namespace wd = warpsynth::driver;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

struct run_figures {
    double seconds = 0;
    std::uint64_t bytes = 0;
};

run_figures run_driver(const std::string& dir, std::uint64_t n, unsigned threads, bool discard) {
    wd::gen_options o;
    o.count = n;
    o.seed = 1;
    o.records_per_file = std::max<std::uint64_t>(1, n / 8);
    for (auto& c : wd::all_categories()) o.cats.push_back(&c);
    o.threads = threads;
    o.progress = 0;
    o.force = true;
    o.discard = discard;
    o.out = dir;
    auto state = wd::prepare_output(o);
    wd::generator g(o);
    auto t0 = clock_type::now();
    auto r = g.run(state);
    return {seconds_since(t0), r.stats.total_bytes()};
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t n = 20000;
    std::vector<unsigned> thread_counts = {1, 2};
    std::string scratch;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "-n" && i + 1 < argc) {
            n = std::strtoull(argv[++i], nullptr, 10);
        } else if (a == "--dir" && i + 1 < argc) {
            scratch = argv[++i];
        } else if (a == "--threads" && i + 1 < argc) {  // comma-separated list, e.g. 1,2,4,8
            thread_counts.clear();
            for (char* p = argv[++i]; *p;) {
                unsigned t = static_cast<unsigned>(std::strtoul(p, &p, 10));
                if (t) thread_counts.push_back(t);
                if (*p != ',') break;
                ++p;
            }
            if (thread_counts.empty()) thread_counts = {1, 2};
        } else {
            std::fprintf(stderr, "usage: driver_bench [-n RECORDS] [--dir SCRATCH] [--threads 1,2,...]\n");
            return 2;
        }
    }
    if (n == 0) n = 1;
    bool own_scratch = scratch.empty();
    if (own_scratch) {
        char tmpl[] = "/tmp/driver_bench.XXXXXX";
        if (!::mkdtemp(tmpl)) {
            std::perror("mkdtemp");
            return 1;
        }
        scratch = tmpl;
    }
    const auto& cats = wd::all_categories();
    std::printf("driver_bench: %llu records, -d both, %zu categories, hardware threads %u, scratch %s\n",
                static_cast<unsigned long long>(n), cats.size(), std::thread::hardware_concurrency(), scratch.c_str());
    auto rate = [&](double s) { return s > 0 ? static_cast<double>(n) / s : 0.0; };

    // 1. One core, no I/O. Each stage is timed three times over the same records; the best time counts (the
    // machine's noise only ever adds time).
    std::uint64_t stage_n = std::min<std::uint64_t>(n, 20000);
    auto best_of_3 = [](auto&& body) {
        double best = 1e300;
        for (int r = 0; r < 3; ++r) {
            auto t = clock_type::now();
            body();
            best = std::min(best, seconds_since(t));
        }
        return best;
    };
    warpsynth::categories::instance inst;
    warpsynth::rendered_kernel rk;
    double t_make = best_of_3([&] {
        for (std::uint64_t k = 0; k < stage_n; ++k) cats[k % cats.size()].make(1, k, inst);
    });
    double t_render = best_of_3([&] {
        for (std::uint64_t k = 0; k < stage_n; ++k) {
            cats[k % cats.size()].make(1, k, inst);
            warpsynth::render(inst.tree, rk, {});
        }
    });
    // The driver's own work, on records rendered once beforehand: 256 builders, cycled.
    std::vector<wd::record_builder> built(256);
    for (std::size_t i = 0; i < built.size(); ++i) built[i].build(cats[i % cats.size()], 1, i, wd::devices::both);
    wd::byte_buffer buf;
    std::uint64_t bytes = 0;
    double t_serialize = best_of_3([&] {
        bytes = 0;
        for (std::uint64_t k = 0; k < stage_n; ++k) {
            buf.clear();
            wd::append_jsonl(buf, built[k % built.size()].fields());
            bytes += buf.size();
        }
    });
    double t_stats = best_of_3([&] {
        wd::dataset_stats st;
        for (std::uint64_t k = 0; k < stage_n; ++k) st.add(built[k % built.size()].fields(), 16000);
    });
    wd::record_builder b;
    double t_all = best_of_3([&] {
        wd::dataset_stats st;
        for (std::uint64_t k = 0; k < stage_n; ++k) {
            b.build(cats[k % cats.size()], 1, k, wd::devices::both);
            buf.clear();
            wd::append_jsonl(buf, b.fields());
            st.add(b.fields(), buf.size());
        }
    });
    auto srate = [&](double s) { return s > 0 ? static_cast<double>(stage_n) / s : 0.0; };
    auto us = [&](double s) { return 1e6 * s / static_cast<double>(stage_n); };
    std::printf("\n1. one core, no I/O, %llu records, best of 3        records/s   us/record\n",
                static_cast<unsigned long long>(stage_n));
    std::printf("   make (category -> syntax tree)                %12.0f %11.2f\n", srate(t_make), us(t_make));
    std::printf("   make + render (python + 4 IR functions)       %12.0f %11.2f\n", srate(t_render), us(t_render));
    std::printf("   JSONL record alone (driver)                   %12.0f %11.2f\n", srate(t_serialize), us(t_serialize));
    std::printf("   statistics alone (driver)                     %12.0f %11.2f\n", srate(t_stats), us(t_stats));
    std::printf("   everything: make + render + JSONL + stats     %12.0f %11.2f\n", srate(t_all), us(t_all));
    std::printf("   record size: mean %.0f bytes; the driver's share of a record: %.0f%%\n",
                static_cast<double>(bytes) / static_cast<double>(stage_n),
                100.0 * (t_serialize + t_stats) / t_all);
    double t_stages = t_all * static_cast<double>(n) / static_cast<double>(stage_n);

    // 2. The driver end to end: first with the writer discarding the bytes (the pool's scaling), then writing.
    std::printf("\n2. warpsynth generate: thread pool + in-order writer (speed-up vs %u thread(s); target >= 1.8x for 2)\n",
                thread_counts.front());
    std::printf("   threads   independent loops (no pool)   no data written (pool)    writing fsync'ed files\n");
    run_figures first_d, first_w;
    double speedup2 = 0;
    std::string first_run = scratch + "/t" + std::to_string(thread_counts.front());
    double first_ind = 0;
    for (unsigned t : thread_counts) {
        // The ceiling: t threads each rendering its own share with no pool, no writer, nothing shared.
        auto t_ind0 = clock_type::now();
        {
            std::vector<std::thread> loops;
            for (unsigned i = 0; i < t; ++i)
                loops.emplace_back([&, i] {
                    wd::record_builder lb;
                    wd::byte_buffer lbuf;
                    wd::dataset_stats lst;
                    for (std::uint64_t k = i; k < n; k += t) {
                        lb.build(cats[k % cats.size()], 1, k, wd::devices::both);
                        lbuf.clear();
                        wd::append_jsonl(lbuf, lb.fields());
                        lst.add(lb.fields(), lbuf.size());
                    }
                });
            for (auto& th : loops) th.join();
        }
        double t_ind = seconds_since(t_ind0);
        if (t == thread_counts.front()) first_ind = t_ind;
        auto d = run_driver(scratch + "/d" + std::to_string(t), n, t, true);
        auto w = run_driver(scratch + "/t" + std::to_string(t), n, t, false);
        if (t == thread_counts.front()) first_d = d, first_w = w;
        if (t == 2) speedup2 = first_d.seconds / d.seconds;
        std::printf("   %7u %12.0f rec/s %6.2fx   %12.0f rec/s %6.2fx   %12.0f rec/s %8.1f MB/s %6.2fx\n", t,
                    rate(t_ind), first_ind / t_ind, rate(d.seconds), first_d.seconds / d.seconds, rate(w.seconds),
                    static_cast<double>(w.bytes) / w.seconds / 1e6, first_w.seconds / w.seconds);
        std::error_code ec;
        wd::fs::remove_all(scratch + "/d" + std::to_string(t), ec);
        if (t != thread_counts.front()) wd::fs::remove_all(scratch + "/t" + std::to_string(t), ec);
    }

    // 3. Raw write speed of the same bytes: the files of the first run, re-written with write + fsync.
    std::vector<std::string> contents;
    for (auto& name : wd::gen_detail::list_dir(first_run))
        if (name.starts_with("data-")) contents.push_back(wd::read_file(first_run + "/" + name));
    std::uint64_t total = 0;
    for (auto& c : contents) total += c.size();
    auto write_all = [&](bool sync) {
        auto t = clock_type::now();
        for (std::size_t i = 0; i < contents.size(); ++i) {
            wd::output_file f;
            f.open(scratch + "/raw-" + std::to_string(i));
            f.write(contents[i]);
            if (sync) f.finish();
            else f.finish_nosync();
        }
        return seconds_since(t);
    };
    double t_raw = write_all(true);
    double t_raw_nosync = write_all(false);
    std::printf("\n3. raw write of the same %.1f MB in %zu files\n", static_cast<double>(total) / 1e6, contents.size());
    std::printf("   write + fsync   %8.1f MB/s  = %12.0f records/s\n", static_cast<double>(total) / t_raw / 1e6, rate(t_raw));
    std::printf("   write only      %8.1f MB/s  = %12.0f records/s\n", static_cast<double>(total) / t_raw_nosync / 1e6,
                rate(t_raw_nosync));

    std::printf("\nratios: pool 1 thread / one-core stages = %.2f; pool 2 threads / 1 thread = %.2f; "
                "first writing run / raw write+fsync = %.2f\n",
                rate(first_d.seconds) / rate(t_stages), speedup2, rate(first_w.seconds) / rate(t_raw));
    std::error_code ec;
    wd::fs::remove_all(first_run, ec);
    for (std::size_t i = 0; i < contents.size(); ++i) wd::fs::remove(scratch + "/raw-" + std::to_string(i), ec);
    if (own_scratch) wd::fs::remove_all(scratch, ec);
    return 0;
}
