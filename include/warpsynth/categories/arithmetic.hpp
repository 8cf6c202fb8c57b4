// warpsynth/categories/arithmetic.hpp — scalar arithmetic over float32/float64/float16/int32/int64/uint32 arrays.
//
// Shapes (compile-time): expression skeletons stored directly (`out[i] = E`), accumulated (`out[i] += E`, an atomic
// in Warp's IR), a local chain with an augmented assignment (`t0 = E1; t0 *= E2; out[i] = t0 - E3`), and a
// straight-line sequence of locals (`t2 = t0 * t1; t3 = t2 - 0.75; ...`) whose data flow is drawn at run time.
// Each is instantiated per dtype. Leaves (which array, which parameter, literal values), operators of the same-type
// operator family, parenthesization and names are runtime leaves; every operator is chosen among those that are
// safe for the operands' value ranges (no division by a range containing 0, no overflow, unsigned stays >= 0).
#pragma once

#include <string>

#include "warpsynth/categories/kernels.hpp"

namespace warpsynth::categories {
namespace arith_detail {
using namespace detail;
using namespace detail::sk;

inline constexpr std::int64_t N = 64;  // launch size = array lengths

// Float skeletons: every one has two identity literals (K).
using FS0 = Bn<Bn<X, K>, Bn<X, K>>;                  // (a[i] * 1.25) - (b[i] / 0.5)
using FS1 = Bn<Bn<Bn<X, X>, K>, Bn<P, Bn<X, K>>>;    // ((a[i] + b[i]) * 0.3) + alpha * (c[i] - 2.1)
using FS2 = Bn<Ng<Bn<X, K>>, Bn<Bn<X, C>, Bn<K, X>>>;
using FS3 = Bn<Bn<X, Bn<K, P>>, Bn<Bn<X, X>, Bn<X, K>>>;
// Integer skeletons (same-type int operators, including // % and bit operators for the bit variant).
using IS0 = Bn<Bn<X, K>, Bn<X, K>>;
using IS1 = Bn<Bn<Bn<X, X>, K>, Bn<P, Bn<X, K>>>;

template <class T>
ectx<T> setup(gen& g, instance& out, const names& nm, std::size_t na, std::size_t np) {
    auto c = operands_1d<T>(g, out, nm, na, np, N);
    return c;
}

// out[i] = E
template <class T, class S>
inline void store(gen& g, instance& out, const names& nm, std::string_view kname, bool bits) {
    constexpr std::size_t na = clamp_count(count_v<S, X>, 3), np = clamp_count(count_v<S, P>, 2);
    auto c = setup<T>(g, out, nm, na, np);
    if constexpr (!dt<T>::is_float) {
        if (bits) c.ops = int_ops | bit_ops;
    }
    emit_1d<T, T, T, na, np>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto e = build<S>(c);
        return body_of(i = tid(), arg_ref<array<T>>(nm.out)[i] = e.e);
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = "out[i] = an arithmetic expression of the inputs";
}

// out[i] += E (or -=): Warp lowers an augmented array store to an atomic.
template <class T, class S>
inline void accumulate(gen& g, instance& out, const names& nm, std::string_view kname) {
    constexpr std::size_t na = clamp_count(count_v<S, X>, 3), np = clamp_count(count_v<S, P>, 2);
    auto c = setup<T>(g, out, nm, na, np);
    iv init = dt<T>::is_float ? iv{-1, 1} : iv{0, 10};
    emit_1d<T, T, T, na, np>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        auto e = build<S>(c);
        // unsigned targets only grow; the initial contents are documented in `init`
        bool sub = dt<T>::is_signed && g.coin();
        auto target = arg_ref<array<T>>(nm.out)[i];
        auto st = target.template aug<scalar_family>(sub ? op::sub : op::add, e.e);
        return body_of(i = tid(), st);
    });
    add_input(out, nm.out, init, N);
    out.description = "out[i] += an arithmetic expression (atomic accumulate)";
}

// t0 = E1; t0 <op>= E2; out[i] = t0 <op> E3 — a local updated in place.
template <class T, class S1, class S2>
inline void chain(gen& g, instance& out, const names& nm, std::string_view kname) {
    constexpr std::size_t na = clamp_count(count_v<S1, X> + count_v<S2, X> + 1, 3);
    constexpr std::size_t np = clamp_count(count_v<S1, P> + count_v<S2, P>, 2);
    auto c = setup<T>(g, out, nm, na, np);
    emit_1d<T, T, T, na, np>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        local<T> t(nm.local(0));
        auto e1 = build<S1>(c);
        auto e2 = build<S2>(c);
        iv r2;
        unsigned allowed = dt<T>::is_float ? (o_add | o_sub | o_mul | o_div) : (o_add | o_sub | o_mul | o_mod);
        op o2 = choose_op<T>(g, allowed, e1.r, e2.r, r2);
        auto x = build<X>(c);
        iv r3;
        op o3 = choose_op<T>(g, dt<T>::is_float ? float_ops : int_ops, r2, x.r, r3);
        auto tail = binary<scalar_family, local<T>, decltype(x.e)>(o3, t, x.e);
        return body_of(i = tid(), t = e1.e, t.template aug<scalar_family>(o2, e2.e),
                     arg_ref<array<T>>(nm.out)[i] = tail);
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = "a local initialized, updated in place, then combined and stored";
}

