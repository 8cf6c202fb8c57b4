// examples/driver/validate.hpp — `warpsynth validate` and the reading side of `warpsynth stats`.
//
// validate PATH (a .jsonl/.jsonl.zst file, or a dataset directory): every line must be one record in the exact
// schema (record.hpp, parse_record), made by this generator for this Warp version, and byte-identical to the
// record re-rendered from its metadata (category, seed, index, devices present). A mismatch is reported with the
// file, line, record id and a line diff of each differing field. In a dataset directory with a manifest the layout
// is checked too: every file of the shard present, file f holding exactly records file_begin(f).. in order, each
// of the category the run's category list assigns to it. Duplicate ids are reported. Never crashes on any input:
// the JSON parser is strict and bounded, and every type is checked before use (fuzz/fuzz_jsonl.cpp).
#pragma once

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "generate.hpp"
#include "layout.hpp"
#include "record.hpp"
#include "stats.hpp"

namespace warpsynth::driver {

inline const categories::category* find_category(std::string_view name) {
    for (auto& c : all_categories())
        if (c.name == name) return &c;
    return nullptr;
}

inline std::string known_categories() {
    std::string s;
    for (auto& c : all_categories()) s += (s.empty() ? "" : ", ") + std::string(c.name);
    return s;
}

// The layout a manifest describes (only what validation needs).
struct manifest_info {
    gen_options opt;
};

inline std::optional<manifest_info> read_manifest(const std::string& dir, std::string& error) {
    std::string path = dir + "/" + std::string(manifest_name);
    if (!gen_detail::exists(path)) return std::nullopt;
    std::string text;
    try {
        text = read_file(path);
    } catch (const io_error& e) {
        error = e.what();
        return std::nullopt;
    }
    json::parse_error perr;
    auto v = json::parser(text).parse(perr);
    auto bad = [&](std::string m) {
        error = path + ": " + m;
        return std::nullopt;
    };
    if (!v || v->type != json::value::kind::object) return bad("malformed manifest");
    manifest_info m;
    auto num = [&](const char* k, std::uint64_t& out) {
        auto* x = v->find(k);
        return x && detail::integer_field(*x, out);
    };
    auto str = [&](const char* k) -> const std::string* {
        auto* x = v->find(k);
        return x && x->type == json::value::kind::string ? &x->str : nullptr;
    };
    if (!num("seed", m.opt.seed) || !num("count", m.opt.count) || !num("records_per_file", m.opt.records_per_file) ||
        m.opt.records_per_file == 0)
        return bad("manifest lacks seed, count or records_per_file");
    auto* cats = v->find("categories");
    if (!cats || cats->type != json::value::kind::array || cats->items.empty()) return bad("manifest lacks categories");
    for (auto& c : cats->items) {
        const categories::category* cat = c.type == json::value::kind::string ? find_category(c.str) : nullptr;
        if (!cat) return bad("manifest names an unknown category");
        m.opt.cats.push_back(cat);
    }
    auto* dev = str("device");
    auto* fmt = str("format");
    auto* comp = str("compression");
    auto* shard = str("shard");
    if (!dev || !fmt || !comp || !shard) return bad("manifest lacks device, format, compression or shard");
    m.opt.dev = *dev == "cpu" ? devices::cpu : *dev == "cuda" ? devices::cuda : devices::both;
    m.opt.format = *fmt == "seed-json" ? output_format::seed_json : output_format::jsonl;
    m.opt.comp = comp->starts_with("zstd") ? compression::zstd : compression::none;
    if (std::sscanf(shard->c_str(), "%lu/%lu", &m.opt.shard_k, &m.opt.shard_n) != 2 || m.opt.shard_n == 0 ||
        m.opt.shard_k >= m.opt.shard_n)
        return bad("manifest has a bad shard");
    return m;
}

// The data files of PATH, in order: PATH itself, or a directory's data-*.jsonl / data-*.jsonl.zst.
inline std::vector<std::string> data_files(const std::string& path) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) throw usage_error("cannot open " + path + ": " + describe_errno(errno));
    if (!S_ISDIR(st.st_mode)) return {path};
    std::vector<std::string> files;
    bool seed_json = false;
    for (auto& n : gen_detail::list_dir(path)) {
        if (!n.starts_with("data-")) continue;
        if (n.ends_with(".jsonl") || n.ends_with(".jsonl.zst")) files.push_back(path + "/" + n);
        else if (gen_detail::is_dir(path + "/" + n)) seed_json = true;
    }
    if (files.empty()) {
        if (seed_json)
            throw usage_error(path + " holds a --format seed-json dataset; validate and stats read JSONL datasets");
        throw usage_error("no data-*.jsonl files in " + path);
    }
    return files;
}

