#!/usr/bin/env bash
# plots/compare on the two fixture runs: the ratios and verdicts the fixtures were built
# to give. In fixture-b, glibc/small_objects is 0.8x as slow in all five repetitions and
# jemalloc/list_growth 1.25x (the smallest two-sided exact p for 5 vs 5 is 2/252 = 0.0079);
# bump ran 1 and 2 repetitions; jemalloc/string_concat failed; mimalloc is only in B.
source "$(dirname "$0")/testlib.sh"

expect_line() { check "line: $1" grep -qE "$1" "$WORK/out"; }

runs "compare exits 0" "$WORK/out" "$WORK/err" "$COMPARE" "$FIXTURES/fixture-a" "$FIXTURES/fixture-b"
cat "$WORK/out"
check "nothing on stderr" test ! -s "$WORK/err"
# 9.8 against 14 ns: a string comparison would call it slower.
expect_line '^small_objects +glibc +0\.70x +faster \(p=0\.0079\)$'
expect_line '^list_growth +jemalloc +1\.26x +slower \(p=0\.0079\)$'
expect_line '^small_objects +pymalloc +1\.01x +no significant difference \(p=[0-9.]+\)$'
expect_line '^string_concat +glibc +1\.01x +no significant difference \(p=[0-9.]+\)$'
expect_line '^small_objects +bump +1\.00x +too few repetitions to tell'
expect_line '^list_growth +bump +1\.00x +too few repetitions to tell \(5 vs 2: p cannot go below 0\.0952\)$'
expect_line '^string_concat +jemalloc +- +not compared: B failed: killed by signal 9'
expect_line '^small_objects +mimalloc +- +only in B$'
check "one line per pair of either run, plus three of heading" test "$(wc -l <"$WORK/out")" -eq $((13 + 3))

runs "compare of a run with itself" "$WORK/out" '&1' "$COMPARE" "$FIXTURES/fixture-a" "$FIXTURES/fixture-a"
check "every pair is 1.00x and not significant" \
  test "$(grep -cE ' 1\.00x +no significant difference \(p=1\.00\)$' "$WORK/out")" -eq 12
# Without the gbench JSON of a pair there is a ratio but no test.
dir=$(fixture fixture-b)
rm "$dir/gbench/glibc__small_objects.json"
runs "compare without one JSON" "$WORK/out" "$WORK/err" "$COMPARE" "$FIXTURES/fixture-a" "$dir"
expect_line '^small_objects +glibc +0\.70x +no U test: no gbench JSON for it in both runs$'
expect_line '^list_growth +jemalloc +1\.26x +slower \(p=0\.0079\)$'

# A workload label with a variant: its gbench files have '.' for the '/' (harness/contract.h).
a=$(fixture fixture-a) b=$(fixture fixture-b)
for dir in "$a" "$b"; do
  sed -i 's|,string_concat,|,string_concat/join,|' "$dir/results.csv"
  for f in "$dir"/gbench/*__string_concat.json; do mv "$f" "${f%.json}.join.json"; done
done
runs "compare with a workload variant" "$WORK/out" "$WORK/err" "$COMPARE" "$a" "$b"
expect_line '^string_concat/join +glibc +1\.01x +no significant difference \(p=[0-9.]+\)$'
expect_line '^string_concat/join +jemalloc +- +not compared: B failed: killed by signal 9'
finish
