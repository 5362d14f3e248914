"""主管授权 at the keyboard (issue 10 item 2): after a request that waits for a second person is
confirmed, the supervisor types id and password at the teller's terminal and it takes effect."""

from __future__ import annotations

import pytest
from sqlmodel import select

from screenkit import (  # noqa: F401  (fixtures)
    SIZE, app_for, demo_template, engine, fill, message, open_code, press, screen_text, submit, tick,
)
from teller.domain import papers as P
from teller.screens.authorise import AuthoriseDialog
from teller.services import auth, reads
from teller.store.db import reading
from teller.store.models import Journal, Teller

pytestmark = pytest.mark.asyncio

KEY_CHANGE = ("880002", "李肆", "", "", "")


async def key_change(pilot, authorise: tuple[str, str] | None = None, *, leave_open: bool = False) -> str:  # noqa: ANN001
    await open_code(pilot, "1102")
    await fill(pilot, *KEY_CHANGE)
    await tick(pilot, P.ID_PROOF)
    if leave_open:
        await press(pilot, "f8", "enter")
        assert isinstance(pilot.app.screen, AuthoriseDialog)
        return ""
    return await submit(pilot, authorise=authorise)


def failures(engine, tid: str) -> int:  # noqa: ANN001
    with reading(engine) as s:
        return s.get(Teller, tid).failed_attempts


async def test_a_supervisor_authorises_at_the_tellers_terminal_and_it_takes_effect(engine):
    async with app_for(engine, "T01").run_test(size=SIZE) as pilot:
        await key_change(pilot, leave_open=True)
        # the dialog says what it approves, as 8102's list does
        text = screen_text(pilot.app)
        assert "1102" in text and "880002" in text and "李四 → 李肆" in text
        await fill(pilot, "S01", "s01pass")
        assert not isinstance(pilot.app.screen, AuthoriseDialog)
        msg = message(pilot.app)
        assert msg.startswith("✔") and "S01" in msg and "流水号" in msg, msg
    assert reads.client(engine, "880002")["name"] == "李肆"
    assert reads.review_list(engine) == []
    with reading(engine) as s:
        line = s.exec(select(Journal).where(Journal.function_code == "8102").order_by(Journal.id.desc())).first()
        assert (line.teller_id, line.terminal, line.ok, line.inputs["counter_teller"]) == ("S01", "T-01", True, "T01")


async def test_a_wrong_password_stays_in_the_dialog_in_sign_ons_words_and_counts(engine):
    async with app_for(engine, "T01").run_test(size=SIZE) as pilot:
        await key_change(pilot, leave_open=True)
        await fill(pilot, "S01", "s01wrong")
        dialog = pilot.app.screen
        assert isinstance(dialog, AuthoriseDialog)
        assert auth.failed().message in screen_text(pilot.app)
        assert dialog.query_one("#authorise-password").value == ""  # emptied, the id kept
        assert dialog.query_one("#authorise-id").value == "S01"
        assert "s01wrong" not in screen_text(pilot.app)
        assert failures(engine, "S01") == 1
        # an unknown id: the very same words
        await press(pilot, "up")  # to the id
        await press(pilot, *["backspace"] * 3)
        await fill(pilot, "S77", "s01pass")
        assert dialog.query_one("#authorise-id").value == "S77"
        assert auth.failed().message in screen_text(pilot.app)
        # Esc: it stays in the 8102 queue, and the message line says so
        await press(pilot, "escape")
        assert not isinstance(pilot.app.screen, AuthoriseDialog)
        assert "8102" in message(pilot.app)
    assert [r["op"] for r in reads.review_list(engine)] == ["change_key_info"]
    assert reads.client(engine, "880002")["name"] == "李四"


async def test_a_teller_or_the_maker_is_refused_with_a_reason(engine):
    async with app_for(engine, "T01").run_test(size=SIZE) as pilot:
        await key_change(pilot, leave_open=True)
        await fill(pilot, "T02", "t02pass")
        text = screen_text(pilot.app)
        assert isinstance(pilot.app.screen, AuthoriseDialog)
        assert "T02" in text and "无权授权" in text and "主管" in text
        await fill(pilot, "T01", "t01pass")  # the id was emptied: the maker tries
        assert "T01" in screen_text(pilot.app) and "无权授权" in screen_text(pilot.app)
        await fill(pilot, "S01", "s01pass")  # then a supervisor
        assert message(pilot.app).startswith("✔")
    assert reads.client(engine, "880002")["name"] == "李肆"


async def test_the_password_never_shows_on_screen(engine):
    async with app_for(engine, "T01").run_test(size=SIZE) as pilot:
        await key_change(pilot, leave_open=True)
        await fill(pilot, "S01")
        await pilot.press(*"s01pass")
        assert "s01pass" not in screen_text(pilot.app)
        assert "S01" in screen_text(pilot.app)
