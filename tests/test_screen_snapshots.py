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


# Every function at 80x24 (issue 10 item 5), each with Chinese text on it: the form opened by its
# code and, where it starts from a client or an account, 880003's (the demo's widest money,
# 120,000.00 on five accounts) typed in, so the client panel or the result tables show. Signed on as
# the first demo user allowed to run it (teller, supervisor, trainer). Green theme only: the themes
# differ in colour, pinned above.
def _codes() -> list[str]:
    from teller.forms.menu import MENU

    return [code for _path, code in MENU]


def _who(code: str) -> str:
    from teller.domain.roles import may_run

    from screenkit import TELLERS

    return next(t for t, (_name, role) in TELLERS.items() if may_run(role, code))


FIRST = {"customer": "880003", "account": "880003001"}


@pytest.mark.parametrize("code", _codes())
def test_every_function_at_80x24(snap_compare, engine, code):
    from teller.forms.catalog import form_for

    form = form_for(code)
    first = form.all_fields()[0] if form is not None and form.all_fields() else None

    async def walk(pilot):  # noqa: ANN001, ANN202
        await open_code(pilot, code)
        if first is not None and first.kind in FIRST:
            await fill(pilot, FIRST[first.kind])

    assert snap_compare(app_for(engine, teller=_who(code)), terminal_size=(80, 24), run_before=walk)
