// warpsynth/expr/variables.hpp — kernel arguments and Python locals.
//
// A local has one Warp type for its whole life (Warp rejects `x = 1.0` then `x = 1`), so it is declared with its
// type: `local<float_>("s")`, or `local_as("s", expr)` to take the type of an expression.
#pragma once

#include <string>
#include <string_view>

#include "warpsynth/expr/expression.hpp"
#include "warpsynth/expr/node_base.hpp"

namespace warpsynth {

template <class Target, class Value>
struct assign_stmt;
template <class Ops, class Target, class Value>
struct aug_assign_stmt;
struct additive_ops;
struct multiply_ops;
struct divide_ops;
struct scalar_ops;
struct bitwise_ops;

// A kernel argument `name: T`.
template <spelled_type T>
struct arg_ref : node_base<arg_ref<T>> {
    using type = wt<T::value>;
    using spelled = T;
    static constexpr bool is_ref = false;
    std::string_view name;
    explicit arg_ref(std::string_view n) : name(n) {}
    syntax::node_id lower(syntax::tree& t) const {
        auto id = detail::add_leaf(t, syntax::node_kind::name, T::value, name);
        t[id].parens = this->parens;
        return id;
    }
};

// A declaration of a kernel argument, as passed to kernel(...).
template <spelled_type T>
struct arg_decl {
    std::string_view name;
};
template <class T>
auto arg(std::string_view name) {
    static_assert(spelled_type<T>, "warpsynth: kernel argument annotations must be Warp types (float_, int_, "
                                   "float64, vec3, mat33, array<float_>, ...)");
    return arg_decl<T>{name};
}

// Augmented assignment operators shared by locals, subscripts and components (`s += x`, `a[i] -= v`, `v.x *= 2`);
// `Self::check_target()` rejects targets Warp cannot assign.
#define WARPSYNTH_AUG_ASSIGN_OPERATORS(Self)                                                       \
    template <class V>                                                                            \
    auto operator+=(const V& v) const { return aug<additive_ops>(syntax::op::add, v); }            \
    template <class V>                                                                            \
    auto operator-=(const V& v) const { return aug<additive_ops>(syntax::op::sub, v); }            \
    template <class V>                                                                            \
    auto operator*=(const V& v) const { return aug<multiply_ops>(syntax::op::mul, v); }            \
    template <class V>                                                                            \
    auto operator/=(const V& v) const { return aug<divide_ops>(syntax::op::div, v); }              \
    template <class V>                                                                            \
    auto operator%=(const V& v) const { return aug<scalar_ops>(syntax::op::mod, v); }              \
    template <class V>                                                                            \
    auto operator&=(const V& v) const { return aug<bitwise_ops>(syntax::op::bit_and, v); }         \
    template <class V>                                                                            \
    auto operator|=(const V& v) const { return aug<bitwise_ops>(syntax::op::bit_or, v); }          \
    template <class V>                                                                            \
    auto operator^=(const V& v) const { return aug<bitwise_ops>(syntax::op::bit_xor, v); }         \
    template <class Ops, class V>                                                                 \
    auto aug(syntax::op o, const V& v) const {                                                    \
        check_target<true>();                                                                     \
        return aug_assign_stmt<Ops, Self, as_expr_t<V>>(o, *this, as_expr(v));                    \
    }

// A Python local variable of Warp type T.
template <warp_type T>
struct local : node_base<local<T>> {
    using type = wt<T::value>;
    static constexpr bool is_ref = false;
    static_assert(!T::value.is_array(), "warpsynth: locals hold values; bind arrays by using the argument directly");
    std::string_view name;
    explicit local(std::string_view n) : name(n) {}
    local(const local&) = default;

    // `x = value` is an assignment statement; Warp keeps a local's type fixed.
    template <class V>
    auto operator=(const V& v) const {
        return assign_stmt<local, as_expr_t<V>>(*this, as_expr(v));
    }
    assign_stmt<local, local> operator=(const local& v) const { return assign_stmt<local, local>(*this, v); }
    template <bool Augmented = false>
    static constexpr void check_target() {}
    WARPSYNTH_AUG_ASSIGN_OPERATORS(local)

    syntax::node_id lower(syntax::tree& t) const {
        auto id = detail::add_leaf(t, syntax::node_kind::name, T::value, name);
        t[id].parens = this->parens;
        return id;
    }
};

// A name: a local or a kernel argument. Warp updates a component of a name in place (`v[0] = x` ->
// wp::assign_inplace); a component of any other expression cannot be assigned.
template <class T>
inline constexpr bool is_name_v = false;
template <class T>
inline constexpr bool is_name_v<local<T>> = true;
template <class T>
inline constexpr bool is_name_v<arg_ref<T>> = true;

template <expression E>
local<wt<E::type::value>> local_as(std::string_view name, const E&) {
    return local<wt<E::type::value>>(name);
}

}  // namespace warpsynth
