#!/usr/bin/env python3
"""Launch rendered CUDA kernels on a GPU, forward and backward, and compare with the same IR run on the CPU.

For driver records (JSONL), in chunks: NVRTC-compiles the CUDA functions in parallel batches (all CPU cores),
loads them with the driver API, builds the CPU functions with g++ (parallel), runs every kernel on the same inputs
on both devices (tests/runtime/kernel_grad_check.py's input model) and compares forward outputs and backward
gradients (tests/runtime/cuda_vs_cpu_check.py's comparison: float tolerances, integers exact, NaN/Inf fail).
Together with the CPU check against the description's own semantics (tools/execute_check.py) this closes the loop
description == CPU IR == GPU IR. Prints a line per chunk with running totals and the time breakdown.

    python3 tools/gpu_launch_check.py RECORDS.jsonl [...] [--chunk 2000] [--limit N]
"""
import argparse
import concurrent.futures
import importlib.util
import os
import random
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("cvc", os.path.join(ROOT, "tests", "runtime", "cuda_vs_cpu_check.py"))
cvc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cvc)
kgc, icc = cvc.kgc, cvc.icc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jsonl", nargs="+")
    ap.add_argument("--chunk", type=int, default=2000)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--batch", type=int, default=96, help="kernels per NVRTC program / g++ translation unit")
    args = ap.parse_args()
    make_batches = icc.make_batches  # larger translation units amortize parsing the runtime headers
    icc.make_batches = lambda recs, size: make_batches(recs, args.batch)

    records = [r for r in icc.load_records(args.jsonl) if r.get("cpu_forward") and r.get("cuda_forward")]
    if args.limit:
        records = records[: args.limit]
    include = os.path.join(ROOT, "include", "warpsynth", "runtime")
    cuda = cvc.Cuda()
    print(f"gpu: {len(records)} records, chunks of {args.chunk}, {args.jobs} jobs", flush=True)
    totals = {"ok": 0, "fail": 0, "order": 0, "nvrtc": 0.0, "gxx": 0.0, "run": 0.0}
    fail_by_category = {}
    t_start = time.time()
    for c0 in range(0, len(records), args.chunk):
        chunk = records[c0 : c0 + args.chunk]
        t0 = time.time()
        batches = icc.make_batches(chunk, 24)

        def nvrtc_batch(ib):
            i, batch = ib
            comp = icc.NvrtcCompiler(icc.DEFAULT_NVRTC, include, "compute_90", "c++17", [])
            ok, log, ptx = comp.compile_ptx(f"g{c0}_{i}", icc.CUDA_HEADER + "".join(icc.cuda_module_part(r) for r in batch))
            return batch, ok, log, ptx

        modules, failed_compile = {}, []
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for batch, ok, log, ptx in pool.map(nvrtc_batch, enumerate(batches)):
                if not ok:
                    failed_compile += [r["name"] for r in batch]
                    print(f"NVRTC FAIL batch of {len(batch)}: {log[:500]}", flush=True)
                    continue
                mod = cuda.load(ptx)
                for r in batch:
                    modules[r["mangled_name"]] = mod
        t1 = time.time()
        with tempfile.TemporaryDirectory(prefix="gpu_check_") as workdir:
            libs = kgc.build(chunk, include, workdir, args.jobs)
            t2 = time.time()
            fails = len(failed_compile)
            for rec in chunk:
                if rec["mangled_name"] not in modules:
                    continue
                case = kgc.KernelCase(rec, libs[rec["mangled_name"]], random.Random(args.seed))
                problems = cvc.run_case(case, cuda, modules[rec["mangled_name"]])
                if problems:
                    fails += 1
                    cat = rec.get("category", "?")
                    fail_by_category[cat] = fail_by_category.get(cat, 0) + 1
                    print(f"FAIL {rec['name']} [{rec.get('category', '?')}]: {len(problems)} mismatches; {problems[0]}",
                          flush=True)
                else:
                    totals["ok"] += 1
            t3 = time.time()
        totals["fail"] += fails
        totals["nvrtc"] += t1 - t0
        totals["gxx"] += t2 - t1
        totals["run"] += t3 - t2
        done = totals["ok"] + totals["fail"]
        print(f"gpu: {done}/{len(records)} done, {totals['ok']} agree, {totals['fail']} fail | chunk: nvrtc+load "
              f"{t1 - t0:.1f}s, g++ {t2 - t1:.1f}s, launch+compare {t3 - t2:.1f}s", flush=True)
    wall = time.time() - t_start
    print(f"gpu launch check: {totals['ok']}/{len(records)} records agree with the CPU run (forward and backward), "
          f"{totals['fail']} failures; {cvc.COMPARED[0]} values compared; {wall:.0f}s wall "
          f"(nvrtc+load {totals['nvrtc']:.0f}s, g++ {totals['gxx']:.0f}s, launch+compare {totals['run']:.0f}s), "
          f"{len(records) / wall:.0f} records/s")
    print("failures by category:", ", ".join(f"{k} {v}" for k, v in sorted(fail_by_category.items())) or "none")
    return 1 if totals["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
