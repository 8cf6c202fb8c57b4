// Host-side checks of the wp:: runtime that generated kernels compile against:
// forward values, and adjoints against central finite differences.
//
// Adjoints are checked with one directional derivative per argument: for a
// random direction d and output weight w,
//     <adj_x, d>  ==  d/dt <w, f(x + t d)>  at t = 0
// where adj_x is what the adjoint accumulates for adj_ret = w. Everything is
// instantiated with float64 so the finite differences are accurate.

#include <doctest/doctest.h>

#include "../../include/warpsynth/runtime/builtin.h"

#include <cstdint>
#include <vector>

namespace {

using f64 = wp::float64;
using vec3d = wp::vec_t<3, f64>;
using mat33d = wp::mat_t<3, 3, f64>;
using quatd = wp::quat_t<f64>;
using xformd = wp::transform_t<f64>;

// Flat access to the float64 components of any runtime value type.
template <typename T> f64* comps(T& v) { return reinterpret_cast<f64*>(&v); }
template <typename T> const f64* comps(const T& v) { return reinterpret_cast<const f64*>(&v); }
template <typename T> constexpr unsigned ncomp() { return wp::components<T>::count; }

// Deterministic pseudo-random values in [-1, 1].
double next_random() {
    static std::uint32_t state = 12345u;
    state = state * 1664525u + 1013904223u;
    return double(state >> 8) / double(1u << 24) * 2.0 - 1.0;
}

template <typename T> T random_value(double lo = -1.0, double hi = 1.0) {
    T v{};
    for (unsigned k = 0; k < ncomp<T>(); ++k)
        comps(v)[k] = lo + (hi - lo) * (next_random() * 0.5 + 0.5);
    return v;
}

template <typename T> double inner(const T& a, const T& b) {
    double s = 0.0;
    for (unsigned k = 0; k < ncomp<T>(); ++k)
        s += comps(a)[k] * comps(b)[k];
    return s;
}

template <typename T> T shifted(const T& x, const T& d, double t) {
    T r = x;
    for (unsigned k = 0; k < ncomp<T>(); ++k)
        comps(r)[k] += t * comps(d)[k];
    return r;
}

// d/dt <w, f(x + t d)> by central differences.
template <typename X, typename F, typename R> double directional_fd(F f, const X& x, const X& d, const R& w) {
    const double h = 1e-6;
    return (inner(w, f(shifted(x, d, h))) - inner(w, f(shifted(x, d, -h)))) / (2.0 * h);
}

// f: X -> R with adjoint adj(x, adj_x, adj_ret).
template <typename X, typename F, typename A> void check_unary(F f, A adj, const X& x) {
    using R = decltype(f(x));
    const X d = random_value<X>();
    const R w = random_value<R>();
    X adj_x{};
    adj(x, adj_x, w);
    CHECK(inner(adj_x, d) == doctest::Approx(directional_fd(f, x, d, w)).epsilon(1e-6));
}

// f: (X, Y) -> R with adjoint adj(x, y, adj_x, adj_y, adj_ret); checks both arguments.
template <typename X, typename Y, typename F, typename A> void check_binary(F f, A adj, const X& x, const Y& y) {
    using R = decltype(f(x, y));
    const R w = random_value<R>();
    X adj_x{};
    Y adj_y{};
    adj(x, y, adj_x, adj_y, w);
    const X dx = random_value<X>();
    const Y dy = random_value<Y>();
    CHECK(inner(adj_x, dx) ==
          doctest::Approx(directional_fd([&](const X& v) { return f(v, y); }, x, dx, w)).epsilon(1e-6));
    CHECK(inner(adj_y, dy) ==
          doctest::Approx(directional_fd([&](const Y& v) { return f(x, v); }, y, dy, w)).epsilon(1e-6));
}

} // namespace

TEST_CASE("runtime: adjoints Warp leaves empty stay empty (frac: slope 1, Warp's adjoint adds nothing)") {
    f64 adj = 0.5;
    wp::adj_frac(1.37, adj, 2.0);
    CHECK(adj == 0.5);
    CHECK(wp::frac(1.37) == doctest::Approx(0.37));
}

