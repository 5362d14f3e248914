"""Issue 10 item 7, never frozen: the store calls a form makes (the papers preview as fields are
accepted, F8's preview, the commit) and sign-on's password check run off the UI thread; while F8's
call is in flight the counter still takes keys, a second F8 is ignored and the message line says
it is waiting."""

from __future__ import annotations

import threading

import pytest

from screenkit import (  # noqa: F401  (fixtures)
    PASSWORDS, SIZE, accounts, app_for, demo_template, engine, fill, message, open_code, press, settle, type_in,
)
from teller.screens.dialogs import ConfirmDialog

pytestmark = pytest.mark.asyncio


async def test_a_preview_held_up_by_the_store_leaves_the_counter_drawing_and_taking_keys(engine, monkeypatch):
    from teller.services.counter import Counter

    release = threading.Event()
    on_ui_thread: list[bool] = []
    real_preview, real_run = Counter.preview, Counter.run

    def held_preview(self, op, params, ctx):  # noqa: ANN001, ANN202
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        if ctx.documents is not None:  # F8's preview (the papers' one counts every paper as there)
            release.wait(10)  # as if another terminal held the client's lock
        return real_preview(self, op, params, ctx)

    def run(self, op, params, ctx):  # noqa: ANN001, ANN202
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        return real_run(self, op, params, ctx)

    monkeypatch.setattr(Counter, "preview", held_preview)
    monkeypatch.setattr(Counter, "run", run)
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3105")
        await fill(pilot, "880001001", "1", "100", "")
        view = pilot.app.screen.view
        await pilot.press("f8")
        await pilot.pause(0.6)  # longer than the counter waits before it says so
        assert "正在等待" in message(pilot.app)
        await pilot.press("f8")  # ignored: the first F8's preview is still in flight
        assert "正在等待" in message(pilot.app)
        assert not isinstance(pilot.app.screen, ConfirmDialog)
        assert pilot.app.screen.focused is view.input_of("agent")
        await pilot.press("shift+tab")  # the keys still move the cursor
        assert pilot.app.screen.focused is view.input_of("amount")
        release.set()
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await press(pilot, "enter")
        assert message(pilot.app).startswith("✔"), message(pilot.app)
        assert not isinstance(pilot.app.screen, ConfirmDialog)  # one confirmation for the two F8s
    assert on_ui_thread and not any(on_ui_thread)
    assert accounts(engine, "880001")["880001001"]["cash"] == "50100.00"  # committed once


async def test_sign_on_checks_the_password_off_the_ui_thread(engine, monkeypatch):
    from teller.screens.counter import CounterScreen
    from teller.services import auth

    on_ui_thread: list[bool] = []
    real = auth.sign_on

    def sign_on(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(auth, "sign_on", sign_on)
    async with app_for(engine, teller=None).run_test(size=SIZE) as pilot:
        await fill(pilot, "T01", PASSWORDS["T01"])
        await press(pilot, "enter")
        assert isinstance(pilot.app.screen, CounterScreen)
    assert on_ui_thread == [False]
