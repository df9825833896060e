#!/usr/bin/env bash
# plots/plot on incomplete runs: a failed pair, a missing column, no series.csv, an
# absent baseline. Each still plots what it has and says, on stderr and in REPORT.md,
# what it skipped.
source "$(dirname "$0")/testlib.sh"

# fixture-b: jemalloc / string_concat failed in its second process (the harness then
# leaves all its figures empty and drops its samples, series and stats); a copy without
# bump / list has a pair that did not run.
dir=$(fixture fixture-b)
sed -i '/^bump,list,/d' "$dir/results.csv"
runs "plot exits 0 with a failed pair" /dev/null "$WORK/err" "$PLOT" "$dir"
check "stderr names the failed pair" grep -qxF 'plot: skipped: jemalloc / string_concat: failed: process 2: killed by signal 9' "$WORK/err"
check "REPORT.md lists it under Skipped" grep -qxF -- '- jemalloc / string_concat: failed: process 2: killed by signal 9' "$dir/REPORT.md"
check "the table says failed" grep -qxF '| string_concat | 43.2 [39.7, 49.1] | 35.4 [34.6, 36.5] | failed | 24.4 [22.2, 27.7] |' "$dir/REPORT.md"
check "and not run" grep -qxF '| list | 19.5 [18.1, 21.2] | 30.4 [27.7, 34.3] | 25.5 [24.1, 26.8] | not run |' "$dir/REPORT.md"
check "the failed pair has no ratio" grep -qxF '| string_concat | 1.00x | 1.24x [1.10, 1.41] | failed | 1.78x [1.47, 2.16] |' "$dir/REPORT.md"
check "the bars say failed" svg_has_text "$dir/plots/throughput.svg" "failed"
for name in throughput peak_rss final_rss fragmentation tradeoff series_small_objects series_list series_string_concat series_generator; do
  check "$name.png drawn" is_png "$dir/plots/$name.png"
done
check "series legend marks jemalloc without data" svg_has_legend "$dir/plots/series_string_concat.svg" "jemalloc (no data)"
while read -r a; do
  check "$a has one colour in every plot" same_colour_everywhere "$dir" "$a"
done < <(allocators_of "$dir")
check "jemalloc is the palette's red" test "$(svg_legend_colour "$dir/plots/tradeoff.svg" jemalloc)" = 'rgb(214,39,40)'

# fixture-a without its fragmentation columns and without series.csv.
dir=$(fixture fixture-a)
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^fragmentation/) drop[i] = 1 }
                  { out = ""; for (i = 1; i <= NF; i++) if (!(i in drop)) out = out (out == "" ? "" : OFS) $i; print out }' \
  "$dir/results.csv" >"$WORK/r.csv" && mv "$WORK/r.csv" "$dir/results.csv"
rm "$dir/series.csv" "$dir/stats.csv"
runs "plot exits 0 with a column missing" /dev/null "$WORK/err" "$PLOT" "$dir"
check "stderr says the stats are missing" grep -q '^plot: skipped: no stats.csv' "$WORK/err"
check "REPORT.md lists them under Skipped" grep -q '^- no stats.csv' "$dir/REPORT.md"
check "no workload counters without stats.csv" test -z "$(grep '^## What the workloads report' "$dir/REPORT.md")"
check "stderr says the column is missing" grep -q '^plot: skipped: results.csv has no fragmentation column' "$WORK/err"
check "stderr says the series are missing" grep -q '^plot: skipped: no series.csv' "$WORK/err"
check "REPORT.md says so too" grep -q '^- results.csv has no fragmentation column: its figures are left out' "$dir/REPORT.md"
check "no fragmentation table" test -z "$(grep '^### Fragmentation' "$dir/REPORT.md")"
check "no fragmentation plot" test ! -e "$dir/plots/fragmentation.png"
check "no series plot" test -z "$(ls "$dir/plots" | grep series_)"
for name in throughput peak_rss final_rss tradeoff; do
  check "$name.png still drawn" is_png "$dir/plots/$name.png"
done

# A baseline the run does not have: absolute throughput, and a note.
dir=$(fixture fixture-a)
runs "plot exits 0 without the baseline" /dev/null "$WORK/err" "$PLOT" --baseline=tcmalloc "$dir"
check "stderr says the baseline is absent" grep -q '^plot: skipped: baseline allocator tcmalloc is not in this run' "$WORK/err"
check "throughput drawn in absolute units" svg_has_text "$dir/plots/throughput.svg" "million calls per second"
runs "--baseline=glibc is honoured" /dev/null '&1' "$PLOT" --baseline=glibc "$dir"
check "relative to glibc" svg_has_text "$dir/plots/throughput.svg" "Throughput relative to glibc with 95 % intervals (higher is faster)"

# A stats.csv value that is not a number: left out, and said.
dir=$(fixture fixture-a)
sed -i 's/^glibc,string_concat,workload,inplace_reallocs_moved,1$/&x/' "$dir/stats.csv"
runs "plot exits 0 with a bad stats value" /dev/null "$WORK/err" "$PLOT" "$dir"
check "stderr names the bad value" grep -qF 'plot: skipped: stats.csv: glibc / string_concat: workload inplace_reallocs_moved is not a number ("1x")' "$WORK/err"
check "its cell says n/a" grep -qxF '| glibc | 3,998 | n/a | 59 B | 15.3 KiB |' "$dir/REPORT.md"

# An allocator the palette does not know gets a colour of its own, the same everywhere.
dir=$(fixture fixture-a)
sed -i "s/^glibc,/snmalloc,/" "$dir/results.csv" "$dir/series.csv" "$dir/samples.csv"
runs "plot exits 0 with an unknown allocator" /dev/null '&1' "$PLOT" "$dir"
check "snmalloc has one colour in every plot" same_colour_everywhere "$dir" snmalloc
check "snmalloc does not take a palette colour" test "$(svg_legend_colour "$dir/plots/tradeoff.svg" snmalloc)" != "$(svg_legend_colour "$dir/plots/tradeoff.svg" pymalloc)"

# A workload label with a variant ("string_concat/join"): its series plot has a file name.
dir=$(fixture fixture-a)
sed -i 's|,string_concat,|,string_concat/join,|' "$dir/results.csv" "$dir/series.csv" "$dir/stats.csv" "$dir/samples.csv"
runs "plot exits 0 with a workload variant" /dev/null "$WORK/err" "$PLOT" "$dir"
check "its series plot is drawn" is_png "$dir/plots/series_string_concat_join.png"
check "under its label" grep -qxF '### string_concat/join' "$dir/REPORT.md"
finish
