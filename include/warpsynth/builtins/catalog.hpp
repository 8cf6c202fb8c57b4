// warpsynth/builtins/catalog.hpp — what Warp's code generator needs to know about each builtin it calls.
//
// For a call Warp emits `wp::<native>(args)` forward and `wp::adj_<native base>(...)` in the reverse pass. Three
// per-overload facts change the text: whether the adjoint also receives the primal output
// (`require_original_output_arg`), whether the builtin is differentiable at all, and whether its replay in the
// backward pass is commented out (`skip_replay`: stores and atomics). `resolve()` answers them from the argument
// types, overload by overload, as Warp's builtin registry does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "warpsynth/syntax/tree.hpp"
#include "warpsynth/types/wtype.hpp"

namespace warpsynth::builtins {

enum class fn : std::uint16_t {
    none,
    // internal calls Warp's builder makes itself
    address, load, array_store, copy, assign, extract, where, range, iter_next, iter_reverse, tid, unot,
    add, sub, mul, div, mod, floordiv, pow_op, neg, bit_and, bit_or, bit_xor, lshift, rshift,
    // math
    sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, sqrt, cbrt, exp, log, log2, log10, pow, abs, sign,
    floor, ceil, round, rint, trunc, frac, step, min, max, clamp, lerp, smoothstep, degrees, radians, erf, erfc, copysign,
    // vector / matrix / quaternion / transform
    dot, cross, length, length_sq, normalize, outer, cw_mul, cw_div, transpose, determinant, inverse, trace, diag,
    identity, quat_rotate, quat_rotate_inv, quat_from_axis_angle, quat_inverse, quat_to_matrix, transform_point,
    transform_vector, transform_inverse, transform_get_translation, transform_get_rotation, transform_set_translation,
    transform_set_rotation,
    // atomics
    atomic_add, atomic_sub, atomic_min, atomic_max, atomic_and, atomic_or, atomic_xor,
    // in-place updates of a local vector/quaternion/matrix component: `v[i] = x`, `v[i] += x`, ...
    assign_inplace, add_inplace, sub_inplace, bit_and_inplace, bit_or_inplace, bit_xor_inplace,
    // constructors and casts
    construct_scalar,  // float(x), int(x), wp.float64(x), ...: the result type says which
    construct_vector, construct_matrix, construct_quat, construct_transform,
};

// The Python name Warp registers a builtin under (`wp.<key>`).
constexpr std::string_view key(fn f) {
    switch (f) {
#define K(x) case fn::x: return std::string_view(#x, sizeof(#x) - 1);
        K(address) K(load) K(array_store) K(copy) K(assign) K(extract) K(where) K(range) K(iter_next)
        K(iter_reverse) K(tid) K(unot) K(add) K(sub) K(mul) K(div) K(mod) K(floordiv) K(neg) K(bit_and) K(bit_or)
        K(bit_xor) K(lshift) K(rshift) K(sin) K(cos) K(tan) K(asin) K(acos) K(atan) K(atan2) K(sinh) K(cosh) K(tanh)
        K(sqrt) K(cbrt) K(exp) K(log) K(log2) K(log10) K(pow) K(abs) K(sign) K(floor) K(ceil) K(round) K(trunc)
        K(frac) K(step) K(min) K(max) K(clamp) K(lerp) K(smoothstep) K(degrees) K(radians) K(rint) K(erf) K(erfc)
        K(copysign) K(dot) K(cross) K(length) K(length_sq)
        K(normalize) K(outer) K(cw_mul) K(cw_div) K(transpose) K(determinant) K(inverse) K(trace) K(diag)
        K(identity) K(quat_rotate) K(quat_rotate_inv) K(quat_from_axis_angle) K(quat_inverse) K(quat_to_matrix)
        K(transform_point) K(transform_vector) K(transform_inverse) K(transform_get_translation)
        K(transform_get_rotation) K(transform_set_translation) K(transform_set_rotation) K(atomic_add) K(atomic_sub) K(atomic_min) K(atomic_max) K(atomic_and)
        K(atomic_or) K(atomic_xor) K(assign_inplace) K(add_inplace) K(sub_inplace) K(bit_and_inplace)
        K(bit_or_inplace) K(bit_xor_inplace)
#undef K
    case fn::pow_op: return std::string_view("pow", 3);
    default: return "";
    }
}

// The builtin Warp's builder calls for `a[i] <op>= v` on an array of scalar type `s`: an atomic for + - & | ^, or
// fn::none where it loads, operates and stores instead (other operators; 8- and 16-bit integer arrays, Warp's
// non_atomic_types).
constexpr fn augmented_array_atomic(syntax::op o, scalar_kind s) {
    if (s == scalar_kind::int8 || s == scalar_kind::uint8 || s == scalar_kind::int16 || s == scalar_kind::uint16)
        return fn::none;
    switch (o) {
    case syntax::op::add: return fn::atomic_add;
    case syntax::op::sub: return fn::atomic_sub;
    case syntax::op::bit_and: return fn::atomic_and;
    case syntax::op::bit_or: return fn::atomic_or;
    case syntax::op::bit_xor: return fn::atomic_xor;
    default: return fn::none;
    }
}

// The builtin Warp's builder calls for `v[i] <op>= x` on a component of a local vector/quaternion/matrix/transform:
// an in-place update for + - & | ^, or fn::none where it extracts, operates and assigns in place instead (other
// operators; every `v.x <op>= x`).
constexpr fn augmented_component_inplace(syntax::op o) {
    switch (o) {
    case syntax::op::add: return fn::add_inplace;
    case syntax::op::sub: return fn::sub_inplace;
    case syntax::op::bit_and: return fn::bit_and_inplace;
    case syntax::op::bit_or: return fn::bit_or_inplace;
    case syntax::op::bit_xor: return fn::bit_xor_inplace;
    default: return fn::none;
    }
}

// A forward name with template arguments (`mat_t<4, 4, wp::float64>`), formatted in place: resolve() runs for
// every call Warp emits, so its answer must not allocate.
class call_name {
  public:
    static constexpr std::size_t capacity = 48;  // the longest spelling, `mat_t<...>`, is 24 characters
    constexpr call_name() = default;
    // Most names are plain: kept as a view of the catalog's static string, not copied.
    constexpr call_name(std::string_view s) : plain_(s) {}
    constexpr call_name& operator+=(std::string_view s) {
        spell_out();
        put(s);
        return *this;
    }
    constexpr call_name& operator+=(unsigned n) {  // a vector's or matrix's size
        spell_out();
        if (n >= 10) *this += n / 10;
        if (n_ < capacity) s_[n_++] = static_cast<char>('0' + n % 10);
        return *this;
    }
    constexpr std::string_view view() const { return n_ ? std::string_view{s_, n_} : plain_; }

