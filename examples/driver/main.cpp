// examples/driver/main.cpp — the `warpsynth` command line: generate, validate, stats, launch, categories.
//
//   warpsynth generate -n N -o DIR [-s SEED] [-c a,b] [-d cpu|cuda|both] [--threads T] [--shard K/N]
//                      [--format jsonl|seed-json] [--records-per-file R] [--compress none|zstd] [--zstd-level L]
//                      [--progress|--no-progress] [--force|--resume]
//   warpsynth validate PATH [--max-errors N]
//   warpsynth stats PATH [--json]
//   warpsynth launch PATH... [--threads T] [--batch B] [--limit N] [--arch sm_XX] [--runtime DIR] [--nvrtc LIB]
//                    [--report FILE] [--compile-only] [--warp-optimization] [--progress]
//   warpsynth categories
//
// Exit status: 0 success; 1 a failure while running (write error, full disk, invalid records found);
// 2 bad command line or unusable output directory (one error line, nothing written).
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>

#include "generate.hpp"
#include "launch.hpp"
#include "validate.hpp"

namespace wd = warpsynth::driver;

namespace {

std::uint64_t parse_uint(const std::string& text, const char* what, std::uint64_t min, std::uint64_t max) {
    std::uint64_t v = 0;
    const char* b = text.data();
    const char* e = b + text.size();
    auto [p, ec] = std::from_chars(b, e, v);
    if (text.empty() || ec != std::errc{} || p != e || v < min || v > max) {
        bool negative = !text.empty() && text[0] == '-';
        std::string range = max == UINT64_MAX ? std::to_string(min) + " or more"
                                              : "in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
        throw wd::usage_error(std::string(what) + " must be an integer " + range + " (got \"" + text + "\"" +
                              (negative ? ")" : ")"));
    }
    return v;
}

void parse_shard(const std::string& s, std::uint64_t& k, std::uint64_t& n) {
    auto slash = s.find('/');
    if (slash == std::string::npos)
        throw wd::usage_error("--shard must be K/N with 0 <= K < N (got \"" + s + "\")");
    try {
        n = parse_uint(s.substr(slash + 1), "--shard N", 1, 1u << 20);
        k = parse_uint(s.substr(0, slash), "--shard K", 0, UINT64_MAX);
    } catch (const wd::usage_error&) {
        throw wd::usage_error("--shard must be K/N with 0 <= K < N (got \"" + s + "\")");
    }
    if (k >= n) throw wd::usage_error("--shard must be K/N with 0 <= K < N (got \"" + s + "\")");
}

std::string one_line(std::string s) {
    for (auto& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

std::string megabytes(std::uint64_t b) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(b) / 1e6);
    return buf;
}

struct generate_args {
    std::string count, output, seed = "0", device = "both", threads, shard = "0/1", format = "jsonl";
    std::string records_per_file = "10000", compress = "none", zstd_level = "3";
    std::vector<std::string> categories;
    bool progress = false, no_progress = false, force = false, resume = false;
};

wd::gen_options to_options(const generate_args& a) {
    wd::gen_options o;
    o.count = parse_uint(a.count, "--count", 1, wd::max_json_integer);
    o.seed = parse_uint(a.seed, "--seed", 0, wd::max_json_integer);
    o.records_per_file = parse_uint(a.records_per_file, "--records-per-file", 1, UINT64_MAX / 2);
    unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    o.threads = a.threads.empty() ? hw : static_cast<unsigned>(parse_uint(a.threads, "--threads", 1, 1024));
    parse_shard(a.shard, o.shard_k, o.shard_n);
    if (a.device == "cpu") o.dev = wd::devices::cpu;
    else if (a.device == "cuda") o.dev = wd::devices::cuda;
    else if (a.device == "both") o.dev = wd::devices::both;
    else throw wd::usage_error("--device must be cpu, cuda or both (got \"" + a.device + "\")");
    if (a.format == "jsonl") o.format = wd::output_format::jsonl;
    else if (a.format == "seed-json") o.format = wd::output_format::seed_json;
    else throw wd::usage_error("--format must be jsonl or seed-json (got \"" + a.format + "\")");
    if (a.compress == "zstd") {
        if (!wd::zstd_available()) throw wd::usage_error("--compress zstd: this warpsynth was built without libzstd");
        if (o.format != wd::output_format::jsonl) throw wd::usage_error("--compress zstd applies to --format jsonl only");
        o.comp = wd::compression::zstd;
        o.zstd_level = static_cast<int>(parse_uint(a.zstd_level, "--zstd-level", 1, 19));
    } else if (a.compress != "none") {
        throw wd::usage_error("--compress must be none or zstd (got \"" + a.compress + "\")");
    }
    if (a.categories.empty()) {
        for (auto& c : wd::all_categories()) o.cats.push_back(&c);
    } else {
        for (auto& name : a.categories) {
            auto* c = wd::find_category(name);
            if (!c)
                throw wd::usage_error("unknown category \"" + name + "\" (known: " + wd::known_categories() + ")");
            if (std::find(o.cats.begin(), o.cats.end(), c) != o.cats.end())
                throw wd::usage_error("category \"" + name + "\" is listed twice");
            o.cats.push_back(c);
        }
    }
    if (o.cats.empty()) throw wd::usage_error("no categories");
    if (a.progress && a.no_progress) throw wd::usage_error("--progress and --no-progress exclude each other");
    o.progress = a.progress ? 1 : a.no_progress ? 0 : -1;
    if (a.force && a.resume) throw wd::usage_error("--force and --resume exclude each other");
    o.force = a.force;
    o.resume = a.resume;
    o.out = a.output;
    return o;
}

int run_generate(const generate_args& a) {
    wd::gen_options o = to_options(a);
    wd::dir_state state = wd::prepare_output(o);
    wd::generator g(o);
    auto r = g.run(state);
    const auto& l = g.files();
    std::uint64_t shard_records = l.shard_end() - l.shard_begin();
    double rate = r.seconds > 0 ? static_cast<double>(r.written_records) / r.seconds : 0.0;
    std::printf("warpsynth: %s records -> %s: %s written in %s file(s) (%s)", wd::with_commas(shard_records).c_str(),
                o.out.c_str(), wd::with_commas(r.written_records).c_str(), wd::with_commas(r.written_files).c_str(),
                megabytes(r.bytes).c_str());
    if (o.comp == wd::compression::zstd) std::printf(" -> %s compressed", megabytes(r.file_bytes).c_str());
    if (r.kept_files) std::printf(", %s complete file(s) kept", wd::with_commas(r.kept_files).c_str());
    std::printf(", %.2f s, %s records/s, %u thread(s)\n", r.seconds,
                wd::with_commas(static_cast<std::uint64_t>(rate)).c_str(), o.threads);
    if (o.shard_n > 1)
        std::printf("warpsynth: shard %llu/%llu = files [%llu, %llu) of %llu, records [%llu, %llu) of %llu\n",
                    static_cast<unsigned long long>(o.shard_k), static_cast<unsigned long long>(o.shard_n),
                    static_cast<unsigned long long>(l.first_file()), static_cast<unsigned long long>(l.end_file()),
                    static_cast<unsigned long long>(l.files()), static_cast<unsigned long long>(l.shard_begin()),
                    static_cast<unsigned long long>(l.shard_end()), static_cast<unsigned long long>(o.count));
    std::printf("warpsynth: %s distinct kernels; stats in %s/stats.json, dataset card in %s/README.md\n",
                wd::with_commas(r.stats.distinct_kernels()).c_str(), o.out.c_str(), o.out.c_str());
    return 0;
}

int run_validate(const std::string& path, std::size_t max_errors) {
    std::string merr;
    struct stat st;
    bool dir = ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    auto manifest = dir ? wd::read_manifest(path, merr) : std::nullopt;
    if (!merr.empty()) std::printf("%s (layout not checked)\n", merr.c_str());
    if (manifest && manifest->opt.format != wd::output_format::jsonl)
        throw wd::usage_error(path + " holds a --format seed-json dataset; validate reads JSONL datasets");
    wd::validator v(stdout, {.max_reported = max_errors});
    if (manifest) v.expect_layout(manifest->opt);
    wd::read_dataset(
        path, manifest, [&](const std::string& f, std::optional<std::uint64_t> no) { v.begin_file(f, no); },
        [&](std::uint64_t line, std::string_view text, bool nl) { v.line(line, text, nl); }, [&] { v.end_file(); },
        [&](const std::string& m) { v.file_problem(m); });
    v.finish();
    std::printf("validate: %s records in %s file(s): %s valid, %s invalid", wd::with_commas(v.records()).c_str(),
                wd::with_commas(v.files()).c_str(), wd::with_commas(v.valid()).c_str(),
                wd::with_commas(v.invalid()).c_str());
    if (v.problems() > v.invalid())
        std::printf(", %s other problem(s)", wd::with_commas(v.problems() - v.invalid()).c_str());
    std::printf("%s\n", v.problems() ? "" : " (every record re-renders byte for byte)");
    return v.problems() ? 1 : 0;
}

int run_stats(const std::string& path, bool as_json) {
    wd::dataset_stats s;
    wd::parsed_record rec;
    std::string err, file;
    std::uint64_t bad = 0;
    wd::read_dataset(
        path, std::nullopt, [&](const std::string& f, std::optional<std::uint64_t>) { file = f; },
        [&](std::uint64_t line, std::string_view text, bool nl) {
            if (wd::parse_record(text, rec, err)) {
                s.add(rec.fields, text.size() + (nl ? 1 : 0));
            } else if (bad++ < 10) {
                std::fprintf(stderr, "%s:%llu: %s (skipped)\n", file.c_str(), static_cast<unsigned long long>(line),
                             err.c_str());
            }
        },
        [] {}, [&](const std::string& m) { ++bad, std::fprintf(stderr, "%s\n", m.c_str()); });
    std::string out = as_json ? s.to_json() : s.to_text();
    std::fwrite(out.data(), 1, out.size(), stdout);
    if (bad) std::fprintf(stderr, "warpsynth: %llu invalid line(s) skipped\n", static_cast<unsigned long long>(bad));
    return bad ? 1 : 0;
}

// The runtime headers NVRTC compiles against: $WARPSYNTH_RUNTIME, the source tree this binary was built from, or
// include/warpsynth/runtime two folders above the binary (build/examples/driver/warpsynth in a copied tree).
std::string default_runtime() {
    if (const char* env = std::getenv("WARPSYNTH_RUNTIME")) return env;
    auto has = [](const std::string& d) { return ::access((d + "/builtin.h").c_str(), R_OK) == 0; };
#ifdef WARPSYNTH_RUNTIME_DIR
    if (has(WARPSYNTH_RUNTIME_DIR)) return WARPSYNTH_RUNTIME_DIR;
#endif
    std::string p = wd::launch_detail::self_executable();
    for (int up = 0; up < 4 && p.rfind('/') != std::string::npos; ++up) {
        p.erase(p.rfind('/'));
        if (has(p + "/include/warpsynth/runtime")) return p + "/include/warpsynth/runtime";
    }
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"warpsynth " WARPSYNTH_VERSION
                 " — synthetic NVIDIA Warp kernels with the IR Warp " WARPSYNTH_WARP_VERSION " generates",
                 "warpsynth"};
    app.set_version_flag("--version", std::string(wd::generator_string) + " (Warp " WARPSYNTH_WARP_VERSION ")");
    app.require_subcommand(1);

