#!/bin/sh
# same_counters.sh CONFORMANCE A B: allocators A and B name the same counters.
set -u
program=$1 a=$2 b=$3
"$program" --counters "$a" | sort >"${TMPDIR:-/tmp}/counters.$$.a" || exit 1
"$program" --counters "$b" | sort >"${TMPDIR:-/tmp}/counters.$$.b" || exit 1
if diff "${TMPDIR:-/tmp}/counters.$$.a" "${TMPDIR:-/tmp}/counters.$$.b"; then
  status=0
  echo "ok: $a and $b name the same $(wc -l <"${TMPDIR:-/tmp}/counters.$$.a") counters"
else
  status=1
  echo "FAIL: the counters of $a (<) and $b (>) differ" >&2
fi
rm -f "${TMPDIR:-/tmp}/counters.$$.a" "${TMPDIR:-/tmp}/counters.$$.b"
exit "$status"
