"""The run as the plots and the report show it (allocators in palette order with their
colours, the baseline, the floors, what was left out) and the table each plot is drawn
from."""
import math
from dataclasses import dataclass, field
from typing import Callable

from . import results as R
from .formats import MIB, sig3
from .stats import paired, welch

# The results.csv figures the plots and the report show, besides their bounds.
SHOWN = (R.NS_PER_OP, R.COLD_NS_PER_OP, R.OPS_PER_SEC, R.BASELINE_RSS, R.PEAK_RSS, R.MARK_RSS,
         R.FINAL_RSS, R.TRIMMED_RSS, R.LIVE, R.FRAGMENTATION, R.COLD_MINOR, R.WARM_MINOR)
# Why results.csv leaves fragmentation empty (results/README.md).
NO_FRAGMENTATION = "fragmentation not reported (fewer than 256 KiB live)"


@dataclass
class Bars:
    """One group of bars per workload, one bar per allocator."""
    name: str
    title: str
    ylabel: str
    values: dict  # (allocator, workload) -> value
    errors: dict = field(default_factory=dict)  # (allocator, workload) -> (low, high) drawn
    label: Callable = sig3  # the text printed on a bar
    ratio: bool = False  # the values are ratios to 1.0, and bars grow up or down from it
    baseline: str = None  # the allocator whose figures are the 1.0


@dataclass
class Tradeoff:
    """Time against memory, one panel per workload."""
    name: str
    title: str
    points: dict  # (allocator, workload) -> (peak RSS in MiB, ns/op)
    errors: dict  # (allocator, workload) -> (peak min, peak max MiB, ns/op low, high)


@dataclass
class Series:
    """RSS over the series pass of one workload."""
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
    samples: R.Samples  # None without samples.csv
    # (allocator, workload) -> the test of its per-process warm times against the
    # baseline's (_speedups): ratio is the baseline's time over its own (its throughput
    # relative to the baseline's).
    speedups: dict = field(default_factory=dict)
    has_syscalls: bool = False  # some pair has strace's counts
    has_callgrind: bool = False  # some pair has callgrind's instruction counts
    plots: list = field(default_factory=list)

    @property
    def notes(self):
        return self.run.notes

    @property
    def workloads(self):
        return self.run.workloads

    def figure(self, allocator, workload, column):
        return self.run.figure(allocator, workload, column)

    def bounded(self, allocator, workload, column):
        return self.run.bounded(allocator, workload, column)

    def unstable(self, allocator, workload):
        return self.run.unstable(allocator, workload)

    def speedup(self, allocator, workload):
        """The pair's throughput over the baseline's as (ratio, low, high): the interval
        from samples.csv (_speedups), or without one (low and high None) the ratio of the
        medians of results.csv; None when there is neither."""
        found = self.speedups.get((allocator, workload))
        if found is not None:
            return found.ratio, found.lo, found.hi
        base, ns = (self.figure(a, workload, R.NS_PER_OP) for a in (self.baseline, allocator))
        if self.baseline is None or not base or not ns or base <= 0 or ns <= 0:
            return None
        return base / ns, None, None

    def skipped(self):
        """What was left out, one line per reason."""
        measured = {w: [a for a in self.allocators if self.run.ran(a, w)] for w in self.workloads}
        return self.notes.lines(measured)


