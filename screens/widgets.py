"""The pieces of a function form: a field row, the client panel with the client's fund accounts,
and the papers checklist."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import DataTable, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from teller.forms.base import CHOICE, FILES, PASSWORD, Column, Field
from teller.forms.common import ACCOUNT_COLUMNS
from teller.i18n import _
from teller.screens import fmt


class FieldInput(Input):
    """A form field: Enter goes on (the form handles Input.Submitted); ↑ ↓ move between fields."""

    # Textual's Input sets its virtual size on every key, and that reactive asks for a new layout of
    # the whole screen: every widget of the counter arranged again per key typed. A field's size is
    # fixed by the form's CSS whatever its text, so here the virtual size only repaints the field.
    virtual_size = Reactive(Size(0, 0), layout=False)

    BINDINGS = [
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    def __init__(self, field: Field, value: str) -> None:
        super().__init__(value, id=f"f-{field.name}", password=field.kind == PASSWORD, compact=True,
                         max_length=1000 if field.kind == FILES else 40)
        self.field = field

    def on_mount(self) -> None:
        self.cursor_blink = False


class FieldRow(Horizontal):
    DEFAULT_CLASSES = "field-row"

    def __init__(self, field: Field) -> None:
        super().__init__(id=f"row-{field.name}")
        self.field = field

    def compose(self) -> ComposeResult:
        f = self.field
        mark = "*" if f.required else " "
        yield Label(f"{mark}{_(f.label)}", classes="field-label")
        yield FieldInput(f, f.typed_default())
        yield Static(self.default_hint(), classes="field-hint", markup=False)

    def default_hint(self) -> str:
        return self.field.choice_hint() if self.field.kind == CHOICE else ""

    def hint(self, text: str | None, error: bool = False) -> None:
        hint = self.query_one(".field-hint", Static)
        hint.update(self.default_hint() if text is None else text, layout=False)  # one fixed line
        hint.set_class(error, "-error")


def fill_table(table: DataTable, columns: tuple[Column, ...], rows: list[dict], key: str | None = None) -> None:
    """Rows keyed by `row[key]` when given, so a selected row says which record it is."""
    table.clear(columns=True)
    table.add_columns(*(_(c.label) for c in columns))
    for row in rows:
        # Text, not str: a DataTable reads str cells as markup, and data may hold brackets.
        table.add_row(*(Text(fmt.cell(c.kind, row.get(c.key)), justify="right" if c.kind == "money" else "left") for c in columns),
                      key=str(row[key]) if key else None)


class ClientPanel(Vertical):
    """Once the client is known: who they are, their service state, and each fund account's role,
    bank, transfer flag, custody, cash, available and withdrawable."""

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
        fill_table(self.query_one(DataTable), ACCOUNT_COLUMNS, [a for a in client["accounts"] if a["status"] == "open"])


class PapersList(SelectionList[str]):
    """The papers the client handed over, ticked with Space (or Enter). Required ones say so, with
    the fund accounts they will be archived under."""

    BINDINGS = [
        Binding("down", "cursor_down", show=False),
        Binding("up", "cursor_up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="papers", compact=True)
        self.papers: list[str] = []
        self.required: dict[str, list[str]] = {}

    def show(self, candidates: list[str], required: dict[str, list[str]] | None) -> None:
        """Rebuild the list, keeping what is ticked."""
        ticked = set(self.selected)
        self.required = required or {}
        names = list(dict.fromkeys(list(self.required) + candidates + [p for p in ticked if p not in candidates]))
        highlighted = self.highlighted
        self.clear_options()
        self.add_options([Selection(self.prompt(p), p, p in ticked) for p in names])
        self.papers = names
        if names:
            self.highlighted = min(highlighted or 0, len(names) - 1)

    def prompt(self, paper: str) -> str:
        title = fmt.paper(paper)
        if paper not in self.required:
            return title
        accounts = [a for a in self.required[paper] if a]
        where = _("，归档于 {accounts}").format(accounts=_("、").join(accounts)) if accounts else ""
        return title + "  " + _("必需") + where

    def ticked(self) -> frozenset[str]:
        return frozenset(self.selected)

    def add_paper(self, paper: str) -> None:
        if paper not in self.papers:
            self.show(self.papers + [paper], self.required)
        self.select(paper)
