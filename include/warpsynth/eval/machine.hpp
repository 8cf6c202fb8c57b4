// warpsynth/eval/machine.hpp — a host interpreter of a lowered kernel description (syntax::tree) with Warp's
// semantics, and two gradient engines.
//
// Forward (`run_forward`). Every thread of the launch runs, one after the other in increasing linear thread index
// (the order of Warp's CPU backend), over host arrays that the kernel reads and writes. Atomics are therefore plain
// sequential read-modify-writes; for add/sub that is order-independent up to rounding, and for min/max exactly
// order-independent, so the sequential result is a valid Warp result. Scalars have their dtype's exact arithmetic
// (eval/ops.hpp); control flow is Python's: if/elif/else, for over range() (Warp's range_t stepping), while,
// break/continue/return, ternaries, short-circuit and/or, chained comparisons.
//
// Mathematical gradient (forward mode, `want_tangents`). Every float component of every array's initial contents
// is an independent input; each value carries a sparse tangent vector (d value / d input), propagated with each
// operation's local Jacobian (eval/ops.hpp, derivative rules = the mathematical ones). This is the derivative of
// the described computation, sequential atomics and all.
//
// Warp's backward (`run_backward`). The backward kernel Warp generates does not compute that derivative in every
// case: it replays the forward body without dynamic loops (`for` over a non-constant or > max_unroll range, and
// every `while`) and without stores/atomics, then walks the statements in reverse; a dynamic loop's adjoint re-runs
// the loop (for: in reverse order, while: in forward order) replaying each iteration's body before its adjoints,
// with loop-carried locals held in one variable that the replay overwrites (wp::assign / wp::adj_assign); a
// `break` or `continue` met during such a replay skips that iteration's adjoints; adjoints read the *current*
// value of their primal variables. adj_array_store moves an element's adjoint into the stored value and clears
// it; adj_atomic_add/sub pass it on unchanged; adj_atomic_min/max pass it only where the value equals the array's
// element; adj_frac is absent and adj_mod ignores the divisor. `run_backward` emulates exactly that program,
// thread by thread in increasing index, as the CPU backward kernel runs, with the primal arrays holding the launch's
// initial contents (the harness launches the backward on the pre-forward arrays) and the adjoint arrays aliasing
// the gradient arrays (as Warp's Tape does). Where this differs from the mathematical gradient, `events` names the
// construct responsible.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "warpsynth/builtins/catalog.hpp"
#include "warpsynth/eval/ops.hpp"
#include "warpsynth/eval/value.hpp"
#include "warpsynth/syntax/tree.hpp"

namespace warpsynth::eval {

// A kernel argument's host storage.
struct host_array {
    wtype type{};                      // the array type (kind array)
    std::vector<std::int64_t> shape;   // elements per dimension, outermost first
    int comps = 1;                     // components per element
    std::vector<double> f;             // float arrays: numel * comps components
    std::vector<std::int64_t> i;       // integer / bool arrays

    bool is_float() const { return warpsynth::is_float(type.scalar); }
    std::int64_t numel() const {
        std::int64_t n = 1;
        for (auto d : shape) n *= d;
        return n;
    }
    std::size_t size() const { return static_cast<std::size_t>(numel() * comps); }
    static host_array make(const wtype& t, std::vector<std::int64_t> shape) {
        host_array a;
        a.type = t;
        a.shape = std::move(shape);
        a.comps = components(t.value());
        if (a.is_float()) a.f.assign(a.size(), 0.0);
        else a.i.assign(a.size(), 0);
        return a;
    }
};

// The arguments of one launch, in the kernel's argument order: each is an array or a scalar (any value type).
struct launch_args {
    std::vector<host_array> arrays;
    std::vector<value> values;
    std::vector<int> slot;  // per kernel argument: index into `arrays` (is_array) or `values`
    std::vector<bool> is_array;
};

struct eval_options {
    int max_unroll = 16;                       // Warp's module option: constant ranges up to this many trips unroll
    std::int64_t max_loop_iterations = 1 << 20;  // per loop per thread: a guard against non-terminating loops
    // Sensitivity runs (reference.hpp, `sensitivity`): the result of every float operation is multiplied by
    // (1 + u * perturb_ulps * epsilon of its dtype), u uniform in [-1, 1] from `perturb_seed`, and rounded to the
    // dtype — a model of an implementation whose math functions, FMA contraction or summation order differ by a few
    // units in the last place.
    double perturb_ulps = 0.0;
    std::uint64_t perturb_seed = 0;
};

// Constructs whose Warp gradient is not the mathematical one, met while evaluating (names are stable keys).
struct event_set {
    std::set<std::string> names;
    void add(std::string_view n) { names.emplace(n); }
    bool empty() const { return names.empty(); }
};

namespace machine_detail {

using tangent = std::vector<std::pair<std::uint32_t, double>>;  // sorted by input id

// out += a * x
inline void axpy(tangent& out, double a, const tangent& x) {
    if (a == 0.0 || x.empty()) return;
    if (out.empty()) {
        out.reserve(x.size());
        for (auto& [id, d] : x) out.emplace_back(id, a * d);
        return;
    }
    tangent r;
    r.reserve(out.size() + x.size());
    std::size_t p = 0, q = 0;
    while (p < out.size() || q < x.size()) {
        if (q == x.size() || (p < out.size() && out[p].first < x[q].first)) r.push_back(out[p++]);
        else if (p == out.size() || x[q].first < out[p].first) {
            r.emplace_back(x[q].first, a * x[q].second);
            ++q;
        } else {
            r.emplace_back(out[p].first, out[p].second + a * x[q].second);
            ++p;
            ++q;
        }
    }
    out.swap(r);
}

// An evaluated expression.
struct tv {
    value v;
    std::vector<tangent> t;  // forward: tangents per component (empty: none)
    std::uint32_t vid = 0;   // backward: the variable holding it (0: none)
    bool cnst = false;       // a compile-time constant for Warp (literal, unrolled loop index)
    bool poison = false;     // backward: a value Warp's replay never computes (an atomic's result)
    bool atomic_old = false; // forward: the previous value an atomic returned (Warp gives it no gradient)
    int array = -1;          // a kernel array argument: its slot
    // a Warp constant made from a Python literal: the literal's exact value (before rounding to float32)
    bool has_lit = false, int_lit = false;
    double lit = 0.0;
    std::int64_t ilit = 0;
};

enum class flow : std::uint8_t { normal, brk, cont, ret };

struct env_t {
    std::vector<std::pair<std::string_view, tv>> items;
    tv* find(std::string_view n) {
        for (auto& [k, v] : items)
            if (k == n) return &v;
        return nullptr;
    }
    void set(std::string_view n, tv v) {
        if (auto* p = find(n)) *p = std::move(v);
        else items.emplace_back(n, std::move(v));
    }
};

// --- the backward emulator's variables and tape ----------------------------------------------------------------
struct var {
    value v;
    std::vector<double> adj;  // float variables: one adjoint per component
    bool cnst = false;
    bool poison = false;
};

struct entry {
    enum class kind : std::uint8_t { op, pass, copy, assign, extract, inplace, load, store, atomic, dyn_for, while_loop };
    kind k{};
    opdesc desc{};
    std::uint32_t out = 0;
    std::array<std::uint32_t, 10> in{};
    int nin = 0;
    // extract, inplace: first component and count (inplace: `elem` is the sign, -1 for sub_inplace);
    // load/store/atomic: array slot, first flat component
    int first = 0, count = 0;
    int array = -1;
    std::int64_t elem = 0;
    std::array<std::uint32_t, 4> idx{};  // the index variables: Warp's adjoint re-reads them (adj_address(a, var_k))
    int nidx = 0;
    builtins::fn f = builtins::fn::none;
    // loops
    syntax::node_id node = 0;
    std::shared_ptr<env_t> env;
    std::int64_t start = 0, end = 0, step = 0;
    std::uint32_t iter_var = 0;
};

}  // namespace machine_detail

class machine {
  public:
    using tv = machine_detail::tv;
    using flow = machine_detail::flow;
    using env_t = machine_detail::env_t;
    using entry = machine_detail::entry;
    using tangent = machine_detail::tangent;

    explicit machine(const syntax::tree& t, eval_options opt = {}) : t_(t), opt_(opt), perturb_state_(opt.perturb_seed) {}

    // The number of wp.tid() coordinates the kernel unpacks (1 when it never calls wp.tid()).
    int kernel_dim() const {
        int dim = 1;
        scan_tid(t_.body.data(), t_.body.size(), dim);
        return dim;
    }

