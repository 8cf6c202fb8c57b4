// warpsynth/render/warp_ir.hpp — the four kernel functions Warp v1.16.0 generates: CPU/CUDA x forward/backward.
//
// The builder (ir/) is run once; the devices differ only in the wrapper and the body indentation (4 spaces on CPU,
// 8 in CUDA kernels), plus `return;` -> `continue;` inside the CUDA grid-stride loop. Each function is written
// straight from the builder's arena lines (and the declarations, formatted once per kernel) into its string: no
// intermediate copy of the body.
#pragma once

#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "warpsynth/hash/kernel_hash.hpp"
#include "warpsynth/ir/adjoint.hpp"
#include "warpsynth/ir/emit.hpp"
#include "warpsynth/render/python.hpp"
#include "warpsynth/syntax/tree.hpp"
#include "warpsynth/util/text_buffer.hpp"

namespace warpsynth {

struct render_options {
    bool python = true;
    bool cpu = true;
    bool cuda = true;
    int max_unroll = 16;  // module option `max_unroll`
};

struct rendered_kernel {
    std::string python_source;
    std::string mangled_name;
    std::string cpu_forward, cpu_backward, cuda_forward, cuda_backward;  // backward empty without enable_backward
    bool has_backward = true;
};

namespace ir_detail {

inline const std::string* option(const syntax::tree& t, std::string_view key) {
    for (auto& [k, v] : t.options)
        if (k == key) return &v;
    return nullptr;
}
inline bool option_is(const syntax::tree& t, std::string_view key, std::string_view value) {
    auto v = option(t, key);
    return v && *v == value;
}

// The C++ spelling of each type, formatted once per kernel: declarations repeat a handful of types many times.
class ctype_cache {
  public:
    void clear() { used_ = 0; }  // entries past `used_` keep their strings' capacity for the next kernel
    // The spelling stays valid until the next lookup (a new entry may move the others).
    std::string_view operator()(const wtype& t) {
        const auto k = key(t);
        for (std::size_t i = 0; i < used_; ++i)
            if (entries_[i].first == k) return entries_[i].second;
        if (used_ == entries_.size()) entries_.emplace_back();
        auto& e = entries_[used_++];
        e.first = k;
        e.second.clear();
        append_ctype(e.second, t);
        return e.second;
    }

  private:
    std::vector<std::pair<std::uint64_t, std::string>> entries_;
    std::size_t used_ = 0;

