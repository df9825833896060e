#!/usr/bin/env bash
# record_test.sh CASE RECORD LIBRARY INFO: one case of the recorder
# (workloads/traces/record and libpab_recorder.so) run on Debian's
# /usr/bin/python3.11 (package python3.11-minimal), read back with
# pab-trace-info. It runs in the sanitizer tree too: the recorder is never
# built sanitized (workloads/traces/CMakeLists.txt), and there pab-trace-info
# reads real traces under AddressSanitizer.
set -uo pipefail
case_name=$1 record=$2
export PAB_RECORDER=$3 PAB_TRACE_INFO=$4
py=/usr/bin/python3.11
[ -x "$py" ] || { echo "FAIL: $py is missing (Debian package python3.11-minimal)"; exit 1; }
unset PYTHONMALLOC PYTHONDEVMODE LD_PRELOAD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() {
  echo "FAIL $case_name: $*"
  exit 1
}

# expect_exit N what COMMAND...: runs it, output in $work/log.
expect_exit() {
  local want=$1 what=$2
  shift 2
  "$@" >"$work/log" 2>&1
  local got=$?
  [ "$got" -eq "$want" ] || fail "$what: exit $got, expected $want: $(cat "$work/log")"
}

header() { "$PAB_TRACE_INFO" "$1" | sed -n "s/^$2: //p"; }

# Lines "OP DOMAIN THREAD ID SIZE ALIGN" of trace $1 that match awk condition $2.
count_records() { "$PAB_TRACE_INFO" --records "$1" | awk "NF == 6 && ($2)" | wc -l; }

case_counts() {
  cat >known.py <<'PY'
import os, sys, threading
class Slotted:
    __slots__ = ('a', 'b')
objs = [Slotted() for _ in range(10000)]     # object domain, one size
b = bytes(777777)                            # object domain, 777777 + header
items = [0] * 123457                         # mem domain: 8 bytes an item
t = threading.Thread(target=lambda: bytes(654321))
t.start(); t.join()
with open(sys.argv[1], 'w') as f:
    print(sys.getsizeof(objs[0]), sys.getsizeof(b), sys.getsizeof(bytes(654321)), file=f)
os.chdir('/')                                # the trace is still written where asked
PY
  expect_exit 0 "record" "$record" k.trace -- "$py" known.py sizes
  read -r slotted big in_thread <sizes
  grep -q "^record: k.trace: [0-9]* records (libc [0-9]*, raw [0-9]*, mem [0-9]*, object [0-9]*" log ||
    fail "no summary line: $(cat log)"
  local n
  n=$(count_records k.trace "\$1 == \"malloc\" && \$2 == \"object\" && \$5 == $slotted")
  [ "$n" -ge 10000 ] || fail "$n object mallocs of $slotted bytes, expected 10000 or more"
  n=$(count_records k.trace "\$2 == \"object\" && \$5 == $big")
  [ "$n" -eq 1 ] || fail "$n object-domain records of $big bytes (bytes(777777)), expected 1"
  n=$(count_records k.trace "\$2 == \"mem\" && \$5 == 123457 * 8")
  [ "$n" -eq 1 ] || fail "$n mem-domain records of 987656 bytes ([0] * 123457), expected 1"
  n=$(count_records k.trace "\$2 == \"object\" && \$5 == $in_thread && \$3 == 1")
  [ "$n" -ge 1 ] || fail "bytes(654321) not recorded on thread 1"
  [ "$(header k.trace threads)" -eq 2 ] || fail "threads: $(header k.trace threads), expected 2"
  for d in libc raw mem object; do
    [ "$(header k.trace "records $d")" -gt 0 ] || fail "no records in domain $d"
  done
  for d in mem object; do
    [ "$(header k.trace "unknown frees $d")" -eq 0 ] || fail "unknown frees in domain $d"
  done
}

case_replay() {
  expect_exit 0 "record" "$record" p.trace -- "$py" -c pass
  expect_exit 0 "read back" "$PAB_TRACE_INFO" p.trace
  grep -qx "live bytes at end: 0" log || fail "a replay does not end empty: $(cat log)"
  grep -qx "flags: none" log || fail "unexpected flags: $(grep flags log)"
  local records listed
  records=$(header p.trace records)
  listed=$(count_records p.trace 1)
  [ "$records" -eq "$listed" ] || fail "header says $records records, $listed listed"
  [ "$(header p.trace command)" = "$py -c pass" ] || fail "command: $(header p.trace command)"
  header p.trace python | grep -q "^3\.11\." || fail "python version: $(header p.trace python)"
}

case_pythonmalloc() {
  expect_exit 2 "PYTHONMALLOC" env PYTHONMALLOC=malloc "$record" m.trace -- "$py" -c pass
  [ "$(wc -l <log)" -eq 1 ] && grep -q PYTHONMALLOC log || fail "not one line naming PYTHONMALLOC: $(cat log)"
  [ ! -e m.trace ] || fail "a trace was written"
}

case_failing() {
  echo keep >f.trace
  expect_exit 1 "failing script" "$record" f.trace -- "$py" -c 'raise SystemExit(3)'
  [ "$(wc -l <log)" -eq 1 ] || fail "not one line: $(cat log)"
  [ "$(cat f.trace)" = keep ] || fail "the existing f.trace was overwritten"
  expect_exit 1 "os._exit" "$record" g.trace -- "$py" -c 'import os; os._exit(0)'
  [ ! -e g.trace ] || fail "an unfinished trace was kept"
  expect_exit 1 "exec" "$record" g.trace -- "$py" -c 'import os; os.execv(os.sys.executable, ["p", "-c", "pass"])'
  grep -q "the trace of the first one is lost" log || fail "exec: not said: $(cat log)"
  [ ! -e g.trace ] || fail "a trace was kept across exec"
  local left
  for left in .[!.]* *; do
    case $left in f.trace | log | known.py | '.[!.]*' | '*') ;; *) fail "left behind: $left" ;; esac
  done
}

