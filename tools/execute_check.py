#!/usr/bin/env python3
"""Execute rendered Warp IR on the CPU and check it against the description's meaning.

For every record (the driver's JSONL format, a golden-corpus JSONL, or an
all-category run generated on the fly with --seed/--count) this

  1. regenerates the typed description and evaluates it on the host
     (tests/eval/eval_reference.cpp, include/warpsynth/eval/): inputs drawn
     from the category's documented input distribution (instance.inputs,
     launch_dim/launch_shape) or, for golden kernels, a default one; the
     arrays after the forward launch; loss weights W on the float arrays the
     kernel writes; the mathematical gradient of
         L = sum over written float arrays A of <W_A, A after the launch>
     with respect to the initial contents of every float array (forward-mode
     dual numbers through the description), and the gradient Warp's
     generated backward computes (an emulation of its replay/adjoint
     program, from the description, not from the IR text);
  2. compiles the records' CPU forward/backward functions with g++ (many
     records per translation unit, module text from ir_compile_check.py)
     into shared objects and runs them through ctypes on the same inputs:
     forward on a copy of the inputs, backward on the initial arrays with
     each float array's `grad` and adjoint pointing at one buffer seeded
     with W (Warp's Tape layout);
  3. compares forward outputs (every array, integers exactly) and backward
     gradients with the reference within per-dtype tolerances;
  4. NVRTC-compiles every record's CUDA forward/backward (no GPU needed);
  5. with --warp (where `import warp` works, CPU device suffices): runs every
     record's python_source with NVIDIA Warp itself on the same inputs --
     forward, and the backward kernel (wp.launch(adjoint=True)) on the
     initial arrays with grad = adjoint arrays seeded with W -- and compares
     with the reference: an oracle for the evaluator that is independent of
     the rendered IR and of the wp:: runtime.

Verdicts per record:
  PASS   forward matches, backward matches the emulated Warp backward, and
         that equals the mathematical gradient;
  CONV   as PASS, but Warp's backward differs from the mathematical
         gradient through a documented Warp convention (listed), e.g. a
         dynamic loop's replay, atomic min/max, wp.frac;
  FAIL   anything else: a forward or backward mismatch, NaN/Inf, a
         reference or compile error, or a difference between Warp's
         backward and the mathematical gradient with no convention to
         explain it.
Exits 1 on any FAIL. Python 3 standard library only.

  python3 tools/execute_check.py --seed 7 --count 300
  python3 tools/execute_check.py records.jsonl [...]
  python3 tools/execute_check.py /work/shared/warp-reference/golden/*.jsonl
  python3 tools/execute_check.py --extra --warp       # evaluator validation kernels

Semantics, conventions, tolerances and what is not covered: tests/eval/README.md.
"""

import argparse
import concurrent.futures
import ctypes
import glob
import importlib.util
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("ir_compile_check", os.path.join(REPO_ROOT, "tools", "ir_compile_check.py"))
icc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(icc)

# --- tolerances ------------------------------------------------------------------------------------------------
# One table for the CPU and the GPU check: include/warpsynth/eval/tolerance.hpp (it says what each bound absorbs),
# read from the reference helper (`eval_reference tolerances`) before any comparison: {dtype: (rtol, atol)}.
# |got - ref| <= atol * scale + rtol * |ref|, scale = max(1, max |ref| over the array); integer and bool arrays
# must match exactly; a NaN or Inf anywhere is a failure.
FORWARD_TOL = BACKWARD_TOL = MODEL_TOL = None
# MODEL_TOL (Warp's emulated backward vs the mathematical gradient) is the backward table: both are computed in
# double, but some of Warp's adjoints read the dtype-rounded primal output (sqrt, tanh, cbrt, normalize, inverse,
# ...) where the mathematical derivative recomputes it, so they agree to the dtype's precision; a convention (a
# missing or misrouted term) differs by O(1).


def load_tolerances(helper):
    global FORWARD_TOL, BACKWARD_TOL, MODEL_TOL
    p = subprocess.run([helper, "tolerances"], capture_output=True, text=True, check=True)
    table = json.loads(p.stdout)
    FORWARD_TOL = {k: tuple(v) for k, v in table["forward"].items()}
    BACKWARD_TOL = {k: tuple(v) for k, v in table["backward"].items()}
    MODEL_TOL = BACKWARD_TOL


