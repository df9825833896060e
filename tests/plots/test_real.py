#!/usr/bin/env python3
"""A real program's run (pyallocbench --real), on fixture-real: samples.csv's rows of kind
real are read (each process's wall time in `seconds`, its faults and peak RSS above the
interpreter's -c pass); the wall time relative to the baseline is paired by round and is
stats.paired on the fixture's own samples, as the wall_time bars and the report's table
show it; its peak RSS bars carry the range over processes; and a run of workloads keeps
its own figures.

usage: test_real.py REPO_ROOT"""
import csv
import math
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from testlib import ROOT, check, finish  # noqa: E402
from pab_plots import plot, report, results, stats  # noqa: E402

FIXTURE = ROOT / "tests" / "plots" / "fixture-real"
WORKLOAD = "real/small"


def model_of(folder, baseline="pymalloc"):
    """The model plots/plot draws and reports, without drawing."""
    return plot.model_of(results.read_run(folder), baseline)


# Each process's wall time straight from samples.csv, by this test's own reading.
seconds = {}
with open(FIXTURE / "samples.csv", newline="") as f:
    for row in csv.DictReader(f):
        check(f"{row['allocator']} process {row['process']} is a real row of pass 0",
              row["kind"] == "real" and row["pass"] == "0" and row["ns_per_op"] == "")
        seconds.setdefault(row["allocator"], {})[row["process"]] = float(row["seconds"])
check("fixture-real has 5 allocators of 3 processes each",
      len(seconds) == 5 and all(len(v) == 3 for v in seconds.values()))

model = model_of(FIXTURE)
check("fixture-real is a real program's run", model.real and model.workloads == [WORKLOAD])
check("nothing was left out", model.skipped() == [], str(model.skipped()))
check("its samples are read, none skipped as of an unknown kind",
      model.samples.seconds_by_process(("glibc", WORKLOAD)) == seconds["glibc"])
bars = {p.name: p for p in model.plots}
check("two plots: wall time relative to the baseline and peak RSS",
      list(bars) == ["wall_time", "peak_rss"], str(list(bars)))
wall = bars["wall_time"]
check("the wall time plot says lower is faster", "(lower is faster)" in wall.title
      and "relative to pymalloc" in wall.title, wall.title)
check("its bars are ratios to pymalloc", wall.ratio and wall.baseline == "pymalloc")

worst, text = 0.0, report.write(model)
for a in (a for a in model.allocators if a != "pymalloc"):
    rounds = sorted(seconds["pymalloc"])
    base = [math.log(seconds["pymalloc"][n]) for n in rounds]
    own = [math.log(seconds[a][n]) for n in rounds]
    # The pair's time over the baseline's: B is the pair.
    t = stats.paired(base, own)
    got = (wall.values[a, WORKLOAD], *wall.errors[a, WORKLOAD])
    worst = max(worst, *(abs(math.log(g / x)) for g, x in zip(got, (t.ratio, t.lo, t.hi))))
    check(f"{a}'s ratio in the report is the paired one",
          f"{t.ratio:.2f}x [{t.lo:.2f}, {t.hi:.2f}]" in text.split("### Wall time relative to")[1]
          .split("\n### ")[0])
check("bars and error bars are stats.paired of the rounds' wall times", worst < 1e-12, f"{worst}")
check("glibc is 1.23x pymalloc's time, paired by round",
      f"{wall.values['glibc', WORKLOAD]:.2f}" == "1.23")
check("the baseline's bar is 1.0 without an error bar",
      wall.values["pymalloc", WORKLOAD] == 1.0 and ("pymalloc", WORKLOAD) not in wall.errors)

# Paired, not Welch's: with the rounds shuffled for one allocator the ratio's interval changes.
welch = stats.welch([math.log(v) for v in seconds["pymalloc"].values()],
                    [math.log(v) for v in seconds["glibc"].values()])
check("the paired interval is not Welch's",
      abs(wall.errors["glibc", WORKLOAD][0] - welch.lo) > 1e-3)

peak = bars["peak_rss"]
low, high = peak.errors["pymalloc", WORKLOAD]
check("peak RSS bars carry the range over processes",
      (round(low * 1024**2), round(high * 1024**2)) == (59785216, 60055552))
check("the peak RSS is above the -c pass", "-c pass" in peak.title)

# Another baseline: glibc's ratios.
glibc = model_of(FIXTURE, "glibc")
t = stats.paired([math.log(seconds["glibc"][n]) for n in sorted(seconds["glibc"])],
                 [math.log(seconds["mimalloc"][n]) for n in sorted(seconds["glibc"])])
check("--baseline=glibc: mimalloc's time over glibc's",
      abs(glibc.time_ratio("mimalloc", WORKLOAD)[0] - t.ratio) < 1e-12)

# The workloads' run is not a real one and reads no real rows.
workloads = model_of(ROOT / "tests" / "plots" / "fixture-a")
check("fixture-a is not a real program's run", not workloads.real and not workloads.time_ratios)
check("its plots are the workloads'", [p.name for p in workloads.plots][:2] == ["throughput", "peak_rss"])

finish()
