"""The key legend on the bottom line: the screen's shown bindings as `F1 帮助  F2 功能码 …`.

Textual's Footer rebuilds its widgets on every focus change; at a counter the legend only changes
with the screen (or a site's keymap), so this is one line of text, redrawn only when it differs.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from teller.i18n import _


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
        seen: set[str] = set()
        text = Text()
        for active in self.screen.active_bindings.values():
            b = active.binding
            if not b.show or b.action in seen:
                continue
            seen.add(b.action)
            if text:
                text.append("  ")
            text.append(self.app.get_key_display(b), style="bold reverse")
            text.append(" " + _(b.description))
        if text.plain != getattr(self, "_shown", None):
            self._shown = text.plain
            self.update(text, layout=False)
