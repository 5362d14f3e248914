"""Dialogs: each a ModalScreen closed with dismiss(result) (STYLE.md), driven by the same keymap."""

from __future__ import annotations

from typing import Callable, Iterable

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from teller.i18n import N_, _
from teller.screens.fmt import pad
from teller.screens.keymap import TranslatedBindings, bindings, key_table
from teller.screens.legend import KeyLegend
from teller.screens.storecall import StoreCalls
from teller.screens.textbox import TextBox
from teller.screens.widgets import CursorTable


def unbroken(part: RenderableType | str) -> RenderableType | str:
    """A line of text is laid out by fmt.wrap, never broken inside a number or an amount; a table
    or a Text styled in parts is drawn as it is."""
    from rich.text import Text

    from teller.screens.fmt import Unbroken

    if isinstance(part, str):
        return Unbroken(part)
    if isinstance(part, Text) and not part.spans:
        return Unbroken(part.plain, part.style)
    return part


class ConfirmDialog(TranslatedBindings, ModalScreen[bool]):
    """Before a function commits: what it will do. Enter or F8 confirms, F12 or Esc goes back."""

    BINDINGS = bindings("submit", "cancel") + [
        Binding("enter", "submit", N_("确认"), show=False),
        Binding("escape", "cancel", N_("取消"), show=False),
    ]

    KEYS = N_("回车或 F8 确认提交，F12 或 Esc 返回修改")

    def __init__(self, title: str, body: Iterable[RenderableType | str]) -> None:
        super().__init__()
        self.title_text = title
        self.body = list(body)

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll(id="confirm-body"):
                for part in self.body:
                    yield Static(unbroken(part), classes="confirm-part", markup=False)
            yield Static(_(self.KEYS), classes="dialog-keys", markup=False)
        yield KeyLegend()

    def action_submit(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class QuestionDialog(ConfirmDialog):
    """A yes-or-no question that submits nothing (sign off? end the drill?): its keys say so, not
    `F8 提交` and `确认提交 … 返回修改`."""

    BINDINGS = bindings("submit", "cancel", submit=N_("确定"), cancel=N_("返回")) + [
        Binding("enter", "submit", N_("确定"), show=False),
        Binding("escape", "cancel", N_("返回"), show=False),
    ]
    KEYS = N_("回车或 F8 确定，F12 或 Esc 返回")


class HelpDialog(TranslatedBindings, ModalScreen[None]):
    BINDINGS = bindings("help", "cancel") + [
        Binding("enter,escape", "cancel", N_("关闭"), show=False),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll(id="help-body"):
                yield Static(self.text, id="help-text", markup=False)
                table = "\n".join(pad(keys, 16) + " " + desc for keys, desc in key_table(self.app.site_keymap))
                yield Static(table, id="help-keys", markup=False)
            yield Static(_("回车、F1 或 F12 关闭"), classes="dialog-keys", markup=False)
        yield KeyLegend()

    def action_help(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def KEYS_LINE() -> str:  # noqa: N802 - a translated constant
    return _("↑ ↓ 选择，回车或 F8 选定，F12 返回")


Source = Callable[[str], list[tuple[str, tuple[str, ...]]]]


class LookupDialog(StoreCalls, TranslatedBindings, ModalScreen["str | None"]):
    """F4: a list of values. Type to narrow it, ↑ ↓ to move, Enter to take the value, F12 to go back.

    A list read from the store (`reads_store`: clients, accounts, reviews …) is narrowed in a store
    worker as the teller types (storecall.py: never on the UI thread); the keys typed meanwhile wait
    for the narrowed list (typeahead.py: holds_keys), so an Enter typed at once takes its first row,
    and Enter pressed while a slow store is still reading takes the row once the list is in. A list
    the form already read as it opened is handed over as `first`."""

    # F8 takes the highlighted value into the field, as Enter does: it submits nothing.
    BINDINGS = bindings("submit", "cancel", submit=N_("选定"), cancel=N_("返回")) + [
        Binding("escape", "cancel", N_("返回"), show=False),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    def __init__(self, title: str, headers: tuple[str, ...], source: Source, text: str = "", *, reads_store: bool = False) -> None:
        super().__init__()
        self.title_text, self.headers, self.source, self.text = title, headers, source, text
        self.reads_store = reads_store
        self.first: list | None = None  # the rows for `text`, already read
        self.take_when_read = False  # Enter came while the narrowed list was being read

    def compose(self) -> ComposeResult:
        with Vertical(id="lookup-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield TextBox(self.text, placeholder=_("输入查找"), id="lookup-filter", compact=True)
            table = CursorTable(id="lookup-table", cursor_type="row", zebra_stripes=False)
            table.can_focus = False
            yield table
            yield Static(KEYS_LINE(), id="lookup-keys", classes="dialog-keys", markup=False)
        yield KeyLegend()

    def on_mount(self) -> None:
        box = self.query_one("#lookup-filter", Input)
        box.cursor_blink = False
        box.focus()
        if self.first is not None:
            self.show_rows(self.first)
        else:
            self.fill(self.text)

    def fill(self, text: str) -> None:
        text = text.strip()
        if not self.reads_store:
            self.show_rows(self.source(text))
            return
        source = self.source
        self.store_call("filter", lambda: source(text), self.show_rows)

    def show_rows(self, found: list) -> None:
        from teller.screens.widgets import fill_fitted

        rows = [(key, tuple(str(c) for c in cells)) for key, cells in found]
        if not rows:
            rows = [("", tuple([_("（没有符合的记录）")] + [""] * (len(self.headers) - 1)))]
        # The dialog's width (teller.tcss .dialog: 90%, at most 100) less its border, its padding
        # and the table's scroll bar.
        room = min(self.app.size.width * 9 // 10, 100) - 6
        fill_fitted(self.query_one(DataTable), tuple(str(h) for h in self.headers), rows, room)
        self.say(KEYS_LINE())
        if self.take_when_read and not self.busy_with("filter"):
            self.take_when_read = False
            self.action_submit()

    def holds_keys(self) -> bool:
        """typeahead.py: keys typed behind a character wait for the list it narrows."""
        return self.busy_with("filter")

    def say(self, text: str, kind: str = "info") -> None:
        self.query_one("#lookup-keys", Static).update(text)

    def store_slow(self) -> None:
        self.say(_("正在查找，请稍候…"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_submit(self) -> None:
        if self.busy_with("filter"):
            self.take_when_read = True
            return
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        if key:
            self.dismiss(key)

    def action_cancel(self) -> None:
        self.dismiss(None)
