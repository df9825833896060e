#!/usr/bin/env bash
# plots/plot on a complete fixture run: every plot exists as PNG and SVG, every allocator
# is in every legend, the report shows every plot and names the right winners.
source "$(dirname "$0")/testlib.sh"

dir=$(fixture fixture-a)
# A counter given twice for one pair keeps its first value (1.29 MiB mapped).
echo 'glibc,small_objects,mark,mapped_bytes,999' >>"$dir/stats.csv"
runs "plot exits 0" "$WORK/out" "$WORK/err" "$PLOT" "$dir"
# The fixture is from before the latency pass; a quick run counts no instructions, and keeps
# too few bytes live on two workloads.
cat >"$WORK/skipped" <<'END'
plot: skipped: no latency.csv: no latency pass in this run
plot: skipped: no callgrind instruction counts (./bench --count makes them): their columns are left out
plot: skipped: fragmentation not reported (fewer than 256 KiB live): string_concat, generator (all allocators)
END
check "plot reports only what a quick run lacks" cmp -s "$WORK/err" "$WORK/skipped"

# generator and list are a piece of advice: its two plots.
expected=(throughput peak_rss final_rss fragmentation advice_time advice_peak tradeoff)
while read -r w; do expected+=("series_$w"); done < <(workloads_of "$dir")
for name in "${expected[@]}"; do
  check "$name.png is a PNG" is_png "$dir/plots/$name.png"
  check "$name.svg is an SVG" is_svg "$dir/plots/$name.svg"
  while read -r a; do
    legend=$a
    # The throughput legend says which allocator is the 1.0 of the ratios.
    [ "$name" = throughput ] && [ "$a" = pymalloc ] && legend="pymalloc (baseline, = 1.0)"
    check "$name legend names $legend" svg_has_legend "$dir/plots/$name.svg" "$legend"
  done < <(allocators_of "$dir")
  check "REPORT.md shows $name" grep -qF "](plots/$name.png)" "$dir/REPORT.md"
