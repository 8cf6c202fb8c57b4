// examples/driver/launch.hpp — `warpsynth launch PATH...`: run records' CUDA IR on a GPU, forward and backward,
// and compare with what their typed description means.
//
// Per record (a driver JSONL record: category + seed + index): regenerate the description, check it renders the
// record's python_source, evaluate it on the host (include/warpsynth/eval/: inputs drawn from the category's
// documented input distribution, the arrays after the forward launch, Warp's backward gradient and the
// mathematical one). Records go in batches: worker threads prepare a batch and NVRTC-compile its cuda_forward /
// cuda_backward functions into one module (a cubin for the device's architecture); the main thread loads each
// module, copies every record's inputs to the GPU in one transfer, launches all forward kernels (on a copy of the
// inputs) and all backward kernels (on the initial arrays, each float array's `grad` and adjoint pointing at one
// buffer seeded with the loss weights — Warp's Tape layout), copies back once and compares (launch_compare.hpp).
//
// Verdicts are those of the CPU check (tools/execute_check.py, tests/eval/README.md): PASS; CONV (Warp's backward
// differs from the mathematical gradient through a documented convention, the IR matching Warp's); FAIL (any
// mismatch, NaN/Inf, a compile, reference or launch error). Without a GPU everything but the launches still runs
// (NVRTC needs no GPU) and execution is reported as skipped. Exit status: 0 no FAIL; 1 a FAIL; 2 bad usage.
#pragma once

#include <unistd.h>

#include <atomic>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <warpsynth/eval/encoding.hpp>
#include <warpsynth/eval/reference.hpp>
#include <warpsynth/render/python.hpp>

#include "compile_worker.hpp"
#include "cuda_api.hpp"
#include "cuda_module.hpp"
#include "launch_compare.hpp"
#include "validate.hpp"

namespace warpsynth::driver {

struct launch_options {
    std::vector<std::string> paths;  // JSONL files or dataset directories
    unsigned threads = 1;            // preparation + NVRTC threads (the GPU is driven by the main thread)
    std::size_t batch = 64;          // records per NVRTC program / GPU transfer
    std::uint64_t limit = 0;         // 0: every record
    std::string arch;                // sm_XX; empty: the GPU's, or sm_90 without one
    std::string runtime;             // folder of builtin.h (ours, or a Warp installation's warp/native)
    std::string nvrtc;               // libnvrtc path; empty: the usual names
    std::string report;              // optional per-record JSONL report
    bool execute = true;             // false: prepare and compile only
    bool warp_optimization = false;  // NVRTC's default optimization (as Warp compiles) instead of fast compile
    bool progress = false;
};

namespace launch_detail {

// ---- host <-> device bytes: eval/encoding.hpp ------------------------------------------------------------
using eval::scalar_bytes, eval::half_bits, eval::half_value, eval::encode, eval::decode_float, eval::decode_int;
using eval::encode_array, eval::encode_value, eval::decode_floats, eval::decode_ints;
using eval::put_as, eval::get_as;

// wp::array_t<T> as the kernels receive it (runtime/array.h; Warp's native array.h has the same layout).
struct device_array {
    std::uint64_t data = 0, grad = 0;
    std::int32_t shape[4] = {}, strides[4] = {};  // strides in bytes
    std::uint16_t ndim = 0, flags = 0;
};
static_assert(sizeof(device_array) == 56);

// ---- one record -------------------------------------------------------------------------------------------------

struct kernel_arg {
    std::string name;
    bool is_array = false;
    int slot = 0;  // index into the reference's arrays or values
    scalar_kind scalar = scalar_kind::float32;
    int comps = 1;
};

struct launch_case {
    std::string where, id;  // file:line, record id
    std::string category;
    std::string mangled;
    std::string forward, backward;  // the record's cuda_forward / cuda_backward (backward empty: none)
    std::vector<kernel_arg> args;
    scalar_kind grad_dtype = scalar_kind::float64;  // least precise float type the computation touches
    eval::reference ref;
    std::vector<std::vector<double>> final_slack, grad_slack;  // per array slot: absolute GPU allowances
    std::string error;  // preparation, compile or launch failure: the record FAILs with this message

