// warpsynth/ir/emit.hpp — the walk over the syntax tree that drives the Adjoint builder in Warp's order.
//
// One method per Python node kind, each mirroring the `emit_*` method of Warp's codegen named in its comment.
// Symbols (Python names -> values) are an insertion-ordered map, as Warp's dict is: phi merges and loop
// materialization iterate it in that order.
#pragma once

#include <algorithm>
#include <deque>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "warpsynth/builtins/catalog.hpp"
#include "warpsynth/ir/adjoint.hpp"
#include "warpsynth/render/python.hpp"
#include "warpsynth/syntax/tree.hpp"

namespace warpsynth::ir {

struct build_options {
    int max_unroll = 16;
};

// Names are views into the syntax tree's text (or its argument names), which outlives the walk; copying a table
// (branches and loops snapshot it) is then a plain copy of small pairs.
class symbol_table {
  public:
    const value* find(std::string_view n) const {
        auto i = index_of(n);
        return i < items_.size() ? &items_[i].second : nullptr;
    }
    void set(std::string_view n, value v) {
        auto i = index_of(n);
        if (i < items_.size()) {
            items_[i].second = v;
            return;
        }
        items_.emplace_back(n, v);
        tags_.push_back(tag(n));
    }
    // `find`/`set` for a name expected at index `i`. Tables only grow by appending and are restored to snapshots
    // of themselves, so a name keeps its index in every table that holds it: a branch's or a loop's table starts
    // with the snapshot it was taken from. Checked, with the search as the fallback.
    const value* find_at(std::size_t i, std::string_view n) const {
        return holds(i, n) ? &items_[i].second : find(n);
    }
    void set_at(std::size_t i, std::string_view n, value v) {
        if (holds(i, n)) items_[i].second = v;
        else set(n, v);
    }
    const std::vector<std::pair<std::string_view, value>>& items() const { return items_; }
    void clear() {
        items_.clear();
        tags_.clear();
    }

  private:
    std::vector<std::pair<std::string_view, value>> items_;
    std::vector<std::uint32_t> tags_;  // tag(name) per item: most mismatches fail on one integer comparison

    bool holds(std::size_t i, std::string_view n) const { return i < items_.size() && same(items_[i].first, n); }
    std::size_t index_of(std::string_view n) const {  // items_.size() when absent
        const auto t = tag(n);
        std::size_t i = 0;
        for (; i < items_.size(); ++i)
            if (tags_[i] == t && same(items_[i].first, n)) break;
        return i;
    }
    // Length, first and last character.
    static std::uint32_t tag(std::string_view n) {
        if (n.empty()) return 0;
        auto byte = [](char c) { return static_cast<std::uint32_t>(static_cast<unsigned char>(c)); };
        return static_cast<std::uint32_t>(n.size() & 0xFFFF) | byte(n.front()) << 16 | byte(n.back()) << 24;
    }
    // Identifiers are short: compare in line rather than through memcmp.
    static bool same(std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i] != b[i]) return false;
        return true;
    }
};

// A call's arguments or a subscript's indices, on the stack: calls take at most 20 arguments (add_call's limit),
// so a fixed capacity saves an allocation per call.
template <class T>
class arg_list {
  public:
    static constexpr std::size_t capacity = 20;
    arg_list() = default;
    arg_list(std::initializer_list<T> xs) {
        for (auto x : xs) push_back(x);
    }
    void push_back(T x) {
        if (n_ == capacity) throw rejected("warpsynth: calls take at most 20 arguments");
        v_[n_++] = x;
    }
    void append(const arg_list& o) {
        for (auto x : o) push_back(x);
    }
    std::size_t size() const { return n_; }
    bool empty() const { return n_ == 0; }
    const T* data() const { return v_; }
    const T* begin() const { return v_; }
    const T* end() const { return v_ + n_; }
    const T& operator[](std::size_t i) const { return v_[i]; }

  private:
    T v_[capacity]{};
    std::size_t n_ = 0;
};
using value_list = arg_list<value>;

// The walk's working storage. It lives per thread and is reused from kernel to kernel, so that once warm a
// build allocates nothing; one emitter per thread builds at a time.
struct emit_workspace {
    symbol_table symbols;
    std::deque<symbol_table> saved;  // snapshots taken by branches and loops, used as a stack (stable addresses)
    std::size_t saved_depth = 0;
    std::vector<const symbol_table*> loop_symbols;
    std::vector<std::string_view> const_iter_symbols;
    text_buffer text;
    text_buffer slot_access;  // the component path of a slot store, e.g. `.data[var_3][var_4]`

    // A snapshot of `from`, valid until the matching release.
    symbol_table& save(const symbol_table& from) {
        if (saved_depth == saved.size()) saved.emplace_back();
        auto& t = saved[saved_depth++];
        t = from;
        return t;
    }
    void release(std::size_t n = 1) { saved_depth -= n; }

    static emit_workspace& for_this_thread() {
        thread_local emit_workspace w;
        return w;
    }
};

