#!/usr/bin/env python3
"""Render kernels with a warpsynth program and have Warp's own code generator judge every record.

Usage: check_oracle.py ORACLE_SCRIPT PROGRAM [ARGS...]
PROGRAM prints JSONL records on stdout. Warp is found, in order, from: $WARP_ORACLE_SRC; an installed warp-lang
(its site-packages); the oracle's cache (~/.cache/warp-oracle/v1.16.0). Exits 77 (skipped) when the oracle or
Warp is unavailable, 1 on any difference."""
import os
import subprocess
import sys
import tempfile

oracle, program = sys.argv[1], sys.argv[2:]
if not os.path.exists(oracle):
    print(f"skipped: Warp oracle not found at {oracle}")
    sys.exit(77)


def find_warp():
    """(python, --warp-src dir or None) able to import Warp 1.16.0 with numpy."""
    if os.environ.get("WARP_ORACLE_SRC"):
        return "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable, os.environ["WARP_ORACLE_SRC"]
    for py in (sys.executable, "python3", "/usr/bin/python3"):
        try:
            out = subprocess.run([py, "-c", "import warp, os; print(warp.__version__); print(os.path.dirname(os.path.dirname(warp.__file__)))"],
                                 capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            continue
        lines = out.stdout.split()
        if out.returncode == 0 and lines and lines[0] == "1.16.0":
            return py, lines[1]
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "warp-oracle", "v1.16.0")
    if os.path.exists(os.path.join(cache, "warp", "__init__.py")):
        for py in ("/usr/bin/python3", sys.executable):
            if subprocess.run([py, "-c", "import numpy"], capture_output=True).returncode == 0:
                return py, cache
    return None, None


py, warp_src = find_warp()
if py is None:
    print("skipped: no Warp 1.16.0 found (pip install warp-lang==1.16.0, or set WARP_ORACLE_SRC)")
    sys.exit(77)

records = subprocess.run(program, capture_output=True, text=True, check=True).stdout
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
    f.write(records)
    path = f.name
cmd = [py, oracle, "--canonical", path, "--quiet", "--warp-src", warp_src]
res = subprocess.run(cmd, capture_output=True, text=True)
os.unlink(path)
print(res.stdout[-20000:], res.stderr[-5000:])
summary = [l for l in res.stdout.splitlines() if l.startswith("oracle:")]
print(summary[-1] if summary else "oracle: no summary line")
sys.exit(0 if res.returncode == 0 and summary and " 0 differ, 0 errors" in summary[-1] else 1)
