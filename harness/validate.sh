#!/usr/bin/env bash
# harness/validate.sh [--budget=MINUTES] [--processes=N] [--allocator=LIST]
#   [--python=PATH] [--program=NAME,...]: does the suite tell the truth?
# Each program of workloads/programs/ is recorded (workloads/traces/record),
# its trace replayed on every allocator in one run (--trace), and the
# program run for real under every allocator's configuration (--real); then
# plots/validate compares the two rankings (VALIDATE.md). ./bench validate
# calls it after building. Everything goes to results/validate-<UTC>/; the
# real runs stop being started once the budget is spent (the report says
# which programs were left out).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/release
budget=30 processes=5 python=/usr/bin/python3.11 only=""
allocators=pymalloc,glibc,jemalloc,mimalloc,tcmalloc,pymalloc+jemalloc,pymalloc+mimalloc,pymalloc+tcmalloc
die() { echo "validate: $2" >&2; exit "$1"; }
for arg in "$@"; do
  case $arg in
  --budget=*) budget=${arg#*=} ;;
  --processes=*) processes=${arg#*=} ;;
  --allocator=*) allocators=${arg#*=} ;;
  --python=*) python=${arg#*=} ;;
  --program=*) only=${arg#*=} ;;
  *) die 2 "unknown argument '$arg' (--budget=MINUTES --processes=N --allocator=LIST --python=PATH --program=NAMES)" ;;
  esac
done
[[ $budget =~ ^[0-9]+$ ]] && [ "$budget" -gt 0 ] || die 2 "--budget wants whole minutes, at least 1"
programs=()
for p in "$root"/workloads/programs/*.py; do
  name=$(basename "$p" .py)
  [ -z "$only" ] || [[ ",$only," == *",$name,"* ]] || continue
  programs+=("$p")
done
[ ${#programs[@]} -gt 0 ] || die 2 "no program of workloads/programs/ matches '${only}'"

out=$root/results/validate-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out/traces" "$out/real" || die 1 "cannot make $out"
start=$SECONDS
traces=()
for p in "${programs[@]}"; do
  name=$(basename "$p" .py)
  if PAB_RECORDER=$bin/workloads/traces/libpab_recorder.so "$root/workloads/traces/record" \
    "$out/traces/$name.trace" -- "$python" "$p" >/dev/null 2>"$out/traces/$name.err"; then
    traces+=("$out/traces/$name.trace")
  else
    echo "validate: $name: not recorded: $(tail -n 1 "$out/traces/$name.err")" | tee -a "$out/skipped.txt" >&2
  fi
done
[ ${#traces[@]} -gt 0 ] || die 1 "no program could be recorded"
list=$(IFS=,; echo "${traces[*]}")
echo "validate: replaying ${#traces[@]} traces on $allocators ($processes processes each)" >&2
"$bin/harness/pyallocbench" --allocator="$allocators" --processes="$processes" --trace="$list" \
  --out="$out/replay" >"$out/replay.log" 2>&1 || die 1 "the replay run failed: $(tail -n 2 "$out/replay.log")"
for t in "${traces[@]}"; do
  name=$(basename "$t" .trace)
  if [ $((SECONDS - start)) -ge $((budget * 60)) ]; then
    echo "validate: $name: not run for real: the budget of $budget minutes is spent" | tee -a "$out/skipped.txt" >&2
    continue
  fi
  echo "validate: $name for real under $allocators" >&2
  "$bin/harness/pyallocbench" --real --allocator="$allocators" --processes="$processes" \
    --out="$out/real/$name" -- "$python" "$root/workloads/programs/$name.py" >"$out/real/$name.log" 2>&1 ||
    echo "validate: $name: the real run failed: $(tail -n 1 "$out/real/$name.log")" | tee -a "$out/skipped.txt" >&2
done
rm -f "$out"/traces/*.trace # tens of MB each; the replay's results keep what was measured
# The realistic programs: everyday code that no one workload models, as each script's
# docstring says ("Suite workload: none alone"; the "(mixed)" rows of its README).
realistic=$(grep -l '^Suite workload: none alone' "$root"/workloads/programs/*.py | xargs -n 1 basename |
  sed 's/\.py$//' | paste -sd, -)
"$root/plots/validate" --realistic="$realistic" "$out"
