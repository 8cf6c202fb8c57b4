#!/usr/bin/env python3
"""Finite-difference check of generated backward kernels on the CPU.

For every JSONL record (default: the golden corpus) this builds the CPU
module with the warpsynth runtime (module text from tools/ir_compile_check.py),
launches the forward kernel on random data and compares the backward kernel's
gradients with central differences of

    L(x) = sum over float arrays A of  <W_A, A after the forward launch>

with respect to the initial contents x of every float array (random W_A).
Each array's `grad` pointer and its adjoint array are the same buffer, which
is how Warp's tape runs backward kernels (so overwritten elements get their
gradient cleared by adj_array_store).

Some mismatches are Warp conventions rather than runtime bugs and are listed
in KNOWN_DIFFERENCES. Python 3 standard library only; needs g++.

    python3 tests/runtime/kernel_grad_check.py [JSONL ...] [--only NAME] [-v]
"""

import argparse
import concurrent.futures
import ctypes
import importlib.util
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

_spec = importlib.util.spec_from_file_location("ir_compile_check", os.path.join(REPO_ROOT, "tools", "ir_compile_check.py"))
icc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(icc)

# Kernels whose exact gradient differs from Warp's by construction.
KNOWN_DIFFERENCES = {
    # adj_atomic_min/max leave the target's own gradient untouched and give the
    # winning value the target's gradient; a returned old value gets none.
    "atomic_min_max_float": "atomic min/max: gradient w.r.t. the target's previous value is kept (Warp)",
    "atomic_max_return": "atomic max: the returned previous value has no gradient (Warp)",
    # wp.frac is registered as non-differentiable: Warp emits no adj_frac call.
    "math_frac": "frac: Warp's backward has no adjoint call for it",
    # The backward replays a dynamic loop's body only inside the reverse loop, so
    # values computed after the loop from a loop-carried local see its initial
    # value, and a while body's counter update runs before its adjoints.
    "long_mixed": "value mutated in a dynamic loop is used after it (Warp replay)",
    # Warp's adj_mod gives the divisor no gradient (d/db of fmod is -trunc(a/b)).
    "mod_arrays": "mod: Warp's adjoint leaves the divisor's gradient out",
    # Warp reverses range(3, 3, 3) (empty) into a one-value range; the backward then visits it once.
    "cf_for_step_dynamic": "iter_reverse of an empty range visits one value (Warp)",
    "cf_while_break": "while loop: counter incremented before the body's adjoints (Warp replay)",
}

# --- C++ types as ctypes -------------------------------------------------------

SCALARS = {
    "wp::float16": ("e", 2, True),
    "wp::float32": ("f", 4, True),
    "wp::float64": ("d", 8, True),
    "wp::int8": ("b", 1, False),
    "wp::uint8": ("B", 1, False),
    "wp::int16": ("h", 2, False),
    "wp::uint16": ("H", 2, False),
    "wp::int32": ("i", 4, False),
    "wp::uint32": ("I", 4, False),
    "wp::int64": ("q", 8, False),
    "wp::uint64": ("Q", 8, False),
    "bool": ("?", 1, False),
}
_CTYPE_OF = {"e": ctypes.c_uint16, "f": ctypes.c_float, "d": ctypes.c_double, "b": ctypes.c_int8, "B": ctypes.c_uint8,
             "h": ctypes.c_int16, "H": ctypes.c_uint16, "i": ctypes.c_int32, "I": ctypes.c_uint32, "q": ctypes.c_int64,
             "Q": ctypes.c_uint64, "?": ctypes.c_bool}


class ValueType:
    """A Warp value type: scalar format char and component count."""

    def __init__(self, fmt, count, is_float):
        self.fmt, self.count, self.is_float = fmt, count, is_float
        self.ctype = _CTYPE_OF[fmt] * count if count > 1 else _CTYPE_OF[fmt]
        self.size = ctypes.sizeof(self.ctype)


