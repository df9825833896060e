#!/usr/bin/env bash
# harness/selfcheck/power.sh [PCT [./bench options...]]: the suite's power.
# For each workload, a run of glibc alone gives its ns per call; then
# `delayed` (glibc plus a calibrated delay per call, sized to slow that
# workload by PCT percent, default 10) runs beside glibc in one run of the
# default design, and Welch's t over the processes must call it slower at
# alpha 0.05 (the test the report's ratios and compare use). Prints one line
# per workload and the share found. Takes a few minutes. Caution: the
# delayed allocator's spin overlaps with the work around it (allocators/
# delayed.c), so the slowdown is smaller or larger than PCT: read the ratio
# each line prints, not only the verdict.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pct=${1:-10}
shift || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bench() {
  "$root/build/release/harness/pyallocbench" --out="$out" "$@" >"$out/log" 2>&1 || { tail -n 3 "$out/log" >&2; exit 1; }
}
# verdict RUN WORKLOAD: glibc's ns/op, then delayed/glibc with its interval and p.
verdict() {
  python3 - "$root/plots" "$@" <<'PY'
import math, sys
sys.path.insert(0, sys.argv[1])
from pab_plots import notes, results, stats
run = results.read_run(sys.argv[2])
samples = results.read_samples(run, notes.Notes())
logs = {a: [math.log(v) for v in samples.warm_medians((a, sys.argv[3]))] for a in ("glibc", "delayed")}
w = stats.welch(logs["glibc"], logs["delayed"])
found = w.p < 0.05 and w.ratio > 1
print(f"delayed/glibc {w.ratio:.3f} [{w.lo:.3f}, {w.hi:.3f}] p={w.p:.3g}: {'found' if found else 'missed'}")
PY
}
workloads=$("$root/build/release/harness/pyallocbench" --list | awk '$1 == "workload" { print $2 }')
found=0 total=0
for w in $workloads; do
  bench --allocator=glibc --workload="$w" "$@"
  ns=$(python3 -c 'import csv,sys; print(next(r["ns_per_op"] for r in csv.DictReader(open(sys.argv[1]))))' \
    "$out/latest/results.csv")
  delay=$(python3 -c "print(round($ns * $pct / 100, 3))")
  bench --allocator=glibc,delayed --workload="$w" --env=PAB_DELAY_NS="$delay" "$@"
  line=$(verdict "$out/latest" "$w")
  total=$((total + 1))
  case $line in *found) found=$((found + 1)) ;; esac
  echo "$w: glibc $ns ns/op, delay $delay ns/call: $line"
done
echo "power: the $pct % slowdown found on $found of $total workloads"
