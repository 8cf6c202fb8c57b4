#!/usr/bin/env python3
"""Run generated kernels on a GPU and on the CPU and compare the results.

Needs a CUDA GPU (driver libcuda.so.1), NVRTC and g++. For every JSONL record
(default: the golden corpus) the CUDA kernels are compiled with NVRTC
(module text from tools/ir_compile_check.py) and launched through the CUDA
driver API; the CPU entry points are built with g++. Both get the same random
inputs (see kernel_grad_check.py), then the forward results and the gradients
from the backward kernels must agree.

    python3 tests/runtime/cuda_vs_cpu_check.py [JSONL ...] [--only NAME]
"""

import argparse
import ctypes
import importlib.util
import os
import random
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("kernel_grad_check", os.path.join(HERE, "kernel_grad_check.py"))
kgc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kgc)
icc = kgc.icc

# Results that depend on the order in which threads win atomics.
ORDER_DEPENDENT = {
    "atomic_reserve_slot": "slot numbers come from an atomic counter",
}


class Cuda:
    """The few CUDA driver entry points needed to load PTX and launch kernels."""

    def __init__(self):
        self.lib = ctypes.CDLL("libcuda.so.1")
        self.check(self.lib.cuInit(0), "cuInit")
        dev = ctypes.c_int()
        self.check(self.lib.cuDeviceGet(ctypes.byref(dev), 0), "cuDeviceGet")
        self.ctx = ctypes.c_void_p()
        self.check(self.lib.cuDevicePrimaryCtxRetain(ctypes.byref(self.ctx), dev), "cuDevicePrimaryCtxRetain")
        self.check(self.lib.cuCtxSetCurrent(self.ctx), "cuCtxSetCurrent")
        self.lib.cuMemAlloc_v2.argtypes = [ctypes.POINTER(ctypes.c_uint64), ctypes.c_size_t]
        self.lib.cuMemFree_v2.argtypes = [ctypes.c_uint64]
        self.lib.cuMemcpyHtoD_v2.argtypes = [ctypes.c_uint64, ctypes.c_void_p, ctypes.c_size_t]
        self.lib.cuMemcpyDtoH_v2.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_size_t]
        self.lib.cuLaunchKernel.argtypes = [ctypes.c_void_p] + [ctypes.c_uint] * 6 + [
            ctypes.c_uint, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p]

    def check(self, rc, what):
        if rc != 0:
            name = ctypes.c_char_p()
            self.lib.cuGetErrorName(rc, ctypes.byref(name))
            raise RuntimeError(f"{what} failed: {name.value.decode() if name.value else rc}")

    def load(self, ptx):
        mod = ctypes.c_void_p()
        self.check(self.lib.cuModuleLoadData(ctypes.byref(mod), ptx), "cuModuleLoadData")
        return mod

    def function(self, mod, name):
        fn = ctypes.c_void_p()
        rc = self.lib.cuModuleGetFunction(ctypes.byref(fn), mod, name.encode())
        return fn if rc == 0 else None

    def launch(self, fn, size, params):
        block = 256
        grid = max(1, min((size + block - 1) // block, 65535))
        arr = (ctypes.c_void_p * len(params))(*params)
        self.check(self.lib.cuLaunchKernel(fn, grid, 1, 1, block, 1, 1, 0, None, arr, None), "cuLaunchKernel")
        self.check(self.lib.cuCtxSynchronize(), "kernel execution")


class DeviceBuffer:
    """Device copy of a kgc.Buffer; address() is the device pointer, for make_args."""

    def __init__(self, cuda, host):
        self.cuda, self.host = cuda, host
        self.nbytes = ctypes.sizeof(host.raw)
        self.ptr = ctypes.c_uint64()
        cuda.check(cuda.lib.cuMemAlloc_v2(ctypes.byref(self.ptr), max(self.nbytes, 1)), "cuMemAlloc")
        cuda.check(cuda.lib.cuMemcpyHtoD_v2(self.ptr.value, ctypes.addressof(host.raw), self.nbytes), "cuMemcpyHtoD")

    def address(self):
        return self.ptr.value

    def download(self):
        out = kgc.Buffer(self.host.vt, self.host.shape)
        self.cuda.check(self.cuda.lib.cuMemcpyDtoH_v2(ctypes.addressof(out.raw), self.ptr.value, self.nbytes), "cuMemcpyDtoH")
        return out

    def free(self):
        self.cuda.lib.cuMemFree_v2(self.ptr.value)


def field_pointers(struct_obj):
    """Addresses of each field of a ctypes Structure (kernel parameter pointers)."""
    base = ctypes.addressof(struct_obj)
    return [base + getattr(type(struct_obj), name).offset for name, _ in struct_obj._fields_]


COMPARED = [0]  # number of values compared, for the summary


def compare(label, a_vals, b_vals, fmt):
    """Mismatch descriptions between two value lists."""
    COMPARED[0] += len(a_vals)
    problems = []
    for k, (x, y) in enumerate(zip(a_vals, b_vals)):
        if fmt in "efd":
            if x != x and y != y:
                continue
            tol = (2e-3 if fmt == "e" else 1e-4) * max(1.0, abs(x), abs(y))
            if not abs(x - y) <= tol:
                problems.append(f"{label}[{k}]: cpu {x:.7g}, cuda {y:.7g}")
        elif x != y:
            problems.append(f"{label}[{k}]: cpu {x}, cuda {y}")
    return problems


def run_case(case, cuda, mod):
    rec = case.rec
    m = rec["mangled_name"]
    lb = case.launch_bounds()
    problems = []

    # forward
    cpu = case.fresh_data()
    case.fwd(ctypes.byref(lb), ctypes.byref(case.make_args(cpu)))
    gpu = {k: DeviceBuffer(cuda, b) for k, b in case.fresh_data().items()}
    args = case.make_args(gpu)
    fn = cuda.function(mod, f"{m}_cuda_kernel_forward")
    cuda.launch(fn, lb.size, [ctypes.addressof(lb)] + field_pointers(args))
    for k, b in cpu.items():
        problems += compare(f"forward {k}", b.get(), gpu[k].download().get(), b.vt.fmt)
    for b in gpu.values():
        b.free()

    # backward: grad buffers seeded with the same weights on both sides
    bwd = cuda.function(mod, f"{m}_cuda_kernel_backward") if rec.get("cuda_backward") else None
    if bwd is not None and case.bwd is not None and case.weights:
        def seeded():
            grads = {}
            for k in case.weights:
                g = kgc.Buffer(case.buffers[k].vt, case.buffers[k].shape)
                g.set(case.weights[k])
                grads[k] = g
            return grads

        cpu, cpu_grads = case.fresh_data(), seeded()
        case.bwd(ctypes.byref(lb), ctypes.byref(case.make_args(cpu, cpu_grads)),
                 ctypes.byref(case.make_args(cpu, cpu_grads, adjoint=True)))
        gpu = {k: DeviceBuffer(cuda, b) for k, b in case.fresh_data().items()}
        gpu_grads = {k: DeviceBuffer(cuda, g) for k, g in seeded().items()}
        primal = case.make_args(gpu, gpu_grads)
        adjoint = case.make_args(gpu, gpu_grads, adjoint=True)
        cuda.launch(bwd, lb.size, [ctypes.addressof(lb)] + field_pointers(primal) + field_pointers(adjoint))
        for k, g in cpu_grads.items():
            problems += compare(f"gradient {k}", g.get(), gpu_grads[k].download().get(), g.vt.fmt)
        for b in list(gpu.values()) + list(gpu_grads.values()):
            b.free()
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jsonl", nargs="*", default=[icc.DEFAULT_GOLDEN])
    ap.add_argument("--runtime", default=icc.DEFAULT_RUNTIME)
    ap.add_argument("--nvrtc", default=icc.DEFAULT_NVRTC)
    ap.add_argument("--arch", default="compute_90")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--range", default="0.1,0.9", help="lo,hi of the random float array contents")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)
    kgc.VALUE_RANGE = tuple(float(x) for x in args.range.split(","))

    records = [r for r in icc.load_records(args.jsonl) if r.get("cpu_forward") and r.get("cuda_forward")]
    if args.only:
        records = [r for r in records if r["name"] in args.only]
    seen = set()
    records = [r for r in records if not (r["mangled_name"] in seen or seen.add(r["mangled_name"]))]

    include = os.path.abspath(args.runtime)
    cuda = Cuda()
    nvrtc = icc.NvrtcCompiler(args.nvrtc, include, args.arch, "c++17", [])
    modules = {}
    for i, batch in enumerate(icc.make_batches(records, 24)):
        ok, log, ptx = nvrtc.compile_ptx(f"check{i}", icc.CUDA_HEADER + "".join(icc.cuda_module_part(r) for r in batch))
        if not ok:
            raise RuntimeError(log)
        mod = cuda.load(ptx)
        for r in batch:
            modules[r["mangled_name"]] = mod

    failed, order = [], 0
    with tempfile.TemporaryDirectory(prefix="cuda_check_") as workdir:
        libs = kgc.build(records, include, workdir, args.jobs)
        for rec in records:
            case = kgc.KernelCase(rec, libs[rec["mangled_name"]], random.Random(args.seed))
            problems = run_case(case, cuda, modules[rec["mangled_name"]])
            if problems and rec["name"] in ORDER_DEPENDENT:
                order += 1
                print(f"order-dependent {rec['name']}: {ORDER_DEPENDENT[rec['name']]} ({len(problems)} values differ)")
            elif problems:
                failed.append(rec["name"])
                print(f"FAIL {rec['name']} ({rec['_where']}): {len(problems)} mismatches")
                for p in problems[:6]:
                    print("     " + p)
    print(f"cuda vs cpu: {len(records) - len(failed) - order}/{len(records)} kernels agree, "
          f"{order} order-dependent, {len(failed)} failures ({COMPARED[0]} values compared)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
