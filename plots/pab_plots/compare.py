"""plots/compare [--alpha=A] [--fail-on-regression=PCT] RUN_A RUN_B: for every (allocator,
workload) pair of two results folders, whether B differs from A in time, peak RSS and final
RSS, tested across processes (the unit of replication) from samples.csv; a real program's
pairs (pyallocbench --real) in wall time and peak RSS above the interpreter's -c pass.

Each test is Welch's t on logarithms (stats.welch): of each process's warm median (a real
program's: its wall time) for time, of each process's cold-pass RSS (a real program's peak)
plus 64 KiB for memory (plots/README.md says why). Its ratio
B/A comes with a 95 % interval; the verdict is taken after Holm's correction over every test
printed, so that the chance of calling any difference where there is none stays at alpha.

Times are compared relative to the machine's drift between the runs: where a workload has
at least DRIFT_MIN_PAIRS allocators in both, the median over them of B's mean log time
less A's is taken off B's logs (printed in the heading; --absolute keeps the raw times),
because two runs made minutes apart on a shared machine differ by a shift common to every
allocator that the processes inside one run do not show.
"""
import math
import sys
from dataclasses import dataclass
from statistics import fmean as mean, median

from .cli import ArgumentParser, BadInput
from .formats import count
from .results import FINAL_RSS, OPS_PER_PASS, PEAK_RSS, SECONDS, is_real, read_run, read_samples

from .stats import holm, rss_logs, welch

# The figures tested per pair: (name printed, samples.csv column, whether it is memory).
FIGURES = (("ns/op", None, False), ("peak RSS", PEAK_RSS, True), ("final RSS", FINAL_RSS, True))
# A real program's (its rows' kind "real"): no ns/op or final RSS.
REAL_FIGURES = (("wall s", SECONDS, False), ("peak RSS", PEAK_RSS, True))
# The second line of the heading: how each kind of pair is tested.
HOW = {False: "ns/op: the log of each process's warm median; peak and final RSS: log(bytes + "
              "64 KiB) of each process's cold pass",
       True: "wall s: the log of each process's wall time; peak RSS: log(bytes + 64 KiB) of "
             "each process's peak above the interpreter's -c pass"}
# The fewest allocators of one workload from which the drift between runs is estimated.
DRIFT_MIN_PAIRS = 5
HEADINGS = ("workload", "allocator", "figure", "B/A", "95 % interval", "verdict", "p", "Holm p")


@dataclass
class Test:
    pair: tuple
    figure: str
    memory: bool
    result: object  # stats.Welch
    holm_p: float = None


def _arguments(argv):
    parser = ArgumentParser(prog="plots/compare", allow_abbrev=False,
                            description="Per pair present in both results folders: B over A "
                            "for ns/op, peak RSS and final RSS (a real program's: wall time "
                            "and peak RSS), with 95 % intervals, and "
                            "Welch's t-test across processes, Holm-corrected.")
    parser.add_argument("--alpha", default="0.05", metavar="A",
                        help="significance level after correction (default 0.05)")
    parser.add_argument("--fail-on-regression", metavar="PCT", dest="regression",
                        help="exit 1 when a pair is significantly slower or bigger and its "
                        "ratio's interval lies wholly above 1 + PCT/100")
    parser.add_argument("--absolute", action="store_true",
                        help="compare the times as measured, without taking off the drift "
                        "between the runs common to a workload's allocators")
    parser.add_argument("runs", nargs="*", metavar="RUN")
    args = parser.parse_args(argv)
    if len(args.runs) != 2:
        raise BadInput("needs two results folders, RUN_A and RUN_B (see plots/compare --help)")
    alpha = _number(args.alpha)
    if alpha is None or not 0 < alpha < 1:
        raise BadInput(f"--alpha wants a number between 0 and 1, got {args.alpha}")
    regression = None
    if args.regression is not None:
        regression = _number(args.regression)
        if regression is None or regression < 0:
            raise BadInput("--fail-on-regression wants a percentage of 0 or more, got "
                           f"{args.regression}")
    return alpha, regression, args.absolute, args.runs


