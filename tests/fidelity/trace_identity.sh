#!/usr/bin/env bash
# trace_identity.sh FIDELITY RECORD RECORDER TRACE_INFO: a trace recorded from a
# real python3.11 run, its mem and object calls replayed through CPython's
# obmalloc and our pymalloc with arenas placed alike: every statistic equal
# at every checkpoint (pab_fidelity --trace).
set -uo pipefail
fidelity=$1 record=$2 recorder=$3 info=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/python3.11 ] || { echo "skipped: /usr/bin/python3.11 is not installed"; exit 77; }
PAB_RECORDER=$recorder PAB_TRACE_INFO=$info "$record" "$work/t.trace" -- /usr/bin/python3.11 -c \
  'import json; d = [{"a": i, "b": [i] * 3, "c": str(i)} for i in range(20000)]; json.loads(json.dumps(d)); del d[::2]' \
  >/dev/null || { echo "FAIL: cannot record" >&2; exit 1; }
"$fidelity" --trace="$work/t.trace" | tail -n 3
exit "${PIPESTATUS[0]}"