    // results
    std::string verdict;
    std::vector<std::string> problems, conventions;
    double fwd_abs = 0, fwd_rel = 0, bwd_abs = 0, bwd_rel = 0;
    bool ran_forward = false, ran_backward = false;
    bool needed_slack = false;  // passed only thanks to the sensitivity allowance somewhere
};

inline std::string mangled_of(std::string_view forward) {
    auto end = forward.find("_cuda_kernel_forward(");
    if (end == std::string_view::npos) return {};
    auto begin = forward.rfind(' ', end);
    return begin == std::string_view::npos ? std::string() : std::string(forward.substr(begin + 1, end - begin - 1));
}

// Regenerate the record's description and its reference. Problems go to c.error.
inline void prepare(std::string_view line, launch_case& c) {
    parsed_record rec;
    std::string err;
    if (!parse_record(line, rec, err)) {
        c.error = err;
        return;
    }
    const record_fields& f = rec.fields;
    c.id = std::string(f.id);
    c.category = std::string(f.category);
    if (f.cuda_forward_state != field_state::string) {
        c.error = "the record has no cuda_forward (generate with -d cuda or -d both)";
        return;
    }
    c.forward = std::string(f.cuda_forward);
    if (f.cuda_backward_state == field_state::string) c.backward = std::string(f.cuda_backward);
    c.mangled = mangled_of(c.forward);
    if (c.mangled.empty()) {
        c.error = "cuda_forward does not define <name>_cuda_kernel_forward";
        return;
    }
    const categories::category* cat = find_category(f.category);
    if (!cat) {
        c.error = "unknown category \"" + c.category + "\"";
        return;
    }
    try {
        categories::instance inst;
        cat->make(f.seed, f.index, inst);
        if (render_python(inst.tree) != f.python_source) {
            c.error = "python_source differs from the description regenerated from the record's metadata";
            return;
        }
        const syntax::tree& t = inst.tree;
        auto inputs = eval::draw_inputs(t, &inst, f.seed, f.index);
        c.ref = eval::make_reference(t, std::move(inputs), eval::launch_of(t, &inst), f.seed, f.index);
        auto sens = eval::sensitivity(t, c.ref, gpu_perturb_ulps);
        for (auto* v : {&sens.final_, &sens.grad_warp})
            for (auto& slot : *v)
                for (auto& x : slot) x *= gpu_slack_factor;
        c.final_slack = std::move(sens.final_);
        c.grad_slack = std::move(sens.grad_warp);
        for (std::size_t k = 0; k < t.args.size(); ++k) {
            const wtype vt = t.args[k].type.value();
            c.args.push_back({t.args[k].name, static_cast<bool>(c.ref.initial.is_array[k]), c.ref.initial.slot[k], vt.scalar,
                              eval::components(vt)});
        }
        auto note = [&](scalar_kind s) {
            if (is_float(s)) c.grad_dtype = least_precise(c.grad_dtype, s);
        };
        for (auto& n : t.nodes) note(n.type.scalar);
        for (auto& a : t.args) note(a.type.scalar);
    } catch (const std::exception& e) {
        c.error = std::string("reference: ") + e.what();
    }
}

// ---- a batch: records sharing one NVRTC program and one GPU transfer ---------------------------------------------

struct batch {
    std::vector<launch_case> cases;
    std::string image;  // cubin (sm_XX) or PTX (compute_XX) of the cases without error
    double reference_s = 0, nvrtc_s = 0;
};

// NVRTC options for the launch's kernels.
inline std::vector<std::string> nvrtc_options(const std::string& arch, const std::string& runtime, bool warp_optimization) {
    std::vector<std::string> o = {"--gpu-architecture=" + arch, "-default-device", "--std=c++17",
                                  "--include-path=" + runtime, "-w"};
    if (!warp_optimization) o.push_back("--Ofast-compile=max");
    return o;
}

// In-process NVRTC: source -> cubin (sm_XX) or PTX (compute_XX).
class nvrtc_compiler {
  public:
    nvrtc_compiler(const cuda::nvrtc_api& api, std::vector<std::string> options) : api_(api), opts_(std::move(options)) {
        for (auto& o : opts_)
            if (o.starts_with("--gpu-architecture=compute_")) cubin_ = false;
    }

    // Compiles `source`; returns false with the log on failure.
    bool operator()(const std::string& source, std::string& image, std::string& log) const {
        cuda::nvrtcProgram prog = nullptr;
        if (int rc = api_.create(&prog, source.c_str(), "warpsynth_launch.cu", 0, nullptr, nullptr); rc != 0) {
            log = std::string("nvrtcCreateProgram: ") + api_.error_string(rc);
            return false;
        }
        std::vector<const char*> argv;
        for (auto& o : opts_) argv.push_back(o.c_str());
        int rc = api_.compile(prog, static_cast<int>(argv.size()), argv.data());
        std::size_t n = 0;
        api_.log_size(prog, &n);
        log.assign(n, '\0');
        if (n) api_.log(prog, log.data());
        while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
        if (rc == 0) {
            n = 0;
            (cubin_ ? api_.cubin_size : api_.ptx_size)(prog, &n);
            image.assign(n, '\0');
            (cubin_ ? api_.cubin : api_.ptx)(prog, image.data());
        } else if (log.empty()) {
            log = std::string("nvrtcCompileProgram: ") + api_.error_string(rc);
        }
        api_.destroy(&prog);
        return rc == 0;
    }