struct validate_options {
    std::size_t max_reported = 100;  // invalid records reported in full; the rest are counted
    std::size_t diff_lines = 12;     // lines of each side shown per differing field
};

class validator {
  public:
    explicit validator(std::FILE* out, validate_options opt = {}) : out_(out), opt_(opt) {}

    // The layout to check files against (a dataset directory with a manifest).
    void expect_layout(const gen_options& o) {
        layout_opt_ = o;
        layout_.emplace(layout_opt_);
    }

    // Start a file: `name` for messages; `file_no` its number in the expected layout (if any).
    void begin_file(std::string name, std::optional<std::uint64_t> file_no = std::nullopt) {
        file_ = std::move(name);
        file_no_ = file_no;
        position_ = 0;
        ++files_;
    }

    // One line of the current file (without '\n').
    void line(std::uint64_t line_no, std::string_view text, bool had_newline) {
        ++records_;
        std::uint64_t position = position_++;
        bool ok = check(line_no, position, text);
        if (!had_newline) {
            if (ok) ++invalid_;
            ok = false;
            report(line_no, {}, "no newline at the end of the file (the last record is incomplete)");
        }
        if (ok) ++valid_;
    }

    // A file-level problem (missing file, unreadable or corrupt stream, wrong record count).
    void file_problem(const std::string& message) {
        ++file_problems_;
        if (reported_++ < opt_.max_reported) std::fprintf(out_, "%s\n", message.c_str());
    }

    void end_file() {
        if (layout_ && file_no_) {
            std::uint64_t want = layout_->file_end(*file_no_) - layout_->file_begin(*file_no_);
            if (position_ != want)
                file_problem(file_ + ": " + std::to_string(position_) + " records, expected " + std::to_string(want));
        }
    }

    // Duplicate ids (across all files); call once at the end.
    void finish() {
        std::sort(ids_.begin(), ids_.end());
        for (std::size_t i = 1; i < ids_.size(); ++i)
            if (std::get<0>(ids_[i]) == std::get<0>(ids_[i - 1]) && std::get<1>(ids_[i]) == std::get<1>(ids_[i - 1])) {
                auto& [s, k, f, l] = ids_[i];
                auto& [s0, k0, f0, l0] = ids_[i - 1];
                file_problem(names_[f] + ":" + std::to_string(l) + ": duplicate record id " + std::to_string(s) + "-" +
                             std::to_string(k) + " (also at " + names_[f0] + ":" + std::to_string(l0) + ")");
                ++duplicates_;
            }
        ids_.clear();
    }

    std::uint64_t records() const { return records_; }
    std::uint64_t valid() const { return valid_; }
    std::uint64_t invalid() const { return invalid_; }
    std::uint64_t problems() const { return invalid_ + file_problems_; }
    std::uint64_t files() const { return files_; }

  private:
    std::FILE* out_;
    validate_options opt_;
    gen_options layout_opt_;
    std::optional<layout> layout_;
    std::string file_;
    std::optional<std::uint64_t> file_no_;
    std::uint64_t position_ = 0, records_ = 0, valid_ = 0, invalid_ = 0, file_problems_ = 0, files_ = 0,
                  duplicates_ = 0;
    std::size_t reported_ = 0;
    parsed_record rec_;
    record_builder builder_;
    byte_buffer expected_;
    std::string error_;
    std::vector<std::string> names_;
    std::vector<std::tuple<std::uint64_t, std::uint64_t, std::uint32_t, std::uint64_t>> ids_;

    void report(std::uint64_t line_no, std::string_view id, const std::string& message, const std::string& detail = {}) {
        if (reported_++ >= opt_.max_reported) {
            if (reported_ == opt_.max_reported + 1)
                std::fprintf(out_, "(further problems are counted, not shown)\n");
            return;
        }
        std::fprintf(out_, "%s:%llu: ", file_.c_str(), static_cast<unsigned long long>(line_no));
        if (!id.empty()) std::fprintf(out_, "record %.*s: ", static_cast<int>(id.size()), id.data());
        std::fprintf(out_, "%s\n%s", message.c_str(), detail.c_str());
    }