    // Names of the array arguments the kernel writes (stores, augmented assignments, atomics), in argument order.
    std::vector<int> written_arrays() const {
        std::vector<std::string_view> names;
        for (auto id : t_.body) collect_writes(id, names);
        std::vector<int> out;
        for (std::size_t k = 0; k < t_.args.size(); ++k)
            if (t_.args[k].type.is_array() &&
                std::find(names.begin(), names.end(), std::string_view(t_.args[k].name)) != names.end())
                out.push_back(static_cast<int>(k));
        return out;
    }

    struct forward_result {
        // per array slot: d(final component)/d(input id), when tangents were requested
        std::vector<std::vector<tangent>> tangents;
        std::vector<std::uint32_t> id_base;  // per array slot: id of its first component (float arrays)
        event_set events;
    };

    // Run the launch; `args.arrays` are updated in place.
    forward_result run_forward(launch_args& args, const std::vector<std::int64_t>& launch, bool want_tangents) {
        mode_ = mode::forward;
        args_ = &args;
        tangents_ = want_tangents;
        forward_result res;
        res.id_base.assign(args.arrays.size(), 0);
        std::uint32_t next = 0;
        atan_.assign(args.arrays.size(), {});
        writer_.assign(args.arrays.size(), {});
        reader_.assign(args.arrays.size(), {});
        for (std::size_t s = 0; s < args.arrays.size(); ++s) {
            auto& a = args.arrays[s];
            writer_[s].assign(static_cast<std::size_t>(a.numel()), -1);
            reader_[s].assign(static_cast<std::size_t>(a.numel()), -1);
            if (!a.is_float()) continue;
            res.id_base[s] = next;
            if (want_tangents) {
                atan_[s].resize(a.size());
                for (std::size_t c = 0; c < a.size(); ++c) atan_[s][c] = {{next + static_cast<std::uint32_t>(c), 1.0}};
            }
            next += static_cast<std::uint32_t>(a.size());
        }
        events_ = {};
        for_each_thread(launch, [&](std::int64_t task, const std::vector<int>& coords) {
            thread_ = task;
            coords_ = coords;
            env_t env;
            bind_args(env);
            exec_block(env, t_.body.data(), t_.body.size());
        });
        res.tangents = std::move(atan_);
        res.events = std::move(events_);
        return res;
    }

    struct backward_result {
        std::vector<std::vector<double>> adjoints;  // per array slot (float arrays): the gradient arrays after
        event_set events;
        bool unpredictable = false;  // Warp's backward reads a value its replay never computes
        std::string why;
    };

    // Emulate Warp's backward kernel over the launch: `args` hold the primal arrays it runs on, `seed` the initial
    // contents of the adjoint (= gradient) arrays per array slot (empty for non-float arrays). Values Warp's replay
    // leaves uninitialized (an atomic's result, a local first assigned in a skipped loop) take `poison_f` (floats)
    // and `poison_i` (integers).
    backward_result run_backward(const launch_args& args, const std::vector<std::int64_t>& launch,
                                 std::vector<std::vector<double>> seed, double poison_f = 0.0,
                                 std::int64_t poison_i = 0) {
        poison_f_ = poison_f;
        poison_i_ = poison_i;
        mode_ = mode::replay;
        launch_args primal = args;  // the replay never writes
        args_ = &primal;
        tangents_ = false;
        adjarr_ = std::move(seed);
        events_ = {};
        unpredictable_ = false;
        why_.clear();
        for_each_thread(launch, [&](std::int64_t task, const std::vector<int>& coords) {
            thread_ = task;
            coords_ = coords;
            vars_.clear();
            vars_.emplace_back();  // id 0: none
            std::vector<entry> tape;
            tape_ = &tape;
            env_t env;
            bind_args(env);
            loop_stack_.clear();
            exec_block(env, t_.body.data(), t_.body.size());
            reverse(tape);
        });
        backward_result r;
        r.adjoints = std::move(adjarr_);
        r.events = std::move(events_);
        r.unpredictable = unpredictable_;
        r.why = why_;
        return r;
    }

  private:
    enum class mode { forward, replay };
    using node = syntax::node;
    using nk = syntax::node_kind;

    const syntax::tree& t_;
    eval_options opt_;
    std::uint64_t perturb_state_ = 0;
    mode mode_ = mode::forward;
    launch_args* args_ = nullptr;
    bool tangents_ = false;
    std::int64_t thread_ = 0;
    std::vector<int> coords_;
    std::vector<std::vector<tangent>> atan_;
    std::vector<std::vector<std::int64_t>> writer_, reader_;  // per element: last writing / first reading thread
    event_set events_;
    // backward
    std::vector<machine_detail::var> vars_;
    std::vector<entry>* tape_ = nullptr;
    std::vector<std::vector<double>> adjarr_;
    bool unpredictable_ = false;
    std::string why_;
    double poison_f_ = 0.0;
    std::int64_t poison_i_ = 0;
    // the dynamic loop whose body a reverse pass is replaying (its loop-entry symbols), innermost last
    std::vector<const env_t*> loop_stack_;

    [[noreturn]] void fail(const std::string& msg) const { throw eval_error(t_.name + ": " + msg); }

    // --- static scans ----------------------------------------------------------------------------------------
    void scan_tid(const syntax::node_id* ids, std::size_t n, int& dim) const {
        for (std::size_t k = 0; k < n; ++k) {
            const node& s = t_[ids[k]];
            if (s.kind == nk::assign && t_[t_.child(s, 1)].kind == nk::call &&
                t_[t_.child(s, 1)].builtin == static_cast<std::uint16_t>(builtins::fn::tid)) {
                const node& tgt = t_[t_.child(s, 0)];
                dim = std::max(dim, tgt.kind == nk::tuple ? static_cast<int>(tgt.count) : 1);
            }
            std::vector<syntax::node_id> kids;
            for (std::uint32_t c = 0; c < s.count; ++c)
                if (syntax::is_statement(t_[t_.child(s, c)].kind)) kids.push_back(t_.child(s, c));
            if (!kids.empty()) scan_tid(kids.data(), kids.size(), dim);
        }
    }
    void collect_writes(syntax::node_id id, std::vector<std::string_view>& out) const {
        const node& n = t_[id];
        auto target_array = [&](syntax::node_id tid) {
            const node& tg = t_[tid];
            if (tg.kind == nk::subscript && t_[t_.child(tg, 0)].type.is_array())
                out.push_back(t_.text_of(t_[t_.child(tg, 0)]));
        };
        if (n.kind == nk::assign || n.kind == nk::aug_assign) target_array(t_.child(n, 0));
        if (n.kind == nk::call) {
            auto f = static_cast<builtins::fn>(n.builtin);
            if ((f == builtins::fn::atomic_add || f == builtins::fn::atomic_sub || f == builtins::fn::atomic_min ||
                 f == builtins::fn::atomic_max) &&
                n.count > 0)
                out.push_back(t_.text_of(t_[t_.child(n, 0)]));
        }
        for (std::uint32_t c = 0; c < n.count; ++c) collect_writes(t_.child(n, c), out);
    }
    bool contains_break(const node& n, std::uint32_t from) const {
        for (auto i = from; i < n.count; ++i) {
            const node& s = t_[t_.child(n, i)];
            if (s.kind == nk::break_stmt || s.kind == nk::continue_stmt) return true;
            if (s.kind == nk::if_stmt && contains_break(s, 1)) return true;
        }
        return false;
    }

    // --- launch ------------------------------------------------------------------------------------------------
    template <class F>
    void for_each_thread(const std::vector<std::int64_t>& launch, F&& f) {
        std::int64_t total = 1;
        for (auto d : launch) total *= d;
        std::vector<int> c(launch.size());
        for (std::int64_t task = 0; task < total; ++task) {
            std::int64_t rem = task;
            for (std::size_t k = launch.size(); k-- > 1;) {
                c[k] = static_cast<int>(rem % launch[k]);
                rem /= launch[k];
            }
            if (!c.empty()) c[0] = static_cast<int>(rem);
            f(task, c);
        }
    }

    void bind_args(env_t& env) {
        for (std::size_t k = 0; k < t_.args.size(); ++k) {
            tv x;
            int s = args_->slot[k];
            if (args_->is_array[k]) {
                x.array = s;
                x.v.type = t_.args[k].type;
            } else {
                x.v = args_->values[static_cast<std::size_t>(s)];
                if (mode_ == mode::replay) x.vid = new_var(x.v);
            }
            env.set(t_.args[k].name, std::move(x));
        }
    }