TEST_CASE("runtime: scalar math adjoints match finite differences") {
    const f64 x = 0.37;
    check_unary([](f64 v) { return wp::sin(v); }, [](f64 v, f64& a, f64 g) { wp::adj_sin(v, a, g); }, x);
    check_unary([](f64 v) { return wp::cos(v); }, [](f64 v, f64& a, f64 g) { wp::adj_cos(v, a, g); }, x);
    check_unary([](f64 v) { return wp::tan(v); }, [](f64 v, f64& a, f64 g) { wp::adj_tan(v, a, g); }, x);
    check_unary([](f64 v) { return wp::asin(v); }, [](f64 v, f64& a, f64 g) { wp::adj_asin(v, a, g); }, x);
    check_unary([](f64 v) { return wp::acos(v); }, [](f64 v, f64& a, f64 g) { wp::adj_acos(v, a, g); }, x);
    check_unary([](f64 v) { return wp::atan(v); }, [](f64 v, f64& a, f64 g) { wp::adj_atan(v, a, g); }, x);
    check_unary([](f64 v) { return wp::sinh(v); }, [](f64 v, f64& a, f64 g) { wp::adj_sinh(v, a, g); }, x);
    check_unary([](f64 v) { return wp::cosh(v); }, [](f64 v, f64& a, f64 g) { wp::adj_cosh(v, a, g); }, x);
    check_unary([](f64 v) { return wp::log(v); }, [](f64 v, f64& a, f64 g) { wp::adj_log(v, a, g); }, x);
    check_unary([](f64 v) { return wp::log2(v); }, [](f64 v, f64& a, f64 g) { wp::adj_log2(v, a, g); }, x);
    check_unary([](f64 v) { return wp::log10(v); }, [](f64 v, f64& a, f64 g) { wp::adj_log10(v, a, g); }, x);
    check_unary([](f64 v) { return wp::erf(v); }, [](f64 v, f64& a, f64 g) { wp::adj_erf(v, a, g); }, x);
    check_unary([](f64 v) { return wp::erfc(v); }, [](f64 v, f64& a, f64 g) { wp::adj_erfc(v, a, g); }, x);
    check_unary([](f64 v) { return wp::abs(v); }, [](f64 v, f64& a, f64 g) { wp::adj_abs(v, a, g); }, -x);
    check_unary([](f64 v) { return wp::degrees(v); }, [](f64 v, f64& a, f64 g) { wp::adj_degrees(v, a, g); }, x);
    check_unary([](f64 v) { return wp::radians(v); }, [](f64 v, f64& a, f64 g) { wp::adj_radians(v, a, g); }, x);
    // builtins whose adjoint takes the primal output
    check_unary([](f64 v) { return wp::sqrt(v); }, [](f64 v, f64& a, f64 g) { wp::adj_sqrt(v, wp::sqrt(v), a, g); }, x);
    check_unary([](f64 v) { return wp::cbrt(v); }, [](f64 v, f64& a, f64 g) { wp::adj_cbrt(v, wp::cbrt(v), a, g); }, x);
    check_unary([](f64 v) { return wp::exp(v); }, [](f64 v, f64& a, f64 g) { wp::adj_exp(v, wp::exp(v), a, g); }, x);
    check_unary([](f64 v) { return wp::tanh(v); }, [](f64 v, f64& a, f64 g) { wp::adj_tanh(v, wp::tanh(v), a, g); }, x);

    check_binary([](f64 a, f64 b) { return wp::div(a, b); },
                 [](f64 a, f64 b, f64& aa, f64& ab, f64 g) { wp::adj_div(a, b, wp::div(a, b), aa, ab, g); }, 0.7, -1.3);
    check_binary([](f64 a, f64 b) { return wp::pow(a, b); },
                 [](f64 a, f64 b, f64& aa, f64& ab, f64 g) { wp::adj_pow(a, b, wp::pow(a, b), aa, ab, g); }, 0.7, 1.3);
    check_binary([](f64 a, f64 b) { return wp::copysign(a, b); },
                 [](f64 a, f64 b, f64& aa, f64& ab, f64 g) { wp::adj_copysign(a, b, aa, ab, g); }, 0.7, -1.3);
    check_binary([](f64 a, f64 b) { return wp::copysign(a, b); },
                 [](f64 a, f64 b, f64& aa, f64& ab, f64 g) { wp::adj_copysign(a, b, aa, ab, g); }, -0.7, -1.3);
    check_binary([](f64 y, f64 x) { return wp::atan2(y, x); },
                 [](f64 y, f64 x, f64& ay, f64& ax, f64 g) { wp::adj_atan2(y, x, ay, ax, g); }, 0.4, -0.8);
    {  // mod: Warp's adjoint passes the gradient to the dividend only (the divisor gets none)
        f64 aa = 0.5, ab = 0.25;
        wp::adj_mod(2.7, 0.8, aa, ab, 3.0);
        CHECK(aa == doctest::Approx(3.5));
        CHECK(ab == 0.25);
    }
    check_binary([](f64 a, f64 b) { return wp::min(a, b); },
                 [](f64 a, f64 b, f64& aa, f64& ab, f64 g) { wp::adj_min(a, b, aa, ab, g); }, 0.2, 0.5);
    check_binary([](f64 a, f64 b) { return wp::max(a, b); },
                 [](f64 a, f64 b, f64& aa, f64& ab, f64 g) { wp::adj_max(a, b, aa, ab, g); }, 0.2, 0.5);
}

