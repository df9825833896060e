#!/usr/bin/env bash
# REPORT.md's layout and what it takes from metadata.json: the verdicts open it and one
# Skipped section ends it, with a reason that many pairs share said once; the environment
# that changes allocators, a build that is not a plain Release and the warnings a user
# needs (a --quick run, Google Benchmark's debug library, CPU scaling, the load average and
# a busy machine, no hardware counters, the unstable pairs) are said in its first lines,
# before the first section; the floors left out of the verdicts come from metadata.json's
# floor_allocators, else from palette.tsv's roles.
source "$(dirname "$0")/testlib.sh"

# meta DIR PYTHON: edits DIR/metadata.json; PYTHON changes the dict m.
meta() {
  python3 -c 'import json, sys; p = sys.argv[1] + "/metadata.json"; m = json.load(open(p)); exec(sys.argv[2]); json.dump(m, open(p, "w"))' "$1" "$2"
}
# first_lines DIR: REPORT.md up to its first section.
first_lines() { awk '/^## / { exit } 1' "$1/REPORT.md"; }

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
# fixture-b is a --quick run with Debian's debug Google Benchmark, no hardware counters and
# CPU scaling disabled, started at a load of 1.01 on 2 CPUs; one pair is unstable.
first_lines "$dir" >"$WORK/first"
check "a quick run is a smoke test" grep -qxF -- '- **A --quick run is a smoke test: its figures are not for decisions.**' "$WORK/first"
check "Google Benchmark's debug build is said" grep -qF -- "- **Google Benchmark's library is a debug build** (its own warning" "$WORK/first"
check "the load average at start and end" grep -qxF -- '- Load average (1, 5, 15 minutes): 1.01 1.64 1.08 at the start, 1.01 1.64 1.08 at the end, on 2 CPUs online.' "$WORK/first"
check "hardware counters unavailable, in one line" test "$(grep -c 'counters' "$WORK/first")" -eq 1
check "and why" grep -qxF -- '- Hardware counters unavailable (not supported by this machine): no instructions, cycles, cache or dTLB misses per call.' "$WORK/first"
check "the unstable pair is listed" grep -qF -- '- **Unstable pairs** (marked † in the tables' "$WORK/first"
check "by workload" grep -qF 'more --processes): generator (bump).' "$WORK/first"
check "no CPU scaling warning when it is disabled" test -z "$(grep -i 'scaling' "$WORK/first")"
check "no busy-machine warning below one load per CPU" test -z "$(grep -i 'busy' "$WORK/first")"
check "the unstable pair is marked in the tables" grep -qxF '| generator | 16.4 [14.9, 17.9] | 23.0 [19.5, 25.6] | 18.7 [14.7, 21.8] | 16.8 [9.43, 24.4] † |' "$dir/REPORT.md"
meta "$dir" 'm.update(cpu_scaling="enabled", load_average_start="2.50 1.00 0.50", hardware_counters="available", quick=False, gbench_library_build_type="release")'
sed -i 's/^bump,generator,ok,3,1,/bump,generator,ok,3,0,/' "$dir/results.csv"
runs "plot of a run on a busy machine" /dev/null '&1' "$PLOT" "$dir"
first_lines "$dir" >"$WORK/first"
check "CPU scaling is said" grep -qF -- '- **CPU frequency scaling is enabled**' "$WORK/first"
check "a busy start is said" grep -qxF -- '- **The machine was busy when the run started**: a 1-minute load of 2.50 on 2 CPUs means other work shared them, so times are slower and noisier than on a quiet machine.' "$WORK/first"
check "the load average is still given" grep -qF -- '- Load average (1, 5, 15 minutes): 2.50 1.00 0.50 at the start' "$WORK/first"
for gone in 'smoke test' 'debug build' 'counters' 'Unstable' '†'; do
  check "nothing says '$gone' when it does not apply" test -z "$(grep -F -- "$gone" "$WORK/first")"
done
check "no † in the tables without unstable pairs" test -z "$(grep -F '†' "$dir/REPORT.md")"

dir=$(fixture fixture-a)
runs "plot of a run without allocator environment" /dev/null '&1' "$PLOT" "$dir"
check "no environment line" test -z "$(grep 'Environment that changes' "$dir/REPORT.md")"
meta "$dir" 'm["build_type"] = "Debug"'
runs "plot of a Debug run" /dev/null '&1' "$PLOT" "$dir"
check "the first lines say Debug" grep -qF '**Not a Release build** (build_type Debug, sanitizers off)' <(head -n 5 "$dir/REPORT.md")
meta "$dir" 'm["build_type"] = "Release"; m["sanitizers"] = True'
runs "plot of a sanitized run" /dev/null '&1' "$PLOT" "$dir"
check "the first lines say sanitizers" grep -qF '**Not a Release build** (build_type Release, sanitizers on)' <(head -n 5 "$dir/REPORT.md")

# fixture-b's list: pymalloc's ns/op interval (19.5 [18.1, 21.2]) lies below glibc's and
# jemalloc's, but bump's, the floor's (20.0 [19.6, 20.6]), overlaps it.
dir=$(fixture fixture-b)
meta "$dir" 'm["floor_allocators"] = []'
runs "plot without floors" /dev/null '&1' "$PLOT" "$dir"
check "bump takes part in the verdicts" grep -q '^| list | tie: pymalloc, bump | 19.5 \[18.1, 21.2\] |' "$dir/REPORT.md"
meta "$dir" 'm["floor_allocators"] = ["bump", "pymalloc"]'
runs "plot with two floors" /dev/null '&1' "$PLOT" "$dir"
check "both are left out" grep -q '^| list | jemalloc | 25.5 \[24.1, 26.8\] | 1.19x faster than glibc' "$dir/REPORT.md"
check "and named, in palette order" grep -qF '(their figures are in the tables): pymalloc, bump.' "$dir/REPORT.md"
meta "$dir" 'del m["floor_allocators"]'
runs "plot of an older run" /dev/null '&1' "$PLOT" "$dir"
check "palette.tsv's floor is left out" grep -q '^| list | pymalloc | 19.5 \[18.1, 21.2\] |' "$dir/REPORT.md"

# No fragmentation for string_concat and generator (all allocators: too few bytes live in
# a quick run) and, in this copy, for pymalloc / list: one line.
dir=$(fixture fixture-a)
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^fragmentation/) f[i] = 1 }
  NR > 1 && $1 $2 == "pymalloclist" { for (i in f) $i = "" } 1' \
  "$dir/results.csv" >"$WORK/r.csv" && mv "$WORK/r.csv" "$dir/results.csv"
runs "plot with empty fragmentation figures" /dev/null "$WORK/err" "$PLOT" "$dir"
line='fragmentation not reported (fewer than 256 KiB live): string_concat, generator (all allocators); list (pymalloc)'
check "stderr says it in one line" test "$(grep fragmentation "$WORK/err")" = "plot: skipped: $line"
section "$dir/REPORT.md" "## Skipped" >"$WORK/skipped"
check "so does REPORT.md" test "$(grep '^- .*fragmentation' "$WORK/skipped")" = "- $line"
check "the cells say n/a" grep -qxF '| string_concat | n/a | n/a | n/a | n/a |' "$dir/REPORT.md"
check "pymalloc's list cell says n/a" grep -qxF '| list | n/a | 1.72 | 1.85 [1.83, 1.86] | 5.69 |' "$dir/REPORT.md"
finish
