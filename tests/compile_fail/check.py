#!/usr/bin/env python3
"""Compile-fail check: the snippet must not compile and the diagnostic must name the problem; its positive twin
(-DWARPSYNTH_TWIN) must compile. Usage: check.py SNIPPET INCLUDE_DIR COMPILER [ARGS...]"""
import re
import subprocess
import sys

snippet, include, compiler = sys.argv[1], sys.argv[2], sys.argv[3:]
expect = re.search(r"^// expect: (.+)$", open(snippet).read(), re.M).group(1).strip()
base = compiler + ["-std=c++20", "-fsyntax-only", "-I", include, snippet]

twin = subprocess.run(base + ["-DWARPSYNTH_TWIN"], capture_output=True, text=True)
if twin.returncode != 0:
    print(f"FAIL: the positive twin of {snippet} does not compile:\n{twin.stderr[:3000]}")
    sys.exit(1)
bad = subprocess.run(base, capture_output=True, text=True)
if bad.returncode == 0:
    print(f"FAIL: {snippet} compiled but must not")
    sys.exit(1)
if expect not in bad.stderr:
    print(f"FAIL: the diagnostic of {snippet} does not contain {expect!r}:\n{bad.stderr[:3000]}")
    sys.exit(1)
print(f"ok: {snippet} fails with {expect!r}; its twin compiles")
