"""The advice table: each piece of Python advice is two workload rows that do the same work
(the same n pieces, objects or items, as their files state) two ways, and its saving on an
allocator is the other way's time per pass and peak RSS over the advised way's. Per pass,
not per call: the two ways make different numbers of allocator calls."""
import math
from dataclasses import dataclass
from statistics import median

from . import results as R
from .stats import rss_logs, welch


@dataclass(frozen=True)
class Advice:
    text: str  # as a reader would say it
    advised: str  # the workload label of the advised way
    other: str  # the way advised against


ADVICE = (
    Advice("`''.join` rather than a copying `+=`", "string_concat/join", "string_concat/copy"),
    Advice("`+=` on a str with one reference rather than a copying `+=`",
           "string_concat/inplace", "string_concat/copy"),
    Advice("`''.join` rather than an in-place `+=`", "string_concat/join",
           "string_concat/inplace"),
    Advice("a generator rather than a list", "generator", "list"),
    Advice("`__slots__` rather than a `__dict__`", "slots_vs_dict/slots", "slots_vs_dict/dict"),
    Advice("a weak back-reference rather than a cycle", "cycles/weakref", "cycles/collector"),
)

ERASED, REVERSED = "≈", "✗"


@dataclass
class Saving:
    """The other way's figure over the advised way's: ratio, and its 95 % interval (lo and
    hi None with fewer than 2 processes on a side)."""
    ratio: float
    lo: float = None
    hi: float = None

    @property
    def mark(self):
        """REVERSED when the advised way is surely worse, ERASED when the interval includes
        no saving, "" otherwise (and without an interval)."""
        if self.hi is not None and self.hi < 1:
            return REVERSED
        if self.lo is not None and self.lo <= 1:
            return ERASED
        return ""


def saving(advised, other):
    """The Saving of per-process logs of the other way over the advised way's: Welch's on
    them, or the ratio of the medians when a side has only one."""
    found = welch(advised, other)
    if found is not None:
        return Saving(found.ratio, found.lo, found.hi)
    return Saving(math.exp(median(other) - median(advised)))


def pass_times(run, samples, pair):
    """The pair's per-process warm time of one pass, in ns (ns_per_op × ops_per_pass)."""
    ops = run.figure(*pair, R.OPS_PER_PASS)
    if not ops or samples is None:
        return []
    return [ns * ops for ns in samples.warm_medians(pair)]


def peaks(samples, pair):
    """The pair's per-process peak RSS of the cold pass above the baseline."""
    return [] if samples is None else samples.cold(pair, R.PEAK_RSS)


def in_run(run):
    """The advice of which the run has at least one side."""
    return [a for a in ADVICE if a.advised in run.workloads or a.other in run.workloads]


def cell(run, samples, advice, allocator):
    """One cell's text: the saving in time and in peak memory, or why there is none."""
    for label in (advice.advised, advice.other):
        if label not in run.workloads:
            return f"no {label} in this run"
        if not run.ran(allocator, label):
            return f"{label} did not run"
    pairs = [(allocator, advice.advised), (allocator, advice.other)]
    time = _figure(*(_logs(pass_times(run, samples, p)) for p in pairs))
    peak = _figure(*(rss_logs(peaks(samples, p)) for p in pairs))
    return f"time {time}; peak {peak}"


def _logs(values):
    return [math.log(v) for v in values] if values and min(values) > 0 else None


def _figure(advised, other):
    """n/a without values: no process, or a time that is not positive, or a peak at or
    below -64 KiB (memory is compared as log(bytes + 64 KiB), as compare does)."""
    if not advised or not other:
        return "n/a"
    s = saving(advised, other)
    text = f"{s.ratio:.2f}x" if s.lo is None else f"{s.ratio:.2f}x [{s.lo:.2f}, {s.hi:.2f}]"
    return f"{text} {s.mark}" if s.mark else text
