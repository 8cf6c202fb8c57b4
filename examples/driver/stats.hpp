// examples/driver/stats.hpp — dataset statistics (stats.json, `warpsynth stats`).
//
// Accumulated per record from a record_fields view, so the numbers `generate` writes into stats.json and the
// numbers `warpsynth stats` recomputes from the files are the same (the tests check the bytes). Every statistic
// merges order-independently (sums, minima, maxima, set unions), so the result does not depend on --threads.
//
// - categories: records per category, distinct kernels per category, records per shape;
// - distinct_kernels: distinct python_source texts once the kernel's name is replaced by a placeholder (a 64-bit
//   hash per text; kept as a sorted, de-duplicated vector, 8 bytes per distinct kernel);
// - builtins: for each callee spelling (wp.sin, wp.tid, range, ...), the number of records that call it;
// - sizes: bytes of each record and of each text field, lines of python_source (count/total/min/max/mean);
// - backward: records with and without a backward pass (enable_backward=False);
// - cpu_vs_cuda: for records with both devices, whether the CUDA function body equals the CPU one once the
//   wrapper is set aside (the body from "// primal vars" on, leading whitespace dropped, `continue;` read as
//   `return;`, lines that are only '}' skipped) — any difference is a device-specific code path — and how many
//   bytes longer the CUDA texts are on average.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common.hpp"
#include "record.hpp"

namespace warpsynth::driver {

struct size_stat {
    std::uint64_t count = 0, total = 0, min = UINT64_MAX, max = 0;
    void add(std::uint64_t v) {
        ++count;
        total += v;
        min = std::min(min, v);
        max = std::max(max, v);
    }
    void merge(const size_stat& o) {
        count += o.count;
        total += o.total;
        min = std::min(min, o.min);
        max = std::max(max, o.max);
    }
    double mean() const { return count ? static_cast<double>(total) / static_cast<double>(count) : 0.0; }
};

namespace stats_detail {

inline bool ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The first occurrence of `needle` in `hay` from `from` on (npos if none), as string_view::find. Kernel names start
// with common letters ('a' of arithmetic, atomic), on which find's memchr stops every few bytes; here a
// candidate must match the first and the last character, tested 16 positions at a time.
inline std::size_t find_text(std::string_view hay, std::string_view needle, std::size_t from) {
#if defined(__SSE2__)
    const std::size_t n = needle.size();
    if (n >= 2) {
        const __m128i first = _mm_set1_epi8(needle.front()), last = _mm_set1_epi8(needle.back());
        for (; from + n - 1 + 16 <= hay.size(); from += 16) {
            const char* p = hay.data() + from;
            const __m128i f = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), first);
            const __m128i l = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 1)), last);
            for (auto m = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(f, l))); m; m &= m - 1) {
                const auto k = static_cast<std::size_t>(__builtin_ctz(m));
                if (std::memcmp(p + k + 1, needle.data() + 1, n - 2) == 0) return from + k;
            }
        }
    }
#endif
    return hay.find(needle, from);
}

// python_source with every whole-identifier occurrence of `name` replaced by a placeholder.
inline void normalize_source(std::string& out, std::string_view src, std::string_view name) {
    out.clear();
    if (name.empty()) {
        out.assign(src);
        return;
    }
    std::size_t at = 0;
    while (true) {
        std::size_t p = find_text(src, name, at);
        if (p == std::string_view::npos) break;
        std::size_t e = p + name.size();
        bool whole = (p == 0 || !ident_char(src[p - 1])) && (e == src.size() || !ident_char(src[e]));
        out.append(src, at, (whole ? p : e) - at);
        if (whole) out += "__kernel__";
        at = e;
    }
    out.append(src, at);
}

inline std::uint64_t hash_text(std::string_view s) {
    std::uint64_t h = std::hash<std::string_view>{}(s);
    return h ^ (0x9e3779b97f4a7c15ull * (s.size() + 1));
}