TEST_CASE("runtime: three-argument scalar builtins") {
    // smoothstep(e0, e1, x) inside the ramp: check each argument
    const f64 e0 = 0.1, e1 = 0.9, x = 0.35, h = 1e-6;
    f64 a0 = 0, a1 = 0, ax = 0;
    wp::adj_smoothstep(e0, e1, x, a0, a1, ax, 1.0);
    CHECK(ax == doctest::Approx((wp::smoothstep(e0, e1, x + h) - wp::smoothstep(e0, e1, x - h)) / (2 * h)));
    CHECK(a0 == doctest::Approx((wp::smoothstep(e0 + h, e1, x) - wp::smoothstep(e0 - h, e1, x)) / (2 * h)));
    CHECK(a1 == doctest::Approx((wp::smoothstep(e0, e1 + h, x) - wp::smoothstep(e0, e1 - h, x)) / (2 * h)));

    f64 la = 0, lb = 0, lt = 0;
    wp::adj_lerp(2.0, 5.0, 0.25, la, lb, lt, 1.0);
    CHECK(wp::lerp(2.0, 5.0, 0.25) == doctest::Approx(2.75));
    CHECK(la == doctest::Approx(0.75));
    CHECK(lb == doctest::Approx(0.25));
    CHECK(lt == doctest::Approx(3.0));

    // clamp routes the gradient to whichever operand was selected
    f64 cx = 0, clo = 0, chi = 0;
    wp::adj_clamp(2.0, 0.0, 1.0, cx, clo, chi, 1.0);
    CHECK(wp::clamp(2.0, 0.0, 1.0) == 1.0);
    CHECK(chi == 1.0);
    CHECK(cx == 0.0);
}

TEST_CASE("runtime: Warp scalar conventions") {
    CHECK(wp::step(-0.5f) == 1.0f); // 1 for x < 0
    CHECK(wp::step(0.5f) == 0.0f);
    CHECK(wp::sign(0.0f) == 1.0f);
    CHECK(wp::mod(-7, 3) == -1); // truncated
    CHECK(wp::mod(-7.0f, 3.0f) == doctest::Approx(-1.0f));
    CHECK(wp::floordiv(-7, 2) == -3); // C division for ints
    CHECK(wp::floordiv(-7.0f, 2.0f) == -4.0f);
    CHECK(wp::round(-2.5f) == -3.0f); // half away from zero
    CHECK(wp::cast_int(-2.7f) == -2);
    CHECK(wp::min(1.0f, NAN) == 1.0f); // fmin: NaN is missing
    CHECK(wp::unot(0) == true);
    CHECK(wp::where(true, 1, 2) == 1);
    // degrees/radians: x * (double constant) rounded once to float, not float(x) * float(constant)
    CHECK(wp::degrees(0.7f) == float(double(0.7f) * 57.29577951308232087679));
    CHECK(wp::radians(33.3f) == float(double(33.3f) * 0.01745329251994329577));
    CHECK(wp::bit_and(wp::uint32(0xF0F0u), wp::uint32(0x0FF0u)) == wp::uint32(0x00F0u));
}

TEST_CASE("runtime: float16 conversions round to nearest even") {
    CHECK(float(wp::float16(1.0f)) == 1.0f);
    CHECK(float(wp::float16(0.1f)) == 0.0999755859375f);
    CHECK(float(wp::float16(65504.0f)) == 65504.0f);
    CHECK(wp::isinf(wp::float16(65520.0f)));                   // rounds up to inf
    CHECK(float(wp::float16(5.9604645e-8f)) == 5.9604645e-8f); // smallest subnormal
    CHECK(float(wp::float16(2049.0f)) == 2048.0f);             // tie -> even
    CHECK(float(wp::float16(2051.0f)) == 2052.0f);
    CHECK(float(wp::float16(-3.5f) * wp::float16(2.0f)) == -7.0f);
    CHECK(wp::isnan(wp::float16(NAN)));
}

