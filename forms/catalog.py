"""Every form definition, by function code. Importing this loads each menu group's module."""

from __future__ import annotations

from teller.forms import clients, funds, multibank, papers, queries, system, trading  # noqa: F401  (they define())
from teller.forms.base import FORMS, FormDef


def form_for(code: str) -> FormDef | None:
    return FORMS.get(code)


def by_op(op: str) -> FormDef | None:
    return next((f for f in FORMS.values() if f.op == op), None)
