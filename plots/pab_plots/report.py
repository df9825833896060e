"""REPORT.md: what the reader came for first (the verdicts), then the plots and tables, the
run's facts, and last what was skipped."""
import json
import math
import shlex

from . import advice as A
from . import results as R
from .formats import count, human_bytes, nanoseconds, seconds, sig3
from .model import ratio_test

MARK_TITLES = {"in_use_bytes": "Bytes in use, as the allocator counts them",
               "resident_bytes": "Resident bytes of the allocator's own memory",
               "mapped_bytes": "Address space the allocator obtained from the OS"}


def write(model):
    sections = (_heading, _verdicts, _time, _memory, _advice, _threads, _counts, _hardware, _allocator_stats,
                _workload_counters, _tradeoff, _series, _latency, _run_facts, _skipped)
    if model.real:
        # A real program's run: no ns/op, passes, series, system calls or allocator
        # statistics exist for it.
        sections = (_heading, _verdicts, _real_time, _real_memory, _real_counts, _run_facts,
                    _skipped)
    return "\n".join(line for section in sections for line in section(model)).rstrip() + "\n"


# ---- the first lines: what a reader must know before trusting a figure ----

def _heading(m):
    lines = [f"# pyallocbench report: {m.run.folder.resolve().name}", ""]
    if m.real:
        lines += [_real_program(m), ""]
    facts = m.metadata
    env = facts.allocator_env if facts else {}
    if env:
        lines += ["**Environment that changes allocators:** "
                  + ", ".join(f"{k}={v}" for k, v in env.items()) + " (all pairs)", ""]
    warning = facts.build_warning() if facts else None
    if warning:
        lines += [f"**Not a Release build** ({warning}): these times are not what the "
                  "allocators cost in a real build.", ""]
    warnings = _warnings(m)
    if warnings:
        lines += [*(f"- {w}" for w in warnings), ""]
    return lines + [*(_real_introduction(m) if m.real else _introduction(m)), ""]


def _warnings(m):
    """The run's facts that change how far its figures can be trusted, from metadata.json,
    and its unstable pairs."""
    found, facts = [], m.metadata
    if facts and facts.quick:
        found.append("**A --quick run is a smoke test: its figures are not for decisions.**")
    workloads = not m.real  # Google Benchmark and the counters time workloads only
    if workloads and facts and (facts.text("gbench_library_build_type") or "").lower() == "debug":
        found.append("**Google Benchmark's library is a debug build** (its own warning; "
                     "Debian's libbenchmark is built so). Its cost is per timed iteration, and "
                     "an iteration here is a whole pass of the workload.")
    if facts and (facts.text("cpu_scaling") or "").lower() == "enabled":
        found.append("**CPU frequency scaling is enabled**: the clock, and so every time, "
                     "changes with the load (set the governor to performance for measuring).")
    found += _load(facts)
    counters = facts.text("hardware_counters") if facts and workloads else None
    if counters and counters != "available":
        found.append(f"Hardware counters unavailable ({counters}): no instructions, cycles, "
                     "cache or dTLB misses per call.")
    unstable = _unstable(m)
    if unstable:
        found.append("**Unstable pairs** (marked † in the tables: their processes' warm times "
                     "vary by more than 10 % of their mean, so their intervals are wide; rerun "
                     f"them on a quieter machine or with more --processes): {unstable}.")
    return found


def _load(facts):
    start = facts.text("load_average_start") if facts else None
    end = facts.text("load_average_end") if facts else None
    if not start and not end:
        return []
    cpus = facts.count("cpus_online")
    lines = [f"Load average (1, 5, 15 minutes): {start or 'unknown'} at the start, "
             f"{end or 'unknown'} at the end"
             + (f", on {cpus} CPUs online." if cpus else ".")]
    try:
        first = float(start.split()[0])
    except (AttributeError, IndexError, ValueError):
        return lines
    if cpus and first > cpus:
        lines.append(f"**The machine was busy when the run started**: a 1-minute load of "
                     f"{start.split()[0]} on {cpus} CPUs means other work shared them, so times "
                     "are slower and noisier than on a quiet machine.")
    return lines


def _unstable(m):
    """The unstable pairs, by workload: "small_objects (glibc, jemalloc); list (all)"."""
    flagged = [(a, w) for w in m.workloads for a in m.allocators if m.unstable(a, w)]
    if not flagged:
        return ""
    groups = {}
    for a, w in flagged:
        groups.setdefault(w, []).append(a)
    return "; ".join(f"{w} ({', '.join(a)})" for w, a in groups.items())


