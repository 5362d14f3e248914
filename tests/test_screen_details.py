"""Small defects of the counter's screens, each seen in tmux at 80x24 (issue 10 item 8): an input
field visible without colour, the quit dialog's key legend, ..."""

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


async def test_the_quit_dialogs_key_legend_says_what_its_keys_do_there(engine):
    """Ctrl+Q on a filled form asks; its bottom line said `F8 提交  F12 取消`, but F8 closes the
    program there and F12 goes back to the form."""
    from teller.screens.counter import QuitDialog
    from teller.screens.legend import KeyLegend

    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "880003001")
        await press(pilot, "ctrl+q")
        assert isinstance(pilot.app.screen, QuitDialog)
        await pilot.pause()
        legend = str(pilot.app.screen.query_one(KeyLegend).render())
        assert "F8 关闭程序" in legend and "F12 返回" in legend, legend
        assert "提交" not in legend and "取消" not in legend, legend
        await press(pilot, "f12")
        assert pilot.app.is_running and pilot.app.screen.view.input_of("from").value == "880003001"
