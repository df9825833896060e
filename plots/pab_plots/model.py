"""The run as the plots and the report show it (allocators in palette order with their
colours, the baseline, the floors, what was left out) and the table each plot is drawn
from."""
import math
from dataclasses import dataclass, field
from typing import Callable

from . import advice as A
from . import results as R
from .formats import MIB, seconds, sig3
from .stats import paired, welch

# The results.csv figures the plots and the report show, besides their bounds.
SHOWN = (R.NS_PER_OP, R.COLD_NS_PER_OP, R.OPS_PER_SEC, R.BASELINE_RSS, R.PEAK_RSS, R.MARK_RSS,
         R.FINAL_RSS, R.TRIMMED_RSS, R.LIVE, R.FRAGMENTATION, R.COLD_MINOR, R.WARM_MINOR)
# Those of a real program's run (pyallocbench --real).
REAL_SHOWN = (R.WALL, R.USER, R.SYSTEM, R.PEAK_RSS, R.BASELINE_RSS, R.COLD_MINOR, R.COLD_MAJOR)
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
    groups: list = None  # the groups' names (values' second key) when not the run's workloads
    shown: dict = field(default_factory=dict)  # group -> the text under it, when not its name


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
class Scaling:
    """A threaded workload's throughput and peak RSS against its thread counts."""
    name: str
    title: str
    workload: str
    # allocator -> [(threads, Mops/s, low, high, peak MiB, min, max)], by thread count;
    # a bound is the value itself where the row has none
    lines: dict


@dataclass
class Ccdf:
    """The single-call times of one workload's latency passes: for each allocator the share
    of its calls that took at least x ns, on log axes."""
    name: str
    title: str
    workload: str
    lines: dict  # allocator -> [(ns, share of calls taking at least that long)]
    resolution: float  # the coarsest clock resolution of the lines, ns; None when unknown


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
    latency: R.Latency = None  # None without latency.csv
    # stem -> advice.Program: the real programs' runs in the folder's programs/ ({} if none)
    programs: dict = field(default_factory=dict)
    # advice.Advice -> {allocator: (modelled Savings, real Savings or None without programs)},
    # for the advice of which the run has a side
    advice: dict = field(default_factory=dict)
    # (allocator, workload) -> the test of its per-process warm times against the
    # baseline's (_ratios): ratio is the baseline's time over its own (its throughput
    # relative to the baseline's).
    speedups: dict = field(default_factory=dict)
    # For a real program's run, (allocator, workload) -> the test of its per-process wall
    # times against the baseline's: ratio is its time over the baseline's.
    time_ratios: dict = field(default_factory=dict)
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

    @property
    def real(self):
        return self.run.real

    def speedup(self, allocator, workload):
        """The pair's throughput over the baseline's as (ratio, low, high): the interval
        from samples.csv (_ratios), or without one (low and high None) the ratio of the
        medians of results.csv; None when there is neither."""
        return self._relative(self.speedups, allocator, workload, R.NS_PER_OP, True)

    def time_ratio(self, allocator, workload):
        """A real program's wall time over the baseline's, like speedup."""
        return self._relative(self.time_ratios, allocator, workload, R.WALL, False)

    def _relative(self, tests, allocator, workload, column, inverse):
        found = tests.get((allocator, workload))
        if found is not None:
            return found.ratio, found.lo, found.hi
        base, own = (self.figure(a, workload, column) for a in (self.baseline, allocator))
        if self.baseline is None or not base or not own or base <= 0 or own <= 0:
            return None
        return (base / own if inverse else own / base), None, None

    def threaded(self):
        """workload label -> [(threads, shown workload)] by thread count, for the workloads
        that ran on threads (a threaded one's row has joined_rss_bytes, or threads > 1)."""
        found = {}
        for shown, (label, threads) in self.run.threaded.items():
            rows = [p for (a, w), p in self.run.pairs.items() if w == shown]
            if threads > 1 or any(R.JOINED_RSS in p.figures for p in rows):
                found.setdefault(label, []).append((threads, shown))
        return {label: sorted(counts) for label, counts in found.items()}

    def skipped(self):
        """What was left out, one line per reason."""
        measured = {w: [a for a in self.allocators if self.run.ran(a, w)] for w in self.workloads}
        return self.notes.lines(measured)