def build(run, palette, baseline, series, stats, metadata, samples):
    """series: read_series's samples, None without series.csv; samples: read_samples's,
    None without samples.csv."""
    allocators = palette.order(run.allocators)
    if baseline not in allocators:
        run.notes.add(f"baseline allocator {baseline} is not in this run: throughput is drawn "
                      "in absolute Mops/s")
        baseline = None
    floors = metadata.floor_allocators if metadata else None
    floors = palette.floors() if floors is None else floors
    model = Model(run, allocators, {a: palette.colour(a) for a in allocators}, baseline,
                  [a for a in allocators if a in floors], stats, metadata, samples)
    _note_gaps(model)
    model.speedups = _speedups(model)
    bars = [_throughput(model),
            _column_bars(model, "peak_rss", "Peak RSS during the cold pass, above the baseline "
                         "(median and range over processes)", "MiB", R.PEAK_RSS, unit=MIB),
            _column_bars(model, "final_rss", "RSS after everything was freed, above the baseline "
                         "(median and range over processes)", "MiB", R.FINAL_RSS, unit=MIB),
            _column_bars(model, "fragmentation", "Fragmentation: RSS at the measurement point / "
                         "live requested bytes (1.0 is perfect; range over processes)",
                         "RSS / live bytes", R.FRAGMENTATION, ratio=True,
                         label=lambda v: f"{v:.2f}")]
    if run.pairs:
        model.plots = [p for p in [*bars, _tradeoff(model)] if p] + _series(model, series)
    return model


def _note_gaps(model):
    """Notes every figure the plots and the report leave empty, and why."""
    run = model.run
    if not run.pairs:
        model.notes.add("results.csv has no rows")
    # A figure's name when it is missing, its bounds' when only they are.
    missing = [c for c in SHOWN if c not in run.columns]
    missing += [b for c in SHOWN if c in run.columns for b in R.bounds(c) or ()
                if b not in run.columns]
    if missing:
        model.notes.add(f"results.csv has no {', '.join(missing)} column"
                        + ("s: their figures are" if len(missing) > 1 else ": its figures are")
                        + " left out of every plot and table")
    ran = [pair for pair in run.pairs.values() if pair.ok]
    syscalls = [R.syscall_column(k, c) for k in R.PASSES_COUNTED for c in R.SYSCALLS]
    model.has_syscalls = any(c in pair.figures for pair in ran for c in syscalls)
    model.has_callgrind = any(c in pair.figures for pair in ran for c in R.CALLGRIND)
    if ran and not model.has_syscalls:
        why = model.metadata.text("syscall_counts") if model.metadata else None
        model.notes.add("no memory system call counts"
                        + (f" ({why})" if why and not why.startswith("/") else "")
                        + ": their columns are left out")
    if ran and not model.has_callgrind:
        model.notes.add("no callgrind instruction counts (./bench --count makes them): their "
                        "columns are left out")
    for w in model.workloads:
        for a in model.allocators:
            pair = run.pairs.get((a, w))
            if pair and not pair.ok:
                model.notes.add(pair.status, (a, w))
            unreadable = pair.unreadable if pair else {}
            shown = {c: text for c, text in unreadable.items() if c in SHOWN}
            empty = [c for c, text in shown.items() if text == ""]
            if empty:
                model.notes.add(NO_FRAGMENTATION if empty == [R.FRAGMENTATION]
                                else f"no {', '.join(empty)}", (a, w))
            for column, text in shown.items():
                if text:
                    model.notes.add(f'no {column} ("{text}")', (a, w))
            for column in (c for c in SHOWN if c not in unreadable and R.bounds(c)):
                if any(unreadable.get(b) is not None for b in R.bounds(column)):
                    model.notes.add(f"{column} has no bounds over the processes (fewer than 2, "
                                    "or not numbers)", (a, w))


def _values(model, column):
    """(allocator, workload) -> the pair's figure, for the pairs that have one."""
    return {(a, w): v for w in model.workloads for a in model.allocators
            if (v := model.figure(a, w, column)) is not None}


def _column_bars(model, name, title, ylabel, column, unit=1, **options):
    """One bar per pair at its median over processes, its range as an error bar."""
    if column not in model.run.columns:
        return None
    values, errors = {}, {}
    for pair in _values(model, column):
        v, low, high = model.bounded(*pair, column)
        values[pair] = v / unit
        if low is not None and high is not None:
            errors[pair] = (low / unit, high / unit)
    return Bars(name, title, ylabel, values, errors, **options)


