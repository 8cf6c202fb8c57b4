// fuzz/fuzz_jsonl.cpp — libFuzzer target for the driver's JSONL record reader (examples/driver/).
//
// The input is the content of a .jsonl file. Every line goes through what `warpsynth validate` does with it —
// UTF-8 check, strict JSON parse, schema check, re-rendering from the metadata and the byte comparison with its
// diff — once without and once with a dataset layout to check against, and through the statistics of
// `warpsynth stats`. Nothing may crash, leak or trip a sanitizer, whatever the bytes.
//
//   clang++ build (meson, when the compiler supports -fsanitize=fuzzer):  fuzz_jsonl fuzz/corpus
//   any compiler:  fuzz_jsonl_replay FILE|DIR...   runs the same entry point over the given inputs (meson test)
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "../examples/driver/validate.hpp"

namespace wd = warpsynth::driver;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static std::FILE* sink = std::fopen("/dev/null", "w");
    static const wd::gen_options layout_opt = [] {
        wd::gen_options o;
        o.count = 1000;
        o.seed = 0;
        o.records_per_file = 100;
        for (auto& c : wd::all_categories()) o.cats.push_back(&c);
        return o;
    }();
    std::string_view in(reinterpret_cast<const char*>(data), size);

    wd::validator plain(sink, {.max_reported = 4, .diff_lines = 4});
    wd::validator laid_out(sink, {.max_reported = 4, .diff_lines = 4});
    laid_out.expect_layout(layout_opt);
    plain.begin_file("fuzz.jsonl");
    laid_out.begin_file("data-00000.jsonl", 0);
    wd::dataset_stats stats;
    wd::parsed_record rec;
    std::string error;

    std::size_t at = 0;
    std::uint64_t line = 0;
    while (at < in.size()) {
        std::size_t nl = in.find('\n', at);
        bool had_newline = nl != std::string_view::npos;
        std::size_t end = had_newline ? nl : in.size();
        std::string_view text = in.substr(at, end - at);
        ++line;
        plain.line(line, text, had_newline);
        laid_out.line(line, text, had_newline);
        if (wd::parse_record(text, rec, error)) stats.add(rec.fields, text.size() + 1);
        at = end + 1;
    }
    plain.end_file();
    laid_out.end_file();
    plain.finish();
    laid_out.finish();
    std::string j = stats.to_json(), t = stats.to_text();
    if (j.empty() || t.empty()) __builtin_trap();
    return 0;
}

#ifdef WARPSYNTH_FUZZ_REPLAY
#include <filesystem>
#include <vector>

int main(int argc, char** argv) {
    std::vector<std::string> inputs;
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path p = argv[i];
        if (std::filesystem::is_directory(p)) {
            for (auto& e : std::filesystem::directory_iterator(p))
                if (e.is_regular_file()) inputs.push_back(e.path().string());
        } else {
            inputs.push_back(p.string());
        }
    }
    std::sort(inputs.begin(), inputs.end());
    for (auto& f : inputs) {
        std::string s = wd::read_file(f);
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    }
    std::printf("fuzz_jsonl_replay: %zu inputs, no crash\n", inputs.size());
    return inputs.empty() ? 1 : 0;
}
#endif
