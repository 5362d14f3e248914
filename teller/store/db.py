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

from teller.store.errors import StoreRefused

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
    url = check_url(url or default_db_url())
    if url.startswith("sqlite"):
        memory = ":memory:" in url or url in ("sqlite://", "sqlite:///")
        if not memory:
            _foreign_sqlite(url)
            _private_sqlite(url)
        extra = {"poolclass": StaticPool} if memory else {}  # one connection, or each sees its own empty db
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}, **extra)
        _sqlite_pragmas(engine, memory=memory)
    else:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        url, prepare = _prepare_option(url)
        # Server-side prepared statements (psycopg prepares a statement it has run five times) only
        # when the URL says `prepare=on`: PgBouncer in transaction pooling before 1.21 (Debian 12's is
        # 1.18) hands the next transaction another server connection, where the statement does not
        # exist, so the default is the one that works through it (README, "Hundreds of terminals").
        engine = create_engine(url, echo=echo, pool_pre_ping=True,
                               connect_args={"prepare_threshold": PREPARE_AFTER if prepare else None})
        _postgres_session(engine)
        _reachable(engine)
    return engine


# psycopg's own default: a statement is prepared on the server once a connection has run it five times.
PREPARE_AFTER = 5


def _prepare_option(url: str) -> tuple[str, bool]:
    """The URL without this program's `prepare` query option, and whether it asks for server-side
    prepared statements (`prepare=on`; `off`, the default, is what PgBouncer's transaction pooling
    before 1.21 needs). Checked by check_url; psycopg would take the unknown key for a libpq one."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    value = u.query.get("prepare")
    if value is None:
        return url, False
    return u.difference_update_query(["prepare"]).render_as_string(hide_password=False), value == "on"


# The URLs a store can have (README, "Stores"): an SQLite file, or PostgreSQL through psycopg 3.
_DRIVERS = {"sqlite": ("pysqlite",), "postgresql": ("psycopg",)}


def check_url(url: str) -> str:
    """The store's URL, or StoreRefused saying in one line what is wrong with it (issue 11, hole 8):
    not a URL, a database this program does not run on, or a password in it. A password in the URL
    is on the command line (`ps` shows it to every user of the machine) or in the environment, which
    every child inherits: PostgreSQL reads it from ~/.pgpass or the file PGPASSFILE names instead.
    The message never repeats a URL that holds a password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from teller.i18n import _

    try:
        u = make_url(url)
        u.port  # noqa: B018 - a port that is not a number fails here, not at the first connection
    except (ArgumentError, ValueError):
        raise StoreRefused(_("--db：“{url}”不是数据库网址；应为 sqlite:///文件路径 或 postgresql://用户@主机/库名").format(
            url=url if "@" not in url else "…")) from None
    if u.password is not None or "password" in u.query:
        raise StoreRefused(_("--db：网址里带着密码，会出现在命令行和进程列表里；请把密码写进 ~/.pgpass（或 PGPASSFILE 指向的文件），网址里不写密码"))
    backend, _plus, driver = u.drivername.partition("+")
    if backend not in _DRIVERS or (driver and driver not in _DRIVERS[backend]):
        raise StoreRefused(_("--db：不支持 {kind}；数据库只能是 sqlite:///文件路径 或 postgresql://用户@主机/库名").format(
            kind=u.drivername))
    if "prepare" in u.query:
        value = u.query["prepare"]
        if backend != "postgresql":
            raise StoreRefused(_("--db：prepare 只用于 PostgreSQL 网址（SQLite 不需要）"))
        if value not in ("on", "off"):
            raise StoreRefused(_("--db：prepare={value} 不对：应为 prepare=on（直连 PostgreSQL，语句在服务器上预备）"
                                 "或 prepare=off（经 PgBouncer 事务池连接，默认）").format(value=value))
    return url


def _foreign_sqlite(url: str) -> None:
    """An SQLite path that is a folder, a file that is not SQLite, or an SQLite file of another program
    (tables, none of ours) is refused before anything is created in it or its mode changed: the
    program adds its tables only to an empty file (issue 11, hole 8)."""
    from sqlalchemy.engine import make_url

    from teller.i18n import _

    path = make_url(url).database
    if not path or path.startswith("file:"):
        return
    p = Path(path)
    if p.is_dir():
        raise StoreRefused(_("--db：{path} 是文件夹，不是数据库文件").format(path=path))
    try:
        with p.open("rb") as f:
            header = f.read(16)
    except FileNotFoundError:
        return
    except OSError as e:
        raise StoreRefused(_("--db：读不了 {path}：{why}").format(path=path, why=e.strerror or e)) from None
    if not header:
        return  # an empty file: a new store
    if header != b"SQLite format 3\x00":
        raise StoreRefused(_("--db：{path} 不是 SQLite 数据库文件").format(path=path))
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise StoreRefused(_("--db：{path} 打不开：{why}").format(path=path, why=e)) from None
    if tables and not tables & {"alembic_version", "setting"}:
        raise StoreRefused(_("--db：{path} 是别的程序的数据库（有 {tables} 等表），不是本程序的；不会往里加表").format(
            path=path, tables=_("、").join(sorted(tables)[:3])))


def _reachable(engine: Engine) -> None:
    """A PostgreSQL server that cannot be reached, or refuses the user, said in one line now rather
    than as a traceback at the first call. The connection stays in the pool for that call."""
    from sqlalchemy.exc import DBAPIError

    from teller.i18n import _

    try:
        engine.connect().close()
    except DBAPIError as e:
        why = (str(e.orig).strip().splitlines() or [type(e.orig).__name__])[0]
        raise StoreRefused(_("--db：连不上数据库 {where}：{why}").format(
            where=engine.url.render_as_string(hide_password=True), why=why)) from None


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