class emitter {
  public:
    emitter(adjoint& adj, const syntax::tree& t, const source_map& src, build_options opt = {})
        : adj_(adj), t_(t), src_(src), opt_(opt), ws_(emit_workspace::for_this_thread()), symbols_(ws_.symbols),
          const_iter_symbols_(ws_.const_iter_symbols), loop_symbols_(ws_.loop_symbols) {}

    int kernel_dim = 1;

    // Adjoint.build + emit_FunctionDef
    void build() {
        adj_.reset();
        symbols_.clear();
        const_iter_symbols_.clear();
        loop_symbols_.clear();
        ws_.saved_depth = 0;
        for (std::size_t i = 0; i < t_.args.size(); ++i) {
            adj_.args.push_back({t_.args[i].name, t_.args[i].type});
            symbols_.set(t_.args[i].name, value{static_cast<std::int32_t>(-1 - static_cast<std::int32_t>(i))});
        }
        set_line(src_.def_line);
        for (auto s : t_.body) {
            if (t_[s].kind == syntax::node_kind::docstring || t_[s].kind == syntax::node_kind::comment) continue;
            statement(s);
        }
        adj_.arena.ensure_slack();  // the renderer copies lines in whole chunks
    }

  private:
    adjoint& adj_;
    const syntax::tree& t_;
    const source_map& src_;
    build_options opt_;
    emit_workspace& ws_;
    symbol_table& symbols_;
    std::vector<std::string_view>& const_iter_symbols_;
    std::vector<const symbol_table*>& loop_symbols_;

    using node = syntax::node;
    using nk = syntax::node_kind;
    using fn = builtins::fn;

    [[noreturn]] void reject(const std::string& msg) { throw rejected(msg); }

    static std::string_view strip(std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
        return s;
    }
    // Adjoint.set_lineno: line numbers relative to the decorator line.
    void set_line(std::uint32_t absolute) {
        adj_.set_lineno(static_cast<long>(absolute - src_.decorator_line), strip(src_.line(absolute)), absolute);
    }

    // --- statements ------------------------------------------------------------------------------------
    void statement(syntax::node_id id) {
        const node& n = t_[id];
        if (n.kind == nk::comment) return;
        if (auto line = src_.line_of[id]) set_line(line);
        switch (n.kind) {
        case nk::assign: emit_assign(n); break;
        case nk::aug_assign: emit_aug_assign(n); break;
        case nk::expr_stmt: expr(t_.child(n, 0)); break;
        case nk::if_stmt: emit_if(n); break;
        case nk::for_stmt: emit_for(n); break;
        case nk::while_stmt: emit_while(n); break;
        case nk::break_stmt:  // emit_Break
            materialize(*loop_symbols_.back());
            adj_.add_loop_jump("end_");
            break;
        case nk::continue_stmt:  // emit_Continue
            materialize(*loop_symbols_.back());
            adj_.add_loop_jump("start_");
            break;
        case nk::return_stmt: adj_.add_return(); break;  // emit_Return (kernels return nothing)
        case nk::pass_stmt: break;
        case nk::docstring: {  // appended piece by piece: `"\"" + std::string(...)` trips g++ 12's false -Wrestrict
            std::string quoted;
            quoted.reserve(t_.text_of(n).size() + 2);
            quoted += '"';
            quoted += t_.text_of(n);
            quoted += '"';
            adj_.add_constant_string(quoted);
            break;
        }
        default: break;
        }
    }

    void block(const node& n, std::uint32_t from, std::uint32_t to) {
        for (auto i = from; i < to; ++i) statement(t_.child(n, i));
    }

    // emit_Assign
    void emit_assign(const node& n) {
        const node& lhs = t_[t_.child(n, 0)];
        auto rhs_id = t_.child(n, 1);
        if (lhs.kind == nk::tuple) {  // i, j = wp.tid()
            auto outs = adj_.add_tid_call(static_cast<int>(lhs.count));
            kernel_dim = std::max(kernel_dim, static_cast<int>(lhs.count));
            for (std::uint32_t i = 0; i < lhs.count; ++i) symbols_.set(t_.text_of(t_[t_.child(lhs, i)]), outs[i]);
            return;
        }
        value rhs = expr(rhs_id);
        if ((lhs.kind == nk::subscript || lhs.kind == nk::attribute) && try_slot_write(t_.child(n, 0), rhs)) return;
        if (lhs.kind == nk::subscript) {
            auto [target, indices] = eval_subscript(t_.child(n, 0));
            auto idx = eval_indices(indices);
            if (adj_.type_of(target).is_array()) store_subscript(target, idx, rhs);
            else update_component(fn::assign_inplace, target, idx, rhs);
            return;
        }
        if (lhs.kind == nk::attribute) return store_attribute(lhs, expr(t_.child(lhs, 0)), rhs);
        // a name
        value out = rhs;
        if (t_[rhs_id].kind == nk::name || adj_.is_ref(rhs)) out = adj_.add_call(fn::copy, {rhs}, adj_.type_of(rhs));
        symbols_.set(t_.text_of(lhs), out);
    }

