// warpsynth/render/warp_ir.hpp — the four kernel functions Warp v1.16.0 generates: CPU/CUDA x forward/backward.
//
// The builder (ir/) is run once; the devices differ only in the wrapper and the body indentation (4 spaces on CPU,
// 8 in CUDA kernels), plus `return;` -> `continue;` inside the CUDA grid-stride loop.
#pragma once

#include <string>
#include <string_view>

#include "warpsynth/hash/kernel_hash.hpp"
#include "warpsynth/ir/adjoint.hpp"
#include "warpsynth/ir/emit.hpp"
#include "warpsynth/render/python.hpp"
#include "warpsynth/syntax/tree.hpp"

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

// codegen_func_forward / codegen_func_reverse, for one device.
class body_writer {
  public:
    body_writer(const ir::adjoint& adj, std::string& out, std::string_view indent) : adj_(adj), out_(out), in_(indent) {}

    void argument_vars(bool adjoints) {
        line("//---------");
        line("// argument vars");
        for (auto& a : adj_.args) {
            begin();
            append_ctype(out_, a.type);
            out_ += " var_" + a.name + " = _wp_args->" + a.name + ";\n";
        }
        if (!adjoints) return;
        for (auto& a : adj_.args) {
            begin();
            append_ctype(out_, a.type);
            out_ += " adj_" + a.name + " = _wp_adj_args->" + a.name + ";\n";
        }
    }
    void primal_vars() {
        line("//---------");
        line("// primal vars");
        for (std::size_t i = 0; i < adj_.variables.size(); ++i) {
            auto& v = adj_.variables[i];
            begin();
            if (v.ckind != syntax::const_kind::none) out_ += std::string_view("const ");
            append_ctype(out_, v.type);
            if (v.is_ref) out_ += '*';
            out_ += std::string_view(" var_");
            ir::adjoint::append_uint(out_, static_cast<std::uint32_t>(i));
            if (v.ckind != syntax::const_kind::none) {
                out_ += std::string_view(" = ");
                ir::append_constant(out_, v);
            }
            out_ += std::string_view(";\n");
        }
    }
    void dual_vars() {
        line("//---------");
        line("// dual vars");
        for (std::size_t i = 0; i < adj_.variables.size(); ++i) {
            begin();
            append_ctype(out_, adj_.variables[i].type);
            out_ += std::string_view(" adj_");
            ir::adjoint::append_uint(out_, static_cast<std::uint32_t>(i));
            out_ += std::string_view(" = {};\n");
        }
    }
    void forward(bool grid_stride_cuda) {
        line("//---------");
        line("// forward");
        for (auto& s : adj_.blocks[0].forward) statement(s, grid_stride_cuda);
    }
    // The closing `return;`/`continue;` differs per device and is appended by the caller.
    void replay_and_reverse() {
        line("//---------");
        line("// forward");
        for (auto& s : adj_.blocks[0].replay) statement(s, false);
        line("//---------");
        line("// reverse");
        auto& r = adj_.blocks[0].reverse;
        for (auto it = r.rbegin(); it != r.rend(); ++it) statement(*it, false);
    }

  private:
    const ir::adjoint& adj_;
    std::string& out_;
    std::string_view in_;
    void begin() { out_ += in_; }
    void line(std::string_view s) {
        out_ += in_;
        out_ += s;
        out_ += '\n';
    }
    void statement(const ir::line& l, bool grid_stride_cuda) {
        out_ += in_;
        out_.append(l.indent, ' ');
        if (l.tab) out_ += '\t';
        auto text = adj_.text(l);
        if (grid_stride_cuda && text.starts_with("return;")) {
            out_ += std::string_view("continue;");
            text.remove_prefix(7);
        }
        out_ += text;
        out_ += '\n';
    }
};

inline void cuda_args(std::string& out, const ir::adjoint& adj, int dim, bool adjoints) {
    out += "    wp::launch_bounds_t<" + std::to_string(dim) + "> dim";
    for (auto& a : adj.args) {
        out += std::string_view(",\n    ");
        append_ctype(out, a.type);
        out += " var_" + a.name;
    }
    if (!adjoints) return;
    for (auto& a : adj.args) {
        out += std::string_view(",\n    ");
        append_ctype(out, a.type);
        out += " adj_" + a.name;
    }
}

// Each body section is rendered once at the CPU indentation; CUDA kernels indent 4 more spaces.
struct sections {
    std::string primal, dual, forward, forward_cuda, replay_reverse;
    bool has_return = false;

    void build(const ir::adjoint& adj, bool backward) {
        primal.clear();
        dual.clear();
        forward.clear();
        forward_cuda.clear();
        replay_reverse.clear();
        body_writer(adj, primal, "    ").primal_vars();
        body_writer(adj, forward, "    ").forward(false);
        has_return = false;
        for (auto& l : adj.blocks[0].forward)
            if (adj.text(l).starts_with("return;")) has_return = true;
        if (has_return) body_writer(adj, forward_cuda, "    ").forward(true);
        if (backward) {
            body_writer(adj, dual, "    ").dual_vars();
            body_writer(adj, replay_reverse, "    ").replay_and_reverse();
        }
    }
};

// Append `src` with `extra` more spaces at the start of every line.
inline void append_reindented(std::string& out, std::string_view src, std::size_t extra) {
    while (!src.empty()) {
        auto nl = src.find('\n');
        auto n = nl == std::string_view::npos ? src.size() : nl + 1;
        out.append(extra, ' ');
        out.append(src.data(), n);
        src.remove_prefix(n);
    }
}

inline void cuda_function(std::string& out, const syntax::tree& t, const ir::adjoint& adj, const sections& sec,
                          int dim, const std::string& mangled, bool backward) {
    bool grid_stride = !option_is(t, "grid_stride", "False");
    out += std::string_view("extern \"C\" ");
    if (auto lb = option(t, "launch_bounds")) out += "__launch_bounds__(" + *lb + ") ";
    if (auto cd = option(t, "cluster_dim"); cd && *cd != "1") out += "WP_CLUSTER_DIMS(" + *cd + ", 1, 1) ";
    out += std::string_view("__global__ void ");
    out += mangled;
    out += backward ? "_cuda_kernel_backward(\n" : "_cuda_kernel_forward(\n";
    cuda_args(out, adj, dim, backward);
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
    append_reindented(out, sec.primal, 4);
    if (backward) {
        append_reindented(out, sec.dual, 4);
        append_reindented(out, sec.replay_reverse, 4);
        out += grid_stride ? "        continue;\n" : "        return;\n";
    } else {
        append_reindented(out, grid_stride && sec.has_return ? sec.forward_cuda : sec.forward, 4);
    }
    out += grid_stride ? "    }\n}\n" : "}\n";
}

inline void cpu_function(std::string& out, const ir::adjoint& adj, const sections& sec, int dim,
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
    body_writer(adj, out, "    ").argument_vars(backward);
    out += sec.primal;
    if (backward) {
        out += sec.dual;
        out += sec.replay_reverse;
        out += std::string_view("    return;\n");
    } else {
        out += sec.forward;
    }
    out += std::string_view("}\n");
}

}  // namespace ir_detail

// Render a lowered kernel: Python module, mangled name and the requested IR functions.
inline void render(const syntax::tree& t, rendered_kernel& r, const render_options& opt = {}) {
    r.python_source.clear();
    source_map map;
    render_python(t, r.python_source, &map);
    r.mangled_name = mangled_name(t, map.function_source());
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
