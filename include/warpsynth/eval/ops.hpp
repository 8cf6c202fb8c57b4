// warpsynth/eval/ops.hpp — Warp's operators and builtins on host values, with their local Jacobians.
//
// `compute<T>` implements every value-producing operation of the DSL (binary operators, unary minus/invert, the
// math and vector/matrix/quaternion/transform builtins, composite constructors) once, as a template over the number
// type (eval/numeric.hpp). The formulas and their evaluation order follow Warp v1.16's native headers
// (builtin.h, vec.h, mat.h, quat.h, spatial.h): e.g. mat*vec accumulates columns, mat*mat uses fmaf for float32,
// normalize returns zero (vectors) or the identity quaternion below length 0, sign(0) = 1, step(x) = 1 for x < 0,
// integer // and % truncate like C, float % is fmod and float // is floor(a / b), min/max follow C fmin/fmax.
//
// `evaluate` runs it on `value`s in the dtype's own arithmetic; `jacobian` runs it on `ad` numbers, giving the
// local Jacobian d(result components)/d(argument components) at the given arguments (double precision), under the
// mathematical rules or Warp's adjoint conventions (`rules`); for the builtins whose Warp adjoint reads the primal
// output instead of recomputing it (sqrt, exp, scalar /, normalize, inverse, ...), `warp_output_jacobian` applies
// Warp's own formula to a given output value (that is what Warp's backward does when the output variable has been
// overwritten by a dynamic loop's replay).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "warpsynth/builtins/catalog.hpp"
#include "warpsynth/eval/numeric.hpp"
#include "warpsynth/eval/value.hpp"
#include "warpsynth/syntax/tree.hpp"

namespace warpsynth::eval {

// One operation: what to compute and the types involved.
struct opdesc {
    enum class kind : std::uint8_t { binop, unary, call };
    kind k = kind::call;
    syntax::op oper = syntax::op::none;  // binop / unary (usub, invert)
    builtins::fn f = builtins::fn::none;  // call
    wtype result{};
    std::array<wtype, 10> args{};
    int nargs = 0;

