// examples/driver/record.hpp — one dataset record: how it is built, written and read back.
//
// A JSONL record is one line, exactly these top-level fields in this order (IR fields only for requested devices;
// a backward field is null when the kernel has enable_backward=False):
//
//   {"id": "<seed>-<index>", "kernel_name": ..., "category": ..., "python_source": ...,
//    "cpu_forward": ..., "cpu_backward": ..., "cuda_forward": ..., "cuda_backward": ...,
//    "metadata": {"seed": S, "index": K, "warp_version": ..., "generator": ..., "arg_types": {...},
//                 "builtins": [...], "description": ..., "shape": ...}}
//
// `record_fields` is a view of one record, filled either by `record_builder` (generation: make + render) or by
// `parse_record` (reading a file). Serialization, statistics and validation all work on the view, so a record
// read back from disk and the same record rendered afresh are handled by the same code.
#pragma once

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <warpsynth/categories/category.hpp>

#include "catalog.hpp"
#include <warpsynth/render/warp_ir.hpp>
#include <warpsynth/util/json.hpp>

#include "common.hpp"

namespace warpsynth::driver {

// A present IR field is a string, or null (backward of an enable_backward=False kernel); or it is absent.
enum class field_state : std::uint8_t { absent, null, string };

struct record_fields {
    std::uint64_t seed = 0, index = 0;
    std::string_view id;  // only set by the reader; the writer derives it from seed and index
    std::string_view kernel_name, category, python_source, description, shape;
    std::string_view warp_version = driver::warp_version, generator = generator_string;
    field_state cpu_forward_state = field_state::absent, cpu_backward_state = field_state::absent;
    field_state cuda_forward_state = field_state::absent, cuda_backward_state = field_state::absent;
    std::string_view cpu_forward, cpu_backward, cuda_forward, cuda_backward;
    std::span<const std::pair<std::string_view, std::string_view>> arg_types;
    std::span<const std::string_view> builtins;
};

// ---------------------------------------------------------------------------------------------------------------
// Building a record: make(seed, index) + render. One builder per thread; its buffers are reused.

class record_builder {
  public:
    // Record `index` of a run over `cats`: category cats[index % size].
    void build(const categories::category& cat, std::uint64_t seed, std::uint64_t index, devices dev) {
        cat.make(seed, index, inst_);
        render(inst_.tree, rk_, {.python = true, .cpu = has_cpu(dev), .cuda = has_cuda(dev)});
        args_.clear();
        for (auto& a : inst_.tree.args) args_.emplace_back(a.name, a.python);
        builtins_.clear();
        for (auto& n : inst_.tree.nodes)
            if (n.kind == syntax::node_kind::call) builtins_.push_back(inst_.tree.text_of(n));
        std::sort(builtins_.begin(), builtins_.end());
        builtins_.erase(std::unique(builtins_.begin(), builtins_.end()), builtins_.end());

        record_fields& f = fields_;
        f = {};
        f.seed = seed;
        f.index = index;
        f.kernel_name = inst_.tree.name;
        f.category = cat.name;
        f.python_source = rk_.python_source;
        f.description = inst_.description;
        f.shape = inst_.shape;
        auto bw = rk_.has_backward ? field_state::string : field_state::null;
        if (has_cpu(dev)) {
            f.cpu_forward_state = field_state::string;
            f.cpu_forward = rk_.cpu_forward;
            f.cpu_backward_state = bw;
            f.cpu_backward = rk_.cpu_backward;
        }
        if (has_cuda(dev)) {
            f.cuda_forward_state = field_state::string;
            f.cuda_forward = rk_.cuda_forward;
            f.cuda_backward_state = bw;
            f.cuda_backward = rk_.cuda_backward;
        }
        f.arg_types = args_;
        f.builtins = builtins_;
    }
    const record_fields& fields() const { return fields_; }
    const categories::instance& instance() const { return inst_; }
    const rendered_kernel& rendered() const { return rk_; }

