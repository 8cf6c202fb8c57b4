// warpsynth/categories/kernels.hpp — emitting a kernel whose argument list is a compile-time pack of names.
#pragma once

#include <type_traits>
#include <utility>

#include "warpsynth/categories/common.hpp"

namespace warpsynth::categories::detail {

// How many leaves of kind L a skeleton has.
template <class S, class L>
struct count_of : std::integral_constant<int, std::is_same_v<S, L> ? 1 : 0> {};
template <template <class...> class N, class... A, class L>
struct count_of<N<A...>, L> : std::integral_constant<int, (0 + ... + count_of<A, L>::value)> {};
template <class S, class L>
inline constexpr int count_v = count_of<S, L>::value;

constexpr std::size_t clamp_count(int n, int hi) { return static_cast<std::size_t>(n < hi ? n : hi); }

// Lower `kernel(name, arrays<TIn>..., params<TP>..., out: array<TOut>)` with the body `fn()` into `out.tree`.
template <class TIn, class TP, class TOut, std::size_t NA, std::size_t NP, class F>
void emit_1d(instance& out, std::string_view kname, const names& nm, F&& fn) {
    [&]<std::size_t... Ia, std::size_t... Ip>(std::index_sequence<Ia...>, std::index_sequence<Ip...>) {
        auto k = kernel(kname, arg<array<TIn>>(nm.arrays[Ia])..., arg<TP>(nm.params[Ip])...,
                        arg<array<TOut>>(nm.out))([&](const auto&...) { return fn(); });
        k.lower(out.tree);
    }(std::make_index_sequence<NA>{}, std::make_index_sequence<NP>{});
}

// The operands of a 1-D kernel: NA input arrays and NP parameters of T with documented ranges, recorded in `out`.
template <class T>
ectx<T> operands_1d(gen& g, instance& out, const names& nm, std::size_t na, std::size_t np, std::int64_t length) {
    ectx<T> c{g, {}, {}, nm.index};
    for (std::size_t k = 0; k < na; ++k) {
        iv r;
        if constexpr (dt<T>::is_float) {
            r = pick_profile(g);
        } else {
            r = g.pick(int_profiles);
            if (!dt<T>::is_signed && r.lo < 0) r = {0, r.hi - r.lo};
        }
        c.arrays.push_back({nm.arrays[k], r});
        add_input(out, nm.arrays[k], r, length);
    }
    for (std::size_t k = 0; k < np; ++k) {
        iv r = dt<T>::is_float ? iv{0.5, 2.0} : iv{1, 8};
        c.params.push_back({nm.params[k], r});
        add_input(out, nm.params[k], r, 0);
    }
    return c;
}

}  // namespace warpsynth::categories::detail
