// warpsynth/eval/numeric.hpp — the number types the reference evaluator computes with.
//
// Every Warp operation is written once, as a template over a number type T (eval/ops.hpp), and instantiated with:
//
//   * `float`, `double`        float32 / float64 with IEEE semantics; float32 math calls the same libm functions
//                               Warp's native headers call (sinf, expf, powf, ...), so forward values are faithful
//                               to the operation, not merely close;
//   * `h16`                    float16 as Warp computes it on the CPU: every operation widens to float, computes,
//                               and rounds the result to binary16 (round to nearest even);
//   * `wint<I>`                an integer type I with C semantics: + - * wrap modulo 2^bits (two's complement),
//                               / and % truncate toward zero, >> of a negative value is arithmetic;
//   * `ad`                     a double with a dense tangent (forward-mode automatic differentiation): the local
//                               Jacobian of an operation at given inputs, used by both gradient engines.
//
// Nothing here depends on the wp:: runtime (include/warpsynth/runtime/): the evaluator is an independent model.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace warpsynth::eval {

// An evaluation error: the kernel does something the evaluator cannot or will not model (out-of-bounds index,
// integer division by zero, an unsupported construct). The message names the problem.
struct eval_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// --- float16 ---------------------------------------------------------------------------------------------------
// Round a float to the nearest binary16 value (ties to even), as a float. Independent of the runtime's bit code:
// the value is scaled by the binary16 quantum of its binade (a power of two, so exactly) and rounded with
// nearbyint (round-to-nearest-even in the default floating-point environment).
inline float round_to_half(float f) {
    if (!std::isfinite(f)) return f;
    double a = std::fabs(static_cast<double>(f));
    if (a == 0.0) return f;
    if (a >= 65520.0) return std::signbit(f) ? -std::numeric_limits<float>::infinity()
                                             : std::numeric_limits<float>::infinity();
    int e = std::ilogb(a);              // a in [2^e, 2^(e+1))
    int qe = e < -14 ? -24 : e - 10;    // subnormals share the quantum 2^-24
    double q = std::ldexp(1.0, qe);
    double r = std::nearbyint(a / q) * q;
    return static_cast<float>(std::signbit(f) ? -r : r);
}

struct h16 {
    float v = 0.0f;  // always a binary16 value
    h16() = default;
    explicit h16(double d) : v(round_to_half(static_cast<float>(d))) {}  // Warp: half(float(d)), two roundings
    explicit h16(float f) : v(round_to_half(f)) {}
    explicit h16(int i) : v(round_to_half(static_cast<float>(i))) {}
    static h16 raw(float f) {
        h16 h;
        h.v = f;
        return h;
    }
    explicit operator float() const { return v; }
    explicit operator double() const { return v; }
};
inline h16 operator+(h16 a, h16 b) { return h16(a.v + b.v); }
inline h16 operator-(h16 a, h16 b) { return h16(a.v - b.v); }
inline h16 operator*(h16 a, h16 b) { return h16(a.v * b.v); }
inline h16 operator/(h16 a, h16 b) { return h16(a.v / b.v); }
inline h16 operator-(h16 a) { return h16::raw(-a.v); }
inline h16& operator+=(h16& a, h16 b) { return a = a + b; }
inline h16& operator-=(h16& a, h16 b) { return a = a - b; }
inline bool operator<(h16 a, h16 b) { return a.v < b.v; }
inline bool operator<=(h16 a, h16 b) { return a.v <= b.v; }
inline bool operator>(h16 a, h16 b) { return a.v > b.v; }
inline bool operator>=(h16 a, h16 b) { return a.v >= b.v; }
inline bool operator==(h16 a, h16 b) { return a.v == b.v; }
inline bool operator!=(h16 a, h16 b) { return a.v != b.v; }

