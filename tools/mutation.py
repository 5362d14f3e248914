"""Mutation check: take a rule out of teller/domain and the tests must fail (issue 11, hole 9).

    python tools/mutation.py                 # every mutant below, against the test files of its rule
    python tools/mutation.py t_plus_1        # one of them
    python tools/mutation.py --suite         # against the whole fast suite instead (slower)
    python tools/mutation.py --tests tests/test_stateful.py t_plus_1   # against some test files

Each mutant is one textual change to a rule in a copy of the tree (the working tree is never
touched): the copy's tests run with the copy first on the path, and the mutant is "killed" when they
fail. First the same tests run on an unchanged copy, which must pass (otherwise a "kill" would mean
nothing: exit 2). Hypothesis runs with the `mutation` profile (tests/conftest.py): the same
derandomized examples, no shrinking of a failure, which alone took five minutes a mutant. The
report names every test that failed, so a kill shows which tests hold the rule. Exit 0 when every
mutant was killed, 1 naming the survivors (a rule no test notices is gone).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The test files that exercise the money rules below (each of them mentions the rule or its code):
# the default set a mutant is run against. The screens' tests (slow) are left to --suite.
RULE_TESTS = ["tests/test_stateful.py", "tests/test_rules.py", "tests/test_functions.py", "tests/test_rule_codes.py",
              "tests/test_exam_facts.py", "tests/test_drills.py", "tests/test_books.py"]

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

_FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.M)


def _copy(tmp: str) -> Path:
    copy = Path(tmp) / "tree"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info",
                                                              ".hypothesis", ".pytest_cache"))
    return copy


def _pytest(copy: Path, tests: list[str]) -> tuple[int, str, list[str], float]:
    """Run `tests` in the copy: (return code, pytest's last line, the tests that failed, seconds)."""
    env = {**os.environ, "PYTHONPATH": str(copy) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    where = subprocess.run([sys.executable, "-c", "import teller.domain.rules as r; print(r.__file__)"],
                           cwd=copy, env=env, capture_output=True, text=True, check=True).stdout.strip()
    if not Path(where).resolve().is_relative_to(copy.resolve()):  # the rule must come from the copy
        raise SystemExit(f"the copy's tests import {where}, not the copy: the check would mean nothing")
    cmd = [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", "-m", "not slow",
           "--hypothesis-profile=mutation", *tests]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=copy, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    last = (done.stdout.strip().splitlines() or [""])[-1].strip("= ")
    return done.returncode, last, sorted(set(_FAILED.findall(done.stdout))), seconds


def baseline(tests: list[str]) -> bool:
    with tempfile.TemporaryDirectory(prefix="teller-mutant-") as tmp:
        code, last, failed, seconds = _pytest(_copy(tmp), tests)
    print(f"unchanged tree: {'passes' if code == 0 else 'FAILS'} ({last}) in {seconds:.0f} s", flush=True)
    for name in failed:
        print(f"    {name}")
    return code == 0


def run(name: str, tests: list[str]) -> bool:
    """True when the tests fail with the mutant in place (killed)."""
    path, rule, without = MUTANTS[name]
    text = (ROOT / path).read_text(encoding="utf-8")
    if text.count(rule) != 1:
        raise SystemExit(f"{name}: the rule's text is not found once in {path}; update tools/mutation.py")
    with tempfile.TemporaryDirectory(prefix="teller-mutant-") as tmp:
        copy = _copy(tmp)
        (copy / path).write_text(text.replace(rule, without), encoding="utf-8")
        code, last, failed, seconds = _pytest(copy, tests)
    killed = code != 0
    print(f"{name}: {'killed' if killed else 'SURVIVED'} ({last}) in {seconds:.0f} s"
          + (f", by {len(failed)} test(s):" if failed else ""), flush=True)
    for test in failed:
        print(f"    {test}")
    return killed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mutants", nargs="*", help=" ".join(MUTANTS))
    ap.add_argument("--tests", action="append", default=[], help="test files to run (default: the rules' test files)")
    ap.add_argument("--suite", action="store_true", help="run the whole fast suite")
    args = ap.parse_args(argv)
    names = args.mutants or list(MUTANTS)
    unknown = [n for n in names if n not in MUTANTS]
    if unknown:
        ap.error(f"unknown mutant(s): {', '.join(unknown)}")
    tests = ["tests"] if args.suite else args.tests or RULE_TESTS
    t0 = time.perf_counter()
    if not baseline(tests):
        print("the unchanged tree fails these tests: fix that first")
        return 2
    survivors = [n for n in names if not run(n, tests)]
    print(f"{len(names) - len(survivors)} of {len(names)} mutants killed in {time.perf_counter() - t0:.0f} s")
    if survivors:
        print(f"survived: {', '.join(survivors)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
