"""Reading a results folder (results/README.md describes its files).

Every CSV is read by its header's names, so columns may be added or reordered; a column
this code does not name is ignored. A row with more or fewer fields than its header is
reported and left out whole: which field belongs to which column cannot be known, so
none of its figures is used, and nothing is filled in from another row.
"""
import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

from .cli import BadInput
from .notes import Notes

# The columns of results.csv this code reads by name; every other column after the key and
# status is kept as a figure too (Pair.figures), so that a figure added to the harness's
# contract can be shown without a change here.
ALLOCATOR, WORKLOAD, STATUS = "allocator", "workload", "status"
# The third column of the key (harness/contract.h); folders from before it have none: 1 thread.
THREADS = "threads"
PROCESSES, UNSTABLE, OPS_PER_SEC = "processes", "unstable", "ops_per_sec"
NS_PER_OP, COLD_NS_PER_OP = "ns_per_op", "cold_ns_per_op"
REPETITIONS, PASSES, OPS_PER_PASS = "repetitions", "passes_per_repetition", "ops_per_pass"
BASELINE_RSS = "baseline_rss_bytes"
PEAK_RSS = "peak_rss_bytes"
MARK_RSS = "mark_rss_bytes"
FINAL_RSS = "final_rss_bytes"
TRIMMED_RSS = "trimmed_rss_bytes"
# A threaded workload's RSS after its last timed pass: threads alive, joined, then trimmed.
THREADS_RSS, JOINED_RSS, JOINED_TRIMMED_RSS = ("threads_rss_bytes", "joined_rss_bytes",
                                               "joined_trimmed_rss_bytes")
LIVE = "live_bytes"
FRAGMENTATION = "fragmentation"
COLD_MINOR, COLD_MAJOR = "cold_minor_faults", "cold_major_faults"
WARM_MINOR, WARM_MAJOR = "warm_minor_faults", "warm_major_faults"
# A real program's figures (pyallocbench --real): its rows' workload is real/<script stem>.
WALL, USER, SYSTEM = "wall_seconds", "user_seconds", "system_seconds"
REAL_PREFIX = "real/"
HARDWARE = ("instructions_per_op", "cycles_per_op", "cache_misses_per_op", "dtlb_misses_per_op")
CALLGRIND = ("allocator_instructions_per_op", "total_instructions_per_op")
# The memory system calls strace counts, in one cold and one warm pass.
SYSCALLS = ("mmap", "munmap", "mremap", "madvise", "mprotect", "brk")
PASSES_COUNTED = ("cold", "warm")
# How each figure's bounds are named (harness/contract.h): INTERVAL figures have the 95 %
# t-interval of the geometric mean over processes, RANGE figures the min and max over them.
INTERVAL = (NS_PER_OP, COLD_NS_PER_OP, WALL)
RANGE = (BASELINE_RSS, PEAK_RSS, MARK_RSS, FINAL_RSS, TRIMMED_RSS, THREADS_RSS, JOINED_RSS,
         JOINED_TRIMMED_RSS, FRAGMENTATION, COLD_MINOR,
         COLD_MAJOR, WARM_MINOR, WARM_MAJOR, *HARDWARE, USER, SYSTEM)
