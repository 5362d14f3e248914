"""Keep the gettext catalogs in step with the code.

    python tools/i18n.py update   # extract every _()/N_() string, add new ones, drop gone ones
    python tools/i18n.py missing  # list message ids with no English translation (exit 1 if any)

Message ids are Simplified Chinese. locale/zh_CN/LC_MESSAGES/teller.po is an identity catalog;
locale/en/LC_MESSAGES/teller.po carries the English, which a person writes: `update` leaves new
entries empty there and `missing` (and tests/test_i18n.py) fail until they are filled.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("teller", "screens", "forms")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract() -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for folder in SOURCES:
        base = ROOT / folder
        if not base.is_dir():
            continue
        for filename, lineno, message, _comments, _context in extract_from_dir(base, keywords=KEYWORDS):
            ids = message if isinstance(message, tuple) else (message,)
            for mid in ids:
                if mid:
                    found.setdefault(mid, []).append((f"{folder}/{filename}", lineno))
    return found


def po_path(lang: str) -> Path:
    return ROOT / "locale" / lang / "LC_MESSAGES" / "teller.po"


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="teller", charset="utf-8")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def update() -> None:
    found = extract()
    for lang in ("zh_CN", "en"):
        old = load(lang)
        # The old header's date is kept: a date that changed with each update conflicted on every merge.
        new = Catalog(locale=lang, project="teller", charset="utf-8", fuzzy=False, creation_date=old.creation_date)
        for mid in sorted(found):
            prev = old.get(mid)
            text = mid if lang == "zh_CN" else (prev.string if prev is not None else "")
            new.add(mid, text)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            # No source locations: they change with every edit anywhere and turned each branch's
            # catalogs into conflicts; `grep -rn` finds a message's uses.
            write_po(fh, new, width=0, omit_header=False, sort_output=True, include_previous=False,
                     no_location=True)
        print(f"{path.relative_to(ROOT)}: {len(new)} messages")


def missing() -> list[str]:
    en = load("en")
    return [mid for mid in sorted(extract()) if en.get(mid) is None or not en.get(mid).string]


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "missing"
    if cmd == "update":
        update()
    else:
        gaps = missing()
        for mid in gaps:
            print(mid)
        print(f"{len(gaps)} without English", file=sys.stderr)
        sys.exit(1 if gaps else 0)
