#!/usr/bin/env bash
# plots/plot with latency passes: a copy of fixture-a (which has none) given a latency.csv
# and latency_bins.csv of known figures for some pairs. The CCDF plots exist for the
# workloads that have bins, with every allocator in their legend and the clock's
# resolution; the report's latency tables give each kind's figures, "< clock" below the
# resolution, and say which pairs have none; malformed latency files are said and left
# out, and the rest still plots.
source "$(dirname "$0")/testlib.sh"

# pair A W K: latency rows of pair A x W, its times K times pymalloc's; list also reallocs.
pair() {
  local a=$1 w=$2 k=$3 realloc=0
  [ "$w" = list ] && realloc=40
  printf '%s,%s,malloc,1000,28.50,4.00,%d,%d,%d,%d,%d,%.2f,%d,0\n' "$a" "$w" $((3 * k)) $((45 * k)) \
    $((1200 * k)) $((15000 * k)) $((15000 * k)) "$(awk -v k="$k" 'BEGIN { print 8.5 * k }')" $((k > 0 ? 1 : 0)) >>"$dir/latency.csv"
  printf '%s,%s,realloc,%d,28.50,4.00,%s,0,0\n' "$a" "$w" $realloc \
    "$([ $realloc -gt 0 ] && echo "$((50 * k)),$((90 * k)),$((90 * k)),$((90 * k)),$((90 * k)),$((60 * k))" || echo ",,,,,")" \
    >>"$dir/latency.csv"
  printf '%s,%s,free,1000,28.50,4.00,2,20,30,40,40,6.00,0,0\n' "$a" "$w" >>"$dir/latency.csv"
  # malloc's histogram: 300 calls at 0 ns, 500 at 3k, 190 at 45k, 9 at 1200k, 1 at 15000k ns.
  printf "$a,$w,malloc,%s\n" 0,1,300 "$((3 * k)),$((3 * k + 1)),500" "$((45 * k)),$((45 * k + 1)),190" \
    "$((1152 * k)),$((1216 * k)),9" "$((14336 * k)),$((15360 * k)),1" >>"$dir/latency_bins.csv"
  printf "$a,$w,free,%s\n" 2,3,990 "20,21,9" "40,41,1" >>"$dir/latency_bins.csv"
}

dir=$(fixture fixture-a)
echo "allocator,workload,kind,calls,clock_ns,resolution_ns,p50_ns,p99_ns,p99_9_ns,p99_99_ns,max_ns,mean_ns,over_10us,over_100us" >"$dir/latency.csv"
echo "allocator,workload,kind,low_ns,high_ns,calls" >"$dir/latency_bins.csv"
for w in small_objects list; do
  pair pymalloc $w 1
  pair glibc $w 2
  pair jemalloc $w 3
  pair bump $w 1
done
pair glibc string_concat 2
runs "plot exits 0" "$WORK/out" "$WORK/err" "$PLOT" "$dir"
for w in small_objects list string_concat; do
  check "latency_$w.png is a PNG" is_png "$dir/plots/latency_$w.png"
  check "latency_$w.svg is an SVG" is_svg "$dir/plots/latency_$w.svg"
  check "REPORT.md shows latency_$w" grep -qF "](plots/latency_$w.png)" "$dir/REPORT.md"
  while read -r a; do
    legend=$a
    [ "$w" = string_concat ] && [ "$a" != glibc ] && legend="$a (no data)"
    check "latency_$w legend names $legend" svg_has_legend "$dir/plots/latency_$w.svg" "$legend"
  done < <(allocators_of "$dir")
  check "latency_$w marks the clock's resolution" svg_has_legend "$dir/plots/latency_$w.svg" "clock resolution (4.0 ns)"
done
check "no CCDF without bins" test ! -e "$dir/plots/latency_generator.png"
check "stderr names the pairs without latency figures" \
  grep -qxF 'plot: skipped: no latency figures: string_concat (pymalloc, jemalloc, bump); generator (all allocators)' "$WORK/err"
check "the run's own lacks are still the only other lines" test "$(grep -vc 'no latency figures' "$WORK/err")" -eq 2

