"""The child side of the start-up and memory benchmarks: `python -m bench.probe WHAT [URL]`, run on a
pseudo-terminal by bench.startup. It reports events as lines "event monotonic-time" on the file
descriptor in BENCH_FD (the parent's clock is the same CLOCK_MONOTONIC):

  ready   the first frame of the first screen is on the terminal (Textual's Ready event)
  store   the counter's store is open (teller only)
  menu    after Enter on sign-on, the next screen (the counter's menu) has been drawn
  rss     peak resident memory in KiB, as the process ends (getrusage)

WHAT: bare (a Textual app with a tree and an input), bare-sqlmodel (the same after importing
SQLModel and creating 10 tables), teller (the real `teller` command on URL).
"""

from __future__ import annotations

import os
import sys
import time


def say(event: str, value: float | None = None) -> None:
    os.write(int(os.environ["BENCH_FD"]), f"{event} {time.monotonic() if value is None else value}\n".encode())


def peak_rss() -> None:
    """VmHWM: this program's peak resident memory in KiB (getrusage's maxrss would count the parent's,
    which the fork before exec copied)."""
    with open("/proc/self/status", encoding="ascii") as f:
        say("rss", next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")))


def bare(with_sqlmodel: bool = False) -> None:
    if with_sqlmodel:
        import tempfile
        from typing import Optional

        from sqlmodel import Field, SQLModel, create_engine

        for i in range(10):
            type(f"T{i}", (SQLModel,), {"__annotations__": {"id": Optional[int], "name": str, "amount": int},
                                        "id": Field(default=None, primary_key=True), "__tablename__": f"t{i}"},
                 table=True)
        SQLModel.metadata.create_all(create_engine(f"sqlite:///{tempfile.mkdtemp()}/bare.db"))
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Input, Tree

    say("imported")

    class Menu(Screen):
        def compose(self):  # noqa: ANN202
            tree: Tree[str] = Tree("menu")
            for g in range(9):
                node = tree.root.add(f"group {g}", expand=g == 0)
                for f in range(4):
                    node.add_leaf(f"{g}10{f} function")
            yield Input(id="code")
            yield tree

        def on_mount(self) -> None:
            self.query_one(Input).focus()
            self.call_after_refresh(lambda: say("menu"))

    class Bare(App):
        def compose(self):  # noqa: ANN202
            yield Input(id="who")
            yield Input(id="password", password=True)
            yield Input(id="terminal", value="T-01")
            yield Tree("tree")

        def on_mount(self) -> None:
            say("mount")
            self.query_one("#who", Input).focus()

        def on_ready(self) -> None:
            say("ready")
            say("store")
            if os.environ.get("BENCH_EXIT") == "ready":
                self.exit()

        def on_input_submitted(self, event: Input.Submitted) -> None:
            if event.input.id in ("password", "terminal"):  # as the counter's sign-on: the terminal is filled in
                self.push_screen(Menu())
            else:
                self.screen.focus_next()

    Bare().run()
    peak_rss()


def teller(url: str) -> None:
    import teller.launch  # noqa: F401 - the `teller` command's entry point
    import teller.screens.app as A

    say("imported")
    ready, store_ready, app_mount = A.TellerApp.on_ready, A.TellerApp._store_ready, A.TellerApp.on_mount

    def on_app_mount(self) -> None:  # noqa: ANN001
        say("mount")
        app_mount(self)

    init = A.TellerApp.__init__

    def construct(self, *args, **kw) -> None:  # noqa: ANN001, ANN002, ANN003
        say("construct")
        init(self, *args, **kw)

    A.TellerApp.__init__ = construct

    def on_ready(self) -> None:  # noqa: ANN001
        ready(self)
        say("ready")
        if os.environ.get("BENCH_EXIT") == "ready":
            self.exit()

    def on_store(self, engine) -> None:  # noqa: ANN001
        store_ready(self, engine)
        say("store")

    from teller.screens.counter import CounterScreen  # imported by the sign-on in any case

    mount = CounterScreen.on_mount

    def on_mount(self) -> None:  # noqa: ANN001
        mount(self)
        self.call_after_refresh(lambda: say("menu"))

    A.TellerApp.on_ready, A.TellerApp._store_ready, A.TellerApp.on_mount = on_ready, on_store, on_app_mount
    CounterScreen.on_mount = on_mount
    from teller.launch import main

    sys.argv = ["teller", "--db", url]
    try:
        main()
    except SystemExit:
        pass
    peak_rss()


def main() -> None:
    what = sys.argv[1]
    if what == "teller":
        teller(sys.argv[2])
    else:
        bare(with_sqlmodel=what == "bare-sqlmodel")


if __name__ == "__main__":
    if os.environ.get("BENCH_PROFILE"):  # where the time goes: BENCH_PROFILE=out.prof
        import cProfile

        cProfile.run("main()", os.environ["BENCH_PROFILE"])
    else:
        main()