    // _try_lower_array_slot_write (Warp 1.16's fast path): a component of an array element (`a[i].x = v`,
    // `a[i][k] = v`, `a[i][r, c] = v`, `a[i].p = v`) is stored into its slot, `wp::index(a, i)<access> = v;`, and
    // its adjoint takes (and clears) the slot's gradient: `wp::adj_array_store_slot(a, adj_a, adj_v,
    // [&](auto& _e) -> auto& { return _e<access>; }, i);`. Returns false, having emitted nothing, for any other
    // target. (Warp also declines int8/16 element arrays; their elements have no components.)
    bool try_slot_write(syntax::node_id lhs, value rhs) {
        syntax::node_id chain[index_list::capacity];  // root first, once reversed
        std::size_t levels = 0;
        auto at = lhs;
        for (; t_[at].kind == nk::subscript || t_[at].kind == nk::attribute; at = t_.child(t_[at], 0)) {
            if (levels == index_list::capacity) return false;
            chain[levels++] = at;
        }
        if (t_[at].kind != nk::name) return false;
        const value* root = symbols_.find(t_.text_of(t_[at]));
        if (!root || !adj_.type_of(*root).is_array()) return false;
        std::reverse(chain, chain + levels);
        wtype arr_t = adj_.type_of(*root);
        // The array's indices: its ndim outermost subscripts.
        index_list array_idx;
        std::size_t needed = arr_t.ndim, consumed = 0;
        for (; consumed < levels && needed > 0 && t_[chain[consumed]].kind == nk::subscript; ++consumed) {
            const node& sub = t_[chain[consumed]];
            if (sub.count - 1 > needed) return false;
            for (std::uint32_t i = 1; i < sub.count; ++i) array_idx.push_back(t_.child(sub, i));
            needed -= sub.count - 1;
        }
        if (needed != 0 || consumed == levels) return false;  // a view, or the whole element
        // The component path: classified before anything is emitted.
        wtype slot = arr_t.value();
        for (std::size_t l = consumed; l < levels; ++l) {
            const node& step = t_[chain[l]];
            if (step.kind == nk::attribute) {
                auto name = t_.text_of(step);
                char c = name.size() == 1 ? name[0] : '\0';
                if (slot.kind == type_kind::vector && std::string_view("xyzw").substr(0, slot.rows).find(c) !=
                                                          std::string_view::npos)
                    slot = slot.scalar_type();
                else if (slot.kind == type_kind::quaternion && std::string_view("xyzw").find(c) != std::string_view::npos)
                    slot = slot.scalar_type();
                else if (slot.kind == type_kind::transform && c == 'p') slot = types::vector(3, slot.scalar);
                else if (slot.kind == type_kind::transform && c == 'q') slot = types::quaternion(slot.scalar);
                else return false;
            } else if (slot.kind == type_kind::matrix) {
                if (step.count != 3) return false;
                slot = slot.scalar_type();
            } else if (slot.kind == type_kind::vector || slot.kind == type_kind::quaternion ||
                       slot.kind == type_kind::transform) {
                if (step.count != 2) return false;
                slot = slot.scalar_type();
            } else {
                return false;
            }
        }
        if (slot != adj_.type_of(rhs)) return false;

        // Committed. A loaded array element is copied (its adjoint then reaches the source array).
        if (adj_.is_ref(rhs)) rhs = adj_.add_call(fn::copy, {rhs}, adj_.type_of(rhs));
        value_list idx;  // Python's order: the array's indices, then the path's
        for (auto i : array_idx) idx.push_back(expr(i));
        auto& access = ws_.slot_access;
        access.clear();
        for (std::size_t l = consumed; l < levels; ++l) {
            const node& step = t_[chain[l]];
            if (step.kind == nk::attribute) {
                char c = t_.text_of(step)[0];
                bool vector = t_[t_.child(step, 0)].type.kind == type_kind::vector;
                if (vector) {
                    access += ".c[";
                    access += static_cast<char>('0' + syntax::attribute_components(c).first);
                    access += ']';
                } else {
                    access += '.';
                    access += c;
                }
            } else if (t_[t_.child(step, 0)].type.kind == type_kind::matrix) {
                access += ".data[";
                adj_.emit(access, expr(t_.child(step, 1)));
                access += "][";
                adj_.emit(access, expr(t_.child(step, 2)));
                access += ']';
            } else {
                access += '[';
                adj_.emit(access, expr(t_.child(step, 1)));
                access += ']';
            }
        }
        auto& out = adj_.arena;
        auto indices = [&] {
            for (std::size_t i = 0; i < idx.size(); ++i) {
                if (i) out += ", ";
                adj_.emit(out, idx[i]);
            }
        };
        auto m = adj_.open(adj_.indentation);
        out += "wp::index(";
        adj_.emit(out, *root);
        out += ", ";
        indices();
        out += ')';
        out += access.view();
        out += " = ";
        adj_.emit(out, rhs);
        out += ';';
        adj_.add_forward(adj_.close(m));
        m = adj_.open(adj_.indentation);
        out += "wp::adj_array_store_slot(";
        adj_.emit(out, *root);
        out += ", ";
        adj_.emit_adj(out, *root);
        out += ", ";
        adj_.emit_adj(out, rhs);
        out += ", [&](auto& _e) -> auto& { return _e";
        out += access.view();
        out += "; }, ";
        indices();
        out += ");";
        adj_.add_reverse(adj_.close(m));
        return true;
    }

