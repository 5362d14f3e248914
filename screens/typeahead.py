"""Type-ahead (issue 10 item 4, "no key lost"): every key typed at the counter lands where the teller
meant it, however far ahead of the screen it was typed.

A trained teller types ahead: the sign-on before the sign-on screen is up, `3203⏎` and the fields
before the form is drawn, `F8 ⏎` before the confirmation shows; a card or bar-code reader, or a
paste, sends a whole burst at once. Textual hands a key to the widget that has the cursor *when the
key is read*, and a field moves the cursor on only once its Enter has travelled up to the form as a
message: every key of a burst lands in the first field (`T01t01pass`, the password in plain view),
and keys read before a screen is mounted are lost.

So TellerApp reads every key through this queue (the design of datui's pull request 162,
ANCHORS.md: keys that arrive while the program is busy are queued and replayed in order once it
is idle, each stamped with the screen it was typed at):

- A key is handed on only once the counter has finished with the one before: no widget has a
  message waiting or is half-way through one (a form being mounted), and no store call that
  decides where the next key goes is in flight (HOLDING_CALLS: sign-on's password check, F8's
  preview and its commit; a screen may say it holds keys with `holds_keys()`: a form while the
  store checks a field just accepted, or opens an F4 list). The papers preview run as each field is
  accepted does not hold keys: nothing the next key does depends on it.
- Each key is stamped with the screen on top when it was typed. It is handed on if that screen is
  still on top, or if the keys handed on before it (and the store calls they started) led from
  that screen to the one on top now: sign-on → counter, form → confirmation → form. A screen that
  went some other way takes its keys with it: they are dropped and the message line says so.
- An error on the message line (a field refused, a sign-on or a function refused) drops what was
  typed ahead of it, as a green-screen terminal locks its keyboard on an error: those keys were
  meant for a screen that did not come, and would land in the wrong field (a function code typed
  into the password after a wrong password, counting towards the lockout). The message line says
  how many were dropped, so the teller retypes from there.
- A few keys act at once (AT_ONCE): Ctrl+Q, which asks first when a form is filled or keys typed
  ahead are still waiting; and on a dialog, Esc and the keys of its cancel action, which only close
  it. While Ctrl+Q's question is up (a screen with KEYS_AT_ONCE), every key goes to it at once and
  the keys typed ahead wait behind it: F12 goes back and they run, Enter closes the program.
- A key typed more than storecall.SLOW seconds into a store call (the counter has said on the
  message line that it is waiting) does not wait for that call: the counter is never frozen, and
  F8 is ignored meanwhile (form.py). Keys typed before then wait for the answer, in order.
- At most LIMIT keys wait; beyond that a key is dropped, with a bell and a notice.
- Ctrl+J is Enter: typed before the terminal is in raw mode, Enter arrives as a line feed.
- A paste is a burst too: its characters, with Enter for a line break and Tab for a tab, go
  through the same queue one key at a time, so a pasted form fills field by field.

Whether a widget is idle is read from Textual's message pumps: its queue is empty and its task is
waiting in MessagePump._get_message (not inside a handler, nor still mounting).
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass

from textual import events
from textual._time import get_time
from textual.keys import _character_to_key
from textual.message_pump import MessagePump
from textual.screen import ModalScreen, Screen

from teller.i18n import _

LIMIT = 2000  # a whole form pasted is a few hundred keys; a held key costs a few hundred bytes
HOLDING_CALLS = ("sign-on", "submit", "authorise")  # authorise: 主管授权 checking the supervisor (authorise.py)
AT_ONCE = frozenset({"ctrl+q"})
DIALOG_AT_ONCE = frozenset({"escape"})  # plus the keys of the dialog's "cancel" action
# Waiting for the widgets to finish a key is capped: a handler that waits on something else for
# this long must not hold the keyboard (the store calls that hold keys are not capped).
MAX_SETTLE = 5.0

_GET_MESSAGE = MessagePump._get_message.__code__


@dataclass
class Held:
    event: events.Key
    screen: Screen | None  # None: typed before the first screen was up, meant for whichever comes


class TypeAhead:
    """The app's key queue. TellerApp.on_event asks `take(event)` for each key it reads."""

    def __init__(self, app) -> None:  # noqa: ANN001 - the TellerApp
        self.app = app
        self.held: deque[Held] = deque()
        self.lead: dict[int, tuple[Screen, Screen]] = {}  # id(screen) -> (screen, the one keys led to from it)
        self.replay: events.Key | None = None  # handed to the app, not yet read back by it
        self.drop_before = -1.0  # keys read before this moment went with an error
        self.dropped = 0  # dropped since the last notice
        self.since_error = 0  # dropped because of the last error
        self.top: Screen | None = None  # the screen on top when the last key was handed on
        self.busy_since: float | None = None  # when a holding store call was first seen in flight
        self.delivered = 0  # keys handed on (tests and the benchmark read it)
        self._wake: asyncio.Event | None = None

    # --- the app's side ------------------------------------------------------------------------
    def start(self) -> None:
        """In the app's on_mount: the queue runs as an (async) worker, which the app stops on exit."""
        self._wake = asyncio.Event()
        self.app.run_worker(self._pump(), name="type-ahead", group="typeahead", exclusive=True)

    @property
    def idle(self) -> bool:
        """Nothing typed is waiting here."""
        return not self.held and self.replay is None

    def take(self, event: events.Event) -> bool:
        """True when the key (or paste) is held here, or dropped; False when the app handles it now."""
        if event is self.replay:
            self.replay = None
            if self._top() is None:  # the app is closing: its screens have gone
                return True
            self.delivered += 1
            return False
        if isinstance(event, events.Paste):
            for key in keys_of(event.text):
                self._hold(key)
            return True
        if not isinstance(event, events.Key):
            return False
        if self._at_once(event.key):
            return False
        if event.key == "ctrl+j":
            event = _as_enter(event)
        self._hold(event)
        return True

    def error_shown(self) -> None:
        """The counter showed an error: what was typed before it goes (see the module's note)."""
        self.drop_before = get_time()
        self.since_error = len(self.held)
        if self.held:
            self.held.clear()
            self._notice(count=self.since_error)

    # --- holding and handing on ----------------------------------------------------------------
    def _at_once(self, key: str) -> bool:
        if key in AT_ONCE:
            return True
        screen = self._top()
        if getattr(screen, "KEYS_AT_ONCE", False):  # the quit question: typed ahead keys wait behind it
            return True
        if isinstance(screen, ModalScreen):
            if key in DIALOG_AT_ONCE:
                return True
            return any(b.action in ("cancel", "dismiss") for b in screen._bindings.key_to_bindings.get(key, ()))
        return False

    def _hold(self, event: events.Key) -> None:
        if event.time <= self.drop_before:  # typed before the error was shown, read only now
            self.since_error += 1
            self._notice(count=self.since_error)
            return
        if len(self.held) >= LIMIT:
            self.dropped += 1
            self.app.bell()
            self._notice(_("键入过多"))
            return
        screen = self._top()
        if screen is not None and screen.id == "_default":
            screen = None
        self.held.append(Held(event, screen))
        if self._wake is not None:
            self._wake.set()

    async def _pump(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self.held:
                await self._until_ready()
                if not self.held:
                    break
                entry = self.held.popleft()
                if entry.event.time <= self.drop_before:
                    self.dropped += 1
                    continue
                if not self._reaches(entry.screen):
                    self.dropped += 1
                    self._notice(_("所对应的画面已关闭"))
                    continue
                if self.dropped:
                    self._notice()
                await self._hand_on(entry.event)
            if self.dropped:
                self._notice()
            self.lead.clear()
            self.top = None

    async def _hand_on(self, event: events.Key) -> None:
        """The key goes back to the app's own queue, marked, and the app handles it as it would have
        at once (priority bindings, then the widget with the cursor)."""
        key = events.Key(event.key, event.character)
        key.time = event.time
        self.replay = key
        self.top = self._top()
        self.app.post_message(key)
        while self.replay is key and self.app.is_running:
            await asyncio.sleep(0)

    async def _until_ready(self) -> None:
        rounds, top = 0, self.top or self._top()
        started = get_time()
        # the key handed on last, or a store call it started, is still under way: a new screen on
        # top is where it led
        cause = self.top is not None or self._holding_call()
        while True:
            head = self.held[0] if self.held else None
            holding = self._holding_call()
            if holding and self.busy_since is None:
                self.busy_since = get_time()
            elif not holding:
                self.busy_since = None
            settled = self._settled() or get_time() - started > MAX_SETTLE
            waits_for_call = holding and head is not None and head.event.time <= self._call_started() + _slow()
            now_top = self._top()
            if now_top is not top:
                if cause and top is not None:  # led there by the keys handed on (sign-on, F8, Enter …)
                    self.lead[id(top)] = (top, now_top)
                top = self.top = now_top
            cause = holding or not settled
            if head is None or (settled and not waits_for_call and self._ready_screen(now_top)):
                return
            rounds += 1
            await asyncio.sleep(0 if rounds < 50 else 0.002 if rounds < 500 else 0.01)

    def _top(self) -> Screen | None:
        try:
            stack = self.app.screen_stack
        except KeyError:  # the app's screens are not set up yet
            return None
        return stack[-1] if stack else None

    def _reaches(self, typed_at: Screen | None) -> bool:
        top = self._top()
        if typed_at is None or typed_at is top:
            return True
        seen, screen = set(), typed_at
        while id(screen) in self.lead and id(screen) not in seen:
            seen.add(id(screen))
            screen = self.lead[id(screen)][1]
            if screen is top:
                return True
        return False

    def _ready_screen(self, screen: Screen | None) -> bool:
        """The app's own empty screen (before the sign-on screen is pushed) takes no keys."""
        return screen is not None and screen.id != "_default" and screen.is_mounted and not getattr(screen, "KEYS_AT_ONCE", False)

    def _holding_call(self) -> bool:
        from teller.screens.storecall import StoreCalls

        for node in list(self.app._registry):
            holds = getattr(node, "holds_keys", None)
            if holds is not None and holds():
                return True
            if isinstance(node, StoreCalls) and any(node.busy_with(kind) for kind in HOLDING_CALLS):
                return True
        return False

    def _call_started(self) -> float:
        """When the holding store call began: its worker's start (storecall.py runs each call in a
        worker of group store-KIND), else when this queue first saw it."""
        from textual.worker import WorkerState

        groups = {f"store-{kind}" for kind in HOLDING_CALLS}
        starts = [w._created_time for w in self.app.workers
                  if w.group in groups and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        return min(starts, default=self.busy_since or get_time())

    def _settled(self) -> bool:
        app = self.app
        # Keys still in the app's own queue are ones read from the terminal, which come here; a key
        # that has bubbled back up to the app is being handled (the app runs its bindings).
        pending = [app._pending_message, *app._message_queue.values]
        if any(m is not None and not _unread_key(m) for m in pending):
            return False
        return all(_waiting_for_messages(node) for node in list(app._registry))

    def _notice(self, why: str | None = None, count: int | None = None) -> None:
        n = count if count is not None else self.dropped
        if count is None:
            self.dropped = 0
        if not n:
            return
        text = (_("预先键入的 {n} 个键未执行（{why}），请从此处重新输入").format(n=n, why=why) if why
                else _("预先键入的 {n} 个键未执行，请从此处重新输入").format(n=n))
        for screen in reversed(self.app.screen_stack):
            note = getattr(screen, "typeahead_note", None)
            if note is not None and screen.is_mounted:
                note(text)
                return
        self.app.notify(text, severity="warning")


def _waiting_for_messages(node: MessagePump) -> bool:
    """The widget has nothing to do: no message waiting, and its task waits for the next one."""
    if node._pending_message is not None or not node._message_queue.empty():
        return False
    task = node._task
    if task is None:  # not started yet (being mounted), or finished
        return node._closed or node._closing
    if task.done():
        return True
    coro = task.get_coro()
    while coro is not None:
        if getattr(coro, "cr_code", None) is _GET_MESSAGE:
            return True
        coro = getattr(coro, "cr_await", None)
    return False


def _unread_key(message) -> bool:  # noqa: ANN001
    return isinstance(message, (events.Key, events.Paste)) and not message.is_forwarded


def _slow() -> float:
    from teller.screens.storecall import StoreCalls

    return StoreCalls.SLOW


def _as_enter(event: events.Key) -> events.Key:
    """Enter typed before the driver has put the terminal in raw mode is turned into a line feed by
    the terminal (ICRNL) and reads as Ctrl+J: that was the Enter lost when the sign-on was typed
    within the first second. Nothing at the counter is bound to Ctrl+J (keymap.py)."""
    enter = events.Key("enter", "\r")
    enter.time = event.time
    return enter


def keys_of(text: str) -> list[events.Key]:
    """A pasted text as the keys that would type it: a line break is Enter, a tab is Tab."""
    keys: list[events.Key] = []
    for ch in text.replace("\r\n", "\n"):
        if ch in "\r\n":
            keys.append(events.Key("enter", "\r"))
        elif ch == "\t":
            keys.append(events.Key("tab", "\t"))
        elif ch.isprintable():
            keys.append(events.Key(_character_to_key(ch), ch))
    return keys