// --- integers with C semantics -------------------------------------------------------------------------------
template <class I>
struct wint {
    I v{};
    using U = std::make_unsigned_t<std::conditional_t<std::is_same_v<I, bool>, unsigned char, I>>;
    wint() = default;
    template <class X>
        requires std::is_arithmetic_v<X>
    explicit wint(X x) : v(static_cast<I>(x)) {}
};
template <class I> wint<I> mk_wint(std::uint64_t bits) { return wint<I>(static_cast<I>(bits)); }
template <class I> wint<I> operator+(wint<I> a, wint<I> b) {
    return mk_wint<I>(static_cast<std::uint64_t>(static_cast<typename wint<I>::U>(a.v) + static_cast<typename wint<I>::U>(b.v)));
}
template <class I> wint<I> operator-(wint<I> a, wint<I> b) {
    return mk_wint<I>(static_cast<std::uint64_t>(static_cast<typename wint<I>::U>(a.v) - static_cast<typename wint<I>::U>(b.v)));
}
template <class I> wint<I> operator*(wint<I> a, wint<I> b) {
    using U = typename wint<I>::U;
    using W = std::conditional_t<(sizeof(U) < sizeof(unsigned)), unsigned, U>;  // no promotion to signed int
    return mk_wint<I>(static_cast<std::uint64_t>(static_cast<U>(static_cast<W>(static_cast<U>(a.v)) * static_cast<W>(static_cast<U>(b.v)))));
}
template <class I> wint<I> operator/(wint<I> a, wint<I> b) {
    if (b.v == 0) throw eval_error("integer division by zero");
    if constexpr (std::is_signed_v<I>)
        if (b.v == -1) return wint<I>(I(0)) - a;  // INT_MIN / -1 wraps instead of trapping
    return wint<I>(static_cast<I>(a.v / b.v));
}
template <class I> wint<I> operator%(wint<I> a, wint<I> b) {
    if (b.v == 0) throw eval_error("integer modulo by zero");
    if constexpr (std::is_signed_v<I>)
        if (b.v == -1) return wint<I>(I(0));
    return wint<I>(static_cast<I>(a.v % b.v));
}
template <class I> wint<I> operator-(wint<I> a) { return wint<I>(I(0)) - a; }
template <class I> bool operator<(wint<I> a, wint<I> b) { return a.v < b.v; }
template <class I> bool operator<=(wint<I> a, wint<I> b) { return a.v <= b.v; }
template <class I> bool operator>(wint<I> a, wint<I> b) { return a.v > b.v; }
template <class I> bool operator>=(wint<I> a, wint<I> b) { return a.v >= b.v; }
template <class I> bool operator==(wint<I> a, wint<I> b) { return a.v == b.v; }
template <class I> bool operator!=(wint<I> a, wint<I> b) { return a.v != b.v; }
template <class I> wint<I>& operator+=(wint<I>& a, wint<I> b) { return a = a + b; }
template <class I> wint<I>& operator-=(wint<I>& a, wint<I> b) { return a = a - b; }

template <class T> struct is_wint : std::false_type {};
template <class I> struct is_wint<wint<I>> : std::true_type {};

// --- forward-mode dual numbers -------------------------------------------------------------------------------
// A double and its derivative with respect to up to `ad_slots` inputs (the components of a builtin's arguments:
// lerp of two mat44 and a scalar is the largest, 33).
inline constexpr int ad_slots = 40;

struct ad {
    double v = 0.0;
    std::array<double, ad_slots> d{};
    ad() = default;
    explicit ad(double x) : v(x) {}
    explicit ad(int x) : v(x) {}
    static ad seed(double x, int slot) {
        ad r(x);
        r.d[static_cast<std::size_t>(slot)] = 1.0;
        return r;
    }
    // f(x) with f'(x) = dv
    static ad chain(const ad& x, double value, double dv) {
        ad r(value);
        if (dv != 0.0)
            for (int k = 0; k < ad_slots; ++k) r.d[static_cast<std::size_t>(k)] = dv * x.d[static_cast<std::size_t>(k)];
        return r;
    }
    static ad chain2(const ad& a, const ad& b, double value, double da, double db) {
        ad r(value);
        for (int k = 0; k < ad_slots; ++k)
            r.d[static_cast<std::size_t>(k)] = da * a.d[static_cast<std::size_t>(k)] + db * b.d[static_cast<std::size_t>(k)];
        return r;
    }
    explicit operator double() const { return v; }
};
inline ad operator+(const ad& a, const ad& b) { return ad::chain2(a, b, a.v + b.v, 1.0, 1.0); }
inline ad operator-(const ad& a, const ad& b) { return ad::chain2(a, b, a.v - b.v, 1.0, -1.0); }
inline ad operator*(const ad& a, const ad& b) { return ad::chain2(a, b, a.v * b.v, b.v, a.v); }
inline ad operator/(const ad& a, const ad& b) { return ad::chain2(a, b, a.v / b.v, 1.0 / b.v, -a.v / (b.v * b.v)); }
inline ad operator-(const ad& a) { return ad::chain(a, -a.v, -1.0); }
inline ad& operator+=(ad& a, const ad& b) { return a = a + b; }
inline ad& operator-=(ad& a, const ad& b) { return a = a - b; }
inline bool operator<(const ad& a, const ad& b) { return a.v < b.v; }
inline bool operator<=(const ad& a, const ad& b) { return a.v <= b.v; }
inline bool operator>(const ad& a, const ad& b) { return a.v > b.v; }
inline bool operator>=(const ad& a, const ad& b) { return a.v >= b.v; }
inline bool operator==(const ad& a, const ad& b) { return a.v == b.v; }
inline bool operator!=(const ad& a, const ad& b) { return a.v != b.v; }

