#!/usr/bin/env python3
"""REPORT.md's advice table on fixture-advice: fixture-a (series.csv dropped) with its
string_concat rows renamed string_concat/join and copied as string_concat/copy, whose
ops_per_pass is 3 times join's, its warm ns_per_op 2 times join's on pymalloc, 1/3 on glibc
and 1/6 on bump, its cold peak RSS 1.5 times join's, and jemalloc's copy failed; and its
small_objects rows copied as slots_vs_dict/slots, with no slots_vs_dict/dict. So per pass
copy over join is 6 on pymalloc (a saving), 1 on glibc (erased), 0.5 on bump (reversed);
every peak is 1.5 times the bytes (a little less as a ratio of bytes + 64 KiB); generator over list is what the fixture's samples give.
Its programs/ holds fixture-real's run renamed real/concat_join and, as real/concat_shared,
the same with every peak set to 1.5 × (bytes + 64 KiB) − 64 KiB and the wall times 2 times
on pymalloc, 1 on glibc and 0.5 on jemalloc; and a programs/gen_list/latest that is not a
results folder.

usage: test_advice.py REPO_ROOT"""
import math
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from testlib import ROOT, check, finish  # noqa: E402
from pab_plots import advice, report, results  # noqa: E402
from pab_plots.model import build  # noqa: E402
from pab_plots.palette import Palette  # noqa: E402

FIXTURE = ROOT / "tests" / "plots" / "fixture-advice"
FIGURE = r"(\S+)x(?: \[(\S+), (\S+)\])?(?: (\S))?"
CELL = re.compile(f"time {FIGURE}; peak {FIGURE}$")


def table(with_programs=True):
    run = results.read_run(FIXTURE)
    notes = run.notes
    programs = advice.read_programs(FIXTURE, notes) if with_programs else None
    model = build(run, Palette(), "pymalloc", None, results.read_stats(run, notes),
                  results.read_metadata(run, notes), results.read_samples(run, notes),
                  programs=programs)
    text = report.write(model)
    section = text.split("## Python advice, measured\n", 1)[-1].split("\n## ", 1)[0]
    rows = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("| ")]
    head = [c.strip() for c in rows[0]]
    return model, {r[0].strip(): dict(zip(head[1:], (c.strip() for c in r[1:]))) for r in rows[1:]}


def parsed(cell):
    m = CELL.match(cell)
    if not m:
        return None
    time = (float(m[1]), m[2] and float(m[2]), m[3] and float(m[3]), m[4] or "")
    peak = (float(m[5]), m[6] and float(m[6]), m[7] and float(m[7]), m[8] or "")
    return time, peak


def peak_ratio(model, allocator, advised, other):
    """other's per-process cold peak over advised's, as compare takes memory (bytes + 64 KiB)."""
    def mean_log(w):
        ps = model.samples.cold((allocator, w), results.PEAK_RSS)
        return sum(math.log(p + 65536) for p in ps) / len(ps)
    return math.exp(mean_log(other) - mean_log(advised))


def geometric_ratio(model, allocator, advised, other):
    """other's per-process pass time over advised's, from the fixture directly."""
    def mean_log(w):
        ops = model.run.figure(allocator, w, results.OPS_PER_PASS)
        ts = [ns * ops for ns in model.samples.warm_medians((allocator, w))]
        return sum(math.log(t) for t in ts) / len(ts)
    return math.exp(mean_log(other) - mean_log(advised))


_, alone = table(with_programs=False)
check("without programs/, one row per piece of advice with a side in the run",
      len(alone) == 5 and not any(name.startswith("real:") for name in alone), str(list(alone)))
model, rows = table()
check("with programs/, a real row under each of them", len(rows) == 10, str(list(rows)))
join = next(cells for name, cells in rows.items()
            if "(string_concat/join / string_concat/copy)" in name)
