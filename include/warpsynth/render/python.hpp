// warpsynth/render/python.hpp — the canonical Python module of a kernel.
//
// Layout (golden/README.md): `import warp as wp`, two blank lines, the decorator on line 4, `def` on line 5, 4-space
// indentation, a final newline. The signature stays on one line up to 100 characters, otherwise one argument per
// line with a trailing comma. Expressions get the parentheses precedence needs plus any written with paren(); `**`
// hugs simple operands as black formats it.
//
// Besides the text it records where every statement landed (`source_map`): Warp's `<L n>` comments quote those
// lines, and the kernel hash covers the function's source text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "warpsynth/syntax/tree.hpp"
#include "warpsynth/util/text_buffer.hpp"

namespace warpsynth {

struct source_map {
    std::vector<std::uint32_t> line_of;      // node id -> 1-based line of the statement (0: not a statement)
    std::vector<std::uint32_t> line_start;   // 1-based line -> offset in the module text (index 0 unused)
    std::uint32_t def_line = 5;              // the `def` line
    std::uint32_t decorator_line = 4;
    std::string_view text;                   // the module text (owned by the caller)

    std::string_view line(std::uint32_t n) const {
        auto b = line_start[n];
        auto e = n + 1 < line_start.size() ? line_start[n + 1] - 1 : static_cast<std::uint32_t>(text.size());
        return text.substr(b, e - b);
    }
    // The function's source as Warp's `adj.source` sees it: from the decorator to the end (already dedented).
    std::string_view function_source() const { return text.substr(line_start[decorator_line]); }
};

namespace python_detail {

using syntax::node;
using syntax::node_kind;
using syntax::op;

constexpr int precedence(const node& n) {
    switch (n.kind) {
    case node_kind::ifexp: return 1;
    case node_kind::boolop: return n.oper == op::or_ ? 2 : 3;
    case node_kind::unaryop: return n.oper == op::not_ ? 4 : 12;
    case node_kind::compare: return 5;
    case node_kind::binop:
        switch (n.oper) {
        case op::bit_or: return 6;
        case op::bit_xor: return 7;
        case op::bit_and: return 8;
        case op::lshift: case op::rshift: return 9;
        case op::add: case op::sub: return 10;
        case op::pow: return 13;
        default: return 11;  // * / // % @
        }
    case node_kind::call: case node_kind::subscript: case node_kind::attribute: return 14;
    default: return 15;
    }
}

constexpr std::string_view op_text(op o) {
    switch (o) {
    case op::add: return "+";
    case op::sub: return "-";
    case op::mul: return "*";
    case op::div: return "/";
    case op::mod: return "%";
    case op::floordiv: return "//";
    case op::pow: return "**";
    case op::matmul: return "@";
    case op::bit_and: return "&";
    case op::bit_or: return "|";
    case op::bit_xor: return "^";
    case op::lshift: return "<<";
    case op::rshift: return ">>";
    case op::usub: return "-";
    case op::not_: return "not ";
    case op::invert: return "~";
    case op::and_: return "and";
    case op::or_: return "or";
    case op::lt: return "<";
    case op::le: return "<=";
    case op::gt: return ">";
    case op::ge: return ">=";
    case op::eq: return "==";
    case op::ne: return "!=";
    default: return "?";
    }
}

class writer {
  public:
    writer(const syntax::tree& t, text_buffer& out, source_map* map) : t_(t), out_(out), map_(map) {}

    void module() {
        line_ = 0;
        emit_line("import warp as wp");
        emit_line("");
        emit_line("");
        emit_line(t_.decorator);
        signature();
        for (auto s : t_.body) statement(s, 1);
    }

  private:
    const syntax::tree& t_;
    text_buffer& out_;
    source_map* map_;
    std::uint32_t line_ = 0;

    void begin_line(int indent) {
        ++line_;
        if (map_) map_->line_start.push_back(static_cast<std::uint32_t>(out_.size()));
        out_.append(static_cast<std::size_t>(indent) * 4, ' ');
    }
    void emit_line(std::string_view s) {
        begin_line(0);
        out_ += s;
        out_ += '\n';
    }

