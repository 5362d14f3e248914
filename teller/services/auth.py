"""Teller passwords (scrypt, a memory-hard KDF from the standard library) and sign-on."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import datetime

from sqlalchemy.engine import Engine

from teller.domain.errors import Refused, Rule
from teller.i18n import _
from teller.store.db import unit_of_work
from teller.domain.roles import check_sign_on
from teller.store.models import Setting, Teller

SANDBOX_SETTING = "sandbox"  # teller.services.setup.SANDBOX_SETTING (setup imports this module)

N, R, P = 2**14, 8, 1
MAX_FAILURES = 5


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return "scrypt${}${}${}${}${}".format(N, R, P, base64.b64encode(salt).decode(), base64.b64encode(digest).decode())


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(got, base64.b64decode(digest))


def check_password_rule(password: str) -> None:
    if len(password) < 6:
        raise Refused(Rule.BAD_INPUT, _("密码：至少 6 位"))


# One message for every failed sign-on, whatever the cause (no such id, stopped, locked, wrong
# password): a stranger at the terminal learns nothing of which ids exist or are locked (issue 11).
# A teller who is locked is told so by the supervisor, who sees it in 9102 and the teller list
# (README, "Security"); the message says where to go.
def failed() -> Refused:
    """The one refusal of a failed credential check, sign-on's and an authorisation's."""
    return Refused(Rule.FORBIDDEN, _("柜员号或密码不对。连续 {n} 次输错即锁定，已锁定须请主管在 9102 解锁").format(n=MAX_FAILURES))


SIGN_ON_CODE, SIGN_ON_OP = "0000", "sign_on"  # the journal line of a failed sign-on (not a counter function)


def sign_on(engine: Engine, teller_id: str, password: str, *, terminal: str = "") -> Teller:
    """Returns the teller, or refuses; five wrong passwords in a row lock the teller until a
    supervisor unlocks it in 9102 (or `teller staff unlock`). Every failure is journalled, without
    the password, under the id typed only if it is a teller's (an id field holding a mistyped
    password must not reach the journal)."""
    with unit_of_work(engine) as s:
        t = verified(s, teller_id, password)
        if t is not None:
            sandbox = s.get(Setting, SANDBOX_SETTING)
            check_sign_on(t.role, sandbox is not None and sandbox.value == "1")
            return Teller.model_validate(t.model_dump())
        who, why = count_failure(s, teller_id)
        _journal_failure(s, who, terminal, why)
    raise failed()


def verified(s, teller_id: str, password: str) -> Teller | None:  # noqa: ANN001 - a Session
    """The credential check, for sign-on and for a supervisor's authorisation at a teller's terminal
    (主管授权, Counter.authorise), in the caller's transaction: the teller's row, locked (failures are
    counted from every terminal), when the id and password are right and the teller is active and not
    locked, its failure count reset; None otherwise, whatever the cause (the caller says `failed()`
    and, in a transaction that is kept, `count_failure`)."""
    tid = teller_id.strip()
    t = s.get(Teller, tid, with_for_update=True) if 0 < len(tid) <= 64 else None
    if t is None or not t.active or t.locked or not verify_password(password, t.password_hash):
        return None
    if t.failed_attempts:
        t.failed_attempts = 0
        s.add(t)
    return t


def count_failure(s, teller_id: str) -> tuple[str, str]:  # noqa: ANN001 - a Session
    """A failed credential check, counted towards the lockout (MAX_FAILURES wrong passwords in a row
    lock the teller). Returns the id to journal the failure under (the teller's, or "" when no
    teller has the id typed: it may be a mistyped password) and why, for the journal only."""
    tid = teller_id.strip()
    t = s.get(Teller, tid, with_for_update=True) if 0 < len(tid) <= 64 else None
    why = "unknown" if t is None else "inactive" if not t.active else "locked" if t.locked else "password"
    if why == "password":
        t.failed_attempts += 1
        if t.failed_attempts >= MAX_FAILURES:
            t.locked, why = True, "password_locked"
        s.add(t)
    return (t.id if t is not None else ""), why


def unlock_as_store_owner(engine: Engine, teller_id: str, *, terminal: str = "") -> str:
    """`teller staff unlock ID --store-owner`: when every supervisor is locked, nobody can sign on to
    run 9102. Whoever can run this can write the store anyway (its file is 0600, a PostgreSQL role
    owns the database): this gives them nothing new, and leaves a journal line that says who was
    unlocked and from where."""
    with unit_of_work(engine) as s:
        t = s.get(Teller, teller_id.strip(), with_for_update=True)
        if t is None:
            raise Refused(Rule.NOT_FOUND, _("没有柜员 {id}").format(id=teller_id.strip()))
        t.locked, t.failed_attempts = False, 0
        s.add(t)
        message = _("柜员 {id} 已由数据库管理者解锁").format(id=t.id)
        _journal_line(s, "", terminal, STAFF_UNLOCK_OP, {"id": t.id, "by": "store-owner"}, True, "", message)
    return message


STAFF_UNLOCK_OP = "staff_unlock"


def _journal_failure(s, teller_id: str, terminal: str, why: str) -> None:  # noqa: ANN001 - a Session
    _journal_line(s, teller_id, terminal, SIGN_ON_OP, {"why": why}, False, str(Rule.FORBIDDEN), failed().message)


def _journal_line(s, teller_id: str, terminal: str, op: str, inputs: dict, ok: bool, rule: str,  # noqa: ANN001
                  message: str) -> None:
    """A journal line outside the counter functions (a failed sign-on, an unlock by the store's owner),
    chained like every other, in the transaction that does what it records. Nothing is journalled on
    a store without a business date yet."""
    from teller.services import concurrency as C
    from teller.services.base import business_date, seal_line
    from teller.store.models import Journal

    try:
        settings = C.open_day(s, exclusive=False)
    except Refused:
        return
    journal = Journal(business_date=business_date(settings), at=datetime.now().astimezone(), teller_id=teller_id,
                      terminal=terminal, function_code=SIGN_ON_CODE, op=op, inputs=inputs,
                      ok=ok, rule=rule, message=message, agent=False, customer_code="")
    s.add(journal)
    s.flush()
    seal_line(s, journal, settings)
