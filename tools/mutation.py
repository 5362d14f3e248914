"""Mutation check: take a rule out of teller/domain and the tests must fail (issue 11, hole 9).

    python tools/mutation.py            # every mutant below, against the fast suite
    python tools/mutation.py t_plus_1   # one of them
    python tools/mutation.py --tests tests/test_stateful.py t_plus_1   # against some test files

Each mutant is one textual change to a rule in a copy of the tree (the working tree is never
touched): the copy's tests run with the copy first on the path, and the mutant is "killed" when they
fail. Exit 0 when every mutant was killed, 1 naming the survivors (a rule no test notices is gone).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name -> (file, the rule's text, the text without the rule)
MUTANTS = {
    # T+1 (S05, S06): money arrived by a main<->aux transfer today may not leave until tomorrow.
    "t_plus_1": ("teller/domain/rules.py",
                 "    dst.cash += amount\n    dst.non_withdrawable_today += amount\n",
                 "    dst.cash += amount\n"),
    # Withdrawable money is what is available less today's arrivals.
    "withdrawable": ("teller/domain/rules.py",
                     "    return max(0, available(a) - a.non_withdrawable_today)\n",
                     "    return max(0, available(a))\n"),
}


def run(name: str, tests: list[str]) -> bool:
    """True when the tests fail with the mutant in place (killed)."""
    path, rule, without = MUTANTS[name]
    text = (ROOT / path).read_text(encoding="utf-8")
    if text.count(rule) != 1:
        raise SystemExit(f"{name}: the rule's text is not found once in {path}; update tools/mutation.py")
    with tempfile.TemporaryDirectory(prefix="teller-mutant-") as tmp:
        copy = Path(tmp) / "tree"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info"))
        (copy / path).write_text(text.replace(rule, without), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(copy) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-m", "not slow", *tests]
        done = subprocess.run(cmd, cwd=copy, env=env, capture_output=True, text=True)
    last = (done.stdout.strip().splitlines() or [""])[-1]
    killed = done.returncode != 0
    print(f"{name}: {'killed' if killed else 'SURVIVED'} ({last})", flush=True)
    return killed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mutants", nargs="*", help=" ".join(MUTANTS))
    ap.add_argument("--tests", action="append", default=[], help="test files to run (default: the fast suite)")
    args = ap.parse_args(argv)
    names = args.mutants or list(MUTANTS)
    unknown = [n for n in names if n not in MUTANTS]
    if unknown:
        ap.error(f"unknown mutant(s): {', '.join(unknown)}")
    survivors = [n for n in names if not run(n, args.tests or ["tests"])]
    if survivors:
        print(f"survived: {', '.join(survivors)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
