"""plots/validate [--baseline=NAME] [--realistic=NAMES] FOLDER: how far the replay's answers are
from the real processes', for a folder made by harness/validate.sh (./bench validate):
FOLDER/replay/latest, one run replaying every program's trace (rows trace/STEM), and
FOLDER/real/STEM/latest, one --real run per program (rows real/STEM).

Per program, over the allocators measured both ways:
- Spearman's rho of the two rankings, for time (the replay's cold ns/op, since a script runs
  once on a fresh heap, against the real wall seconds; the warm ns/op is shown too) and for
  peak RSS (the replay's cold-pass peak above the child's baseline against the real peak above
  `-c pass`);
- of the allocator pairs whose real wall times differ significantly (Welch's t on the log of
  each process's seconds, Holm-corrected over the program's pairs, alpha 0.05), the share the
  replay orders the same way;
- each allocator's real wall-time difference from the baseline, with its 95 % interval (Welch
  on seconds), beside the replay's prediction of it: calls x (its cold ns/op - the baseline's).
Writes FOLDER/VALIDATE.md and FOLDER/validate.png/.svg (predicted against real wall time, one
point per allocator and program, both as ratios to the baseline's) and prints the summary table.
"""
import math
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import results as R
from .cli import ArgumentParser, BadInput, Failure
from .formats import sig3
from .gnuplot import SCRIPTS, _quote, _value, _write
from .notes import Notes
from .palette import Palette
from .stats import holm, spearman, welch, welch_difference

ALPHA = 0.05
MIB = 1 << 20


@dataclass
class Program:
    name: str
    allocators: list
    calls: float  # calls of one replay of the trace
    cold_ns: dict  # allocator -> the replay's cold ns/op
    warm_ns: dict
    replay_peak: dict  # allocator -> bytes above the child's baseline
    wall: dict  # allocator -> the real median wall seconds
    real_peak: dict  # allocator -> bytes above `-c pass`
    seconds: dict  # allocator -> [seconds of each process]
    rho_cold: float = None
    rho_warm: float = None
    rho_peak: float = None
    separated: list = field(default_factory=list)  # (a, b, real ratio b/a, replay agrees)


def _arguments(argv):
    parser = ArgumentParser(prog="plots/validate", allow_abbrev=False,
                            description="Replayed against real: rankings, pairs and predicted "
                            "differences, from a folder of ./bench validate.")
    parser.add_argument("--baseline", default="pymalloc", metavar="NAME",
                        help="the allocator differences are taken from (default pymalloc)")
    parser.add_argument("--realistic", default="", metavar="NAMES",
                        help="comma-separated programs summarised apart as the realistic ones")
    parser.add_argument("folder", nargs="?", metavar="FOLDER")
    args = parser.parse_args(argv)
    if not args.folder:
        raise BadInput("needs the folder ./bench validate made (see plots/validate --help)")
    return args.baseline, [n for n in args.realistic.split(",") if n], Path(args.folder)