    // `a <o> b` of type `result`.
    static opdesc binop(syntax::op o, wtype result, wtype a, wtype b) {
        opdesc d;
        d.k = kind::binop;
        d.oper = o;
        d.result = result;
        d.args[0] = a;
        d.args[1] = b;
        d.nargs = 2;
        return d;
    }
};

namespace ops_detail {

template <class T> T lit(double x) {
    if constexpr (is_wint<T>::value) return T(static_cast<decltype(T{}.v)>(x));
    else if constexpr (std::is_same_v<T, h16>) return h16(x);
    else return T(x);
}

template <class T> T t_min(const T& a, const T& b) {
    if constexpr (is_floating_v<T>) {
        // C fmin on the host: (a <= b) ? a : ((b == b) ? b : a); the adjoint's tie goes to b (a < b -> a)
        if constexpr (std::is_same_v<T, ad>) return a.v < b.v ? a : (b.v == b.v ? b : a);
        else return (a <= b) ? a : ((b == b) ? b : a);
    } else {
        return a < b ? a : b;
    }
}
template <class T> T t_max(const T& a, const T& b) {
    if constexpr (is_floating_v<T>) {
        if constexpr (std::is_same_v<T, ad>) return a.v > b.v ? a : (b.v == b.v ? b : a);
        else return (a >= b) ? a : ((b == b) ? b : a);
    } else {
        return a > b ? a : b;
    }
}

template <class T> T t_abs(const T& x) {
    if constexpr (is_floating_v<T>) return num::fabs(x);
    else if constexpr (std::is_signed_v<decltype(T{}.v)>) return x < lit<T>(0) ? -x : x;
    else return x;
}

// sum_{k} a[k] * b[k] accumulated from zero, left to right
template <class T> T t_dot(const T* a, const T* b, int n) {
    T r = lit<T>(0);
    for (int k = 0; k < n; ++k) r += a[k] * b[k];
    return r;
}

template <class T> T muladd(const T& a, const T& b, const T& c) {
    if constexpr (std::is_same_v<T, float>) return num::fma(a, b, c);  // Warp: muladd<float> = fmaf
    else return c + a * b;
}

template <class T> void quat_rotate(const T* q, const T* x, T* r, bool inverse) {
    T two = lit<T>(2), one = lit<T>(1);
    T c = two * q[3] * q[3] - one;
    T d = two * (q[0] * x[0] + q[1] * x[1] + q[2] * x[2]);
    T s0 = (q[1] * x[2] - q[2] * x[1]) * q[3] * two;
    T s1 = (q[2] * x[0] - q[0] * x[2]) * q[3] * two;
    T s2 = (q[0] * x[1] - q[1] * x[0]) * q[3] * two;
    if (!inverse) {
        r[0] = x[0] * c + q[0] * d + s0;
        r[1] = x[1] * c + q[1] * d + s1;
        r[2] = x[2] * c + q[2] * d + s2;
    } else {
        r[0] = x[0] * c + q[0] * d - s0;
        r[1] = x[1] * c + q[1] * d - s1;
        r[2] = x[2] * c + q[2] * d - s2;
    }
}

template <class T> void quat_mul(const T* a, const T* b, T* r) {
    // quat.h mul(a, b), components (x, y, z, w)
    r[0] = a[3] * b[0] + b[3] * a[0] + a[1] * b[2] - b[1] * a[2];
    r[1] = a[3] * b[1] + b[3] * a[1] + a[2] * b[0] - b[2] * a[0];
    r[2] = a[3] * b[2] + b[3] * a[2] + a[0] * b[1] - b[0] * a[1];
    r[3] = a[3] * b[3] - a[0] * b[0] - a[1] * b[1] - a[2] * b[2];
}

template <class T> T determinant(const T* m, int n) {
    auto at = [&](int i, int j) { return m[i * n + j]; };
    if (n == 2) return at(0, 0) * at(1, 1) - at(1, 0) * at(0, 1);
    if (n == 3) {
        T c0 = at(1, 1) * at(2, 2) - at(1, 2) * at(2, 1);
        T c1 = at(1, 2) * at(2, 0) - at(1, 0) * at(2, 2);
        T c2 = at(1, 0) * at(2, 1) - at(1, 1) * at(2, 0);
        T r = lit<T>(0);
        r += at(0, 0) * c0;
        r += at(0, 1) * c1;
        r += at(0, 2) * c2;
        return r;
    }
    // 4x4 (USD's formula as in mat.h: 2x2 minors in double for float types)
    using D = std::conditional_t<std::is_same_v<T, float> || std::is_same_v<T, h16>, double, T>;
    auto dd = [](const T& x) -> D {
        if constexpr (std::is_same_v<D, T>) return x;
        else return static_cast<double>(static_cast<float>(x));
    };
    auto back = [](const D& x) -> T {
        if constexpr (std::is_same_v<D, T>) return x;
        else return T(static_cast<float>(x));
    };
    T x00 = at(0, 0), x01 = at(0, 1), x10 = at(1, 0), x11 = at(1, 1), x20 = at(2, 0), x21 = at(2, 1), x30 = at(3, 0),
      x31 = at(3, 1);
    T x02 = at(0, 2), x03 = at(0, 3), x12 = at(1, 2), x13 = at(1, 3), x22 = at(2, 2), x23 = at(2, 3), x32 = at(3, 2),
      x33 = at(3, 3);
    D y01 = dd(x02 * x13 - x12 * x03), y02 = dd(x02 * x23 - x22 * x03), y03 = dd(x02 * x33 - x32 * x03);
    D y12 = dd(x12 * x23 - x22 * x13), y13 = dd(x12 * x33 - x32 * x13), y23 = dd(x22 * x33 - x32 * x23);
    T z30 = back(dd(x11) * y02 - dd(x21) * y01 - dd(x01) * y12);
    T z20 = back(dd(x01) * y13 - dd(x11) * y03 + dd(x31) * y01);
    T z10 = back(dd(x21) * y03 - dd(x31) * y02 - dd(x01) * y23);
    T z00 = back(dd(x11) * y23 - dd(x21) * y13 + dd(x31) * y12);
    // `double det = x30 * z30 + ...`: the products and sums are in Type, the result widened
    D det = dd(x30 * z30 + x20 * z20 + x10 * z10 + x00 * z00);
    return back(det);
}

template <class T> bool inverse(const T* m, int n, T* r) {
    auto at = [&](int i, int j) { return m[i * n + j]; };
    if (n == 2) {
        T det = determinant(m, 2);
        if (!(det > lit<T>(0) || det < lit<T>(0))) return false;
        T rcp = lit<T>(1) / det;
        r[0] = at(1, 1) * rcp;
        r[1] = -at(0, 1) * rcp;
        r[2] = -at(1, 0) * rcp;
        r[3] = at(0, 0) * rcp;
        return true;
    }
    if (n == 3) {
        T det = determinant(m, 3);
        if (det == lit<T>(0)) return false;
        T b[9];
        b[0 * 3 + 0] = at(1, 1) * at(2, 2) - at(1, 2) * at(2, 1);
        b[1 * 3 + 0] = at(1, 2) * at(2, 0) - at(1, 0) * at(2, 2);
        b[2 * 3 + 0] = at(1, 0) * at(2, 1) - at(1, 1) * at(2, 0);
        b[0 * 3 + 1] = at(0, 2) * at(2, 1) - at(0, 1) * at(2, 2);
        b[1 * 3 + 1] = at(0, 0) * at(2, 2) - at(0, 2) * at(2, 0);
        b[2 * 3 + 1] = at(0, 1) * at(2, 0) - at(0, 0) * at(2, 1);
        b[0 * 3 + 2] = at(0, 1) * at(1, 2) - at(0, 2) * at(1, 1);
        b[1 * 3 + 2] = at(0, 2) * at(1, 0) - at(0, 0) * at(1, 2);
        b[2 * 3 + 2] = at(0, 0) * at(1, 1) - at(0, 1) * at(1, 0);
        T rcp = lit<T>(1) / det;
        for (int k = 0; k < 9; ++k) r[k] = b[k] * rcp;
        return true;
    }
    using D = std::conditional_t<std::is_same_v<T, float> || std::is_same_v<T, h16>, double, T>;
    auto dd = [](const T& x) -> D {
        if constexpr (std::is_same_v<D, T>) return x;
        else return static_cast<double>(static_cast<float>(x));
    };
    auto back = [](const D& x) -> T {
        if constexpr (std::is_same_v<D, T>) return x;
        else return T(static_cast<float>(x));
    };
    T x00 = at(0, 0), x01 = at(0, 1), x10 = at(1, 0), x11 = at(1, 1), x20 = at(2, 0), x21 = at(2, 1), x30 = at(3, 0),
      x31 = at(3, 1);
    D y01 = dd(x00 * x11 - x10 * x01), y02 = dd(x00 * x21 - x20 * x01), y03 = dd(x00 * x31 - x30 * x01);
    D y12 = dd(x10 * x21 - x20 * x11), y13 = dd(x10 * x31 - x30 * x11), y23 = dd(x20 * x31 - x30 * x21);
    T x02 = at(0, 2), x03 = at(0, 3), x12 = at(1, 2), x13 = at(1, 3), x22 = at(2, 2), x23 = at(2, 3), x32 = at(3, 2),
      x33 = at(3, 3);
    D z33 = dd(x02) * y12 - dd(x12) * y02 + dd(x22) * y01;
    D z23 = dd(x12) * y03 - dd(x32) * y01 - dd(x02) * y13;
    D z13 = dd(x02) * y23 - dd(x22) * y03 + dd(x32) * y02;
    D z03 = dd(x22) * y13 - dd(x32) * y12 - dd(x12) * y23;
    D z32 = dd(x13) * y02 - dd(x23) * y01 - dd(x03) * y12;
    D z22 = dd(x03) * y13 - dd(x13) * y03 + dd(x33) * y01;
    D z12 = dd(x23) * y03 - dd(x33) * y02 - dd(x03) * y23;
    D z02 = dd(x13) * y23 - dd(x23) * y13 + dd(x33) * y12;
    y01 = dd(x02 * x13 - x12 * x03);
    y02 = dd(x02 * x23 - x22 * x03);
    y03 = dd(x02 * x33 - x32 * x03);
    y12 = dd(x12 * x23 - x22 * x13);
    y13 = dd(x12 * x33 - x32 * x13);
    y23 = dd(x22 * x33 - x32 * x23);
    T z30 = back(dd(x11) * y02 - dd(x21) * y01 - dd(x01) * y12);
    T z20 = back(dd(x01) * y13 - dd(x11) * y03 + dd(x31) * y01);
    T z10 = back(dd(x21) * y03 - dd(x31) * y02 - dd(x01) * y23);
    T z00 = back(dd(x11) * y23 - dd(x21) * y13 + dd(x31) * y12);
    T z31 = back(dd(x00) * y12 - dd(x10) * y02 + dd(x20) * y01);
    T z21 = back(dd(x10) * y03 - dd(x30) * y01 - dd(x00) * y13);
    T z11 = back(dd(x00) * y23 - dd(x20) * y03 + dd(x30) * y02);
    T z01 = back(dd(x20) * y13 - dd(x30) * y12 - dd(x10) * y23);
    D det = dd(x30 * z30 + x20 * z20 + x10 * z10 + x00 * z00);
    if (!(det > D(0.0) || det < D(0.0))) return false;
    D rcp = D(1.0) / det;
    auto set = [&](int i, int j, const D& z) { r[i * 4 + j] = back(z * rcp); };
    set(0, 0, dd(z00)); set(0, 1, dd(z10)); set(1, 0, dd(z01)); set(0, 2, dd(z20)); set(2, 0, z02);
    set(0, 3, dd(z30)); set(3, 0, z03); set(1, 1, dd(z11)); set(1, 2, dd(z21)); set(2, 1, z12);
    set(1, 3, dd(z31)); set(3, 1, z13); set(2, 2, z22); set(2, 3, z32); set(3, 2, z23); set(3, 3, z33);
    return true;
}

[[noreturn]] inline void unsupported(const std::string& what) { throw eval_error("evaluator: unsupported " + what); }

// x < 0, spelled so that unsigned instantiations do not warn about a pointless comparison.
template <class I>
constexpr bool negative(I x) {
    if constexpr (std::is_signed_v<I>) return x < 0;
    else return false;
}

template <class T>
void binop(syntax::op o, const wtype& ta, const T* a, const wtype& tb, const T* b, const wtype& tr, T* r) {
    using syntax::op;
    const int n = components(tr);
    const bool sa = ta.is_scalar(), sb = tb.is_scalar();
    switch (o) {
    case op::add:
        for (int k = 0; k < n; ++k) r[k] = a[k] + b[k];
        return;
    case op::sub:
        for (int k = 0; k < n; ++k) r[k] = a[k] - b[k];
        return;
    case op::mul:
    case op::matmul:
        if (sa && sb) {
            r[0] = a[0] * b[0];
        } else if (sa) {
            for (int k = 0; k < n; ++k) r[k] = b[k] * a[0];
        } else if (sb) {
            for (int k = 0; k < n; ++k) r[k] = a[k] * b[0];
        } else if (ta.kind == type_kind::matrix && tb.kind == type_kind::vector) {
            // r = col(0) * b[0]; r += col(j) * b[j]
            for (int i = 0; i < ta.rows; ++i) r[i] = a[i * ta.cols] * b[0];
            for (int j = 1; j < ta.cols; ++j)
                for (int i = 0; i < ta.rows; ++i) r[i] = r[i] + a[i * ta.cols + j] * b[j];
        } else if (ta.kind == type_kind::vector && tb.kind == type_kind::matrix) {
            for (int j = 0; j < tb.cols; ++j) r[j] = b[j] * a[0];
            for (int i = 1; i < tb.rows; ++i)
                for (int j = 0; j < tb.cols; ++j) r[j] = r[j] + b[i * tb.cols + j] * a[i];
        } else if (ta.kind == type_kind::matrix && tb.kind == type_kind::matrix) {
            for (int i = 0; i < ta.rows; ++i)
                for (int j = 0; j < tb.cols; ++j) {
                    T s = lit<T>(0);
                    for (int k = 0; k < ta.cols; ++k) s = muladd(a[i * ta.cols + k], b[k * tb.cols + j], s);
                    r[i * tb.cols + j] = s;
                }
        } else if (ta.kind == type_kind::quaternion && tb.kind == type_kind::quaternion) {
            quat_mul(a, b, r);
        } else if (ta.kind == type_kind::transform && tb.kind == type_kind::transform) {
            // transform_multiply(a, b) = (quat_rotate(a.q, b.p) + a.p, a.q * b.q)
            T p[3];
            quat_rotate(a + 3, b, p, false);
            for (int k = 0; k < 3; ++k) r[k] = p[k] + a[k];
            quat_mul(a + 3, b + 3, r + 3);
        } else {
            unsupported("product " + type_name(ta) + " * " + type_name(tb));
        }
        return;
    case op::div:
        if (sb) {
            for (int k = 0; k < n; ++k) r[k] = a[k] / b[0];
        } else if (sa) {
            for (int k = 0; k < n; ++k) r[k] = a[0] / b[k];
        } else {
            unsupported("division " + type_name(ta) + " / " + type_name(tb));
        }
        return;
    case op::mod:
        if constexpr (is_wint<T>::value) r[0] = a[0] % b[0];
        else r[0] = num::fmod(a[0], b[0]);
        return;
    case op::floordiv:
        if constexpr (is_wint<T>::value) r[0] = a[0] / b[0];  // Warp: integer floordiv is C division
        else r[0] = num::floor(a[0] / b[0]);
        return;
    case op::pow:
        if constexpr (is_floating_v<T>) r[0] = num::pow(a[0], b[0]);
        else unsupported("integer **");
        return;
    case op::bit_and: case op::bit_or: case op::bit_xor: case op::lshift: case op::rshift:
        if constexpr (is_wint<T>::value) {
            using I = decltype(T{}.v);
            I x = a[0].v, y = b[0].v;
            if ((o == op::lshift || o == op::rshift) && (negative(y) || static_cast<long long>(y) >= static_cast<long long>(8 * sizeof(I) > 32 ? 8 * sizeof(I) : 32)))
                throw eval_error("shift count out of range (undefined behaviour in C)");
            if (o == op::lshift && negative(x))
                throw eval_error("left shift of a negative value (undefined behaviour in C++17)");
            switch (o) {
            case op::bit_and: r[0] = T(static_cast<I>(x & y)); break;
            case op::bit_or: r[0] = T(static_cast<I>(x | y)); break;
            case op::bit_xor: r[0] = T(static_cast<I>(x ^ y)); break;
            case op::lshift: r[0] = T(static_cast<I>(static_cast<std::uint64_t>(x) << static_cast<int>(y))); break;
            default: r[0] = T(static_cast<I>(x >> y)); break;
            }
        } else {
            unsupported("bitwise operator on floats");
        }
        return;
    default: unsupported("binary operator");
    }
}

template <class T>
void builtin(builtins::fn f, const opdesc& d, const T* const* a, T* r) {
    using builtins::fn;
    const wtype& t0 = d.args[0];
    const int n = components(d.result);
    auto scalar1 = [&](auto&& g) {
        if constexpr (is_floating_v<T>) r[0] = g(a[0][0]);
        else unsupported("math builtin on integers");
    };
    switch (f) {
    case fn::sin: return scalar1([](const auto& x) { return num::sin(x); });
    case fn::cos: return scalar1([](const auto& x) { return num::cos(x); });
    case fn::tan: return scalar1([](const auto& x) { return num::tan(x); });
    case fn::asin: return scalar1([](const auto& x) { return num::asin(x); });
    case fn::acos: return scalar1([](const auto& x) { return num::acos(x); });
    case fn::atan: return scalar1([](const auto& x) { return num::atan(x); });
    case fn::sinh: return scalar1([](const auto& x) { return num::sinh(x); });
    case fn::cosh: return scalar1([](const auto& x) { return num::cosh(x); });
    case fn::tanh: return scalar1([](const auto& x) { return num::tanh(x); });
    case fn::sqrt: return scalar1([](const auto& x) { return num::sqrt(x); });
    case fn::cbrt: return scalar1([](const auto& x) { return num::cbrt(x); });
    case fn::exp: return scalar1([](const auto& x) { return num::exp(x); });
    case fn::log: return scalar1([](const auto& x) { return num::log(x); });
    case fn::log2: return scalar1([](const auto& x) { return num::log2(x); });
    case fn::log10: return scalar1([](const auto& x) { return num::log10(x); });
    case fn::floor: return scalar1([](const auto& x) { return num::floor(x); });
    case fn::ceil: return scalar1([](const auto& x) { return num::ceil(x); });
    case fn::round: return scalar1([](const auto& x) { return num::round(x); });
    case fn::rint: return scalar1([](const auto& x) { return num::rint(x); });
    case fn::erf: return scalar1([](const auto& x) { return num::erf(x); });
    case fn::erfc: return scalar1([](const auto& x) { return num::erfc(x); });
    case fn::copysign:
        if constexpr (is_floating_v<T>) r[0] = num::copysign(a[0][0], a[1][0]);
        else unsupported("copysign on integers");
        return;
    case fn::trunc: return scalar1([](const auto& x) { return num::trunc(x); });
    case fn::degrees:
    case fn::radians: {
        // Warp: x * RAD_TO_DEG (a double constant): the product is formed in double, then rounded to the float type
        // (float16 through float32, two roundings, as h16(double) does)
        const double k = f == fn::degrees ? 57.29577951308232087679 : 0.01745329251994329577;
        return scalar1([k](const auto& x) -> T {
            if constexpr (std::is_same_v<T, ad>) return x * ad(k);
            else return T(static_cast<double>(x) * k);
        });
    }
    case fn::frac:
        return scalar1([](const auto& x) -> T {
            if constexpr (std::is_same_v<T, ad>) {
                // Warp registers frac as non-differentiable: its backward has no adjoint call at all
                if (ad_rules == rules::warp) return ad(x.v - std::trunc(x.v));
            }
            return x - num::trunc(x);
        });
    case fn::sign:
        for (int k = 0; k < n; ++k) r[k] = a[0][k] < lit<T>(0) ? lit<T>(-1) : lit<T>(1);
        return;
    case fn::step:
        for (int k = 0; k < n; ++k) r[k] = a[0][k] < lit<T>(0) ? lit<T>(1) : lit<T>(0);
        return;
    case fn::abs:
        for (int k = 0; k < n; ++k) r[k] = t_abs(a[0][k]);
        return;
    case fn::min:
        for (int k = 0; k < n; ++k) r[k] = t_min(a[0][k], a[1][k]);
        return;
    case fn::max:
        for (int k = 0; k < n; ++k) r[k] = t_max(a[0][k], a[1][k]);
        return;
    case fn::clamp:
        r[0] = t_min(t_max(a[1][0], a[0][0]), a[2][0]);
        return;
    case fn::atan2:
        if constexpr (is_floating_v<T>) r[0] = num::atan2(a[0][0], a[1][0]);
        else unsupported("atan2 on integers");
        return;
    case fn::pow:
    case fn::pow_op:
        if constexpr (is_floating_v<T>) r[0] = num::pow(a[0][0], a[1][0]);
        else unsupported("pow on integers");
        return;
    case fn::smoothstep: {
        // x = clamp((x - e0) / (e1 - e0), 0, 1); x * x * (3 - 2 * x)
        T x = t_min(t_max(lit<T>(0), (a[2][0] - a[0][0]) / (a[1][0] - a[0][0])), lit<T>(1));
        r[0] = x * x * (lit<T>(3) - lit<T>(2) * x);
        return;
    }
    case fn::where:  // the condition (bool or integer) is the first argument, converted to T
        for (int k = 0; k < n; ++k) r[k] = (a[0][0] < lit<T>(0) || lit<T>(0) < a[0][0]) ? a[1][k] : a[2][k];
        return;
    case fn::lerp: {
        const T& t = a[2][0];
        for (int k = 0; k < n; ++k) r[k] = a[0][k] * (lit<T>(1) - t) + a[1][k] * t;
        return;
    }
    case fn::dot: r[0] = t_dot(a[0], a[1], components(t0)); return;
    case fn::cross:
        r[0] = a[0][1] * a[1][2] - a[0][2] * a[1][1];
        r[1] = a[0][2] * a[1][0] - a[0][0] * a[1][2];
        r[2] = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        return;
    case fn::length_sq: r[0] = t_dot(a[0], a[0], components(t0)); return;
    case fn::length:
        if constexpr (is_floating_v<T>) r[0] = num::sqrt(t_dot(a[0], a[0], components(t0)));
        else unsupported("length of an integer vector");
        return;
    case fn::normalize:
        if constexpr (is_floating_v<T>) {
            int m = components(t0);
            T l = num::sqrt(t_dot(a[0], a[0], m));
            if (t0.kind == type_kind::quaternion) {
                if (l > lit<T>(0)) {
                    T inv = lit<T>(1) / l;
                    for (int k = 0; k < 4; ++k) r[k] = a[0][k] * inv;
                } else {
                    for (int k = 0; k < 3; ++k) r[k] = lit<T>(0);
                    r[3] = lit<T>(1);
                }
            } else {
                for (int k = 0; k < m; ++k) r[k] = l > lit<T>(0) ? a[0][k] / l : lit<T>(0);
            }
        } else {
            unsupported("normalize of an integer vector");
        }
        return;
    case fn::outer: {
        const wtype& t1 = d.args[1];
        for (int i = 0; i < t0.rows; ++i)
            for (int j = 0; j < t1.rows; ++j) r[i * t1.rows + j] = a[0][i] * a[1][j];
        return;
    }
    case fn::cw_mul:
        for (int k = 0; k < n; ++k) r[k] = a[0][k] * a[1][k];
        return;
    case fn::cw_div:
        for (int k = 0; k < n; ++k) r[k] = a[0][k] / a[1][k];
        return;
    case fn::transpose:
        for (int i = 0; i < t0.rows; ++i)
            for (int j = 0; j < t0.cols; ++j) r[j * t0.rows + i] = a[0][i * t0.cols + j];
        return;
    case fn::determinant: r[0] = determinant(a[0], t0.rows); return;
    case fn::trace: {
        T s = a[0][0];
        for (int i = 1; i < t0.rows; ++i) s += a[0][i * t0.cols + i];
        r[0] = s;
        return;
    }
    case fn::inverse:
        if constexpr (is_floating_v<T>) {
            if (!inverse(a[0], t0.rows, r))
                for (int k = 0; k < n; ++k) r[k] = lit<T>(0);
        } else {
            unsupported("inverse of an integer matrix");
        }
        return;
    case fn::diag:
        for (int k = 0; k < n; ++k) r[k] = lit<T>(0);
        for (int i = 0; i < t0.rows; ++i) r[i * t0.rows + i] = a[0][i];
        return;
    case fn::identity:
        for (int i = 0; i < d.result.rows; ++i)
            for (int j = 0; j < d.result.cols; ++j) r[i * d.result.cols + j] = lit<T>(i == j ? 1 : 0);
        return;
    case fn::quat_rotate: quat_rotate(a[0], a[1], r, false); return;
    case fn::quat_rotate_inv: quat_rotate(a[0], a[1], r, true); return;
    case fn::quat_from_axis_angle:
        if constexpr (is_floating_v<T>) {
            T half = a[1][0] * lit<T>(0.5);
            T w = num::cos(half), s = num::sin(half);
            for (int k = 0; k < 3; ++k) r[k] = a[0][k] * s;
            r[3] = w;
        } else {
            unsupported("integer quaternion");
        }
        return;
    case fn::quat_inverse:  // the conjugate
        for (int k = 0; k < 3; ++k) r[k] = -a[0][k];
        r[3] = a[0][3];
        return;
    case fn::quat_to_matrix:  // column j = quat_rotate(q, e_j)
        for (int j = 0; j < 3; ++j) {
            T e[3] = {lit<T>(0), lit<T>(0), lit<T>(0)}, col[3];
            e[j] = lit<T>(1);
            quat_rotate(a[0], e, col, false);
            for (int i = 0; i < 3; ++i) r[i * 3 + j] = col[i];
        }
        return;
    case fn::transform_inverse: {  // (-quat_rotate(q*, p), q*) with q* the conjugate
        T qi[4] = {-a[0][3], -a[0][4], -a[0][5], a[0][6]}, p[3];
        quat_rotate(qi, a[0], p, false);
        for (int k = 0; k < 3; ++k) r[k] = -p[k];
        for (int k = 0; k < 4; ++k) r[3 + k] = qi[k];
        return;
    }
    case fn::transform_get_translation:
        for (int k = 0; k < 3; ++k) r[k] = a[0][k];
        return;
    case fn::transform_get_rotation:
        for (int k = 0; k < 4; ++k) r[k] = a[0][3 + k];
        return;
    case fn::transform_vector: quat_rotate(a[0] + 3, a[1], r, false); return;
    case fn::transform_point: {
        T v[3];
        quat_rotate(a[0] + 3, a[1], v, false);
        for (int k = 0; k < 3; ++k) r[k] = a[0][k] + v[k];
        return;
    }
    case fn::construct_vector:
    case fn::construct_matrix:
    case fn::construct_quat:
        if (d.nargs == 0) {
            for (int k = 0; k < n; ++k) r[k] = lit<T>(0);
        } else if (d.nargs == 1 && f == fn::construct_quat) {
            r[0] = a[0][0];  // quat_t(x, y = 0, z = 0, w = 0)
            for (int k = 1; k < 4; ++k) r[k] = lit<T>(0);
        } else if (d.nargs == 1) {
            for (int k = 0; k < n; ++k) r[k] = a[0][0];
        } else {
            for (int k = 0; k < n; ++k) r[k] = a[k][0];
        }
        return;
    case fn::construct_transform:
        for (int k = 0; k < 3; ++k) r[k] = a[0][k];
        for (int k = 0; k < 4; ++k) r[3 + k] = a[1][k];
        return;
    default: unsupported(std::string("builtin wp.") + std::string(builtins::key(f)));
    }
}

template <class T>
void compute(const opdesc& d, const T* const* a, T* r) {
    switch (d.k) {
    case opdesc::kind::binop: binop(d.oper, d.args[0], a[0], d.args[1], a[1], d.result, r); return;
    case opdesc::kind::unary: {
        int n = components(d.result);
        if (d.oper == syntax::op::usub) {
            for (int k = 0; k < n; ++k) r[k] = -a[0][k];
        } else if (d.oper == syntax::op::invert) {
            if constexpr (is_wint<T>::value) {
                using I = decltype(T{}.v);
                r[0] = T(static_cast<I>(~a[0][0].v));
            } else {
                unsupported("~ on floats");
            }
        } else {
            unsupported("unary operator");
        }
        return;
    }
    case opdesc::kind::call: builtin(d.f, d, a, r); return;
    }
}

// value <-> number type
template <class T> T to_num(const value& v, int k) {
    if constexpr (is_wint<T>::value) {
        using I = decltype(T{}.v);
        return T(static_cast<I>(v.i[static_cast<std::size_t>(k)]));
    } else if constexpr (std::is_same_v<T, h16>) {
        return h16::raw(static_cast<float>(v.f[static_cast<std::size_t>(k)]));
    } else {
        return T(v.f[static_cast<std::size_t>(k)]);
    }
}
template <class T> void from_num(const T& x, value& v, int k) {
    if constexpr (is_wint<T>::value) v.i[static_cast<std::size_t>(k)] = wrap_int(v.type.scalar, static_cast<std::int64_t>(x.v));
    else if constexpr (std::is_same_v<T, h16>) v.f[static_cast<std::size_t>(k)] = x.v;
    else v.f[static_cast<std::size_t>(k)] = static_cast<double>(x);
}

template <class T> value run_typed(const opdesc& d, std::span<const value* const> args) {
    std::array<std::array<T, 16>, 10> in{};
    std::array<const T*, 10> ptr{};
    for (int k = 0; k < d.nargs; ++k) {
        const value& v = *args[static_cast<std::size_t>(k)];
        if (k == 0 && d.k == opdesc::kind::call && d.f == builtins::fn::where) {
            in[0][0] = lit<T>(v.truth() ? 1.0 : 0.0);  // wp.where's condition, bool or any integer type
        } else {
            for (int j = 0; j < v.n; ++j) in[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)] = to_num<T>(v, j);
        }
        ptr[static_cast<std::size_t>(k)] = in[static_cast<std::size_t>(k)].data();
    }
    std::array<T, 16> out{};
    compute<T>(d, ptr.data(), out.data());
    value r = value::of(d.result);
    for (int j = 0; j < r.n; ++j) from_num(out[static_cast<std::size_t>(j)], r, j);
    return r;
}

}  // namespace ops_detail