TEST_CASE("runtime: vector builtins") {
    const vec3d a(0.3, -0.8, 0.5), b(-0.2, 0.4, 0.9);
    const vec3d c = wp::cross(a, b);
    CHECK(wp::dot(c, a) == doctest::Approx(0.0));
    CHECK(wp::length(wp::normalize(a)) == doctest::Approx(1.0));
    CHECK(wp::extract(a, -1) == 0.5); // negative index counts from the end

    check_binary(
        [](const vec3d& u, const vec3d& v) { return wp::cross(u, v); },
        [](const vec3d& u, const vec3d& v, vec3d& au, vec3d& av, const vec3d& g) { wp::adj_cross(u, v, au, av, g); }, a,
        b);
    check_binary([](const vec3d& u, const vec3d& v) { return wp::dot(u, v); },
                 [](const vec3d& u, const vec3d& v, vec3d& au, vec3d& av, f64 g) { wp::adj_dot(u, v, au, av, g); }, a,
                 b);
    check_binary([](const vec3d& u, f64 s) { return wp::div(u, s); },
                 [](const vec3d& u, f64 s, vec3d& au, f64& as, const vec3d& g) { wp::adj_div(u, s, au, as, g); }, a,
                 0.7);
    check_unary([](const vec3d& u) { return wp::normalize(u); },
                [](const vec3d& u, vec3d& au, const vec3d& g) { wp::adj_normalize(u, wp::normalize(u), au, g); }, a);
    check_unary([](const vec3d& u) { return wp::length(u); },
                [](const vec3d& u, vec3d& au, f64 g) { wp::adj_length(u, wp::length(u), au, g); }, a);

    // constructor adjoint: (x, y, z, adj_x, adj_y, adj_z, adj_ret)
    const f64 x = 1, y = 2, z = 3;
    f64 ax = 0, ay = 0, az = 0;
    wp::adj_vec_t(x, y, z, ax, ay, az, vec3d(0.5, 0.25, 0.125));
    CHECK(ax == 0.5);
    CHECK(ay == 0.25);
    CHECK(az == 0.125);
}

TEST_CASE("runtime: matrix builtins") {
    const mat33d m(0.9, 0.2, -0.3, 0.1, 1.1, 0.4, -0.2, 0.3, 0.8);
    const mat33d id = wp::mul(m, wp::inverse(m));
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            CHECK(id.data[i][j] == doctest::Approx(i == j ? 1.0 : 0.0));
    CHECK(wp::determinant(wp::identity<3, f64>()) == 1.0);
    CHECK(wp::trace(m) == doctest::Approx(2.8));
    CHECK(wp::extract(m, 1, 2) == 0.4); // row-major constructor

    check_unary([](const mat33d& a) { return wp::determinant(a); },
                [](const mat33d& a, mat33d& aa, f64 g) { wp::adj_determinant(a, aa, g); }, m);
    check_unary([](const mat33d& a) { return wp::inverse(a); },
                [](const mat33d& a, mat33d& aa, const mat33d& g) { wp::adj_inverse(a, wp::inverse(a), aa, g); }, m);
    check_unary([](const mat33d& a) { return wp::transpose(a); },
                [](const mat33d& a, mat33d& aa, const mat33d& g) { wp::adj_transpose(a, aa, g); }, m);
    check_binary(
        [](const mat33d& a, const vec3d& v) { return wp::mul(a, v); },
        [](const mat33d& a, const vec3d& v, mat33d& aa, vec3d& av, const vec3d& g) { wp::adj_mul(a, v, aa, av, g); }, m,
        vec3d(0.3, 0.6, -0.1));
    check_binary(
        [](const mat33d& a, const mat33d& b) { return wp::mul(a, b); },
        [](const mat33d& a, const mat33d& b, mat33d& aa, mat33d& ab, const mat33d& g) { wp::adj_mul(a, b, aa, ab, g); },
        m, wp::transpose(m));
    check_binary(
        [](const vec3d& a, const vec3d& b) { return wp::outer(a, b); },
        [](const vec3d& a, const vec3d& b, vec3d& aa, vec3d& ab, const mat33d& g) { wp::adj_outer(a, b, aa, ab, g); },
        vec3d(1, 2, 3), vec3d(-1, 0.5, 2));

    // 4-element constructor adjoint goes to the matching element adjoints
    f64 e[4] = {1, 2, 3, 4}, ae[4] = {0, 0, 0, 0};
    wp::adj_mat_t(e[0], e[1], e[2], e[3], ae[0], ae[1], ae[2], ae[3], wp::mat_t<2, 2, f64>(10.0, 20.0, 30.0, 40.0));
    CHECK(ae[0] == 10.0);
    CHECK(ae[3] == 40.0);
}

