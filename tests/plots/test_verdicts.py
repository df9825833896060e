#!/usr/bin/env python3
"""The report's verdicts come from the intervals: an allocator is named fastest only when
its 95 % ns/op interval lies wholly below every other real allocator's, and smallest only
when its largest peak RSS over the processes is below every other's smallest; otherwise the
row says tie and names, lowest median first, the allocators whose bounds reach the best's.
On copies of fixture-b with results.csv's bounds edited; the report is written without
drawing (plots/plot's other tests draw).

usage: test_verdicts.py REPO_ROOT"""
import csv
import shutil
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from testlib import ROOT, check, finish  # noqa: E402
from pab_plots import report, results  # noqa: E402
from pab_plots.model import build  # noqa: E402
from pab_plots.palette import Palette  # noqa: E402

FIXTURE = ROOT / "tests" / "plots" / "fixture-b"


class Run:
    """A scratch copy of fixture-b whose results.csv can be edited by column name."""

    def __init__(self, tmp):
        self.folder = Path(tempfile.mkdtemp(dir=tmp)) / "fixture-b"
        shutil.copytree(FIXTURE, self.folder)

    def set(self, pair, column, value):
        path = self.folder / "results.csv"
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
        at = rows[0].index(column)
        for row in rows[1:]:
            if tuple(row[:2]) == pair:
                row[at] = str(value)
        with open(path, "w", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        return self

    def report(self):
        run = results.read_run(self.folder)
        notes = run.notes
        model = build(run, Palette(), "pymalloc", None, results.read_stats(run, notes),
                      results.read_metadata(run, notes), results.read_samples(run, notes))
        return report.write(model)


def verdict(text, workload):
    """The cells of the workload's row of the verdicts table."""
    table = text.split("## Fastest and smallest per workload", 1)[1].split("\n## ", 1)[0]
    row = next(line for line in table.splitlines() if line.startswith(f"| {workload} |"))
    return [cell.strip() for cell in row.strip("|").split(" | ")]


def fastest(text, workload):
    return verdict(text, workload)[1]


def smallest(text, workload):
    return verdict(text, workload)[4]


with tempfile.TemporaryDirectory() as tmp:
    # fixture-b as it is. string_concat: glibc 35.4 [34.6, 36.5] against pymalloc 43.2
    # [39.7, 49.1]; jemalloc failed, bump is the floor. list: pymalloc 19.5 [18.1, 21.2],
    # jemalloc 25.5 [24.1, 26.8], glibc 30.4 [27.7, 34.3]. small_objects: glibc 30.3 [25.6,
    # 38.3], jemalloc 32.6 [29.1, 39.1], pymalloc 34.0 [28.6, 38.0] overlap.
    text = Run(tmp).report()
    check("string_concat: glibc is fastest", fastest(text, "string_concat") == "glibc")
    check("with its interval and the runner-up's", verdict(text, "string_concat")[1:4] == [
        "glibc", "35.4 [34.6, 36.5]", "1.22x faster than pymalloc (43.2 [39.7, 49.1] ns); "
        "every other interval lies above its own"], str(verdict(text, "string_concat")))
    check("list: pymalloc is fastest", fastest(text, "list") == "pymalloc")
    check("small_objects: a tie, lowest median first",
          fastest(text, "small_objects") == "tie: glibc, jemalloc, pymalloc")
    check("the tie says which intervals overlap", verdict(text, "small_objects")[2:4] == [
        "30.3 [25.6, 38.3]", "glibc has the lowest median; the 95 % intervals of jemalloc "
        "32.6 [29.1, 39.1], pymalloc 34.0 [28.6, 38.0] overlap its own"])
    check("generator: a tie of two", fastest(text, "generator") == "tie: pymalloc, jemalloc")
    check("list: pymalloc is smallest", smallest(text, "list") == "pymalloc")
    check("string_concat: peak RSS ranges overlap",
          smallest(text, "string_concat") == "tie: pymalloc, glibc")

    # The runner-up's interval widened until it touches the best's: a tie. Just short of
    # it: named again.
    run = Run(tmp).set(("pymalloc", "string_concat"), "ns_per_op_lo", 36.5408)
    check("touching intervals are a tie",
          fastest(run.report(), "string_concat") == "tie: glibc, pymalloc")
    run.set(("pymalloc", "string_concat"), "ns_per_op_lo", 36.5409)
    check("intervals just apart name the fastest", fastest(run.report(), "string_concat") == "glibc")
    # The best's own interval widened: a tie too, though its median is still the lowest.
    run.set(("glibc", "string_concat"), "ns_per_op_hi", 45)
    check("a wide interval of the best is a tie",
          fastest(run.report(), "string_concat") == "tie: glibc, pymalloc")
    # The floor's interval overlapping changes nothing: it is not a choice.
    run = Run(tmp).set(("bump", "string_concat"), "ns_per_op_hi", 36)
    check("the floor's interval does not make a tie",
          fastest(run.report(), "string_concat") == "glibc")

    # No interval (one process, or an empty cell) separates from nothing.
    run = Run(tmp).set(("glibc", "string_concat"), "ns_per_op_lo", "")
    run.set(("glibc", "string_concat"), "ns_per_op_hi", "")
    text = run.report()
    check("the pair without an interval is a tie",
          fastest(text, "string_concat") == "tie: glibc, pymalloc")
    check("and the report says why", "- glibc / string_concat: ns_per_op has no bounds over the "
          "processes (fewer than 2, or not numbers)" in text.splitlines())
    check("the margin says the best has no bounds", verdict(text, "string_concat")[3] ==
          "glibc has the lowest median but no bounds to tell it apart from pymalloc 43.2 "
          "[39.7, 49.1]", verdict(text, "string_concat")[3])
    check("its cell shows the median alone",
          "| string_concat | 43.2 [39.7, 49.1] | 35.4 | failed | 24.4 [22.2, 27.7] |"
          in text.splitlines())

    run = Run(tmp).set(("jemalloc", "list"), "ns_per_op_lo", "")
    text = run.report()
    check("a runner-up without an interval is tied with the best",
          fastest(text, "list") == "tie: pymalloc, jemalloc")
    check("the margin says which has no bounds", verdict(text, "list")[3] ==
          "pymalloc has the lowest median; jemalloc (25.5) has no bounds", verdict(text, "list")[3])

    # Peak RSS: pymalloc's string_concat range is [208, 212] KiB (212992 to 217088 B).
    # glibc's moved up until its smallest is pymalloc's largest: still a tie; one byte
    # above: apart.
    run = Run(tmp)
    for column, value in (("peak_rss_bytes", 221184), ("peak_rss_bytes_max", 221184),
                          ("peak_rss_bytes_min", 217088)):
        run.set(("glibc", "string_concat"), column, value)
    check("touching ranges are a tie",
          smallest(run.report(), "string_concat") == "tie: pymalloc, glibc")
    run.set(("glibc", "string_concat"), "peak_rss_bytes_min", 217089)
    text = run.report()
    check("ranges apart name the smallest", smallest(text, "string_concat") == "pymalloc")
    check("with the margin to the runner-up", verdict(text, "string_concat")[5:] == [
        "212 [208, 212] KiB", "4.00 KiB less than glibc (216 [212, 216] KiB); every other's "
        "minimum is above its maximum"], str(verdict(text, "string_concat")[5:]))

    # An unstable pair is marked where it is named, and listed in the first lines.
    text = Run(tmp).set(("glibc", "string_concat"), "unstable", 1).report()
    check("the unstable fastest is marked", fastest(text, "string_concat") == "glibc †")
    check("and listed in the first lines",
          "more --processes): string_concat (glibc); generator (bump)." in text.split("\n## ")[0])

finish()
