"""The client resolver: which client a form is about, and whether what was typed exists and is that
client's. A form names its client by a client-number field, or (without one) by the first account,
shareholder account or fund account typed; any later account must be the same client's (3203 from /
to, 2101, 4102).

It works on a snapshot of the fields (`Entry`: the field, its value, whether it passed its checks),
not on the widgets, so the same code runs on the UI thread (as a field is accepted) and in a store
worker (storecall.py). It reads through teller.services.reads only.
"""

from __future__ import annotations

from dataclasses import dataclass

from teller.forms import base as F
from teller.i18n import _

LINKED = {F.ACCOUNT: "account", F.SHAREHOLDER: "shareholder", F.OF_ACCOUNT: "of_account", F.REVIEW: "review", F.ALERT: "alert"}


@dataclass(frozen=True)
class Entry:
    field: F.Field
    value: str  # as typed, stripped
    valid: bool  # checked and no error


class ClientResolver:
    def __init__(self, engine) -> None:  # noqa: ANN001
        self.engine = engine

    def owner_of(self, kind: str, value: str) -> str | None:
        from teller.services import reads

        return reads.owner_of(self.engine, LINKED[kind], value)

    def customer_typed(self, entries: list[Entry]) -> str | None:
        """The client named in a client-number field, if one is filled and valid."""
        for e in entries:
            if e.field.kind == F.CUSTOMER and e.valid and e.value:
                return e.value
        return None

    def client_before(self, entries: list[Entry], name: str) -> str | None:
        """The client named by the first valid account typed above the field `name`."""
        for e in entries:
            if e.field.name == name:
                return None
            if e.field.kind in LINKED and e.value and e.valid:
                return self.owner_of(e.field.kind, e.value)
        return None

    def client_of(self, entries: list[Entry]) -> str | None:
        """The form's client: its client-number field, else the owner of its first valid account."""
        known = self.customer_typed(entries)
        if known:
            return known
        for e in entries:
            if e.field.kind in LINKED and e.value and e.valid:
                return self.owner_of(e.field.kind, e.value)
        return None

    def check_exists(self, f: F.Field, value: str, entries: list[Entry]) -> str | None:
        """The error for `value` in field `f`, or None: the client or account exists, and an account
        belongs to the client the form already names."""
        from teller.services import reads

        if f.kind == F.CUSTOMER:
            return None if reads.client(self.engine, value) else _("客户号 {v} 不存在").format(v=value)
        if f.kind not in LINKED:
            return None
        owner = self.owner_of(f.kind, value)
        if owner is None:
            return _("{field} {v} 不存在").format(field=_(f.label), v=value)
        known = self.customer_typed(entries) or self.client_before(entries, f.name)
        if known and owner != known:
            return _("{field} {v} 不属于客户 {code}").format(field=_(f.label), v=value, code=known)
        return None

    def client(self, code: str | None) -> dict | None:
        from teller.services import reads

        return reads.client(self.engine, code) if code else None