// A straight-line sequence: locals loaded from the inputs, two identity-literal steps, then `steps` operations
// whose operands are earlier locals chosen at run time; the last local is stored.
template <class T>
inline void sequence(gen& g, instance& out, const names& nm, std::string_view kname) {
    constexpr std::size_t na = 3;
    auto c = setup<T>(g, out, nm, na, 0);
    int steps = static_cast<int>(g.between(2, 7));
    emit_1d<T, T, T, na, 0>(out, kname, nm, [&] {
        local<int_> i(nm.index);
        std::vector<iv> ranges;
        using load_t = assign_stmt<local<T>, ex<T>>;
        using klit_t = load_t;
        using step_t = load_t;
        stmt_run<load_t, 3> loads{{load_t(local<T>(nm.local(0)), elem<T>(c.arrays[0].name, nm.index, {}).e),
                                   load_t(local<T>(nm.local(1)), elem<T>(c.arrays[1].name, nm.index, {}).e),
                                   load_t(local<T>(nm.local(2)), elem<T>(c.arrays[2].name, nm.index, {}).e)}};
        for (int k = 0; k < 3; ++k) ranges.push_back(c.arrays[static_cast<std::size_t>(k)].r);
        auto lit_step = [&](int k) {
            int src = static_cast<int>(g.pick(ranges.size()));
            double v = c.id_lit();
            iv r;
            op o = choose_op<T>(g, c.ops, ranges[static_cast<std::size_t>(src)], point(v), r);
            ranges.push_back(r);
            return klit_t(local<T>(nm.local(k)),
                          erase(binary<scalar_family, local<T>, lit_t<T>>(o, local<T>(nm.local(src)), typed_lit<T>(v))));
        };
        stmt_run<klit_t, 2> lits{{lit_step(3), lit_step(4)}};
        std::vector<step_t> ops_;
        for (int s = 0; s < steps; ++s) {
            int k = 5 + s;
            int n = static_cast<int>(ranges.size());
            int x = n - 1 - static_cast<int>(g.pick(std::min(n, 3)));  // recent locals keep the chain connected
            int y = static_cast<int>(g.pick(static_cast<std::size_t>(n)));
            iv r;
            op o = choose_op<T>(g, c.ops, ranges[static_cast<std::size_t>(x)], ranges[static_cast<std::size_t>(y)], r);
            ranges.push_back(r);
            ops_.push_back(step_t(local<T>(nm.local(k)), erase(binary<scalar_family, local<T>, local<T>>(
                                                             o, local<T>(nm.local(x)), local<T>(nm.local(y))))));
        }
        vec_run<step_t> run{std::move(ops_)};
        local<T> last(nm.local(4 + steps));
        return body_of(i = tid(), loads, lits, run, arg_ref<array<T>>(nm.out)[i] = last);
    });
    add_input(out, nm.out, {0, 0}, N);
    out.description = "a straight-line sequence of local arithmetic";
}

using shape_fn = void (*)(gen&, instance&, const names&, std::string_view);

template <class T, class S, bool Bits = false>
inline void store_s(gen& g, instance& o, const names& n, std::string_view k) { store<T, S>(g, o, n, k, Bits); }
template <class T, class S>
inline void acc_s(gen& g, instance& o, const names& n, std::string_view k) { accumulate<T, S>(g, o, n, k); }
template <class T, class S1, class S2>
inline void chain_s(gen& g, instance& o, const names& n, std::string_view k) { chain<T, S1, S2>(g, o, n, k); }
template <class T>
inline void seq_s(gen& g, instance& o, const names& n, std::string_view k) { sequence<T>(g, o, n, k); }

struct shape_entry {
    std::string_view name;
    shape_fn make;
};

inline constexpr shape_entry shapes[] = {
    {"store0_f32", &store_s<float_, FS0>},   {"store1_f32", &store_s<float_, FS1>},
    {"store3_f32", &store_s<float_, FS3>},
    {"acc_f32", &acc_s<float_, FS1>},        {"chain_f32", &chain_s<float_, FS0, FS2>},
    {"seq_f32", &seq_s<float_>},
    {"store1_f64", &store_s<float64, FS1>},  {"seq_f64", &seq_s<float64>},
    {"store0_f16", &store_s<float16, FS0>},  {"seq_f16", &seq_s<float16>},
    {"store0_i32", &store_s<int_, IS0>},     {"bits_i32", &store_s<int_, IS1, true>},
    {"seq_i32", &seq_s<int_>},
    {"store1_i64", &store_s<int64, IS1>},    {"bits_u32", &store_s<uint32, IS1, true>},
    };

}  // namespace arith_detail

inline void make_arithmetic(std::uint64_t seed, std::uint64_t index, instance& out) {
    using namespace arith_detail;
    out.reset();
    gen g(seed, index, 0x0a1u);
    constexpr std::size_t ns = std::size(shapes);
    auto& s = shapes[g.digit(ns)];
    names nm(g);
    out.shape.assign("arithmetic/").append(s.name);
    s.make(g, out, nm, kernel_name(g, "arithmetic", s.name));
    out.launch_dim = N;
    finish(g, out);
}

}  // namespace warpsynth::categories
