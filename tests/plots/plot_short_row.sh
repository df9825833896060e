#!/usr/bin/env bash
# A row of results.csv whose field count differs from its header's is reported and left
# out whole: none of its figures is shown, and none is taken from another row (the awk
# version filled a short last row with the fields of the row before it, so the report
# showed that row's peak). Columns are read by name: reordered or unknown ones change
# nothing.
source "$(dirname "$0")/testlib.sh"

# fixture-a's last row, bump / string_concat, cut to its first 7 fields. The row before
# it is jemalloc / string_concat, whose peak RSS is 2140841 B (2.04 MiB).
dir=$(fixture fixture-a)
sed -i '$ s/^\(\([^,]*,\)\{6\}[^,]*\),.*/\1/' "$dir/results.csv"
check "the last row has 7 fields" test "$(tail -n 1 "$dir/results.csv" | awk -F, '{ print NF }')" -eq 7
runs "plot exits 0 with a short row" /dev/null "$WORK/err" "$PLOT" "$dir"
check "stderr reports the row" grep -qxF 'plot: skipped: results.csv line 13 has 7 fields, the header has 15' "$WORK/err"
section "$dir/REPORT.md" "## Skipped" >"$WORK/skipped"
check "REPORT.md lists it under Skipped" grep -qxF -- '- results.csv line 13 has 7 fields, the header has 15' "$WORK/skipped"
section "$dir/REPORT.md" "### Peak RSS during the memory pass" >"$WORK/peak"
check "bump's peak is not jemalloc's" grep -qxF '| string_concat | 2.10 MiB | 2.24 MiB | 2.04 MiB | not run |' "$WORK/peak"
section "$dir/REPORT.md" "### Time per call: median ns (max - min over the repetitions)" >"$WORK/time"
check "nor its own first fields" grep -qxF '| string_concat | 120 (8.40) | 60.0 (4.20) | 70.0 (4.90) | not run |' "$WORK/time"
check "the verdicts stand" grep -q '^| string_concat | glibc | 60.0 | .* | jemalloc | 2.04 MiB |' "$dir/REPORT.md"
for name in throughput peak_rss final_rss fragmentation tradeoff series_string_concat; do
  check "$name.png still drawn" is_png "$dir/plots/$name.png"
done
runs "compare exits 0 with a short row" "$WORK/out" "$WORK/err" "$COMPARE" "$FIXTURES/fixture-a" "$dir"
check "compare leaves the pair out" grep -qE '^string_concat +bump +- +only in A$' "$WORK/out"
check "and says why on stderr" grep -qxF "compare: skipped: $dir: results.csv line 13 has 7 fields, the header has 15" "$WORK/err"

# A short row in the middle and a long one: each is reported, its neighbours are intact.
dir=$(fixture fixture-a)
sed -i -e '5 s/^\(\([^,]*,\)\{6\}[^,]*\),.*/\1/' -e '3 s/$/,1/' "$dir/results.csv"
runs "plot exits 0 with a short and a long row" /dev/null "$WORK/err" "$PLOT" "$dir"
check "the long row is reported" grep -qxF 'plot: skipped: results.csv line 3 has 16 fields, the header has 15' "$WORK/err"
check "the short row is reported" grep -qxF 'plot: skipped: results.csv line 5 has 7 fields, the header has 15' "$WORK/err"
section "$dir/REPORT.md" "### Peak RSS during the memory pass" >"$WORK/peak"
check "the rows around them are whole" grep -qxF '| small_objects | 8.10 MiB | not run | 7.88 MiB | not run |' "$WORK/peak"
check "the row after the short one too" grep -qxF '| list_growth | 12.6 MiB | 13.4 MiB | 12.2 MiB | 24.5 MiB |' "$WORK/peak"

# The same run with its columns reordered and one the report does not know: the same report.
plain=$(fixture fixture-a) moved=$(fixture fixture-a)
awk -F, -v OFS=, '{ last = $NF; $NF = ""; sub(/,$/, ""); print (NR == 1 ? "threads" : 1), last, $0 }' \
  "$plain/results.csv" >"$moved/results.csv"
runs "plot of the plain run" /dev/null '&1' "$PLOT" "$plain"
runs "plot of the reordered run" /dev/null "$WORK/err" "$PLOT" "$moved"
check "the reordered run skips nothing" test ! -s "$WORK/err"
check "the reports are the same" cmp -s "$plain/REPORT.md" "$moved/REPORT.md"
finish
