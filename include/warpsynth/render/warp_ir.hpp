// warpsynth/render/warp_ir.hpp — the four kernel functions Warp v1.16.0 generates: CPU/CUDA x forward/backward.
//
// The builder (ir/) is run once; the devices differ only in the wrapper and the body indentation (4 spaces on CPU,
// 8 in CUDA kernels), plus `return;` -> `continue;` inside the CUDA grid-stride loop. Each body section is written
// once per device indentation and then copied whole into the two (forward/backward) functions that use it.
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
        for (std::size_t i = 0; i < used_; ++i)
            if (entries_[i].first == t) return entries_[i].second;
        if (used_ == entries_.size()) entries_.emplace_back();
        auto& e = entries_[used_++];
        e.first = t;
        e.second.clear();
        append_ctype(e.second, t);
        return e.second;
    }

  private:
    std::vector<std::pair<wtype, std::string>> entries_;
    std::size_t used_ = 0;
};

// One body section (codegen_func_forward / codegen_func_reverse), written at both indentations at once: 4
// spaces in the CPU function, 8 in the CUDA kernel's loop. Both are then copied whole into the functions.
struct section {
    text_buffer cpu, cuda;
    void clear() {
        cpu.clear();
        cuda.clear();
    }
    // Start a line: the device indentation plus `extra` spaces.
    void begin(std::size_t extra) {
        cpu.append(4 + extra, ' ');
        cuda.append(8 + extra, ' ');
    }
    void operator+=(std::string_view s) {
        cpu += s;
        cuda += s;
    }
    template <std::size_t N>
    void operator+=(const char (&lit)[N]) {
        cpu += lit;
        cuda += lit;
    }
    // A complete line (newline included) at the device's base indentation.
    void add_line(std::string_view text) {
        cpu.append_indented(4, text);
        cuda.append_indented(8, text);
    }
    void line(std::string_view s) {
        begin(0);
        *this += s;
        *this += '\n';
    }
    void operator+=(char c) {
        cpu += c;
        cuda += c;
    }
    // Arena lines [first, last), each at both base indentations. One reservation per buffer, then plain
    // pointer writes: appending line by line reloads each buffer's size after every store (a char store may
    // alias it), which made this the renderer's second-hottest loop.
    template <class It>
    void add_lines(const text_buffer& arena, It first, It last) {
        std::size_t n = 0, bytes = 0;
        for (auto it = first; it != last; ++it, ++n) bytes += it->len;
        char* c = cpu.reserve(bytes + 4 * n);
        char* g = cuda.reserve(bytes + 8 * n);
        const char* base = arena.data();
        for (auto it = first; it != last; ++it) {
            std::memcpy(c, text_detail::spaces, 4);
            std::memcpy(g, text_detail::spaces, 8);
            text_detail::copy(c + 4, base + it->off, it->len);
            text_detail::copy(g + 8, base + it->off, it->len);
            c += 4 + it->len;
            g += 8 + it->len;
        }
        cpu.advance(bytes + 4 * n);
        cuda.advance(bytes + 8 * n);
    }
};

class body_writer {
  public:
    body_writer(const ir::adjoint& adj, ctype_cache& ctypes, text_buffer& scratch, std::vector<ir::line>& lines)
        : adj_(adj), ctypes_(ctypes), text_(scratch), lines_(lines) {}

