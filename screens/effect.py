"""What the confirmation dialog shows before a function commits: each fund account whose balances,
role or flag change (before → after), and the papers to be archived and under which accounts.
`before` is the client's accounts read before; `after` is what Counter.preview saw just before it
rolled back."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from teller.i18n import _
from teller.screens import fmt
from teller.services.changes import of_data

# The fields the accounts table shows (role also as its own line below it).
TABLE_FIELDS = ("role", "transfer_flag", "custody", "cash", "frozen")
WATCHED = ("role", "in_service", "transfer_flag", "custody", "status", "cash", "available", "withdrawable")


def accounts_after(data: dict) -> list[dict]:
    """The after-state of every fund account the preview touched."""
    if "accounts_after" in data:
        return list(data["accounts_after"])
    found: dict[str, dict] = {}

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if "no" in value and "cash" in value and "withdrawable" in value:
                found[value["no"]] = value
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data)
    return list(found.values())


def _arrow(kind: str, old: object, new: object) -> Text:
    a, b = fmt.cell(kind, old), fmt.cell(kind, new)
    if a == b:
        return Text(a)
    return Text.assemble(a, " → ", (b, "bold"))


def changes(before: list[dict], after: list[dict]) -> list[tuple[dict | None, dict]]:
    old = {a["no"]: a for a in before}
    out = []
    for a in after:
        b = old.get(a["no"])
        if b is None or any(str(b.get(k)) != str(a.get(k)) for k in WATCHED):
            out.append((b, a))
    return out


def _table(changed: list[tuple[dict | None, dict]]) -> Table:
    """Only the columns that say something: role, flag, custody and available appear when they
    change (available also when money is frozen); cash and withdrawable always."""
    pairs = [(b or a, a) for b, a in changed]

    def moves(key: str) -> bool:
        return any(str(b.get(key)) != str(a.get(key)) for b, a in pairs)

    columns = [("no", _("资金账号"), "text")]
    columns += [(k, label, kind) for k, label, kind in (
        ("role", _("角色"), "role"), ("transfer_flag", _("划转"), "flag"), ("custody", _("存管"), "label")) if moves(k)]
    columns.append(("cash", _("资金余额"), "money"))
    if any(x.get("available") != x.get("cash") for pair in pairs for x in pair):
        columns.append(("available", _("可用"), "money"))
    columns.append(("withdrawable", _("可取"), "money"))
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for _key, label, kind in columns:
        table.add_column(label, justify="right" if kind == "money" else "left", no_wrap=True)
    for b, a in pairs:
        table.add_row(*(Text(a["no"]) if key == "no" else _arrow(kind, b.get(key), a.get(key)) for key, _label, kind in columns))
    return table


def effect_parts(before: list[dict], data: dict, message: str) -> list:
    """Renderables for ConfirmDialog: balances, role changes, papers, and the service's own words."""
    parts: list = []
    changed = changes(before, accounts_after(data))
    if changed:
        parts.append(Text(_("资金账户变化（前 → 后）"), style="bold"))
        parts.append(_table(changed))
        for b, a in changed:
            if b and b.get("role") != a.get("role"):
                parts.append(_("{no} 角色：{old} → {new}").format(no=a["no"], old=fmt.cell("role", b["role"]), new=fmt.cell("role", a["role"])))
    # What the table does not show, from the service's own lines (teller.services.changes): links
    # moved, key information, an account closed, a request sent, an instruction; and for a request
    # that waits for a second person, what approving it will change.
    said = [c for c in of_data(data) if c.field not in TABLE_FIELDS]
    pending = of_data(data, "on_approval")
    if not changed and not said and not pending:
        parts.append(_("资金账户没有变化"))
    if said:
        parts.append(Text(_("变更内容（前 → 后）"), style="bold"))
        parts.extend(Text(c.text()) for c in said)
    if pending:
        parts.append(Text(_("批准后生效（前 → 后）"), style="bold"))
        parts.extend(Text(c.text()) for c in pending)
    papers = data.get("papers") or []
    if papers:
        parts.append(Text(_("归档资料（按客户号归档）"), style="bold"))
        for p in papers:
            where = _("、").join(a for a in p["accounts"] if a) or _("客户号下")
            parts.append(_("{paper} → {where}").format(paper=fmt.paper(p["paper"]), where=where))
    parts.append(Text(_("办理结果预计：{m}").format(m=message)))
    return parts