// The result of an operation in the dtype's arithmetic.
inline value evaluate(const opdesc& d, std::span<const value* const> args) {
    using namespace ops_detail;
    // the arithmetic type: the result's scalar kind, or (comparisons aside, which are not ops here) the arguments'
    scalar_kind s = d.result.scalar;
    switch (s) {
    case scalar_kind::float16: return run_typed<h16>(d, args);
    case scalar_kind::float32: return run_typed<float>(d, args);
    case scalar_kind::float64: return run_typed<double>(d, args);
    case scalar_kind::int8: return run_typed<wint<std::int8_t>>(d, args);
    case scalar_kind::int16: return run_typed<wint<std::int16_t>>(d, args);
    case scalar_kind::int32: return run_typed<wint<std::int32_t>>(d, args);
    case scalar_kind::int64: return run_typed<wint<std::int64_t>>(d, args);
    case scalar_kind::uint8: return run_typed<wint<std::uint8_t>>(d, args);
    case scalar_kind::uint16: return run_typed<wint<std::uint16_t>>(d, args);
    case scalar_kind::uint32: return run_typed<wint<std::uint32_t>>(d, args);
    case scalar_kind::uint64: return run_typed<wint<std::uint64_t>>(d, args);
    default: unsupported("operation producing " + type_name(d.result));
    }
}

