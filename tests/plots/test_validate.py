#!/usr/bin/env python3
"""plots/validate on fixture-validate (a small ./bench validate folder: two programs, four
allocators, three processes each): its rho figures are Spearman's rho of the fixture's own
results.csv figures, read here independently; a pair is separated exactly when Welch's t
on its processes' log seconds, Holm-corrected, is below 0.05; the prediction is calls x the
difference in cold ns/op; VALIDATE.md and the plot are written into the folder; and a folder
that is not one of validate's is refused as bad input.

usage: test_validate.py REPO_ROOT"""
import csv
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from testlib import ROOT, check, finish  # noqa: E402
from pab_plots import stats, validate  # noqa: E402

FIXTURE = ROOT / "tests" / "plots" / "fixture-validate"
PROGRAMS = ("attrs_slots", "json_roundtrip")


def rows(path):
    with open(path, newline="") as f:
        return {(r["allocator"], r["workload"]): r for r in csv.DictReader(f)}


def seconds(path):
    out = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["kind"] == "real":
                out.setdefault(r["allocator"], []).append(float(r["seconds"]))
    return out


replay = rows(FIXTURE / "replay" / "latest" / "results.csv")
work = Path(tempfile.mkdtemp())
try:
    copy = work / "v"
    shutil.copytree(FIXTURE, copy)
    done = subprocess.run([sys.executable, str(ROOT / "plots" / "validate"), str(copy)],
                          capture_output=True, text=True)
    check("plots/validate exits 0", done.returncode == 0, done.stderr)
    report = (copy / "VALIDATE.md").read_text() if (copy / "VALIDATE.md").is_file() else ""
    check("VALIDATE.md and validate.png are written", report and (copy / "validate.png").is_file())
    for name in PROGRAMS:
        real = rows(copy / "real" / name / "latest" / "results.csv")
        secs = seconds(copy / "real" / name / "latest" / "samples.csv")
        allocators = sorted(a for a, w in real)
        cold = [float(replay[a, f"trace/{name}"]["cold_ns_per_op"]) for a in allocators]
        wall = [float(real[a, f"real/{name}"]["wall_seconds"]) for a in allocators]
        peak_replay = [float(replay[a, f"trace/{name}"]["peak_rss_bytes"]) for a in allocators]
        peak_real = [float(real[a, f"real/{name}"]["peak_rss_bytes"]) for a in allocators]
        want = (stats.spearman(cold, wall), stats.spearman(peak_replay, peak_real))
        line = next((l for l in report.splitlines() if l.startswith(f"| {name} |")), "")
        cells = [c.strip() for c in line.split("|")]
        check(f"{name}: rho for time and peak RSS are Spearman's of the figures ({want[0]:.2f}, "
              f"{want[1]:.2f})", len(cells) > 5 and cells[3] == f"{want[0]:.2f}" and cells[5] == f"{want[1]:.2f}",
              line)
        tests = [(a, b, stats.welch([math.log(s) for s in secs[a]], [math.log(s) for s in secs[b]]))
                 for i, a in enumerate(allocators) for b in allocators[i + 1:]]
        separated = sum(p < 0.05 for p in stats.holm([t[2].p for t in tests]))
        check(f"{name}: {separated} pairs separated after Holm's", len(cells) > 6 and cells[6] == str(separated),
              line)
        calls = float(replay["pymalloc", f"trace/{name}"]["ops_per_pass"])
        predicted = calls * (float(replay["glibc", f"trace/{name}"]["cold_ns_per_op"]) -
                             float(replay["pymalloc", f"trace/{name}"]["cold_ns_per_op"])) / 1e9
        check(f"{name}: glibc's predicted difference is calls x the cold ns/op difference",
              f"| glibc | " in report and f"{predicted:+.3f}" in report.split(f"## {name}")[1].split("##")[0])
    bad = subprocess.run([sys.executable, str(ROOT / "plots" / "validate"), str(ROOT / "tests" / "plots" /
                                                                              "fixture-a")],
                         capture_output=True, text=True)
    check("a folder that is not validate's: exit 2 and one line", bad.returncode == 2 and
          len(bad.stderr.strip().splitlines()) == 1, bad.stderr)
finally:
    shutil.rmtree(work)
finish()
