"""Cold start to the first usable sign-on screen, and sign-on to the menu, each against a bare Textual
app doing the same on the same pseudo-terminal (bench.probe is the child)."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time

from bench.report import Figure, Report, median, ratio_at_most

SECTION = "start-up"


class Child:
    """`python -m bench.probe ARGS` on a 100x30 pseudo-terminal; collects the events it reports."""

    def __init__(self, *args: str, exit_at_ready: bool = False) -> None:
        self.events: dict[str, float] = {}
        self._got = threading.Condition()
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        r, w = os.pipe()
        env = dict(os.environ, BENCH_FD=str(w), TERM="xterm-256color", COLUMNS="100", LINES="30",
                   TELLER_LANG="zh_CN", BENCH_EXIT="ready" if exit_at_ready else "")
        env.pop("TEXTUAL", None)
        self.started = time.monotonic()
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.probe", *args], stdin=slave, stdout=slave, stderr=slave,
                                     pass_fds=(w,), env=env, start_new_session=True,
                                     cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        os.close(slave)
        os.close(w)
        self.master = master
        threading.Thread(target=self._drain, daemon=True).start()
        threading.Thread(target=self._read, args=(r,), daemon=True).start()

    def _drain(self) -> None:
        try:
            while os.read(self.master, 65536):
                pass
        except OSError:
            pass

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as f:
            for line in f:
                event, value = line.decode().split()
                with self._got:
                    self.events[event] = float(value)
                    self._got.notify_all()

    def wait(self, event: str, timeout: float = 60) -> float:
        with self._got:
            if not self._got.wait_for(lambda: event in self.events or self.proc.poll() is not None, timeout):
                raise TimeoutError(f"bench.probe: no '{event}' in {timeout} s")
        if event not in self.events:
            time.sleep(0.2)  # the reader may still be taking the last lines
            if event not in self.events:
                raise RuntimeError(f"bench.probe exited ({self.proc.returncode}) without '{event}'")
        return self.events[event]

    def type(self, text: str) -> float:
        at = time.monotonic()
        os.write(self.master, text.encode())
        return at

    def close(self) -> None:
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        try:
            os.close(self.master)
        except OSError:
            pass


def cold_start(*args: str) -> float:
    child = Child(*args, exit_at_ready=True)
    try:
        return child.wait("ready") - child.started
    finally:
        child.close()


def sign_on(*args: str, who: str, password: str) -> tuple[float, float]:
    """Seconds from Enter on the last sign-on field to the next screen drawn; and the peak RSS (KiB)."""
    child = Child(*args)
    try:
        child.wait("ready")
        child.wait("store")
        time.sleep(0.3)  # let the screen settle, as a teller would
        child.type(who + "\r")
        time.sleep(0.2)
        child.type(password)
        time.sleep(0.2)
        pressed = child.type("\r")  # Enter on the password signs on (the terminal's id is filled in)
        menu = child.wait("menu") - pressed
        time.sleep(0.2)
        child.type("\x11")  # ctrl+q
        return menu, child.wait("rss")
    finally:
        child.close()


def demo_store(folder: str) -> str:
    from teller.demo import seed_demo
    from teller.store.db import make_engine

    url = f"sqlite:///{os.path.join(folder, 'startup.db')}"
    engine = make_engine(url)
    seed_demo(engine)
    engine.dispose()
    return url


def run(report: Report, *, quick: bool, folder: str) -> None:
    runs = 3 if quick else 7
    url = demo_store(folder)
    print(f"[{SECTION}] cold starts x{runs}", flush=True)
    bare, bare_sql, teller = [], [], []
    for _i in range(runs):  # interleaved, so that a busy moment of the machine hits both
        bare.append(cold_start("bare"))
        teller.append(cold_start("teller", url))
        bare_sql.append(cold_start("bare-sqlmodel"))
    floor = median(bare)
    report.add(Figure(SECTION, "bare Textual app (tree, inputs), first frame", floor, "s", note=f"median of {runs}"))
    report.add(Figure(SECTION, "bare app after importing SQLModel and creating 10 tables", median(bare_sql), "s",
                      floor=floor, floor_name="bare app"))
    report.add(Figure(SECTION, "teller: sign-on screen drawn and taking keys", median(teller), "s", floor=floor,
                      floor_name="bare app", target=ratio_at_most(1.2), note="the real `teller` command; store opens behind",
                      extra={"runs": teller}))
    print(f"[{SECTION}] sign-on to menu x{max(2, runs // 2)}", flush=True)
    bare_menu, teller_menu, bare_rss, teller_rss = [], [], [], []
    for _i in range(max(2, runs // 2)):
        m, rss = sign_on("bare", who="x", password="x")
        bare_menu.append(m)
        bare_rss.append(rss)
        m, rss = sign_on("teller", url, who="T01", password="t01pass")
        teller_menu.append(m)
        teller_rss.append(rss)
    report.add(Figure(SECTION, "bare app: Enter to the next screen (tree) drawn", median(bare_menu), "s"))
    report.add(Figure(SECTION, "teller: sign-on Enter to the menu drawn", median(teller_menu), "s", floor=median(bare_menu),
                      floor_name="bare app", note="includes checking the password (scrypt)"))
    report.add(Figure(SECTION, "teller: peak memory, demo store, signed on", max(teller_rss) / 1024, "MiB",
                      floor=max(bare_rss) / 1024, floor_name="bare app"))


if __name__ == "__main__":
    import tempfile

    r = Report()
    with tempfile.TemporaryDirectory() as d:
        run(r, quick=True, folder=d)
    print(r.table())
