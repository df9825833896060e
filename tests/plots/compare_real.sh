#!/usr/bin/env bash
# plots/compare on real programs' runs (pyallocbench --real): per pair, wall s (Welch's t
# on the log of each process's seconds in samples.csv) and peak RSS above the
# interpreter's -c pass (log(bytes + 64 KiB), as the workloads' cold RSS), Holm-corrected,
# in compare's output format; no ns/op or final RSS. fixture-real against itself differs
# nowhere; against a copy with one allocator's seconds doubled that one is slower; against
# a run of workloads no pair matches.
source "$(dirname "$0")/testlib.sh"

expect_line() { check "line: $1" grep -qE "$1" "$WORK/out"; }
# scale_column DIR ALLOCATOR COLUMN FACTOR: multiplies COLUMN (by name) of ALLOCATOR's rows
# in DIR's samples.csv by FACTOR.
scale_column() {
  awk -F, -v OFS=, -v a="$2" -v name="$3" -v f="$4" \
    'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i } NR > 1 && $1 == a { $c = sprintf("%.6f", $c * f) } 1' \
    "$1/samples.csv" >"$WORK/s.csv" && mv "$WORK/s.csv" "$1/samples.csv"
}

R=$FIXTURES/fixture-real
runs "compare of fixture-real with itself" "$WORK/out" "$WORK/err" "$COMPARE" "$R" "$R"
cat "$WORK/out"
check "nothing on stderr" test ! -s "$WORK/err"
check "the heading says how real programs are tested" grep -qxF "(wall s: the log of each process's wall time; peak RSS: log(bytes + 64 KiB) of each process's peak above the interpreter's -c pass);" "$WORK/out"
expect_line '^workload +allocator +figure +B/A +95 % interval +verdict +p +Holm p$'
check "two tests per pair, wall s and peak RSS, all 1.00x and not significant" \
  test "$(grep -cE '^real/small +[a-z+]+ +(wall s|peak RSS) +1\.00x +\[[0-9.]+, [0-9.]+\] +no significant difference +1\.00 +1\.00$' "$WORK/out")" -eq 10
check "no ns/op or final RSS for a real program" test -z "$(grep -E 'ns/op +[0-9]|final RSS +[0-9]' "$WORK/out")"
expect_line '^real/small +pymalloc +wall s +1\.00x +\[0\.75, 1\.33\] +no significant difference +1\.00 +1\.00$'
expect_line '^summary: of 5 pairs tested \(10 tests\), called different at alpha 0\.05: 0 pairs \(0 tests\) before correction, 0 pairs \(0 tests\) after Holm.s$'
check "four lines of heading, one of columns, 10 tests, a summary" test "$(wc -l <"$WORK/out")" -eq 16
check "the drift of its five allocators is taken off" grep -qE "^times relative to the drift .*: real/small \+0\.0 %$" "$WORK/out"

# glibc's processes twice as long in B: slower, the others not.
slow=$(fixture fixture-real)
scale_column "$slow" glibc seconds 2
runs "compare with glibc's seconds doubled" "$WORK/out" "$WORK/err" "$COMPARE" "$R" "$slow"
expect_line '^real/small +glibc +wall s +2\.00x +\[1\.63, 2\.45\] +slower +0\.00071 +0\.0071$'
check "the other tests do not differ" test "$(grep -c 'no significant difference' "$WORK/out")" -eq 9
expect_line '^summary: of 5 pairs tested \(10 tests\), called different at alpha 0\.05: 1 pair \(1 test\) before correction, 1 pair \(1 test\) after Holm.s$'
runs "and the other way round" "$WORK/out" "$WORK/err" "$COMPARE" "$slow" "$R"
expect_line '^real/small +glibc +wall s +0\.50x +\[0\.41, 0\.61\] +faster '
"$COMPARE" --fail-on-regression=50 "$R" "$slow" >"$WORK/out" 2>&1
check "a regression beyond 50 % exits 1" test $? -eq 1
check "and is named" grep -qxF 'regression beyond 50 %: real/small glibc wall s 2.00x [1.63, 2.45] (Holm p 0.0071)' "$WORK/out"

# Peak RSS above -c pass: mimalloc's 10 % bigger in every process.
big=$(fixture fixture-real)
scale_column "$big" mimalloc peak_rss_bytes 1.1
runs "compare with mimalloc's peak RSS 10 % bigger" "$WORK/out" "$WORK/err" "$COMPARE" "$R" "$big"
expect_line '^real/small +mimalloc +peak RSS +1\.10x +\[1\.10, 1\.10\] +bigger '

# A real program's run against a run of workloads: no pair is in both.
runs "compare of a real run with a run of workloads" "$WORK/out" "$WORK/err" "$COMPARE" "$FIXTURES/fixture-a" "$R"
check "the real pairs are only in B" test "$(grep -cE '^real/small +[a-z+]+ +- +- +- +only in B$' "$WORK/out")" -eq 5
check "the workload pairs only in A" test "$(grep -cE ' +- +- +- +only in A$' "$WORK/out")" -eq 16
expect_line '^summary: of 0 pairs tested \(0 tests\)'
finish
