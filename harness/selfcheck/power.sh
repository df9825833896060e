#!/usr/bin/env bash
# harness/selfcheck/power.sh [PCT [./bench options...]]: the suite's power.
# For each workload, a run of glibc alone gives its ns per call; then
# `delayed` (glibc plus a timed delay per call, sized to slow that workload
# by PCT percent, default 10) runs beside glibc in one run of the default
# design, and the test of the report's ratios (paired by round, the two
# running one after the other in each round) must call it slower at alpha
# 0.05. Prints one line per workload and the share found. Takes a few
# minutes. The delay adds about what it is asked, a little more
# (allocators/delayed.c); each line prints the slowdown measured, with its
# interval.
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
import sys
sys.path.insert(0, sys.argv[1])
from pab_plots import model, notes, results
run = results.read_run(sys.argv[2])
samples = results.read_samples(run, notes.Notes())
glibc, delayed = (samples.warm_by_process((a, sys.argv[3])) for a in ("glibc", "delayed"))
w = model.ratio_test(glibc, delayed)
found = w.p < 0.05 and w.ratio > 1
print(f"delayed/glibc {w.ratio:.3f} [{w.lo:.3f}, {w.hi:.3f}] p={w.p:.3g}: {'found' if found else 'missed'}")
PY
}
workloads=$("$root/build/release/harness/pyallocbench" --list | awk '$1 == "workload" && $3 != "needs-input" && $3 != "threaded" { print $2 }')
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
