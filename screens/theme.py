"""The counter's looks: the green-on-black legacy terminal by default, and a plain light theme for
projectors and bright rooms."""

from __future__ import annotations

from textual.theme import Theme

GREEN = Theme(
    name="teller-green", dark=True,
    primary="#33ff66", secondary="#22aa44", accent="#ffff66",
    foreground="#33ff66", background="#000000", surface="#000000", panel="#003311",
    success="#33ff66", warning="#ffdd33", error="#ff5555", boost="#0a2a14",
    variables={"input-cursor-foreground": "#000000", "input-cursor-background": "#33ff66",
               "footer-key-foreground": "#ffff66", "block-cursor-background": "#33ff66",
               "block-cursor-foreground": "#000000", "input-selection-background": "#22aa44 50%"},
)
LIGHT = Theme(
    name="teller-light", dark=False,
    primary="#0b4f9c", secondary="#3a6ea5", accent="#9c4f0b",
    foreground="#111111", background="#ffffff", surface="#f4f4f4", panel="#dde6f0",
    success="#0a7a2f", warning="#8a6100", error="#b00020",
)
THEMES = {"green": GREEN, "light": LIGHT}
DEFAULT_THEME = "green"
