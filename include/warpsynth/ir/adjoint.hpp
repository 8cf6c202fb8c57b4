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
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "warpsynth/builtins/catalog.hpp"
#include "warpsynth/syntax/tree.hpp"
#include "warpsynth/types/wtype.hpp"
#include "warpsynth/util/python_repr.hpp"
#include "warpsynth/util/pod_vector.hpp"
#include "warpsynth/util/text_buffer.hpp"

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

// A fixed array whose elements are left uninitialized (they are assigned before being read).
template <class T, std::size_t N>
struct uninitialized {
    union {
        T items[N];
    };
    uninitialized() {}
    T& operator[](std::size_t i) { return items[i]; }
    T* data() { return items; }
};

struct variable {
    wtype type;
    bool is_ref = false;  // an address: `wp::float32* var_1`
    syntax::const_kind ckind = syntax::const_kind::none;  // a constant: `const wp::float32 var_4 = 0.0;`
    double fnum = 0.0;
    std::int64_t inum = 0;
    std::uint32_t str_at = 0, str_len = 0;  // a string constant's quoted text, in adjoint::strings
};

// One line of generated code in the arena, written whole: `indent` spaces, an optional TAB (Warp's loop-reverse
// quirk), the statement and the newline. The renderer then copies each line with one move per device.
struct line {
    std::uint32_t off = 0, len = 0;  // the whole line, newline included
    std::uint16_t indent = 0;
    bool tab = false;
};

struct block {
    pod_vector<line> forward, replay, reverse;
    pod_vector<std::int32_t> vars;
    std::string_view label_kind;  // the label is `<kind>_<number>`: `for_0`, `while_1`, `block_2`
    int label_number = 0;
};

class adjoint {
  public:
    struct argument {
        std::string name;
        wtype type;
    };

    std::vector<argument> args;
    std::vector<variable> variables;
    std::vector<std::size_t> loop_blocks;  // indices into blocks of the enclosing loops' condition blocks
    std::uint16_t indentation = 0;         // spaces
    int label_count = 0;
    long lineno = -1;
    bool has_return = false;  // a `return;` in the forward pass (the CUDA grid-stride loop spells it `continue;`)
    text_buffer arena;                     // the text of every line
    text_buffer strings;                   // the text of string constants (variables stay small and trivial)

    // The open blocks are pool[0, depth): popped blocks stay in the pool so their vectors keep their capacity
    // for the next kernel rendered by this (thread-local) builder.
    block& top() { return pool_[depth_ - 1]; }
    const block& top() const { return pool_[depth_ - 1]; }
    block& block_at(std::size_t i) { return pool_[i]; }
    const block& block_at(std::size_t i) const { return pool_[i]; }

    void reset() {
        args.clear();
        variables.clear();
        depth_ = 0;
        push_block();
        loop_blocks.clear();
        indentation = 0;
        label_count = 0;
        has_return = false;
        lineno = -1;
        arena.clear();
        strings.clear();
    }

    // The whole line (indentation and newline included) and just its statement.
    std::string_view text(const line& l) const { return arena.view().substr(l.off, l.len); }
    std::string_view statement(const line& l) const {
        auto head = static_cast<std::size_t>(l.indent) + (l.tab ? 1 : 0);
        return arena.view().substr(l.off + head, l.len - head - 1);
    }

    // --- variables -------------------------------------------------------------------------------------
    value add_var(wtype t, bool is_ref = false) {
        // Filled in place: a `variable` built on the stack and then copied is reloaded whole over its
        // just-stored fields, a store-forwarding stall (two thirds of this function's time).
        auto& v = variables.emplace_back();
        v.type = t;
        v.is_ref = is_ref;
        auto id = static_cast<std::int32_t>(variables.size() - 1);
        top().vars.push_back(id);
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
        variables[r.id].str_at = static_cast<std::uint32_t>(strings.size());
        variables[r.id].str_len = static_cast<std::uint32_t>(quoted.size());
        strings += quoted;
        return r;
    }
    std::string_view string_constant(const variable& v) const { return strings.view().substr(v.str_at, v.str_len); }

