"""Store calls off the UI thread: a preview, a submit, a query, a sign-on's password check, a listing.

A counter terminal never stops drawing or taking keys while the store is busy (another terminal
holding the client's lock, day-end, a slow link to PostgreSQL): each call runs in a Textual thread
worker and its result comes back on the UI thread with `call_from_thread`. The widget counts the
calls in flight (`busy`, `busy_with(kind)`), so F8 can be ignored while its own call runs, and
a newer call of the same kind makes an older one's result stale: only the latest is applied.

The form's checks of what was typed (does client 880002 exist, is account `2` theirs), each F4
list as it opens and as it is narrowed by typing, the status line's branch and business date, and
the lists on a form (8102's requests, the open alerts) run here too: no screen reads the store on
the UI thread.

A store with one connection for all threads (an in-memory sandbox: a drill) takes its calls one
at a time.
"""

from __future__ import annotations

import threading
from contextlib import nullcontext
from typing import Any, Callable

_ONE_CONNECTION: dict[int, threading.Lock] = {}


def _serialised(engine) -> Any:  # noqa: ANN001
    """A lock for an engine that has one connection for every thread (an in-memory SQLite store,
    a drill's sandbox: StaticPool): two calls at once on it would start a transaction inside the
    other's. Other engines give each worker its own connection: no lock."""
    from sqlalchemy.pool import StaticPool

    if engine is None or not isinstance(getattr(engine, "pool", None), StaticPool):
        return nullcontext()
    return _ONE_CONNECTION.setdefault(id(engine), threading.Lock())


class StoreCalls:
    """Mixed into a widget (a function view, the sign-on screen)."""

    def _calls(self) -> dict[str, int]:
        if not hasattr(self, "_store_calls"):
            self._store_calls: dict[str, int] = {}  # kind -> generation of the latest call
            self._in_flight: dict[str, int] = {}  # kind -> calls running
        return self._store_calls

    @property
    def busy(self) -> bool:
        """A store call is running: its result is not in yet."""
        self._calls()
        return any(self._in_flight.values())

    def busy_with(self, kind: str) -> bool:
        self._calls()
        return self._in_flight.get(kind, 0) > 0

    def store_call(self, kind: str, work: Callable[[], Any], done: Callable[[Any], None],
                   failed: Callable[[BaseException], None] | None = None) -> None:
        """Run `work()` in a thread; `done(result)` (or `failed(error)`) on the UI thread, unless a
        newer call of the same kind was started meanwhile or the widget has gone."""
        calls = self._calls()
        generation = calls.get(kind, 0) + 1
        calls[kind] = generation
        self._in_flight[kind] = self._in_flight.get(kind, 0) + 1
        app = self.app  # type: ignore[attr-defined]

        def finish(result: Any, error: BaseException | None) -> None:
            self._in_flight[kind] -= 1
            if calls.get(kind) != generation or not self.is_attached:  # type: ignore[attr-defined]
                return
            if error is None:
                done(result)
            elif failed is not None:
                failed(error)
            else:
                self.store_failed(error)

        def run() -> None:
            try:
                with _serialised(getattr(app, "engine", None)):
                    result, error = work(), None
            except Exception as e:  # noqa: BLE001 - handed back to the UI thread, shown to the teller
                result, error = None, e
            try:
                app.call_from_thread(finish, result, error)
            except RuntimeError:  # the app has exited meanwhile
                pass

        self.run_worker(run, thread=True, group=f"store-{kind}", exit_on_error=False)  # type: ignore[attr-defined]

        def slow() -> None:
            if calls.get(kind) == generation and self._in_flight[kind] and self.is_attached:  # type: ignore[attr-defined]
                self.store_slow()

        self.set_timer(self.SLOW, slow)  # type: ignore[attr-defined]

    # Seconds after which a call still in flight is told on screen.
    SLOW = 0.4

    def store_slow(self) -> None:
        """A call is taking a while (a busy store): a view says it is waiting."""

    def store_failed(self, error: BaseException) -> None:
        """A store call raised: the message line says so (a view overrides `say`)."""
        from teller.i18n import _

        self.say(_("柜台数据库出错：{e}").format(e=error), "error")  # type: ignore[attr-defined]
