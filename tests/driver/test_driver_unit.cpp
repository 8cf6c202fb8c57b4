// tests/driver/test_driver_unit.cpp — unit tests of the driver's pieces (doctest): the JSON writer, the record
// reader, shard/file layout arithmetic, statistics helpers.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "launch.hpp"
#include "validate.hpp"

namespace wd = warpsynth::driver;

TEST_CASE("the fast JSON string writer writes the library's bytes") {
    std::mt19937_64 rng(7);
    std::vector<std::string> inputs = {"", "a", "\"", "\\", "\n", std::string(1, '\0'), "\x1f\x7f\x80", "ünï \t\r\b\f"};
    std::string all;
    for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
    inputs.push_back(all);
    for (int n = 0; n < 3000; ++n) {
        std::string s(rng() % (n < 2000 ? 80 : 400), ' ');  // long ones: many 32-byte vector steps
        for (auto& ch : s) {
            auto r = rng() % 10;
            ch = r < 6 ? static_cast<char>('a' + rng() % 26) : r < 8 ? "\n\"\\\t"[rng() % 4] : static_cast<char>(rng() % 256);
        }
        inputs.push_back(s);
    }
    for (auto& s : inputs) {
        std::string want;
        warpsynth::json::append_string(want, s);
        wd::byte_buffer got;
        got += "prefix";
        wd::append_json_string(got, s);
        REQUIRE(got.view() == "prefix" + want);
        wd::byte_buffer portable;
        wd::append_json_string(portable, s, /*allow_avx512=*/false);
        REQUIRE(portable.view() == want);
    }
    MESSAGE("JSON escape: the portable loop and "
            << std::string(wd::detail::cpu_has_avx512_vbmi2() ? "the AVX-512 loop" : "no AVX-512 loop (this CPU lacks it)")
            << " checked on " << inputs.size() << " strings");
}

TEST_CASE("records round-trip through the reader, for every category and device set") {
    wd::record_builder b;
    wd::parsed_record rec;
    std::string err;
    const auto& cats = wd::all_categories();
    for (auto dev : {wd::devices::cpu, wd::devices::cuda, wd::devices::both}) {
        for (std::uint64_t k = 0; k < 3 * cats.size(); ++k) {
            b.build(cats[k % cats.size()], 123, k, dev);
            wd::byte_buffer line;
            wd::append_jsonl(line, b.fields());
            REQUIRE(line.view().back() == '\n');
            std::string_view text = line.view().substr(0, line.size() - 1);
            REQUIRE_MESSAGE(wd::parse_record(text, rec, err), err);
            wd::byte_buffer again;
            wd::append_jsonl(again, rec.fields);
            CHECK(again.view() == line.view());
            CHECK(rec.fields.index == k);
            CHECK(rec.fields.category == cats[k % cats.size()].name);
            CHECK((rec.fields.cuda_forward_state == wd::field_state::absent) == (dev == wd::devices::cpu));
            CHECK((rec.fields.cpu_forward_state == wd::field_state::absent) == (dev == wd::devices::cuda));
        }
    }
}

TEST_CASE("the reader rejects bad records with a precise message") {
    wd::record_builder b;
    b.build(wd::all_categories()[0], 1, 2, wd::devices::cpu);
    wd::byte_buffer good;
    wd::append_jsonl(good, b.fields());
    std::string line(good.view().substr(0, good.size() - 1));
    auto replace = [&](std::string_view from, std::string_view to) {
        std::string s = line;
        auto p = s.find(from);
        REQUIRE(p != std::string::npos);
        s.replace(p, from.size(), to);
        return s;
    };
    struct bad_case {
        std::string text, message;
    };
    std::vector<bad_case> cases = {
        {"", "malformed JSON at column 1"},
        {"{", "malformed JSON at column 2"},
        {"[]", "record is an array, not a JSON object"},
        {"\xff", "invalid UTF-8 at column 1"},
        {replace("\"id\": \"1-2\"", "\"id\": 12"), "field \"id\" must be a string, not a number"},
        {replace("\"id\": \"1-2\"", "\"id\": \"1-3\""), "does not match metadata seed/index"},
        {replace("\"kernel_name\"", "\"kernel\""), "unexpected field \"kernel\""},
        {replace("\"seed\": 1", "\"seed\": 1.5"), "\"metadata.seed\" must be an integer"},
        {replace("\"seed\": 1", "\"seed\": -1"), "\"metadata.seed\" must be an integer"},
        {replace("\"index\": 2", "\"index\": 1e300"), "\"metadata.index\" must be an integer"},
        {replace("\"builtins\": [", "\"builtins\": [7, "), "\"metadata.builtins[0]\" must be a string"},
        {replace("\"arg_types\": {", "\"arg_types\": {\"zz\": null, "), "\"metadata.arg_types.zz\" must be a string"},
        {replace("\"cpu_backward\"", "\"cuda_backward\""), "\"cpu_backward\" is missing"},
        {replace("\"metadata\": {", "\"metadata\": {\"x\": 1, "), "unexpected field \"metadata.x\""},
        {replace("\"category\"", "\"id\": \"1-2\", \"category\""), "duplicate field \"id\""},
    };
    wd::parsed_record rec;
    std::string err;
    REQUIRE(wd::parse_record(line, rec, err));
    for (auto& c : cases) {
        CAPTURE(c.text.substr(0, 120));
        CHECK_FALSE(wd::parse_record(c.text, rec, err));
        CHECK_MESSAGE(err.find(c.message) != std::string::npos, err);
    }
}

