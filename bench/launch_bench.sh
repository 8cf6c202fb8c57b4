#!/bin/sh
# bench/launch_bench.sh — GPU validation throughput: records validated per second by `warpsynth launch` (NVRTC,
# module load, launches, comparison with the description's reference), with its time breakdown.
#
#   bench/launch_bench.sh [RECORDS] [SEED] [WARPSYNTH]      defaults: 4096, 1, build/examples/driver/warpsynth
#
# Target (issue 4): >= 5,000 records/s on one H100 machine (16 cores). The launch prints the breakdown: CPU-seconds
# of the reference (host evaluator, summed over threads) and of NVRTC (summed over threads, each thread compiling in
# its own worker process), and the GPU thread's module loads, transfers, launches+sync and comparisons. Without a GPU
# it measures the compile side only (execution skipped). The NVRTC workers disable NVRTC's compute cache (fresh
# records never hit it), so a re-run measures the same work as the first.
set -eu
n=${1:-4096}
seed=${2:-1}
bin=${3:-build/examples/driver/warpsynth}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" generate -n "$n" -s "$seed" -d cuda -o "$dir/data" --no-progress > /dev/null
out=$("$bin" launch "$dir/data") || true
echo "$out" | grep -E "^launch: [0-9]|^time:|allowance"
rate=$(echo "$out" | sed -n 's/^time: .* wall, \([0-9]*\) records\/s.*/\1/p')
echo "launch_bench: $n records, ${rate} records/s validated = $(awk -v r="$rate" 'BEGIN { printf "%.3f", r / 5000 }')x the 5,000/s target"
