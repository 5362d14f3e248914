"""The key legend on the bottom line: the screen's shown bindings as `F1 帮助  F2 功能码 …`.

Textual's Footer rebuilds its widgets on every focus change; at a counter the legend only changes
with the screen (or a site's keymap), so this is one line of text, redrawn only when it differs.
"""

from __future__ import annotations

from typing import Callable, Iterable

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from teller.i18n import _

# Keys a browser acts on before the page sees them: F5 reloads, F11 is full screen, F12 opens the
# developer tools.
BROWSER_KEEPS = frozenset({"f5", "f11", "f12"})


# The legend's room at 80 columns: the line less its padding (KeyLegend's CSS). Every screen's
# legend fits it in both languages (tests/test_screen_legends.py): a label too long is shortened
# in its catalog, never cut off by the ellipsis, which would hide a key.
ROOM_AT_80 = 78


def shown(bindings: Iterable[Binding], web: bool = False) -> list[Binding]:
    """The bindings the legend names: one key per action, the first bound, except that in a browser
    (teller serve) a key the browser keeps for itself gives way to the action's other key, its ctrl
    twin."""
    first: dict[str, Binding] = {}
    for b in bindings:
        if not b.show:
            continue
        seen = first.get(b.action)
        if seen is None or (web and seen.key in BROWSER_KEEPS and b.key not in BROWSER_KEEPS):
            first[b.action] = b
    return list(first.values())


def legend_text(bindings: Iterable[Binding], key_display: Callable[[Binding], str], web: bool = False) -> Text:
    """`F1 帮助  F2 功能码 …`: each key shown, with what it does on this screen."""
    text = Text()
    for b in shown(bindings, web):
        if text:
            text.append("  ")
        text.append(key_display(b), style="bold reverse")
        text.append(" " + _(b.description))
    return text


class KeyLegend(Static):
    DEFAULT_CSS = """
    KeyLegend { height: 1; dock: bottom; background: $panel; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.redraw)
        self.call_after_refresh(self.redraw)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def redraw(self, *_args: object) -> None:
        text = legend_text((a.binding for a in self.screen.active_bindings.values()), self.app.get_key_display, self.app.is_web)
        if text.plain != getattr(self, "_shown", None):
            self._shown = text.plain
            self.update(text, layout=False)