  private:
    const cuda::nvrtc_api& api_;
    std::vector<std::string> opts_;
    bool cubin_ = true;
};

inline std::string first_lines(const std::string& s, int n) {
    std::size_t at = 0;
    for (int k = 0; k < n && at != std::string::npos; ++k) at = s.find('\n', at + 1);
    return at == std::string::npos ? s : s.substr(0, at) + "\n...";
}

// Compile the batch's good cases into one image with `compile(source, image, log)`; when that fails, compile each
// alone so every failing record gets its own compiler message, then the rest together.
template <class Compile> void compile_batch(batch& b, Compile&& compile) {
    auto module = [&] {
        std::string src(cuda_module_header);
        for (auto& c : b.cases)
            if (c.error.empty()) append_cuda_kernel(src, c.forward, c.backward);
        return src;
    };
    std::string log;
    if (compile(module(), b.image, log)) return;
    for (auto& c : b.cases) {
        if (!c.error.empty()) continue;
        std::string one(cuda_module_header), image, one_log;
        append_cuda_kernel(one, c.forward, c.backward);
        if (!compile(one, image, one_log)) c.error = "NVRTC: " + first_lines(one_log, 12);
    }
    if (!compile(module(), b.image, log)) {
        for (auto& c : b.cases)
            if (c.error.empty()) c.error = "NVRTC (batch): " + first_lines(log, 12);
        b.image.clear();
    }
}

// ---- the GPU side -----------------------------------------------------------------------------------------------

class gpu {
  public:
    // Throws api_error with the reason when there is no usable device.
    gpu() {
        api_.emplace();
        api_->check(api_->init(0), "cuInit");
        int n = 0;
        api_->check(api_->device_count(&n), "cuDeviceGetCount");
        if (n == 0) throw cuda::api_error("no CUDA device");
        api_->check(api_->device_get(&dev_, 0), "cuDeviceGet");
        char name[256] = {};
        api_->check(api_->device_name(name, sizeof name, dev_), "cuDeviceGetName");
        name_ = name;
        int major = 0, minor = 0;
        api_->check(api_->device_attribute(&major, cuda::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev_), "cuDeviceGetAttribute");
        api_->check(api_->device_attribute(&minor, cuda::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev_), "cuDeviceGetAttribute");
        arch_ = "sm_" + std::to_string(major) + std::to_string(minor);
        api_->check(api_->primary_retain(&ctx_, dev_), "cuDevicePrimaryCtxRetain");
        api_->check(api_->ctx_set_current(ctx_), "cuCtxSetCurrent");
    }
    ~gpu() {
        if (buf_) api_->mem_free(buf_);
    }
    gpu(const gpu&) = delete;
    gpu& operator=(const gpu&) = delete;

    const std::string& name() const { return name_; }
    const std::string& arch() const { return arch_; }

    struct timings {
        double load = 0, transfer = 0, launch = 0, compare = 0;
    };

    // Run every case of the batch without error; fills verdicts. Throws api_error when the context is lost.
    void run(batch& b, timings& t);

  private:
    cuda::CUdeviceptr device_buffer(std::size_t bytes) {
        if (bytes > cap_) {
            if (buf_) api_->check(api_->mem_free(buf_), "cuMemFree");
            buf_ = 0;
            cap_ = std::max(bytes, cap_ * 2);
            api_->check(api_->mem_alloc(&buf_, cap_), "cuMemAlloc");
        }
        return buf_;
    }

