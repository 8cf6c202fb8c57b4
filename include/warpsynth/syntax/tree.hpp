// warpsynth/syntax/tree.hpp — the Python-shaped syntax tree a typed kernel description lowers to.
//
// The typed description (expr/, stmt/, kernel.hpp) checks every rule at compile time and then lowers, once, into
// this flat tree. It mirrors Python's `ast` node for node (Subscript with a Tuple slice, Expr statements, keyword
// arguments, ...) because Warp's code generator walks Python's AST: its numbering, its hashing order (a
// breadth-first walk) and its line comments all follow that shape. Every renderer walks this one tree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "warpsynth/types/wtype.hpp"
#include "warpsynth/util/pod_vector.hpp"
#include "warpsynth/util/text_buffer.hpp"

namespace warpsynth::syntax {

enum class node_kind : std::uint8_t {
    // expressions
    name,        // a kernel argument or a local: text = identifier
    constant,    // a literal: text = Python spelling, value in `num`/`inum`
    type_ref,    // a type used as a value, e.g. `dtype=float`: text = Python spelling
    binop,       // children: left, right
    unaryop,     // children: operand
    compare,     // children: left, comparators...; ops in tree::ops[aux ...]
    boolop,      // children: values...
    ifexp,       // children: test, body, orelse
    call,        // children: positional args..., keywords...; text = callee spelling; aux = #positional
    keyword,     // children: value; text = keyword name
    subscript,   // children: value, indices...
    attribute,   // children: value; text = attribute name
    tuple,       // children: elements (assignment targets of `i, j = wp.tid()`)
    // statements
    assign,      // children: target, value
    aug_assign,  // children: target, value; op
    expr_stmt,   // children: value
    if_stmt,     // children: test, body..., orelse...; aux = #body; flag elif: orelse is one `elif`
    for_stmt,    // children: target, iter, body...
    while_stmt,  // children: test, body...
    break_stmt,
    continue_stmt,
    return_stmt,  // children: optional value
    pass_stmt,
    comment,      // a full-line `# ...` comment: produces no code
    docstring,    // a string-constant expression statement: produces no code
};

enum class op : std::uint8_t {
    none,
    // binary
    add, sub, mul, div, mod, floordiv, pow, matmul, bit_and, bit_or, bit_xor, lshift, rshift,
    // unary
    usub, not_, invert,
    // boolean
    and_, or_,
    // comparison
    lt, le, gt, ge, eq, ne,
};

enum class const_kind : std::uint8_t { none, integer, floating, boolean, string };

// The components an attribute names (its node's text), in Warp's value layout: `.x` `.y` `.z` `.w` one each, a
// transform's `.p` components 0-2 and `.q` components 3-6. Unknown letters give count 0.
struct component_range {
    int first = 0, count = 0;
};
constexpr component_range attribute_components(char letter) {
    switch (letter) {
    case 'x': return {0, 1};
    case 'y': return {1, 1};
    case 'z': return {2, 1};
    case 'w': return {3, 1};
    case 'p': return {0, 3};
    case 'q': return {3, 4};
    default: return {};
    }
}

struct node {
    node_kind kind{};
    op oper = op::none;
    const_kind ckind = const_kind::none;
    bool parens = false;   // written with explicit parentheses in the Python text
    bool elif = false;     // if_stmt whose else branch renders as `elif`
    wtype type{};          // the Warp type of an expression's value
    std::uint32_t first = 0, count = 0;    // children: tree::kids[first, first + count)
    std::uint32_t text_at = 0, text_len = 0;  // into tree::text
    std::uint32_t note_at = 0, note_len = 0;  // trailing `# comment` of a statement
    std::uint32_t aux = 0;
    std::uint16_t builtin = 0;  // builtins/catalog.hpp id of a call
    double num = 0.0;           // floating constant value
    std::int64_t inum = 0;      // integer/boolean constant value
};

using node_id = std::uint32_t;

struct tree {
    pod_vector<node> nodes;  // (pod_vector: appending a node or children inlines; lowering does it per node)
    pod_vector<node_id> kids;
    std::vector<op> ops;
    text_buffer text;  // every node's text, appended in line

    // The kernel itself.
    std::string name;
    struct argument {
        std::string name;
        std::string python;  // annotation spelling
        wtype type;
    };
    std::vector<argument> args;
    std::vector<node_id> body;
    std::string decorator = "@wp.kernel";
    std::vector<std::pair<std::string, std::string>> options;  // kernel options as (key, Python str(value))

    void clear() {
        nodes.clear();
        kids.clear();
        ops.clear();
        text.clear();
        name.clear();
        args.clear();
        body.clear();
        decorator = "@wp.kernel";
        options.clear();
    }

    const node& operator[](node_id id) const { return nodes[id]; }
    node& operator[](node_id id) { return nodes[id]; }

    std::string_view text_of(const node& n) const { return {text.data() + n.text_at, n.text_len}; }
    std::string_view note_of(const node& n) const { return {text.data() + n.note_at, n.note_len}; }
    node_id child(const node& n, std::uint32_t i) const { return kids[n.first + i]; }

    // A new node of kind `k`, filled in place through `(*this)[id]`: a node built aside and copied in is
    // written field by field and then read back whole, a store-forwarding stall per node.
    node_id add(node_kind k) {
        nodes.emplace_back().kind = k;
        return static_cast<node_id>(nodes.size() - 1);
    }
    void set_text(node_id id, std::string_view s) {
        nodes[id].text_at = static_cast<std::uint32_t>(text.size());
        nodes[id].text_len = static_cast<std::uint32_t>(s.size());
        text += s;
    }
    void set_note(node_id id, std::string_view s) {
        nodes[id].note_at = static_cast<std::uint32_t>(text.size());
        nodes[id].note_len = static_cast<std::uint32_t>(s.size());
        text += s;
    }
    // Children are appended contiguously; lowering collects child ids first, then calls this.
    void set_children(node_id id, const node_id* ids, std::size_t n) {
        nodes[id].first = static_cast<std::uint32_t>(kids.size());
        nodes[id].count = static_cast<std::uint32_t>(n);
        kids.append(ids, ids + n);
    }
};

constexpr bool is_statement(node_kind k) { return k >= node_kind::assign; }

}  // namespace warpsynth::syntax
