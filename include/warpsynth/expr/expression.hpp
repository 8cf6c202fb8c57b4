// warpsynth/expr/expression.hpp — what an expression is, and how a C++ number becomes a Python literal.
//
// An expression is a small value type with
//   - `using type = wt<W>`: its Warp type, known at compile time;
//   - `static constexpr bool is_ref`: true when Warp sees a reference (an array element), which it loads lazily;
//   - `node_id lower(syntax::tree&) const`: append its Python-shaped node(s) to a tree.
// Runtime data lives only in leaves: names, literal values and their spellings.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "warpsynth/syntax/tree.hpp"
#include "warpsynth/types/tags.hpp"
#include "warpsynth/util/python_repr.hpp"

namespace warpsynth {

template <class E>
concept expression = requires(const E& e, syntax::tree& t) {
    typename E::type;
    { E::type::value } -> std::convertible_to<wtype>;
    { e.lower(t) } -> std::same_as<syntax::node_id>;
};

// A C++ number or bool written directly in an expression (`x * 2.0`, `a[i] + 1`).
template <class T>
concept number = std::is_arithmetic_v<std::remove_cvref_t<T>>;

template <class T>
concept operand = expression<std::remove_cvref_t<T>> || number<T>;

template <expression E>
inline constexpr wtype type_of = E::type::value;

namespace detail {
inline syntax::node_id add_leaf(syntax::tree& t, syntax::node_kind k, wtype type, std::string_view text) {
    auto id = t.add(k);
    auto& n = t[id];
    n.type = type;
    t.set_text(id, text);
    return id;
}
}  // namespace detail

// A literal constant. Warp types a Python float literal as float32, an int literal as int32 (no promotion ever),
// so `W` is one of those, bool, or str. The spelling is the Python source text; the value is what Warp prints.
template <wtype W>
struct literal {
    using type = wt<W>;
    static constexpr bool is_ref = false;
    double fvalue = 0.0;
    std::int64_t ivalue = 0;
    std::string spelling;
    bool parens = false;

    // A negative number is `-` applied to a positive constant in Python's AST (Warp folds it back).
    syntax::node_id lower(syntax::tree& t) const {
        bool negative = !spelling.empty() && spelling[0] == '-';
        auto id = detail::add_leaf(t, syntax::node_kind::constant, W,
                                   negative ? std::string_view(spelling).substr(1) : std::string_view(spelling));
        fill(t[id], negative ? -1 : 1);
        if (!negative) {
            t[id].parens = parens;
            return id;
        }
        auto uid = t.add(syntax::node_kind::unaryop);
        auto& u = t[uid];
        u.oper = syntax::op::usub;
        u.type = W;
        u.parens = parens;
        t.set_children(uid, &id, 1);
        return uid;
    }

  private:
    void fill(syntax::node& n, int sign) const {
        if constexpr (W.kind == type_kind::string) {
            n.ckind = syntax::const_kind::string;
        } else if constexpr (W.is_bool()) {
            n.ckind = syntax::const_kind::boolean;
            n.inum = ivalue;
        } else if constexpr (is_float(W.scalar)) {
            n.ckind = syntax::const_kind::floating;
            n.num = sign * fvalue;
        } else {
            n.ckind = syntax::const_kind::integer;
            n.inum = sign * ivalue;
        }
    }
};

using float_literal = literal<f32_t>;
using int_literal = literal<i32_t>;
using bool_literal = literal<bool_t>;

inline float_literal lit(double v) { return {v, 0, python_float_repr(v)}; }
inline int_literal lit(int v) { return {0.0, v, python_int_repr(v)}; }
inline int_literal lit(long v) { return {0.0, v, python_int_repr(v)}; }
inline int_literal lit(long long v) { return {0.0, v, python_int_repr(v)}; }
inline bool_literal lit(bool v) { return {0.0, v ? 1 : 0, v ? "True" : "False"}; }

// A float literal kept exactly as written, e.g. flit("1e-3") renders `1e-3` in Python and `0.001` in the IR.
inline float_literal flit(std::string_view spelling) {
    return {std::strtod(std::string(spelling).c_str(), nullptr), 0, std::string(spelling)};
}
// An int literal kept exactly as written.
inline int_literal ilit(std::string_view spelling) {
    return {0.0, std::strtoll(std::string(spelling).c_str(), nullptr, 0), std::string(spelling)};
}
// A string constant (`s = "hello"`): Warp declares it as `const wp::str`.
inline literal<types::string()> slit(std::string_view s) {
    return {0.0, 0, "\"" + std::string(s) + "\""};
}

// Wrap a number as a literal; leave expressions alone.
template <class T>
decltype(auto) as_expr(const T& v) {
    if constexpr (number<T>) {
        if constexpr (std::is_same_v<T, bool>) return lit(v);
        else if constexpr (std::is_floating_point_v<T>) return lit(static_cast<double>(v));
        else return lit(static_cast<long long>(v));
    } else {
        return (v);
    }
}
template <class T>
using as_expr_t = std::remove_cvref_t<decltype(as_expr(std::declval<const T&>()))>;

// Explicit parentheses in the Python text: `paren(a + b)` renders `(a + b)` even where precedence does not need it.
template <expression E>
E paren(E e) {
    e.parens = true;
    return e;
}

}  // namespace warpsynth
