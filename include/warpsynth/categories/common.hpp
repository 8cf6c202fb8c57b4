// warpsynth/categories/common.hpp — what every category shares: the record's identity digits, value-range
// (interval) tracking, dtype traits, runtime-selected members of typed operator/builtin families, name pools.
//
// Identity (distinctness by construction). A record's global index is scrambled by a bijection of 32-bit words
// (`permute32`, xor-shift/odd-multiply steps, each invertible) into a key. The key's mixed-radix digits drive,
// in a fixed order, every *identity* choice of the instance: the compile-time shape, the name set, and a few
// literal values ("identity literals", `gen::id_*`), each of which appears verbatim at a fixed place in the
// Python text. Every shape consumes the whole key (checked by tests/categories: `gen::identity_left() == 0` for the
// largest key), so two indices below 2^32 give two different digit strings and hence two different
// `python_source`s: the mapping index -> kernel is injective, not merely unlikely to collide. Everything else
// (which operator of a family, which builtin of a family, other literals, parenthesization) comes from the
// counter-based stream rng(seed, index), which makes the seed matter and adds variety without affecting identity.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "warpsynth/categories/category.hpp"
#include "warpsynth/categories/random.hpp"
#include "warpsynth/warpsynth.hpp"

namespace warpsynth::categories::detail {

// --- identity ------------------------------------------------------------------------------------------------
// A bijection of [0, 2^32): each step (xor with a right shift, multiply by an odd constant) is invertible.
constexpr std::uint32_t permute32(std::uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

// Diagnostics for tests: the identity digits left unconsumed by the last instance built on this thread (0 when the
// shape encoded the whole key), and an override of the key (to test the largest one).
inline thread_local std::uint64_t last_identity_left = 0;
inline thread_local std::int64_t forced_key = -1;

// --- intervals -------------------------------------------------------------------------------------------------
struct iv {
    double lo = 0.0, hi = 0.0;
    double mag() const { return std::max(std::fabs(lo), std::fabs(hi)); }
    bool contains_zero(double eps = 0.0) const { return lo <= eps && hi >= -eps; }
    // Distance of the interval from zero (0 if it contains zero).
    double min_abs() const { return contains_zero() ? 0.0 : std::min(std::fabs(lo), std::fabs(hi)); }
    bool positive(double eps = 0.0) const { return lo > eps; }
};
inline iv point(double v) { return {v, v}; }
inline iv hull(iv a, iv b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }
inline iv operator+(iv a, iv b) { return {a.lo + b.lo, a.hi + b.hi}; }
inline iv operator-(iv a, iv b) { return {a.lo - b.hi, a.hi - b.lo}; }
inline iv operator-(iv a) { return {-a.hi, -a.lo}; }
inline iv operator*(iv a, iv b) {
    double p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    return {*std::min_element(p, p + 4), *std::max_element(p, p + 4)};
}
// Only for divisors that exclude zero.
inline iv operator/(iv a, iv b) { return a * iv{1.0 / b.hi, 1.0 / b.lo}; }
inline iv scale(iv a, double k) { return a * point(k); }
template <class F>
iv monotone(iv a, F f) {  // increasing f
    return {f(a.lo), f(a.hi)};
}
inline iv abs_iv(iv a) {
    if (a.contains_zero()) return {0.0, a.mag()};
    return {a.min_abs(), a.mag()};
}
inline iv sq_iv(iv a) {
    auto m = abs_iv(a);
    return {m.lo * m.lo, m.hi * m.hi};
}
inline iv min_iv(iv a, iv b) { return {std::min(a.lo, b.lo), std::min(a.hi, b.hi)}; }
inline iv max_iv(iv a, iv b) { return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)}; }
inline iv widen(iv a, double by) { return {a.lo - by, a.hi + by}; }

// --- dtype traits --------------------------------------------------------------------------------------------
// T is a spelled scalar tag (float_, float64, float16, int_, int64, uint32, ...).
template <class T>
struct dt {
    static constexpr wtype w = T::value;
    static constexpr bool is_float = warpsynth::is_float(w.scalar);
    static constexpr bool is_signed = is_float || warpsynth::is_signed(w.scalar);
    // Values of every intermediate stay within +-cap: far from overflow (and float16's 65504).
    static constexpr double cap = w.scalar == scalar_kind::float16   ? 64.0
                                  : w.scalar == scalar_kind::float64 ? 1e6
                                  : w.scalar == scalar_kind::float32 ? 1e4
                                  : w.scalar == scalar_kind::int64   ? 1e12
                                  : w.scalar == scalar_kind::int8    ? 100.0
                                  : w.scalar == scalar_kind::uint8   ? 250.0
                                  : w.scalar == scalar_kind::int16   ? 30000.0
                                  : w.scalar == scalar_kind::uint16  ? 60000.0
                                                                     : 1e8;
    static constexpr std::string_view tag = w.scalar == scalar_kind::float16   ? "f16"
                                            : w.scalar == scalar_kind::float64 ? "f64"
                                            : w.scalar == scalar_kind::float32 ? "f32"
                                            : w.scalar == scalar_kind::int64   ? "i64"
                                            : w.scalar == scalar_kind::int32   ? "i32"
                                            : w.scalar == scalar_kind::uint32  ? "u32"
                                            : w.scalar == scalar_kind::int16   ? "i16"
                                            : w.scalar == scalar_kind::uint16  ? "u16"
                                            : w.scalar == scalar_kind::int8    ? "i8"
                                            : w.scalar == scalar_kind::uint8   ? "u8"
                                                                               : "x";
};

// A literal of scalar type T: a Python float/int literal for float32/int32, otherwise wrapped in the dtype's
// constructor (`wp.float64(0.5)`), since Warp types bare literals as float32/int32 and never promotes.
template <class T>
auto typed_lit(double v) {
    constexpr wtype w = T::value;
    if constexpr (w.scalar == scalar_kind::float32) return lit(v);
    else if constexpr (w.scalar == scalar_kind::int32) return lit(static_cast<long long>(v));
    else if constexpr (warpsynth::is_float(w.scalar))
        return scalar_constructor<w, "wp.float__"> {}(lit(v)), call_for<T>(lit(v));
    else return call_for<T>(lit(static_cast<long long>(v)));
}

}  // namespace warpsynth::categories::detail
