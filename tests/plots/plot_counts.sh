#!/usr/bin/env bash
# The report's counts that timing noise does not touch, per workload: minor page faults of
# the cold pass and per warm pass (median [min, max] over processes), the memory system
# calls strace counted in one cold and one warm pass, and callgrind's instructions per call
# when the run has them; columns a run lacks are left out, with a note under Skipped.
source "$(dirname "$0")/testlib.sh"

# set_figure DIR PAIR COLUMN VALUE: sets COLUMN (by name) of PAIR's row in results.csv;
# PAIR "*" is every row.
set_figure() {
  awk -F, -v OFS=, -v p="$2" -v name="$3" -v v="$4" \
    'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i } NR > 1 && (p == "*" || $1 "," $2 == p) { $c = v } 1' \
    "$1/results.csv" >"$WORK/r.csv" && mv "$WORK/r.csv" "$1/results.csv"
}
counts() { section "$1/REPORT.md" "## Page faults, system calls and instructions" | section /dev/stdin "### $2"; }

dir=$(fixture fixture-a)
runs "plot exits 0" /dev/null "$WORK/err" "$PLOT" "$dir"
counts "$dir" small_objects >"$WORK/t"
check "one table per workload" test "$(section "$dir/REPORT.md" "## Page faults, system calls and instructions" | grep -c '^### ')" -eq 4
check "its columns, without callgrind's" grep -qxF '| allocator | cold minor faults | warm minor faults per pass | cold pass system calls | warm pass system calls |' "$WORK/t"
check "pymalloc unmaps and maps an arena every pass" grep -qxF '| pymalloc | 272 | 252.2 | mmap 1, munmap 1 | mmap 1, munmap 1 |' "$WORK/t"
check "glibc grows with brk, warm passes make no call" grep -qxF '| glibc | 301 | 0.5 | madvise 7, brk 10 | none |' "$WORK/t"
check "a fault range over processes" grep -qxF '| jemalloc | 353 [353, 354] | 9.7 | mmap 1, madvise 19 | none |' "$WORK/t"
counts "$dir" list >"$WORK/t"
check "a warm fault range" grep -qxF '| jemalloc | 231 | 15.0 [14.8, 15.1] | madvise 13 | none |' "$WORK/t"
check "the Skipped note for callgrind" grep -qxF -- '- no callgrind instruction counts (./bench --count makes them): their columns are left out' "$dir/REPORT.md"
check "no major-fault columns when every count is 0" test -z "$(grep 'major faults' "$dir/REPORT.md")"

# A run with callgrind's counts for some pairs, a major fault, and a failed pair.
dir=$(fixture fixture-b)
set_figure "$dir" pymalloc,small_objects allocator_instructions_per_op 41.25
set_figure "$dir" pymalloc,small_objects total_instructions_per_op 77.5
for bound in '' _min _max; do set_figure "$dir" glibc,small_objects "cold_major_faults$bound" 2; done
runs "plot with callgrind counts" /dev/null "$WORK/err" "$PLOT" "$dir"
counts "$dir" small_objects >"$WORK/t"
check "callgrind's columns and the major faults" grep -qxF '| allocator | cold minor faults | warm minor faults per pass | cold major faults | warm major faults per pass | cold pass system calls | warm pass system calls | allocator instructions per call | total instructions per call |' "$WORK/t"
check "instructions where counted" grep -qE '^\| pymalloc \| [^|]* \| [^|]* \| 0 \| 0 \| [^|]* \| [^|]* \| 41.2 \| 77.5 \|$' "$WORK/t"
check "n/a where not" grep -qE '^\| glibc \| [^|]* \| [^|]* \| 2 \| 0 \| [^|]* \| [^|]* \| n/a \| n/a \|$' "$WORK/t"
check "no Skipped note for callgrind" test -z "$(grep 'no callgrind' "$dir/REPORT.md")"
counts "$dir" string_concat >"$WORK/t"
check "the failed pair says so" grep -qxF '| jemalloc | failed | failed | failed | failed | failed | failed | failed | failed |' "$WORK/t"

# A run whose system calls were not counted (no strace): columns out, and said why.
dir=$(fixture fixture-a)
for pass in cold warm; do
  for call in mmap munmap mremap madvise mprotect brk; do set_figure "$dir" '*' "${pass}_${call}_calls" ''; done
done
python3 -c 'import json, sys; p = sys.argv[1]; m = json.load(open(p)); m["syscall_counts"] = "not counted: strace is not installed"; json.dump(m, open(p, "w"))' "$dir/metadata.json"
runs "plot without system call counts" /dev/null "$WORK/err" "$PLOT" "$dir"
counts "$dir" small_objects >"$WORK/t"
check "only the fault columns" grep -qxF '| allocator | cold minor faults | warm minor faults per pass |' "$WORK/t"
check "Skipped says why" grep -qxF -- '- no memory system call counts (not counted: strace is not installed): their columns are left out' "$dir/REPORT.md"
check "so does stderr" grep -qxF 'plot: skipped: no memory system call counts (not counted: strace is not installed): their columns are left out' "$WORK/err"
finish
