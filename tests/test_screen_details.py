"""Small defects of the counter's screens, each seen in tmux at 80x24 (issue 10 item 8): an input
field visible without colour, ..."""

from __future__ import annotations

import pytest
from screenkit import SIZE, app_for, demo_template, engine, fill, message, open_code, press, screen_text  # noqa: F401

pytestmark = pytest.mark.asyncio


def _cells(app, widget) -> list:  # noqa: ANN001
    """The segments the screen draws over the widget's first line, cut to its width."""
    region = widget.region
    line = app.screen._compositor.render_strips()[region.y]
    return list(line.crop(region.x, region.x + region.width))


async def test_without_colour_every_input_field_is_underlined_over_its_whole_width(engine, monkeypatch):
    """NO_COLOR: Textual draws in greys and a field's shade was all but black, so an empty field
    showed nothing at all; now each field is underlined from edge to edge, the one with the cursor
    (empty or not) too."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(engine)
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await open_code(pilot, "3203")
        await fill(pilot, "880003001")
        view = app.screen.view
        for name in ("from", "to", "amount"):  # typed, empty with the cursor, empty
            box = view.input_of(name)
            cells = _cells(app, box)
            assert sum(len(s.text) for s in cells) == box.region.width == 24
            assert all(s.style is not None and s.style.underline for s in cells), (name, cells)
        assert app.focused is view.input_of("to")
        assert all(s.style.bold for s in _cells(app, view.input_of("to")))  # and the cursor's field is bold
        code = app.screen.query_one("#code")
        assert all(s.style is not None and s.style.underline for s in _cells(app, code))