OK = "ok"
# samples.csv: one row per (pair, process, pass).
PROCESS, KIND, COLD, WARM, REAL = "process", "kind", "cold", "warm", "real"
SAMPLE_COLUMNS = (ALLOCATOR, WORKLOAD, PROCESS, KIND, NS_PER_OP)
# The cold row's figures of one process that compare tests.
COLD_FIGURES = (NS_PER_OP, "minor_faults", "major_faults", PEAK_RSS, FINAL_RSS, TRIMMED_RSS)
# A real process's row: its wall time, faults and peak RSS above the interpreter's -c pass.
SECONDS = "seconds"
REAL_FIGURES = (SECONDS, "minor_faults", "major_faults", PEAK_RSS)
# series.csv's and stats.csv's columns besides allocator and workload.
OPS, RSS = "ops", "rss_bytes"
PHASE, COUNTER, VALUE = "phase", "counter", "value"
# The allocators' common figures in stats.csv, at the measurement point (phase "mark").
MARK, WORKLOAD_PHASE = "mark", "workload"
MARK_FIGURES = ("in_use_bytes", "resident_bytes", "mapped_bytes")
# latency.csv and latency_bins.csv: each pair's latency process (harness/latency.h), one row
# per kind of call, and the histogram's non-empty bins per kind ([low_ns, high_ns)).
CALL_KINDS = ("malloc", "realloc", "free")
CALLS, CLOCK, RESOLUTION, MAX_NS = "calls", "clock_ns", "resolution_ns", "max_ns"
QUANTILES = ("p50_ns", "p99_ns", "p99_9_ns", "p99_99_ns")
OVER_10US, OVER_100US = "over_10us", "over_100us"
LATENCY_FIGURES = (CALLS, CLOCK, RESOLUTION, *QUANTILES, MAX_NS, "mean_ns", OVER_10US, OVER_100US)
LOW, HIGH = "low_ns", "high_ns"
NO_LATENCY = "no latency pass in this run"


def bounds(column):
    """The names of a figure's lower and upper bound columns, None when it has none."""
    if column in INTERVAL:
        return f"{column}_lo", f"{column}_hi"
    if column in RANGE:
        return f"{column}_min", f"{column}_max"
    return None


def is_real(workload):
    """Whether a row is a real program's (pyallocbench --real) rather than a workload's."""
    return workload.startswith(REAL_PREFIX)


def threads_of(row):
    """A row's thread count: its threads column, 1 where the folder has none (or it is not
    a whole number above 0)."""
    text = row.get(THREADS, "")
    return int(text) if text.isdigit() and int(text) > 0 else 1


def shown_workload(workload, threads):
    """How a row's workload is keyed and shown: its label at 1 thread, else label/tN, so
    that every (allocator, workload, threads) row is a pair of its own everywhere."""
    return workload if threads == 1 else f"{workload}/t{threads}"


def row_pair(row):
    """The (allocator, shown workload) key of a row of any of the folder's CSVs."""
    return row[ALLOCATOR], shown_workload(row[WORKLOAD], threads_of(row))


def syscall_column(kind, call):
    return f"{kind}_{call}_calls"


class Unreadable(Exception):
    """A file of the folder cannot be read as text of its format."""


@dataclass
class Pair:
    """One row of results.csv. Figures are kept for "ok" rows only: a failed one has none."""
    status: str
    figures: dict  # column -> value, for the figure columns that hold a number
    unreadable: dict  # column -> its text, for those that do not ("" when empty)

    @property
    def ok(self):
        return self.status == OK


@dataclass
class Run:
    folder: Path
    columns: list  # results.csv's header
    pairs: dict  # (allocator, shown workload) -> Pair, in the order of results.csv
    notes: Notes  # what was left out, from reading on
    # shown workload -> (workload label, threads), for every row's
    threaded: dict = field(default_factory=dict)

    @property
    def allocators(self):
        return list(dict.fromkeys(a for a, _ in self.pairs))

    @property
    def workloads(self):
        return list(dict.fromkeys(w for _, w in self.pairs))

    def ran(self, allocator, workload):
        pair = self.pairs.get((allocator, workload))
        return bool(pair and pair.ok)

    def figure(self, allocator, workload, column):
        """The figure of a pair that ran, None when there is none."""
        if not self.ran(allocator, workload):
            return None
        return self.pairs[allocator, workload].figures.get(column)

    def bounded(self, allocator, workload, column):
        """(value, low, high) of a figure: its bounds over the processes (bounds()), or
        None for one that results.csv leaves empty or lacks; None when the value is."""
        value = self.figure(allocator, workload, column)
        if value is None:
            return None
        names = bounds(column)
        low, high = ((self.figure(allocator, workload, n) for n in names) if names
                     else (None, None))
        return value, low, high

    def unstable(self, allocator, workload):
        return self.figure(allocator, workload, UNSTABLE) == 1

    @property
    def real(self):
        """Whether this is a run of a real program (every row is real/...): its report has
        the program's times and memory, not the workloads' ns/op, passes and series."""
        return bool(self.pairs) and all(is_real(w) for w in self.workloads)


