#!/usr/bin/env python3
"""Run an example and compare its stdout with the stored expected output, byte for byte."""
import difflib
import subprocess
import sys

exe, expected = sys.argv[1], sys.argv[2]
got = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
want = open(expected).read()
if got != want:
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True), expected, exe))
    sys.exit(1)
print(f"ok: {exe} output matches {expected}")