    std::optional<cuda::driver_api> api_;
    cuda::CUdevice dev_ = 0;
    cuda::CUcontext ctx_ = nullptr;
    std::string name_, arch_;
    cuda::CUdeviceptr buf_ = 0;
    std::size_t cap_ = 0;
};

// Where one case's buffers live in the batch's transfer: per array slot, the forward copy of its inputs, the
// backward copy, and (float arrays) its gradient buffer.
struct case_layout {
    std::vector<std::size_t> fwd, bwd, grad;
    std::vector<std::size_t> bytes;
};

// This program's executable (empty if /proc/self/exe cannot be read).
inline std::string self_executable() {
    char exe[4096];
    ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    return n > 0 ? std::string(exe, static_cast<std::size_t>(n)) : std::string();
}

using clock = std::chrono::steady_clock;
inline double seconds_since(clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); }

inline std::size_t align_up(std::size_t x, std::size_t a) { return (x + a - 1) / a * a; }

inline std::size_t element_bytes(const eval::host_array& a) { return scalar_bytes(a.type.scalar) * static_cast<std::size_t>(a.comps); }

// A kernel's parameters: each argument's bytes at its own 8-aligned place in one blob, and pointers to them.
struct params {
    std::vector<std::byte> blob;
    std::vector<std::size_t> at;
    std::vector<void*> ptrs;
    void add(const void* p, std::size_t n) {
        std::size_t o = align_up(blob.size(), 8);
        blob.resize(o + n);
        std::memcpy(blob.data() + o, p, n);
        at.push_back(o);
    }
    void** finish() {
        ptrs.clear();
        for (auto o : at) ptrs.push_back(blob.data() + o);
        return ptrs.data();
    }
};

inline std::size_t launch_size(const std::vector<std::int64_t>& launch) {
    std::size_t n = 1;
    for (auto d : launch) n *= static_cast<std::size_t>(d);
    return n;
}

inline void add_launch_bounds(params& p, const std::vector<std::int64_t>& launch) {
    // launch_bounds_t<N>: int shape[N]; size_t size; (Warp's native headers add size_t coord_mult = 1)
    std::byte lb[48] = {};
    for (std::size_t k = 0; k < launch.size(); ++k) put_as(lb + 4 * k, static_cast<std::int32_t>(launch[k]));
    std::size_t o = align_up(4 * launch.size(), 8);
    put_as(lb + o, static_cast<std::uint64_t>(launch_size(launch)));
    put_as(lb + o + 8, std::uint64_t{1});
    p.add(lb, o + 16);
}

// The name of the argument that holds array slot s.
inline std::string array_name(const launch_case& c, std::size_t s) {
    for (auto& a : c.args)
        if (a.is_array && a.slot == static_cast<int>(s)) return a.name;
    return "#" + std::to_string(s);
}

inline void judge(launch_case& c, const std::byte* host, const case_layout& l) {
    const eval::reference& ref = c.ref;
    comparison fwd, bwd, model;
    for (std::size_t s = 0; s < ref.final_.arrays.size(); ++s) {
        const auto& want = ref.final_.arrays[s];
        std::string where = "forward " + array_name(c, s);
        if (want.is_float())
            fwd.close(where, decode_floats(host + l.fwd[s], want.type.scalar, want.size()), want.f,
                      forward_tolerance(want.type.scalar), &c.final_slack[s]);
        else
            fwd.exact(where, decode_ints(host + l.fwd[s], want.type.scalar, want.size()), want.i);
    }
    c.fwd_abs = fwd.max_abs, c.fwd_rel = fwd.max_rel;
    c.problems = fwd.problems;
    bool conv = false;
    if (c.ran_backward && c.problems.empty()) {
        if (ref.unpredictable) {
            conv = true;
            c.conventions.push_back("unpredictable: " + ref.why);
        } else {
            bool undefined = false;
            for (std::size_t s = 0; s < ref.initial.arrays.size(); ++s) {
                const auto& a = ref.initial.arrays[s];
                if (!a.is_float()) continue;
                if (ref.grad_undefined[s]) {  // Warp's backward reads a never-assigned replay value there
                    undefined = true;
                    continue;
                }
                auto got = decode_floats(host + l.grad[s], a.type.scalar, a.size());
                std::string where = "gradient " + array_name(c, s);
                bwd.close(where, got, ref.grad_warp[s], backward_tolerance(c.grad_dtype), &c.grad_slack[s]);
                model.close(where + " (Warp's backward vs mathematical)", ref.grad_warp[s], ref.grad_math[s],
                            backward_tolerance(c.grad_dtype));
            }
            c.bwd_abs = bwd.max_abs, c.bwd_rel = bwd.max_rel;
            c.problems.insert(c.problems.end(), bwd.problems.begin(), bwd.problems.end());
            if (c.problems.empty() && !model.problems.empty()) {
                if (!ref.events.empty()) {
                    conv = true;
                    c.conventions.assign(ref.events.names.begin(), ref.events.names.end());
                } else {
                    for (auto& p : model.problems) c.problems.push_back("unexplained: " + p);
                }
            }
            if (c.problems.empty() && undefined) {
                conv = true;
                c.conventions.push_back("gradient_reads_uninitialized_replay_value");
            }
        }
    }
    c.needed_slack = fwd.needed_slack || bwd.needed_slack;
    c.verdict = !c.problems.empty() ? "FAIL" : conv ? "CONV" : "PASS";
}

inline void gpu::run(batch& b, timings& t) {
    auto& api = *api_;
    if (b.image.empty()) return;
    auto t0 = clock::now();
    cuda::CUmodule mod = nullptr;
    api.check(api.module_load_data(&mod, b.image.data()), "cuModuleLoadData");
    struct unload {
        cuda::driver_api& api;
        cuda::CUmodule m;
        ~unload() { api.module_unload(m); }
    } guard{api, mod};
    std::vector<cuda::CUfunction> fwd(b.cases.size()), bwd(b.cases.size());
    for (std::size_t i = 0; i < b.cases.size(); ++i) {
        auto& c = b.cases[i];
        if (!c.error.empty()) continue;
        if (api.module_get_function(&fwd[i], mod, (c.mangled + "_cuda_kernel_forward").c_str()) != 0)
            c.error = "the module lacks " + c.mangled + "_cuda_kernel_forward";
        if (!c.backward.empty() && api.module_get_function(&bwd[i], mod, (c.mangled + "_cuda_kernel_backward").c_str()) != 0)
            c.error = "the module lacks " + c.mangled + "_cuda_kernel_backward";
    }
    t.load += seconds_since(t0);

    // lay out and fill one host buffer
    t0 = clock::now();
    std::vector<case_layout> layout(b.cases.size());
    std::size_t total = 0;
    auto take = [&](std::size_t n) {
        std::size_t o = align_up(total, 256);
        total = o + std::max<std::size_t>(n, 1);
        return o;
    };
    for (std::size_t i = 0; i < b.cases.size(); ++i) {
        auto& c = b.cases[i];
        if (!c.error.empty()) continue;
        auto& l = layout[i];
        std::size_t n = c.ref.initial.arrays.size();
        l.fwd.assign(n, 0), l.bwd.assign(n, 0), l.grad.assign(n, 0), l.bytes.assign(n, 0);
        for (std::size_t s = 0; s < n; ++s) {
            const auto& a = c.ref.initial.arrays[s];
            l.bytes[s] = element_bytes(a) * static_cast<std::size_t>(a.numel());
            l.fwd[s] = take(l.bytes[s]);
            l.bwd[s] = take(l.bytes[s]);
            if (a.is_float()) l.grad[s] = take(l.bytes[s]);
        }
    }
    std::vector<std::byte> host(total);
    for (std::size_t i = 0; i < b.cases.size(); ++i) {
        auto& c = b.cases[i];
        if (!c.error.empty()) continue;
        auto& l = layout[i];
        for (std::size_t s = 0; s < l.fwd.size(); ++s) {
            const auto& a = c.ref.initial.arrays[s];
            encode_array(host.data() + l.fwd[s], a);
            encode_array(host.data() + l.bwd[s], a);
            if (a.is_float()) encode_array(host.data() + l.grad[s], a, &c.ref.weights[s]);
        }
    }
    cuda::CUdeviceptr base = device_buffer(total);
    api.check(api.memcpy_htod(base, host.data(), total), "cuMemcpyHtoD");
    t.transfer += seconds_since(t0);

    // launch every forward and backward kernel, then wait once
    t0 = clock::now();
    std::vector<params> keep;
    keep.reserve(2 * b.cases.size());
    for (std::size_t i = 0; i < b.cases.size(); ++i) {
        auto& c = b.cases[i];
        if (!c.error.empty()) continue;
        auto& l = layout[i];
        auto array_arg = [&](const kernel_arg& a, std::size_t data, std::size_t grad, bool has_data, bool has_grad) {
            const auto& h = c.ref.initial.arrays[static_cast<std::size_t>(a.slot)];
            device_array d;
            d.data = has_data ? base + data : 0;
            d.grad = has_grad ? base + grad : 0;
            d.ndim = static_cast<std::uint16_t>(h.shape.size());
            auto stride = static_cast<std::int32_t>(element_bytes(h));
            for (std::size_t k = h.shape.size(); k-- > 0;) {
                d.shape[k] = static_cast<std::int32_t>(h.shape[k]);
                d.strides[k] = stride;
                stride *= d.shape[k];
            }
            return d;
        };
        auto scalar_arg = [&](params& p, const kernel_arg& a, bool zero) {
            std::byte v[16 * 8] = {};
            if (!zero) encode_value(v, c.ref.initial.values[static_cast<std::size_t>(a.slot)]);
            p.add(v, scalar_bytes(a.scalar) * static_cast<std::size_t>(a.comps));
        };
        auto go = [&](cuda::CUfunction f, params& p) {
            std::size_t n = launch_size(c.ref.launch);
            auto blocks = static_cast<unsigned>(std::max<std::size_t>(1, (n + 255) / 256));
            api.check(api.launch_kernel(f, blocks, 1, 1, 256, 1, 1, 0, nullptr, p.finish(), nullptr), "cuLaunchKernel");
        };
        // forward on its own copy of the inputs
        params& pf = keep.emplace_back();
        add_launch_bounds(pf, c.ref.launch);
        for (auto& a : c.args) {
            if (a.is_array) {
                auto s = static_cast<std::size_t>(a.slot);
                auto d = array_arg(a, l.fwd[s], 0, true, false);
                pf.add(&d, sizeof d);
            } else {
                scalar_arg(pf, a, false);
            }
        }
        go(fwd[i], pf);
        c.ran_forward = true;
        if (!bwd[i]) continue;
        // backward on the initial arrays; a float array's grad and its adjoint are one buffer seeded with W
        params& pb = keep.emplace_back();
        add_launch_bounds(pb, c.ref.launch);
        for (int adjoint = 0; adjoint < 2; ++adjoint)
            for (auto& a : c.args) {
                if (a.is_array) {
                    auto s = static_cast<std::size_t>(a.slot);
                    bool fl = is_float(a.scalar);
                    auto d = adjoint ? array_arg(a, l.grad[s], 0, fl, false) : array_arg(a, l.bwd[s], l.grad[s], true, fl);
                    pb.add(&d, sizeof d);
                } else {
                    scalar_arg(pb, a, adjoint != 0);
                }
            }
        go(bwd[i], pb);
        c.ran_backward = true;
    }
    api.check(api.ctx_synchronize(), "running the batch's kernels (cuCtxSynchronize)");
    t.launch += seconds_since(t0);

    t0 = clock::now();
    api.check(api.memcpy_dtoh(host.data(), base, total), "cuMemcpyDtoH");
    t.transfer += seconds_since(t0);

    t0 = clock::now();
    for (std::size_t i = 0; i < b.cases.size(); ++i)
        if (b.cases[i].error.empty()) judge(b.cases[i], host.data(), layout[i]);
    t.compare += seconds_since(t0);
}

// ---- reading records in batches ---------------------------------------------------------------------------------

class batch_reader {
  public:
    batch_reader(std::vector<std::string> files, std::size_t batch, std::uint64_t limit)
        : files_(std::move(files)), batch_(batch), limit_(limit) {}

