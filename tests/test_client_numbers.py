"""Issue 11, hole 8: the automatic client number is taken inside the transaction. Terminals opening
new clients at the same moment (1101 with no client code typed) each get a different number, every
call goes through and none is refused for a collision, on an SQLite file and on PostgreSQL (directly
and through PgBouncer in transaction pooling, where no session state survives a transaction)."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import pytest
import workload
from sqlmodel import select

from teller.scenario import parse_scenario
from teller.services.setup import seed
from teller.store.db import make_engine, unit_of_work
from teller.store.models import Customer, OfAccount, ShareholderAccount

pytestmark = pytest.mark.slow  # starts terminals in processes

WORKERS, OPENS = 8, 25


def _open_all_at_once(url: str, tmp_path, work=workload.opens) -> list[str]:
    engine = make_engine(url)
    seed(engine, parse_scenario(workload.branch()).state)
    engine.dispose()
    start = str(tmp_path / "start")
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(WORKERS, mp_context=spawn) as pool:
        runs = [pool.submit(work, url, w, OPENS, start) for w in range(WORKERS)]
        open(start, "w").close()
        return [code for run in runs for code in run.result(timeout=300)]


def _check(url: str, given: list[str]) -> None:
    refused = [g for g in given if not g.isdigit()]
    assert not refused, f"{len(refused)} of {len(given)} refused, the first: {refused[0]}"
    assert len(set(given)) == WORKERS * OPENS
    # Numbered one after the other from the branch's last client (880003): no gap, no repeat.
    assert sorted(given) == [f"{880004 + i:06d}" for i in range(WORKERS * OPENS)]
    engine = make_engine(url)
    with unit_of_work(engine) as s:
        assert len(s.exec(select(Customer)).all()) == 3 + WORKERS * OPENS
        assert len(s.exec(select(ShareholderAccount)).all()) == 2 * WORKERS * OPENS
    engine.dispose()


def test_concurrent_1101s_each_get_their_own_client_number(file_db, tmp_path):
    given = _open_all_at_once(file_db, tmp_path)
    _check(file_db, given)


def test_concurrent_4101s_each_get_their_own_fund_account_number(file_db, tmp_path):
    """4101 numbers open-end fund accounts across every client (F00000001, ...): three clients' 4101s
    at the same moment, none refused, the numbers one after the other."""
    given = _open_all_at_once(file_db, tmp_path, workload.of_opens)
    refused = [g for g in given if not g.startswith("F")]
    assert not refused, f"{len(refused)} of {len(given)} refused, the first: {refused[0]}"
    assert sorted(given) == [f"F{1 + i:08d}" for i in range(WORKERS * OPENS)]
    engine = make_engine(file_db)
    with unit_of_work(engine) as s:
        assert len(s.exec(select(OfAccount)).all()) == WORKERS * OPENS
    engine.dispose()


def test_concurrent_1101s_through_pgbouncer(tmp_path):
    bouncer, server = os.environ.get("TELLER_TEST_PGBOUNCER"), os.environ.get("TELLER_TEST_DB")
    if not (bouncer and server):
        pytest.skip("no PgBouncer: set TELLER_TEST_PGBOUNCER (and TELLER_TEST_DB, the server behind it)")
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    # A database of its own (the bouncer passes no search_path option): the public schema.
    name = f"teller_numbers_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(bouncer).set(database=name).render_as_string(hide_password=False)
        _check(url, _open_all_at_once(url, tmp_path))
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
