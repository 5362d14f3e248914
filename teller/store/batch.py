"""Statements sent to the store together: one round trip for several statements of one transaction.

A business function on PostgreSQL used to wait for the server once per statement (about 17 times for
a transfer). `Batch` queues statements and sends them at once: on PostgreSQL through psycopg's
pipeline mode (the server runs them one after the other, in order, each seeing what the one before
it did and locked, READ COMMITTED as ever), on SQLite one after the other on the file the
transaction already holds. A statement is a SQLAlchemy Core statement built once (`Prepared`) and
compiled once per dialect, with SQLAlchemy's own type conversions for the values it binds and the
rows it reads, so a date or a JSON column round-trips exactly as it does through the ORM.

It runs on the DB-API connection under the Session's connection, inside the Session's transaction:
what the ORM wrote before is seen, and the ORM sees what a batch wrote. A database error comes out as
SQLAlchemy's DBAPIError (with `.orig` and its SQLSTATE), as the ORM's do, so the retry rules of
teller.services.concurrency apply unchanged.

Nothing here keeps session state: no server-side prepared statements unless the store's URL asks for
them (`prepare=on`, teller.store.db), no SET outside the transaction. That is what lets a firm put PgBouncer in transaction pooling in front.
"""

from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import configure_mappers
from sqlmodel import Session


def loaded(model: type, values: dict) -> Any:
    """A row object built as the ORM builds the rows it loads (not through the model's validating
    __init__, which costs some 90 µs a row): changes to it are recorded by SQLAlchemy's attribute
    events, in its state's `committed_state`. It belongs to no Session."""
    manager = getattr(model, "_sa_class_manager")
    if not getattr(loaded, "_configured", False):
        configure_mappers()
        loaded._configured = True  # type: ignore[attr-defined]
    obj = manager.new_instance()
    obj.__dict__.update(values)
    return obj


class _Compiled:
    __slots__ = ("sql", "positional", "binds", "results")

    def __init__(self, stmt: Any, dialect: Dialect, column_keys: Sequence[str] | None) -> None:
        c = stmt.compile(dialect=dialect, column_keys=list(column_keys) if column_keys else None)
        if c.post_compile_params:  # an IN (...) of a list given at run time: not a statement for a batch
            raise ValueError("a batched statement cannot take a list parameter (IN): " + c.string)
        self.sql = c.string
        self.positional = bool(c.positional)
        names = list(c.positiontup) if c.positional else list(dict.fromkeys(c.bind_names.values()))
        by_name = {c.bind_names[b]: b for b in c.binds.values()}
        processors = c._bind_processors  # noqa: SLF001 - what SQLAlchemy applies to each value
        # (name, value when not given, how SQLAlchemy converts it for this driver)
        self.binds = [(n, by_name[n].effective_value if n in by_name else None, processors.get(n)) for n in names]
        self.results = [e.type._cached_result_processor(dialect, None) for e in (c._result_columns or ())]  # noqa: SLF001

    def values(self, params: dict) -> tuple | dict:
        out = []
        for name, default, proc in self.binds:
            v = params[name] if name in params else default
            out.append(proc(v) if proc is not None and v is not None else v)
        return tuple(out) if self.positional else dict(zip((b[0] for b in self.binds), out))

    def rows(self, raw: list) -> list[tuple]:
        procs = self.results
        if not any(procs):
            return [tuple(r) for r in raw]
        return [tuple(p(v) if p is not None else v for p, v in zip(procs, r)) for r in raw]


class Prepared:
    """A Core statement built once; compiled once per dialect (and per set of columns, for an
    INSERT given as rows)."""

    def __init__(self, stmt: Any) -> None:
        self.stmt = stmt
        self._compiled: dict[tuple, _Compiled] = {}

    def compiled(self, dialect: Dialect, column_keys: Sequence[str] | None = None) -> _Compiled:
        key = (dialect.name, tuple(column_keys) if column_keys else None)
        c = self._compiled.get(key)
        if c is None:
            c = self._compiled[key] = _Compiled(self.stmt, dialect, column_keys)
        return c