    generate_args ga;
    auto* gen = app.add_subcommand("generate", "Generate a dataset: JSONL shards, stats.json and a dataset card");
    gen->add_option("-n,--count", ga.count, "Number of records in the dataset (all shards together)")->required()->type_name("N");
    gen->add_option("-o,--output", ga.output, "Output directory")->required()->type_name("DIR");
    gen->add_option("-s,--seed", ga.seed, "Seed; record k is a pure function of (seed, k)")->capture_default_str()->type_name("S");
    gen->add_option("-c,--categories", ga.categories, "Comma-separated categories (default: all; see `categories`)")
        ->delimiter(',')
        ->type_name("A,B,...");
    gen->add_option("-d,--device", ga.device, "IR to include: cpu, cuda or both")->capture_default_str()->type_name("DEV");
    gen->add_option("--threads", ga.threads, "Rendering threads (default: the number of cores)")->type_name("T");
    gen->add_option("--shard", ga.shard,
                    "Write shard K of N (0 <= K < N): the contiguous file range [K*F/N, (K+1)*F/N) of the F files")
        ->capture_default_str()
        ->type_name("K/N");
    gen->add_option("--format", ga.format, "jsonl, or seed-json (one pretty JSON file per record)")
        ->capture_default_str()
        ->type_name("FMT");
    gen->add_option("--records-per-file", ga.records_per_file, "Records per data file")->capture_default_str()->type_name("R");
    gen->add_option("--compress", ga.compress,
                    std::string("none or zstd (data-*.jsonl.zst)") + (wd::zstd_available() ? "" : " [not built]"))
        ->capture_default_str()
        ->type_name("C");
    gen->add_option("--zstd-level", ga.zstd_level, "zstd level 1..19")->capture_default_str()->type_name("L");
    gen->add_flag("--progress", ga.progress, "Show a progress line (default: when stderr is a terminal)");
    gen->add_flag("--no-progress", ga.no_progress, "No progress line");
    gen->add_flag("--force", ga.force, "Replace a previous dataset in the output directory");
    gen->add_flag("--resume", ga.resume, "Finish an interrupted run with the same parameters");

