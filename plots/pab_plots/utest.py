"""Whether B's times differ from A's, pair by pair: Google Benchmark's own compare.py (a
two-sided Mann-Whitney U test through scipy, as Debian's libbenchmark-tools ships it) over
the repetitions' times in each run's gbench/<stem>.json. Its statistics
are tested upstream, and anyone can rerun it by hand on the same files. Only this module
knows how the test is made: u_tests and verdict are all that compare uses."""
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

COMPARE_PY = os.environ.get("PAB_COMPARE_PY", "/usr/share/benchmark/compare.py")
# Debian's python3, which has python3-scipy; a python3 earlier in PATH may not.
PYTHON = os.environ.get("PAB_COMPARE_PYTHON", "/usr/bin/python3")


class Unavailable(Exception):
    """No pair can be tested: why."""


@dataclass
class UTest:
    pvalue: float  # two-sided, of the real times
    n_a: int  # repetitions in A
    n_b: int


def u_tests(folder_a, folder_b, pairs, alpha):
    """(allocator, workload) -> its UTest; None when compare.py made none (too few
    repetitions); or why the pair could not be given to it. Every pair goes through one
    compare.py run, since starting Python and scipy costs about half a second."""
    results, benchmarks = {}, {}
    for pair in pairs:
        files = [Path(folder, "gbench", f"{_key(pair)}.json") for folder in (folder_a, folder_b)]
        try:
            benchmarks[pair] = [_benchmarks(f, _key(pair)) for f in files]
        except FileNotFoundError:
            results[pair] = "no gbench JSON for it in both runs"
        except ValueError as e:
            results[pair] = str(e)
    if benchmarks:
        found = _compare(benchmarks, alpha)
        results.update((pair, found.get(_key(pair))) for pair in benchmarks)
    return results


def _key(pair):
    """The pair's file stem (harness/contract.h): a workload's '/' is written '.'. It keys the
    pair in the merged files too, where a '/' would end it early."""
    return f"{pair[0]}__{pair[1].replace('/', '.')}"


def _benchmarks(path, key):
    """The benchmark objects of one gbench JSON, renamed "<key>/<name>" so that the pairs
    stay apart in the merged files. ValueError when there are none."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{path} is not JSON") from e
    found = doc.get("benchmarks") if isinstance(doc, dict) else None
    found = [b for b in found if isinstance(b, dict)] if isinstance(found, list) else []
    if not found:
        raise ValueError(f"{path} holds no benchmark")
    return [{**b, **{k: f"{key}/{b[k]}" for k in ("name", "run_name") if k in b}} for b in found]


def _compare(benchmarks, alpha):
    """Runs compare.py once on the merged benchmarks: key -> UTest."""
    _check_tool()
    with tempfile.TemporaryDirectory() as tmp:
        files = [Path(tmp, name) for name in ("a.json", "b.json", "diff.json")]
        for side in (0, 1):
            merged = [b for sides in benchmarks.values() for b in sides[side]]
            files[side].write_text(json.dumps({"benchmarks": merged}), encoding="utf-8")
        command = [PYTHON, COMPARE_PY, "--no-color", f"--alpha={alpha}", "--dump_to_json",
                   str(files[2]), "benchmarks", str(files[0]), str(files[1])]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            said = (done.stdout + done.stderr).strip().splitlines()
            raise Unavailable(f"compare.py failed: {said[-1] if said else done.returncode}")
        diff = json.loads(files[2].read_text(encoding="utf-8"))
    found = {}
    for entry in diff:
        u = entry.get("utest")
        if u:
            test = UTest(u["time_pvalue"], u["nr_of_repetitions"], u["nr_of_repetitions_other"])
            found.setdefault(entry["name"].split("/", 1)[0], test)
    return found


def _check_tool():
    if not Path(COMPARE_PY).is_file():
        raise Unavailable(f"{COMPARE_PY} not found (Debian package libbenchmark-tools)")
    try:
        scipy = subprocess.run([PYTHON, "-c", "import scipy"], capture_output=True).returncode == 0
    except OSError:
        scipy = False
    if not scipy:
        raise Unavailable(f"{PYTHON} cannot import scipy (Debian package python3-scipy)")


def min_pvalue(n_a, n_b):
    """The smallest p-value a two-sided exact U test can reach with n_a and n_b samples:
    2 / C(n_a + n_b, n_a). When even that is above alpha, no outcome could be significant."""
    c = 1.0
    for k in range(1, n_a + 1):
        c = c * (n_b + k) / k
    return 2 / c


def verdict(test, faster, repetitions, alpha):
    """The verdict on one pair. test: what u_tests gave it; faster: B's median is below A's;
    repetitions: the two runs' counts as text, for when compare.py made no test."""
    if isinstance(test, str):
        return f"no U test: {test}"
    if test is None:
        return f"too few repetitions to tell ({repetitions[0]} vs {repetitions[1]})"
    floor = min_pvalue(test.n_a, test.n_b)
    if floor >= alpha:
        return (f"too few repetitions to tell ({test.n_a} vs {test.n_b}: p cannot go below "
                f"{floor:.3g})")
    if test.pvalue < alpha:
        return f"{'faster' if faster else 'slower'} ({_p(test.pvalue)})"
    return f"no significant difference ({_p(test.pvalue)})"


def _p(p):
    if p < 0.0001:
        return "p<0.0001"
    return f"p={p:.2f}" if p >= 0.01 else f"p={p:.2g}"