    wtype type_of(value v) const { return v.is_arg() ? args[-1 - v.id].type : variables[v.id].type; }
    bool is_ref(value v) const { return !v.is_arg() && variables[v.id].is_ref; }
    bool is_constant(value v) const { return !v.is_arg() && variables[v.id].ckind != syntax::const_kind::none; }
    const variable& var(value v) const { return variables[v.id]; }
    variable& var(value v) { return variables[v.id]; }

    [[gnu::always_inline]] void emit_label(text_buffer& out, value v) const {
        if (v.is_arg()) out += std::string_view(args[-1 - v.id].name);
        else out.append_uint(static_cast<std::uint32_t>(v.id));
    }
    [[gnu::always_inline]] void emit(text_buffer& out, value v) const {
        out += "var_";
        emit_label(out, v);
    }
    [[gnu::always_inline]] void emit_adj(text_buffer& out, value v) const {
        out += "adj_";
        emit_label(out, v);
    }
    std::string name(value v) const {
        text_buffer s;
        emit(s, v);
        return std::string(s.view());
    }
    // `<kind>_<number>` of a block.
    void emit_block_label(text_buffer& out, const block& b) const {
        out += b.label_kind;
        out += '_';
        out.append_uint(static_cast<std::uint32_t>(b.label_number));
    }

    // The longest spelling of `v`'s label: an argument's name or a variable number.
    std::size_t label_bound(value v) const { return v.is_arg() ? args[-1 - v.id].name.size() : 10; }

    // Writes into space reserved beforehand (see add_call); `p` is a local, so it stays in a register.
    struct cursor {
        char* p;
        [[gnu::always_inline]] void put(std::string_view s) {
            text_detail::copy(p, s.data(), s.size());
            p += s.size();
        }
        template <std::size_t N>
        [[gnu::always_inline]] void put(const char (&lit)[N]) {
            std::memcpy(p, lit, N - 1);
            p += N - 1;
        }
        [[gnu::always_inline]] void put(char ch) { *p++ = ch; }
        [[gnu::always_inline]] void spaces(std::size_t n) {
            text_detail::put_spaces(p, n);
            p += n;
        }
        // `<prefix><label>`: `var_3`, `adj_x`.
        template <std::size_t N>
        [[gnu::always_inline]] void var(const adjoint& a, const char (&prefix)[N], value v) {
            put(prefix);
            if (v.is_arg()) put(std::string_view(a.args[-1 - v.id].name));
            else p = text_detail::write_uint(p, static_cast<std::uint32_t>(v.id));
        }
    };

    // --- lines -----------------------------------------------------------------------------------------
    // Open a line in the arena (this writes its indentation); write the statement with `arena += ...`; close it
    // (this writes the newline) to get its reference. Forced inline: returned out of line, the small `line` is
    // stored field by field and reloaded whole, a store-forwarding stall per line.
    [[gnu::always_inline]] line open(std::uint16_t indent, bool tab = false) {
        line l{static_cast<std::uint32_t>(arena.size()), 0, indent, tab};
        arena.append(indent, ' ');
        if (tab) arena += '\t';
        return l;
    }
    [[gnu::always_inline]] line close(const line& l) {
        arena += '\n';
        return {l.off, static_cast<std::uint32_t>(arena.size()) - l.off, l.indent, l.tab};
    }
    [[gnu::always_inline]] line make(std::string_view s, std::uint16_t indent, bool tab = false) {
        auto m = open(indent, tab);
        arena += s;
        return close(m);
    }

    // Append to the forward pass; the replay (the backward's forward section) gets the same line or `replay`.
    // Forced inline like open/close: called out of line, a `line` built field by field on the stack is reloaded
    // whole into argument registers, a store-forwarding stall (was a third of add_call's own time).
    [[gnu::always_inline]] void add_forward(line l) {
        auto& b = top();
        b.forward.push_back(l);
        b.replay.push_back(l);
    }
    void add_forward(std::string_view statement) { add_forward(make(statement, indentation)); }
    void add_forward(std::string_view statement, std::string_view replay) {
        auto& b = top();
        b.forward.push_back(make(statement, indentation));
        b.replay.push_back(make(replay, indentation));
    }
    void add_forward_no_replay(std::string_view statement) {
        top().forward.push_back(make(statement, indentation));
    }
    [[gnu::always_inline]] void add_reverse(line l) { top().reverse.push_back(l); }
    void add_reverse(std::string_view statement) { add_reverse(make(statement, indentation)); }

