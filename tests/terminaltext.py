"""The text on a terminal emulator's (pyte) screen, read cell by cell.

pyte 0.8's `Screen.display` fails (IndexError) on a line where a wide character (a Chinese one)
was overwritten by a narrow one: the wide character's empty right half stays behind and is read as
a character of its own. Textual redraws a line in pieces, so that happens whenever a narrower text
replaces a Chinese one mid-line: CI hit it in tests/test_typeahead_pty.py. Each cell's own text is
joined here; an empty one adds nothing, which is what the terminal shows for a wide character's right
half too."""

from __future__ import annotations


def screen_text(screen) -> str:  # noqa: ANN001 - a pyte.Screen
    lines = []
    for y in range(screen.lines):
        row = screen.buffer[y]
        lines.append("".join(row[x].data for x in range(screen.columns)).rstrip())
    return "\n".join(lines)
