"""A firm-sized store (by default 1,000,000 clients, about 3,000,000 fund accounts and 10,000,000 journal
lines, made by `teller demo --clients N`'s generator): how long it takes to make, day-end over it,
client lookups by code, ID number and name, and the counter's peak memory with it open. The store is
deleted afterwards unless --keep."""

from __future__ import annotations

import os
import random
import sqlite3
import time

from bench.report import Figure, Report, at_most, median, p95

SECTION = "big store"


def generate(url: str, clients: int) -> tuple[float, dict]:
    from teller.demo import seed_demo
    from teller.demo.generate import generate as fill
    from teller.store.db import make_engine

    engine = make_engine(url)
    seed_demo(engine)
    last = [0.0]

    def say(step: str, done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 15 or done == total:
            last[0] = time.perf_counter()
            print(f"    {step} {done}/{total}", flush=True)

    made = fill(engine, clients, progress=say)
    engine.dispose()
    return made.seconds, {"clients": made.clients, "accounts": made.accounts, "journal": made.journal,
                          "movements": made.movements}


def counts(path: str) -> dict:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f'SELECT max(rowid) FROM "{t}"').fetchone()[0] or 0
                for t in ("journal", "movement", "fundaccount", "customer")} | {
            "customers": con.execute("SELECT count(*) FROM customer").fetchone()[0],
            "fund_accounts": con.execute("SELECT count(*) FROM fundaccount").fetchone()[0]}
    finally:
        con.close()