def main(argv):
    baseline, realistic, folder = _arguments(argv)
    replay = R.read_run(folder / "replay" / "latest")
    programs = []
    for stem in sorted(w.split("/", 1)[1] for w in replay.workloads if w.startswith("trace/")):
        real_dir = folder / "real" / stem / "latest"
        if (real_dir / "results.csv").is_file():
            program = _program(stem, replay, R.read_run(real_dir))
            if program:
                programs.append(program)
    if not programs:
        raise BadInput(f"{folder}: no program was both replayed and run for real")
    skipped = (folder / "skipped.txt").read_text().splitlines() if (folder / "skipped.txt").is_file() else []
    lines = _report(programs, baseline, realistic, skipped)
    (folder / "VALIDATE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _plot(programs, baseline, folder)
    print("\n".join(_summary_table(programs, realistic)))
    print(f"validate: {folder / 'VALIDATE.md'}")
    return 0


def _program(stem, replay, real):
    trace, program = f"trace/{stem}", f"real/{stem}"
    samples = R.read_samples(real, Notes(), "no per-process wall times")
    names = [a for a in Palette().order(set(replay.allocators) & set(real.allocators))
             if replay.ran(a, trace) and real.ran(a, program)]
    if len(names) < 2:
        return None
    fig = lambda run, a, w, column: run.figure(a, w, column)  # noqa: E731
    p = Program(stem, names, fig(replay, names[0], trace, R.OPS_PER_PASS) or 0,
                {a: fig(replay, a, trace, R.COLD_NS_PER_OP) for a in names},
                {a: fig(replay, a, trace, R.NS_PER_OP) for a in names},
                {a: fig(replay, a, trace, R.PEAK_RSS) for a in names},
                {a: fig(real, a, program, R.WALL) for a in names},
                {a: fig(real, a, program, R.PEAK_RSS) for a in names},
                {a: list(samples.seconds_by_process((a, program)).values()) if samples else []
                 for a in names})
    p.rho_cold = _rho(p.cold_ns, p.wall, names)
    p.rho_warm = _rho(p.warm_ns, p.wall, names)
    p.rho_peak = _rho(p.replay_peak, p.real_peak, names)
    p.separated = _separated_pairs(p)
    return p


def _rho(xs, ys, names):
    known = [a for a in names if xs.get(a) is not None and ys.get(a) is not None]
    return spearman([xs[a] for a in known], [ys[a] for a in known])


def _separated_pairs(p):
    """The pairs whose real times differ after Holm's correction, each with whether the
    replay's cold ns/op orders them the same way."""
    tests = []
    for i, a in enumerate(p.allocators):
        for b in p.allocators[i + 1:]:
            w = welch([math.log(s) for s in p.seconds[a]], [math.log(s) for s in p.seconds[b]])
            if w is not None and p.cold_ns[a] and p.cold_ns[b]:
                tests.append((a, b, w))
    found = []
    for (a, b, w), adjusted in zip(tests, holm([t[2].p for t in tests])):
        if adjusted < ALPHA:
            replay_says_slower = p.cold_ns[b] > p.cold_ns[a]
            found.append((a, b, w.ratio, replay_says_slower == (w.ratio > 1)))
    return found


def _share(programs):
    pairs = [s for p in programs for s in p.separated]
    agree = sum(s[3] for s in pairs)
    return agree, len(pairs)


def _mean(values):
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _rho_text(v):
    return "n/a" if v is None else f"{v:.2f}"


def _summary_table(programs, realistic):
    rows = ["| program | allocators | rho time (cold) | rho time (warm) | rho peak RSS | real pairs "
            "separated | of them ordered alike by the replay |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for p in programs:
        agree, n = _share([p])
        rows.append(f"| {p.name}{' (realistic)' if p.name in realistic else ''} | {len(p.allocators)} "
                    f"| {_rho_text(p.rho_cold)} | {_rho_text(p.rho_warm)} | {_rho_text(p.rho_peak)} "
                    f"| {n} | {_percent(agree, n)} |")
    for label, group in (("all programs", programs),
                         ("realistic programs", [p for p in programs if p.name in realistic])):
        if not group:
            continue
        agree, n = _share(group)
        rows.append(f"| **{label}** (mean rho; pairs summed) | | {_rho_text(_mean(p.rho_cold for p in group))} "
                    f"| {_rho_text(_mean(p.rho_warm for p in group))} "
                    f"| {_rho_text(_mean(p.rho_peak for p in group))} | {n} | {_percent(agree, n)} |")
    return rows


def _percent(agree, n):
    return f"{agree} of {n} ({100 * agree / n:.0f} %)" if n else "none separated"


def _report(programs, baseline, realistic, skipped):
    lines = ["# Does the suite tell the truth? Replayed against real", "",
             "Each program of `workloads/programs/` was recorded, its trace replayed on every "
             "allocator (`--trace`), and the program run for real under each allocator's CPython "
             "configuration (`--real`). Time: the replay's cold ns/op (a script runs once, on a "
             "fresh heap) against the real wall time; peak RSS: the replay's cold-pass peak above "
             "the child's baseline against the real peak above `-c pass`. A pair counts as "
             "separated when Welch's t on the log wall times of its processes, Holm-corrected "
             "over the program's pairs, is below 0.05.", "", *_summary_table(programs, realistic), ""]
    if skipped:
        lines += ["Left out:", "", *(f"- {s}" for s in skipped), ""]
    lines += ["![replayed against real](validate.png)", ""]
    for p in programs:
        lines += _program_section(p, baseline)
    return lines


def _program_section(p, baseline):
    base = baseline if baseline in p.allocators else p.allocators[0]
    lines = [f"## {p.name}", "",
             f"{sig3(p.calls)} calls per replay. Differences are from {base}; the prediction is calls x "
             "(cold ns/op - the baseline's).", "",
             "| allocator | replay cold ns/op | replay warm ns/op | predicted difference (s) | real wall s "
             "| real difference (s) [95 %] | replay peak MiB | real peak MiB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for a in p.allocators:
        predicted = (p.calls * (p.cold_ns[a] - p.cold_ns[base]) / 1e9
                     if p.cold_ns[a] is not None and p.cold_ns[base] is not None else None)
        measured = welch_difference(p.seconds[base], p.seconds[a]) if a != base else None
        lines.append(f"| {a} | {_num(p.cold_ns[a])} | {_num(p.warm_ns[a])} | "
                     f"{_signed(predicted) if a != base else '—'} | {_num(p.wall[a], 3)} | "
                     f"{_interval(measured) if a != base else '—'} | {_mib(p.replay_peak[a])} | "
                     f"{_mib(p.real_peak[a])} |")
    wrong = [s for s in p.separated if not s[3]]
    lines += ["", f"Separated by the real processes: {len(p.separated)} pairs; ordered otherwise by the "
              f"replay: {', '.join(f'{a} / {b} (real {r:.2f}x)' for a, b, r, _ in wrong) or 'none'}.", ""]
    return lines


def _num(v, digits=None):
    if v is None:
        return "n/a"
    return f"{v:.{digits}f}" if digits else sig3(v)


def _signed(v):
    return "n/a" if v is None else f"{v:+.3f}"


def _interval(w):
    return "n/a" if w is None else f"{w.ratio:+.3f} [{w.lo:+.3f}, {w.hi:+.3f}]"


def _mib(v):
    return "n/a" if v is None else f"{v / MIB:.1f}"


def _plot(programs, baseline, folder):
    """Predicted against real wall time, both over the baseline's: a point per allocator and
    program. The prediction is the baseline's real time plus the replay's difference
    (calls x the difference in cold ns/op), so on the diagonal the replay is exactly right."""
    rows, names = [], []
    for p in programs:
        base = baseline if baseline in p.allocators else p.allocators[0]
        for a in p.allocators:
            if a == base or None in (p.cold_ns[a], p.cold_ns[base], p.wall[a], p.wall[base]):
                continue
            if a not in names:
                names.append(a)
            predicted = 1 + p.calls * (p.cold_ns[a] - p.cold_ns[base]) / 1e9 / p.wall[base]
            rows.append((names.index(a) + 1, predicted, p.wall[a] / p.wall[base]))
    if not rows or min(min(r[1], r[2]) for r in rows) <= 0:
        return
    lo = min(min(r[1], r[2]) for r in rows) / 1.1
    hi = max(max(r[1], r[2]) for r in rows) * 1.1
    palette = Palette()
    settings = {"data": _write(folder / "validate.tsv", rows), "out": str(folder / "validate"),
                "title": f"Wall time over {baseline}'s: predicted by the replay and real", "width": 900, "height": 640, "na": len(names),
                "lo": lo, "hi": hi}
    for i, a in enumerate(names, 1):
        settings[f"name{i}"], settings[f"colour{i}"] = a, palette.colour(a)
    script = [f"set loadpath {_quote(str(SCRIPTS))}",
              "; ".join(f"{k}={_value(v)}" for k, v in settings.items()), 'load "validate.gp"']
    done = subprocess.run(["gnuplot"], input="\n".join(script) + "\n", capture_output=True, text=True)
    (folder / "validate.tsv").unlink()
    if done.returncode != 0:
        said = [line for line in done.stderr.splitlines() if line.strip()] or ["no message"]
        raise Failure(f"gnuplot failed: {said[-1]}")
