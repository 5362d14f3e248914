"""The papers checklist: the papers the client handed over, ticked by the teller. What the service
says this call needs (with the fund accounts each is archived under) is marked 必需.

Readable without colour (issue 10 item 5): a ticked paper reads `[√]`, an unticked one `[ ]`, and
the row under the cursor is marked `›` in the first column, so a monochrome terminal, NO_COLOR or a
colour-blind teller sees both. A paper's line too long for the screen (the accounts it is filed
under, in English at 80 columns) goes on on the next line rather than being cut. Space ticks; Enter moves on, as it does in every field (to the next
paper; on the last one it says F8 submits)."""

from __future__ import annotations

from rich.segment import Segment
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from teller.i18n import _
from teller.screens import fmt

CURSOR = "›"
TICKED, UNTICKED = "[√]", "[ ]"


class PapersList(SelectionList[str]):
    """The papers the client handed over, ticked with Space. Required ones say so, with the fund
    accounts they will be archived under."""

    BINDINGS = [
        Binding("down", "cursor_down", show=False),
        Binding("up", "cursor_up", show=False),
        Binding("enter", "move_on", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="papers", compact=True)
        self.papers: list[str] = []
        self.required: dict[str, list[str]] = {}

    def show(self, candidates: list[str], required: dict[str, list[str]] | None) -> None:
        """Rebuild the list, keeping what is ticked and the paper under the cursor (the required
        ones come first, so a paper's place changes when what is required does)."""
        ticked = set(self.selected)
        self.required = required or {}
        names = list(dict.fromkeys(list(self.required) + candidates + [p for p in ticked if p not in candidates]))
        highlighted = self.highlighted
        here = self.papers[highlighted] if highlighted is not None and highlighted < len(self.papers) else None
        self.clear_options()
        self.add_options([Selection(self.prompt(p), p, p in ticked) for p in names])
        self.papers = names
        if names:
            self.highlighted = names.index(here) if here in names else min(highlighted or 0, len(names) - 1)

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

    # --- keys -----------------------------------------------------------------------------
    def action_move_on(self) -> None:
        """Enter: the next paper, as Enter in a field goes to the next field; never a tick."""
        if self.highlighted is not None and self.highlighted + 1 < self.option_count:
            self.action_cursor_down()
            return
        say = getattr(self.screen, "say", None)
        if say is not None:
            say(_("已到最后一份资料：空格勾选，F8 提交"))

    # --- drawing --------------------------------------------------------------------------
    def _get_left_gutter_width(self) -> int:
        return len(CURSOR + " " + TICKED + " ")

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001 - Textual's
        # OptionList measures the prompts at the full width; they are drawn beside the gutter.
        return super().get_content_height(container, viewport, width - self._get_left_gutter_width())

    def render_line(self, y: int) -> Strip:
        """`› [√] 《…》`: the cursor and the tick in characters; colour only adds to them."""
        line = super(SelectionList, self).render_line(y)  # the option's prompt, as OptionList draws it
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
            selection = self.get_option_at_index(index)
        except (IndexError, OptionDoesNotExist):
            return line
        if offset:  # a prompt too long for one line goes on under its title, the gutter left blank
            base = next(iter(line)).style if line.cell_length else self.rich_style
            return Strip([Segment(" " * self._get_left_gutter_width(), base), *line])
        ticked = selection.value in self._selected
        here = self.highlighted == index
        component = "selection-list--button" + ("-selected" if ticked else "") + ("-highlighted" if here else "")
        base = next(iter(line)).style if line.cell_length else self.rich_style
        button = self.get_component_rich_style(component) + _meta(index)
        mark = CURSOR if here and self.has_focus else " "
        return Strip([Segment(mark + " ", base + _meta(index)), Segment(TICKED if ticked else UNTICKED, button),
                      Segment(" ", base), *line])


def _meta(index: int):  # noqa: ANN202 - a rich Style
    from rich.style import Style

    return Style(meta={"option": index})
