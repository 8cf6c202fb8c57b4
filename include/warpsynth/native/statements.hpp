// warpsynth/native/statements.hpp — device images of the DSL's statements: assignments (locals, array elements,
// Warp's atomics for `a[i] += v`, components of locals updated in place, components of array elements stored),
// blocks, if/elif/else, range loops, while loops, break/continue/return.
#pragma once

#include "warpsynth/native/calls.hpp"

namespace warpsynth::native {

namespace dev {

template <class C, class Value>
struct assign_local {
    local<C> target;
    Value value;
    template <class F>
    __device__ flow exec(F& f) const {
        C v = C(value.eval(f));
        target.ref(f) = v;
        return flow::next;
    }
};

// `a[i] = v`: wp::array_store.
template <class Target, class Value>
struct assign_element {
    Target target;  // a dev::subscript of an array
    Value value;
    template <class F>
    __device__ flow exec(F& f) const {
        auto v = value.eval(f);
        auto a = target.target.eval(f);
        target.indices.eval_then(f, [&](const auto&... i) {
            rt::array_store(a, static_cast<int>(i)..., v);
            return 0;
        });
        return flow::next;
    }
};

// `i, j = wp.tid()`
template <int N>
struct tid_unpack {
    int slots[N];
    template <class F>
    __device__ flow exec(F& f) const {
        if (N > f.ndim) {  // the launch has fewer dimensions than the kernel unpacks
            f.report(launch_too_small);
            return flow::return_;
        }
        int c[4] = {0, 0, 0, 0};
        rt::tid(c[0], c[1], c[2], c[3], f.index, f.dim);
        for (int k = 0; k < N; ++k) f.template at<int>(slots[k]) = c[k];
        return flow::next;
    }
};

// `s += v` on a local: s = s <op> v.
template <class Ops, class C, class Value>
struct aug_assign_local {
    syntax::op oper;
    local<C> target;
    Value value;
    template <class F>
    __device__ flow exec(F& f) const {
        auto v = value.eval(f);
        C& s = target.ref(f);
        s = C(apply_op<Ops>(oper, s, v));
        return flow::next;
    }
};

// `a[i] <op>= v`: Warp's atomic for + - & | ^ on arrays of 32/64-bit scalars (builtins::augmented_array_atomic),
// else read, operate, store.
template <class Ops, bool Bitwise, class C, class Target, class Value>
struct aug_assign_element {
    syntax::op oper;
    builtins::fn atomic;
    Target target;  // a dev::subscript of an array
    Value value;
    template <class F>
    __device__ flow exec(F& f) const {
        using builtins::fn;
        auto v = value.eval(f);
        auto a = target.target.eval(f);
        target.indices.eval_then(f, [&](const auto&... i) {
            if constexpr (std::is_same_v<Ops, additive_ops>) {
                if (atomic == fn::atomic_add) return (rt::atomic_add(a, static_cast<int>(i)..., v), 0);
                if (atomic == fn::atomic_sub) return (rt::atomic_sub(a, static_cast<int>(i)..., v), 0);
            }
            if constexpr (Bitwise) {
                if (atomic == fn::atomic_and) return (rt::atomic_and(a, static_cast<int>(i)..., v), 0);
                if (atomic == fn::atomic_or) return (rt::atomic_or(a, static_cast<int>(i)..., v), 0);
                if (atomic == fn::atomic_xor) return (rt::atomic_xor(a, static_cast<int>(i)..., v), 0);
            }
            C old = *rt::address(a, static_cast<int>(i)...);
            rt::array_store(a, static_cast<int>(i)..., C(apply_op<Ops>(oper, old, v)));
            return 0;
        });
        return flow::next;
    }
};

template <class E>
struct evaluate {  // a call used as a statement
    E value;
    template <class F>
    __device__ flow exec(F& f) const {
        value.eval(f);
        return flow::next;
    }
};

template <class Statements>
struct block {
    Statements statements;
    template <class F>
    __device__ flow exec(F& f) const {
        return statements.exec_all(f);
    }
};

struct jump {  // break, continue, return, pass
    flow what;
    template <class F>
    __device__ flow exec(F&) const {
        return what;
    }
};

template <class Cond, class Then, class Orelse>
struct if_stmt {
    Cond test;
    Then then;
    Orelse orelse;
    template <class F>
    __device__ flow exec(F& f) const {
        return test.eval(f) ? then.exec(f) : orelse.exec(f);
    }
};

// Counts a loop's trips; past max_loop_trips it reports the fault and the thread stops (returns).
struct trip_guard {
    long long trips = 0;
    template <class F>
    __device__ bool another(F& f) {
        if (++trips <= max_loop_trips) return true;
        f.report(loop_limit);
        return false;
    }
};

// `for k in range(...)`: Python's range; the loop variable is assigned at the start of every trip.
template <int NBounds, class Bounds, class Body>
struct for_range {
    local<int> target;
    Bounds bounds;
    Body body;
    template <class F>
    __device__ flow exec(F& f) const {
        int start = 0, stop = 0, step = 1;
        bounds.eval_then(f, [&](const auto&... v) {
            int x[] = {static_cast<int>(v)...};
            if constexpr (NBounds == 1) stop = x[0];
            else start = x[0], stop = x[1];
            if constexpr (NBounds == 3) step = x[2];
            return 0;
        });
        trip_guard guard;
        for (int k = start; step > 0 ? k < stop : k > stop; k += step) {
            if (!guard.another(f)) return flow::return_;
            target.ref(f) = k;
            flow r = body.exec(f);
            if (r == flow::break_) break;
            if (r == flow::return_) return r;
        }
        return flow::next;
    }
};

template <class Cond, class Body>
struct while_loop {
    Cond test;
    Body body;
    template <class F>
    __device__ flow exec(F& f) const {
        trip_guard guard;
        while (test.eval(f)) {
            if (!guard.another(f)) return flow::return_;
            flow r = body.exec(f);
            if (r == flow::break_) break;
            if (r == flow::return_) return r;
        }
        return flow::next;
    }
};

// A component of local `c` (indices `i...`) updated in place as Warp does: `=` assign_inplace, `+=`/`-=`
// add_inplace/sub_inplace, `&=` `|=` `^=` bit_*_inplace; other operators extract, operate and assign.
template <class Ops, class Container, class V, class... I>
__device__ void update_component(syntax::op o, Container& c, const V& v, I... i) {
    using syntax::op;
    if constexpr (std::is_void_v<Ops>) {  // `=`
        return rt::assign_inplace(c, i..., v);
    } else if constexpr (std::is_same_v<Ops, additive_ops>) {
        if (o == op::add) return rt::add_inplace(c, i..., v);
        return rt::sub_inplace(c, i..., v);
    } else if constexpr (std::is_same_v<Ops, bitwise_ops>) {
        if (o == op::bit_and) return rt::bit_and_inplace(c, i..., v);
        if (o == op::bit_or) return rt::bit_or_inplace(c, i..., v);
        return rt::bit_xor_inplace(c, i..., v);
    } else {
        auto cur = rt::extract(c, i...);
        rt::assign_inplace(c, i..., decltype(cur)(apply_op<Ops>(o, cur, v)));
    }
}

// `v[i] <op>= x`, `m[i, j] <op>= x`, `m[i] <op>= row` on a local (Ops void: `=`).
template <class Ops, class Target, class Value>
struct update_subscript {
    syntax::op oper;
    Target target;  // a dev::subscript of a local
    Value value;
    template <class F>
    __device__ flow exec(F& f) const {
        auto v = value.eval(f);
        auto& c = target.target.ref(f);
        target.indices.eval_then(f, [&](const auto&... i) {
            update_component<Ops>(oper, c, v, static_cast<int>(i)...);
            return 0;
        });
        return flow::next;
    }
};

// `v.x <op>= x`, `xf.p <op>= v` on a local: Warp reads the part (extract / transform_get_*), operates and stores it
// in place (assign_inplace / transform_set_*) for every operator (Ops void: `=`).
template <class Ops, part Part, class Target, class Value>
struct update_attribute {
    syntax::op oper;
    Target target;  // a dev::local
    int index;
    Value value;
    template <class F>
    __device__ flow exec(F& f) const {
        auto v = value.eval(f);
        auto& c = target.ref(f);
        auto get = [&] {
            if constexpr (Part == part::translation) return rt::transform_get_translation(c);
            else if constexpr (Part == part::rotation) return rt::transform_get_rotation(c);
            else return rt::extract(c, index);
        };
        auto set = [&](const auto& x) {
            if constexpr (Part == part::translation) rt::transform_set_translation(c, x);
            else if constexpr (Part == part::rotation) rt::transform_set_rotation(c, x);
            else rt::assign_inplace(c, index, x);
        };
        if constexpr (std::is_void_v<Ops>) set(v);
        else set(decltype(get())(apply_op<Ops>(oper, get(), v)));
        return flow::next;
    }
};

// `a[i][k] = v`, `a[i][r, c] = v`: Warp's slot store writes the component in the array element itself.
template <class Target, class Value>
struct slot_store_subscript {
    Target target;  // a dev::subscript (the component's indices) of an array element
    Value value;
    template <class F>
    __device__ flow exec(F& f) const {
        auto v = value.eval(f);
        auto* e = target.target.address(f);
        target.indices.eval_then(f, [&](const auto&... k) {
            rt::assign_inplace(*e, static_cast<int>(k)..., v);
            return 0;
        });
        return flow::next;
    }
};

// `a[i].x = v`, `a[i].p = v`, `a[i].q = q`: the same for a component or a transform's part.
template <part Part, class Element, class Value>
struct slot_store_attribute {
    Element element;  // a dev::subscript of an array
    int index;
    Value value;
    template <class F>
    __device__ flow exec(F& f) const {
        auto v = value.eval(f);
        auto* e = element.address(f);
        if constexpr (Part == part::translation) rt::transform_set_translation(*e, v);
        else if constexpr (Part == part::rotation) rt::transform_set_rotation(*e, v);
        else rt::assign_inplace(*e, index, v);
        return flow::next;
    }
};

}  // namespace dev

// ---- host side ----------------------------------------------------------------------------------------------

template <class T, class V>
struct image<assign_stmt<local<T>, V>> {
    static constexpr bool supported = image<V>::supported;
    using type = dev::assign_local<ctype<T>, image_t<V>>;
    static type make(const assign_stmt<local<T>, V>& n, binder& b) {
        type r{};
        r.value = make_image(n.value, b);
        r.target = make_image(n.target, b);
        return r;
    }
};

template <class Target, class... Index, class V>
    requires(Target::type::value.is_array())
struct image<assign_stmt<subscript<Target, Index...>, V>> {
    using S = subscript<Target, Index...>;
    static constexpr bool supported = image<S>::supported && image<V>::supported;
    using type = dev::assign_element<image_t<S>, image_t<V>>;
    static type make(const assign_stmt<S, V>& n, binder& b) {
        type r{};
        r.value = make_image(n.value, b);
        r.target = make_image(n.target, b);
        return r;
    }
};

template <class... X>
struct image<tid_unpack<X...>> {
    static constexpr bool supported = sizeof...(X) >= 2 && sizeof...(X) <= 4;
    using type = dev::tid_unpack<static_cast<int>(sizeof...(X))>;
    static type make(const tid_unpack<X...>& n, binder& b) {
        type r{};
        std::size_t k = 0;
        std::apply([&](const X&... x) { ((r.slots[k++] = b.local_slot(x.name)), ...); }, n.names);
        return r;
    }
};

template <class Ops, class T, class V>
struct image<aug_assign_stmt<Ops, local<T>, V>> {
    static constexpr bool supported = image<V>::supported;
    using type = dev::aug_assign_local<Ops, ctype<T>, image_t<V>>;
    static type make(const aug_assign_stmt<Ops, local<T>, V>& n, binder& b) {
        type r{};
        r.oper = n.oper;
        r.value = make_image(n.value, b);
        r.target = make_image(n.target, b);
        return r;
    }
};

template <class Ops, class Target, class... Index, class V>
    requires(Target::type::value.is_array())
struct image<aug_assign_stmt<Ops, subscript<Target, Index...>, V>> {
    using S = subscript<Target, Index...>;
    static constexpr bool supported = image<S>::supported && image<V>::supported;
    static constexpr scalar_kind element = S::type::value.scalar;
    static constexpr bool bitwise = std::is_same_v<Ops, bitwise_ops> && S::type::value.is_scalar() && bits(element) >= 32;
    using type = dev::aug_assign_element<Ops, bitwise, ctype<typename S::type>, image_t<S>, image_t<V>>;
    static type make(const aug_assign_stmt<Ops, S, V>& n, binder& b) {
        type r{};
        r.oper = n.oper;
        r.atomic = builtins::augmented_array_atomic(n.oper, element);
        r.value = make_image(n.value, b);
        r.target = make_image(n.target, b);
        return r;
    }
};

// Components of a local updated in place (a component of an argument has no native image: arguments are
// constants of the kernel's image).
template <class Ops, class S, class V>
struct component_update_image {
    static constexpr bool supported = image<S>::supported && image<V>::supported;
    using type = dev::update_subscript<Ops, image_t<S>, image_t<V>>;
    static type make(syntax::op o, const S& target, const V& value, binder& b) {
        type r{};
        r.oper = o;
        r.value = make_image(value, b);
        r.target = make_image(target, b);
        return r;
    }
};
template <class T, class... Index, class V>
struct image<assign_stmt<subscript<local<T>, Index...>, V>>
    : component_update_image<void, subscript<local<T>, Index...>, V> {
    static auto make(const assign_stmt<subscript<local<T>, Index...>, V>& n, binder& b) {
        return component_update_image<void, subscript<local<T>, Index...>, V>::make(syntax::op::none, n.target,
                                                                                      n.value, b);
    }
};
template <class Ops, class T, class... Index, class V>
struct image<aug_assign_stmt<Ops, subscript<local<T>, Index...>, V>>
    : component_update_image<Ops, subscript<local<T>, Index...>, V> {
    static auto make(const aug_assign_stmt<Ops, subscript<local<T>, Index...>, V>& n, binder& b) {
        return component_update_image<Ops, subscript<local<T>, Index...>, V>::make(n.oper, n.target, n.value, b);
    }
};

template <class Ops, class T, wtype R, class V>
struct attribute_update_image {
    static constexpr bool supported = image<V>::supported;
    using type = dev::update_attribute<Ops, image<attribute<local<T>, R>>::part, image_t<local<T>>, image_t<V>>;
    static type make(syntax::op o, const attribute<local<T>, R>& target, const V& value, binder& b) {
        type r{};
        r.oper = o;
        r.target = make_image(target.target, b);
        r.index = syntax::attribute_components(target.component).first;
        r.value = make_image(value, b);
        return r;
    }
};
template <class T, wtype R, class V>
struct image<assign_stmt<attribute<local<T>, R>, V>> : attribute_update_image<void, T, R, V> {
    static auto make(const assign_stmt<attribute<local<T>, R>, V>& n, binder& b) {
        return attribute_update_image<void, T, R, V>::make(syntax::op::none, n.target, n.value, b);
    }
};
template <class Ops, class T, wtype R, class V>
struct image<aug_assign_stmt<Ops, attribute<local<T>, R>, V>> : attribute_update_image<Ops, T, R, V> {
    static auto make(const aug_assign_stmt<Ops, attribute<local<T>, R>, V>& n, binder& b) {
        return attribute_update_image<Ops, T, R, V>::make(n.oper, n.target, n.value, b);
    }
};

// Components of array elements (slot stores).
template <class Target, class... I, class... J, class V>
    requires(Target::type::value.is_array())
struct image<assign_stmt<subscript<subscript<Target, I...>, J...>, V>> {
    using S = subscript<subscript<Target, I...>, J...>;
    static constexpr bool supported = image<S>::supported && image<V>::supported;
    using type = dev::slot_store_subscript<image_t<S>, image_t<V>>;
    static type make(const assign_stmt<S, V>& n, binder& b) {
        type r{};
        r.target = make_image(n.target, b);
        r.value = make_image(n.value, b);
        return r;
    }
};
template <class Target, class... I, wtype R, class V>
    requires(Target::type::value.is_array())
struct image<assign_stmt<attribute<subscript<Target, I...>, R>, V>> {
    using A = attribute<subscript<Target, I...>, R>;
    static constexpr bool supported = image<A>::supported && image<V>::supported;
    using type = dev::slot_store_attribute<image<A>::part, image_t<subscript<Target, I...>>, image_t<V>>;
    static type make(const assign_stmt<A, V>& n, binder& b) {
        type r{};
        r.element = make_image(n.target.target, b);
        r.index = syntax::attribute_components(n.target.component).first;
        r.value = make_image(n.value, b);
        return r;
    }
};

template <class E>
struct image<expr_stmt<E>> {
    static constexpr bool supported = image<E>::supported;
    using type = dev::evaluate<image_t<E>>;
    static type make(const expr_stmt<E>& n, binder& b) { return {make_image(n.value, b)}; }
};

template <class... S>
struct image<block<S...>> {
    static constexpr bool supported = (image<S>::supported && ...);
    using type = dev::block<dev::tup<image_t<S>...>>;
    static type make(const block<S...>& n, binder& b) { return {make_tup(n.statements, b)}; }
};

template <>
struct image<keyword_stmt> {
    static constexpr bool supported = true;
    using type = dev::jump;
    static type make(const keyword_stmt& n, binder&) {
        switch (n.kind) {
        case syntax::node_kind::break_stmt: return {flow::break_};
        case syntax::node_kind::continue_stmt: return {flow::continue_};
        case syntax::node_kind::return_stmt: return {flow::return_};
        default: return {flow::next};  // pass
        }
    }
};

template <>
struct image<text_stmt> {  // comments and docstrings
    static constexpr bool supported = true;
    using type = dev::jump;
    static type make(const text_stmt&, binder&) { return {flow::next}; }
};

template <class S>
struct image<noted<S>> {
    static constexpr bool supported = image<S>::supported;
    using type = image_t<S>;
    static type make(const noted<S>& n, binder& b) { return make_image(n.stmt, b); }
};

template <class Cond, class Body, class Orelse, bool Elif>
struct image<if_stmt<Cond, Body, Orelse, Elif>> {
    static constexpr bool supported = image<Cond>::supported && image<Body>::supported && image<Orelse>::supported;
    using type = dev::if_stmt<image_t<Cond>, image_t<Body>, image_t<Orelse>>;
    static type make(const if_stmt<Cond, Body, Orelse, Elif>& n, binder& b) {
        type r{};
        r.test = make_image(n.test, b);
        r.then = make_image(n.then, b);
        r.orelse = make_image(n.orelse, b);
        return r;
    }
};

template <class T, wtype R, class... A, class Body>
struct image<for_stmt<local<T>, call<builtins::fn::range, R, A...>, Body>> {
    static constexpr bool supported = (image<A>::supported && ...) && image<Body>::supported;
    using type = dev::for_range<static_cast<int>(sizeof...(A)), dev::tup<image_t<A>...>, image_t<Body>>;
    static type make(const for_stmt<local<T>, call<builtins::fn::range, R, A...>, Body>& n, binder& b) {
        type r{};
        r.target = {b.local_slot(n.target.name)};
        r.bounds = make_tup(n.iter.args, b);
        r.body = make_image(n.loop_body, b);
        return r;
    }
};

template <class Cond, class Body>
struct image<while_stmt<Cond, Body>> {
    static constexpr bool supported = image<Cond>::supported && image<Body>::supported;
    using type = dev::while_loop<image_t<Cond>, image_t<Body>>;
    static type make(const while_stmt<Cond, Body>& n, binder& b) {
        type r{};
        r.test = make_image(n.test, b);
        r.body = make_image(n.loop_body, b);
        return r;
    }
};

}  // namespace warpsynth::native
