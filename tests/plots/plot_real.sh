#!/usr/bin/env bash
# plots/plot on a real program's run (pyallocbench --real; fixture-real: 5 allocators of
# 3 processes each running one script): the report says first that these are real
# processes of metadata.json's program; its verdicts are by wall time and by peak RSS above
# the interpreter's -c pass; its sections are the program's (wall, user and system time,
# wall time relative to the baseline paired by round, peak and -c pass RSS, page faults)
# and none of the workloads' (ns/op, cold and warm passes, series, fragmentation, system
# calls, callgrind); its plots are wall_time and peak_rss.
source "$(dirname "$0")/testlib.sh"

dir=$(fixture fixture-real)
runs "plot exits 0" "$WORK/out" "$WORK/err" "$PLOT" "$dir"
check "nothing is skipped: nothing a real process has is missing" test ! -s "$WORK/err"
for name in wall_time peak_rss; do
  check "$name.png is a PNG" is_png "$dir/plots/$name.png"
  check "$name.svg is an SVG" is_svg "$dir/plots/$name.svg"
  check "REPORT.md shows $name" grep -qF "](plots/$name.png)" "$dir/REPORT.md"
  while read -r a; do
    legend=$a
    [ "$name" = wall_time ] && [ "$a" = pymalloc ] && legend="pymalloc (baseline, = 1.0)"
    check "$name legend names $legend" svg_has_legend "$dir/plots/$name.svg" "$legend"
  done < <(allocators_of "$dir")
done
check "no other plots" test "$(ls "$dir/plots" | wc -l)" -eq 4
check "the wall time plot says which way is better" \
  svg_has_text "$dir/plots/wall_time.svg" 'Wall time of the program relative to pymalloc with 95 % intervals (lower is faster)'
check "its bars are labelled with the ratio" svg_has_text "$dir/plots/wall_time.svg" "1.23x"

# Up front: what was run.
sed -n 3p "$dir/REPORT.md" >"$WORK/third"
check "the first line says these are real processes of the program" grep -qF \
  '**Real processes of the program** `/root/.pyenv/versions/3.11.7/bin/python3 /tmp/exp/small.py` (metadata.json'"'"'s `program`), run by `pyallocbench --real`' "$WORK/third"
check "the introduction counts programs" grep -qF '5 allocators, 1 program: 5 of 5 pairs measured, each in 3 processes, one per round' "$dir/REPORT.md"

# The sections: the program's, none of the workloads'.
grep '^## ' "$dir/REPORT.md" >"$WORK/sections"
printf '%s\n' '## Fastest and smallest per program' '## Time' '## Memory' '## Page faults' '## Run' >"$WORK/want"
check "the sections of a real program's run" cmp -s "$WORK/sections" "$WORK/want"
grep '^### ' "$dir/REPORT.md" >"$WORK/tables"
cat >"$WORK/want" <<'END'
### Wall time of the program: median s [95 % interval] over processes
### Wall time relative to pymalloc (lower is faster)
### User CPU time: median s [min, max] over processes
### System CPU time: median s [min, max] over processes
### Peak RSS of the program above the interpreter's `-c pass` [min, max over processes]
### Peak RSS of the interpreter's `-c pass` under the same configuration (the baseline of the figure above)
### Minor page faults
### Major page faults (pages read from disk)
END
check "its tables" cmp -s "$WORK/tables" "$WORK/want"
for gone in 'ns/op \[' 'n/a' 'cold pass' 'warm' 'RSS over time' 'ragmentation' 'system calls' 'callgrind' 'Skipped' 'Throughput' 'Hardware counters unavailable'; do
  check "nothing says '$gone'" test -z "$(grep -e "$gone" "$dir/REPORT.md")"
done

# The verdicts: no allocator's wall-time interval lies below the others', so a tie, lowest
# median first; mimalloc's peak RSS range lies below every other's.
check "fastest by wall time is a tie" grep -qF '| real/small | tie: pymalloc+jemalloc, pymalloc, mimalloc | 0.103 [0.0985, 0.110] | pymalloc+jemalloc has the lowest median; the 95 % intervals of pymalloc 0.110 [0.0819, 0.153], mimalloc 0.110 [0.0884, 0.138] overlap its own |' "$dir/REPORT.md"
check "smallest above -c pass is mimalloc" grep -qF '| mimalloc | 56.6 MiB | 428 KiB less than pymalloc (57.0 [57.0, 57.3] MiB); every other'"'"'s minimum is above its maximum |' "$dir/REPORT.md"
check "the verdict table names programs" grep -qxF '| program | fastest | wall s [95 % interval] | margin | smallest peak RSS | peak RSS [min, max] | margin |' "$dir/REPORT.md"