def _number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def main(argv):
    alpha, regression, absolute, names = _arguments(argv)
    runs = [read_run(name) for name in names]
    samples = []
    for name, run in zip(names, runs):
        found = read_samples(run, run.notes, "nothing to test")
        if found is None:
            raise BadInput(f"{name} has no readable samples.csv (a results folder from before "
                           "processes were measured apart?)")
        samples.append(found)
        for line in run.notes.lines({}):
            print(f"compare: skipped: {name}: {line}", file=sys.stderr)
    pairs = list(dict.fromkeys([*runs[0].pairs, *runs[1].pairs]))
    sides = {}
    rows = []
    for pair in pairs:
        why = _precheck(*runs, pair)
        if why:
            rows.append((pair[1], pair[0], "-", "-", "-", why, "", ""))
            continue
        for figure, column, memory in REAL_FIGURES if is_real(pair[1]) else FIGURES:
            found = [_values(s, pair, column, memory) for s in samples]
            text = next((side for side in found if isinstance(side, str)), None)
            if text:
                rows.append((pair[1], pair[0], figure, "-", "-", text, "", ""))
            else:
                sides[pair, figure] = found
                rows.append((pair, figure, memory))
    drifts = {} if absolute else _drifts(sides)
    tests = []
    for k, row in enumerate(rows):
        if len(row) != 3:
            continue
        pair, figure, memory = row
        a, b = sides[pair, figure]
        shift = 0 if memory else drifts.get(pair[1], 0)
        result = welch(a, [v - shift for v in b])
        if result is None:
            rows[k] = (pair[1], pair[0], figure, "-", "-", "too few processes to tell "
                       f"({len(a)} vs {len(b)})", "", "")
            continue
        rows[k] = Test(pair, figure, memory, result)
        tests.append(rows[k])
    for test, p in zip(tests, holm([t.result.p for t in tests])):
        test.holm_p = p
    _heading(names, alpha, len(tests), {is_real(w) for _, w in pairs})
    _drift_line(absolute, drifts, {w for (_, w), _ in sides})
    _print_columns([HEADINGS, *(_cells(r, alpha) if isinstance(r, Test) else r for r in rows)])
    _summary(tests, alpha)
    if regression is not None:
        return _regressions(tests, alpha, regression)
    return 0


def _drifts(sides):
    """Per workload with at least DRIFT_MIN_PAIRS allocators timed in both runs, the median
    over them of mean(B's logs) - mean(A's logs): the shift the machine gave every
    allocator alike."""
    shifts = {}
    for (pair, figure), (a, b) in sides.items():
        if figure in ("ns/op", "wall s") and a and b:
            shifts.setdefault(pair[1], []).append(mean(b) - mean(a))
    return {w: median(d) for w, d in shifts.items() if len(d) >= DRIFT_MIN_PAIRS}


def _drift_line(absolute, drifts, workloads):
    if absolute:
        print("times as measured (--absolute): no drift between the runs taken off")
        return
    shown = ", ".join(f"{w} {100 * math.expm1(d):+.1f} %" for w, d in sorted(drifts.items()))
    left = sorted(workloads - drifts.keys())
    print(f"times relative to the drift between the runs, the median shift of a workload's "
          f"allocators taken off B (--absolute keeps it): {shown or 'none'}"
          + (f"; too few allocators to tell (under {DRIFT_MIN_PAIRS}), as measured: "
             f"{', '.join(left)}" if left else ""))


def _heading(names, alpha, n, kinds):
    """kinds: whether the pairs are real programs' (True), workloads' (False) or both."""
    print(f"compare: {names[1]} (B) against {names[0]} (A): per pair in both, B/A with its "
          "95 % interval and Welch's t-test across processes")
    if len(kinds) > 1:
        how = f"workloads' {HOW[False]}; real programs' {HOW[True]}"
    else:
        how = HOW[True in kinds]
    print(f"({how});")
    print(f"the verdict is at alpha {alpha:g} after Holm's correction over the {n} tests "
          "(column Holm p)")


