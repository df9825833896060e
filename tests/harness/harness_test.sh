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
pids=$(mktemp -d)

# Processes a case started that must not outlive it, even when it fails: pids
# named in $pids/* (a run's, or its child's, as the stand-in recorded
# it). Each is asked to stop (a run then kills its child), then killed; only
# while its command line is still one of ours, in case the pid was reused.
cleanup() {
  local f p
  for f in "$pids"/*; do
    [ -s "$f" ] || continue
    p=$(cat "$f")
    if { tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | grep -qE 'pyallocbench|pab-child|sleep'; then
      kill -TERM "$p" 2>/dev/null
      sleep 0.2
      kill -KILL "$p" 2>/dev/null
    fi
  done
  rm -rf "$work" "$pids"
}
trap cleanup EXIT

# Only these run under the sanitizer build (no LD_PRELOAD with ASan).
allocators=glibc,pymalloc,bump
# results.csv's columns (results/README.md).
columns=allocator,workload,threads,status,processes,unstable,ops_per_sec,ns_per_op,ns_per_op_lo,ns_per_op_hi,\
cold_ns_per_op,cold_ns_per_op_lo,cold_ns_per_op_hi,repetitions,passes_per_repetition,ops_per_pass,live_bytes,\
baseline_rss_bytes,baseline_rss_bytes_min,baseline_rss_bytes_max,peak_rss_bytes,peak_rss_bytes_min,peak_rss_bytes_max,\
mark_rss_bytes,mark_rss_bytes_min,mark_rss_bytes_max,final_rss_bytes,final_rss_bytes_min,final_rss_bytes_max,\
trimmed_rss_bytes,trimmed_rss_bytes_min,trimmed_rss_bytes_max,threads_rss_bytes,threads_rss_bytes_min,\
threads_rss_bytes_max,joined_rss_bytes,joined_rss_bytes_min,joined_rss_bytes_max,joined_trimmed_rss_bytes,\
joined_trimmed_rss_bytes_min,joined_trimmed_rss_bytes_max,fragmentation,fragmentation_min,fragmentation_max,\
cold_minor_faults,cold_minor_faults_min,cold_minor_faults_max,cold_major_faults,cold_major_faults_min,\
cold_major_faults_max,warm_minor_faults,warm_minor_faults_min,warm_minor_faults_max,warm_major_faults,\
warm_major_faults_min,warm_major_faults_max,instructions_per_op,instructions_per_op_min,instructions_per_op_max,\
cycles_per_op,cycles_per_op_min,cycles_per_op_max,cache_misses_per_op,cache_misses_per_op_min,cache_misses_per_op_max,\
dtlb_misses_per_op,dtlb_misses_per_op_min,dtlb_misses_per_op_max,wall_seconds,wall_seconds_lo,wall_seconds_hi,\
user_seconds,user_seconds_min,user_seconds_max,system_seconds,system_seconds_min,system_seconds_max,cold_mmap_calls,cold_munmap_calls,cold_mremap_calls,\
cold_madvise_calls,cold_mprotect_calls,cold_brk_calls,warm_mmap_calls,warm_munmap_calls,warm_mremap_calls,\
warm_madvise_calls,warm_mprotect_calls,warm_brk_calls,allocator_instructions_per_op,total_instructions_per_op
samples_columns=allocator,workload,threads,process,pass,kind,ns_per_op,minor_faults,major_faults,peak_rss_bytes,final_rss_bytes,trimmed_rss_bytes,seconds
latency_columns=kind,calls,clock_ns,resolution_ns,p50_ns,p99_ns,p99_9_ns,p99_99_ns,max_ns,mean_ns,over_10us,over_100us
# --quick: processes per pair, warm repetitions per process.
quick_processes=3
quick_repetitions=2

fail() {
  echo "FAIL ($case_name): $*" >&2
  exit 1
}

# The workloads a run takes by default: all but those that replay a file.
workloads() {
  "$bench" --list | awk '$1 == "workload" && $3 != "needs-input" && $3 != "threaded" { print $2 }' | paste -sd, -
}

# The results folder a run made, from its last line on stdout.
results_dir() {
  sed -n 's/^results: //p' "$1" | tail -n 1
}

# The value of column $2 in the row of allocator $3 and workload $4 of CSV $1.
cell() {
  awk -F, -v col="$2" -v a="$3" -v w="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
    $1 == a && $2 == w && $3 == 1 { print $c }' "$1"
}

make_stand_in() {
  mkdir -p "$work/bin"
  cp "$bench" "$work/bin/pyallocbench"
  cat >"$work/bin/pab-child" <<EOF
#!/usr/bin/env bash
[ -n "\${PAB_TEST_RAN-}" ] && echo "\$*" >>"\$PAB_TEST_RAN"
probe=no
for arg in "\$@"; do
  case \$arg in
  --allocator=*) allocator=\${arg#--allocator=} ;;
  --probe) probe=yes ;;
  esac
done
if [ "\$probe" = no ]; then
  [ -n "\${PAB_TEST_PIDFILE-}" ] && echo \$\$ >"\$PAB_TEST_PIDFILE"
  # As execve gave it, every entry (a shell's own variables would hide a key given twice).
  [ -n "\${PAB_TEST_ENVFILE-}" ] && tr '\\0' '\\n' </proc/\$\$/environ >"\$PAB_TEST_ENVFILE"
  case \$allocator in
  "\${PAB_TEST_WRAP-}")
    # A wrapper (as strace or valgrind would be) between the run and the real child.
    "$real_child" "\$@" &
    echo \$! >"\$PAB_TEST_PIDFILE.inner"
    wait \$!
    exit
    ;;
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

# ---- waiting for processes and files ----

# Whether process $1 has ended. A zombie has: it runs no more, and only
# waits for whoever adopted it to reap it.
ended() {
  local state
  state=$(sed -n 's/^.*) \([A-Za-z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
  [ -z "$state" ] || [ "$state" = Z ] || [ "$state" = X ]
}

# Waits up to $2 seconds (tenths) for process $1 to end.
ends_within() {
  local tenths
  tenths=$(awk -v s="$2" 'BEGIN { print int(s * 10) }')
  for _ in $(seq "$tenths"); do
    ended "$1" && return 0
    sleep 0.1
  done
  ended "$1"
}

# A pid that surely names no process: one that has just ended and been reaped.
dead_pid() {
  sh -c 'exit 0' &
  local pid=$!
  wait "$pid"
  echo "$pid"
}

# Files and folders in $1, sorted, on one line ("" for none or no folder).
entries() {
  ls -A "$1" 2>/dev/null | sort | paste -sd' ' -
}

# A library that is not any allocator's, and loads without a word.
other_library=libm.so.6

# ---- measuring runs: one at a time on the machine ----
# The machine lock (harness/lock.h) is the machine's: RESOURCE_LOCK keeps this
# ctest's cases apart, but a run of someone else's (./bench, another build's
# tests) can hold it when a case starts a run. Such a refusal is waited out and
# the run tried again; a refusal by this case's own run ($2, or one in $pids)
# is the case's to judge.
refused_by_stranger() {
  local holder f
  holder=$(sed -n 's/^pyallocbench: another run (pid \([0-9][0-9]*\)) is measuring.*/\1/p' "$1")
  [ -n "$holder" ] && [ "$holder" != "$2" ] || return 1
  for f in "$pids"/*; do
    [ "$(cat "$f" 2>/dev/null)" != "$holder" ] || return 1
  done
  echo "($case_name: run $holder, not this test's, holds the machine lock: waiting for it)" >&2
  flock -w 300 /tmp/pyallocbench.lock true
}

# Runs a measuring run, "$@", its output into $work/stdout and $work/stderr;
# returns its status, its pid left in $last_run.
measure() {
  local status
  for _ in 1 2 3; do
    "$@" >"$work/stdout" 2>"$work/stderr" &
    last_run=$!
    wait "$last_run"
    status=$?
    [ "$status" -eq 1 ] && refused_by_stranger "$work/stderr" "$last_run" || return "$status"
  done
  return "$status"
}

# Starts a measuring run, "$@" (through the stand-in), in the background, its
# output into $work/run.stdout and $work/run.stderr, its pid into $pids/run;
# returns once file $1 (its child's pid, as the stand-in writes it) is there.
# With job control, or bash would start the run with SIGINT ignored.
start_run() {
  local wait_file=$1 pid status
  shift
  for _ in 1 2 3; do
    rm -f "$wait_file"
    set -m
    "$@" >"$work/run.stdout" 2>"$work/run.stderr" &
    pid=$!
    set +m
    echo "$pid" >"$pids/run"
    for _ in $(seq 100); do
      [ -s "$wait_file" ] && return 0
      ended "$pid" && break
      sleep 0.1
    done
    ended "$pid" || fail "the run's child never started: no $wait_file after 10 s"
    wait "$pid"
    status=$?
    [ "$status" -eq 1 ] && refused_by_stranger "$work/run.stderr" "$pid" ||
      fail "the run exited $status before its child started: $(cat "$work/run.stderr")"
  done
  fail "the machine lock stayed with others' runs"
}

# A measuring run through the stand-in whose only child ($1 x $2, into out
# folder $3) hangs; its pid in $pids/run, the child's in $pids/child.
start_hanging_run() {
  local allocator=$1 workload=$2 out=$3
  shift 3
  start_run "$pids/child" "$work/bin/pyallocbench" --allocator="$allocator" --workload="$workload" --out="$out" \
    --env PAB_TEST_HANG="$allocator" --env PAB_TEST_PIDFILE="$pids/child" "$@"
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
  expect_bad_input "unknown allocator 'nope' (name a built-in one, or a library as LABEL=/path/to/lib.so); valid: " --allocator=nope
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
  for f in results.csv samples.csv series.csv stats.csv latency.csv latency_bins.csv metadata.json; do
    [ -s "$dir/$f" ] || fail "$dir/$f missing or empty"
  done
  [ "$(head -n 1 "$dir/results.csv")" = "$columns" ] || fail "results.csv header: $(head -n 1 "$dir/results.csv")"
  [ "$(head -n 1 "$dir/samples.csv")" = "$samples_columns" ] || fail "samples.csv header: $(head -n 1 "$dir/samples.csv")"
  [ "$(head -n 1 "$dir/series.csv")" = allocator,workload,threads,ops,rss_bytes,live_bytes ] || fail "series.csv header"
  [ "$(head -n 1 "$dir/stats.csv")" = allocator,workload,threads,phase,counter,value ] || fail "stats.csv header"
  [ "$(head -n 1 "$dir/latency.csv")" = "allocator,workload,threads,$latency_columns" ] || fail "latency.csv header"
  [ "$(head -n 1 "$dir/latency_bins.csv")" = allocator,workload,threads,kind,low_ns,high_ns,calls ] || fail "latency_bins.csv header"
  [ "$(($(wc -l <"$dir/results.csv") - 1))" -eq "$pairs" ] || fail "results.csv has not $pairs rows"
  [ -z "$(ls -A "$dir" | grep -v -x -e results.csv -e samples.csv -e series.csv -e stats.csv -e latency.csv \
    -e latency_bins.csv -e metadata.json -e gbench)" ] ||
    fail "unexpected files in $dir: $(ls -A "$dir")"
}

# Every row of results.csv $1 ok, over $2 processes of $3 repetitions each,
# its figures numbers where they must be, in order where they come as a range.
check_ok_rows() {
  local csv=$1 processes=$2 reps=$3 strace=0
  # Counted where metadata.json names the strace it ran.
  grep -q '"syscall_counts": "/' "$(dirname "$csv")/metadata.json" && strace=1
  awk -F, -v processes="$processes" -v reps="$reps" -v strace="$strace" '
    function num(v) { return v ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }
    function bad(what) { print $1 " x " $2 ": " what; wrong = 1 }
    NR == 1 { n = NF; for (i = 1; i <= NF; i++) c[$i] = i; next }
    {
      if (NF != n) bad("has " NF " fields, not " n)
      if ($c["status"] != "ok") bad($c["status"])
      if ($c["processes"] != processes) bad("processes " $c["processes"])
      if ($c["repetitions"] != reps) bad("repetitions " $c["repetitions"])
      if ($c["unstable"] != "0" && $c["unstable"] != "1") bad("unstable " $c["unstable"])
      for (name in c) {
        v = $c[name]
        if (c[name] <= 4 || v == "") continue
        if (!num(v) || v + 0 < 0) bad(name " is " v)
      }
      # Figures every process gives, and that cannot be zero.
      split("ops_per_sec ns_per_op ns_per_op_lo ns_per_op_hi cold_ns_per_op cold_ns_per_op_lo cold_ns_per_op_hi " \
            "passes_per_repetition ops_per_pass baseline_rss_bytes baseline_rss_bytes_min baseline_rss_bytes_max", pos, " ")
      for (k in pos) if (!($c[pos[k]] + 0 > 0)) bad(pos[k] " not positive: " $c[pos[k]])
      # Figures every process gives, zero allowed: a pass that fits in the pages
      # the warm start touched adds no RSS, and may take no fault.
      split("live_bytes peak_rss_bytes mark_rss_bytes final_rss_bytes trimmed_rss_bytes cold_minor_faults " \
            "cold_major_faults warm_minor_faults warm_major_faults", given, " ")
      for (k in given) if ($c[given[k]] == "") bad(given[k] " empty")
      # Under strace, the series process counts system calls.
      if (strace) for (name in c) if (name ~ /_calls$/ && $c[name] == "") bad(name " empty under strace")
      # Fragmentation alone is left empty, when too few bytes are live to divide by.
      if ($c["fragmentation"] == "" && $c["live_bytes"] + 0 >= 262144) bad("no fragmentation over " $c["live_bytes"] " live bytes")
      for (name in c) {
        if (name ~ /_min$/) {
          base = substr(name, 1, length(name) - 4)
          if ($c[name] != "" && !($c[name] + 0 <= $c[base] + 0 && $c[base] + 0 <= $c[base "_max"] + 0))
            bad(base " " $c[base] " outside its range " $c[name] "-" $c[base "_max"])
        }
        if (name ~ /_lo$/) {
          base = substr(name, 1, length(name) - 3)
          if (!($c[name] + 0 <= $c[base "_hi"] + 0)) bad(base " interval " $c[name] "-" $c[base "_hi"])
        }
      }
      # small_objects keeps about a MiB alive at its quick scale: RSS must show it.
      if ($2 == "small_objects" && $c["peak_rss_bytes"] + 0 < 262144) bad("peak RSS " $c["peak_rss_bytes"] " below 256 KiB")
    }
    END { exit wrong }' "$csv" || fail "bad rows in $csv"
}

# The latency process of pair $2 x $3: one line per kind whose calls add up
# to a pass's, the clock's cost given, a quantile wherever there are calls.
check_latency_rows() {
  local dir=$1 a=$2 w=$3 ops
  ops=$(cell "$dir/results.csv" ops_per_pass "$a" "$w")
  awk -F, -v a="$a" -v w="$w" -v ops="$ops" '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $1 == a && $2 == w && $3 == 1 {
      kinds = kinds $c["kind"] " "; calls += $c["calls"]
      if (!($c["clock_ns"] > 0)) bad = bad " no clock cost;"
      if ($c["calls"] > 0 && ($c["p50_ns"] == "" || $c["max_ns"] + 0 < $c["p99_ns"] + 0)) bad = bad " " $c["kind"] " quantiles;"
    }
    END { if (kinds != "malloc realloc free ") bad = bad " kinds " kinds ";"
          if (calls != ops) bad = bad " " calls " calls timed of " ops ";"
          if (bad) { print bad; exit 1 } }' "$dir/latency.csv" >"$work/latency_rows" ||
    fail "latency.csv for $a x $w:$(cat "$work/latency_rows")"
  grep -q "^$a,$w,1,malloc,[0-9]" "$dir/latency_bins.csv" || fail "latency_bins.csv has no malloc bins for $a x $w"
}

test_quick_run() {
  local wl pairs dir
  wl=$(workloads)
  pairs=$((3 * $(echo "$wl" | tr , '\n' | wc -l)))
  measure "$bench" --quick --allocator=$allocators --workload="$wl" --out="$work/runs" --env PAB_TEST_KNOB=on-record ||
    fail "quick run exited $?: $(cat "$work/stderr")"
  dir=$(results_dir "$work/stdout")
  [ -d "$dir" ] || fail "no results folder named on stdout"
  [ "$(readlink "$work/runs/latest")" = "$(basename "$dir")" ] || fail "latest does not point at $dir"
  [[ $(basename "$dir") =~ ^[0-9]{8}T[0-9]{6}Z$ ]] || fail "folder name $(basename "$dir") is no UTC stamp"
  [ -z "$(ls -A "$work/runs" | grep -v -x -e latest -e "$(basename "$dir")")" ] ||
    fail "left over in the out folder: $(ls -A "$work/runs")"
  check_results_folder "$dir" "$pairs"
  check_ok_rows "$dir/results.csv" "$quick_processes" "$quick_repetitions"
  [ ! -s "$work/stderr" ] || fail "stderr, not a terminal, got: $(head -n 3 "$work/stderr")"
  local p
  for a in ${allocators//,/ }; do
    for w in ${wl//,/ }; do
      local stem="${a}__${w//\//.}" # a variant's '/' is '.' in a file's name (contract.h)
      for p in $(seq "$quick_processes"); do
        [ -s "$dir/gbench/$stem.p$p.json" ] || fail "no gbench/$stem.p$p.json"
        grep -q '"benchmarks"' "$dir/gbench/$stem.p$p.json" || fail "gbench/$stem.p$p.json is no benchmark JSON"
        # One cold pass, then one row per warm repetition.
        [ "$(grep -c "^$a,$w,1,$p,0,cold," "$dir/samples.csv")" -eq 1 ] || fail "samples.csv: not one cold row for $a x $w, process $p"
        [ "$(grep -c "^$a,$w,1,$p,[1-9][0-9]*,warm," "$dir/samples.csv")" -eq "$quick_repetitions" ] ||
          fail "samples.csv: not $quick_repetitions warm rows for $a x $w, process $p"
      done
      [ ! -e "$dir/gbench/$stem.p$((quick_processes + 1)).json" ] || fail "more processes than $quick_processes for $a x $w"
      grep -q "^$a,$w,1,[0-9]" "$dir/series.csv" || fail "series.csv has no rows for $a x $w"
      check_latency_rows "$dir" "$a" "$w"
      grep -q "^$a,$w,1,final," "$dir/stats.csv" || fail "stats.csv has no final rows for $a x $w"
      grep -qE "^$a +$w +1 .* ok( \(unstable\))?$" "$work/stdout" || fail "the summary table lacks $a x $w"
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
  # bump never reuses memory, so its cold pass faults at least as often.
  bump=$(cell "$dir/results.csv" cold_minor_faults bump generator)
  pymalloc=$(cell "$dir/results.csv" cold_minor_faults pymalloc generator)
  [ "$bump" -ge "$pymalloc" ] || fail "generator: bump's cold pass faulted $bump times, pymalloc's $pymalloc"
  # trace_replay's own tables (1.3 MiB of decoded trace) are built before the
  # baseline (workload.h's prepare), so they are not the allocator's memory:
  # pymalloc's peak stays within 1 MiB of the 384 KiB live (0.27 MiB above
  # it here; 1.55 MiB when the tables counted). ASan's shadow and quarantine
  # would count too, so the sanitizer tree skips this.
  if [[ $bench != */sanitize/* ]]; then
    local live peak
    live=$(cell "$dir/results.csv" live_bytes pymalloc trace_replay)
    peak=$(cell "$dir/results.csv" peak_rss_bytes pymalloc trace_replay)
    [ "$peak" -lt $((live + 1048576)) ] || fail "trace_replay: pymalloc's peak RSS $peak is over 1 MiB above its $live live bytes"
  fi
}

# ---- failing children: each says how, the other rows stay ----
test_child_failures() {
  local w dir
  w=$(workloads | cut -d, -f1)
  make_stand_in
  measure "$work/bin/pyallocbench" --quick --allocator=$allocators --workload="$w" --out="$work/runs" --progress \
    --env PAB_TEST_KILL=bump --env PAB_TEST_EXIT=pymalloc
  local status=$?
  [ "$status" -eq 1 ] || fail "a run with failed pairs exited $status, not 1"
  dir=$(results_dir "$work/stdout")
  check_results_folder "$dir" 3
  [ "$(cell "$dir/results.csv" status glibc "$w")" = ok ] || fail "glibc's row is not ok"
  [ "$(cell "$dir/results.csv" status bump "$w")" = "failed: process 1: killed by signal 9" ] ||
    fail "bump's status: $(cell "$dir/results.csv" status bump "$w")"
  [ "$(cell "$dir/results.csv" status pymalloc "$w")" = "failed: process 1: exit status 7: stand-in gives up; as told" ] ||
    fail "pymalloc's status: $(cell "$dir/results.csv" status pymalloc "$w")"
  awk -F, -v w="$w" '$1 == "bump" && $2 == w { for (i = 5; i <= NF; i++) if ($i != "") exit 1; found = 1 }
    END { exit !found }' "$dir/results.csv" || fail "a failed row keeps figures: $(grep "^bump," "$dir/results.csv")"
  [ -n "$(cell "$dir/results.csv" peak_rss_bytes glibc "$w")" ] || fail "glibc's figures are gone"
  [ -z "$(ls "$dir/gbench" | grep '^bump__')" ] || fail "a failed pair left its JSON: $(ls "$dir/gbench")"
  ! grep -q "^bump," "$dir/series.csv" "$dir/samples.csv" "$dir/stats.csv" "$dir/latency.csv" "$dir/latency_bins.csv" ||
    fail "a failed pair left rows"
  grep -q "bump × $w failed: process 1: killed by signal 9" "$work/stderr" || fail "no line on stderr for bump's failure"
  # Every process of every pair (a failed pair's later ones are skipped), then each pair's series
  # and latency processes.
  local total=$((3 * (quick_processes + 2)))
  grep -q "^\[$total/$total\] bump × $w  (.* elapsed, ~.* left)$" "$work/stderr" ||
    fail "--progress showed no [$total/$total] line: $(tail -n 2 "$work/stderr")"
}

# ---- the time limit, on a run whose every pair fails ----
test_time_limit() {
  local w dir
  w=$(workloads | cut -d, -f1)
  make_stand_in
  measure "$work/bin/pyallocbench" --quick --allocator=pymalloc --workload="$w" --out="$work/runs" --timeout=1 \
    --env PAB_TEST_HANG=pymalloc
  local status=$?
  [ "$status" -eq 1 ] || fail "a run whose pairs all failed exited $status, not 1"
  dir=$(results_dir "$work/stdout")
  check_results_folder "$dir" 1
  [ "$(cell "$dir/results.csv" status pymalloc "$w")" = "failed: process 1: killed by signal 9 (time limit 1 s)" ] ||
    fail "status: $(cell "$dir/results.csv" status pymalloc "$w")"
}

# ---- the memory limit ----
test_memory_limit() {
  local w dir
  w=$(workloads | cut -d, -f1)
  make_stand_in
  measure "$work/bin/pyallocbench" --quick --allocator=glibc,bump --workload="$w" --out="$work/runs" \
    --memory-limit=100 --env PAB_TEST_GROW=bump
  local status=$?
  [ "$status" -eq 1 ] || fail "a run with a failed pair exited $status, not 1"
  dir=$(results_dir "$work/stdout")
  check_results_folder "$dir" 2
  [ "$(cell "$dir/results.csv" status bump "$w")" = "failed: process 1: killed by signal 9 (memory limit 100 MiB)" ] ||
    fail "status: $(cell "$dir/results.csv" status bump "$w")"
  [ "$(cell "$dir/results.csv" status glibc "$w")" = ok ] || fail "glibc's row is not ok"
  grep -q '"memory_limit_mib": 100,' "$dir/metadata.json" || fail "metadata.json lacks the memory limit"
}

# ---- SIGINT: the child is killed and nothing is kept ----
test_interrupt() {
  local w pid status
  w=$(workloads | cut -d, -f1)
  make_stand_in
  start_hanging_run glibc "$w" "$work/runs"
  pid=$(cat "$pids/run")
  kill -INT "$pid"
  wait "$pid"
  status=$?
  [ "$status" -eq 130 ] || fail "interrupted run exited $status, not 130"
  grep -q "interrupted; nothing kept" "$work/run.stderr" || fail "no word of the interruption on stderr"
  [ -z "$(ls -A "$work/runs")" ] || fail "an interrupted run left: $(ls -A "$work/runs")"
  ! kill -0 "$(cat "$pids/child")" 2>/dev/null || fail "the child outlived the interruption"
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
  measure "$bench" --quick --allocator=glibc --workload="$w" --out="$work/runs" ||
    fail "run exited $?: $(cat "$work/stderr")"
  dir=$(results_dir "$work/stdout")
  [[ $(basename "$dir") =~ ^[0-9]{8}T[0-9]{6}Z-2$ ]] || fail "the run took the name $(basename "$dir")"
  check_results_folder "$dir" 1
  for d in "${taken[@]}"; do
    [ -z "$(ls -A "$d")" ] || fail "$d, there before the run, got files"
  done
}

# ---- LD_PRELOAD: refused by the run before anything runs, and by the child ----
expect_preload_refused() {
  local want=$1
  shift
  local out="$work/out"
  rm -f "$work/ran"
  "$@" --quick --allocator=glibc --workload="$w" --out="$out" --env PAB_TEST_RAN="$work/ran" \
    >"$work/stdout" 2>"$work/stderr"
  local status=$?
  [ "$status" -eq 2 ] || fail "$* exited $status, not 2: $(cat "$work/stderr")"
  [ "$(wc -l <"$work/stderr")" -eq 1 ] || fail "$*: not one line on stderr: $(cat "$work/stderr")"
  grep -qF -- "$want is set" "$work/stderr" || fail "$*: stderr does not name $want: $(cat "$work/stderr")"
  [ ! -s "$work/stdout" ] || fail "$* printed on stdout"
  [ ! -e "$out" ] || fail "$* created $out"
  [ ! -e "$work/ran" ] || fail "$* ran a child: $(cat "$work/ran")"
}

test_preload_refused() {
  local w status
  w=$(workloads | cut -d, -f1)
  make_stand_in
  local run="$work/bin/pyallocbench"
  expect_preload_refused "LD_PRELOAD=$other_library" env LD_PRELOAD="$other_library" "$run"
  expect_preload_refused "LD_PRELOAD=$other_library" "$run" --env LD_PRELOAD="$other_library"
  # Given with --env, even empty (it would clear the allocator's own) and
  # even when a later --env of another key follows.
  expect_preload_refused "LD_PRELOAD=" "$run" --env LD_PRELOAD= --env PAB_TEST_KNOB=x
  expect_preload_refused "LD_PRELOAD=$other_library" env LD_PRELOAD="$other_library" "$run" --list

  # The child refuses too, when run by hand or by a wrapper: status 3, one line.
  LD_PRELOAD=$other_library "$real_child" --probe --allocator=glibc >"$work/stdout" 2>"$work/stderr"
  status=$?
  [ "$status" -eq 3 ] || fail "pab-child --probe under LD_PRELOAD=$other_library exited $status, not 3"
  [ "$(wc -l <"$work/stderr")" -eq 1 ] || fail "pab-child: not one line on stderr: $(cat "$work/stderr")"
  grep -qF "LD_PRELOAD=$other_library" "$work/stderr" || fail "pab-child does not name LD_PRELOAD: $(cat "$work/stderr")"
  mkdir "$work/child-out"
  LD_PRELOAD=$other_library "$real_child" --allocator=glibc --workload="$w" --scale=1 --seed=1 \
    --out="$work/child-out/p" --benchmark_repetitions=1 >"$work/stdout" 2>"$work/stderr"
  status=$?
  [ "$status" -eq 3 ] || fail "pab-child measuring under LD_PRELOAD=$other_library exited $status, not 3"
  [ "$(wc -l <"$work/stderr")" -eq 1 ] || fail "pab-child: not one line on stderr: $(cat "$work/stderr")"
  [ -z "$(entries "$work/child-out")" ] || fail "a refused pab-child left $(entries "$work/child-out")"
  # Not every LD_PRELOAD is refused: an empty one preloads nothing.
  LD_PRELOAD= "$real_child" --probe --allocator=glibc >"$work/stdout" 2>"$work/stderr" ||
    fail "pab-child --probe with LD_PRELOAD empty exited $?: $(cat "$work/stderr")"
}

# ---- the variables that change allocators, and the floor, in metadata.json ----
# The run sees only the environment given here: nothing a caller of the
# test happens to export can show up in allocator_env.
clean_env() {
  env -i PATH="$PATH" ${ASAN_OPTIONS+ASAN_OPTIONS="$ASAN_OPTIONS"} \
    ${UBSAN_OPTIONS+UBSAN_OPTIONS="$UBSAN_OPTIONS"} "$@"
}

test_allocator_env() {
  local w dir
  w=$(workloads | cut -d, -f1)
  make_stand_in
  measure clean_env GLIBC_TUNABLES=glibc.malloc.arena_max=1 MALLOC_ARENA_MAX=4 TCMALLOC_RELEASE_RATE=1 \
    PYTHONMALLOC=malloc MALLOCX=1 XMALLOC_Y=1 PYTHONMALLOCX=1 \
    "$work/bin/pyallocbench" --quick --allocator=glibc,bump --workload="$w" --out="$work/runs" \
    --env MALLOC_ARENA_MAX=2 --env MIMALLOC_PURGE_DELAY=5 --env JEMALLOC_KNOB=a --env MIMALLOC_PURGE_DELAY=7 \
    --env PAB_TEST_KNOB=1 --env PAB_TEST_ENVFILE="$work/child.env" ||
    fail "run exited $?: $(cat "$work/stderr")"
  dir=$(results_dir "$work/stdout")
  cat >"$work/check.py" <<'PY'
import json, sys
def no_twice(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        sys.exit(f"keys given twice: {sorted(dup)}")
    return dict(pairs)
m = json.load(open(sys.argv[1]), object_pairs_hook=no_twice)
want = {"GLIBC_TUNABLES": "glibc.malloc.arena_max=1", "MALLOC_ARENA_MAX": "2", "TCMALLOC_RELEASE_RATE": "1",
        "PYTHONMALLOC": "malloc", "MIMALLOC_PURGE_DELAY": "7", "JEMALLOC_KNOB": "a"}
if m.get("allocator_env") != want:
    sys.exit(f"allocator_env is {m.get('allocator_env')!r}, not {want!r}")
if m.get("floor_allocators") != ["bump"]:
    sys.exit(f"floor_allocators is {m.get('floor_allocators')!r}, not ['bump']")
PY
  local why
  why=$(python3 "$work/check.py" "$dir/metadata.json" 2>&1) || fail "metadata.json: $why"
  # What the children got is what metadata.json says.
  for kv in MALLOC_ARENA_MAX=2 MIMALLOC_PURGE_DELAY=7 GLIBC_TUNABLES=glibc.malloc.arena_max=1; do
    [ "$(grep -c "^${kv%%=*}=" "$work/child.env")" -eq 1 ] && grep -qx "$kv" "$work/child.env" ||
      fail "the child's environment lacks $kv, or has ${kv%%=*} twice: $(grep "^${kv%%=*}=" "$work/child.env")"
  done

  # A run with no such variable and no floor allocator says so.
  measure clean_env "$bench" --quick --allocator=glibc --workload="$w" --out="$work/runs2" ||
    fail "run exited $?: $(cat "$work/stderr")"
  dir=$(results_dir "$work/stdout")
  cat >"$work/check.py" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for key, want in (("allocator_env", {}), ("floor_allocators", [])):
    if m.get(key) != want:
        sys.exit(f"{key} is {m.get(key)!r}, not {want!r}")
PY
  why=$(python3 "$work/check.py" "$dir/metadata.json" 2>&1) || fail "metadata.json of a plain run: $why"
}

# ---- the child dies with the run, even through a wrapper ----
test_parent_death() {
  local w run child status
  w=$(workloads | cut -d, -f1)
  make_stand_in
  mkdir "$work/runs"
  start_hanging_run glibc "$w" "$work/runs"
  run=$(cat "$pids/run")
  child=$(cat "$pids/child")
  kill -KILL "$run"
  wait "$run"
  ends_within "$child" 1 || fail "the child $child outlived its run's kill -9 by a second"
  # What the dead run left, the next one removes, and says so.
  local left
  left=$(entries "$work/runs")
  [[ $left =~ ^\.tmp-[0-9]{8}T[0-9]{6}Z-$run$ ]] || fail "the killed run left '$left', not its .tmp-*-$run"
  measure "$bench" --quick --allocator=glibc --workload="$w" --out="$work/runs" ||
    fail "the next run exited $?: $(cat "$work/stderr")"
  [ "$(cat "$work/stderr")" = "pyallocbench: removed $work/runs/$left, left by a run that died" ] ||
    fail "the next run said: $(cat "$work/stderr")"
  [ ! -e "$work/runs/$left" ] || fail "the next run left $left in place"

  # A wrapper between the run and the real child: the wrapper dies with the
  # run, and the child, which set its own death signal, with the wrapper.
  start_run "$pids/child.inner" "$work/bin/pyallocbench" --allocator=glibc --workload="$w" --out="$work/runs" \
    --repetitions=1000 --env PAB_TEST_WRAP=glibc --env PAB_TEST_PIDFILE="$pids/child"
  run=$(cat "$pids/run")
  child=$(cat "$pids/child.inner")
  # Past its start, where it sets its death signal.
  for _ in $(seq 50); do
    [ "$(readlink "/proc/$child/exe")" = "$(readlink -f "$real_child")" ] && break
    sleep 0.1
  done
  sleep 0.3
  ! ended "$child" || fail "the wrapped child ended before the run was killed: $(cat "$work/run.stderr")"
  kill -KILL "$run"
  wait "$run"
  ends_within "$child" 1 || fail "the wrapped child $child outlived its run's kill -9 by a second"
  ends_within "$(cat "$pids/child")" 1 || fail "the wrapper outlived its run's kill -9 by a second"
}

# ---- a child whose run has gone refuses to start ----
test_run_pid() {
  local w dead status run
  w=$(workloads | cut -d, -f1)
  dead=$(dead_pid)
  PAB_RUN_PID=$dead "$real_child" --probe --allocator=glibc >"$work/stdout" 2>"$work/stderr"
  status=$?
  [ "$status" -eq 1 ] || fail "pab-child with PAB_RUN_PID=$dead (gone) exited $status, not 1"
  [ "$(wc -l <"$work/stderr")" -eq 1 ] || fail "not one line on stderr: $(cat "$work/stderr")"
  grep -qF "pid $dead" "$work/stderr" || fail "stderr does not name pid $dead: $(cat "$work/stderr")"
  mkdir "$work/child-out"
  PAB_RUN_PID=$dead "$real_child" --allocator=glibc --workload="$w" --scale=1 --seed=1 \
    --out="$work/child-out/p" --benchmark_repetitions=1 >"$work/stdout" 2>"$work/stderr"
  status=$?
  [ "$status" -eq 1 ] || fail "measuring pab-child with PAB_RUN_PID=$dead exited $status, not 1"
  [ "$(wc -l <"$work/stderr")" -eq 1 ] || fail "not one line on stderr: $(cat "$work/stderr")"
  [ -z "$(entries "$work/child-out")" ] || fail "it left $(entries "$work/child-out")"
  # A live run's pid lets it start.
  PAB_RUN_PID=$$ "$real_child" --probe --allocator=glibc >"$work/stdout" 2>"$work/stderr" ||
    fail "pab-child with PAB_RUN_PID=$$ (alive) exited $?: $(cat "$work/stderr")"

  # The run puts its own pid there, over any the user gives.
  make_stand_in
  measure "$work/bin/pyallocbench" --quick --allocator=glibc --workload="$w" --out="$work/runs" \
    --env PAB_RUN_PID=1 --env PAB_TEST_ENVFILE="$work/child.env" || fail "run exited $?: $(cat "$work/stderr")"
  run=$last_run
  [ "$(grep '^PAB_RUN_PID=' "$work/child.env")" = "PAB_RUN_PID=$run" ] ||
    fail "the child got $(grep '^PAB_RUN_PID=' "$work/child.env" | paste -sd' '), not PAB_RUN_PID=$run"
}

# ---- one measuring run per machine ----
test_machine_lock() {
  local w status first
  w=$(workloads | cut -d, -f1)
  make_stand_in
  start_hanging_run glibc "$w" "$work/A"
  first=$(cat "$pids/run")
  # The lock stays with the run: its child does not hold it.
  ! ls -l "/proc/$(cat "$pids/child")/fd" 2>/dev/null | grep -qF /tmp/pyallocbench.lock ||
    fail "the child holds the machine lock's file open"

  local out
  for out in "$work/B" "$work/A"; do
    "$bench" --quick --allocator=glibc --workload="$w" --out="$out" >"$work/stdout" 2>"$work/stderr"
    status=$?
    [ "$status" -eq 1 ] || fail "a second run into $out exited $status, not 1: $(cat "$work/stderr")"
    [ "$(wc -l <"$work/stderr")" -eq 1 ] || fail "second run: not one line on stderr: $(cat "$work/stderr")"
    grep -qF "pid $first)" "$work/stderr" || fail "second run does not name pid $first: $(cat "$work/stderr")"
    [ ! -s "$work/stdout" ] || fail "second run printed on stdout: $(cat "$work/stdout")"
  done
  [ ! -e "$work/B" ] || fail "the refused run created $work/B: $(entries "$work/B")"
  [[ $(entries "$work/A") =~ ^\.tmp-[0-9]{8}T[0-9]{6}Z-$first$ ]] ||
    fail "the first run's folder is not as it was: $(entries "$work/A")"

  # Not measuring runs: these go on while the lock is held.
  "$bench" --list >"$work/stdout" 2>"$work/stderr" || fail "--list, locked, exited $?: $(cat "$work/stderr")"
  grep -q "^allocator  *glibc  *available " "$work/stdout" || fail "--list, locked, lacks glibc"
  for flag in --help -h --version; do
    "$bench" "$flag" --out="$work/B" >"$work/stdout" 2>"$work/stderr" ||
      fail "$flag, locked, exited $?: $(cat "$work/stderr")"
    [ -s "$work/stdout" ] && [ ! -s "$work/stderr" ] || fail "$flag, locked: nothing on stdout, or stderr: $(cat "$work/stderr")"
  done
  "$bench" --allocator=nope --out="$work/B" >"$work/stdout" 2>"$work/stderr"
  status=$?
  [ "$status" -eq 2 ] && grep -qF "unknown allocator 'nope'" "$work/stderr" ||
    fail "bad input, locked, exited $status: $(cat "$work/stderr")"
  LD_PRELOAD=$other_library "$bench" --quick --allocator=glibc --workload="$w" --out="$work/B" \
    >"$work/stdout" 2>"$work/stderr"
  status=$?
  [ "$status" -eq 2 ] && grep -qF "LD_PRELOAD=$other_library is set" "$work/stderr" ||
    fail "LD_PRELOAD, locked, exited $status: $(cat "$work/stderr")"
  [ ! -e "$work/B" ] || fail "something created $work/B while locked"

  # The lock ends with the run that held it.
  kill -TERM "$first"
  wait "$first"
  status=$?
  [ "$status" -eq 143 ] || fail "the first run, stopped, exited $status, not 143"
  measure "$bench" --quick --allocator=glibc --workload="$w" --out="$work/B" ||
    fail "a run after the first one ended exited $?: $(cat "$work/stderr")"
}

# ---- what a run that died left in the out folder ----
test_stale_tmp() {
  local w dead live
  w=$(workloads | cut -d, -f1)
  dead=$(dead_pid)
  sleep 120 &
  live=$!
  echo "$live" >"$pids/live"
  mkdir -p "$work/runs/.tmp-20260101T000000Z-$dead/.work" "$work/runs/.tmp-20260101T000001Z-$live" \
    "$work/runs/20260101T000000Z" "$work/runs/keep-20260101T000000Z-$dead"
  touch "$work/runs/.tmp-20260101T000000Z-$dead/.work/x.json" "$work/runs/.tmp-20260101T000000Z-$dead/results.csv" \
    "$work/runs/.tmp-20260101T000001Z-$live/results.csv" "$work/runs/20260101T000000Z/results.csv"
  measure "$bench" --quick --allocator=glibc --workload="$w" --out="$work/runs" ||
    fail "run exited $?: $(cat "$work/stderr")"
  [ "$(cat "$work/stderr")" = "pyallocbench: removed $work/runs/.tmp-20260101T000000Z-$dead, left by a run that died" ] ||
    fail "stderr: $(cat "$work/stderr")"
  [ ! -e "$work/runs/.tmp-20260101T000000Z-$dead" ] || fail "the dead run's .tmp folder is still there"
  [ -e "$work/runs/.tmp-20260101T000001Z-$live/results.csv" ] || fail "the live pid's .tmp folder was touched"
  [ -e "$work/runs/20260101T000000Z/results.csv" ] && [ -d "$work/runs/keep-20260101T000000Z-$dead" ] ||
    fail "a folder that is no .tmp-* was touched: $(entries "$work/runs")"
  kill "$live"
}

# ---- a `latest` that is not our symlink stops the run before it starts ----
expect_latest_refused() {
  local kind=$1 status before after
  before=$(find "$work/runs" -exec stat -c '%n %F %s %Y %i' {} + | sort)
  rm -f "$work/ran"
  "$work/bin/pyallocbench" --quick --allocator=glibc --workload="$w" --out="$work/runs" \
    --env PAB_TEST_RAN="$work/ran" >"$work/stdout" 2>"$work/stderr"
  status=$?
  [ "$status" -eq 2 ] || fail "a run beside a $kind latest exited $status, not 2: $(cat "$work/stderr")"
  [ "$(wc -l <"$work/stderr")" -eq 1 ] || fail "$kind latest: not one line on stderr: $(cat "$work/stderr")"
  grep -qF "$work/runs/latest" "$work/stderr" || fail "$kind latest: stderr does not name it: $(cat "$work/stderr")"
  [ ! -s "$work/stdout" ] || fail "$kind latest: printed on stdout"
  after=$(find "$work/runs" -exec stat -c '%n %F %s %Y %i' {} + | sort)
  [ "$before" = "$after" ] || fail "$kind latest: the out folder changed: $after"
  [ ! -e "$work/ran" ] || fail "$kind latest: a child ran: $(cat "$work/ran")"
}

test_latest_not_link() {
  local w
  w=$(workloads | cut -d, -f1)
  make_stand_in
  mkdir "$work/runs"
  echo "a user's notes" >"$work/runs/latest"
  expect_latest_refused "file"
  [ "$(cat "$work/runs/latest")" = "a user's notes" ] || fail "latest's text changed"
  rm "$work/runs/latest"
  mkdir "$work/runs/latest" && echo kept >"$work/runs/latest/notes"
  expect_latest_refused "folder"
  [ "$(cat "$work/runs/latest/notes")" = kept ] || fail "latest/notes changed"
}

# ---- a child that cannot write its files: status 1, one line, nothing left ----
# The child runs in a mount namespace of its own, its --out on a tmpfs of N
# pages: the files (the JSON first, written by Google Benchmark) take whole
# pages each, so room for the first N of them makes the next one fail.

# pab-child in mode $1 ("" measures, or --series, --count, --latency), whose files are
# $2... in the order it writes them: once with each of them not fitting.
check_unwritable() {
  local mode=$1
  shift
  local args=(--allocator=glibc --workload="$w" --scale=50 --seed=1 $mode)
  [ -n "$mode" ] || args+=(--passes=2 --benchmark_repetitions=1)
  # Where the files go when they can: how many pages each takes.
  rm -rf "$work/roomy" && mkdir "$work/roomy"
  "$real_child" "${args[@]}" --out="$work/roomy/p" >/dev/null 2>"$work/stderr" ||
    fail "pab-child $mode into a roomy folder exited $?: $(cat "$work/stderr")"
  [ "$(entries "$work/roomy")" = "$(printf 'p.%s\n' "$@" | sort | paste -sd' ' -)" ] ||
    fail "pab-child $mode wrote $(entries "$work/roomy"), not p.{$*}"
  local pages=0 file
  # 0 pages: no room even for the first file (a filler takes the only page).
  for file in "$@"; do
    # In the namespace: mount, fill, run the child, note its status and what it left.
    "${unshare[@]}" bash -c '
      work=$1 tiny=$2 pages=$3 page=$4
      shift 4
      mount -t tmpfs -o size=$((pages > 0 ? pages * page : page)) pab-tiny "$tiny" || exit
      [ "$pages" -gt 0 ] || head -c "$page" /dev/zero >"$tiny/filler"
      "$@" >/dev/null
      echo $? >"$work/status"
      rm -f "$tiny/filler"
      ls -A "$tiny" >"$work/left"' \
      - "$work" "$work/tiny" "$pages" "$page" "$real_child" "${args[@]}" --out="$work/tiny/p" 2>"$work/stderr"
    [ -s "$work/status" ] || {
      echo "SKIP: tmpfs cannot be mounted in a mount namespace here: $(cat "$work/stderr")"
      exit 77
    }
    local what="$mode with room for $pages pages (p.$file does not fit)"
    [ "$(cat "$work/status")" -eq 1 ] || fail "pab-child $what exited $(cat "$work/status"), not 1: $(cat "$work/stderr")"
    [ "$(wc -l <"$work/stderr")" -eq 1 ] || fail "pab-child $what: not one line on stderr: $(cat "$work/stderr")"
    grep -q "^pab-child: cannot write " "$work/stderr" || fail "pab-child $what said: $(cat "$work/stderr")"
    [ ! -s "$work/left" ] || fail "pab-child $what left: $(paste -sd' ' "$work/left")"
    rm -f "$work/status" "$work/left"
    pages=$((pages + ($(stat -c %s "$work/roomy/p.$file") + page - 1) / page))
  done
}

test_child_unwritable() {
  local w unshare page
  w=$(workloads | cut -d, -f1)
  if unshare -m true 2>/dev/null; then
    unshare=(unshare -m)
  elif unshare -r -m true 2>/dev/null; then
    unshare=(unshare -r -m)
  else
    echo "SKIP: no mount namespace can be made here (unshare -m)"
    exit 77
  fi
  page=$(getconf PAGESIZE)
  mkdir "$work/tiny"
  check_unwritable "" json samples.csv stats.csv figures
  check_unwritable --series series.csv
  check_unwritable --count count
  check_unwritable --latency latency.csv latency_bins.csv
}

# ---- -h, --help, --version ----
test_help_version() {
  local flag
  "$bench" --help >"$work/help" 2>"$work/stderr" || fail "--help exited $?"
  [ ! -s "$work/stderr" ] || fail "--help wrote on stderr: $(cat "$work/stderr")"
  "$bench" -h >"$work/h" 2>"$work/stderr" || fail "-h exited $?"
  [ ! -s "$work/stderr" ] || fail "-h wrote on stderr: $(cat "$work/stderr")"
  cmp -s "$work/help" "$work/h" || fail "-h and --help differ"
  grep -q '^usage: ' "$work/help" || fail "--help has no usage line"
  for sub in plot compare; do
    grep -qE "^  $sub  +[a-z]" "$work/help" || fail "--help does not list the subcommand $sub"
    grep -qE "e\.g\. \./bench $sub [^ ]" "$work/help" || fail "--help has no example of ./bench $sub"
  done
  grep -qF -- "--allocator=LIST" "$work/help" || fail "--help does not list --allocator"
  "$bench" --version >"$work/stdout" 2>"$work/stderr" || fail "--version exited $?"
  [ ! -s "$work/stderr" ] || fail "--version wrote on stderr: $(cat "$work/stderr")"
  [ "$(wc -l <"$work/stdout")" -eq 1 ] || fail "--version printed not one line: $(cat "$work/stdout")"
  grep -qE '^pyallocbench ([0-9a-f]{40}|\(commit unknown\))' "$work/stdout" ||
    fail "--version printed: $(cat "$work/stdout")"
  # Neither makes anything where a run would write.
  for flag in --help -h --version; do
    "$bench" "$flag" --out="$work/out" >/dev/null 2>&1 || fail "$flag --out=... exited $?"
  done
  [ ! -e "$work/out" ] || fail "--help or --version created the out folder"
}

# ./bench advice (harness/advice.sh): the advice's workloads and, in the run's
# programs/, its scripts run for real; REPORT.md sets a real row under each
# piece of advice. Bad arguments: exit 2 and no folder.
test_advice() {
  local script out="$work/advice" row stem
  script=$(cd "$(dirname "$0")/../.." && pwd)/harness/advice.sh
  PAB_PYALLOCBENCH=$bench "$script" --quick --allocator=glibc --processes=3 --out="$out" \
    >"$work/stdout" 2>"$work/stderr" || fail "advice exited $?: $(tail -n 3 "$work/stderr")"
  dir=$(results_dir "$work/stdout")
  for stem in $("$(dirname "$script")/../plots/advice" programs | tr , ' '); do
    [ -s "$dir/programs/$stem/latest/results.csv" ] || fail "no real run of $stem.py in $dir/programs"
  done
  row=$(grep -F '| real: `concat_join.py` / `concat_shared.py` |' "$dir/REPORT.md") ||
    fail "REPORT.md has no real row for join over the copying +="
  [[ $row =~ \|\ time\ [0-9.]+x\ \[[0-9.]+,\ [0-9.]+\].*\;\ peak\ [0-9.]+x ]] ||
    fail "the real row has no figures: $row"
  [ -s "$dir/plots/advice_time.svg" ] || fail "no advice plot"
  for bad in --bogus --python=/no/such/python --allocator=nope; do
    PAB_PYALLOCBENCH=$bench "$script" "$bad" --out="$work/bad" >/dev/null 2>"$work/stderr"
    [ $? -eq 2 ] || fail "advice $bad did not exit 2"
    [ "$(wc -l <"$work/stderr")" -eq 1 ] || fail "advice $bad printed not one line: $(cat "$work/stderr")"
    [ ! -e "$work/bad" ] || fail "advice $bad made $work/bad"
  done
}

# --real: a one-line script run by python3.11 itself under two configurations,
# its figures from wait4; bad programs refused before anything is made.
test_real() {
  [ -x /usr/bin/python3.11 ] || { echo "skipped: /usr/bin/python3.11 is not installed"; exit 77; }
  printf 'x = [str(i) for i in range(100000)]\n' >"$work/Make-List.py"
  printf 'raise SystemExit(3)\n' >"$work/fails.py"
  "$bench" --real --processes=3 --allocator=pymalloc,glibc --out="$work/good" -- /usr/bin/python3.11 \
    "$work/Make-List.py" >"$work/stdout" 2>"$work/stderr" || fail "--real exited $?: $(cat "$work/stderr")"
  local dir
  dir=$(results_dir "$work/stdout")
  for a in pymalloc glibc; do
    [ "$(cell "$dir/results.csv" status "$a" real/make_list)" = ok ] || fail "$a: no ok row real/make_list"
    local wall peak
    wall=$(cell "$dir/results.csv" wall_seconds "$a" real/make_list)
    peak=$(cell "$dir/results.csv" peak_rss_bytes "$a" real/make_list)
    awk -v w="$wall" -v p="$peak" 'BEGIN { exit !(w > 0 && w < 60 && p > 1000000) }' ||
      fail "$a: wall ${wall} s, peak above -c pass ${peak} bytes"
    [ "$(awk -F, -v a="$a" '$1 == a && $6 == "real" && $13 > 0' "$dir/samples.csv" | wc -l)" -eq 3 ] ||
      fail "$a: not 3 real samples with their seconds"
  done
  grep -qF '"program": ["/usr/bin/python3.11", ' "$dir/metadata.json" || fail "metadata.json lacks the program"
  # A script that allocates nothing to speak of peaks within a MiB of `-c pass`.
  printf 'x = 1\n' >"$work/nothing.py"
  "$bench" --real --processes=3 --allocator=glibc --out="$work/good" -- /usr/bin/python3.11 "$work/nothing.py" \
    >"$work/stdout" 2>"$work/stderr" || fail "--real nothing.py exited $?: $(cat "$work/stderr")"
  peak=$(cell "$(results_dir "$work/stdout")/results.csv" peak_rss_bytes glibc real/nothing)
  awk -v p="$peak" 'BEGIN { exit !(p > -1048576 && p < 1048576) }' ||
    fail "nothing.py peaked ${peak} bytes above -c pass"
  local out="$work/refused"
  "$bench" --real --allocator=glibc --out="$out" -- /usr/bin/python3.11 "$work/fails.py" >/dev/null 2>"$work/err"
  [ $? -eq 1 ] && [ "$(wc -l <"$work/err")" -eq 1 ] && grep -qF "the program failed in its trial run" "$work/err" ||
    fail "a failing script: $(cat "$work/err")"
  [ ! -e "$out" ] || fail "a failing script left $out"
  expect_bad_input "cannot find the script" --real --allocator=glibc -- /usr/bin/python3.11 "$work/missing.py"
  expect_bad_input "bump is no configuration" --real --allocator=bump -- /usr/bin/python3.11 "$work/Make-List.py"
  expect_bad_input "PYTHONMALLOC is set" --real --env=PYTHONMALLOC=malloc -- /usr/bin/python3.11 "$work/Make-List.py"
  expect_bad_input "--real needs the program after --" --real
  expect_bad_input "a program after -- is for --real" -- /usr/bin/python3.11 "$work/Make-List.py"
  expect_bad_input "not a Python interpreter" --real --allocator=glibc -- /bin/true "$work/Make-List.py"
}

# ---- --threads: threaded workloads, lock models, rows that cannot run ----
test_threads() {
  expect_bad_input "--threads takes a whole number from 1 to 64, not '0'" --threads=0
  expect_bad_input "--threads takes a whole number from 1 to 64, not '65'" --threads=1,65
  expect_bad_input "thread count '2' is named twice" --threads=2,2
  expect_bad_input "glibc is thread-safe already" --allocator=glibc@mutex
  expect_bad_input "unknown lock model; valid: mutex, gil" --allocator=pymalloc@spin
  expect_bad_input "--threads is for the threaded workloads" --real --threads=2 -- /usr/bin/python3.11 x.py
  "$bench" --quick --threads=1,2 --allocator=glibc,pymalloc,pymalloc@gil,bump \
    --workload=threads_churn,threads_handoff,small_objects --out="$work/out" >"$work/stdout" 2>"$work/stderr" ||
    fail "a threaded run exited $?: $(cat "$work/stderr")"
  local dir csv
  dir=$(results_dir "$work/stdout")
  csv="$dir/results.csv"
  # small_objects at 1 thread only; the threaded ones at 1 and 2.
  [ "$(($(wc -l <"$csv") - 1))" -eq 20 ] || fail "not 4 x (1 + 2 x 2) rows: $(cut -d, -f1-4 "$csv")"
  local a w
  for w in threads_churn threads_handoff; do
    for a in glibc pymalloc pymalloc@gil bump; do
      [ "$(awk -F, -v a="$a" -v w="$w" '$1 == a && $2 == w && $3 == 1 { print $4 }' "$csv")" = ok ] ||
        fail "$a x $w at 1 thread not ok"
    done
    for a in glibc pymalloc@gil; do
      [ "$(awk -F, -v a="$a" -v w="$w" '$1 == a && $2 == w && $3 == 2 { print $4 }' "$csv")" = ok ] ||
        fail "$a x $w at 2 threads not ok"
      [ -s "$dir/gbench/${a}__${w}__t2.p1.json" ] || fail "no gbench/${a}__${w}__t2.p1.json"
    done
    awk -F, -v w="$w" '$1 == "pymalloc" && $2 == w && $3 == 2 && $4 ~ /^not run: pymalloc is not thread-safe/ { f = 1 }
      END { exit !f }' "$csv" || fail "pymalloc x $w at 2 threads does not say why it did not run"
    awk -F, -v w="$w" '$1 == "bump" && $2 == w && $3 == 2 && $4 ~ /^not run: bump is not thread-safe/ { f = 1 }
      END { exit !f }' "$csv" || fail "bump x $w at 2 threads does not say why it did not run"
  done
  [ "$(awk -F, '$3 == 2' "$csv" | wc -l)" -eq 8 ] || fail "small_objects ran at 2 threads"
  # The threads' RSS figures: a threaded row's, not a single-threaded one's.
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $4 == "ok" && ($2 ~ /^threads_/) != ($c["joined_rss_bytes"] != "" && $c["threads_rss_bytes"] != "") { bad = 1 }
    END { exit bad }' "$csv" || fail "joined_rss_bytes given for the wrong rows"
  # Every request handed off is freed once, by another thread at 2.
  awk -F, '$2 == "threads_handoff" && $5 == "workload" && $6 == "handoff_balance" && $7 != 0 { bad = 1 }
    $2 == "threads_handoff" && $3 == 2 && $6 == "cross_thread_frees" && $7 == 0 { bad = 1 }
    $2 == "threads_handoff" && $6 == "same_thread_handoff" && $7 != ($3 == 1) { bad = 1 }
    END { exit bad }' "$dir/stats.csv" || fail "threads_handoff's counters: $(grep handoff "$dir/stats.csv")"
  grep -q '"threads": \[1, 2\]' "$dir/metadata.json" || fail "metadata.json lacks the thread counts"
}

# ---- pymalloc variants: every bad spec refused before anything runs; a good one measured under its label ----
test_variants() {
  expect_bad_input "unknown key 'size'; keys: arena, pool, align, threshold, release, order" --allocator=pymalloc:size=4m
  expect_bad_input "arena takes a power of two" --allocator=pymalloc:arena=3m
  expect_bad_input "a label holds letters" --allocator=pymalloc:arena
  expect_bad_input "pool takes a power of two" --allocator=pymalloc:pool=16K
  expect_bad_input "align takes 8 or 16" --allocator=pymalloc:align=32
  expect_bad_input "threshold takes a number of bytes" --allocator=pymalloc:threshold=lots
  expect_bad_input "release takes keep-one, eager or never" --allocator=pymalloc:release=later
  expect_bad_input "order takes fullest or fifo" --allocator=pymalloc:order=lifo
  expect_bad_input "arena is given twice" --allocator=pymalloc:arena=4m:arena=4m
  expect_bad_input "an arena holds at least 4 pools: pool=256k is more than a quarter of arena=256k" \
    --allocator=pymalloc:arena=256k:pool=256k
  expect_bad_input "threshold=4096 does not fit in a pool of 4k (4048 bytes after its header)" \
    --allocator=pymalloc:pool=4k:threshold=4096
  expect_bad_input "threshold=100 is not a multiple of align=16" --allocator=pymalloc:threshold=100
  expect_bad_input "that geometry is not built; built: arena=256k, arena=4m, pool=4k" --allocator=pymalloc:arena=4m:pool=4k
  expect_bad_input "every key is CPython's choice: that is plain pymalloc" --allocator=pymalloc:arena=1m:order=fullest
  expect_bad_input "only a single allocator has variants, not a layered one" --allocator=pymalloc+jemalloc:arena=4m
  expect_bad_input "'glibc' has no variants" --allocator=glibc:arena=4m
  expect_bad_input "a label holds letters" --allocator='pymalloc:arena=4m:'
  expect_bad_input "are both pymalloc:arena=4m:order=fifo" \
    --allocator=pymalloc:arena=4m:order=fifo,pymalloc:order=fifo:arena=4m:pool=16k
  [ "$(ls -A "$work" | sort | paste -sd' ')" = "stderr stdout" ] || fail "bad input left files behind: $(ls -A "$work")"
  if [ -x /usr/bin/python3.11 ]; then
    expect_bad_input "--real: pymalloc:release=eager is no configuration a real CPython can run on" \
      --real --allocator=pymalloc:release=eager -- /usr/bin/python3.11 -c pass
  fi

  # Typed in any order, a variant is measured and filed under its label.
  local label=pymalloc:arena=4m:order=fifo dir
  measure "$bench" --quick --allocator=pymalloc:order=fifo:arena=4m --workload=small_objects --out="$work/runs" ||
    fail "a variant's quick run exited $?: $(cat "$work/stderr")"
  dir=$(results_dir "$work/stdout")
  [ "$(cell "$dir/results.csv" status "$label" small_objects)" = ok ] || fail "no ok row for $label"
  [ -s "$dir/gbench/${label}__small_objects.p1.json" ] || fail "no gbench/${label}__small_objects.p1.json"
  grep -q "^$label,small_objects,1,final,arenas_current," "$dir/stats.csv" || fail "stats.csv has no final rows for $label"

  # A variant behind a lock model runs threaded rows, under its label with the model after it.
  expect_bad_input "unknown lock model; valid: mutex, gil" --allocator=pymalloc:arena=4m@spin
  label=pymalloc:arena=4m@gil
  measure "$bench" --quick --threads=2 --allocator=pymalloc:arena=4m@gil --workload=threads_churn --out="$work/runs" ||
    fail "a locked variant's quick run exited $?: $(cat "$work/stderr")"
  dir=$(results_dir "$work/stdout")
  [ "$(awk -F, -v a="$label" '$1 == a && $2 == "threads_churn" && $3 == 2 { print $4 }' "$dir/results.csv")" = ok ] ||
    fail "no ok row for $label at 2 threads: $(cut -d, -f1-4 "$dir/results.csv")"
}

# The lock is the machine's, not this ctest's: a run of someone else's (./bench,
# another build's tests) would make a case's runs refuse. Wait for it first.
if ! flock -w 300 /tmp/pyallocbench.lock true; then
  fail "/tmp/pyallocbench.lock stayed taken for 5 minutes (pid $(cat /tmp/pyallocbench.lock))"
fi
"test_$case_name"
echo "1 passed, 0 failed"