    // `v[i] = x`, `m[i, j] += x`, `v.x = x` on a local or argument: Warp's assign_inplace / add_inplace / ...
    // update the variable itself, so the name keeps its variable (no new SSA value, no phi).
    void update_component(fn f, value target, const value_list& idx, value rhs) {
        value_list args{target};
        args.append(idx);
        args.push_back(rhs);
        call(f, args, wtype{});
    }
    // _store_attribute: a vector/quaternion component gets a fresh constant index and assign_inplace; a transform's
    // `.p`/`.q` is set with transform_set_translation/rotation
    void store_attribute(const node& lhs, value agg, value rhs) {
        if (adj_.type_of(agg).kind == type_kind::transform) {
            bool p = t_.text_of(lhs)[0] == 'p';
            adj_.add_call(p ? fn::transform_set_translation : fn::transform_set_rotation, {agg, rhs}, wtype{});
            return;
        }
        update_component(fn::assign_inplace, agg, {component_index(lhs)}, rhs);
    }
    // vector_component_index: `.x` .. `.w` as a fresh int constant
    value component_index(const node& attribute) {
        return adj_.add_constant_int(syntax::attribute_components(t_.text_of(attribute)[0]).first);
    }

    void store_subscript(value target, const value_list& idx, value rhs) {
        value_list args{target};
        args.append(idx);
        args.push_back(rhs);
        call(fn::array_store, args, wtype{});
    }
    value call(fn f, const value_list& args, wtype result, bool output_is_ref = false, std::string_view name = {}) {
        return adj_.add_call(f, args.data(), args.size(), result, output_is_ref, name);
    }

    static fn op_fn(syntax::op o) {
        switch (o) {
        case syntax::op::add: return fn::add;
        case syntax::op::sub: return fn::sub;
        case syntax::op::mul: case syntax::op::matmul: return fn::mul;
        case syntax::op::div: return fn::div;
        case syntax::op::mod: return fn::mod;
        case syntax::op::floordiv: return fn::floordiv;
        case syntax::op::pow: return fn::pow_op;
        case syntax::op::bit_and: return fn::bit_and;
        case syntax::op::bit_or: return fn::bit_or;
        case syntax::op::bit_xor: return fn::bit_xor;
        case syntax::op::lshift: return fn::lshift;
        case syntax::op::rshift: return fn::rshift;
        default: return fn::none;
        }
    }

    // emit_AugAssign
    void emit_aug_assign(const node& n) {
        const node& lhs = t_[t_.child(n, 0)];
        value rhs = expr(t_.child(n, 1));
        if (lhs.kind == nk::name) {
            value target = expr(t_.child(n, 0));
            value result = adj_.add_call(op_fn(n.oper), {target, rhs}, lhs.type);
            symbols_.set(t_.text_of(lhs), result);
            return;
        }
        if (lhs.kind == nk::attribute) {  // augassign_attribute: read (emit_Attribute), operate, store in place
            value agg = expr(t_.child(lhs, 0));
            value current = emit_attribute(lhs);
            value result = adj_.add_call(op_fn(n.oper), {current, rhs}, lhs.type);
            return store_attribute(lhs, agg, result);
        }
        auto [target, indices] = eval_subscript(t_.child(n, 0));
        auto idx = eval_indices(indices);
        wtype tt = adj_.type_of(target);
        if (!tt.is_array()) {  // a component of a local or argument
            if (fn f = builtins::augmented_component_inplace(n.oper); f != fn::none)
                return update_component(f, target, idx, rhs);
            value current = emit_indexing(target, idx);
            value result = adj_.add_call(op_fn(n.oper), {current, rhs}, lhs.type);
            return update_component(fn::assign_inplace, target, idx, result);
        }
        auto elem = tt.value();
        fn atomic = builtins::augmented_array_atomic(n.oper, elem.scalar);
        if (atomic != fn::none) {
            value_list args{target};
            args.append(idx);
            args.push_back(rhs);
            call(atomic, args, elem);
            return;
        }
        // load, apply, store back
        value_list addr_args{target};
        addr_args.append(idx);
        value current = call(fn::address, addr_args, elem, true);
        value result = adj_.add_call(op_fn(n.oper), {current, rhs}, elem);
        store_subscript(target, idx, result);
    }