#if defined(WARPSYNTH_DRIVER_AVX512)
// `text` with every line's leading whitespace (spaces, tabs; the first line's too) removed, written at `out`
// (room: size + 64); returns the length. 64 bytes a step, no branch per line: a byte is leading whitespace if it is
// whitespace in a run that starts right after a newline, found by adding the run starts to the whitespace mask (the
// carry runs through each such run and clears it); one compress drops those bytes. The masks stay in mask registers
// (kadd, kandn, ...): moved to general registers and back they cost a third of the time.
[[gnu::target("avx512f,avx512bw,avx512vbmi2,bmi2,popcnt")]] inline std::size_t strip_indentation_avx512(
    std::string_view text, char* out) {
    const __m512i space = _mm512_set1_epi8(' '), tab = _mm512_set1_epi8('\t'), newline = _mm512_set1_epi8('\n');
    __mmask64 carry = 1;  // the next block's first byte starts a line or continues leading whitespace
    char* o = out;
    for (std::size_t at = 0; at < text.size(); at += 64) {
        const std::size_t n = std::min<std::size_t>(64, text.size() - at);
        const __mmask64 valid = n == 64 ? ~0ull : (1ull << n) - 1;
        const __m512i v = _mm512_maskz_loadu_epi8(valid, text.data() + at);
        const __mmask64 ws =
            _kor_mask64(_mm512_mask_cmpeq_epi8_mask(valid, v, space), _mm512_mask_cmpeq_epi8_mask(valid, v, tab));
        const __mmask64 nl = _mm512_mask_cmpeq_epi8_mask(valid, v, newline);
        const __mmask64 starts = _kand_mask64(_kor_mask64(_kshiftli_mask64(nl, 1), carry), ws);
        const __mmask64 lead = _kandn_mask64(_kadd_mask64(ws, starts), ws);
        carry = _kshiftri_mask64(_kor_mask64(lead, nl), 63);
        const __mmask64 keep = _kandn_mask64(lead, valid);
        _mm512_storeu_si512(o, _mm512_maskz_compress_epi8(keep, v));
        o += _mm_popcnt_u64(_cvtmask64_u64(keep));
    }
    return static_cast<std::size_t>(o - out);
}

// The quick answer for the usual case, on texts already stripped of indentation: equal once the trailing
// lines that are only '}' and a final `return;` (CPU) / `continue;` (CUDA) are set aside. False means "not
// shown equal", and the caller then decides line by line.
inline bool stripped_bodies_equal(std::string_view a, std::string_view b) {
    auto drop_braces = [](std::string_view& t) {
        while (t.ends_with("}\n") && (t.size() == 2 || t[t.size() - 3] == '\n')) t.remove_suffix(2);
    };
    auto drop_line = [](std::string_view& t, std::string_view line) {
        if (!t.ends_with(line) || (t.size() > line.size() && t[t.size() - line.size() - 1] != '\n')) return false;
        t.remove_suffix(line.size());
        return true;
    };
    drop_braces(a);
    drop_braces(b);
    if (drop_line(a, "return;\n") != drop_line(b, "continue;\n")) return false;
    return a == b;
}

#endif

