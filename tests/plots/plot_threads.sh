#!/usr/bin/env bash
# A run with threaded workloads (fixture-threads: --quick --threads=1,2,4 of glibc, pymalloc
# and both lock models on threads_churn and threads_handoff, 3 processes, on 2 CPUs): the
# Threads section with its rows per thread count, the 4-thread rows marked oversubscribed,
# threads_handoff's 1-thread rows saying producer and consumer share the thread, pymalloc's
# rows past 1 thread not run with why, the lock costs at 1 thread paired by round, a scaling
# plot per threaded workload, no RSS series for them; compare keys pairs by thread count too;
# and a folder of before the threads column (fixture-a) reads as 1 thread, with no Threads
# section.
source "$(dirname "$0")/testlib.sh"

threads_table() { section "$1/REPORT.md" "## Threads" | section /dev/stdin "### $2"; }

dir=$(fixture fixture-threads)
runs "plot exits 0" /dev/null "$WORK/err" "$PLOT" "$dir"
check "a Threads section after Memory" test "$(grep '^## ' "$dir/REPORT.md" | grep -A1 -x '## Memory' | tail -n 1)" = "## Threads"
threads_table "$dir" threads_churn >"$WORK/churn"
threads_table "$dir" threads_handoff >"$WORK/handoff"
check "its columns" grep -qxF '| allocator | threads | Mops/s | per thread | peak RSS | threads alive | joined | joined, trimmed |' "$WORK/churn"
check "a row per allocator and thread count" test "$(grep -c '^| [^|]* | [0-9]' "$WORK/churn")" -eq 12
check "4 threads on 2 CPUs are oversubscribed" test "$(grep -c '^| [^|]* | 4 (oversubscribed) |' "$WORK/churn")" -eq 4
check "no 2-thread row is" test -z "$(grep '^| [^|]* | 2 (oversubscribed)' "$WORK/churn")"
check "handoff at 1 thread says so" test "$(grep -c '^| [^|]* | 1 (producer and consumer in one thread) |' "$WORK/handoff")" -eq 4
check "churn at 1 thread does not" test -z "$(grep 'producer and consumer' "$WORK/churn")"
check "pymalloc past 1 thread: not run, and why" \
  grep -qF '| pymalloc | 2 | not run: pymalloc is not thread-safe: at 2 threads it runs as pymalloc@mutex and pymalloc@gil |' "$WORK/churn"
# Per thread is all threads' throughput over their count: its interval too.
row=$(grep '^| glibc | 2 |' "$WORK/churn")
all=$(echo "$row" | awk -F' [|] ' '{ print $3 }' | awk '{ print $1 }')
per=$(echo "$row" | awk -F' [|] ' '{ print $4 }' | awk '{ print $1 }')
check "per thread is half of all at 2 threads ($all, $per)" awk -v a="$all" -v p="$per" 'BEGIN { exit !(p > 0 && (a / p - 2) ^ 2 < 0.01) }'
section "$dir/REPORT.md" "## Threads" | section /dev/stdin "### What a lock costs at one thread" >"$WORK/locks"
check "a lock cost per workload and model" test "$(grep -c '^| threads_' "$WORK/locks")" -eq 4
check "against the unlocked allocator" grep -qE '^\| threads_churn \| pymalloc@mutex \| pymalloc \| [0-9.]+ \| [0-9.]+ \| [0-9.]+x \[[0-9.]+, [0-9.]+\] \|$' "$WORK/locks"
for w in threads_churn threads_handoff; do
  check "scaling_$w drawn" is_png "$dir/plots/scaling_$w.png"
  check "scaling_$w.svg" is_svg "$dir/plots/scaling_$w.svg"
  check "scaling_$w in the report" grep -qF "(plots/scaling_$w.png)" "$dir/REPORT.md"
  check "no series for $w" test ! -e "$dir/plots/series_$w.png"
done
check "the legend names each allocator drawn" svg_has_legend "$dir/plots/scaling_threads_churn.svg" "pymalloc@gil"
check "a cell of a pair not run reads so" grep -qE '^\| threads_churn/t2 \| not run \|' "$dir/REPORT.md"
check "the Skipped note says why" grep -qF -- '- not run: pymalloc is not thread-safe: at 2 threads' "$dir/REPORT.md"

runs "compare of the run with itself" "$WORK/cmp" "$WORK/err" "$COMPARE" "$dir" "$dir"
check "compare keys rows by thread count" grep -qE '^threads_churn/t2 +glibc +ns/op +1.00x' "$WORK/cmp"
check "a row not run is not compared" grep -qE '^threads_churn/t4 +pymalloc .* not compared: A not run: pymalloc is not thread-safe' "$WORK/cmp"

old=$(fixture fixture-a)
runs "plot of a folder without the threads column" /dev/null "$WORK/err" "$PLOT" "$old"
check "no Threads section there" test -z "$(grep -x '## Threads' "$old/REPORT.md")"
finish
