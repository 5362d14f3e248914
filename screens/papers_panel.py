"""The papers checklist: the papers the client handed over, ticked by the teller. What the service
says this call needs (with the fund accounts each is archived under) is marked 必需."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from teller.i18n import _
from teller.screens import fmt


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