TEST_CASE("shards partition the files; names sort in index order") {
    for (std::uint64_t count : {1ull, 7ull, 100ull, 101ull, 999ull, 12345ull}) {
        for (std::uint64_t rpf : {1ull, 3ull, 10ull, 100ull}) {
            for (std::uint64_t n : {1ull, 2ull, 3ull, 7ull, 50ull}) {
                std::uint64_t next_file = 0, next_record = 0;
                for (std::uint64_t k = 0; k < n; ++k) {
                    wd::gen_options o;
                    o.count = count;
                    o.records_per_file = rpf;
                    o.shard_k = k;
                    o.shard_n = n;
                    wd::layout l(o);
                    CHECK(l.first_file() == next_file);
                    CHECK(l.shard_begin() == next_record);
                    next_file = l.end_file();
                    next_record = l.shard_end();
                    for (std::uint64_t f = l.first_file(); f + 1 < l.end_file(); ++f) CHECK(l.name(f) < l.name(f + 1));
                }
                wd::gen_options o;
                o.count = count;
                o.records_per_file = rpf;
                CHECK(next_file == wd::layout(o).files());
                CHECK(next_record == count);
            }
        }
    }
    wd::gen_options o;
    o.count = 1000001;
    o.records_per_file = 1;
    wd::layout l(o);
    CHECK(l.name(0) == "data-0000000.jsonl");
    CHECK(l.name(1000000) == "data-1000000.jsonl");
}

TEST_CASE("statistics helpers") {
    std::string out;
    wd::stats_detail::normalize_source(out, "def k_1(a):\n    k_10 = k_1\n", "k_1");
    CHECK(out == "def __kernel__(a):\n    k_10 = __kernel__\n");
    std::string cpu = "void f(\n{\n    //---------\n    // primal vars\n    int var_0;\n    return;\n}\n";
    std::string cuda = "x\n{\n    for (;;)\n    {\n        // primal vars\n        int var_0;\n        continue;\n    }\n}\n";
    CHECK(wd::stats_detail::same_body(cpu, cuda));
    std::string other = cuda;
    other.replace(other.find("var_0"), 5, "var_1");
    CHECK_FALSE(wd::stats_detail::same_body(cpu, other));
    CHECK_FALSE(wd::stats_detail::same_body(cpu, cuda + "        extra;\n"));
}

TEST_CASE("find_text finds what string_view::find finds, from every start") {
    std::mt19937_64 rng(5);
    for (int n = 0; n < 20000; ++n) {
        std::string hay, needle;
        auto pick = [&] { return "aab_k1\n"[rng() % 7]; };  // few letters: many partial matches
        for (auto len = rng() % 90; hay.size() < len;) hay += pick();
        for (auto len = 1 + rng() % 6; needle.size() < len;) needle += pick();
        for (std::size_t from = 0; from <= hay.size() + 1; ++from)
            REQUIRE(wd::stats_detail::find_text(hay, needle, from) == std::string_view(hay).find(needle, from));
    }
    CHECK(wd::stats_detail::find_text("", "", 0) == 0);
    CHECK(wd::stats_detail::find_text("abc", "", 2) == 2);
}

