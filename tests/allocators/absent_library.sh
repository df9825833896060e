#!/bin/sh
# absent_library.sh PROGRAM ALLOCATOR LIBRARY PYALLOCBENCH
# Checks that ALLOCATOR is available, then hides LIBRARY (binds /dev/null over
# its file in a private mount namespace) and checks that the probe of
# PROGRAM (the conformance program) now reports it unavailable: exit 3 and a
# line "ALLOCATOR unavailable: why"; and that `PYALLOCBENCH --list` marks it
# unavailable while the run's other allocators stay available. Exit 77
# (skipped) where mount namespaces are not permitted.
set -u
program=$1 allocator=$2 library=$3 pyallocbench=$4

if [ ! -x "$program" ]; then
  echo "FAIL: $program is not built" >&2
  exit 1
fi
path=$(ldconfig -p | awk -v lib="$library" '$1 == lib && /x86-64/ { print $NF; exit }')
if [ -z "$path" ]; then
  echo "FAIL: $library is not installed, so nothing can be hidden" >&2
  exit 1
fi

"$program" --probe "$allocator"
status=$?
if [ "$status" -ne 0 ]; then
  [ "$status" -eq 77 ] && exit 77
  echo "FAIL: $allocator is unavailable even with $library present" >&2
  exit 1
fi

if ! unshare -m true 2>/dev/null; then
  echo "skipped: unshare -m is not permitted here (needs root or user namespaces)"
  exit 77
fi

errors=$(unshare -m sh -c 'mount --bind /dev/null "$1" && exec "$2" --probe "$3"' \
  sh "$path" "$program" "$allocator" 2>&1 >/dev/null)
status=$?
printf '%s\n' "$errors"
if [ "$status" -ne 3 ]; then
  echo "FAIL: with $path hidden the probe exited $status, not 3 (unavailable)" >&2
  exit 1
fi
if ! printf '%s\n' "$errors" | grep -q "^$allocator unavailable: ."; then
  echo "FAIL: with $path hidden the probe did not say why $allocator is unavailable" >&2
  exit 1
fi

listing=$(unshare -m sh -c 'mount --bind /dev/null "$1" && exec "$2" --list' \
  sh "$path" "$pyallocbench" 2>&1)
# awk, not grep: names like pymalloc+jemalloc are not regular expressions.
state_of() { printf '%s\n' "$listing" | awk -v n="$1" '$1 == "allocator" && $2 == n { print $3 }'; }
if [ "$(state_of "$allocator")" != unavailable ]; then
  printf '%s\n' "$listing" >&2
  echo "FAIL: with $path hidden, --list does not mark $allocator unavailable" >&2
  exit 1
fi
if [ "$(state_of glibc)" != available ]; then
  echo "FAIL: with $path hidden, --list lost glibc too" >&2
  exit 1
fi
echo "ok: $allocator reported unavailable with $library hidden, by the probe and by --list"