  private:
    categories::instance inst_;
    rendered_kernel rk_;
    std::vector<std::pair<std::string_view, std::string_view>> args_;
    std::vector<std::string_view> builtins_;
    record_fields fields_;
};

// ---------------------------------------------------------------------------------------------------------------
// Writing.

template <class Out>
void append_id(Out& out, std::uint64_t seed, std::uint64_t index) {
    append_uint(out, seed);
    out += '-';
    append_uint(out, index);
}

namespace detail {
inline void append_ir(byte_buffer& out, std::string_view key, field_state st, std::string_view text) {
    if (st == field_state::absent) return;
    out += ", \"";
    out += key;
    out += "\": ";
    if (st == field_state::null) out += "null";
    else append_json_string(out, text);
}
inline void append_arg_types(byte_buffer& out, const record_fields& f) {
    out += '{';
    bool first = true;
    for (auto& [name, type] : f.arg_types) {
        if (!first) out += ", ";
        first = false;
        append_json_string(out, name);
        out += ": ";
        append_json_string(out, type);
    }
    out += '}';
}
inline void append_builtins(byte_buffer& out, const record_fields& f) {
    out += '[';
    bool first = true;
    for (auto b : f.builtins) {
        if (!first) out += ", ";
        first = false;
        append_json_string(out, b);
    }
    out += ']';
}
}  // namespace detail

// One JSONL line, newline included: json.dumps(record, ensure_ascii=False) + "\n".
inline void append_jsonl(byte_buffer& out, const record_fields& f) {
    out += "{\"id\": \"";
    append_id(out, f.seed, f.index);
    out += "\", \"kernel_name\": ";
    append_json_string(out, f.kernel_name);
    out += ", \"category\": ";
    append_json_string(out, f.category);
    out += ", \"python_source\": ";
    append_json_string(out, f.python_source);
    detail::append_ir(out, "cpu_forward", f.cpu_forward_state, f.cpu_forward);
    detail::append_ir(out, "cpu_backward", f.cpu_backward_state, f.cpu_backward);
    detail::append_ir(out, "cuda_forward", f.cuda_forward_state, f.cuda_forward);
    detail::append_ir(out, "cuda_backward", f.cuda_backward_state, f.cuda_backward);
    out += ", \"metadata\": {\"seed\": ";
    append_uint(out, f.seed);
    out += ", \"index\": ";
    append_uint(out, f.index);
    out += ", \"warp_version\": ";
    append_json_string(out, f.warp_version);
    out += ", \"generator\": ";
    append_json_string(out, f.generator);
    out += ", \"arg_types\": ";
    detail::append_arg_types(out, f);
    out += ", \"builtins\": ";
    detail::append_builtins(out, f);
    out += ", \"description\": ";
    append_json_string(out, f.description);
    out += ", \"shape\": ";
    append_json_string(out, f.shape);
    out += "}}\n";
}

// `--format seed-json`: one pretty-printed file per record in the old seed pipeline's shape, exactly
// json.dumps(obj, indent=2, ensure_ascii=False) + "\n" of
//   {"python_source": ..., "cpp_forward": <CPU forward>, "cuda_forward": <CUDA forward>, "metadata": {...}}
// (each forward key only for a requested device; metadata as in JSONL plus id, kernel_name and category).
inline void append_seed_json(byte_buffer& out, const record_fields& f) {
    auto key = [&](std::string_view indent, std::string_view k) {
        out += indent;
        out += '"';
        out += k;
        out += "\": ";
    };
    auto str = [&](std::string_view indent, std::string_view k, std::string_view v, bool comma = true) {
        key(indent, k);
        append_json_string(out, v);
        out += comma ? ",\n" : "\n";
    };
    out += "{\n";
    str("  ", "python_source", f.python_source);
    if (f.cpu_forward_state == field_state::string) str("  ", "cpp_forward", f.cpu_forward);
    if (f.cuda_forward_state == field_state::string) str("  ", "cuda_forward", f.cuda_forward);
    out += "  \"metadata\": {\n";
    key("    ", "id");
    out += '"';
    append_id(out, f.seed, f.index);
    out += "\",\n";
    str("    ", "kernel_name", f.kernel_name);
    str("    ", "category", f.category);
    key("    ", "seed");
    append_uint(out, f.seed);
    out += ",\n";
    key("    ", "index");
    append_uint(out, f.index);
    out += ",\n";
    str("    ", "warp_version", f.warp_version);
    str("    ", "generator", f.generator);
    key("    ", "arg_types");
    if (f.arg_types.empty()) {
        out += "{},\n";
    } else {
        out += "{\n";
        for (std::size_t i = 0; i < f.arg_types.size(); ++i)
            str("      ", f.arg_types[i].first, f.arg_types[i].second, i + 1 < f.arg_types.size());
        out += "    },\n";
    }
    key("    ", "builtins");
    if (f.builtins.empty()) {
        out += "[],\n";
    } else {
        out += "[\n";
        for (std::size_t i = 0; i < f.builtins.size(); ++i) {
            out += "      ";
            append_json_string(out, f.builtins[i]);
            out += i + 1 < f.builtins.size() ? ",\n" : "\n";
        }
        out += "    ],\n";
    }
    str("    ", "description", f.description);
    str("    ", "shape", f.shape, false);
    out += "  }\n}\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: strict schema check of one JSONL line. Never trusts the input: every type is checked before use.

struct parsed_record {
    json::value root;
    record_fields fields;
    std::vector<std::pair<std::string_view, std::string_view>> args;
    std::vector<std::string_view> builtins;
};

namespace detail {
inline const char* kind_name(json::value::kind k) {
    switch (k) {
    case json::value::kind::null: return "null";
    case json::value::kind::boolean: return "a boolean";
    case json::value::kind::number: return "a number";
    case json::value::kind::string: return "a string";
    case json::value::kind::array: return "an array";
    case json::value::kind::object: return "an object";
    }
    return "?";
}
inline bool integer_field(const json::value& v, std::uint64_t& out) {
    if (v.type != json::value::kind::number) return false;
    if (!(v.num >= 0.0) || v.num > static_cast<double>(max_json_integer) || std::floor(v.num) != v.num) return false;
    out = static_cast<std::uint64_t>(v.num);
    return true;
}
// Members must be unique and drawn from `allowed`.
inline bool check_members(const json::value& obj, std::span<const std::string_view> allowed, std::string_view where,
                          std::string& error) {
    for (std::size_t i = 0; i < obj.members.size(); ++i) {
        auto& k = obj.members[i].key;
        if (std::find(allowed.begin(), allowed.end(), std::string_view(k)) == allowed.end()) {
            error = std::string("unexpected field \"") + std::string(where) + k + "\"";
            return false;
        }
        for (std::size_t j = 0; j < i; ++j)
            if (obj.members[j].key == k) {
                error = std::string("duplicate field \"") + std::string(where) + k + "\"";
                return false;
            }
    }
    return true;
}
}  // namespace detail

// Parse and schema-check one line (without its newline). On failure `error` says what is wrong (for a JSON syntax
// error: the 1-based column).
inline bool parse_record(std::string_view line, parsed_record& out, std::string& error) {
    std::size_t bad = 0;
    if (!valid_utf8(line, bad)) {
        error = "invalid UTF-8 at column " + std::to_string(bad + 1);
        return false;
    }
    json::parse_error perr;
    auto v = json::parser(line).parse(perr);
    if (!v) {
        error = "malformed JSON at column " + std::to_string(perr.offset + 1) + ": " + perr.message;
        return false;
    }
    out.root = std::move(*v);
    const json::value& r = out.root;
    if (r.type != json::value::kind::object) {
        error = std::string("record is ") + detail::kind_name(r.type) + ", not a JSON object";
        return false;
    }
    static constexpr std::string_view top[] = {"id",           "kernel_name",  "category",      "python_source",
                                               "cpu_forward",  "cpu_backward", "cuda_forward",  "cuda_backward",
                                               "metadata"};
    if (!detail::check_members(r, top, "", error)) return false;

    record_fields& f = out.fields;
    f = {};
    auto want = [&](const json::value& obj, std::string_view name, std::string_view where, json::value::kind kind,
                    const json::value*& slot) {
        slot = obj.find(name);
        if (!slot) {
            error = "missing field \"" + std::string(where) + std::string(name) + "\"";
            return false;
        }
        if (slot->type != kind) {
            error = "field \"" + std::string(where) + std::string(name) + "\" must be " + detail::kind_name(kind) +
                    ", not " + detail::kind_name(slot->type);
            return false;
        }
        return true;
    };
    const json::value *id, *kname, *cat, *src, *meta;
    using K = json::value::kind;
    if (!want(r, "id", "", K::string, id) || !want(r, "kernel_name", "", K::string, kname) ||
        !want(r, "category", "", K::string, cat) || !want(r, "python_source", "", K::string, src) ||
        !want(r, "metadata", "", K::object, meta))
        return false;
    f.id = id->str;
    f.kernel_name = kname->str;
    f.category = cat->str;
    f.python_source = src->str;

    // IR fields: forward is a string; backward is a string or null; both present or both absent per device.
    auto ir = [&](std::string_view fwd_name, std::string_view bwd_name, field_state& fs, std::string_view& ft,
                  field_state& bs, std::string_view& bt) {
        const json::value* fw = r.find(fwd_name);
        const json::value* bw = r.find(bwd_name);
        if (!fw && !bw) return true;
        if (!fw || !bw) {
            error = "field \"" + std::string(fw ? bwd_name : fwd_name) + "\" is missing (\"" +
                    std::string(fw ? fwd_name : bwd_name) + "\" is present)";
            return false;
        }
        if (fw->type != K::string) {
            error = "field \"" + std::string(fwd_name) + "\" must be a string, not " + detail::kind_name(fw->type);
            return false;
        }
        if (bw->type != K::string && bw->type != K::null) {
            error = "field \"" + std::string(bwd_name) + "\" must be a string or null, not " +
                    detail::kind_name(bw->type);
            return false;
        }
        fs = field_state::string;
        ft = fw->str;
        bs = bw->type == K::null ? field_state::null : field_state::string;
        bt = bw->str;
        return true;
    };
    if (!ir("cpu_forward", "cpu_backward", f.cpu_forward_state, f.cpu_forward, f.cpu_backward_state, f.cpu_backward) ||
        !ir("cuda_forward", "cuda_backward", f.cuda_forward_state, f.cuda_forward, f.cuda_backward_state,
            f.cuda_backward))
        return false;
    if (f.cpu_forward_state == field_state::absent && f.cuda_forward_state == field_state::absent) {
        error = "record has no IR fields (neither \"cpu_forward\" nor \"cuda_forward\")";
        return false;
    }

    static constexpr std::string_view meta_keys[] = {"seed",     "index",    "warp_version", "generator",
                                                     "arg_types", "builtins", "description",  "shape"};
    if (!detail::check_members(*meta, meta_keys, "metadata.", error)) return false;
    const json::value *seed, *index, *wv, *gen, *args, *builtins, *desc, *shape;
    static constexpr std::string_view m = "metadata.";
    if (!want(*meta, "seed", m, K::number, seed) || !want(*meta, "index", m, K::number, index) ||
        !want(*meta, "warp_version", m, K::string, wv) || !want(*meta, "generator", m, K::string, gen) ||
        !want(*meta, "arg_types", m, K::object, args) || !want(*meta, "builtins", m, K::array, builtins) ||
        !want(*meta, "description", m, K::string, desc) || !want(*meta, "shape", m, K::string, shape))
        return false;
    if (!detail::integer_field(*seed, f.seed)) {
        error = "field \"metadata.seed\" must be an integer in [0, 2^53)";
        return false;
    }
    if (!detail::integer_field(*index, f.index)) {
        error = "field \"metadata.index\" must be an integer in [0, 2^53)";
        return false;
    }
    f.warp_version = wv->str;
    f.generator = gen->str;
    f.description = desc->str;
    f.shape = shape->str;
    out.args.clear();
    for (std::size_t i = 0; i < args->members.size(); ++i) {
        auto& [k, t] = args->members[i];
        if (t.type != K::string) {
            error = "field \"metadata.arg_types." + k + "\" must be a string, not " + detail::kind_name(t.type);
            return false;
        }
        for (std::size_t j = 0; j < i; ++j)
            if (args->members[j].key == k) {
                error = "duplicate field \"metadata.arg_types." + k + "\"";
                return false;
            }
        out.args.emplace_back(k, t.str);
    }
    out.builtins.clear();
    for (std::size_t i = 0; i < builtins->items.size(); ++i) {
        auto& b = builtins->items[i];
        if (b.type != K::string) {
            error = "field \"metadata.builtins[" + std::to_string(i) + "]\" must be a string, not " +
                    detail::kind_name(b.type);
            return false;
        }
        out.builtins.push_back(b.str);
    }
    f.arg_types = out.args;
    f.builtins = out.builtins;

    std::string expect_id;
    append_id(expect_id, f.seed, f.index);
    if (f.id != expect_id) {
        error = "id \"" + std::string(f.id) + "\" does not match metadata seed/index (expected \"" + expect_id + "\")";
        return false;
    }
    return true;
}

}  // namespace warpsynth::driver
