// warpsynth/ir/adjoint.hpp — the builder API of Warp's `Adjoint`, in C++.
//
// Warp numbers variables, orders loads, lays out blocks and builds the reverse pass as side effects of a handful of
// builder calls (add_var, add_constant, add_call, begin_if/end_if, begin_for/end_for, begin_while/end_while, ...).
// Emulating that API — one place that owns numbering, blocks and the reverse list — is what makes the text
// byte-exact; ir/emit.hpp walks the syntax tree and calls it in the order Warp's `emit_*` methods do.
#pragma once

#include <climits>
#include <initializer_list>
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

// One line of generated code: `indent` spaces, an optional TAB (Warp's loop-reverse quirk), then arena text.
struct line {
    std::uint32_t off = 0, len = 0;
    std::uint16_t indent = 0;
    bool tab = false;
};

struct block {
    std::vector<line> forward, replay, reverse;
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
    std::uint16_t indentation = 0;         // spaces
    int label_count = 0;
    long lineno = -1;
    std::string arena;                     // the text of every line

    void reset() {
        args.clear();
        variables.clear();
        blocks.assign(1, block{});
        loop_blocks.clear();
        indentation = 0;
        label_count = 0;
        lineno = -1;
        arena.clear();
    }

    std::string_view text(const line& l) const { return std::string_view(arena).substr(l.off, l.len); }

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

    static void append_uint(std::string& out, std::uint32_t n) {
        char buf[12];
        int k = 0;
        do {
            buf[k++] = static_cast<char>('0' + n % 10);
            n /= 10;
        } while (n);
        while (k) out += buf[--k];
    }
    void emit_label(std::string& out, value v) const {
        if (v.is_arg()) out += args[-1 - v.id].name;
        else append_uint(out, static_cast<std::uint32_t>(v.id));
    }
    void emit(std::string& out, value v) const {
        out += std::string_view("var_");
        emit_label(out, v);
    }
    void emit_adj(std::string& out, value v) const {
        out += std::string_view("adj_");
        emit_label(out, v);
    }
    std::string name(value v) const {
        std::string s;
        emit(s, v);
        return s;
    }

    // --- lines -----------------------------------------------------------------------------------------
    // Open a line in the arena; write its text with `arena += ...`; close it to get its reference.
    std::uint32_t open() const { return static_cast<std::uint32_t>(arena.size()); }
    line close(std::uint32_t mark, std::uint16_t indent, bool tab = false) const {
        return line{mark, static_cast<std::uint32_t>(arena.size()) - mark, indent, tab};
    }
    line make(std::string_view s, std::uint16_t indent, bool tab = false) {
        auto m = open();
        arena += s;
        return close(m, indent, tab);
    }

    // Append to the forward pass; the replay (the backward's forward section) gets the same line or `replay`.
    void add_forward(line l) {
        auto& b = blocks.back();
        b.forward.push_back(l);
        b.replay.push_back(l);
    }
    void add_forward(std::string_view statement) { add_forward(make(statement, indentation)); }
    void add_forward(std::string_view statement, std::string_view replay) {
        auto& b = blocks.back();
        b.forward.push_back(make(statement, indentation));
        b.replay.push_back(make(replay, indentation));
    }
    void add_forward_no_replay(std::string_view statement) {
        blocks.back().forward.push_back(make(statement, indentation));
    }
    void add_reverse(line l) { blocks.back().reverse.push_back(l); }
    void add_reverse(std::string_view statement) { add_reverse(make(statement, indentation)); }

