#!/usr/bin/env bash
# plots/compare on the fixture runs and on copies edited to a known truth: Welch's t across
# processes for ns/op, peak RSS and final RSS, each ratio B/A with its 95 % interval, the
# uncorrected and the Holm-corrected p, verdicts after correction, the summary line, and
# the exit status: 0 when done, 1 with --fail-on-regression when a pair is slower beyond the
# limit, 2 on bad input.
#
# fixture-a and fixture-b are two quick runs of the same command, one after the other. B was
# slower on every pair; only pymalloc / string_concat (1.58x [1.44, 1.72], p 0.0003) stays
# significant after Holm's correction over the 45 tests; glibc / small_objects (p 0.0031)
# does not. jemalloc / string_concat failed in B.
source "$(dirname "$0")/testlib.sh"

expect_line() { check "line: $1" grep -qE "$1" "$WORK/out"; }
# exit_status WANT WHAT COMMAND...: COMMAND exits WANT.
exit_status() {
  local want=$1 what=$2 status; shift 2
  "$@" >"$WORK/out" 2>"$WORK/err"; status=$?
  check "$what exits $want (got $status)" test "$status" -eq "$want"
}
# scale DIR PAIR FACTOR: multiplies every ns_per_op of PAIR ("allocator,workload") in
# DIR's samples.csv and its ns_per_op figures in results.csv by FACTOR.
scale() {
  awk -F, -v OFS=, -v p="$2" -v f="$3" 'NR > 1 && $1 "," $2 == p { $6 = sprintf("%.4f", $6 * f) } 1' \
    "$1/samples.csv" >"$WORK/s.csv" && mv "$WORK/s.csv" "$1/samples.csv"
  awk -F, -v OFS=, -v p="$2" -v f="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /ns_per_op/) c[i] = 1; if ($i == "ops_per_sec") o = i }
    NR > 1 && $1 "," $2 == p { for (i in c) $i = sprintf("%.4f", $i * f) } 1' \
    "$1/results.csv" >"$WORK/r.csv" && mv "$WORK/r.csv" "$1/results.csv"
}
# set_samples DIR PAIR COLUMN VALUE [KIND]: sets COLUMN (a samples.csv column number) of
# every row of PAIR of that kind (default: all) to VALUE.
set_samples() {
  awk -F, -v OFS=, -v p="$2" -v c="$3" -v v="$4" -v k="${5-}" \
    'NR > 1 && $1 "," $2 == p && (k == "" || $5 == k) { $c = v } 1' \
    "$1/samples.csv" >"$WORK/s.csv" && mv "$WORK/s.csv" "$1/samples.csv"
}

A=$FIXTURES/fixture-a B=$FIXTURES/fixture-b
runs "compare exits 0" "$WORK/out" "$WORK/err" "$COMPARE" "$A" "$B"
cat "$WORK/out"
check "nothing on stderr" test ! -s "$WORK/err"
expect_line '^workload +allocator +figure +B/A +95 % interval +verdict +p +Holm p$'
expect_line '^string_concat +pymalloc +ns/op +1\.58x +\[1\.44, 1\.72\] +slower +0\.0003 +0\.01$'
expect_line '^small_objects +glibc +ns/op +1\.50x +\[1\.26, 1\.78\] +no significant difference +0\.0031 +0\.13$'
expect_line '^small_objects +pymalloc +peak RSS +1\.00x +\[1\.00, 1\.00\] +no significant difference +1\.00 +1\.00$'
expect_line '^string_concat +pymalloc +final RSS +1\.00x +\[0\.99, 1\.02\] +no significant difference +0\.52 +1\.00$'
expect_line '^string_concat +jemalloc +- +- +- +not compared: B failed: process 2: killed by signal 9$'
expect_line '^summary: of 15 pairs tested \(45 tests\), called different at alpha 0\.05: 4 pairs \(4 tests\) before correction, 1 pair \(1 test\) after Holm.s$'
check "four lines of heading, one of columns, one per test or untested pair, a summary" \
  test "$(wc -l <"$WORK/out")" -eq $((4 + 1 + 45 + 1 + 1))
check "four allocators per workload are too few to tell the drift" \
  grep -qF "(--absolute keeps it): none; too few allocators to tell (under 5), as measured: generator, list, small_objects, string_concat" "$WORK/out"
check "the heading counts the tests Holm's correction is over" grep -qF "after Holm's correction over the 45 tests" "$WORK/out"

# B against A: the same test the other way round.
runs "compare B with A" "$WORK/out" '&1' "$COMPARE" "$B" "$A"
expect_line '^string_concat +pymalloc +ns/op +0\.63x +\[0\.58, 0\.69\] +faster +0\.0003 +0\.01$'