    bool fail(std::uint64_t line_no, std::string_view id, const std::string& message, const std::string& detail = {}) {
        ++invalid_;
        report(line_no, id, message, detail);
        return false;
    }

    bool check(std::uint64_t line_no, std::uint64_t position, std::string_view text) {
        if (text.empty()) return fail(line_no, {}, "empty line");
        if (!parse_record(text, rec_, error_)) return fail(line_no, {}, error_);
        const record_fields& r = rec_.fields;
        std::string id(r.id);
        if (names_.empty() || names_.back() != file_) names_.push_back(file_);
        ids_.emplace_back(r.seed, r.index, static_cast<std::uint32_t>(names_.size() - 1), line_no);
        const categories::category* cat = find_category(r.category);
        if (!cat)
            return fail(line_no, id, "unknown category \"" + std::string(r.category) + "\" (known: " + known_categories() + ")");
        if (r.warp_version != warp_version)
            return fail(line_no, id, "record is for Warp " + std::string(r.warp_version) + "; this warpsynth reproduces Warp " +
                                         std::string(warp_version));
        if (r.generator != generator_string)
            return fail(line_no, id, "record was made by \"" + std::string(r.generator) + "\"; this is " +
                                         std::string(generator_string) + ", which cannot re-render it");
        if (layout_) {
            const gen_options& o = layout_opt_;
            if (file_no_) {
                std::uint64_t want = layout_->file_begin(*file_no_) + position;
                if (r.seed != o.seed || r.index != want) {
                    std::string wid;
                    append_id(wid, o.seed, want);
                    return fail(line_no, id, "out of place: line " + std::to_string(position + 1) + " of this file must be record " + wid);
                }
            }
            if (o.cats[r.index % o.cats.size()] != cat)
                return fail(line_no, id, "category \"" + std::string(r.category) + "\", but the run's category list assigns \"" +
                                             std::string(o.cats[r.index % o.cats.size()]->name) + "\" to index " +
                                             std::to_string(r.index));
            bool cpu = r.cpu_forward_state != field_state::absent, cuda = r.cuda_forward_state != field_state::absent;
            if (cpu != has_cpu(o.dev) || cuda != has_cuda(o.dev))
                return fail(line_no, id, "IR fields do not match the run's device \"" + std::string(device_name(o.dev)) + "\"");
        }
        devices dev = r.cpu_forward_state == field_state::absent  ? devices::cuda
                      : r.cuda_forward_state == field_state::absent ? devices::cpu
                                                                    : devices::both;
        try {
            builder_.build(*cat, r.seed, r.index, dev);
        } catch (const std::exception& e) {
            return fail(line_no, id, std::string("re-rendering failed: ") + e.what());
        }
        expected_.clear();
        append_jsonl(expected_, builder_.fields());
        if (expected_.size() == text.size() + 1 && expected_.view().substr(0, text.size()) == text) return true;
        return fail(line_no, id, "differs from the record re-rendered from its metadata", describe_diff(builder_.fields(), r, text));
    }

    // ---- diffs ----
    static std::vector<std::string_view> lines_of(std::string_view s) {
        std::vector<std::string_view> v;
        std::size_t at = 0;
        while (at <= s.size()) {
            std::size_t e = s.find('\n', at);
            if (e == std::string_view::npos) {
                if (at < s.size()) v.push_back(s.substr(at));
                break;
            }
            v.push_back(s.substr(at, e - at));
            at = e + 1;
        }
        return v;
    }

    std::string text_diff(std::string_view field, std::string_view want, std::string_view have) const {
        auto a = lines_of(want), b = lines_of(have);
        std::size_t p = 0;
        while (p < a.size() && p < b.size() && a[p] == b[p]) ++p;
        std::size_t s = 0;
        while (s < a.size() - p && s < b.size() - p && a[a.size() - 1 - s] == b[b.size() - 1 - s]) ++s;
        std::string d = "  --- expected/" + std::string(field) + " (re-rendered)\n  +++ record/" + std::string(field) + "\n";
        d += "  @@ line " + std::to_string(p + 1) + " @@\n";
        auto side = [&](char sign, const std::vector<std::string_view>& v, std::size_t end) {
            std::size_t shown = 0;
            for (std::size_t i = p; i < end; ++i) {
                if (shown++ == opt_.diff_lines) {
                    d += "  " + std::string(1, sign) + " ... (" + std::to_string(end - i) + " more lines)\n";
                    break;
                }
                d += "  ";
                d += sign;
                d.append(v[i]);
                d += '\n';
            }
        };
        side('-', a, a.size() - s);
        side('+', b, b.size() - s);
        if (p == a.size() - s && p == b.size() - s) d += "  (the texts differ only in the final newline)\n";
        return d;
    }

