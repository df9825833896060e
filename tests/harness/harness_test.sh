#!/usr/bin/env bash
# harness_test.sh CASE PYALLOCBENCH PAB_CHILD: one test of the parent
# program, run on the built binaries. Failing children are made by a stand-in
# pab-child script placed beside a copy of pyallocbench (which looks for its
# child beside itself); the stand-in fails as the PAB_TEST_* variables that
# the test passes with --env tell it, and otherwise runs the real child.
set -uo pipefail

case_name=$1
bench=$2
real_child=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Only these run under the sanitizer build (no LD_PRELOAD with ASan).
allocators=glibc,pymalloc,bump
columns=allocator,workload,status,ops_per_sec,ns_per_op,ns_per_op_spread,repetitions,ops_per_pass,baseline_rss_bytes,peak_rss_bytes,mark_rss_bytes,final_rss_bytes,trimmed_rss_bytes,live_bytes,fragmentation

fail() {
  echo "FAIL ($case_name): $*" >&2
  exit 1
}

workloads() {
  "$bench" --list | awk '$1 == "workload" { print $2 }' | paste -sd, -
}

# The results folder a run made, from its last line on stdout.
results_dir() {
  sed -n 's/^results: //p' "$1" | tail -n 1
}

# The value of column $2 in the row of allocator $3 and workload $4 of CSV $1.
cell() {
  awk -F, -v col="$2" -v a="$3" -v w="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
    $1 == a && $2 == w { print $c }' "$1"
}

make_stand_in() {
  mkdir -p "$work/bin"
  cp "$bench" "$work/bin/pyallocbench"
  cat >"$work/bin/pab-child" <<EOF
#!/usr/bin/env bash
probe=no
for arg in "\$@"; do
  case \$arg in
  --allocator=*) allocator=\${arg#--allocator=} ;;
  --probe) probe=yes ;;
  esac
done
if [ "\$probe" = no ]; then
  [ -n "\${PAB_TEST_PIDFILE-}" ] && echo \$\$ >"\$PAB_TEST_PIDFILE"
  case \$allocator in
  "\${PAB_TEST_KILL-}") kill -9 \$\$ ;;
  "\${PAB_TEST_EXIT-}")
    echo "an earlier line" >&2
    echo "stand-in gives up, as told" >&2
    exit 7
    ;;
  "\${PAB_TEST_HANG-}") exec sleep 120 ;;
  "\${PAB_TEST_GROW-}") exec python3 -c 'import time; b = b"x" * (400 << 20); time.sleep(120)' ;;
  esac
fi
exec "$real_child" "\$@"
EOF
  chmod +x "$work/bin/pab-child"
}

# ---- bad input: one line on stderr, status 2, nothing written ----
expect_bad_input() {
  local want=$1
  shift
  local out="$work/out"
  "$bench" --out="$out" "$@" >"$work/stdout" 2>"$work/stderr"
  local status=$?
  [ "$status" -eq 2 ] || fail "$* exited $status, not 2"
  [ "$(wc -l <"$work/stderr")" -eq 1 ] || fail "$* printed not one line on stderr: $(cat "$work/stderr")"
  grep -qF -- "$want" "$work/stderr" || fail "$*: stderr lacks '$want': $(cat "$work/stderr")"
  [ ! -s "$work/stdout" ] || fail "$* printed on stdout"
  [ ! -e "$out" ] || fail "$* created $out"
}

test_bad_input() {
  expect_bad_input "unknown allocator 'nope'; valid: " --allocator=nope
  expect_bad_input "unknown allocator 'nope'" --allocator glibc,nope
  expect_bad_input "unknown workload 'nope'; valid: " --workload=nope
  expect_bad_input "empty name" --allocator=glibc,,bump
  expect_bad_input "named twice" --allocator=glibc,glibc
  expect_bad_input "--repetitions takes a whole number" --repetitions=0
  expect_bad_input "--repetitions takes a whole number" --repetitions=three
  expect_bad_input "--seed takes a whole number" --seed=-1
  expect_bad_input "--seed takes a whole number" --seed=99999999999999999999999
  expect_bad_input "--scale takes a whole number" --scale=10x
  expect_bad_input "--timeout takes a whole number" --timeout=0
  expect_bad_input "--timeout needs a value" --timeout
  expect_bad_input "--memory-limit takes a whole number" --memory-limit=1.5
  expect_bad_input "--env takes KEY=VALUE" --env NOVALUE
  expect_bad_input "--env takes KEY=VALUE" --env==x
  expect_bad_input "unknown option '--frobnicate'; valid: --allocator" --frobnicate
  expect_bad_input "unexpected argument 'glibc'" glibc
  expect_bad_input "--quick takes no value" --quick=yes
  expect_bad_input "use --repetitions" --benchmark_repetitions=2
  expect_bad_input "--benchmark_out is set by pyallocbench" --benchmark_out=x.json

  # An output folder that can't be made: a path through a file. The last
  # --out wins, so it replaces expect_bad_input's own.
  touch "$work/a-file"
  expect_bad_input "is not a folder" --out="$work/a-file"
  expect_bad_input "Not a directory" --out="$work/a-file/below"
  if [ "$(id -u)" -ne 0 ]; then
    mkdir "$work/locked" && chmod 500 "$work/locked"
    expect_bad_input "cannot write to output folder" --out="$work/locked/runs"
  fi
  [ "$(ls -A "$work" | sort | paste -sd' ')" = "a-file stderr stdout" ] ||
    fail "bad input left files behind: $(ls -A "$work")"
}

