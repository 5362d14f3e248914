"""What makes calls from many terminals on one store behave as if they ran one after the other.

- The day gate. Every function holds the gate shared for its whole transaction; day-end (9101)
  holds it exclusively. So day-end waits until no function is in flight, and a function that arrives
  while day-end runs waits for it and then runs on the new business date. On PostgreSQL the gate is
  a transaction-scoped advisory lock (pg_advisory_xact_lock[_shared], keyed by the store's schema;
  PgBouncer's transaction pooling allows no session lock), taken before the business-date row
  (FOR SHARE / FOR UPDATE, as before). The advisory lock is what keeps day-end from starving: the
  server queues its lock requests, so once day-end asks, a function arriving after it waits behind
  it instead of joining the functions in flight (a row's FOR SHARE admits newcomers while a FOR
  UPDATE waits, which under a stream of short functions kept day-end waiting for minutes, issue 11).
  Day-end therefore waits at most for the functions already in flight. No lock is waited for
  longer than teller.store.db.LOCK_WAIT_SECONDS: then the call is refused (FORBIDDEN: the counter is
  closed for business while the day is being closed) with a message saying why.
- The client lock. The first time a function touches a client it locks the client's row FOR UPDATE,
  and every read of that client's rows comes after it (READ COMMITTED: each statement sees what was
  committed before it). Every function touches one client only (Tx refuses a second one), so two
  calls on the same client run one after the other and calls on different clients never wait for
  each other: this is also what lets a firm distribute the tables by client code.
- Numbers the program gives. A new client's code (1101) and a new fund account's number (4101) are
  the highest so far plus one, read and used in the function's own transaction, under a lock of the
  store's for that number (on PostgreSQL a transaction-scoped advisory lock keyed by the function
  code and the schema, as the day gate; no session state, so PgBouncer's transaction pooling keeps
  it): the next call's read comes after the last one's commit. Before, two 1101s at the same moment
  read the same highest code; the loser ran again and again, and 44 calls of 200 from 8 terminals
  were refused ("业务正在进行" or "客户号已存在"), issue 11 hole 8. A lock, not a sequence: a preview
  (rolled back) takes no number, the numbers have no gaps, and a code typed by the teller is
  numbered around, not collided with.
- Retries. A deadlock, a serialization failure or a concurrent insert of the same key rolls the whole
  function back; it runs again from the start, at most RETRIES times.

On SQLite every transaction begins IMMEDIATE (teller.store.db), which serialises them on the file;
FOR SHARE / FOR UPDATE are not emitted there, and a store busy for longer than its busy timeout is
refused like a lock timeout on PostgreSQL.
"""

from __future__ import annotations

import random
import time

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy import func
from sqlmodel import Session, select

from teller.domain.errors import Refused, Rule
from teller.i18n import _
from teller.store.models import Setting

RETRIES = 12
# PostgreSQL SQLSTATEs: serialization_failure, deadlock_detected; lock_not_available
_RETRY = {"40001", "40P01"}
_LOCK_TIMEOUT = "55P03"


def open_day(session: Session, *, exclusive: bool) -> dict[str, str]:
    """Take the day gate and read the settings (the business date among them). A function reads
    them with its shared lock in one statement (FOR SHARE on the settings: day-end's FOR UPDATE of
    the business date waits for it, and it for day-end); day-end takes its exclusive lock first."""
    from teller.services.base import load_settings

    if exclusive or session.get_bind().dialect.name == "sqlite":
        hold_day(session, exclusive=exclusive)
        return load_settings(session)
    session.exec(GATE_SHARED).all()
    return dict(session.exec(_SETTINGS_SHARED).all())


_SETTINGS_SHARED = select(Setting.key, Setting.value).with_for_update(read=True)
# PostgreSQL's day gate: one advisory lock per store (its schema), released when the transaction ends.
GATE_CLASS = 9101
_GATE_KEY = (GATE_CLASS, func.hashtext(func.current_schema()))
GATE_SHARED = select(func.pg_advisory_xact_lock_shared(*_GATE_KEY))
GATE_EXCLUSIVE = select(func.pg_advisory_xact_lock(*_GATE_KEY))


def hold_numbering(session: Session, function_code: str) -> None:
    """The lock under which `function_code` (1101, 4101) reads the highest number and takes the next,
    held until the transaction ends. On SQLite the transaction holds the whole file already."""
    if session.get_bind().dialect.name == "sqlite":
        return
    session.exec(select(func.pg_advisory_xact_lock(int(function_code), func.hashtext(func.current_schema())))).all()


def hold_day(session: Session, *, exclusive: bool) -> None:
    """Take the day gate: shared for a function, exclusive for day-end. On SQLite the transaction
    (BEGIN IMMEDIATE) already holds the file exclusively: there is nothing more to take."""
    if session.get_bind().dialect.name == "sqlite":
        return
    session.exec(GATE_EXCLUSIVE if exclusive else GATE_SHARED).all()
    session.exec(select(Setting).where(Setting.key == "business_date").with_for_update(read=not exclusive)).first()


def _sqlstate(e: DBAPIError) -> str | None:
    return getattr(e.orig, "sqlstate", None)


def retryable(e: DBAPIError) -> bool:
    code = _sqlstate(e)
    if code in _RETRY:
        return True
    # Two first lines of a new chain, or two new rows with the same key: the loser runs again and
    # then sees the winner's row.
    return isinstance(e, IntegrityError) and code == "23505"


def busy(e: DBAPIError) -> bool:
    if _sqlstate(e) == _LOCK_TIMEOUT:
        return True
    return isinstance(e, OperationalError) and "locked" in str(e.orig).lower()


def busy_refusal(op: str) -> Refused:
    if op == "end_of_day":
        return Refused(Rule.FORBIDDEN, _("仍有柜员的业务在办理中，日终暂不能开始；请稍候再做日终"))
    return Refused(Rule.FORBIDDEN, _("日终处理或其他柜员的业务正在进行，本笔业务未办理；请稍候重新提交"))


def backoff(attempt: int) -> None:
    """Jittered, growing pause before a retry, so two terminals that collided do not collide again."""
    time.sleep(random.uniform(0.002, 0.01) * attempt)