// Do a CPU and a CUDA function have the same body? Both are read from their "// primal vars" line on, line by
// line, ignoring leading whitespace, blank lines and lines that are only '}' (the wrappers' closing braces), and
// reading a CUDA line starting `continue;` as `return;` (the grid-stride loop's exit).
// With AVX-512 (VBMI2) the usual case, equal bodies, is answered from indentation-stripped copies; any other
// case, and every case without it (or with `allow_avx512 = false`), line by line.
inline bool same_body(std::string_view cpu, std::string_view cuda, bool allow_avx512 = true) {
    static constexpr std::string_view marker = "// primal vars\n";
    std::size_t sa = find_text(cpu, marker, 0), sb = find_text(cuda, marker, 0);
    if (sa == std::string_view::npos || sb == std::string_view::npos) return cpu == cuda;
#if defined(WARPSYNTH_DRIVER_AVX512)
    if (allow_avx512 && detail::cpu_has_avx512_vbmi2()) {
        thread_local byte_buffer stripped_cpu, stripped_cuda;  // per thread: they keep their capacity
        stripped_cpu.clear();
        stripped_cuda.clear();
        char* a = stripped_cpu.extend(cpu.size() - sa + 64);
        char* b = stripped_cuda.extend(cuda.size() - sb + 64);
        std::string_view as(a, strip_indentation_avx512(cpu.substr(sa), a));
        std::string_view bs(b, strip_indentation_avx512(cuda.substr(sb), b));
        if (stripped_bodies_equal(as, bs)) return true;
    }
#else
    (void)allow_avx512;
#endif
    const char *a = cpu.data() + sa, *ae = cpu.data() + cpu.size();
    const char *b = cuda.data() + sb, *be = cuda.data() + cuda.size();
    // Move p to the first byte of the next line that counts; false at the end.
    auto skip = [](const char*& p, const char* e) {
        while (true) {
            while (p < e && (*p == ' ' || *p == '\t')) ++p;
            if (p == e) return false;
            if (*p == '\n') {
                ++p;
                continue;
            }
            if (*p == '}' && (p + 1 == e || p[1] == '\n')) {
                p += p + 1 == e ? 1 : 2;
                continue;
            }
            return true;
        }
    };
    auto line_end = [](const char* p, const char* e) {
        auto n = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(e - p)));
        return n ? n : e;
    };
    while (true) {
        bool ha = skip(a, ae), hb = skip(b, be);
        if (ha != hb) return false;
        if (!ha) return true;
        const char *la = a, *lb = b;  // the lines' first significant bytes
        // Compare up to and including a's newline, 16 bytes at a time where both texts have 16 more bytes.
        bool equal = false, decided = false;
#if defined(__SSE2__)
        const __m128i nl = _mm_set1_epi8('\n');
        while (ae - a >= 16 && be - b >= 16) {
            __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a));
            __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
            unsigned neq = ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(va, vb))) & 0xFFFFu;
            unsigned nls = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(va, nl)));
            if (nls) {
                unsigned upto = (2u << __builtin_ctz(nls)) - 1;  // bytes up to and including the newline
                equal = (neq & upto) == 0;
                if (equal) a += __builtin_ctz(nls) + 1, b += __builtin_ctz(nls) + 1;
                decided = true;
                break;
            }
            if (neq) {
                decided = true;  // a mismatch before a's newline
                break;
            }
            a += 16;
            b += 16;
        }
#endif
        if (!decided) {
            const char* ea = line_end(a, ae);
            std::size_t n = static_cast<std::size_t>(ea - a) + (ea < ae ? 1 : 0);
            equal = static_cast<std::size_t>(be - b) >= n && std::memcmp(a, b, n) == 0 &&
                    (ea < ae || b + n == be || b[n] == '\n');
            if (equal) {
                a += n;
                b += n;
                if (ea == ae && b < be) ++b;  // a's text ended without a newline, b's line has one
            }
        }
        if (equal) continue;
        // `return;...` on the CPU, `continue;...` in CUDA.
        static constexpr std::string_view ret = "return;", cont = "continue;";
        const char *ea = line_end(la, ae), *eb = line_end(lb, be);
        std::string_view lav(la, static_cast<std::size_t>(ea - la)), lbv(lb, static_cast<std::size_t>(eb - lb));
        if (!lav.starts_with(ret) || !lbv.starts_with(cont) || lav.substr(ret.size()) != lbv.substr(cont.size()))
            return false;
        a = ea < ae ? ea + 1 : ae;
        b = eb < be ? eb + 1 : be;
    }
}

inline void compact(std::vector<std::uint64_t>& v, std::size_t& compacted) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    compacted = v.size();
}

inline std::string fixed1(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

}  // namespace stats_detail

