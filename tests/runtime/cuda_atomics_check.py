#!/usr/bin/env python3
"""Stress the runtime's device atomics (native and compare-and-swap paths).

Needs a CUDA GPU, NVRTC and the CUDA driver. One hand-written kernel has
N threads hammer a few array elements of every scalar width (1, 2, 4 and 8
bytes, float and integer) and a vec3; the final values are known exactly.

    python3 tests/runtime/cuda_atomics_check.py
"""

import ctypes
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("cuda_vs_cpu_check", os.path.join(HERE, "cuda_vs_cpu_check.py"))
cvc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cvc)
kgc, icc = cvc.kgc, cvc.icc

N = 400  # threads; keeps every expected value exactly representable

SOURCE = r"""
#include "builtin.h"

extern "C" __global__ void atomics_kernel(
    wp::launch_bounds_t<1> dim,
    wp::array_t<wp::float16> h,
    wp::array_t<wp::int8> i8,
    wp::array_t<wp::uint8> u8,
    wp::array_t<wp::int16> i16,
    wp::array_t<wp::float32> f,
    wp::array_t<wp::float64> d,
    wp::array_t<wp::int32> i32,
    wp::array_t<wp::int64> i64,
    wp::array_t<wp::uint64> u64,
    wp::array_t<wp::vec_t<3, wp::float32>> v)
{
    for (size_t _idx = size_t(blockDim.x) * blockIdx.x + threadIdx.x; _idx < dim.size; _idx += size_t(blockDim.x) * gridDim.x) {
        const int t = wp::tid(_idx, dim);
        wp::atomic_add(h, 0, wp::float16(1.0f));
        wp::atomic_max(h, 1, wp::float16(float(t)));
        wp::atomic_add(i8, t % 4, wp::int8(1));         // four bytes of one 32-bit word
        wp::atomic_sub(u8, 0, wp::uint8(1));            // wraps around
        wp::atomic_add(i16, 0, wp::int16(1));
        wp::atomic_min(f, 0, float(t) - 100.0f);
        wp::atomic_max(f, 1, float(t));
        wp::atomic_sub(f, 2, 0.25f);
        wp::atomic_add(d, 0, 0.5);
        wp::atomic_min(d, 1, -double(t));
        wp::atomic_max(i32, 0, t);
        wp::atomic_sub(i32, 1, 1);
        wp::atomic_add(i64, 0, wp::int64(-3));
        wp::atomic_max(i64, 1, wp::int64(t));
        wp::atomic_add(u64, 0, wp::uint64(2));
        wp::atomic_min(u64, 1, wp::uint64(t + 5));
        wp::atomic_add(v, 0, wp::vec_t<3, wp::float32>(1.0f, 2.0f, 3.0f));
    }
}
"""

# name: (type, initial values, expected values)
ARRAYS = [
    ("h", "wp::float16", [0, 0], [N, N - 1]),
    ("i8", "wp::int8", [0, 0, 0, 0], [N // 4] * 4),
    ("u8", "wp::uint8", [0], [(-N) % 256]),
    ("i16", "wp::int16", [0], [N]),
    ("f", "wp::float32", [0, 0, 0], [-100, N - 1, -0.25 * N]),
    ("d", "wp::float64", [0, 0], [0.5 * N, -(N - 1)]),
    ("i32", "wp::int32", [0, 0], [N - 1, -N]),
    ("i64", "wp::int64", [0, 0], [-3 * N, N - 1]),
    ("u64", "wp::uint64", [0, 1000], [2 * N, 5]),
    ("v", "wp::vec_t<3, wp::float32>", [0, 0, 0], [N, 2 * N, 3 * N]),
]


def main():
    cuda = cvc.Cuda()
    nvrtc = icc.NvrtcCompiler(icc.DEFAULT_NVRTC, os.path.abspath(icc.DEFAULT_RUNTIME), "compute_90", "c++17", [])
    ok, log, ptx = nvrtc.compile_ptx("atomics", SOURCE)
    if not ok:
        print(log)
        return 1
    fn = cuda.function(cuda.load(ptx), "atomics_kernel")

    lb = kgc.launch_bounds_type(1)()
    lb.shape[0], lb.size = N, N
    params = [ctypes.addressof(lb)]
    buffers, structs = [], []
    for name, ctype, init, expected in ARRAYS:
        vt = kgc.parse_value_type(ctype)
        host = kgc.Buffer(vt, (len(init) // vt.count,))
        host.set(init)
        dev = cvc.DeviceBuffer(cuda, host)
        arr = kgc.ArrayT()
        arr.data, arr.ndim = dev.address(), 1
        arr.shape[0], arr.strides[0] = host.shape[0], vt.size
        buffers.append((name, vt, dev, expected))
        structs.append(arr)
        params.append(ctypes.addressof(arr))
    cuda.launch(fn, N, params)

    failures = 0
    for name, vt, dev, expected in buffers:
        got = dev.download().get()
        if any(abs(g - e) > 1e-6 for g, e in zip(got, expected)):
            failures += 1
            print(f"FAIL {name}: got {got}, expected {expected}")
    print(f"cuda atomics: {len(buffers) - failures}/{len(buffers)} arrays hold the expected values")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
