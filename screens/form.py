"""The form view: any function defined in forms/, filled top to bottom at the keyboard.

Fields are checked as they are typed (their format, and that a client or account exists and
belongs together); the client's fund accounts appear once the client is known; the papers
checklist marks what the service says this call needs (Counter.preview with every paper counted
as there) and where each will be filed. F8 previews the call with the papers ticked: a refusal is
run for real so it is journaled, and shown with its rule; otherwise the confirmation dialog shows
the effect, and only then does the counter commit. The form stays filled either way.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from teller.domain import papers as P
from teller.domain.errors import Rule, rule_title
from teller.forms import base as F
from teller.forms.catalog import by_op, form_for
from teller.forms.menu import title_of
from teller.i18n import N_, _
from teller.screens import fmt
from teller.screens.views import FunctionView
from teller.screens.widgets import ClientPanel, FieldInput, FieldRow, PapersList

LINKED = {F.ACCOUNT: "account", F.SHAREHOLDER: "shareholder", F.OF_ACCOUNT: "of_account", F.REVIEW: "review", F.ALERT: "alert"}


def refusal_line(o) -> str:  # noqa: ANN001 - an Outcome
    """One line a teller reads: the rule code, the rule's short name, and the service's reason."""
    return _("✘ [{rule}] {title}：{message}").format(rule=o.rule, title=rule_title(o.rule), message=o.message)


class FormView(FunctionView):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.form = form_for(code)
        self.client_code: str | None = None
        self.checked: dict[str, tuple[str, str | None]] = {}  # field -> (value, error) last checked
        self.seen: tuple = ()  # the values after_change last acted on

    # --- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-scroll"):
            if self.form.listing:
                yield Static("", id="listing-title", classes="section-title", markup=False)
                # ↑ ↓ walk the list, Enter takes the highlighted one into the first field
                yield DataTable(id="listing", cursor_type="row")
            with Vertical(id="fields"):
                for f in self.form.all_fields():
                    yield FieldRow(f)
            yield ClientPanel(id="client")
            yield from self.compose_tail()

    def compose_tail(self) -> ComposeResult:
        yield Static(_("客户交来的资料（空格勾选，F4 添加其他资料）"), id="papers-title", classes="section-title", markup=False)
        yield PapersList()

    def on_mount(self) -> None:
        self.query_one(ClientPanel).show(None)
        self.show_listing()
        self.show_papers(None)
        self.update_visibility()

    def fields(self) -> list[F.Field]:
        return [f for f in self.form.all_fields() if f.visible(self.values())]

    def input_of(self, name: str) -> FieldInput:
        return self.query_one(f"#f-{name}", FieldInput)

    def row_of(self, name: str) -> FieldRow:
        return self.query_one(f"#row-{name}", FieldRow)

    def values(self) -> dict[str, str]:
        return {f.name: f.normalise(self.input_of(f.name).value) for f in self.form.all_fields()}

    def update_visibility(self) -> None:
        values = self.values()
        for f in self.form.all_fields():
            self.row_of(f.name).display = f.visible(values)

    def first_focus(self) -> Widget | None:
        shown = self.fields()
        return self.input_of(shown[0].name) if shown else None

    # --- checking as typed ----------------------------------------------------------------
    def check_field(self, f: F.Field) -> str | None:
        raw = self.input_of(f.name).value
        if self.checked.get(f.name, (None,))[0] == raw:
            return self.checked[f.name][1]
        values = self.values()
        error = f.check(raw, values)
        value = f.normalise(raw)
        if error is None and value:
            error = self.check_exists(f, value)
        self.checked[f.name] = (raw, error)
        self.row_of(f.name).hint(error, error=True) if error else self.row_of(f.name).hint(
            f.shown_value(value) if f.kind == F.CHOICE and value else None)
        return error

    def check_exists(self, f: F.Field, value: str) -> str | None:
        from teller.services import reads

        engine = self.app.engine
        if f.kind == F.CUSTOMER:
            return None if reads.client(engine, value) else _("客户号 {v} 不存在").format(v=value)
        if f.kind not in LINKED:
            return None
        owner = reads.owner_of(engine, LINKED[f.kind], value)
        if owner is None:
            return _("{field} {v} 不存在").format(field=_(f.label), v=value)
        known = self.customer_typed() or self.client_before(f)
        if known and owner != known:
            return _("{field} {v} 不属于客户 {code}").format(field=_(f.label), v=value, code=known)
        return None

    def client_before(self, f: F.Field) -> str | None:
        """Without a client-number field, the first account (or shareholder / fund account) typed
        names the client, and a later one must be the same client's (3203 from/to, 2101, 4102)."""
        from teller.services import reads

        for other in self.fields():
            if other.name == f.name:
                return None
            value = self.input_of(other.name).value.strip()
            if other.kind in LINKED and value and self.checked.get(other.name, ("", "x"))[1] is None:
                return reads.owner_of(self.app.engine, LINKED[other.kind], value)
        return None

    def customer_typed(self) -> str | None:
        """The client named in a client-number field of this form, if one is filled and valid."""
        for f in self.fields():
            if f.kind == F.CUSTOMER and self.checked.get(f.name, ("", "x"))[1] is None and self.input_of(f.name).value.strip():
                return self.input_of(f.name).value.strip()
        return None

    def find_client(self) -> str | None:
        from teller.services import reads

        known = self.customer_typed()
        if known:
            return known
        for f in self.fields():
            value = self.input_of(f.name).value.strip()
            if f.kind in LINKED and value and self.checked.get(f.name, ("", "x"))[1] is None:
                return reads.owner_of(self.app.engine, LINKED[f.kind], value)
        return None

    def after_change(self) -> None:
        """A field was accepted: show the client, then learn which papers this call needs."""
        snapshot = tuple(self.values().items())
        if snapshot == self.seen:
            return
        self.seen = snapshot
        code = self.find_client()
        if code != self.client_code:
            self.client_code = code
            self.show_client()
        self.refresh_required()

    def show_client(self) -> None:
        from teller.services import reads

        self.query_one(ClientPanel).show(reads.client(self.app.engine, self.client_code) if self.client_code else None)

    def ready(self) -> bool:
        """Every visible required field filled and no field in error."""
        for f in self.fields():
            raw = self.input_of(f.name).value
            if (f.required and not raw.strip()) or (raw.strip() and self.check_field(f)):
                return False
        return True

    def call(self) -> tuple[dict, bool]:
        params, context = self.form.params(self.values())
        return params, context.get("agent") == "1"

    def refresh_required(self) -> None:
        if not self.query(PapersList) or not self.ready():
            return
        params, agent = self.call()
        o = self.counter.preview(self.form.op, params, self.app.context(documents=None, agent=agent))
        if o.ok:
            self.show_papers({p["paper"]: p["accounts"] for p in o.data.get("papers", [])})
        else:
            self.say(_("注意：按现在的内容提交将被拒绝 [{rule}] {m}").format(rule=o.rule, m=o.message), "warn")

    def show_papers(self, required: dict[str, list[str]] | None) -> None:
        papers = self.query(PapersList)
        if not papers:
            return
        agent = self.values().get("agent") == "1"
        candidates = list(self.form.papers) + (list(P.AGENT_PAPERS) if agent else [])
        if required is None and papers.first().required:
            required = {k: v for k, v in papers.first().required.items() if agent or k not in P.AGENT_PAPERS}
        papers.first().show(candidates, required)
        shown = bool(papers.first().papers)
        papers.first().display = shown
        self.query_one("#papers-title").display = shown

    def show_listing(self) -> None:
        if not self.form.listing:
            return
        from teller.services import reads
        from teller.screens.widgets import fill_table

        table = self.query_one("#listing", DataTable)
        if self.form.listing == "reviews":
            rows = [r | {"function": f"{by_op(r['op']).code if by_op(r['op']) else ''} {_(by_op(r['op']).title) if by_op(r['op']) else r['op']}"}
                    for r in reads.review_list(self.app.engine)]
            cols = (F.Column("id", N_("复核号")), F.Column("function", N_("功能")), F.Column("customer", N_("客户号")),
                    F.Column("requested_by", N_("提交柜员")), F.Column("date", N_("日期"), "date"))
            title = _("待复核业务 {n} 笔").format(n=len(rows))
        else:
            rows = reads.alert_list(self.app.engine)
            cols = (F.Column("id", N_("预警号")), F.Column("customer", N_("客户号")), F.Column("kind", N_("类别"), "label"),
                    F.Column("date", N_("日期"), "date"), F.Column("state", N_("状态"), "label"))
            title = _("未处理预警 {n} 笔").format(n=len(rows))
        self.query_one("#listing-title", Static).update(title)
        fill_table(table, cols, rows, key="id")
        table.display = bool(rows)

    # --- keys -----------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "listing" and event.row_key.value:
            event.stop()
            self._take(self.form.fields[0], event.row_key.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, FieldInput):
            if event.input.field.kind == F.CHOICE:
                self.update_visibility()
            if event.input.field.name == "agent":
                self.show_papers(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not isinstance(event.input, FieldInput):
            return
        event.stop()
        f = event.input.field
        error = self.check_field(f)
        if error:
            self.say(error, "error")
            return
        self.say("")
        self.after_change()
        self.advance(f)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if isinstance(event.input, FieldInput) and event.input.value.strip() and self.is_attached:
            if self.check_field(event.input.field) is None:
                self.after_change()

    def advance(self, f: F.Field) -> None:
        shown = self.fields()
        names = [x.name for x in shown]
        i = names.index(f.name) if f.name in names else len(names) - 1
        if i + 1 < len(names):
            self.input_of(names[i + 1]).focus()
            return
        self.at_end()

    def at_end(self) -> None:
        papers = self.query(PapersList)
        if papers and papers.first().display and papers.first().papers:
            papers.first().focus()
            self.say(_("请按客户交来的资料逐项勾选（空格），然后按 F8 提交"))
        else:
            self.say(_("填写完毕，按 F8 提交"))

    def focused_field(self) -> F.Field | None:
        w = self.screen.focused
        return w.field if isinstance(w, FieldInput) else None

    def help_text(self) -> str:
        text = _(self.form.help) if self.form.help else ""
        f = self.focused_field()
        if f is not None:
            lines = [_("【{label}】").format(label=_(f.label))]
            if f.help:
                lines.append(_(f.help))
            if f.kind == F.CHOICE:
                lines.append(_("可选：{opts}").format(opts=f.choice_hint()))
            if f.kind in (F.CUSTOMER, F.BANK, F.CHOICE, F.TELLER) or f.kind in LINKED:
                lines.append(_("按 F4 列出可选值"))
            text = "\n".join(lines) + "\n\n" + text
        return text

    def cancel(self) -> None:
        for f in self.form.all_fields():
            self.input_of(f.name).value = f.typed_default()
            self.row_of(f.name).hint(None)
        self.checked.clear()
        self.seen = ()
        self.client_code = None
        self.show_client()
        if self.query(PapersList):
            papers = self.query_one(PapersList)
            papers.deselect_all()
            papers.required = {}
        self.show_papers(None)
        self.update_visibility()
        target = self.first_focus()
        if target:
            target.focus()
        self.say(_("已清空，请重新输入"))

    def refresh_view(self) -> None:
        self.checked.clear()
        self.seen = ()
        self.show_client()
        self.show_listing()
        self.say(_("已刷新"))

    def lookup(self) -> None:
        from teller.screens.lookups import lookup_for

        w = self.screen.focused
        if isinstance(w, PapersList):
            self.app.push_screen(lookup_for("paper", self), self._add_paper)
            return
        f = self.focused_field()
        dialog = lookup_for(f.kind, self, f) if f else None
        if dialog is None:
            self.say(_("此栏没有可选列表"))
            return
        self.app.push_screen(dialog, lambda value: self._take(f, value))

    def _take(self, f: F.Field, value: str | None) -> None:
        if not value:
            return
        box = self.input_of(f.name)
        box.value = value
        box.focus()
        if self.check_field(f) is None:
            self.after_change()
            self.advance(f)

    def _add_paper(self, paper: str | None) -> None:
        if paper:
            self.query_one(PapersList).add_paper(paper)
            self.query_one(PapersList).focus()

    # --- submitting -----------------------------------------------------------------------
    def first_error(self) -> tuple[F.Field, str] | None:
        for f in self.fields():
            error = self.check_field(f)
            if error:
                return f, error
        return None

    def submit(self) -> None:
        from teller.screens.dialogs import ConfirmDialog
        from teller.screens.effect import effect_parts
        from teller.services import reads

        bad = self.first_error()
        if bad:
            self.input_of(bad[0].name).focus()
            self.say(bad[1], "error")
            return
        params, agent = self.call()
        ticked = self.query_one(PapersList).ticked() if self.query(PapersList) else frozenset()
        ctx = self.app.context(documents=ticked, agent=agent)
        client = reads.client(self.app.engine, self.client_code) if self.client_code else None
        before = client["accounts"] if client else []
        o = self.counter.preview(self.form.op, params, ctx)
        if not o.ok:
            self.show_outcome(self.counter.run(self.form.op, params, ctx))
            return
        title = _("{code} {title}：请核对后确认").format(code=self.code, title=_(title_of(self.code)))

        def decided(yes: bool | None) -> None:
            if yes:
                self.show_outcome(self.counter.run(self.form.op, params, ctx))
            else:
                self.say(_("未提交；可修改后再按 F8"))

        self.app.push_screen(ConfirmDialog(title, effect_parts(before, o.data, o.message)), decided)

    def show_outcome(self, o) -> None:  # noqa: ANN001 - an Outcome
        journal = _("（流水号 {j}）").format(j=o.journal_id) if o.journal_id else ""
        self.last_journal = o.journal_id if o.ok else None  # F6 prints its receipt (screens/printing.py)
        if o.ok:
            self.say("✔ " + o.message + journal, "ok")
            if self.query(PapersList):
                self.query_one(PapersList).deselect_all()
        else:
            self.say(refusal_line(o) + journal, "error")
            self.point_at(o)
        self.checked.clear()
        self.seen = ()
        self.show_client()
        self.show_listing()
        self.screen.refresh_status()

    def point_at(self, o) -> None:  # noqa: ANN001
        """Put the cursor where the refusal points: the field named, or the papers."""
        if o.rule == Rule.DOC_MISSING and self.query(PapersList):
            self.query_one(PapersList).focus()
            return
        field = o.data.get("field")
        for f in self.fields():
            if field and f.label == field:
                self.input_of(f.name).focus()
                return

