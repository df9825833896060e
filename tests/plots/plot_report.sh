#!/usr/bin/env bash
# REPORT.md's layout and what it takes from metadata.json: the verdicts open it and one
# Skipped section ends it, with a reason that many pairs share said once; the environment
# that changes allocators and a build that is not a plain Release are said in its first
# lines; the floors left out of the verdicts come from metadata.json's floor_allocators,
# else from palette.tsv's roles.
source "$(dirname "$0")/testlib.sh"

# meta DIR PYTHON: edits DIR/metadata.json; PYTHON changes the dict m.
meta() {
  python3 -c 'import json, sys; p = sys.argv[1] + "/metadata.json"; m = json.load(open(p)); exec(sys.argv[2]); json.dump(m, open(p, "w"))' "$1" "$2"
}

dir=$(fixture fixture-b)
runs "plot exits 0" /dev/null "$WORK/err" "$PLOT" "$dir"
check "the verdicts come first" test "$(grep -m 1 '^## ' "$dir/REPORT.md")" = "## Fastest and smallest per workload"
check "Skipped comes last" test "$(grep '^## ' "$dir/REPORT.md" | tail -n 1)" = "## Skipped"
check "one Skipped section" test "$(grep -c '^## Skipped$' "$dir/REPORT.md")" -eq 1
check "the run's facts are there" grep -qxF '| allocator_env.MALLOC_ARENA_MAX | 2 |' "$dir/REPORT.md"
head -n 5 "$dir/REPORT.md" >"$WORK/head"
check "the first lines name the allocator environment" \
  grep -qxF '**Environment that changes allocators:** MALLOC_ARENA_MAX=2 (all pairs)' "$WORK/head"
check "a Release build has no warning" test -z "$(grep 'Release' "$WORK/head")"

dir=$(fixture fixture-a)
runs "plot of a run without allocator environment" /dev/null '&1' "$PLOT" "$dir"
check "no environment line" test -z "$(grep 'Environment that changes' "$dir/REPORT.md")"
meta "$dir" 'm["build_type"] = "Debug"'
runs "plot of a Debug run" /dev/null '&1' "$PLOT" "$dir"
check "the first lines say Debug" grep -qF '**Not a Release build** (build_type Debug, sanitizers off)' <(head -n 5 "$dir/REPORT.md")
meta "$dir" 'm["build_type"] = "Release"; m["sanitizers"] = True'
runs "plot of a sanitized run" /dev/null '&1' "$PLOT" "$dir"
check "the first lines say sanitizers" grep -qF '**Not a Release build** (build_type Release, sanitizers on)' <(head -n 5 "$dir/REPORT.md")

# fixture-a: bump (2.00 ns) is fastest on small_objects, then jemalloc (8.00), pymalloc (9.00).
dir=$(fixture fixture-a)
meta "$dir" 'm["floor_allocators"] = []'
runs "plot without floors" /dev/null '&1' "$PLOT" "$dir"
check "bump takes part in the verdicts" grep -q '^| small_objects | bump | 2.00 |' "$dir/REPORT.md"
meta "$dir" 'm["floor_allocators"] = ["bump", "jemalloc"]'
runs "plot with two floors" /dev/null '&1' "$PLOT" "$dir"
check "both are left out" grep -q '^| small_objects | pymalloc | 9.00 |' "$dir/REPORT.md"
check "and named, in palette order" grep -qF '(their figures are in the tables): jemalloc, bump.' "$dir/REPORT.md"
meta "$dir" 'del m["floor_allocators"]'
runs "plot of an older run" /dev/null '&1' "$PLOT" "$dir"
check "palette.tsv's floor is left out" grep -q '^| small_objects | jemalloc | 8.00 |' "$dir/REPORT.md"

# No fragmentation for string_concat (all allocators) and for pymalloc / list_growth: one line.
dir=$(fixture fixture-a)
awk -F, -v OFS=, 'NR > 1 && ($2 == "string_concat" || $1 $2 == "pymalloclist_growth") { $15 = "" } 1' \
  "$dir/results.csv" >"$WORK/r.csv" && mv "$WORK/r.csv" "$dir/results.csv"
runs "plot with empty fragmentation figures" /dev/null "$WORK/err" "$PLOT" "$dir"
line='fragmentation not reported (fewer than 256 KiB live): list_growth (pymalloc); string_concat (all allocators)'
check "stderr says it in one line" test "$(cat "$WORK/err")" = "plot: skipped: $line"
section "$dir/REPORT.md" "## Skipped" >"$WORK/skipped"
check "so does REPORT.md" test "$(grep '^- ' "$WORK/skipped")" = "- $line"
check "the cells say n/a" grep -qxF '| string_concat | n/a | n/a | n/a | n/a |' "$dir/REPORT.md"
finish