def _introduction(m):
    ok = sum(pair.ok for pair in m.run.pairs.values())
    facts = m.metadata
    processes = facts.count("processes") if facts else None
    repetitions = facts.count("repetitions") if facts else None
    each = (f", each in {processes} fresh processes" if processes else "")
    lines = [
        "Made by `plots/plot` from this results folder's files alone (`./bench plot` redraws it).",
        f"{len(m.allocators)} allocators, {len(m.workloads)} workloads: {ok} of "
        f"{len(m.run.pairs)} pairs measured{each}. A process's warm time is the median of its"
        + (f" {repetitions}" if repetitions else "") + " timed repetitions, after a cold pass on",
        "its fresh heap. Times are the median over processes with `[the 95 % interval]` of "
        "their geometric mean;",
        "memory and counts are the median with `[min, max]` over processes where those differ "
        "at 3 figures.",
        "RSS figures are above the child's RSS right after allocator init."]
    return lines


def _real_program(m):
    """What a real program's run measured, first of all."""
    facts = m.metadata
    program = facts.facts.get("program") if facts else None
    if isinstance(program, list) and program:
        program = shlex.join(str(word) for word in program)
    named = (f"`{program}` (metadata.json's `program`)" if isinstance(program, str) and program
             else "(metadata.json does not say which)")
    return (f"**Real processes of the program** {named}, run by `pyallocbench --real` under "
            "each allocator's CPython configuration: not replayed workloads, so there are no "
            "ns/op, passes or RSS series.")


def _real_introduction(m):
    ok = sum(pair.ok for pair in m.run.pairs.values())
    facts = m.metadata
    processes = facts.count("processes") if facts else None
    each = f", each in {processes} processes" if processes else ""
    return [
        "Made by `plots/plot` from this results folder's files alone (`./bench plot` redraws it).",
        f"{len(m.allocators)} allocators, {len(m.workloads)} "
        f"program{'' if len(m.workloads) == 1 else 's'}: {ok} of {len(m.run.pairs)} pairs "
        f"measured{each}, one per round (a round runs the allocators one after another).",
        "Wall time is the median over processes with `[the 95 % interval]` of their geometric "
        "mean;",
        "CPU times, memory and counts are the median with `[min, max]` over processes where "
        "those differ at 3 figures.",
        "Peak RSS is the program's (wait4) minus the same interpreter's `-c pass` peak under "
        "the same configuration,",
        "so it compares with the workloads' RSS above the baseline (and may be negative)."]


# ---- verdicts ----

def _row(cells):
    return "| " + " | ".join(cells) + " |"


def interval_text(v, low, high, fmt=sig3):
    """`41.9 [39.4, 51.4]`; the value alone when there are no bounds."""
    if low is None or high is None:
        return fmt(v)
    return f"{fmt(v)} [{fmt(low)}, {fmt(high)}]"


def range_text(v, low, high, fmt=sig3):
    """`5.00 [4.00, 7.00]`; the value alone when the bounds print the same as it does."""
    if low is None or high is None or fmt(low) == fmt(v) == fmt(high):
        return fmt(v)
    return f"{fmt(v)} [{fmt(low)}, {fmt(high)}]"


def bytes_text(v, low, high):
    """A size with its range over processes in one unit: `1.29 [1.29, 1.30] MiB`."""
    unit = next(((name, size) for name, size in UNITS
                 if max(abs(x) for x in (v, low, high) if x is not None) >= size), ("B", 1))
    if unit[1] == 1:
        return range_text(v, low, high, lambda x: f"{int(x)}") + " B"
    return range_text(v, low, high, lambda x: sig3(x / unit[1])) + f" {unit[0]}"


UNITS = (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024))


def _dagger(m, a, w):
    return " †" if m.unstable(a, w) else ""


def _candidates(m, w, column, usable):
    """The real allocators (not floors) with a usable figure for the workload as (value,
    low, high, name), least first; unknown bounds are -inf and inf, so that they separate
    from nothing."""
    found = []
    for a in m.allocators:
        b = m.bounded(a, w, column) if a not in m.floors else None
        if b is not None and usable(b[0]):
            low, high = b[1], b[2]
            found.append((b[0], -math.inf if low is None else low,
                          math.inf if high is None else high, a))
    return sorted(found, key=lambda c: c[0])


def _separated(found):
    """The least and the others whose bounds reach its own: found[0] is named only when
    that is itself alone."""
    best = found[0]
    return [best] + [c for c in found[1:] if c[1] <= best[2]]


def _bounds(c, fmt):
    v, low, high, _ = c
    return fmt(v, None if math.isinf(low) else low, None if math.isinf(high) else high)