    // The type's fields as one integer: one comparison per entry instead of one per field. (Assembled by shifts: a
    // memcpy of the struct went through a stack copy reloaded whole, a store-forwarding stall.)
    static std::uint64_t key(const wtype& t) {
        auto b = [](auto field, int byte) { return static_cast<std::uint64_t>(field) << (8 * byte); };
        return b(t.kind, 0) | b(t.scalar, 1) | b(t.rows, 2) | b(t.cols, 3) | b(t.elem, 4) | b(t.ndim, 5);
    }
};

// Arena lines [first, last) appended to `out`, each at the device's base indentation `Base` (4 spaces in the CPU
// function, 8 in the CUDA kernel's loop). One reservation, then plain pointer writes: appending line by line
// reloads the buffer's size after every store (a char store may alias it).
template <std::size_t Base, class Out, class It>
void append_lines(Out& out, const text_buffer& arena, It first, It last) {
    std::size_t bytes = 0;
    for (auto it = first; it != last; ++it) {
        bytes += Base + it->len;
        // Kept scalar: GCC vectorizes this sum over the 12-byte lines through a stack slot, a store-forwarding
        // stall per line that made it the renderer's hottest loop.
        asm("" : "+r"(bytes));
    }
    char* const start = out.reserve(bytes + text_detail::chunk);  // room for the last line's over-copy
    char* d = start;
    const char* base = arena.data();
    for (auto it = first; it != last; ++it) {
        std::memcpy(d, text_detail::spaces, Base);
        text_detail::copy_chunks(d + Base, base + it->off, it->len);
        d += Base + it->len;
    }
    out.advance(static_cast<std::size_t>(d - start));
}

// `//---------` and a section title (`// primal vars`), at the device's base indentation.
template <std::size_t Base, class Out, std::size_t N>
void append_heading(Out& out, const char (&title)[N]) {
    out.append(Base, ' ');
    out += "//---------\n";
    out.append(Base, ' ');
    out += title;
}

// The body's declarations, formatted once per kernel at both devices' indentation (4 spaces on the CPU, 8 in
// CUDA) with their headings: each function then copies its blocks whole, and the backward repeats the forward's.
class declarations {
  public:
    // One pass: each variable's type is spelled once for both of its declarations.
    void build(const ir::adjoint& adj, ctype_cache& ctypes, bool backward) {
        start(primal_, "// primal vars\n");
        start(dual_, "// dual vars\n");
        for (std::size_t i = 0; i < adj.variables.size(); ++i) {
            auto& v = adj.variables[i];
            auto ctype = ctypes(v.type);
            const auto number = static_cast<std::uint32_t>(i);
            if (v.ckind == syntax::const_kind::none) {  // `<ctype>[*] var_<n>;`
                put_line(primal_, ctype.size(),
                         [&](char* p) { return declaration(p, ctype, v.is_ref, " var_", number, ";\n"); });
            } else {  // `const <ctype> var_<n> = <value>;`: rare, so formatted aside and then copied
                scratch_.clear();
                scratch_ += "const ";
                scratch_ += ctype;
                scratch_ += " var_";
                scratch_.append_uint(number);
                scratch_ += " = ";
                ir::append_constant(scratch_, adj, v);
                scratch_ += ";\n";
                put_line(primal_, scratch_.size(), [&](char* p) {
                    std::memcpy(p, scratch_.data(), scratch_.size());
                    return p + scratch_.size();
                });
            }
            if (!backward) continue;
            // `<ctype> adj_<n> = {};`
            put_line(dual_, ctype.size(),
                     [&](char* p) { return declaration(p, ctype, false, " adj_", number, " = {};\n"); });
        }
    }
    template <std::size_t Base, class Out>
    void primal(Out& out) const {
        out += primal_[device<Base>()].view();
    }
    template <std::size_t Base, class Out>
    void dual(Out& out) const {
        out += dual_[device<Base>()].view();
    }

  private:
    text_buffer primal_[2], dual_[2];  // [0]: CPU (4 spaces), [1]: CUDA (8 spaces)
    text_buffer scratch_;

    template <std::size_t Base>
    static constexpr std::size_t device() {
        static_assert(Base == 4 || Base == 8, "the CPU function's body is indented 4 spaces, the CUDA kernel's 8");
        return Base / 4 - 1;
    }
    // `<ctype>[*]<name><n><end>` at p, written through a local pointer (appending piece by piece reloads the
    // buffer's size after every store: a char store may alias it); returns its end. At most ctype + 32 characters.
    template <std::size_t E>
    [[gnu::always_inline]] static char* declaration(char* p, std::string_view ctype, bool ref, const char (&name)[6],
                                                    std::uint32_t number, const char (&end)[E]) {
        text_detail::copy(p, ctype.data(), ctype.size());
        p += ctype.size();
        *p = '*';
        p += ref;
        std::memcpy(p, name, 5);
        p = text_detail::write_uint(p + 5, number);
        std::memcpy(p, end, E - 1);
        return p + E - 1;
    }