done
check "no other plots" test "$(ls "$dir/plots" | wc -l)" -eq $((2 * ${#expected[@]}))
# The trade-off plot: one panel per workload, every point named, and a legend.
while read -r w; do
  check "tradeoff has a panel for $w" svg_has_text "$dir/plots/tradeoff.svg" "$w"
done < <(workloads_of "$dir")
while read -r a; do
  check "tradeoff names $a in each panel and the legend" test "$(grep -cF ">$a</text>" "$dir/plots/tradeoff.svg")" -eq 5
done < <(allocators_of "$dir")
check "series plot draws the live floor" svg_has_text "$dir/plots/series_small_objects.svg" "live requested bytes"
check "no temporary folder left" test -z "$(find "$dir" -maxdepth 1 -name '.plot.*')"

# fixture-a (a quick run on a busy machine): no allocator's ns/op interval lies below the
# others' on small_objects, so it is a tie, lowest median first; bump, the floor, is left
# out of the verdicts. Peak RSS is the same in every process for pymalloc.
check "small_objects is a tie" grep -qF '| small_objects | tie: glibc, jemalloc †, pymalloc † | 20.7 [17.5, 24.9] | glibc has the lowest median; the 95 % intervals of jemalloc 27.2 [10.1, 87.5], pymalloc 28.3 [16.4, 44.9] overlap its own |' "$dir/REPORT.md"
check "smallest on small_objects is pymalloc" grep -qE '^\| small_objects \|[^|]*\|[^|]*\|[^|]*\| pymalloc \| 1.18 MiB \| 120 KiB less than glibc \(1.29 MiB\)' "$dir/REPORT.md"
check "smallest on list is pymalloc" grep -qE '^\| list \|[^|]*\|[^|]*\|[^|]*\| pymalloc \| 540 KiB \|' "$dir/REPORT.md"
check "report has the run facts" grep -qF '| kernel | Linux 6.18.44-fc-v1045 #1 SMP PREEMPT_DYNAMIC @0 x86_64 |' "$dir/REPORT.md"
section "$dir/REPORT.md" "### Time per call, warm: median ns [95 % interval] over processes" >"$WORK/time"
check "ns/op with its interval, unstable pairs marked" grep -qxF '| small_objects | 28.3 [16.4, 44.9] † | 20.7 [17.5, 24.9] | 27.2 [10.1, 87.5] † | 12.2 [7.49, 25.3] † |' "$WORK/time"
section "$dir/REPORT.md" "### Time per call, cold (the first pass on a fresh heap): median ns [95 % interval]" >"$WORK/cold"
check "cold ns/op with its interval" grep -qxF '| list | 25.3 [13.3, 39.7] † | 35.5 [20.2, 51.7] † | 25.2 [25.0, 25.6] | 33.4 [21.8, 60.4] |' "$WORK/cold"
section "$dir/REPORT.md" "### Throughput relative to pymalloc (higher is faster)" >"$WORK/relative"
check "relative throughput with its paired interval" grep -qxF '| small_objects | 1.00x † | 1.30x [0.84, 2.00] | 0.91x [0.36, 2.33] † | 1.97x [0.65, 5.94] † |' "$WORK/relative"
section "$dir/REPORT.md" "### Peak RSS during the cold pass [min, max over processes]" >"$WORK/peak"
check "peak RSS with its range where processes differ" grep -qxF '| list | 540 KiB | 684 [680, 684] KiB | 940 [932, 944] KiB | 2.20 MiB |' "$WORK/peak"

# What the workloads report of themselves (stats.csv, phase workload): only string_concat
# reports counters in fixture-a, one row per allocator, columns in the order reported.
section "$dir/REPORT.md" "## What the workloads report" >"$WORK/counters"
check "only string_concat has a counter table" test "$(grep -c '^### ' "$WORK/counters")" -eq 1
section "$WORK/counters" "### string_concat" >"$WORK/concat"
check "string_concat's table says what it answers" grep -q '^Per allocator: how many of the in-place reallocs moved the block' "$WORK/concat"
check "string_concat's counters in their order" grep -qxF '| allocator | inplace_reallocs | inplace_reallocs_moved | inplace_moved_bytes | shared_copied_bytes |' "$WORK/concat"
check "jemalloc moved 32 blocks, 87.5 KiB" grep -qxF '| jemalloc | 3,998 | 32 | 87.5 KiB | 15.3 KiB |' "$WORK/concat"
check "bump moved none" grep -qxF '| bump | 3,998 | 0 | 0 B | 15.3 KiB |' "$WORK/concat"
check "one row per allocator" test "$(grep -c '^| [a-z]* | [0-9]' "$WORK/concat")" -eq 4

# The allocators' own figures at the measurement point; a counter given twice keeps its first value.
section "$dir/REPORT.md" "### Bytes in use, as the allocator counts them" >"$WORK/in_use"
check "in-use bytes per allocator" grep -qxF '| list | 312 KiB | 632 KiB | 1.61 MiB | 396 KiB |' "$WORK/in_use"
section "$dir/REPORT.md" "### Resident bytes of the allocator's own memory" >"$WORK/resident"
check "resident bytes only where known" grep -qxF '| small_objects | n/a | n/a | 4.79 MiB | n/a |' "$WORK/resident"
section "$dir/REPORT.md" "### Address space the allocator obtained from the OS" >"$WORK/mapped"
check "mapped bytes, first value of a duplicate" grep -qxF '| small_objects | 2.00 MiB | 1.29 MiB | 8.23 MiB | 64.0 MiB |' "$WORK/mapped"

# A second run replaces the first whole.
touch "$dir/plots/stale.png"
runs "plot runs again" /dev/null '&1' "$PLOT" "$dir"
check "the old plots folder is gone" test ! -e "$dir/plots/stale.png"
finish
