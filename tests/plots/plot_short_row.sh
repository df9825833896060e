#!/usr/bin/env bash
# A row of results.csv whose field count differs from its header's is reported and left
# out whole: none of its figures is shown, and none is taken from another row (the awk
# version filled a short last row with the fields of the row before it, so the report
# showed that row's peak). Columns are read by name: reordered or unknown ones change
# nothing.
source "$(dirname "$0")/testlib.sh"

# fixture-a's last row, bump / generator, cut to its first 7 fields. The row before it is
# bump / list, whose peak RSS is 2310144 B (2.20 MiB).
dir=$(fixture fixture-a)
sed -i '$ s/^\(\([^,]*,\)\{6\}[^,]*\),.*/\1/' "$dir/results.csv"
check "the last row has 7 fields" test "$(tail -n 1 "$dir/results.csv" | awk -F, '{ print NF }')" -eq 7
runs "plot exits 0 with a short row" /dev/null "$WORK/err" "$PLOT" "$dir"
check "stderr reports the row" grep -qxF 'plot: skipped: results.csv line 17 has 7 fields, the header has 72' "$WORK/err"
section "$dir/REPORT.md" "## Skipped" >"$WORK/skipped"
check "REPORT.md lists it under Skipped" grep -qxF -- '- results.csv line 17 has 7 fields, the header has 72' "$WORK/skipped"
section "$dir/REPORT.md" "### Peak RSS during the cold pass [min, max over processes]" >"$WORK/peak"
check "bump's generator peak is not its list peak" grep -qxF '| generator | 136 KiB | 132 KiB | 216 KiB | not run |' "$WORK/peak"
section "$dir/REPORT.md" "### Time per call, warm: median ns [95 % interval] over processes" >"$WORK/time"
check "nor its own first fields" grep -qxF '| generator | 16.2 [8.96, 23.6] † | 15.4 [12.9, 20.0] | 17.6 [10.4, 24.8] † | not run |' "$WORK/time"
check "the verdicts stand" grep -q '^| generator | tie: glibc, pymalloc †, jemalloc † | 15.4 \[12.9, 20.0\] | .* | glibc | 132 KiB |' "$dir/REPORT.md"
check "its samples are left out, and said" grep -qxF 'plot: skipped: bump / generator: in samples.csv but not in results.csv; left out' "$WORK/err"
for name in throughput peak_rss final_rss fragmentation tradeoff series_list; do
  check "$name.png still drawn" is_png "$dir/plots/$name.png"
done
runs "compare exits 0 with a short row" "$WORK/out" "$WORK/err" "$COMPARE" "$FIXTURES/fixture-a" "$dir"
check "compare leaves the pair out" grep -qE '^generator +bump +- +- +- +only in A$' "$WORK/out"
check "and says why on stderr" grep -qxF "compare: skipped: $dir: results.csv line 17 has 7 fields, the header has 72" "$WORK/err"

# A short row in the middle and a long one: each is reported, its neighbours are intact.
dir=$(fixture fixture-a)
sed -i -e '5 s/^\(\([^,]*,\)\{6\}[^,]*\),.*/\1/' -e '3 s/$/,1/' "$dir/results.csv"
runs "plot exits 0 with a short and a long row" /dev/null "$WORK/err" "$PLOT" "$dir"
check "the long row is reported" grep -qxF 'plot: skipped: results.csv line 3 has 73 fields, the header has 72' "$WORK/err"
check "the short row is reported" grep -qxF 'plot: skipped: results.csv line 5 has 7 fields, the header has 72' "$WORK/err"
section "$dir/REPORT.md" "### Peak RSS during the cold pass [min, max over processes]" >"$WORK/peak"
check "the long row is left out" grep -qxF '| string_concat | not run | 208 [208, 212] KiB | 544 KiB | 192 [188, 192] KiB |' "$WORK/peak"
check "the row between them is whole" grep -qxF '| list | 540 KiB | 684 [680, 684] KiB | 940 [932, 944] KiB | 2.20 MiB |' "$WORK/peak"
check "the short row is left out" grep -qxF '| generator | not run | 132 KiB | 216 KiB | 1.48 MiB |' "$WORK/peak"
check "the row after the short one is whole" grep -qxF '| small_objects | 1.18 MiB | 1.29 MiB | 1.39 [1.39, 1.40] MiB | 1.64 MiB |' "$WORK/peak"

# The same run with its columns reordered and one the report does not know: the same report.
plain=$(fixture fixture-a) moved=$(fixture fixture-a)
awk -F, -v OFS=, '{ last = $NF; $NF = ""; sub(/,$/, ""); print (NR == 1 ? "threads" : 1), last, $0 }' \
  "$plain/results.csv" >"$moved/results.csv"
runs "plot of the plain run" /dev/null "$WORK/plain.err" "$PLOT" "$plain"
runs "plot of the reordered run" /dev/null "$WORK/err" "$PLOT" "$moved"
check "the reordered run skips no more than the plain one" cmp -s "$WORK/plain.err" "$WORK/err"
check "the reports are the same" cmp -s "$plain/REPORT.md" "$moved/REPORT.md"
finish
