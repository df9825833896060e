"""REPORT.md: what the reader came for first (the verdicts), then the plots and tables, the
run's facts, and last what was skipped."""
import json

from . import results as R
from .formats import count, human_bytes, sig3

# RSS readings a few microseconds apart differ by about 0.1 MiB: smaller gaps are noise.
RSS_NOISE = 104858
MARK_TITLES = {"in_use_bytes": "Bytes in use, as the allocator counts them",
               "resident_bytes": "Resident bytes of the allocator's own memory",
               "mapped_bytes": "Address space the allocator obtained from the OS"}


def write(model):
    sections = (_heading, _verdicts, _time, _memory, _allocator_stats, _workload_counters,
                _tradeoff, _series, _run_facts, _skipped)
    return "\n".join(line for section in sections for line in section(model)).rstrip() + "\n"


def _heading(m):
    lines = [f"# pyallocbench report: {m.run.folder.resolve().name}", ""]
    env = m.metadata.allocator_env if m.metadata else {}
    if env:
        lines += ["**Environment that changes allocators:** "
                  + ", ".join(f"{k}={v}" for k, v in env.items()) + " (all pairs)", ""]
    warning = m.metadata.build_warning() if m.metadata else None
    if warning:
        lines += [f"**Not a Release build** ({warning}): these times are not what the "
                  "allocators cost in a real build.", ""]
    ok = sum(pair.ok for pair in m.run.pairs.values())
    return lines + [
        "Made by `plots/plot` from this results folder's files alone (`./bench plot` redraws it).",
        f"{len(m.allocators)} allocators, {len(m.workloads)} workloads: {ok} of {len(m.run.pairs)} "
        "pairs measured. Times are medians over the",
        "timed repetitions; RSS figures are above the child's RSS right after allocator init.", ""]


def _ranked(m, w, column, usable=lambda v: True):
    """The real allocators (not floors) with a usable figure for the workload, least first."""
    found = [(v, a) for a in m.allocators
             if a not in m.floors and (v := m.figure(a, w, column)) is not None and usable(v)]
    return [a for _, a in sorted(found, key=lambda figure_and_name: figure_and_name[0])]


def _spread(m, a, w):
    return m.figure(a, w, R.NS_SPREAD) or 0


def _fastest(m, w):
    ranked = _ranked(m, w, R.NS_PER_OP, lambda v: v > 0)
    if not ranked:
        return ["n/a", "", ""]
    best, b = ranked[0], m.figure(ranked[0], w, R.NS_PER_OP)
    if len(ranked) == 1:
        return [best, sig3(b), "only one measured"]
    second = ranked[1]
    s = m.figure(second, w, R.NS_PER_OP)
    text = f"{s / b:.2f}x faster than {second} ({sig3(s)} ns)"
    if s - b < max(_spread(m, best, w), _spread(m, second, w)):
        text += ", within the repetitions' spread"
    base = m.figure(m.baseline, w, R.NS_PER_OP) if m.baseline not in (None, best, second) else None
    if base is not None:
        text += f"; {base / b:.2f}x faster than {m.baseline}"
    return [best, sig3(b), text]


def _smallest(m, w):
    ranked = _ranked(m, w, R.PEAK_RSS)
    if not ranked:
        return ["n/a", "", ""]
    best, b = ranked[0], m.figure(ranked[0], w, R.PEAK_RSS)
    if len(ranked) == 1:
        return [best, human_bytes(b), "only one measured"]
    s = m.figure(ranked[1], w, R.PEAK_RSS)
    text = f"{human_bytes(s - b)} less than {ranked[1]} ({human_bytes(s)})"
    if s - b < RSS_NOISE:
        text += ", within RSS noise (0.1 MiB)"
    return [best, human_bytes(b), text]


def _verdicts(m):
    lines = ["## Fastest and smallest per workload", ""]
    if m.floors:
        lines.append("Reference floors, not choices, are left out here (their figures are in "
                     f"the tables): {', '.join(m.floors)}.")
    lines += [f"Baseline: {m.baseline}." if m.baseline else "No baseline allocator in this run.",
              "",
              "| workload | fastest | ns/op | margin | smallest peak RSS | peak RSS | margin |",
              "|---|---|---|---|---|---|---|"]
    lines += [_row([w, *_fastest(m, w), *_smallest(m, w)]) for w in m.workloads]
    return lines + [""]


def _row(cells):
    return "| " + " | ".join(cells) + " |"


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
        return "failed"
    return "n/a" if text is None else text


def _table(m, title, text):
    """One row per workload, one column per allocator; text(a, w): the cell, None for n/a."""
    lines = [f"### {title}", "", _row(["workload", *m.allocators]),
             "|---|" + "---:|" * len(m.allocators)]
    lines += [_row([w, *(_cell(m, a, w, text(a, w)) for a in m.allocators)]) for w in m.workloads]
    return lines + [""]


def _column_table(m, title, column, fmt):
    if column not in m.run.columns:
        return []
    def text(a, w):
        v = m.figure(a, w, column)
        return None if v is None else fmt(v, a, w)
    return _table(m, title, text)


def _ns(m):
    def fmt(v, a, w):
        spread = m.figure(a, w, R.NS_SPREAD)
        return sig3(v) + ("" if spread is None else f" ({sig3(spread)})")
    return fmt


def _relative(m):
    def fmt(v, a, w):
        base = m.figure(m.baseline, w, R.NS_PER_OP)
        return None if base is None or v <= 0 else f"{base / v:.2f}x"
    return fmt


def _time(m):
    lines = ["## Time", "", *_image(m, "throughput"),
             *_column_table(m, "Time per call: median ns (max - min over the repetitions)",
                            R.NS_PER_OP, _ns(m)),
             *_column_table(m, "Calls per second (millions)", R.OPS_PER_SEC,
                            lambda v, a, w: sig3(v / 1e6))]
    if m.baseline:
        lines += _column_table(m, f"Throughput relative to {m.baseline} (higher is faster)",
                               R.NS_PER_OP, _relative(m))
    return lines


def _memory(m):
    def size(v, a, w):
        return human_bytes(v)
    return ["## Memory", "", *_image(m, "peak_rss"), *_image(m, "final_rss"),
            *_image(m, "fragmentation"),
            *_column_table(m, "Peak RSS during the memory pass", R.PEAK_RSS, size),
            *_column_table(m, "RSS at the measurement point", R.MARK_RSS, size),
            *_column_table(m, "Live requested bytes at the measurement point", R.LIVE, size),
            *_column_table(m, "RSS after everything was freed", R.FINAL_RSS, size),
            *_column_table(m, "RSS after the allocator's trim/purge", R.TRIMMED_RSS, size),
            *_column_table(m, "Fragmentation (RSS at the measurement point / live bytes; 1.0 is "
                           "perfect)", R.FRAGMENTATION, lambda v, a, w: sig3(v))]


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
                      "moves copied (`inplace_moved_bytes`); `shared_copied_bytes` is what the "
                      "program itself copied.", ""]
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