class dataset_stats {
  public:
    void add(const record_fields& f, std::uint64_t record_bytes) {
        ++records_;
        bytes_.add(record_bytes);
        auto& c = category(f.category);
        ++c.records;
        stats_detail::normalize_source(scratch_, f.python_source, f.kernel_name);
        c.kernels.push_back(stats_detail::hash_text(scratch_));
        if (c.kernels.size() >= 2 * c.compacted + 4096) stats_detail::compact(c.kernels, c.compacted);
        bump(c.shapes, f.shape);
        for (auto b : f.builtins) bump(builtins_, b);
        python_.add(f.python_source.size());
        python_lines_.add(static_cast<std::uint64_t>(std::count(f.python_source.begin(), f.python_source.end(), '\n')));
        auto ir = [](size_stat& s, field_state st, std::string_view t) {
            if (st == field_state::string) s.add(t.size());
        };
        ir(cpu_forward_, f.cpu_forward_state, f.cpu_forward);
        ir(cpu_backward_, f.cpu_backward_state, f.cpu_backward);
        ir(cuda_forward_, f.cuda_forward_state, f.cuda_forward);
        ir(cuda_backward_, f.cuda_backward_state, f.cuda_backward);
        field_state bw = f.cpu_forward_state != field_state::absent ? f.cpu_backward_state : f.cuda_backward_state;
        ++(bw == field_state::string ? with_backward_ : without_backward_);
        if (f.cpu_forward_state == field_state::string && f.cuda_forward_state == field_state::string) {
            ++both_;
            ++(stats_detail::same_body(f.cpu_forward, f.cuda_forward) ? fwd_same_ : fwd_diff_);
            fwd_delta_ += static_cast<std::int64_t>(f.cuda_forward.size()) - static_cast<std::int64_t>(f.cpu_forward.size());
            if (f.cpu_backward_state == field_state::string && f.cuda_backward_state == field_state::string) {
                ++bwd_both_;
                ++(stats_detail::same_body(f.cpu_backward, f.cuda_backward) ? bwd_same_ : bwd_diff_);
                bwd_delta_ += static_cast<std::int64_t>(f.cuda_backward.size()) -
                              static_cast<std::int64_t>(f.cpu_backward.size());
            }
        }
    }

    void merge(dataset_stats&& o) {
        records_ += o.records_;
        bytes_.merge(o.bytes_);
        for (auto& [name, oc] : o.cats_) {
            auto& c = category(name);
            c.records += oc.records;
            c.kernels.insert(c.kernels.end(), oc.kernels.begin(), oc.kernels.end());
            if (c.kernels.size() >= 2 * c.compacted + 4096) stats_detail::compact(c.kernels, c.compacted);
            for (auto& [s, n] : oc.shapes) bump(c.shapes, s, n);
        }
        for (auto& [b, n] : o.builtins_) bump(builtins_, b, n);
        python_.merge(o.python_);
        python_lines_.merge(o.python_lines_);
        cpu_forward_.merge(o.cpu_forward_);
        cpu_backward_.merge(o.cpu_backward_);
        cuda_forward_.merge(o.cuda_forward_);
        cuda_backward_.merge(o.cuda_backward_);
        with_backward_ += o.with_backward_;
        without_backward_ += o.without_backward_;
        both_ += o.both_;
        fwd_same_ += o.fwd_same_;
        fwd_diff_ += o.fwd_diff_;
        bwd_both_ += o.bwd_both_;
        bwd_same_ += o.bwd_same_;
        bwd_diff_ += o.bwd_diff_;
        fwd_delta_ += o.fwd_delta_;
        bwd_delta_ += o.bwd_delta_;
        o = dataset_stats{};
    }

    std::uint64_t records() const { return records_; }
    std::uint64_t total_bytes() const { return bytes_.total; }

    // Distinct kernels overall and per category (finalizes the hash sets).
    std::uint64_t distinct_kernels() {
        std::vector<std::uint64_t> all;
        for (auto& [name, c] : cats_) {
            stats_detail::compact(c.kernels, c.compacted);
            all.insert(all.end(), c.kernels.begin(), c.kernels.end());
        }
        std::size_t n = 0;
        stats_detail::compact(all, n);
        return n;
    }