    void signature() {
        std::size_t one_line = 4 + t_.name.size() + 3;  // `def <name>():`
        for (std::size_t i = 0; i < t_.args.size(); ++i)
            one_line += (i ? 2 : 0) + t_.args[i].name.size() + 2 + t_.args[i].python.size();
        begin_line(0);
        out_ += "def ";
        out_ += std::string_view(t_.name);
        out_ += '(';
        if (one_line <= 100) {
            for (std::size_t i = 0; i < t_.args.size(); ++i) {
                if (i) out_ += ", ";
                argument(t_.args[i]);
            }
        } else {
            out_ += '\n';
            for (auto& a : t_.args) {
                begin_line(1);
                argument(a);
                out_ += ",\n";
            }
            begin_line(0);
        }
        out_ += "):\n";
    }
    void argument(const syntax::tree::argument& a) {
        out_ += std::string_view(a.name);
        out_ += ": ";
        out_ += std::string_view(a.python);
    }

    void block(const node& parent, std::uint32_t from, std::uint32_t to, int indent) {
        for (auto i = from; i < to; ++i) statement(t_.child(parent, i), indent);
    }

    void statement(syntax::node_id id, int indent) {
        const node& n = t_[id];
        begin_line(indent);
        if (map_) map_->line_of[id] = line_;
        switch (n.kind) {
        case node_kind::assign:
            expr(t_.child(n, 0), 0);
            out_ += " = ";
            expr(t_.child(n, 1), 0);
            break;
        case node_kind::aug_assign:
            expr(t_.child(n, 0), 0);
            out_ += ' ';
            out_ += op_text(n.oper);
            out_ += "= ";
            expr(t_.child(n, 1), 0);
            break;
        case node_kind::expr_stmt: expr(t_.child(n, 0), 0); break;
        case node_kind::if_stmt: if_chain(id, indent, "if "); return;
        case node_kind::for_stmt:
            out_ += "for ";
            expr(t_.child(n, 0), 0);
            out_ += " in ";
            expr(t_.child(n, 1), 0);
            out_ += ":";
            end_statement(n);
            block(n, 2, n.count, indent + 1);
            return;
        case node_kind::while_stmt:
            out_ += "while ";
            expr(t_.child(n, 0), 0);
            out_ += ":";
            end_statement(n);
            block(n, 1, n.count, indent + 1);
            return;
        case node_kind::break_stmt: out_ += "break"; break;
        case node_kind::continue_stmt: out_ += "continue"; break;
        case node_kind::pass_stmt: out_ += "pass"; break;
        case node_kind::return_stmt:
            out_ += "return";
            if (n.count) {
                out_ += ' ';
                expr(t_.child(n, 0), 0);
            }
            break;
        case node_kind::comment:
            out_ += "# ";
            out_ += t_.text_of(n);
            break;
        case node_kind::docstring:
            out_ += "\"\"\"";
            out_ += t_.text_of(n);
            out_ += "\"\"\"";
            break;
        default: break;
        }
        end_statement(n);
    }

    void end_statement(const node& n) {
        if (n.note_len) {
            out_ += "  # ";
            out_ += t_.note_of(n);
        }
        out_ += '\n';
    }

    // `if`, then `elif`s as long as the else branch is a single flagged if, then `else`.
    void if_chain(syntax::node_id id, int indent, std::string_view keyword) {
        const node& n = t_[id];
        out_ += keyword;
        expr(t_.child(n, 0), 0);
        out_ += ":";
        end_statement(n);
        block(n, 1, 1 + n.aux, indent + 1);
        if (1 + n.aux == n.count) return;
        if (n.elif) {
            auto inner = t_.child(n, 1 + n.aux);
            begin_line(indent);
            if (map_) map_->line_of[inner] = line_;
            if_chain(inner, indent, "elif ");
            return;
        }
        begin_line(indent);
        out_ += "else:\n";
        block(n, 1 + n.aux, n.count, indent + 1);
    }