    // --- variables (backward) ----------------------------------------------------------------------------------
    std::uint32_t new_var(const value& v, bool cnst = false, bool poison = false) {
        machine_detail::var x;
        x.v = v;
        x.cnst = cnst;
        x.poison = poison;
        vars_.push_back(std::move(x));
        return static_cast<std::uint32_t>(vars_.size() - 1);
    }
    std::vector<double>& adj(std::uint32_t id) {
        auto& x = vars_[id];
        if (x.adj.size() != static_cast<std::size_t>(x.v.n)) x.adj.assign(static_cast<std::size_t>(x.v.n), 0.0);
        return x.adj;
    }
    // A value Warp's replay never assigns (an uninitialized C++ variable): filled with the poison values of this
    // emulation, so that running it twice with different ones shows which gradients depend on it.
    tv poisoned(const wtype& t) {
        value v = value::of(t);
        for (int c = 0; c < v.n; ++c) {
            v.f[static_cast<std::size_t>(c)] = poison_f_;
            v.i[static_cast<std::size_t>(c)] = wrap_int(t.scalar, poison_i_);
        }
        return make(v, false, true);
    }
    // a fresh value in the current mode
    tv make(const value& v, bool cnst = false, bool poison = false) {
        tv r;
        r.v = v;
        r.cnst = cnst;
        r.poison = poison;
        if (mode_ == mode::replay) r.vid = new_var(v, cnst, poison);
        return r;
    }
    void record(entry e) {
        if (tape_) tape_->push_back(std::move(e));
    }
    // the current value of a name (backward: loop-carried variables are overwritten in place)
    tv current(const tv& x) const {
        if (mode_ != mode::replay || x.vid == 0) return x;
        tv r = x;
        r.v = vars_[x.vid].v;
        r.poison = vars_[x.vid].poison;
        return r;
    }

    // --- expressions -------------------------------------------------------------------------------------------
    tv eval(env_t& env, syntax::node_id id) {
        const node& n = t_[id];
        switch (n.kind) {
        case nk::name: {
            std::string_view name = t_.text_of(n);
            if (auto* x = env.find(name)) return current(*x);
            if (mode_ == mode::replay) {
                // a local first assigned inside a dynamic loop that Warp's replay skipped: an uninitialized variable
                events_.add("replay_uninitialized");
                return poisoned(n.type);
            }
            fail("undefined name '" + std::string(name) + "'");
        }
        case nk::constant: {
            value v;
            if (n.ckind == syntax::const_kind::floating) v = value::scalar_f(n.type.scalar, n.num);
            else if (n.ckind == syntax::const_kind::boolean) v = value::boolean(n.inum != 0);
            else if (n.ckind == syntax::const_kind::integer) {
                if (warpsynth::is_float(n.type.scalar)) v = value::scalar_f(n.type.scalar, static_cast<double>(n.inum));
                else v = value::scalar_i(n.type.scalar == scalar_kind::none ? scalar_kind::int32 : n.type.scalar, n.inum);
            } else fail("string constant in an expression");
            tv r = make(v, true);
            r.has_lit = n.ckind != syntax::const_kind::boolean;
            r.int_lit = n.ckind == syntax::const_kind::integer;
            r.lit = n.num;
            r.ilit = n.inum;
            return r;
        }
        case nk::binop: {
            tv a = eval(env, t_.child(n, 0));
            tv b = eval(env, t_.child(n, 1));
            return apply_binop(n.oper, n.type, a, b);
        }
        case nk::unaryop: return unary(env, n);
        case nk::compare: return compare(env, n);
        case nk::boolop: {
            bool is_and = n.oper == syntax::op::and_;
            bool r = is_and;
            for (std::uint32_t k = 0; k < n.count; ++k) {
                tv x = eval(env, t_.child(n, k));
                r = x.v.truth();
                if (is_and ? !r : r) break;  // short circuit
            }
            return make(value::boolean(r));
        }
        case nk::ifexp: {
            tv c = eval(env, t_.child(n, 0));
            syntax::node_id bid = t_.child(n, c.v.truth() ? 1 : 2);
            tv x = eval(env, bid);
            const node& bn = t_[bid];
            if (mode_ == mode::replay && x.v.is_float() && bn.kind == nk::subscript &&
                t_[t_.child(bn, 0)].type.is_array()) {
                // Warp's emit_IfExp loads a branch that is an array element explicitly (adj.load): wp::where then
                // receives the loaded variable, whose adjoint goes nowhere (adj_load is a no-op), instead of the
                // element's address as a builtin argument would
                events_.add("ternary_array_element_gradient_dropped");
                return pass(make(x.v, false, x.poison));
            }
            return pass(x);  // Warp: wp::where(c, x, y), a new variable
        }
        case nk::call: return call(env, n);
        case nk::subscript: return subscript(env, n);
        case nk::attribute: {
            tv x = eval(env, t_.child(n, 0));
            std::string_view a = t_.text_of(n);
            auto r = syntax::attribute_components(a.size() == 1 ? a[0] : '?');
            if (r.count == 0) fail("unsupported attribute ." + std::string(a));
            return extract(x, r.first, r.count, n.type);
        }
        default: fail("unsupported expression node");
        }
    }

    // a new value equal to x (Warp's wp::where / cast to the same float type): the adjoint passes through
    tv pass(const tv& x) { return alias(x, entry::kind::pass); }
    // `x = y`, `x = a[i]`: Warp's wp::copy (a distinct variable)
    tv copy(const tv& x) { return alias(x, entry::kind::copy); }
    // A new variable holding x's value, joined to x in the backward by an entry of kind `k`.
    tv alias(const tv& x, entry::kind k) {
        if (mode_ == mode::forward) {
            tv r = x;
            r.cnst = false;
            return r;
        }
        tv r = make(x.v, false, x.poison);
        if (x.vid && x.v.is_float()) {
            entry e;
            e.k = k;
            e.in[0] = x.vid;
            e.nin = 1;
            e.out = r.vid;
            record(std::move(e));
        }
        return r;
    }

    tv extract(const tv& x, int first, int count, const wtype& type) {
        if (first < 0 || first + count > x.v.n) fail("component index out of range");
        value v = value::of(type);
        for (int k = 0; k < count; ++k) {
            v.f[static_cast<std::size_t>(k)] = x.v.f[static_cast<std::size_t>(first + k)];
            v.i[static_cast<std::size_t>(k)] = x.v.i[static_cast<std::size_t>(first + k)];
        }
        tv r = make(v, false, x.poison);
        if (mode_ == mode::forward) {
            if (!x.t.empty()) r.t.assign(x.t.begin() + first, x.t.begin() + first + count);
        } else if (x.vid && v.is_float()) {
            entry e;
            e.k = entry::kind::extract;
            e.in[0] = x.vid;
            e.nin = 1;
            e.out = r.vid;
            e.first = first;
            e.count = count;
            record(std::move(e));
        }
        return r;
    }

    // `a <o> b` of type `result`
    tv apply_binop(syntax::op o, const wtype& result, const tv& a, const tv& b) {
        const tv* in[2] = {&a, &b};
        return apply(opdesc::binop(o, result, a.v.type, b.v.type), in);
    }
    // an operation of eval/ops.hpp on evaluated arguments
    tv apply(const opdesc& d, const tv* const* in) {
        std::array<const value*, 10> vals{};
        bool poison = false, any_float_in = false;
        for (int k = 0; k < d.nargs; ++k) {
            vals[static_cast<std::size_t>(k)] = &in[k]->v;
            poison = poison || in[k]->poison;
            any_float_in = any_float_in || in[k]->v.is_float();
        }
        std::span<const value* const> sp(vals.data(), static_cast<std::size_t>(d.nargs));
        value v = evaluate(d, sp);
        if (opt_.perturb_ulps > 0 && v.is_float()) perturb(v);
        tv r = make(v, false, poison);
        if (!v.is_float() || !any_float_in) return r;
        if (mode_ == mode::forward) {
            bool any_t = false;
            for (int k = 0; k < d.nargs; ++k) {
                any_t = any_t || !in[k]->t.empty();
                if (in[k]->atomic_old && !in[k]->t.empty()) events_.add("atomic_result_gradient");
            }
            if (!any_t || !tangents_) return r;
            note_convention(d, in);
            jacobian_t J = jacobian(d, sp, rules::math);
            r.t.assign(static_cast<std::size_t>(v.n), {});
            for (int k = 0; k < d.nargs; ++k) {
                if (in[k]->t.empty()) continue;
                int off = J.offset[static_cast<std::size_t>(k)];
                for (int c = 0; c < in[k]->v.n; ++c)
                    for (int o = 0; o < v.n; ++o)
                        machine_detail::axpy(r.t[static_cast<std::size_t>(o)], J.at(o, off + c),
                                             in[k]->t[static_cast<std::size_t>(c)]);
            }
        } else {
            entry e;
            e.k = entry::kind::op;
            e.desc = d;
            for (int k = 0; k < d.nargs; ++k) e.in[static_cast<std::size_t>(k)] = in[k]->vid;
            e.nin = d.nargs;
            e.out = r.vid;
            record(std::move(e));
        }
        return r;
    }

