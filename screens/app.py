"""The counter application: sign-on first, the store opened behind it, then the counter frame.

Start-up speed: this module imports Textual and the sign-on screen only. The store (SQLAlchemy,
SQLModel, the services) is imported in a worker thread after the first frame is drawn, so the
sign-on screen is on the terminal before any of it loads; a sign-on submitted earlier waits for it
(posting once crashed on an early Enter).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding

from teller.i18n import _
from teller.screens.keymap import key_label, load_site_keymap
from teller.screens.signon import SignOnScreen
from teller.screens.theme import DEFAULT_THEME, THEMES
from teller.screens.typeahead import TypeAhead


@dataclass(frozen=True)
class SignedOn:
    teller_id: str
    name: str
    role: str
    terminal: str


class TellerApp(App[None]):
    CSS_PATH = "teller.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", show=False, priority=True, id="quit")]

    def __init__(self, *, db_url: str | None = None, demo: bool = False, theme: str = DEFAULT_THEME,
                 keymap_file: Path | None = None, engine=None, signed_on: SignedOn | None = None,  # noqa: ANN001
                 terminal: str = "T-01", now: datetime | None = None) -> None:
        super().__init__()
        # A counter terminal does not animate: scrolling and focus jump at once, as on a green screen.
        self.animation_level = "none"
        self.db_url, self.demo, self.terminal, self.now = db_url, demo, terminal, now
        self.theme_name = theme if theme in THEMES else DEFAULT_THEME
        self.site_keymap = load_site_keymap(keymap_file)
        self.engine = engine
        self.counter = None  # teller.services.counter.Counter once the store is open
        self.store_error: str | None = None
        self.signed_on = signed_on
        self.started = time.perf_counter()
        self.ready_after: float | None = None  # seconds from start to the first usable screen
        self.typeahead = TypeAhead(self)  # every key is read through it (typeahead.py)
        for t in THEMES.values():
            self.register_theme(t)
        chosen = THEMES[self.theme_name]
        if chosen.dark == self.current_theme.dark:
            # Before the first frame there is no CSS to refresh: setting the theme the ordinary way
            # would parse every style sheet a second time (a tenth of the start-up). Textual's own
            # __init__ marks the dark or light mode the same way.
            self.set_reactive(App.theme, chosen.name)
            self.set_class(True, f"-theme-{chosen.name}", update=False)
            self.stylesheet.set_variables(self.get_css_variables())
        else:
            self.theme = chosen.name

    # --- start-up ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.typeahead.start()
        if self.site_keymap:
            self.set_keymap(self.site_keymap)
        if self.engine is not None:
            self._store_ready(self.engine)
        if self.signed_on is not None:
            self.enter_counter(self.signed_on)
        else:
            self.push_screen(SignOnScreen())

    def on_ready(self) -> None:
        """The first frame is on the terminal: now the store (and SQLAlchemy with it) may load. Started
        any earlier, its imports compete with drawing the sign-on screen."""
        self.ready_after = time.perf_counter() - self.started
        if self.engine is None:
            self._start_store()

    def _start_store(self) -> None:
        self.run_worker(self._open_store, thread=True, exclusive=True, group="store", exit_on_error=False)

    def _open_store(self) -> None:
        from teller.store.migrate import SchemaOutdated

        try:
            engine = open_engine(self.db_url, demo=self.demo)
        except SchemaOutdated as e:  # upgraded on purpose (back up, teller db upgrade), never run on
            self.call_from_thread(self._store_outdated, str(e))
            return
        except Exception as e:  # noqa: BLE001 - shown on the sign-on screen, the teller cannot go on
            self.call_from_thread(self._store_failed, str(e))
            return
        self.call_from_thread(self._store_ready, engine)
        preload_counter()

    def _store_outdated(self, message: str) -> None:
        self.store_error = message
        self.exit(return_code=2)

    def _store_ready(self, engine) -> None:  # noqa: ANN001
        from teller.printing.output import Printer
        from teller.services.counter import Counter

        try:  # this terminal's printer, paper size and spool folder (README "Papers")
            printer = Printer.from_env()
        except ValueError as e:
            self._store_failed(str(e))
            return
        self.engine = engine
        self.counter = Counter(engine, printer=printer)
        for screen in self.screen_stack:
            if isinstance(screen, SignOnScreen):
                screen.store_ready()

    def _store_failed(self, message: str) -> None:
        self.store_error = message
        for screen in self.screen_stack:
            if isinstance(screen, SignOnScreen):
                screen.store_failed(message)

    # --- keys ------------------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes go through the type-ahead queue, which hands them back here in order
        once the counter is ready for each (typeahead.py)."""
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded and self.typeahead.take(event):
            return
        await super().on_event(event)

    async def action_quit(self) -> None:
        """Ctrl+Q: closes the program at once, unless a form has something typed in it, a function is
        being submitted or keys typed ahead have not run yet: then it asks first (Ctrl+Q again, or
        Enter, closes; F12 goes back and the keys typed ahead run)."""
        from teller.screens.counter import CounterScreen, QuitDialog

        if isinstance(self.screen, QuitDialog):
            self.exit()
            return
        counter = next((s for s in reversed(self.screen_stack) if isinstance(s, CounterScreen)), None)
        lost = counter.unsaved() if counter is not None and counter.is_mounted else []
        if self.typeahead.held:
            lost.append(_("预先键入的 {n} 个键尚未执行").format(n=len(self.typeahead.held)))
        if not lost:
            self.exit()
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(QuitDialog(lost), done)

    # --- the counter --------------------------------------------------------------------------
    def enter_counter(self, who: SignedOn) -> None:
        from teller.screens.counter import CounterScreen

        self.signed_on = who
        screen = CounterScreen()
        if isinstance(self.screen, SignOnScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.call_after_refresh(_freeze_startup_objects)

    def sign_off(self) -> None:
        self.signed_on = None
        self.switch_screen(SignOnScreen())
        if self.counter is not None:
            self.screen.store_ready()

    def context(self, *, documents: frozenset[str] | None = frozenset(), agent: bool = False, channel: str = "counter"):  # noqa: ANN201
        from teller.services.base import Context

        who = self.signed_on
        return Context(teller_id=who.teller_id if who else "", terminal=who.terminal if who else self.terminal,
                       documents=documents, agent=agent, channel=channel, now=self.now)

    def store_label(self) -> str:
        """The store as the status line shows it: no password, no long paths."""
        url = str(self.engine.url) if self.engine is not None else (self.db_url or "")
        if url.startswith("sqlite"):
            path = url.split("///", 1)[1] if "///" in url else ""
            return "SQLite " + (Path(path).name if path and path != ":memory:" else _("内存库"))
        return self.engine.url.render_as_string(hide_password=True) if self.engine is not None else url

    def get_key_display(self, binding: Binding) -> str:
        """F2, not f2 (STYLE.md)."""
        return binding.key_display or key_label(binding.key)


def _freeze_startup_objects() -> None:
    """Once the counter is up: everything made so far (modules, classes, styles, the screens) is left
    out of the garbage collector's full passes, which otherwise walk all of it now and then and
    stall a key or a form by a tenth of a second."""
    import gc

    if not getattr(_freeze_startup_objects, "done", False):
        _freeze_startup_objects.done = True
        gc.collect()
        gc.freeze()


def preload_counter() -> None:
    """While the teller signs on (in the store's worker): import what the counter and its first form
    need, so that neither waits for imports."""
    import importlib

    for module in ("teller.screens.counter", "teller.screens.form", "teller.screens.query", "teller.screens.dialogs",
                   "teller.screens.lookups", "teller.screens.effect", "teller.forms.catalog", "teller.services.reads",
                   "teller.services.views"):
        importlib.import_module(module)


def open_engine(db_url: str | None, *, demo: bool = False):  # noqa: ANN201
    """The store: created and initialised on first use; with `demo`, a fresh store filled with the
    demo branch (a throw-away file in the user data folder unless a URL is given)."""
    from datetime import date

    from teller.services.setup import init_store
    from teller.store.db import default_db_url, make_engine

    if demo:
        from teller.demo import seed_demo

        url = db_url or _fresh_demo_url()
        engine = make_engine(url)
        seed_demo(engine)
        return engine
    engine = make_engine(db_url or default_db_url())
    init_store(engine, date.today())
    return engine


def _fresh_demo_url() -> str:
    from teller.demo import fresh_store_url

    return fresh_store_url("demo.db")