    // The next batch's lines with their file:line, and its sequence number; empty at the end. Thread-safe.
    std::vector<std::pair<std::string, std::string>> next(std::size_t& sequence) {
        std::lock_guard lock(m_);
        sequence = batches_++;
        std::vector<std::pair<std::string, std::string>> out;
        while (out.size() < batch_ && (!limit_ || read_ < limit_)) {
            if (!reader_) {
                if (file_ >= files_.size()) break;
                reader_ = std::make_unique<line_reader>(files_[file_]);
            }
            std::string_view text;
            bool nl = false;
            if (!reader_->next(text, nl)) {
                reader_.reset();
                ++file_;
                continue;
            }
            if (text.empty()) continue;
            out.emplace_back(files_[file_] + ":" + std::to_string(reader_->line_number()), std::string(text));
            ++read_;
        }
        return out;
    }

  private:
    std::mutex m_;
    std::vector<std::string> files_;
    std::size_t batch_;
    std::uint64_t limit_, read_ = 0;
    std::size_t file_ = 0, batches_ = 0;
    std::unique_ptr<line_reader> reader_;
};

inline void append_report(std::string& out, const launch_case& c) {
    char buf[512];
    out += "{\"id\": ";
    json::append_string(out, c.id);
    out += ", \"where\": ";
    json::append_string(out, c.where);
    out += ", \"category\": ";
    json::append_string(out, c.category);
    out += ", \"verdict\": ";
    json::append_string(out, c.verdict);
    std::snprintf(buf, sizeof buf,
                  ", \"forward\": %s, \"backward\": %s, \"forward_max_abs\": %.3g, \"forward_max_rel\": %.3g, "
                  "\"backward_max_abs\": %.3g, \"backward_max_rel\": %.3g, \"needed_sensitivity_allowance\": %s",
                  c.ran_forward ? "true" : "false", c.ran_backward ? "true" : "false", c.fwd_abs, c.fwd_rel, c.bwd_abs,
                  c.bwd_rel, c.needed_slack ? "true" : "false");
    out += buf;
    auto list = [&](const char* key, const std::vector<std::string>& v) {
        out += ", \"";
        out += key;
        out += "\": [";
        for (std::size_t k = 0; k < v.size(); ++k) {
            if (k) out += ", ";
            json::append_string(out, v[k]);
        }
        out += ']';
    };
    list("conventions", c.conventions);
    list("problems", c.problems);
    out += "}\n";
}

}  // namespace launch_detail

