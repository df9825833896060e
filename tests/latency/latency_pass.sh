#!/usr/bin/env bash
# latency_pass.sh PAB_CHILD: the child's --latency pass finds stalls of known
# number and size. `stalling` is glibc stalling 50 µs on every M-th call of
# each kind; a pass of n calls of a kind stalls floor(n / M) of them. The
# same pass on glibc itself gives what the workload's own slow calls (large
# reallocs copying their block) add, so per kind the calls above 10 µs on
# stalling must be floor(n / M) plus glibc's, within a small margin for the
# machine's hiccups; the maximum must reach 50 µs; glibc passes 100 µs on
# few calls. In a sanitizer build (BUILD "sanitize") the sanitizer's own
# allocator takes over 10 µs on thousands of reallocs, by a number that
# varies from run to run: there every stall must still be found (at least
# floor(n / M) calls above 10 µs) and reach 50 µs, but no upper bound is
# checked. Then the child's refusals.
set -uo pipefail
child=${1:?usage: $0 PAB_CHILD [release|sanitize]}
build=${2:-release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
unset PAB_STALL_EVERY
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

every=50
# The mallocs and frees from string_concat/copy (n of each), the reallocs from
# string_concat/inplace (n of them), each pass's other calls a handful.
args=(--workload=string_concat/copy --scale=2000 --seed=1 --latency)
reallocs=(--workload=string_concat/inplace --scale=20000 --seed=1 --latency)

latency() { # ALLOCATOR NAME ARGS...: runs the pass into $work/NAME.latency.csv
  local allocator=$1 name=$2
  shift 2
  PAB_STALL_EVERY=$every "$child" --allocator="$allocator" "$@" --out="$work/$name" 2>"$work/$name.err" ||
    fail "pab-child --latency on $allocator exited $?: $(cat "$work/$name.err")"
}
# cell ALLOCATOR KIND COLUMN: one figure of the pass's summary.
cell() {
  awk -F, -v kind="$2" -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $1 == kind { print $c[col] }' "$work/$1.latency.csv"
}

latency glibc glibc "${args[@]}"
latency stalling stalling "${args[@]}"
latency glibc glibc.realloc "${reallocs[@]}"
latency stalling stalling.realloc "${reallocs[@]}"
[ "$(head -n 1 "$work/stalling.latency.csv")" = \
  kind,calls,clock_ns,resolution_ns,p50_ns,p99_ns,p99_9_ns,p99_99_ns,max_ns,mean_ns,over_10us,over_100us ] ||
  fail "latency.csv header: $(head -n 1 "$work/stalling.latency.csv")"
[ "$(head -n 1 "$work/stalling.latency_bins.csv")" = kind,low_ns,high_ns,calls ] ||
  fail "latency_bins.csv header: $(head -n 1 "$work/stalling.latency_bins.csv")"
[ "$(cut -d, -f1 "$work/stalling.latency.csv" | paste -sd, -)" = kind,malloc,realloc,free ] ||
  fail "not one line per kind: $(cut -d, -f1 "$work/stalling.latency.csv" | paste -sd, -)"
for kind in malloc realloc free; do
  of=""
  [ "$kind" = realloc ] && of=.realloc
  calls=$(cell stalling$of "$kind" calls)
  [ "$calls" = "$(cell glibc$of "$kind" calls)" ] || fail "$kind: $calls calls on stalling, $(cell glibc$of "$kind" calls) on glibc"
  stalls=$((calls / every))
  [ "$stalls" -ge 5 ] || fail "$kind: $calls calls make only $stalls stalls: the test needs more"
  own=$(cell glibc$of "$kind" over_10us)
  over=$(cell stalling$of "$kind" over_10us)
  want=$((stalls + own))
  margin=$((3 + want / 20))
  [ "$over" -ge "$stalls" ] || fail "$kind: $over calls above 10 µs, fewer than the $stalls stalls"
  [ "$build" = sanitize ] || { [ "$over" -ge $((want - margin)) ] && [ "$over" -le $((want + margin)) ]; } ||
    fail "$kind: $over calls above 10 µs, not $stalls stalls + glibc's own $own (± $margin)"
  max=$(cell stalling$of "$kind" max_ns)
  [ "$max" -ge 50000 ] || fail "$kind: the maximum $max ns misses the 50 µs stalls"
  [ "$build" = sanitize ] || [ "$(cell stalling$of "$kind" p50_ns)" -lt 10000 ] || fail "$kind: p50 $(cell stalling$of "$kind" p50_ns) ns: the stalls are 1 in $every"
  # The bins hold every call, in order, and the max lies in the last of them.
  awk -F, -v kind="$kind" -v calls="$calls" -v max="$max" 'NR > 1 && $1 == kind {
      if ($2 + 0 >= $3 + 0 || $2 + 0 < last) bad = bad " bin " $2 "-" $3 " out of order;"
      last = $3; top = $2; sum += $4 }
    END { if (sum != calls) bad = bad " bins hold " sum " calls;"
          if (!(top <= max && max < last)) bad = bad " max " max " outside the last bin " top "-" last ";"
          if (bad) { print bad; exit 1 } }' "$work/stalling$of.latency_bins.csv" >"$work/bins" ||
    fail "$kind: latency_bins.csv:$(cat "$work/bins")"
  glibc_slow=$(cell glibc$of "$kind" over_100us)
  [ "$build" = sanitize ] || [ "$glibc_slow" -le $((5 + calls / 1000)) ] ||
    fail "$kind: $glibc_slow of glibc's $calls calls above 100 µs"
done
clock=$(cell stalling malloc clock_ns)
awk -v c="$clock" -v r="$(cell stalling malloc resolution_ns)" 'BEGIN { exit !(c > 0 && c < 1000 && r > 0) }' ||
  fail "clock cost $clock ns, resolution $(cell stalling malloc resolution_ns) ns"
echo "clock $clock ns; stalling: $(sed 1d "$work/stalling.latency.csv" | paste -sd' ' -)"

# refused CODE WHAT ARGS...: exits CODE with one line on stderr naming WHAT, leaving nothing.
refused() {
  local code=$1 what=$2 status
  shift 2
  rm -rf "$work/out" && mkdir "$work/out"
  # --out first: a test's own --out comes later and wins.
  "$child" --out="$work/out/p" "$@" >/dev/null 2>"$work/err"
  status=$?
  [ "$status" -eq "$code" ] || fail "$* exited $status, not $code: $(cat "$work/err")"
  [ "$(wc -l <"$work/err")" -eq 1 ] && grep -qF -- "$what" "$work/err" ||
    fail "$*: stderr is not one line naming '$what': $(cat "$work/err")"
  [ -z "$(ls -A "$work/out")" ] || fail "$* left $(ls -A "$work/out")"
}
refused 2 "give one" --allocator=glibc "${args[@]}" --series
refused 2 "give one" --allocator=glibc "${args[@]}" --count
refused 2 "needs --series" --allocator=glibc "${args[@]}" --markers
refused 3 "needs PAB_STALL_EVERY" --allocator=stalling "${args[@]}"
PAB_STALL_EVERY=0 refused 3 "needs PAB_STALL_EVERY" --allocator=stalling "${args[@]}"
PAB_STALL_EVERY=5x refused 3 "needs PAB_STALL_EVERY" --allocator=stalling "${args[@]}"
refused 2 "cannot write" --allocator=glibc "${args[@]}" --out="$work/missing/p"

[ "$failures" -eq 0 ] && echo "all passed" || { echo "$failures failed" >&2; exit 1; }
