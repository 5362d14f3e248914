"""A printed paper as the printer sees it: already worded in the teller's language, nothing left
to look up. The services make sheets (teller.services.papers); teller.printing.pdf draws them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Sheet:
    title: str
    branch: str  # the branch's name and number, printed above the title
    fields: tuple[tuple[str, str], ...]  # label, value: the paper's header, two to a line
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()  # sentences the client confirms by signing
    signatures: tuple[str, ...] = ()  # one line each: 客户签名, 经办柜员 ...
    mark: str = ""  # 补打 on a reprint, printed beside the title
    footer: str = ""
    stem: str = "paper"  # the file's name in the spool folder, without .pdf
    meta: dict = field(default_factory=dict, compare=False)  # journal number etc., for the message line