def _tie(tied, fmt, whose, verb):
    """Why the lowest median of tied cannot be named: the others' bounds reach its own, or
    some have none."""
    best, others = tied[0], tied[1:]
    if math.isinf(best[2]):
        return (f"{best[3]} has the lowest median but no bounds to tell it apart from "
                + ", ".join(f"{c[3]} {_bounds(c, fmt)}" for c in others))
    bounded = [c for c in others if not math.isinf(c[1])]
    unbounded = [c for c in others if math.isinf(c[1])]
    said = []
    if bounded:
        said.append(f"{whose} " + ", ".join(f"{c[3]} {_bounds(c, fmt)}" for c in bounded)
                    + f" {verb}")
    if unbounded:
        said.append(", ".join(f"{c[3]} ({_bounds(c, fmt)})" for c in unbounded)
                    + (" has" if len(unbounded) == 1 else " have") + " no bounds")
    return f"{best[3]} has the lowest median; " + "; ".join(said)


def _fastest(m, w, column=R.NS_PER_OP, unit="ns", fmt=None):
    """fmt: a figure's text with its interval (interval_text)."""
    fmt = fmt or interval_text
    found = _candidates(m, w, column, lambda v: v > 0)
    if not found:
        return ["n/a", "", ""]
    best = found[0]
    a, b = best[3], best[0]
    shown = _bounds(best, fmt)
    if len(found) == 1:
        return [a + _dagger(m, a, w), shown, "only one measured"]
    tied = _separated(found)
    if len(tied) > 1:
        names = ", ".join(c[3] + _dagger(m, c[3], w) for c in tied)
        return [f"tie: {names}", shown, _tie(tied, fmt, "the 95 % intervals of",
                                              "overlap its own")]
    second = found[1]
    text = (f"{second[0] / b:.2f}x faster than {second[3]} ({_bounds(second, fmt)} "
            f"{unit}); every other interval lies above its own")
    base = (m.figure(m.baseline, w, column)
            if m.baseline not in (None, a, second[3]) else None)
    if base is not None:
        text += f"; {base / b:.2f}x faster than {m.baseline}"
    return [a + _dagger(m, a, w), shown, text]


def _smallest(m, w):
    found = _candidates(m, w, R.PEAK_RSS, lambda v: True)
    if not found:
        return ["n/a", "", ""]
    best = found[0]
    shown = _bounds(best, bytes_text)
    if len(found) == 1:
        return [best[3], shown, "only one measured"]
    tied = _separated(found)
    if len(tied) > 1:
        return [f"tie: {', '.join(c[3] for c in tied)}", shown,
                _tie(tied, bytes_text, "the ranges over processes of", "reach its own")]
    second = found[1]
    return [best[3], shown, f"{human_bytes(second[0] - best[0])} less than {second[3]} "
            f"({_bounds(second, bytes_text)}); every other's minimum is above its maximum"]


def _seconds_interval(v, low, high):
    return interval_text(v, low, high, seconds)


def _verdicts(m):
    if m.real:
        what, time, memory = "program", "the program's wall time", "peak RSS above `-c pass`"
        columns = "| program | fastest | wall s [95 % interval] | margin | smallest peak RSS |"
    else:
        what, time, memory = "workload", "ns/op", "peak RSS"
        columns = "| workload | fastest | ns/op [95 % interval] | margin | smallest peak RSS |"
    lines = [f"## Fastest and smallest per {what}", "",
             f"An allocator is named fastest only when its 95 % interval of {time} lies wholly "
             f"below every other's, and smallest only when its largest {memory} over the "
             "processes is below every other's smallest; otherwise the row says tie and names "
             "the allocators it cannot tell apart."]
    if m.floors:
        lines.append("Reference floors, not choices, are left out here (their figures are in "
                     f"the tables): {', '.join(m.floors)}.")
    lines += [f"Baseline: {m.baseline}." if m.baseline else "No baseline allocator in this run.",
              "",
              columns + " peak RSS [min, max] | margin |",
              "|---|---|---|---|---|---|---|"]
    fastest = ((lambda w: _fastest(m, w, R.WALL, "s", _seconds_interval)) if m.real
               else (lambda w: _fastest(m, w)))
    lines += [_row([w, *fastest(w), *_smallest(m, w)]) for w in m.workloads]
    return lines + [""]


# ---- tables ----

def _image(m, name):
    plot = next((p for p in m.plots if p.name == name), None)
    if plot is None:
        return []
    return [f"![{plot.title}](plots/{name}.png)", "", f"[{name}.svg](plots/{name}.svg)", ""]


def _cell(m, a, w, text):
    """A table cell: the figure's text, or why there is none."""
    pair = m.run.pairs.get((a, w))
    if pair is None:
        return "not run"
    if not pair.ok:
        return "not run" if pair.status.startswith("not run") else "failed"
    return "n/a" if text is None else text


