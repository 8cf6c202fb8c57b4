#!/usr/bin/env python3
"""Compile Warp kernel IR text against the warpsynth runtime (CPU and CUDA).

Reads JSONL records shaped like Warp's golden corpus (fields `mangled_name`,
`cpu_forward`, `cpu_backward`, `cuda_forward`, `cuda_backward`, plus
`python_source`/`name`), wraps the kernel functions into module text laid out
the way Warp v1.16.0 lays out its .cpp/.cu modules (header with the cast and
tid macros, `struct wp_args_<mangled>`, `extern "C"` CPU entry points), and
compiles:

  * CPU:  g++ -O1 -shared -fPIC -I include/warpsynth/runtime  (one shared object per batch)
  * CUDA: NVRTC through ctypes (compute_90, -default-device, --std=c++17)

Many records share one translation unit (mangled names are unique); when a
batch fails, its records are compiled one by one so each failure is reported
with its own compiler message. Prints `ir compile: N/N cpu ok, M/M cuda ok`
and exits non-zero on any failure. Python 3 standard library only.
"""

import argparse
import concurrent.futures
import ctypes
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_GOLDEN = "/work/shared/warp-reference/golden/*.jsonl"
DEFAULT_RUNTIME = os.path.join(REPO_ROOT, "include", "warpsynth", "runtime")
DEFAULT_NVRTC = "/usr/local/cuda/lib64/libnvrtc.so"

# --- module text (Warp v1.16.0 layout, see golden/modules/*.cpp|.cu) --------

_COMMON_HEAD = """#define WP_NO_BFLOAT16

#define WP_TILE_BLOCK_DIM 256
#define WP_NO_CRT
#include "builtin.h"
#include "deterministic.h"
"""

_CASTS = """
// avoid namespacing of float type for casting to float type, this is to avoid wp::float(x), which is not valid in C++
#define float(x) cast_float(x)
#define adj_float(x, adj_x, adj_ret) adj_cast_float(x, adj_x, adj_ret)

#define int(x) cast_int(x)
#define adj_int(x, adj_x, adj_ret) adj_cast_int(x, adj_x, adj_ret)
"""

_TID = """
#define builtin_tid1d() wp::tid({i}, dim)
#define builtin_tid2d(x, y) wp::tid(x, y, {i}, dim)
#define builtin_tid3d(x, y, z) wp::tid(x, y, z, {i}, dim)
#define builtin_tid4d(x, y, z, w) wp::tid(x, y, z, w, {i}, dim)

#define builtin_block_dim() wp::block_dim()
"""

CPU_HEADER = _COMMON_HEAD + _CASTS + _TID.format(i="task_index") + "\n"

def _cuda_module_header():
    """The CUDA module header, read from the one place it is written: examples/driver/cuda_module.hpp (used by
    `warpsynth launch`), so the Python and C++ checks compile the same text."""
    path = os.path.join(REPO_ROOT, "examples", "driver", "cuda_module.hpp")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r'cuda_module_header = R"\((.*?)\)";', text, re.S)
    if not m:
        sys.exit(f"ir_compile_check: no cuda_module_header raw string in {path}")
    return m.group(1)


CUDA_HEADER = _cuda_module_header()

_ENTRY = """extern "C" {{

{comment}WP_API void {m}_cpu_{kind}(
    wp::launch_bounds_t<{n}> *dim,
    {params})
{{
    wp::tile_shared_storage_t tile_mem;
#if defined(WP_ENABLE_TILES_IN_STACK_MEMORY)
    wp::shared_tile_storage = &tile_mem;
#endif

    for (size_t task_index = 0; task_index < dim->size; ++task_index)
    {{
        {m}_cpu_kernel_{kind}(*dim, task_index, {args});
    }}
}}

}} // extern C
"""

