"""The message line: the one line under the form where the counter tells the teller what happened
(✔ done, ✘ refused, a warning, a hint, or that it is waiting for the store).

It keeps the outcome of the last function it reported (`outcome`), so a key on the result line
(print the 回单 again, for instance) knows which journal line the teller is looking at: a view sets
it with `result(outcome, text)`, and any other `say` clears it.
"""

from __future__ import annotations

from textual.widgets import Static

from teller.i18n import _


class MessageLine(Static):
    def __init__(self, id: str = "message") -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id, markup=False)
        self.text = ""
        self.kind = "info"
        self.outcome = None  # the Outcome the line reports, when it reports one
        self.waiting_for: str | None = None

    def say(self, text: str, kind: str = "info") -> None:
        self.outcome = None
        self._show(text, kind)

    def result(self, outcome, text: str, kind: str) -> None:  # noqa: ANN001 - an Outcome
        """The line reports a function's outcome (its journal number is in `text`)."""
        self._show(text, kind)
        self.outcome = outcome

    def waiting(self, what: str | None = None) -> None:
        """A store call is in flight: say so (F8 is ignored meanwhile)."""
        self.waiting_for = what or _("正在等待柜台数据库，请稍候……")
        self._show(self.waiting_for, "warn")

    def _show(self, text: str, kind: str) -> None:
        self.waiting_for = None if text != self.waiting_for else self.waiting_for
        self.text, self.kind = text, kind
        self.update(text)
        self.set_classes(f"-{kind}")
