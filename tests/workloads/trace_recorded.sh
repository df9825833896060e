#!/usr/bin/env bash
# trace_recorded.sh PYALLOCBENCH RECORD RECORDER TRACE_INFO ALLOCATORS: a trace
# recorded from a real python3.11 run, replayed by --workload=trace on
# ALLOCATORS (one row named trace/STEM each, as many calls per pass as the
# trace has records); a trace of 35 MB kept alive replayed with a peak RSS
# that holds it (nothing the replay's loading freed may serve it); and every
# bad --trace refused in one line with exit 2 and no results folder.
set -uo pipefail
bench=$1 record=$2 recorder=$3 info=$4 allocators=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
[ -x /usr/bin/python3.11 ] || { echo "skipped: /usr/bin/python3.11 is not installed"; exit 77; }

trace=$work/Word-Count.trace
PAB_RECORDER=$recorder PAB_TRACE_INFO=$info "$record" "$trace" -- /usr/bin/python3.11 -c \
  'import collections; words = ("w%d" % (i % 997) for i in range(60000)); c = collections.Counter(words); print(len(c))' \
  >/dev/null || { echo "FAIL: cannot record" >&2; exit 1; }
records=$("$info" "$trace" | sed -n 's/^records: //p')

"$bench" --quick --allocator="$allocators" --trace="$trace" --out="$work/out" >"$work/stdout" 2>"$work/stderr" ||
  fail "replay exited $?: $(tail -n 2 "$work/stderr")"
for a in ${allocators//,/ }; do
  awk -F, -v a="$a" -v n="$records" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == a && $2 == "trace/word_count" && $4 == "ok" && $col["ops_per_pass"] == n { found = 1 }
    END { exit !found }' "$work/out/latest/results.csv" ||
    fail "$a: no ok row trace/word_count with $records calls per pass"
done

# Every block is written, so the replay's peak above the child's baseline holds the bytes
# live at its mark, unless memory that the loading of the trace malloc'ed and freed before
# the baseline serves them (a preloaded malloc is the allocator under test, and tcmalloc
# keeps a freed array's pages): 10 % is left for headers shared with the baseline.
trace=$work/Kept.trace
PAB_RECORDER=$recorder PAB_TRACE_INFO=$info "$record" "$trace" -- /usr/bin/python3.11 -c \
  'small = [bytes(100) for _ in range(200000)]; large = [bytes(1000) for _ in range(5000)]; print(len(small) + len(large))' \
  >/dev/null || { echo "FAIL: cannot record" >&2; exit 1; }
"$bench" --quick --allocator="$allocators" --trace="$trace" --out="$work/kept" >"$work/stdout" 2>"$work/stderr" ||
  fail "replay of the kept trace exited $?: $(tail -n 2 "$work/stderr")"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  { rows++
    if ($col["live_bytes"] < 25e6) { printf "%s: only %d bytes live at the mark\n", $1, $col["live_bytes"]; bad = 1 }
    else if ($col["peak_rss_bytes"] < 0.9 * $col["live_bytes"])
      { printf "%s: peak RSS %d below the %d bytes live at the mark\n", $1, $col["peak_rss_bytes"], $col["live_bytes"]; bad = 1 } }
  END { exit bad || !rows }' "$work/kept/latest/results.csv" >"$work/kept.txt" ||
  fail "the kept trace: $(tr '\n' ';' <"$work/kept.txt")"

# refused WHAT ARGS...: exit 2, one line on stderr saying WHAT, no results folder.
refused() {
  local what=$1 out="$work/refused.$RANDOM"
  shift
  "$bench" --quick --allocator=glibc --out="$out" "$@" >/dev/null 2>"$work/err"
  local status=$?
  [ "$status" -eq 2 ] || fail "$*: exit $status, not 2"
  [ "$(wc -l <"$work/err")" -eq 1 ] && grep -qF -- "$what" "$work/err" || fail "$*: stderr: $(cat "$work/err")"
  [ ! -e "$out" ] || fail "$*: a results folder was made"
}
head -c 5000 "$trace" >"$work/cut.trace"
cp "$trace" "$work/other.trace"
mkdir "$work/sub" && cp "$trace" "$work/sub/other.trace"
refused "cannot open" --trace="$work/missing.trace"
refused "trunc" --trace="$work/cut.trace"
refused "replays a file: give it with --trace" --workload=trace
refused "--trace needs --workload=trace" --workload=list --trace="$trace"
refused "would both be the row trace/other" --trace="$work/other.trace,$work/sub/other.trace"
[ "$failures" -eq 0 ] && echo "all passed"
exit $((failures > 0))