_ARG_VAR = re.compile(r"^\s*(?P<ctype>.+?) var_(?P<name>\w+) = _wp_args->(?P=name);\s*$")
_LAUNCH_DIM = re.compile(r"wp::launch_bounds_t<(\d+)> dim")


def cpu_args(cpu_forward):
    """(ctype, name) of each kernel argument, from the `// argument vars` section."""
    args = []
    in_section = False
    for line in cpu_forward.splitlines():
        stripped = line.strip()
        if stripped == "// argument vars":
            in_section = True
            continue
        if in_section:
            if stripped.startswith("//"):
                break
            m = _ARG_VAR.match(line)
            if m:
                args.append((m.group("ctype"), m.group("name")))
    return args


def cpu_module_part(rec):
    """CPU text of one kernel: wp_args struct, kernel functions, entry points."""
    m = rec["mangled_name"]
    fwd = rec["cpu_forward"]
    bwd = rec.get("cpu_backward")
    dims = _LAUNCH_DIM.search(fwd)
    n = dims.group(1) if dims else "1"
    members = "".join(f"    {ctype} {name};\n" for ctype, name in cpu_args(fwd))
    parts = [f"struct wp_args_{m} {{\n{members}}};\n\n\n", fwd]
    if bwd:
        parts += ["\n\n\n", bwd]
    parts.append("\n\n\n")
    parts.append(
        _ENTRY.format(
            comment="// Python CPU entry points\n", m=m, kind="forward", n=n,
            params=f"wp_args_{m} *_wp_args", args="_wp_args",
        )
    )
    if bwd:
        parts.append("\n\n\n")
        parts.append(
            _ENTRY.format(
                comment="", m=m, kind="backward", n=n,
                params=f"wp_args_{m} *_wp_args,\n    wp_args_{m} *_wp_adj_args", args="_wp_args, _wp_adj_args",
            )
        )
    parts.append("\n")
    return "".join(parts)


def cuda_module_part(rec):
    parts = ["\n\n", rec["cuda_forward"]]
    if rec.get("cuda_backward"):
        parts += ["\n\n\n", rec["cuda_backward"]]
    parts.append("\n")
    return "".join(parts)


# --- compilers ---------------------------------------------------------------


class CpuCompiler:
    def __init__(self, cxx, std, include, workdir, extra):
        self.cmd = [cxx, f"-std={std}", "-O1", "-shared", "-fPIC", "-w", "-I", include] + extra
        self.workdir = workdir

    def compile(self, tag, text):
        src = os.path.join(self.workdir, f"{tag}.cpp")
        with open(src, "w") as f:
            f.write(text)
        out = os.path.join(self.workdir, f"{tag}.so")
        p = subprocess.run(self.cmd + ["-o", out, src], capture_output=True, text=True)
        for path in (out,):
            if os.path.exists(path):
                os.remove(path)
        return p.returncode == 0, p.stderr


class NvrtcCompiler:
    def __init__(self, lib_path, include, arch, std, extra):
        self.lib = ctypes.CDLL(lib_path)
        self.lib.nvrtcCreateProgram.argtypes = [
            ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int,
            ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_char_p),
        ]
        self.lib.nvrtcCompileProgram.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
        self.lib.nvrtcGetProgramLogSize.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)]
        self.lib.nvrtcGetProgramLog.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self.lib.nvrtcDestroyProgram.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
        self.lib.nvrtcGetErrorString.restype = ctypes.c_char_p
        self.lib.nvrtcGetPTXSize.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)]
        self.lib.nvrtcGetPTX.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self.options = [
            f"--gpu-architecture={arch}", "-default-device", f"--std={std}", f"--include-path={include}", "-w",
        ] + extra

    def compile(self, tag, text):
        ok, log, _ = self.compile_ptx(tag, text, want_ptx=False)
        return ok, log

    def compile_ptx(self, tag, text, want_ptx=True):
        """Returns (ok, log, ptx bytes or None)."""
        prog = ctypes.c_void_p()
        rc = self.lib.nvrtcCreateProgram(ctypes.byref(prog), text.encode(), f"{tag}.cu".encode(), 0, None, None)
        if rc != 0:
            return False, "nvrtcCreateProgram: " + self.lib.nvrtcGetErrorString(rc).decode(), None
        try:
            opts = (ctypes.c_char_p * len(self.options))(*[o.encode() for o in self.options])
            rc = self.lib.nvrtcCompileProgram(prog, len(self.options), opts)
            size = ctypes.c_size_t()
            self.lib.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
            log = ctypes.create_string_buffer(size.value)
            self.lib.nvrtcGetProgramLog(prog, log)
            ptx = None
            if rc == 0 and want_ptx:
                self.lib.nvrtcGetPTXSize(prog, ctypes.byref(size))
                buf = ctypes.create_string_buffer(size.value)
                self.lib.nvrtcGetPTX(prog, buf)
                ptx = buf.raw
            return rc == 0, log.value.decode(errors="replace"), ptx
        finally:
            self.lib.nvrtcDestroyProgram(ctypes.byref(prog))


