"""`teller audit verify`: is the journal as the counter wrote it?

Every journal line carries the hash of its content chained to the line sealed before it in its
chain (`chain_hash`), and its place in the chain (`seq`); each chain's head row (JournalChain)
holds the last line's place and hash, updated in the transaction that seals the line. So:
- a line whose content was edited no longer matches its own hash: "altered";
- a line taken out leaves the next line pointing at a hash that is not its predecessor's, and a
  gap in `seq`; the last line taken out leaves the head pointing past the end: "removed";
- a line put in is skipped by the chain (the next line points past it), or sits beyond the
  head: "inserted".
The chain detects changes made by anyone who does not also recompute every later hash and the
head; the head hash printed here, kept off the system (the day-end register), closes that gap.

Scans of signed papers (8101) are checked too: each scan's bytes must still hash to its SHA-256,
and that SHA-256 must be one the 8101 line that filed it sealed: a scan whose file was swapped, or
whose hash was rewritten to match a swapped file, is "swapped".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from teller.i18n import _
from teller.services.base import chain_hash
from teller.store.models import Journal, JournalChain, Scan

ALTERED, REMOVED, INSERTED, SWAPPED = "altered", "removed", "inserted", "swapped"


@dataclass(frozen=True)
class Break:
    chain: str
    problem: str  # altered | removed | inserted | swapped (a scan)
    line: int | None  # the journal line's id: the altered or inserted line, or the one after a removal
    seq: int | None
    message: str


@dataclass
class Report:
    lines: int = 0
    heads: dict[str, str] = field(default_factory=dict)  # chain -> head hash
    breaks: list[Break] = field(default_factory=list)  # the first break of each broken chain

    @property
    def ok(self) -> bool:
        return not self.breaks


def open_store(url: str | None) -> Engine | None:
    """An engine on an existing teller store, or None; never creates an SQLite file."""
    from sqlalchemy.engine import make_url

    from teller.store.db import check_url, default_db_url, make_engine

    url = check_url(url or default_db_url())
    u = make_url(url)
    if u.drivername.startswith("sqlite") and u.database not in (None, "", ":memory:") and not Path(u.database).exists():
        return None
    engine = make_engine(url)
    with engine.connect() as conn:
        return engine if {"journal", "journalchain"} <= set(inspect(conn).get_table_names()) else None


def verify(engine: Engine) -> Report:
    """Walk every chain in order and name the first line where it breaks."""
    report = Report()
    with Session(engine) as s:
        heads = {h.chain: h for h in s.exec(select(JournalChain))}
        chains = set(s.exec(select(Journal.chain).distinct())) | set(heads)
        for chain in sorted(chains):
            head = heads.get(chain)
            lines = s.exec(
                select(Journal).where(Journal.chain == chain).order_by(Journal.seq, Journal.id)
                .execution_options(yield_per=1000)
            )
            found, count = _walk(chain, iter(lines), head)
            report.lines += count
            if head is not None:
                report.heads[chain] = head.hash
            if found is not None:
                report.breaks.append(found)
        report.breaks.extend(_scans(s))
    return report


def _scans(s: Session) -> list[Break]:
    import hashlib

    found, sealed_by_line = [], {}
    for scan in s.exec(select(Scan).order_by(Scan.id).execution_options(yield_per=100)):
        if scan.journal_id not in sealed_by_line:
            line = s.get(Journal, scan.journal_id)
            sealed_by_line[scan.journal_id] = (line.chain, line.seq, {(x.get("file"), x.get("sha256"))
                                                                      for x in (line.inputs or {}).get("scans", [])}) if line else None
        sealed = sealed_by_line[scan.journal_id]
        actual = hashlib.sha256(scan.content).hexdigest()
        if sealed is None or actual != scan.sha256 or (scan.filename, scan.sha256) not in sealed[2]:
            found.append(Break(sealed[0] if sealed else "", SWAPPED, scan.journal_id, sealed[1] if sealed else None, _(
                "影像 {id}（客户 {code}《{paper}》{file}）与流水 {j} 封存的哈希不符：文件被替换或哈希被改").format(
                id=scan.id, code=scan.customer_code, paper=scan.paper, file=scan.filename, j=scan.journal_id)))
    return found


def _walk(chain: str, lines: Iterator[Journal], head: JournalChain | None) -> tuple[Break | None, int]:
    if head is None:
        count = sum(1 for _line in lines)
        return Break(chain, REMOVED, None, None, _("流水链“{c}”的链尾记录缺失（共 {n} 行流水）").format(c=chain, n=count)), count
    prev_hash, expected, count = "", 1, 0
    last: Journal | None = None
    r = next(lines, None)
    while r is not None:
        n = next(lines, None)
        count += 1
        content_ok = chain_hash(r.prev_hash, r) == r.hash
        link_ok = r.prev_hash == prev_hash
        if r.seq is None or r.seq < expected or r.seq > head.seq:
            return _inserted(chain, r), count
        if not (content_ok and link_ok):
            skipped = n is not None and n.prev_hash == prev_hash and chain_hash(n.prev_hash, n) == n.hash
            if skipped:
                return _inserted(chain, r), count
            if not content_ok:
                return Break(chain, ALTERED, r.id, r.seq, _("流水 {id}（第 {seq} 行）内容被改动：与其哈希不符").format(
                    id=r.id, seq=r.seq)), count
            return _removed_before(chain, r, expected, last), count
        if r.seq != expected:
            return _removed_before(chain, r, expected, last), count
        prev_hash, expected, last, r = r.hash, expected + 1, r, n
    if last is None or head.seq > last.seq:
        after = _("流水 {id} 之后").format(id=last.id) if last else _("链首")
        return Break(chain, REMOVED, None, (last.seq + 1) if last else 1, _(
            "{after}的 {n} 行流水被删除（链尾记录第 {seq} 行）").format(after=after, n=head.seq - (last.seq if last else 0),
                                                                        seq=head.seq)), count
    if head.hash != last.hash:
        return Break(chain, ALTERED, last.id, last.seq, _("流水 {id}（第 {seq} 行）与链尾记录的哈希不符：被改动后重算过").format(
            id=last.id, seq=last.seq)), count
    return None, count


def _inserted(chain: str, r: Journal) -> Break:
    return Break(chain, INSERTED, r.id, r.seq, _("流水 {id} 不是柜台写入的：链中没有它的位置（插入的行）").format(id=r.id))


def _removed_before(chain: str, r: Journal, expected: int, last: Journal | None) -> Break:
    if r.seq == expected and last is not None:
        # No gap in the places: the line before was edited and its hash recomputed.
        return Break(chain, ALTERED, last.id, last.seq, _("流水 {id}（第 {seq} 行）被改动后重算过哈希：下一行 {n} 指向的不是它").format(
            id=last.id, seq=last.seq, n=r.id))
    missing = (_("第 {a}–{b} 行").format(a=expected, b=r.seq - 1) if r.seq - 1 > expected
               else _("第 {a} 行").format(a=expected)) if r.seq > expected else _("若干行")
    return Break(chain, REMOVED, r.id, r.seq, _("流水 {id} 之前的{missing}被删除：它指向的上一行已不在链中").format(
        id=r.id, missing=missing))
