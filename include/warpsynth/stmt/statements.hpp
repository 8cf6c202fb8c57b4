// warpsynth/stmt/statements.hpp — Python statements as typed values.
//
//   i = tid()                          ->  i = tid()                     (local<int_> i("i"))
//   i, j = wp.tid()                    ->  tie(i, j) = tid()
//   out[i] = a[i] + b[i]               ->  out[i] = a[i] + b[i]
//   s += x                             ->  s += x
//   wp.atomic_add(a, 0, v)             ->  wp::atomic_add(a, 0, v)        (a call used as a statement)
//   if c: ... elif d: ... else: ...    ->  if_(c)(...).elif_(d)(...).else_(...)
//   for k in range(n): ...             ->  for_(k, range(n))(...)
//   while c: ...                       ->  while_(c)(...)
//   break / continue / return / pass   ->  break_(), continue_(), return_(), pass_()
//   # comment / """docstring"""        ->  comment("..."), docstring("...")
//   stmt  # trailing comment           ->  note(stmt, "# ...")
//
// Every statement lowers into syntax nodes appended to a block: `void lower(syntax::tree&, block_ids&) const`.
#pragma once

#include <deque>
#include <initializer_list>
#include <string_view>
#include <tuple>
#include <vector>

#include "warpsynth/builtins/functions.hpp"
#include "warpsynth/expr/access.hpp"
#include "warpsynth/expr/operators.hpp"
#include "warpsynth/expr/variables.hpp"

namespace warpsynth {

using block_ids = std::vector<syntax::node_id>;

template <class S>
concept statement = requires(const S& s, syntax::tree& t, block_ids& out) { s.lower(t, out); };

namespace detail {
// The child list of a compound statement (if/for/while) while its body lowers: one reusable vector per nesting
// depth, kept per thread, so that lowering stops allocating once warm.
class child_list {
  public:
    child_list() {
        auto& p = pool();
        if (depth() == p.size()) p.emplace_back();
        ids_ = &p[depth()++];
        ids_->clear();
    }
    child_list(std::initializer_list<syntax::node_id> first) : child_list() { ids_->assign(first); }
    ~child_list() { --depth(); }
    child_list(const child_list&) = delete;
    child_list& operator=(const child_list&) = delete;
    block_ids& operator*() { return *ids_; }
    block_ids* operator->() { return ids_; }

