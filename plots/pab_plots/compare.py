"""plots/compare [--alpha=A] RUN_A RUN_B: for every (allocator, workload) pair of two
results folders, the ratio of their ns/op (B/A) and whether the difference is significant
over the repetitions (utest.py)."""
import sys

from . import utest
from .cli import ArgumentParser, BadInput
from .formats import count
from .results import NS_PER_OP, OPS_PER_PASS, REPETITIONS, read_run


def _arguments(argv):
    parser = ArgumentParser(prog="plots/compare", allow_abbrev=False,
                            description="Per pair present in both results folders: ns/op of B "
                            "over A, and the verdict of a Mann-Whitney U test over the "
                            "repetitions.")
    parser.add_argument("--alpha", default="0.05", metavar="A",
                        help="significance level (default 0.05)")
    parser.add_argument("runs", nargs="*", metavar="RUN")
    args = parser.parse_args(argv)
    if len(args.runs) != 2:
        raise BadInput("needs two results folders, RUN_A and RUN_B (see plots/compare --help)")
    try:
        alpha = float(args.alpha)
    except ValueError:
        alpha = 0.0
    if not 0 < alpha < 1:
        raise BadInput(f"--alpha wants a number between 0 and 1, got {args.alpha}")
    return alpha, args.runs


def main(argv):
    alpha, names = _arguments(argv)
    a, b = runs = [read_run(name) for name in names]
    for name, run in zip(names, runs):
        for line in run.notes.lines({}):
            print(f"compare: skipped: {name}: {line}", file=sys.stderr)
    checked = {pair: _precheck(a, b, pair) for pair in dict.fromkeys([*a.pairs, *b.pairs])}
    problem = None
    try:
        tests = utest.u_tests(a.folder, b.folder,
                              [pair for pair, (_, text) in checked.items() if text is None], alpha)
    except utest.Unavailable as e:
        problem = str(e)
    print(f"compare: {names[1]} (B) against {names[0]} (A): ns/op B/A per pair; significance by "
          "a two-sided")
    print("Mann-Whitney U test over the repetitions' times (Google Benchmark's compare.py), "
          f"alpha {alpha:g}")
    if problem:
        print(f"compare: no U test: {problem}")
    rows = [("workload", "allocator", "B/A", "verdict")]
    for pair, (ratio, text) in checked.items():
        if text is None:
            text = "no U test" if problem else _verdict(a, b, pair, tests[pair], alpha)
        rows.append((pair[1], pair[0], ratio, text))
    _print_columns(rows)


def _print_columns(rows):
    """The names left-aligned, the ratio right-aligned, the verdict as it is."""
    widths = [max(len(row[k]) for row in rows) for k in range(3)]
    for workload, allocator, ratio, text in rows:
        print(f"{workload:<{widths[0]}}  {allocator:<{widths[1]}}  {ratio:>{widths[2]}}  {text}")


def _precheck(a, b, pair):
    """The B/A ratio's text and, when the pair cannot go to the U test, its verdict."""
    pa, pb = a.pairs.get(pair), b.pairs.get(pair)
    if pa is None or pb is None:
        return "-", "only in B" if pa is None else "only in A"
    if not pa.ok or not pb.ok:
        return "-", f"not compared: A {pa.status}" if not pa.ok else f"not compared: B {pb.status}"
    ns_a, ns_b = pa.figures.get(NS_PER_OP), pb.figures.get(NS_PER_OP)
    if ns_a is None or ns_b is None or ns_a <= 0:
        return "-", "not compared: no ns_per_op"
    ratio = f"{ns_b / ns_a:.2f}x"
    passes = [_count(p.figures.get(OPS_PER_PASS)) for p in (pa, pb)]
    if passes[0] != passes[1]:
        return ratio, (f"no U test: ops_per_pass differs ({passes[0]} vs {passes[1]}), so pass "
                       "times differ in kind")
    return ratio, None


def _verdict(a, b, pair, test, alpha):
    pa, pb = a.pairs[pair], b.pairs[pair]
    repetitions = [_count(p.figures.get(REPETITIONS)) for p in (pa, pb)]
    return utest.verdict(test, pb.figures[NS_PER_OP] < pa.figures[NS_PER_OP], repetitions, alpha)


def _count(value):
    return "?" if value is None else count(value)
