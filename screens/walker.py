"""The field walker: a form's fields top to bottom. Which fields show (a choice can hide the ones
that do not apply), their boxes and rows, the values as typed and normalised, and which field
comes next. It holds no store: checking against the store is the client resolver's (resolver.py)."""

from __future__ import annotations

from textual.widget import Widget

from teller.forms import base as F
from teller.screens.widgets import FieldInput, FieldRow


class FieldWalker:
    def __init__(self, view: Widget, form: F.FormDef) -> None:
        self.view, self.form = view, form

    def rows(self):  # noqa: ANN201 - the FieldRow widgets, for compose
        return [FieldRow(f) for f in self.form.all_fields()]

    def input_of(self, name: str) -> FieldInput:
        return self.view.query_one(f"#f-{name}", FieldInput)

    def row_of(self, name: str) -> FieldRow:
        return self.view.query_one(f"#row-{name}", FieldRow)

    def raw(self, name: str) -> str:
        return self.input_of(name).value

    def values(self) -> dict[str, str]:
        return {f.name: f.normalise(self.raw(f.name)) for f in self.form.all_fields()}

    def fields(self) -> list[F.Field]:
        """The fields that show for what is typed now, top to bottom."""
        values = self.values()
        return [f for f in self.form.all_fields() if f.visible(values)]

    def update_visibility(self) -> None:
        values = self.values()
        for f in self.form.all_fields():
            self.row_of(f.name).display = f.visible(values)

    def first(self) -> FieldInput | None:
        shown = self.fields()
        return self.input_of(shown[0].name) if shown else None

    def after(self, f: F.Field) -> FieldInput | None:
        """The box of the field after `f`, or None when `f` is the last one shown."""
        names = [x.name for x in self.fields()]
        i = names.index(f.name) if f.name in names else len(names) - 1
        return self.input_of(names[i + 1]) if i + 1 < len(names) else None

    def focused(self) -> F.Field | None:
        w = self.view.screen.focused
        return w.field if isinstance(w, FieldInput) else None

    def clear(self) -> None:
        """Every field back to its default, every hint back to the field's own."""
        for f in self.form.all_fields():
            self.input_of(f.name).value = f.typed_default()
            self.row_of(f.name).hint(None)
        self.update_visibility()
