"""`teller serve` without a browser: what each counter is started with, whom a connection is taken
to be, which pages may open a counter, the options refused, and the key legend in a browser.
(tests/test_browser.py drives it from a real Chromium.)"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from screenkit import SIZE, app_for, demo_template, engine  # noqa: F401
from teller.serve import counter_command, same_origin, terminal_id, terminal_size


class FakeRequest:
    def __init__(self, remote: str | None, headers: dict[str, str] | None = None, host: str = "127.0.0.1:8000") -> None:
        self.remote, self.headers, self.host = remote, headers or {}, host


def test_each_counter_is_this_python_running_teller_with_no_store_url_on_its_command_line(tmp_path):
    command = counter_command(lang="en", theme="light", keymap=tmp_path / "keys.toml", demo=True)
    words = shlex.split(command)
    assert words[0] == "exec"  # the shell gives way to the counter: the server's child is the counter
    assert words[2:4] == ["-m", "teller.launch"]
    assert words[words.index("--lang") + 1] == "en" and words[words.index("--theme") + 1] == "light"
    assert Path(words[words.index("--keymap") + 1]).is_absolute() and "--demo" in words
    assert not any("sqlite" in w or "postgresql" in w for w in words)  # the store goes in TELLER_DB
    assert "--demo" not in counter_command(lang="zh_CN", theme="green", keymap=None, demo=False)


def test_a_connection_is_the_terminal_of_the_browsers_address():
    assert terminal_id(FakeRequest("192.168.10.23")) == "W-192.168.10.23"
    # A reverse proxy on this machine says who the browser is; anyone else saying so is ignored.
    assert terminal_id(FakeRequest("127.0.0.1", {"X-Forwarded-For": "10.0.0.9, 192.168.10.31"})) == "W-192.168.10.31"
    assert terminal_id(FakeRequest("192.168.10.23", {"X-Forwarded-For": "10.0.0.9"})) == "W-192.168.10.23"
    assert terminal_id(FakeRequest("::1", {"X-Forwarded-For": "fe80::1"})) == "W-fe80::1"
    assert terminal_id(FakeRequest("127.0.0.1", {"X-Forwarded-For": "T-01'; DROP"})) == "W-01D"  # only address characters
    assert terminal_id(FakeRequest(None)) == "W-?"


def test_only_the_counters_own_page_may_open_a_counter():
    assert same_origin(FakeRequest("127.0.0.1", {"Origin": "http://127.0.0.1:8000"}))
    assert same_origin(FakeRequest("127.0.0.1", {"Origin": "https://Counter.Branch"}, host="counter.branch"))
    assert not same_origin(FakeRequest("127.0.0.1", {"Origin": "http://evil.example"}))
    assert not same_origin(FakeRequest("127.0.0.1", {"Origin": "http://127.0.0.1:9000"}))
    assert same_origin(FakeRequest("127.0.0.1"))  # no Origin: not a browser, which could connect anyway


def test_a_page_cannot_ask_for_a_screen_no_counter_could_draw():
    assert terminal_size(100, 30) == (100, 30)
    assert terminal_size(10**9, 10**9) == (400, 200)
    assert terminal_size(-5, 0) == (20, 10)
    assert terminal_size("80", None) == (80, 24)  # a resize message with no numbers in it


@pytest.mark.parametrize("args, says", [
    (["serve", "--demo", "--db", "sqlite:///x.db"], "--demo"),
    (["serve", "--theme", "amber"], "green"),
    (["serve", "--port", "0"], "--port"),
])
def test_serve_refuses_what_it_cannot_do(args, says):
    from teller.cli import app

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and says in result.output, result.output


@pytest.mark.asyncio
async def test_in_a_browser_the_legend_shows_the_ctrl_twin_of_the_keys_the_browser_keeps(engine, monkeypatch):  # noqa: F811
    from teller.screens.app import TellerApp

    async with app_for(engine).run_test(size=SIZE) as pilot:
        shown = str(pilot.app.screen.query_one("KeyLegend").render())
        assert "F12" in shown and "Ctrl+Z" not in shown  # at a terminal: the function key
    monkeypatch.setattr(TellerApp, "is_web", property(lambda self: True))
    async with app_for(engine).run_test(size=SIZE) as pilot:
        shown = str(pilot.app.screen.query_one("KeyLegend").render())
        assert "Ctrl+Z" in shown and "F12" not in shown and "F8" in shown, shown
