#!/usr/bin/env bash
# record.sh: re-records python311.trace, the trace trace_replay replays.
# Compiles record_preload.c, runs snippet.py under Debian 12's /usr/bin/python3
# (3.11.2) with PYTHONMALLOC=malloc so every object goes through malloc (and
# PYTHONHASHSEED=0 so str hashes, hence dict and set layouts, repeat), and
# turns the address log into block ids with to_ids.py. Another Python build
# records another trace: the committed one is the reference, do not
# re-record it at build time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"${CC:-cc}" -O2 -shared -fPIC -o "$work/record.so" "$here/record_preload.c"
PYTHONHASHSEED=0 PYTHONMALLOC=malloc PAB_RECORD_OUT="$work/raw.txt" LD_PRELOAD="$work/record.so" \
  /usr/bin/python3 "$here/snippet.py"
[ -s "$work/raw.txt" ] || { echo "record.sh: nothing recorded" >&2; exit 1; }
/usr/bin/python3 "$here/to_ids.py" "$work/raw.txt" "$work/trace.txt"
mv "$work/trace.txt" "$here/python311.trace"
echo "record.sh: wrote $here/python311.trace ($(wc -c <"$here/python311.trace") bytes)"