    void perturb(value& v) {
        scalar_kind s = v.type.scalar;
        double eps = s == scalar_kind::float16 ? 0x1p-10 : s == scalar_kind::float32 ? 0x1p-23 : 0x1p-52;
        for (int c = 0; c < v.n; ++c) {
            perturb_state_ += 0x9e3779b97f4a7c15ull;  // splitmix64
            std::uint64_t z = perturb_state_;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            z ^= z >> 31;
            double u = static_cast<double>(z >> 11) * 0x1p-52 - 1.0;  // [-1, 1)
            auto& x = v.f[static_cast<std::size_t>(c)];
            x = round_to(s, x * (1.0 + u * opt_.perturb_ulps * eps));
        }
    }

    // Builtins whose Warp adjoint is not their derivative: remember that they were met with float arguments.
    void note_convention(const opdesc& d, const tv* const* in) {
        if (d.k == opdesc::kind::call && d.f == builtins::fn::frac) events_.add("frac_not_differentiable");
        if ((d.k == opdesc::kind::binop && d.oper == syntax::op::mod) && in[1]->v.is_float())
            events_.add("float_mod_divisor_gradient");
    }

    tv unary(env_t& env, const node& n) {
        const node& c = t_[t_.child(n, 0)];
        if (n.oper == syntax::op::usub && c.kind == nk::constant && c.ckind != syntax::const_kind::string) {
            // Warp folds a negated literal into a constant
            tv x = eval(env, t_.child(n, 0));
            value v = x.v;
            if (v.is_float()) v.f[0] = -v.f[0];
            else v.i[0] = wrap_int(v.type.scalar, -v.i[0]);
            tv r = make(v, true);
            r.has_lit = x.has_lit;
            r.int_lit = x.int_lit;
            r.lit = -x.lit;
            r.ilit = -x.ilit;
            return r;
        }
        tv x = eval(env, t_.child(n, 0));
        if (n.oper == syntax::op::not_) return make(value::boolean(!x.v.truth()));
        opdesc d;
        d.k = opdesc::kind::unary;
        d.oper = n.oper;
        d.result = n.type;
        d.args[0] = x.v.type;
        d.nargs = 1;
        const tv* in[1] = {&x};
        return apply(d, in);
    }

    static bool compare_values(syntax::op o, const value& a, const value& b) {
        auto cmp = [&](auto x, auto y) {
            switch (o) {
            case syntax::op::lt: return x < y;
            case syntax::op::le: return x <= y;
            case syntax::op::gt: return x > y;
            case syntax::op::ge: return x >= y;
            case syntax::op::eq: return x == y;
            case syntax::op::ne: return x != y;
            default: return false;
            }
        };
        if (a.is_float()) return cmp(a.f[0], b.f[0]);
        if (a.type.scalar == scalar_kind::uint64)
            return cmp(static_cast<std::uint64_t>(a.i[0]), static_cast<std::uint64_t>(b.i[0]));
        return cmp(a.i[0], b.i[0]);
    }

    tv compare(env_t& env, const node& n) {
        // Warp evaluates every operand, then `(a < b) && (b < c)`
        std::vector<tv> xs;
        for (std::uint32_t k = 0; k < n.count; ++k) xs.push_back(eval(env, t_.child(n, k)));
        bool r = true;
        for (std::uint32_t k = 0; k + 1 < n.count; ++k)
            r = r && compare_values(t_.ops[n.aux + k], xs[k].v, xs[k + 1].v);
        return make(value::boolean(r));
    }

    // --- arrays ----------------------------------------------------------------------------------------------
    struct element {
        int array = -1;
        std::int64_t elem = 0;   // flat element index
        bool poison = false;     // an index Warp's replay does not compute
        std::array<std::uint32_t, 4> idx{};
        int nidx = 0;
    };
    element locate(env_t& env, const node& n, std::uint32_t first_index, std::uint32_t nidx, int array) {
        const host_array& a = args_->arrays[static_cast<std::size_t>(array)];
        if (nidx != a.shape.size()) fail("indexing an array of " + std::to_string(a.shape.size()) + " dimensions with " +
                                         std::to_string(nidx) + " indices");
        element e;
        e.array = array;
        std::int64_t flat = 0;
        for (std::uint32_t k = 0; k < nidx; ++k) {
            tv ix = eval(env, t_.child(n, first_index + k));
            if (ix.v.is_float()) fail("float array index");
            e.idx[k] = ix.vid;
            std::int64_t i = ix.v.type.scalar == scalar_kind::uint64 && ix.v.i[0] < 0 ? -1 : ix.v.i[0];
            e.poison = e.poison || ix.poison;
            if (ix.poison) i = 0;
            if (i < 0 || i >= a.shape[k])
                fail("array index " + std::to_string(i) + " out of bounds [0, " + std::to_string(a.shape[k]) +
                     ") in dimension " + std::to_string(k) + " (thread " + std::to_string(thread_) + ")");
            flat = flat * a.shape[k] + i;
        }
        e.elem = flat;
        e.nidx = static_cast<int>(nidx);
        return e;
    }
    static void set_element(entry& en, const element& e) {
        en.array = e.array;
        en.elem = e.elem;
        en.idx = e.idx;
        en.nidx = e.nidx;
    }
    // The element an adjoint statement addresses: its index variables' current values (a loop-carried counter may
    // have been overwritten by the replay since the access).
    bool element_now(const entry& en, std::int64_t& flat) {
        const host_array& a = args_->arrays[static_cast<std::size_t>(en.array)];
        flat = 0;
        for (int k = 0; k < en.nidx; ++k) {
            std::uint32_t v = en.idx[static_cast<std::size_t>(k)];
            if (v == 0) {
                flat = en.elem;
                return true;
            }
            std::int64_t i = vars_[v].v.i[0];
            if (i < 0 || i >= a.shape[static_cast<std::size_t>(k)]) {
                unpredictable_ = true;
                why_ = "Warp's backward addresses an array element out of bounds (a loop counter overwritten by the "
                       "replay)";
                return false;
            }
            flat = flat * a.shape[static_cast<std::size_t>(k)] + i;
        }
        if (flat != en.elem) events_.add("adjoint_index_overwritten_by_replay");
        return true;
    }
    void poisoned_index(const element& e) {
        if (!e.poison) return;
        if (args_->arrays[static_cast<std::size_t>(e.array)].is_float()) {
            unpredictable_ = true;
            why_ = "Warp's backward indexes a float array with an atomic's result, which its replay never computes";
        }
        events_.add("replay_uninitialized");
    }

    tv load(const element& e, const wtype& type) {
        const host_array& a = args_->arrays[static_cast<std::size_t>(e.array)];
        value v = value::of(type);
        std::size_t base = static_cast<std::size_t>(e.elem * a.comps);
        for (int c = 0; c < a.comps; ++c) {
            if (a.is_float()) v.f[static_cast<std::size_t>(c)] = a.f[base + static_cast<std::size_t>(c)];
            else v.i[static_cast<std::size_t>(c)] = a.i[base + static_cast<std::size_t>(c)];
        }
        tv r = make(v);
        if (mode_ == mode::forward) {
            auto& w = writer_[static_cast<std::size_t>(e.array)][static_cast<std::size_t>(e.elem)];
            auto& rd = reader_[static_cast<std::size_t>(e.array)][static_cast<std::size_t>(e.elem)];
            if (w >= 0 && a.is_float()) events_.add("read_after_write");
            if (rd < 0) rd = thread_;
            if (tangents_ && a.is_float()) {
                auto& at = atan_[static_cast<std::size_t>(e.array)];
                r.t.assign(at.begin() + static_cast<std::ptrdiff_t>(base),
                           at.begin() + static_cast<std::ptrdiff_t>(base) + a.comps);
            }
        } else {
            poisoned_index(e);
            if (a.is_float() && !e.poison) {
                entry en;
                en.k = entry::kind::load;
                set_element(en, e);
                en.out = r.vid;
                record(std::move(en));
            }
        }
        return r;
    }

    // Memory dependencies the backward does not see: it replays every read from the launch's initial arrays, and
    // adj_array_store takes (and clears) whatever adjoint an element holds when its thread's reverse pass runs.
    void note_write(const element& e, bool by_atomic) {
        const host_array& a = args_->arrays[static_cast<std::size_t>(e.array)];
        if (!a.is_float()) return;
        auto& w = writer_[static_cast<std::size_t>(e.array)][static_cast<std::size_t>(e.elem)];
        auto rd = reader_[static_cast<std::size_t>(e.array)][static_cast<std::size_t>(e.elem)];
        if (rd >= 0 && rd != thread_) events_.add("write_after_foreign_read");
        if (!by_atomic && w >= 0 && w != thread_) events_.add("element_written_by_several_threads");
        w = thread_;
    }