def _table(m, title, text, note=None, mark=False):
    """One row per workload, one column per allocator; text(a, w): the cell, None for n/a.
    mark: unstable pairs get a †."""
    lines = [f"### {title}", ""]
    if note:
        lines += [note, ""]
    lines += [_row(["program" if m.real else "workload", *m.allocators]),
              "|---|" + "---:|" * len(m.allocators)]
    marked = False
    for w in m.workloads:
        cells = []
        for a in m.allocators:
            cell = _cell(m, a, w, text(a, w))
            if mark and m.unstable(a, w) and m.run.ran(a, w):
                cell, marked = cell + " †", True
            cells.append(cell)
        lines.append(_row([w, *cells]))
    if marked:
        lines += ["", "† unstable: the processes' warm times vary by more than 10 % of their "
                  "mean."]
    return lines + [""]


def _bounded_table(m, title, column, fmt, note=None, mark=False):
    """A table of one figure with its bounds; fmt(value, low, high) -> text."""
    if column not in m.run.columns:
        return []

    def text(a, w):
        b = m.bounded(a, w, column)
        return None if b is None else fmt(*b)
    return _table(m, title, text, note, mark)


def _per_second(v, low, high):
    """ns per call as millions of calls per second, the bounds swapped."""
    flip = (None, None) if not (low and high and low > 0) else (1e3 / high, 1e3 / low)
    return interval_text(1e3 / v, *flip) if v > 0 else None


def _relative(m, against):
    """against(a, w): (ratio, low, high) of a pair to the baseline, None without one."""
    def text(a, w):
        found = against(a, w)
        if found is None:
            return None
        ratio, low, high = found
        if a == m.baseline or low is None:
            return f"{ratio:.2f}x"
        return f"{ratio:.2f}x [{low:.2f}, {high:.2f}]"
    return text


def _time(m):
    lines = ["## Time", "", *_image(m, "throughput"),
             *_bounded_table(m, "Time per call, warm: median ns [95 % interval] over processes",
                             R.NS_PER_OP, interval_text, mark=True),
             *_bounded_table(m, "Time per call, cold (the first pass on a fresh heap): median "
                             "ns [95 % interval]", R.COLD_NS_PER_OP, interval_text, mark=True),
             *_bounded_table(m, "Calls per second, warm (millions) [95 % interval]",
                             R.NS_PER_OP, _per_second, mark=True)]
    if m.baseline:
        lines += _table(m, f"Throughput relative to {m.baseline} (higher is faster)",
                        _relative(m, m.speedup), note="The baseline's time over each pair's: "
                        f"{_how(m.speedups, 'warm times')}.", mark=True)
    return lines


def _how(tests, what):
    """How the ratios to the baseline were had."""
    return (f"the geometric mean of the per-round ratios of {what}, with its 95 % "
            "t-interval, paired by round (samples.csv; Welch's where fewer than 2 rounds are "
            "common)" if tests else "the ratio of the medians (no samples.csv: no interval)")


def _real_time(m):
    """A real program's wall time, relative to the baseline's, and its CPU times."""
    lines = ["## Time", "", *_image(m, "wall_time"),
             *_bounded_table(m, "Wall time of the program: median s [95 % interval] over "
                             "processes", R.WALL, _seconds_interval, mark=True)]
    if m.baseline:
        lines += _table(m, f"Wall time relative to {m.baseline} (lower is faster)",
                        _relative(m, m.time_ratio), note="Each pair's wall time over the "
                        f"baseline's: {_how(m.time_ratios, 'wall times')}.", mark=True)

    def cpu(v, low, high):
        return range_text(v, low, high, seconds)
    return lines + [
        *_bounded_table(m, "User CPU time: median s [min, max] over processes", R.USER, cpu),
        *_bounded_table(m, "System CPU time: median s [min, max] over processes", R.SYSTEM,
                        cpu)]


def _memory(m):
    def size(v, low, high):
        return bytes_text(v, low, high)
    return ["## Memory", "", *_image(m, "peak_rss"), *_image(m, "final_rss"),
            *_image(m, "fragmentation"),
            *_bounded_table(m, "Peak RSS during the cold pass [min, max over processes]",
                            R.PEAK_RSS, size),
            *_bounded_table(m, "RSS at the measurement point", R.MARK_RSS, size),
            *_bounded_table(m, "Live requested bytes at the measurement point", R.LIVE, size),
            *_bounded_table(m, "RSS after everything was freed", R.FINAL_RSS, size),
            *_bounded_table(m, "RSS after the allocator's trim/purge", R.TRIMMED_RSS, size),
            *_bounded_table(m, "Fragmentation (RSS at the measurement point / live bytes; 1.0 "
                            "is perfect)", R.FRAGMENTATION, range_text),
            *_bounded_table(m, "The child's RSS after allocator init (the baseline of the "
                            "figures above)", R.BASELINE_RSS, size)]


