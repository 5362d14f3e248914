"""A counter transfer (3203 main↔aux: checks, papers, monitors, the chained journal, a durable commit)
through the service layer, against the same transaction — read two accounts, update both, insert a
journal row, commit — in raw SQL (sqlite3, psycopg) and through a naive SQLModel session. SQLite with 1
and 2 clients (processes) at once; PostgreSQL with 1, 2, 4 and 8, each level beside raw psycopg at the
same concurrency; then 200 counter connections through PgBouncer (bench.bouncer). Each client works
on its own clients' accounts for a fixed time."""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import tempfile
import time

from bench.report import Figure, Report, at_most, ratio_at_least

SECTION = "transfer"
PAPER = "单客户多银行服务资金划转申请表"


# --- what each client process does -----------------------------------------------------------------

def _pairs(url: str, generated: bool, limit: int) -> list[tuple[str, str]]:
    """Main and first aux of clients that have both."""
    from sqlalchemy import text

    from teller.store.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        if generated:
            # aux -> main (money that arrives today leaves only from T+1): auxes with enough withdrawable
            rows = conn.execute(text("SELECT customer_code FROM fundaccount WHERE role = 'aux' AND no LIKE '%00101' "
                                     "AND cash - frozen - non_withdrawable_today > 10000000 ORDER BY customer_code LIMIT :n"),
                                {"n": limit}).all()
            pairs = [(r[0] + "00101", r[0] + "001") for r in rows]
        else:
            pairs = [(f"F{i:06d}", f"F{i:06d}A") for i in range(limit)]
    engine.dispose()
    return pairs


def _client(kind: str, url: str, pairs: list, seconds: float, start, out) -> None:  # noqa: ANN001
    """One client: transfers back and forth over its pairs until the time is up; puts the count."""
    try:
        once = _transaction(kind, url)
        for p in pairs[:3]:  # warm: connections, caches, prepared plans
            once(p, 0)
        start.wait()
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            once(pairs[n % len(pairs)], n)
            n += 1
        out.put((n, time.perf_counter() - t0))
    except BaseException as e:  # noqa: BLE001
        out.put(e)


def _transaction(kind: str, url: str):  # noqa: ANN202
    if kind == "service":
        from teller.services.base import Context
        from teller.services.counter import Counter
        from teller.store.db import make_engine

        counter = Counter(make_engine(url))
        ctx = Context(teller_id="T01", terminal="BENCH", documents=frozenset({PAPER}))

        def service(pair: tuple[str, str], n: int) -> None:
            o = counter.run("ledger_transfer", {"from": pair[0], "to": pair[1], "amount": "1.00", "channel": "counter"}, ctx)
            if not o.ok:
                raise RuntimeError(f"{o.rule} {o.message}")
        return service
    if kind == "orm":
        from datetime import date, datetime, timezone

        from sqlmodel import Session, create_engine

        from teller.store.models import FundAccount, Journal

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))

        def orm(pair: tuple[str, str], n: int) -> None:
            with Session(engine) as s:
                a, b = s.get(FundAccount, pair[0]), s.get(FundAccount, pair[1])
                a.cash, b.cash = a.cash - 100, b.cash + 100
                s.add(Journal(business_date=date(2026, 11, 23), at=datetime.now(timezone.utc), teller_id="T01", function_code="3203",
                              op="ledger_transfer", customer_code=a.customer_code, inputs={"from": a.no, "to": b.no},
                              ok=True))
                s.commit()
        return orm
    if kind == "raw_sqlite":
        import sqlite3

        con = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, timeout=30)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")  # durable, as the counter's commits are

        def begin() -> None:
            # As the counter waits for the file (teller.store.db): SQLite's own busy handler starves
            # the second of two busy writers.
            con.execute("PRAGMA busy_timeout=0")
            while True:
                try:
                    con.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError:
                    time.sleep(random.uniform(0.0002, 0.001))
            con.execute("PRAGMA busy_timeout=30000")

        def raw_sqlite(pair: tuple[str, str], n: int) -> None:
            begin()
            a = con.execute("SELECT cash FROM fundaccount WHERE no = ?", (pair[0],)).fetchone()[0]
            b = con.execute("SELECT cash FROM fundaccount WHERE no = ?", (pair[1],)).fetchone()[0]
            con.execute("UPDATE fundaccount SET cash = ? WHERE no = ?", (a - 100, pair[0]))
            con.execute("UPDATE fundaccount SET cash = ? WHERE no = ?", (b + 100, pair[1]))
            con.execute("INSERT INTO journal (business_date, at, teller_id, terminal, function_code, op, customer_code, inputs, "
                        "ok, rule, message, agent, chain, prev_hash, hash) VALUES ('2026-11-23', datetime('now'), 'T01', "
                        "'BENCH', '3203', 'ledger_transfer', '', '{}', 1, '', '', 0, '', '', '')")
            con.execute("COMMIT")
        return raw_sqlite
    if kind == "raw_pg":
        import psycopg

        conn = psycopg.connect(url)

        def raw_pg(pair: tuple[str, str], n: int) -> None:
            with conn.transaction():
                a = conn.execute("SELECT cash FROM fundaccount WHERE no = %s FOR UPDATE", (pair[0],)).fetchone()[0]
                b = conn.execute("SELECT cash FROM fundaccount WHERE no = %s FOR UPDATE", (pair[1],)).fetchone()[0]
                conn.execute("UPDATE fundaccount SET cash = %s WHERE no = %s", (a - 100, pair[0]))
                conn.execute("UPDATE fundaccount SET cash = %s WHERE no = %s", (b + 100, pair[1]))
                conn.execute("INSERT INTO journal (business_date, at, teller_id, terminal, function_code, op, customer_code, "
                             "inputs, ok, rule, message, agent, chain, prev_hash, hash) VALUES ('2026-11-23', now(), 'T01', "
                             "'BENCH', '3203', 'ledger_transfer', '', '{}', true, '', '', false, '', '', '')")
        return raw_pg
    raise ValueError(kind)