    void indent() { indentation = static_cast<std::uint16_t>(indentation + 4); }
    void dedent() { indentation = static_cast<std::uint16_t>(indentation - 4); }

    std::size_t begin_block(std::string_view kind = "block") {
        push_block();
        top().label_kind = kind;
        top().label_number = label_count++;
        return depth_ - 1;
    }
    // The popped block stays readable until the next begin_block.
    const block& end_block() { return pool_[--depth_]; }

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
        uninitialized<wtype, 20> arg_types;  // only [0, nargs) is used: filling all 20 cost more than the call
        uninitialized<value, 20> fwd;
        if (nargs > 20) throw rejected("warpsynth: calls take at most 20 arguments");
        for (std::size_t i = 0; i < nargs; ++i) arg_types[i] = type_of(args_in[i]);
        auto info = builtins::resolve(f, arg_types.data(), nargs, result);
        std::string_view forward_name = info.forward.view(), adjoint_name = info.adjoint;
        if (!name_override.empty()) forward_name = adjoint_name = name_override;

        value out;
        if (result.kind != type_kind::none) out = add_var(result, output_is_ref);
        for (std::size_t i = 0; i < nargs; ++i) fwd[i] = f == builtins::fn::load ? args_in[i] : load(args_in[i]);

        // The call, its replay and its adjoint are written through a local pointer into space reserved once:
        // appending piece by piece reloads the arena's size after every store (a char store may alias it).
        std::size_t labels = 0;  // an upper bound of the operands' spelled length
        for (std::size_t i = 0; i < nargs; ++i) labels += label_bound(args_in[i]) + label_bound(fwd[i]) + 12;
        const std::size_t bound = indentation + 1 + forward_name.size() + adjoint_name.size() + 96 + labels;
        char* const start = arena.reserve(3 * bound);
        const auto base = static_cast<std::uint32_t>(arena.size());
        cursor c{start};

        c.spaces(indentation);
        if (out.valid()) {
            c.var(*this, "var_", out);
            c.put(" = ");
        }
        c.put(info.prefix);
        c.put(forward_name);
        c.put('(');
        for (std::size_t i = 0; i < nargs; ++i) {
            if (i) c.put(", ");
            c.var(*this, "var_", fwd[i]);
        }
        c.put(");\n");
        line call{base, static_cast<std::uint32_t>(c.p - start), indentation, false};
        line replay = call;
        if (info.skip_replay) {  // the same statement, commented out
            char* r = c.p;
            c.spaces(indentation);
            c.put("// ");
            c.put({start + indentation, call.len - indentation - 1});
            c.put('\n');
            replay = {base + static_cast<std::uint32_t>(r - start), static_cast<std::uint32_t>(c.p - r), indentation,
                      false};
        }
        top().forward.push_back(call);
        top().replay.push_back(replay);

