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
    from babel.messages.pofile import read_po

    po = locale_dir() / lang / "LC_MESSAGES" / "teller.po"
    if not po.is_file():
        return {}
    with po.open("rb") as fh:
        cat = read_po(fh)
    return {m.id: m.string for m in cat if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def _(message: str) -> str:
    return catalog(current_language()).get(message, message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    # Chinese has no plural forms; English catalogs carry both under the singular id.
    return _(singular if n == 1 else plural)
