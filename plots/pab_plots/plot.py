"""plots/plot [--baseline=NAME] [RESULTS_DIR]: redraws every plot of a results folder into
RESULTS_DIR/plots/ (PNG and SVG) and writes RESULTS_DIR/REPORT.md, from the folder's files
alone. Both are built in a temporary folder inside RESULTS_DIR and renamed into place at
the end, so a failed run leaves the previous plots and report untouched."""
import shutil
import sys
import tempfile
from pathlib import Path

from . import advice, gnuplot, report
from .cli import ArgumentParser, BadInput, Failure
from .model import build
from .palette import Palette
from .results import (Stats, read_latency, read_metadata, read_run, read_samples, read_series,
                      read_stats)

LATEST = Path(__file__).resolve().parents[2] / "results" / "latest"


def _arguments(argv):
    parser = ArgumentParser(prog="plots/plot", allow_abbrev=False,
                            description="Redraws RESULTS_DIR/plots/ and RESULTS_DIR/REPORT.md "
                            "(default RESULTS_DIR: results/latest).")
    parser.add_argument("--baseline", default="pymalloc", metavar="NAME",
                        help="allocator the throughput (a real program's wall time) is relative "
                        "to (default: pymalloc)")
    parser.add_argument("folders", nargs="*", metavar="RESULTS_DIR")
    args = parser.parse_args(argv)
    if len(args.folders) > 1:
        raise BadInput(f"one results folder at a time (got {' and '.join(args.folders)})")
    if not args.baseline:
        raise BadInput("--baseline wants an allocator name")
    return args.baseline, args.folders[0] if args.folders else str(LATEST)


def main(argv):
    baseline, folder = _arguments(argv)
    run = read_run(folder)
    if shutil.which("gnuplot") is None:
        raise BadInput("gnuplot is not installed (Debian package gnuplot-nox)")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".plot.", dir=run.folder))
    except OSError as e:
        raise BadInput(f"cannot write in {folder}") from e
    try:
        model = model_of(run, baseline)
        (tmp / "plots").mkdir()
        gnuplot.draw(model, tmp)
        (tmp / "REPORT.md").write_text(report.write(model), encoding="utf-8")
        for line in model.skipped():
            print(f"plot: skipped: {line}", file=sys.stderr)
        _install(tmp, run.folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"plot: {len(model.plots)} plots and REPORT.md written in {folder}")


def model_of(run, baseline):
    """The run as plotted: its other files read (notes in run.notes) and the model built."""
    notes = run.notes
    # A real program's run has no series, allocator statistics or latency to read.
    series, stats, latency = ((None, Stats(), None) if run.real else
                              (read_series(run, notes), read_stats(run, notes),
                               read_latency(run, notes)))
    programs = {} if run.real else advice.read_programs(run.folder, notes)
    return build(run, Palette(), baseline, series, stats, read_metadata(run, notes),
                 read_samples(run, notes), latency, programs)


def _install(tmp, folder):
    """Renames the new plots and report into place; the old plots go with tmp."""
    try:
        if (folder / "plots").exists():
            (folder / "plots").rename(tmp / "old-plots")
        (tmp / "plots").rename(folder / "plots")
        (tmp / "REPORT.md").rename(folder / "REPORT.md")
    except OSError as e:
        raise Failure(f"could not move the new plots into {folder}: {e.strerror}") from e