# ---- threads ----

def _advice(m):
    """Python advice, measured: one row per piece of advice the run has a side of (and one
    for its real programs when the folder has them), one column per allocator (advice.py)."""
    if not m.advice:
        return []
    lines = ["## Python advice, measured", "",
             "Each piece of advice is two workloads doing the same work (the same n pieces, "
             "objects or items) two ways. A cell is the saving of the advised way on that "
             "allocator, per pass, not per call (the two ways make different numbers of calls): "
             "the other way's warm time of one pass (ns per call × calls per pass) over the "
             "advised way's, and its peak RSS of the cold pass over the advised way's (as compare "
             "takes memory: bytes above the baseline plus 64 KiB, so that a peak of a few pages "
             "does not read as a large ratio), each the ratio of geometric means over processes "
             "with its 95 % Welch interval. "
             f"{A.ERASED}: the allocator erases the advice (the interval includes no saving); "
             f"{A.REVERSED}: it reverses it (the advised way is surely worse). n/a: fewer "
             "samples than a ratio needs."]
    if m.programs:
        lines += ["", "Each *real* row is the same advice as two scripts of workloads/programs/ "
                  "run by `./bench advice` as real interpreters under the allocator's CPython "
                  f"configuration (`{A.PROGRAMS_FOLDER}/` of this folder): the other script's "
                  "wall time over the advised one's, and its peak RSS above `-c pass` over the "
                  "advised one's (bytes plus 64 KiB), geometric means over processes with Welch "
                  "intervals. A script does its own n (workloads/programs/README.md), so a real "
                  "saving compares with the modelled one in direction and rough size, not digit "
                  "for digit; a real time includes the interpreter's own work."]
    lines += ["", _row(["advice (advised / other)", *m.allocators]),
              "|---|" + "---:|" * len(m.allocators)]
    for advice, cells in m.advice.items():
        lines.append(_row([f"{advice.text} ({advice.advised} / {advice.other})",
                           *(cells[a][0].text for a in m.allocators)]))
        if m.programs:
            scripts = " / ".join(f"`{stem}.py`" for stem in advice.programs)
            lines.append(_row([f"real: {scripts}", *(cells[a][1].text for a in m.allocators)]))
    return lines + ["", *_image(m, "advice_time"), *_image(m, "advice_peak")]


def _threads(m):
    threaded = m.threaded()
    if not threaded:
        return []
    cpus = m.metadata.count("cpus_online") if m.metadata else None
    lines = ["## Threads", "",
             "The threaded workloads at each thread count (`--threads`): throughput of all "
             "threads together and per thread, million calls per second [95 % interval over "
             "processes]; peak RSS of the cold pass; RSS after the last timed pass with the "
             "threads alive, once they are joined (per-thread caches are flushed at thread "
             "exit) and after the allocator's trim then [min, max]. "
             + (f"This machine has {cpus} CPUs: rows of more threads are marked "
                "oversubscribed, their threads taking turns on the CPUs, so they show what "
                "contention costs, not how the allocator scales." if cpus else
                "metadata.json does not say how many CPUs the machine has: no row is marked "
                "oversubscribed."), ""]
    for label, counts in threaded.items():
        lines += [f"### {label}", "", *_image(m, f"scaling_{label}"),
                  _row(["allocator", "threads", "Mops/s", "per thread", "peak RSS",
                        "threads alive", "joined", "joined, trimmed"]),
                  "|---|---|" + "---:|" * 6]
        lines += [_thread_row(m, a, w, threads, cpus) for a in m.allocators
                  for threads, w in counts if (a, w) in m.run.pairs]
        lines.append("")
    return lines + _lock_costs(m, threaded)


def _thread_row(m, a, w, threads, cpus):
    said = str(threads)
    if cpus and threads > cpus:
        said += " (oversubscribed)"
    if m.stats.reported.get((a, w), {}).get("same_thread_handoff") == 1:
        said += " (producer and consumer in one thread)"
    pair = m.run.pairs[a, w]
    if not pair.ok:
        return _row([a, said, pair.status, "", "", "", "", ""])

    def rate(per):
        ns = m.bounded(a, w, R.NS_PER_OP)
        return None if ns is None else _per_second(ns[0] * per, *(b * per if b else b for b in ns[1:]))

    def size(column):
        b = m.bounded(a, w, column)
        return None if b is None else bytes_text(*b)
    cells = [rate(1), rate(threads), size(R.PEAK_RSS), size(R.THREADS_RSS), size(R.JOINED_RSS),
             size(R.JOINED_TRIMMED_RSS)]
    return _row([a, said, *(_cell(m, a, w, c) for c in cells)])