def _precheck(a, b, pair):
    """Why the pair cannot be tested, None when it can."""
    pa, pb = a.pairs.get(pair), b.pairs.get(pair)
    if pa is None or pb is None:
        return "only in B" if pa is None else "only in A"
    if not pa.ok or not pb.ok:
        return f"not compared: A {pa.status}" if not pa.ok else f"not compared: B {pb.status}"
    passes = [p.figures.get(OPS_PER_PASS) for p in (pa, pb)]
    if passes[0] != passes[1]:
        shown = ["?" if v is None else count(v) for v in passes]
        return (f"not compared: ops_per_pass differs ({shown[0]} vs {shown[1]}), so the "
                "figures differ in kind")
    return None


def _values(samples, pair, column, memory):
    """The logs the test takes for one side, or why there are none."""
    real = is_real(pair[1])
    if not memory:
        return [math.log(v) for v in (samples.real(pair, column) if real
                                      else samples.warm_medians(pair))]
    logs = rss_logs((samples.real if real else samples.cold)(pair, column))
    return f"not compared: {column} below -64 KiB" if logs is None else logs


def _verdict(test, alpha):
    if test.holm_p >= alpha:
        return "no significant difference"
    if test.memory:
        return "bigger" if test.result.ratio > 1 else "smaller"
    return "slower" if test.result.ratio > 1 else "faster"


def _cells(test, alpha):
    r = test.result
    return (test.pair[1], test.pair[0], test.figure, f"{r.ratio:.2f}x",
            f"[{r.lo:.2f}, {r.hi:.2f}]", _verdict(test, alpha), _p(r.p), _p(test.holm_p))


def _p(p):
    if p == 0:
        return "0"
    if p < 0.0001:
        return "<0.0001"
    return f"{p:.2f}" if p >= 0.01 else f"{p:.2g}"


def _print_columns(rows):
    """Names left-aligned, numbers right-aligned, the verdict as it is, the p-values after;
    a pair that was not tested has its reason where the verdict goes, and nothing after."""
    tested = [row for row in rows if row[6]] or rows[:1]
    widths = [max(len(row[k]) for row in (tested if k >= 5 else rows))
              for k in range(len(HEADINGS))]
    align = "<<<>><>>"
    for row in rows:
        cells = [f"{cell:{align[k]}{widths[k]}}" for k, cell in enumerate(row)]
        print("  ".join(cells if row[6] or row is rows[0] else cells[:5] + [row[5]]).rstrip())


def _summary(tests, alpha):
    before = [t for t in tests if t.result.p < alpha]
    after = [t for t in tests if t.holm_p < alpha]
    pairs = len({t.pair for t in tests})

    def said(found):
        n = len({t.pair for t in found})
        return f"{n} pair{'' if n == 1 else 's'} ({len(found)} test{'' if len(found) == 1 else 's'})"
    print(f"summary: of {pairs} pairs tested ({len(tests)} tests), called different at alpha "
          f"{alpha:g}: {said(before)} before correction, {said(after)} after Holm's")


def _regressions(tests, alpha, pct):
    """Exit status 1 when a test is significantly slower or bigger after correction and its
    interval lies wholly above 1 + pct/100."""
    limit = 1 + pct / 100
    found = [t for t in tests
             if t.holm_p < alpha and t.result.ratio > 1 and t.result.lo > limit]
    if not found:
        print(f"no regression beyond {pct:g} %")
        return 0
    for t in found:
        r = t.result
        print(f"regression beyond {pct:g} %: {t.pair[1]} {t.pair[0]} {t.figure} "
              f"{r.ratio:.2f}x [{r.lo:.2f}, {r.hi:.2f}] (Holm p {_p(t.holm_p)})")
    return 1
