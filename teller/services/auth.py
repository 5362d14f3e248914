"""Teller passwords (scrypt, a memory-hard KDF from the standard library) and sign-on."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

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


def sign_on(engine: Engine, teller_id: str, password: str) -> Teller:
    """Returns the teller, or refuses; five wrong passwords in a row lock the teller until a
    supervisor unlocks it in 9102."""
    with unit_of_work(engine) as s:
        t = s.get(Teller, teller_id.strip(), with_for_update=True)  # counts failures from every terminal
        if t is None or not t.active:
            raise Refused(Rule.FORBIDDEN, _("柜员号或密码不对"))
        if t.locked:
            raise Refused(Rule.FORBIDDEN, _("柜员 {id} 已锁定，请主管在 9102 解锁").format(id=t.id))
        if verify_password(password, t.password_hash):
            sandbox = s.get(Setting, SANDBOX_SETTING)
            check_sign_on(t.role, sandbox is not None and sandbox.value == "1")
            t.failed_attempts = 0
            s.add(t)
            return Teller.model_validate(t.model_dump())
        t.failed_attempts += 1
        if t.failed_attempts >= MAX_FAILURES:
            t.locked = True
        s.add(t)
        left = MAX_FAILURES - t.failed_attempts
    # committed the failure count; now refuse
    if left <= 0:
        raise Refused(Rule.FORBIDDEN, _("密码连续错误 {n} 次，柜员已锁定").format(n=MAX_FAILURES))
    raise Refused(Rule.FORBIDDEN, _("柜员号或密码不对（还可再试 {n} 次）").format(n=left))