    // stats.json: pretty-printed (indent 2), keys in a fixed order, maps sorted by key.
    std::string to_json() {
        std::uint64_t distinct = distinct_kernels();
        std::string o = "{\n";
        auto num = [&](std::string_view indent, std::string_view key, std::uint64_t v, bool comma = true) {
            o += indent;
            append_json_string(o, key);
            o += ": ";
            append_uint(o, v);
            o += comma ? ",\n" : "\n";
        };
        auto raw = [&](std::string_view indent, std::string_view key, const std::string& v, bool comma = true) {
            o += indent;
            append_json_string(o, key);
            o += ": " + v + (comma ? ",\n" : "\n");
        };
        auto count_map = [&](std::string_view indent, std::string_view key,
                             const std::map<std::string, std::uint64_t, std::less<>>& m, bool comma) {
            o += indent;
            append_json_string(o, key);
            if (m.empty()) {
                o += comma ? ": {},\n" : ": {}\n";
                return;
            }
            o += ": {\n";
            std::size_t i = 0;
            for (auto& [k, v] : m) num(std::string(indent) + "  ", k, v, ++i < m.size());
            o += std::string(indent) + (comma ? "},\n" : "}\n");
        };
        num("  ", "records", records_);
        num("  ", "bytes", bytes_.total);
        num("  ", "distinct_kernels", distinct);
        o += "  \"categories\": {";
        if (cats_.empty()) o += "},\n";
        else {
            o += "\n";
            std::size_t i = 0;
            for (auto& [name, c] : cats_) {
                o += "    ";
                append_json_string(o, name);
                o += ": {\n";
                num("      ", "records", c.records);
                num("      ", "distinct_kernels", c.kernels.size());
                count_map("      ", "shapes", c.shapes, false);
                o += ++i < cats_.size() ? "    },\n" : "    }\n";
            }
            o += "  },\n";
        }
        count_map("  ", "builtins", builtins_, true);
        o += "  \"sizes\": {\n";
        auto size = [&](std::string_view key, const size_stat& s, bool comma) {
            o += "    ";
            append_json_string(o, key);
            o += ": {\"count\": ";
            append_uint(o, s.count);
            o += ", \"total\": ";
            append_uint(o, s.total);
            o += ", \"min\": ";
            append_uint(o, s.count ? s.min : 0);
            o += ", \"max\": ";
            append_uint(o, s.max);
            o += ", \"mean\": " + stats_detail::fixed1(s.mean()) + (comma ? "},\n" : "}\n");
        };
        size("record_bytes", bytes_, true);
        size("python_source_bytes", python_, true);
        size("python_source_lines", python_lines_, true);
        size("cpu_forward_bytes", cpu_forward_, true);
        size("cpu_backward_bytes", cpu_backward_, true);
        size("cuda_forward_bytes", cuda_forward_, true);
        size("cuda_backward_bytes", cuda_backward_, false);
        o += "  },\n";
        o += "  \"backward\": {\"with\": ";
        append_uint(o, with_backward_);
        o += ", \"without\": ";
        append_uint(o, without_backward_);
        o += "},\n";
        o += "  \"cpu_vs_cuda\": {\n";
        num("    ", "records_with_both", both_);
        num("    ", "forward_body_identical", fwd_same_);
        num("    ", "forward_body_differs", fwd_diff_);
        num("    ", "backward_body_identical", bwd_same_);
        num("    ", "backward_body_differs", bwd_diff_);
        raw("    ", "cuda_minus_cpu_forward_bytes_mean", delta_mean(fwd_delta_, both_));
        raw("    ", "cuda_minus_cpu_backward_bytes_mean", delta_mean(bwd_delta_, bwd_both_), false);
        o += "  }\n}\n";
        return o;
    }

