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
from textual.widgets import DataTable, Label, OptionList, Static, Tree

from teller.forms.base import CHOICE, FILES, PASSWORD, Column, Field
from teller.i18n import _
from teller.screens import fmt
from teller.screens.textbox import TextBox


class FieldInput(TextBox):
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

    def default_hint(self) -> str | fmt.Options:
        if self.field.kind != CHOICE:
            return ""
        return fmt.Options(self.field.choice_options(), self.field.choice_options(short=True))

    def hint(self, text: str | None, error: bool = False) -> None:
        hint = self.query_one(".field-hint", Static)
        new = self.default_hint() if text is None else text
        # One line needs no new layout; a hint wider than its room wraps, and the row grows.
        room = hint.content_size.width or 30
        # Unknown before the first hint: a choice list drawn at first may take two lines (3201's 操作).
        was = getattr(self, "_hint_lines", None)
        if isinstance(new, fmt.Options):
            lines = len(new.lines(room))
        else:
            lines = len(fmt.wrap(new, room)) if cell_len(new) > room else 1
        self._hint_lines = lines
        hint.update(new, layout=lines != 1 or was != 1)
        hint.set_class(error, "-error")


CURSOR = "›"


class CursorTable(DataTable):
    """A table whose cursor row is marked `›` in its first cell, not only by colour (issue 10 item
    5: on a monochrome terminal, with NO_COLOR or for a colour-blind teller the row under the
    cursor must still be seen). Marked while the cursor is in the table, or always in a table that
    never takes the cursor (an F4 list, moved from its filter line): a result read with the cursor
    on the code line has no row under the cursor."""

    def _render_line(self, y: int, x1: int, x2: int, base_style):  # noqa: ANN001, ANN202 - Textual's
        strip = super()._render_line(y, x1, x2, base_style)
        if not self.show_cursor or self.cursor_type != "row" or not self.row_count or x1 != 0:
            return strip
        if self.can_focus and not self.has_focus:
            return strip
        try:
            row_key, offset = self._get_offsets(y)
        except LookupError:
            return strip
        if offset or row_key is self._header_row_key or self._row_locations.get(row_key) != self.cursor_row:
            return strip
        return mark_first_cell(strip)


class MarkedTree(Tree):
    """A tree whose cursor line starts with `›` while the tree has the focus (the menu)."""

    def render_label(self, node, base_style, style):  # noqa: ANN001, ANN201 - Textual's
        label = super().render_label(node, base_style, style)
        here = self.has_focus and node.line == self.cursor_line and node.line >= 0
        return Text.assemble((CURSOR if here else " ", base_style), " ", label)


class MarkedOptionList(OptionList):
    """An option list (9103's training menu) whose highlighted option starts with `›` while the
    list has the focus, and two spaces otherwise: the cursor seen without colour."""

    def __init__(self, *options, **kwargs) -> None:  # noqa: ANN002, ANN003 - OptionList's
        self._texts = [str(o.prompt) for o in options]
        super().__init__(*(type(o)(self._marked(i, False), id=o.id) for i, o in enumerate(options)), **kwargs)

    def _marked(self, index: int, here: bool) -> str:
        return (CURSOR + " " if here else "  ") + self._texts[index]

    def _remark(self) -> None:
        for i in range(min(self.option_count, len(self._texts))):
            want = self._marked(i, i == self.highlighted and self.has_focus)
            if str(self.get_option_at_index(i).prompt) != want:
                self.replace_option_prompt_at_index(i, want)

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self._remark()

    def on_focus(self) -> None:
        self.call_after_refresh(self._remark)  # once the focus has settled

    def on_blur(self) -> None:
        self.call_after_refresh(self._remark)


def mark_first_cell(strip):  # noqa: ANN001, ANN201 - a Strip
    """The strip with its first cell (a table's padding or the leading space) replaced by `›`."""
    from rich.segment import Segment
    from textual.strip import Strip

    segments = list(strip)
    if not segments:
        return strip
    first = segments[0]
    return Strip([Segment(CURSOR, first.style), *Strip(segments).crop(1, strip.cell_length)], strip.cell_length)


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