    std::string vpath;
    std::string max_errors = "100";
    auto* val = app.add_subcommand("validate", "Check every record's schema and re-render it from its metadata");
    val->add_option("path", vpath, "A .jsonl/.jsonl.zst file or a dataset directory")->required();
    val->add_option("--max-errors", max_errors, "Problems reported in full (the rest are counted)")
        ->capture_default_str()
        ->type_name("N");

    std::string spath;
    bool sjson = false;
    auto* sta = app.add_subcommand("stats", "Statistics of a dataset or file");
    sta->add_option("path", spath, "A .jsonl/.jsonl.zst file or a dataset directory")->required();
    sta->add_flag("--json", sjson, "Print stats.json (as generate writes it) instead of a table");

    wd::launch_options lo;
    std::string lthreads, lbatch = "64", llimit = "0";
    auto* lau = app.add_subcommand("launch",
                                   "Run records' CUDA IR on the GPU (forward and backward) and compare with their "
                                   "description's reference; without a GPU, NVRTC-compile only");
    lau->add_option("path", lo.paths, "JSONL files or dataset directories (records with cuda_forward)")->required();
    lau->add_option("--threads", lthreads, "Threads preparing references and running NVRTC (default: the number of cores)")
        ->type_name("T");
    lau->add_option("--batch", lbatch, "Records per NVRTC program and GPU transfer")->capture_default_str()->type_name("B");
    lau->add_option("--limit", llimit, "Check only the first N records (0: all)")->capture_default_str()->type_name("N");
    lau->add_option("--arch", lo.arch, "NVRTC target, sm_XX (cubin) or compute_XX (PTX); default: the GPU's, else sm_90")
        ->type_name("ARCH");
    lau->add_option("--runtime", lo.runtime,
                    "Folder of the wp:: runtime headers: warpsynth's include/warpsynth/runtime (default) or a Warp "
                    "installation's warp/native")
        ->type_name("DIR");
    lau->add_option("--nvrtc", lo.nvrtc, "Path of libnvrtc.so (default: the usual names)")->type_name("LIB");
    lau->add_option("--report", lo.report, "Write one JSON line per record: verdict, errors, problems")->type_name("FILE");
    bool compile_only = false;
    lau->add_flag("--compile-only", compile_only, "NVRTC-compile every record, launch nothing");
    lau->add_flag("--warp-optimization", lo.warp_optimization,
                  "Compile with NVRTC's default optimization, as Warp does (default: --Ofast-compile=max)");
    lau->add_flag("--progress", lo.progress, "Show a progress line on stderr");