    // a's components [base, base + count) take v's first `count` components.
    static void write_components(host_array& a, std::size_t base, int count, const value& v) {
        for (int c = 0; c < count; ++c) {
            if (a.is_float()) a.f[base + static_cast<std::size_t>(c)] = v.f[static_cast<std::size_t>(c)];
            else a.i[base + static_cast<std::size_t>(c)] = v.i[static_cast<std::size_t>(c)];
        }
    }

    // Store `x` into components [first, first + count) of the element (count < 0: the whole element; a slot
    // store `a[i].x = v` writes one component, `a[i].p = v` three).
    void store_forward(const element& e, const tv& x, bool by_atomic = false, int first = 0, int count = -1) {
        host_array& a = args_->arrays[static_cast<std::size_t>(e.array)];
        if (count < 0) count = a.comps;
        std::size_t base = static_cast<std::size_t>(e.elem * a.comps + first);
        note_write(e, by_atomic);
        if (x.atomic_old && !x.t.empty()) events_.add("atomic_result_gradient");
        write_components(a, base, count, x.v);
        if (tangents_ && a.is_float()) {
            auto& at = atan_[static_cast<std::size_t>(e.array)];
            for (int c = 0; c < count; ++c)
                at[base + static_cast<std::size_t>(c)] = x.t.empty() ? tangent{} : x.t[static_cast<std::size_t>(c)];
        }
    }

    // adj_array_store and adj_array_store_slot: the value takes (and clears) the stored components' gradient.
    // Warp's replay skips an array_store but executes a slot store again (`replayed`): later reads of the
    // element in the backward pass see the stored component.
    void store(const element& e, const tv& x, int first = 0, int count = -1, bool replayed = false) {
        if (mode_ == mode::forward) return store_forward(e, x, false, first, count);
        host_array& a = args_->arrays[static_cast<std::size_t>(e.array)];
        if (replayed && !e.poison) write_components(a, static_cast<std::size_t>(e.elem * a.comps + first), count, x.v);
        if (!a.is_float()) return;
        poisoned_index(e);
        if (e.poison) return;
        entry en;
        en.k = entry::kind::store;
        set_element(en, e);
        en.in[0] = x.vid;
        en.nin = 1;
        en.first = first;
        en.count = count < 0 ? a.comps : count;
        record(std::move(en));
    }

    // wp.atomic_add/sub/min/max (and `a[i] += v` for atomic dtypes): returns the element's previous value
    tv atomic(const element& e, builtins::fn f, const tv& x) {
        using builtins::fn;
        host_array& a = args_->arrays[static_cast<std::size_t>(e.array)];
        const wtype vt = a.type.value();
        if (mode_ == mode::replay) {
            // the replay comments the atomic out: its result variable is never assigned
            poisoned_index(e);
            if (a.is_float() && !e.poison) {
                if (f == fn::atomic_min || f == fn::atomic_max) events_.add("atomic_min_max");
                entry en;
                en.k = entry::kind::atomic;
                en.f = f;
                set_element(en, e);
                en.in[0] = x.vid;
                en.nin = 1;
                record(std::move(en));
            }
            return poisoned(vt);
        }
        // the previous value (not a kernel read: the atomic's adjoint does not depend on it)
        value ov = value::of(vt);
        std::size_t base = static_cast<std::size_t>(e.elem * a.comps);
        for (int c = 0; c < a.comps; ++c) {
            if (a.is_float()) ov.f[static_cast<std::size_t>(c)] = a.f[base + static_cast<std::size_t>(c)];
            else ov.i[static_cast<std::size_t>(c)] = a.i[base + static_cast<std::size_t>(c)];
        }
        tv old = make(ov);
        if (tangents_ && a.is_float()) {
            auto& at = atan_[static_cast<std::size_t>(e.array)];
            old.t.assign(at.begin() + static_cast<std::ptrdiff_t>(base),
                         at.begin() + static_cast<std::ptrdiff_t>(base) + a.comps);
        }
        tv nv;
        if (f != fn::atomic_min && f != fn::atomic_max) {  // add, sub and the bitwise ones: old <op> x
            syntax::op o = f == fn::atomic_add   ? syntax::op::add
                           : f == fn::atomic_sub ? syntax::op::sub
                           : f == fn::atomic_and ? syntax::op::bit_and
                           : f == fn::atomic_or  ? syntax::op::bit_or
                                                 : syntax::op::bit_xor;
            const tv* in[2] = {&old, &x};
            nv = apply(opdesc::binop(o, vt, vt, vt), in);
        } else {
            if (a.is_float()) events_.add("atomic_min_max");
            opdesc d;
            d.k = opdesc::kind::call;
            d.f = f == fn::atomic_min ? fn::min : fn::max;
            d.result = vt;
            d.args[0] = vt;
            d.args[1] = vt;
            d.nargs = 2;
            const tv* in[2] = {&old, &x};
            nv = apply(d, in);
        }
        store_forward(e, nv, true);
        old.atomic_old = true;
        return old;
    }

    tv subscript(env_t& env, const node& n) {
        const node& target = t_[t_.child(n, 0)];
        if (target.type.is_array()) {
            tv arr = eval(env, t_.child(n, 0));
            element e = locate(env, n, 1, n.count - 1, arr.array);
            return load(e, n.type);
        }
        tv x = eval(env, t_.child(n, 0));
        std::vector<std::int64_t> idx;
        bool poison = x.poison;
        for (std::uint32_t k = 1; k < n.count; ++k) {
            tv i = eval(env, t_.child(n, k));
            poison = poison || i.poison;
            idx.push_back(i.v.i[0]);
        }
        const wtype& xt = x.v.type;
        int first = 0, count = 1;
        auto check = [&](std::int64_t i, int n_) {
            if (i < 0 || i >= n_) fail("component index " + std::to_string(i) + " out of range");
        };
        if (xt.kind == type_kind::matrix) {
            check(idx[0], xt.rows);
            if (idx.size() == 1) {
                first = static_cast<int>(idx[0]) * xt.cols;
                count = xt.cols;
            } else {
                check(idx[1], xt.cols);
                first = static_cast<int>(idx[0] * xt.cols + idx[1]);
            }
        } else {
            check(idx[0], x.v.n);
            first = static_cast<int>(idx[0]);
        }
        tv r = extract(x, first, count, n.type);
        r.poison = r.poison || poison;
        return r;
    }

    // --- calls ------------------------------------------------------------------------------------------------
    tv call(env_t& env, const node& n) {
        using builtins::fn;
        auto f = static_cast<fn>(n.builtin);
        switch (f) {
        case fn::tid: {
            if (coords_.empty()) fail("wp.tid() outside a launch");
            return make(value::scalar_i(scalar_kind::int32, coords_[0]));
        }
        case fn::construct_scalar: {
            tv x = eval(env, t_.child(n, 0));
            scalar_kind to = n.type.scalar;
            std::string_view py = t_.text_of(n);
            if (x.cnst && x.has_lit && py != "float" && py != "int" &&
                (to == scalar_kind::float64 || to == scalar_kind::int64 || to == scalar_kind::uint64) &&
                (x.int_lit || x.lit == x.lit)) {
                // Warp folds a 64-bit constructor of a constant into a constant of that type, from the Python
                // literal itself: wp.float64(0.1) is the double 0.1, not float32(0.1) widened
                value v = value::of(n.type);
                if (to == scalar_kind::float64) v.f[0] = x.int_lit ? static_cast<double>(x.ilit) : x.lit;
                else v.i[0] = wrap_int(to, x.int_lit ? x.ilit : static_cast<std::int64_t>(x.lit));
                tv r = make(v, true);
                r.has_lit = true;
                r.int_lit = to != scalar_kind::float64 || x.int_lit;
                r.lit = to == scalar_kind::float64 ? v.f[0] : x.lit;
                r.ilit = x.int_lit ? x.ilit : static_cast<std::int64_t>(x.lit);
                return r;
            }
            value v = convert_scalar(x.v, n.type.scalar);
            if (x.v.is_float() && v.is_float()) {
                // float(x), wp.float64(x), ...: adj_x += adj_ret
                tv r = make(v, false, x.poison);
                if (mode_ == mode::forward) r.t = x.t;
                else if (x.vid) {
                    entry e;
                    e.k = entry::kind::pass;
                    e.in[0] = x.vid;
                    e.nin = 1;
                    e.out = r.vid;
                    record(std::move(e));
                }
                return r;
            }
            return make(v, false, x.poison);
        }
        case fn::atomic_add: case fn::atomic_sub: case fn::atomic_min: case fn::atomic_max:
        case fn::atomic_and: case fn::atomic_or: case fn::atomic_xor: {
            tv arr = eval(env, t_.child(n, 0));
            element e = locate(env, n, 1, n.aux - 2, arr.array);
            tv x = eval(env, t_.child(n, n.aux - 1));
            return atomic(e, f, x);
        }
        case fn::identity: {
            opdesc d;
            d.k = opdesc::kind::call;
            d.f = f;
            d.result = n.type;
            d.nargs = 0;
            return apply(d, nullptr);
        }
        case fn::range: fail("range() outside a for statement");
        default: break;
        }
        std::vector<tv> xs;
        for (std::uint32_t k = 0; k < n.aux; ++k) xs.push_back(eval(env, t_.child(n, k)));
        if (xs.size() > 10) fail("call with more than 10 arguments");
        opdesc d;
        d.k = opdesc::kind::call;
        d.f = f;
        d.result = n.type;
        d.nargs = static_cast<int>(xs.size());
        std::array<const tv*, 10> in{};
        for (std::size_t k = 0; k < xs.size(); ++k) {
            d.args[k] = xs[k].v.type;
            in[k] = &xs[k];
        }
        return apply(d, in.data());
    }