  private:
    std::string_view plain_;
    char s_[capacity];  // only [0, n_) is ever read: left uninitialized, as resolve() runs per call
    std::size_t n_ = 0;

    constexpr void put(std::string_view s) {
        for (char c : s)
            if (n_ < capacity) s_[n_++] = c;
    }
    // Template arguments are being added: copy the plain name into the buffer first.
    constexpr void spell_out() {
        if (plain_.empty()) return;
        put(plain_);
        plain_ = {};
    }
};

struct call_info {
    call_name forward;          // name in the forward call, template arguments included: `vec_t<3, wp::float32>`
    std::string_view adjoint;   // base of the adjoint name: `adj_<adjoint>`
    std::string_view prefix;    // namespace prefix: "wp::" or "" (tid, bool casts)
    bool require_output = false;
    bool differentiable = true;
    bool skip_replay = false;
    bool multiple_outputs = false;  // builtin_tid2d(var_0, var_1)
};

// `args` are the (value) types of the call's arguments in order; `result` the call's type.
constexpr call_info resolve(fn f, const wtype* args, std::size_t nargs, wtype result) {
    call_info c;
    c.prefix = "wp::";
    auto a0 = nargs > 0 ? args[0] : wtype{};
    auto a1 = nargs > 1 ? args[1] : wtype{};
    auto named = [&](std::string_view n) {
        c.forward = n;
        c.adjoint = n;
    };
    // `wp::float32`, `bool`: the template argument naming the result's scalar type.
    auto scalar_ctype = [&](call_name& out) {
        if (result.scalar == scalar_kind::boolean) {
            out += "bool";
        } else {
            out += "wp::";
            out += scalar_name(result.scalar);
        }
    };
    switch (f) {
    case fn::construct_scalar:
        named(result.is_bool() ? "bool" : scalar_name(result.scalar));
        if (result.is_bool()) c.prefix = "";
        c.differentiable = is_float(result.scalar);
        break;
    case fn::construct_vector:
        named("vec_t");
        c.forward += "<";
        c.forward += unsigned{result.rows};
        c.forward += ", ";
        scalar_ctype(c.forward);
        c.forward += ">";
        break;
    case fn::construct_matrix:
        named("mat_t");
        c.forward += "<";
        c.forward += unsigned{result.rows};
        c.forward += ", ";
        c.forward += unsigned{result.cols};
        c.forward += ", ";
        scalar_ctype(c.forward);
        c.forward += ">";
        break;
    case fn::construct_quat:
        named("quat_t");
        c.forward += "<";
        scalar_ctype(c.forward);
        c.forward += ">";
        break;
    case fn::construct_transform:
        named("transform_t");
        c.forward += "<";
        scalar_ctype(c.forward);
        c.forward += ">";
        break;
    case fn::identity:
        named("identity");
        c.forward += "<";
        c.forward += unsigned{result.rows};
        c.forward += ", ";
        scalar_ctype(c.forward);
        c.forward += ">";
        c.differentiable = false;
        break;
    case fn::tid:
        c.prefix = "";
        named("builtin_tid1d");
        c.differentiable = false;
        break;
    default: named(key(f)); break;
    }
    switch (f) {
    // The adjoint needs the primal output.
    case fn::sqrt: case fn::cbrt: case fn::exp: case fn::tanh: case fn::pow: case fn::pow_op: case fn::inverse:
    case fn::cw_div: case fn::length:
        c.require_output = true;
        break;
    case fn::div: c.require_output = a0.is_scalar() && a1.is_scalar(); break;
    case fn::normalize: c.require_output = a0.kind == type_kind::vector; break;
    // Not differentiable.
    case fn::floor: case fn::ceil: case fn::round: case fn::rint: case fn::trunc: case fn::frac: case fn::sign:
    case fn::step:
    case fn::floordiv: case fn::bit_and: case fn::bit_or: case fn::bit_xor: case fn::lshift: case fn::rshift:
    case fn::load: case fn::range: case fn::iter_next: case fn::iter_reverse: case fn::unot:
    case fn::bit_and_inplace: case fn::bit_or_inplace: case fn::bit_xor_inplace:
        c.differentiable = false;
        break;
    case fn::mod: c.differentiable = a0.is_scalar(); break;
    // Side effects: the backward pass's replay comments them out.
    case fn::array_store: case fn::atomic_add: case fn::atomic_sub: case fn::atomic_min: case fn::atomic_max:
        c.skip_replay = true;
        break;
    // Bitwise atomics: side effects and no adjoint.
    case fn::atomic_and: case fn::atomic_or: case fn::atomic_xor:
        c.skip_replay = true;
        c.differentiable = false;
        break;
    default: break;
    }
    return c;
}

}  // namespace warpsynth::builtins
