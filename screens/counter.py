"""The counter frame: status line, function-code field, menu tree, the open function's view, the
message line and the key legend. Every key is a declared binding; the frame passes the action to
the open function view (views.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, Static, Tree

from teller.domain.roles import may_run, role_title
from teller.forms.menu import MENU, title_of
from teller.i18n import N_, _
from teller.screens import fmt
from teller.screens.keymap import TranslatedBindings, bindings
from teller.screens.legend import KeyLegend
from teller.screens.message import MessageLine
from teller.screens.storecall import StoreCalls
from teller.screens.views import FunctionView, view_for
from teller.screens.textbox import TextBox
from teller.screens.widgets import MarkedTree, StatusLine


class CodeInput(TextBox):
    """The function-code line: ↓ goes down into the menu (or the open function's first field). The
    cursor coming back does not select the code (a digit typed on the menu starts one there); F2
    selects it, so a code types over it."""

    BINDINGS = [Binding("down", "screen.below_code", show=False)]

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(select_on_focus=False, **kwargs)


class CounterMessageLine(MessageLine):
    """The frame's message line. An error on it drops the keys typed ahead of it (typeahead.py), and
    a note that keys were dropped is said after the message, which it keeps."""

    def say(self, text: str, kind: str = "info") -> None:
        super().say(text, kind)
        self._noted = None
        if kind == "error":
            self.app.typeahead.error_shown()

    def result(self, outcome, text: str, kind: str) -> None:  # noqa: ANN001 - an Outcome
        super().result(outcome, text, kind)
        self._noted = None
        if kind == "error":
            self.app.typeahead.error_shown()

    def note(self, text: str) -> None:
        noted = getattr(self, "_noted", None)
        base = noted[0] if noted and self.text == noted[1] else self.text
        full = f"{base}  {text}" if base else text
        outcome = self.outcome
        self._show(full, self.kind)
        self.outcome = outcome
        self._noted = (base, full)


class MenuTree(MarkedTree):
    """DOMAIN.md §3's menu: groups open with Enter or Space, a function opens with Enter. A digit
    typed on the menu goes to the function-code line, so a code typed there is not lost."""

    BINDINGS = [Binding(d, f"screen.type_code('{d}')", show=False) for d in "0123456789"]

    def __init__(self) -> None:
        super().__init__(_("功能菜单"), id="menu")
        self.show_root = False
        self.guide_depth = 2
        nodes = {}
        for path, code in MENU:
            parent = self.root
            for depth, part in enumerate(path[:-1]):
                key = path[: depth + 1]
                if key not in nodes:
                    nodes[key] = parent.add(_(part), expand=False)
                parent = nodes[key]
            parent.add_leaf(f"{code} {_(path[-1])}", data=code)

    def on_mount(self) -> None:
        self.cursor_line = 0


class CounterScreen(StoreCalls, TranslatedBindings, Screen[None]):
    BINDINGS = bindings("help", "code", "leave", "lookup", "refresh", "print", "prefill", "submit", "cancel", "clear_client")

    def __init__(self) -> None:
        super().__init__()
        # 当前客户 (issue 10 item 1): the client the last function named, {"customer", "name"}; the
        # next function starts from them. A new sign-on makes a new frame, so it starts with none.
        self.current_client: dict | None = None
        self.offered: str | None = None  # the next step on the code line (offer_next), until it is changed
        self.offered_fill: dict[str, tuple[str, str]] = {}  # what the offered function opens with filled in
        self.branch_status: dict | None = None  # reads.branch_status, as last read (in a store worker)

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with Horizontal(id="codebar"):
            yield Label(_("功能码"), id="code-label")
            yield CodeInput(id="code", max_length=24, compact=True)
            yield Static("", id="fn-title", markup=False)
        with Vertical(id="body"):
            yield MenuTree()
        yield CounterMessageLine()
        yield KeyLegend()

    def on_mount(self) -> None:
        self.query_one("#code", Input).cursor_blink = False
        self.refresh_status()
        self.query_one("#code", Input).focus()
        self.say(_("输入四位功能码后回车，或在菜单中用方向键选择；F1 帮助"))

    # --- the frame ------------------------------------------------------------------------
    @property
    def view(self) -> FunctionView | None:
        found = self.query("#function")
        return found.first() if found else None

    @property
    def message(self) -> MessageLine:
        return self.query_one(MessageLine)

    def say(self, text: str, kind: str = "info") -> None:
        self.message.say(text, kind)

    def typeahead_note(self, text: str) -> None:
        """Keys typed ahead were dropped (typeahead.py): said after the message."""
        self.message.note(text)

    def unsaved(self) -> list[str]:
        """What closing the program now would lose: a form with something typed in it, papers
        ticked, a function being submitted. Ctrl+Q asks first when there is any (issue 10 item 8)."""
        from teller.screens.papers_panel import PapersList
        from teller.screens.storecall import StoreCalls
        from teller.screens.widgets import FieldInput

        view, lost = self.view, []
        if view is None:
            return lost
        title = f"{view.code} {_(title_of(view.code))}"
        if isinstance(view, StoreCalls) and view.busy_with("submit"):
            lost.append(_("{f} 正在提交，结果尚未返回").format(f=title))
        typed = [_(box.field.label) for box in view.query(FieldInput) if box.value != box.field.typed_default()]
        if typed:
            lost.append(_("{f} 已填写：{fields}").format(f=title, fields="、".join(typed)))
        if any(p.selected for p in view.query(PapersList)):
            lost.append(_("{f} 已勾选客户交来的资料").format(f=title))
        return lost

    def refresh_status(self) -> None:
        """The status line as it is now, then the branch and its business date read again off the
        UI thread (a commit may be the day-end that moved the date) and the line drawn with them."""
        from teller.services.reads import branch_status

        self.show_status()
        engine = self.app.engine
        if engine is not None:
            self.store_call("status", lambda: branch_status(engine), self._branch_read, lambda e: None)

    def _branch_read(self, status: dict) -> None:
        self.branch_status = status
        self.show_status()

    def show_status(self) -> None:
        who, s = self.app.signed_on, self.branch_status
        # Most needed first, each item's shorter forms after it (widgets.StatusLine fits them to the
        # width: at 80 columns the labels go, then the store, never half a value). The branch and
        # the date wait for the store (refresh_status): the teller's items are there at once.
        parts = []
        if s is not None:
            day = fmt.day(s["business_date"])
            parts += [(_("{name}（{code}）").format(name=s["branch_name"], code=s["branch"]), s["branch_name"]),
                      (_("营业日 {d}").format(d=day), day)]
        if self.current_client:  # after the branch and the date; the teller's, the terminal's and
            # the store's items, after it, shorten first
            code, name = self.current_client["customer"], self.current_client["name"]
            parts.append((_("当前客户 {code} {name}").format(code=code, name=name), f"{code} {name}", code))
        parts += [
            (_("柜员 {id} {name}（{role}）").format(id=who.teller_id, name=who.name, role=role_title(who.role)),
             f"{who.teller_id} {who.name}", who.teller_id),
            (_("终端 {t}").format(t=who.terminal), who.terminal),
            (_("库 {db}").format(db=self.app.store_label()), ""),
        ]
        self.query_one("#status", StatusLine).show(parts)

    # --- 当前客户 ----------------------------------------------------------------------------
    def set_current_client(self, client: dict) -> None:
        """A function has named this client (by code or by an account): the current client."""
        now = {"customer": client["customer"], "name": client["name"]}
        if now != self.current_client:
            self.current_client = now
            self.show_status()

    def clear_client_key(self) -> str:
        from teller.screens.keymap import DEFAULT_KEYS, key_label

        return key_label((DEFAULT_KEYS | self.app.site_keymap)["clear_client"].split(",")[0])

    def action_clear_client(self) -> None:
        if self.current_client is None:
            self.say(_("没有当前客户"))
            return
        gone = self.current_client
        self.current_client = None
        self.show_status()
        self.say(_("已清除当前客户 {code} {name}；下一个功能不再带出").format(code=gone["customer"], name=gone["name"]))

    async def open_function(self, text: str) -> None:
        from teller.forms.catalog import by_op

        text = text.strip()
        if not text:  # Enter on an empty code line does nothing (an Enter too many after sign-on)
            return
        code = text if text.isdigit() else (by_op(text).code if by_op(text) else "")
        if not any(c == code for _p, c in MENU):
            self.say(_("没有功能码“{c}”；按 F4 列出全部功能").format(c=text), "error")
            return
        who = self.app.signed_on
        if not may_run(who.role, code):
            self.refuse_forbidden(code)
            return
        view = view_for(code)
        if view is None:
            self.say(_("{code} {title} 尚未安装").format(code=code, title=_(title_of(code))), "error")
            return
        if code == self.offered:
            view.carried = self.offered_fill
        await self._close_view()
        self.offered, self.offered_fill = None, {}
        self.query_one("#menu").display = False
        await self.query_one("#body").mount(view)
        self.query_one("#code", Input).value = code
        self.query_one("#fn-title", Static).update(_(title_of(code)), layout=False)
        self.say(view.opening_line())
        (view.first_focus() or self.query_one("#code", Input)).focus()

    def refuse_forbidden(self, code: str) -> None:
        """A function the teller's role may not run: the service refuses it and journals the attempt
        (off the UI thread), and the line reads like every refusal, ✘ and 流水号 included."""
        from teller.forms.catalog import form_for
        from teller.screens.message import refusal_line

        who, form, counter = self.app.signed_on, form_for(code), self.app.counter
        said = _("[FORBIDDEN] 柜员 {id}（{role}）无权办理 {code} {title}").format(
            id=who.teller_id, role=role_title(who.role), code=code, title=_(title_of(code)))
        self.say("✘ " + said, "error")  # at once; the journal number follows from the store
        if form is None or counter is None:
            return
        ctx, app = self.app.context(), self.app

        def run() -> None:
            try:
                o = counter.run(form.op, {}, ctx)
            except Exception:  # noqa: BLE001 - the line already says it is refused; the store could not keep it
                return
            app.call_from_thread(lambda: self.message.result(o, refusal_line(o), "error") if not o.ok else None)

        self.run_worker(run, thread=True, group="store-forbidden", exit_on_error=False)

    async def _close_view(self) -> None:
        if self.view is not None:
            await self.view.remove()

    async def close_function(self) -> None:
        await self._close_view()
        self.offered, self.offered_fill = None, {}
        self.query_one("#fn-title", Static).update("", layout=False)
        self.query_one("#code", Input).value = ""
        self.query_one("#menu").display = True
        # F3 goes back to the code line, so the next code typed opens the next function (↓ enters the menu)
        self.query_one("#code", Input).focus()
        self.say(_("已退出功能；输入功能码回车，或按 ↓ 进入菜单"))

    # --- events ---------------------------------------------------------------------------
    async def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "code":
            event.stop()
            await self.open_function(event.value)

    async def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data:
            await self.open_function(event.node.data)

    # --- actions (keymap.py) --------------------------------------------------------------
    def offer_next(self, code: str, fill: dict[str, tuple[str, str]] | None = None) -> None:
        """After a function is done: the procedure's next step its result names, on the code line
        (the cursor is put there, the code selected: Enter opens it, another code types over it),
        and said beside it, so it is never carried silently; `fill`: fields it opens with filled
        in ({field: (value, why)}, said as it opens). Not offered to a role that may not run it."""
        if not any(c == code for _p, c in MENU) or not may_run(self.app.signed_on.role, code):
            return
        self.query_one("#code", Input).value = code
        self.offered, self.offered_fill = code, dict(fill or {})
        self.query_one("#fn-title", Static).update(_("下一步 {title}（回车打开）").format(title=_(title_of(code))), layout=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "code" and self.offered is not None and event.value != self.offered:
            self.offered, self.offered_fill = None, {}  # another code typed: the title is the open function's again
            view = self.view
            self.query_one("#fn-title", Static).update(_(title_of(view.code)) if view else "", layout=False)

    def action_focus_code(self) -> None:
        """F2: the cursor to the function code, selected, so the next code types over it."""
        code = self.query_one("#code", Input)
        code.focus()
        code.select_all()

    def action_below_code(self) -> None:
        """↓ on the code line: into the menu, or the open function's first field."""
        view = self.view
        target = (view.first_focus() if view is not None else None) or (self.query_one("#menu") if view is None else None)
        if target is not None:
            target.focus()

    def action_type_code(self, digit: str) -> None:
        """A digit typed on the menu starts a function code on the code line."""
        code = self.query_one("#code", Input)
        code.value = digit
        code.focus()
        code.cursor_position = len(code.value)

    def action_help(self) -> None:
        from teller.screens.dialogs import HelpDialog

        view = self.view
        title = f"{view.code} {_(title_of(view.code))}" if view else _("柜台帮助")
        text = view.help_text() if view else _("输入四位功能码回车即进入该功能；也可在菜单中用方向键和回车选择。在功能码栏按 F4 列出全部功能。")
        self.app.push_screen(HelpDialog(title, text))

    async def action_leave(self) -> None:
        if self.view is not None:
            await self.close_function()
            return
        from teller.screens.dialogs import QuestionDialog

        def done(yes: bool | None) -> None:
            if yes:
                self.app.sign_off()

        self.app.push_screen(QuestionDialog(_("签退"), [_("柜员 {id} 签退，回到签到画面？").format(id=self.app.signed_on.teller_id)]), done)

    def action_lookup(self) -> None:
        if self.focused is self.query_one("#code", Input) or self.view is None:
            from teller.screens.dialogs import LookupDialog

            rows = [(code, (code, _(path[-1]), " → ".join(_(p) for p in path[:-1]))) for path, code in MENU]

            async def pick(code: str | None) -> None:
                if code:
                    await self.open_function(code)

            self.app.push_screen(LookupDialog(_("全部功能"), (_("功能码"), _("功能"), _("菜单")),
                                              lambda text: [r for r in rows if text in " ".join(r[1])]), pick)
            return
        self.view.lookup()

    def action_refresh(self) -> None:
        self.refresh_status()
        if self.view is not None:
            self.view.refresh_view()

    async def action_submit(self) -> None:
        code = self.query_one("#code", Input)
        if self.focused is code and code.value.strip() and (self.view is None or self.view.code != code.value.strip()):
            await self.open_function(code.value)
        elif self.view is not None:
            self.view.submit()

    def action_print_receipt(self) -> None:
        from teller.screens.printing import print_receipt

        print_receipt(self, self.view)

    def action_print_forms(self) -> None:
        from teller.screens.printing import print_forms

        print_forms(self, self.view)

    def action_cancel(self) -> None:
        if self.view is not None:
            self.view.cancel()
        else:
            self.query_one("#code", Input).value = ""
            self.say("")


class QuitDialog(TranslatedBindings, ModalScreen[bool]):
    """Ctrl+Q with a form filled (issue 10 item 8): says what would be lost. Enter, F8 or Ctrl+Q
    again closes the program; F12 or Esc goes back to the form as it was."""

    BINDINGS = bindings("submit", "cancel", submit=N_("关闭程序"), cancel=N_("返回")) + [
        Binding("enter", "submit", N_("关闭程序"), show=False),
        Binding("escape", "cancel", N_("返回"), show=False),
    ]
    KEYS_AT_ONCE = True  # typeahead.py: its keys act at once, the keys typed ahead wait behind it

    def __init__(self, lost: list[str]) -> None:
        super().__init__()
        self.lost = lost

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Static(_("关闭柜台程序？"), classes="dialog-title", markup=False)
            for line in self.lost:
                yield Static(line, classes="confirm-part", markup=False)
            yield Static(_("关闭后以上内容不保留。回车、F8 或 Ctrl+Q 关闭程序，F12 或 Esc 返回"), classes="dialog-keys", markup=False)
        yield KeyLegend()

    def action_submit(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
