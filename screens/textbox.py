"""An input field readable without colour. Imports Textual only: the sign-on screen uses it, and the
sign-on screen is drawn before anything else loads (app.py)."""

from __future__ import annotations

from textual.strip import Strip
from textual.widgets import Input


class TextBox(Input):
    """An input field whose whole width shows without colour. Under NO_COLOR (Textual draws in greys,
    so a field's shade is all but black) teller.tcss underlines every field; an empty field with the
    cursor in it is drawn by Textual as the cursor alone, its tail in the background colour only,
    so that tail is given the field's own style (the underline) here."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if y == 0 and not self.value and self.app.no_color:
            strip = strip.extend_cell_length(self.scrollable_content_region.width, self.rich_style)
        return strip