# Blocks the recorder never saw (made by __libc_malloc, behind its back):
# their free is dropped and counted, their realloc becomes a new block.
case_unknown() {
  cat >unknown.py <<'PY'
import ctypes
libc = ctypes.CDLL(None)
for name in ('__libc_malloc', 'realloc'):
    getattr(libc, name).restype = ctypes.c_void_p
libc.realloc.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.free(libc.__libc_malloc(100))
libc.free(libc.realloc(libc.__libc_malloc(100), 5432))
PY
  expect_exit 0 "record" "$record" u.trace -- "$py" unknown.py
  [ "$(header u.trace "unknown frees libc")" -eq 1 ] || fail "unknown libc frees: $(header u.trace "unknown frees libc")"
  [ "$(header u.trace "unknown reallocs")" -eq 1 ] || fail "unknown reallocs: $(header u.trace "unknown reallocs")"
  [ "$(count_records u.trace "\$1 == \"malloc\" && \$2 == \"libc\" && \$5 == 5432")" -eq 1 ] ||
    fail "the realloc of an unknown block is not a new block of 5432 bytes"
}

# Threads that allocate without the GIL (zlib's buffers come from the raw
# domain, libc's from malloc) while others hold it.
case_threads() {
  cat >threads.py <<'PY'
import hashlib, os, threading, zlib
data = os.urandom(1 << 18)
def work():
    for _ in range(10):
        zlib.compress(data, 1)
        hashlib.sha256(data).hexdigest()
        [str(i) for i in range(2000)]
threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
PY
  expect_exit 0 "record" "$record" t.trace -- "$py" threads.py
  expect_exit 0 "read back" "$PAB_TRACE_INFO" t.trace
  grep -qx "threads: 5" log || fail "threads: $(grep threads log)"
  grep -qx "live bytes at end: 0" log || fail "a replay does not end empty"
}

case_missing() {
  expect_exit 2 "missing script" "$record" s.trace -- "$py" no_such_script.py
  [ "$(wc -l <log)" -eq 1 ] && grep -q "no such script" log || fail "not one line: $(cat log)"
  expect_exit 2 "no interpreter" "$record" s.trace -- /nonexistent/python -c pass
  expect_exit 2 "usage" "$record" s.trace "$py" -c pass
  [ ! -e s.trace ] || fail "a trace was written"
}

case_fork() {
  cat >fork.py <<'PY'
import os, subprocess, sys
pid = os.fork()
if pid == 0:
    # Only in the child, which then exits normally, through the recorder's
    # exit handlers, after more records than its buffer holds.
    kept = [bytes(333333) for _ in range(5)]
    more = [str(i) for i in range(100000)]
    sys.exit(0)
os.waitpid(pid, 0)
subprocess.run([sys.executable, '-c', 'bytes(444444)'], check=True)
PY
  expect_exit 0 "record" "$record" c.trace -- "$py" fork.py
  grep -q "only pid" log || fail "stderr does not say only one process was recorded: $(cat log)"
  [ "$(header c.trace flags)" = children-not-recorded ] || fail "flags: $(header c.trace flags)"
  local n
  n=$(count_records c.trace "\$5 == 333333 + 33 || \$5 == 444444 + 33")
  [ "$n" -eq 0 ] || fail "$n records of the child processes' allocations"
  [ "$(header c.trace pid)" -ne 0 ] || fail "no pid"
}

# corrupt_with WHAT EXPECTED: pab-trace-info on broken.trace fails in one line.
corrupt_with() {
  expect_exit 1 "$1" "$PAB_TRACE_INFO" broken.trace
  [ "$(wc -l <log)" -eq 1 ] && grep -q "^trace broken.trace: $2" log ||
    fail "$1: expected one line 'trace broken.trace: $2', got: $(cat log)"
}

poke() { printf '%b' "$2" | dd of=broken.trace bs=1 seek="$1" conv=notrunc status=none; }

case_corrupt() {
  expect_exit 0 "record" "$record" r.trace -- "$py" -c pass
  local size records hsize
  size=$(stat -c %s r.trace)
  records=$(header r.trace records)
  hsize=$(od -An -tu4 -j12 -N4 r.trace | tr -d ' ')
  head -c $((size - 100)) r.trace >broken.trace
  corrupt_with truncated "truncated after record $(((size - 100 - hsize) / 24)) of $records"
  cp r.trace broken.trace && poke 8 '\x02'
  corrupt_with version "format version 2, this reader reads version 1"
  cp r.trace broken.trace && poke 0 'X'
  corrupt_with magic "not a trace"
  cp r.trace broken.trace && poke $((hsize + 9 * 24)) '\x09'
  corrupt_with "record op" "record 10: unknown op 9"
  cp r.trace broken.trace && poke $((hsize + 9 * 24 + 1)) '\x07'
  corrupt_with "record domain" "record 10: unknown domain 7"
  : >broken.trace
  corrupt_with empty "not a trace"
}

"case_$case_name" || exit 1
echo "ok $case_name"