section "$dir/REPORT.md" "## Single-call latency" >"$WORK/latency"
check "the clock's cost and resolution" grep -qF 'Reading the clock costs 28.5 ns' "$WORK/latency"
check "and its resolution" grep -qF 'that cost) is 4.00 ns' "$WORK/latency"
section "$WORK/latency" "### small_objects" >"$WORK/small"
check "the table's columns" grep -qxF '| allocator | call | calls | p50 | p99 | p99.9 | p99.99 | max | > 10 µs | > 100 µs |' "$WORK/small"
check "p50 below the resolution is < clock" grep -qxF '| pymalloc | malloc | 1,000 | < clock | 45 ns | 1.20 µs | 15.0 µs | 15.0 µs | 1 | 0 |' "$WORK/small"
check "above it, a time" grep -qxF '| jemalloc | malloc | 1,000 | 9 ns | 135 ns | 3.60 µs | 45.0 µs | 45.0 µs | 1 | 0 |' "$WORK/small"
check "a free's p50 too" grep -qxF '| glibc | free | 1,000 | < clock | 20 ns | 30 ns | 40 ns | 40 ns | 0 | 0 |' "$WORK/small"
check "no realloc row where no allocator reallocs" test -z "$(grep '| realloc |' "$WORK/small")"
section "$WORK/latency" "### list" >"$WORK/list"
check "a realloc row where they do" grep -qxF '| glibc | realloc | 40 | 100 ns | 180 ns | 180 ns | 180 ns | 180 ns | 0 | 0 |' "$WORK/list"
section "$WORK/latency" "### string_concat" >"$WORK/concat"
check "a pair without latency figures says n/a" grep -qxF '| pymalloc |  | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a |' "$WORK/concat"
# The CCDF of glibc on small_objects, from its bins and its max.
python3 - "$ROOT" "$dir" >"$WORK/ccdf" <<'PY' || fail "the CCDF drawn: $(cat "$WORK/ccdf")"
import sys
sys.path.insert(0, sys.argv[1] + "/plots")
from pab_plots import plot, results
model = plot.model_of(results.read_run(sys.argv[2]), "pymalloc")
line = next(p for p in model.plots if p.name == "latency_small_objects").lines["glibc"]
# malloc's and free's bins summed: 2000 calls; 300 at 0 ns drop out of the log axis.
want = [(2, 0.85), (6, 0.355), (20, 0.105), (40, 0.1005), (90, 0.1), (2304, 0.005),
        (28672, 0.0005), (30000, 0.0005)]
got = [(x, round(y, 6)) for x, y in line]
if got != want:
    print(got)
    sys.exit(1)
PY
pass "the CCDF drawn"

# Malformed: a row without calls, one of an unknown kind, a bin of no numbers; no bins file.
dir=$(fixture fixture-a)
{ echo "allocator,workload,kind,calls,clock_ns,resolution_ns,p50_ns,p99_ns,p99_9_ns,p99_99_ns,max_ns,mean_ns,over_10us,over_100us"
  echo "glibc,small_objects,malloc,x,28.50,4.00,3,45,1200,15000,15000,8.50,1,0"
  echo "glibc,small_objects,calloc,10,28.50,4.00,3,45,1200,15000,15000,8.50,1,0"
  echo "glibc,list,malloc,10,28.50,4.00,3,45,1200,15000,15000,8.50,1,0"
  echo "nobody,list,malloc,10,28.50,4.00,3,45,1200,15000,15000,8.50,1,0"; } >"$dir/latency.csv"
runs "plot exits 0 with bad latency rows and no bins" /dev/null "$WORK/err" "$PLOT" "$dir"
check "a row without calls is said" grep -qF 'plot: skipped: glibc / small_objects: latency.csv rows without a number of calls were left out' "$WORK/err"
check "an unknown kind is said" grep -qF 'latency.csv rows of kind "calloc" were left out' "$WORK/err"
check "a pair not in results.csv is said" grep -qF 'nobody / list: in latency.csv but not in results.csv' "$WORK/err"
check "missing bins are said" grep -qxF 'plot: skipped: no latency_bins.csv: no latency plots' "$WORK/err"
check "no CCDF without bins" test -z "$(ls "$dir/plots" | grep '^latency_')"
section "$dir/REPORT.md" "## Single-call latency" >"$WORK/latency"
section "$WORK/latency" "### list" >"$WORK/list"
check "the good row is still shown" grep -qxF '| glibc | malloc | 10 | < clock | 45 ns | 1.20 µs | 15.0 µs | 15.0 µs | 1 | 0 |' "$WORK/list"
echo "allocator,workload,kind,low_ns,high_ns,calls" >"$dir/latency_bins.csv"
echo "glibc,list,malloc,5,x,10" >>"$dir/latency_bins.csv"
runs "plot exits 0 with a bad bin" /dev/null "$WORK/err" "$PLOT" "$dir"
check "a bad bin is said" grep -qF 'glibc / list: latency_bins.csv rows without a bin of numbers were left out' "$WORK/err"

# A latency.csv without a column it needs: said, and the report says it cannot be used.
sed -i '1s/,p99_ns,/,p99,/' "$dir/latency.csv"
runs "plot exits 0 with a latency column missing" /dev/null "$WORK/err" "$PLOT" "$dir"
check "the missing column is said" grep -qxF 'plot: skipped: latency.csv has no p99_ns column: its latency figures are left out' "$WORK/err"
check "the report says latency.csv cannot be used" grep -qxF 'latency.csv cannot be used (Skipped says why).' "$dir/REPORT.md"

# No latency.csv at all (every committed fixture): said once, and the report says so.
dir=$(fixture fixture-b)
runs "plot exits 0 without latency.csv" /dev/null "$WORK/err" "$PLOT" "$dir"
check "stderr says there was no latency pass" grep -qxF 'plot: skipped: no latency.csv: no latency pass in this run' "$WORK/err"
check "REPORT.md says so in its section" grep -qxF 'No latency pass in this run (the folder has no latency.csv).' "$dir/REPORT.md"
finish
