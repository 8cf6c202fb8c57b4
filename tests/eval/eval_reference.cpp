// tests/eval/eval_reference.cpp — the reference side of tools/execute_check.py.
//
//   eval_reference refs RECORDS.jsonl [OUT.jsonl]
//       For each record (the driver's format: category + metadata.seed/index, or a golden-corpus record: `name`),
//       regenerate the typed description (categories::all() / the golden registry), check that it renders the
//       record's python_source, draw the launch's inputs, and write one reference line: inputs, arrays after the
//       forward pass, loss weights, the mathematical gradient and Warp's backward (eval/reference.hpp).
//   eval_reference emit SEED COUNT RECORDS.jsonl
//       Write COUNT records of an all-category run (record k: category all()[k % n], make(SEED, k)) in the
//       driver's JSONL layout (IR for cpu and cuda).
//   eval_reference emit-extra RECORDS.jsonl
//       Write the evaluator's validation kernels (tests/eval/extra_kernels.cpp; build with -DWARPSYNTH_EVAL_EXTRA)
//       as golden-style records (`name`, python_source, IR).
//
// Reference lines: {"line": k, "kernel": name, "error": null|msg, "launch": [...], "events": [...],
//   "unpredictable": bool, "why": str, "args": [{"name", "kind": "array"|"scalar", "dtype", "comps", "shape",
//   "init", "final", "weight", "grad_math", "grad_warp"} | {"name", "kind": "scalar", "dtype", "comps", "value"}]}
// Numbers are written with 17 significant digits (exact for doubles); NaN/Infinity as Python's json reads them.
// Build with -DWARPSYNTH_EVAL_GOLDEN and the tests/conformance/golden_*.cpp sources to evaluate golden records.
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <warpsynth/categories/registry.hpp>
#include <warpsynth/eval/evaluator.hpp>
#include <warpsynth/render/python.hpp>
#include <warpsynth/render/warp_ir.hpp>
#include <warpsynth/util/json.hpp>

#if defined(WARPSYNTH_EVAL_GOLDEN) || defined(WARPSYNTH_EVAL_EXTRA)
#include "../conformance/golden_registry.hpp"
#endif
#ifdef WARPSYNTH_EVAL_EXTRA
void eval_extra_kernels(golden_registry&);  // tests/eval/extra_kernels.cpp
#endif