# --- driver ------------------------------------------------------------------


def load_records(patterns):
    records = []
    for pattern in patterns:
        paths = sorted(glob.glob(pattern)) or [pattern]
        for path in paths:
            with open(path) as f:
                for lineno, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    rec = json.loads(line)
                    if not rec.get("cpu_forward") and not rec.get("cuda_forward"):
                        continue  # e.g. rejected records carry `error` instead of code
                    if "mangled_name" not in rec:  # driver records: the name is in the function's first line
                        head = (rec.get("cpu_forward") or rec.get("cuda_forward") or "").split("(", 1)[0]
                        rec["mangled_name"] = re.sub(r"_c(pu|uda)_kernel_forward$", "", head.split()[-1])
                    rec.setdefault("name", rec.get("id", rec.get("mangled_name", "?")))
                    rec["_where"] = f"{os.path.basename(path)}:{lineno}"
                    records.append(rec)
    return records


def make_batches(records, size):
    """Split into batches of at most `size`, never two records with one mangled name in a batch."""
    batches = []
    for rec in records:
        for batch in batches:
            if len(batch) < size and all(r["mangled_name"] != rec["mangled_name"] for r in batch):
                batch.append(rec)
                break
        else:
            batches.append([rec])
    return batches


def first_errors(log, limit):
    lines = [l for l in log.splitlines() if l.strip()]
    errors = [i for i, l in enumerate(lines) if "error" in l]
    start = errors[0] if errors else 0
    return "\n".join(lines[start : start + limit])