    std::string describe_diff(const record_fields& want, const record_fields& have, std::string_view text) const {
        std::string d;
        auto str_field = [&](std::string_view name, std::string_view w, std::string_view h) {
            if (w != h) d += text_diff(name, w, h);
        };
        auto ir = [&](std::string_view name, field_state ws, std::string_view w, field_state hs, std::string_view h) {
            auto st = [](field_state s) { return s == field_state::absent ? "absent" : s == field_state::null ? "null" : "a string"; };
            if (ws != hs) d += "  " + std::string(name) + ": expected " + st(ws) + ", record has " + st(hs) + "\n";
            else if (ws == field_state::string) str_field(name, w, h);
        };
        str_field("kernel_name", want.kernel_name, have.kernel_name);
        str_field("python_source", want.python_source, have.python_source);
        ir("cpu_forward", want.cpu_forward_state, want.cpu_forward, have.cpu_forward_state, have.cpu_forward);
        ir("cpu_backward", want.cpu_backward_state, want.cpu_backward, have.cpu_backward_state, have.cpu_backward);
        ir("cuda_forward", want.cuda_forward_state, want.cuda_forward, have.cuda_forward_state, have.cuda_forward);
        ir("cuda_backward", want.cuda_backward_state, want.cuda_backward, have.cuda_backward_state, have.cuda_backward);
        byte_buffer wa, ha, wb, hb;
        detail::append_arg_types(wa, want);
        detail::append_arg_types(ha, have);
        str_field("metadata.arg_types", wa, ha);
        detail::append_builtins(wb, want);
        detail::append_builtins(hb, have);
        str_field("metadata.builtins", wb, hb);
        str_field("metadata.description", want.description, have.description);
        str_field("metadata.shape", want.shape, have.shape);
        if (d.empty()) {
            byte_buffer expb;
            append_jsonl(expb, want);
            std::string_view exp = expb.view();
            std::size_t i = 0;
            while (i < text.size() && i < exp.size() && text[i] == exp[i]) ++i;
            d = "  every field has the expected value, but the line is not the generator's serialization (field order, "
                "spacing or escaping) from column " + std::to_string(i + 1) + "\n";
        }
        return d;
    }
};

// Feed every line of PATH (a file or a dataset directory) to `on_line(file, line_no, text, had_newline)`;
// file-level problems go to `on_problem(message)`. Returns the manifest, if PATH is a directory with one.
template <class BeginFile, class OnLine, class EndFile, class OnProblem>
void read_dataset(const std::string& path, const std::optional<manifest_info>& manifest, BeginFile&& begin_file,
                  OnLine&& on_line, EndFile&& end_file, OnProblem&& on_problem) {
    std::vector<std::string> files = data_files(path);
    std::optional<layout> lay;
    if (manifest) {
        lay.emplace(manifest->opt);
        for (std::uint64_t f = lay->first_file(); f < lay->end_file(); ++f) {
            std::string p = path + "/" + lay->name(f);
            if (std::find(files.begin(), files.end(), p) == files.end())
                on_problem(p + ": missing (records " + std::to_string(lay->file_begin(f)) + " to " +
                           std::to_string(lay->file_end(f) - 1) + " of shard " + std::to_string(manifest->opt.shard_k) +
                           "/" + std::to_string(manifest->opt.shard_n) + ")");
        }
    }
    for (auto& file : files) {
        std::optional<std::uint64_t> file_no;
        if (lay) {
            for (std::uint64_t f = lay->first_file(); f < lay->end_file(); ++f)
                if (file == path + "/" + lay->name(f)) file_no = f;
            if (!file_no) {
                on_problem(file + ": not a data file of this dataset's shard (see " + std::string(manifest_name) + ")");
                continue;
            }
        }
        begin_file(file, file_no);
        try {
            line_reader r(file);
            std::string_view text;
            bool nl;
            while (r.next(text, nl)) on_line(r.line_number(), text, nl);
        } catch (const data_error& e) {
            on_problem(e.what());
        } catch (const io_error& e) {
            on_problem(e.what());
        }
        end_file();
    }
}

}  // namespace warpsynth::driver
