#!/usr/bin/env python3
"""The intervals the plots draw, on fixture-a: the throughput bars carry each pair's Welch
interval against the baseline, computed from samples.csv's per-process warm medians (the
median of each process's warm rows); the RSS bars carry the range over processes; the
trade-off points both; and gnuplot's data files get them.

usage: test_model.py REPO_ROOT"""
import csv
import math
import statistics
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from testlib import ROOT, check, finish  # noqa: E402
from pab_plots import gnuplot, results, stats  # noqa: E402
from pab_plots.model import build  # noqa: E402
from pab_plots.palette import Palette  # noqa: E402

FIXTURE = ROOT / "tests" / "plots" / "fixture-a"


def model_of(folder, baseline="pymalloc"):
    run = results.read_run(folder)
    notes = run.notes
    return build(run, Palette(), baseline, results.read_series(run, notes),
                 results.read_stats(run, notes), results.read_metadata(run, notes),
                 results.read_samples(run, notes))


# Per-process warm medians straight from samples.csv, by this test's own reading.
warm = {}
with open(FIXTURE / "samples.csv", newline="") as f:
    for row in csv.DictReader(f):
        if row["kind"] == "warm":
            key = row["allocator"], row["workload"]
            warm.setdefault(key, {}).setdefault(row["process"], []).append(float(row["ns_per_op"]))
medians = {pair: {n: statistics.median(v) for n, v in by_process.items()}
           for pair, by_process in warm.items()}
check("fixture-a has 3 processes of 2 warm repetitions per pair",
      all(len(v) == 3 for v in warm.values()) and
      all(len(r) == 2 for v in warm.values() for r in v.values()))

model = model_of(FIXTURE)
bars = {p.name: p for p in model.plots}
throughput = bars["throughput"]
pairs = [(a, w) for w in model.workloads for a in model.allocators]
others = [(a, w) for a, w in pairs if a != "pymalloc"]
check("every pair but the baseline's has an error bar", set(throughput.errors) == set(others),
      str(sorted(set(others) ^ set(throughput.errors))))
worst = 0.0
for a, w in others:
    # The pair's throughput over the baseline's: the baseline's time over the pair's, paired
    # by round (the process number), since both have the same three rounds.
    rounds = sorted(medians["pymalloc", w])
    base = [math.log(medians["pymalloc", w][n]) for n in rounds]
    own = [math.log(medians[a, w][n]) for n in rounds]
    t = stats.paired(own, base)
    want = (t.ratio, t.lo, t.hi)
    got = (throughput.values[a, w], *throughput.errors[a, w])
    worst = max(worst, *(abs(math.log(g / x)) for g, x in zip(got, want)))
check("bar and error bar are the paired ratio and its 95 % interval", worst < 1e-12, f"{worst}")
check("the baseline's bars are 1.0", all(throughput.values["pymalloc", w] == 1.0
                                          for w in model.workloads))
check("bump is faster than pymalloc on small_objects (ratio above 1)",
      throughput.values["bump", "small_objects"] > 1.5)

MIB = 1024**2
low, high = bars["peak_rss"].errors["glibc", "list"]
check("peak RSS bars carry the range over processes",
      (round(low * MIB), round(high * MIB)) == (696320, 700416))

trade = bars["tradeoff"]
box = trade.errors["jemalloc", "small_objects"]
check("trade-off points carry the RSS range and the ns/op interval",
      abs(box[2] - 10.1055) < 1e-9 and abs(box[3] - 87.48) < 1e-9
      and abs(box[0] * 1024**2 - 1462272) < 1e-3 and abs(box[1] * 1024**2 - 1466368) < 1e-3)

# gnuplot's data: one row per error bar, and labels above the bar's top.
with tempfile.TemporaryDirectory() as tmp:
    kind, settings = gnuplot._bars(model, throughput, Path(tmp))
    rows = [line.split("\t") for line in Path(settings["errors"]).read_text().splitlines()]
    check("the errors file has one row per error bar", len(rows) == len(others))
    ups = [line.split("\t") for line in Path(settings["up"]).read_text().splitlines()]
    tops = {round(float(x), 6): float(high) for x, _, _, high in rows}
    labelled = [(float(y), tops[round(float(x), 6)]) for x, y, _ in ups
                if round(float(x), 6) in tops]
    check("a label above a bar goes above its error bar",
          labelled and all(y >= top for y, top in labelled), str(labelled))

# Without samples.csv: ratios of medians, no error bars.
with tempfile.TemporaryDirectory() as tmp:
    copy = Path(tmp) / "run"
    copy.mkdir()
    for name in ("results.csv", "metadata.json"):
        (copy / name).write_bytes((FIXTURE / name).read_bytes())
    bare = model_of(copy)
    bars = {p.name: p for p in bare.plots}
    check("without samples.csv the throughput has no error bars", not bars["throughput"].errors)
    check("and its bars are the ratio of the medians",
          abs(bars["throughput"].values["glibc", "list"] - 14.7702 / 21.4285) < 1e-12)
    check("it is said", any("no samples.csv" in line for line in bare.skipped()))

finish()