def _speedups(model):
    """(allocator, workload) -> the test of the baseline's log per-process warm times against
    the pair's (so that ratio is the pair's throughput over the baseline's), for the pairs
    samples.csv gives at least 2 processes on both sides. Paired by round when both sides
    have at least 2 rounds in common: a workload's allocators run one after another in each
    round (harness/plan.h), so the machine's drift cancels in each round's ratio; Welch's
    otherwise (a run from before rounds were blocked, or rounds lost to failures)."""
    base, samples = model.baseline, model.samples
    if base is None or samples is None:
        return {}
    found = {}
    for w in model.workloads:
        if not model.run.ran(base, w):
            continue
        ref = samples.warm_by_process((base, w))
        for a in model.allocators:
            if not model.run.ran(a, w):
                continue
            test = ratio_test(samples.warm_by_process((a, w)), ref)
            if test is None:
                model.notes.add("fewer than 2 processes with warm times in samples.csv (here or "
                                f"for the baseline {base}): its ratio has no interval", (a, w))
            else:
                found[a, w] = test
    return found


def ratio_test(a, b):
    """The test of B's times against A's, each {round: time}, on their logs: paired by round
    when at least 2 rounds are common to both, Welch's otherwise; None with too few."""
    common = sorted(a.keys() & b.keys())
    if len(common) >= 2:
        return paired([math.log(a[r]) for r in common], [math.log(b[r]) for r in common])
    return welch([math.log(v) for v in a.values()], [math.log(v) for v in b.values()])


def _throughput(model):
    """Calls per second over the baseline's, from ns_per_op (so that the ratios agree with
    the report's time margins); in absolute Mops/s without a baseline."""
    base = model.baseline
    if R.NS_PER_OP not in model.run.columns:
        return None
    if base is None:
        values, errors = {}, {}
        for pair in _values(model, R.NS_PER_OP):
            ns, low, high = model.bounded(*pair, R.NS_PER_OP)
            if ns > 0:
                values[pair] = 1e3 / ns
                if low and high and low > 0:
                    errors[pair] = (1e3 / high, 1e3 / low)
        return Bars("throughput", "Throughput with 95 % intervals (higher is faster)",
                    "million calls per second", values, errors)
    values, errors = {}, {}
    for w in model.workloads:
        ref = model.figure(base, w, R.NS_PER_OP)
        if ref is None or ref <= 0:
            model.notes.add(f"throughput of {w} not drawn: the baseline {base} has no figure "
                            "for it")
            continue
        for a in model.allocators:
            found = model.speedup(a, w)
            if found is not None:
                values[a, w] = found[0]
                if found[1] is not None and a != base:
                    errors[a, w] = found[1:]
    return Bars("throughput", f"Throughput relative to {base} with 95 % intervals (higher is "
                "faster)", f"throughput / {base}'s", values, errors,
                label=lambda v: f"{v:.2f}x", ratio=True, baseline=base)


def _tradeoff(model):
    if not {R.NS_PER_OP, R.PEAK_RSS} <= set(model.run.columns):
        return None
    points, errors = {}, {}
    for w in model.workloads:
        for a in model.allocators:
            ns, peak = model.bounded(a, w, R.NS_PER_OP), model.bounded(a, w, R.PEAK_RSS)
            if ns is None or peak is None:
                continue
            if ns[0] > 0 and peak[0] > 0:
                points[a, w] = (peak[0] / MIB, ns[0])
                if None not in (*ns, *peak) and ns[1] > 0 and peak[1] > 0:
                    errors[a, w] = (peak[1] / MIB, peak[2] / MIB, ns[1], ns[2])
            else:
                model.notes.add("peak RSS not above the baseline: left out of the time against "
                                "memory plot", (a, w))
    if not points:
        model.notes.add("time against memory plot: no pair has both figures")
        return None
    return Tradeoff("tradeoff", "Time against memory per workload: ns/op (95 % interval) "
                    "against peak RSS (range over processes); lower left is better", points,
                    errors)


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
