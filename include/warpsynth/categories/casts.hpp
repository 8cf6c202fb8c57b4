// warpsynth/categories/casts.hpp — dtype conversions; float64, int64, unsigned and small-int kernels.
//
// Shapes (compile-time): float32 -> float64 computation -> float32; float -> int through a rounding builtin (a
// runtime member of {floor, ceil, round, trunc}) and Python's int(); int -> float with float()/wp.float32(); int64
// products with large constants; uint32 bit manipulation (& | ^ << >> chosen at run time among the safe ones);
// float16 round trips; int8/int16/uint8/uint16 narrowing of values already in range; float64 kernels with float64
// parameters; int64 -> float64; bool() of an int under a conditional expression.
//
// Safety: every narrowing conversion sees a value inside the target's range (tracked intervals; unsigned targets
// only non-negative values, `%` before narrowing to 8/16 bits), float -> int conversions see |x| far below 2^31.
#pragma once

#include <string>

#include "warpsynth/categories/kernels.hpp"

namespace warpsynth::categories {
namespace cast_detail {
using namespace detail;

inline constexpr std::int64_t N = 64;

inline double klit(gen& g) { return g.id_val(260, 2000, 1000.0); }
inline long long kint(gen& g) { return g.id_int(2, 2000); }

template <class... A, class F>
void emit(instance& out, std::string_view kname, const names& nm, F&& fn, std::string_view outn) {
    using Tup = std::tuple<A...>;
    constexpr std::size_t n = sizeof...(A);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        auto names_ = std::array<std::string_view, n>{(I + 1 < n ? nm.arrays[I] : outn)...};
        auto k = kernel(kname, arg<std::tuple_element_t<I, Tup>>(names_[I])...)([&](const auto&...) { return fn(); });
        k.lower(out.tree);
    }(std::make_index_sequence<n>{});
}

// x = wp.float64(a[i]); y = x * wp.float64(k1) OP wp.float64(b[i]); out[i] = wp.float32(y) ± k2
inline void f32_f64_f32(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv ra = pick_profile(g), rb = pick_profile(g);
    emit<array<float_>, array<float_>, array<float_>>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<float64> x(nm.local(0)), y(nm.local(1));
        auto a = arg_ref<array<float_>>(nm.arrays[0]);
        auto b = arg_ref<array<float_>>(nm.arrays[1]);
        double k1 = klit(g);
        auto yv = arith<float64>(g, mk(x * wp::float64(lit(k1)), scale(ra, k1)), mk(wp::float64(b[i]), rb), float_ops);
        return body_of(i = tid(), x = wp::float64(a[i]), y = yv.e,
                    arg_ref<array<float_>>(nm.out)[i] = wp::float32(y) + lit(klit(g)));
    }, nm.out);
    add_input(out, nm.arrays[0], ra, N);
    add_input(out, nm.arrays[1], rb, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "widen to float64, compute, narrow back to float32";
}

// out[i] = wp.int32(FR(a[i] * k1)) OP int(b[i] * k2)   (FR: floor/ceil/round/trunc)
inline void float_to_int(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv ra = pick_profile(g), rb = pick_profile(g);
    emit<array<float_>, array<float_>, array<int_>>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto a = arg_ref<array<float_>>(nm.arrays[0]);
        auto b = arg_ref<array<float_>>(nm.arrays[1]);
        static constexpr std::array<fn, 4> fr = {fn::floor, fn::ceil, fn::round, fn::trunc};
        double k1 = g.id_val(260, 2000, 100.0), k2 = g.id_val(260, 2000, 100.0);
        auto l = wp::int32(fcall<rules::float_unary>(g.pick(fr), a[i] * lit(k1)));
        auto r = py::int_(b[i] * lit(k2));
        iv lr = widen(scale(ra, k1), 1), rr = widen(scale(rb, k2), 1);
        auto e = arith<int_>(g, mk(l, lr), mk(r, rr), o_add | o_sub | o_mul);
        return body_of(i = tid(), arg_ref<array<int_>>(nm.out)[i] = e.e);
    }, nm.out);
    add_input(out, nm.arrays[0], ra, N);
    add_input(out, nm.arrays[1], rb, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "float to int through rounding builtins and int()";
}