def _lock_costs(m, threaded):
    """Each lock model at one thread against the allocator it locks, where both ran."""
    samples = m.samples.warm_by_process if m.samples else None
    rows = []
    for label in threaded:
        for a in (a for a in m.allocators if "@" in a and m.run.ran(a, label)):
            inner = a.rsplit("@", 1)[0]
            if not m.run.ran(inner, label):
                continue
            test = ratio_test(samples((inner, label)), samples((a, label))) if samples else None
            own, base = m.figure(a, label, R.NS_PER_OP), m.figure(inner, label, R.NS_PER_OP)
            ratio = (f"{test.ratio:.2f}x [{test.lo:.2f}, {test.hi:.2f}]" if test
                     else f"{own / base:.2f}x (no interval)")
            rows.append(_row([label, a, inner, sig3(own), sig3(base), ratio]))
    if not rows:
        return []
    return ["### What a lock costs at one thread", "",
            "Warm time per call of each lock model over the same allocator without a lock, on "
            "one thread (so nothing waits: what is left is the lock's own cost), paired by "
            "round where samples.csv allows.", "",
            _row(["workload", "locked", "unlocked", "ns/op locked", "ns/op unlocked",
                  "locked / unlocked [95 %]"]), "|---|---|---|---:|---:|---:|", *rows, ""]


def _real_memory(m):
    return ["## Memory", "", *_image(m, "peak_rss"),
            *_bounded_table(m, "Peak RSS of the program above the interpreter's `-c pass` "
                            "[min, max over processes]", R.PEAK_RSS, bytes_text),
            *_bounded_table(m, "Peak RSS of the interpreter's `-c pass` under the same "
                            "configuration (the baseline of the figure above)", R.BASELINE_RSS,
                            bytes_text)]


# ---- counts no timing noise touches ----

def _syscalls(m, a, w, kind):
    """One pass's memory system calls as "mmap 1, brk 3" ("none"), None when not counted."""
    counts = [(call, m.figure(a, w, R.syscall_column(kind, call))) for call in R.SYSCALLS]
    if any(v is None for _, v in counts):
        return None
    said = [f"{call} {count(v)}" for call, v in counts if v]
    return ", ".join(said) if said else "none"


def _counts(m):
    """Per workload: page faults per pass, the memory system calls of one cold and one warm
    pass, and callgrind's instructions per call, where the run has them."""
    pairs = [(a, w) for w in m.workloads for a in m.allocators if m.run.ran(a, w)]
    if not pairs:
        return []
    major = any(m.figure(a, w, c) for a, w in pairs for c in (R.COLD_MAJOR, R.WARM_MAJOR))
    syscalls, callgrind = m.has_syscalls, m.has_callgrind
    columns = [("cold minor faults", lambda a, w: _faults(m, a, w, R.COLD_MINOR)),
               ("warm minor faults per pass", lambda a, w: _faults(m, a, w, R.WARM_MINOR))]
    if major:
        columns += [("cold major faults", lambda a, w: _faults(m, a, w, R.COLD_MAJOR)),
                    ("warm major faults per pass", lambda a, w: _faults(m, a, w, R.WARM_MAJOR))]
    if syscalls:
        columns += [("cold pass system calls", lambda a, w: _syscalls(m, a, w, "cold")),
                    ("warm pass system calls", lambda a, w: _syscalls(m, a, w, "warm"))]
    if callgrind:
        columns += [(f"{who} instructions per call",
                     lambda a, w, c=c: _plain(m.figure(a, w, c)))
                    for who, c in zip(("allocator", "total"), R.CALLGRIND)]
    lines = ["## Page faults, system calls and instructions", "",
             "Counts that timing noise does not touch: minor page faults of the cold pass and "
             "per warm pass (median [min, max] over processes)"
             + (", the memory system calls (mmap, munmap, mremap, madvise, mprotect, brk) of "
                "one cold and one warm pass, counted by strace" if syscalls else "")
             + (", and the instructions per call callgrind counted in the allocator and in "
                "all (./bench --count)" if callgrind else "") + ".", ""]
    for w in m.workloads:
        ran = [a for a in m.allocators if (a, w) in m.run.pairs]
        lines += [f"### {w}", "", _row(["allocator", *(name for name, _ in columns)]),
                  "|---|" + "---:|" * len(columns)]
        lines += [_row([a, *(_cell(m, a, w, fn(a, w)) for _, fn in columns)]) for a in ran]
        lines.append("")
    return lines


