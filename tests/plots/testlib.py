"""What the Python tests of plots/ share: the repository root (argv[1]) with plots/ on the
import path, and check/finish, which count failures and end the run the way the shell
tests do ("all passed", or "N failed" and exit 1)."""
import sys
from pathlib import Path

sys.dont_write_bytecode = True
ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
sys.path.insert(0, str(ROOT / "plots"))

_failures = 0


def check(what, ok, detail=""):
    global _failures
    if ok:
        print(f"ok: {what}")
    else:
        _failures += 1
        print(f"FAIL: {what}{': ' + detail if detail else ''}", file=sys.stderr)


def finish():
    if _failures:
        print(f"{_failures} failed", file=sys.stderr)
        sys.exit(1)
    print("all passed")