        if (info.differentiable && nargs > 0) {
            char* r = c.p;
            c.spaces(indentation);
            c.put("wp::adj_");
            c.put(adjoint_name);
            c.put('(');
            for (std::size_t i = 0; i < nargs; ++i) {
                if (i) c.put(", ");
                c.var(*this, "var_", fwd[i]);
            }
            if (info.require_output && out.valid()) c.var(*this, ", var_", out);
            for (std::size_t i = 0; i < nargs; ++i)  // adjoints of the *unloaded* arguments: an address's adjoint
                c.var(*this, ", adj_", args_in[i]);
            if (out.valid()) c.var(*this, ", adj_", out);
            c.put(");\n");
            add_reverse({base + static_cast<std::uint32_t>(r - start), static_cast<std::uint32_t>(c.p - r),
                         indentation, false});
        }
        arena.advance(static_cast<std::size_t>(c.p - start));
        return out;
    }

    // `builtin_tid2d(var_0, var_1);`: one call, several outputs.
    std::vector<value> add_tid_call(int arity) {
        std::vector<value> outs;
        for (int i = 0; i < arity; ++i) outs.push_back(add_var(types::scalar(scalar_kind::int32)));
        auto m = open(indentation);
        arena += "builtin_tid";
        arena += static_cast<char>('0' + arity);
        arena += "d(";
        for (int i = 0; i < arity; ++i) {
            if (i) arena += ", ";
            emit(arena, outs[static_cast<std::size_t>(i)]);
        }
        arena += ");";
        add_forward(close(m));
        return outs;
    }

    // --- control flow ----------------------------------------------------------------------------------
    [[gnu::always_inline]] line if_line(value cond, bool negate) {
        auto m = open(indentation);
        arena += negate ? std::string_view("if (!") : std::string_view("if (");
        emit(arena, cond);
        arena += ") {";
        return close(m);
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

    // A line `<before><label of block b><after>`. Lines are returned from forced-inline functions only (see open).
    [[gnu::always_inline]] line label_line(std::string_view before, const block& b, std::string_view after,
                                           std::uint16_t indent, bool tab = false) {
        auto m = open(indent, tab);
        arena += before;
        emit_block_label(arena, b);
        arena += after;
        return close(m);
    }

    value begin_for(value iter) {
        auto cond = begin_block("for");
        loop_blocks.push_back(cond);
        add_forward(label_line("start_", block_at(cond), ":;", indentation));
        indent();
        auto m = open(indentation);
        arena += "if (iter_cmp(";
        emit(arena, iter);
        arena += ") == 0) goto end_";
        emit_block_label(arena, block_at(cond));
        arena += ';';
        add_forward(close(m));
        auto val = add_call(builtins::fn::iter_next, {iter}, types::scalar(scalar_kind::int32));
        begin_block();
        return val;
    }

    void end_for(value iter) {
        const block& body = end_block();
        const block& cond = end_block();
        loop_blocks.pop_back();
        auto& outer = top();
        outer.forward.append(cond.forward.begin(), cond.forward.end());
        outer.forward.append(body.forward.begin(), body.forward.end());
        outer.forward.push_back(label_line("goto start_", cond, ";", indentation));
        dedent();
        outer.forward.push_back(label_line("end_", cond, ":;", indentation));

        // The reverse pass runs the loop backwards; built in order, then appended reversed.
        auto& rev = scratch_;
        rev.clear();
        auto m = open(indentation);
        emit(arena, iter);
        arena += " = wp::iter_reverse(";
        emit(arena, iter);
        arena += ");";
        rev.push_back(close(m));
        rev.append(cond.forward.begin(), cond.forward.end());
        for (auto v : body.vars) {
            m = open(indentation, true);
            emit_adj(arena, {v});
            arena += " = {};";
            rev.push_back(close(m));
        }
        rev.append(body.replay.begin(), body.replay.end());
        rev.append(body.reverse.rbegin(), body.reverse.rend());
        rev.push_back(label_line("goto start_", cond, ";", indentation, true));
        rev.push_back(label_line("end_", cond, ":;", indentation));
        auto& r = outer.reverse;
        r.append(rev.rbegin(), rev.rend());
    }

    // The condition is evaluated by the caller between begin_while_head and begin_while_body.
    void begin_while_head() {
        auto cond = begin_block("while");
        loop_blocks.push_back(cond);
        top().forward.push_back(label_line("start_", top(), ":;", 0));
    }
    void begin_while_body(value c) {
        c = load(c);
        auto& cond = block_at(loop_blocks.back());
        auto m = open(0);
        arena += "if ((";
        emit(arena, c);
        arena += ") == false) goto end_";
        emit_block_label(arena, cond);
        arena += ';';
        cond.forward.push_back(close(m));
        begin_block();
        indent();
    }
    void end_while() {
        dedent();
        const block& body = end_block();
        const block& cond = end_block();
        loop_blocks.pop_back();
        auto& outer = top();
        outer.forward.append(cond.forward.begin(), cond.forward.end());
        outer.forward.append(body.forward.begin(), body.forward.end());
        auto go = label_line("goto start_", cond, ";", 0);
        auto end = label_line("end_", cond, ":;", 0);
        outer.forward.push_back(go);
        outer.forward.push_back(end);

        auto& rev = scratch_;
        rev.assign(cond.forward.begin(), cond.forward.end());
        for (auto v : body.vars) {
            auto m = open(0);
            emit_adj(arena, {v});
            arena += " = {};";
            rev.push_back(close(m));
        }
        rev.append(body.replay.begin(), body.replay.end());
        rev.append(body.reverse.rbegin(), body.reverse.rend());
        rev.push_back(go);
        rev.push_back(end);
        auto& r = outer.reverse;
        r.append(rev.rbegin(), rev.rend());
    }

    // `goto <prefix><innermost loop label>;` (break: `end_`, continue: `start_`).
    void add_loop_jump(std::string_view prefix) {
        auto m = open(indentation);
        arena += "goto ";
        arena += prefix;
        emit_block_label(arena, block_at(loop_blocks.back()));
        arena += ';';
        add_forward(close(m));
    }

    void add_return() {
        auto& b = top();
        b.forward.push_back(make("return;", indentation));
        has_return = true;
        auto m = open(indentation);
        arena += "goto label";
        arena.append_uint(static_cast<std::uint32_t>(label_count));
        arena += ';';
        b.replay.push_back(close(m));
        m = open(indentation);
        arena += "label";
        arena.append_uint(static_cast<std::uint32_t>(label_count));
        arena += ":;";
        add_reverse(close(m));
        ++label_count;
    }

    // `<indentation><head><source line><pad><tail><n>>`: a source-line comment of set_lineno.
    template <std::size_t H, std::size_t T>
    [[gnu::always_inline]] void comment_line(cursor& c, const char (&head)[H], std::string_view stripped_line,
                                             std::size_t pad, const char (&tail)[T], long absolute) const {
        c.spaces(indentation);
        c.put(head);
        c.put(stripped_line);
        c.spaces(pad);
        c.put(tail);
        c.p = text_detail::write_uint(c.p, static_cast<std::uint32_t>(absolute));
        c.put(">\n");
    }

    // `// <line>   <L n>` before the code of each new source line (forward and reverse), padded to one width.
    void set_lineno(long rel, std::string_view stripped_line, long absolute) {
        if (lineno == rel) return;
        lineno = rel;
        auto width = 80 - static_cast<long>(indentation);
        auto pad = static_cast<long>(stripped_line.size()) < width
                       ? static_cast<std::size_t>(width - static_cast<long>(stripped_line.size()))
                       : 0;
        // Both lines through one cursor (see add_call); they have the same length.
        char* const start = arena.reserve(2 * (indentation + stripped_line.size() + pad + 40));
        const auto base = static_cast<std::uint32_t>(arena.size());
        cursor c{start};
        comment_line(c, "// ", stripped_line, pad, "       <L ", absolute);
        const auto len = static_cast<std::uint32_t>(c.p - start);
        comment_line(c, "// adj: ", stripped_line, pad, "  <L ", absolute);
        add_forward(line{base, len, indentation, false});
        add_reverse(line{base + len, len, indentation, false});
        arena.advance(static_cast<std::size_t>(c.p - start));
    }

  private:
    std::vector<block> pool_;
    std::size_t depth_ = 0;
    pod_vector<line> scratch_;

    void push_block() {
        if (depth_ == pool_.size()) pool_.emplace_back();
        auto& b = pool_[depth_++];
        b.forward.clear();
        b.replay.clear();
        b.reverse.clear();
        b.vars.clear();
        b.label_kind = {};
        b.label_number = 0;
    }
};

// The C++ initializer of a constant var, as Warp's `constant_str` prints it.
inline void append_constant(text_buffer& out, const adjoint& adj, const variable& v) {
    switch (v.ckind) {
    case syntax::const_kind::boolean: out += v.inum ? std::string_view("true") : std::string_view("false"); break;
    case syntax::const_kind::integer:
        if (v.inum < 0) out += '-';
        out.append_uint(v.inum < 0 ? 0 - static_cast<std::uint64_t>(v.inum) : static_cast<std::uint64_t>(v.inum));
        break;
    case syntax::const_kind::floating:
        if (v.fnum != v.fnum) out += "NAN";
        else if (v.fnum == 1.0 / 0.0) out += "INFINITY";
        else if (v.fnum == -1.0 / 0.0) out += "-INFINITY";
        else {
            char* p = out.reserve(python_float_repr_max);
            out.advance(static_cast<std::size_t>(write_python_float(p, v.fnum) - p));
        }
        break;
    case syntax::const_kind::string: out += adj.string_constant(v); break;
    default: break;
    }
}

}  // namespace warpsynth::ir