class Result:
    """The rows a queued query returns, there once its batch has been sent."""

    __slots__ = ("rows",)

    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def first(self) -> tuple | None:
        return self.rows[0] if self.rows else None

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None


class Batch:
    """Statements queued on one Session's transaction, sent together by `send()`."""

    def __init__(self, session: Session) -> None:
        self.session = session
        conn = self.conn = session.connection()  # begins the transaction (BEGIN IMMEDIATE on SQLite) if not yet begun
        self.dialect = conn.dialect
        self.pg = self.dialect.name == "postgresql"
        self.raw = conn.connection.dbapi_connection
        self._queue: list[tuple[_Compiled, Any, bool, Result | None]] = []

    def __len__(self) -> int:
        return len(self._queue)

    def query(self, stmt: Prepared, params: dict | None = None) -> Result:
        r = Result()
        c = stmt.compiled(self.dialect)
        self._queue.append((c, c.values(params or {}), False, r))
        return r

    def write(self, stmt: Prepared, params: dict | None = None) -> None:
        c = stmt.compiled(self.dialect)
        self._queue.append((c, c.values(params or {}), False, None))

    def insert(self, stmt: Prepared, rows: list[dict]) -> None:
        """Rows for an INSERT, sent as one executemany; every row has the same keys."""
        if not rows:
            return
        c = stmt.compiled(self.dialect, tuple(rows[0]))
        self._queue.append((c, [c.values(r) for r in rows], True, None))

    def send(self, *, commit: bool = False) -> None:
        """Everything queued, in order, in one round trip; with `commit`, the COMMIT too (PostgreSQL:
        in the same round trip; the Session's own commit afterwards finds nothing left to do)."""
        queue, self._queue = self._queue, []
        if not queue and not commit:
            return
        current = None
        try:
            if self.pg:
                cursors, failed = [], []
                try:
                    with self.raw.pipeline():
                        try:
                            for c, values, many, result in queue:
                                current = (c, values)
                                cur = self.raw.cursor()
                                (cur.executemany if many else cur.execute)(c.sql, values)
                                cursors.append(cur)
                            if commit:
                                self.raw.commit()
                        except self._dbapi_error() as e:  # a statement failed while later ones were queued
                            failed.append(e)
                except self._dbapi_error() as e:  # ... or when the pipeline synced
                    failed.append(e)
                if failed:
                    # The server's own error (a deadlock, a lock timeout: its SQLSTATE decides a retry),
                    # not psycopg's "pipeline aborted" for the statements queued after it.
                    raise next((e for e in failed if getattr(e, "sqlstate", None)), failed[0])
                for (c, values, many, result), cur in zip(queue, cursors):
                    current = (c, values)
                    if result is not None:
                        result.rows = c.rows(cur.fetchall())
                    cur.close()
            else:
                cur = self.raw.cursor()
                try:
                    for c, values, many, result in queue:
                        current = (c, values)
                        if many:
                            cur.executemany(c.sql, values)
                        else:
                            cur.execute(c.sql, values)
                            if result is not None:
                                result.rows = c.rows(cur.fetchall())
                finally:
                    cur.close()
        except self._dbapi_error() as e:
            compiled, values = current if current else (None, None)
            # As SQLAlchemy does for its own statements: a connection that broke is not given back to
            # the pool (the pool's pre-ping then checks the others).
            lost = self.dialect.is_disconnect(e, self.raw, None)
            if lost:
                self.conn.invalidate(e)
            raise DBAPIError.instance(compiled.sql if compiled else None, values, e, self._dbapi_error(),
                                      connection_invalidated=lost, dialect=self.dialect) from e

    def _dbapi_error(self) -> type[Exception]:
        return self.dialect.loaded_dbapi.Error
