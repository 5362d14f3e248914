"""The sign-on screen: teller id, password, terminal. Drawn before the store is loaded."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from teller.i18n import _
from teller.screens.keymap import TranslatedBindings, bindings
from teller.screens.legend import KeyLegend
from teller.screens.storecall import StoreCalls
from teller.screens.textbox import TextBox


class SignOnScreen(StoreCalls, TranslatedBindings, Screen[None]):
    BINDINGS = bindings("submit", "cancel")

    def __init__(self) -> None:
        super().__init__()
        self.pending = False
        self.ready = False

    def compose(self) -> ComposeResult:
        with Center():
            with Vertical(id="signon-box"):
                yield Static(_("单客户多银行服务柜台系统"), id="signon-title", markup=False)
                yield Static(_("柜员签到"), id="signon-subtitle", markup=False)
                for name, label, password in (("teller", _("柜员号"), False), ("password", _("密码"), True),
                                              ("terminal", _("终端号"), False)):
                    with Vertical(classes="signon-row"):
                        yield Label(label, classes="signon-label")
                        yield TextBox(id=f"signon-{name}", password=password, max_length=20, compact=True)
                yield Static("", id="signon-message", markup=False)
        yield KeyLegend()

    def on_mount(self) -> None:
        for i in self.query(Input):
            i.cursor_blink = False
        self.query_one("#signon-terminal", Input).value = self.app.terminal
        self.query_one("#signon-teller", Input).focus()
        if self.app.store_error:
            self.store_failed(self.app.store_error)
        elif self.app.counter is None:
            self.say(_("正在打开柜台数据库……"))

    def say(self, text: str, kind: str = "info") -> None:
        msg = self.query_one("#signon-message", Static)
        self.said = text
        msg.update(text)
        msg.set_classes(f"-{kind}")
        if kind == "error":  # a refused sign-on: what was typed ahead of it goes (typeahead.py)
            self.app.typeahead.error_shown()

    def typeahead_note(self, text: str) -> None:
        """Keys typed ahead were dropped: said after the message on the line."""
        said = getattr(self, "said", "")
        self.query_one("#signon-message", Static).update(f"{said}\n{text}" if said else text)

    def holds_keys(self) -> bool:
        """A sign-on waits for the store to open: the keys typed after it wait for the counter."""
        return self.pending

    def store_ready(self) -> None:
        self.ready = True
        if self.pending:
            self.pending = False
            self.action_submit()
        elif self.is_mounted:
            self.say("")

    def store_failed(self, message: str) -> None:
        self.say(_("打不开柜台数据库：{e}").format(e=message), "error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter on the password signs on when the terminal's id is there (it comes filled in from
        # --terminal / TELLER_TERMINAL): a teller types id, password and is at the counter, as on
        # the legacy screens; a code typed next goes to the code line, not into 终端号. Tab or ↓
        # still reach the terminal field to change it.
        terminal = self.query_one("#signon-terminal", Input).value.strip()
        if event.input.id == "signon-terminal" or (event.input.id == "signon-password" and terminal):
            self.action_submit()
        else:
            self.focus_next()

    def action_cancel(self) -> None:
        for i in self.query(Input):
            if i.id != "signon-terminal":
                i.value = ""
        self.query_one("#signon-teller", Input).focus()
        self.say("")

    def action_submit(self) -> None:
        teller = self.query_one("#signon-teller", Input).value.strip()
        password = self.query_one("#signon-password", Input).value
        terminal = self.query_one("#signon-terminal", Input).value.strip() or self.app.terminal
        if not teller:
            self.say(_("请输入柜员号"), "error")
            self.query_one("#signon-teller", Input).focus()
            return
        if self.app.counter is None:
            self.pending = not self.app.store_error
            if self.pending:
                self.say(_("正在打开柜台数据库，打开后自动签到……"))
            return
        if self.busy_with("sign-on"):  # the password is being checked: one sign-on at a time
            self.say(_("正在核对密码，请稍候……"))
            return
        from teller.services.auth import sign_on

        engine = self.app.engine
        # The password check (scrypt) and the sign-on's journal line run off the UI thread.
        self.store_call("sign-on", lambda: sign_on(engine, teller, password, terminal=terminal), lambda t: self.accepted(t, terminal),
                        self.refused)

    def accepted(self, t, terminal: str) -> None:  # noqa: ANN001 - the teller record
        from teller.screens.app import SignedOn

        self.app.enter_counter(SignedOn(t.id, t.name, t.role, terminal))

    def refused(self, error: BaseException) -> None:
        from teller.domain.errors import Refused

        if not isinstance(error, Refused):
            self.store_failed(error)
            return
        self.query_one("#signon-password", Input).value = ""
        self.query_one("#signon-password", Input).focus()
        self.say(error.message, "error")
