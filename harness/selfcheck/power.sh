#!/usr/bin/env bash
# harness/selfcheck/power.sh [PCT] [./bench options...]: the suite's power.
# For each workload, a glibc run gives glibc's ns per call; then `delayed`
# (glibc plus a calibrated delay per call, sized to slow that workload by PCT
# percent, default 10) runs beside glibc in one run of the default design,
# and the report's ratio of delayed to glibc must call it slower. Prints one
# line per workload and the share found. Takes a few minutes.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pct=${1:-10}
shift || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bench() { "$root/bench" --out="$out" "$@" >"$out/log" 2>&1 || { tail -n 3 "$out/log" >&2; exit 1; }; }
column() { # column CSV NAME ALLOCATOR WORKLOAD
  python3 -c 'import csv,sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["allocator"] == sys.argv[3] and r["workload"] == sys.argv[4]: print(r[sys.argv[2]])' "$@"
}
workloads=$("$root/build/release/harness/pyallocbench" --list | awk '$1 == "workload" { print $2 }')
found=0 total=0
for w in $workloads; do
  bench --allocator=glibc --workload="$w" "$@"
  ns=$(column "$out/latest/results.csv" ns_per_op glibc "$w")
  delay=$(python3 -c "print($ns * $pct / 100)")
  bench --allocator=glibc,delayed --workload="$w" --env=PAB_DELAY_NS="$delay" "$@"
  verdict=$("$root/bench" compare --within="$out/latest" --a=glibc --b=delayed --workload="$w" 2>&1 | tail -n 1)
  total=$((total + 1))
  case $verdict in *slower*) found=$((found + 1)) ;; esac
  echo "$w: glibc $ns ns/op, delay $delay ns: $verdict"
done
echo "power: found the $pct % slowdown on $found of $total workloads"