    template <std::size_t N>
    static void start(text_buffer (&b)[2], const char (&title)[N]) {
        b[0].clear();
        b[1].clear();
        append_heading<4>(b[0], title);
        append_heading<8>(b[1], title);
    }
    // A line written by `write` (whose text `size` bounds but for 32 characters) after the indentation of each
    // block. Written twice rather than copied: a wide load of the just-written small stores would stall.
    template <class Write>
    [[gnu::always_inline]] static void put_line(text_buffer (&b)[2], std::size_t size, Write write) {
        for (std::size_t k = 0; k < 2; ++k) {
            const std::size_t indent = 4 * (k + 1);
            char* const s = b[k].reserve(indent + size + 32);
            std::memcpy(s, text_detail::spaces, 8);
            b[k].advance(static_cast<std::size_t>(write(s + indent) - s));
        }
    }
};

// The forward pass (codegen_func_forward). In the CUDA grid-stride loop `return;` becomes `continue;`.
template <std::size_t Base, class Out>
void forward_pass(Out& out, const ir::adjoint& adj, bool return_is_continue) {
    append_heading<Base>(out, "// forward\n");
    auto& lines = adj.block_at(0).forward;
    if (!return_is_continue) return append_lines<Base>(out, adj.arena, lines.begin(), lines.end());
    for (auto& l : lines) {
        auto stmt = adj.statement(l);
        if (stmt.starts_with("return;")) {
            out.append(Base + l.indent, ' ');
            if (l.tab) out += '\t';
            out += std::string_view("continue;");
            out += stmt.substr(7);
            out += '\n';
        } else {
            append_lines<Base>(out, adj.arena, &l, &l + 1);
        }
    }
}

// The backward's body before its closing `return;`/`continue;`: the forward replay, then the reverse pass
// (codegen_func_reverse).
template <std::size_t Base, class Out>
void replay_and_reverse(Out& out, const ir::adjoint& adj) {
    auto& b = adj.block_at(0);
    append_heading<Base>(out, "// forward\n");
    append_lines<Base>(out, adj.arena, b.replay.begin(), b.replay.end());
    append_heading<Base>(out, "// reverse\n");
    append_lines<Base>(out, adj.arena, b.reverse.rbegin(), b.reverse.rend());
}

// What a kernel's four functions share, built once per kernel.
struct shared_text {
    ctype_cache ctypes;
    declarations decls;
    text_buffer cpu_vars, cpu_adjs;    // `    <ctype> var_<name> = _wp_args-><name>;\n` per argument (adj_: _wp_adj_args)
    text_buffer cuda_vars, cuda_adjs;  // `,\n    <ctype> var_<name>` per argument: the CUDA parameter list

