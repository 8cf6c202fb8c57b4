// warpsynth/ir/adjoint.hpp — the builder API of Warp's `Adjoint`, in C++.
//
// Warp numbers variables, orders loads, lays out blocks and builds the reverse pass as side effects of a handful of
// builder calls (add_var, add_constant, add_call, begin_if/end_if, begin_for/end_for, begin_while/end_while, ...).
// Emulating that API — one place that owns numbering, blocks and the reverse list — is what makes the text
// byte-exact; ir/emit.hpp walks the syntax tree and calls it in the order Warp's `emit_*` methods do.
#pragma once

#include <climits>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "warpsynth/builtins/catalog.hpp"
#include "warpsynth/syntax/tree.hpp"
#include "warpsynth/types/wtype.hpp"
#include "warpsynth/util/python_repr.hpp"

namespace warpsynth::ir {

// Warp rejected the kernel while building it (a rule that depends on control flow, e.g. mutating a constant in a
// dynamic loop). The message is Warp's.
struct rejected : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A value: a numbered variable (index >= 0) or a kernel argument (-1 - argument index).
struct value {
    std::int32_t id = INT32_MIN;
    bool valid() const { return id != INT32_MIN; }
    bool is_arg() const { return id < 0 && id != INT32_MIN; }
    bool operator==(const value&) const = default;
};

struct variable {
    wtype type;
    bool is_ref = false;  // an address: `wp::float32* var_1`
    syntax::const_kind ckind = syntax::const_kind::none;  // a constant: `const wp::float32 var_4 = 0.0;`
    double fnum = 0.0;
    std::int64_t inum = 0;
    std::string str;  // string constants, and folded 64-bit constructor text
};

struct block {
    std::vector<std::string> forward, replay, reverse;
    std::vector<std::int32_t> vars;
    std::string label;
};

class adjoint {
  public:
    struct argument {
        std::string name;
        wtype type;
    };

    std::vector<argument> args;
    std::vector<variable> variables;
    std::vector<block> blocks;
    std::vector<std::size_t> loop_blocks;  // indices into blocks of the enclosing loops' condition blocks
    std::string indentation;
    int label_count = 0;
    long lineno = -1;

    void reset() {
        args.clear();
        variables.clear();
        blocks.assign(1, block{});
        loop_blocks.clear();
        indentation.clear();
        label_count = 0;
        lineno = -1;
    }

    // --- variables -------------------------------------------------------------------------------------
    value add_var(wtype t, bool is_ref = false) {
        variable v;
        v.type = t;
        v.is_ref = is_ref;
        variables.push_back(std::move(v));
        auto id = static_cast<std::int32_t>(variables.size() - 1);
        blocks.back().vars.push_back(id);
        return {id};
    }
    value add_constant_int(std::int64_t v, wtype t = types::scalar(scalar_kind::int32)) {
        auto r = add_var(t);
        variables[r.id].ckind = syntax::const_kind::integer;
        variables[r.id].inum = v;
        return r;
    }
    value add_constant_float(double v) {
        auto r = add_var(types::scalar(scalar_kind::float32));
        variables[r.id].ckind = syntax::const_kind::floating;
        variables[r.id].fnum = v;
        return r;
    }
    value add_constant_bool(bool v) {
        auto r = add_var(types::scalar(scalar_kind::boolean));
        variables[r.id].ckind = syntax::const_kind::boolean;
        variables[r.id].inum = v;
        return r;
    }
    value add_constant_string(std::string_view quoted) {
        auto r = add_var(types::string());
        variables[r.id].ckind = syntax::const_kind::string;
        variables[r.id].str = std::string(quoted);
        return r;
    }

    wtype type_of(value v) const { return v.is_arg() ? args[-1 - v.id].type : variables[v.id].type; }
    bool is_ref(value v) const { return !v.is_arg() && variables[v.id].is_ref; }
    bool is_constant(value v) const { return !v.is_arg() && variables[v.id].ckind != syntax::const_kind::none; }
    const variable& var(value v) const { return variables[v.id]; }
    variable& var(value v) { return variables[v.id]; }

    void emit(std::string& out, value v) const {
        out += "var_";
        emit_label(out, v);
    }
    void emit_adj(std::string& out, value v) const {
        out += "adj_";
        emit_label(out, v);
    }
    std::string name(value v) const {
        std::string s;
        emit(s, v);
        return s;
    }
    void emit_label(std::string& out, value v) const {
        if (v.is_arg()) out += args[-1 - v.id].name;
        else out += std::to_string(v.id);
    }

