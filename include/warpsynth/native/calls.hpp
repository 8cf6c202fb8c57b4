// warpsynth/native/calls.hpp — device images of builtin calls: math, geometry, atomics, constructors, wp.tid().
#pragma once

#include "warpsynth/native/expressions.hpp"

namespace warpsynth::native {

template <class T>
inline constexpr bool is_literal_node = false;
template <wtype W>
inline constexpr bool is_literal_node<literal<W>> = true;

// `wp.<name>(args...)` for the builtins whose runtime function has the builtin's own name.
template <builtins::fn F, class... V>
__device__ auto call_runtime(const V&... v) {
    using builtins::fn;
#define WARPSYNTH_NATIVE_SAME_NAME(name) \
    if constexpr (F == fn::name) return rt::name(v...); else
    WARPSYNTH_NATIVE_SAME_NAME(sin) WARPSYNTH_NATIVE_SAME_NAME(cos) WARPSYNTH_NATIVE_SAME_NAME(tan)
    WARPSYNTH_NATIVE_SAME_NAME(asin) WARPSYNTH_NATIVE_SAME_NAME(acos) WARPSYNTH_NATIVE_SAME_NAME(atan)
    WARPSYNTH_NATIVE_SAME_NAME(atan2) WARPSYNTH_NATIVE_SAME_NAME(sinh) WARPSYNTH_NATIVE_SAME_NAME(cosh)
    WARPSYNTH_NATIVE_SAME_NAME(tanh) WARPSYNTH_NATIVE_SAME_NAME(sqrt) WARPSYNTH_NATIVE_SAME_NAME(cbrt)
    WARPSYNTH_NATIVE_SAME_NAME(exp) WARPSYNTH_NATIVE_SAME_NAME(log) WARPSYNTH_NATIVE_SAME_NAME(log2)
    WARPSYNTH_NATIVE_SAME_NAME(log10) WARPSYNTH_NATIVE_SAME_NAME(pow) WARPSYNTH_NATIVE_SAME_NAME(abs)
    WARPSYNTH_NATIVE_SAME_NAME(sign) WARPSYNTH_NATIVE_SAME_NAME(floor) WARPSYNTH_NATIVE_SAME_NAME(ceil)
    WARPSYNTH_NATIVE_SAME_NAME(round) WARPSYNTH_NATIVE_SAME_NAME(rint) WARPSYNTH_NATIVE_SAME_NAME(trunc)
    WARPSYNTH_NATIVE_SAME_NAME(frac) WARPSYNTH_NATIVE_SAME_NAME(step) WARPSYNTH_NATIVE_SAME_NAME(min)
    WARPSYNTH_NATIVE_SAME_NAME(max) WARPSYNTH_NATIVE_SAME_NAME(clamp) WARPSYNTH_NATIVE_SAME_NAME(lerp)
    WARPSYNTH_NATIVE_SAME_NAME(smoothstep) WARPSYNTH_NATIVE_SAME_NAME(degrees) WARPSYNTH_NATIVE_SAME_NAME(radians)
    WARPSYNTH_NATIVE_SAME_NAME(erf) WARPSYNTH_NATIVE_SAME_NAME(erfc) WARPSYNTH_NATIVE_SAME_NAME(copysign)
    WARPSYNTH_NATIVE_SAME_NAME(where) WARPSYNTH_NATIVE_SAME_NAME(dot) WARPSYNTH_NATIVE_SAME_NAME(cross)
    WARPSYNTH_NATIVE_SAME_NAME(length) WARPSYNTH_NATIVE_SAME_NAME(length_sq) WARPSYNTH_NATIVE_SAME_NAME(normalize)
    WARPSYNTH_NATIVE_SAME_NAME(outer) WARPSYNTH_NATIVE_SAME_NAME(cw_mul) WARPSYNTH_NATIVE_SAME_NAME(cw_div)
    WARPSYNTH_NATIVE_SAME_NAME(transpose) WARPSYNTH_NATIVE_SAME_NAME(determinant) WARPSYNTH_NATIVE_SAME_NAME(inverse)
    WARPSYNTH_NATIVE_SAME_NAME(trace) WARPSYNTH_NATIVE_SAME_NAME(diag) WARPSYNTH_NATIVE_SAME_NAME(quat_rotate)
    WARPSYNTH_NATIVE_SAME_NAME(quat_rotate_inv) WARPSYNTH_NATIVE_SAME_NAME(quat_from_axis_angle)
    WARPSYNTH_NATIVE_SAME_NAME(quat_inverse) WARPSYNTH_NATIVE_SAME_NAME(quat_to_matrix)
    WARPSYNTH_NATIVE_SAME_NAME(transform_point) WARPSYNTH_NATIVE_SAME_NAME(transform_vector)
    WARPSYNTH_NATIVE_SAME_NAME(transform_inverse) WARPSYNTH_NATIVE_SAME_NAME(transform_get_translation)
    WARPSYNTH_NATIVE_SAME_NAME(transform_get_rotation) WARPSYNTH_NATIVE_SAME_NAME(atomic_add)
    WARPSYNTH_NATIVE_SAME_NAME(atomic_sub) WARPSYNTH_NATIVE_SAME_NAME(atomic_min) WARPSYNTH_NATIVE_SAME_NAME(atomic_max)
    WARPSYNTH_NATIVE_SAME_NAME(atomic_and) WARPSYNTH_NATIVE_SAME_NAME(atomic_or) WARPSYNTH_NATIVE_SAME_NAME(atomic_xor)
    static_assert(F == fn::none, "warpsynth::native: this builtin has no native implementation");
#undef WARPSYNTH_NATIVE_SAME_NAME
}

template <builtins::fn F>
inline constexpr bool has_native_call = F != builtins::fn::range && F != builtins::fn::none;

namespace dev {
template <builtins::fn F, class C, class Args>
struct call {
    Args args;
    template <class F0>
    __device__ auto eval(F0& f) const {
        using builtins::fn;
        if constexpr (F == fn::tid) {
            return rt::tid(f.index, f.dim);
        } else {
            return args.eval_then(f, [&](const auto&... v) {
                if constexpr (F == fn::construct_scalar || F == fn::construct_vector || F == fn::construct_matrix ||
                              F == fn::construct_quat || F == fn::construct_transform)
                    return C(v...);
                else
                    return call_runtime<F>(v...);
            });
        }
    }
};

template <int N, class S>
struct identity {
    template <class F>
    __device__ auto eval(F&) const {
        return rt::identity<N, S>();
    }
};
}  // namespace dev

template <builtins::fn F, wtype R, class... Args>
struct image<call<F, R, Args...>> {
    static constexpr bool supported = has_native_call<F> && (image<Args>::supported && ...);
    using C = std::conditional_t<R.kind == type_kind::none || R.kind == type_kind::range, void, ctype<wt<R>>>;
    // Warp folds `wp.float64(0.1)`, `wp.int64(3)` (a 64-bit scalar of one literal) into a constant of that type,
    // made from the Python number itself, not from its float32/int32 constant.
    static constexpr bool folds = F == builtins::fn::construct_scalar && sizeof...(Args) == 1 &&
                                  (is_literal_node<Args> && ...) && bits(R.scalar) == 64;
    using type = std::conditional_t<folds, dev::constant<C>, dev::call<F, C, dev::tup<image_t<Args>...>>>;

    static type make(const call<F, R, Args...>& n, binder& b) {
        type r{};
        if constexpr (folds) {
            const auto& l = std::get<0>(n.args);
            constexpr bool from_float = is_float(std::tuple_element_t<0, std::tuple<Args...>>::type::value.scalar);
            if constexpr (is_float(R.scalar)) r.value = from_float ? l.fvalue : static_cast<double>(l.ivalue);
            else r.value = static_cast<C>(from_float ? static_cast<std::int64_t>(l.fvalue) : l.ivalue);
        } else {
            r.args = make_tup(n.args, b);
        }
        return r;
    }
};

template <int N, class T>
struct image<identity_call<N, T>> {
    static constexpr bool supported = true;
    using type = dev::identity<N, scalar_ctype<T::value.scalar>>;
    static type make(const identity_call<N, T>&, binder&) { return {}; }
};

}  // namespace warpsynth::native