    void indent() { indentation = static_cast<std::uint16_t>(indentation + 4); }
    void dedent() { indentation = static_cast<std::uint16_t>(indentation - 4); }

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
    value add_call(builtins::fn f, std::initializer_list<value> args_in, wtype result, bool output_is_ref = false,
                   std::string_view name_override = {}) {
        return add_call(f, args_in.begin(), args_in.size(), result, output_is_ref, name_override);
    }
    value add_call(builtins::fn f, const std::vector<value>& args_in, wtype result, bool output_is_ref = false,
                   std::string_view name_override = {}) {
        return add_call(f, args_in.data(), args_in.size(), result, output_is_ref, name_override);
    }
    value add_call(builtins::fn f, const value* args_in, std::size_t nargs, wtype result, bool output_is_ref,
                   std::string_view name_override) {
        wtype arg_types[20];
        value fwd[20];
        if (nargs > 20) throw rejected("warpsynth: calls take at most 20 arguments");
        for (std::size_t i = 0; i < nargs; ++i) arg_types[i] = type_of(args_in[i]);
        auto info = builtins::resolve(f, arg_types, nargs, result);
        if (!name_override.empty()) info.forward = info.adjoint = std::string(name_override);

        value out;
        if (result.kind != type_kind::none) out = add_var(result, output_is_ref);
        for (std::size_t i = 0; i < nargs; ++i) fwd[i] = f == builtins::fn::load ? args_in[i] : load(args_in[i]);

        auto m = open();
        if (info.skip_replay) arena += std::string_view("// ");
        auto call_at = open();
        if (out.valid()) {
            emit(arena, out);
            arena += std::string_view(" = ");
        }
        arena += info.prefix;
        arena += info.forward;
        arena += '(';
        for (std::size_t i = 0; i < nargs; ++i) {
            if (i) arena += std::string_view(", ");
            emit(arena, fwd[i]);
        }
        arena += std::string_view(");");
        line replay = close(m, indentation);
        line call = close(call_at, indentation);
        blocks.back().forward.push_back(call);
        blocks.back().replay.push_back(replay);

        if (info.differentiable && nargs > 0) {
            auto r = open();
            arena += std::string_view("wp::adj_");
            arena += info.adjoint;
            arena += '(';
            bool first = true;
            auto sep = [&] {
                if (!first) arena += std::string_view(", ");
                first = false;
            };
            for (std::size_t i = 0; i < nargs; ++i) {
                sep();
                emit(arena, fwd[i]);
            }
            if (info.require_output && out.valid()) {
                sep();
                emit(arena, out);
            }
            for (std::size_t i = 0; i < nargs; ++i) {  // adjoints of the *unloaded* arguments: an address's adjoint
                sep();
                emit_adj(arena, args_in[i]);
            }
            if (out.valid()) {
                sep();
                emit_adj(arena, out);
            }
            arena += std::string_view(");");
            add_reverse(close(r, indentation));
        }
        return out;
    }

    // `builtin_tid2d(var_0, var_1);`: one call, several outputs.
    std::vector<value> add_tid_call(int arity) {
        std::vector<value> outs;
        for (int i = 0; i < arity; ++i) outs.push_back(add_var(types::scalar(scalar_kind::int32)));
        auto m = open();
        arena += std::string_view("builtin_tid");
        arena += static_cast<char>('0' + arity);
        arena += std::string_view("d(");
        for (int i = 0; i < arity; ++i) {
            if (i) arena += std::string_view(", ");
            emit(arena, outs[static_cast<std::size_t>(i)]);
        }
        arena += std::string_view(");");
        add_forward(close(m, indentation));
        return outs;
    }

    // --- control flow ----------------------------------------------------------------------------------
    line if_line(value cond, bool negate) {
        auto m = open();
        arena += negate ? "if (!" : "if (";
        emit(arena, cond);
        arena += std::string_view(") {");
        return close(m, indentation);
    }
    void begin_if(value cond, bool negate = false) {
        cond = load(cond);
        add_forward(if_line(cond, negate));
        add_reverse("}");
        indent();
    }
    void end_if(value cond, bool negate = false) {
        dedent();
        add_forward("}");
        cond = load(cond);
        add_reverse(if_line(cond, negate));
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
        outer.forward.insert(outer.forward.end(), cond.forward.begin(), cond.forward.end());
        outer.forward.insert(outer.forward.end(), body.forward.begin(), body.forward.end());
        add_forward_no_replay("goto start_" + cond.label + ";");
        dedent();
        add_forward_no_replay("end_" + cond.label + ":;");

        std::vector<line> rev;
        rev.push_back(make(name(iter) + " = wp::iter_reverse(" + name(iter) + ");", indentation));
        rev.insert(rev.end(), cond.forward.begin(), cond.forward.end());
        for (auto v : body.vars) {
            auto m = open();
            emit_adj(arena, {v});
            arena += std::string_view(" = {};");
            rev.push_back(close(m, indentation, true));
        }
        rev.insert(rev.end(), body.replay.begin(), body.replay.end());
        rev.insert(rev.end(), body.reverse.rbegin(), body.reverse.rend());
        rev.push_back(make("goto start_" + cond.label + ";", indentation, true));
        rev.push_back(make("end_" + cond.label + ":;", indentation));
        auto& r = blocks.back().reverse;
        r.insert(r.end(), rev.rbegin(), rev.rend());
    }

