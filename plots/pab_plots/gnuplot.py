"""Drawing the model's plots: their data files in tmp/data, then one gnuplot process
(starting one costs a quarter of a second) that loads each plot kind's script (bars.gp,
tradeoff.gp, series.gp, latency.gp) with the variables it reads, and writes
tmp/plots/<name>.png and .svg."""
import math
import subprocess
from pathlib import Path

from .cli import Failure
from .model import Bars, Ccdf, Scaling, Series, Tradeoff

SCRIPTS = Path(__file__).resolve().parent.parent
# A value axis becomes logarithmic when its values span more than this factor.
LOG_SPAN = 30
# Beyond this many bars their value labels would overlap: none is printed.
MAX_LABELLED_BARS = 150
# A trade-off panel's size in pixels, and the size of an allocator's name in it (font 7)
# as fractions of the panel's plot area: a character's width, a line's height, the gap
# between the name and its point.
PANEL_WIDTH, PANEL_HEIGHT = 420, 320
NAME_CHAR, NAME_HEIGHT, NAME_GAP = 0.0155, 0.05, 0.02


def draw(model, tmp):
    data = tmp / "data"
    data.mkdir()
    script = [f"set loadpath {_quote(str(SCRIPTS))}"]
    for plot in model.plots:
        kind, settings = WRITERS[type(plot)](model, plot, data)
        settings = {"out": str(tmp / "plots" / plot.name), "title": plot.title, "width": 1280,
                    "height": 680, **settings}
        script += ["reset", "; ".join(f"{k}={_value(v)}" for k, v in settings.items()),
                   f'load "{kind}.gp"']
    (tmp / "all.gp").write_text("\n".join(script) + "\n", encoding="utf-8")
    done = subprocess.run(["gnuplot", str(tmp / "all.gp")], capture_output=True, text=True)
    if done.returncode != 0:
        # gnuplot ends with the file, line and message of its error.
        said = [line for line in done.stderr.splitlines() if line.strip()] or ["no message"]
        raise Failure(f"gnuplot failed: {said[-1]}")


def _quote(text):
    return "'" + text.replace("\n", " ").replace("'", "''") + "'"


def _value(v):
    if isinstance(v, str):
        return _quote(v)
    return f"{v:.9g}" if isinstance(v, float) else str(int(v))


def _write(path, rows):
    def cell(v):
        return f"{v:.9g}" if isinstance(v, float) else str(v).replace("\t", " ")
    path.write_text("".join("\t".join(map(cell, row)) + "\n" for row in rows), encoding="utf-8")
    return str(path)


def _names(prefix, names):
    """Names travel as numbered variables (wl1, wl2, ...; read back with value()) because
    gnuplot's word lists split at blanks and a name may hold any character."""
    return {f"{prefix}{i}": name for i, name in enumerate(names, 1)}


def _legend(model, drawn, baseline=None):
    """Every allocator of the run is in every legend, in the same order and colour; one
    without data in this plot says so."""
    labels = [a + (" (baseline, = 1.0)" if a == baseline else "")
              + ("" if a in drawn else " (no data)") for a in model.allocators]
    return {"na": len(model.allocators), **_names("name", labels),
            **_names("colour", [model.colours[a] for a in model.allocators]),
            "drawn": " ".join(str(i) for i, a in enumerate(model.allocators, 1) if a in drawn)}


def log_tics(lo, hi):
    """Tics on a log axis: the coarsest of a few 1-2-5-like sets that still gives four."""
    for mantissas in ((1,), (1, 2, 5), (1, 1.5, 2, 3, 5, 7),
                      (1, 1.1, 1.2, 1.3, 1.5, 1.7, 2, 2.5, 3, 4, 5, 6, 7, 8, 9)):
        decades = range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
        tics = [m * 10.0**e for e in decades for m in mantissas if lo <= m * 10.0**e <= hi]
        if len(tics) >= 4:
            break
    return "(" + ", ".join(f"{t:g}" for t in tics) + ")"


def _axis(axis, lo, hi, log):
    """gnuplot commands for one value axis; hi None lets gnuplot choose the top (and then,
    on a log scale, the tics)."""
    top = "*" if hi is None else f"{hi:.9g}"
    commands = [f"set {axis}range [{lo:.9g} : {top}]", f"set format {axis} '%g'"]
    if not log:
        return "; ".join([f"unset logscale {axis}", f"set {axis}tics autofreq", *commands])
    tics = [] if hi is None else [f"set {axis}tics {log_tics(lo, hi)}"]
    return "; ".join([f"set logscale {axis}", *commands, *tics])


