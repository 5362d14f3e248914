"""Function views: the work area of the counter frame for one function, and the registry that
maps a function code to its view. A form-defined function gets the form view (or the query view);
another screen registers its own class:

    from teller.screens.views import FunctionView, register_view

    @register_view("9103")
    class DrillView(FunctionView): ...

The counter frame sends the keys' actions to the open view: `submit` (F8), `lookup` (F4),
`help_text` (F1), `cancel` (F12), `refresh_view` (F5), and asks it for `first_focus`.
"""

from __future__ import annotations

from typing import Callable

from textual.containers import Vertical
from textual.widget import Widget

from teller.i18n import _


class FunctionView(Vertical):
    DEFAULT_CLASSES = "function-view"

    def __init__(self, code: str) -> None:
        super().__init__(id="function")
        self.code = code

    @property
    def counter(self):  # noqa: ANN201 - teller.services.counter.Counter
        return self.app.counter

    def say(self, text: str, kind: str = "info") -> None:
        self.screen.say(text, kind)

    def first_focus(self) -> Widget | None:
        return None

    def submit(self) -> None:
        self.say(_("本功能没有要提交的内容"))

    def lookup(self) -> None:
        self.say(_("此栏没有可选列表"))

    def help_text(self) -> str:
        return ""

    def opening_line(self) -> str:
        """The message line as the function opens (the frame shows it): the help's first line."""
        text = self.help_text()
        return text.split("\n")[0] if text else ""

    def cancel(self) -> None:
        """F12: clear what was typed; the frame leaves the function on F3."""

    def refresh_view(self) -> None:
        """F5: read the store again."""


VIEWS: dict[str, Callable[[str], FunctionView]] = {}
# Views in their own modules, imported when their code is first opened (start-up stays fast).
LAZY_VIEWS: dict[str, str] = {"8102": "teller.screens.review", "9101": "teller.screens.dayend", "9103": "teller.screens.training"}


def register_view(*codes: str):  # noqa: ANN201
    def register(cls: Callable[[str], FunctionView]) -> Callable[[str], FunctionView]:
        for code in codes:
            VIEWS[code] = cls
        return cls

    return register


def view_for(code: str) -> FunctionView | None:
    """The view for a function code: a registered one, else the form or query view of its FormDef."""
    if code not in VIEWS and code in LAZY_VIEWS:
        import importlib

        importlib.import_module(LAZY_VIEWS[code])
    if code in VIEWS:
        return VIEWS[code](code)
    from teller.forms.catalog import form_for

    form = form_for(code)
    if form is None:
        return None
    if form.query:
        from teller.screens.query import QueryView

        return QueryView(code)
    from teller.screens.form import FormView

    return FormView(code)
