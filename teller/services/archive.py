"""8101 影像档案: the client's archived papers, and the scans of the signed papers filed with them.

Papers are archived under the client code, each filed against a fund account by the function that
took it (exam single 14; multiple 6: the 协议书 under the main, each 新增辅助资金账户申请表 under its
aux; multiple choice 9 C: the 变更主资金账户申请表 under both the old and the new main). 8101 lists
them, and files scans with them: each scan is kept with its SHA-256, size, type (read from the
content) and who filed it, and the hashes are sealed in the 8101 journal line, so `teller audit
verify` finds a scan whose bytes or hash were changed afterwards.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlmodel import select

from teller.domain.money import ascii_digits
from teller.domain import papers as P
from teller.domain import scans as SC
from teller.domain.errors import BadInput, Refused, Rule
from teller.i18n import N_, _
from teller.services.base import Done, Params, Tx, function
from teller.store.models import Document, Scan


@function("8101")
def archive(tx: Tx, p: Params) -> Done | dict:
    """Without `file`/`files`: the client's filings (restricted to `account` if given), each with its
    scans. With them: file those scans with the latest filing of `paper` (of `journal`, of
    `account`, if given), under every fund account that filing names."""
    c = tx.customer(p.text("customer", N_("客户号")))
    account = p.text("account", N_("资金账号"), required=False)
    files = p.raw.get("files") or ([p.raw["file"]] if p.raw.get("file") else [])
    if isinstance(files, str):  # the 8101 form's one line: paths separated by ;
        files = [f.strip() for f in files.split(";") if f.strip()]
    if not files:
        return {"customer": c.code, "documents": documents(tx, c.code, account)}
    paper = paper_named(p.text("paper", N_("资料名称")))
    journal = p.text("journal", N_("归档流水号"), required=False)
    stmt = select(Document).where(Document.customer_code == c.code, Document.name == paper)
    if account:
        stmt = stmt.where(Document.fund_account == account)
    if journal:
        if not ascii_digits(journal):
            raise BadInput(N_("归档流水号"), _("应为数字"))
        stmt = stmt.where(Document.journal_id == int(journal))
    filings = list(tx.s.exec(stmt.order_by(Document.journal_id.desc(), Document.id)))
    if not filings:
        raise Refused(Rule.NOT_FOUND, _("客户 {code} 没有归档的《{paper}》{where}：先办理收取它的业务，再上传它的影像").format(
            code=c.code, paper=P.paper_title(paper), where=_("（资金账户 {a}）").format(a=account) if account else ""))
    latest = [d for d in filings if d.journal_id == filings[0].journal_id]
    limit = int(tx.setting("scan_max_bytes", str(SC.DEFAULT_MAX_BYTES)))
    sealed, filed = [], []
    for raw in files:
        path = Path(str(raw))
        try:
            data = path.read_bytes()
        except OSError as e:
            raise BadInput(N_("影像文件"), _("{file} 无法读取：{why}").format(file=path, why=e.strerror or e)) from None
        kind = SC.check_scan(path.name, data, limit)
        digest = hashlib.sha256(data).hexdigest()
        sealed.append({"file": path.name, "sha256": digest, "size": len(data), "type": kind})
        for d in latest:
            scan = Scan(customer_code=c.code, document_id=d.id, fund_account=d.fund_account, paper=paper,
                        journal_id=tx.journal.id, business_date=tx.today, filed_by=tx.ctx.teller_id,
                        filename=path.name, media_type=kind, size=len(data), sha256=digest, content=data)
            tx.s.add(scan)
            filed.append({"file": path.name, "account": d.fund_account, "sha256": digest})
    # Sealed: the line's hash covers its inputs, so these digests cannot change unseen.
    tx.journal.inputs = {**tx.journal.inputs, "scans": sealed}
    tx.require_papers([])
    where = _("、").join(sorted({d.fund_account or "—" for d in latest}))
    return Done({"customer": c.code, "paper": paper, "filing_journal": latest[0].journal_id, "scans": filed},
                _("已为客户 {code} 的《{paper}》（流水 {j}，资金账户 {where}）归档 {n} 份影像").format(
                      code=c.code, paper=P.paper_title(paper), j=latest[0].journal_id, where=where, n=len(sealed)))


def paper_named(text: str) -> str:
    """A paper by its canonical name, its title in the current language, or its number in ALL_PAPERS."""
    wanted = text.strip().strip("《》")
    if ascii_digits(wanted) and 1 <= int(wanted) <= len(P.ALL_PAPERS):
        return P.ALL_PAPERS[int(wanted) - 1]
    for name in P.ALL_PAPERS:
        if wanted in (name, P.paper_title(name)) or wanted.lower() == P.paper_title(name).lower():
            return name
    raise BadInput(N_("资料名称"), _("“{v}”不是客户资料的名称，可选：{opts}").format(
        v=text, opts=_("、").join(P.paper_title(n) for n in P.ALL_PAPERS)))


def documents(tx: Tx, code: str, account: str = "") -> list[dict]:
    stmt = select(Document).where(Document.customer_code == code)
    if account:
        stmt = stmt.where(Document.fund_account == account)
    docs = list(tx.s.exec(stmt.order_by(Document.id)))
    scans: dict[int, list[Scan]] = {}
    for s in tx.s.exec(select(Scan.id, Scan.document_id, Scan.filename, Scan.media_type, Scan.size, Scan.sha256,
                              Scan.filed_by, Scan.journal_id).where(Scan.customer_code == code).order_by(Scan.id)):
        scans.setdefault(s.document_id, []).append(s)
    return [
        {"id": d.id, "paper": d.name, "account": d.fund_account, "function": d.function_code,
         "date": d.business_date.isoformat(), "journal": d.journal_id, "scans": len(scans.get(d.id, [])),
         "images": [{"id": s.id, "file": s.filename, "type": s.media_type, "size": s.size, "sha256": s.sha256,
                     "filed_by": s.filed_by, "journal": s.journal_id} for s in scans.get(d.id, [])]}
        for d in docs
    ]


def export(engine, code: str, folder: Path, account: str = "") -> int:  # noqa: ANN001
    """Write the client's scans into FOLDER (0700, files 0600) named by filing, paper and account,
    and a SHA256SUMS file in `sha256sum -c` format; returns how many were written."""
    from teller.files import private_dir, unused_name, write_private
    from teller.store.db import reading

    target = private_dir(folder)
    sums = []
    with reading(engine) as s:
        stmt = select(Scan).where(Scan.customer_code == code)
        if account:
            stmt = stmt.where(Scan.fund_account == account)
        for scan in s.exec(stmt.order_by(Scan.id).execution_options(yield_per=50)):
            stem = f"{code}-{scan.fund_account or 'client'}-{scan.paper.replace('/', '_')}-{scan.id}"
            path = write_private(unused_name(target, stem, SC.SUFFIX[scan.media_type]), scan.content, exclusive=True)
            sums.append(f"{hashlib.sha256(scan.content).hexdigest()}  {path.name}\n")
    if sums:
        write_private(target / "SHA256SUMS", "".join(sums).encode("utf-8"))
    return len(sums)
