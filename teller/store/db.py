"""Engine creation and the unit of work: one database transaction per business function."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

ENV_DB = "TELLER_DB"


def default_db_url() -> str:
    """TELLER_DB, else an SQLite file in the user's data directory (created on first use)."""
    url = os.environ.get(ENV_DB)
    if url:
        return url
    from platformdirs import user_data_dir

    from teller.files import private_dir

    folder = private_dir(user_data_dir("teller", appauthor=False))
    return f"sqlite:///{folder / 'teller.db'}"


def make_engine(url: str | None = None, *, echo: bool = False) -> Engine:
    url = url or default_db_url()
    if url.startswith("sqlite"):
        memory = ":memory:" in url or url in ("sqlite://", "sqlite:///")
        if not memory:
            _private_sqlite(url)
        extra = {"poolclass": StaticPool} if memory else {}  # one connection, or each sees its own empty db
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}, **extra)
        _sqlite_pragmas(engine, memory=memory)
    else:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        # No server-side prepared statements (psycopg prepares a statement it has run five times):
        # PgBouncer in transaction pooling (Debian's 1.18) hands the next transaction another server
        # connection, where the statement does not exist.
        engine = create_engine(url, echo=echo, pool_pre_ping=True, connect_args={"prepare_threshold": None})
        _postgres_session(engine)
    return engine


# How long a function waits for a lock (the day gate while day-end runs, a client another terminal
# is serving) before it is refused; SQLite's busy timeout plays this part there.
LOCK_WAIT_SECONDS = 20
SQLITE_BUSY_SECONDS = 30


def _postgres_session(engine: Engine) -> None:
    """The lock timeout is set per transaction (SET LOCAL), never on the connection: behind PgBouncer's
    transaction pooling a connection's settings stay with a server connection that the next
    transaction may not get. A counter call sends it in its first round trip (teller.services.counter);
    every other writing transaction here, as it begins. A reader (`reading`) waits for no lock."""

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        options = conn.get_execution_options()
        if not options.get("teller_read") and not options.get("teller_batch"):
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'")


def _private_sqlite(url: str) -> None:
    """The store holds every client's name, id and money: its file is created 0600 (issue 11)."""
    from sqlalchemy.engine import make_url

    from teller.files import private_store_file

    path = make_url(url).database
    if path and not path.startswith("file:"):
        private_store_file(path)


def writer(engine: Engine) -> Engine:
    """The engine for counter calls: their first round trip sets the lock timeout itself."""
    w = getattr(engine, "_teller_writer", None)
    if w is None:
        w = engine.execution_options(teller_batch=True)
        engine._teller_writer = w  # type: ignore[attr-defined]
    return w


def _sqlite_pragmas(engine: Engine, *, memory: bool) -> None:
    """WAL with full sync (money commits are durable), foreign keys on, and BEGIN IMMEDIATE so
    that two terminals on one file serialise their writes instead of failing at commit time."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        if conn.get_execution_options().get("teller_read"):
            conn.exec_driver_sql("BEGIN")  # a reader (see `reading`): a snapshot, no lock on the file
        else:
            _begin_immediate(conn)


def _begin_immediate(conn) -> None:  # noqa: ANN001 - a SQLAlchemy Connection
    """BEGIN IMMEDIATE, waiting for the file by polling it every millisecond or so. SQLite's own busy
    handler sleeps longer and longer (up to 100 ms) while the terminal that holds the file commits
    and begins again in microseconds: with two busy terminals one of them starved (one transaction
    in three seconds against 1,800 for the other). Polling lets them take turns. After
    SQLITE_BUSY_SECONDS the BEGIN fails as it always did, with SQLAlchemy's "database is locked"."""
    raw = conn.connection.dbapi_connection
    raw.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + SQLITE_BUSY_SECONDS
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e).lower() and "busy" not in str(e).lower():
                    raise
            time.sleep(random.uniform(0.0002, 0.001))
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # once more, failing at once as a SQLAlchemy error
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")


def create_schema(engine: Engine) -> None:
    """A new store gets every table at the newest schema version; an older store must be upgraded
    first (`teller db upgrade`), see teller.store.migrate."""
    from teller.store.migrate import ensure_schema

    ensure_schema(engine)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed whole at the end of the block, or rolled back whole."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only unit for lookups outside a business function (the screens' lists and panels): it
    commits nothing. On SQLite it begins DEFERRED, so a lookup neither waits for nor holds up a
    terminal that is writing (WAL readers see the last commit)."""
    reader = getattr(engine, "_teller_reader", None)
    if reader is None:
        reader = engine.execution_options(teller_read=True)
        engine._teller_reader = reader  # type: ignore[attr-defined]
    with Session(reader, expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.rollback()
