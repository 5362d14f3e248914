"""Per key in a form (key → field updated → painted) and opening a function's form, against a bare
Textual app with an input, in one process. Keys go in as the terminal driver sends them (one Key
event each, not Pilot's press, which waits about 80 ms); a frame counts as painted when Textual hands
it to the display and it has been rendered to terminal output, and only the first frame that shows
the key's effect counts. CPU per key is the process's CPU time while typing at a teller's pace, less
the same time idle."""

from __future__ import annotations

import asyncio
import os
import time

from bench.report import Figure, Report, at_most, median, p95

SECTION = "keys"
PACE = 0.06  # seconds between keys: a fast typist


class Painter:
    """Wraps App._display: renders each frame to terminal output (what a terminal would be sent) and
    wakes whoever waits for a frame that satisfies a condition."""

    def __init__(self, app) -> None:  # noqa: ANN001
        from textual._compositor import CompositorUpdate

        self.app, self.wanted, self.at, self.frames = app, None, None, 0
        self.event = asyncio.Event()
        shown = app._display

        def display(screen, renderable) -> None:  # noqa: ANN001
            shown(screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)
                self.frames += 1
                if self.wanted is not None and self.wanted():
                    self.at, self.wanted = time.perf_counter(), None
                    self.event.set()

        app._display = display

    async def until(self, condition, action, timeout: float = 10.0) -> float:  # noqa: ANN001
        """Seconds from doing `action` to the first frame painted with `condition` true."""
        self.event.clear()
        self.wanted, self.at = condition, None
        t0 = time.perf_counter()
        action()
        await asyncio.wait_for(self.event.wait(), timeout)
        return self.at - t0


def press(app, key: str, char: str | None = None) -> None:  # noqa: ANN001
    from textual import events

    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def type_keys(app, painter: Painter, box, text: str) -> tuple[list[float], float]:  # noqa: ANN001
    """Type `text` into the focused input at PACE; the latency of each key and the CPU seconds per
    key beyond idling."""
    lat = []
    c0, w0 = time.process_time(), time.perf_counter()
    for ch in text:
        before = box.value
        lat.append(await painter.until(lambda b=before: box.value != b, lambda c=ch: press(app, c, c)))
        await asyncio.sleep(PACE)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    c1 = time.process_time()
    await asyncio.sleep(wall)  # the same time idle: what the app costs without keys
    idle = time.process_time() - c1
    return lat, max(0.0, cpu - idle) / len(text)


async def bare_floor(rounds: int) -> tuple[list[float], float, list[float]]:
    from textual.app import App
    from textual.containers import Vertical
    from textual.widgets import Input, Label, Tree

    class Bare(App):
        def compose(self):  # noqa: ANN202
            yield Input(id="box")
            yield Tree("tree")

        def open_form(self) -> None:
            rows = Vertical(id="form")
            self.mount(rows)
            rows.mount_all([w for i in range(6) for w in (Label(f"field {i}"), Input(id=f"f{i}"))])

    app = Bare()
    lat, cpu, opens = [], [], []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        painter = Painter(app)
        box = app.query_one("#box", Input)
        box.focus()
        await pilot.pause(0.1)
        for _r in range(rounds):
            lt, c = await type_keys(app, painter, box, "8800020010112345")
            lat += lt
            cpu.append(c)
            box.value = ""
            await pilot.pause(0.05)
        for _r in range(rounds * 3):
            opens.append(await painter.until(lambda: bool(app.query("#f0")), app.open_form))
            await app.query_one("#form").remove()
            await pilot.pause(0.1)
    return lat, median(cpu), opens


async def counter(url: str, rounds: int) -> tuple[list[float], float, list[float], list[float]]:
    from datetime import datetime

    from teller.screens.app import SignedOn, TellerApp, preload_counter
    from teller.screens.widgets import FieldInput
    from teller.store.db import make_engine

    preload_counter()  # as the counter does while the teller signs on
    engine = make_engine(url)
    app = TellerApp(engine=engine, signed_on=SignedOn("T01", "柜员甲", "teller", "T-01"), now=datetime(2026, 11, 23, 10))
    lat, cpu, opens, enters = [], [], [], []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        painter = Painter(app)
        screen = app.screen

        def form_ready() -> bool:
            return screen.view is not None and isinstance(app.focused, FieldInput)

        def open_3203() -> None:
            code = screen.query_one("#code")
            code.value = "3203"
            press(app, "enter")

        for _r in range(rounds * 3):  # F2 to the code line, 3203 typed, Enter: the form
            opens.append(await painter.until(form_ready, open_3203))
            await pilot.pause(0.1)
            await screen.close_function()
            screen.query_one("#code").focus()
            await pilot.pause(0.1)
        opens.append(await painter.until(form_ready, open_3203))
        await pilot.pause(0.2)
        for _r in range(rounds):
            box = app.focused
            lt, c = await type_keys(app, painter, box, "88000200101")
            lat += lt
            cpu.append(c)
            # Enter: the account is looked up, the client shown, the next field focused (not a key of typing)
            enters.append(await painter.until(lambda b=box: app.focused is not b, lambda: press(app, "enter")))
            await pilot.pause(0.2)
            box2 = app.focused
            lt, c = await type_keys(app, painter, box2, "12345.67")
            lat += lt
            cpu.append(c)
            screen.view.cancel()  # F12: the form cleared, the cursor back on the first field
            await pilot.pause(0.2)
    engine.dispose()
    return lat, median(cpu), opens, enters


def run(report: Report, *, quick: bool, folder: str) -> None:
    from bench.startup import demo_store

    rounds = 2 if quick else 5
    url = demo_store(folder) if not os.path.exists(os.path.join(folder, "startup.db")) else \
        f"sqlite:///{os.path.join(folder, 'startup.db')}"
    print(f"[{SECTION}] typing and opening forms, {rounds} rounds", flush=True)
    b_lat, b_cpu, b_open = asyncio.run(bare_floor(rounds))
    c_lat, c_cpu, c_open, c_enter = asyncio.run(counter(url, rounds))
    ms = 1000
    report.add(Figure(SECTION, "key in a form, median", median(c_lat) * ms, "ms", floor=median(b_lat) * ms,
                      floor_name="bare Input", target=at_most(20, "ms"), note=f"{len(c_lat)} keys"))
    report.add(Figure(SECTION, "key in a form, p95", p95(c_lat) * ms, "ms", floor=p95(b_lat) * ms, floor_name="bare Input",
                      target=at_most(35, "ms")))
    report.add(Figure(SECTION, "key in a form, CPU", c_cpu * ms, "ms", floor=b_cpu * ms, floor_name="bare Input",
                      target=at_most(10, "ms")))
    report.add(Figure(SECTION, "open a form (3203 + Enter), median", median(c_open) * ms, "ms", floor=median(b_open) * ms,
                      floor_name="bare: mount 6 inputs", target=at_most(150, "ms"), note=f"{len(c_open)} opens"))
    report.add(Figure(SECTION, "open a form, p95", p95(c_open) * ms, "ms", floor=p95(b_open) * ms,
                      floor_name="bare: mount 6 inputs", target=at_most(150, "ms")))
    report.add(Figure(SECTION, "Enter on an account field (looked up, client shown), median", median(c_enter) * ms, "ms",
                      note="not a typing key"))


if __name__ == "__main__":
    import tempfile

    r = Report()
    with tempfile.TemporaryDirectory() as d:
        run(r, quick=True, folder=d)
    print(r.table())