@dataclass
class Process:
    """One measuring process of a pair in samples.csv: its cold pass's row and the times
    of its warm repetitions."""
    cold: dict = None  # COLD_FIGURES column -> value (None when the cell is empty)
    warm: list = field(default_factory=list)  # ns_per_op of each warm repetition
    real: dict = None  # a real process's row: REAL_FIGURES column -> value (None when empty)

    @property
    def warm_median(self):
        return median(self.warm) if self.warm else None


@dataclass
class Samples:
    """samples.csv: pair -> {process number: Process}, for the pairs results.csv has ok."""
    processes: dict = field(default_factory=dict)

    def warm_medians(self, pair):
        """The pair's per-process warm times (the median of each process's warm rows)."""
        return [m for p in self.processes.get(pair, {}).values()
                if (m := p.warm_median) is not None]

    def warm_by_process(self, pair):
        """The pair's warm time per process number (a process's number is its round)."""
        return {n: m for n, p in self.processes.get(pair, {}).items()
                if (m := p.warm_median) is not None}

    def cold(self, pair, column):
        """The pair's per-process values of one figure of the cold rows."""
        return list(self._by_process(pair, COLD, column).values())

    def real(self, pair, column):
        """The pair's per-process values of one figure of a real program's rows."""
        return list(self._by_process(pair, REAL, column).values())

    def seconds_by_process(self, pair):
        """A real program's wall time per process number (its round)."""
        return self._by_process(pair, REAL, SECONDS)

    def _by_process(self, pair, kind, column):
        return {n: v for n, p in self.processes.get(pair, {}).items()
                if (row := getattr(p, kind)) and (v := row.get(column)) is not None}


@dataclass
class Stats:
    """stats.csv; a counter given twice for one pair keeps its first value."""
    mark: dict = field(default_factory=dict)  # pair -> {MARK_FIGURES counter: value}
    counters: dict = field(default_factory=dict)  # workload -> its counters, in the order reported
    reported: dict = field(default_factory=dict)  # pair -> {workload counter: value}


@dataclass
class Latency:
    """latency.csv and latency_bins.csv, for the pairs results.csv has ok."""
    usable: bool = True  # False when latency.csv is there but cannot be read (a note says why)
    figures: dict = field(default_factory=dict)  # pair -> {kind: {LATENCY_FIGURES column: value}}
    bins: dict = field(default_factory=dict)  # pair -> [(low_ns, high_ns, calls)], every kind's summed

    def kind(self, pair, kind):
        """A kind's figures ({} when the pair has none); a figure is None where it is empty."""
        return self.figures.get(pair, {}).get(kind, {})


@dataclass
class Metadata:
    facts: dict  # metadata.json as it is

    @property
    def allocator_env(self):
        """The environment variables that change an allocator's behaviour, as NAME -> value."""
        env = self.facts.get("allocator_env")
        return {str(k): str(v) for k, v in env.items()} if isinstance(env, dict) else {}

    @property
    def floor_allocators(self):
        """The allocators that are references rather than choices; None in older folders."""
        floors = self.facts.get("floor_allocators")
        return [str(name) for name in floors] if isinstance(floors, list) else None

    def text(self, key):
        """A fact as text, None when metadata.json lacks it or it is empty."""
        value = self.facts.get(key)
        return None if value in (None, "") else str(value)

    def count(self, key):
        """A whole-number fact, None when it is not one."""
        value = self.facts.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def quick(self):
        return self.facts.get("quick") is True

    def build_warning(self):
        """Why the times are not those of a plain Release build, None when they are."""
        build_type, sanitizers = self.facts.get("build_type"), self.facts.get("sanitizers") is True
        if build_type in (None, "Release") and not sanitizers:
            return None
        return f"build_type {build_type or 'unknown'}, sanitizers {'on' if sanitizers else 'off'}"