def build(run, palette, baseline, series, stats, metadata, samples, latency=None, programs=None):
    """series: read_series's samples, None without series.csv; samples: read_samples's,
    None without samples.csv; latency: read_latency's, None without latency.csv; programs:
    advice.read_programs's real runs of the scripts."""
    allocators = palette.order(run.allocators)
    if baseline not in allocators:
        drawn = "wall time is drawn in seconds" if run.real else ("throughput is drawn in "
                                                                   "absolute Mops/s")
        run.notes.add(f"baseline allocator {baseline} is not in this run: {drawn}")
        baseline = None
    floors = metadata.floor_allocators if metadata else None
    floors = palette.floors() if floors is None else floors
    model = Model(run, allocators, {a: palette.colour(a) for a in allocators}, baseline,
                  [a for a in allocators if a in floors], stats, metadata, samples, latency,
                  programs or {})
    if run.real:
        return _build_real(model)
    _note_gaps(model, SHOWN)
    if any(R.is_real(w) for w in run.workloads):
        model.notes.add("rows of a real program (pyallocbench --real) among workloads: a "
                        "report shows one kind, their figures are n/a here")
    model.speedups = _ratios(model, model.samples and model.samples.warm_by_process, True,
                             "warm times")
    bars = [_throughput(model),
            _column_bars(model, "peak_rss", "Peak RSS during the cold pass, above the baseline "
                         "(median and range over processes)", "MiB", R.PEAK_RSS, unit=MIB),
            _column_bars(model, "final_rss", "RSS after everything was freed, above the baseline "
                         "(median and range over processes)", "MiB", R.FINAL_RSS, unit=MIB),
            _column_bars(model, "fragmentation", "Fragmentation: RSS at the measurement point / "
                         "live requested bytes (1.0 is perfect; range over processes)",
                         "RSS / live bytes", R.FRAGMENTATION, ratio=True,
                         label=lambda v: f"{v:.2f}")]
    model.advice = _advice(model)
    if run.pairs:
        model.plots = ([p for p in [*bars, *_advice_bars(model), _tradeoff(model)] if p]
                       + _series(model, series)
                       + _scalings(model) + _latency(model))
    return model


def _advice(model):
    def real(advice, a):
        return A.real(model.programs, advice, a) if model.programs else None
    return {advice: {a: (A.modelled(model.run, model.samples, advice, a), real(advice, a))
                     for a in model.allocators}
            for advice in A.in_run(model.run)}


def _advice_bars(model):
    """The advice table drawn: per piece of advice a group of bars, one per allocator, of
    the saving in time or in peak memory (and beside it a group for the real programs')."""
    plots = []
    for name, what, figure in (("advice_time", "time per pass", lambda s: s.time),
                               ("advice_peak", "cold peak RSS", lambda s: s.peak)):
        values, errors, groups, shown = {}, {}, [], {}
        for advice, cells in model.advice.items():
            for kind, pick in (("modelled", 0), ("real", 1)):
                if kind == "real" and not model.programs:
                    continue
                group = advice.short if kind == "modelled" else f"{advice.short} (real)"
                for a, savings in cells.items():
                    found = savings[pick] and figure(savings[pick])
                    if found is not None:
                        values[a, group] = found.ratio
                        if found.lo is not None:
                            errors[a, group] = (found.lo, found.hi)
                if any(g == group for _, g in values):
                    groups.append(group)
                    # A real group stands right of its modelled twin, named only "real" so
                    # that the names of 12 groups fit under them.
                    shown[group] = advice.short if kind == "modelled" else "real"
        if values:
            real = ", each beside its real programs'" if model.programs else ""
            plots.append(Bars(name, f"Python advice, measured{real}: the other way's {what} over "
                              "the advised way's (95 % interval; above 1 the advice saves)",
                              f"{what}: other way / advised way", values, errors, ratio=True,
                              label=lambda v: f"{v:.2f}", groups=groups, shown=shown))
    return plots