namespace {
// The definition of "same body", line by line (stats.hpp's same_body is a faster equivalent).
bool reference_same_body(std::string_view cpu, std::string_view cuda) {
    auto norm = [](std::string_view t) {
        std::vector<std::string> out;
        auto p = t.find("// primal vars\n");
        if (p == std::string_view::npos) return out;
        t = t.substr(p);
        std::size_t at = 0;
        while (at < t.size()) {
            auto e = t.find('\n', at);
            if (e == std::string_view::npos) e = t.size();
            std::string_view l = t.substr(at, e - at);
            at = e + 1;
            auto s = l.find_first_not_of(" \t");
            if (s == std::string_view::npos) continue;
            l = l.substr(s);
            if (l == "}") continue;
            std::string line(l);
            if (line.starts_with("continue;")) line = "return;" + line.substr(9);
            out.push_back(line);
        }
        return out;
    };
    if (cpu.find("// primal vars\n") == std::string_view::npos || cuda.find("// primal vars\n") == std::string_view::npos)
        return cpu == cuda;
    return norm(cpu) == norm(cuda);
}
}  // namespace

TEST_CASE("same_body agrees with its line-by-line definition on real and mutated functions") {
    const auto& cats = wd::all_categories();
    std::mt19937_64 rng(3);
    wd::record_builder b;
    std::size_t same = 0, differ = 0;
    for (std::uint64_t k = 0; k < 20 * cats.size(); ++k) {
        b.build(cats[k % cats.size()], 9, k, wd::devices::both);
        const auto& f = b.fields();
        for (auto [cpu, cuda] : {std::pair{f.cpu_forward, f.cuda_forward}, std::pair{f.cpu_backward, f.cuda_backward}}) {
            if (cpu.empty()) continue;
            CHECK(wd::stats_detail::same_body(cpu, cuda));
            CHECK(wd::stats_detail::same_body(cpu, cuda, /*allow_avx512=*/false));
            for (int m = 0; m < 8; ++m) {
                std::string c(cpu), g(cuda);
                std::string& t = rng() % 2 ? c : g;
                std::size_t at = rng() % t.size();
                switch (rng() % 5) {
                case 0: t[at] = static_cast<char>('a' + rng() % 26); break;
                case 1: t.erase(at, 1 + rng() % 3); break;
                case 2: t.insert(at, rng() % 2 ? " " : "\n"); break;
                case 3: t.insert(at, "}\n"); break;
                case 4: t.resize(at); break;
                }
                bool want = reference_same_body(c, g);
                CHECK(wd::stats_detail::same_body(c, g) == want);
                CHECK(wd::stats_detail::same_body(c, g, /*allow_avx512=*/false) == want);
                ++(want ? same : differ);
            }
        }
    }
    CHECK(differ > 0);
}

#if defined(WARPSYNTH_DRIVER_AVX512)
TEST_CASE("the AVX-512 indentation stripper drops exactly each line's leading spaces and tabs") {
    if (!wd::detail::cpu_has_avx512_vbmi2()) {
        MESSAGE("skipped: this CPU lacks AVX-512 VBMI2 (the line-by-line comparison is used instead)");
        return;
    }
    auto reference = [](std::string_view t) {
        std::string out;
        bool lead = true;  // at a line's start, still in its leading whitespace
        for (char c : t) {
            if (lead && (c == ' ' || c == '\t')) continue;
            lead = c == '\n';
            out += c;
        }
        return out;
    };
    std::mt19937_64 rng(11);
    std::vector<std::string> texts = {"", " ", "\n", "  a\n\t b\n", std::string(200, ' ') + "x\n" + std::string(130, '\t')};
    for (int n = 0; n < 3000; ++n) {
        std::string t;
        auto len = rng() % 400;
        while (t.size() < len) {
            auto r = rng() % 8;
            if (r < 2) t += '\n';
            else if (r < 4) t.append(rng() % 3 == 0 ? 70 + rng() % 70 : rng() % 12, rng() % 5 ? ' ' : '\t');
            else t += static_cast<char>("ab};\r("[rng() % 7]);
        }
        texts.push_back(t);
    }
    for (auto& t : texts) {
        // Also from an odd start: blocks then straddle different places.
        for (std::size_t from : {std::size_t{0}, std::size_t{1}}) {
            if (from > t.size()) continue;
            std::string_view v = std::string_view(t).substr(from);
            std::string out(v.size() + 64, '\0');
            out.resize(wd::stats_detail::strip_indentation_avx512(v, out.data()));
            std::string want = reference(v);
            REQUIRE(out == want);
        }
    }
}
#endif

