"""主管授权 at the terminal (issue 10 item 2): after a function that needs a second person is
confirmed, the supervisor steps up to the teller's terminal, types their id and password, Enter:
the request is approved at once, by the same 8102 approval and journal line as the queue's
(Counter.authorise), with that supervisor as the reviewer. Nobody signs off or on.

Keys: id, Enter, password, Enter (F8 as well); ↑ ↓ between the two. Esc or F12 leaves the request in the 8102 queue, as
before there was a dialog. A refusal (a wrong id or password, in sign-on's words and counted towards
the lockout as sign-on counts it; a teller, not a supervisor; the maker) stays in the dialog, the
password cleared, so another supervisor can try, or Esc. The dialog shows what it approves (8102's
line: function, client, accounts, change, instruction number), read off the UI thread; the password
check (scrypt) and the approval run off it too (storecall.py).

Decided here: the password is never echoed: its field shows a • per character typed, as sign-on's
does, never a character, and is emptied after every refusal. The id field is not filled in with the
last supervisor: whoever authorises says who they are. Esc changes nothing on the message line: it
still reads that the request waits for 8102, with its journal number.
"""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from teller.i18n import N_, _
from teller.screens.keymap import TranslatedBindings, bindings
from teller.screens.legend import KeyLegend
from teller.screens.storecall import StoreCalls
from teller.screens.textbox import TextBox


class AuthoriseDialog(StoreCalls, TranslatedBindings, ModalScreen["object | None"]):
    """Dismissed with the approval's Outcome once approved, or None (Esc / F12: it stays queued)."""

    DEFAULT_CSS = """
    #authorise-box { width: 90%; max-width: 100; height: auto; max-height: 90%; }
    .authorise-row { height: 1; layout: horizontal; }
    .authorise-label { width: 12; }
    .authorise-row Input { width: 24; }
    #authorise-what { height: auto; max-height: 8; }
    #authorise-message { height: auto; margin-top: 1; }
    #authorise-message.-error { color: $error; text-style: bold; }
    """

    BINDINGS = bindings("submit", "cancel") + [
        Binding("escape", "cancel", N_("取消"), show=False),
        Binding("up", "app.focus_previous", show=False),  # as in a form: ↑ ↓ between the two fields
        Binding("down", "app.focus_next", show=False),
    ]

    def __init__(self, review_id: int, authorise: Callable[[str, str], object],
                 describe: Callable[[], dict | None] | None = None) -> None:
        super().__init__()
        self.review_id = review_id
        self.authorise = authorise  # (supervisor, password) -> Outcome; a store call, run in a worker
        self.describe = describe  # () -> 8102's line for the request; a store call, run in a worker

    def compose(self) -> ComposeResult:
        with Vertical(id="authorise-box", classes="dialog"):
            yield Static(_("主管授权：复核号 {id}").format(id=self.review_id), classes="dialog-title", markup=False)
            yield Static(_("须经主管授权：请主管输入柜员号和密码"), id="authorise-what", markup=False)
            for name, label, password in (("id", _("主管柜员号"), False), ("password", _("主管密码"), True)):
                with Horizontal(classes="authorise-row"):
                    yield Label(label, classes="authorise-label")
                    yield TextBox(id=f"authorise-{name}", password=password, max_length=64, compact=True)
            yield Static("", id="authorise-message", markup=False)
            yield Static(_("回车确认授权；Esc 或 F12 不授权，留待主管在 8102 复核"), classes="dialog-keys", markup=False)
        yield KeyLegend()

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = False
        self.query_one("#authorise-id", Input).focus()
        if self.describe is not None:
            self.store_call("describe", self.describe, self.described, lambda e: None)

    def described(self, entry: dict | None) -> None:
        if entry is None:
            return
        parts = [entry["function"], _("客户 {c}").format(c=entry["customer"])]
        if entry.get("accounts"):
            parts.append(_("资金账户 {a}").format(a=entry["accounts"]))
        if entry.get("instruction"):
            parts.append(_("指令号 {n}").format(n=entry["instruction"]))
        lines = ["  ".join(parts)]
        if entry.get("change"):
            lines.append(entry["change"])
        lines.append(_("须经主管授权：请主管输入柜员号和密码"))
        self.query_one("#authorise-what", Static).update("\n".join(lines))

    def say(self, text: str, kind: str = "info") -> None:
        msg = self.query_one("#authorise-message", Static)
        msg.update(text)
        msg.set_classes(f"-{kind}")
        if kind == "error":  # a refused authorisation: what was typed ahead of it goes (typeahead.py)
            self.app.typeahead.error_shown()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "authorise-id" and not self.query_one("#authorise-password", Input).value:
            self.query_one("#authorise-password", Input).focus()
        else:
            self.action_submit()

    def action_submit(self) -> None:
        supervisor = self.query_one("#authorise-id", Input).value.strip()
        password = self.query_one("#authorise-password", Input).value
        if not supervisor:
            self.say(_("请输入主管柜员号"), "error")
            self.query_one("#authorise-id", Input).focus()
            return
        if not password:
            self.say(_("请输入主管密码"), "error")
            self.query_one("#authorise-password", Input).focus()
            return
        if self.busy_with("authorise"):  # one check at a time: Enter twice approves once
            self.say(_("正在核对主管密码，请稍候……"), "warn")
            return
        self.say(_("正在核对主管密码，请稍候……"), "warn")
        authorise = self.authorise
        self.store_call("authorise", lambda: authorise(supervisor, password), self.answered)

    def store_slow(self) -> None:
        if self.busy_with("authorise"):
            self.say(_("正在等待柜台数据库，请稍候……"), "warn")

    def answered(self, o) -> None:  # noqa: ANN001 - an Outcome
        if o.ok:
            self.dismiss(o)
            return
        box, who = self.query_one("#authorise-password", Input), self.query_one("#authorise-id", Input)
        box.value = ""
        if o.data.get("credential"):  # a mistyped password, most likely: the id stays
            box.focus()
        else:  # this supervisor cannot approve it (a teller, the maker): another must
            who.value = ""
            who.focus()
        self.say(_("✘ 未授权：{m}").format(m=o.message), "error")

    def action_cancel(self) -> None:
        if self.busy_with("authorise"):  # the answer decides; Esc after it
            self.say(_("正在核对主管密码，请稍候……"), "warn")
            return
        self.dismiss(None)


def authorise(view, o) -> None:  # noqa: ANN001 - a FormView, the request's Outcome (pending_review)
    """Open the dialog over `view` for the request `o` made; report what came of it on the view."""
    from teller.services.changes import review_entry

    rid = o.data["review_id"]
    counter, ctx = view.counter, view.app.context(documents=frozenset())

    def decided(approved) -> None:  # noqa: ANN001 - the approval's Outcome, or None (still queued)
        if approved is not None and view.is_attached:
            view.show_outcome(approved)

    view.app.push_screen(AuthoriseDialog(rid, lambda sid, pw: counter.authorise(rid, sid, pw, ctx),
                                         lambda: review_entry(counter, rid)), decided)
