"""The counter's keys as data: named actions with their descriptions, and a separate table of the
keys bound to each, which a site may override (harlequin's actions.py + keymap.py, posting's ids).

Green-screen habits: F1 help, F2 function code, F3 leave, F4 list of values, F5 refresh, F8 submit,
F12 cancel. Each function key has a ctrl+letter twin, because terminals swallow some function keys
(F10 and F11 in GTK terminals, shift+F-keys arrive as F13–F24). The twins avoid the keys the input
fields already use (ctrl+a/e/d/k/u/w/x/c/v) and ctrl+m/i/h/j, which terminals send as Enter, Tab,
Backspace and newline.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from textual.binding import Binding

from teller.i18n import N_, _


@dataclass(frozen=True)
class Action:
    id: str  # the binding id a site's keymap names
    action: str  # the Textual action it runs
    description: str  # N_-marked, shown in the footer and the key table
    show: bool = True


ACTIONS: dict[str, Action] = {a.id: a for a in (
    Action("help", "help", N_("帮助")),
    Action("code", "focus_code", N_("功能码")),
    Action("leave", "leave", N_("退出")),
    Action("lookup", "lookup", N_("列表")),
    Action("refresh", "refresh", N_("刷新"), show=False),
    Action("print", "print_receipt", N_("打印回单"), show=False),
    Action("prefill", "print_forms", N_("预印申请表"), show=False),
    Action("submit", "submit", N_("提交")),
    Action("cancel", "cancel", N_("取消")),
    Action("clear_client", "clear_client", N_("清除当前客户")),
)}

DEFAULT_KEYS: dict[str, str] = {
    "help": "f1,ctrl+g",
    "code": "f2,ctrl+t",
    "leave": "f3,ctrl+b",
    "lookup": "f4,ctrl+l",
    "refresh": "f5,ctrl+r",
    "print": "f6,ctrl+o",
    "prefill": "f7,ctrl+y",
    "submit": "f8,ctrl+s",
    "cancel": "f12,ctrl+z",
    # F9, not F11 (GTK terminals and browsers keep F11 for full screen, F10 for the menu bar).
    "clear_client": "f9,ctrl+n",
}


def bindings(*ids: str, **described: str) -> list[Binding]:
    """Bindings for the named actions with their default keys; App.set_keymap applies a site's.
    Descriptions stay message ids here (classes are built at import, before the language is
    chosen); TranslatedBindings translates them when the footer shows them. `described` names what
    an action does on this screen where its general name would mislead (on the quit dialog F8
    closes the program, it submits nothing)."""
    return [Binding(DEFAULT_KEYS[i], ACTIONS[i].action, described.get(i, ACTIONS[i].description), show=ACTIONS[i].show, id=i)
            for i in ids]


class TranslatedBindings:
    """Mix into a Screen: the footer and key panel see each binding's description translated."""

    @property
    def active_bindings(self):  # noqa: ANN201
        return {
            key: active._replace(binding=replace(active.binding, description=_(active.binding.description)))
            for key, active in super().active_bindings.items()  # type: ignore[misc]
        }


def load_site_keymap(path: Path | None) -> dict[str, str]:
    """A site's overrides: a TOML table of action id = "keys", e.g. `submit = "f10,ctrl+s"`."""
    if path is None or not Path(path).is_file():
        return {}
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    table = data.get("keys", data)
    return {k: str(v) for k, v in table.items() if k in ACTIONS}


def key_label(key: str) -> str:
    """F2, not f2; Ctrl+L, not ctrl+l."""
    return "+".join(p.upper() if len(p) == 1 or (p[0] == "f" and p[1:].isdigit()) else p.capitalize() for p in key.split("+"))


def key_table(keymap: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(keys, description) for the README and the help screen, with a site's overrides applied."""
    keys = DEFAULT_KEYS | (keymap or {})
    rows = [(" / ".join(key_label(k) for k in keys[a.id].split(",")), _(a.description)) for a in ACTIONS.values()]
    rows += [
        (_("回车"), _("下一栏；在功能码栏打开功能；在菜单上打开所选功能")),
        ("Tab / Shift+Tab", _("下一栏 / 上一栏")),
        (_("↑ ↓"), _("在栏目、菜单、列表和资料清单中移动")),
        (_("空格"), _("勾选或取消资料清单中的一项")),
        ("Ctrl+Q", _("关闭程序")),
    ]
    return rows