TEST_CASE("runtime: quaternion and transform builtins") {
    const vec3d axis(0.0, 0.0, 1.0);
    const quatd q = wp::quat_from_axis_angle(axis, 1.5707963267948966);
    const vec3d r = wp::quat_rotate(q, vec3d(1.0, 0.0, 0.0)); // +90 deg about z: x -> y
    CHECK(r[0] == doctest::Approx(0.0));
    CHECK(r[1] == doctest::Approx(1.0));
    const vec3d back = wp::quat_rotate_inv(q, r);
    CHECK(back[0] == doctest::Approx(1.0));

    // rotate is checked as the polynomial it is, for non-unit q as well
    const quatd qn(0.3, -0.5, 0.2, 0.7);
    const vec3d p(0.4, 0.1, -0.9);
    check_binary([](const quatd& a, const vec3d& v) { return wp::quat_rotate(a, v); },
                 [](const quatd& a, const vec3d& v, quatd& aa, vec3d& av, const vec3d& g) {
                     wp::adj_quat_rotate(a, v, aa, av, g);
                 },
                 qn, p);
    check_binary([](const quatd& a, const vec3d& v) { return wp::quat_rotate_inv(a, v); },
                 [](const quatd& a, const vec3d& v, quatd& aa, vec3d& av, const vec3d& g) {
                     wp::adj_quat_rotate_inv(a, v, aa, av, g);
                 },
                 qn, p);
    check_binary([](const vec3d& ax, f64 angle) { return wp::quat_from_axis_angle(ax, angle); },
                 [](const vec3d& ax, f64 angle, vec3d& aax, f64& aan, const quatd& g) {
                     wp::adj_quat_from_axis_angle(ax, angle, aax, aan, g);
                 },
                 vec3d(0.2, 0.3, 0.9), 0.8);
    check_binary(
        [](const quatd& a, const quatd& b) { return wp::mul(a, b); },
        [](const quatd& a, const quatd& b, quatd& aa, quatd& ab, const quatd& g) { wp::adj_mul(a, b, aa, ab, g); }, qn,
        quatd(0.1, 0.2, -0.3, 0.9));
    check_unary([](const quatd& a) { return wp::normalize(a); },
                [](const quatd& a, quatd& aa, const quatd& g) { wp::adj_normalize(a, aa, g); }, qn);

    check_unary([](const quatd& a) { return wp::quat_inverse(a); },
                [](const quatd& a, quatd& aa, const quatd& g) { wp::adj_quat_inverse(a, aa, g); }, qn);
    check_unary([](const quatd& a) { return wp::quat_to_matrix(a); },
                [](const quatd& a, quatd& aa, const mat33d& g) { wp::adj_quat_to_matrix(a, aa, g); }, qn);
    {  // a unit quaternion's matrix rotates like quat_rotate: column 0 is the image of x
        const mat33d m = wp::quat_to_matrix(q);
        CHECK(m.data[0][0] == doctest::Approx(0.0).epsilon(1e-12));
        CHECK(m.data[1][0] == doctest::Approx(1.0));
    }

    const xformd t(vec3d(1.0, 2.0, 3.0), q);
    const vec3d tp = wp::transform_point(t, vec3d(1.0, 0.0, 0.0));
    CHECK(tp[0] == doctest::Approx(1.0));
    CHECK(tp[1] == doctest::Approx(3.0));
    check_binary([](const xformd& a, const vec3d& v) { return wp::transform_point(a, v); },
                 [](const xformd& a, const vec3d& v, xformd& aa, vec3d& av, const vec3d& g) {
                     wp::adj_transform_point(a, v, aa, av, g);
                 },
                 xformd(vec3d(0.1, 0.2, 0.3), qn), p);
    check_unary([](const xformd& a) { return wp::transform_inverse(a); },
                [](const xformd& a, xformd& aa, const xformd& g) { wp::adj_transform_inverse(a, aa, g); },
                xformd(vec3d(0.1, 0.2, 0.3), qn));
    check_unary([](const xformd& a) { return wp::transform_get_translation(a); },
                [](const xformd& a, xformd& aa, const vec3d& g) { wp::adj_transform_get_translation(a, aa, g); }, t);
    check_unary([](const xformd& a) { return wp::transform_get_rotation(a); },
                [](const xformd& a, xformd& aa, const quatd& g) { wp::adj_transform_get_rotation(a, aa, g); }, t);
    {  // transform_inverse undoes a rigid transform
        const vec3d x0(0.3, -0.2, 0.5);
        const vec3d x1 = wp::transform_point(wp::transform_inverse(t), wp::transform_point(t, x0));
        for (unsigned k = 0; k < 3; ++k)
            CHECK(x1[k] == doctest::Approx(x0[k]));
    }
    check_binary(
        [](const xformd& a, const xformd& b) { return wp::mul(a, b); },
        [](const xformd& a, const xformd& b, xformd& aa, xformd& ab, const xformd& g) { wp::adj_mul(a, b, aa, ab, g); },
        xformd(vec3d(0.1, 0.2, 0.3), qn), t);
}

