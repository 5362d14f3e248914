"""The form view: any function defined in forms/, filled top to bottom at the keyboard.

Fields are checked as they are typed (their format, and that a client or account exists and
belongs together); the client's fund accounts appear once the client is known; the papers
checklist marks what the service says this call needs (Counter.preview with every paper counted
as there) and where each will be filed. F8 previews the call with the papers ticked: a refusal is
run for real so it is journaled, and shown with its rule; otherwise the confirmation dialog shows
the effect, and only then does the counter commit. The form stays filled either way.

The view puts together its parts, each in its own module:
- walker.py, the field walker: which fields show, their values, which comes next;
- resolver.py, the client resolver: which client the form is about, whether what was typed exists;
- client_panel.py, the client panel; papers_panel.py, the papers checklist;
- message.py, the message line (the counter frame's), which keeps the outcome it reports;
- storecall.py: every preview, submit and listing runs off the UI thread, its result applied when
  it comes back; F8 is ignored (and the message line says it is waiting) while F8's own call is
  in flight.

Hooks for other screens (override in a subclass, or wrap):
- `committed(outcome)`: a confirmed function's outcome has come back (default: `show_outcome`);
  an authorisation step after a request that waits for a second person goes here;
- `show_outcome(outcome)`: reports it on the message line (`self.screen.message.outcome` is then
  that outcome, with its journal id) and reads the client and listings again;
- `confirm_body(before, preview)`: the confirmation dialog's lines.
"""

from __future__ import annotations

from textual._time import get_time
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from teller.domain import papers as P
from teller.domain.errors import Rule
from teller.forms import base as F
from teller.forms.catalog import by_op, form_for
from teller.forms.menu import title_of
from teller.i18n import N_, _
from teller.screens import fmt
from teller.screens.client_panel import ClientPanel
from teller.screens.papers_panel import PapersList
from teller.screens.resolver import LINKED, ClientResolver, Entry
from teller.screens.storecall import StoreCalls
from teller.screens.views import FunctionView
from teller.screens.message import done_line, refusal_line
from teller.screens.walker import FieldWalker
from teller.screens.widgets import CursorTable, FieldInput

__all__ = ["LINKED", "FormView", "next_step", "refusal_line"]

# Refusals about how much: the cursor goes to the amount (issue 10 item 8: after NOT_WITHDRAWABLE
# it was left on 代理人办理, the field F8 was pressed from).
AMOUNT_RULES = frozenset({Rule.NOT_WITHDRAWABLE, Rule.INSUFFICIENT_FUNDS})
# 1102's key information (DOMAIN §4): shown as it is now beside the fields that change it.
KEY_INFO_OP, KEY_INFO_FIELDS = "change_key_info", ("name", "id_type", "id_no")




def next_step(o) -> str | None:  # noqa: ANN001 - an Outcome
    """The function code the result names as the procedure's next step (the service's `next`; for
    a request approved at the terminal or in 8102, the approved function's)."""
    data = o.data or {}
    result = data.get("result") if isinstance(data.get("result"), dict) else {}
    return data.get("next") or result.get("next")


