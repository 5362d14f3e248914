"""The pieces of a function form: a field row and the tables' filling (the client panel is in
client_panel.py, the papers checklist in papers_panel.py)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import DataTable, Input, Label, Static

from teller.forms.base import CHOICE, FILES, PASSWORD, Column, Field
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


class StatusLine(Static):
    """The status line: branch, business date, teller, terminal, store (and the current client).

    Each item comes as its forms, longest first (`("柜员 T01 柜员甲（柜员）", "T01 柜员甲", "T01")`);
    an empty form means the item may be left out. Items come most needed first; when the line does
    not fit the screen the last item takes its shorter forms first, then the one before it, so
    labels shorten and the less needed items go before anything is cut: a value is never cut in the middle (issue 10 item 5: at
    80 columns the line read `终端 T…`)."""

    DEFAULT_CSS = "StatusLine { text-wrap: nowrap; }"

    def __init__(self, id: str = "status") -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id, markup=False)
        self.items: list[tuple[str, ...]] = []
        self.sep = " │ "

    def show(self, items: list[tuple[str, ...] | str]) -> None:
        self.items = [(i,) if isinstance(i, str) else tuple(i) for i in items]
        self._lay_out()

    def on_resize(self) -> None:
        self._lay_out()

    def fitted(self, width: int) -> str:
        level = [0] * len(self.items)

        def line() -> str:
            return self.sep.join(t for t in (item[k] for item, k in zip(self.items, level, strict=True)) if t)

        while cell_len(line()) > width:
            for i in reversed(range(len(self.items))):
                if level[i] + 1 < len(self.items[i]):
                    level[i] += 1
                    break
            else:
                break  # every item at its shortest: the line is what it is
        return line()

    def _lay_out(self) -> None:
        width = self.content_size.width or max(10, self.app.size.width - 2)
        text = self.fitted(width)
        if text != getattr(self, "_shown", None):
            self._shown = text
            self.update(text, layout=False)


def fill_table(table: DataTable, columns: tuple[Column, ...], rows: list[dict], key: str | None = None) -> None:
    """Rows keyed by `row[key]` when given, so a selected row says which record it is."""
    table.clear(columns=True)
    table.add_columns(*(_(c.label) for c in columns))
    for row in rows:
        # Text, not str: a DataTable reads str cells as markup, and data may hold brackets.
        table.add_row(*(Text(fmt.cell(c.kind, row.get(c.key)), justify="right" if c.kind == "money" else "left") for c in columns),
                      key=str(row[key]) if key else None)


def __getattr__(name: str):  # noqa: ANN202
    """The client panel and the papers checklist moved to their own modules; the old names still
    resolve here for code that imports them from this one."""
    if name == "ClientPanel":
        from teller.screens.client_panel import ClientPanel

        return ClientPanel
    if name == "PapersList":
        from teller.screens.papers_panel import PapersList

        return PapersList
    raise AttributeError(name)