// out[i] = float(n[i]) * k1 OP wp.float32(m[i] + i) / k2
inline void int_to_float(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv rn = g.pick(int_profiles), rm = g.pick(int_profiles);
    emit<array<int_>, array<int_>, array<float_>>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto n = arg_ref<array<int_>>(nm.arrays[0]);
        auto m = arg_ref<array<int_>>(nm.arrays[1]);
        double k1 = klit(g), k2 = klit(g);
        auto e = arith<float_>(g, mk(py::float_(n[i]) * lit(k1), scale(rn, k1)),
                               mk(wp::float32(m[i] + i) / lit(k2), scale(rm + iv{0, N}, 1 / k2)), o_add | o_sub | o_mul);
        return body_of(i = tid(), arg_ref<array<float_>>(nm.out)[i] = e.e);
    }, nm.out);
    add_input(out, nm.arrays[0], rn, N);
    add_input(out, nm.arrays[1], rm, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "int to float with float() and wp.float32()";
}

// out[i] = wp.int64(a[i]) * wp.int64(K) OP wp.int64(b[i] ± i)
inline void int64_big(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv ra = g.pick(int_profiles), rb = g.pick(int_profiles);
    emit<array<int_>, array<int_>, array<int64>>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto a = arg_ref<array<int_>>(nm.arrays[0]);
        auto b = arg_ref<array<int_>>(nm.arrays[1]);
        long long K = kint(g) * 10000LL;
        K += kint(g);
        auto l = mk(wp::int64(a[i]) * wp::int64(lit(K)), scale(ra, static_cast<double>(K)));
        auto e = arith<int64>(g, l, mk(wp::int64(b[i] + i), rb + iv{0, N}), o_add | o_sub | o_floordiv | o_mod);
        return body_of(i = tid(), arg_ref<array<int64>>(nm.out)[i] = e.e);
    }, nm.out);
    add_input(out, nm.arrays[0], ra, N);
    add_input(out, nm.arrays[1], rb, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "int64 arithmetic with large constants";
}

// u = wp.uint32(a[i]) OP wp.uint32(K1); out[i] = (u OP2 wp.uint32(b[i])) OP3 wp.uint32(s)   (bit operators)
inline void uint_bits(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv ra{0, static_cast<double>(g.between(100, 1000))}, rb{0, static_cast<double>(g.between(10, 255))};
    emit<array<int_>, array<int_>, array<uint32>>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<uint32> u(nm.local(0));
        auto a = arg_ref<array<int_>>(nm.arrays[0]);
        auto b = arg_ref<array<int_>>(nm.arrays[1]);
        double k1 = static_cast<double>(kint(g)), s = static_cast<double>(g.between(0, 4));
        auto ue = arith<uint32>(g, mk(wp::uint32(a[i]), ra), const_of<uint32>(k1), bit_ops | o_add | o_mul);
        auto v = arith<uint32>(g, mk(u, ue.r), mk(wp::uint32(b[i]), rb), bit_ops | o_add);
        auto w = arith<uint32>(g, v, const_of<uint32>(s), o_shl | o_shr | o_and | o_or | o_xor);
        auto z = arith<uint32>(g, w, const_of<uint32>(static_cast<double>(kint(g))), bit_ops | o_add);
        return body_of(i = tid(), u = ue.e, arg_ref<array<uint32>>(nm.out)[i] = z.e);
    }, nm.out);
    add_input(out, nm.arrays[0], ra, N);
    add_input(out, nm.arrays[1], rb, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "uint32 bit manipulation";
}

// h = wp.float16(a[i] * k1); out[i] = float(h) * k2 OP a[i]; out16[i] = h
inline void f16_roundtrip(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv ra = pick_profile(g);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<array<float16>>(nm.arrays[1]),
                    arg<array<float_>>(nm.out))([&](auto a, auto o16, auto o) {
        local<int_> i(nm.index);
        local<float16> h(nm.local(0));
        double k1 = klit(g), k2 = klit(g);
        auto e = arith<float_>(g, mk(py::float_(h) * lit(k2), scale(ra, k1 * k2)), mk(a[i], ra), float_ops);
        return body_of(i = tid(), h = wp::float16(a[i] * lit(k1)), o[i] = e.e, o16[i] = h * wp::float16(lit(klit(g))));
    });
    k.lower(out.tree);
    add_input(out, nm.arrays[0], ra, N);
    add_input(out, nm.arrays[1], {0, 0}, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "float16 round trip";
}