TEST_CASE("runtime: arrays, gradients and atomics") {
    std::vector<float> data = {1, 2, 3, 4, 5, 6}, grad(6, 0.0f);
    wp::array_t<wp::float32> a(data.data(), 2, 3, 0, 0, grad.data()); // 2 x 3, byte strides {12, 4}
    CHECK(a.ndim == 2);
    CHECK(a.strides[0] == 12);
    CHECK(wp::load(wp::address(a, 1, 2)) == 6.0f);

    wp::array_store(a, 0, 1, 7.0f);
    CHECK(data[1] == 7.0f);
    CHECK(wp::atomic_add(a, 0, 0, 0.5f) == 1.0f); // returns the old value
    CHECK(data[0] == 1.5f);
    CHECK(wp::atomic_max(a, 1, 0, 9.0f) == 4.0f);
    CHECK(data[3] == 9.0f);

    // no explicit adjoint array: gradients land in a.grad
    const wp::array_t<wp::float32> none;
    wp::adj_address(a, 1, 1, none, 0, 0, 2.0f);
    wp::adj_address(a, 1, 1, none, 0, 0, 3.0f);
    CHECK(grad[4] == 5.0f);

    // an overwritten element hands its gradient to the stored value and is cleared
    float adj_value = 0.0f;
    wp::adj_array_store(a, 1, 1, 0.0f, none, 0, 0, adj_value);
    CHECK(adj_value == 5.0f);
    CHECK(grad[4] == 0.0f);

    // vector elements are updated component-wise
    std::vector<wp::vec_t<3, float>> vs(2);
    wp::array_t<wp::vec_t<3, float>> va(vs.data(), 2);
    wp::atomic_sub(va, 1, wp::vec_t<3, float>(1.0f, 2.0f, 3.0f));
    CHECK(vs[1][2] == -3.0f);
}

TEST_CASE("runtime: ranges run forward and in reverse") {
    const int cases[][3] = {{0, 5, 1}, {2, 9, 3}, {5, 0, -2}, {3, 3, 1}, {0, -4, 1}};
    for (const auto& c : cases) {
        std::vector<int> fwd, rev;
        for (wp::range_t r = wp::range(c[0], c[1], c[2]); wp::iter_cmp(r);)
            fwd.push_back(wp::iter_next(r));
        for (wp::range_t r = wp::iter_reverse(wp::range(c[0], c[1], c[2])); wp::iter_cmp(r);)
            rev.push_back(wp::iter_next(r));
        CHECK(std::vector<int>(fwd.rbegin(), fwd.rend()) == rev);
    }
}

TEST_CASE("runtime: tid unravels row-major launch indices") {
    wp::launch_bounds_t<3> dim = {{2, 3, 4}, 24};
    int i = 0, j = 0, k = 0;
    wp::tid(i, j, k, size_t(17), dim); // 17 = (1 * 3 + 1) * 4 + 1
    CHECK(i == 1);
    CHECK(j == 1);
    CHECK(k == 1);
    CHECK(wp::tid(size_t(5), wp::launch_bounds_t<1>{{8}, 8}) == 5);
}
