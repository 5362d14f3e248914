"""The one toolkit for the TOML files a trainer or a tester writes by hand: scenarios, drills and
question banks.

`tomllib` gives values but no positions, so `TomlFile` scans the text once for where each
`[[table]]` header and each `key =` stands (skipping comments and strings: a header written inside a
multi-line string is not a header), and `Problems` collects every problem of a file with its line and
field, so that a file is refused as a whole, listing everything to fix in one pass. Unknown keys are
refused with the nearest known key suggested (a typo like `cahs` must not silently leave cash at 0).

Each file format keeps its own checks (teller.scenario, teller.training.drills, teller.training.bank),
one small function per field; only the locating and the collecting live here. Pure Python: no store.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

from teller.i18n import _


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: `line` of the key at fault (or of its table's header, or of the
    syntax error), the table and 0-based `index` of the row it is in, `item` (how the file names
    that row, e.g. a question's id), the `field`, and `message`: the rule broken, translated."""

    line: int | None
    item: str | None
    field: str | None
    message: str
    table: str | None = None
    index: int | None = None

    def __str__(self) -> str:
        """The short form, without the file's name: "第 3 行，题目 S01：…"."""
        if self.line is not None and self.item is not None:
            return _("第 {line} 行，题目 {item}：{message}").format(line=self.line, item=self.item, message=self.message)
        if self.line is not None:
            return _("第 {line} 行：{message}").format(line=self.line, message=self.message)
        if self.item is not None:
            return _("题目 {item}：{message}").format(item=self.item, message=self.message)
        return self.message

    def describe(self, source: str) -> str:
        """The long form, naming the file, the line, the table row and the field:
        "drill.toml 第 12 行，[[accounts]] #2 字段 cash：…"."""
        where = _("第 {line} 行").format(line=self.line) if self.line else _("（行号未知）")
        row = f"[[{self.table}]] #{self.index + 1} " if self.table is not None and self.index is not None else ""
        if self.field is None and row:
            return _("{src} {where}，{label}{msg}").format(src=source, where=where, label=row, msg=self.message)
        if self.field is None:
            return _("{src} {where}：{msg}").format(src=source, where=where, msg=self.message)
        return _("{src} {where}，{label}字段 {key}：{msg}").format(src=source, where=where, label=row, key=self.field,
                                                              msg=self.message)


class FileProblems(ValueError):
    """A file refused as a whole: every problem, in the order found."""

    def __init__(self, problems: list[Problem], source: str = "<text>") -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__("\n".join(p.describe(source) for p in self.problems))


# --- where things stand in the text ------------------------------------------------------------


def _quoted(name: str) -> str:
    n = re.escape(name)
    return rf"(?:{n}|\"{n}\"|'{n}')"


_ANY_HEADER = re.compile(r"\s*\[")


def _structural_lines(text: str) -> list[tuple[int, str]]:
    """(number, text) of every line that begins outside a multi-line string, comments stripped
    of nothing: only where a line starts matters (a header or a key stands at its start)."""
    lines: list[tuple[int, str]] = []
    raw = text.split("\n")
    inside: str | None = None  # the closing quote of a multi-line string still open
    for number, line in enumerate(raw, 1):
        if inside is None:
            lines.append((number, line))
        inside = _scan(line, inside)
    return lines


def _scan(line: str, inside: str | None) -> str | None:
    """Walk one line; return the multi-line string's quote still open at its end (or None)."""
    i, n = 0, len(line)
    while i < n:
        if inside is not None:
            end = line.find(inside, i)
            while end > 0 and inside == '"""' and _escaped(line, end):
                end = line.find(inside, end + 1)
            if end < 0:
                return inside
            i = end + 3
            while i < n and line[i] == inside[0]:  # up to two quotes may end the content
                i += 1
            inside = None
            continue
        c = line[i]
        if c == "#":
            return None
        if line.startswith('"""', i) or line.startswith("'''", i):
            inside = line[i:i + 3]
            i += 3
        elif c in "\"'":
            i += 1
            while i < n and line[i] != c:
                i += 2 if (c == '"' and line[i] == "\\") else 1
            i += 1
        else:
            i += 1
    return inside