def _real_counts(m):
    """A real program's page faults, from wait4."""
    if not m.run.pairs:
        return []
    lines = ["## Page faults", "", "The program's own page faults (wait4; median [min, max] "
             "over processes): counts that timing noise does not touch.", ""]
    for title, column in (("Minor page faults", R.COLD_MINOR),
                          ("Major page faults (pages read from disk)", R.COLD_MAJOR)):
        if column in m.run.columns:
            lines += _table(m, title, lambda a, w, c=column: _faults(m, a, w, c))
    return lines


def _faults(m, a, w, column):
    """Faults of one pass (whole) or per warm pass (an average: to the tenth, all three
    numbers of the cell alike)."""
    b = m.bounded(a, w, column)
    if b is None:
        return None
    whole = all(v is None or v == int(v) for v in b)
    return range_text(*b, fmt=(lambda v: f"{v:,.0f}") if whole else (lambda v: f"{v:,.1f}"))


def _plain(v):
    """A count as it is when whole (4,000), else to 3 figures; None stays None."""
    return None if v is None else count(v)


def _hardware(m):
    present = [c for c in R.HARDWARE if c in m.run.columns
               and any(m.figure(a, w, c) is not None for (a, w) in m.run.pairs)]
    if not present:
        return []
    titles = {"instructions_per_op": "Instructions per call", "cycles_per_op": "Cycles per call",
              "cache_misses_per_op": "Cache misses per call",
              "dtlb_misses_per_op": "dTLB misses per call"}
    lines = ["## Hardware counters", "",
             "From the CPU's counters over the warm passes (median [min, max] over processes).", ""]
    for c in present:
        lines += _bounded_table(m, titles[c], c, range_text)
    return lines


def _allocator_stats(m):
    known = [c for c in R.MARK_FIGURES if any(c in figures for figures in m.stats.mark.values())]
    if not known:
        return []
    lines = ["## The allocators' own statistics at the measurement point", "",
             "What each allocator says of itself (`stats.csv`, phase `mark`); n/a where it does "
             "not say.", ""]
    for counter in known:
        def text(a, w, counter=counter):
            v = m.stats.mark.get((a, w), {}).get(counter)
            return None if v is None else human_bytes(v)
        lines += _table(m, MARK_TITLES[counter], text)
    return lines


def _workload_counters(m):
    """Per workload that counts things of itself: one row per allocator that ran it, one
    column per counter, in the order reported."""
    if not m.stats.counters:
        return []
    lines = ["## What the workloads report", "",
             "Figures each workload counts of itself over one pass (`stats.csv`, phase "
             "`workload`), in the order it reports them.", ""]
    for w in (w for w in m.workloads if w in m.stats.counters):
        counters = list(m.stats.counters[w])
        lines += [f"### {w}", ""]
        if "inplace_reallocs_moved" in counters:
            lines += ["Per allocator: how many of the in-place reallocs moved the block "
                      "(`inplace_reallocs_moved` of `inplace_reallocs`) and how many bytes those "
                      "moves copied (`inplace_moved_bytes`).", ""]
        if "shared_copied_bytes" in counters:
            lines += ["`shared_copied_bytes` is what the program itself copied.", ""]
        lines += [_row(["allocator", *counters]), "|---|" + "---:|" * len(counters)]
        for a in (a for a in m.allocators if (a, w) in m.run.pairs):
            values = m.stats.reported.get((a, w), {})
            cells = (_cell(m, a, w, _counter(c, values.get(c))) for c in counters)
            lines.append(_row([a, *cells]))
        lines.append("")
    return lines


def _counter(name, value):
    if value is None:
        return None
    return human_bytes(value) if name.endswith("_bytes") else count(value)


def _tradeoff(m):
    image = _image(m, "tradeoff")
    if not image:
        return []
    return ["## Time against memory", "",
            "One panel per workload, one point per allocator, named beside it; lower left is "
            "faster and smaller.", "", *image]


def _series(m):
    plots = [p for p in m.plots if p.name.startswith("series_")]
    if not plots:
        return []
    lines = ["## RSS over time", "",
             "The grey floor is the bytes the workload has requested and not freed; the gap "
             "above it is what the allocator holds beyond that.", ""]
    for plot in plots:
        lines += [f"### {plot.workload}", "", *_image(m, plot.name)]
    return lines


# ---- single-call latency ----

LATENCY_COLUMNS = (("p50", "p50_ns"), ("p99", "p99_ns"), ("p99.9", "p99_9_ns"),
                   ("p99.99", "p99_99_ns"), ("max", R.MAX_NS))