    void primal_vars(section& out) {
        out.line("//---------");
        out.line("// primal vars");
        declarations([&](text_buffer& b, std::size_t i) {
            auto& v = adj_.variables[i];
            if (v.ckind != syntax::const_kind::none) b += "const ";
            b += ctypes_(v.type);
            if (v.is_ref) b += '*';
            b += " var_";
            b.append_uint(static_cast<std::uint32_t>(i));
            if (v.ckind != syntax::const_kind::none) {
                b += " = ";
                ir::append_constant(b, adj_, v);
            }
            b += ";\n";
        });
        out.add_lines(text_, lines_.begin(), lines_.end());
    }
    void dual_vars(section& out) {
        out.line("//---------");
        out.line("// dual vars");
        declarations([&](text_buffer& b, std::size_t i) {
            b += ctypes_(adj_.variables[i].type);
            b += " adj_";
            b.append_uint(static_cast<std::uint32_t>(i));
            b += " = {};\n";
        });
        out.add_lines(text_, lines_.begin(), lines_.end());
    }
    // The forward pass; in the CUDA grid-stride loop `return;` becomes `continue;`.
    void forward(section& out, bool grid_stride_cuda) {
        out.line("//---------");
        out.line("// forward");
        auto& lines = adj_.block_at(0).forward;
        if (!grid_stride_cuda) return out.add_lines(adj_.arena, lines.begin(), lines.end());
        for (auto& l : lines) {
            auto stmt = adj_.statement(l);
            if (stmt.starts_with("return;")) {
                out.begin(l.indent);
                if (l.tab) out += '\t';
                out.cpu += stmt;
                out.cuda += "continue;";
                out.cuda += stmt.substr(7);
                out += '\n';
            } else {
                statement(out, l);
            }
        }
    }
    // The closing `return;`/`continue;` differs per device and is appended by the caller.
    void replay_and_reverse(section& out) {
        out.line("//---------");
        out.line("// forward");
        auto& b = adj_.block_at(0);
        out.add_lines(adj_.arena, b.replay.begin(), b.replay.end());
        out.line("//---------");
        out.line("// reverse");
        out.add_lines(adj_.arena, b.reverse.rbegin(), b.reverse.rend());
    }

  private:
    const ir::adjoint& adj_;
    ctype_cache& ctypes_;
    text_buffer& text_;             // the declarations, one line per variable
    std::vector<ir::line>& lines_;  // their lines in text_

    // One declaration line per variable, written by `declare(buffer, index)`, copied as a block afterwards.
    template <class Declare>
    void declarations(Declare declare) {
        text_.clear();
        lines_.clear();
        for (std::size_t i = 0; i < adj_.variables.size(); ++i) {
            auto off = static_cast<std::uint32_t>(text_.size());
            declare(text_, i);
            lines_.push_back({off, static_cast<std::uint32_t>(text_.size()) - off, 0, false});
        }
    }

    // An arena line is complete but for the device's base indentation.
    void statement(section& out, const ir::line& l) {
        out.add_line(adj_.text(l));
    }
};

// `,\n    <ctype> <prefix><name>` per kernel argument: the CUDA parameter list.
inline void cuda_params(std::string& out, const ir::adjoint& adj, ctype_cache& ctypes, std::string_view prefix) {
    for (auto& a : adj.args) {
        out += std::string_view(",\n    ");
        out += ctypes(a.type);
        out += prefix;
        out += a.name;
    }
}

// `    <ctype> var_<name> = _wp_args-><name>;` per argument (`adj_`/`_wp_adj_args` for the adjoints).
inline void argument_vars(std::string& out, const ir::adjoint& adj, ctype_cache& ctypes, std::string_view prefix,
                          std::string_view source) {
    for (auto& a : adj.args) {
        out += std::string_view("    ");
        out += ctypes(a.type);
        out += prefix;
        out += a.name;
        out += source;
        out += a.name;
        out += std::string_view(";\n");
    }
}

inline void cuda_args(std::string& out, const ir::adjoint& adj, ctype_cache& ctypes, int dim, bool adjoints) {
    out += std::string_view("    wp::launch_bounds_t<");
    out += static_cast<char>('0' + dim);
    out += std::string_view("> dim");
    cuda_params(out, adj, ctypes, " var_");
    if (adjoints) cuda_params(out, adj, ctypes, " adj_");
}

// Each body section is rendered once, at both device indentations.
struct sections {
    section primal, dual, forward, forward_cuda, replay_reverse;
    ctype_cache ctypes;
    text_buffer scratch;
    std::vector<ir::line> scratch_lines;
    bool has_return = false;