def raw_interest_update(path: str) -> float:
    """The floor of day-end: the one UPDATE every fund account needs, in raw SQL, rolled back."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous=FULL")
        con.execute("BEGIN IMMEDIATE")
        t0 = time.perf_counter()
        con.execute("UPDATE fundaccount SET interest_base = interest_base + cash, non_withdrawable_today = 0 "
                    "WHERE status = 'open'")
        took = time.perf_counter() - t0
        con.execute("ROLLBACK")
        return took
    finally:
        con.close()


def day_end(url: str) -> tuple[float, dict, int]:
    from sqlalchemy import func, select

    from teller.services.base import Context
    from teller.services.counter import Counter
    from teller.store.db import make_engine, unit_of_work
    from teller.store.models import Alert

    engine = make_engine(url)
    steps: list[str] = []
    began: list[float] = []

    def say(step: str, done: int, total: int) -> None:
        if not steps or steps[-1] != step:
            steps.append(step)
            began.append(time.perf_counter())

    t0 = time.perf_counter()
    outcome = Counter(engine).run("end_of_day", {}, Context(teller_id="S01", terminal="BENCH", progress=say))
    took = time.perf_counter() - t0
    # Each step's seconds, from its first report to the next step's (the last one's to the commit).
    ends = began[1:] + [t0 + took]
    seconds = {step: round(end - start, 2) for step, start, end in zip(steps, began, ends)}
    if not outcome.ok:
        raise RuntimeError(f"day-end refused: {outcome.rule} {outcome.message}")
    with unit_of_work(engine) as s:
        alerts = s.scalar(select(func.count()).select_from(Alert))
    engine.dispose()
    return took, {"steps": steps, "seconds": seconds}, alerts


def lookups(url: str, clients: int, tries: int) -> dict[str, tuple[list[float], list[float]]]:
    """Each kind of lookup as the counter's F4 list does it (teller.services.reads), and its floor: the
    same index lookup in raw SQL."""
    from teller.services import reads
    from teller.demo.generate import client_code, client_name, id_number
    from teller.store.db import make_engine

    engine = make_engine(url)
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    rng = random.Random(7)
    picks = [rng.randrange(clients) for _ in range(tries)]
    ways = {
        "by client code": (lambda i: reads.find_customers(engine, client_code(i)),
                           lambda i: con.execute("SELECT * FROM customer WHERE code = ?", (client_code(i),)).fetchall()),
        "by ID number": (lambda i: reads.find_customers(engine, id_number(i)),
                         lambda i: con.execute("SELECT * FROM customer WHERE id_no = ?", (id_number(i),)).fetchall()),
        "by name": (lambda i: reads.find_customers(engine, client_name(i)),
                    lambda i: con.execute("SELECT * FROM customer WHERE name >= ? AND name < ? ORDER BY code LIMIT 50",
                                          (client_name(i), client_name(i) + "\U0010ffff")).fetchall()),
        "client panel (accounts, links, banks)": (lambda i: reads.client(engine, client_code(i)),
                                           lambda i: con.execute("SELECT * FROM fundaccount WHERE customer_code = ?",
                                                                 (client_code(i),)).fetchall()),
    }
    out = {}
    for name, (ours, raw) in ways.items():
        for i in picks[:5]:  # warm
            ours(i)
            raw(i)
        mine, floor = [], []
        for i in picks:
            t0 = time.perf_counter()
            found = ours(i)
            mine.append(time.perf_counter() - t0)
            if not found:
                raise RuntimeError(f"lookup {name} found nothing for client {i}")
            t0 = time.perf_counter()
            raw(i)
            floor.append(time.perf_counter() - t0)
        out[name] = (mine, floor)
    con.close()
    engine.dispose()
    return out


def run(report: Report, *, clients: int, folder: str, keep: bool, quick: bool) -> None:
    from bench.startup import sign_on

    path = os.path.join(folder, f"firm-{clients}.db")
    url = f"sqlite:///{path}"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)
    print(f"[{SECTION}] generating {clients:,} clients into {path}", flush=True)
    try:
        took, made = generate(url, clients)
        size = os.path.getsize(path) / 2**30
        n = counts(path)
        report.add(Figure(SECTION, f"generate {n['customers']:,} clients, {n['fund_accounts']:,} fund accounts, "
                                   f"{n['journal']:,} journal lines, {n['movement']:,} movements", took, "s",
                          note=f"{made['journal'] / took:,.0f} lines/s, {size:.1f} GiB", extra=made | n))
        print(f"[{SECTION}] day-end", flush=True)
        floor = raw_interest_update(path)
        took, detail, alerts = day_end(url)
        report.add(Figure(SECTION, f"day-end (9101) over {n['customers']:,} clients", took, "s", floor=floor,
                          floor_name="raw UPDATE of every account", target=at_most(60, "s"),
                          note=f"{alerts} alerts raised; " + ", ".join(f"{k} {v:.1f} s" for k, v in detail["seconds"].items()),
                          extra=detail))
        print(f"[{SECTION}] lookups", flush=True)
        ms = 1000
        for name, (mine, floor_times) in lookups(url, clients, 50 if quick else 200).items():
            report.add(Figure(SECTION, f"client lookup {name}, median", median(mine) * ms, "ms",
                              floor=median(floor_times) * ms, floor_name="raw indexed SELECT",
                              target=None if "panel" in name else at_most(2, "ms"),
                              note="five reads: not a lookup" if "panel" in name else ""))
            report.add(Figure(SECTION, f"client lookup {name}, p95", p95(mine) * ms, "ms",
                              floor=p95(floor_times) * ms, floor_name="raw indexed SELECT"))
        print(f"[{SECTION}] the counter's memory with the store open", flush=True)
        _menu, rss = sign_on("teller", url, who="T01", password="t01pass")
        _menu, bare_rss = sign_on("bare", who="x", password="x")
        report.add(Figure(SECTION, "counter peak memory, store open, signed on", rss / 1024, "MiB", floor=bare_rss / 1024,
                          floor_name="bare Textual app"))
    finally:
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.unlink(path + suffix)
        else:
            print(f"[{SECTION}] kept {path}", flush=True)


if __name__ == "__main__":
    import sys
    import tempfile

    r = Report()
    with tempfile.TemporaryDirectory() as d:
        run(r, clients=int(sys.argv[1]) if len(sys.argv) > 1 else 20_000, folder=d, keep=False, quick=True)
    print(r.table())