  private:
    block_ids* ids_;
    static std::deque<block_ids>& pool() {  // a deque: deeper levels never move the vectors in use
        thread_local std::deque<block_ids> p;
        return p;
    }
    static std::size_t& depth() {
        thread_local std::size_t d = 0;
        return d;
    }
};

inline syntax::node_id add_stmt(syntax::tree& t, syntax::node_kind k, const syntax::node_id* kids, std::size_t n,
                                syntax::op o = syntax::op::none) {
    auto id = t.add(k);
    t[id].oper = o;
    t.set_children(id, kids, n);
    return id;
}
}  // namespace detail

// --- assignment ---------------------------------------------------------------------------------------------
template <class Target, class Value>
struct assign_stmt {
    static_assert(Value::type::value == Target::type::value,
                  "warpsynth: assigning a value of a different type (Warp: \"Error, assigning to existing symbol "
                  "with different type\"; locals keep one type)");
    Target target;
    Value value;
    assign_stmt(Target t, Value v) : target(std::move(t)), value(std::move(v)) {}
    void lower(syntax::tree& t, block_ids& out) const {
        syntax::node_id kids[2] = {target.lower(t), value.lower(t)};
        out.push_back(detail::add_stmt(t, syntax::node_kind::assign, kids, 2));
    }
};

template <class Ops, class Target, class Value>
struct aug_assign_stmt {
    static_assert(Ops::template result<Target::type::value, Value::type::value>() == Target::type::value,
                  "warpsynth: augmented assignment must keep the target's type (Warp: \"augmented assignment ... "
                  "produces different type\")");
    syntax::op oper;
    Target target;
    Value value;
    aug_assign_stmt(syntax::op o, Target t, Value v) : oper(o), target(std::move(t)), value(std::move(v)) {}
    void lower(syntax::tree& t, block_ids& out) const {
        syntax::node_id kids[2] = {target.lower(t), value.lower(t)};
        out.push_back(detail::add_stmt(t, syntax::node_kind::aug_assign, kids, 2, oper));
    }
};

// `i, j = wp.tid()`: the only tuple assignment Warp kernels need.
template <class... L>
struct tuple_target;

template <class... X>
struct tid_unpack {
    std::tuple<X...> names;
    call<builtins::fn::tid, i32_t> value;
    void lower(syntax::tree& t, block_ids& out) const {
        syntax::node_id names_ids[sizeof...(X)];
        std::apply([&](const X&... x) {
            std::size_t k = 0;
            ((names_ids[k++] = x.lower(t)), ...);
        }, names);
        auto tid_ = t.add(syntax::node_kind::tuple);
        t.set_children(tid_, names_ids, sizeof...(X));
        syntax::node_id kids[2] = {tid_, value.lower(t)};
        out.push_back(detail::add_stmt(t, syntax::node_kind::assign, kids, 2));
    }
};

template <class... L>
struct tuple_target {
    std::tuple<L...> names;
    template <builtins::fn F, wtype R>
    auto operator=(const call<F, R>& c) const {
        static_assert(F == builtins::fn::tid, "warpsynth: only wp.tid() can be unpacked into several locals");
        static_assert(sizeof...(L) >= 2 && sizeof...(L) <= 4, "warpsynth: wp.tid() unpacks into 2, 3 or 4 indices");
        static_assert(((L::type::value == i32_t) && ...), "warpsynth: wp.tid() indices are int locals");
        return tid_unpack<L...>{names, c};
    }
};
template <class... L>
tuple_target<L...> tie(const L&... l) {
    return {std::tuple<L...>(l...)};
}

// A call evaluated for its side effect: `wp.atomic_add(total, 0, v)`.
template <class E>
struct expr_stmt {
    E value;
    void lower(syntax::tree& t, block_ids& out) const {
        syntax::node_id kid = value.lower(t);
        out.push_back(detail::add_stmt(t, syntax::node_kind::expr_stmt, &kid, 1));
    }
};

// --- blocks -------------------------------------------------------------------------------------------------
template <class S>
auto as_statement(const S& s) {
    if constexpr (statement<S>) return s;
    else {
        static_assert(expression<S>, "warpsynth: a block holds statements (or calls used as statements)");
        return expr_stmt<S>{s};
    }
}
template <class S>
using as_statement_t = decltype(as_statement(std::declval<const S&>()));

template <class... S>
struct block {
    std::tuple<S...> statements;
    void lower(syntax::tree& t, block_ids& out) const {
        std::apply([&](const S&... s) { (s.lower(t, out), ...); }, statements);
    }
};
template <class... S>
block<as_statement_t<S>...> body(const S&... s) {
    return {std::tuple<as_statement_t<S>...>(as_statement(s)...)};
}

// --- simple statements --------------------------------------------------------------------------------------
struct keyword_stmt {
    syntax::node_kind kind;
    void lower(syntax::tree& t, block_ids& out) const { out.push_back(detail::add_stmt(t, kind, nullptr, 0)); }
};
inline keyword_stmt break_() { return {syntax::node_kind::break_stmt}; }
inline keyword_stmt continue_() { return {syntax::node_kind::continue_stmt}; }
inline keyword_stmt return_() { return {syntax::node_kind::return_stmt}; }
inline keyword_stmt pass_() { return {syntax::node_kind::pass_stmt}; }
template <class E>
keyword_stmt return_(const E&) {
    static_assert(sizeof(E) == 0, "warpsynth: Warp kernels cannot return values; write results to an output array");
    return {syntax::node_kind::return_stmt};
}

// `# text` on its own line (text without the `# `), or a docstring `"""text"""`: no code.
struct text_stmt {
    syntax::node_kind kind;
    std::string_view text;
    void lower(syntax::tree& t, block_ids& out) const {
        auto id = detail::add_stmt(t, kind, nullptr, 0);
        t.set_text(id, text);
        out.push_back(id);
    }
};
inline text_stmt comment(std::string_view text) { return {syntax::node_kind::comment, text}; }
inline text_stmt docstring(std::string_view text) { return {syntax::node_kind::docstring, text}; }

// `stmt  # trailing comment`: the comment stays in Warp's line comments (they quote the stripped source line).
template <class S>
struct noted {
    S stmt;
    std::string_view text;
    void lower(syntax::tree& t, block_ids& out) const {
        auto before = out.size();
        stmt.lower(t, out);
        if (out.size() > before) t.set_note(out[before], text);
    }
};
template <class S>
auto note(const S& s, std::string_view text) {
    return noted<as_statement_t<S>>{as_statement(s), text};
}

// --- if / elif / else ---------------------------------------------------------------------------------------
template <class C, class Body, class Orelse, bool Elif = false>
struct if_stmt {
    static_assert(typing::condition<C::type::value>() == bool_t);
    C test;
    Body then;
    Orelse orelse;

