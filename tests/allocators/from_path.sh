#!/usr/bin/env bash
# from_path.sh PYALLOCBENCH CC [refusals]: allocators given as LABEL=PATH
# (allocators/from_path.h). Each library is measured under its label, as the
# kind its symbols say: jemalloc's by path, libpython 3.11's obmalloc, and a
# malloc replacement built here. Every bad one is refused before anything
# runs: one line, exit 2, no results folder. With "refusals" only the bad
# ones are tried (the sanitizer build, where nothing can be preloaded).
set -uo pipefail
bench=$1 cc=$2 only=${3-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
lib=/usr/lib/x86_64-linux-gnu

# A malloc replacement of no known kind, and a libpython that is too new.
cat >"$work/wrap.c" <<'C'
#include <stddef.h>
void *__libc_malloc(size_t), *__libc_calloc(size_t, size_t), *__libc_realloc(void *, size_t);
void __libc_free(void *);
void *malloc(size_t n) { return __libc_malloc(n); }
void *calloc(size_t n, size_t m) { return __libc_calloc(n, m); }
void *realloc(void *p, size_t n) { return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
C
cat >"$work/py312.c" <<'C'
#include <stddef.h>
void *PyObject_Malloc(size_t n) { (void)n; return NULL; }
C
"$cc" -shared -fPIC -O2 -o "$work/libwrap.so.1.2" "$work/wrap.c" || fail "cannot build the test's malloc replacement"
"$cc" -shared -fPIC -Wl,-soname,libpython3.12.so.1.0 -o "$work/libpython3.12.so.1.0" "$work/py312.c" ||
  fail "cannot build the test's libpython 3.12"
head -c 3000 "$lib/libjemalloc.so.2" >"$work/truncated.so"

# refused SPEC WHAT: exit 2, one line on stderr saying WHAT, nothing created.
refused() {
  local out="$work/out.$RANDOM"
  "$bench" --quick --allocator="$1" --workload=list --out="$out" >"$work/stdout" 2>"$work/stderr"
  local status=$?
  [ "$status" -eq 2 ] || fail "$1: exit $status, not 2"
  [ "$(wc -l <"$work/stderr")" -eq 1 ] || fail "$1: not one line on stderr: $(cat "$work/stderr")"
  grep -qF -- "$2" "$work/stderr" || fail "$1: stderr lacks '$2': $(cat "$work/stderr")"
  [ ! -e "$out" ] || fail "$1: a results folder was made"
}
refused "libm=$lib/libm.so.6" "defines no malloc and free"
refused "gone=$work/missing.so" "cannot find $work/missing.so"
refused "text=$work/wrap.c" "not a 64-bit little-endian ELF shared library"
refused "cut=$work/truncated.so" "truncated"
refused "py312=$work/libpython3.12.so.1.0" "obmalloc is measured from libpython 3.10 and 3.11 only"
refused "jemalloc=$lib/libjemalloc.so.2" "'jemalloc' is a built-in allocator's name"
for label in "a:b" "a/b" "a+b" ""; do
  refused "$label=$lib/libjemalloc.so.2" "a label holds"
done

if [ "$only" != refusals ]; then
  # measured LABEL=PATH KIND_VERSION: a row under LABEL, ok, its version and spec in metadata.json.
  measured() {
    local label=${1%%=*} out="$work/run.$RANDOM"
    "$bench" --quick --allocator="$1" --workload=list --out="$out" >"$work/stdout" 2>"$work/stderr" ||
      { fail "$1: exit $?: $(tail -n 2 "$work/stderr")"; return; }
    awk -F, -v l="$label" '$1 == l && $2 == "list" && $4 == "ok" { found = 1 } END { exit !found }' \
      "$out/latest/results.csv" || fail "$1: no ok row for $label in results.csv"
    python3 - "$out/latest/metadata.json" "$label" "$2" "$(realpath "${1#*=}")" <<'PY' || fail "$1: metadata.json"
import json, sys
m = json.load(open(sys.argv[1]))
label, version, path = sys.argv[2:]
assert version in m["allocator_versions"][label], m["allocator_versions"]
assert m["allocator_specs"][label] == f"{label}={path}", m["allocator_specs"]
PY
  }
  measured "myjem=$lib/libjemalloc.so.2" "jemalloc 5."
  measured "py311=$lib/libpython3.11.so.1.0" "CPython 3.11"
  measured "wrapped=$work/libwrap.so.1.2" "libwrap.so.1.2"
fi
[ "$failures" -eq 0 ] && echo "all passed"
exit $((failures > 0))