def parse_value_type(t):
    t = t.strip()
    if t in SCALARS:
        fmt, _, fl = SCALARS[t]
        return ValueType(fmt, 1, fl)
    m = re.fullmatch(r"wp::vec_t<(\d+), (.+)>", t)
    if m:
        s = parse_value_type(m.group(2))
        return ValueType(s.fmt, int(m.group(1)), s.is_float)
    m = re.fullmatch(r"wp::mat_t<(\d+), (\d+), (.+)>", t)
    if m:
        s = parse_value_type(m.group(3))
        return ValueType(s.fmt, int(m.group(1)) * int(m.group(2)), s.is_float)
    m = re.fullmatch(r"wp::quat_t<(.+)>", t)
    if m:
        s = parse_value_type(m.group(1))
        return ValueType(s.fmt, 4, s.is_float)
    m = re.fullmatch(r"wp::transform_t<(.+)>", t)
    if m:
        s = parse_value_type(m.group(1))
        return ValueType(s.fmt, 7, s.is_float)
    raise ValueError(f"unsupported type {t}")


class ArrayT(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("grad", ctypes.c_void_p), ("shape", ctypes.c_int * 4),
                ("strides", ctypes.c_int * 4), ("ndim", ctypes.c_uint16), ("flags", ctypes.c_uint16)]


def launch_bounds_type(n):
    class LaunchBounds(ctypes.Structure):
        _fields_ = [("shape", ctypes.c_int * n), ("size", ctypes.c_size_t)]

    return LaunchBounds


# --- one kernel ------------------------------------------------------------------

# Initial array contents (--range); positive by default so log/sqrt stay in their domain.
VALUE_RANGE = (0.1, 0.9)
LAUNCH_SHAPES = {1: (8,), 2: (3, 3), 3: (2, 2, 2), 4: (2, 2, 1, 2)}
ARRAY_SHAPES = {1: (64,), 2: (8, 8), 3: (4, 4, 4), 4: (3, 3, 3, 3)}


