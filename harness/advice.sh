#!/usr/bin/env bash
# harness/advice.sh [--processes=N] [--allocator=LIST] [--python=PATH] [--quick]
#   [--out=DIR]: the
# everyday Python advice, modelled and real. One run of the advice's workloads
# (plots/advice workloads) on the allocators, then each script of the advice
# (plots/advice programs) run for real under the same allocators into the
# run's programs/<stem>/, then plots/plot, whose REPORT.md sets each real
# saving beside the modelled one. ./bench advice calls it after building.
# Exit 2 on bad arguments (nothing made), 1 when a run failed (the report says
# which real rows are missing). PAB_PYALLOCBENCH names another build's binary.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${PAB_PYALLOCBENCH:-$root/build/release/harness/pyallocbench}
processes=5 python=/usr/bin/python3.11 quick=() out=()
# The configurations ./bench real can run (README.md); bump and cpython have no real twin.
allocators=pymalloc,glibc,jemalloc,mimalloc,tcmalloc,pymalloc+jemalloc,pymalloc+mimalloc,pymalloc+tcmalloc
die() { echo "advice: $2" >&2; exit "$1"; }
for arg in "$@"; do
  case $arg in
  --processes=*) processes=${arg#*=} ;;
  --allocator=*) allocators=${arg#*=} ;;
  --python=*) python=${arg#*=} ;;
  --quick) quick=(--quick) ;;
  --out=*) out=("$arg") ;;
  *) die 2 "unknown argument '$arg' (--processes=N --allocator=LIST --python=PATH --quick --out=DIR)" ;;
  esac
done
[ -x "$python" ] || die 2 "no interpreter at $python"
workloads=$("$root/plots/advice" workloads) && programs=$("$root/plots/advice" programs) ||
  die 1 "plots/advice could not list the advice"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$bin" --allocator="$allocators" --workload="$workloads" --processes="$processes" "${quick[@]}" \
  "${out[@]}" |
  tee "$log"
status=${PIPESTATUS[0]}
dir=$(sed -n 's/^results: //p' "$log" | tail -n 1)
[ -n "$dir" ] || exit "$status" # bad input makes no folder
for stem in ${programs//,/ }; do
  echo "advice: $stem.py for real under $allocators" >&2
  "$bin" --real --allocator="$allocators" --processes="$processes" --out="$dir/programs/$stem" \
    -- "$python" "$root/workloads/programs/$stem.py" >"$log" 2>&1 ||
    { echo "advice: $stem.py: the real run failed: $(tail -n 1 "$log")" >&2; status=1; }
done
"$root/plots/plot" "$dir" || status=1
exit "$status"