def rate(kind: str, url: str, pairs: list, clients: int, seconds: float) -> tuple[float, float]:
    """Transactions per second per client (the slowest client's), and in all."""
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(clients), ctx.Queue()
    procs = [ctx.Process(target=_client, args=(kind, url, pairs[w::clients], seconds, start, out)) for w in range(clients)]
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds * 10 + 300) for _ in procs]
    for p in procs:
        p.join()
    for r in results:
        if isinstance(r, BaseException):
            raise r
    per = [n / t for n, t in results]
    return min(per), sum(per)


# --- stores ------------------------------------------------------------------------------------------

def service_store(url: str, clients: int) -> str:
    """The demo branch plus generated clients with history: the counter's own store."""
    from teller.demo import seed_demo
    from teller.demo.generate import generate
    from teller.store.db import make_engine

    engine = make_engine(url)
    seed_demo(engine)
    generate(engine, clients)
    engine.dispose()
    return url


def floor_store(url: str, accounts: int, *, naive: bool) -> str:
    """The same tables, with pairs of accounts: for the raw-SQL transaction (`make_engine`'s WAL file),
    or for the naive ORM (`create_engine` as it comes: SQLite's default rollback journal, FULL sync)."""
    from sqlmodel import Session, SQLModel, create_engine

    import teller.store.models  # noqa: F401
    from teller.store.models import Customer, FundAccount

    if naive or not url.startswith("sqlite"):
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    else:
        from teller.store.db import make_engine

        engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        s.add(Customer(code="F", name="floor", id_no="F"))
        s.flush()
        for i in range(accounts):
            s.add(FundAccount(no=f"F{i:06d}", customer_code="F", bank="工商银行", cash=10**12))
            s.add(FundAccount(no=f"F{i:06d}A", customer_code="F", bank="建设银行", cash=10**12))
        s.commit()
    engine.dispose()
    return url


PG_CLIENTS = (1, 2, 4, 8)


def set_setting(url: str, key: str, value: str) -> None:
    from sqlmodel import Session

    from teller.store.db import make_engine
    from teller.store.models import Setting

    engine = make_engine(url)
    with Session(engine) as s:
        s.merge(Setting(key=key, value=value))
        s.commit()
    engine.dispose()