// A dense local Jacobian: rows = result components, columns = the argument components in order (`offset[k]` is
// the first column of argument k; integer arguments take no columns).
struct jacobian_t {
    int rows = 0, cols = 0;
    std::array<int, 11> offset{};
    std::array<double, 16 * ad_slots> j{};
    double& at(int r, int c) { return j[static_cast<std::size_t>(r * ad_slots + c)]; }
    double at(int r, int c) const { return j[static_cast<std::size_t>(r * ad_slots + c)]; }
};

// d(result)/d(args) at `args`, computed in double with forward-mode dual numbers through the same formulas.
inline jacobian_t jacobian(const opdesc& d, std::span<const value* const> args, rules rule) {
    jacobian_t J;
    J.rows = components(d.result);
    std::array<std::array<ad, 16>, 10> in{};
    std::array<const ad*, 10> ptr{};
    int slot = 0;
    for (int k = 0; k < d.nargs; ++k) {
        const value& v = *args[static_cast<std::size_t>(k)];
        J.offset[static_cast<std::size_t>(k)] = slot;
        for (int c = 0; c < v.n; ++c) {
            auto& x = in[static_cast<std::size_t>(k)][static_cast<std::size_t>(c)];
            if (v.is_float()) x = ad::seed(v.f[static_cast<std::size_t>(c)], slot++);
            else x = ad(v.as_double(c));
        }
        ptr[static_cast<std::size_t>(k)] = in[static_cast<std::size_t>(k)].data();
    }
    J.offset[static_cast<std::size_t>(d.nargs)] = slot;
    J.cols = slot;
    if (slot > ad_slots) ops_detail::unsupported("operation with more than 40 float inputs");
    std::array<ad, 16> out{};
    rules saved = ad_rules;
    ad_rules = rule;
    ops_detail::compute<ad>(d, ptr.data(), out.data());
    ad_rules = saved;
    for (int r = 0; r < J.rows; ++r)
        for (int c = 0; c < J.cols; ++c) J.at(r, c) = out[static_cast<std::size_t>(r)].d[static_cast<std::size_t>(c)];
    return J;
}