    // A human-readable summary (`warpsynth stats`).
    std::string to_text() {
        std::uint64_t distinct = distinct_kernels();
        std::string o;
        char line[512];
        auto put = [&](const char* fmt, auto... a) {
            std::snprintf(line, sizeof line, fmt, a...);
            o += line;
        };
        put("records            %s (%s bytes, mean %s bytes per record)\n", with_commas(records_).c_str(),
            with_commas(bytes_.total).c_str(), stats_detail::fixed1(bytes_.mean()).c_str());
        put("distinct kernels   %s (python_source with the kernel name replaced)\n", with_commas(distinct).c_str());
        o += "categories         records   distinct  shapes\n";
        for (auto& [name, c] : cats_)
            put("  %-16s %9s %10s  %zu\n", name.c_str(), with_commas(c.records).c_str(),
                with_commas(c.kernels.size()).c_str(), c.shapes.size());
        put("builtins           %zu distinct; records using each:\n", builtins_.size());
        std::vector<std::pair<std::uint64_t, std::string>> by_use;
        for (auto& [b, n] : builtins_) by_use.emplace_back(n, b);
        std::stable_sort(by_use.begin(), by_use.end(), [](auto& x, auto& y) { return x.first > y.first; });
        for (auto& [n, b] : by_use) put("  %-28s %s\n", b.c_str(), with_commas(n).c_str());
        o += "sizes              count        mean        min        max\n";
        auto size = [&](const char* name, const size_stat& s) {
            if (!s.count) return;
            put("  %-16s %9s %11s %10s %10s\n", name, with_commas(s.count).c_str(), stats_detail::fixed1(s.mean()).c_str(),
                with_commas(s.min).c_str(), with_commas(s.max).c_str());
        };
        size("record bytes", bytes_);
        size("python bytes", python_);
        size("python lines", python_lines_);
        size("cpu_forward", cpu_forward_);
        size("cpu_backward", cpu_backward_);
        size("cuda_forward", cuda_forward_);
        size("cuda_backward", cuda_backward_);
        put("backward           %s with, %s without (enable_backward=False)\n", with_commas(with_backward_).c_str(),
            with_commas(without_backward_).c_str());
        if (both_) {
            put("cpu vs cuda        %s records with both devices\n", with_commas(both_).c_str());
            put("  forward bodies   %s identical, %s differ; CUDA text %s bytes longer on average\n",
                with_commas(fwd_same_).c_str(), with_commas(fwd_diff_).c_str(), delta_mean(fwd_delta_, both_).c_str());
            put("  backward bodies  %s identical, %s differ; CUDA text %s bytes longer on average\n",
                with_commas(bwd_same_).c_str(), with_commas(bwd_diff_).c_str(),
                delta_mean(bwd_delta_, bwd_both_).c_str());
        } else {
            o += "cpu vs cuda        no record has both devices\n";
        }
        return o;
    }

  private:
    struct category_stats {
        std::uint64_t records = 0;
        std::vector<std::uint64_t> kernels;
        std::size_t compacted = 0;
        std::map<std::string, std::uint64_t, std::less<>> shapes;
    };
    std::map<std::string, category_stats, std::less<>> cats_;
    std::map<std::string, std::uint64_t, std::less<>> builtins_;
    std::uint64_t records_ = 0;
    size_stat bytes_, python_, python_lines_, cpu_forward_, cpu_backward_, cuda_forward_, cuda_backward_;
    std::uint64_t with_backward_ = 0, without_backward_ = 0;
    std::uint64_t both_ = 0, fwd_same_ = 0, fwd_diff_ = 0, bwd_both_ = 0, bwd_same_ = 0, bwd_diff_ = 0;
    std::int64_t fwd_delta_ = 0, bwd_delta_ = 0;
    std::string scratch_;

    category_stats& category(std::string_view name) {
        auto it = cats_.find(name);
        if (it == cats_.end()) it = cats_.emplace(std::string(name), category_stats{}).first;
        return it->second;
    }
    static void bump(std::map<std::string, std::uint64_t, std::less<>>& m, std::string_view key, std::uint64_t n = 1) {
        auto it = m.find(key);
        if (it == m.end()) m.emplace(std::string(key), n);
        else it->second += n;
    }
    static std::string delta_mean(std::int64_t total, std::uint64_t n) {
        return stats_detail::fixed1(n ? static_cast<double>(total) / static_cast<double>(n) : 0.0);
    }
};

}  // namespace warpsynth::driver