class Buffer:
    """Raw bytes of one array plus how to read/write its scalars."""

    def __init__(self, vt, shape):
        self.vt = vt
        self.shape = shape
        self.n = vt.count
        for d in shape:
            self.n *= d
        self.raw = (ctypes.c_uint8 * (self.n * vt.size // vt.count))()
        self.fmt = f"<{self.n}{vt.fmt}"

    def get(self):
        return list(struct.unpack_from(self.fmt, self.raw))

    def set(self, values):
        struct.pack_into(self.fmt, self.raw, 0, *values)

    def address(self):
        return ctypes.addressof(self.raw)


def array_ndim(text, name):
    """Number of indices the kernel uses on array `name` (1 if never indexed)."""
    n = 1
    for m in re.finditer(r"wp::(?:address|array_store|atomic_\w+)\(var_" + re.escape(name) + r"((?:, var_\w+)+)", text):
        idx = m.group(1).count(",")
        if m.group(0).startswith(("wp::array_store", "wp::atomic_")):
            idx -= 1  # last argument is the value
        n = max(n, idx)
    return n


class KernelCase:
    def __init__(self, rec, lib, rng):
        self.rec, self.lib, self.rng = rec, lib, rng
        m = rec["mangled_name"]
        fwd = rec["cpu_forward"]
        self.dim = int(icc._LAUNCH_DIM.search(fwd).group(1))
        self.args = icc.cpu_args(fwd)
        self.buffers = {}  # array name -> Buffer (primal)
        self.weights = {}  # float array name -> list of W
        fields = []
        self.scalars = {}
        text = rec["cpu_forward"] + (rec.get("cpu_backward") or "")
        for ctype, name in self.args:
            am = re.fullmatch(r"wp::array_t<(.+)>", ctype)
            if am:
                vt = parse_value_type(am.group(1))
                buf = Buffer(vt, ARRAY_SHAPES[array_ndim(text, name)])
                buf.set(self.initial_values(vt, buf.n))
                self.buffers[name] = buf
                fields.append((name, ArrayT))
            else:
                vt = parse_value_type(ctype)
                self.scalars[name] = (vt, self.initial_values(vt, vt.count, scalar=True))
                fields.append((name, vt.ctype))
        self.Args = type("Args_" + m, (ctypes.Structure,), {"_fields_": fields})
        self.initial = {k: bytes(b.raw) for k, b in self.buffers.items()}
        for k, b in self.buffers.items():
            if b.vt.is_float and b.vt.fmt != "e":
                self.weights[k] = [self.rng.uniform(-1.0, 1.0) for _ in range(b.n)]
        self.LB = launch_bounds_type(self.dim)
        self.nonsmooth = 0
        self.fwd = getattr(lib, f"{m}_cpu_forward")
        self.bwd = getattr(lib, f"{m}_cpu_backward", None) if rec.get("cpu_backward") else None

    def initial_values(self, vt, n, scalar=False):
        if vt.fmt in "efd":
            lo, hi = (0.3, 1.2) if scalar else VALUE_RANGE
            return [self.rng.uniform(lo, hi) for _ in range(n)]
        if vt.fmt == "?":
            return [True] * n if scalar else [self.rng.random() < 0.5 for _ in range(n)]
        # small nonzero ints: computed indices stay in bounds, integer division is defined;
        # scalars act as counts/strides
        return [2] * n if scalar else [self.rng.randint(1, 2) for _ in range(n)]

    def launch_bounds(self):
        lb = self.LB()
        shape = LAUNCH_SHAPES[self.dim]
        size = 1
        for k, s in enumerate(shape):
            lb.shape[k] = s
            size *= s
        lb.size = size
        return lb

    def make_args(self, data, grads=None, adjoint=False):
        args = self.Args()
        for ctype, name in self.args:
            if name in self.buffers:
                buf = self.buffers[name]
                a = getattr(args, name)
                has_grad = bool(grads) and name in grads
                if adjoint:
                    a.data = grads[name].address() if has_grad else None
                else:
                    a.data = data[name].address()
                    a.grad = grads[name].address() if has_grad else None
                a.ndim = len(buf.shape)
                stride = buf.vt.size
                for k in reversed(range(len(buf.shape))):
                    a.shape[k] = buf.shape[k]
                    a.strides[k] = stride
                    stride *= buf.shape[k]
            else:
                vt, values = self.scalars[name]
                if adjoint:
                    continue
                if vt.count > 1:
                    arr = vt.ctype(*[_scalar_py(vt.fmt, v) for v in values])
                    setattr(args, name, arr)
                else:
                    setattr(args, name, _scalar_py(vt.fmt, values[0]))
        return args

    def fresh_data(self):
        data = {}
        for k, b in self.buffers.items():
            nb = Buffer(b.vt, b.shape)
            ctypes.memmove(nb.raw, self.initial[k], len(self.initial[k]))
            data[k] = nb
        return data

    def loss(self, data):
        args = self.make_args(data)
        lb = self.launch_bounds()
        self.fwd(ctypes.byref(lb), ctypes.byref(args))
        total = 0.0
        for k, w in self.weights.items():
            total += sum(wi * vi for wi, vi in zip(w, data[k].get()))
        return total

    def check(self, verbose=False):
        """Returns a list of mismatch descriptions."""
        if self.bwd is None or not self.weights:
            return None
        # analytic: backward with grad buffers seeded with W
        data = self.fresh_data()
        grads = {}
        for k in self.weights:
            g = Buffer(self.buffers[k].vt, self.buffers[k].shape)
            g.set(self.weights[k])
            grads[k] = g
        args = self.make_args(data, grads)
        adj = self.make_args(data, grads, adjoint=True)
        lb = self.launch_bounds()
        self.bwd(ctypes.byref(lb), ctypes.byref(args), ctypes.byref(adj))
        analytic = {k: g.get() for k, g in grads.items()}

        problems = []
        for k in self.weights:
            base = self.buffers[k]
            init_vals = list(struct.unpack_from(base.fmt, self.initial[k]))

            def central_difference(e, h):
                vals = []
                for sgn in (1, -1):
                    data = self.fresh_data()
                    v = list(init_vals)
                    v[e] += sgn * h
                    data[k].set(v)
                    vals.append(self.loss(data))
                return (vals[0] - vals[1]) / (2 * h)

            for e in range(base.n):
                fd = central_difference(e, STEP)
                fd_half = central_difference(e, STEP / 2)
                an = analytic[k][e]
                if any(v != v for v in (fd, fd_half, an)) or abs(fd - fd_half) > close_tolerance(fd, fd_half):
                    self.nonsmooth += 1  # a kink or jump within the step: no derivative to compare
                    continue
                fd = (4 * fd_half - fd) / 3  # Richardson: cancels the O(h^2) error term
                if abs(fd - an) > close_tolerance(fd, an):
                    problems.append(f"d/d{k}[{e}]: backward {an:.6g}, finite difference {fd:.6g}")
        return problems


# Central differences in float32: the step balances truncation against rounding.
STEP = 3e-3


def close_tolerance(a, b):
    return 3e-3 + 2e-2 * max(abs(a), abs(b))


def _scalar_py(fmt, v):
    if fmt == "e":
        return struct.unpack("<H", struct.pack("<e", v))[0]
    if fmt in "fd":
        return float(v)
    if fmt == "?":
        return bool(v)
    return int(v)


def build(records, include, workdir, jobs):
    """Compile records into shared objects (batches); returns {mangled_name: CDLL}."""
    batches = icc.make_batches(records, 24)

    def compile_batch(ib):
        i, batch = ib
        src = os.path.join(workdir, f"grad{i}.cpp")
        so = os.path.join(workdir, f"grad{i}.so")
        with open(src, "w") as f:
            f.write(icc.CPU_HEADER + "".join(icc.cpu_module_part(r) for r in batch))
        p = subprocess.run(["g++", "-std=c++17", "-O1", "-shared", "-fPIC", "-w", "-I", include, "-o", so, src],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(p.stderr[:4000])
        return batch, so

    libs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for batch, so in pool.map(compile_batch, enumerate(batches)):
            lib = ctypes.CDLL(so)
            for r in batch:
                libs[r["mangled_name"]] = lib
    return libs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jsonl", nargs="*", default=[icc.DEFAULT_GOLDEN])
    ap.add_argument("--runtime", default=icc.DEFAULT_RUNTIME)
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--range", default="0.1,0.9", help="lo,hi of the random float array contents")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    global VALUE_RANGE
    VALUE_RANGE = tuple(float(x) for x in args.range.split(","))

    records = [r for r in icc.load_records(args.jsonl) if r.get("cpu_forward")]
    if args.only:
        records = [r for r in records if r["name"] in args.only]
    seen = set()
    records = [r for r in records if not (r["mangled_name"] in seen or seen.add(r["mangled_name"]))]

    checked = passed = skipped = known = nonsmooth = 0
    failed = []
    with tempfile.TemporaryDirectory(prefix="grad_check_") as workdir:
        libs = build(records, os.path.abspath(args.runtime), workdir, args.jobs)
        for rec in records:
            case = KernelCase(rec, libs[rec["mangled_name"]], random.Random(args.seed))
            problems = case.check(args.verbose)
            if problems is None:
                skipped += 1
                continue
            checked += 1
            nonsmooth += case.nonsmooth
            if not problems:
                passed += 1
                if args.verbose:
                    print(f"ok   {rec['name']}")
            elif rec["name"] in KNOWN_DIFFERENCES:
                known += 1
                print(f"known {rec['name']}: {KNOWN_DIFFERENCES[rec['name']]} ({len(problems)} entries differ)")
            else:
                failed.append(rec["name"])
                print(f"FAIL {rec['name']} ({rec['_where']}): {len(problems)} mismatches")
                for p in problems[:6]:
                    print("     " + p)
    print(f"grad check: {passed}/{checked} kernels match finite differences, {known} known Warp-convention "
          f"differences, {len(failed)} failures, {skipped} skipped (no backward or no float arrays); "
          f"{nonsmooth} non-smooth points not compared")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
