"""Keys: every function key has a ctrl+letter twin that does the same, a site may remap keys, and
lists work with the arrows and Enter."""

from __future__ import annotations

import pytest

from screenkit import SIZE, accounts, app_for, call, demo_template, engine, fill, message, press, type_in  # noqa: F401
from teller.domain import papers as P
from teller.screens.app import TellerApp
from teller.screens.dialogs import ConfirmDialog, HelpDialog, LookupDialog
from teller.screens.keymap import ACTIONS, DEFAULT_KEYS
from teller.services import reads

def test_every_function_key_has_a_ctrl_twin():
    for action in ACTIONS:
        keys = DEFAULT_KEYS[action].split(",")
        assert any(k.startswith("f") and k[1:].isdigit() for k in keys), action
        assert any(k.startswith("ctrl+") for k in keys), action


@pytest.mark.asyncio
async def test_a_transfer_without_touching_a_function_key(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await type_in(pilot, "3203")
        await pilot.press("enter")
        await pilot.press("ctrl+g")
        assert isinstance(pilot.app.screen, HelpDialog)
        await pilot.press("ctrl+z")
        await pilot.press("ctrl+l")  # the accounts list; narrow it to the aux at CCB and take it
        assert isinstance(pilot.app.screen, LookupDialog)
        await fill(pilot, "88000200101")
        await fill(pilot, "880002001", "500", "", "")
        await pilot.press("space", "ctrl+s")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("ctrl+s")
        assert message(pilot.app).startswith("✔")
        await pilot.press("ctrl+b")  # leave the function: the menu is back
        assert pilot.app.screen.view is None
    assert accounts(engine, "880002")["880002001"]["cash"] == "1500.00"


@pytest.mark.asyncio
async def test_a_site_keymap_moves_submit(engine, tmp_path):
    from screenkit import NOW, SignedOn

    keymap = tmp_path / "keys.toml"
    keymap.write_text('[keys]\nsubmit = "f10,ctrl+s"\n', encoding="utf-8")
    app = TellerApp(engine=engine, signed_on=SignedOn("T01", "柜员甲", "teller", "T-01"), keymap_file=keymap, now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await type_in(pilot, "3105")
        await pilot.press("enter")
        await fill(pilot, "880001001", "1", "100", "")
        await press(pilot, "f8")
        assert not isinstance(app.screen, ConfirmDialog)  # F8 no longer submits here
        assert "F10" in str(app.screen.query_one("KeyLegend").render())
        await press(pilot, "f10")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
    assert accounts(engine, "880001")["880001001"]["cash"] == "50100.00"


@pytest.mark.asyncio
async def test_8102_takes_a_review_from_its_list_with_enter(engine):
    pending = call(engine, "change_key_info", documents=None, customer="880002", name="李肆")
    async with app_for(engine, "S01").run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await type_in(pilot, "8102")
        await pilot.press("enter", "shift+tab", "enter")  # up into the list of pending reviews, take the first
        assert pilot.app.screen.view.input_of("review").value == str(pending.data["review_id"])
        await press(pilot, "enter", "f8")
        await press(pilot, "enter")
        assert message(pilot.app).startswith("✔")
    assert reads.client(engine, "880002")["name"] == "李肆"
