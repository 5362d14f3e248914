"""The key legend on the bottom line: the screen's shown bindings as `F1 帮助  F2 功能码 …`.

Textual's Footer rebuilds its widgets on every focus change; at a counter the legend only changes
with the screen (or a site's keymap), so this is one line of text, redrawn only when it differs.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from teller.i18n import _

# Keys a browser acts on before the page sees them: F5 reloads, F11 is full screen, F12 opens the
# developer tools.
BROWSER_KEEPS = frozenset({"f5", "f11", "f12"})


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
        # One key per action: the first bound, except that in a browser (teller serve) a key the
        # browser keeps for itself gives way to the action's other key, its ctrl twin.
        web = self.app.is_web
        shown: dict[str, object] = {}
        for active in self.screen.active_bindings.values():
            b = active.binding
            if not b.show:
                continue
            first = shown.get(b.action)
            if first is None or (web and first.key in BROWSER_KEEPS and b.key not in BROWSER_KEEPS):
                shown[b.action] = b
        text = Text()
        for b in shown.values():
            if text:
                text.append("  ")
            text.append(self.app.get_key_display(b), style="bold reverse")
            text.append(" " + _(b.description))
        if text.plain != getattr(self, "_shown", None):
            self._shown = text.plain
            self.update(text, layout=False)