FMT = {"float16": "e", "float32": "f", "float64": "d", "int8": "b", "uint8": "B", "int16": "h", "uint16": "H",
       "int32": "i", "uint32": "I", "int64": "q", "uint64": "Q", "bool": "?"}
CTYPE = {"e": ctypes.c_uint16, "f": ctypes.c_float, "d": ctypes.c_double, "b": ctypes.c_int8, "B": ctypes.c_uint8,
         "h": ctypes.c_int16, "H": ctypes.c_uint16, "i": ctypes.c_int32, "I": ctypes.c_uint32, "q": ctypes.c_int64,
         "Q": ctypes.c_uint64, "?": ctypes.c_bool}
FLOATS = ("float16", "float32", "float64")


class ArrayT(ctypes.Structure):
    """wp::array_t<T>: data, grad, shape[4], strides[4] (bytes), ndim, flags."""
    _fields_ = [("data", ctypes.c_void_p), ("grad", ctypes.c_void_p), ("shape", ctypes.c_int * 4),
                ("strides", ctypes.c_int * 4), ("ndim", ctypes.c_uint16), ("flags", ctypes.c_uint16)]


def launch_bounds(shape):
    class LaunchBounds(ctypes.Structure):
        _fields_ = [("shape", ctypes.c_int * len(shape)), ("size", ctypes.c_size_t)]

    lb = LaunchBounds()
    size = 1
    for k, s in enumerate(shape):
        lb.shape[k] = s
        size *= s
    lb.size = size
    return lb


def mangled_of(rec):
    if rec.get("mangled_name"):
        return rec["mangled_name"]
    for key, pat in (("cpu_forward", r"void (\w+)_cpu_kernel_forward\("), ("cuda_forward", r"void (\w+)_cuda_kernel_forward\(")):
        m = re.search(pat, rec.get(key) or "")
        if m:
            return m.group(1)
    return None


class Buffer:
    def __init__(self, dtype, count):
        self.fmt = FMT[dtype]
        self.count = count
        self.raw = (ctypes.c_uint8 * max(1, count * struct.calcsize(self.fmt)))()

    def set(self, values):
        if self.fmt == "?":
            values = [bool(v) for v in values]
        elif self.fmt not in "efd":
            values = [int(v) for v in values]
        struct.pack_into(f"<{self.count}{self.fmt}", self.raw, 0, *values)

    def get(self):
        return list(struct.unpack_from(f"<{self.count}{self.fmt}", self.raw))

    def address(self):
        return ctypes.addressof(self.raw)


def scalar_py(fmt, v):
    if fmt == "e":
        return struct.unpack("<H", struct.pack("<e", v))[0]
    if fmt in "fd":
        return float(v)
    if fmt == "?":
        return bool(v)
    return int(v)


# --- one record ---------------------------------------------------------------------------------------------------


class Comparison:
    def __init__(self):
        self.max_abs = 0.0
        self.max_rel = 0.0
        self.usage = 0.0  # max of error / allowed error: how much of the tolerance was used
        self.problems = []

    def add(self, where, got, ref, rtol, atol):
        """Compare two equally long lists; `atol` scales with max(1, max |ref|)."""
        if len(got) != len(ref):
            self.problems.append(f"{where}: {len(got)} values, reference has {len(ref)}")
            return
        finite_refs = [abs(r) for r in ref if isinstance(r, (int, float)) and math.isfinite(r)]
        scale = max([1.0] + finite_refs)
        bad = 0
        for k, (g, r) in enumerate(zip(got, ref)):
            if not (math.isfinite(g) and math.isfinite(r)):
                bad += 1
                if bad <= 3:
                    self.problems.append(f"{where}[{k}]: got {g!r}, reference {r!r} (NaN/Inf)")
                continue
            err = abs(g - r)
            self.max_abs = max(self.max_abs, err)
            if r != 0:
                self.max_rel = max(self.max_rel, err / abs(r))
            allowed = atol * scale + rtol * abs(r)
            self.usage = max(self.usage, err / allowed)
            if err > allowed:
                bad += 1
                if bad <= 3:
                    self.problems.append(f"{where}[{k}]: got {g!r}, reference {r!r}")
        if bad > 3:
            self.problems.append(f"{where}: {bad} values differ in total")

    def exact(self, where, got, ref):
        bad = [(k, g, r) for k, (g, r) in enumerate(zip(got, ref)) if int(g) != int(r)]
        if len(got) != len(ref):
            self.problems.append(f"{where}: {len(got)} values, reference has {len(ref)}")
        for k, g, r in bad[:3]:
            self.problems.append(f"{where}[{k}]: got {g}, reference {r}")
        if len(bad) > 3:
            self.problems.append(f"{where}: {len(bad)} values differ in total")