TEST_CASE("launch: binary16 bits round-trip every finite half value, and match the evaluator's rounding") {
    using namespace wd::launch_detail;
    for (unsigned h = 0; h < 0x10000; ++h) {
        if ((h & 0x7c00) == 0x7c00) continue;  // Inf/NaN
        double v = half_value(static_cast<std::uint16_t>(h));
        CHECK(half_bits(v) == (v == 0.0 && !(h & 0x8000) ? 0 : h));
        CHECK(warpsynth::eval::round_to_half(static_cast<float>(v)) == static_cast<float>(v));
    }
    CHECK(half_value(0x3c00) == 1.0);
    CHECK(half_value(0x0001) == std::ldexp(1.0, -24));
    CHECK(half_bits(-2.0) == 0xc000);
}

TEST_CASE("launch: every scalar kind encodes and decodes its canonical value") {
    using namespace wd::launch_detail;
    using warpsynth::scalar_kind;
    std::byte buf[8];
    for (auto [k, v] : {std::pair{scalar_kind::int8, std::int64_t{-7}}, {scalar_kind::uint8, 250}, {scalar_kind::int16, -300},
                        {scalar_kind::uint16, 65000}, {scalar_kind::int32, -70000}, {scalar_kind::uint32, 4000000000},
                        {scalar_kind::int64, -(std::int64_t{1} << 40)}, {scalar_kind::boolean, 1}}) {
        encode(buf, k, 0.0, v);
        CHECK(decode_int(buf, k) == v);
    }
    for (auto [k, v] : {std::pair{scalar_kind::float16, 0.5}, {scalar_kind::float32, 0.1f}, {scalar_kind::float64, 0.1}}) {
        encode(buf, k, v, 0);
        CHECK(decode_float(buf, k) == v);
    }
    CHECK(sizeof(device_array) == 56);
    CHECK(mangled_of("extern \"C\" __global__ void k_1234abcd_cuda_kernel_forward(\n") == "k_1234abcd");
}

// The CUDA module `launch` compiles (cuda_module.hpp) is laid out as Warp's: rebuilt from the golden records' kernel
// functions, it must equal Warp's complete .cu modules in golden/modules/ byte for byte.
TEST_CASE("launch: the CUDA module text equals Warp's golden modules") {
    const char* dir = std::getenv("WARPSYNTH_GOLDEN");
    std::string golden = dir ? dir : "";
    auto read = [](const std::string& path) {
        std::ifstream f(path, std::ios::binary);
        return f ? std::string(std::istreambuf_iterator<char>(f), {}) : std::string();
    };
    if (golden.empty() || read(golden + "/modules/add_arrays.cu").empty()) {
        MESSAGE("skipped: golden corpus not found (WARPSYNTH_GOLDEN=" << golden << ")");
        return;
    }
    // every golden record's CUDA functions, by mangled name
    std::map<std::string, std::pair<std::string, std::string>> functions;
    for (auto& entry : std::filesystem::directory_iterator(golden)) {
        if (entry.path().extension() != ".jsonl") continue;
        std::ifstream f(entry.path());
        for (std::string line; std::getline(f, line);) {
            warpsynth::json::parse_error err;
            auto v = warpsynth::json::parser(line).parse(err);
            REQUIRE_MESSAGE(v, entry.path().string() << ": " << err.message);
            auto field = [&](std::string_view k) { auto* x = v->find(k); return x ? x->str : std::string(); };
            functions[field("mangled_name")] = {field("cuda_forward"), field("cuda_backward")};
        }
    }
    int compared = 0;
    for (std::string name : {"add_arrays", "grid_add", "forward_only"}) {
        std::string want = read(golden + "/modules/" + name + ".cu");
        REQUIRE_MESSAGE(!want.empty(), name);
        std::string module(wd::cuda_module_header);
        for (auto& [mangled, f] : functions)
            if (want.find(" " + mangled + "_cuda_kernel_forward(") != std::string::npos)
                wd::append_cuda_kernel(module, f.first, f.second);
        CHECK_MESSAGE(module == want, name);
        ++compared;
    }
    CHECK(compared == 3);
}