template <class T> inline constexpr bool is_floating_v =
    std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, h16> || std::is_same_v<T, ad>;

// The derivative conventions an `ad` evaluation follows where Warp's adjoint is not the mathematical derivative.
enum class rules : std::uint8_t {
    math,  // the derivative of the forward formula
    warp,  // Warp v1.16's adjoint functions (wp.frac: none; float `%`: d/db = 0)
};
inline thread_local rules ad_rules = rules::math;

// --- math functions, one overload set per number type ------------------------------------------------------------
// float: the float libm entry points Warp's builtin.h calls (sinf, ...); double: the double ones; h16: widen to
// float, compute, round; ad: value in double, derivative by the chain rule.
namespace num {
#define WS_FLOAT_FN(name, expr_f, expr_d)                                             \
    inline float name(float x) { return expr_f; }                                     \
    inline double name(double x) { return expr_d; }                                   \
    inline h16 name(h16 x) { return h16(name(x.v)); }
WS_FLOAT_FN(sin, std::sin(x), std::sin(x))
WS_FLOAT_FN(cos, std::cos(x), std::cos(x))
WS_FLOAT_FN(tan, std::tan(x), std::tan(x))
WS_FLOAT_FN(asin, std::asin(std::fmin(std::fmax(x, -1.0f), 1.0f)), std::asin(std::fmin(std::fmax(x, -1.0), 1.0)))
WS_FLOAT_FN(acos, std::acos(std::fmin(std::fmax(x, -1.0f), 1.0f)), std::acos(std::fmin(std::fmax(x, -1.0), 1.0)))
WS_FLOAT_FN(atan, std::atan(x), std::atan(x))
WS_FLOAT_FN(sinh, std::sinh(x), std::sinh(x))
WS_FLOAT_FN(cosh, std::cosh(x), std::cosh(x))
WS_FLOAT_FN(tanh, std::tanh(x), std::tanh(x))
WS_FLOAT_FN(sqrt, std::sqrt(x), std::sqrt(x))
WS_FLOAT_FN(cbrt, std::cbrt(x), std::cbrt(x))
WS_FLOAT_FN(exp, std::exp(x), std::exp(x))
WS_FLOAT_FN(log, std::log(x), std::log(x))
WS_FLOAT_FN(log2, std::log2(x), std::log2(x))
WS_FLOAT_FN(log10, std::log10(x), std::log10(x))
WS_FLOAT_FN(fabs, std::fabs(x), std::fabs(x))
WS_FLOAT_FN(floor, std::floor(x), std::floor(x))
WS_FLOAT_FN(ceil, std::ceil(x), std::ceil(x))
WS_FLOAT_FN(round, std::round(x), std::round(x))
WS_FLOAT_FN(trunc, std::trunc(x), std::trunc(x))
WS_FLOAT_FN(rint, std::rint(x), std::rint(x))
WS_FLOAT_FN(erf, std::erf(x), std::erf(x))
WS_FLOAT_FN(erfc, std::erfc(x), std::erfc(x))
#undef WS_FLOAT_FN
inline float atan2(float y, float x) { return std::atan2(y, x); }
inline double atan2(double y, double x) { return std::atan2(y, x); }
inline h16 atan2(h16 y, h16 x) { return h16(std::atan2(y.v, x.v)); }
inline float pow(float a, float b) { return std::pow(a, b); }
inline double pow(double a, double b) { return std::pow(a, b); }
inline h16 pow(h16 a, h16 b) { return h16(std::pow(a.v, b.v)); }
inline float fmod(float a, float b) { return std::fmod(a, b); }
inline double fmod(double a, double b) { return std::fmod(a, b); }
inline h16 fmod(h16 a, h16 b) { return h16(std::fmod(a.v, b.v)); }
inline float fma(float a, float b, float c) { return std::fma(a, b, c); }
inline float copysign(float a, float b) { return std::copysign(a, b); }
inline double copysign(double a, double b) { return std::copysign(a, b); }
inline h16 copysign(h16 a, h16 b) { return h16(std::copysign(a.v, b.v)); }

// ad
inline ad sin(const ad& x) { return ad::chain(x, std::sin(x.v), std::cos(x.v)); }
inline ad cos(const ad& x) { return ad::chain(x, std::cos(x.v), -std::sin(x.v)); }
inline ad tan(const ad& x) {
    double c = std::cos(x.v);
    return ad::chain(x, std::tan(x.v), 1.0 / (c * c));
}
inline ad asin(const ad& x) {
    double xc = std::fmin(std::fmax(x.v, -1.0), 1.0), d = std::sqrt(1.0 - x.v * x.v);
    return ad::chain(x, std::asin(xc), d > 0 ? 1.0 / d : 0.0);
}
inline ad acos(const ad& x) {
    double xc = std::fmin(std::fmax(x.v, -1.0), 1.0), d = std::sqrt(1.0 - x.v * x.v);
    return ad::chain(x, std::acos(xc), d > 0 ? -1.0 / d : 0.0);
}
inline ad atan(const ad& x) { return ad::chain(x, std::atan(x.v), 1.0 / (x.v * x.v + 1.0)); }
inline ad sinh(const ad& x) { return ad::chain(x, std::sinh(x.v), std::cosh(x.v)); }
inline ad cosh(const ad& x) { return ad::chain(x, std::cosh(x.v), std::sinh(x.v)); }
inline ad tanh(const ad& x) {
    double t = std::tanh(x.v);
    return ad::chain(x, t, 1.0 - t * t);
}
inline ad sqrt(const ad& x) {
    double s = std::sqrt(x.v);
    return ad::chain(x, s, 0.5 / s);
}
inline ad cbrt(const ad& x) {
    double c = std::cbrt(x.v);
    return ad::chain(x, c, 1.0 / (3.0 * c * c));
}
inline ad exp(const ad& x) {
    double e = std::exp(x.v);
    return ad::chain(x, e, e);
}
inline ad log(const ad& x) { return ad::chain(x, std::log(x.v), 1.0 / x.v); }
inline ad log2(const ad& x) { return ad::chain(x, std::log2(x.v), 1.0 / (x.v * std::log(2.0))); }
inline ad log10(const ad& x) { return ad::chain(x, std::log10(x.v), 1.0 / (x.v * std::log(10.0))); }
inline ad fabs(const ad& x) { return ad::chain(x, std::fabs(x.v), x.v < 0 ? -1.0 : 1.0); }
inline ad floor(const ad& x) { return ad(std::floor(x.v)); }
inline ad ceil(const ad& x) { return ad(std::ceil(x.v)); }
inline ad round(const ad& x) { return ad(std::round(x.v)); }
inline ad trunc(const ad& x) { return ad(std::trunc(x.v)); }
inline ad rint(const ad& x) { return ad(std::rint(x.v)); }
inline ad erf(const ad& x) { return ad::chain(x, std::erf(x.v), 1.1283791670955126 * std::exp(-x.v * x.v)); }
inline ad erfc(const ad& x) { return ad::chain(x, std::erfc(x.v), -1.1283791670955126 * std::exp(-x.v * x.v)); }
// copysign: d/dx = +-1 as the sign bits agree; d/dy = 0 almost everywhere (also Warp's adjoint)
inline ad copysign(const ad& x, const ad& y) {
    return ad::chain2(x, y, std::copysign(x.v, y.v), std::signbit(x.v) == std::signbit(y.v) ? 1.0 : -1.0, 0.0);
}
inline ad atan2(const ad& y, const ad& x) {
    double d = x.v * x.v + y.v * y.v;
    return ad::chain2(y, x, std::atan2(y.v, x.v), d > 0 ? x.v / d : 0.0, d > 0 ? -y.v / d : 0.0);
}
inline ad pow(const ad& a, const ad& b) {
    double r = std::pow(a.v, b.v);
    double da = b.v * std::pow(a.v, b.v - 1.0);
    bool b_varies = false;
    for (double x : b.d) b_varies = b_varies || x != 0.0;
    double db = b_varies ? std::log(a.v) * r : 0.0;
    return ad::chain2(a, b, r, da, db);
}
// fmod(a, b) = a - trunc(a / b) * b. Mathematically d/db = -trunc(a / b); Warp's adj_mod only passes d/da = 1.
inline ad fmod(const ad& a, const ad& b) {
    double db = ad_rules == rules::warp ? 0.0 : -std::trunc(a.v / b.v);
    return ad::chain2(a, b, std::fmod(a.v, b.v), 1.0, db);
}
inline ad fma(const ad& a, const ad& b, const ad& c) { return a * b + c; }
}  // namespace num

}  // namespace warpsynth::eval
