"""Many terminals on one store (issue 6): 8 workers x 200 random functions against the same three
clients, on an SQLite file and on PostgreSQL. Afterwards every account equals its movements
replayed, no money went negative at any point, and the money total equals what came in from the
banks minus what went out (and what was spent). Then: day-end and functions never overlap."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter as Tally
from concurrent.futures import ProcessPoolExecutor

import pytest
import workload
from sqlalchemy import text
from ledgercheck import check_books, check_running, snapshot

from teller.scenario import parse_scenario
from teller.services import concurrency
from teller.services.base import Context
from teller.services.counter import Counter
from teller.services.setup import seed
from teller.store import db
from teller.store.db import make_engine, unit_of_work

WORKERS, CALLS = 8, 200


def branch_store(url: str):
    engine = make_engine(url)
    seed(engine, parse_scenario(workload.branch()).state)
    return engine


def test_eight_terminals_on_the_same_clients_behave_as_if_one_after_the_other(file_db):
    engine = branch_store(file_db)
    start = snapshot(engine)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(WORKERS, mp_context=spawn) as pool:
        runs = list(pool.map(workload.work, [file_db] * WORKERS, range(WORKERS), [CALLS] * WORKERS))
    seen = sum(runs, Tally())
    assert sum(seen.values()) == WORKERS * CALLS
    # Contention must have produced both outcomes for each kind of function.
    for op in ("ledger_transfer", "bank_transfer", "order"):
        assert seen[f"{op}:ok"] > 0 and any(k.startswith(op) and not k.endswith(":ok") for k in seen), seen
    assert not [k for k in seen if k.endswith(":FORBIDDEN") or k.endswith(":None")], seen
    totals = check_books(engine, start, settled=True)
    assert totals["bank_in"] > 0 and totals["bank_out"] > 0
    check_running(engine, start)
    engine.dispose()


LOOPING, DAY_END_BOUND = 10, 30.0


def test_day_end_finishes_in_bounded_time_behind_ten_looping_terminals(file_db, tmp_path):
    """Issue 11, hole 4: ten processes loop short functions (one transaction each, a stream, not one
    long transaction); day-end, started in the middle of it, is done within 30 s and is not refused;
    the terminals keep working before and after it, and the books balance."""
    import os
    import time

    engine = branch_store(file_db)
    start = snapshot(engine)
    stop = str(tmp_path / "stop")
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(LOOPING, mp_context=spawn) as pool:
        runs = [pool.submit(workload.until, file_db, 100 + i, stop) for i in range(LOOPING)]
        counter = Counter(engine)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # every terminal has started working
                with unit_of_work(engine) as s:
                    terminals = {t for (t,) in s.exec(text("SELECT DISTINCT terminal FROM journal")).all()}
                if len({t for t in terminals if t.startswith("L")}) == LOOPING:
                    break
                time.sleep(0.2)
            time.sleep(1.0)
            open(stop + ".dayend", "w").close()
            t0 = time.perf_counter()
            o = counter.run("end_of_day", {}, Context(teller_id="S00"))
            took = time.perf_counter() - t0
            os.unlink(stop + ".dayend")
            time.sleep(1.0)  # the terminals go on on the new day
        finally:
            open(stop, "w").close()
        seen = sum((r.result() for r in runs), Tally())
    print(f"day-end behind {LOOPING} looping terminals on {engine.dialect.name}: {took:.2f} s; "
          f"{sum(v for k, v in seen.items() if k != 'during')} calls, {seen['during']} while it ran")
    assert o.ok, o.message
    assert took <= DAY_END_BOUND, took
    assert sum(v for k, v in seen.items() if k.endswith(":ok")) > LOOPING * 5, seen
    with unit_of_work(engine) as s:
        assert s.exec(text("SELECT value FROM setting WHERE key = 'business_date'")).one()[0] == "2026-11-24"
        after = s.exec(text("SELECT count(*) FROM journal WHERE business_date = '2026-11-24'")).one()[0]
    assert after > 0  # functions ran on the new day
    check_books(engine, start)
    engine.dispose()


def _hold_gate(url: str, *, exclusive: bool, held: threading.Event, release: threading.Event) -> None:
    engine = make_engine(url)
    with unit_of_work(engine) as s:
        concurrency.hold_day(s, exclusive=exclusive)
        held.set()
        release.wait(30)
    engine.dispose()


@pytest.mark.parametrize("exclusive", [False, True], ids=["function-in-flight", "day-end-running"])
def test_day_end_and_functions_never_overlap(pg_url, monkeypatch, exclusive):
    branch_store(pg_url).dispose()
    monkeypatch.setattr(db, "LOCK_WAIT_SECONDS", 1)
    engine = make_engine(pg_url)
    counter = Counter(engine)
    held, release = threading.Event(), threading.Event()
    t = threading.Thread(target=_hold_gate, args=(pg_url,), kwargs=dict(exclusive=exclusive, held=held, release=release))
    t.start()
    assert held.wait(10)
    try:
        if exclusive:  # day-end holds the day: a function waits, then is refused saying why
            o = counter.run("query", {"account": "880001001"}, Context())
            assert o.rule == "FORBIDDEN" and "日终" in o.message
        else:  # a function is in flight: day-end does not start
            o = counter.run("end_of_day", {}, Context())
            assert o.rule == "FORBIDDEN" and "日终暂不能开始" in o.message
    finally:
        release.set()
        t.join()
    assert counter.run("end_of_day", {}, Context()).ok
    engine.dispose()


def test_two_supervisors_approving_one_request_at_once_apply_it_once(file_db):
    from conftest import BASE

    from teller.runner import open_store_for

    text = BASE + '\n[[accounts]]\nno = "880001001"\ncustomer = "880001"\nbank = "工商银行"\nrole = "main"\n' \
                  '\n[[tellers]]\nid = "S01"\nrole = "supervisor"\n' \
                  '\n[[bank_faults]]\nbank = "工商银行"\nfault = "timeout"\n'
    counter = open_store_for(parse_scenario(text), file_db)
    rid = counter.run("bank_transfer", {"account": "880001001", "direction": "in", "amount": "50.00"}, Context()).data["request"]
    review = counter.run("settle_bank_request", {"request": rid, "result": "success"}, Context()).data["review_id"]
    start = threading.Barrier(2)
    outcomes = []

    def approve(who: str) -> None:
        c = Counter(make_engine(file_db))
        start.wait()
        outcomes.append(c.run("review", {"approve": review}, Context(teller_id=who)))
        c.engine.dispose()

    threads = [threading.Thread(target=approve, args=(who,)) for who in ("S00", "S01")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.ok for o in outcomes) == [False, True]
    o = counter.run("query", {"account": "880001001"}, Context())
    assert o.data["cash"] == "50.00"
    counter.engine.dispose()