class Case:
    """A record, its reference and its compiled functions."""

    def __init__(self, rec, ref, lib):
        self.rec, self.ref, self.lib = rec, ref, lib
        m = rec["mangled_name"]
        self.args = icc.cpu_args(rec["cpu_forward"])
        names = [a["name"] for a in ref["args"]]
        if [n for _, n in self.args] != names:
            raise RuntimeError(f"argument list of the IR {[n for _, n in self.args]} differs from the description {names}")
        fields = []
        for (ctype, name), a in zip(self.args, ref["args"]):
            if a["kind"] == "array":
                fields.append((name, ArrayT))
            else:
                c = CTYPE[FMT[a["dtype"]]]
                fields.append((name, c * a["comps"] if a["comps"] > 1 else c))
        self.Args = type("Args_" + m, (ctypes.Structure,), {"_fields_": fields})
        self.fwd = getattr(lib, f"{m}_cpu_forward")
        self.bwd = getattr(lib, f"{m}_cpu_backward", None) if rec.get("cpu_backward") else None

    def buffers(self, key="init"):
        out = {}
        for a in self.ref["args"]:
            if a["kind"] != "array":
                continue
            b = Buffer(a["dtype"], len(a["init"]))
            b.set(a[key])
            out[a["name"]] = b
        return out

    def make_args(self, data, grads=None, adjoint=False):
        args = self.Args()
        for a in self.ref["args"]:
            name = a["name"]
            if a["kind"] == "array":
                arr = getattr(args, name)
                g = grads.get(name) if grads else None
                if adjoint:
                    arr.data = g.address() if g else None
                else:
                    arr.data = data[name].address()
                    arr.grad = g.address() if g else None
                shape = a["shape"]
                arr.ndim = len(shape)
                stride = struct.calcsize(FMT[a["dtype"]]) * a["comps"]
                for k in reversed(range(len(shape))):
                    arr.shape[k] = shape[k]
                    arr.strides[k] = stride
                    stride *= shape[k]
            elif not adjoint:
                fmt = FMT[a["dtype"]]
                vals = [scalar_py(fmt, v) for v in a["value"]]
                if a["comps"] > 1:
                    setattr(args, name, (CTYPE[fmt] * a["comps"])(*vals))
                else:
                    setattr(args, name, vals[0])
        return args

    def run_forward(self, cmp):
        data = self.buffers()
        args = self.make_args(data)
        lb = launch_bounds(self.ref["launch"])
        self.fwd(ctypes.byref(lb), ctypes.byref(args))
        for a in self.ref["args"]:
            if a["kind"] != "array":
                continue
            got = data[a["name"]].get()
            if a["dtype"] in FLOATS:
                cmp.add(f"forward {a['name']}", got, a["final"], *FORWARD_TOL[a["dtype"]])
            else:
                cmp.exact(f"forward {a['name']}", got, a["final"])

    def float_arrays(self):
        return [a for a in self.ref["args"] if a["kind"] == "array" and a["dtype"] in FLOATS]

    def run_backward(self, cmp_ir, cmp_model, cmp_math):
        data = self.buffers()
        grads = {}
        for a in self.float_arrays():
            b = Buffer(a["dtype"], len(a["init"]))
            b.set(a["weight"] if a["weight"] is not None else [0.0] * len(a["init"]))
            grads[a["name"]] = b
        args = self.make_args(data, grads)
        adj = self.make_args(data, grads, adjoint=True)
        lb = launch_bounds(self.ref["launch"])
        self.bwd(ctypes.byref(lb), ctypes.byref(args), ctypes.byref(adj))
        # a gradient is only as precise as the least precise float type it flows through
        order = {"float64": 0, "float32": 1, "float16": 2}
        kernel_dtypes = self.ref.get("float_dtypes") or []
        self.undefined = []
        for a in self.float_arrays():
            got = grads[a["name"]].get()
            if a.get("grad_undefined"):
                # Warp's backward reads a variable its replay never assigns (e.g. an atomic's result in a product):
                # the C++ reads uninitialized memory, so this array's gradient has no defined value to check
                self.undefined.append(a["name"])
                continue
            dt = max([a["dtype"]] + [d for d in kernel_dtypes if d in order], key=lambda d: order[d])
            cmp_ir.add(f"gradient {a['name']}", got, a["grad_warp"], *BACKWARD_TOL[dt])
            cmp_model.add(f"gradient {a['name']} (Warp's backward vs mathematical)", a["grad_warp"], a["grad_math"],
                          *MODEL_TOL[dt])
            cmp_math.add(f"gradient {a['name']} (IR vs mathematical)", got, a["grad_math"], *BACKWARD_TOL[dt])