    void lower(syntax::tree& t, block_ids& out) const {
        syntax::node_id test_id = test.lower(t);
        detail::child_list kids{test_id};
        then.lower(t, *kids);
        auto nbody = static_cast<std::uint32_t>(kids->size() - 1);
        orelse.lower(t, *kids);
        auto id = detail::add_stmt(t, syntax::node_kind::if_stmt, kids->data(), kids->size());
        t[id].aux = nbody;
        t[id].elif = Elif;
        out.push_back(id);
    }

    // Attach an else branch to the innermost `elif` (or to this `if`).
    template <class E>
    auto with_else(const E& e) const {
        if constexpr (Elif) {
            auto inner = std::get<0>(orelse.statements).with_else(e);
            return if_stmt<C, Body, block<decltype(inner)>, true>{test, then, {std::tuple(inner)}};
        } else {
            return if_stmt<C, Body, E, Elif>{test, then, e};
        }
    }
    template <class D>
    auto elif_(const D& d) const {
        return [self = *this, d](const auto&... s) {
            auto inner = if_stmt<as_expr_t<D>, decltype(body(s...)), block<>>{as_expr(d), body(s...), {}};
            return self.template attach_elif(inner);
        };
    }
    template <class... S>
    auto else_(const S&... s) const {
        return with_else(body(s...));
    }
    template <class I>
    auto attach_elif(const I& inner) const {
        if constexpr (Elif) {
            auto deeper = std::get<0>(orelse.statements).attach_elif(inner);
            return if_stmt<C, Body, block<decltype(deeper)>, true>{test, then, {std::tuple(deeper)}};
        } else {
            return if_stmt<C, Body, block<I>, true>{test, then, {std::tuple(inner)}};
        }
    }
};

template <class C>
auto if_(const C& c) {
    return [c](const auto&... s) {
        return if_stmt<as_expr_t<C>, decltype(body(s...)), block<>>{as_expr(c), body(s...), {}};
    };
}

// --- loops --------------------------------------------------------------------------------------------------
// `range(stop)`, `range(start, stop)`, `range(start, stop, step)` over int32.
template <class... A>
auto range(const A&... a) {
    static_assert(sizeof...(A) >= 1 && sizeof...(A) <= 3, "warpsynth: range takes 1 to 3 arguments");
    static_assert(((as_expr_t<A>::type::value == i32_t) && ...), "warpsynth: range arguments must be int");
    return call<builtins::fn::range, types::range(), as_expr_t<A>...>("range",
                                                                      std::tuple<as_expr_t<A>...>(as_expr(a)...));
}

template <class Target, class Iter, class Body>
struct for_stmt {
    Target target;
    Iter iter;
    Body loop_body;
    void lower(syntax::tree& t, block_ids& out) const {
        detail::child_list kids{target.lower(t), iter.lower(t)};
        loop_body.lower(t, *kids);
        out.push_back(detail::add_stmt(t, syntax::node_kind::for_stmt, kids->data(), kids->size()));
    }
};
template <class K, class R>
auto for_(const K& k, const R& r) {
    static_assert(R::type::value == types::range(),
                  "warpsynth: for loops iterate over range(...) (Warp cannot iterate over an array)");
    return for_range(k, r);
}
template <class T, class R>
auto for_range(const local<T>& k, const R& r) {
    static_assert(T::value == i32_t, "warpsynth: a range loop variable is an int local");
    static_assert(R::type::value == types::range(), "warpsynth: for loops iterate over range(...)");
    return [k, r](const auto&... s) { return for_stmt<local<T>, R, decltype(body(s...))>{k, r, body(s...)}; };
}

template <class C, class Body>
struct while_stmt {
    static_assert(typing::condition<C::type::value>() == bool_t);
    C test;
    Body loop_body;
    void lower(syntax::tree& t, block_ids& out) const {
        detail::child_list kids{test.lower(t)};
        loop_body.lower(t, *kids);
        out.push_back(detail::add_stmt(t, syntax::node_kind::while_stmt, kids->data(), kids->size()));
    }
};
template <class C>
auto while_(const C& c) {
    return [c](const auto&... s) { return while_stmt<as_expr_t<C>, decltype(body(s...))>{as_expr(c), body(s...)}; };
}

}  // namespace warpsynth
