// warpsynth/expr/operators.hpp — Python's operators as expression templates: + - * / % // ** @ & | ^ << >>,
// unary - and `not`, comparisons (chained like Python's), `and`/`or`, and the ternary `x if c else y`.
//
// The operator *family* (its typing rule) is part of the type; the operator itself is a runtime leaf, so a
// generator can pick `+` or `-` for one compiled shape.
#pragma once

#include <array>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "warpsynth/expr/expression.hpp"
#include "warpsynth/expr/node_base.hpp"
#include "warpsynth/expr/typing.hpp"

namespace warpsynth {

// --- operator families: the typing rule shared by their members -------------------------------------------
struct additive_ops {  // + -
    template <wtype A, wtype B> static constexpr wtype result() { return typing::additive<A, B>(); }
};
struct multiply_ops {  // *
    template <wtype A, wtype B> static constexpr wtype result() { return typing::multiply<A, B>(); }
};
struct matmul_ops {  // @
    template <wtype A, wtype B> static constexpr wtype result() { return typing::matmul<A, B>(); }
};
struct divide_ops {  // /
    template <wtype A, wtype B> static constexpr wtype result() { return typing::divide<A, B>(); }
};
struct scalar_ops {  // % //
    template <wtype A, wtype B> static constexpr wtype result() { return typing::scalar_same<A, B>(); }
};
struct power_ops {  // **
    template <wtype A, wtype B> static constexpr wtype result() { return typing::power<A, B>(); }
};
struct bitwise_ops {  // & | ^ << >>
    template <wtype A, wtype B> static constexpr wtype result() { return typing::bitwise<A, B>(); }
};

template <class Ops, expression L, expression R>
struct binary : node_base<binary<Ops, L, R>> {
    using type = wt<Ops::template result<L::type::value, R::type::value>()>;
    static constexpr bool is_ref = false;
    syntax::op oper;
    L left;
    R right;
    binary(syntax::op o, L l, R r) : oper(o), left(std::move(l)), right(std::move(r)) {}

    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kids[2] = {left.lower(t), right.lower(t)};
        auto id = t.add(syntax::node_kind::binop);
        auto& n = t[id];
        n.oper = oper;
        n.type = type::value;
        n.parens = this->parens;
        t.set_children(id, kids, 2);
        return id;
    }
};

template <class Ops, class A, class B>
auto make_binary(syntax::op o, const A& a, const B& b) {
    return binary<Ops, as_expr_t<A>, as_expr_t<B>>(o, as_expr(a), as_expr(b));
}

// `a <op> b` where at least one side is an expression.
template <class A, class B>
concept binary_operands = operand<A> && operand<B> && (expression<A> || expression<B>);