    // --- statements ------------------------------------------------------------------------------------------
    flow exec_block(env_t& env, const syntax::node_id* ids, std::size_t n) {
        for (std::size_t k = 0; k < n; ++k) {
            flow f = exec(env, ids[k]);
            if (f != flow::normal) return f;
        }
        return flow::normal;
    }
    flow exec_children(env_t& env, const node& n, std::uint32_t from, std::uint32_t to) {
        return exec_block(env, t_.kids.data() + n.first + from, to - from);
    }

    flow exec(env_t& env, syntax::node_id id) {
        const node& n = t_[id];
        switch (n.kind) {
        case nk::assign: assign(env, n); return flow::normal;
        case nk::aug_assign: aug_assign(env, n); return flow::normal;
        case nk::expr_stmt: eval(env, t_.child(n, 0)); return flow::normal;
        case nk::if_stmt: {
            tv c = eval(env, t_.child(n, 0));
            if (c.v.truth()) return exec_children(env, n, 1, 1 + n.aux);
            return exec_children(env, n, 1 + n.aux, n.count);
        }
        case nk::for_stmt: return for_loop(env, id, n);
        case nk::while_stmt: return while_loop(env, id, n);
        case nk::break_stmt: materialize(env); return flow::brk;
        case nk::continue_stmt: materialize(env); return flow::cont;
        case nk::return_stmt: return flow::ret;
        case nk::pass_stmt: case nk::comment: case nk::docstring: return flow::normal;
        default: fail("unsupported statement");
        }
    }

    void assign(env_t& env, const node& n) {
        const node& target = t_[t_.child(n, 0)];
        const node& valn = t_[t_.child(n, 1)];
        if (target.kind == nk::tuple) {
            if (!(valn.kind == nk::call && valn.builtin == static_cast<std::uint16_t>(builtins::fn::tid)))
                fail("tuple assignment other than wp.tid()");
            for (std::uint32_t k = 0; k < target.count; ++k) {
                if (k >= coords_.size()) fail("wp.tid() unpacks more coordinates than the launch has");
                env.set(t_.text_of(t_[t_.child(target, k)]), make(value::scalar_i(scalar_kind::int32, coords_[k])));
            }
            return;
        }
        if (target.kind == nk::name) {
            tv v = eval(env, t_.child(n, 1));
            bool reference = valn.kind == nk::name || (valn.kind == nk::subscript && t_[t_.child(valn, 0)].type.is_array());
            env.set(t_.text_of(target), reference ? copy(v) : v);
            return;
        }
        if (target.kind == nk::subscript && t_[t_.child(target, 0)].type.is_array()) {
            tv v = eval(env, t_.child(n, 1));
            tv arr = eval(env, t_.child(target, 0));
            element e = locate(env, target, 1, target.count - 1, arr.array);
            store(e, v);
            return;
        }
        if (target.kind == nk::subscript || target.kind == nk::attribute) {
            const node& base = t_[t_.child(target, 0)];
            if (base.kind == nk::subscript && t_[t_.child(base, 0)].type.is_array()) return slot_store(env, n);
            tv v = eval(env, t_.child(n, 1));
            update_component(env, component_of(env, target), v, syntax::op::none);
            return;
        }
        fail("unsupported assignment target");
    }

    // `a[i].x = v`, `a[i][k] = v`, `a[i][r, c] = v`, `a[i].p = v`: Warp's slot store writes the component(s) in the
    // array; an array element on the right is copied first (so its gradient reaches its array, unlike a whole-
    // element store's), then the indices are evaluated in Python's order.
    void slot_store(env_t& env, const node& n) {
        const node& target = t_[t_.child(n, 0)];
        const node& elem = t_[t_.child(target, 0)];
        const node& valn = t_[t_.child(n, 1)];
        tv v = eval(env, t_.child(n, 1));
        if (valn.kind == nk::subscript && t_[t_.child(valn, 0)].type.is_array()) v = copy(v);
        tv arr = eval(env, t_.child(elem, 0));
        element e = locate(env, elem, 1, elem.count - 1, arr.array);
        component_slot s = components_of(env, target, elem.type);
        store(e, v, s.first, s.count, true);
    }

    // --- component updates: `v[i] = x`, `m[i, j] += x`, `m[i] = row`, `v.x *= 2`, `xf.p = v` on a local or argument
    // Warp updates the variable itself (wp::assign_inplace, add_inplace, sub_inplace, bit_*_inplace,
    // transform_set_translation/rotation): the name keeps its variable. The adjoints pass the components' adjoint
    // on to the value and leave it in place, so the overwritten component keeps receiving gradient, and adjoints of
    // earlier uses read the updated variable.
    struct component_slot {
        std::string_view name;
        int first = 0, count = 1;
    };
    component_slot component_of(env_t& env, const node& target) {
        const node& base = t_[t_.child(target, 0)];
        if (base.kind != nk::name) fail("component update of something other than a name");
        component_slot s = components_of(env, target, base.type);
        s.name = t_.text_of(base);
        return s;
    }
    // The components `target` (`.x`, `[k]`, `[r, c]`, `[r]`, `.p`) selects in a value of type vt.
    component_slot components_of(env_t& env, const node& target, const wtype vt) {
        component_slot s;
        if (target.kind == nk::attribute) {  // `.x`: one component; a transform's .p / .q: 0-2 / 3-6
            auto r = syntax::attribute_components(t_.text_of(target)[0]);
            if (r.count == 0) fail("unsupported attribute target");
            s.first = r.first;
            s.count = r.count;
            return s;
        }
        auto index = [&](std::uint32_t k, int n) {
            tv x = eval(env, t_.child(target, k));
            std::int64_t i = x.v.i[0];
            if (i < 0) i += n;
            if (i < 0 || i >= n) fail("component index out of range");
            return static_cast<int>(i);
        };
        if (vt.kind == type_kind::matrix) {
            s.first = index(1, vt.rows) * vt.cols;
            if (target.count == 3) s.first += index(2, vt.cols);
            else s.count = vt.cols;
        } else {
            s.first = index(1, components(vt));
        }
        return s;
    }
    // Assign `x` to the slot's components (o = none), or apply `component o= x` (+ - & | ^).
    void update_component(env_t& env, const component_slot& s, const tv& x, syntax::op o) {
        tv* var = env.find(s.name);
        if (!var) fail("component update of an undefined name '" + std::string(s.name) + "'");
        value nv = current(*var).v;
        value r = x.v;
        if (o != syntax::op::none) {
            value c = value::of(x.v.type);
            for (int k = 0; k < s.count; ++k) {
                c.f[static_cast<std::size_t>(k)] = nv.f[static_cast<std::size_t>(s.first + k)];
                c.i[static_cast<std::size_t>(k)] = nv.i[static_cast<std::size_t>(s.first + k)];
            }
            const value* in[2] = {&c, &x.v};
            r = evaluate(opdesc::binop(o, x.v.type, x.v.type, x.v.type), std::span<const value* const>(in, 2));
        }
        for (int k = 0; k < s.count; ++k) {
            nv.f[static_cast<std::size_t>(s.first + k)] = r.f[static_cast<std::size_t>(k)];
            nv.i[static_cast<std::size_t>(s.first + k)] = r.i[static_cast<std::size_t>(k)];
        }
        const double sign = o == syntax::op::sub ? -1.0 : 1.0;
        if (mode_ == mode::forward && tangents_ && nv.is_float() && (!var->t.empty() || !x.t.empty())) {
            if (var->t.empty()) var->t.assign(static_cast<std::size_t>(nv.n), {});
            for (int k = 0; k < s.count; ++k) {
                auto& tk = var->t[static_cast<std::size_t>(s.first + k)];
                if (o == syntax::op::none) tk.clear();
                if (!x.t.empty()) machine_detail::axpy(tk, sign, x.t[static_cast<std::size_t>(k)]);
            }
        }
        var->v = nv;
        var->cnst = false;
        var->poison = var->poison || x.poison;
        if (mode_ != mode::replay || var->vid == 0) return;
        vars_[var->vid].v = nv;
        vars_[var->vid].poison = var->poison;
        if (!nv.is_float()) return;
        events_.add("component_update_in_place");
        if (x.vid == 0) return;
        entry e;
        e.k = entry::kind::inplace;
        e.in[0] = x.vid;
        e.nin = 1;
        e.out = var->vid;
        e.first = s.first;
        e.count = s.count;
        e.elem = static_cast<std::int64_t>(sign);
        record(std::move(e));
    }

