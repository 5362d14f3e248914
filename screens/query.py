"""The query view: the query's fields, then its result as scrollable tables (↑ ↓ PgUp PgDn).
Queries run through the counter too, so each leaves its journal line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from teller.i18n import _
from teller.screens import fmt
from teller.screens.form import FormView
from teller.screens.message import done_line, refusal_line
from teller.screens.client_panel import ClientPanel
from teller.screens.widgets import CursorTable, fill_table


class QueryView(FormView):
    def compose_tail(self) -> ComposeResult:
        yield Static("", id="summary", markup=False)
        for i, table in enumerate(self.form.results):
            yield Static(_(table.title), id=f"result-title-{i}", classes="section-title", markup=False)
            yield CursorTable(id=f"result-{i}", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        self.show_results(None)

    def show_client(self, client: dict | None = None) -> None:
        """The result tables show the client; the panel would only repeat them."""
        self.query_one(ClientPanel).show(None)

    def refresh_required(self) -> None:
        """A query needs no papers."""

    def at_end(self) -> None:
        self.submit()

    def submit(self) -> None:
        if self.waiting():
            return
        bad = self.first_error()
        if bad:
            self.input_of(bad[0].name).focus()
            self.say(bad[1], "error")
            return
        params, _agent = self.call()
        op, ctx, counter = self.form.op, self.app.context(), self.counter
        self.store_call("submit", lambda: counter.run(op, params, ctx), self.answered)

    def answered(self, o) -> None:  # noqa: ANN001 - the query's Outcome, back from the store
        if not o.ok:
            self.show_results(None)
            self.screen.message.result(o, refusal_line(o), "error")
            self.point_at(o)
            return
        if not any(t.key is None or t.key in o.data for t in self.form.results):
            # not a listing but an action on one record (7102: review, report or dismiss an alert)
            self.show_results(None)
            self.screen.message.result(o, done_line(o), "ok")
            self.to_code_line()
            return
        count = self.show_results(o.data)
        self.screen.message.result(o, _("查询完成，共 {n} 条记录（流水号 {j}）").format(n=count, j=o.journal_id), "ok")
        self.after_result(count)

    def after_result(self, count: int) -> None:
        """Where the cursor goes once the result is shown (issue 10 "Keys": after 3206 the next code
        needed F2 first). A list the teller acts on keeps it: a table with a 流水号 column, whose
        highlighted row F6 prints (6101, 6103, 8101); an empty field of the form, which handles one
        of the rows listed (7102's 预警号). Any other result, or none listed, is only read: the cursor goes to the
        function-code line, the code selected, as after a commit (FormView.to_code_line)."""
        for i, table in enumerate(self.form.results):
            widget = self.query_one(f"#result-{i}", DataTable)
            if widget.row_count and any(c.key == "journal" for c in table.columns):
                widget.focus()
                return
        empty = next((f for f in self.fields() if not self.walker.raw(f.name).strip()), None)
        if empty is not None and count:
            self.input_of(empty.name).focus()
            return
        self.to_code_line()

    def show_results(self, data: dict | None) -> int:
        summary = self.query_one("#summary", Static)
        summary.update(self.summary(data) if data else "")
        summary.display = bool(data)
        count = 0
        for i, table in enumerate(self.form.results):
            widget = self.query_one(f"#result-{i}", DataTable)
            rows = [] if data is None else ([data] if table.key is None else list(data.get(table.key) or []))
            fill_table(widget, table.columns, rows)
            count += len(rows)
            shown = data is not None
            widget.display = shown
            self.query_one(f"#result-title-{i}").display = shown
        return count

    def summary(self, data: dict) -> str:
        parts = []
        if data.get("customer"):
            parts.append(_("客户 {code}").format(code=data["customer"]) + (f" {data['name']}" if data.get("name") else ""))
        if data.get("kind"):
            parts.append(fmt.label(data["kind"]))
        if data.get("id_type"):
            parts.append(f"{_(data['id_type'])} {data.get('id_no', '')}")
        if data.get("status"):
            parts.append(_(data["status"]))
        if data.get("service_state"):
            parts.append(fmt.label(data["service_state"]))
        pending = data.get("key_info_pending_banks") or data.get("pending_banks")
        if pending:
            parts.append(_("关键信息待发送：{banks}").format(banks=_("、").join(_(b) for b in pending)))
        return " │ ".join(parts)
