#!/usr/bin/env python3
"""Run a checker on the golden corpus: with_golden.py GOLDEN_DIR SCRIPT [ARGS...] -> SCRIPT ARGS GOLDEN_DIR/*.jsonl.
Exits 77 (meson: skipped) when the corpus is absent."""
import glob
import os
import subprocess
import sys

golden, script, args = sys.argv[1], sys.argv[2], sys.argv[3:]
files = sorted(glob.glob(os.path.join(golden, "*.jsonl")))
if not files:
    print(f"skipped: golden corpus not found at {golden}")
    sys.exit(77)
sys.exit(subprocess.run([sys.executable, script, *args, *files]).returncode)
