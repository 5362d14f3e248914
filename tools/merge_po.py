"""A git merge driver for the gettext catalogs: several branches add messages at once, and a
line-based merge of two sorted catalogs conflicts whenever two of them add neighbouring ids.

    git config merge.po.name "gettext catalogs: union of both sides"
    git config merge.po.driver "python tools/merge_po.py %O %A %B"

(`.gitattributes` sends `*.po` here.) The result is every message of either side; where both
translate one id differently, ours (%A) wins and the driver says so on stderr. Messages one side
removed come back, harmlessly: the next `python tools/i18n.py update` drops whatever the code no
longer uses. Exit 0 always writes a catalog `read_po` can read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def _load(path: str, locale: str | None = None):  # noqa: ANN202
    with open(path, "rb") as fh:
        return read_po(fh, locale=locale)


def merge(base: str, ours: str, theirs: str) -> int:
    a = _load(ours)
    b = _load(theirs, locale=str(a.locale) if a.locale else None)
    for m in b:
        if not m.id:
            continue
        mine = a.get(m.id)
        if mine is None:
            a.add(m.id, m.string)
        elif not mine.string and m.string:
            mine.string = m.string
        elif m.string and mine.string != m.string:
            print(f"merge_po: {Path(ours).name}: kept our translation of {m.id!r}", file=sys.stderr)
    with open(ours, "wb") as fh:
        write_po(fh, a, width=0, omit_header=False, sort_output=True, include_previous=False, no_location=True)
    return 0


if __name__ == "__main__":
    sys.exit(merge(*sys.argv[1:4]))