// v = wp.uint8(a[i] % 200) (or int8/int16/uint16 of an in-range value); out[i] = wp.int32(v) * k1 OP b[i]
template <class Small>
inline void narrow(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv ra{0, 1000}, rb = g.pick(int_profiles);
    constexpr bool uns = !dt<Small>::is_signed;
    const double lim = dt<Small>::cap / 2;
    emit<array<int_>, array<int_>, array<int_>>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<Small> v(nm.local(0));
        auto a = arg_ref<array<int_>>(nm.arrays[0]);
        auto b = arg_ref<array<int_>>(nm.arrays[1]);
        long long m = g.between(3, static_cast<long long>(lim));
        iv vr = uns ? iv{0, static_cast<double>(m - 1)} : iv{-static_cast<double>(m - 1), static_cast<double>(m - 1)};
        auto small = [&] {
            if constexpr (uns) return ctor_of<Small>()(a[i] % lit(m));
            else return ctor_of<Small>()(a[i] % lit(m) - lit(m / 2));
        }();
        if (!uns) vr = {-static_cast<double>(m / 2), static_cast<double>(m - 1 - m / 2)};
        long long k1 = kint(g), k2 = kint(g);
        auto e = arith<int_>(g, mk(wp::int32(v) * lit(k1), scale(vr, static_cast<double>(k1))),
                             mk(b[i] - lit(k2), rb - point(static_cast<double>(k2))), int_ops);
        return body_of(i = tid(), v = small, arg_ref<array<int_>>(nm.out)[i] = e.e);
    }, nm.out);
    add_input(out, nm.arrays[0], ra, N);
    add_input(out, nm.arrays[1], rb, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "narrowing to an 8/16-bit integer type and back";
}

// out[i] = wp.float64(a[i]) * scale OP shift * wp.float64(k)   (float64 parameters)
inline void f64_params(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv ra = pick_profile(g);
    auto k = kernel(kname, arg<array<float_>>(nm.arrays[0]), arg<float64>(nm.params[0]), arg<float64>(nm.params[1]),
                    arg<array<float64>>(nm.out))([&](auto a, auto sc, auto sh, auto o) {
        local<int_> i(nm.index);
        double k1 = klit(g), k2 = klit(g);
        auto l = mk(wp::float64(a[i]) * sc, ra * iv{0.5, 2});
        auto r = mk(sh * wp::float64(lit(k1)), scale(iv{0.5, 2}, k1));
        auto e = arith<float64>(g, l, r, float_ops);
        return body_of(i = tid(), o[i] = e.e - wp::float64(lit(k2)));
    });
    k.lower(out.tree);
    add_input(out, nm.arrays[0], ra, N);
    add_input(out, nm.params[0], {0.5, 2}, 0);
    add_input(out, nm.params[1], {0.5, 2}, 0);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "float64 kernel with float64 parameters";
}

// b = bool(n[i] % K); out[i] = a[i] * k1 if b else a[i] * k2 ± float(n[i])
inline void bool_cast(gen& g, instance& out, const names& nm, std::string_view kname) {
    iv rn = g.pick(int_profiles), ra = pick_profile(g);
    auto k = kernel(kname, arg<array<int_>>(nm.arrays[0]), arg<array<float_>>(nm.arrays[1]), arg<array<float_>>(nm.out))(
        [&](auto n, auto a, auto o) {
            local<int_> i(nm.index);
            local<bool_> b(nm.local(0));
            long long K = g.between(2, 5);
            double k1 = klit(g), k2 = klit(g);
            return body_of(i = tid(), b = py::bool_(n[i] % lit(K)),
                        o[i] = ternary(b, a[i] * lit(k1), a[i] * lit(k2) + py::float_(n[i])));
        });
    k.lower(out.tree);
    add_input(out, nm.arrays[0], rn, N);
    add_input(out, nm.arrays[1], ra, N);
    add_input(out, nm.out, {0, 0}, N);
    out.description = "bool() of an int selecting between expressions";
}

using shape_fn = void (*)(gen&, instance&, const names&, std::string_view);
struct shape_entry {
    std::string_view name;
    shape_fn make;
};

inline constexpr shape_entry shapes[] = {
    {"f32_f64_f32", &f32_f64_f32}, {"float_to_int", &float_to_int}, {"int_to_float", &int_to_float},
    {"int64_big", &int64_big},     {"uint_bits", &uint_bits},       {"f16_roundtrip", &f16_roundtrip},
    {"narrow_u8", &narrow<uint8>}, {"narrow_i8", &narrow<int8>},
    {"narrow_i16", &narrow<int16>}, {"narrow_u16", &narrow<uint16>},    {"f64_params", &f64_params},   {"bool_cast", &bool_cast},
};

}  // namespace cast_detail

inline void make_casts(std::uint64_t seed, std::uint64_t index, instance& out) {
    using namespace cast_detail;
    out.reset();
    gen g(seed, index, 0xca5u);
    auto& s = shapes[g.digit(std::size(shapes))];
    names nm(g);
    out.shape.assign("casts/").append(s.name);
    s.make(g, out, nm, kernel_name(g, "casts", s.name));
    out.launch_dim = N;
    finish(g, out);
}

}  // namespace warpsynth::categories
