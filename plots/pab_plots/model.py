"""The run as the plots and the report show it (allocators in palette order with their
colours, the baseline, the floors, what was left out) and the table each plot is drawn
from."""
from dataclasses import dataclass, field
from typing import Callable

from . import results as R
from .formats import MIB, sig3

# The results.csv figures the plots and the report show.
SHOWN = (R.NS_PER_OP, R.NS_SPREAD, R.OPS_PER_SEC, R.PEAK_RSS, R.MARK_RSS, R.FINAL_RSS,
         R.TRIMMED_RSS, R.LIVE, R.FRAGMENTATION)
# Why results.csv leaves fragmentation empty (results/README.md).
NO_FRAGMENTATION = "fragmentation not reported (fewer than 256 KiB live)"


@dataclass
class Bars:
    """One group of bars per workload, one bar per allocator."""
    name: str
    title: str
    ylabel: str
    values: dict  # (allocator, workload) -> value
    label: Callable = sig3  # the text printed on a bar
    ratio: bool = False  # the values are ratios to 1.0, and bars grow up or down from it
    baseline: str = None  # the allocator whose figures are the 1.0


@dataclass
class Tradeoff:
    """Time against memory, one panel per workload."""
    name: str
    title: str
    points: dict  # (allocator, workload) -> (peak RSS in MiB, ns/op)


@dataclass
class Series:
    """RSS over the memory pass of one workload."""
    name: str
    title: str
    workload: str
    lines: dict  # allocator -> [(ops, RSS MiB, live MiB)]


@dataclass
class Model:
    run: R.Run
    allocators: list
    colours: dict
    baseline: str  # None when the run lacks the one asked for
    floors: list  # the run's reference allocators, left out of the verdicts
    stats: R.Stats
    metadata: R.Metadata  # None without a readable metadata.json
    plots: list = field(default_factory=list)

    @property
    def notes(self):
        return self.run.notes

    @property
    def workloads(self):
        return self.run.workloads

    def figure(self, allocator, workload, column):
        return self.run.figure(allocator, workload, column)

    def skipped(self):
        """What was left out, one line per reason."""
        measured = {w: [a for a in self.allocators if self.run.ran(a, w)] for w in self.workloads}
        return self.notes.lines(measured)


def build(run, palette, baseline, series, stats, metadata):
    """series: read_series's samples, None without series.csv."""
    allocators = palette.order(run.allocators)
    if baseline not in allocators:
        run.notes.add(f"baseline allocator {baseline} is not in this run: throughput is drawn "
                      "in absolute Mops/s")
        baseline = None
    floors = metadata.floor_allocators if metadata else None
    floors = palette.floors() if floors is None else floors
    model = Model(run, allocators, {a: palette.colour(a) for a in allocators}, baseline,
                  [a for a in allocators if a in floors], stats, metadata)
    _note_gaps(model)
    bars = [_throughput(model),
            _column_bars(model, "peak_rss", "Peak RSS during the memory pass, above the baseline",
                         "MiB", R.PEAK_RSS, unit=MIB),
            _column_bars(model, "final_rss", "RSS after everything was freed, above the baseline",
                         "MiB", R.FINAL_RSS, unit=MIB),
            _column_bars(model, "fragmentation", "Fragmentation: RSS at the measurement point / "
                         "live requested bytes (1.0 is perfect)", "RSS / live bytes",
                         R.FRAGMENTATION, ratio=True, label=lambda v: f"{v:.2f}")]
    if run.pairs:
        model.plots = [p for p in [*bars, _tradeoff(model)] if p] + _series(model, series)
    return model


def _note_gaps(model):
    """Notes every figure the plots and the report leave empty, and why."""
    run = model.run
    if not run.pairs:
        model.notes.add("results.csv has no rows")
    missing = [c for c in SHOWN if c not in run.columns]
    if missing:
        model.notes.add(f"results.csv has no {', '.join(missing)} column"
                        + ("s: their figures are" if len(missing) > 1 else ": its figures are")
                        + " left out of every plot and table")
    for w in model.workloads:
        for a in model.allocators:
            pair = run.pairs.get((a, w))
            if pair and not pair.ok:
                model.notes.add(pair.status, (a, w))
            unreadable = {c: text for c, text in (pair.unreadable if pair else {}).items()
                          if c in SHOWN}
            empty = [c for c, text in unreadable.items() if text == ""]
            if empty:
                model.notes.add(NO_FRAGMENTATION if empty == [R.FRAGMENTATION]
                                else f"no {', '.join(empty)}", (a, w))
            for column, text in unreadable.items():
                if text:
                    model.notes.add(f'no {column} ("{text}")', (a, w))


def _values(model, column):
    """(allocator, workload) -> the pair's figure, for the pairs that have one."""
    return {(a, w): v for w in model.workloads for a in model.allocators
            if (v := model.figure(a, w, column)) is not None}


def _column_bars(model, name, title, ylabel, column, unit=1, **options):
    if column not in model.run.columns:
        return None
    values = {pair: v / unit for pair, v in _values(model, column).items()}
    return Bars(name, title, ylabel, values, **options)


def _throughput(model):
    """Calls per second over the baseline's, from ns_per_op (so that the ratios agree with
    the report's time margins); in absolute Mops/s without a baseline."""
    base = model.baseline
    if R.NS_PER_OP not in model.run.columns:
        return None
    if base is None:
        values = {pair: 1e3 / ns for pair, ns in _values(model, R.NS_PER_OP).items() if ns > 0}
        return Bars("throughput", "Throughput (higher is faster)", "million calls per second",
                    values)
    values = {}
    for w in model.workloads:
        ref = model.figure(base, w, R.NS_PER_OP)
        if ref is None or ref <= 0:
            model.notes.add(f"throughput of {w} not drawn: the baseline {base} has no figure "
                            "for it")
            continue
        for a in model.allocators:
            ns = model.figure(a, w, R.NS_PER_OP)
            if ns is not None and ns > 0:
                values[a, w] = ref / ns
    return Bars("throughput", f"Throughput relative to {base} (higher is faster)",
                f"throughput / {base}'s", values, label=lambda v: f"{v:.2f}x", ratio=True,
                baseline=base)


def _tradeoff(model):
    if not {R.NS_PER_OP, R.PEAK_RSS} <= set(model.run.columns):
        return None
    points = {}
    for w in model.workloads:
        for a in model.allocators:
            ns, peak = model.figure(a, w, R.NS_PER_OP), model.figure(a, w, R.PEAK_RSS)
            if ns is None or peak is None:
                continue
            if ns > 0 and peak > 0:
                points[a, w] = (peak / MIB, ns)
            else:
                model.notes.add("peak RSS not above the baseline: left out of the time against "
                                "memory plot", (a, w))
    if not points:
        model.notes.add("time against memory plot: no pair has both figures")
        return None
    return Tradeoff("tradeoff", "Time against memory per workload: ns/op against peak RSS "
                    "(lower left is better)", points)


def _series(model, series):
    if series is None:
        return []
    plots = []
    for w in model.workloads:
        lines = {}
        for a in model.allocators:
            samples = series.get((a, w))
            if samples:
                lines[a] = [(ops, rss / MIB, live / MIB) for ops, rss, live in samples]
            elif model.run.ran(a, w):
                model.notes.add("no RSS series", (a, w))
        if lines:
            plots.append(Series(f"series_{_file_safe(w)}", f"RSS over time: {w}", w, lines))
    return plots


def _file_safe(name):
    return "".join(c if c.isascii() and (c.isalnum() or c in "_.+-") else "_" for c in name)