def run(report: Report, *, quick: bool, pg_url: str | None, folder: str) -> None:
    seconds = 2.0 if quick else 5.0
    clients = 300 if quick else 2000
    print(f"[{SECTION}] stores: SQLite with {clients} generated clients, floors", flush=True)
    sq = service_store(f"sqlite:///{os.path.join(folder, 'transfer.db')}", clients)
    raw_sq = floor_store(f"sqlite:///{os.path.join(folder, 'raw.db')}", 400, naive=False)
    orm_sq = floor_store(f"sqlite:///{os.path.join(folder, 'orm.db')}", 400, naive=True)
    pairs = _pairs(sq, True, clients)
    floor_pairs = _pairs(raw_sq, False, 400)
    for n in (1, 2):
        raw_one, raw_all = rate("raw_sqlite", raw_sq, floor_pairs, n, seconds)
        orm_one, orm_all = rate("orm", orm_sq, floor_pairs, n, seconds)
        svc_one, svc_all = rate("service", sq, pairs, n, seconds)
        who = "1 client" if n == 1 else "2 clients, each"
        report.add(Figure(SECTION, f"SQLite raw sqlite3, {who}", raw_one, "/s", note="WAL, synchronous=FULL"))
        report.add(Figure(SECTION, f"SQLite naive SQLModel session, {who}", orm_one, "/s", floor=raw_one,
                          floor_name="raw sqlite3"))
        report.add(Figure(SECTION, f"SQLite service-layer 3203, {who}", svc_one, "/s", floor=raw_one, floor_name="raw sqlite3",
                          target=ratio_at_least(0.15), note="durable: WAL, synchronous=FULL",
                          extra={"orm": orm_one, "total": svc_all, "raw_total": raw_all, "orm_total": orm_all}))
    if not pg_url:
        report.add(Figure(SECTION, "PostgreSQL", 0, "", note="no PostgreSQL server found: skipped"))
        return
    from bench.pg import fresh_database

    print(f"[{SECTION}] stores: PostgreSQL", flush=True)
    pg = service_store(fresh_database(pg_url, "bench_transfer"), clients)
    raw_pg = floor_store(fresh_database(pg_url, "bench_floor"), 400, naive=True)
    pairs = _pairs(pg, True, clients)
    # Straight to the server, as a branch's own PostgreSQL is reached: statements prepared on the
    # server (README, "Stores": `prepare=on`); the default, for PgBouncer before 1.21, is measured
    # at the top level beside it.
    direct = f"{pg}{'&' if '?' in pg else '?'}prepare=on"
    levels = (1, 8) if quick else PG_CLIENTS
    # A firm keeps one journal chain per client (README, "A firm of many branches"): a terminal's
    # line never waits for another client's. The branch's one chain is measured at the top level too.
    set_setting(pg, "journal_chain", "client")
    orm_one, _orm_all = rate("orm", raw_pg, floor_pairs, 1, seconds)
    report.add(Figure(SECTION, "PostgreSQL naive SQLModel session, 1 client", orm_one, "/s"))
    for n in levels:
        raw_one, raw_all = rate("raw_pg", raw_pg, floor_pairs, n, seconds)
        svc_one, svc_all = rate("service", direct, pairs, n, seconds)
        who = "1 client" if n == 1 else f"{n} clients, each"
        report.add(Figure(SECTION, f"PostgreSQL raw psycopg, {who}", raw_one, "/s", note="fsync on"))
        report.add(Figure(SECTION, f"PostgreSQL service-layer 3203, {who}", svc_one, "/s", floor=raw_one,
                          floor_name="raw psycopg", target=ratio_at_least(0.3),
                          note="one journal chain per client; prepare=on",
                          extra={"total": svc_all, "raw_total": raw_all, "clients": n}))
        if n == levels[-1]:
            off_one, off_all = rate("service", pg, pairs, n, seconds)
            report.add(Figure(SECTION, f"PostgreSQL service-layer 3203, {who}, no prepared statements", off_one, "/s",
                              floor=raw_one, floor_name="raw psycopg",
                              note="prepare=off, the default (what PgBouncer before 1.21 needs)",
                              extra={"total": off_all}))
        if n > 1:
            report.add(Figure(SECTION, f"PostgreSQL service-layer 3203, {n} clients, all together", svc_all, "/s",
                              floor=raw_all, floor_name="raw psycopg, all together"))
    set_setting(pg, "journal_chain", "")
    raw_one, _raw_all = rate("raw_pg", raw_pg, floor_pairs, levels[-1], seconds)
    svc_one, svc_all = rate("service", direct, pairs, levels[-1], seconds)
    report.add(Figure(SECTION, f"PostgreSQL service-layer 3203, {levels[-1]} clients, each, one chain per branch", svc_one,
                      "/s", floor=raw_one, floor_name="raw psycopg", note="every line waits for the branch's chain head",
                      extra={"total": svc_all}))
    pgbouncer(report, pg_url, quick=quick)


def pgbouncer(report: Report, pg_url: str, *, quick: bool, connections: int = 200, pool: int = 20) -> None:
    """200 counter connections (threads of one process, each its own engine) through PgBouncer in
    transaction pooling with 20 server connections."""
    from sqlalchemy.engine import make_url

    from bench import bouncer as B
    from bench.pg import bouncer, fresh_database

    server = fresh_database(pg_url, "bench_bouncer")
    with bouncer(server, pool_size=pool) as through:
        if through is None:
            report.add(Figure(SECTION, "PgBouncer", 0, "", note="no pgbouncer found (apt-get install pgbouncer): skipped"))
            return
        print(f"[{SECTION}] PgBouncer: {connections} counter connections, {pool} server connections", flush=True)
        url = make_url(through).set(database="bench_bouncer").render_as_string(hide_password=False)
        B.seed_store(url, 100)
        run = B.terminals(url, server, connections=connections, calls=3 if quick else 10, clients=100)
    refused = sum(v for k, v in run.outcomes.items() if not k.endswith(":ok"))
    report.add(Figure(SECTION, f"PgBouncer (transaction pooling): {connections} counter connections, {pool} server "
                               "connections, functions per second", run.rate, "/s",
                      note=f"{run.calls} functions, {refused} refused by a rule; peak {run.peak_server_connections} "
                           f"server connections, {run.peak_clients_open} clients",
                      extra={"outcomes": dict(run.outcomes), "peak_server_connections": run.peak_server_connections}))
    report.add(Figure(SECTION, "PgBouncer: errors (a call that failed, or was refused without a rule)", len(run.errors), "",
                      target=at_most(0, ""), extra={"errors": run.errors[:10]}))


if __name__ == "__main__":  # python -m bench.transfer: this section alone
    from bench.pg import cluster

    r = Report()
    with tempfile.TemporaryDirectory() as d, cluster(os.environ.get("TELLER_BENCH_PG")) as pg_url:
        run(r, quick=True, pg_url=pg_url, folder=d)
    print(r.table())
