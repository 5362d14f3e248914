"""The message line: the one line under the form where the counter tells the teller what happened
(✔ done, ✘ refused, a warning, a hint, or that it is waiting for the store).

It keeps the outcome of the last function it reported (`outcome`), so a key on the result line
(print the 回单 again, for instance) knows which journal line the teller is looking at: a view sets
it with `result(outcome, text)`, and any other `say` clears it.

A long message wraps at the width of the screen, but never inside a number, an account, an amount,
a date or the journal number (`（流水号 61）` stays whole): fmt.wrap lays the line out, again on a
resize (issue 10 item 8, a message read `（流水\\n号 61）`).
"""

from __future__ import annotations

from textual.widgets import Static

from teller.domain.errors import rule_title
from teller.i18n import _
from teller.screens import fmt


MAX_LINES = 3  # teller.tcss: #message's max-height


def journal_suffix(o) -> str:  # noqa: ANN001 - an Outcome
    return _("（流水号 {j}）").format(j=o.journal_id) if getattr(o, "journal_id", None) else ""


def refusal_line(o) -> str:  # noqa: ANN001 - an Outcome
    """One line a teller reads: ✘, the rule code, the rule's short name for this cause (rule_title
    reads the refusal's data: NOT_WITHDRAWABLE blames T+1 only when money moved in today is what
    holds the amount back), the service's reason and the journal number."""
    title = rule_title(o.rule, o.data)
    return _("✘ [{rule}] {title}：{message}").format(rule=o.rule, title=title, message=o.message) + journal_suffix(o)


def done_line(o) -> str:  # noqa: ANN001 - an Outcome
    return "✔ " + o.message + journal_suffix(o)


class MessageLine(Static):
    def __init__(self, id: str = "message") -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id, markup=False)
        self.text = ""
        self.kind = "info"
        self.outcome = None  # the Outcome the line reports, when it reports one
        self.waiting_for: str | None = None
        self._width = 0

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
        self._lay_out()
        self.set_classes(f"-{kind}")

    def _lay_out(self) -> None:
        width = self.content_size.width or max(10, self.app.size.width - 2)
        self._width = width
        lines = fmt.wrap(self.text, width)
        if len(lines) > MAX_LINES:  # the line has three rows: what does not fit is in F1's help
            more = _("……（F1 看全文）")
            lines = lines[:MAX_LINES]
            last = lines[-1]
            while last and fmt.cell_len(last + more) > width:
                last = last[:-1]
            lines[-1] = last + more
        self.update("\n".join(lines))

    def on_resize(self) -> None:
        if self.content_size.width and self.content_size.width != self._width:
            self._lay_out()

