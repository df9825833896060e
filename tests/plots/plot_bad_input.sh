#!/usr/bin/env bash
# Bad input to plots/plot and plots/compare: one line on stderr, a non-zero exit, and
# nothing written.
source "$(dirname "$0")/testlib.sh"

# expect_refusal WHAT DIR_TO_WATCH COMMAND...: one stderr line, non-zero exit, DIR unchanged.
expect_refusal() {
  local what=$1 watch=$2 before after status; shift 2
  before=$(ls -A "$watch" 2>/dev/null | sort)
  "$@" >"$WORK/out" 2>"$WORK/err"; status=$?
  after=$(ls -A "$watch" 2>/dev/null | sort)
  check "$what: non-zero exit" test "$status" -ne 0
  check "$what: one line on stderr" test "$(wc -l <"$WORK/err")" -eq 1
  check "$what: nothing on stdout" test ! -s "$WORK/out"
  check "$what: nothing written" test "$before" = "$after"
}

mkdir "$WORK/parent"
expect_refusal "plot of a missing folder" "$WORK/parent" "$PLOT" "$WORK/parent/no-such-run"
check "it names the folder" grep -q 'no such results folder' "$WORK/err"

mkdir "$WORK/empty"
expect_refusal "plot of a folder without results.csv" "$WORK/empty" "$PLOT" "$WORK/empty"
check "it says why" grep -q 'not a results folder (no results.csv)' "$WORK/err"

mkdir "$WORK/wrong"
printf 'name,value\nx,1\n' >"$WORK/wrong/results.csv"
expect_refusal "plot of a CSV that is not a results table" "$WORK/wrong" "$PLOT" "$WORK/wrong"

dir=$(fixture fixture-a)
expect_refusal "plot with an unknown option" "$dir" "$PLOT" --colour=red "$dir"
expect_refusal "plot of two folders" "$dir" "$PLOT" "$dir" "$dir"

expect_refusal "compare of one folder" "$dir" "$COMPARE" "$dir"
expect_refusal "compare with a missing folder" "$dir" "$COMPARE" "$dir" "$WORK/no-such-run"
expect_refusal "compare with a bad alpha" "$dir" "$COMPARE" --alpha=5 "$dir" "$dir"
expect_refusal "compare with a bad regression limit" "$dir" "$COMPARE" --fail-on-regression=x "$dir" "$dir"
old=$(fixture fixture-a)
rm "$old/samples.csv"
expect_refusal "compare of a run without samples.csv" "$old" "$COMPARE" "$dir" "$old"
check "it says so" grep -qF 'has no readable samples.csv' "$WORK/err"
finish