# ---- --list names every allocator and workload of the tables ----
test_list() {
  "$bench" --list >"$work/list" 2>"$work/stderr" || fail "--list exited $?"
  [ ! -s "$work/stderr" ] || fail "--list wrote on stderr: $(cat "$work/stderr")"
  awk '$1 != "allocator" && $1 != "workload" { exit 1 }' "$work/list" ||
    fail "--list has a line that is neither an allocator nor a workload"
  for a in ${allocators//,/ }; do
    grep -qE "^allocator +$a +available " "$work/list" || fail "--list does not show $a available"
  done
  # The names --list shows are the names the parser accepts.
  "$bench" --allocator=nope 2>"$work/err"
  local valid listed
  valid=$(sed 's/.*valid: //' "$work/err" | tr -d ' ' | tr , '\n' | sort | paste -sd,)
  listed=$(awk '$1 == "allocator" { print $2 }' "$work/list" | sort | paste -sd,)
  [ "$valid" = "$listed" ] || fail "--list shows $listed, the parser knows $valid"
  [ -n "$(workloads)" ] || fail "--list shows no workload"
}

# ---- a --quick run: every file, every column, sane numbers ----
check_results_folder() {
  local dir=$1 pairs=$2
  for f in results.csv series.csv stats.csv metadata.json; do
    [ -s "$dir/$f" ] || fail "$dir/$f missing or empty"
  done
  [ "$(head -n 1 "$dir/results.csv")" = "$columns" ] || fail "results.csv header: $(head -n 1 "$dir/results.csv")"
  [ "$(head -n 1 "$dir/series.csv")" = allocator,workload,ops,rss_bytes,live_bytes ] || fail "series.csv header"
  [ "$(head -n 1 "$dir/stats.csv")" = allocator,workload,phase,counter,value ] || fail "stats.csv header"
  [ "$(($(wc -l <"$dir/results.csv") - 1))" -eq "$pairs" ] || fail "results.csv has not $pairs rows"
  [ -z "$(ls -A "$dir" | grep -v -x -e results.csv -e series.csv -e stats.csv -e metadata.json -e gbench)" ] ||
    fail "unexpected files in $dir: $(ls -A "$dir")"
}

check_ok_rows() {
  local csv=$1 reps=$2
  awk -F, -v reps="$reps" '
    NR == 1 { n = NF; next }
    {
      if (NF != n) { print "row " NR " has " NF " fields"; bad = 1 }
      if ($3 != "ok") { print $1 " x " $2 ": " $3; bad = 1 }
      for (i = 4; i <= NF; i++) {
        v = $i + 0
        # Every figure is a finite number. The spread and the RSS figures
        # (peak, mark, final, trimmed, fragmentation) may be zero: a pass
        # that fits in the pages the warm start touched adds nothing.
        # Fragmentation alone is left empty, when too few bytes are live to divide by.
        if (i == 15 && $i == "") { if ($14 + 0 >= 262144) { print $1 " x " $2 ": no fragmentation over " $14 " live bytes"; bad = 1 } }
        else if ($i !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) { print $1 " x " $2 " column " i ": " $i; bad = 1 }
        else if (v < 0 || (v == 0 && i != 6 && (i < 10 || i > 13) && i != 15)) { print $1 " x " $2 " column " i " not positive: " $i; bad = 1 }
      }
      # small_objects keeps about a MiB alive at its quick scale: RSS must show it.
      if ($2 == "small_objects" && $10 + 0 < 262144) { print $1 " x " $2 ": peak RSS " $10 " below 256 KiB"; bad = 1 }
      if ($7 != reps) { print $1 " x " $2 ": repetitions " $7; bad = 1 }
    }
    END { exit bad }' "$csv" || fail "bad rows in $csv"
}

test_quick_run() {
  local wl pairs dir
  wl=$(workloads)
  pairs=$((3 * $(echo "$wl" | tr , '\n' | wc -l)))
  "$bench" --quick --allocator=$allocators --workload="$wl" --out="$work/runs" --env PAB_TEST_KNOB=on-record \
    >"$work/stdout" 2>"$work/stderr" || fail "quick run exited $?: $(cat "$work/stderr")"
  dir=$(results_dir "$work/stdout")
  [ -d "$dir" ] || fail "no results folder named on stdout"
  [ "$(readlink "$work/runs/latest")" = "$(basename "$dir")" ] || fail "latest does not point at $dir"
  [[ $(basename "$dir") =~ ^[0-9]{8}T[0-9]{6}Z$ ]] || fail "folder name $(basename "$dir") is no UTC stamp"
  [ -z "$(ls -A "$work/runs" | grep -v -x -e latest -e "$(basename "$dir")")" ] ||
    fail "left over in the out folder: $(ls -A "$work/runs")"
  check_results_folder "$dir" "$pairs"
  check_ok_rows "$dir/results.csv" 3
  [ ! -s "$work/stderr" ] || fail "stderr, not a terminal, got: $(head -n 3 "$work/stderr")"
  for a in ${allocators//,/ }; do
    for w in ${wl//,/ }; do
      [ -s "$dir/gbench/${a}__$w.json" ] || fail "no gbench/${a}__$w.json"
      grep -q '"benchmarks"' "$dir/gbench/${a}__$w.json" || fail "gbench/${a}__$w.json is no benchmark JSON"
      grep -q "^$a,$w,[0-9]" "$dir/series.csv" || fail "series.csv has no rows for $a x $w"
      grep -q "^$a,$w,final," "$dir/stats.csv" || fail "stats.csv has no final rows for $a x $w"
      grep -q "^$a  *$w .* ok$" "$work/stdout" || fail "the summary table lacks $a x $w"
    done
  done
  for key in cpu_model kernel transparent_hugepage compiler allocator_versions command_line seed \
    git_commit start_utc end_utc; do
    grep -q "\"$key\": " "$dir/metadata.json" || fail "metadata.json lacks $key"
  done
  grep -q '"PAB_TEST_KNOB": "on-record"' "$dir/metadata.json" || fail "metadata.json lacks the --env knob"
  # generator frees each object before making the next: pymalloc reuses the
  # block, bump never does, so bump's peak must be the higher. (At quick
  # scale, on workloads that keep most of what they make, pymalloc's pools
  # per size class can outweigh bump's headers: no rule there.)
  [[ ,$wl, == *,generator,* ]] || fail "no generator workload; pick another that frees as it goes"
  local bump pymalloc
  bump=$(cell "$dir/results.csv" peak_rss_bytes bump generator)
  pymalloc=$(cell "$dir/results.csv" peak_rss_bytes pymalloc generator)
  [ "$bump" -gt "$pymalloc" ] || fail "generator: bump's peak RSS $bump is not above pymalloc's $pymalloc"
}

# ---- failing children: each says how, the other rows stay ----
test_child_failures() {
  local w dir
  w=$(workloads | cut -d, -f1)
  make_stand_in
  "$work/bin/pyallocbench" --quick --allocator=$allocators --workload="$w" --out="$work/runs" --progress \
    --env PAB_TEST_KILL=bump --env PAB_TEST_EXIT=pymalloc >"$work/stdout" 2>"$work/stderr"
  local status=$?
  [ "$status" -eq 1 ] || fail "a run with failed pairs exited $status, not 1"
  dir=$(results_dir "$work/stdout")
  check_results_folder "$dir" 3
  [ "$(cell "$dir/results.csv" status glibc "$w")" = ok ] || fail "glibc's row is not ok"
  [ "$(cell "$dir/results.csv" status bump "$w")" = "failed: killed by signal 9" ] ||
    fail "bump's status: $(cell "$dir/results.csv" status bump "$w")"
  [ "$(cell "$dir/results.csv" status pymalloc "$w")" = "failed: exit status 7: stand-in gives up; as told" ] ||
    fail "pymalloc's status: $(cell "$dir/results.csv" status pymalloc "$w")"
  grep -q "^bump,$w,failed: killed by signal 9,,,,,,,,,,,,$" "$dir/results.csv" || fail "a failed row keeps figures"
  [ -n "$(cell "$dir/results.csv" peak_rss_bytes glibc "$w")" ] || fail "glibc's figures are gone"
  [ ! -e "$dir/gbench/bump__$w.json" ] || fail "a failed pair left its JSON"
  ! grep -q "^bump," "$dir/series.csv" || fail "a failed pair left series rows"
  grep -q "bump × $w failed: killed by signal 9" "$work/stderr" || fail "no line on stderr for bump's failure"
  grep -q "^\[3/3\] bump × $w  (.* elapsed, ~.* left)$" "$work/stderr" || fail "--progress showed no [3/3] line"
}

# ---- the time limit, on a run whose every pair fails ----
test_time_limit() {
  local w dir
  w=$(workloads | cut -d, -f1)
  make_stand_in
  "$work/bin/pyallocbench" --quick --allocator=pymalloc --workload="$w" --out="$work/runs" --timeout=1 \
    --env PAB_TEST_HANG=pymalloc >"$work/stdout" 2>"$work/stderr"
  local status=$?
  [ "$status" -eq 1 ] || fail "a run whose pairs all failed exited $status, not 1"
  dir=$(results_dir "$work/stdout")
  check_results_folder "$dir" 1
  [ "$(cell "$dir/results.csv" status pymalloc "$w")" = "failed: killed by signal 9 (time limit 1 s)" ] ||
    fail "status: $(cell "$dir/results.csv" status pymalloc "$w")"
}

# ---- the memory limit ----
test_memory_limit() {
  local w dir
  w=$(workloads | cut -d, -f1)
  make_stand_in
  "$work/bin/pyallocbench" --quick --allocator=glibc,bump --workload="$w" --out="$work/runs" \
    --memory-limit=100 --env PAB_TEST_GROW=bump >"$work/stdout" 2>"$work/stderr"
  local status=$?
  [ "$status" -eq 1 ] || fail "a run with a failed pair exited $status, not 1"
  dir=$(results_dir "$work/stdout")
  check_results_folder "$dir" 2
  [ "$(cell "$dir/results.csv" status bump "$w")" = "failed: killed by signal 9 (memory limit 100 MiB)" ] ||
    fail "status: $(cell "$dir/results.csv" status bump "$w")"
  [ "$(cell "$dir/results.csv" status glibc "$w")" = ok ] || fail "glibc's row is not ok"
  grep -q '"memory_limit_mib": 100,' "$dir/metadata.json" || fail "metadata.json lacks the memory limit"
}

# ---- SIGINT: the child is killed and nothing is kept ----
test_interrupt() {
  local w pid status
  w=$(workloads | cut -d, -f1)
  make_stand_in
  # Job control, or bash would start the background job with SIGINT ignored.
  set -m
  "$work/bin/pyallocbench" --allocator=glibc --workload="$w" --out="$work/runs" \
    --env PAB_TEST_HANG=glibc --env PAB_TEST_PIDFILE="$work/child.pid" >"$work/stdout" 2>"$work/stderr" &
  pid=$!
  set +m
  for _ in $(seq 100); do
    [ -s "$work/child.pid" ] && break
    sleep 0.1
  done
  [ -s "$work/child.pid" ] || fail "the child never started"
  kill -INT "$pid"
  wait "$pid"
  status=$?
  [ "$status" -eq 130 ] || fail "interrupted run exited $status, not 130"
  grep -q "interrupted; nothing kept" "$work/stderr" || fail "no word of the interruption on stderr"
  [ -z "$(ls -A "$work/runs")" ] || fail "an interrupted run left: $(ls -A "$work/runs")"
  ! kill -0 "$(cat "$work/child.pid")" 2>/dev/null || fail "the child outlived the interruption"
}

# ---- a run never overwrites: a clashing name gets a suffix ----
test_name_clash() {
  local w dir
  w=$(workloads | cut -d, -f1)
  mkdir -p "$work/runs"
  # Folders for the next seconds' names, so this run's name is taken.
  local now taken=()
  now=$(date -u +%s)
  for s in $(seq 0 10); do
    taken+=("$work/runs/$(date -u -d "@$((now + s))" +%Y%m%dT%H%M%SZ)")
    mkdir "${taken[-1]}"
  done
  "$bench" --quick --allocator=glibc --workload="$w" --out="$work/runs" >"$work/stdout" 2>"$work/stderr" ||
    fail "run exited $?: $(cat "$work/stderr")"
  dir=$(results_dir "$work/stdout")
  [[ $(basename "$dir") =~ ^[0-9]{8}T[0-9]{6}Z-2$ ]] || fail "the run took the name $(basename "$dir")"
  check_results_folder "$dir" 1
  for d in "${taken[@]}"; do
    [ -z "$(ls -A "$d")" ] || fail "$d, there before the run, got files"
  done
}

"test_$case_name"
echo "1 passed, 0 failed"
