#!/usr/bin/env bash
# tools/oracle_check.sh — fresh records from `warpsynth generate`, across all categories and a couple of random
# seeds, compared byte for byte with NVIDIA Warp's own code generator (the warp-oracle's --canonical mode).
#
#   tools/oracle_check.sh [WARPSYNTH_BINARY]
#
# Environment:
#   N=300              records per seed (all categories, -d both)
#   SEEDS="s1 s2"      seeds (default: two values of $RANDOM, printed so a failure can be reproduced)
#   ORACLE=PATH        warp_oracle.py (default: ../shared/tools/warp-oracle/warp_oracle.py beside the checkout,
#                      then /work/shared/tools/warp-oracle/warp_oracle.py)
#   PYTHON=PATH        interpreter for the oracle (default /usr/bin/python3 if present, else python3); needs numpy
#   WARP_SRC=DIR       a directory containing warp/__init__.py (Warp 1.16.0) — skips the lookup below
#   CI=...             when set and Warp 1.16.0 is not importable: pip-install warp-lang==1.16.0 into a cache dir
#
# Where Warp comes from, in order: $WARP_SRC; an importable `warp` whose version is 1.16.0 (its site-packages
# directory is passed with --warp-src; preferred in CI); in CI, `python -m pip install --target DIR
# warp-lang==1.16.0`; otherwise the oracle's own cache (~/.cache/warp-oracle/v1.16.0, see its README).
#
# Prints the oracle's non-matching records (at most 200 lines) and its final line
# ("oracle: N records, M match, K differ, E errors"). Exit status: the oracle's — 0 only if every record matches;
# 2 when the binary or Warp cannot be found.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
warp_version=1.16.0

bin=${1:-${WARPSYNTH:-}}
if [[ -z $bin ]]; then
    for c in "$root"/build/examples/driver/warpsynth "$root"/build*/examples/driver/warpsynth; do
        if [[ -x $c ]]; then bin=$c; break; fi
    done
fi
if [[ -z $bin || ! -x $bin ]]; then
    echo "oracle_check: no warpsynth binary (build it: meson setup build && ninja -C build, or pass its path)" >&2
    exit 2
fi

oracle=${ORACLE:-}
if [[ -z $oracle ]]; then
    for c in "$root/../shared/tools/warp-oracle/warp_oracle.py" /work/shared/tools/warp-oracle/warp_oracle.py; do
        if [[ -f $c ]]; then oracle=$c; break; fi
    done
fi
if [[ -z $oracle || ! -f $oracle ]]; then
    echo "oracle_check: warp_oracle.py not found (set ORACLE=PATH)" >&2
    exit 2
fi

python=${PYTHON:-}
if [[ -z $python ]]; then
    if [[ -x /usr/bin/python3 ]]; then python=/usr/bin/python3; else python=python3; fi
fi

# --- Warp -------------------------------------------------------------------------------------------------------
warp_args=()
warp_from="the oracle's cache"
if [[ -n ${WARP_SRC:-} ]]; then
    warp_args=(--warp-src "$WARP_SRC")
    warp_from=$WARP_SRC
else
    # An installed Warp of the right version (e.g. `python3 -m pip install warp-lang==1.16.0`)?
    site=$("$python" - <<'EOF' 2>/dev/null || true
import os, warp
if warp.__version__ == "1.16.0":
    print(os.path.dirname(os.path.dirname(os.path.abspath(warp.__file__))))
EOF
)
    if [[ -z $site && -n ${CI:-} ]]; then
        target=${XDG_CACHE_HOME:-$HOME/.cache}/warpsynth-ci/warp-lang-$warp_version
        if [[ ! -f $target/warp/__init__.py ]]; then
            echo "oracle_check: installing warp-lang==$warp_version into $target" >&2
            "$python" -m pip install --quiet --disable-pip-version-check --target "$target" "warp-lang==$warp_version" >&2
        fi
        site=$target
        if ! "$python" -c 'import numpy' 2>/dev/null; then
            echo "oracle_check: installing numpy for the oracle" >&2
            "$python" -m pip install --quiet --disable-pip-version-check --target "$target" numpy >&2
        fi
    fi
    if [[ -n $site ]]; then
        warp_args=(--warp-src "$site")
        warp_from=$site
    fi
fi

# --- records ----------------------------------------------------------------------------------------------------
n=${N:-300}
seeds=${SEEDS:-"$RANDOM $RANDOM"}
work=$(mktemp -d "${TMPDIR:-/tmp}/oracle_check.XXXXXX")
trap 'rm -rf "$work"' EXIT

files=()
for s in $seeds; do
    "$bin" generate -n "$n" -s "$s" -d both --records-per-file "$n" --no-progress -o "$work/seed-$s" >/dev/null
    for f in "$work/seed-$s"/data-*.jsonl; do files+=("$f"); done
done
cats=$("$bin" categories | awk '{print $1}' | paste -sd, -)
echo "oracle_check: $("$bin" --version | head -1); seeds $seeds, $n records each, categories $cats; Warp from $warp_from"

# --- Warp's verdict ---------------------------------------------------------------------------------------------
set +e
if [[ -n ${site:-} ]]; then export PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}"; fi  # numpy installed beside Warp
"$python" "$oracle" "${warp_args[@]}" --canonical "${files[@]}" --quiet >"$work/oracle.out" 2>"$work/oracle.err"
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
    head -n 200 "$work/oracle.out" | grep -v '^oracle: ' || true
    [[ -s $work/oracle.err ]] && head -n 20 "$work/oracle.err" >&2
fi
last=$(grep '^oracle: ' "$work/oracle.out" | tail -n 1 || true)
if [[ -z $last ]]; then
    echo "oracle_check: the oracle printed no summary (exit $rc)" >&2
    exit $(( rc == 0 ? 1 : rc ))
fi
echo "$last"
exit $rc
