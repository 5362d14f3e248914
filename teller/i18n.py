"""Every user-facing string goes through here.

Message ids are written in Simplified Chinese, the counter's first language; `locale/en` translates
them into English, and `locale/zh_CN` is an identity catalog kept so that a site can reword a message
without touching code. Catalogs are read from the .po files on first use (no compiled .mo files to
fall out of step), and nothing is loaded at import time.

Use `_()` for text made at run time, `N_()` to mark text in declarative tables (forms, menus) that is
translated later, when it is shown, with `_()`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")
_current = {"lang": None}


def _normalise(lang: str | None) -> str:
    if not lang:
        return DEFAULT_LANGUAGE
    lang = lang.split(".")[0].replace("-", "_")
    if lang.lower().startswith("en"):
        return "en"
    if lang.lower().startswith("zh"):
        return "zh_CN"
    raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")


def set_language(lang: str | None) -> str:
    """Switch the language for the whole process; returns the normalised name."""
    _current["lang"] = _normalise(lang)
    return _current["lang"]


def current_language() -> str:
    if _current["lang"] is None:
        _current["lang"] = _normalise(os.environ.get("TELLER_LANG") or DEFAULT_LANGUAGE)
    return _current["lang"]


def locale_dir():  # noqa: ANN201 - a Traversable
    """The catalogs' folder. `locale/` has no __init__.py on purpose: as a regular package at the
    repository's top it would shadow the standard library's `locale` module whenever the
    repository is on sys.path. An installed wheel maps it to `teller.locale`; an editable install
    cannot map a namespace folder, so there we read it beside the `teller` package."""
    try:
        return resources.files("teller.locale")
    except ModuleNotFoundError:
        from pathlib import Path

        return Path(__file__).resolve().parent.parent / "locale"


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """msgid -> msgstr for one language, read from locale/<lang>/LC_MESSAGES/teller.po."""
    po = locale_dir() / lang / "LC_MESSAGES" / "teller.po"
    if not po.is_file():
        return {}
    return read_catalog(po.read_text(encoding="utf-8"))


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    if "\\" not in body:
        return body
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_catalog(text: str) -> dict[str, str]:
    """The translated, non-fuzzy entries of a .po file (the subset of the format our catalogs use:
    msgid / msgstr with continued lines, flags in `#,` comments). Reading it with Babel took a tenth
    of a second on the counter's start, before the sign-on screen could be drawn; this takes a few
    milliseconds (tests/test_i18n.py checks that both read the shipped catalogs alike)."""
    found: dict[str, str] = {}
    msgid = msgstr = None
    fuzzy = next_fuzzy = False
    field = None

    def keep() -> None:
        if msgid and msgstr and not fuzzy:
            found[msgid] = msgstr

    for line in text.splitlines():
        if line.startswith("#,"):
            next_fuzzy = "fuzzy" in line
        elif line.startswith("msgid "):
            keep()
            msgid, msgstr, field = _unquote(line[6:]), None, "id"
            fuzzy, next_fuzzy = next_fuzzy, False
        elif line.startswith("msgstr "):
            msgstr, field = _unquote(line[7:]), "str"
        elif line.startswith('"') and field == "id":
            msgid += _unquote(line)
        elif line.startswith('"') and field == "str":
            msgstr += _unquote(line)
        elif not line.strip():
            field = None
    keep()
    return found


def _(message: str) -> str:
    return catalog(current_language()).get(message, message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    # Chinese has no plural forms; English catalogs carry both under the singular id.
    return _(singular if n == 1 else plural)


def format_day(d) -> str:  # noqa: ANN001 - a date or an ISO date string
    """A date in the teller's language, as the status line shows it (2026年11月24日 / Nov 24, 2026):
    one date format on the counter, whether a screen or a service's message says it."""
    from datetime import date

    from babel.dates import format_date

    if not d:
        return ""
    value = d if isinstance(d, date) else date.fromisoformat(str(d))
    return format_date(value, format="medium", locale="en_US" if current_language() == "en" else "zh_CN")