table() { section "$dir/REPORT.md" "### $1" | grep '^| real/small |'; }
check "wall seconds with their interval" test "$(table 'Wall time of the program: median s [95 % interval] over processes')" = '| real/small | 0.110 [0.0819, 0.153] | 0.145 [0.110, 0.172] | 0.126 [0.120, 0.131] | 0.110 [0.0884, 0.138] | 0.103 [0.0985, 0.110] |'
check "wall time relative to pymalloc, paired by round" test "$(table 'Wall time relative to pymalloc (lower is faster)')" = '| real/small | 1.00x | 1.23x [1.02, 1.49] | 1.12x [0.84, 1.51] | 0.99x [0.61, 1.60] | 0.93x [0.67, 1.30] |'
check "user seconds with their range" test "$(table 'User CPU time: median s [min, max] over processes')" = '| real/small | 0.0805 [0.0687, 0.0825] | 0.0945 [0.0878, 0.109] | 0.0822 [0.0753, 0.0927] | 0.0727 [0.0683, 0.0831] | 0.0633 [0.0563, 0.0736] |'
check "system seconds with their range" test "$(table 'System CPU time: median s [min, max] over processes')" = '| real/small | 0.0382 [0.0165, 0.0442] | 0.0359 [0.0313, 0.0378] | 0.0452 [0.0323, 0.0476] | 0.0323 [0.0321, 0.0356] | 0.0395 [0.0271, 0.0482] |'
check "peak RSS above -c pass" test "$(table 'Peak RSS of the program above the interpreter'"'"'s `-c pass` [min, max over processes]')" = '| real/small | 57.0 [57.0, 57.3] MiB | 62.5 MiB | 65.8 [65.7, 65.8] MiB | 56.6 MiB | 58.2 [58.1, 58.3] MiB |'
check "the -c pass peak itself" test "$(table 'Peak RSS of the interpreter'"'"'s `-c pass` under the same configuration (the baseline of the figure above)')" = '| real/small | 13.1 MiB | 13.2 MiB | 15.2 MiB | 13.9 [13.9, 14.0] MiB | 15.3 [15.2, 15.3] MiB |'
check "minor faults" test "$(table 'Minor page faults')" = '| real/small | 16,546 [16,545, 16,548] | 17,979 [17,979, 17,981] | 19,497 [19,497, 19,498] | 16,647 [16,646, 16,647] | 17,080 [17,077, 17,082] |'
check "major faults" test "$(table 'Major page faults (pages read from disk)')" = '| real/small | 0 | 0 | 0 | 0 | 0 |'
check "the program is in the run facts" grep -qxF '| program[0] | /root/.pyenv/versions/3.11.7/bin/python3 |' "$dir/REPORT.md"

# Another baseline; none in the run (absolute seconds); no samples.csv (ratios of medians).
runs "plot --baseline=glibc" /dev/null '&1' "$PLOT" --baseline=glibc "$dir"
check "relative to glibc" test "$(table 'Wall time relative to glibc (lower is faster)')" = '| real/small | 0.81x [0.67, 0.98] | 1.00x | 0.91x [0.76, 1.10] | 0.80x [0.59, 1.10] | 0.76x [0.61, 0.94] |'
runs "plot with a baseline not in the run" /dev/null "$WORK/err" "$PLOT" --baseline=tcmalloc "$dir"
check "it says the wall time is drawn in seconds" grep -qxF 'plot: skipped: baseline allocator tcmalloc is not in this run: wall time is drawn in seconds' "$WORK/err"
check "the plot is of seconds" svg_has_text "$dir/plots/wall_time.svg" 'Wall time of the program with 95 % intervals (lower is faster)'
check "labelled in seconds" svg_has_text "$dir/plots/wall_time.svg" '0.110'
check "no ratio table" test -z "$(grep '^### Wall time relative' "$dir/REPORT.md")"
rm "$dir/samples.csv"
runs "plot without samples.csv" /dev/null "$WORK/err" "$PLOT" "$dir"
check "ratios of the medians, without intervals" test "$(table 'Wall time relative to pymalloc (lower is faster)')" = '| real/small | 1.00x | 1.32x | 1.15x | 1.01x | 0.94x |'
check "and it says so" grep -qxF 'plot: skipped: no samples.csv: no intervals on ratios' "$WORK/err"
finish