def fill_table(table: DataTable, columns: tuple[Column, ...], rows: list[dict], key: str | None = None,
               width: int | None = None) -> None:
    """Rows keyed by `row[key]` when given, so a selected row says which record it is.

    Fitted to the screen (issue 10 item 5: at 80 columns the money columns read `120,000.0`): when
    the table is wider than the room it has, it goes compact, in this order, and a value is never
    cut: one space between columns instead of two; a header longer than its values on two lines
    (`Cash` over `balance`); a bank by its code (`CCB`) in English, where the names are long. A
    table still too wide scrolls sideways (← →) when it has the cursor."""
    room = width or _room(table)
    heads = [_(c.label) for c in columns]
    cells = [[fmt.cell(c.kind, row.get(c.key)) for c in columns] for row in rows]

    def natural(heads: list[str], cells: list[list[str]], pad: int) -> int:
        return sum(max([_head_width(h)] + [cell_len(r[i]) for r in cells]) + pad for i, h in enumerate(heads))

    # Measured as the table would be drawn wide (DataTable's padding of one cell each side), not by
    # the padding it has now: a table filled compact once (padding 0) would be found to fit and widen.
    compact = natural(heads, cells, 2) > room
    if compact:
        short_banks = fmt.babel_locale() == "en_US"
        for i, c in enumerate(columns):
            if c.kind == "bank":
                heads[i] = _("银行")
                if short_banks:
                    for r, row in zip(cells, rows, strict=True):
                        r[i] = fmt.bank_code(row.get(c.key))
            widest = max([0] + [cell_len(r[i]) for r in cells])
            heads[i] = _two_lines(heads[i], widest)
    table.clear(columns=True)
    table.cell_padding = 0 if compact else 1
    table.header_height = 2 if any("\n" in h for h in heads) else 1
    gap = " " if compact else ""
    lead = " " if compact and isinstance(table, CursorTable) else ""  # room for the cursor's ›

    def spaced(i: int, text: str) -> str:
        return "\n".join((lead if i == 0 else "") + x + gap for x in text.split("\n"))

    table.add_columns(*(Text(spaced(i, h)) for i, h in enumerate(heads)))
    for row, values in zip(rows, cells, strict=True):
        # Text, not str: a DataTable reads str cells as markup, and data may hold brackets.
        table.add_row(*(Text(spaced(i, v), justify="right" if c.kind == "money" else "left")
                        for i, (c, v) in enumerate(zip(columns, values, strict=True))),
                      key=str(row[key]) if key else None)


def fill_fitted(table: DataTable, headers: tuple[str, ...], rows: list[tuple[str, tuple[str, ...]]], room: int) -> None:
    """A list of values (F4) fitted to `room` cells: when the columns are wider, the widest text
    columns are narrowed and their cells wrap onto more lines (fmt.wrap: never inside a number),
    so every column shows whole (issue 10 item 5: 8102's F4 list cut the change and the date)."""
    pad = 2 * table.cell_padding
    widths = [max([cell_len(h)] + [cell_len(cells[i]) for _k, cells in rows]) for i, h in enumerate(headers)]
    # A column is never narrower than its header or its longest unbreakable piece (an account).
    # A header may take two lines, at a space (`Submitted` over `by`).
    floor = [max([fmt.longest_piece(h), 4] + [fmt.longest_piece(cells[i]) for _k, cells in rows]) for i, h in enumerate(headers)]
    excess = sum(w + pad for w in widths) - room
    while excess > 0:
        i = max(range(len(widths)), key=lambda k: widths[k] - floor[k])
        if widths[i] <= floor[i]:
            break  # nothing more to narrow: the table scrolls sideways
        widths[i] -= 1
        excess -= 1
    table.clear(columns=True)
    heads = ["\n".join(fmt.wrap(h, w)) for h, w in zip(headers, widths, strict=True)]
    table.header_height = max(h.count("\n") + 1 for h in heads)
    for h, w in zip(heads, widths, strict=True):
        table.add_column(Text(h), width=w)
    for key, cells in rows:
        wrapped = ["\n".join(fmt.wrap(c, w)) for c, w in zip(cells, widths, strict=True)]
        table.add_row(*(Text(c) for c in wrapped), key=key, height=max(c.count("\n") + 1 for c in wrapped))


def _room(table: DataTable) -> int:
    """The cells a table has across: its own width once laid out, else the screen's less the form's
    margins and a scroll bar."""
    try:
        screen = table.app.size.width
    except Exception:  # noqa: BLE001 - not running in an app (a unit test)
        screen = 80
    own = table.size.width if table.size.width else 0
    return min(own, screen - 4) if own else screen - 4


def _head_width(head: str) -> int:
    return max(cell_len(x) for x in head.split("\n"))


def _two_lines(head: str, widest: int) -> str:
    """A header wider than its values, split at the space that makes it narrowest (or kept)."""
    if cell_len(head) <= widest or " " not in head:
        return head
    words = head.split(" ")
    best = min(range(1, len(words)), key=lambda k: max(cell_len(" ".join(words[:k])), cell_len(" ".join(words[k:]))))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


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
