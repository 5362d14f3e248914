"""A firm's counters through PgBouncer in transaction pooling (issue 14): 200 counter connections at once
share 20 server connections. Every function completes or is refused with a rule, no call fails, the
books balance and the journal's hash chain verifies. The store is created and seeded through the
bouncer too (migrations included).

Needs TELLER_TEST_PGBOUNCER=postgresql://user@host:port/any (PgBouncer, pool_mode = transaction,
default_pool_size = 20, in front of the TELLER_TEST_DB server): .ci/run starts one; without it the
test is skipped, visibly."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest
from ledgercheck import check_books, snapshot
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BOUNCER = os.environ.get("TELLER_TEST_PGBOUNCER", "")
SERVER = os.environ.get("TELLER_TEST_DB", "")
CONNECTIONS, POOL, CALLS = 200, 20, 3


@pytest.fixture
def through_bouncer():
    if not (BOUNCER and SERVER):
        pytest.skip("no PgBouncer: set TELLER_TEST_PGBOUNCER (and TELLER_TEST_DB, the server behind it)")
    import psycopg

    name = f"teller_bouncer_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    server = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    yield make_url(BOUNCER).set(database=name).render_as_string(hide_password=False), server
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_hundred_counters_through_twenty_server_connections(through_bouncer):
    from bench import bouncer

    from teller.services.audit import verify
    from teller.store.db import make_engine

    url, server = through_bouncer
    bouncer.seed_store(url, 100)
    engine = make_engine(url)
    start = snapshot(engine)
    run = bouncer.terminals(url, server, connections=CONNECTIONS, calls=CALLS, clients=100)
    assert run.errors == []
    assert run.calls == CONNECTIONS * CALLS
    assert run.peak_clients_open == CONNECTIONS  # every terminal had its connection open at once
    assert 0 < run.peak_server_connections <= POOL, run.peak_server_connections
    # Both outcomes for each kind of function: the rules held under the pooling.
    for op in ("ledger_transfer", "bank_transfer", "order"):
        assert run.outcomes[f"{op}:ok"] > 0, run.outcomes
    assert any(not k.endswith(":ok") for k in run.outcomes), run.outcomes
    check_books(engine, start, settled=True)
    assert verify(engine).ok
    engine.dispose()