// clang-format off
template <class A, class B> requires binary_operands<A, B>
auto operator+(const A& a, const B& b) { return make_binary<additive_ops>(syntax::op::add, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator-(const A& a, const B& b) { return make_binary<additive_ops>(syntax::op::sub, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator*(const A& a, const B& b) { return make_binary<multiply_ops>(syntax::op::mul, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator/(const A& a, const B& b) { return make_binary<divide_ops>(syntax::op::div, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator%(const A& a, const B& b) { return make_binary<scalar_ops>(syntax::op::mod, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator&(const A& a, const B& b) { return make_binary<bitwise_ops>(syntax::op::bit_and, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator|(const A& a, const B& b) { return make_binary<bitwise_ops>(syntax::op::bit_or, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator^(const A& a, const B& b) { return make_binary<bitwise_ops>(syntax::op::bit_xor, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator<<(const A& a, const B& b) { return make_binary<bitwise_ops>(syntax::op::lshift, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator>>(const A& a, const B& b) { return make_binary<bitwise_ops>(syntax::op::rshift, a, b); }
// Python operators C++ lacks.
template <class A, class B> requires binary_operands<A, B>
auto floordiv(const A& a, const B& b) { return make_binary<scalar_ops>(syntax::op::floordiv, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto power(const A& a, const B& b) { return make_binary<power_ops>(syntax::op::pow, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto matmul(const A& a, const B& b) { return make_binary<matmul_ops>(syntax::op::matmul, a, b); }
// clang-format on

// --- unary ----------------------------------------------------------------------------------------------
struct negate_ops {  // -x
    template <wtype A> static constexpr wtype result() { return typing::negate<A>(); }
};
struct not_ops {  // not x
    template <wtype A> static constexpr wtype result() { return typing::condition<A>(); }
};

template <class Ops, expression E>
struct unary : node_base<unary<Ops, E>> {
    using type = wt<Ops::template result<E::type::value>()>;
    static constexpr bool is_ref = false;
    syntax::op oper;
    E operand_;
    unary(syntax::op o, E e) : oper(o), operand_(std::move(e)) {}
    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kid = operand_.lower(t);
        auto id = t.add(syntax::node_kind::unaryop);
        auto& n = t[id];
        n.oper = oper;
        n.type = type::value;
        n.parens = this->parens;
        t.set_children(id, &kid, 1);
        return id;
    }
};
template <expression E>
auto operator-(const E& e) {
    return unary<negate_ops, E>(syntax::op::usub, e);
}
template <expression E>
auto operator!(const E& e) {
    return unary<not_ops, E>(syntax::op::not_, e);
}

// --- comparisons ----------------------------------------------------------------------------------------
// `a < b < c` chains like Python: a comparison on the left of another extends the chain.
template <expression L, expression... R>
struct comparison : node_base<comparison<L, R...>> {
    static constexpr std::size_t arity = sizeof...(R);
    using type = bool_wt;
    static constexpr bool is_ref = false;
    L left;
    std::tuple<R...> rights;
    std::array<syntax::op, arity> ops;
    comparison(L l, std::tuple<R...> r, std::array<syntax::op, arity> o)
        : left(std::move(l)), rights(std::move(r)), ops(o) {}

    // The type of the last operand: the next link of a chain compares against it.
    using last_type = std::tuple_element_t<arity - 1, std::tuple<R...>>;

    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kids[arity + 1];
        kids[0] = left.lower(t);
        std::apply([&](const R&... r) {
            std::size_t k = 1;
            ((kids[k++] = r.lower(t)), ...);
        }, rights);
        auto id = t.add(syntax::node_kind::compare);
        auto& n = t[id];
        n.type = type::value;
        n.parens = this->parens;
        n.aux = static_cast<std::uint32_t>(t.ops.size());
        t.ops.insert(t.ops.end(), ops.begin(), ops.end());
        t.set_children(id, kids, arity + 1);
        return id;
    }
};

template <class T>
struct is_comparison : std::false_type {};
template <class L, class... R>
struct is_comparison<comparison<L, R...>> : std::true_type {};

template <class A, class B>
auto make_comparison(syntax::op o, const A& a, const B& b) {
    using EA = as_expr_t<A>;
    using EB = as_expr_t<B>;
    if constexpr (is_comparison<EA>::value) {
        // extend the chain: `a < b < c`
        static_assert(typing::compare<EA::last_type::type::value, EB::type::value>() == bool_t);
        auto chain = std::tuple_cat(a.rights, std::tuple<EB>(as_expr(b)));
        std::array<syntax::op, EA::arity + 1> ops{};
        for (std::size_t i = 0; i < EA::arity; ++i) ops[i] = a.ops[i];
        ops[EA::arity] = o;
        if (a.parens) throw std::logic_error("warpsynth: a parenthesized comparison cannot be compared again");
        return std::apply([&](auto... r) { return comparison<decltype(a.left), decltype(r)...>(a.left, {r...}, ops); },
                          chain);
    } else {
        static_assert(typing::compare<EA::type::value, EB::type::value>() == bool_t);
        return comparison<EA, EB>(as_expr(a), std::tuple<EB>(as_expr(b)), {o});
    }
}

// clang-format off
template <class A, class B> requires binary_operands<A, B>
auto operator<(const A& a, const B& b) { return make_comparison(syntax::op::lt, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator<=(const A& a, const B& b) { return make_comparison(syntax::op::le, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator>(const A& a, const B& b) { return make_comparison(syntax::op::gt, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator>=(const A& a, const B& b) { return make_comparison(syntax::op::ge, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator==(const A& a, const B& b) { return make_comparison(syntax::op::eq, a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator!=(const A& a, const B& b) { return make_comparison(syntax::op::ne, a, b); }
// clang-format on

// --- and / or ---------------------------------------------------------------------------------------------
// `a && b` is Python's `a and b`; `a && b && c` is one `and` over three values, as Python parses it.
template <syntax::op Op, expression... E>
struct boolean_op : node_base<boolean_op<Op, E...>> {
    static_assert(((typing::condition<E::type::value>() == bool_t) && ...));
    using type = bool_wt;
    static constexpr bool is_ref = false;
    std::tuple<E...> values;
    explicit boolean_op(std::tuple<E...> v) : values(std::move(v)) {}
    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kids[sizeof...(E)];
        std::apply([&](const E&... e) {
            std::size_t k = 0;
            ((kids[k++] = e.lower(t)), ...);
        }, values);
        auto id = t.add(syntax::node_kind::boolop);
        auto& n = t[id];
        n.oper = Op;
        n.type = type::value;
        n.parens = this->parens;
        t.set_children(id, kids, sizeof...(E));
        return id;
    }
};

template <class T, syntax::op Op>
struct is_boolean_op : std::false_type {};
template <syntax::op Op, class... E>
struct is_boolean_op<boolean_op<Op, E...>, Op> : std::true_type {};

template <syntax::op Op, class A, class B>
auto make_boolean(const A& a, const B& b) {
    using EA = as_expr_t<A>;
    using EB = as_expr_t<B>;
    if constexpr (is_boolean_op<EA, Op>::value) {
        if (a.parens) throw std::logic_error("warpsynth: paren(a && b) && c would not chain; drop the parentheses");
        return std::apply([&](auto... v) {
            return boolean_op<Op, decltype(v)..., EB>(std::tuple<decltype(v)..., EB>(v..., as_expr(b)));
        }, a.values);
    } else {
        return boolean_op<Op, EA, EB>(std::tuple<EA, EB>(as_expr(a), as_expr(b)));
    }
}
template <class A, class B> requires binary_operands<A, B>
auto operator&&(const A& a, const B& b) { return make_boolean<syntax::op::and_>(a, b); }
template <class A, class B> requires binary_operands<A, B>
auto operator||(const A& a, const B& b) { return make_boolean<syntax::op::or_>(a, b); }

// --- x if c else y ----------------------------------------------------------------------------------------
template <expression C, expression A, expression B>
struct if_expression : node_base<if_expression<C, A, B>> {
    static_assert(typing::condition<C::type::value>() == bool_t);
    static_assert(A::type::value == B::type::value,
                  "warpsynth: both branches of `x if c else y` must have the same type");
    using type = wt<A::type::value>;
    static constexpr bool is_ref = false;
    C test;
    A body;
    B orelse;
    if_expression(C c, A a, B b) : test(std::move(c)), body(std::move(a)), orelse(std::move(b)) {}
    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kids[3] = {test.lower(t), body.lower(t), orelse.lower(t)};
        auto id = t.add(syntax::node_kind::ifexp);
        auto& n = t[id];
        n.type = type::value;
        n.parens = this->parens;
        t.set_children(id, kids, 3);
        return id;
    }
};
// `ternary(c, x, y)` renders `x if c else y`.
template <class C, class A, class B>
auto ternary(const C& c, const A& a, const B& b) {
    return if_expression<as_expr_t<C>, as_expr_t<A>, as_expr_t<B>>(as_expr(c), as_expr(a), as_expr(b));
}

}  // namespace warpsynth