class FormView(StoreCalls, FunctionView):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.form = form_for(code)
        self.walker = FieldWalker(self, self.form)
        self.client_code: str | None = None
        self.checked: dict[str, tuple[str, str | None]] = {}  # field -> (value, error) last checked
        self.seen: tuple = ()  # the values after_change last acted on
        self.examining: dict[str, str] = {}  # field -> text whose store check is in flight
        self.now_values: dict[str, str] = {}  # field -> the client's value as it is now (1102)
        self.reported: tuple = ()  # the values of the call whose result the message line shows
        self.filled: set[str] = set()  # fields holding what FormDef.fill put there, untouched since
        self.check_started: dict[str, float] = {}  # check-FIELD -> when its store check was sent (holds_keys)
        self.carried: dict[str, tuple[str, str]] = {}  # field -> (value, why) from the step before (FormDef.then)
        self.warned: tuple[str, dict] | None = None  # the refusal warning said, and the values it holds for

    @property
    def resolver(self) -> ClientResolver:
        return ClientResolver(self.app.engine)

    # --- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-scroll"):
            if self.form.listing:
                yield Static("", id="listing-title", classes="section-title", markup=False)
                # ↑ ↓ walk the list, Enter takes the highlighted one into the first field
                yield CursorTable(id="listing", cursor_type="row")
            with Vertical(id="fields"):
                yield from self.walker.rows()
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
        self.prefilled = self.take_current_client()
        self.take_carried()

    def take_carried(self) -> None:
        """The fields the function before filled in as it offered this one (FormDef.then: 3105
        after a 3203 into the main opens on that main), each checked in the store like one typed;
        the opening line says which (carried_line)."""
        for f in self.fields():
            value = self.carried.get(f.name, ("",))[0]
            if value and not self.walker.raw(f.name).strip():
                self.input_of(f.name).value = value
                if self.in_store(f):
                    self.examine(f)

    def take_current_client(self) -> dict | None:
        """当前客户: the client the last function named fills this form's client-number field (and
        is checked again in the store like one typed); a form that names its client by accounts
        shows the current client's panel, whose row numbers its account fields take. The current
        client, or None when there is none."""
        current = getattr(self.screen, "current_client", None)
        if not current:
            return None
        field = next((f for f in self.fields() if f.kind == F.CUSTOMER), None)
        if field is not None:
            self.input_of(field.name).value = current["customer"]
            self.examine(field)
        elif any(f.kind in LINKED for f in self.fields()):
            self.after_change()
        else:
            return None
        return current

    def opening_line(self) -> str:
        """The message line as the function opens: what was filled in from the current client and
        from the function before."""
        said = [x for x in (self.carried_line(), self.current_client_line()) if x]
        return _("；").join(said) if said else super().opening_line()

    def carried_line(self) -> str:
        """What the function before filled in (take_carried), or ""."""
        said = [_("{field}已带出 {v}（{why}）").format(field=_(f.label), v=self.carried[f.name][0], why=_(self.carried[f.name][1]))
                for f in self.fields() if f.name in self.carried and self.walker.raw(f.name) == self.carried[f.name][0]]
        return _("；").join(said)

    def current_client_line(self) -> str:
        """What was filled in from the current client, or "" when nothing was."""
        current = getattr(self, "prefilled", None)
        if not current:
            return ""
        key = self.screen.clear_client_key() if hasattr(self.screen, "clear_client_key") else ""
        if any(f.kind == F.CUSTOMER for f in self.fields()):
            return _("已带出当前客户 {code} {name}（{key} 清除当前客户）").format(code=current["customer"], name=current["name"], key=key)
        return _("当前客户 {code} {name}：资金账号可输入客户资料中的序号 1–5 或辅助账户尾号 01–05（{key} 清除当前客户）").format(
            code=current["customer"], name=current["name"], key=key)

    # the walker's, under the names the views and tests use
    def fields(self) -> list[F.Field]:
        return self.walker.fields()

    def input_of(self, name: str) -> FieldInput:
        return self.walker.input_of(name)

    def row_of(self, name: str):  # noqa: ANN201 - a FieldRow
        return self.walker.row_of(name)

    def values(self) -> dict[str, str]:
        return self.walker.values()

    def update_visibility(self) -> None:
        self.walker.update_visibility()

    def first_focus(self) -> Widget | None:
        """The first empty field (the client's code may be filled in already); when every field is
        filled, the papers checklist, else the last field (Enter there goes on, F8 submits)."""
        shown = self.fields()
        for f in shown:
            if not self.walker.raw(f.name).strip():
                return self.input_of(f.name)
        papers = self.papers()
        if papers is not None and papers.display and papers.papers:
            return papers
        return self.input_of(shown[-1].name) if shown else None

    def focused_field(self) -> F.Field | None:
        return self.walker.focused()

    def papers(self) -> PapersList | None:
        found = self.query(PapersList)
        return found.first() if found else None

    # --- checking as typed ----------------------------------------------------------------
    # A field is checked in two steps: its own format at once, on the UI thread (no store); then,
    # for a client or an account, against the store in a worker (storecall.py): exists, belongs to
    # the form's client, and a short account form (`2`, `01`) made the real number. The cursor moves
    # on at once; a store error brings it back to the field. `checked` keeps the final verdict per
    # field for the text it was given.
    def entries(self) -> list[Entry]:
        """The shown fields as the resolver reads them."""
        return [Entry(f, self.walker.raw(f.name).strip(), self.checked.get(f.name, ("", "x"))[1] is None and self.settled(f))
                for f in self.fields()]

    @staticmethod
    def in_store(f: F.Field) -> bool:
        """A field whose value the store must confirm (a client, an account, a review…)."""
        return f.kind == F.CUSTOMER or f.kind in LINKED

    def settled(self, f: F.Field) -> bool:
        """The field's text as it is now has its final verdict (store check included)."""
        return self.checked.get(f.name, (None,))[0] == self.walker.raw(f.name)

    def check_field(self, f: F.Field) -> str | None:
        """The field's error as far as it is known without waiting: its format, or the store's
        verdict on this very text when it has come back."""
        raw = self.walker.raw(f.name)
        if self.settled(f):
            return self.checked[f.name][1]
        error = f.check(raw, self.values())
        value = f.normalise(raw)
        if error is None and value and self.in_store(f):
            return None  # the store's part comes from examine()
        self.checked[f.name] = (raw, error)
        self.show_hint(f, error)
        return error

    def show_hint(self, f: F.Field, error: str | None, note: str | None = None) -> None:
        value = f.normalise(self.walker.raw(f.name))
        if error:
            self.row_of(f.name).hint(error, error=True)
            return
        hint = note or (f.shown_value(value) if f.kind == F.CHOICE and value else None)
        now = self.now_values.get(f.name)
        if now:
            hint = _("现：{v}").format(v=now) + (f"  {hint}" if hint else "")
        self.row_of(f.name).hint(hint)

    def show_now_values(self, client: dict | None) -> None:
        """A form that changes the client's key information (1102) shows it as it is now beside
        each field, so the teller compares it with the papers before typing the new one (the ID
        number masked, as everywhere on screen: its first and last four digits)."""
        if self.form.op != KEY_INFO_OP:
            return
        self.now_values = {k: _(str(client[k])) for k in KEY_INFO_FIELDS if client and client.get(k)}
        for f in self.fields():
            if f.name in KEY_INFO_FIELDS:
                error = self.checked.get(f.name, ("", None))[1] if self.settled(f) else None
                self.show_hint(f, error)

    def current_code(self) -> str | None:
        """The current client's code, for a form that names its client only by its accounts (a form
        with a client-number field has the current client filled into it instead)."""
        if any(f.kind == F.CUSTOMER for f in self.form.fields):
            return None
        current = getattr(self.screen, "current_client", None)
        return current["customer"] if current else None

    def examine(self, f: F.Field, then=None, quiet: bool = False) -> None:  # noqa: ANN001 - then(ok) after the verdict
        """The store's part of checking `f`, off the UI thread; `quiet`: the verdict shows on the
        field's row only (a recheck after a result: the message line keeps the result)."""
        raw = self.walker.raw(f.name)
        if self.examining.get(f.name) == raw:
            return
        self.examining[f.name] = raw
        value, entries, current, resolver = f.normalise(raw), self.entries(), self.current_code(), self.resolver
        fill = self.form.fill[1] if self.form.fill and self.form.fill[0] == f.name else None
        values = self.values()

        def work() -> tuple:
            ex = resolver.examine(f, value, entries, current)
            if fill is None or ex.error:
                return ex, {}
            owner = resolver.owner_of(f.kind, ex.value) if f.kind in LINKED else ex.value
            client = resolver.client(owner)
            return ex, (fill(values | {f.name: ex.value}, client) if client else {})

        def done(result: tuple) -> None:
            ex, filled = result
            self._examined(f, raw, ex, then, quiet)
            if filled and self.input_of(f.name).value == ex.value:
                self.fill_in(filled, None if quiet else ex.note)

        self.check_started[f"check-{f.name}"] = get_time()
        self.store_call(f"check-{f.name}", work, done)

    def fill_in(self, filled: dict[str, tuple[str, str]], note: str | None = None) -> None:
        """Fill empty fields with what the rules leave no choice about (FormDef.fill), each checked
        as the client's own account, said on the message line; in the field under the cursor the
        value is selected, so Enter takes it and a key typed replaces it."""
        said = []
        for name, (value, why) in filled.items():
            box = self.input_of(name)
            if box.value.strip():
                continue  # typed meanwhile: the teller's, not ours
            box.value = value
            self.filled.add(name)
            self.checked[name] = (value, None)
            f = next(x for x in self.form.all_fields() if x.name == name)
            self.show_hint(f, None, _("← 已带出"))
            if self.screen.focused is box:
                box.select_all()
            said.append(_("{field}已带出 {v}（{why}）").format(field=_(f.label), v=value, why=_(why)))
        if said:
            self.say(_("；").join(([note] if note else []) + said))
            self.after_change()

    def _examined(self, f: F.Field, raw: str, ex, then=None, quiet: bool = False) -> None:  # noqa: ANN001 - an Examined
        self.examining.pop(f.name, None)
        box = self.input_of(f.name)
        if box.value != raw:  # typed over meanwhile: that text gets its own check
            return
        if ex.value != f.normalise(raw):
            box.value = ex.value  # the real account number, so the call and the journal carry it
        self.checked[f.name] = (box.value, ex.error)
        self.show_hint(f, ex.error, _("← {v}").format(v=raw.strip()) if ex.note else None)
        if ex.error and not quiet:
            self.say(ex.error, "error")
            if not isinstance(self.app.screen, ModalScreen):
                box.focus()
        elif ex.note and not quiet:
            self.say(ex.note)
        self.after_change()
        if then is not None:
            then(ex.error is None)

    def find_client(self) -> str | None:
        return self.resolver.client_of(self.entries(), self.current_code())

    def ready(self) -> bool:
        """Every visible required field filled, every store check back, and no field in error."""
        for f in self.fields():
            raw = self.walker.raw(f.name)
            if f.required and not raw.strip():
                return False
            if raw.strip() and (self.check_field(f) or (self.in_store(f) and not self.settled(f))):
                return False
        return True

    def call(self) -> tuple[dict, bool]:
        params, context = self.form.params(self.values())
        return params, context.get("agent") == "1"

    def after_change(self) -> None:
        """A field was accepted: find the client and, off the UI thread, read them and learn which
        papers this call needs (a preview with every paper counted as there)."""
        snapshot = tuple(self.values().items())
        if snapshot == self.seen:
            return
        self.seen = snapshot
        entries, resolver = self.entries(), self.resolver
        preview, probing, basis = None, False, {}
        if self.papers() is not None:
            values = self.values() if self.ready() else self.probe_values()
            if values is not None:
                probing = values != self.values()
                # what a refusal said from this preview rests on: every value, or for a probe every
                # value but the amount still to type
                basis = {k: v for k, v in self.values().items() if values.get(k) == v}
                params, context = self.form.params(values)
                op, ctx, counter = self.form.op, self.app.context(documents=None, agent=context.get("agent") == "1"), self.counter
                preview = lambda: counter.preview(op, params, ctx)  # noqa: E731
        known, current = self.client_code, self.current_code()

        def work() -> tuple[str | None, dict | None, object, bool, dict]:
            code = resolver.client_of(entries, current)
            client = resolver.client(code) if code != known else None
            return code, client, preview() if preview else None, probing, basis

        self.store_call("change", work, self._changed)

    def probe_values(self) -> dict[str, str] | None:
        """The values to preview with while only the amount is still to be typed (every other field
        filled and checked): the amount a cent, so a refusal that no amount avoids (3203 from one
        aux to another, AUX_TO_AUX; a closed transfer flag; custody not signed) is said as soon as
        the accounts are known, not after the amount. None when anything else is missing."""
        values, missing = self.values(), []
        for f in self.fields():
            raw = self.walker.raw(f.name)
            if not raw.strip():
                if f.required:
                    if f.kind != F.AMOUNT:
                        return None
                    missing.append(f.name)
            elif self.check_field(f) or (self.in_store(f) and not self.settled(f)):
                return None
        return (values | {name: "0.01" for name in missing}) if missing else None

    def _changed(self, result: tuple) -> None:
        code, client, o, probing, basis = result
        if code != self.client_code:
            self.client_code = code
            self.show_client(client)
            if client is not None and hasattr(self.screen, "set_current_client"):
                self.screen.set_current_client(client)
        if o is None:
            return
        if probing:  # the amount not typed yet: only what no amount would change is said
            if not o.ok and o.rule not in AMOUNT_RULES | {Rule.BAD_INPUT}:
                self.warn_refusal(o, basis)
            else:
                self.unwarn()
            return
        if o.ok:
            self.unwarn()
            self.show_papers({p["paper"]: p["accounts"] for p in o.data.get("papers", [])})
        elif tuple(self.values().items()) != self.reported and not (o.rule == Rule.BAD_INPUT and self.untouched()):
            # not for the values whose result the teller has just read; nor "nothing to change"
            # (1102 with only the client filled in) before the teller has typed anything
            self.warn_refusal(o, basis)

    def warn_refusal(self, o, basis: dict[str, str]) -> None:  # noqa: ANN001 - a preview's Outcome
        """Say that the call as typed would be refused. The warning holds for `basis`, the values it
        was previewed with: once one of them changes, or a preview passes, it is taken back
        (unwarn), so the message line never carries a refusal the form no longer earns (3201: the
        instruction number typed, F8, and the confirmation still had '指令号：必须填写' behind it)."""
        self.say(_("注意：按现在的内容提交将被拒绝 [{rule}] {m}").format(rule=o.rule, m=o.message), "warn")
        self.warned = (self.screen.message.text, basis)

    def unwarn(self, values: dict[str, str] | None = None) -> None:
        """Take back the warning warn_refusal said, if the message line still shows it and it no
        longer holds: always (a preview passed), or, given the values as they are now, when one it
        rested on has changed."""
        warned = self.warned
        if warned is None:
            return
        text, basis = warned
        if values is not None and all(values.get(k) == v for k, v in basis.items()):
            return
        self.warned = None
        if self.screen.message.text == text:
            self.say("")

    def untouched(self) -> bool:
        """Every field but the client's code is as the form opened it (its default, or empty)."""
        return all(self.walker.raw(f.name).strip() == str(f.typed_default() or "").strip()
                   for f in self.fields() if f.kind != F.CUSTOMER)

    def show_client(self, client: dict | None = None) -> None:
        """The client panel: `client` when the caller has read it, else read off the UI thread."""
        if client is not None or not self.client_code:
            self.client_read(client if self.client_code else None)
            return
        resolver, code = self.resolver, self.client_code
        self.store_call("client", lambda: resolver.client(code), self.client_read)

    def client_read(self, client: dict | None) -> None:
        """The form's client as read from the store (None: no client)."""
        self.query_one(ClientPanel).show(client)
        self.show_now_values(client)

    def refresh_required(self) -> None:
        """Learn again which papers the call needs (after_change does it as fields are accepted)."""
        self.seen = ()
        self.after_change()

    def show_papers(self, required: dict[str, list[str]] | None) -> None:
        papers = self.papers()
        if papers is None:
            return
        agent = self.values().get("agent") == "1"
        candidates = list(self.form.papers) + (list(P.AGENT_PAPERS) if agent else [])
        if required is None and papers.required:
            required = {k: v for k, v in papers.required.items() if agent or k not in P.AGENT_PAPERS}
        papers.show(candidates, required)
        shown = bool(papers.papers)
        papers.display = shown
        self.query_one("#papers-title").display = shown

    def show_listing(self) -> None:
        if not self.form.listing:
            return
        from teller.services import reads

        # Read off the UI thread (storecall.py), as every store call: the list is there to read,
        # nothing typed next depends on it.
        engine, reviews = self.app.engine, self.form.listing == "reviews"
        self.store_call("listing", lambda: reads.review_list(engine) if reviews else reads.alert_list(engine), self.fill_listing)

    def fill_listing(self, rows: list[dict]) -> None:
        from teller.screens.widgets import fill_table

        table = self.query_one("#listing", DataTable)
        if self.form.listing == "reviews":
            rows = [r | {"function": f"{by_op(r['op']).code if by_op(r['op']) else ''} {_(by_op(r['op']).title) if by_op(r['op']) else r['op']}"}
                    for r in rows]
            cols = (F.Column("id", N_("复核号")), F.Column("function", N_("功能")), F.Column("customer", N_("客户号")),
                    F.Column("requested_by", N_("提交柜员")), F.Column("date", N_("日期"), "date"))
            title = _("待复核业务 {n} 笔").format(n=len(rows))
        else:
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
        if isinstance(event.input, FieldInput) and event.input.field.name in self.filled and event.value != self.checked.get(event.input.field.name, ("",))[0]:
            self.filled.discard(event.input.field.name)  # typed over: the teller's value now, not ours
            self.row_of(event.input.field.name).hint(None)
        if isinstance(event.input, FieldInput):
            if self.warned is not None:
                self.unwarn(self.values())
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
        self.accepted(f)
        self.advance(f)

    def accepted(self, f: F.Field) -> None:
        """`f` passed its own check: the store's part (if any) off the UI thread, then the client
        and the papers (after_change)."""
        if self.in_store(f) and self.walker.raw(f.name).strip() and not self.settled(f):
            self.examine(f)
        else:
            self.after_change()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if isinstance(event.input, FieldInput) and event.input.value.strip() and self.is_attached:
            if self.check_field(event.input.field) is None:
                self.accepted(event.input.field)

    def advance(self, f: F.Field) -> None:
        nxt = self.walker.after(f)
        if nxt is not None:
            nxt.focus()
            return
        self.at_end()

    def at_end(self) -> None:
        papers = self.papers()
        if papers is not None and papers.display and papers.papers:
            papers.focus()
            self.say(_("请按客户交来的资料逐项勾选（空格），然后按 F8 提交"))
        else:
            self.say(_("填写完毕，按 F8 提交"))

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
        # Cleared to the form as it opens: the current client filled in again (F9 clears that). Its
        # panel, when it is the one shown, stays up rather than being cleared and read again.
        current = getattr(self.screen, "current_client", None)
        keep = bool(current) and self.client_code == current["customer"]
        self.walker.clear()
        self.checked.clear()
        self.examining.clear()
        self.filled.clear()
        self.seen = ()
        self.prefilled = None
        if not keep:
            self.client_code = None
            self.show_client()
        papers = self.papers()
        if papers is not None:
            papers.deselect_all()
            papers.required = {}
        self.show_papers(None)
        if keep and not any(f.kind == F.CUSTOMER for f in self.fields()):
            self.prefilled = current  # the account fields take the rows of the panel still up
        else:
            self.prefilled = self.take_current_client()
        target = self.first_focus()
        if target:
            target.focus()
        filled = self.current_client_line()
        self.say(_("已清空，请重新输入；{filled}").format(filled=filled) if filled else _("已清空，请重新输入"))

    def refresh_view(self) -> None:
        self.recheck()
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
        if self.busy_with("lookup"):
            return
        # The list as it opens is read in a store worker (storecall.py); the dialog opens with it.
        # Narrowing it by typing reads the store again, in the dialog's own workers.
        source = dialog.source

        def opened(first: list) -> None:
            dialog.first = first
            self.app.push_screen(dialog, lambda value: self._take(f, value))

        self.store_call("lookup", lambda: source(dialog.text.strip()), opened)

    def _take(self, f: F.Field, value: str | None) -> None:
        if not value:
            return
        box = self.input_of(f.name)
        box.value = value
        box.focus()
        if self.check_field(f) is None:
            self.accepted(f)
            self.advance(f)

    def _add_paper(self, paper: str | None) -> None:
        papers = self.papers()
        if paper and papers is not None:
            papers.add_paper(paper)
            papers.focus()

    # --- submitting -----------------------------------------------------------------------
    def first_error(self) -> tuple[F.Field, str] | None:
        for f in self.fields():
            error = self.check_field(f)
            if error:
                return f, error
        return None

    def examine_rest(self, then) -> bool:  # noqa: ANN001
        """Before F8's preview: the store checks of fields typed but not yet confirmed (F8 pressed
        without Enter), in one call, in field order; `then()` once all passed. False when none was
        left to check."""
        rest = [f for f in self.fields() if self.in_store(f) and self.walker.raw(f.name).strip() and not self.settled(f)]
        if not rest:
            return False
        raws = {f.name: self.walker.raw(f.name) for f in rest}
        entries, current, resolver = self.entries(), self.current_code(), self.resolver

        def work() -> list:
            found, known = [], list(entries)
            for f in rest:
                ex = resolver.examine(f, f.normalise(raws[f.name]), known, current)
                known = [Entry(e.field, ex.value, ex.error is None) if e.field.name == f.name else e for e in known]
                found.append((f, ex))
            return found

        def done(found: list) -> None:
            for f, ex in found:
                self._examined(f, raws[f.name], ex)
            if all(ex.error is None for _f, ex in found) and all(self.settled(f) for f, _ex in found):
                then()
            else:
                bad = next((f for f, ex in found if ex.error), None)
                if bad is not None:
                    self.input_of(bad.name).focus()

        self.store_call("submit", work, done)
        return True

    def holds_keys(self) -> bool:
        """typeahead.py: keys typed after F4 wait for its list to open (Enter then takes a row), and
        keys typed after a field the store must confirm (a client, an account, a row number) wait
        for its verdict: a refused field drops them, as a refusal does, instead of their landing in
        the fields below it while the teller is sent back to correct it; the field that decides a
        fill (FormDef.fill: 3203's 转出) so they land on the value filled in (Enter takes it, a key
        replaces it). A check is a read that waits for no lock, but never holds the keys longer
        than storecall.SLOW: a slow store does not hold the keyboard (the keys then land as typed,
        and a value typed into the field keeps the fill out of it)."""
        return self.busy_with("lookup") or self.checking()

    def checking(self) -> bool:
        """A field's store check is in flight, sent less than storecall.SLOW ago."""
        self._calls()
        now = get_time()
        return any(n > 0 and now - self.check_started.get(kind, 0.0) < self.SLOW
                   for kind, n in self._in_flight.items() if kind.startswith("check-"))

    def store_slow(self) -> None:
        if self.busy_with("submit"):
            self.screen.message.waiting()

    def waiting(self) -> bool:
        """F8 while the previous F8's call (its preview, or the commit) is in flight: ignored, and the
        message line says so, so one F8 never submits twice. A call that only refreshes the client
        panel or the papers (as a field is accepted) does not hold F8 up: the preview F8 makes
        checks everything again."""
        if self.busy_with("submit"):
            self.screen.message.waiting()
            return True
        return False

    def submit(self) -> None:
        if self.waiting():
            return
        bad = self.first_error()
        if bad:
            self.input_of(bad[0].name).focus()
            self.say(bad[1], "error")
            return
        if self.examine_rest(self.submit):
            return
        params, agent = self.call()
        papers = self.papers()
        ticked = papers.ticked() if papers is not None else frozenset()
        from_papers = papers is not None and self.screen.focused is papers
        ctx = self.app.context(documents=ticked, agent=agent)
        op, counter, resolver, code = self.form.op, self.counter, self.resolver, self.client_code

        def work() -> tuple[list, object]:
            client = resolver.client(code)
            return (client["accounts"] if client else []), counter.preview(op, params, ctx)

        def previewed(result: tuple[list, object]) -> None:
            before, o = result
            if not o.ok and o.rule == Rule.DOC_MISSING and not from_papers and self.to_papers(papers, ticked, o.data.get("missing") or []):
                return
            if not o.ok:  # run for real, so the refusal is journaled
                self.store_call("submit", lambda: counter.run(op, params, ctx), self.show_outcome)
                return
            self.confirm(before, o, lambda: self.store_call("submit", lambda: counter.run(op, params, ctx), self.committed))

        self.store_call("submit", work, previewed)

    def to_papers(self, papers: PapersList | None, ticked: frozenset, required: list[str]) -> bool:
        """F8 from a field while a paper the call needs is not ticked: the cursor goes to the first
        such paper and the message line names them, as F8 with a required field empty goes to the
        field; nothing is sent, so nothing is journaled (the teller has not yet said the client
        handed the papers over). F8 on the papers themselves with one still unticked is refused as
        any call is, DOC_MISSING, journaled. False when there is nothing to tick."""
        if papers is None or not papers.display or self.screen.focused is papers:
            return False
        lacking = [p for p in required if p not in ticked and p in papers.papers]
        if not lacking:
            return False
        papers.focus()
        papers.highlighted = papers.papers.index(lacking[0])
        self.say(_("请勾选客户交来的{papers}（空格），然后按 F8 提交").format(
            papers=_("、").join(fmt.paper(p) for p in lacking)), "warn")
        return True

    def confirm(self, before: list, o, run) -> None:  # noqa: ANN001 - the preview's Outcome; run() commits
        from teller.screens.dialogs import ConfirmDialog

        title = _("{code} {title}：请核对后确认").format(code=self.code, title=_(title_of(self.code)))

        def decided(yes: bool | None) -> None:
            if yes:
                run()
            else:
                self.say(_("未提交；可修改后再按 F8"))

        self.app.push_screen(ConfirmDialog(title, self.confirm_body(before, o)), decided)

    def confirm_body(self, before: list, o) -> list:  # noqa: ANN001 - the preview's Outcome
        from teller.screens.effect import effect_parts

        return effect_parts(before, o.data, o.message)

    def committed(self, o) -> None:  # noqa: ANN001 - an Outcome
        """A confirmed function came back from the store; a request that waits for a second person
        opens the supervisor's authorisation at this terminal (主管授权, screens/authorise.py)."""
        self.show_outcome(o)
        if o.ok and o.data.get("status") == "pending_review" and hasattr(self.counter, "authorise"):
            from teller.screens.authorise import authorise

            authorise(self, o)

    def show_outcome(self, o) -> None:  # noqa: ANN001 - an Outcome
        self.last_journal = o.journal_id if o.ok else None  # F6 prints its receipt (screens/printing.py)
        papers = self.papers()
        if o.ok:
            self.screen.message.result(o, done_line(o), "ok")
            if papers is not None:
                papers.deselect_all()
            self.to_code_line(next_step(o), o)
        else:
            self.screen.message.result(o, refusal_line(o), "error")
            self.point_at(o)
        self.reported = tuple(self.values().items())
        self.recheck()
        self.seen = ()
        self.show_client()
        self.show_listing()
        self.screen.refresh_status()

    def to_code_line(self, after: str | None = None, o=None) -> None:  # noqa: ANN001 - the Outcome
        """A function done: the cursor to the function-code line, the code selected, so the next
        code types over it and Enter opens this function again, fresh (as F2 would; issue 10
        "Keys"); when the result names the procedure's next step (`after`: 3103 after 3101, 3104
        after a 3201 delete…), that code is offered there instead, or else the one the form names
        as most often next (FormDef.then: 3105 after a 3203 into the main, opened on that main).
        A form with a list above it
        (8102's reviews, 7102's alerts) keeps the cursor: the next row of the list is the likely
        next one."""
        focus_code = getattr(self.screen, "action_focus_code", None)
        if focus_code is None or self.form.listing:
            return
        if hasattr(self.screen, "offer_next"):
            if after:
                self.screen.offer_next(after)
            elif self.form.then and o is not None and (then := self.form.then(self.values(), o.data or {})):
                self.screen.offer_next(*then)
        focus_code()

    def recheck(self) -> None:
        """The store has changed (a function ran, F5): the clients and accounts typed are checked
        again, off the UI thread. Their last verdicts stand meanwhile, so the form keeps its client
        (and its panel) while the teller corrects a refused call."""
        for f in self.fields():
            if self.in_store(f) and self.walker.raw(f.name).strip():
                self.examining.pop(f.name, None)
                self.examine(f, quiet=True)

    def point_at(self, o) -> None:  # noqa: ANN001
        """Put the cursor where the refusal points: the field named, the amount (a refusal about
        the money: the teller lowers it), or the papers."""
        papers = self.papers()
        if o.rule == Rule.DOC_MISSING and papers is not None:
            papers.focus()
            return
        field = o.data.get("field")
        for f in self.fields():
            if (field and f.label == field) or (not field and o.rule in AMOUNT_RULES and f.kind == F.AMOUNT):
                self.input_of(f.name).focus()
                return
