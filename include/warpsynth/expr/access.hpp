// warpsynth/expr/access.hpp — subscripts (`a[i]`, `a(i, j)` for `a[i, j]`, `m[0][1]`) and components (`v.x`).
#pragma once

#include <tuple>
#include <type_traits>

#include "warpsynth/expr/expression.hpp"
#include "warpsynth/expr/node_base.hpp"
#include "warpsynth/expr/variables.hpp"

namespace warpsynth {

namespace typing {
// The type of `target[indices...]`.
template <wtype T, wtype... I>
constexpr wtype subscript() {
    static_assert(((I.is_scalar() && is_int(I.scalar)) && ...), "warpsynth: indices must be integer scalars");
    constexpr auto n = sizeof...(I);
    if constexpr (T.is_array()) {
        static_assert(n >= T.ndim, "warpsynth: array views (fewer indices than dimensions) are not supported");
        static_assert(n <= T.ndim,
                      "warpsynth: Incorrect number of indices specified for array indexing (more than its ndim)");
        return T.value();
    } else if constexpr (T.kind == type_kind::vector || T.kind == type_kind::quaternion ||
                         T.kind == type_kind::transform) {
        static_assert(n == 1, "warpsynth: a vector/quaternion/transform takes exactly one index");
        return T.scalar_type();
    } else if constexpr (T.kind == type_kind::matrix) {
        static_assert(n == 1 || n == 2, "warpsynth: a matrix takes one (row) or two (element) indices");
        if constexpr (n == 1) return types::vector(T.cols, T.scalar);
        else return T.scalar_type();
    } else {
        static_assert(T.kind == type_kind::none, "warpsynth: only arrays, vectors, matrices, quaternions and "
                                                 "transforms can be subscripted");
        return T;
    }
}
}  // namespace typing

namespace detail {
template <class T>
struct is_array_element : std::false_type {};

// A component assignment (`v[0] = x`, `v.x += y`, `m(i, j) = x`, `xf.p = v`) updates a name in place, as Warp does;
// a component of an array element (`a[i].x = v`, `a[i][k] = v`, `a[i](r, c) = v`, `a[i].p() = v`) is stored into
// that slot of the array (Warp's slot store).
template <class Target, bool Augmented>
constexpr void check_component_target() {
    constexpr bool element = is_array_element<Target>::value;
    static_assert(!(element && Augmented),
                  "warpsynth: augmented assignment to a component of an array element (`a[i].x += v`) is not "
                  "supported: Warp 1.16 drops its adjoint (and for `a[i][k] += v` its backward pass reads a pointer "
                  "it never replays); write `a[i][k] = a[i][k] + v`");
    static_assert(element || (!Target::is_ref && is_name_v<Target>),
                  "warpsynth: only array elements, components of a local or argument (`v[0] = x`, `v.x = y`, "
                  "`m(i, j) = x`, `xf.p = v`) and components of an array element (`a[i].x = v`) can be assigned");
}
}  // namespace detail

template <class Target, class... Index>
struct subscript : node_base<subscript<Target, Index...>> {
    using type = wt<typing::subscript<Target::type::value, Index::type::value...>()>;
    // An array element is a reference in Warp: an address that is loaded where its value is used.
    static constexpr bool is_ref = Target::type::value.is_array();
    static constexpr bool array_element = Target::type::value.is_array();
    Target target;
    std::tuple<Index...> indices;
    subscript(Target t, std::tuple<Index...> i) : target(std::move(t)), indices(std::move(i)) {}
    subscript(const subscript&) = default;

    // `a[i] = value`: an array store; `v[0] = x`, `m(i, j) = x`, `m[i] = row`, `xf[k] = x`: a component of a local
    // or argument updated in place, or of an array element stored. The value's type must match exactly.
    template <class V>
    auto operator=(const V& v) const {
        check_target();
        static_assert(!array_element || as_expr_t<V>::type::value == type::value,
                      "warpsynth: storing a value of a different type into an array element (Warp: array_store "
                      "type mismatch)");
        static_assert(array_element || as_expr_t<V>::type::value == type::value,
                      "warpsynth: assigning a value of a different type to a component (Warp: assign_inplace type "
                      "mismatch)");
        return assign_stmt<subscript, as_expr_t<V>>(*this, as_expr(v));
    }
    template <bool Augmented = false>
    static constexpr void check_target() {
        if constexpr (!array_element) detail::check_component_target<Target, Augmented>();
    }
    // Declared with its type so that std::is_assignable probes do not instantiate the checks above.
    assign_stmt<subscript, subscript> operator=(const subscript& v) const {
        return this->operator= <subscript>(v);
    }
    WARPSYNTH_AUG_ASSIGN_OPERATORS(subscript)

    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kids[1 + sizeof...(Index)];
        kids[0] = target.lower(t);
        std::apply([&](const Index&... i) {
            std::size_t k = 1;
            ((kids[k++] = i.lower(t)), ...);
        }, indices);
        auto id = t.add(syntax::node_kind::subscript);
        auto& n = t[id];
        n.type = type::value;
        n.parens = this->parens;
        t.set_children(id, kids, 1 + sizeof...(Index));
        return id;
    }
};

