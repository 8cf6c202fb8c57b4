#!/usr/bin/env python3
"""Compile-fail check: the snippet must not compile and the diagnostic must name the problem; its positive twin
(-DWARPSYNTH_TWIN) must compile. Usage: check.py SNIPPET INCLUDE_DIR COMPILER [ARGS...]"""
import re
import subprocess
import sys

args = sys.argv[1:]
# --bad-define NAME: the failing variant is the one compiled with -DNAME (examples/compile_time_check.cpp);
# by default the failing variant is the plain snippet and -DWARPSYNTH_TWIN is the positive twin.
good_flags, bad_flags = ["-DWARPSYNTH_TWIN"], []
if args[0] == "--bad-define":
    good_flags, bad_flags = [], ["-D" + args[1]]
    args = args[2:]
snippet, include, compiler = args[0], args[1], args[2:]
text = open(snippet).read()
m = re.search(r"^// expect: (.+)$", text, re.M) or re.search(r"error: (.+)$", text, re.M)
expect = m.group(1).strip()
base = compiler + ["-std=c++20", "-fsyntax-only", "-I", include, snippet]

twin = subprocess.run(base + good_flags, capture_output=True, text=True)
if twin.returncode != 0:
    print(f"FAIL: the positive twin of {snippet} does not compile:\n{twin.stderr[:3000]}")
    sys.exit(1)
bad = subprocess.run(base + bad_flags, capture_output=True, text=True)
if bad.returncode == 0:
    print(f"FAIL: {snippet} compiled but must not")
    sys.exit(1)
if expect not in bad.stderr:
    print(f"FAIL: the diagnostic of {snippet} does not contain {expect!r}:\n{bad.stderr[:3000]}")
    sys.exit(1)
print(f"ok: {snippet} fails with {expect!r}; its twin compiles")