    // --- statements ------------------------------------------------------------------------------------
    // Append to the forward pass; the replay (the backward's forward section) gets `replay` or the same text.
    void add_forward(std::string statement) {
        auto& b = blocks.back();
        std::string line = indentation + statement;
        b.replay.push_back(line);
        b.forward.push_back(std::move(line));
    }
    void add_forward(std::string statement, std::string replay) {
        auto& b = blocks.back();
        b.forward.push_back(indentation + statement);
        b.replay.push_back(indentation + replay);
    }
    void add_forward_no_replay(std::string statement) { blocks.back().forward.push_back(indentation + statement); }
    void add_reverse(std::string statement) { blocks.back().reverse.push_back(indentation + statement); }

    void indent() { indentation += "    "; }
    void dedent() { indentation.resize(indentation.size() - 4); }

    std::size_t begin_block(std::string_view name = "block") {
        blocks.emplace_back();
        blocks.back().label = std::string(name) + "_" + std::to_string(label_count++);
        return blocks.size() - 1;
    }
    block end_block() {
        block b = std::move(blocks.back());
        blocks.pop_back();
        return b;
    }

    // `load()` turns a reference into a value; values pass through.
    value load(value v) {
        if (!is_ref(v)) return v;
        return add_call(builtins::fn::load, {v}, var(v).type);
    }

    // `add_call`: allocate the output first, then load reference arguments, then emit forward and reverse.
    value add_call(builtins::fn f, std::vector<value> args_in, wtype result, bool output_is_ref = false,
                   std::string_view name_override = {}) {
        std::vector<wtype> arg_types;
        arg_types.reserve(args_in.size());
        for (auto a : args_in) arg_types.push_back(type_of(a));
        auto info = builtins::resolve(f, arg_types.data(), arg_types.size(), result);
        if (!name_override.empty()) info.forward = info.adjoint = std::string(name_override);

        value out;
        if (result.kind != type_kind::none) out = add_var(result, output_is_ref);

        std::vector<value> fwd;
        fwd.reserve(args_in.size());
        for (auto a : args_in) fwd.push_back(f == builtins::fn::load ? a : load(a));

        std::string call;
        if (out.valid()) {
            emit(call, out);
            call += " = ";
        }
        call += info.prefix;
        call += info.forward;
        call += '(';
        for (std::size_t i = 0; i < fwd.size(); ++i) {
            if (i) call += ", ";
            emit(call, fwd[i]);
        }
        call += ");";
        if (info.skip_replay) add_forward(call, "// " + call);
        else add_forward(call);

        if (info.differentiable && !args_in.empty()) {
            std::string rev = "wp::adj_" + info.adjoint + "(";
            bool first = true;
            auto sep = [&] {
                if (!first) rev += ", ";
                first = false;
            };
            for (auto v : fwd) {
                sep();
                emit(rev, v);
            }
            if (info.require_output && out.valid()) {
                sep();
                emit(rev, out);
            }
            for (auto v : args_in) {  // adjoints of the *unloaded* arguments: an address's adjoint
                sep();
                emit_adj(rev, v);
            }
            if (out.valid()) {
                sep();
                emit_adj(rev, out);
            }
            rev += ");";
            add_reverse(std::move(rev));
        }
        return out;
    }

    // `builtin_tid2d(var_0, var_1);`: one call, several outputs.
    std::vector<value> add_tid_call(int arity) {
        std::vector<value> outs;
        for (int i = 0; i < arity; ++i) outs.push_back(add_var(types::scalar(scalar_kind::int32)));
        std::string call = "builtin_tid" + std::to_string(arity) + "d(";
        for (int i = 0; i < arity; ++i) {
            if (i) call += ", ";
            emit(call, outs[i]);
        }
        call += ");";
        add_forward(call);
        return outs;
    }

    // --- control flow ----------------------------------------------------------------------------------
    void begin_if(value cond, bool negate = false) {
        cond = load(cond);
        add_forward(std::string(negate ? "if (!" : "if (") + name(cond) + ") {");
        add_reverse("}");
        indent();
    }
    void end_if(value cond, bool negate = false) {
        dedent();
        add_forward("}");
        cond = load(cond);
        add_reverse(std::string(negate ? "if (!" : "if (") + name(cond) + ") {");
    }

    value begin_for(value iter) {
        auto cond = begin_block("for");
        loop_blocks.push_back(cond);
        add_forward("start_" + blocks[cond].label + ":;");
        indent();
        add_forward("if (iter_cmp(" + name(iter) + ") == 0) goto end_" + blocks[cond].label + ";");
        auto val = add_call(builtins::fn::iter_next, {iter}, types::scalar(scalar_kind::int32));
        begin_block();
        return val;
    }