namespace {

using namespace warpsynth;

void num(std::string& out, double x) {
    if (std::isnan(x)) {
        out += "NaN";
        return;
    }
    if (std::isinf(x)) {
        out += x > 0 ? "Infinity" : "-Infinity";
        return;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    out += buf;
}

void values(std::string& out, const eval::host_array& a, bool is_float, const std::vector<double>* f = nullptr) {
    out += '[';
    std::size_t n = a.size();
    for (std::size_t k = 0; k < n; ++k) {
        if (k) out += ", ";
        if (f) num(out, (*f)[k]);
        else if (is_float) num(out, a.f[k]);
        else if (a.type.scalar == scalar_kind::uint64) out += std::to_string(static_cast<std::uint64_t>(a.i[k]));
        else out += std::to_string(a.i[k]);
    }
    out += ']';
}

void doubles(std::string& out, const std::vector<double>& v) {
    if (v.empty()) {
        out += "null";
        return;
    }
    out += '[';
    for (std::size_t k = 0; k < v.size(); ++k) {
        if (k) out += ", ";
        num(out, v[k]);
    }
    out += ']';
}

std::string reference_line(std::size_t line, const syntax::tree& t, const eval::reference& ref) {
    std::string out = "{\"line\": " + std::to_string(line) + ", \"kernel\": ";
    json::append_string(out, t.name);
    out += ", \"error\": null, \"launch\": [";
    for (std::size_t k = 0; k < ref.launch.size(); ++k) out += (k ? ", " : "") + std::to_string(ref.launch[k]);
    out += "], \"events\": [";
    bool first = true;
    for (auto& e : ref.events.names) {
        if (!first) out += ", ";
        first = false;
        json::append_string(out, e);
    }
    out += "], \"float_dtypes\": [";
    {
        // every float dtype the computation touches: gradients flow through all of them
        std::vector<std::string_view> seen;
        auto note = [&](scalar_kind k) {
            if (!is_float(k)) return;
            auto nm = scalar_name(k);
            if (std::find(seen.begin(), seen.end(), nm) == seen.end()) seen.push_back(nm);
        };
        for (auto& nd : t.nodes) note(nd.type.scalar);
        for (auto& a : t.args) note(a.type.scalar);
        for (std::size_t k = 0; k < seen.size(); ++k) {
            if (k) out += ", ";
            json::append_string(out, seen[k]);
        }
    }
    out += "], \"unpredictable\": ";
    out += ref.unpredictable ? "true" : "false";
    out += ", \"why\": ";
    json::append_string(out, ref.why);
    out += ", \"args\": [";
    for (std::size_t k = 0; k < t.args.size(); ++k) {
        if (k) out += ", ";
        const auto& arg = t.args[k];
        const wtype vt = arg.type.value();
        out += "{\"name\": ";
        json::append_string(out, arg.name);
        out += ", \"dtype\": ";
        json::append_string(out, scalar_name(vt.scalar));
        out += ", \"comps\": " + std::to_string(eval::components(vt));
        int s = ref.initial.slot[k];
        if (ref.initial.is_array[k]) {
            const auto& a0 = ref.initial.arrays[static_cast<std::size_t>(s)];
            const auto& a1 = ref.final_.arrays[static_cast<std::size_t>(s)];
            out += ", \"kind\": \"array\", \"shape\": [";
            for (std::size_t d = 0; d < a0.shape.size(); ++d) out += (d ? ", " : "") + std::to_string(a0.shape[d]);
            out += "], \"init\": ";
            values(out, a0, a0.is_float());
            out += ", \"final\": ";
            values(out, a1, a1.is_float());
            out += ", \"weight\": ";
            doubles(out, ref.weights[static_cast<std::size_t>(s)]);
            out += ", \"grad_math\": ";
            doubles(out, ref.grad_math[static_cast<std::size_t>(s)]);
            out += ", \"grad_warp\": ";
            doubles(out, ref.grad_warp[static_cast<std::size_t>(s)]);
            out += ", \"grad_undefined\": ";
            out += ref.grad_undefined[static_cast<std::size_t>(s)] ? "true" : "false";
        } else {
            const auto& v = ref.initial.values[static_cast<std::size_t>(s)];
            out += ", \"kind\": \"scalar\", \"value\": [";
            for (int c = 0; c < v.n; ++c) {
                if (c) out += ", ";
                if (v.is_float()) num(out, v.f[static_cast<std::size_t>(c)]);
                else if (v.type.scalar == scalar_kind::uint64)
                    out += std::to_string(static_cast<std::uint64_t>(v.i[static_cast<std::size_t>(c)]));
                else out += std::to_string(v.i[static_cast<std::size_t>(c)]);
            }
            out += "]";
        }
        out += "}";
    }
    out += "]}\n";
    return out;
}

std::string error_line(std::size_t line, std::string_view kernel, const std::string& msg) {
    std::string out = "{\"line\": " + std::to_string(line) + ", \"kernel\": ";
    json::append_string(out, kernel);
    out += ", \"error\": ";
    json::append_string(out, msg);
    out += "}\n";
    return out;
}

const categories::category* find_category(std::string_view name) {
    for (auto& c : categories::all())
        if (c.name == name) return &c;
    return nullptr;
}

std::string field(const json::value& v, const char* key) {
    auto* f = v.find(key);
    return f && f->type == json::value::kind::string ? f->str : std::string();
}

// seed and index of a driver record: from "id" ("<seed>-<index>", exact) or metadata
bool seed_index(const json::value& rec, std::uint64_t& seed, std::uint64_t& index) {
    std::string id = field(rec, "id");
    auto dash = id.rfind('-');
    if (dash != std::string::npos && dash > 0) {
        char* end = nullptr;
        seed = std::strtoull(id.c_str(), &end, 10);
        index = std::strtoull(id.c_str() + dash + 1, &end, 10);
        return true;
    }
    auto* md = rec.find("metadata");
    if (!md) return false;
    auto* s = md->find("seed");
    auto* i = md->find("index");
    if (!s || !i) return false;
    seed = static_cast<std::uint64_t>(s->num);
    index = static_cast<std::uint64_t>(i->num);
    return true;
}

int refs(const char* in_path, std::ostream& out) {
    std::ifstream in(in_path);
    if (!in) {
        std::fprintf(stderr, "eval_reference: cannot read %s\n", in_path);
        return 2;
    }
#if defined(WARPSYNTH_EVAL_GOLDEN) || defined(WARPSYNTH_EVAL_EXTRA)
    golden_registry golden;
    bool golden_loaded = false;
#endif
    std::string text;
    std::size_t line = 0;
    while (std::getline(in, text)) {
        ++line;
        if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
        json::parse_error perr;
        auto rec = json::parser(text).parse(perr);
        if (!rec) {
            out << error_line(line, "?", "bad JSON: " + perr.message);
            continue;
        }
        std::string cat = field(*rec, "category");
        std::string name = field(*rec, "kernel_name").empty() ? field(*rec, "name") : field(*rec, "kernel_name");
        try {
            categories::instance inst;
            const syntax::tree* tree = nullptr;
            const categories::instance* ip = nullptr;
            std::uint64_t seed = 0, index = 0;
            if (!cat.empty()) {
                auto* c = find_category(cat);
                if (!c) throw eval::eval_error("unknown category '" + cat + "'");
                if (!seed_index(*rec, seed, index)) throw eval::eval_error("record without seed/index");
                c->make(seed, index, inst);
                tree = &inst.tree;
                ip = &inst;
            } else {
#if defined(WARPSYNTH_EVAL_GOLDEN) || defined(WARPSYNTH_EVAL_EXTRA)
                if (!golden_loaded) {
#ifdef WARPSYNTH_EVAL_GOLDEN
                    golden_all(golden);
#endif
#ifdef WARPSYNTH_EVAL_EXTRA
                    eval_extra_kernels(golden);
#endif
                    golden_loaded = true;
                }
                std::string gname = field(*rec, "name");
                auto it = golden.kernels.find(gname);
                if (it == golden.kernels.end()) throw eval::eval_error("no golden kernel named '" + gname + "'");
                tree = &it->second;
                seed = 1;
                index = line;
#else
                throw eval::eval_error("record has no category (golden records need a build with the golden registry)");
#endif
            }
            std::string py = render_python(*tree);
            if (py != field(*rec, "python_source"))
                throw eval::eval_error("the record's python_source differs from its regenerated description");
            auto inputs = eval::draw_inputs(*tree, ip, seed, index);
            auto ref = eval::make_reference(*tree, std::move(inputs), eval::launch_of(*tree, ip), seed, index);
            out << reference_line(line, *tree, ref);
        } catch (const std::exception& e) {
            out << error_line(line, name, e.what());
        }
    }
    return 0;
}

int emit_extra(const char* path) {
#ifdef WARPSYNTH_EVAL_EXTRA
    golden_registry reg;
    eval_extra_kernels(reg);
    std::ofstream out(path);
    rendered_kernel rk;
    for (auto& [name, tree] : reg.kernels) {
        render(tree, rk, {});
        std::string s = "{\"name\": ";
        json::append_string(s, name);
        s += ", \"python_source\": ";
        json::append_string(s, rk.python_source);
        s += ", \"mangled_name\": ";
        json::append_string(s, rk.mangled_name);
        for (auto [key, text] : {std::pair<const char*, const std::string*>{"cpu_forward", &rk.cpu_forward},
                                 {"cpu_backward", &rk.cpu_backward}, {"cuda_forward", &rk.cuda_forward},
                                 {"cuda_backward", &rk.cuda_backward}}) {
            s += ", \"";
            s += key;
            s += "\": ";
            if (!rk.has_backward && std::string_view(key).ends_with("backward")) s += "null";
            else json::append_string(s, *text);
        }
        s += "}\n";
        out << s;
    }
    return out ? 0 : 1;
#else
    (void)path;
    std::fprintf(stderr, "eval_reference: built without -DWARPSYNTH_EVAL_EXTRA\n");
    return 2;
#endif
}

int emit(std::uint64_t seed, std::uint64_t count, const char* path) {
    std::ofstream out(path);
    auto& cats = categories::all();
    categories::instance inst;
    rendered_kernel rk;
    for (std::uint64_t k = 0; k < count; ++k) {
        auto& c = cats[k % cats.size()];
        c.make(seed, k, inst);
        render(inst.tree, rk, {});
        std::string s = "{\"id\": \"" + std::to_string(seed) + "-" + std::to_string(k) + "\", \"kernel_name\": ";
        json::append_string(s, inst.tree.name);
        s += ", \"category\": ";
        json::append_string(s, c.name);
        s += ", \"python_source\": ";
        json::append_string(s, rk.python_source);
        auto ir = [&](const char* key, const std::string& text) {
            s += ", \"";
            s += key;
            s += "\": ";
            if (!rk.has_backward && std::string_view(key).ends_with("backward")) s += "null";
            else json::append_string(s, text);
        };
        ir("cpu_forward", rk.cpu_forward);
        ir("cpu_backward", rk.cpu_backward);
        ir("cuda_forward", rk.cuda_forward);
        ir("cuda_backward", rk.cuda_backward);
        s += ", \"metadata\": {\"seed\": " + std::to_string(seed) + ", \"index\": " + std::to_string(k) +
             ", \"mangled_name\": ";
        json::append_string(s, rk.mangled_name);
        s += ", \"description\": ";
        json::append_string(s, inst.description);
        s += ", \"shape\": ";
        json::append_string(s, inst.shape);
        s += "}}\n";
        out << s;
    }
    return out ? 0 : 1;
}

// The tolerance table (eval/tolerance.hpp) as JSON, for tools/execute_check.py:
// {"forward": {"float16": [rtol, atol], ...}, "backward": {...}}.
int print_tolerances() {
    using warpsynth::scalar_kind;
    std::string s = "{";
    for (auto [name, table] : {std::pair{"forward", &warpsynth::eval::forward_tolerance},
                               std::pair{"backward", &warpsynth::eval::backward_tolerance}}) {
        if (s.size() > 1) s += ", ";
        s += std::string("\"") + name + "\": {";
        const char* sep = "";
        for (auto [dtype, kind] : {std::pair{"float16", scalar_kind::float16}, std::pair{"float32", scalar_kind::float32},
                                   std::pair{"float64", scalar_kind::float64}}) {
            auto t = table(kind);
            char buf[96];
            std::snprintf(buf, sizeof buf, "%s\"%s\": [%.17g, %.17g]", sep, dtype, t.rtol, t.atol);
            s += buf;
            sep = ", ";
        }
        s += "}";
    }
    std::printf("%s}\n", s.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    if (argc == 2 && std::string(argv[1]) == "tolerances") return print_tolerances();
    if (argc >= 3 && std::string(argv[1]) == "refs") {
        if (argc >= 4) {
            std::ofstream out(argv[3]);
            return refs(argv[2], out);
        }
        return refs(argv[2], std::cout);
    }
    if (argc == 3 && std::string(argv[1]) == "emit-extra") return emit_extra(argv[2]);
    if (argc == 5 && std::string(argv[1]) == "emit")
        return emit(std::strtoull(argv[2], nullptr, 10), std::strtoull(argv[3], nullptr, 10), argv[4]);
    std::fprintf(stderr,
                 "usage: eval_reference refs RECORDS.jsonl [OUT.jsonl]\n"
                 "       eval_reference emit SEED COUNT RECORDS.jsonl\n"
                 "       eval_reference emit-extra RECORDS.jsonl\n"
                 "       eval_reference tolerances\n");
    return 2;
}
