"""A firm's terminals through PgBouncer: many counter connections (threads, each with its own engine and
so its own connection, through the project's own Counter) share a small pool of server connections in
transaction pooling. Each terminal runs a random day on its own few clients (main<->aux transfers,
银证转账 both ways through the bank simulator, purchases), with amounts large enough that many calls
are refused by a rule. Used by `python -m bench` (the PgBouncer figure) and by tests/test_pgbouncer.py.

While the terminals work, the server's own count of connections to the database (pg_stat_activity)
is sampled, so the figure shows how many server connections the clients really had."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter as Tally
from dataclasses import dataclass, field

PER_CLIENT = "3000.00"


def branch(clients: int) -> str:
    """A scenario with `clients` clients, each a main and two auxes with money on both sides."""
    from teller.demo.generate import id_number

    text = 'date = "2026-11-23"\nauto_documents = true\n'
    for i in range(clients):
        code = f"{770000 + i}"
        text += f'\n[[customers]]\ncode = "{code}"\nname = "客户{code}"\nid_no = "{id_number(i)}"\n'
        for no, bank, role in ((f"{code}001", "工商银行", "main"), (f"{code}00101", "建设银行", "aux"),
                               (f"{code}00102", "中国银行", "aux")):
            text += (f'\n[[accounts]]\nno = "{no}"\ncustomer = "{code}"\nbank = "{bank}"\nrole = "{role}"\n'
                     f'cash = "{PER_CLIENT}"\nbank_balance = "20000.00"\n')
    return text


def one(rnd: random.Random, codes: list[str]) -> tuple[str, dict]:
    code = rnd.choice(codes)
    main, aux = f"{code}001", rnd.choice((f"{code}00101", f"{code}00102"))
    amount = f"{rnd.randint(1, 2500)}.{rnd.randint(0, 99):02d}"
    kind = rnd.choice(("ledger", "ledger", "ledger", "in", "out", "buy"))
    channel = rnd.choice(("counter", "online"))
    if kind == "ledger":
        src, dst = (main, aux) if rnd.random() < 0.5 else (aux, main)
        return "ledger_transfer", {"from": src, "to": dst, "amount": amount, "channel": channel}
    if kind == "buy":
        return "order", {"account": main, "side": "buy", "amount": amount}
    return "bank_transfer", {"account": rnd.choice((main, aux)), "direction": kind, "amount": amount}


def seed_store(url: str, clients: int) -> None:
    from teller.scenario import parse_scenario
    from teller.services.setup import seed
    from teller.store.db import make_engine

    engine = make_engine(url)
    seed(engine, parse_scenario(branch(clients)).state)
    engine.dispose()


@dataclass
class Run:
    connections: int
    calls: int = 0
    seconds: float = 0.0
    outcomes: Tally = field(default_factory=Tally)
    errors: list[str] = field(default_factory=list)  # exceptions, and outcomes refused without a rule
    peak_server_connections: int = 0
    peak_clients_open: int = 0

    @property
    def rate(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0


def terminals(url: str, server_url: str, *, connections: int = 200, calls: int = 5, clients: int = 100,
              seed: int = 14) -> Run:
    """`connections` terminals at once through `url` (PgBouncer), `calls` functions each; `server_url`
    (the server itself) is where its connections are counted. Terminal i works on clients i, i+1 and
    i+2 (mod `clients`), so neighbours contend for the same client's lock."""
    from sqlalchemy.engine import make_url

    import psycopg

    from teller.services.base import Context
    from teller.services.counter import Counter
    from teller.store.db import make_engine

    database = make_url(url).database
    run = Run(connections)
    codes = [f"{770000 + i}" for i in range(clients)]
    ready = threading.Barrier(connections + 1)
    done = threading.Event()
    lock = threading.Lock()
    open_now = [0]

    def terminal(i: int) -> None:
        rnd, mine = random.Random(seed * 1000 + i), [codes[(i + k) % clients] for k in range(3)]
        engine = make_engine(url)
        try:
            counter = Counter(engine)
            ctx = Context(teller_id="T00", terminal=f"P{i:03d}", documents=None)
            with engine.connect() as conn:  # the terminal's connection, opened before the start
                conn.exec_driver_sql("SELECT 1").all()
                conn.rollback()
            with lock:
                open_now[0] += 1
                run.peak_clients_open = max(run.peak_clients_open, open_now[0])
            ready.wait()
            for _ in range(calls):
                op, params = one(rnd, mine)
                o = counter.run(op, params, ctx)
                with lock:
                    run.calls += 1
                    run.outcomes[f"{op}:{'ok' if o.ok else o.rule}"] += 1
                    if not o.ok and not o.rule:
                        run.errors.append(f"{op} refused without a rule: {o.message}")
        except BaseException as e:  # noqa: BLE001 - every failure is counted, none is lost
            with lock:
                run.errors.append(f"{type(e).__name__}: {e}")
            if ready.n_waiting and not ready.broken:
                ready.abort()
        finally:
            engine.dispose()

    def sample() -> None:
        with psycopg.connect(server_url, autocommit=True) as conn:
            while not done.is_set():
                # Client backends only: an autovacuum worker on the database is not a connection.
                n = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                                 "AND backend_type = 'client backend'", (database,)).fetchone()[0]
                run.peak_server_connections = max(run.peak_server_connections, n)
                time.sleep(0.02)

    threads = [threading.Thread(target=terminal, args=(i,), daemon=True) for i in range(connections)]
    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    for t in threads:
        t.start()
    try:
        ready.wait(timeout=300)
    except threading.BrokenBarrierError:
        pass
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    run.seconds = time.perf_counter() - t0
    done.set()
    watcher.join()
    return run