def _escaped(line: str, at: int) -> bool:
    backslashes = 0
    while at - 1 - backslashes >= 0 and line[at - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


class TomlFile:
    """A TOML text, parsed, with the lines of its `[[table]]` rows and their keys.

    Raises FileProblems (the syntax error, with its line) when the text is not TOML at all."""

    def __init__(self, text: str, source: str = "<text>") -> None:
        self.text = text
        self.source = source
        try:
            self.doc: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise FileProblems([syntax_problem(str(e), text)], source) from None
        self._lines = _structural_lines(text)
        self._headers: dict[str, list[int]] = {}

    def table_lines(self, name: str) -> list[int]:
        """The line of each `[[name]]` header, in order."""
        if name not in self._headers:
            pattern = re.compile(r"\s*\[\[\s*" + _quoted(name) + r"\s*\]\]")
            self._headers[name] = [n for n, line in self._lines if pattern.match(line)]
        return self._headers[name]

    def table_line(self, name: str, index: int) -> int | None:
        lines = self.table_lines(name)
        return lines[index] if 0 <= index < len(lines) else None

    def key_line(self, table: str | None, index: int | None, key: str) -> int | None:
        """The line of `key =` in the index-th `[[table]]` row (its header's line when the key is
        not written there), or at the top of the file when `table` is None."""
        pattern = re.compile(r"\s*" + _quoted(key) + r"\s*=")
        if table is not None and index is None:  # a key of the single table [table]
            header = self.key_line(None, None, table)
            for n, line in self._lines:
                if header is None or n <= header:
                    continue
                if _ANY_HEADER.match(line):
                    break
                if pattern.match(line):
                    return n
            return header
        if table is None or index is None:  # a key before the first header, or a table of that name
            top = re.compile(r"\s*\[{1,2}\s*" + _quoted(key) + r"\s*\]")
            header = next((n for n, line in self._lines if top.match(line)), None)
            for n, line in self._lines:
                if _ANY_HEADER.match(line):
                    break
                if pattern.match(line):
                    return n
            return header
        start = self.table_line(table, index)
        if start is None:
            return None
        for n, line in self._lines:
            if n <= start:
                continue
            if _ANY_HEADER.match(line):
                break
            if pattern.match(line):
                return n
        return start


def syntax_problem(message: str, text: str) -> Problem:
    """tomllib's error (kept whole: it names the column too), located at the line it names."""
    match = re.search(r"\(at line (\d+), column \d+\)", message)
    if match:
        line: int | None = int(match.group(1))
        detail = message
    elif "(at end of document)" in message:
        line = text.count("\n") + 1
        detail = message.replace("(at end of document)", "").strip()
    else:
        line, detail = None, message
    return Problem(line, None, None, _("TOML 语法错误：{detail}").format(detail=detail))


# --- collecting ------------------------------------------------------------------------------


def unknown_key_message(key: str, known: Iterable[str]) -> str:
    """'Not a field of this table', with the nearest known one when the key looks like a typo."""
    known = sorted(set(known))
    near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if near:
        return _("不认识的字段 {key}：是不是 {near}？").format(key=key, near=near[0])
    return _("不认识的字段 {key}（可用的字段：{allowed}）").format(key=key, allowed="、".join(known))


class Problems:
    """Every problem of one file, each located as it is added."""

    def __init__(self, file: TomlFile) -> None:
        self.file = file
        self.found: list[Problem] = []

    def __bool__(self) -> bool:
        return bool(self.found)

    def __len__(self) -> int:
        return len(self.found)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.found)

    def add(self, message: str, *, table: str | None = None, index: int | None = None, field: str | None = None,
            item: str | None = None, line: int | None = None, at_header: bool = False) -> None:
        """One problem. Its line: `line` if given; else the key's line in its row (or the row's
        header with `at_header`, or when no field is named); else the top-level key's line."""
        if line is None:
            if table is not None and index is not None and (at_header or field is None):
                line = self.file.table_line(table, index)
            elif field is not None:
                line = self.file.key_line(table, index, field)
            elif table is not None:
                line = self.file.key_line(None, None, table)
        self.found.append(Problem(line, item, field, message, table, index))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.found.extend(problems)

    def unknown_keys(self, row: Mapping[str, Any], known: Iterable[str], *, table: str | None = None,
                     index: int | None = None, item: str | None = None, at_header: bool = False) -> None:
        known = tuple(known)
        for key in row:
            if key not in known:
                self.add(unknown_key_message(key, known), table=table, index=index, field=key, item=item,
                         at_header=at_header)

    def rows(self, name: str, doc: Mapping[str, Any] | None = None) -> list[dict]:
        """The rows of the array of tables `name` ([] when absent); anything else written under that
        name is a problem, and only its tables are given back."""
        doc = self.file.doc if doc is None else doc
        value = doc.get(name, [])
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            self.add(_("应为 [[{t}]] 表的列表").format(t=name), field=name)
            return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
        return value

    def table(self, name: str) -> dict:
        """The single table `[name]` ({} when absent)."""
        value = self.file.doc.get(name, {})
        if not isinstance(value, dict):
            self.add(_("应为一个表，如 [{t}]").format(t=name), field=name)
            return {}
        return value

    def described(self) -> list[str]:
        """Each problem in its long form, naming the file, in the order of the file's lines."""
        ordered = sorted(self.found, key=lambda p: p.line if p.line is not None else float("inf"))
        return [p.describe(self.file.source) for p in ordered]