for allocator, time, mark in (("pymalloc", 6.0, ""), ("glibc", 1.0, advice.ERASED),
                              ("bump", 0.5, advice.REVERSED)):
    found = parsed(join[allocator])
    check(f"{allocator}: the cell reads time and peak", found is not None, join[allocator])
    if found is None:
        continue
    (t, lo, hi, tmark), (p, plo, phi, pmark) = found
    check(f"{allocator}: time per pass of copy over join is {time}", abs(t - time) < 0.006, str(t))
    check(f"{allocator}: its interval holds it", lo is not None and lo <= t <= hi, join[allocator])
    check(f"{allocator}: marked '{mark}'", tmark == mark, join[allocator])
    want = peak_ratio(model, allocator, "string_concat/join", "string_concat/copy")
    check(f"{allocator}: peak saving of 1.5 times the bytes ({want:.2f} with the 64 KiB), a saving",
          f"{p:.2f}" == f"{want:.2f}" and 1 < p < 1.5 and pmark == "", join[allocator])
check("a failed side says so", join["jemalloc"] == "string_concat/copy did not run",
      join["jemalloc"])
inplace = next(cells for name, cells in rows.items() if "string_concat/inplace /" in name)
check("a side missing from the run says so",
      inplace["pymalloc"] == "no string_concat/inplace in this run", inplace["pymalloc"])
slots = next(cells for name, cells in rows.items() if "slots_vs_dict/slots" in name)
check("slots without dict says so", slots["glibc"] == "no slots_vs_dict/dict in this run",
      slots["glibc"])
generator = next(cells for name, cells in rows.items() if "(generator / list)" in name)
for allocator in model.allocators:
    found = parsed(generator[allocator])
    want = geometric_ratio(model, allocator, "generator", "list")
    check(f"{allocator}: generator's saving over list is the fixture's ({want:.2f})",
          found is not None and f"{found[0][0]:.2f}" == f"{want:.2f}", generator[allocator])
real = rows["real: `concat_join.py` / `concat_shared.py`"]
for allocator, time, mark in (("pymalloc", 2.0, ""), ("glibc", 1.0, advice.ERASED),
                              ("jemalloc", 0.5, advice.REVERSED)):
    found = parsed(real[allocator])
    check(f"real {allocator}: the cell reads time and peak", found is not None, real[allocator])
    if found is None:
        continue
    (t, lo, hi, tmark), (p, _, _, pmark) = found
    check(f"real {allocator}: wall time of concat_shared over concat_join is {time}, marked "
          f"'{mark}'", abs(t - time) < 0.006 and lo <= t <= hi and tmark == mark, real[allocator])
    check(f"real {allocator}: peak saving 1.50 (bytes + 64 KiB)", f"{p:.2f}" == "1.50" and pmark == "",
          real[allocator])
check("an allocator the programs did not run under says so",
      real["bump"] == "concat_join.py not run for real", real["bump"])
check("a program folder that is not a results folder is left out of the real row",
      rows["real: `gen_generator.py` / `gen_list.py`"]["pymalloc"] == "gen_generator.py not run for real",
      str(rows["real: `gen_generator.py` / `gen_list.py`"]))
check("and said", any("programs/gen_list: left out of the advice" in line for line in model.skipped()),
      "\n".join(model.skipped()))
bars = {plot.name: plot for plot in model.plots if plot.name.startswith("advice_")}
check("the advice is drawn in time and in peak", sorted(bars) == ["advice_peak", "advice_time"],
      str(sorted(bars)))
time_bars = bars.get("advice_time")
if time_bars is not None:
    check("the plot's groups are the advice with a value, modelled and real",
          time_bars.groups == ["join vs copying +=", "join vs copying += (real)",
                               "generator vs list"], str(time_bars.groups))
    check("a real bar is the table's ratio with its interval",
          abs(time_bars.values["jemalloc", "join vs copying += (real)"] - 0.5) < 0.006
          and time_bars.errors["jemalloc", "join vs copying += (real)"][1] < 1,
          str(time_bars.values))
finish()
