# testlib.sh: sourced by the plots tests. $1 of the test is the repository root.
set -uo pipefail
ROOT=$(cd "${1:?usage: $0 REPO_ROOT}" && pwd)
FIXTURES=$ROOT/tests/plots
PLOT=$ROOT/plots/plot
COMPARE=$ROOT/plots/compare
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
finish() { [ "$failures" -eq 0 ] && echo "all passed" || { echo "$failures failed" >&2; exit 1; }; }

# fixture NAME: a scratch copy of a committed fixture, so the tests never write into it.
fixture() { local d; d=$(mktemp -d "$WORK/copy.XXXXXX") && cp -r "$FIXTURES/$1" "$d/$1" && echo "$d/$1"; }

is_png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
is_svg() { [ -s "$1" ] && grep -q '<svg' "$1" && grep -q '</svg>' "$1"; }

# Allocator names of a results folder, from its results.csv.
allocators_of() { awk -F, 'NR > 1 && !seen[$1]++ { print $1 }' "$1/results.csv"; }
workloads_of() { awk -F, 'NR > 1 && !seen[$2]++ { print $2 }' "$1/results.csv"; }

# gnuplot's SVG writes each label as <text>...</text>.
svg_has_text() { grep -qF ">$2</text>" "$1"; }
# A legend entry is a group titled with its text.
svg_has_legend() { grep -qF "<title>$2</title>" "$1" && svg_has_text "$1" "$2"; }


# section FILE HEADING: the lines under the Markdown HEADING (a whole line, e.g. "### x")
# up to the next heading of the same or a higher level.
section() {
  awk -v h="$2" '$0 == h { level = index(h, " "); on = 1; next }
    on && /^#+ / && index($0, " ") <= level { exit } on' "$1"
}

# The colour of NAME's legend entry in an SVG, as rgb(r,g,b).
svg_legend_colour() {
  awk -v t="<title>$2</title>" 'index($0, t) { f = 1 }
    f && match($0, /rgb\([^)]*\)/) { s = substr($0, RSTART, RLENGTH); gsub(/ /, "", s); print s; exit }' "$1"
}

# same_colour_everywhere DIR NAME: NAME's legend colour is the same in every plot of DIR.
same_colour_everywhere() {
  local dir=$1 name=$2 svg colour first=
  for svg in "$dir"/plots/*.svg; do
    colour=$(svg_legend_colour "$svg" "$name")
    [ -n "$colour" ] || colour=$(svg_legend_colour "$svg" "$name (no data)")
    [ -n "$colour" ] || colour=$(svg_legend_colour "$svg" "$name (baseline, = 1.0)")
    [ -n "$colour" ] || { echo "no legend entry for $name in $svg" >&2; return 1; }
    [ -z "$first" ] && first=$colour
    [ "$colour" = "$first" ] || { echo "$name is $colour in $svg, $first elsewhere" >&2; return 1; }
  done
}

# runs WHAT OUT ERR COMMAND...: runs COMMAND with its output in OUT and ERR ("&1": with
# OUT) and checks that it exits 0.
runs() {
  local what=$1 out=$2 err=$3 status; shift 3
  if [ "$err" = "&1" ]; then "$@" >"$out" 2>&1; else "$@" >"$out" 2>"$err"; fi
  status=$?
  check "$what" test "$status" -eq 0
}