// `warpsynth nvrtc-worker`: the child process of compile_worker.hpp.
inline int run_nvrtc_worker(const launch_options& o) {
    // Every program is compiled once (records are distinct), so NVRTC's compute cache (12.9+, active when a driver is
    // present) would only fill ~/.nv/ComputeCache and make re-runs look faster than a fresh dataset validates.
    // A CUDA_CACHE_DISABLE the user set wins.
    ::setenv("CUDA_CACHE_DISABLE", "1", 0);
    cuda::nvrtc_api nvrtc(o.nvrtc);
    return worker::serve(launch_detail::nvrtc_compiler(nvrtc, launch_detail::nvrtc_options(o.arch, o.runtime, o.warp_optimization)));
}

// The `launch` command. Returns the exit status.
inline int run_launch(const launch_options& o) {
    using namespace launch_detail;
    auto start = clock::now();

    std::vector<std::string> files;
    for (auto& p : o.paths)
        for (auto& f : data_files(p)) files.push_back(f);
    if (o.runtime.empty() || !gen_detail::exists(o.runtime + "/builtin.h"))
        throw usage_error("--runtime: no builtin.h in \"" + o.runtime + "\" (the folder of warpsynth's runtime headers, "
                          "include/warpsynth/runtime, or a Warp installation's warp/native)");
    std::FILE* report = nullptr;
    if (!o.report.empty() && !(report = std::fopen(o.report.c_str(), "w")))
        throw usage_error("cannot write the report " + o.report + ": " + describe_errno(errno));
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> report_guard(report, report ? &std::fclose : nullptr);

    cuda::nvrtc_api nvrtc(o.nvrtc);  // throws api_error: reported by main as one line, exit 1
    std::unique_ptr<gpu> device;
    std::string no_device;
    if (o.execute) {
        try {
            device = std::make_unique<gpu>();
        } catch (const cuda::api_error& e) {
            no_device = e.what();
        }
    } else {
        no_device = "--compile-only";
    }
    std::string arch = !o.arch.empty() ? o.arch : device ? device->arch() : "sm_90";
    // each thread compiles in its own child process (compile_worker.hpp says why)
    std::string exe = self_executable();
    if (exe.empty()) throw cuda::api_error("cannot find this program's executable (/proc/self/exe)");
    std::vector<std::string> worker_argv = {exe, "nvrtc-worker", "--arch", arch, "--runtime", o.runtime};
    if (!o.nvrtc.empty()) worker_argv.insert(worker_argv.end(), {"--nvrtc", o.nvrtc});
    if (o.warp_optimization) worker_argv.push_back("--warp-optimization");
    ::signal(SIGPIPE, SIG_IGN);  // a worker that dies is reported per batch, not by killing us
    std::printf("launch: %s; NVRTC for %s%s, %u thread(s), batches of %zu\n",
                device ? ("GPU " + device->name()).c_str() : ("skipped: no CUDA device (" + no_device + ")").c_str(),
                arch.c_str(), o.warp_optimization ? "" : " (--Ofast-compile=max)", o.threads, o.batch);
    std::fflush(stdout);

    // workers: read + prepare + compile batches; the main thread runs them on the GPU as they come
    batch_reader reader(files, o.batch, o.limit);
    std::mutex m;
    std::condition_variable cv;
    std::map<std::size_t, std::unique_ptr<batch>> ready;  // by sequence number: results are reported in input order
    unsigned running = o.threads;
    std::vector<std::thread> workers;
    for (unsigned w = 0; w < o.threads; ++w)
        workers.emplace_back([&] {
            worker::process nvrtc_process(worker_argv);
            while (true) {
                std::size_t sequence = 0;
                auto lines = reader.next(sequence);
                if (lines.empty()) break;
                auto b = std::make_unique<batch>();
                auto t0 = clock::now();
                b->cases.resize(lines.size());
                for (std::size_t k = 0; k < lines.size(); ++k) {
                    b->cases[k].where = std::move(lines[k].first);
                    prepare(lines[k].second, b->cases[k]);
                }
                b->reference_s = seconds_since(t0);
                t0 = clock::now();
                compile_batch(*b, nvrtc_process);
                b->nvrtc_s = seconds_since(t0);
                std::lock_guard lock(m);
                ready.emplace(sequence, std::move(b));
                cv.notify_one();
            }
            std::lock_guard lock(m);
            --running;
            cv.notify_one();
        });

    gpu::timings gt;
    double reference_s = 0, nvrtc_s = 0;
    std::map<std::string, std::uint64_t> verdicts, conventions, failing_categories;
    std::uint64_t total = 0, forward = 0, backward = 0, compiled = 0, slack = 0;
    std::string lost;  // the CUDA context was lost: nothing more can run
    std::size_t next_batch = 0;
    std::string line;
    bool tty = o.progress;
    while (true) {
        std::unique_ptr<batch> b;
        {
            std::unique_lock lock(m);
            cv.wait(lock, [&] { return ready.count(next_batch) || running == 0; });
            auto it = ready.find(next_batch);
            if (it == ready.end()) break;  // every worker is done (an empty last batch is never queued)
            b = std::move(it->second);
            ready.erase(it);
            ++next_batch;
        }
        reference_s += b->reference_s;
        nvrtc_s += b->nvrtc_s;
        for (auto& c : b->cases) compiled += c.error.empty();
        if (device && lost.empty()) {
            try {
                device->run(*b, gt);
            } catch (const cuda::api_error& e) {
                lost = e.what();
                for (auto& c : b->cases)
                    if (c.error.empty()) c.error = std::string("GPU: ") + e.what() + " (in this record's batch)";
            }
        }
        for (auto& c : b->cases) {
            if (!c.error.empty()) {
                c.verdict = "FAIL";
                c.problems.insert(c.problems.begin(), c.error);
            } else if (!device) {
                c.verdict = "COMPILED";
            } else if (!lost.empty() && c.verdict.empty()) {
                c.verdict = "FAIL";
                c.problems.push_back("not run: the CUDA context was lost earlier (" + lost + ")");
            }
            ++total;
            ++verdicts[c.verdict];
            forward += c.ran_forward;
            slack += c.verdict != "FAIL" && c.needed_slack;
            backward += c.ran_backward;
            for (auto& cv_name : c.conventions) ++conventions[cv_name];
            if (c.verdict == "FAIL") {
                std::string cat = c.category.empty() ? "(unreadable record)" : c.category;
                ++failing_categories[cat];
                std::printf("FAIL %s (%s, %s):\n", c.id.empty() ? "?" : c.id.c_str(), c.where.c_str(), cat.c_str());
                for (std::size_t k = 0; k < c.problems.size() && k < 8; ++k) std::printf("     %s\n", c.problems[k].c_str());
            }
            if (report) {
                line.clear();
                append_report(line, c);
                if (std::fwrite(line.data(), 1, line.size(), report) != line.size())
                    throw io_error("writing the report " + o.report + ": " + describe_errno(errno), errno);
            }
        }
        if (tty)
            std::fprintf(stderr, "\rlaunch: %llu records, %.0f records/s ", static_cast<unsigned long long>(total),
                         static_cast<double>(total) / seconds_since(start));
    }
    for (auto& w : workers) w.join();
    if (tty) std::fprintf(stderr, "\n");
    double wall = seconds_since(start);

    auto count = [&](const char* v) { return verdicts.count(v) ? verdicts[v] : 0; };
    std::uint64_t fails = count("FAIL");
    std::printf("launch: %llu records", static_cast<unsigned long long>(total));
    if (device)
        std::printf(" on %s: %llu PASS, %llu CONV, %llu FAIL; %llu forward and %llu backward kernels launched\n",
                    device->name().c_str(), static_cast<unsigned long long>(count("PASS")),
                    static_cast<unsigned long long>(count("CONV")), static_cast<unsigned long long>(fails),
                    static_cast<unsigned long long>(forward), static_cast<unsigned long long>(backward));
    else
        std::printf(": %llu NVRTC-compiled, %llu FAIL; execution skipped: no CUDA device (%s)\n",
                    static_cast<unsigned long long>(compiled), static_cast<unsigned long long>(fails), no_device.c_str());
    if (device)
        std::printf("  %llu of them within tolerance only with the sensitivity allowance (launch_compare.hpp)\n",
                    static_cast<unsigned long long>(slack));
    for (auto& [name, n] : conventions)
        std::printf("  CONV %-45s %llu\n", name.c_str(), static_cast<unsigned long long>(n));
    for (auto& [name, n] : failing_categories)
        std::printf("  FAIL in %-41s %llu\n", name.c_str(), static_cast<unsigned long long>(n));
    std::printf("time: %.2f s wall, %.0f records/s; CPU-seconds over %u thread(s): reference %.2f, NVRTC %.2f; "
                "GPU thread: load %.2f, transfers %.2f, launch+sync %.2f, compare %.2f\n",
                wall, static_cast<double>(total) / wall, o.threads, reference_s, nvrtc_s, gt.load, gt.transfer,
                gt.launch, gt.compare);
    return fails ? 1 : 0;
}

}  // namespace warpsynth::driver
