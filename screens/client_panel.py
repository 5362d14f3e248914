"""The client panel: once the form knows the client, who they are, their service state, and each
open fund account. The view reads the client off the UI thread (storecall.py) and hands the
record to `show`; the panel itself never touches the store."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from teller.forms.base import Column
from teller.forms.common import ACCOUNT_COLUMNS
from teller.i18n import N_, _
from teller.screens import fmt
from teller.screens.resolver import open_accounts
from teller.screens.widgets import fill_table

# The row number an account field of the current client takes for the account (resolver.py).
ROW_COLUMN = Column("row", N_("序号"))


class ClientPanel(Vertical):
    """Once the client is known: who they are, their service state, and each fund account's row
    number (which an account field takes for it), role, bank, transfer flag, custody, cash,
    available and withdrawable."""

    def compose(self) -> ComposeResult:
        yield Static("", id="client-head", markup=False)
        table = DataTable(id="client-accounts", show_cursor=False, zebra_stripes=False)
        table.can_focus = False
        yield table

    def show(self, client: dict | None) -> None:
        self.display = client is not None
        if client is None:
            return
        head = _("客户 {code} {name} │ {kind} │ {status} │ {state}").format(
            code=client["customer"], name=client["name"], kind=fmt.label(client["kind"]), status=_(client["status"]),
            state=fmt.label(client["service_state"]))
        if client.get("key_info_pending_banks"):
            head += " │ " + _("关键信息待发送：{banks}").format(banks=_("、").join(_(b) for b in client["key_info_pending_banks"]))
        self.query_one("#client-head", Static).update(head)
        rows = [a | {"row": str(i)} for i, a in enumerate(open_accounts(client), 1)]
        fill_table(self.query_one(DataTable), (ROW_COLUMN,) + ACCOUNT_COLUMNS, rows)