    void end_for(value iter) {
        block body = end_block();
        block cond = end_block();
        loop_blocks.pop_back();
        auto& outer = blocks.back();
        for (auto& s : cond.forward) outer.forward.push_back(s);
        for (auto& s : body.forward) outer.forward.push_back(s);
        add_forward_no_replay("goto start_" + cond.label + ";");
        dedent();
        add_forward_no_replay("end_" + cond.label + ":;");

        std::vector<std::string> rev;
        rev.push_back(indentation + name(iter) + " = wp::iter_reverse(" + name(iter) + ");");
        for (auto& s : cond.forward) rev.push_back(s);
        for (auto v : body.vars) {
            std::string s = indentation + "\t";
            emit_adj(s, {v});
            s += " = {};";
            rev.push_back(std::move(s));
        }
        for (auto& s : body.replay) rev.push_back(s);
        for (auto it = body.reverse.rbegin(); it != body.reverse.rend(); ++it) rev.push_back(*it);
        rev.push_back(indentation + "\tgoto start_" + cond.label + ";");
        rev.push_back(indentation + "end_" + cond.label + ":;");
        auto& r = blocks.back().reverse;
        r.insert(r.end(), std::make_move_iterator(rev.rbegin()), std::make_move_iterator(rev.rend()));
    }

    // The condition is evaluated by the caller between begin_while_head and begin_while_body.
    void begin_while_head() {
        auto cond = begin_block("while");
        loop_blocks.push_back(cond);
        blocks[cond].forward.push_back("start_" + blocks[cond].label + ":;");
    }
    void begin_while_body(value c) {
        c = load(c);
        auto& cond = blocks[loop_blocks.back()];
        cond.forward.push_back("if ((" + name(c) + ") == false) goto end_" + cond.label + ";");
        begin_block();
        indent();
    }
    void end_while() {
        dedent();
        block body = end_block();
        block cond = end_block();
        loop_blocks.pop_back();
        auto& outer = blocks.back();
        for (auto& s : cond.forward) outer.forward.push_back(s);
        for (auto& s : body.forward) outer.forward.push_back(s);
        outer.forward.push_back("goto start_" + cond.label + ";");
        outer.forward.push_back("end_" + cond.label + ":;");

        std::vector<std::string> rev;
        for (auto& s : cond.forward) rev.push_back(s);
        for (auto v : body.vars) {
            std::string s;
            emit_adj(s, {v});
            s += " = {};";
            rev.push_back(std::move(s));
        }
        for (auto& s : body.replay) rev.push_back(s);
        for (auto it = body.reverse.rbegin(); it != body.reverse.rend(); ++it) rev.push_back(*it);
        rev.push_back("goto start_" + cond.label + ";");
        rev.push_back("end_" + cond.label + ":;");
        auto& r = blocks.back().reverse;
        r.insert(r.end(), std::make_move_iterator(rev.rbegin()), std::make_move_iterator(rev.rend()));
    }

    const std::string& loop_label() const { return blocks[loop_blocks.back()].label; }

    void add_return() {
        add_forward("return;", "goto label" + std::to_string(label_count) + ";");
        add_reverse("label" + std::to_string(label_count) + ":;");
        ++label_count;
    }

    // `// <line>   <L n>` before the code of each new source line (forward and reverse).
    void set_lineno(long rel, std::string_view stripped_line, long absolute) {
        if (lineno == rel) return;
        lineno = rel;
        std::string padded(stripped_line);
        auto width = 80 - static_cast<long>(indentation.size());
        if (static_cast<long>(padded.size()) < width) padded.append(static_cast<std::size_t>(width) - padded.size(), ' ');
        add_forward("// " + padded + "       <L " + std::to_string(absolute) + ">");
        add_reverse("// adj: " + padded + "  <L " + std::to_string(absolute) + ">");
    }
};

// The C++ initializer of a constant var, as Warp's `constant_str` prints it.
inline void append_constant(std::string& out, const variable& v) {
    switch (v.ckind) {
    case syntax::const_kind::boolean: out += v.inum ? "true" : "false"; break;
    case syntax::const_kind::integer: out += std::to_string(v.inum); break;
    case syntax::const_kind::floating:
        if (v.fnum != v.fnum) out += "NAN";
        else if (v.fnum == 1.0 / 0.0) out += "INFINITY";
        else if (v.fnum == -1.0 / 0.0) out += "-INFINITY";
        else out += python_float_repr(v.fnum);
        break;
    case syntax::const_kind::string: out += v.str; break;
    default: break;
    }
}

}  // namespace warpsynth::ir