def _bar_axis(values, ratio):
    """(ymin, ymax, log, base: where bars start, foot: where the label of a missing bar
    goes), with room beyond the longest bar for its rotated label."""
    lo, hi = (min(values), max(values)) if values else ((1, 1) if ratio else (0, 1))
    if ratio:
        lo, hi = min(lo, 1), max(hi, 1)
    if lo > 0 and (ratio or hi / lo > LOG_SPAN):
        room = math.exp(0.16 * math.log(hi / lo) + 0.12)
        if ratio and lo >= 1:
            # Ratios that are all 1 or more need no room below 1 but that of a label at 1.
            return room**-0.1, hi * room, True, 1, 1
        ymin, ymax = lo / (room if ratio else 1.3), hi * room
        return ymin, ymax, True, 1 if ratio else ymin, ymin * (ymax / ymin) ** 0.02
    room = 0.16 * (hi - min(lo, 0))
    ymin, ymax = (lo - room if lo < 0 else 0), (hi + room if hi > 0 else 1)
    return ymin, ymax, False, 0, ymin + (ymax - ymin) * 0.02


def _bars(model, plot, data):
    allocators, workloads = model.allocators, plot.groups or model.workloads
    na = len(allocators)

    def x(a, w):
        return workloads.index(w) + (allocators.index(a) - (na - 1) / 2) * (0.8 / na)

    errors = {pair: e for pair, e in plot.errors.items() if pair in plot.values}
    extent = [*plot.values.values(), *(v for e in errors.values() for v in e if v > 0)]
    ymin, ymax, log, base, foot = _bar_axis(extent, plot.ratio)
    labelled = na * len(workloads) <= MAX_LABELLED_BARS
    bars, up, down, whiskers, drawn = [], [], [], [], set()
    for (a, w), v in plot.values.items():
        if log and v <= 0:
            model.notes.add(f"{plot.name} value {v:g} cannot be drawn on a log axis", (a, w))
            continue
        bars.append((allocators.index(a) + 1, x(a, w), v))
        drawn.add(a)
        low, high = errors.get((a, w), (v, v))
        if (a, w) in errors:
            # A range that reaches 0 or below goes down to the foot of a log axis.
            whiskers.append((x(a, w), v, max(low, ymin) if log else low, high))
        if labelled:
            if v >= base:
                up.append((x(a, w), max(v, high), plot.label(v)))
            else:
                down.append((x(a, w), min(v, low), plot.label(v)))
    # A pair with a row but no bar says why; so does a group's allocator without a value.
    missing = ({(a, w): "n/a" for w in workloads for a in allocators} if plot.groups else
               {pair: "no data" if row.ok else "failed" for pair, row in model.run.pairs.items()})
    up += [(x(a, w), float(foot), why) for (a, w), why in missing.items()
           if (a, w) not in plot.values]
    return "bars", {
        "data": _write(data / f"{plot.name}.tsv", bars),
        "up": _write(data / f"{plot.name}.up.tsv", up),
        "down": _write(data / f"{plot.name}.down.tsv", down),
        "errors": _write(data / f"{plot.name}.errors.tsv", whiskers),
        "ylabel": plot.ylabel + (" (log scale)" if log else ""),
        "yaxis": _axis("y", ymin, ymax, log), "base": float(base), "ref": plot.ratio,
        "half": 0.36 / na, "width": _bars_width(na * len(workloads)),
        "nw": len(workloads), **_names("wl", [plot.shown.get(w, w) for w in workloads]),
        **_legend(model, drawn, plot.baseline)}


def _bars_width(bars):
    """Wide enough for a label on every bar: about 16 pixels a bar once there are many."""
    return 1280 if bars <= 40 else 640 + 16 * min(bars, MAX_LABELLED_BARS)


def _panel_axis(values):
    """(lo, hi, log) of one axis of a trade-off panel, with a margin around the points."""
    lo, hi = min(values), max(values)
    if hi / lo > LOG_SPAN:
        return lo / 1.6, hi * 1.6, True
    margin = (hi - lo) * 0.15 or hi * 0.1
    return max(lo - margin, 0), hi + margin, False


def _fraction(v, lo, hi, log):
    """Where v lies across an axis: 0 at lo, 1 at hi."""
    return math.log(v / lo) / math.log(hi / lo) if log else (v - lo) / (hi - lo)


def _place_names(points, xaxis, yaxis):
    """allocator -> (y of its name, 1 when the name is right of its point). A name goes on
    the side of its point that faces the panel's middle, on the point's line or a line up
    or down, or else on the other side: the first place where it covers no name placed
    before it and stays inside the panel."""
    boxes, placed = [], {}  # boxes: (left, right, middle line) of the names placed

    def free(box):
        inside = box[0] >= 0 and box[1] <= 1 and 0 <= box[2] <= 1
        return inside and not any(box[0] < other[1] and other[0] < box[1]
                                  and abs(box[2] - other[2]) < NAME_HEIGHT for other in boxes)

    for a, (x, y) in sorted(points.items(), key=lambda item: -item[1][1]):
        u, v, width = _fraction(x, *xaxis), _fraction(y, *yaxis), NAME_CHAR * len(a)
        places = {}  # (right, lines up) -> the name's box there
        for right in (u <= 0.5, u > 0.5):
            left = u + NAME_GAP if right else u - NAME_GAP - width
            for lines in (0, -1, 1):
                places[right, lines] = (left, left + width, v + lines * NAME_HEIGHT)
        right, lines = next((place for place, box in places.items() if free(box)),
                            next(iter(places)))
        boxes.append(places[right, lines])
        lo, hi, log = yaxis
        v += lines * NAME_HEIGHT
        placed[a] = (lo * (hi / lo) ** v if log else lo + v * (hi - lo), int(right))
    return placed