    // the child process `launch` compiles in (compile_worker.hpp); not for users, hence no help group
    wd::launch_options wo;
    auto* nw = app.add_subcommand("nvrtc-worker", "")->group("");
    nw->add_option("--arch", wo.arch)->required();
    nw->add_option("--runtime", wo.runtime)->required();
    nw->add_option("--nvrtc", wo.nvrtc);
    nw->add_flag("--warp-optimization", wo.warp_optimization);

    auto* cat = app.add_subcommand("categories", "List the categories");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "warpsynth: error: %s (see warpsynth --help)\n", one_line(e.what()).c_str());
        return 2;
    }
    try {
        if (*gen) return run_generate(ga);
        if (*val) return run_validate(vpath, parse_uint(max_errors, "--max-errors", 0, UINT32_MAX));
        if (*sta) return run_stats(spath, sjson);
        if (*nw) return wd::run_nvrtc_worker(wo);
        if (*lau) {
            unsigned hw = std::max(1u, std::thread::hardware_concurrency());
            lo.threads = lthreads.empty() ? hw : static_cast<unsigned>(parse_uint(lthreads, "--threads", 1, 1024));
            lo.batch = parse_uint(lbatch, "--batch", 1, 100000);
            lo.limit = parse_uint(llimit, "--limit", 0, UINT64_MAX);
            lo.execute = !compile_only;
            if (lo.runtime.empty()) lo.runtime = default_runtime();
            if (!lo.arch.empty() && !lo.arch.starts_with("sm_") && !lo.arch.starts_with("compute_"))
                throw wd::usage_error("--arch must be sm_XX or compute_XX (got \"" + lo.arch + "\")");
            return wd::run_launch(lo);
        }
        if (*cat) {
            for (auto& c : wd::all_categories())
                std::printf("%-14.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                            static_cast<int>(c.summary.size()), c.summary.data());
            return 0;
        }
    } catch (const wd::usage_error& e) {
        std::fprintf(stderr, "warpsynth: error: %s\n", one_line(e.what()).c_str());
        return 2;
    } catch (const wd::io_error& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "warpsynth: error: %s%s\n", one_line(e.what()).c_str(),
                     e.err == ENOSPC || e.err == EDQUOT
                         ? " (the disk is full; complete data files are kept — free space and rerun with --resume)"
                         : "");
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "warpsynth: error: %s\n", one_line(e.what()).c_str());
        return 1;
    }
    return 0;
}