# --- NVIDIA Warp itself as an oracle for the reference --------------------------------------------------------------


class WarpOracle:
    """Runs records' Python source with Warp (CPU device) on the reference's inputs."""

    NP = None

    def __init__(self, workdir):
        import numpy as np  # noqa: PLC0415 - optional dependency
        import warp as wp  # noqa: PLC0415

        self.np, self.wp = np, wp
        if hasattr(wp, "LOG_WARNING"):
            wp.config.log_level = wp.LOG_WARNING
        wp.config.kernel_cache_dir = os.path.join(workdir, "warp_cache")
        wp.init()
        self.dir = os.path.join(workdir, "warp_modules")
        os.makedirs(self.dir, exist_ok=True)
        self.NP = {"float16": np.float16, "float32": np.float32, "float64": np.float64, "int8": np.int8,
                   "uint8": np.uint8, "int16": np.int16, "uint16": np.uint16, "int32": np.int32, "uint32": np.uint32,
                   "int64": np.int64, "uint64": np.uint64, "bool": np.bool_}

    def kernel(self, rec, k):
        path = os.path.join(self.dir, f"warp_record_{k}.py")
        with open(path, "w") as f:
            f.write(rec["python_source"])
        spec = importlib.util.spec_from_file_location(f"warp_record_{k}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return getattr(mod, rec.get("kernel_name") or rec["name"])

    def arguments(self, kern, ref, grads):
        np, wp = self.np, self.wp
        vals = []
        for a, ka in zip(ref["args"], kern.adj.args):
            if a["kind"] == "array":
                dt = ka.type.dtype
                data = np.array(a["init"], dtype=self.NP[a["dtype"]])
                data = data.reshape(tuple(a["shape"]) + tuple(getattr(dt, "_shape_", ())))
                vals.append(wp.array(data, dtype=dt, device="cpu", requires_grad=grads and a["dtype"] in FLOATS))
            else:
                v = a["value"]
                if a["comps"] > 1:
                    vals.append(ka.type(*v))
                elif a["dtype"] == "bool":
                    vals.append(bool(v[0]))
                else:
                    vals.append(v[0])
        return vals

    def check(self, rec, ref, k, fwd, bwd):
        np, wp = self.np, self.wp
        kern = self.kernel(rec, k)
        xs = self.arguments(kern, ref, False)
        wp.launch(kern, dim=tuple(ref["launch"]), inputs=xs, device="cpu")
        for a, x in zip(ref["args"], xs):
            if a["kind"] != "array":
                continue
            got = x.numpy().reshape(-1).tolist()
            if a["dtype"] in FLOATS:
                fwd.add(f"Warp forward {a['name']}", [float(g) for g in got], a["final"], *FORWARD_TOL[a["dtype"]])
            else:
                fwd.exact(f"Warp forward {a['name']}", got, a["final"])
        if not rec.get("cpu_backward"):
            return False
        xs = self.arguments(kern, ref, True)
        adj = []
        for a, x in zip(ref["args"], xs):
            if a["kind"] == "array":
                if a["dtype"] in FLOATS:
                    w = a["weight"] if a["weight"] is not None else [0.0] * len(a["init"])
                    x.grad.assign(np.array(w, dtype=self.NP[a["dtype"]]).reshape(x.grad.numpy().shape))
                    adj.append(x.grad)
                else:
                    adj.append(None)
            else:
                adj.append(type(x)() if not isinstance(x, (bool, int, float)) else type(x)(0))
        wp.launch(kern, dim=tuple(ref["launch"]), inputs=xs, adj_inputs=adj, adjoint=True, device="cpu")
        order = {"float64": 0, "float32": 1, "float16": 2}
        kernel_dtypes = [d for d in ref.get("float_dtypes") or [] if d in order]
        for a, x in zip(ref["args"], xs):
            if a["kind"] == "array" and a["dtype"] in FLOATS and not a.get("grad_undefined"):
                dt = max([a["dtype"]] + kernel_dtypes, key=lambda d: order[d])
                got = [float(g) for g in x.grad.numpy().reshape(-1).tolist()]
                bwd.add(f"Warp backward {a['name']}", got, a["grad_warp"], *BACKWARD_TOL[dt])
        return True


# --- driver ---------------------------------------------------------------------------------------------------------


def find_helper(args, workdir):
    if args.helper:
        return os.path.abspath(args.helper)
    sources = [os.path.join(REPO_ROOT, "tests", "eval", "eval_reference.cpp"),
               os.path.join(REPO_ROOT, "tests", "eval", "extra_kernels.cpp")]
    sources += sorted(glob.glob(os.path.join(REPO_ROOT, "tests", "conformance", "golden_*.cpp")))
    headers = glob.glob(os.path.join(REPO_ROOT, "include", "warpsynth", "**", "*.hpp"), recursive=True)
    newest = max(os.path.getmtime(p) for p in sources + headers)
    for cand in (os.path.join(REPO_ROOT, "build", "tests", "eval_reference"),
                 os.path.join(REPO_ROOT, "build", "tests", "eval", "eval_reference")):
        if os.path.exists(cand) and not args.rebuild_helper:
            if os.path.getmtime(cand) >= newest:
                return cand
            print(f"execute check: {cand} is older than the sources; not using it", file=sys.stderr)
    # build it: the helper plus the golden registry (for golden records) and the validation kernels
    cache = args.helper_cache or os.path.join(tempfile.gettempdir(), "warpsynth_eval_reference")
    os.makedirs(cache, exist_ok=True)
    exe = os.path.join(cache, "eval_reference")
    if os.path.exists(exe) and os.path.getmtime(exe) >= newest and not args.rebuild_helper:
        return exe
    print(f"execute check: building the reference helper in {cache} ...", file=sys.stderr)
    cxx = args.cxx
    # -ffp-contract=off: the evaluator's float32 arithmetic must not be fused into FMAs behind its back
    flags = ["-std=c++20", "-O2", "-ffp-contract=off", "-w", "-I", os.path.join(REPO_ROOT, "include"),
             "-DWARPSYNTH_EVAL_GOLDEN", "-DWARPSYNTH_EVAL_EXTRA"]

    def compile_one(src):
        obj = os.path.join(cache, os.path.basename(src) + ".o")
        p = subprocess.run([cxx] + flags + ["-c", src, "-o", obj], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"compiling {src}:\n{p.stderr[:4000]}")
        return obj

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        objs = list(pool.map(compile_one, sources))
    p = subprocess.run([cxx, "-o", exe] + objs + ["-lnettle"], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"linking the helper:\n{p.stderr[:4000]}")
    return exe


def load_records(paths):
    records = []
    for pattern in paths:
        for path in sorted(glob.glob(pattern)) or [pattern]:
            with open(path) as f:
                for lineno, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    rec = json.loads(line)
                    rec["_where"] = f"{os.path.basename(path)}:{lineno}"
                    rec["_line"] = line
                    records.append(rec)
    return records


def build_libs(records, include, workdir, jobs, batch, cxx):
    """Compile the CPU functions, many records per shared object. Returns {index: CDLL or error message}."""
    usable = [r for r in records if r.get("cpu_forward")]
    batches = icc.make_batches(usable, batch)

    def compile_batch(ib):
        i, b = ib
        src = os.path.join(workdir, f"cpu{i:03d}.cpp")
        so = os.path.join(workdir, f"cpu{i:03d}.so")
        with open(src, "w") as f:
            f.write(icc.CPU_HEADER + "".join(icc.cpu_module_part(r) for r in b))
        p = subprocess.run([cxx, "-std=c++17", "-O1", "-shared", "-fPIC", "-w", "-I", include, "-o", so, src],
                           capture_output=True, text=True)
        return b, so, p.returncode, p.stderr

    out = {}
    retry = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for b, so, rc, err in pool.map(compile_batch, enumerate(batches)):
            if rc == 0:
                lib = ctypes.CDLL(so)
                for r in b:
                    out[r["_index"]] = lib
            else:
                retry.extend(b)
        singles = [(1000 + k, [r]) for k, r in enumerate(retry)]
        for b, so, rc, err in pool.map(compile_batch, singles):
            out[b[0]["_index"]] = ctypes.CDLL(so) if rc == 0 else "g++: " + icc.first_errors(err, 8)
    return out


def nvrtc_compile(records, args, workdir):
    usable = [r for r in records if r.get("cuda_forward")]
    if args.no_cuda or not usable:
        return 0, []
    if not os.path.exists(args.nvrtc):
        return 0, [({"name": "<nvrtc>", "_where": "-"}, f"libnvrtc not found at {args.nvrtc}")]
    comp = icc.NvrtcCompiler(args.nvrtc, os.path.abspath(args.runtime), args.arch, "c++17", [])
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        total, failures = icc.run_device("cuda", comp, icc.CUDA_HEADER, icc.cuda_module_part, usable, args.batch, pool,
                                         None, 8)
    return total, failures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jsonl", nargs="*", help="record files (driver JSONL or golden corpus); globs allowed")
    ap.add_argument("--seed", type=int, help="generate an all-category run with this seed ...")
    ap.add_argument("--count", type=int, default=300, help="... of this many records (default 300)")
    ap.add_argument("--extra", action="store_true",
                    help="also check the evaluator's validation kernels (tests/eval/extra_kernels.cpp)")
    ap.add_argument("--helper", help="path of the eval_reference helper (default: build it, or build/tests/...)")
    ap.add_argument("--helper-cache", help="where to build the helper (default: $TMPDIR/warpsynth_eval_reference)")
    ap.add_argument("--rebuild-helper", action="store_true")
    ap.add_argument("--runtime", default=icc.DEFAULT_RUNTIME)
    ap.add_argument("--cxx", default="g++")
    ap.add_argument("--nvrtc", default=icc.DEFAULT_NVRTC)
    ap.add_argument("--arch", default="compute_90")
    ap.add_argument("--no-cuda", action="store_true", help="skip the NVRTC compile")
    ap.add_argument("--batch", type=int, default=32, help="records per translation unit")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", action="append", default=[], help="only records with this kernel name (repeatable)")
    ap.add_argument("--warp", action="store_true",
                    help="also run every record with NVIDIA Warp (CPU) and compare it with the reference")
    ap.add_argument("--report", help="write a JSON report (one object per record) here")
    ap.add_argument("--keep", help="keep the work directory (sources, shared objects, references) here")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only failing and convention records")
    args = ap.parse_args(argv)

    t0 = time.monotonic()
    timing = {}
    workdir = args.keep or tempfile.mkdtemp(prefix="execute_check_")
    os.makedirs(workdir, exist_ok=True)
    try:
        helper = find_helper(args, workdir)
        load_tolerances(helper)
        timing["helper"] = time.monotonic() - t0

        paths = list(args.jsonl)
        if args.seed is not None:
            t = time.monotonic()
            gen = os.path.join(workdir, f"run_{args.seed}_{args.count}.jsonl")
            subprocess.run([helper, "emit", str(args.seed), str(args.count), gen], check=True)
            paths.append(gen)
            timing["generate"] = time.monotonic() - t
        if args.extra:
            gen = os.path.join(workdir, "extra_kernels.jsonl")
            subprocess.run([helper, "emit-extra", gen], check=True)
            paths.append(gen)
        if not paths:
            ap.error("give record files, --seed or --extra")
        records = [r for r in load_records(paths) if r.get("cpu_forward") or r.get("cuda_forward")]
        if args.only:
            records = [r for r in records if (r.get("kernel_name") or r.get("name")) in args.only]
        if not records:
            print("execute check: no records", file=sys.stderr)
            return 2
        for k, r in enumerate(records):
            r["_index"] = k
            r["mangled_name"] = mangled_of(r)
            r.setdefault("name", r.get("kernel_name") or r["mangled_name"])

        # reference
        t = time.monotonic()
        rec_path = os.path.join(workdir, "records.jsonl")
        with open(rec_path, "w") as f:
            for r in records:
                f.write(r["_line"] if r["_line"].endswith("\n") else r["_line"] + "\n")
        ref_path = os.path.join(workdir, "references.jsonl")
        subprocess.run([helper, "refs", rec_path, ref_path], check=True)
        refs = {}
        with open(ref_path) as f:
            for line in f:
                ref = json.loads(line)
                refs[ref["line"] - 1] = ref
        timing["reference"] = time.monotonic() - t

        # compile (CPU shared objects, NVRTC) concurrently
        t = time.monotonic()
        include = os.path.abspath(args.runtime)
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as outer:
            cpu_future = outer.submit(build_libs, records, include, workdir, max(1, args.jobs), args.batch, args.cxx)
            cuda_future = outer.submit(nvrtc_compile, records, args, workdir)
            libs = cpu_future.result()
            timing["cpu_compile"] = time.monotonic() - t
            cuda_total, cuda_failures = cuda_future.result()
            timing["nvrtc_compile"] = time.monotonic() - t

        # execute and compare
        t = time.monotonic()
        results = []
        counts = {"PASS": 0, "CONV": 0, "FAIL": 0}
        conv_reasons = {}
        executed_fwd = executed_bwd = 0
        for r in records:
            res = {"name": r["name"], "where": r["_where"], "category": r.get("category", "golden")}
            ref = refs.get(r["_index"])
            problems = []
            lib = libs.get(r["_index"])
            if ref is None:
                problems.append("no reference")
            elif ref.get("error"):
                problems.append("reference: " + ref["error"])
            elif not r.get("cpu_forward"):
                problems.append("record has no cpu_forward")
            elif not isinstance(lib, ctypes.CDLL):
                problems.append(lib or "not compiled")
            verdict = "FAIL"
            if not problems:
                fwd, bwd, model, vs_math = Comparison(), Comparison(), Comparison(), Comparison()
                case = None
                has_grad = False
                try:
                    case = Case(r, ref, lib)
                    case.run_forward(fwd)
                    executed_fwd += 1
                    has_grad = case.bwd is not None and any(a["weight"] is not None for a in case.float_arrays())
                    if case.bwd is not None:
                        executed_bwd += 1
                        case.run_backward(bwd, model, vs_math)
                except Exception as e:  # noqa: BLE001 - report, keep going
                    problems.append(f"execution: {e}")
                problems += fwd.problems
                res.update(fwd_max_abs=fwd.max_abs, fwd_max_rel=fwd.max_rel, fwd_tol_used=fwd.usage)
                if case is not None and case.bwd is not None and not problems:
                    res.update(bwd_max_abs=bwd.max_abs, bwd_max_rel=bwd.max_rel, bwd_tol_used=bwd.usage,
                               math_max_abs=vs_math.max_abs)
                    if ref.get("unpredictable"):
                        verdict = "CONV"
                        res["conventions"] = ["unpredictable: " + ref.get("why", "")]
                    else:
                        problems += bwd.problems
                        if not problems and model.problems:
                            if ref["events"]:
                                verdict = "CONV"
                                res["conventions"] = list(ref["events"])
                                res["model_vs_math"] = model.problems[:3]
                            else:
                                problems += ["unexplained: " + p for p in model.problems]
                        if not problems and case.undefined:
                            verdict = "CONV"
                            res.setdefault("conventions", [])
                            res["conventions"].append("gradient_reads_uninitialized_replay_value")
                            res["undefined_gradients"] = case.undefined
                if not problems and verdict != "CONV":
                    verdict = "PASS"
                res["has_gradient"] = has_grad
            res["verdict"] = verdict if not problems else "FAIL"
            res["problems"] = problems
            counts[res["verdict"]] += 1
            if res["verdict"] == "CONV":
                for c in res.get("conventions", []):
                    conv_reasons[c] = conv_reasons.get(c, 0) + 1
            results.append(res)
            if res["verdict"] == "FAIL":
                print(f"FAIL {r['name']} ({r['_where']}):")
                for p in problems[:8]:
                    print("     " + p)
            elif not args.quiet or res["verdict"] == "CONV":
                extra = f" [{', '.join(res.get('conventions', []))}]" if res["verdict"] == "CONV" else ""
                print(f"{res['verdict']:4} {r['name']}: forward max abs {res.get('fwd_max_abs', 0):.3g} rel "
                      f"{res.get('fwd_max_rel', 0):.3g}, backward max abs {res.get('bwd_max_abs', 0):.3g} rel "
                      f"{res.get('bwd_max_rel', 0):.3g}{extra}")
        timing["execute"] = time.monotonic() - t

        warp_summary = None
        if args.warp:
            t = time.monotonic()
            try:
                oracle = WarpOracle(workdir)
            except Exception as e:  # noqa: BLE001
                oracle = None
                print(f"execute check: --warp: Warp is not usable here ({e}); skipped", file=sys.stderr)
            if oracle:
                wf = wb = wf_ok = wb_ok = 0
                for r, res in zip(records, results):
                    ref = refs.get(r["_index"])
                    if ref is None or ref.get("error"):
                        continue
                    fwd, bwd = Comparison(), Comparison()
                    try:
                        had_bwd = oracle.check(r, ref, r["_index"], fwd, bwd)
                    except Exception as e:  # noqa: BLE001
                        fwd.problems.append(f"Warp could not run it: {e}")
                        had_bwd = False
                    wf += 1
                    wf_ok += not fwd.problems
                    if had_bwd:
                        wb += 1
                        wb_ok += not bwd.problems
                    res["warp_oracle"] = fwd.problems + bwd.problems
                    if fwd.problems or bwd.problems:
                        # the reference itself is wrong here: nothing about this record is verified
                        print(f"FAIL {r['name']} ({r['_where']}): NVIDIA Warp disagrees with the reference:")
                        for p in (fwd.problems + bwd.problems)[:6]:
                            print("     " + p)
                        if res["verdict"] != "FAIL":
                            counts[res["verdict"]] -= 1
                            counts["FAIL"] += 1
                            res["verdict"] = "FAIL"
                        res["problems"] = res["problems"] + ["NVIDIA Warp disagrees with the reference"]
                warp_summary = (wf_ok, wf, wb_ok, wb)
            timing["warp"] = time.monotonic() - t

        for rec, msg in cuda_failures:
            print(f"FAIL [cuda] {rec.get('name')} ({rec.get('_where')}):\n{msg}\n")
        cats = {}
        for res in results:
            c = cats.setdefault(res["category"], {"PASS": 0, "CONV": 0, "FAIL": 0})
            c[res["verdict"]] += 1
        fwd_abs = max([x.get("fwd_max_abs", 0.0) for x in results] or [0.0])
        bwd_abs = max([x.get("bwd_max_abs", 0.0) for x in results] or [0.0])
        fwd_use = max([x.get("fwd_tol_used", 0.0) for x in results if x["verdict"] != "FAIL"] or [0.0])
        bwd_use = max([x.get("bwd_tol_used", 0.0) for x in results if x["verdict"] != "FAIL"] or [0.0])
        print(f"execute check: {len(records)} records: {counts['PASS']} pass, {counts['CONV']} pass with a Warp "
              f"gradient convention, {counts['FAIL']} fail")
        print(f"execute check: executed {executed_fwd} CPU forward and {executed_bwd} CPU backward functions; "
              f"max abs error forward {fwd_abs:.3g}, backward {bwd_abs:.3g}; largest fraction of the tolerance "
              f"used by a passing record: forward {fwd_use:.2f}, backward {bwd_use:.2f}")
        for name, c in sorted(cats.items()):
            print(f"execute check:   {name}: {c['PASS']} pass, {c['CONV']} convention, {c['FAIL']} fail")
        for reason, n in sorted(conv_reasons.items()):
            print(f"execute check:   convention {reason}: {n}")
        if warp_summary:
            print(f"execute check: NVIDIA Warp (CPU) agrees with the reference: forward {warp_summary[0]}/"
                  f"{warp_summary[1]}, backward {warp_summary[2]}/{warp_summary[3]}")
        if not args.no_cuda:
            cuda_ok = cuda_total - len([f for f in cuda_failures if f[0].get("mangled_name")])
            print(f"execute check: NVRTC compiled {cuda_ok}/{cuda_total} records' CUDA functions")
        timing["total"] = time.monotonic() - t0
        print("execute check: time " + ", ".join(f"{k} {v:.1f}s" for k, v in timing.items()))
        if args.report:
            with open(args.report, "w") as f:
                json.dump({"results": results, "counts": counts, "timing": timing,
                           "tolerances": {"forward": FORWARD_TOL, "backward": BACKWARD_TOL, "model": MODEL_TOL}}, f,
                          indent=1)
        failed = counts["FAIL"] > 0 or bool(cuda_failures)
        if warp_summary and (warp_summary[0] != warp_summary[1] or warp_summary[2] != warp_summary[3]):
            failed = True
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