    void aug_assign(env_t& env, const node& n) {
        const node& target = t_[t_.child(n, 0)];
        tv rhs = eval(env, t_.child(n, 1));
        if (target.kind == nk::name) {
            auto* cur = env.find(t_.text_of(target));
            if (!cur) fail("augmented assignment to an undefined name");
            tv c = current(*cur);
            env.set(t_.text_of(target), apply_binop(n.oper, c.v.type, c, rhs));
            return;
        }
        if (target.kind == nk::attribute ||
            (target.kind == nk::subscript && !t_[t_.child(target, 0)].type.is_array())) {
            component_slot slot = component_of(env, target);
            if (target.kind == nk::subscript && builtins::augmented_component_inplace(n.oper) != builtins::fn::none)
                return update_component(env, slot, rhs, n.oper);
            // `v.x <op>= y` and the other operators: extract, operate, assign in place
            tv* var = env.find(slot.name);
            if (!var) fail("component update of an undefined name");
            tv cur = extract(current(*var), slot.first, slot.count, target.type);
            return update_component(env, slot, apply_binop(n.oper, target.type, cur, rhs), syntax::op::none);
        }
        if (!(target.kind == nk::subscript && t_[t_.child(target, 0)].type.is_array()))
            fail("unsupported augmented assignment target");
        tv arr = eval(env, t_.child(target, 0));
        element e = locate(env, target, 1, target.count - 1, arr.array);
        const wtype vt = target.type;
        // Warp: `a[i] <op>= v` is an atomic for + - & | ^ (not on 8- and 16-bit integer arrays)
        builtins::fn af = builtins::augmented_array_atomic(n.oper, vt.scalar);
        if (af != builtins::fn::none) {
            atomic(e, af, rhs);
            return;
        }
        // load, operate, store
        tv cur = load(e, vt);
        store(e, apply_binop(n.oper, vt, cur, rhs));
    }

    // Is `id` a compile-time integer for Warp's unrolling (a literal, a negated literal, or a constant variable)?
    bool range_arg(env_t& env, syntax::node_id id, std::int64_t& num, bool& numeric) {
        const node& n = t_[id];
        if (n.kind == nk::constant && n.ckind == syntax::const_kind::integer) {
            num = n.inum;
            numeric = true;
            return true;
        }
        if (n.kind == nk::unaryop && n.oper == syntax::op::usub && t_[t_.child(n, 0)].kind == nk::constant &&
            t_[t_.child(n, 0)].ckind == syntax::const_kind::integer) {
            num = -t_[t_.child(n, 0)].inum;
            numeric = true;
            return true;
        }
        tv v = eval(env, id);
        if (v.v.is_float()) fail("float range() argument");
        num = v.v.i[0];
        numeric = v.cnst;
        return true;
    }

    flow for_loop(env_t& env, syntax::node_id id, const node& n) {
        const node& iter = t_[t_.child(n, 1)];
        std::string_view name = t_.text_of(t_[t_.child(n, 0)]);
        if (!(iter.kind == nk::call && iter.builtin == static_cast<std::uint16_t>(builtins::fn::range)))
            fail("for over something other than range()");
        std::int64_t a[3] = {0, 0, 1};
        bool all_numeric = true;
        for (std::uint32_t k = 0; k < iter.count; ++k) {
            bool numeric = false;
            range_arg(env, t_.child(iter, k), a[k], numeric);
            all_numeric = all_numeric && numeric;
        }
        std::int64_t start = 0, end = 0, step = 1;
        if (iter.count == 1) end = a[0];
        else {
            start = a[0];
            end = a[1];
            if (iter.count == 3) step = a[2];
        }
        if (all_numeric && step != 0) {
            std::int64_t max_iters = (end > start ? end - start : start - end) / (step > 0 ? step : -step);
            if (max_iters <= opt_.max_unroll && !contains_break(n, 2)) {
                // unrolled: the body once per value, the index a constant
                for (std::int64_t i = start; step > 0 ? i < end : i > end; i += step) {
                    env.set(name, make(value::scalar_i(scalar_kind::int32, i), true));
                    flow f = exec_children(env, n, 2, n.count);
                    if (f == flow::ret) return f;
                }
                return flow::normal;
            }
        }
        // Warp's range_t is int32
        start = static_cast<std::int32_t>(start);
        end = static_cast<std::int32_t>(end);
        step = static_cast<std::int32_t>(step);
        if (mode_ == mode::replay) {
            // the replay skips a dynamic loop; its adjoint (reverse pass) re-runs it
            entry e;
            e.k = entry::kind::dyn_for;
            e.node = id;
            e.start = start;
            e.end = end;
            e.step = step;
            e.iter_var = new_var(value::scalar_i(scalar_kind::int32, start));
            env_t snap = env;
            tv it;
            it.v = vars_[e.iter_var].v;
            it.vid = e.iter_var;
            snap.set(name, it);
            e.env = std::make_shared<env_t>(std::move(snap));
            record(std::move(e));
            return flow::normal;
        }
        std::int64_t guard = 0;
        for (std::int64_t i = start; step > 0 ? i < end : (step < 0 && i > end); i += step) {
            if (++guard > opt_.max_loop_iterations) fail("loop does not terminate within the iteration limit");
            env.set(name, make(value::scalar_i(scalar_kind::int32, i)));
            flow f = exec_children(env, n, 2, n.count);
            if (f == flow::brk) break;
            if (f == flow::ret) return f;
        }
        return flow::normal;
    }

    flow while_loop(env_t& env, syntax::node_id id, const node& n) {
        if (mode_ == mode::replay) {
            entry e;
            e.k = entry::kind::while_loop;
            e.node = id;
            e.env = std::make_shared<env_t>(env);
            record(std::move(e));
            return flow::normal;
        }
        std::int64_t guard = 0;
        while (eval(env, t_.child(n, 0)).v.truth()) {
            if (++guard > opt_.max_loop_iterations) fail("while loop does not terminate within the iteration limit");
            flow f = exec_children(env, n, 1, n.count);
            if (f == flow::brk) break;
            if (f == flow::ret) return f;
        }
        return flow::normal;
    }

    // Warp's materialize_redefinitions at the end of a dynamic loop body, a break or a continue, in a backward
    // replay of that body: locals that existed at loop entry and now name another variable are copied back into
    // their loop-entry variable (wp::assign), which they name again.
    void materialize(env_t& env) {
        if (mode_ != mode::replay || loop_stack_.empty()) return;
        const env_t& snap = *loop_stack_.back();
        for (auto& [name, s] : snap.items) {
            if (s.array >= 0 || s.vid == 0) continue;
            tv* cur = env.find(name);
            if (!cur || cur->vid == s.vid) continue;
            if (vars_[s.vid].cnst) fail("a constant is mutated inside a dynamic loop (Warp rejects this kernel)");
            vars_[s.vid].v = vars_[cur->vid].v;
            vars_[s.vid].poison = vars_[cur->vid].poison;
            if (vars_[s.vid].v.is_float()) {
                events_.add("dynamic_loop_carried_float");
                entry e;
                e.k = entry::kind::assign;
                e.in[0] = cur->vid;
                e.nin = 1;
                e.out = s.vid;
                record(std::move(e));
            }
            tv back = s;
            back.v = vars_[s.vid].v;
            *cur = back;
        }
    }

    // --- reverse pass (backward emulation) --------------------------------------------------------------------
    void add_to(std::vector<double>& dst, const std::vector<double>& src, double sign = 1.0) {
        for (std::size_t k = 0; k < dst.size() && k < src.size(); ++k) dst[k] += sign * src[k];
    }

    void reverse(std::vector<entry>& tape) {
        for (std::size_t k = tape.size(); k-- > 0;) reverse_entry(tape[k]);
    }

