// warpsynth/native/expressions.hpp — device images of the DSL's expressions: literals, arguments, locals,
// operators, comparisons, `and`/`or`, `x if c else y`, subscripts and components.
//
// Each computes what Warp's semantics say with the `wp::` runtime's functions (the ones Warp's IR calls too:
// wp::add, wp::mod, wp::extract, ...), but it is driven by the description's types, not by the rendered text.
#pragma once

#include <type_traits>

#include "warpsynth/kernel.hpp"
#include "warpsynth/native/ctype.hpp"
#include "warpsynth/native/image.hpp"

namespace warpsynth::native {

namespace dev {

// A value known on the host: a literal, or a kernel argument (arrays carry their device pointer and shape).
template <class C>
struct constant {
    C value;
    template <class F>
    __device__ C eval(F&) const {
        return value;
    }
};

template <class C>
struct local {
    int slot;
    template <class F>
    __device__ C& ref(F& f) const {
        return f.template at<C>(slot);
    }
    template <class F>
    __device__ C eval(F& f) const {
        return ref(f);
    }
};

// `a <op> b` for the operators of one typed family (the family decides which runtime functions can apply).
template <class Ops, class A, class B>
__device__ auto apply_op(syntax::op o, const A& a, const B& b) {
    using syntax::op;
    if constexpr (std::is_same_v<Ops, additive_ops>) return o == op::add ? rt::add(a, b) : rt::sub(a, b);
    else if constexpr (std::is_same_v<Ops, multiply_ops> || std::is_same_v<Ops, matmul_ops>) return rt::mul(a, b);
    else if constexpr (std::is_same_v<Ops, divide_ops>) return rt::div(a, b);
    else if constexpr (std::is_same_v<Ops, scalar_ops>) return o == op::mod ? rt::mod(a, b) : rt::floordiv(a, b);
    else if constexpr (std::is_same_v<Ops, power_ops>) return rt::pow(a, b);
    else {
        static_assert(std::is_same_v<Ops, bitwise_ops>);
        switch (o) {
        case op::bit_and: return rt::bit_and(a, b);
        case op::bit_or: return rt::bit_or(a, b);
        case op::bit_xor: return rt::bit_xor(a, b);
        case op::lshift: return rt::lshift(a, b);
        default: return rt::rshift(a, b);
        }
    }
}

template <class Ops, class C, class L, class R>
struct binary {
    syntax::op oper;
    L left;
    R right;
    template <class F>
    __device__ C eval(F& f) const {
        auto a = left.eval(f);
        auto b = right.eval(f);
        return C(apply_op<Ops>(oper, a, b));
    }
};

template <bool Not, class C, class E>
struct unary {
    E operand;
    template <class F>
    __device__ C eval(F& f) const {
        if constexpr (Not) return !operand.eval(f);
        else return C(rt::neg(operand.eval(f)));
    }
};

template <class A, class B>
__device__ bool compare(syntax::op o, const A& a, const B& b) {
    switch (o) {
    case syntax::op::lt: return a < b;
    case syntax::op::le: return a <= b;
    case syntax::op::gt: return a > b;
    case syntax::op::ge: return a >= b;
    case syntax::op::eq: return a == b;
    default: return a != b;
    }
}

// `a < b <= c`: every operand is evaluated first (as Warp's IR does), then each adjacent pair compared.
template <class P, class F>
__device__ bool compare_chain(F&, const syntax::op*, const P&, const tup<>&) {
    return true;
}
template <class P, class F, class H, class... T>
__device__ bool compare_chain(F& f, const syntax::op* ops, const P& prev, const tup<H, T...>& rest) {
    auto v = rest.head.eval(f);
    bool later = compare_chain(f, ops + 1, v, rest.tail);
    return compare(ops[0], prev, v) && later;
}

template <class L, class Rights, int N>
struct comparison {
    L left;
    Rights rights;
    syntax::op ops[N];
    template <class F>
    __device__ bool eval(F& f) const {
        auto l = left.eval(f);
        return compare_chain(f, ops, l, rights);
    }
};

// `a and b and c` short-circuits, as Warp's IR does.
template <bool And, class F>
__device__ bool boolean_chain(F&, bool acc, const tup<>&) {
    return acc;
}
template <bool And, class F, class H, class... T>
__device__ bool boolean_chain(F& f, bool acc, const tup<H, T...>& rest) {
    if (And ? !acc : acc) return acc;
    return boolean_chain<And>(f, static_cast<bool>(rest.head.eval(f)), rest.tail);
}

template <bool And, class Values>
struct boolean {
    Values values;
    template <class F>
    __device__ bool eval(F& f) const {
        bool first = values.head.eval(f);
        return boolean_chain<And>(f, first, values.tail);
    }
};

template <class C, class Cond, class A, class B>
struct if_expression {
    Cond test;
    A body;
    B orelse;
    template <class F>
    __device__ C eval(F& f) const {
        return test.eval(f) ? C(body.eval(f)) : C(orelse.eval(f));
    }
};

// `a[i, j]` reads an array element; `v[i]`, `m[i]`, `m[i, j]` extract a component, row or element.
template <bool ArrayElement, class C, class Target, class Indices>
struct subscript {
    Target target;
    Indices indices;
    // The element's address (array targets).
    template <class F>
    __device__ C* address(F& f) const {
        auto a = target.eval(f);
        return indices.eval_then(f, [&](const auto&... i) { return rt::address(a, static_cast<int>(i)...); });
    }
    template <class F>
    __device__ C eval(F& f) const {
        if constexpr (ArrayElement) {
            return *address(f);
        } else {
            auto v = target.eval(f);
            return indices.eval_then(f, [&](const auto&... i) { return C(rt::extract(v, static_cast<int>(i)...)); });
        }
    }
};

// `v.x` ... `v.w`: component `index` of a vector or quaternion; `xf.p` / `xf.q` of a transform (Part).
enum class part { component, translation, rotation };

template <class C, class Target, part Part>
struct attribute {
    Target target;
    int index;
    template <class F>
    __device__ C eval(F& f) const {
        auto v = target.eval(f);
        if constexpr (Part == part::translation) return rt::transform_get_translation(v);
        else if constexpr (Part == part::rotation) return rt::transform_get_rotation(v);
        else return C(rt::extract(v, index));
    }
};

}  // namespace dev

// ---- host side: which nodes have an image, and how it is made -----------------------------------------------

template <wtype W>
struct image<literal<W>> {
    static constexpr bool supported = W.kind == type_kind::scalar;  // not strings
    using C = std::conditional_t<supported, ctype<wt<W>>, int>;
    using type = dev::constant<C>;
    static type make(const literal<W>& n, binder&) {
        if constexpr (W.is_bool()) return {n.ivalue != 0};
        else if constexpr (is_float(W.scalar)) return {static_cast<C>(n.fvalue)};
        else return {static_cast<C>(n.ivalue)};
    }
};

template <class T>
struct image<arg_ref<T>> {
    static constexpr bool supported = true;
    using C = ctype<T>;
    using type = dev::constant<C>;
    static type make(const arg_ref<T>& n, binder& b) {
        const argument& a = b.arg(n.name);
        type r{};
        if constexpr (T::value.is_array()) {
            if (!a.is_array) throw std::invalid_argument("warpsynth::native: argument `" + a.name + "` needs an array");
            using E = std::remove_pointer_t<decltype(C::data)>;
            r.value = C(static_cast<E*>(a.data), a.shape[0], a.shape[1], a.shape[2], a.shape[3]);
        } else {
            static_assert(sizeof(C) <= slot_bytes);
            std::memcpy(static_cast<void*>(&r.value), a.bytes, sizeof(C));
        }
        return r;
    }
};

template <class T>
struct image<local<T>> {
    static constexpr bool supported = true;
    using type = dev::local<ctype<T>>;
    static type make(const local<T>& n, binder& b) { return {b.local_slot(n.name)}; }
};

template <class Ops, class L, class R>
struct image<binary<Ops, L, R>> {
    static constexpr bool supported = image<L>::supported && image<R>::supported;
    using type = dev::binary<Ops, ctype<typename binary<Ops, L, R>::type>, image_t<L>, image_t<R>>;
    static type make(const binary<Ops, L, R>& n, binder& b) {
        type r{};
        r.oper = n.oper;
        r.left = make_image(n.left, b);
        r.right = make_image(n.right, b);
        return r;
    }
};

template <class Ops, class E>
struct image<unary<Ops, E>> {
    static constexpr bool supported = image<E>::supported;
    using type = dev::unary<std::is_same_v<Ops, not_ops>, ctype<typename unary<Ops, E>::type>, image_t<E>>;
    static type make(const unary<Ops, E>& n, binder& b) { return {make_image(n.operand_, b)}; }
};

template <class L, class... R>
struct image<comparison<L, R...>> {
    static constexpr bool supported = image<L>::supported && (image<R>::supported && ...);
    using type = dev::comparison<image_t<L>, dev::tup<image_t<R>...>, static_cast<int>(sizeof...(R))>;
    static type make(const comparison<L, R...>& n, binder& b) {
        type r{};
        r.left = make_image(n.left, b);
        r.rights = make_tup(n.rights, b);
        for (std::size_t i = 0; i < sizeof...(R); ++i) r.ops[i] = n.ops[i];
        return r;
    }
};

template <syntax::op Op, class... E>
struct image<boolean_op<Op, E...>> {
    static constexpr bool supported = (image<E>::supported && ...);
    using type = dev::boolean<Op == syntax::op::and_, dev::tup<image_t<E>...>>;
    static type make(const boolean_op<Op, E...>& n, binder& b) { return {make_tup(n.values, b)}; }
};

template <class Cond, class A, class B>
struct image<if_expression<Cond, A, B>> {
    static constexpr bool supported = image<Cond>::supported && image<A>::supported && image<B>::supported;
    using type = dev::if_expression<ctype<typename A::type>, image_t<Cond>, image_t<A>, image_t<B>>;
    static type make(const if_expression<Cond, A, B>& n, binder& b) {
        type r{};
        r.test = make_image(n.test, b);
        r.body = make_image(n.body, b);
        r.orelse = make_image(n.orelse, b);
        return r;
    }
};

template <class Target, class... Index>
struct image<subscript<Target, Index...>> {
    static constexpr bool supported = image<Target>::supported && (image<Index>::supported && ...);
    using type = dev::subscript<Target::type::value.is_array(), ctype<typename subscript<Target, Index...>::type>,
                                image_t<Target>, dev::tup<image_t<Index>...>>;
    static type make(const subscript<Target, Index...>& n, binder& b) {
        type r{};
        r.target = make_image(n.target, b);
        r.indices = make_tup(n.indices, b);
        return r;
    }
};

template <class Target, wtype Result>
struct image<attribute<Target, Result>> {
    static constexpr bool supported = image<Target>::supported;
    static constexpr dev::part part = Target::type::value.kind != type_kind::transform ? dev::part::component
                                      : Result.kind == type_kind::vector           ? dev::part::translation
                                                                                   : dev::part::rotation;
    using type = dev::attribute<ctype<wt<Result>>, image_t<Target>, part>;
    static type make(const attribute<Target, Result>& n, binder& b) {
        return {make_image(n.target, b), syntax::attribute_components(n.component).first};
    }
};

}  // namespace warpsynth::native