def _build_real(model):
    """A real program's run: its wall time relative to the baseline's and its peak RSS
    above the interpreter's -c pass; no ns/op, passes, series or system calls exist."""
    _note_gaps(model, REAL_SHOWN)
    model.time_ratios = _ratios(model, model.samples and model.samples.seconds_by_process,
                                False, "wall times")
    bars = [_wall_time(model),
            _column_bars(model, "peak_rss", "Peak RSS of the program above the interpreter's "
                         "-c pass (median and range over processes)", "MiB", R.PEAK_RSS,
                         unit=MIB)]
    model.plots = [p for p in bars if p]
    return model


def _note_gaps(model, shown):
    """Notes every figure the plots and the report leave empty, and why."""
    run = model.run
    if not run.pairs:
        model.notes.add("results.csv has no rows")
    # A figure's name when it is missing, its bounds' when only they are.
    missing = [c for c in shown if c not in run.columns]
    missing += [b for c in shown if c in run.columns for b in R.bounds(c) or ()
                if b not in run.columns]
    if missing:
        model.notes.add(f"results.csv has no {', '.join(missing)} column"
                        + ("s: their figures are" if len(missing) > 1 else ": its figures are")
                        + " left out of every plot and table")
    ran = [pair for pair in run.pairs.values() if pair.ok]
    if not run.real:
        _note_counted(model, ran)
    _note_cells(model, shown)


def _note_counted(model, ran):
    """Notes whether the run has strace's and callgrind's counts."""
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


def _note_cells(model, shown):
    """Notes the shown figures a pair leaves empty or unreadable."""
    run = model.run
    for w in model.workloads:
        for a in model.allocators:
            pair = run.pairs.get((a, w))
            if pair and not pair.ok:
                model.notes.add(pair.status, (a, w))
            unreadable = pair.unreadable if pair else {}
            said = {c: text for c, text in unreadable.items() if c in shown}
            empty = [c for c, text in said.items() if text == ""]
            if empty:
                model.notes.add(NO_FRAGMENTATION if empty == [R.FRAGMENTATION]
                                else f"no {', '.join(empty)}", (a, w))
            for column, text in said.items():
                if text:
                    model.notes.add(f'no {column} ("{text}")', (a, w))
            for column in (c for c in shown if c not in unreadable and R.bounds(c)):
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