def _tradeoff(model, plot, data):
    panels = [w for w in model.workloads if any(pw == w for _, pw in plot.points)]
    rows, settings = [], {}
    for j, w in enumerate(panels, 1):
        points = {a: xy for (a, pw), xy in plot.points.items() if pw == w}
        # Each point with its bounds (or itself): peak RSS range, ns/op interval.
        boxes = {a: plot.errors.get((a, w), (x, x, y, y)) for a, (x, y) in points.items()}
        xaxis = _panel_axis([v for b in boxes.values() for v in b[:2]])
        yaxis = _panel_axis([v for b in boxes.values() for v in b[2:]])
        settings[f"xaxis{j}"], settings[f"yaxis{j}"] = _axis("x", *xaxis), _axis("y", *yaxis)
        names = _place_names(points, xaxis, yaxis)
        rows += [(model.allocators.index(a) + 1, j, x, y, a, names[a][1], names[a][0],
                  *boxes[a]) for a, (x, y) in points.items()]
        # gnuplot 5.4 crashes on a `with labels` plot that has no point in a
        # multiplot panel: each panel gets an empty name on each side, at one of its
        # points, under allocator 0, which no points plot draws.
        x, y = next(iter(points.values()))
        rows += [(0, j, x, y, "", side, y, x, x, y, y) for side in (0, 1)]
    # One more cell for the legend.
    cols = math.ceil(math.sqrt(len(panels) + 1))
    lines = math.ceil((len(panels) + 1) / cols)
    return "tradeoff", {"data": _write(data / "tradeoff.tsv", rows), "cols": cols, "rows": lines,
                        "width": PANEL_WIDTH * cols, "height": PANEL_HEIGHT * lines + 40,
                        "nw": len(panels), **_names("wl", panels), **settings,
                        **_legend(model, {a for a, _ in plot.points})}


def _series(model, plot, data):
    j = model.workloads.index(plot.workload) + 1
    for a, samples in plot.lines.items():
        _write(data / f"series_{j}_{model.allocators.index(a) + 1}.tsv", samples)
    samples = [s for line in plot.lines.values() for s in line]
    peaks = [max(rss for _, rss, _ in line) for line in plot.lines.values()]
    positive = [v for _, rss, live in samples for v in (rss, live) if v > 0]
    # One allocator holding far more than the others would flatten them all on a linear axis.
    log = min(peaks) > 0 and max(peaks) / min(peaks) > LOG_SPAN and bool(positive)
    ymin = min(positive) / 1.5 if log else min(0.0, min(rss for _, rss, _ in samples) * 1.1)
    xdiv, unit = _ops_unit(max(ops for ops, _, _ in samples))
    return "series", {
        "datadir": str(data), "workload": j,
        "first": model.allocators.index(next(iter(plot.lines))) + 1,
        "xdiv": xdiv, "xlabel": "allocation calls made so far" + unit,
        "ylabel": "RSS (MiB, log scale)" if log else "RSS (MiB)", "ymin": float(ymin),
        "yaxis": _axis("y", ymin, None, log), **_legend(model, set(plot.lines))}


def _ops_unit(top):
    """Calls are shown in thousands or millions once there are a few of them."""
    if top >= 2e6:
        return 1e6, " (millions)"
    if top >= 2e3:
        return 1e3, " (thousands)"
    return 1.0, ""


def _scaling(model, plot, data):
    for a, points in plot.lines.items():
        _write(data / f"{plot.name}_{model.allocators.index(a) + 1}.tsv", points)
    counts = sorted({p[0] for points in plot.lines.values() for p in points})
    return "scaling", {"datadir": str(data), "stem": plot.name,
                       "xtics": "(" + ", ".join(str(t) for t in counts) + ")",
                       "xmax": float(counts[-1]), "yaxis": _axis("y", 0, None, False),
                       **_legend(model, set(plot.lines))}


def _latency(model, plot, data):
    j = model.workloads.index(plot.workload) + 1
    for a, points in plot.lines.items():
        _write(data / f"latency_{j}_{model.allocators.index(a) + 1}.tsv", points)
    xs = [x for line in plot.lines.values() for x, _ in line]
    shares = [y for line in plot.lines.values() for _, y in line]
    # Whole decades around the data, so that the axes read in powers of ten.
    xmax = 10.0 ** math.ceil(math.log10(max(xs) * 1.01)) if xs else 1e4
    ymin = 10.0 ** math.floor(math.log10(min(shares))) if shares else 1e-6
    return "latency", {
        "datadir": str(data), "workload": j, "xmax": xmax, "ymin": ymin,
        "resolution": float(plot.resolution or 0),
        "resolution_title": (f"clock resolution ({plot.resolution:.1f} ns)" if plot.resolution
                             else ""),
        **_legend(model, set(plot.lines))}


WRITERS = {Bars: _bars, Tradeoff: _tradeoff, Series: _series, Scaling: _scaling, Ccdf: _latency}
