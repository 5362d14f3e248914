"""Key latency while another terminal holds the client's lock (issue 10 item 9, "Never frozen"): a
second process opens a transaction on client 880002 (its row FOR UPDATE; on SQLite every writing
transaction holds the file, BEGIN IMMEDIATE) and keeps it for 5 s, while the counter types a 3203 for
that client at a fast typist's pace: each key, sent as the terminal driver sends it, to the first
frame painted with its effect (the character in the field, or the cursor on the next field after
Enter, whose preview then waits on the lock in a worker). p95 beside the same keys typed with nobody
holding the lock, and the 35 ms target; on SQLite, and on PostgreSQL when a server is there
(TELLER_BENCH_PG, TELLER_TEST_DB or a throwaway cluster, as the other sections)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
import uuid

from bench.keys import PACE, Painter, press
from bench.pg import fresh_schema
from bench.report import Figure, Report, at_most, median, p95

SECTION = "key latency"
HOLD = 5.0  # seconds the other process holds the client
CUSTOMER = "880002"
# one 3203 for 880002, field by field: what the teller types while the other terminal holds the client
FIELDS = ("88000200101", "880002001", "100")


def hold(url: str, customer: str, seconds: float) -> None:
    """The other terminal: one transaction on the client, kept open for `seconds`, then rolled back.
    Prints `held` once the lock is taken."""
    from sqlalchemy import text

    from teller.store.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        with conn.begin():  # BEGIN IMMEDIATE on SQLite (teller.store.db)
            lock = "" if engine.dialect.name == "sqlite" else " FOR UPDATE"
            row = conn.execute(text(f"SELECT code FROM customer WHERE code = :c{lock}"), {"c": customer}).first()
            assert row is not None, customer
            print("held", flush=True)
            time.sleep(seconds)
            conn.rollback()
    print("released", flush=True)
    engine.dispose()


class Holder:
    """`python -m bench.keylatency hold URL CUSTOMER SECONDS` in a process of its own; `released` is
    when it said it let the client go."""

    def __init__(self, url: str, seconds: float = HOLD) -> None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.keylatency", "hold", url, CUSTOMER, str(seconds)],
                                     stdout=subprocess.PIPE, text=True, cwd=root)
        self.held, self.released = threading.Event(), None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if line.strip() == "held":
                self.held.set()
            elif line.strip() == "released":
                self.released = time.perf_counter()
        self.released = self.released or time.perf_counter()
        self.held.set()

    def wait_held(self) -> None:
        self.held.wait(60)
        if self.released is not None:
            raise RuntimeError(f"the lock holder did not take the lock ({self.proc.wait(30)})")

    def close(self) -> None:
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def _type_form(app, painter: Painter, lat: list[tuple[str, float, float]]) -> None:  # noqa: ANN001
    """The 3203's fields, each typed and Entered, at PACE; then F12 clears the form. Each key as
    (kind, seconds to its frame, when it was pressed)."""
    from teller.screens.widgets import FieldInput

    async def key(kind: str, condition, action) -> None:  # noqa: ANN001
        at = time.perf_counter()
        lat.append((kind, await painter.until(condition, action), at))
        await asyncio.sleep(PACE)

    view = app.screen.view
    for value in FIELDS:
        box = app.focused
        assert isinstance(box, FieldInput), box
        for ch in value:
            await key("character", lambda b=box.value, x=box: x.value != b, lambda c=ch: press(app, c, c))
        await key("Enter", lambda b=box: app.focused is not b, lambda: press(app, "enter"))
    first = view.input_of("from")
    await key("F12", lambda: app.focused is first and not first.value, lambda: press(app, "f12"))


def _in_flight(app) -> list:  # noqa: ANN001
    """The store calls the screens started (storecall.py's workers), not any other worker."""
    from textual.worker import WorkerState

    return [w for w in app.workers if w.group.startswith("store-") and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]


def _store_calls(app) -> int:  # noqa: ANN001
    return len(_in_flight(app))


async def _calls_back(app) -> None:  # noqa: ANN001
    calls = _in_flight(app)
    if calls:  # wait_for_complete([]) would wait for every worker, the type-ahead pump's too, which never ends
        await app.workers.wait_for_complete(calls)


async def measure(url: str, rounds: int, seconds: float = HOLD) -> tuple[list[tuple], list[tuple], int]:
    """((key, latency, pressed at) for the keys pressed while another process held the client for
    `seconds`, the same with nobody holding it, the most store calls seen in flight at once while it
    was held)."""
    from datetime import datetime

    from teller.screens.app import SignedOn, TellerApp, preload_counter
    from teller.screens.widgets import FieldInput
    from teller.store.db import make_engine

    preload_counter()
    engine = make_engine(url)
    app = TellerApp(engine=engine, signed_on=SignedOn("T01", "柜员甲", "teller", "T-01"), now=datetime(2026, 11, 23, 10))
    held, free, waiting = [], [], 0
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        painter = Painter(app)
        screen = app.screen

        def open_3203() -> None:
            screen.query_one("#code").value = "3203"
            press(app, "enter")

        await painter.until(lambda: screen.view is not None and isinstance(app.focused, FieldInput), open_3203)
        await pilot.pause(0.3)
        for _r in range(rounds):
            await _type_form(app, painter, free)  # nobody holds the client
            await _calls_back(app)
            await pilot.pause(0.2)
            holder = Holder(url, seconds)
            await asyncio.get_running_loop().run_in_executor(None, holder.wait_held)
            keys: list[tuple[str, float, float]] = []
            while holder.released is None:  # whole forms while the lock is held; keys pressed after it count for nothing
                task = asyncio.ensure_future(_type_form(app, painter, keys))
                while not task.done():
                    if holder.released is None:
                        waiting = max(waiting, _store_calls(app))
                    await asyncio.sleep(0.01)
                await task
            released = holder.released
            held += [k for k in keys if k[2] < released]
            await asyncio.get_running_loop().run_in_executor(None, holder.close)
            await _calls_back(app)
            await pilot.pause(0.2)
    engine.dispose()
    return held, free, waiting


def _pg_store(pg_url: str) -> str:
    """The demo branch in a fresh schema on the server, named in the URL's search_path."""
    from teller.demo import seed_demo
    from teller.store.db import make_engine

    url = fresh_schema(pg_url, "bench_keylatency")
    engine = make_engine(url)
    seed_demo(engine)
    engine.dispose()
    return url


def _sqlite_store(folder: str) -> str:
    from teller.demo import seed_demo
    from teller.store.db import make_engine

    path = os.path.join(folder, f"keylatency-{uuid.uuid4().hex[:6]}.db")
    engine = make_engine(f"sqlite:///{path}")
    seed_demo(engine)
    engine.dispose()
    return f"sqlite:///{path}"


def run(report: Report, *, quick: bool, folder: str, pg_url: str | None = None) -> None:
    rounds = 1 if quick else 3
    stores = [("SQLite", _sqlite_store(folder))]
    if pg_url:
        stores.append(("PostgreSQL", _pg_store(pg_url)))
    else:
        print(f"[{SECTION}] no PostgreSQL server: its figure skipped", flush=True)
    ms = 1000
    for name, url in stores:
        print(f"[{SECTION}] {name}: a 3203 typed while another process holds {CUSTOMER} for {HOLD:g} s, x{rounds}", flush=True)
        held, free, waiting = asyncio.run(measure(url, rounds))
        every = [x for _k, x, _t in held]
        report.add(Figure(SECTION, f"key p95, the client locked by another terminal, {name}", p95(every) * ms, "ms",
                          floor=p95([x for _k, x, _t in free]) * ms, floor_name="the same keys, nobody holding it",
                          target=at_most(35, "ms"),
                          note=f"{len(every)} keys; median {median(every) * ms:.1f} ms; up to {waiting} store calls waiting",
                          extra={"keys": len(every), "median_ms": round(median(every) * ms, 2),
                                 "max_ms": round(max(every) * ms, 2), "store_calls_waiting": waiting}))
        for kind in ("character", "Enter"):  # which keys make the p95
            some = [x for k, x, _t in held if k == kind]
            report.add(Figure(SECTION, f"  of which {kind}, p95, {name}", p95(some) * ms, "ms",
                              floor=p95([x for k, x, _t in free if k == kind]) * ms, floor_name="nobody holding it",
                              note=f"{len(some)} keys"))

if __name__ == "__main__":
    if sys.argv[1:2] == ["hold"]:
        hold(sys.argv[2], sys.argv[3], float(sys.argv[4]))
        sys.exit(0)
    import argparse
    import tempfile

    ap = argparse.ArgumentParser(prog="python -m bench.keylatency", description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default=os.environ.get("TELLER_BENCH_PG") or os.environ.get("TELLER_TEST_DB"),
                    help="a PostgreSQL server URL (default TELLER_BENCH_PG or TELLER_TEST_DB; none: SQLite only)")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    r = Report()
    with tempfile.TemporaryDirectory() as d:
        run(r, quick=args.quick, folder=d, pg_url=args.db)
    print(r.table())