    // emit_If, with Warp's phi (`wp::where`) merge of locals assigned in the branches
    void emit_if(const node& n) {
        value cond = expr(t_.child(n, 0));
        if (adj_.is_constant(cond)) {
            bool taken = adj_.var(cond).inum != 0;
            if (taken) block(n, 1, 1 + n.aux);
            else block(n, 1 + n.aux, n.count);
            return;
        }
        const symbol_table& prev = ws_.save(symbols_);
        adj_.begin_if(cond);
        block(n, 1, 1 + n.aux);
        adj_.end_if(cond);
        const symbol_table& if_syms = ws_.save(symbols_);
        symbols_ = prev;
        if (1 + n.aux < n.count) {
            adj_.begin_if(cond, true);
            block(n, 1 + n.aux, n.count);
            adj_.end_if(cond, true);
        }
        const symbol_table& else_syms = ws_.save(symbols_);
        symbols_ = prev;
        // A name at index i < prev's size is at index i in all three tables (see find_at); names the branches
        // added are not in prev.
        const std::size_t common = prev.items().size();
        auto merge = [&](std::size_t i, std::string_view sym, const value* a, const value* b) {
            const value* p = i < common ? prev.find_at(i, sym) : nullptr;
            if (!a) a = p;
            if (!b) b = p;
            if (a && b && *a == *b) {
                symbols_.set_at(i, sym, *a);
            } else if (!a) {
                symbols_.set_at(i, sym, *b);
            } else if (!b) {
                symbols_.set_at(i, sym, *a);
            } else {
                symbols_.set_at(i, sym, adj_.add_call(fn::where, {cond, *a, *b}, adj_.type_of(*a)));
            }
        };
        // The if branch's names in order, then the else branch's new ones.
        const auto& ifs = if_syms.items();
        const auto& els = else_syms.items();
        for (std::size_t i = 0; i < ifs.size(); ++i) {
            auto sym = ifs[i].first;
            merge(i, sym, &ifs[i].second, i < common ? else_syms.find_at(i, sym) : else_syms.find(sym));
        }
        for (std::size_t i = common; i < els.size(); ++i)
            if (!if_syms.find(els[i].first)) merge(i, els[i].first, nullptr, &els[i].second);
        ws_.release(3);
    }

    // emit_For: constant ranges up to max_unroll without break/continue are unrolled
    void emit_for(const node& n) {
        const node& target = t_[t_.child(n, 0)];
        const node& iter = t_[t_.child(n, 1)];
        std::string_view name = t_.text_of(target);
        // get_unroll_range: evaluate each range() argument once; numeric constants stay Python numbers
        struct arg {
            bool numeric;
            std::int64_t num;
            value v;
        };
        arg_list<arg> range_args;
        for (std::uint32_t i = 0; i < iter.count; ++i) {
            auto a = t_.child(iter, i);
            std::int64_t k;
            if (constant_int(a, k)) {
                range_args.push_back({true, k, {}});
                continue;
            }
            value v = expr(a);
            if (adj_.is_constant(v)) range_args.push_back({true, adj_.var(v).inum, v});
            else range_args.push_back({false, 0, v});
        }
        bool all_numeric = std::all_of(range_args.begin(), range_args.end(), [](const arg& a) { return a.numeric; });
        if (all_numeric) {
            std::int64_t start = 0, end = 0, step = 1;
            if (range_args.size() == 1) end = range_args[0].num;
            else {
                start = range_args[0].num;
                end = range_args[1].num;
                if (range_args.size() == 3) step = range_args[2].num;
            }
            std::int64_t max_iters = (end > start ? end - start : start - end) / (step > 0 ? step : -step);
            if (max_iters <= opt_.max_unroll && !contains_break(n, 2)) {
                if (std::find(const_iter_symbols_.begin(), const_iter_symbols_.end(), name) ==
                    const_iter_symbols_.end())
                    const_iter_symbols_.emplace_back(name);
                for (std::int64_t i = start; step > 0 ? i < end : i > end; i += step) {
                    symbols_.set(name, adj_.add_constant_int(i));
                    block(n, 2, n.count);
                }
                return;
            }
        }
        value_list call_args;
        for (auto& a : range_args) call_args.push_back(a.numeric ? adj_.add_constant_int(a.num) : a.v);
        value range = call(fn::range, call_args, types::range());
        promote_mutated_iter_constants(n, 2);
        symbols_.set(name, adj_.begin_for(range));
        loop_symbols_.push_back(&ws_.save(symbols_));
        block(n, 2, n.count);
        materialize(*loop_symbols_.back());
        loop_symbols_.pop_back();
        ws_.release();
        adj_.end_for(range);
    }

    // emit_While
    void emit_while(const node& n) {
        promote_mutated_iter_constants(n, 1);
        adj_.begin_while_head();
        value c = expr(t_.child(n, 0));
        adj_.begin_while_body(c);
        loop_symbols_.push_back(&ws_.save(symbols_));
        block(n, 1, n.count);
        materialize(*loop_symbols_.back());
        loop_symbols_.pop_back();
        ws_.release();
        adj_.end_while();
    }

