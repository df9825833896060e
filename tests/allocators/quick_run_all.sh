#!/bin/sh
# quick_run_all.sh PYALLOCBENCH
# Every allocator of the table, run by the harness as a user would: a --quick
# run on one workload must give one row per allocator, each with status ok.
# ./test installs every allocator's library, so here none may be unavailable.
set -u
pyallocbench=$1
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT

# Test-only allocators and lock models (harness_threads runs them) are in no default run.
names=$("$pyallocbench" --list | awk '$1 == "allocator" && !/test only/ && $2 !~ /@/ { print $2 }')
unavailable=$("$pyallocbench" --list | awk '$1 == "allocator" && !/test only/ && $3 != "available" { print $2 }')
if [ -z "$names" ] || [ -n "$unavailable" ]; then
  echo "FAIL: allocators unavailable here: ${unavailable:-(none listed at all)}" >&2
  exit 1
fi

"$pyallocbench" --quick --workload=small_objects --out="$out" >"$out/stdout" 2>"$out/stderr"
status=$?
csv="$out/latest/results.csv"
if [ "$status" -ne 0 ] || [ ! -f "$csv" ]; then
  cat "$out/stderr" >&2
  echo "FAIL: the run exited $status" >&2
  exit 1
fi
failed=0
for name in $names; do
  row=$(awk -F, -v n="$name" '$1 == n && $2 == "small_objects" { print $4 }' "$csv")
  if [ "$row" != ok ]; then
    echo "FAIL: $name: status '${row:-no row}'" >&2
    failed=1
  fi
done
rows=$(($(wc -l <"$csv") - 1))
[ "$rows" -eq "$(echo "$names" | wc -l)" ] || { echo "FAIL: $rows rows for $(echo "$names" | wc -l) allocators" >&2; failed=1; }
[ "$failed" -eq 0 ] && echo "ok: $(echo $names | wc -w) allocators, one ok row each"
exit "$failed"
