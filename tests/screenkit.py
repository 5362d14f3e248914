"""Driving the counter at the keyboard in tests: a demo-branch store per test, the app signed on,
and helpers that press keys only (no widget is poked to change a value)."""

from __future__ import annotations

import io
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from teller.screens.app import SignedOn, TellerApp

SIZE = (100, 30)
NOW = datetime(2026, 11, 23, 10, 0, 0)
TELLERS = {"T01": ("柜员甲", "teller"), "T02": ("柜员乙", "teller"), "S01": ("主管丙", "supervisor"), "TR01": ("培训师丁", "trainer")}
PASSWORDS = {"T01": "t01pass", "T02": "t02pass", "S01": "s01pass", "TR01": "tr01pass"}


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo branch seeded once into a file; each test gets its own copy."""
    from teller.demo import seed_demo
    from teller.store.db import make_engine

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    seed_demo(engine)
    engine.dispose()  # closes the connection, which folds the WAL into the file
    return path


@pytest.fixture
def engine(demo_template, tmp_path):
    from teller.store.db import make_engine

    path = tmp_path / "branch.db"
    shutil.copy(demo_template, path)
    e = make_engine(f"sqlite:///{path}")
    yield e
    e.dispose()


def app_for(engine, teller: str | None = "T01", theme: str = "green") -> TellerApp:  # noqa: ANN001
    signed = None
    if teller:
        name, role = TELLERS[teller]
        signed = SignedOn(teller, name, role, "T-01")
    return TellerApp(engine=engine, signed_on=signed, theme=theme, now=NOW)


async def settle(pilot) -> None:  # noqa: ANN001
    """Wait until the store calls the screens started (storecall.py, in worker threads) are back and
    their results drawn: Pilot waits for the UI thread only."""
    from textual.worker import WorkerState

    for _ in range(200):
        await pilot.pause()
        running = [w for w in pilot.app.workers  # storecall.py's groups, not the store being opened
                   if w.group.startswith("store-") and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        typeahead = getattr(pilot.app, "typeahead", None)
        if not running and (typeahead is None or typeahead.idle):  # and every key typed handed on
            return
        if running:
            await pilot.app.workers.wait_for_complete(running)
    raise AssertionError("store calls still running after 200 rounds")


async def press(pilot, *keys: str) -> None:  # noqa: ANN001
    """Keys through Pilot, then wait for the store calls they started."""
    await pilot.press(*keys)
    await settle(pilot)


async def type_in(pilot, text: str) -> None:  # noqa: ANN001
    """Type text into the field under the cursor: the same key events the terminal driver sends,
    without Pilot's wait for idle after each character (keys that move the cursor, like Enter,
    go through pilot.press, which waits)."""
    from textual import events

    for ch in text:
        pilot.app.post_message(events.Key(ch, ch))
    await pilot.pause()


async def open_code(pilot, code: str) -> None:  # noqa: ANN001
    """F2 to the function-code field, the four digits, Enter."""
    await pilot.press("f2")
    await type_in(pilot, code)
    await press(pilot, "enter")


async def fill(pilot, *values: str) -> None:  # noqa: ANN001
    """Type each value into the field under the cursor and press Enter (an empty value just Enter)."""
    for value in values:
        if value:
            await type_in(pilot, value)
        await press(pilot, "enter")


async def tick(pilot, *papers: str) -> None:  # noqa: ANN001
    """Tick papers on the checklist with ↑ ↓ and Space (the checklist has the cursor)."""
    from teller.screens.papers_panel import PapersList

    app = pilot.app
    lst = app.screen.query_one(PapersList)
    assert app.screen.focused is lst, "the papers checklist should have the cursor"
    for paper in papers:
        target = lst.papers.index(paper)
        step = "down" if target > (lst.highlighted or 0) else "up"
        for _ in range(abs(target - (lst.highlighted or 0))):
            await pilot.press(step)
        await pilot.press("space")
    assert set(papers) <= set(lst.selected)


async def submit(pilot, confirm: bool = True, authorise: tuple[str, str] | None = None) -> str:  # noqa: ANN001
    """F8; on the confirmation dialog Enter (or F12 when not confirming); on the supervisor's
    authorisation that a request waiting for review opens, `authorise` = (id, password) typed, or
    Esc, which leaves it in the 8102 queue. Returns the message line."""
    from teller.screens.authorise import AuthoriseDialog
    from teller.screens.dialogs import ConfirmDialog

    await press(pilot, "f8")
    if isinstance(pilot.app.screen, ConfirmDialog):
        await press(pilot, "enter" if confirm else "f12")
    if isinstance(pilot.app.screen, AuthoriseDialog):
        if authorise:
            await fill(pilot, *authorise)
        else:
            await press(pilot, "escape")
    return message(pilot.app)


def message(app) -> str:  # noqa: ANN001
    """The message line's text as said, without the line breaks it is laid out with (fmt.wrap)."""
    from textual.widgets import Static

    line = app.screen.query_one("#message", Static)
    return line.text if hasattr(line, "text") else str(line.render())


def screen_text(app) -> str:  # noqa: ANN001
    """The terminal's text as a teller sees it (what App.export_screenshot draws, without colour)."""
    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system=None,
                      record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def call(engine, op: str, teller: str = "T01", documents=None, **params):  # noqa: ANN001, ANN201
    """A service call made outside the screens, to set up a state or to check one."""
    from teller.services.base import Context
    from teller.services.counter import Counter

    return Counter(engine).run(op, params, Context(teller_id=teller, documents=documents, now=NOW))


def accounts(engine, customer: str) -> dict[str, dict]:  # noqa: ANN001
    from teller.services.reads import client

    return {a["no"]: a for a in client(engine, customer)["accounts"]}


async def sign_on(pilot, teller: str, password: str | None = None) -> None:  # noqa: ANN001
    """On the sign-on screen: teller id, Enter, password, Enter, Enter on the terminal."""
    await fill(pilot, teller, password if password is not None else PASSWORDS[teller])
    await press(pilot, "enter")


async def sign_off(pilot) -> None:  # noqa: ANN001
    """F3 leaves the function, F3 on the menu asks to sign off, Enter confirms."""
    from teller.screens.counter import CounterScreen

    if isinstance(pilot.app.screen, CounterScreen) and pilot.app.screen.view is not None:
        await pilot.press("f3")
    await press(pilot, "f3", "enter")


async def do(pilot, code: str, values: tuple[str, ...], papers: tuple[str, ...] = ()) -> str:  # noqa: ANN001
    """Within one session: open `code`, fill, tick, submit, confirm; the message line."""
    await open_code(pilot, code)
    await fill(pilot, *values)
    if papers:
        await tick(pilot, *papers)
    return await submit(pilot)
