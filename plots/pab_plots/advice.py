"""The advice table: each piece of Python advice is two workload rows that do the same work
(the same n pieces, objects or items, as their files state) two ways, and its saving on an
allocator is the other way's time per pass and peak RSS over the advised way's. Per pass,
not per call: the two ways make different numbers of allocator calls.

The same two ways exist as real programs (workloads/programs/, one script per way); a
results folder made by ./bench advice holds their --real runs in programs/<script stem>/,
and their saving is the other script's wall time and peak RSS over the advised one's."""
import math
from dataclasses import dataclass
from statistics import median

from . import results as R
from .cli import BadInput
from .stats import rss_logs, welch


@dataclass(frozen=True)
class Advice:
    text: str  # as a reader would say it
    short: str  # the advice's name under its group of bars in the plot
    advised: str  # the workload label of the advised way
    other: str  # the way advised against
    programs: tuple  # (advised, other): the stems of the scripts of workloads/programs/


ADVICE = (
    Advice("`''.join` rather than a copying `+=`", "join vs copying +=",
           "string_concat/join", "string_concat/copy", ("concat_join", "concat_shared")),
    Advice("`+=` on a str with one reference rather than a copying `+=`",
           "in-place vs copying +=", "string_concat/inplace", "string_concat/copy",
           ("concat_plus", "concat_shared")),
    Advice("`''.join` rather than an in-place `+=`", "join vs in-place +=",
           "string_concat/join", "string_concat/inplace", ("concat_join", "concat_plus")),
    Advice("a generator rather than a list", "generator vs list", "generator", "list",
           ("gen_generator", "gen_list")),
    Advice("`__slots__` rather than a `__dict__`", "__slots__ vs __dict__",
           "slots_vs_dict/slots", "slots_vs_dict/dict", ("attrs_slots", "attrs_dict")),
    Advice("a weak back-reference rather than a cycle", "weakref vs cycle", "cycles/weakref",
           "cycles/collector", ("cycles_weak", "cycles_strong")),
)
# What ./bench advice runs (harness/advice.sh asks for these lists).
WORKLOADS = tuple(dict.fromkeys(w for a in ADVICE for w in (a.advised, a.other)))
PROGRAMS = tuple(dict.fromkeys(p for a in ADVICE for p in a.programs))
# The folder of a results folder that holds the real programs' runs, one per script stem.
PROGRAMS_FOLDER = "programs"

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

    @property
    def text(self):
        text = f"{self.ratio:.2f}x" if self.lo is None else \
            f"{self.ratio:.2f}x [{self.lo:.2f}, {self.hi:.2f}]"
        return f"{text} {self.mark}" if self.mark else text


def saving(advised, other):
    """The Saving of per-process logs of the other way over the advised way's: Welch's on
    them, or the ratio of the medians when a side has only one; None without values."""
    if not advised or not other:
        return None
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


@dataclass
class Program:
    """One script's --real run in a results folder's programs/<stem>/latest."""
    stem: str
    run: R.Run
    samples: R.Samples  # None without samples.csv

    @property
    def workload(self):
        return R.REAL_PREFIX + self.stem


def read_programs(folder, notes):
    """stem -> Program for every script of PROGRAMS the folder holds a real run of; a run
    that cannot be read is said in notes and left out."""
    found = {}
    for stem in PROGRAMS:
        path = folder / PROGRAMS_FOLDER / stem / "latest"
        if not path.exists():
            continue
        try:
            run = R.read_run(path)
        except BadInput as e:
            notes.add(f"{PROGRAMS_FOLDER}/{stem}: left out of the advice: {e}")
            continue
        found[stem] = Program(stem, run, R.read_samples(run, notes, "no real saving"))
    return found


@dataclass
class Savings:
    """An allocator's saving on one piece of advice, in time and in peak memory (None when
    a side has no usable value), or why there is none (missing)."""
    time: Saving = None
    peak: Saving = None
    missing: str = None

    @property
    def text(self):
        """The table cell."""
        if self.missing:
            return self.missing
        return f"time {_text(self.time)}; peak {_text(self.peak)}"


def modelled(run, samples, advice, allocator):
    """The Savings of the workloads' two rows on the allocator."""
    for label in (advice.advised, advice.other):
        if label not in run.workloads:
            return Savings(missing=f"no {label} in this run")
        if not run.ran(allocator, label):
            return Savings(missing=f"{label} did not run")
    pairs = [(allocator, advice.advised), (allocator, advice.other)]
    return Savings(saving(*(_logs(pass_times(run, samples, p)) for p in pairs)),
                   saving(*(rss_logs(peaks(samples, p)) for p in pairs)))


def real(programs, advice, allocator):
    """The Savings of the two scripts run for real under the allocator's configuration."""
    sides = []
    for stem in advice.programs:
        program = programs.get(stem)
        if program is None:
            return Savings(missing=f"{stem}.py not run for real")
        if not program.run.ran(allocator, program.workload):
            return Savings(missing=f"{stem}.py not run for real" if allocator not in
                           program.run.allocators else f"{stem}.py failed")
        sides.append(((allocator, program.workload), program.samples))
    if any(s is None for _, s in sides):
        return Savings(missing="n/a")
    (wall_a, peak_a), (wall_b, peak_b) = ((list(s.seconds_by_process(pair).values()),
                                           s.real(pair, R.PEAK_RSS)) for pair, s in sides)
    return Savings(saving(_logs(wall_a), _logs(wall_b)), saving(rss_logs(peak_a), rss_logs(peak_b)))


def _logs(values):
    return [math.log(v) for v in values] if values and min(values) > 0 else None


def _text(found):
    """n/a without values: no process, or a time that is not positive, or a peak at or
    below -64 KiB (memory is compared as log(bytes + 64 KiB), as compare does)."""
    return "n/a" if found is None else found.text