def number(text):
    """A field's value, None when it is empty or not a finite number."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_csv(path, notes):
    """The header of a CSV and its rows as {column: field}; blank lines are skipped and a
    row whose field count differs from the header's is added to notes and left out."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            rows = []
            for fields in reader:
                if len(fields) <= 1 and not "".join(fields).strip():
                    continue
                if len(fields) != len(header):
                    notes.add(f"{path.name} line {reader.line_num} has {len(fields)} fields, "
                              f"the header has {len(header)}")
                    continue
                rows.append(dict(zip(header, fields)))
            return header, rows
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise Unreadable(f"{path.name} cannot be read: {e}") from e


def read_run(folder):
    """results.csv of a results folder; BadInput when the folder is not one."""
    path = Path(folder)
    if not path.is_dir():
        raise BadInput(f"no such results folder: {folder}")
    if not (path / "results.csv").is_file():
        raise BadInput(f"not a results folder (no results.csv): {folder}")
    notes = Notes()
    try:
        header, rows = read_csv(path / "results.csv", notes)
    except Unreadable as e:
        raise BadInput(f"not a results folder ({folder}: {e})") from e
    if not {ALLOCATOR, WORKLOAD, STATUS} <= set(header):
        raise BadInput(f"not a results folder ({folder}/results.csv has no allocator, "
                       "workload and status columns)")
    pairs, threaded = {}, {}
    for row in rows:
        key = row_pair(row)
        if key in pairs:
            notes.add("more than one row in results.csv: the last one is used", key)
        pairs[key] = _pair(row)
        threaded[key[1]] = row[WORKLOAD], threads_of(row)
    return Run(path, header, pairs, notes, threaded)


def _pair(row):
    pair = Pair(row[STATUS], {}, {})
    for column, text in row.items() if pair.ok else ():
        if column in (ALLOCATOR, WORKLOAD, THREADS, STATUS):
            continue
        value = number(text)
        if value is None:
            pair.unreadable[column] = text
        else:
            pair.figures[column] = value
    return pair


def _table(run, name, columns, notes, why):
    """The rows of one of the folder's optional CSVs, None (and a note) when it is missing,
    unreadable or lacks one of the columns."""
    path = run.folder / name
    if not path.is_file():
        notes.add(f"no {name}: {why}")
        return None
    try:
        header, rows = read_csv(path, notes)
    except Unreadable as e:
        notes.add(f"{e}: {why}")
        return None
    missing = [c for c in columns if c not in header]
    if missing:
        notes.add(f"{name} has no {', '.join(missing)} column: {why}")
        return None
    return rows


def read_series(run, notes):
    """series.csv: (allocator, workload) -> [(ops, rss_bytes, live_bytes)]; None without one."""
    rows = _table(run, "series.csv", (ALLOCATOR, WORKLOAD, OPS, RSS, LIVE), notes,
                  "no RSS-over-time plots")
    if rows is None:
        return None
    series = {}
    for row in rows:
        pair = row_pair(row)
        sample = tuple(number(row[c]) for c in (OPS, RSS, LIVE))
        if pair not in run.pairs:
            notes.add("in series.csv but not in results.csv; left out", pair)
        elif None in sample:
            notes.add("series.csv rows without numbers were left out", pair)
        else:
            series.setdefault(pair, []).append(sample)
    return series


def read_samples(run, notes, why="no intervals on ratios"):
    """samples.csv (one row per pair, process and pass); None without one. A row of a pair
    that did not run ok, or without a number, is left out and said."""
    rows = _table(run, "samples.csv", SAMPLE_COLUMNS, notes, why)
    if rows is None:
        return None
    samples = Samples()
    for row in rows:
        pair = row_pair(row)
        if pair not in run.pairs:
            notes.add("in samples.csv but not in results.csv; left out", pair)
            continue
        if not run.ran(*pair):
            continue
        process = samples.processes.setdefault(pair, {}).setdefault(row[PROCESS], Process())
        kind = row[KIND]
        if kind == COLD:
            process.cold = {c: number(row.get(c, "")) for c in COLD_FIGURES}
        elif kind == REAL:
            process.real = {c: number(row.get(c, "")) for c in REAL_FIGURES}
            if (process.real[SECONDS] or 0) <= 0:
                process.real[SECONDS] = None
                notes.add("samples.csv rows of kind real without a positive seconds were left "
                          "out of the times", pair)
        elif kind == WARM:
            ns = number(row[NS_PER_OP])
            if ns is None or ns <= 0:
                notes.add("samples.csv rows without a positive ns_per_op were left out", pair)
            else:
                process.warm.append(ns)
        else:
            notes.add(f'samples.csv rows of kind "{kind}" were left out', pair)
    return samples