def run_device(label, compiler, header, part, records, batch_size, pool, keep_dir, error_lines):
    """Compile all records for one device; returns the list of (record, message) failures."""
    usable = [r for r in records if r.get(f"{label}_forward")]
    batches = make_batches(usable, batch_size)

    def compile_batch(idx_batch):
        idx, batch = idx_batch
        text = header + "".join(part(r) for r in batch)
        tag = f"{label}_batch{idx:03d}"
        if keep_dir:
            ext = "cpp" if label == "cpu" else "cu"
            with open(os.path.join(keep_dir, f"{tag}.{ext}"), "w") as f:
                f.write(text)
        return compiler.compile(tag, text)

    failures = []
    retry = []
    for batch, (ok, log) in zip(batches, pool.map(compile_batch, enumerate(batches))):
        if not ok:
            retry.extend(batch if len(batch) > 1 else [])
            if len(batch) == 1:
                failures.append((batch[0], first_errors(log, error_lines)))
    if retry:
        # attribute the failure: compile each record of the failed batches alone
        singles = [(1000 + i, [r]) for i, r in enumerate(retry)]
        for (_, [rec]), (ok, log) in zip(singles, pool.map(compile_batch, singles)):
            if not ok:
                failures.append((rec, first_errors(log, error_lines)))
        if not failures:
            failures.append(({"name": "<batch>", "_where": "-"}, "batch failed but every record compiles alone"))
    return len(usable), failures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jsonl", nargs="*", default=[DEFAULT_GOLDEN], help=f"JSONL files or globs (default {DEFAULT_GOLDEN})")
    ap.add_argument("--runtime", default=DEFAULT_RUNTIME, help="runtime include dir (holds builtin.h)")
    ap.add_argument("--cxx", default="g++")
    ap.add_argument("--std", default="c++17", help="C++ standard for g++ (NVRTC always uses c++17)")
    ap.add_argument("--cxxflag", action="append", default=[], help="extra g++ flag (repeatable)")
    ap.add_argument("--nvrtc", default=DEFAULT_NVRTC, help="path to libnvrtc.so")
    ap.add_argument("--arch", default="compute_90")
    ap.add_argument("--nvrtcflag", action="append", default=[], help="extra NVRTC option (repeatable)")
    ap.add_argument("--batch", type=int, default=32, help="records per translation unit")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", action="append", default=[], help="only records with this name (repeatable)")
    ap.add_argument("--no-cpu", action="store_true")
    ap.add_argument("--no-cuda", action="store_true")
    ap.add_argument("--source", action="append", default=[], metavar="FILE",
                    help="also compile this hand-written source with both compilers (repeatable)")
    ap.add_argument("--keep", metavar="DIR", help="write the generated module sources into DIR")
    ap.add_argument("--error-lines", type=int, default=12, help="compiler message lines shown per failure")
    args = ap.parse_args(argv)

    records = load_records(args.jsonl)
    if args.only:
        records = [r for r in records if r["name"] in args.only or r["mangled_name"] in args.only]
    if not records:
        print("ir compile: no records found", file=sys.stderr)
        return 2
    include = os.path.abspath(args.runtime)
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)

    t0 = time.monotonic()
    summary = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="ir_compile_") as workdir, concurrent.futures.ThreadPoolExecutor(
        max_workers=max(1, args.jobs)
    ) as pool:
        devices = []
        if not args.no_cpu:
            devices.append(("cpu", CpuCompiler(args.cxx, args.std, include, workdir, args.cxxflag), CPU_HEADER, cpu_module_part))
        if not args.no_cuda:
            devices.append(("cuda", NvrtcCompiler(args.nvrtc, include, args.arch, "c++17", args.nvrtcflag), CUDA_HEADER, cuda_module_part))
        # both devices share the worker pool, so their compiles overlap
        def run(dev):
            label, compiler, header, part = dev
            t = time.monotonic()
            result = run_device(label, compiler, header, part, records, args.batch, pool, args.keep, args.error_lines)
            return label, time.monotonic() - t, result

        with concurrent.futures.ThreadPoolExecutor(max_workers=len(devices) or 1) as drivers:
            for label, seconds, (total, failures) in list(drivers.map(run, devices)):
                for rec, msg in failures:
                    failed = True
                    print(f"FAIL [{label}] {rec['name']} ({rec['_where']}):\n{msg}\n")
                ok = total - len([f for f in failures if f[0].get("mangled_name")])
                summary.append(f"{ok}/{total} {label} ok")
                print(f"ir compile: {label} finished after {seconds:.1f}s", file=sys.stderr)
        # hand-written sources: compiled as they are, once per device
        for path in args.source:
            text = open(path).read()
            for label, compiler, _, _ in devices:
                ok, log = compiler.compile(f"{label}_source", text)
                if not ok:
                    failed = True
                    print(f"FAIL [{label}] {path}:\n{first_errors(log, args.error_lines)}\n")
                else:
                    print(f"ir compile: {path} ok ({label})", file=sys.stderr)
    print(f"ir compile: total {time.monotonic() - t0:.1f}s", file=sys.stderr)
    print(f"ir compile: {', '.join(summary)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
