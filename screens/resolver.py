"""The client resolver: which client a form is about, and whether what was typed exists and is that
client's. A form names its client by a client-number field, or (without one) by the first account,
shareholder account or fund account typed; any later account must be the same client's (3203 from /
to, 2101, 4102).

It works on a snapshot of the fields (`Entry`: the field, its value, whether it passed its checks),
not on the widgets, so the same code runs on the UI thread (as a field is accepted) and in a store
worker (storecall.py). It reads through teller.services.reads only.

The current client (当前客户, issue 10 item 1): once a function has named a client, the next one
starts from them. An account field then takes a short form of one of that client's accounts, the
row number in the client panel (`1`…`5`) or the suffix the usage note gives the aux accounts
(`01`…`05` after the 9-digit account: 880002001 → 88000200101), and `examine` turns it into the
real number before anything is sent, so the service, the journal and the papers only ever see
the real account number. A short form refers to the form's own client when it names one (its
client-number field, or an account typed above), else to the current client.
"""

from __future__ import annotations

from dataclasses import dataclass

from teller.forms import base as F
from teller.i18n import N_, _

LINKED = {F.ACCOUNT: "account", F.SHAREHOLDER: "shareholder", F.OF_ACCOUNT: "of_account", F.REVIEW: "review", F.ALERT: "alert"}


@dataclass(frozen=True)
class Entry:
    field: F.Field
    value: str  # as typed, stripped
    valid: bool  # checked and no error


def open_accounts(client: dict | None) -> list[dict]:
    """The client's open fund accounts in the order the client panel numbers them (1…5)."""
    return [a for a in (client or {}).get("accounts", []) if a["status"] == "open"]


def is_short_account(text: str) -> bool:
    """`1`…`9` (a row of the client panel) or `01`…`09` (an aux account's suffix)."""
    return text.isascii() and text.isdigit() and len(text) in (1, 2) and text.strip("0") != ""


def account_by_short(client: dict, text: str) -> dict | None:
    """The client's open account that `text` names: its row in the client panel (`2`), or the
    aux account whose number is the 9-digit account's with that suffix (`01`)."""
    rows = open_accounts(client)
    if len(text) == 1:
        i = int(text) - 1
        return rows[i] if 0 <= i < len(rows) else None
    bases = {a["no"] for a in client.get("accounts", []) if len(a["no"]) == 9}
    for a in rows:
        if a["no"][:-2] in bases and a["no"].endswith(text):
            return a
    return None


@dataclass(frozen=True)
class Examined:
    """What the store says about one field's value: the value to keep (a short account form made
    the real number), the error or None, and a note for the message line (what was filled in)."""

    value: str
    error: str | None
    note: str | None = None


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

    def client_of(self, entries: list[Entry], current: str | None = None) -> str | None:
        """The form's client: its client-number field, else the owner of its first valid account,
        else the current client (whose accounts the short forms name)."""
        known = self.customer_typed(entries)
        if known:
            return known
        for e in entries:
            if e.field.kind in LINKED and e.value and e.valid:
                return self.owner_of(e.field.kind, e.value)
        return current

    def examine(self, f: F.Field, value: str, entries: list[Entry], current: str | None = None) -> Examined:
        """`check_exists` for one accepted field, after turning a short account form (`2`, `01`)
        into the real number of the form's client (or the current client's)."""
        if f.kind == F.ACCOUNT and is_short_account(value):
            code = self.customer_typed(entries) or self.client_before(entries, f.name) or current
            if not code:
                return Examined(value, _("{field}：{v} 不是完整的资金账号；没有当前客户时请输入完整账号或按 F4 选择").format(
                    field=_(f.label), v=value))
            client = self.client(code)
            account = account_by_short(client, value) if client else None
            if account is None:
                return Examined(value, _("{field}：客户 {code} 没有第 {v} 个资金账户（按客户资料中的序号 1–{n} 或辅助账户尾号 01–05 输入）").format(
                    field=_(f.label), code=code, v=value, n=len(open_accounts(client))))
            note = _("{field} {v} → {no}（客户 {code} 的{role}，{bank}）").format(
                field=_(f.label), v=value, no=account["no"], code=code, role=_role_name(account["role"]), bank=_(account["bank"]))
            return Examined(account["no"], None, note)
        return Examined(value, self.check_exists(f, value, entries))

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

    def client(self, code: str | None) -> dict | None:  # noqa: D102
        from teller.services import reads

        return reads.client(self.engine, code) if code else None


ROLE_NAMES = {"main": N_("主资金账户"), "aux": N_("辅助资金账户")}


def _role_name(role: object) -> str:
    return _(ROLE_NAMES.get(str(getattr(role, "value", role)), N_("资金账户")))