def read_stats(run, notes):
    rows = _table(run, "stats.csv", (ALLOCATOR, WORKLOAD, PHASE, COUNTER, VALUE), notes,
                  "no workload counters or allocator statistics")
    stats = Stats()
    for row in rows or ():
        pair, phase, counter = row_pair(row), row[PHASE], row[COUNTER]
        value = number(row[VALUE])
        if pair not in run.pairs:
            continue
        if value is None:
            notes.add(f"stats.csv: {pair[0]} / {pair[1]}: {phase} {counter} is not a number "
                      f'("{row[VALUE]}")')
        elif phase == WORKLOAD_PHASE:
            stats.counters.setdefault(pair[1], {})[counter] = True
            stats.reported.setdefault(pair, {}).setdefault(counter, value)
        elif phase == MARK and counter in MARK_FIGURES:
            stats.mark.setdefault(pair, {}).setdefault(counter, value)
    return stats


def read_latency(run, notes):
    """latency.csv and latency_bins.csv; None without latency.csv (an older folder, or a run
    without a latency pass), with a note. A row of a pair that did not run ok is left out,
    one of an unknown kind or without its calls is left out and said."""
    if not (run.folder / "latency.csv").is_file():
        notes.add(f"no latency.csv: {NO_LATENCY}")
        return None
    rows = _table(run, "latency.csv", (ALLOCATOR, WORKLOAD, KIND, *LATENCY_FIGURES), notes,
                  "its latency figures are left out")
    latency = Latency(usable=rows is not None)
    for row in rows or ():
        pair = row_pair(row)
        if pair not in run.pairs:
            notes.add("in latency.csv but not in results.csv; left out", pair)
        elif not run.ran(*pair):
            continue
        elif row[KIND] not in CALL_KINDS:
            notes.add(f'latency.csv rows of kind "{row[KIND]}" were left out', pair)
        elif number(row[CALLS]) is None:
            notes.add("latency.csv rows without a number of calls were left out", pair)
        else:
            figures = {c: number(row[c]) for c in LATENCY_FIGURES}
            latency.figures.setdefault(pair, {}).setdefault(row[KIND], figures)
    bins = rows and _table(run, "latency_bins.csv", (ALLOCATOR, WORKLOAD, KIND, LOW, HIGH, CALLS),
                           notes, "no latency plots")
    for row in bins or ():
        pair = row_pair(row)
        found = tuple(number(row[c]) for c in (LOW, HIGH, CALLS))
        if pair not in latency.figures:
            continue
        if None in found or not found[0] < found[1]:
            notes.add("latency_bins.csv rows without a bin of numbers were left out", pair)
        else:
            latency.bins.setdefault(pair, []).append(found)
    for pair, found in latency.bins.items():
        latency.bins[pair] = _summed(found)
    return latency


def _summed(bins):
    """The bins of every kind as one histogram: the kinds share the bin layout, and the last
    bin's high, stretched to hold its max, is the largest given."""
    merged = {}
    for low, high, calls in bins:
        top, total = merged.get(low, (high, 0))
        merged[low] = (max(top, high), total + calls)
    return [(low, high, calls) for low, (high, calls) in sorted(merged.items())]


def read_metadata(run, notes):
    """metadata.json, None when the folder has none or it cannot be read (then a note)."""
    path = run.folder / "metadata.json"
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        notes.add(f"metadata.json cannot be read: {e}")
        return None
    if not isinstance(facts, dict):
        notes.add("metadata.json is not a JSON object")
        return None
    return Metadata(facts)