// Warp's adjoints that read the primal output (`require_original_output_arg`): the Jacobian they apply, given the
// arguments' and the output's current values. Returns false for every other operation.
inline bool warp_output_jacobian(const opdesc& d, std::span<const value* const> args, const value& ret, jacobian_t& J) {
    using builtins::fn;
    fn f = d.k == opdesc::kind::call ? d.f : fn::none;
    bool scalar_div = d.k == opdesc::kind::binop && d.oper == syntax::op::div && d.args[0].is_scalar() &&
                      d.args[1].is_scalar();
    bool pow_op = d.k == opdesc::kind::binop && d.oper == syntax::op::pow;
    if (!(scalar_div || pow_op || f == fn::sqrt || f == fn::cbrt || f == fn::exp || f == fn::tanh || f == fn::pow ||
          f == fn::cw_div || f == fn::length || f == fn::inverse || (f == fn::normalize && d.args[0].kind == type_kind::vector)))
        return false;
    if (!ret.is_float()) return false;
    J = jacobian_t{};
    J.rows = components(d.result);
    int slot = 0;
    for (int k = 0; k < d.nargs; ++k) {
        J.offset[static_cast<std::size_t>(k)] = slot;
        if (args[static_cast<std::size_t>(k)]->is_float()) slot += args[static_cast<std::size_t>(k)]->n;
    }
    J.offset[static_cast<std::size_t>(d.nargs)] = slot;
    J.cols = slot;
    auto A = [&](int k, int c) { return args[static_cast<std::size_t>(k)]->f[static_cast<std::size_t>(c)]; };
    auto R = [&](int c) { return ret.f[static_cast<std::size_t>(c)]; };
    if (scalar_div) {
        J.at(0, 0) = 1.0 / A(1, 0);
        J.at(0, 1) = -R(0) / A(1, 0);
    } else if (pow_op || f == fn::pow) {
        double a = A(0, 0), b = A(1, 0);
        J.at(0, 0) = b * std::pow(a, b - 1.0);
        J.at(0, 1) = std::log(a) * R(0);
    } else if (f == fn::sqrt) {
        J.at(0, 0) = 0.5 * (1.0 / R(0));
    } else if (f == fn::cbrt) {
        J.at(0, 0) = (1.0 / 3.0) * (1.0 / (R(0) * R(0)));
    } else if (f == fn::exp) {
        J.at(0, 0) = R(0);
    } else if (f == fn::tanh) {
        J.at(0, 0) = 1.0 - R(0) * R(0);
    } else if (f == fn::cw_div) {
        int n = J.rows;
        for (int k = 0; k < n; ++k) {
            J.at(k, k) = 1.0 / A(1, k);
            J.at(k, n + k) = -R(k) / A(1, k);
        }
    } else if (f == fn::length) {
        int n = args[0]->n;
        if (R(0) > 0)
            for (int k = 0; k < n; ++k) J.at(0, k) = A(0, k) / R(0);
    } else if (f == fn::normalize) {
        int n = args[0]->n;
        double dd = 0;
        for (int k = 0; k < n; ++k) dd += A(0, k) * A(0, k);
        dd = std::sqrt(dd);
        if (dd > 0)
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) J.at(i, j) = (i == j ? 1.0 / dd : 0.0) - R(i) * R(j) / dd;
    } else if (f == fn::inverse) {
        // adj_m -= transpose(ret) * adj_ret * transpose(ret): d m[i][j] gets -sum_{k,l} ret[k][i] adj[k][l] ret[j][l]
        int n = d.result.rows;
        for (int k = 0; k < n; ++k)
            for (int l = 0; l < n; ++l)
                for (int i = 0; i < n; ++i)
                    for (int j = 0; j < n; ++j) J.at(k * n + l, i * n + j) = -R(k * n + i) * R(j * n + l);
    }
    return true;
}

}  // namespace warpsynth::eval
