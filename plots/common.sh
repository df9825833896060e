# common.sh: sourced by plots/plot and plots/compare.

PAB_PLOTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PAB_REPO_ROOT=$(cd "$PAB_PLOTS_DIR/.." && pwd)

# pab_results_check PROGRAM DIR: says in one line why DIR is not a results folder.
pab_results_check() {
  local prog=$1 dir=$2 header
  if [ ! -d "$dir" ]; then
    echo "$prog: no such results folder: $dir" >&2; return 1
  fi
  if [ ! -f "$dir/results.csv" ]; then
    echo "$prog: not a results folder (no results.csv): $dir" >&2; return 1
  fi
  header=$(head -n 1 "$dir/results.csv" | tr -d '\r')
  if ! awk -F, '{ for (i = 1; i <= NF; i++) seen[$i] = 1 }
                END { exit !(seen["allocator"] && seen["workload"] && seen["status"]) }' <<<"$header"; then
    echo "$prog: not a results folder ($dir/results.csv has no allocator, workload and status columns)" >&2
    return 1
  fi
}

# pab_awk PROGRAM.awk [awk args...]: runs one of our awk programs with the shared library.
pab_awk() {
  local program=$1; shift
  awk -f "$PAB_PLOTS_DIR/lib.awk" -f "$PAB_PLOTS_DIR/$program" "$@"
}
