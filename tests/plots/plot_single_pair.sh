#!/usr/bin/env bash
# A run of one allocator on one workload plots (gnuplot 5.4 once crashed on a
# trade-off panel whose name labels had no point on one side).
source "$(dirname "$0")/testlib.sh" "$@"

dir=$(fixture fixture-a)
for f in results.csv samples.csv series.csv stats.csv; do
  awk -F, 'NR == 1 || ($1 == "glibc" && $2 == "small_objects")' "$dir/$f" >"$dir/$f.new" && mv "$dir/$f.new" "$dir/$f"
done
check "one pair plots" "$PLOT" "$dir" >/dev/null 2>&1
check "its trade-off panel is drawn" is_png "$dir/plots/tradeoff.png"
check "its report is written" test -s "$dir/REPORT.md"
finish