    void reverse_entry(entry& e) {
        using K = entry::kind;
        switch (e.k) {
        case K::op: {
            auto& out = vars_[e.out];
            std::vector<double> g = adj(e.out);
            bool nonzero = std::any_of(g.begin(), g.end(), [](double x) { return x != 0.0; });
            if (!nonzero) return;
            std::array<const value*, 10> vals{};
            for (int k = 0; k < e.nin; ++k) vals[static_cast<std::size_t>(k)] = &vars_[e.in[static_cast<std::size_t>(k)]].v;
            std::span<const value* const> sp(vals.data(), static_cast<std::size_t>(e.nin));
            if (e.desc.k == opdesc::kind::call && e.desc.f == builtins::fn::frac) events_.add("frac_not_differentiable");
            if (e.desc.k == opdesc::kind::binop && e.desc.oper == syntax::op::mod)
                events_.add("float_mod_divisor_gradient");
            jacobian_t J;
            if (!warp_output_jacobian(e.desc, sp, out.v, J)) J = jacobian(e.desc, sp, rules::warp);
            for (int k = 0; k < e.nin; ++k) {
                const value& a = *vals[static_cast<std::size_t>(k)];
                if (!a.is_float()) continue;
                auto& ga = adj(e.in[static_cast<std::size_t>(k)]);
                int off = J.offset[static_cast<std::size_t>(k)];
                for (int c = 0; c < a.n; ++c) {
                    double s = 0;
                    for (int o = 0; o < out.v.n; ++o) s += J.at(o, off + c) * g[static_cast<std::size_t>(o)];
                    ga[static_cast<std::size_t>(c)] += s;
                }
            }
            return;
        }
        case K::pass: add_to(adj(e.in[0]), adj(e.out)); return;
        case K::copy: {
            add_to(adj(e.in[0]), adj(e.out));
            std::fill(adj(e.out).begin(), adj(e.out).end(), 0.0);
            return;
        }
        case K::assign: {
            // wp::adj_assign(dest, src, adj_dest, adj_src): adj_src = adj_dest; adj_dest = 0
            adj(e.in[0]) = adj(e.out);
            std::fill(adj(e.out).begin(), adj(e.out).end(), 0.0);
            return;
        }
        case K::inplace: {
            // wp::adj_assign_inplace / adj_add_inplace / adj_sub_inplace: the value receives (+/-) the components'
            // adjoint, which stays where it is
            auto& x = adj(e.in[0]);
            auto& g = adj(e.out);
            for (int c = 0; c < e.count; ++c)
                x[static_cast<std::size_t>(c)] += static_cast<double>(e.elem) * g[static_cast<std::size_t>(e.first + c)];
            return;
        }
        case K::extract: {
            auto& src = adj(e.in[0]);
            auto& g = adj(e.out);
            for (int c = 0; c < e.count; ++c) src[static_cast<std::size_t>(e.first + c)] += g[static_cast<std::size_t>(c)];
            return;
        }
        case K::load: {
            auto& A = adjarr_[static_cast<std::size_t>(e.array)];
            std::int64_t elem = 0;
            if (A.empty() || !element_now(e, elem)) return;
            auto& g = adj(e.out);
            std::size_t base = static_cast<std::size_t>(elem) * g.size();
            for (std::size_t c = 0; c < g.size(); ++c) A[base + c] += g[c];
            return;
        }
        case K::store: {
            auto& A = adjarr_[static_cast<std::size_t>(e.array)];
            std::int64_t elem = 0;
            if (A.empty() || e.in[0] == 0 || !element_now(e, elem)) return;
            auto& g = adj(e.in[0]);
            const auto comps = static_cast<std::size_t>(args_->arrays[static_cast<std::size_t>(e.array)].comps);
            std::size_t base = static_cast<std::size_t>(elem) * comps + static_cast<std::size_t>(e.first);
            for (std::size_t c = 0; c < static_cast<std::size_t>(e.count); ++c) {
                g[c] += A[base + c];
                A[base + c] = 0.0;  // the adjoint array is the gradient array (Warp's Tape)
            }
            return;
        }
        case K::atomic: {
            using builtins::fn;
            auto& A = adjarr_[static_cast<std::size_t>(e.array)];
            std::int64_t elem = 0;
            if (A.empty() || e.in[0] == 0 || !element_now(e, elem)) return;
            auto& g = adj(e.in[0]);
            std::size_t base = static_cast<std::size_t>(elem) * g.size();
            const host_array& P = args_->arrays[static_cast<std::size_t>(e.array)];
            for (std::size_t c = 0; c < g.size(); ++c) {
                if (e.f == fn::atomic_add) g[c] += A[base + c];
                else if (e.f == fn::atomic_sub) g[c] -= A[base + c];
                else {
                    double val = vars_[e.in[0]].v.f[c], cur = P.f[base + c];
                    if (val == cur || (std::isnan(val) && std::isnan(cur))) g[c] += A[base + c];
                }
            }
            return;
        }
        case K::dyn_for: reverse_for(e); return;
        case K::while_loop: reverse_while(e); return;
        }
    }

    // Replay one iteration of a dynamic loop body (appending to `sub`), materializing at its end.
    flow replay_body(env_t& env, const node& n, std::uint32_t from, std::vector<entry>& sub, const env_t& snap) {
        auto* saved = tape_;
        tape_ = &sub;
        loop_stack_.push_back(&snap);
        flow f = exec_children(env, n, from, n.count);
        if (f == flow::normal) materialize(env);
        loop_stack_.pop_back();
        tape_ = saved;
        return f;
    }

    void reverse_for(entry& e) {
        const node& n = t_[e.node];
        std::string_view name = t_.text_of(t_[t_.child(n, 0)]);
        // wp::iter_reverse (range.h), integer arithmetic as in C: for a non-empty range the same indices, last
        // first; for some empty ones (e.g. range(3, 3, 3): start + ((end - start - 1) / step) * step truncates to
        // start) one iteration at `start`
        std::vector<std::int64_t> ks;
        {
            auto S = static_cast<std::int32_t>(e.start), E = static_cast<std::int32_t>(e.end),
                 T = static_cast<std::int32_t>(e.step);
            std::int32_t rs = S, re = S, rt = -T;
            if (T > 0) rs = S + static_cast<std::int32_t>((E - S - 1) / T) * T;
            else if (T < 0) rs = S + static_cast<std::int32_t>((E - S + 1) / T) * T;
            re = S - T;
            for (std::int64_t i = rs; rt > 0 ? i < re : (rt < 0 && i > re); i += rt) {
                ks.push_back(i);
                if (static_cast<std::int64_t>(ks.size()) > opt_.max_loop_iterations) fail("loop does not terminate");
            }
            std::vector<std::int64_t> fwd;
            for (std::int64_t i = S; T > 0 ? i < E : (T < 0 && i > E); i += T) fwd.push_back(i);
            if (!std::equal(fwd.rbegin(), fwd.rend(), ks.begin(), ks.end())) events_.add("reverse_range_differs");
        }
        for (std::size_t q = 0; q < ks.size(); ++q) {
            env_t env = *e.env;
            vars_[e.iter_var].v = value::scalar_i(scalar_kind::int32, ks[q]);
            tv it;
            it.v = vars_[e.iter_var].v;
            it.vid = e.iter_var;
            env.set(name, it);
            std::vector<entry> sub;
            flow f = replay_body(env, n, 2, sub, *e.env);
            if (f == flow::ret) {
                unpredictable_ = true;
                why_ = "return inside a dynamic loop: Warp's backward jumps into the middle of its adjoint code";
                return;
            }
            if (f == flow::brk) {
                events_.add("break_in_dynamic_loop");
                return;  // goto end_for: this iteration's adjoints and the remaining ones are skipped
            }
            if (f == flow::cont) {
                events_.add("continue_in_dynamic_loop");
                continue;  // goto start_for: this iteration's adjoints are skipped
            }
            reverse(sub);
        }
    }

    void reverse_while(entry& e) {
        const node& n = t_[e.node];
        std::int64_t guard = 0;
        events_.add("while_loop_adjoint_order");
        while (true) {
            env_t env = *e.env;
            std::vector<entry> cond_tape;
            auto* saved = tape_;
            tape_ = &cond_tape;  // the condition's adjoints are dropped by Warp
            bool c = eval(env, t_.child(n, 0)).v.truth();
            tape_ = saved;
            if (!c) return;
            if (++guard > opt_.max_loop_iterations) fail("while loop does not terminate in the backward replay");
            std::vector<entry> sub;
            flow f = replay_body(env, n, 1, sub, *e.env);
            if (f == flow::ret) {
                unpredictable_ = true;
                why_ = "return inside a while loop: Warp's backward jumps into the middle of its adjoint code";
                return;
            }
            if (f == flow::brk) {
                events_.add("break_in_dynamic_loop");
                return;
            }
            if (f == flow::cont) {
                events_.add("continue_in_dynamic_loop");
                continue;
            }
            reverse(sub);
        }
    }
};

}  // namespace warpsynth::eval
