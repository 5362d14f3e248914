"""Day-end under load (issue 11, hole 4): ten processes loop short counter functions (one transaction
each) on one store while a supervisor runs day-end (9101); the figure is how long day-end takes to be
done, beside its floor (the next day-end on the same store with nobody working) and the 30 s target.
On SQLite (a file) and, with a server, on PostgreSQL (a fresh schema)."""

from __future__ import annotations

import multiprocessing
import os
import random
import time
import uuid
from concurrent.futures import ProcessPoolExecutor

from bench.pg import fresh_schema
from bench.report import Figure, Report, at_most

SECTION = "dayend"
TERMINALS, BOUND = 10, 30.0
CLIENTS = ("880001", "880002", "880003")
IDS = ("11010519491231002X", "110101199003074477", "310101198501010014")


def _branch() -> str:
    text = 'date = "2026-11-23"\nauto_documents = true\n'
    for code, id_no in zip(CLIENTS, IDS):
        text += f'\n[[customers]]\ncode = "{code}"\nname = "客户{code}"\nid_no = "{id_no}"\n'
        for no, bank, role in ((f"{code}001", "工商银行", "main"), (f"{code}00101", "建设银行", "aux")):
            text += (f'\n[[accounts]]\nno = "{no}"\ncustomer = "{code}"\nbank = "{bank}"\nrole = "{role}"\n'
                     f'cash = "3000.00"\nbank_balance = "20000.00"\n')
    return text


def loop(url: str, seed: int, stop: str) -> int:
    """One terminal: short functions one after another until STOP exists; returns how many."""
    from teller.services.base import Context
    from teller.services.counter import Counter
    from teller.store.db import make_engine

    engine = make_engine(url)
    counter, rnd, n = Counter(engine), random.Random(seed), 0
    ctx = Context(teller_id="T00", terminal=f"B{seed:02d}", documents=None)
    end = time.monotonic() + 300
    while not os.path.exists(stop) and time.monotonic() < end:
        code = rnd.choice(CLIENTS)
        amount = f"{rnd.randint(1, 500)}.00"
        if rnd.random() < 0.5:
            counter.run("ledger_transfer", {"from": f"{code}001", "to": f"{code}00101", "amount": amount}, ctx)
        else:
            counter.run("query", {"account": f"{code}001"}, ctx)
        n += 1
    engine.dispose()
    return n


def measure(url: str, folder: str) -> tuple[float, float, int]:
    """(day-end seconds under load, day-end seconds idle, calls the terminals made)."""
    from sqlalchemy import text

    from teller.scenario import parse_scenario
    from teller.services.base import Context
    from teller.services.counter import Counter
    from teller.services.setup import seed
    from teller.store.db import make_engine, unit_of_work

    engine = make_engine(url)
    seed(engine, parse_scenario(_branch()).state)
    stop = os.path.join(folder, f"stop-{uuid.uuid4().hex}")
    counter = Counter(engine)
    with ProcessPoolExecutor(TERMINALS, mp_context=multiprocessing.get_context("spawn")) as pool:
        runs = [pool.submit(loop, url, i, stop) for i in range(TERMINALS)]
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with unit_of_work(engine) as s:
                    busy = s.exec(text("SELECT count(DISTINCT terminal) FROM journal WHERE terminal LIKE 'B%'")).one()[0]
                if busy == TERMINALS:
                    break
                time.sleep(0.2)
            time.sleep(1.0)
            t0 = time.perf_counter()
            o = counter.run("end_of_day", {}, Context(teller_id="S00"))
            loaded = time.perf_counter() - t0
        finally:
            open(stop, "w").close()
        calls = sum(r.result() for r in runs)
    if not o.ok:
        raise RuntimeError(f"day-end refused under load: {o.rule} {o.message}")
    t0 = time.perf_counter()
    o = counter.run("end_of_day", {}, Context(teller_id="S00"))
    idle = time.perf_counter() - t0
    if not o.ok:
        raise RuntimeError(f"day-end refused: {o.rule} {o.message}")
    engine.dispose()
    os.unlink(stop)
    return loaded, idle, calls


def run(rep: Report, *, quick: bool = False, pg_url: str | None = None, folder: str) -> None:
    stores = [("SQLite", f"sqlite:///{os.path.join(folder, 'dayend-load.db')}")]
    if pg_url:
        stores.append(("PostgreSQL", fresh_schema(pg_url, "bench_dayend")))
    else:
        print("dayend: no PostgreSQL server, its figure skipped", flush=True)
    for name, url in stores:
        loaded, idle, calls = measure(url, folder)
        rep.add(Figure(SECTION, f"day-end (9101) behind {TERMINALS} looping terminals, {name}", loaded, "s",
                       floor=idle, floor_name="the same day-end with nobody working", target=at_most(BOUND, "s"),
                       note=f"{calls} calls by the terminals", extra={"calls": calls}))