# A run against itself: every test is p = 1, nothing is different (the intervals are as
# wide as the processes' spread).
runs "compare of a run with itself" "$WORK/out" '&1' "$COMPARE" "$A" "$A"
check "every test is 1.00x and not significant" \
  test "$(grep -cE ' 1\.00x +\[[0-9.]+, [0-9.]+\] +no significant difference +1\.00 +1\.00$' "$WORK/out")" -eq 48
expect_line '^small_objects +pymalloc +ns/op +1\.00x +\[0\.63, 1\.58\] +no significant difference +1\.00 +1\.00$'
expect_line '^summary: of 16 pairs tested \(48 tests\), called different at alpha 0\.05: 0 pairs \(0 tests\) before correction, 0 pairs \(0 tests\) after Holm.s$'

# Exit status with --fail-on-regression.
exit_status 0 "A against A with --fail-on-regression=0" "$COMPARE" --fail-on-regression=0 "$A" "$A"
check "it says there is none" grep -qxF 'no regression beyond 0 %' "$WORK/out"
# B's one significant slowdown, 1.58x [1.44, 1.72], is not wholly above 1.50.
exit_status 0 "A against B with --fail-on-regression=50" "$COMPARE" --fail-on-regression=50 "$A" "$B"
check "no regression beyond 50 %" grep -qxF 'no regression beyond 50 %' "$WORK/out"
exit_status 1 "A against B with --fail-on-regression=40" "$COMPARE" --fail-on-regression=40 "$A" "$B"
check "it names the regression" grep -qxF 'regression beyond 40 %: string_concat pymalloc ns/op 1.58x [1.44, 1.72] (Holm p 0.01)' "$WORK/out"
# glibc / small_objects is 1.50x [1.26, 1.78] but not significant after correction.
check "a slowdown that does not survive Holm's correction is not one" test "$(grep -c '^regression' "$WORK/out")" -eq 1

# A copy of fixture-a with pymalloc / string_concat 30 % slower in every process.
slow=$(fixture fixture-a)
scale "$slow" pymalloc,string_concat 1.3
exit_status 0 "A against A 30 % slower, without --fail-on-regression" "$COMPARE" "$A" "$slow"
expect_line '^string_concat +pymalloc +ns/op +1\.30x +\[1\.22, 1\.38\] +slower +0\.00028 +0\.01$'
check "the other pairs do not differ" test "$(grep -c 'no significant difference' "$WORK/out")" -eq 47
exit_status 1 "A against A 30 % slower with --fail-on-regression=10" "$COMPARE" --fail-on-regression=10 "$A" "$slow"
check "it names the regression" grep -qxF 'regression beyond 10 %: string_concat pymalloc ns/op 1.30x [1.22, 1.38] (Holm p 0.01)' "$WORK/out"
exit_status 0 "the same with --fail-on-regression=25" "$COMPARE" --fail-on-regression=25 "$A" "$slow"
exit_status 0 "30 % faster is no regression" "$COMPARE" --fail-on-regression=10 "$slow" "$A"
expect_line '^string_concat +pymalloc +ns/op +0\.77x +\[0\.72, 0\.82\] +faster '

# Drift between the runs: with a fifth allocator (a copy of glibc's rows), B 30 % slower on
# every string_concat pair and pymalloc's 1.3 x 1.3 slower: the median shift, +30 %, is
# taken off, and only pymalloc is slower; --absolute leaves every ratio at least 1.30x.
a=$(fixture fixture-a)
for f in results.csv samples.csv; do
  awk -F, -v OFS=, '1; NR > 1 && $1 == "glibc" { $1 = "glibc2"; print }' "$FIXTURES/fixture-a/$f" >"$a/$f"
done
b=$(fixture fixture-a)
cp "$a"/results.csv "$a"/samples.csv "$b"
for alloc in pymalloc glibc glibc2 bump jemalloc; do scale "$b" "$alloc,string_concat" 1.3; done
scale "$b" pymalloc,string_concat 1.3
runs "compare with a drift" "$WORK/out" "$WORK/err" "$COMPARE" "$a" "$b"
check "the drift is printed" grep -qE '^times relative to the drift between the runs.*: generator \+0\.0 %, list \+0\.0 %, small_objects \+0\.0 %, string_concat \+30\.0 %$' "$WORK/out"
expect_line '^string_concat +pymalloc +ns/op +1\.30x +\[1\.22, 1\.38\] +slower '
check "the other allocators are not" test "$(grep -cE '^string_concat .* ns/op +1\.00x .*no significant difference' "$WORK/out")" -eq 4
runs "compare with a drift, --absolute" "$WORK/out" "$WORK/err" "$COMPARE" --absolute "$a" "$b"
check "it says the times are as measured" grep -qxF 'times as measured (--absolute): no drift between the runs taken off' "$WORK/out"
expect_line '^string_concat +pymalloc +ns/op +1\.69x +\[1\.59, 1\.80\] +slower '
check "the others are as scaled" test "$(grep -cE '^string_concat .* ns/op +1\.30x ' "$WORK/out")" -eq 4

