"""The pieces of a function form: a field row and the tables' filling (the client panel is in
client_panel.py, the papers checklist in papers_panel.py)."""

from __future__ import annotations

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
