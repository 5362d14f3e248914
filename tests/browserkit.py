"""Helpers for the tests that drive `teller serve` in a real Chromium (tests/test_browser.py).

- `Served`: the server as a separate process (what a branch runs), its counters found as its child
  processes in /proc, and a stop that checks nothing was left running.
- `chromium()`: Debian's chromium through Playwright (`executable_path`, so Playwright downloads no
  browser), with the flags this machine's closed network needs; the tests are skipped, saying why,
  when either is missing.
- `PageScreen`: what the page shows, as text. The page draws on a canvas, so the test reads what the
  server sent it: every frame the page's websocket received, fed to a terminal emulator (pyte) of
  the size the page asked for. It is the screen the teller sees, not the app's state.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from terminaltext import screen_text

CHROMIUM_FLAGS = [
    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
]


def chromium_path() -> str | None:
    path = os.environ.get("TELLER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).is_file() and os.access(path, os.X_OK) else None


def chromium(playwright):  # noqa: ANN001, ANN201 - a Playwright and its Browser
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium here (.ci/run installs Debian's chromium; TELLER_CHROMIUM names another)")
    flags = CHROMIUM_FLAGS + (["--no-sandbox"] if os.geteuid() == 0 else [])  # Chromium as root needs it
    return playwright.chromium.launch(executable_path=path, args=flags)


def sync_playwright():  # noqa: ANN201
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[test]')")
    return start()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid: int) -> bool:
    """Running (a zombie, ended but not yet reaped, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def children(pid: int) -> list[int]:
    """The running processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode("utf-8", "replace").split("\0") if "=" in item)


def wait_until(check, timeout: float, what: str, step: float = 0.1):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(step)


class Served:
    """`teller serve ARGS` on a free loopback port, as its own process."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log
        self.seen: set[int] = set()  # every counter process seen, to check at the end
        command = [sys.executable, "-m", "teller.launch", "serve", "--port", str(self.port), *args]
        self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
        wait_until(self._answers, 30, f"teller serve answering on {self.url} (log: {log})")

    def _answers(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"teller serve ended with {self.proc.returncode}:\n{self.log.read_text()}")
        try:
            with urllib.request.urlopen(self.url, timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def counters(self) -> list[int]:
        found = children(self.proc.pid)
        self.seen.update(found)
        return found

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        """Stop the server and check that it, and every counter it started, has ended."""
        self.counters()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"teller serve did not stop within {timeout} s after signal {sig}") from None
        wait_until(lambda: not any(alive(p) for p in self.seen), 15,
                   f"counters {sorted(p for p in self.seen if alive(p))} still running after the server stopped")


class PageScreen:
    """The text on a page's counter, rebuilt from the bytes its websocket received."""

    def __init__(self, page) -> None:  # noqa: ANN001
        import pyte

        self.page = page
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.last_frame = time.monotonic()
        self.connected = False
        page.on("websocket", self._on_websocket)

    def _on_websocket(self, ws) -> None:  # noqa: ANN001
        query = parse_qs(urlsplit(ws.url).query)
        if "width" in query and "height" in query:
            self.screen.resize(int(query["height"][0]), int(query["width"][0]))
        self.connected = True
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    def _received(self, payload) -> None:  # noqa: ANN001
        self.last_frame = time.monotonic()
        if isinstance(payload, bytes):  # the app's output; text frames are textual-serve's own (pong, …)
            self.stream.feed(payload)

    def _sent(self, payload) -> None:  # noqa: ANN001
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self.screen.resize(size["height"], size["width"])

    def text(self) -> str:
        return screen_text(self.screen)

    def pump(self, ms: int = 50) -> None:
        """Let Playwright deliver the frames that arrived (its events run inside its own calls)."""
        self.page.wait_for_timeout(ms)

    def wait_for(self, *words: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            self.pump()
            text = self.text()
            if all(w in text for w in words):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"the page never showed {words!r}; it shows:\n{text}")

    def wait_gone(self, words: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            self.pump()
            text = self.text()
            if words not in text:
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"the page still shows {words!r}; it shows:\n{text}")

    def settle(self, quiet: float = 0.4, timeout: float = 15) -> str:
        """Wait until the server has sent nothing for `quiet` seconds: the counter has drawn. Frames
        are counted only as Playwright delivers them, so this always waits `quiet` at least."""
        start = time.monotonic()
        self.pump(int(quiet * 1000))
        while time.monotonic() - self.last_frame < quiet and time.monotonic() - start < timeout:
            self.pump()
        return self.text()

    def press(self, *names: str) -> None:
        """Keys by name ("Enter", "F8", "Control+z", " "), at the browser's own speed."""
        for name in names:
            self.page.keyboard.press(name)

    def type(self, text: str) -> None:
        """Text, one key per character, with no pause between them."""
        self.page.keyboard.type(text)

    def fields(self, *values: str) -> None:
        """Each value typed into the field under the cursor, then Enter, then wait for the counter to
        draw (until issue 10's type-ahead lands, Enter typed ahead is not yet kept by the counter)."""
        for value in values:
            if value:
                self.type(value)
            self.press("Enter")
            self.settle()