    void build(const ir::adjoint& adj, bool backward) {
        ctypes.clear();
        primal.clear();
        dual.clear();
        forward.clear();
        forward_cuda.clear();
        replay_reverse.clear();
        body_writer w(adj, ctypes, scratch, scratch_lines);
        w.primal_vars(primal);
        w.forward(forward, false);
        has_return = false;
        for (auto& l : adj.block_at(0).forward)
            if (adj.statement(l).starts_with("return;")) has_return = true;
        if (has_return) w.forward(forward_cuda, true);
        if (backward) {
            w.dual_vars(dual);
            w.replay_and_reverse(replay_reverse);
        }
    }
};

inline void cuda_function(std::string& out, const syntax::tree& t, const ir::adjoint& adj, sections& sec,
                          int dim, const std::string& mangled, bool backward) {
    bool grid_stride = !option_is(t, "grid_stride", "False");
    out += std::string_view("extern \"C\" ");
    if (auto lb = option(t, "launch_bounds")) out += "__launch_bounds__(" + *lb + ") ";
    if (auto cd = option(t, "cluster_dim"); cd && *cd != "1") out += "WP_CLUSTER_DIMS(" + *cd + ", 1, 1) ";
    out += std::string_view("__global__ void ");
    out += mangled;
    out += backward ? "_cuda_kernel_backward(\n" : "_cuda_kernel_forward(\n";
    cuda_args(out, adj, sec.ctypes, dim, backward);
    out += std::string_view(")\n{\n    wp::tile_shared_storage_t tile_mem;\n\n");
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
    out += sec.primal.cuda.view();
    if (backward) {
        out += sec.dual.cuda.view();
        out += sec.replay_reverse.cuda.view();
        out += grid_stride ? "        continue;\n" : "        return;\n";
    } else {
        out += (grid_stride && sec.has_return ? sec.forward_cuda : sec.forward).cuda.view();
    }
    out += grid_stride ? "    }\n}\n" : "}\n";
}

inline void cpu_function(std::string& out, const ir::adjoint& adj, sections& sec, int dim,
                         const std::string& mangled, bool backward) {
    out += std::string_view("void ");
    out += mangled;
    out += backward ? "_cpu_kernel_backward(\n" : "_cpu_kernel_forward(\n";
    out += std::string_view("    wp::launch_bounds_t<");
    out += static_cast<char>('0' + dim);
    out += std::string_view("> dim,\n    size_t task_index,\n    wp_args_");
    out += mangled;
    out += std::string_view(" *_wp_args");
    if (backward) {
        out += std::string_view(",\n    wp_args_");
        out += mangled;
        out += std::string_view(" *_wp_adj_args");
    }
    out += std::string_view(")\n{\n");
    out += std::string_view("    //---------\n    // argument vars\n");
    argument_vars(out, adj, sec.ctypes, " var_", " = _wp_args->");
    if (backward) argument_vars(out, adj, sec.ctypes, " adj_", " = _wp_adj_args->");
    out += sec.primal.cpu.view();
    if (backward) {
        out += sec.dual.cpu.view();
        out += sec.replay_reverse.cpu.view();
        out += std::string_view("    return;\n");
    } else {
        out += sec.forward.cpu.view();
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
    r.cpu_forward.clear();
    r.cpu_backward.clear();
    r.cuda_forward.clear();
    r.cuda_backward.clear();
    if (!opt.cpu && !opt.cuda) return;
    thread_local ir::adjoint adj;  // reused: its buffers keep their capacity between kernels
    ir::emitter e(adj, t, map, {opt.max_unroll});
    e.build();
    int dim = e.kernel_dim;
    thread_local ir_detail::sections sec;
    sec.build(adj, r.has_backward);
    if (opt.cpu) {
        ir_detail::cpu_function(r.cpu_forward, adj, sec, dim, r.mangled_name, false);
        if (r.has_backward) ir_detail::cpu_function(r.cpu_backward, adj, sec, dim, r.mangled_name, true);
    }
    if (opt.cuda) {
        ir_detail::cuda_function(r.cuda_forward, t, adj, sec, dim, r.mangled_name, false);
        if (r.has_backward) ir_detail::cuda_function(r.cuda_backward, t, adj, sec, dim, r.mangled_name, true);
    }
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