    // materialize_redefinitions: locals changed inside a dynamic loop are written back with wp::assign
    void materialize(const symbol_table& snapshot) {
        const auto& items = snapshot.items();
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto [sym, var1] = items[i];
            const value* var2 = symbols_.find_at(i, sym);  // the snapshot's names keep their index (see find_at)
            if (!var2 || *var2 == var1) continue;
            bool iter_const = std::find(const_iter_symbols_.begin(), const_iter_symbols_.end(), sym) !=
                              const_iter_symbols_.end();
            if (iter_const && adj_.is_constant(var1)) continue;
            if (adj_.is_constant(var1))
                reject("Error mutating a constant " + std::string(sym) +
                       " inside a dynamic loop, use the following syntax: pi = float(3.141) to declare a dynamic "
                       "variable");
            adj_.add_call(fn::assign, {var1, *var2}, wtype{});
            symbols_.set_at(i, sym, var1);
        }
    }

    void collect_stores(syntax::node_id id, std::vector<std::string_view>& out) const {
        const node& n = t_[id];
        auto add = [&](syntax::node_id target) {
            if (t_[target].kind == nk::name) out.push_back(t_.text_of(t_[target]));
        };
        if (n.kind == nk::assign || n.kind == nk::aug_assign || n.kind == nk::for_stmt) add(t_.child(n, 0));
        if (n.kind == nk::assign && t_[t_.child(n, 0)].kind == nk::tuple) {
            const node& tup = t_[t_.child(n, 0)];
            for (std::uint32_t i = 0; i < tup.count; ++i) add(t_.child(tup, i));
        }
        if (syntax::is_statement(n.kind))
            for (std::uint32_t i = 0; i < n.count; ++i)
                if (syntax::is_statement(t_[t_.child(n, i)].kind)) collect_stores(t_.child(n, i), out);
    }

    // _promote_mutated_iter_constants
    void promote_mutated_iter_constants(const node& loop, std::uint32_t body_from) {
        if (const_iter_symbols_.empty()) return;
        std::vector<std::string_view> mutated;
        for (auto i = body_from; i < loop.count; ++i) collect_stores(t_.child(loop, i), mutated);
        std::vector<std::string_view> done;
        for (auto name : mutated) {
            if (std::find(done.begin(), done.end(), name) != done.end()) continue;
            done.push_back(name);
            const value* v = symbols_.find(name);
            bool iter_const = std::find(const_iter_symbols_.begin(), const_iter_symbols_.end(), name) !=
                              const_iter_symbols_.end();
            if (iter_const && v && adj_.is_constant(*v)) symbols_.set(name, adj_.add_call(fn::copy, {*v}, adj_.type_of(*v)));
        }
    }

    // contains_break: break/continue directly in the body or inside its ifs (not nested loops)
    bool contains_break(const node& n, std::uint32_t from) const {
        for (auto i = from; i < n.count; ++i) {
            const node& s = t_[t_.child(n, i)];
            if (s.kind == nk::break_stmt || s.kind == nk::continue_stmt) return true;
            if (s.kind == nk::if_stmt && contains_break(s, 1)) return true;
        }
        return false;
    }

    // eval_num: a literal or a negated literal
    bool constant_int(syntax::node_id id, std::int64_t& out) const {
        const node& n = t_[id];
        if (n.kind == nk::constant && n.ckind == syntax::const_kind::integer) {
            out = n.inum;
            return true;
        }
        if (n.kind == nk::unaryop && n.oper == syntax::op::usub) {
            const node& c = t_[t_.child(n, 0)];
            if (c.kind == nk::constant && c.ckind == syntax::const_kind::integer) {
                out = -c.inum;
                return true;
            }
        }
        return false;
    }

    // --- expressions -----------------------------------------------------------------------------------
    value expr(syntax::node_id id) {
        const node& n = t_[id];
        switch (n.kind) {
        case nk::name: {  // emit_Name
            const value* v = symbols_.find(t_.text_of(n));
            if (!v) reject("Referencing undefined symbol: " + std::string(t_.text_of(n)));
            return *v;
        }
        case nk::constant: return constant(n);  // emit_Constant
        case nk::binop: {  // emit_BinOp
            value l = expr(t_.child(n, 0));
            value r = expr(t_.child(n, 1));
            return adj_.add_call(op_fn(n.oper), {l, r}, n.type);
        }
        case nk::unaryop: {  // emit_UnaryOp: a negated constant folds
            auto operand_id = t_.child(n, 0);
            value a = expr(operand_id);
            if (n.oper == syntax::op::usub && adj_.is_constant(a)) {
                auto& v = adj_.var(a);
                if (v.ckind == syntax::const_kind::integer || v.ckind == syntax::const_kind::floating ||
                    v.ckind == syntax::const_kind::boolean) {
                    if (t_[operand_id].kind == nk::constant) {
                        v.inum = -v.inum;
                        v.fnum = -v.fnum;
                        if (v.ckind == syntax::const_kind::boolean) v.ckind = syntax::const_kind::integer;
                        return a;
                    }
                    if (v.ckind == syntax::const_kind::floating) return adj_.add_constant_float(-v.fnum);
                    return adj_.add_constant_int(-v.inum);
                }
            }
            return adj_.add_call(n.oper == syntax::op::not_ ? fn::unot : fn::neg, {a}, n.type);
        }
        case nk::compare: return emit_compare(n);
        case nk::boolop: return emit_boolop(n);
        case nk::ifexp: return emit_ifexp(n);
        case nk::call: return emit_call(n);
        case nk::subscript: {  // emit_Subscript
            auto [target, indices] = eval_subscript(id);
            return emit_indexing(target, eval_indices(indices));
        }
        case nk::attribute: return emit_attribute(n);
        default: reject("unsupported expression");
        }
    }

    value constant(const node& n) {
        switch (n.ckind) {
        case syntax::const_kind::floating: return adj_.add_constant_float(n.num);
        case syntax::const_kind::boolean: return adj_.add_constant_bool(n.inum != 0);
        case syntax::const_kind::string: return adj_.add_constant_string(t_.text_of(n));
        default: return adj_.add_constant_int(n.inum);
        }
    }

    // emit_Compare / add_comp
    value emit_compare(const node& n) {
        value left = expr(t_.child(n, 0));
        value_list comps;
        for (std::uint32_t i = 1; i < n.count; ++i) comps.push_back(expr(t_.child(n, i)));
        value out = adj_.add_var(types::scalar(scalar_kind::boolean));
        left = adj_.load(left);
        // The loads below add lines of their own, so the comparison's text is assembled aside first.
        auto& s = ws_.text;
        s.clear();
        adj_.emit(s, out);
        s += " = ";
        s.append(comps.size(), '(');
        adj_.emit(s, left);
        s += ' ';
        value prev;
        for (std::size_t i = 0; i < comps.size(); ++i) {
            std::string_view op = python_detail::op_text(t_.ops[n.aux + i]);
            value comp;
            if (prev.valid()) {
                prev = adj_.load(prev);
                comp = adj_.load(comps[i]);
                s += "&& (";
                adj_.emit(s, prev);
                s += ' ';
                s += op;
                s += ' ';
                adj_.emit(s, comp);
                s += ")) ";
            } else {
                comp = adj_.load(comps[i]);
                s += op;
                s += ' ';
                adj_.emit(s, comp);
                s += ") ";
            }
            prev = comp;
        }
        while (!s.empty() && s.back() == ' ') s.pop_back();
        s += ';';
        adj_.add_forward(s.view());
        return out;
    }

    // emit_BoolOp: short-circuit `and`/`or`
    value emit_boolop(const node& n) {
        bool is_and = n.oper == syntax::op::and_;
        value out = adj_.add_var(types::scalar(scalar_kind::boolean));
        value first = adj_.load(expr(t_.child(n, 0)));
        adj_.add_forward(adj_.name(out) + " = " + adj_.name(first) + ";");
        for (std::uint32_t i = 1; i < n.count; ++i) {
            std::string guard = std::string(is_and ? "if (" : "if (!") + adj_.name(out) + ") {";
            adj_.add_forward(guard);
            adj_.add_reverse("}");
            adj_.indent();
            value v = adj_.load(expr(t_.child(n, i)));
            adj_.add_forward(adj_.name(out) + " = " + adj_.name(out) + (is_and ? " && " : " || ") + adj_.name(v) + ";");
            adj_.dedent();
            adj_.add_forward("}");
            adj_.add_reverse(guard);
        }
        return out;
    }

    // emit_IfExp
    value emit_ifexp(const node& n) {
        value cond = expr(t_.child(n, 0));
        if (adj_.is_constant(cond)) return expr(t_.child(n, adj_.var(cond).inum ? 1 : 2));
        adj_.begin_if(cond);
        value body = adj_.load(expr(t_.child(n, 1)));
        adj_.end_if(cond);
        adj_.begin_if(cond, true);
        value orelse = adj_.load(expr(t_.child(n, 2)));
        adj_.end_if(cond, true);
        return adj_.add_call(fn::where, {cond, body, orelse}, adj_.type_of(body));
    }

    // emit_Call / add_call
    value emit_call(const node& n) {
        auto f = static_cast<fn>(n.builtin);
        if (f == fn::tid) return adj_.add_call(fn::tid, {}, n.type);
        value_list args;
        for (std::uint32_t i = 0; i < n.aux; ++i) args.push_back(expr(t_.child(n, i)));
        for (std::uint32_t i = n.aux; i < n.count; ++i) {  // keywords: constants get vars, types do not
            const node& kw = t_[t_.child(n, i)];
            const node& v = t_[t_.child(kw, 0)];
            if (v.kind != nk::type_ref) expr(t_.child(kw, 0));
        }
        // 64-bit scalar constructors of one constant re-type the constant's own var
        if (f == fn::construct_scalar && args.size() == 1 && adj_.is_constant(args[0]) &&
            (n.type.scalar == scalar_kind::float64 || n.type.scalar == scalar_kind::int64 ||
             n.type.scalar == scalar_kind::uint64)) {
            auto& v = adj_.var(args[0]);
            std::string text;
            if (n.type.scalar == scalar_kind::float64) {
                double d = v.ckind == syntax::const_kind::floating ? v.fnum : static_cast<double>(v.inum);
                if (d != d) goto no_fold;
                text = python_float_repr(d);
            } else {
                std::int64_t k = v.ckind == syntax::const_kind::floating ? static_cast<std::int64_t>(v.fnum) : v.inum;
                text = std::to_string(k) + (n.type.scalar == scalar_kind::int64 ? "ll" : "ull");
            }
            v.type = n.type;
            v.ckind = syntax::const_kind::none;
            adj_.add_forward(adj_.name(args[0]) + " = " + text + ";");
            return args[0];
        }
    no_fold:
        // Python's own `float(x)`/`int(x)` keep their names: `wp::float(var_1)` (a macro in Warp's header).
        auto py = t_.text_of(n);
        if (f == fn::construct_scalar && (py == "float" || py == "int")) return call(f, args, n.type, false, py);
        return call(f, args, n.type);
    }

    // eval_subscript / recurse_subscript: nested subscripts collapse; an array is indexed as soon as it has
    // all its indices. Warp recurses down to the innermost subscript, prepending each level's index group; on the
    // way back up each level indexes an array that has more indices than dimensions. That is done here as a loop
    // over the levels, innermost first, with the groups in one flat list.
    using index_list = arg_list<syntax::node_id>;
    std::pair<value, index_list> eval_subscript(syntax::node_id id) {
        syntax::node_id chain[index_list::capacity];  // the subscript nodes, outermost first
        std::size_t levels = 0;
        for (auto at = id; t_[at].kind == nk::subscript; at = t_.child(t_[at], 0)) {
            if (levels == index_list::capacity) throw rejected("warpsynth: calls take at most 20 arguments");
            chain[levels++] = at;
        }
        index_list ids;                            // every group's indices, innermost group first
        std::uint32_t sizes[index_list::capacity];  // each group's size
        for (std::size_t l = levels; l-- > 0;) {
            const node& n = t_[chain[l]];
            sizes[levels - 1 - l] = n.count - 1;
            for (std::uint32_t i = 1; i < n.count; ++i) ids.push_back(t_.child(n, i));
        }
        value target = expr(t_.child(t_[chain[levels - 1]], 0));
        std::size_t group = 0, first = 0;  // the groups not yet used: [group, levels), their indices [first, ...)
        for (std::size_t l = 0; l < levels; ++l) {
            wtype tt = adj_.type_of(target);
            if (!tt.is_array() || adj_.is_ref(target) || ids.size() - first <= tt.ndim) continue;
            value_list idx;
            for (std::size_t i = 0; i < tt.ndim; ++i) idx.push_back(expr(ids[first + i]));
            target = emit_indexing(target, idx);
            for (std::size_t count = tt.ndim; count > 0 && group < levels;) {
                std::size_t g = sizes[group++];
                first += g;
                count = g < count ? count - g : 0;
            }
        }
        // Built in the returned object (NRVO): a list filled element by element and then copied out is reloaded
        // 16 bytes at a time over its just-stored elements, a store-forwarding stall.
        std::pair<value, index_list> result;
        result.first = target;
        for (std::size_t i = first; i < ids.size(); ++i) result.second.push_back(ids[i]);
        return result;
    }
    value_list eval_indices(const index_list& ids) {
        value_list v;
        for (auto i : ids) v.push_back(expr(i));
        return v;
    }
    // emit_indexing: arrays give an address, values an extract
    value emit_indexing(value target, const value_list& idx) {
        wtype tt = adj_.type_of(target);
        value_list args{target};
        args.append(idx);
        if (tt.is_array() && !adj_.is_ref(target)) return call(fn::address, args, tt.value(), true);
        wtype r;
        if (tt.kind == type_kind::matrix && idx.size() == 1) r = types::vector(tt.cols, tt.scalar);
        else r = tt.scalar_type();
        return call(fn::extract, args, r);
    }

    // emit_Attribute: vector components are an extract with a fresh constant index; a transform's `.p`/`.q` is a
    // call of transform_get_translation/rotation (Warp 1.16, checked with its code generator)
    value emit_attribute(const node& n) {
        value agg = expr(t_.child(n, 0));
        char c = t_.text_of(n)[0];
        wtype at = adj_.type_of(agg);
        if (at.kind == type_kind::transform)
            return adj_.add_call(c == 'p' ? fn::transform_get_translation : fn::transform_get_rotation, {agg}, n.type);
        return adj_.add_call(fn::extract, {agg, component_index(n)}, n.type);
    }
};

}  // namespace warpsynth::ir
