"""What the counter looks like, pinned: the sign-on screen, the menu, the 3203 form with a
refusal, the 3206 query (Chinese text in a table) and the confirmation dialog, in both themes.
Deterministic: the demo branch's fixed business date, a fixed clock, no cursor blink, no animation.
Update after an intended change with `pytest tests/test_screen_snapshots.py --snapshot-update`."""

from __future__ import annotations

import pytest

from screenkit import SIZE, app_for, demo_template, engine, fill, open_code, press, tick  # noqa: F401  (fixtures)
from teller.domain import papers as P

THEMES = ("green", "light")


@pytest.mark.parametrize("theme", THEMES)
def test_sign_on(snap_compare, engine, theme):
    assert snap_compare(app_for(engine, teller=None, theme=theme), terminal_size=SIZE)


@pytest.mark.parametrize("theme", THEMES)
def test_menu(snap_compare, engine, theme):
    async def walk(pilot):  # noqa: ANN001, ANN202
        # Tab to the menu; open 资金管理 (the third group) and, below its six functions, 单帐户多银行
        await pilot.press("tab", "down", "down", "enter", *["down"] * 7, "enter", "down", "down", "down")

    assert snap_compare(app_for(engine, theme=theme), terminal_size=SIZE, run_before=walk)


@pytest.mark.parametrize("theme", THEMES)
def test_3203_refused_aux_to_aux(snap_compare, engine, theme):
    async def refuse(pilot):  # noqa: ANN001, ANN202
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "88000200102", "100", "", "")
        await tick(pilot, P.TRANSFER_FORM)
        await press(pilot, "f8")

    assert snap_compare(app_for(engine, theme=theme), terminal_size=SIZE, run_before=refuse)


@pytest.mark.parametrize("theme", THEMES)
def test_3206_query(snap_compare, engine, theme):
    async def query(pilot):  # noqa: ANN001, ANN202
        await open_code(pilot, "3206")
        await fill(pilot, "880003")

    assert snap_compare(app_for(engine, theme=theme), terminal_size=SIZE, run_before=query)


@pytest.mark.parametrize("theme", THEMES)
def test_confirmation_dialog(snap_compare, engine, theme):
    async def confirm(pilot):  # noqa: ANN001, ANN202
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "880002001", "500", "", "")
        await tick(pilot, P.TRANSFER_FORM)
        await press(pilot, "f8")

    assert snap_compare(app_for(engine, theme=theme), terminal_size=SIZE, run_before=confirm)
