#!/usr/bin/env bash
# plots/plot on a complete fixture run: every plot exists as PNG and SVG, every allocator
# is in every legend, the report shows every plot and names the right winners.
source "$(dirname "$0")/testlib.sh"

dir=$(fixture fixture-a)
runs "plot exits 0" "$WORK/out" "$WORK/err" "$PLOT" "$dir"
check "plot reports nothing skipped" test ! -s "$WORK/err"

expected=(throughput peak_rss final_rss fragmentation tradeoff)
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
  check "tradeoff names $a in each panel and the legend" test "$(grep -cF ">$a</text>" "$dir/plots/tradeoff.svg")" -eq 4
done < <(allocators_of "$dir")
check "series plot draws the live floor" svg_has_text "$dir/plots/series_small_objects.svg" "live requested bytes"
check "no temporary folder left" test -z "$(find "$dir" -maxdepth 1 -name '.plot.*')"

# fixture-a: jemalloc has the least ns/op on small_objects (8.00 against pymalloc's 9.00),
# glibc on string_concat; bump, the floor, is faster but is left out of the verdicts.
check "fastest on small_objects is jemalloc" grep -q '^| small_objects | jemalloc | 8.00 | 1.12x faster than pymalloc' "$dir/REPORT.md"
check "fastest on string_concat is glibc" grep -q '^| string_concat | glibc | 60.0 | 1.17x faster than jemalloc' "$dir/REPORT.md"
check "smallest on list_growth is jemalloc" grep -qE '^\| list_growth \|[^|]*\|[^|]*\|[^|]*\| jemalloc \| 12.2 MiB \|' "$dir/REPORT.md"
check "report has the run facts" grep -qF '| kernel | 6.1.0-18-amd64 |' "$dir/REPORT.md"
check "relative throughput table" grep -qF '| small_objects | 1.00x | 0.64x | 1.12x | 4.50x |' "$dir/REPORT.md"

# What the workloads report of themselves (stats.csv, phase workload): only string_concat
# reports counters in fixture-a, one row per allocator, columns in the order reported.
section "$dir/REPORT.md" "## What the workloads report" >"$WORK/counters"
check "only string_concat has a counter table" test "$(grep -c '^### ' "$WORK/counters")" -eq 1
section "$dir/REPORT.md" "### string_concat" >"$WORK/concat"
check "string_concat's table says what it answers" grep -q '^Per allocator: how many of the in-place reallocs moved the block' "$WORK/concat"
check "string_concat's counters in their order" grep -qxF '| allocator | inplace_reallocs | inplace_reallocs_moved | inplace_moved_bytes | shared_copied_bytes |' "$WORK/concat"
check "jemalloc moved 32 blocks, 87.5 KiB" grep -qxF '| jemalloc | 4,000 | 32 | 87.5 KiB | 15.3 KiB |' "$WORK/concat"
check "bump moved none" grep -qxF '| bump | 4,000 | 0 | 0 B | 15.3 KiB |' "$WORK/concat"
check "one row per allocator" test "$(grep -c '^| [a-z]* | [0-9]' "$WORK/concat")" -eq 4

# The allocators' own figures at the measurement point; a counter given twice keeps its first value.
section "$dir/REPORT.md" "### Bytes in use, as the allocator counts them" >"$WORK/in_use"
check "in-use bytes per allocator" grep -qxF '| list_growth | 11.7 MiB | 11.7 MiB | 11.7 MiB | 11.7 MiB |' "$WORK/in_use"
section "$dir/REPORT.md" "### Resident bytes of the allocator's own memory" >"$WORK/resident"
check "resident bytes only where known" grep -qxF '| small_objects | n/a | n/a | 6.00 MiB | n/a |' "$WORK/resident"
section "$dir/REPORT.md" "### Address space the allocator obtained from the OS" >"$WORK/mapped"
check "mapped bytes, first value of a duplicate" grep -qxF '| small_objects | 9.00 MiB | n/a | 8.00 MiB | n/a |' "$WORK/mapped"

# A second run replaces the first whole.
touch "$dir/plots/stale.png"
runs "plot runs again" /dev/null '&1' "$PLOT" "$dir"
check "the old plots folder is gone" test ! -e "$dir/plots/stale.png"
finish