namespace detail {
template <class Target, class... Index>
struct is_array_element<subscript<Target, Index...>> : std::bool_constant<subscript<Target, Index...>::array_element> {};
}  // namespace detail

// `v.x`, `v.y`, ... (component index in `aux`), `xf.p`, `xf.q`.
template <class Target, wtype Result>
struct attribute : node_base<attribute<Target, Result>> {
    using type = wt<Result>;
    static constexpr bool is_ref = false;
    Target target;
    char component;
    attribute(Target t, char c) : target(std::move(t)), component(c) {}
    attribute(const attribute&) = default;

    // `v.x = value`, `xf.p = v`: a component of a local or argument updated in place, or of an array element stored.
    template <class V>
    auto operator=(const V& v) const {
        check_target();
        static_assert(as_expr_t<V>::type::value == Result,
                      "warpsynth: assigning a value of a different type to a component (Warp: assign_inplace type "
                      "mismatch)");
        return assign_stmt<attribute, as_expr_t<V>>(*this, as_expr(v));
    }
    assign_stmt<attribute, attribute> operator=(const attribute& v) const {
        return this->operator= <attribute>(v);
    }
    template <bool Augmented = false>
    static constexpr void check_target() {
        detail::check_component_target<Target, Augmented>();
    }
    WARPSYNTH_AUG_ASSIGN_OPERATORS(attribute)
    syntax::node_id lower(syntax::tree& t) const {
        syntax::node_id kid = target.lower(t);
        auto id = t.add(syntax::node_kind::attribute);
        auto& n = t[id];
        n.type = Result;
        n.parens = this->parens;
        t.set_children(id, &kid, 1);
        char s[2] = {component, 0};
        t.set_text(id, s);
        return id;
    }
};

template <class D>
template <class I>
auto node_base<D>::operator[](const I& i) const {
    return subscript<D, as_expr_t<I>>(self(), std::tuple<as_expr_t<I>>(as_expr(i)));
}
template <class D>
template <class... I>
auto node_base<D>::operator()(const I&... i) const {
    return subscript<D, as_expr_t<I>...>(self(), std::tuple<as_expr_t<I>...>(as_expr(i)...));
}

#define WARPSYNTH_COMPONENT(fn, letter, index)                                                                \
    template <class D>                                                                                      \
    auto node_base<D>::fn() const {                                                                         \
        constexpr wtype T = D::type::value;                                                                 \
        static_assert(T.kind == type_kind::vector || T.kind == type_kind::quaternion,                       \
                      "warpsynth: ." #fn " is a component of a vector or quaternion");                      \
        static_assert(index < T.rows, "warpsynth: Vector swizzle ." #fn " is out of range for this length"); \
        return attribute<D, T.scalar_type()>(self(), letter);                                                                \
    }
WARPSYNTH_COMPONENT(x, 'x', 0)
WARPSYNTH_COMPONENT(y, 'y', 1)
WARPSYNTH_COMPONENT(z, 'z', 2)
WARPSYNTH_COMPONENT(w, 'w', 3)
#undef WARPSYNTH_COMPONENT

template <class D>
auto node_base<D>::p() const {
    static_assert(D::type::value.kind == type_kind::transform, "warpsynth: .p is the translation of a transform");
    return attribute<D, types::vector(3, D::type::value.scalar)>(self(), 'p');
}
template <class D>
auto node_base<D>::q() const {
    static_assert(D::type::value.kind == type_kind::transform, "warpsynth: .q is the rotation of a transform");
    return attribute<D, types::quaternion(D::type::value.scalar)>(self(), 'q');
}

}  // namespace warpsynth
