// Instantiates (nearly) every runtime builtin and adjoint for float32,
// float64, float16, integer and composite types, so both compilers see all of
// the runtime, not just what the golden kernels use. Compile-only: run through
//   python3 tools/ir_compile_check.py --source tests/runtime/runtime_smoke.cu
// which builds it with g++ (as C++) and with NVRTC.
#include "builtin.h"

#if defined(__CUDACC__) || defined(__CUDACC_RTC__)
#define SMOKE_KERNEL extern "C" __global__
#define SMOKE_THREAD size_t(threadIdx.x)
#else
#define SMOKE_KERNEL extern "C"
#define SMOKE_THREAD size_t(0)
#endif
template <typename T> CUDA_CALLABLE void scalar_suite(T x, T y, T* out) {
    T a{}, b{}, c{};
    out[0] = wp::sin(x) + wp::cos(x) + wp::tan(x) + wp::asin(x) + wp::acos(x) + wp::atan(x) + wp::sinh(x) +
             wp::cosh(x) + wp::tanh(x) + wp::sqrt(x) + wp::cbrt(x) + wp::exp(x) + wp::log(x) + wp::log2(x) +
             wp::log10(x) + wp::pow(x, y) + wp::atan2(x, y) + wp::abs(x) + wp::sign(x) + wp::step(x) + wp::floor(x) +
             wp::ceil(x) + wp::round(x) + wp::trunc(x) + wp::frac(x) + wp::mod(x, y) + wp::floordiv(x, y) +
             wp::min(x, y) + wp::max(x, y) + wp::clamp(x, y, x) + wp::lerp(x, y, x) + wp::smoothstep(x, y, x) +
             wp::erf(x) + wp::rsqrt(x) + wp::degrees(x) + wp::radians(x);
    wp::adj_sin(x, a, y);
    wp::adj_cos(x, a, y);
    wp::adj_tan(x, a, y);
    wp::adj_asin(x, a, y);
    wp::adj_acos(x, a, y);
    wp::adj_atan(x, a, y);
    wp::adj_sinh(x, a, y);
    wp::adj_cosh(x, a, y);
    wp::adj_tanh(x, y, a, y);
    wp::adj_sqrt(x, y, a, y);
    wp::adj_cbrt(x, y, a, y);
    wp::adj_exp(x, y, a, y);
    wp::adj_log(x, a, y);
    wp::adj_pow(x, y, x, a, b, y);
    wp::adj_atan2(x, y, a, b, y);
    wp::adj_mod(x, y, a, b, y);
    wp::adj_div(x, y, x, a, b, y);
    wp::adj_clamp(x, y, x, a, b, c, y);
    wp::adj_smoothstep(x, y, x, a, b, c, y);
    wp::adj_lerp(x, y, x, a, b, c, y);
    wp::adj_min(x, y, a, b, y);
    wp::adj_float32(x, a, 1.0f);
    wp::adj_float64(x, a, 1.0);
    wp::adj_float16(x, a, wp::float16(1.0f));
    wp::adj_cast_float(x, a, 1.0f);
    out[1] =
        a + b + c + T(wp::cast_float(x)) + T(wp::cast_int(x)) + (wp::isinf(x) ? T(1) : T(0)) + T(INFINITY) + T(NAN);
}
template <typename T> CUDA_CALLABLE void composite_suite(T s, T* out) {
    typedef wp::vec_t<3, T> v3;
    typedef wp::mat_t<3, 3, T> m3;
    typedef wp::mat_t<4, 4, T> m4;
    typedef wp::mat_t<2, 3, T> m23;
    typedef wp::quat_t<T> q;
    typedef wp::transform_t<T> tf;
    v3 a(s, s, s), b(s, T(1), T(2)), av, bv;
    m3 m = wp::outer(a, b), am;
    m4 m4x = wp::identity<4, T>(), am4;
    m23 r(s, s, s, s, s, s), ar;
    q qq(s, s, s, T(1)), aq, bq;
    tf t(a, qq), at, bt;
    T as{}, bs{};
    v3 o = wp::cross(a, b) + wp::normalize(a) * wp::length(a) + wp::mul(m, a) + wp::mul(a, m) + wp::quat_rotate(qq, a) +
           wp::quat_rotate_inv(qq, a) + wp::transform_point(t, a) + wp::transform_vector(t, a) + wp::cw_mul(a, b) +
           wp::cw_div(a, b) + wp::min(a, b) + wp::max(a, b) + wp::div(a, s) + wp::div(s, a) + wp::extract(m, 1) +
           wp::lerp(a, b, s) + wp::abs(a) + wp::sign(a);
    m3 mm = wp::inverse(m) + wp::transpose(m) + wp::diag(a) + wp::mul(m, m) + wp::mul(m, s) + wp::div(m, s) +
            wp::cw_mul(m, m) + wp::quat_to_matrix(qq);
    m4 mm4 = wp::inverse(m4x) * wp::determinant(m4x) + wp::mul(m4x, m4x);
    q qo = wp::mul(qq, qq) + wp::normalize(qq) + wp::quat_inverse(qq) + wp::quat_from_axis_angle(a, s) + wp::mul(qq, s);
    tf to = wp::mul(t, t) + wp::transform_inverse(t) + wp::transform_identity<T>();
    wp::adj_cross(a, b, av, bv, o);
    wp::adj_normalize(a, o, av, o);
    wp::adj_length(a, s, av, s);
    wp::adj_mul(m, a, am, av, o);
    wp::adj_mul(a, m, av, am, o);
    wp::adj_quat_rotate(qq, a, aq, av, o);
    wp::adj_quat_rotate_inv(qq, a, aq, av, o);
    wp::adj_transform_point(t, a, at, av, o);
    wp::adj_transform_vector(t, a, at, av, o);
    wp::adj_inverse(m, mm, am, mm);
    wp::adj_determinant(m, am, s);
    wp::adj_determinant(m4x, am4, s);
    wp::adj_inverse(m4x, mm4, am4, mm4);
    wp::adj_transpose(m, am, mm);
    wp::adj_diag(a, av, mm);
    wp::adj_mul(m, m, am, am, mm);
    wp::adj_mul(qq, qq, aq, bq, qo);
    wp::adj_normalize(qq, aq, qo);
    wp::adj_quat_from_axis_angle(a, s, av, as, qo);
    wp::adj_mul(t, t, at, bt, to);
    wp::adj_transform_inverse(t, at, to);
    wp::adj_mul(r, a, ar, av, wp::vec_t<2, T>());
    wp::adj_outer(a, b, av, bv, mm);
    wp::adj_trace(m, am, s);
    wp::adj_extract(m, 1, am, 0, a);
    wp::adj_extract(m, 1, 2, am, 0, 0, s);
    wp::adj_extract(qq, 2, aq, 0, s);
    wp::adj_vec_t(s, s, s, as, bs, as, a);
    wp::adj_vec_t(s, as, a);
    wp::adj_mat_t(s, as, m);
    wp::adj_quat_t(s, s, s, s, as, as, as, as, qq);
    wp::adj_transform_t(a, qq, av, aq, t);
    wp::adj_where(true, a, b, *(bool*)out, av, bv, o);
    wp::adj_copy(m, am, mm);
    wp::adj_dot(a, b, av, bv, s);
    out[0] = o[0] + mm.data[0][0] + mm4.data[1][1] + qo.x + to.p[0] + av[0] + am.data[0][0] + aq.w + at.q.w + as + bs +
             ar.data[0][0] + am4.data[2][2];
}
template <typename T> CUDA_CALLABLE void int_suite(T x, T y, T* out) {
    T a{}, b{};
    out[0] = wp::add(x, y) + wp::mod(x, y) + wp::floordiv(x, y) + wp::min(x, y) + wp::abs(x) + wp::sign(x) +
             wp::bit_and(x, y) + wp::bit_or(x, y) + wp::bit_xor(x, y) + wp::lshift(x, y) + wp::invert(x) +
             T(wp::unot(x)) + wp::clamp(x, y, x);
    wp::adj_add(x, y, a, b, x);
    wp::adj_mul(x, y, a, b, x);
    wp::adj_div(x, y, x, a, b, x);
    wp::adj_mod(x, y, a, b, x);
    wp::adj_min(x, y, a, b, x);
    wp::adj_abs(x, a, x);
    wp::adj_clamp(x, y, x, a, b, a, x);
    wp::adj_cast_int(x, a, 1);
    out[1] = a + b;
}
template <typename T> CUDA_CALLABLE void array_suite(wp::array_t<T> arr, T v) {
    T av{};
    T* p = wp::address(arr, 0, 1, 2, 3);
    wp::array_store(arr, 1, v);
    wp::array_store(arr, 1, 2, 3, 4, wp::load(p));
    wp::atomic_add(arr, 0, v);
    wp::atomic_sub(arr, 0, 1, v);
    wp::atomic_min(arr, 0, 1, 2, v);
    wp::atomic_max(arr, 0, 1, 2, 3, v);
    wp::adj_address(arr, 0, arr, 0, v);
    wp::adj_array_store(arr, 0, v, arr, 0, av);
    wp::adj_atomic_add(arr, 0, 1, v, arr, 0, 0, av, v);
    wp::adj_atomic_max(arr, 0, v, arr, 0, av, v);
    wp::adj_atomic_min(arr, 0, 1, 2, v, arr, 0, 0, 0, av, v);
    wp::array_t<T> sub = wp::view(arr, 1);
    wp::array_store(sub, 0, av);
}
SMOKE_KERNEL void smoke(float* f, double* d, wp::float16* h, int* i, long long* l, unsigned char* u,
                        wp::array_t<float> af, wp::array_t<wp::vec_t<3, float>> av,
                        wp::array_t<wp::mat_t<3, 3, double>> am, wp::array_t<wp::float16> ah, wp::array_t<wp::int8> ai8,
                        wp::array_t<wp::quat_t<float>> aq, wp::array_t<wp::transform_t<float>> at,
                        wp::array_t<bool> ab) {
    scalar_suite(f[0], f[1], f);
    scalar_suite(d[0], d[1], d);
    scalar_suite(h[0], h[1], h);
    composite_suite(f[0], f);
    composite_suite(d[0], d);
    composite_suite(h[0], h);
    int_suite(i[0], i[1], i);
    int_suite(l[0], l[1], l);
    int_suite(u[0], u[1], u);
    array_suite(af, 1.0f);
    array_suite(av, wp::vec_t<3, float>());
    array_suite(am, wp::mat_t<3, 3, double>());
    array_suite(ah, wp::float16(1.0f));
    array_suite(ai8, wp::int8(1));
    array_suite(aq, wp::quat_t<float>());
    array_suite(at, wp::transform_t<float>());
    array_suite(ab, true);
    wp::range_t r = wp::iter_reverse(wp::range(0, 10, 3));
    while (wp::iter_cmp(r))
        i[2] += wp::iter_next(r);
    wp::launch_bounds_t<4> dim = {{1, 2, 3, 4}, 24};
    int a, b, c, e;
    wp::tid(a, b, c, e, SMOKE_THREAD, dim);
    i[3] = a + b + c + e + wp::block_dim();
}
