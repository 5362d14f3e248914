"""Start-up: the sign-on screen is drawn before the store (SQLAlchemy, SQLModel, the services) is
imported, the store opens in a worker behind it, and a sign-on typed before the store is ready
waits for it instead of failing (STYLE.md: posting once crashed on an early Enter)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

from screenkit import PASSWORDS, fill, message
from teller.screens import app as A
from teller.screens.counter import CounterScreen
from teller.screens.signon import SignOnScreen

PROBE = textwrap.dedent("""
    import asyncio, sys
    HEAVY = {"sqlmodel", "sqlalchemy", "teller.services.counter"}
    import teller.screens.app as A
    at_import = sorted(HEAVY & set(sys.modules))
    seen = []
    mount = A.SignOnScreen.on_mount
    def probe(self):
        seen.append(sorted(HEAVY & set(sys.modules)))
        mount(self)
    A.SignOnScreen.on_mount = probe

    async def main():
        app = A.TellerApp(db_url="sqlite:///" + sys.argv[1])
        async with app.run_test() as pilot:
            for _ in range(200):  # the store opens in a worker thread once the first frame is up
                if app.counter is not None or app.store_error:
                    break
                await pilot.pause(0.05)
            print(at_import, seen, app.counter is not None, app.ready_after is not None)
    asyncio.run(main())
""")


def test_sign_on_is_drawn_before_the_store_is_imported(tmp_path):
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "t.db")], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[0] == "[] [[]] True True", done.stdout + done.stderr


@pytest.mark.asyncio
async def test_a_sign_on_typed_early_waits_for_the_store(tmp_path, monkeypatch):
    gate = threading.Event()
    real = A.open_engine

    def slow(url, demo=False):  # noqa: ANN001, ANN202
        assert gate.wait(20)
        return real(url, demo=demo)

    monkeypatch.setattr(A, "open_engine", slow)
    app = A.TellerApp(db_url=f"sqlite:///{tmp_path / 'demo.db'}", demo=True)
    async with app.run_test() as pilot:
        await fill(pilot, "T01", PASSWORDS["T01"])
        await pilot.press("enter")
        assert isinstance(app.screen, SignOnScreen) and app.counter is None
        assert "自动签到" in str(app.screen.query_one("#signon-message").render())
        gate.set()
        for _ in range(200):
            if isinstance(app.screen, CounterScreen):
                break
            await pilot.pause(0.05)
        await pilot.pause()
        assert isinstance(app.screen, CounterScreen)
        assert "T01" in str(app.screen.query_one("#status").render())
        assert message(app)  # the counter greets with how to start