def _latency(m):
    """Per workload: the CCDF and, per allocator and kind of call, the quantiles, the max and
    the calls above 10 and 100 µs; "< clock" where a figure is below the clock's resolution."""
    lines = ["## Single-call latency", ""]
    if m.latency is None:
        return lines + ["No latency pass in this run (the folder has no latency.csv).", ""]
    if not m.latency.usable:
        return lines + ["latency.csv cannot be used (Skipped says why).", ""]
    clock = _clock_range(m, R.CLOCK)
    resolution = _clock_range(m, R.RESOLUTION)
    lines += [
        "Every call of one pass, timed on its own in a separate process per pair (the timed "
        "passes above never see the clock), after one untimed pass. Reading the clock costs "
        + (f"{clock} ns" if clock else "an unknown time")
        + ", measured in each process and taken off every call; its resolution (the spread of "
        "that cost) is " + (f"{resolution} ns" if resolution else "unknown")
        + ", and a figure below it is shown as \"< clock\": below the clock's resolution, it "
        "cannot be told from an empty timing. A quantile is the top of its histogram bin (at "
        "most 6.25 % above the true one); the max and the counts are exact. The fences around "
        "each call keep it from overlapping its neighbours, so even the figures above the "
        "resolution are those of a call on its own (results/README.md).", ""]
    ccdfs = {p.workload: p.name for p in m.plots if p.name.startswith("latency_")}
    for w in m.workloads:
        image = _image(m, ccdfs[w]) if w in ccdfs else []
        lines += [f"### {w}", "", *image, *_latency_table(m, w)]
    return lines


def _clock_range(m, column):
    """"27.9" or "27.9 to 31.2": a clock figure over every pair and kind of the run."""
    values = [f[column] for kinds in m.latency.figures.values() for f in kinds.values()
              if f.get(column) is not None]
    if not values:
        return None
    low, high = sig3(min(values), zeros=True), sig3(max(values), zeros=True)
    return low if low == high else f"{low} to {high}"


def _latency_table(m, w):
    """One row per allocator and kind of call the workload makes."""
    kinds = [k for k in R.CALL_KINDS
             if any((m.latency.kind((a, w), k).get(R.CALLS) or 0) > 0 for a in m.allocators)]
    lines = [_row(["allocator", "call", "calls", *(name for name, _ in LATENCY_COLUMNS),
                   "> 10 µs", "> 100 µs"]), "|---|---|" + "---:|" * (len(LATENCY_COLUMNS) + 3)]
    for a in (a for a in m.allocators if (a, w) in m.run.pairs):
        if not m.run.ran(a, w) or not m.latency.figures.get((a, w)):
            cell = _cell(m, a, w, None)
            lines.append(_row([a, "", *[cell] * (len(LATENCY_COLUMNS) + 3)]))
            continue
        for k in kinds:
            lines.append(_row([a, k, *_latency_cells(m.latency.kind((a, w), k))]))
    return lines + [""]


def _latency_cells(f):
    """calls, the quantiles and max ("< clock" below the resolution), and the counts."""
    calls = f.get(R.CALLS)
    if not calls:
        return ["0" if calls == 0 else "n/a", *["n/a"] * (len(LATENCY_COLUMNS) + 2)]
    resolution = f.get(R.RESOLUTION)

    def time(column):
        v = f.get(column)
        if v is None:
            return "n/a"
        return "< clock" if resolution is not None and v < resolution else nanoseconds(v)
    counts = [_plain(f.get(c)) or "n/a" for c in (R.OVER_10US, R.OVER_100US)]
    return [count(calls), *(time(c) for _, c in LATENCY_COLUMNS), *counts]


def _run_facts(m):
    if m.metadata is None:
        return ["## Run", "", "metadata.json is missing or unreadable: the machine and build are "
                "unknown.", ""]
    return ["## Run", "", "| fact | value |", "|---|---|",
            *(_row([_md(path), _md(text)]) for path, text in _flatten(m.metadata.facts)), ""]


def _flatten(value, path=""):
    """metadata.json as (path, text) rows, paths like a.b[0]."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _flatten(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            yield from _flatten(item, f"{path}[{i}]")
    else:
        yield path, value if isinstance(value, str) else json.dumps(value)


def _md(text):
    """Text that stays inside one cell of a Markdown table."""
    text = " ".join(text.replace("|", "\\|").split())
    return text if len(text) <= 160 else text[:157] + "..."


def _skipped(m):
    lines = m.skipped()
    return ["## Skipped", "", *(f"- {line}" for line in lines), ""] if lines else []