def _ratios(model, times, inverse, what):
    """(allocator, workload) -> the test of the pair's log per-process times against the
    baseline's, for the pairs samples.csv gives at least 2 processes on both sides; times:
    pair -> {round: time} (None without samples.csv). inverse: the ratio is the baseline's
    time over the pair's (its throughput relative to the baseline's), else the pair's over
    the baseline's. Paired by round when both sides have at least 2 rounds in common: a
    workload's allocators run one after another in each round (harness/plan.h), so the
    machine's drift cancels in each round's ratio; Welch's otherwise (a run from before
    rounds were blocked, or rounds lost to failures)."""
    base = model.baseline
    if base is None or times is None:
        return {}
    found = {}
    for w in model.workloads:
        if not model.run.ran(base, w):
            continue
        ref = times((base, w))
        for a in model.allocators:
            if not model.run.ran(a, w):
                continue
            own = times((a, w))
            test = ratio_test(own, ref) if inverse else ratio_test(ref, own)
            if test is None:
                model.notes.add(f"fewer than 2 processes with {what} in samples.csv (here or "
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
    workloads = []
    for w in model.workloads:
        ref = model.figure(base, w, R.NS_PER_OP)
        if ref is None or ref <= 0:
            model.notes.add(f"throughput of {w} not drawn: the baseline {base} has no figure "
                            "for it")
        else:
            workloads.append(w)
    values, errors = _ratio_bars(model, workloads, model.speedup)
    return Bars("throughput", f"Throughput relative to {base} with 95 % intervals (higher is "
                "faster)", f"throughput / {base}'s", values, errors,
                label=lambda v: f"{v:.2f}x", ratio=True, baseline=base)


def _ratio_bars(model, workloads, against):
    """The bars and error bars of ratios to the baseline; against(a, w): (ratio, low, high),
    None without one. The baseline's own bar has no error bar."""
    values, errors = {}, {}
    for w in workloads:
        for a in model.allocators:
            found = against(a, w)
            if found is not None:
                values[a, w] = found[0]
                if found[1] is not None and a != model.baseline:
                    errors[a, w] = found[1:]
    return values, errors


def _wall_time(model):
    """A real program's wall time over the baseline's, paired by round; in seconds without
    a baseline."""
    base = model.baseline
    if R.WALL not in model.run.columns:
        return None
    if base is None:
        return _column_bars(model, "wall_time", "Wall time of the program with 95 % intervals "
                            "(lower is faster)", "seconds", R.WALL, label=seconds)
    values, errors = _ratio_bars(model, model.workloads, model.time_ratio)
    return Bars("wall_time", f"Wall time of the program relative to {base} with 95 % intervals "
                "(lower is faster)", f"wall time / {base}'s", values, errors,
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
    threaded = {shown for counts in model.threaded().values() for _, shown in counts}
    if threaded:
        model.notes.add("no RSS series of the threaded workloads (the series pass samples "
                        "one thread, whose count is not the pass's)")
    for w in (w for w in model.workloads if w not in threaded):
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


def _scalings(model):
    """One scaling plot per threaded workload measured at more than one thread count."""
    plots = []
    for label, counts in model.threaded().items():
        if len(counts) < 2:
            continue
        lines = {}
        for a in model.allocators:
            points = [p for threads, w in counts if (p := _scaling_point(model, a, w, threads))]
            if points:
                lines[a] = points
        if lines:
            plots.append(Scaling(f"scaling_{_file_safe(label)}", f"Scaling of {label}: "
                                 "throughput of all threads (95 % interval) and peak RSS (range "
                                 "over processes) against threads", label, lines))
    return plots


def _scaling_point(model, a, w, threads):
    ns, peak = model.bounded(a, w, R.NS_PER_OP), model.bounded(a, w, R.PEAK_RSS)
    if ns is None or peak is None or ns[0] <= 0:
        return None
    ns_lo, ns_hi = (b if b and b > 0 else ns[0] for b in ns[1:])
    peak_lo, peak_hi = (b if b is not None else peak[0] for b in peak[1:])
    return (threads, 1e3 / ns[0], 1e3 / ns_hi, 1e3 / ns_lo, peak[0] / MIB, peak_lo / MIB,
            peak_hi / MIB)


def _latency(model):
    """One CCDF per workload with latency bins; a pair that ran without them is noted."""
    latency = model.latency
    if latency is None:
        return []
    plots = []
    for w in model.workloads:
        lines, resolutions = {}, []
        for a in model.allocators:
            bins = latency.bins.get((a, w))
            if bins:
                lines[a] = ccdf(bins, _largest(latency, (a, w), R.MAX_NS))
                resolutions.append(_largest(latency, (a, w), R.RESOLUTION))
            elif model.run.ran(a, w) and model.run.threaded.get(w, (w, 1))[1] == 1:
                # A threaded row has none by design: the wrapper times one thread's pass.
                model.notes.add("no latency figures", (a, w))
        if lines:
            known = [r for r in resolutions if r is not None]
            plots.append(Ccdf(f"latency_{_file_safe(w)}", f"Single-call latency: {w} (every call "
                              "of one pass, the clock's cost taken off)", w, lines,
                              max(known) if known else None))
    return plots


def _largest(latency, pair, column):
    """The largest of a figure over a pair's kinds, None when no kind has it."""
    values = [f[column] for f in latency.figures.get(pair, {}).values() if f.get(column) is not None]
    return max(values) if values else None


def ccdf(bins, top=None):
    """[(x, share of calls taking at least x ns)] at the low edge of every bin from 1 ns (a
    log axis has no 0: calls of 0 ns, below the clock's cost, only lower the first share),
    and at the exact maximum `top` when known, where the last call's share is 1 / calls."""
    total = sum(calls for _, _, calls in bins)
    points, left = [], total
    for low, _, calls in bins:
        if low >= 1:
            points.append((low, left / total))
        left -= calls
    if top is not None and top >= 1 and (not points or top > points[-1][0]):
        points.append((top, 1 / total))
    return points


def _file_safe(name):
    return "".join(c if c.isascii() and (c.isalnum() or c in "_.+-") else "_" for c in name)