    void build(const ir::adjoint& adj, bool backward) {
        ctypes.clear();
        decls.build(adj, ctypes, backward);
        cpu_vars.clear();
        cpu_adjs.clear();
        cuda_vars.clear();
        cuda_adjs.clear();
        // `    <ctype> <prefix><name><source><name>;\n` on the CPU, `,\n    <ctype> <prefix><name>` in CUDA.
        auto argument = [](text_buffer& cpu, text_buffer& cuda, std::string_view ctype, std::string_view name,
                           std::string_view prefix, std::string_view source) {
            cpu += "    ";
            cpu += ctype;
            cpu += prefix;
            cpu += name;
            cpu += source;
            cpu += name;
            cpu += ";\n";
            cuda += ",\n    ";
            cuda += ctype;
            cuda += prefix;
            cuda += name;
        };
        for (auto& a : adj.args) {
            auto ctype = ctypes(a.type);
            argument(cpu_vars, cuda_vars, ctype, a.name, " var_", " = _wp_args->");
            if (backward) argument(cpu_adjs, cuda_adjs, ctype, a.name, " adj_", " = _wp_adj_args->");
        }
    }
};

template <class Out>
void cuda_function(Out& out, const syntax::tree& t, const ir::adjoint& adj, const shared_text& sh, int dim,
                   const std::string& mangled, bool backward) {
    bool grid_stride = !option_is(t, "grid_stride", "False");
    out += "extern \"C\" ";
    if (auto lb = option(t, "launch_bounds")) {
        out += "__launch_bounds__(";
        out += *lb;
        out += ") ";
    }
    if (auto cd = option(t, "cluster_dim"); cd && *cd != "1") {
        out += "WP_CLUSTER_DIMS(";
        out += *cd;
        out += ", 1, 1) ";
    }
    out += "__global__ void ";
    out += mangled;
    out += backward ? std::string_view("_cuda_kernel_backward(\n") : std::string_view("_cuda_kernel_forward(\n");
    out += "    wp::launch_bounds_t<";
    out += static_cast<char>('0' + dim);
    out += "> dim";
    out += sh.cuda_vars.view();
    if (backward) out += sh.cuda_adjs.view();
    out += ")\n{\n    wp::tile_shared_storage_t tile_mem;\n\n";
    if (grid_stride) {
        out +=
            "    for (size_t _idx = static_cast<size_t>(blockDim.x) * static_cast<size_t>(blockIdx.x) + "
            "static_cast<size_t>(threadIdx.x);\n"
            "         _idx < dim.size;\n"
            "         _idx += static_cast<size_t>(blockDim.x) * static_cast<size_t>(gridDim.x))\n"
            "    {\n"
            "            // reset shared memory allocator\n"
            "        wp::tile_shared_storage_t::init();\n\n";
    } else {
        out +=
            "    const size_t _idx = static_cast<size_t>(blockIdx.z * gridDim.y + blockIdx.y) * "
            "static_cast<size_t>(gridDim.x * blockDim.x) + static_cast<size_t>(blockIdx.x * blockDim.x + "
            "threadIdx.x);\n"
            "    if (_idx >= dim.size) return;\n"
            "            // reset shared memory allocator\n"
            "    wp::tile_shared_storage_t::init();\n\n";
    }
    sh.decls.primal<8>(out);
    if (backward) {
        sh.decls.dual<8>(out);
        replay_and_reverse<8>(out, adj);
        out += grid_stride ? "        continue;\n" : "        return;\n";
    } else {
        forward_pass<8>(out, adj, grid_stride && adj.has_return);
    }
    out += grid_stride ? "    }\n}\n" : "}\n";
}

template <class Out>
void cpu_function(Out& out, const ir::adjoint& adj, const shared_text& sh, int dim, const std::string& mangled,
                  bool backward) {
    out += "void ";
    out += mangled;
    out += backward ? std::string_view("_cpu_kernel_backward(\n") : std::string_view("_cpu_kernel_forward(\n");
    out += "    wp::launch_bounds_t<";
    out += static_cast<char>('0' + dim);
    out += "> dim,\n    size_t task_index,\n    wp_args_";
    out += mangled;
    out += " *_wp_args";
    if (backward) {
        out += ",\n    wp_args_";
        out += mangled;
        out += " *_wp_adj_args";
    }
    out += ")\n{\n";
    out += "    //---------\n    // argument vars\n";
    out += sh.cpu_vars.view();
    if (backward) out += sh.cpu_adjs.view();
    sh.decls.primal<4>(out);
    if (backward) {
        sh.decls.dual<4>(out);
        replay_and_reverse<4>(out, adj);
        out += std::string_view("    return;\n");
    } else {
        forward_pass<4>(out, adj, false);
    }
    out += std::string_view("}\n");
}

}  // namespace ir_detail

// Render a lowered kernel: Python module, mangled name and the requested IR functions.
inline void render(const syntax::tree& t, rendered_kernel& r, const render_options& opt = {}) {
    r.python_source.clear();
    thread_local source_map map;  // reused: its vectors keep their capacity between kernels
    render_python(t, r.python_source, &map);
    mangled_name(t, map.function_source(), r.mangled_name);
    r.has_backward = !ir_detail::option_is(t, "enable_backward", "False");
    auto clear_ir = [&] {
        r.cpu_forward.clear();
        r.cpu_backward.clear();
        r.cuda_forward.clear();
        r.cuda_backward.clear();
    };
    if (!opt.cpu && !opt.cuda) return clear_ir();
    thread_local ir::adjoint adj;  // reused: its buffers keep their capacity between kernels
    ir::emitter e(adj, t, map, {opt.max_unroll});
    try {
        e.build();
    } catch (...) {  // Warp rejected the kernel: no text of the previous one stays behind
        clear_ir();
        throw;
    }
    const int dim = e.kernel_dim;
    thread_local ir_detail::shared_text sh;
    sh.build(adj, r.has_backward);
    // Each function is written in place into its string, whose size (the previous kernel's text) is the room.
    auto write = [](std::string& out, bool wanted, auto&& function) {
        if (!wanted) return out.clear();
        string_writer w(out);
        function(w);
    };
    const bool cpu_bw = opt.cpu && r.has_backward, cuda_bw = opt.cuda && r.has_backward;
    write(r.cpu_forward, opt.cpu, [&](auto& w) { ir_detail::cpu_function(w, adj, sh, dim, r.mangled_name, false); });
    write(r.cpu_backward, cpu_bw, [&](auto& w) { ir_detail::cpu_function(w, adj, sh, dim, r.mangled_name, true); });
    write(r.cuda_forward, opt.cuda,
          [&](auto& w) { ir_detail::cuda_function(w, t, adj, sh, dim, r.mangled_name, false); });
    write(r.cuda_backward, cuda_bw,
          [&](auto& w) { ir_detail::cuda_function(w, t, adj, sh, dim, r.mangled_name, true); });
}

// Lower a typed kernel description and render it.
template <class Kernel>
    requires requires(const Kernel& k, syntax::tree& t) { k.lower(t); }
rendered_kernel render(const Kernel& k, const render_options& opt = {}) {
    syntax::tree t;
    k.lower(t);
    rendered_kernel r;
    render(t, r, opt);
    return r;
}

}  // namespace warpsynth
