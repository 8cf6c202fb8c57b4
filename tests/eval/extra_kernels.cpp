// tests/eval/extra_kernels.cpp — kernels that stress the reference evaluator where Warp's semantics are subtle,
// above all its backward program: nested dynamic loops, loop-carried values in nonlinear updates and in adjoints
// that read their output (sqrt), break/continue met in the reverse replay, while loops, negative-step ranges,
// returns in unrolled loops, atomics and stores inside loops, reads after writes, composite locals carried by loops.
//
// `eval_reference emit-extra OUT.jsonl` renders them as golden-style records (`name` + python_source + IR); the
// reference helper finds their trees here (it is built with -DWARPSYNTH_EVAL_EXTRA). Running
// `tools/execute_check.py --warp OUT.jsonl` then compares the rendered IR and NVIDIA Warp itself with the reference.
#include "../conformance/golden_registry.hpp"

using namespace warpsynth;

void eval_extra_kernels(golden_registry& r) {
    // nested dynamic loops, a float carried through both
    r.add("ev_nested_dynamic", kernel("ev_nested_dynamic", arg<array<float_>>("a"), arg<int_>("n"), arg<int_>("m"),
                                      arg<array<float_>>("out"))([](auto a, auto n, auto m, auto o) {
        local<int_> i("i"), p("p"), q("q");
        local<float_> s("s");
        return body(i = tid(), s = py::float_(0.0),
                    for_(p, range(n))(for_(q, range(m))(s += a[p * m + q] * a[q])), o[i] = s * 2.0);
    }));
    // a nonlinear update of a carried float: the replay's adjoints read the overwritten value
    r.add("ev_carried_product", kernel("ev_carried_product", arg<array<float_>>("a"), arg<int_>("n"),
                                       arg<array<float_>>("out"))([](auto a, auto n, auto o) {
        local<int_> i("i"), k("k");
        local<float_> s("s");
        return body(i = tid(), s = a[i] + 0.0, for_(k, range(n))(s = s * a[k] + 0.5), o[i] = s);
    }));
    // an adjoint that reads its primal output (sqrt) on a carried variable
    r.add("ev_carried_sqrt", kernel("ev_carried_sqrt", arg<array<float_>>("a"), arg<int_>("n"),
                                    arg<array<float_>>("out"))([](auto a, auto n, auto o) {
        local<int_> i("i"), k("k");
        local<float_> s("s");
        return body(i = tid(), s = a[i] + 0.0, for_(k, range(n))(s = wp::sqrt(s + a[k])), o[i] = s * s);
    }));
    // while with continue; the counter advances before the test
    r.add("ev_while_continue", kernel("ev_while_continue", arg<array<float_>>("a"), arg<int_>("n"),
                                      arg<array<float_>>("out"))([](auto a, auto n, auto o) {
        local<int_> i("i"), k("k");
        local<float_> s("s");
        return body(i = tid(), k = py::int_(0), s = py::float_(0.0),
                    while_(k < n)(k += 1, if_(a[k] < 1.0)(continue_()), s += a[k] * a[k]), o[i] = s);
    }));
    // continue after some work in a dynamic for
    r.add("ev_for_continue_late", kernel("ev_for_continue_late", arg<array<float_>>("a"), arg<int_>("n"),
                                         arg<array<float_>>("out"))([](auto a, auto n, auto o) {
        local<int_> i("i"), k("k");
        local<float_> s("s");
        return body(i = tid(), s = py::float_(0.0),
                    for_(k, range(n))(s += a[k], if_(a[k] > 1.5)(continue_()), s += a[k] * 0.5), o[i] = s);
    }));
    // break deep inside a dynamic for
    r.add("ev_for_break_nested_if", kernel("ev_for_break_nested_if", arg<array<float_>>("a"), arg<int_>("n"),
                                           arg<array<float_>>("out"))([](auto a, auto n, auto o) {
        local<int_> i("i"), k("k");
        local<float_> s("s");
        return body(i = tid(), s = py::float_(1.0),
                    for_(k, range(n))(s = s + a[k], if_(s > 2.0)(if_(a[k] < 1.5)(break_())), s = s * 1.1),
                    o[i] = s);
    }));
    // negative-step dynamic range and an unrolled negative-step range
    r.add("ev_negative_steps", kernel("ev_negative_steps", arg<array<float_>>("a"), arg<int_>("n"),
                                      arg<array<float_>>("out"))([](auto a, auto n, auto o) {
        local<int_> i("i"), k("k"), q("q");
        local<float_> s("s");
        return body(i = tid(), s = py::float_(0.0), for_(k, range(n, 0, -1))(s += a[k] * py::float_(k)),
                    for_(q, range(6, -1, -2))(s += a[q] * a[q]), o[i] = s);
    }));
    // return inside an unrolled loop
    r.add("ev_return_unrolled", kernel("ev_return_unrolled", arg<array<float_>>("a"), arg<array<float_>>("out"))(
        [](auto a, auto o) {
            local<int_> i("i"), k("k");
            return body(i = tid(), for_(k, range(3))(if_(a[i + k] > 1.8)(return_()), o[i] += a[i + k] * a[k]));
        }));
    // a ternary and an integer index computed in the loop (a branch that is an array element loses its gradient in
    // Warp's backward: emit_IfExp loads it explicitly)
    r.add("ev_loop_ternary_index", kernel("ev_loop_ternary_index", arg<array<float_>>("a"), arg<int_>("n"),
                                          arg<array<float_>>("out"))([](auto a, auto n, auto o) {
        local<int_> i("i"), k("k"), j("j");
        local<float_> s("s");
        return body(i = tid(), s = py::float_(0.0),
                    for_(k, range(n))(j = (k * 3) % 5, s = s + ternary(a[j] > 1.0, a[j], -a[j] * a[k])), o[i] = s);
    }));
    // a vector carried by a dynamic loop
    r.add("ev_carried_vec3", kernel("ev_carried_vec3", arg<array<float_>>("a"), arg<int_>("n"),
                                    arg<array<float_>>("out"))([](auto a, auto n, auto o) {
        local<int_> i("i"), k("k");
        local<vec3> v("v");
        return body(i = tid(), v = wp::vec3(a[i], 0.0, 0.0),
                    for_(k, range(n))(v = v + wp::vec3(a[k], a[k] * 2.0, 1.0) * a[k]), o[i] = wp::length(v));
    }));
    // atomics and stores inside a loop: several threads write one element
    r.add("ev_loop_atomics_stores", kernel("ev_loop_atomics_stores", arg<array<float_>>("a"), arg<int_>("n"),
                                           arg<array<float_>>("acc"), arg<array<float_>>("last"))(
        [](auto a, auto n, auto acc, auto last) {
            local<int_> i("i"), k("k");
            return body(i = tid(),
                        for_(k, range(n))(wp::atomic_add(acc, k, a[i] * a[k]), last[k] = a[i] * py::float_(k)));
        }));
    // a read after a write in the same thread
    r.add("ev_read_after_write", kernel("ev_read_after_write", arg<array<float_>>("a"), arg<array<float_>>("out"),
                                        arg<array<float_>>("res"))([](auto a, auto o, auto res) {
        local<int_> i("i");
        return body(i = tid(), o[i] = a[i] * 2.0, res[i] = o[i] * o[i] + a[i]);
    }));
    // while with a nonlinear update
    r.add("ev_while_square", kernel("ev_while_square", arg<array<float_>>("a"), arg<array<float_>>("out"))(
        [](auto a, auto o) {
            local<int_> i("i");
            local<float_> x("x");
            return body(i = tid(), x = a[i] + 0.0, while_(x < 10.0)(x = x * x + 1.0), o[i] = x);
        }));
    // float64 modulo and floor division, int64 floor division and remainder with negative operands
    r.add("ev_wide_mod", kernel("ev_wide_mod", arg<array<float64>>("a"), arg<array<float64>>("b"),
                                arg<array<int64>>("k"), arg<array<float64>>("out"), arg<array<int64>>("q"))(
        [](auto a, auto b, auto k, auto o, auto q) {
            local<int_> i("i");
            return body(i = tid(), o[i] = a[i] % b[i] + floordiv(a[i], b[i]) * wp::float64(0.25),
                        q[i] = floordiv(k[i] - wp::int64(5), wp::int64(2)) * wp::int64(10) + (k[i] - wp::int64(5)) % wp::int64(3));
        }));
    // min/max ties: Warp's adj_min/adj_max give the gradient of equal operands to the second one. x equals b[i]
    // in float32 (a[i] * 1e-9 is below half an ulp of b[i]) but depends on a[i]; the 1e9 factor makes that
    // dependence visible: Warp's d out / d a is 0 (the tie goes to b[i]), the first operand would give it 1.
    r.add("ev_ties", kernel("ev_ties", arg<array<float_>>("a"), arg<array<float_>>("b"), arg<array<float_>>("out"))(
        [](auto a, auto b, auto o) {
            local<int_> i("i");
            local<float_> x("x");
            return body(i = tid(), x = b[i] + a[i] * 1.0e-9,
                        o[i] = (wp::max(x, b[i]) + wp::min(x, b[i])) * 1.0e9);
        }));
    // error functions (float32, float16, float64), copysign's sign-agreement adjoint, rint (no adjoint)
    r.add("ev_erf_copysign", kernel("ev_erf_copysign", arg<array<float_>>("a"), arg<array<float_>>("b"),
                                    arg<array<float16>>("h"), arg<array<float64>>("d"), arg<array<float_>>("out"),
                                    arg<array<float64>>("od"))([](auto a, auto b, auto h, auto d, auto o, auto od) {
        local<int_> i("i");
        return body(i = tid(),
                    o[i] = wp::erf(a[i] - 1.0) * wp::copysign(a[i], 1.25 - b[i]) + wp::erfc(b[i]) +
                           wp::rint(a[i] * 3.0) + py::float_(wp::erf(h[i] - wp::float16(1.0))),
                    od[i] = wp::erfc(d[i] * d[i] - wp::float64(1.5)));
    }));
    // bitwise atomics: `a[i] &= v` etc. on int32/uint64 arrays, explicit wp.atomic_xor with its old value, and an
    // int16 array (no atomics: load, operate, store); threads collide on o[0] and u[0]
    r.add("ev_bitwise_atomics", kernel("ev_bitwise_atomics", arg<array<int_>>("m"), arg<array<int_>>("o"),
                                       arg<array<uint64>>("u"), arg<array<int16>>("s"), arg<array<int_>>("w"))(
        [](auto m, auto o, auto u, auto s, auto w) {
            local<int_> i("i"), old("old");
            return body(i = tid(), o[i] &= m[i], o[0] |= m[i] * 4, o[i] ^= m[i] + 8, u[0] ^= wp::uint64(1),
                        u[i] |= wp::uint64(6), old = wp::atomic_xor(o, i, 7), wp::atomic_and(u, i, wp::uint64(12)),
                        s[i] ^= wp::int16(3), w[i] = old);
        }));
    // a transform's .p and .q (loaded, local, float64)
    r.add("ev_transform_parts", kernel("ev_transform_parts", arg<array<transform>>("xf"), arg<array<transformd>>("xd"),
                                       arg<array<vec3>>("p"), arg<array<quat>>("q"), arg<array<vec3d>>("pd"))(
        [](auto xf, auto xd, auto p, auto q, auto pd) {
            local<int_> i("i");
            local<transform> t("t");
            return body(i = tid(), t = xf[i], p[i] = t.p() + xf[0].p() * 2.0, q[i] = t.q() * t.q(),
                        pd[i] = wp::quat_rotate(xd[i].q(), xd[i].p()));
        }));
    // component updates of locals (Warp's assign_inplace, add_inplace, sub_inplace; extract + op + assign for
    // `*=` and `.x +=`): the variable changes in place, so the adjoints of its earlier uses (the dot product) read
    // the updated value, and an overwritten component keeps its adjoint
    r.add("ev_component_updates", kernel("ev_component_updates", arg<array<vec3>>("v"), arg<array<mat22>>("m"),
                                         arg<array<quat>>("q"), arg<array<float_>>("a"), arg<array<vec2h>>("h"),
                                         arg<array<mat22d>>("md"), arg<array<vec3>>("w"), arg<array<mat22>>("mo"),
                                         arg<array<float_>>("out"))(
        [](auto v, auto m, auto q, auto a, auto h, auto md, auto w, auto mo, auto out) {
            local<int_> i("i");
            local<vec3> u("u");
            local<mat22> n("n");
            local<quat> r("r");
            local<float_> d("d");
            local<vec2h> g("g");
            local<mat22d> e("e");
            return body(i = tid(), u = v[i], d = wp::dot(u, u), u[0] = a[i] * 2.0, u[1] += a[i], u[2] -= d * 0.5,
                        u.x() *= a[i], u.y() += 1.0, n = m[i], n(0, 1) = u[2], n[1] = wp::vec2(a[i], 1.0),
                        n(1, 1) *= 3.0, n[0] -= wp::vec2(0.5, a[i]), r = q[i], r[3] = a[i], r.z() -= 0.25,
                        g = h[i], g[1] -= g[0], g.x() *= wp::float16(2.0), e = md[i], e(1, 0) += e(0, 1),
                        e[0] = wp::vec2d(e(1, 1), wp::float64(0.5)), h[i] = g, md[i] = e,
                        w[i] = u, mo[i] = n, out[i] = d + r[0] * r[3] + r.z());
        }));
    // component updates under control flow: a dynamic loop with a dynamic index, an unrolled loop, a while loop, an
    // if/else, a vector argument updated in place, and an integer vector with bitwise updates
    r.add("ev_component_flow", kernel("ev_component_flow", arg<array<vec3>>("v"), arg<array<vec3i>>("c"),
                                      arg<array<float_>>("a"), arg<vec3>("base"), arg<int_>("n"),
                                      arg<array<vec3>>("w"), arg<array<vec3i>>("co"))(
        [](auto v, auto c, auto a, auto base, auto n, auto w, auto co) {
            local<int_> i("i"), k("k"), t("t");
            local<vec3> u("u");
            local<vec3i> b("b");
            return body(i = tid(), u = v[i], b = c[i], t = py::int_(0),
                        for_(k, range(n))(u[k % 3] += a[k] * u[(k + 1) % 3], b[k % 3] ^= k),
                        for_(k, range(3))(base[k] *= a[k], b[k] += 1),
                        while_(t < 2)(u.z() = u.z() * 0.5 + a[t], b[2] &= 6, t = t + 1),
                        if_(u[0] > 0.0)(u[1] = u[0] * base[2]).else_(u.y() -= base[0]),
                        w[i] = u + base, co[i] = b);
        }));
    // a transform local's parts and components set in place (transform_set_translation/rotation, get + op + set,
    // assign_inplace / add_inplace / extract + mul + assign on its seven components), then used
    r.add("ev_transform_update", kernel("ev_transform_update", arg<array<transform>>("a"), arg<array<vec3>>("v"),
                                        arg<array<float_>>("s"), arg<array<transform>>("out"), arg<array<vec3>>("w"))(
        [](auto a, auto v, auto s, auto out, auto w) {
            local<int_> i("i");
            local<transform> t("t");
            return body(i = tid(), t = a[i], w[i] = wp::transform_point(t, v[i]), t.p() = v[i] * s[i],
                        t.p() += v[i], t.q() *= s[i], t[3] = s[i], t[1] -= s[i] * 0.5, t[5] *= 2.0, out[i] = t,
                        w[i] += wp::transform_vector(t, v[i]));
        }));
    // components of array elements (Warp's slot store): the stored value takes the slot's gradient and clears it;
    // an array element on the right is copied, so its gradient reaches its array; later reads of the element see
    // the stored component
    r.add("ev_slot_store", kernel("ev_slot_store", arg<array<vec3>>("v"), arg<array<float_>>("a"),
                                  arg<array<mat22>>("m"), arg<array<quat>>("q"), arg<array<transform>>("t"),
                                  arg<array<vec3d>>("d"), arg<array<float_>>("out"))(
        [](auto v, auto a, auto m, auto q, auto t, auto d, auto out) {
            local<int_> i("i");
            local<float_> x("x");
            return body(i = tid(), x = a[i] * 2.0, v[i].x() = a[i], v[i][1] = x * v[i][2], m[i](1, 0) = wp::sin(x),
                        q[i].w() = a[i] + 1.0, q[i][0] = x, t[i].p() = v[i], t[i][4] = x * 0.5,
                        d[i].z() = wp::float64(x), out[i] = v[i][0] * m[i](1, 1) + q[i].w() + t[i][1]);
        }));
    // wp.where: the adjoint goes to the selected value only; bool and integer conditions; vector values; both
    // values are computed whatever the condition (unlike `x if c else y`, whose branches Warp guards with ifs)
    r.add("ev_where", kernel("ev_where", arg<array<float_>>("a"), arg<array<int_>>("m"), arg<array<vec3>>("v"),
                             arg<array<float64>>("d"), arg<array<float_>>("out"), arg<array<vec3>>("w"))(
        [](auto a, auto m, auto v, auto d, auto o, auto w) {
            local<int_> i("i");
            local<float_> x("x");
            return body(i = tid(), x = wp::where(a[i] > 1.25, a[i] * 2.0, wp::sin(a[i])),
                        o[i] = x * wp::where(m[i] % 2, 1.5, -1.0) + py::float_(wp::where(m[i] > 1, d[i], d[i] * d[i])),
                        w[i] = wp::where(x < 1.0 and m[i] > 1, v[i] * x, wp::normalize(v[i])));
        }));
}
