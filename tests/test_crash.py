"""Durability (issue 6): a terminal killed with SIGKILL in the middle of a function, again and again
at random moments, leaves the store consistent every time: each account equals its movements
replayed, a transfer out is frozen exactly while its bank request is open, the bank side equals
the bank's ledger, and the journal's hash chains verify. Day-end then settles what the kills left
open against the banks' statements, and both sides agree to the fen."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import workload
from ledgercheck import check_books, snapshot

from teller.scenario import parse_scenario
from teller.services.audit import verify
from teller.services.base import Context
from teller.services.counter import Counter
from teller.services.setup import seed
from teller.store.db import make_engine

KILLS = 10
HERE = Path(__file__).resolve().parent


def test_sigkill_mid_function_leaves_the_store_consistent(file_db):
    engine = make_engine(file_db)
    seed(engine, parse_scenario(workload.branch()).state)
    start = snapshot(engine)
    rnd = random.Random(6)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    for n in range(KILLS):
        worker = subprocess.Popen(
            [sys.executable, "-c", f"import workload; workload.forever({file_db!r}, {n})"],
            stdout=subprocess.PIPE, text=True, env=env, cwd=HERE,
        )
        for _done in range(rnd.randint(1, 6)):  # let it finish a few functions, so it is mid-way in the next
            assert worker.stdout.readline() == "done\n", "the worker died on its own"
        # The pause only spreads the kill over the phases of a function (its request, the bank's
        # transaction, the answer); nothing waits on it.
        time.sleep(rnd.uniform(0, 0.08))
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        assert worker.returncode == -signal.SIGKILL
        check_books(engine, start)
        report = verify(engine)
        assert report.ok, report.breaks
    assert Counter(engine).run("end_of_day", {}, Context()).ok
    check_books(engine, start, settled=True)
    engine.dispose()