    // Black's "simple power operand": a name, a number, an attribute chain, optionally negated.
    bool simple_power_operand(const node& n) const {
        if (n.parens) return false;
        switch (n.kind) {
        case node_kind::name: case node_kind::constant: return true;
        case node_kind::attribute: return simple_power_operand(t_[t_.child(n, 0)]);
        case node_kind::unaryop: return n.oper == op::usub && simple_power_operand(t_[t_.child(n, 0)]);
        default: return false;
        }
    }

    // Render expression `id` in a context that needs precedence >= `need`.
    void expr(syntax::node_id id, int need) {
        const node& n = t_[id];
        bool wrap = n.parens || precedence(n) < need;
        if (wrap) out_ += '(';
        switch (n.kind) {
        case node_kind::name: case node_kind::constant: case node_kind::type_ref: out_ += t_.text_of(n); break;
        case node_kind::binop: {
            int p = precedence(n);
            auto l = t_.child(n, 0), r = t_.child(n, 1);
            if (n.oper == op::pow) {
                expr(l, p + 1);
                bool hug = simple_power_operand(t_[l]) && simple_power_operand(t_[r]);
                out_ += hug ? "**" : " ** ";
                expr(r, 12);
            } else {
                expr(l, p);
                out_ += ' ';
                out_ += op_text(n.oper);
                out_ += ' ';
                expr(r, p + 1);
            }
            break;
        }
        case node_kind::unaryop:
            out_ += op_text(n.oper);
            expr(t_.child(n, 0), precedence(n));
            break;
        case node_kind::compare:
            expr(t_.child(n, 0), 6);
            for (std::uint32_t i = 1; i < n.count; ++i) {
                out_ += ' ';
                out_ += op_text(t_.ops[n.aux + i - 1]);
                out_ += ' ';
                expr(t_.child(n, i), 6);
            }
            break;
        case node_kind::boolop:
            for (std::uint32_t i = 0; i < n.count; ++i) {
                if (i) {
                    out_ += ' ';
                    out_ += op_text(n.oper);
                    out_ += ' ';
                }
                expr(t_.child(n, i), precedence(n) + 1);
            }
            break;
        case node_kind::ifexp:
            expr(t_.child(n, 1), 2);
            out_ += " if ";
            expr(t_.child(n, 0), 2);
            out_ += " else ";
            expr(t_.child(n, 2), 1);
            break;
        case node_kind::call:
            out_ += t_.text_of(n);
            out_ += '(';
            for (std::uint32_t i = 0; i < n.count; ++i) {
                if (i) out_ += ", ";
                expr(t_.child(n, i), 0);
            }
            out_ += ')';
            break;
        case node_kind::keyword:
            out_ += t_.text_of(n);
            out_ += '=';
            expr(t_.child(n, 0), 0);
            break;
        case node_kind::subscript:
            expr(t_.child(n, 0), 14);
            out_ += '[';
            for (std::uint32_t i = 1; i < n.count; ++i) {
                if (i > 1) out_ += ", ";
                expr(t_.child(n, i), 0);
            }
            out_ += ']';
            break;
        case node_kind::attribute:
            expr(t_.child(n, 0), 14);
            out_ += '.';
            out_ += t_.text_of(n);
            break;
        case node_kind::tuple:
            for (std::uint32_t i = 0; i < n.count; ++i) {
                if (i) out_ += ", ";
                expr(t_.child(n, i), 0);
            }
            break;
        default: break;
        }
        if (wrap) out_ += ')';
    }
};

}  // namespace python_detail

// Append the canonical module text of `t` to `out`; fill `map` (if given) with statement line numbers.
inline void render_python(const syntax::tree& t, std::string& out, source_map* map = nullptr) {
    if (map) {
        map->line_of.assign(t.nodes.size(), 0);
        map->line_start.assign(1, 0);
    }
    thread_local text_buffer text;  // written piece by piece, then copied out once
    text.clear();
    python_detail::writer(t, text, map).module();
    auto base = out.size();
    out += text.view();
    if (map) {
        map->text = std::string_view(out).substr(base);
        map->def_line = 5;
        map->decorator_line = 4;
    }
}

inline std::string render_python(const syntax::tree& t) {
    std::string s;
    render_python(t, s, nullptr);
    return s;
}

}  // namespace warpsynth
