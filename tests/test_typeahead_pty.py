"""Issue 10 item 4 through a real pseudo-terminal: `teller --demo` started on a pty, and the sign-on,
a whole 3203 and its confirmation written to it at once, right after the start, before the counter
has drawn anything (the terminal not yet in Textual's raw mode, as when a teller types while the
program loads). The screen is rebuilt from what the counter wrote (pyte) and read as a teller would:
every key landed where it was meant, the transfer is committed, and the password never showed."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from decimal import Decimal
from pathlib import Path

import pytest

from terminaltext import screen_text

pytestmark = pytest.mark.slow  # the demo store is seeded in the counter's own process: 5-20 s here

F2, F8 = b"\x1bOQ", b"\x1b[19~"
KEYS = (b"T01\rt01pass\r\r" + F2 + b"3203\r88000200101\r880002001\r100\r\r\r " + F8 + b"\r")


def teller_command() -> list[str]:
    script = Path(sys.executable).with_name("teller")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from teller.launch import main; main()"]


def test_a_sign_on_and_a_3203_typed_at_once_right_after_start_land_where_they_were_meant(tmp_path):
    import pyte

    from teller.services import reads
    from teller.store.db import make_engine

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELLER_", "NO_COLOR"))}
    env |= {"TERM": "xterm-256color", "TMPDIR": str(tmp_path), "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen([*teller_command(), "--demo", "--db", url], stdin=slave, stdout=slave, stderr=slave,
                            env=env, start_new_session=True, close_fds=True)
    os.close(slave)
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    frames: list[str] = []
    try:
        # The first thing `teller` does is stop the terminal's echo (teller/launch.py): from then on
        # nothing typed is shown by the terminal itself. Keys written before that, while Python is
        # still starting, would be echoed by the kernel's terminal driver before any program runs.
        started = time.monotonic()
        while termios.tcgetattr(master)[3] & termios.ECHO:
            assert time.monotonic() - started < 30, "the counter never took the terminal"
            time.sleep(0.002)
        quiet_after = time.monotonic() - started
        drawn_before = os.read(master, 65536) if select.select([master], [], [], 0)[0] else b""
        os.write(master, KEYS)  # all at once, before the sign-on screen is drawn
        deadline = time.monotonic() + 120
        text = ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break
                stream.feed(data)
                text = screen_text(screen)
                frames.append(text)
            if "流水号" in text:
                break
        assert "流水号" in text, text
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        os.close(master)
    assert quiet_after < 5 and "柜员签到".encode() not in drawn_before, (quiet_after, drawn_before)
    # committed: ✔ on the message line, and the 3203 into the main offers 3105 on the code line
    assert "功能码 3105" in text and "下一步" in text and "✔" in text, text
    assert not any("t01pass" in frame for frame in frames), next(f for f in frames if "t01pass" in f)
    engine = make_engine(url)
    try:
        cash = {a["no"]: Decimal(a["cash"]) for a in reads.client(engine, "880002")["accounts"]}
    finally:
        engine.dispose()
    assert cash["880002001"] == Decimal("1100.00") and cash["88000200101"] == Decimal("1900.00"), cash