    // The condition is evaluated by the caller between begin_while_head and begin_while_body.
    void begin_while_head() {
        auto cond = begin_block("while");
        loop_blocks.push_back(cond);
        blocks[cond].forward.push_back(make("start_" + blocks[cond].label + ":;", 0));
    }
    void begin_while_body(value c) {
        c = load(c);
        auto& cond = blocks[loop_blocks.back()];
        auto l = make("if ((" + name(c) + ") == false) goto end_" + cond.label + ";", 0);
        blocks[loop_blocks.back()].forward.push_back(l);
        begin_block();
        indent();
    }
    void end_while() {
        dedent();
        block body = end_block();
        block cond = end_block();
        loop_blocks.pop_back();
        auto& outer = blocks.back();
        outer.forward.insert(outer.forward.end(), cond.forward.begin(), cond.forward.end());
        outer.forward.insert(outer.forward.end(), body.forward.begin(), body.forward.end());
        auto go = make("goto start_" + cond.label + ";", 0);
        auto end = make("end_" + cond.label + ":;", 0);
        blocks.back().forward.push_back(go);
        blocks.back().forward.push_back(end);

        std::vector<line> rev(cond.forward.begin(), cond.forward.end());
        for (auto v : body.vars) {
            auto m = open();
            emit_adj(arena, {v});
            arena += std::string_view(" = {};");
            rev.push_back(close(m, 0));
        }
        rev.insert(rev.end(), body.replay.begin(), body.replay.end());
        rev.insert(rev.end(), body.reverse.rbegin(), body.reverse.rend());
        rev.push_back(go);
        rev.push_back(end);
        auto& r = blocks.back().reverse;
        r.insert(r.end(), rev.rbegin(), rev.rend());
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
        auto width = 80 - static_cast<long>(indentation);
        auto pad = static_cast<long>(stripped_line.size()) < width
                       ? static_cast<std::size_t>(width - static_cast<long>(stripped_line.size()))
                       : 0;
        auto m = open();
        arena += std::string_view("// ");
        arena += stripped_line;
        arena.append(pad, ' ');
        arena += std::string_view("       <L ");
        append_uint(arena, static_cast<std::uint32_t>(absolute));
        arena += '>';
        add_forward(close(m, indentation));
        m = open();
        arena += std::string_view("// adj: ");
        arena += stripped_line;
        arena.append(pad, ' ');
        arena += std::string_view("  <L ");
        append_uint(arena, static_cast<std::uint32_t>(absolute));
        arena += '>';
        add_reverse(close(m, indentation));
    }
};

// The C++ initializer of a constant var, as Warp's `constant_str` prints it.
inline void append_constant(std::string& out, const variable& v) {
    switch (v.ckind) {
    case syntax::const_kind::boolean: out += v.inum ? "true" : "false"; break;
    case syntax::const_kind::integer: out += std::to_string(v.inum); break;
    case syntax::const_kind::floating:
        if (v.fnum != v.fnum) out += std::string_view("NAN");
        else if (v.fnum == 1.0 / 0.0) out += std::string_view("INFINITY");
        else if (v.fnum == -1.0 / 0.0) out += std::string_view("-INFINITY");
        else out += python_float_repr(v.fnum);
        break;
    case syntax::const_kind::string: out += v.str; break;
    default: break;
    }
}

}  // namespace warpsynth::ir