# The same in every process of a run: identical in both runs is no difference; the same
# within each run but different between them is a difference with p = 0.
a=$(fixture fixture-a) b=$(fixture fixture-a)
set_samples "$a" glibc,list 6 10.0 warm
set_samples "$b" glibc,list 6 12.0 warm
set_samples "$a" glibc,list 9 700000 cold
set_samples "$b" glibc,list 9 800000 cold
set_samples "$a" glibc,list 10 500000 cold
set_samples "$b" glibc,list 10 500000 cold
runs "compare of constant samples" "$WORK/out" "$WORK/err" "$COMPARE" "$a" "$b"
expect_line '^list +glibc +ns/op +1\.20x +\[1\.20, 1\.20\] +slower +0 +0$'
# (800000 + 65536) / (700000 + 65536)
expect_line '^list +glibc +peak RSS +1\.13x +\[1\.13, 1\.13\] +bigger +0 +0$'
expect_line '^list +glibc +final RSS +1\.00x +\[1\.00, 1\.00\] +no significant difference +1\.00 +1\.00$'
runs "compare of constant samples the other way" "$WORK/out" "$WORK/err" "$COMPARE" "$b" "$a"
expect_line '^list +glibc +ns/op +0\.83x +\[0\.83, 0\.83\] +faster +0 +0$'
expect_line '^list +glibc +peak RSS +0\.88x +\[0\.88, 0\.88\] +smaller +0 +0$'

# Pairs that cannot be tested: only in one run, fewer than 2 processes, another workload
# scale. Each says why and is left out of the correction.
a=$(fixture fixture-a) b=$(fixture fixture-a)
sed -i '/^bump,small_objects,/d' "$a/results.csv"
awk -F, '!($1 "," $2 == "glibc,generator" && $3 > 1)' "$FIXTURES/fixture-a/samples.csv" >"$a/samples.csv"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "ops_per_pass") c = i }
  $1 "," $2 == "jemalloc,list" { $c = 59553 } 1' "$FIXTURES/fixture-a/results.csv" >"$b/results.csv"
runs "compare with pairs that cannot be tested" "$WORK/out" "$WORK/err" "$COMPARE" "$a" "$b"
expect_line '^small_objects +bump +- +- +- +only in B$'
expect_line '^generator +glibc +ns/op +- +- +too few processes to tell \(1 vs 3\)$'
expect_line '^list +jemalloc +- +- +- +not compared: ops_per_pass differs \(59,552 vs 59,553\), so the figures differ in kind$'
check "the correction is over the tests made" grep -qF "after Holm's correction over the 39 tests" "$WORK/out"

# A workload label with a variant.
a=$(fixture fixture-a) b=$(fixture fixture-b)
for dir in "$a" "$b"; do sed -i 's|,string_concat,|,string_concat/join,|' "$dir/results.csv" "$dir/samples.csv"; done
runs "compare with a workload variant" "$WORK/out" "$WORK/err" "$COMPARE" "$a" "$b"
expect_line '^string_concat/join +pymalloc +ns/op +1\.58x +\[1\.44, 1\.72\] +slower '
expect_line '^string_concat/join +jemalloc +- +- +- +not compared: B failed: process 2: killed by signal 9$'

# Bad input: one line on stderr, exit 2.
nosamples=$(fixture fixture-a)
rm "$nosamples/samples.csv"
exit_status 2 "a run without samples.csv" "$COMPARE" "$A" "$nosamples"
check "it says why in one line" test "$(wc -l <"$WORK/err")" -eq 1
check "naming samples.csv" grep -qF "has no readable samples.csv" "$WORK/err"
exit_status 2 "a missing folder" "$COMPARE" "$A" "$WORK/no-such-run"
exit_status 2 "one folder" "$COMPARE" "$A"
exit_status 2 "a bad --alpha" "$COMPARE" --alpha=0 "$A" "$A"
exit_status 2 "a bad --fail-on-regression" "$COMPARE" --fail-on-regression=ten "$A" "$A"
check "it says why in one line" test "$(wc -l <"$WORK/err")" -eq 1
exit_status 2 "a negative --fail-on-regression" "$COMPARE" --fail-on-regression=-5 "$A" "$A"
finish
