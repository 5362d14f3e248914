"""8102 业务复核 on the counter: the form (review number, approve or reject, reason) under the list of
requests waiting for a second person, and several approvals in one go.

The list says what each request is, as 8102 should (issue 10 item 6): function (code and title,
never an op name), client, fund accounts, the change approving it would make, instruction number,
maker. The quick part (all but the change) is read as the view opens, in a store worker that holds
the keys typed meanwhile (typeahead.py: holds_keys), so keys typed at once (shift+Tab, Enter) find
the list there; the change is a preview of each request, a write transaction rolled back, which
may wait on another terminal's lock, so it comes from a worker of its own (changes.review_queue)
and fills in without holding keys. The row
under the cursor is shown whole on the line below the table, so nothing is cut at 80 columns.

Several in one go: Space on a row of the list marks it (`[√]`, readable without colour), again
unmarks it; F8 with rows marked confirms once, listing each, then approves each as its own 8102 call:
its own transaction and journal line (and receipt, where its function has one), so one refused (the maker, a request that no longer
applies) leaves the others approved, and the message line says which went through and which not.
Decided: marks approve only; a rejection needs its own reason, so it is one at a time in the form.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from teller.forms import base as F
from teller.forms.catalog import by_op
from teller.forms.menu import title_of
from teller.i18n import N_, _
from teller.screens.form import FormView, refusal_line
from teller.screens.views import register_view

MARK, UNMARKED = "[√]", "[ ]"
COLUMNS = (F.Column("mark", N_("选")), F.Column("id", N_("复核号")), F.Column("function", N_("功能")),
           F.Column("customer", N_("客户号")), F.Column("accounts", N_("资金账户")), F.Column("instruction", N_("指令号")),
           F.Column("requested_by", N_("提交柜员")), F.Column("change", N_("变更内容")))


def quick_row(r: dict) -> dict:
    """A waiting request as reads.review_list gives it, before its change is previewed."""
    entry = by_op(r["op"])
    params = r.get("params") or {}
    return r | {"function": f"{entry.code} {_(entry.title)}" if entry else r["op"],
                "accounts": str(params.get("account") or ""), "instruction": str(params.get("instruction") or ""),
                "change": "…"}


@register_view("8102")
class ReviewView(FormView):
    BINDINGS = [Binding("space", "mark", N_("标记"), show=False)]

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.queue: dict[str, dict] = {}  # review id -> its row in the list
        self.marked: set[str] = set()

    def on_mount(self) -> None:
        # the row under the cursor, whole, on the line under the table
        self.query_one("#listing").parent.mount(Static("", id="listing-detail", markup=False), after="#listing")
        super().on_mount()

    # --- the list -------------------------------------------------------------------------------
    def show_listing(self) -> None:
        from teller.services import reads
        from teller.services.changes import review_queue

        # Both off the UI thread (storecall.py): the requests as they are stored, at once, then
        # each with its change previewed. The quick list is drawn only while the full one is out.
        engine, counter = self.app.engine, self.counter

        def quick(rows: list[dict]) -> None:
            if self.busy_with("listing"):
                self.fill([quick_row(r) for r in rows])

        self.store_call("listing-quick", lambda: reads.review_list(engine), quick)
        self.store_call("listing", lambda: review_queue(counter), self.fill)

    def holds_keys(self) -> bool:
        return super().holds_keys() or self.busy_with("listing-quick")

    def fill(self, rows: list[dict]) -> None:
        from teller.screens.widgets import fill_table

        table = self.query_one("#listing", DataTable)
        at = self.highlighted_id()
        self.queue = {str(r["id"]): r for r in rows}
        self.marked &= set(self.queue)
        fill_table(table, COLUMNS, [r | {"mark": MARK if str(r["id"]) in self.marked else UNMARKED} for r in rows], key="id")
        if not rows and self.screen.focused is table:  # the list is gone: the cursor goes to the form
            first = self.first_focus()
            if first is not None:
                first.focus()
        table.display = bool(rows)
        if at in self.queue:
            table.move_cursor(row=list(self.queue).index(at))
        self.show_title()
        self.show_detail()

    def show_title(self) -> None:
        n = len(self.queue)
        if not n:
            title = _("待复核业务 0 笔")
        elif self.marked:
            title = _("待复核业务 {n} 笔，已标记 {k} 笔：按 F8 一并批准").format(n=n, k=len(self.marked))
        else:
            title = _("待复核业务 {n} 笔（↑ 进入列表，回车选取一笔，空格标记多笔）").format(n=n)
        self.query_one("#listing-title", Static).update(title)

    def highlighted_id(self) -> str | None:
        table = self.query_one("#listing", DataTable)
        if not table.row_count or not self.queue:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return str(key) if key is not None else None

    def show_detail(self) -> None:
        rid = self.highlighted_id()
        detail = self.query_one("#listing-detail", Static)
        r = self.queue.get(rid or "")
        detail.display = r is not None
        if r is not None:
            detail.update(review_line(r))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "listing":
            self.show_detail()

    def action_mark(self) -> None:
        table = self.query_one("#listing", DataTable)
        rid = self.highlighted_id()
        if self.screen.focused is not table or rid is None:
            return
        self.marked ^= {rid}
        self.fill(list(self.queue.values()))  # fill_table lays the marks out (room for the cursor's ›)

    # --- several in one go --------------------------------------------------------------------
    def submit(self) -> None:
        if not self.marked:
            super().submit()
            return
        if self.waiting():
            return
        from teller.screens.dialogs import ConfirmDialog

        ids = sorted(self.marked, key=int)
        title = _("{code} {title}：请核对后确认").format(code=self.code, title=_(title_of(self.code)))
        body = [_("批准已标记的 {n} 笔：每笔各自生效，各记一笔流水").format(n=len(ids))]
        body += [review_line(self.queue[i]) for i in ids]

        def decided(yes: bool | None) -> None:
            if yes:
                self.approve_all(ids)
            else:
                self.say(_("未提交；标记仍在，可修改后再按 F8"))

        self.app.push_screen(ConfirmDialog(title, body), decided)

    def approve_all(self, ids: list[str]) -> None:
        counter, ctx = self.counter, self.app.context(documents=frozenset())
        self.store_call("submit", lambda: [(i, counter.run("review", {"approve": i}, ctx)) for i in ids], self.approved_all)

    def approved_all(self, results: list) -> None:
        done = [(i, o) for i, o in results if o.ok]
        refused = [(i, o) for i, o in results if not o.ok]
        parts = []
        if done:
            parts.append(_("✔ 已批准 {n} 笔：{items}").format(n=len(done), items=_("、").join(
                _("复核 {id}（流水号 {j}）").format(id=i, j=o.journal_id) for i, o in done)))
        for i, o in refused:
            parts.append(_("复核 {id} 未批准：").format(id=i) + refusal_line(o)
                         + (_("（流水号 {j}）").format(j=o.journal_id) if o.journal_id else ""))
        kind = "ok" if not refused else "warn" if done else "error"
        self.screen.message.result(done[-1][1] if done else results[-1][1], "\n".join(parts), kind)
        self.last_journal = done[-1][1].journal_id if done else None  # F6 prints the last receipt
        self.marked.clear()
        self.checked.clear()
        self.seen = ()
        self.show_listing()
        self.screen.refresh_status()


def review_line(r: dict) -> str:
    """One waiting request in one line: 复核号 5  3201 …  客户 880002  资金账户 …  the change  指令号 …  提交 T01."""
    parts = [_("复核号 {id}").format(id=r["id"]), r["function"], _("客户 {c}").format(c=r["customer"])]
    if r.get("accounts"):
        parts.append(_("资金账户 {a}").format(a=r["accounts"]))
    if r.get("change") and r["change"] != "…":
        parts.append(r["change"])
    if r.get("instruction"):
        parts.append(_("指令号 {n}").format(n=r["instruction"]))
    parts.append(_("提交 {t}").format(t=r["requested_by"]))
    return "  ".join(parts)
