"""Issue 10 item 7, never frozen: the store calls a form makes (the papers preview as fields are
accepted, F8's preview, the commit) and sign-on's password check run off the UI thread; while F8's
call is in flight the counter still takes keys, a second F8 is ignored and the message line says
it is waiting."""

from __future__ import annotations

import threading

import pytest

from screenkit import (  # noqa: F401  (fixtures)
    PASSWORDS, SIZE, accounts, app_for, call, demo_template, engine, fill, message, open_code, press, settle, type_in,
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


# --- no screen reads the store on the UI thread (the status line, the lists on a form, F4 narrowing, day-end) ---
@pytest.fixture
def reads_on(monkeypatch):  # noqa: ANN001, ANN201
    """Every read the screens make (teller.services.reads, the 8102 queue, day-end's open items),
    recorded as (name, on the UI thread)."""
    import inspect

    from teller.services import changes, dayend, reads

    calls: list[tuple[str, bool]] = []

    def recorded(name, real):  # noqa: ANN001, ANN202
        def call(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            calls.append((name, threading.current_thread() is threading.main_thread()))
            return real(*args, **kwargs)
        return call

    for name, fn in inspect.getmembers(reads, inspect.isfunction):
        if fn.__module__ == reads.__name__ and not name.startswith("_"):
            monkeypatch.setattr(reads, name, recorded(name, fn))
    monkeypatch.setattr(changes, "review_queue", recorded("review_queue", changes.review_queue))
    monkeypatch.setattr(dayend, "left_open", recorded("left_open", dayend.left_open))
    return calls


def on_ui(calls: list[tuple[str, bool]]) -> list[str]:
    return [name for name, ui in calls if ui]


async def test_the_status_line_reads_the_branch_and_its_date_off_the_ui_thread(engine, reads_on):
    from teller.screens.widgets import StatusLine

    async with app_for(engine).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        status = str(pilot.app.screen.query_one(StatusLine).render())
        assert "营业日" in status and "2026" in status, status  # the branch's date came back from its worker
        await open_code(pilot, "3206")
        await fill(pilot, "880003")  # a function names a client: the line names it too, no read
        assert "880003" in str(pilot.app.screen.query_one(StatusLine).render())
    assert ("branch_status", False) in reads_on
    assert on_ui(reads_on) == []


async def test_8102s_list_is_read_off_the_ui_thread_and_keys_typed_at_once_find_it(engine, reads_on):
    review = call(engine, "change_key_info", documents=None, customer="880002", name="李肆").data["review_id"]
    async with app_for(engine, "S01").run_test(size=SIZE) as pilot:
        from textual import events

        await pilot.press("f2")
        await type_in(pilot, "8102")
        # Enter, then into the list and take its row at once, as a terminal sends them: the list
        # is read in a worker, and the keys behind it wait for it
        for key in ("enter", "shift+tab", "enter"):
            pilot.app.post_message(events.Key(key, "\r" if key == "enter" else None))
        await press(pilot)
        view = pilot.app.screen.view
        assert view.input_of("review").value == str(review)
        assert "李四 → 李肆" in view.queue[str(review)]["change"]  # the previews came back too
    assert {"review_list", "review_queue"} <= {name for name, _ui in reads_on}
    assert on_ui(reads_on) == []


async def test_7101s_open_alerts_are_read_off_the_ui_thread(engine, reads_on):
    async with app_for(engine, "T01").run_test(size=SIZE) as pilot:
        await open_code(pilot, "7101")
        assert pilot.app.screen.view.query_one("#listing-title").render()  # the title drawn from the worker's rows
        assert "未处理预警" in str(pilot.app.screen.view.query_one("#listing-title").render())
    assert ("alert_list", False) in reads_on
    assert on_ui(reads_on) == []


async def test_f4_narrows_its_list_off_the_ui_thread_and_enter_typed_behind_takes_the_narrowed_row(engine, reads_on):
    from textual import events

    from teller.screens.dialogs import LookupDialog

    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await press(pilot, "f4")
        assert isinstance(pilot.app.screen, LookupDialog)
        for ch in "8800030010":  # typed at once, Enter straight behind: each character narrows the list in a worker
            pilot.app.post_message(events.Key(ch, ch))
        pilot.app.post_message(events.Key("enter", "\r"))
        await press(pilot)
        assert not isinstance(pilot.app.screen, LookupDialog)
        assert pilot.app.screen.view.input_of("from").value == "88000300101"
    assert [name for name, _ui in reads_on].count("find_accounts") >= 2  # the opening list and the narrowed ones
    assert on_ui(reads_on) == []


async def test_day_end_counts_the_clients_off_the_ui_thread(engine, reads_on):
    async with app_for(engine, "T01").run_test(size=SIZE) as pilot:
        await open_code(pilot, "9101")
        await press(pilot, "f8")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await press(pilot, "enter")
        assert message(pilot.app).startswith("✔"), message(pilot.app)
    assert ("client_count", False) in reads_on
    assert on_ui(reads_on) == []
