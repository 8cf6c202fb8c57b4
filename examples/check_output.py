#!/usr/bin/env python3
"""Run an example and compare its stdout with the stored expected output, byte for byte.

An example that exits 77 cannot run here (e.g. no CUDA device): its message is printed and the test is skipped."""
import difflib
import subprocess
import sys

exe, expected = sys.argv[1], sys.argv[2]
run = subprocess.run([exe], capture_output=True, text=True)
if run.returncode == 77:
    print(run.stdout, end="")
    sys.exit(77)
if run.returncode != 0:
    sys.exit(f"{exe} exited with {run.returncode}:\n{run.stdout}{run.stderr}")
got = run.stdout
want = open(expected).read()
if got != want:
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True), expected, exe))
    sys.exit(1)
print(f"ok: {exe} output matches {expected}")
