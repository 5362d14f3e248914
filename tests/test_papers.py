"""Issue 12: the papers the counter prints and files. Every PDF is read back (pypdf) and its text
checked for the journal number, the client, the accounts and the amounts, in both languages."""

from __future__ import annotations

import hashlib
import os
import stat
from importlib import resources
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select
from svc import branch, call
from typer.testing import CliRunner

from teller.domain import papers as P
from teller.domain import slips as S
from teller.i18n import set_language
from teller.printing.output import Printer
from teller.services import papers
from teller.services.base import BY_CODE, Context
from teller.store.models import Journal, Receipt, Review, Scan

RICH = """
[[accounts]]
no = "880002003"
customer = "880002"
bank = "建设银行"
role = "aux"
cash = "800.00"
interest_base = "3600000.00"
"""


def text_of(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def squeeze(text: str) -> str:
    return "".join(text.split())  # table cells wrap: compare without the line breaks


@pytest.fixture
def lang():
    yield set_language
    set_language("zh_CN")


@pytest.fixture
def counter(tmp_path):
    c = branch(RICH)
    c.printer = Printer(spool=tmp_path / "spool")
    return c


def test_3106_spools_the_interest_slip_with_account_interest_and_journal_number(counter, tmp_path):
    o = call(counter, "capitalize_interest", account="880002003")
    assert o.ok
    # 3,600,000.00 yuan-days x 0.35% / 360 = 35.00 yuan
    assert o.data["interest"] == "35.00"
    assert "已打印" not in o.message and "未设置打印机" in o.message
    path = Path(o.data["printed"]["path"])
    assert str(path) in o.message and path.parent == tmp_path / "spool"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = squeeze(text_of(path))
    for expected in ("资金利息归本单", "880002003", "35.00", "3,600,000.00", "0.35%", "800.00", "835.00", "880002", "李四",
                     f"流水号：{o.journal_id}", "客户签名"):
        assert expected in text, expected
    assert "补打" not in text


def test_the_interest_slip_in_english(counter, lang):
    lang("en")
    o = call(counter, "capitalize_interest", account="880002003")
    text = squeeze(text_of(Path(o.data["printed"]["path"])))
    for expected in ("Interestbase", "880002003", "35.00", "835.00", f"Journal{o.journal_id}", "Client'ssignature"):
        assert expected in text, expected
    assert "not printed (no printer set)" in o.message


def test_a_transfer_receipt_shows_before_after_and_where_the_paper_was_filed(counter, lang):
    o = call(counter, "ledger_transfer", **{"from": "880001001", "to": "88000100101", "amount": "100.00"})
    text = squeeze(text_of(Path(o.data["printed"]["path"])))
    for expected in ("业务回单", "3203", "880001001", "88000100101", "1,000.00", "900.00", "2,000.00", "2,100.00",
                     "单客户多银行服务资金划转申请表", "张三", "1101**********002X"):
        assert expected in text, expected
    assert "11010519491231002X" not in text  # the ID number is masked on a receipt
    lang("en")
    copy = papers.print_copy(counter, counter.printer, o.journal_id, Context())
    text = squeeze(text_of(Path(copy.data["printed"]["path"])))
    assert "REPRINTcopy2" in text and "Whatchanged" in text and "900.00" in text and "2,100.00" in text


def test_a_reprint_is_marked_and_journalled(counter):
    o = call(counter, "capitalize_interest", account="880002003")
    again = papers.print_copy(counter, counter.printer, o.journal_id, Context(teller_id="T00"))
    assert again.ok and "补打第 2 份" in again.message
    text = squeeze(text_of(Path(again.data["printed"]["path"])))
    assert "补打第2份" in text and "35.00" in text
    assert Path(again.data["printed"]["path"]) != Path(o.data["printed"]["path"])  # the first copy is kept
    with Session(counter.engine) as s:
        line = s.get(Journal, again.journal_id)
        assert (line.function_code, line.ok, line.inputs["journal"]) == ("8103", True, str(o.journal_id))
        assert s.get(Receipt, o.journal_id).copies == 2


def test_lines_without_a_receipt_say_why(counter):
    refused = call(counter, "ledger_transfer", **{"from": "880001001", "to": "88000100101", "amount": "99999.00"})
    assert not refused.ok
    o = papers.print_copy(counter, counter.printer, refused.journal_id, Context())
    assert o.rule == "NOT_FOUND" and "被拒绝" in o.message
    assert papers.print_copy(counter, counter.printer, 9999, Context()).rule == "NOT_FOUND"


def _fake_lp(folder: Path, code: int, say: str) -> None:
    """A stand-in for CUPS' lp (not installed here): answers as lp does and keeps what it was given."""
    folder.mkdir(exist_ok=True)
    lp = folder / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > "{folder}/args"\necho "{say}" >&{1 if code == 0 else 2}\nexit {code}\n')
    lp.chmod(0o755)


def test_lp_accepting_the_job_is_the_only_printed(tmp_path, monkeypatch):
    _fake_lp(tmp_path / "bin", 0, "request id is counter1-7 (1 file(s))")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    c = branch(RICH)
    c.printer = Printer(name="counter1", spool=tmp_path / "spool")
    o = call(c, "capitalize_interest", account="880002003")
    assert "《资金利息归本单》已打印（打印机 counter1）" in o.message
    args = (tmp_path / "bin" / "args").read_text().split()
    assert args[:2] == ["-d", "counter1"] and Path(args[2]).exists()


def test_a_failing_or_missing_lp_loses_nothing(tmp_path, monkeypatch):
    _fake_lp(tmp_path / "bin", 1, "lp: The printer or class does not exist.")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    c = branch(RICH)
    c.printer = Printer(name="nosuch", spool=tmp_path / "spool")
    o = call(c, "capitalize_interest", account="880002003")
    assert "已打印" not in o.message
    assert "拒绝了作业：lp: The printer or class does not exist." in o.message
    assert Path(o.data["printed"]["path"]).exists() and str(o.data["printed"]["path"]) in o.message
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    o = call(c, "ledger_transfer", **{"from": "880001001", "to": "88000100101", "amount": "1.00"})
    assert "本机没有 CUPS 的 lp 命令" in o.message and Path(o.data["printed"]["path"]).exists()


def on_file(counter, tmp_path: Path) -> str:
    """A URL a command can open on the test's store: the in-memory SQLite store copied to a file, or
    the PostgreSQL schema itself (TELLER_TEST_DB)."""
    import sqlite3

    if counter.engine.dialect.name != "sqlite":
        return counter.engine.url.render_as_string(hide_password=False)
    db = tmp_path / "b.db"
    raw = counter.engine.raw_connection()
    try:
        target = sqlite3.connect(db)
        raw.driver_connection.backup(target)
        target.close()
    finally:
        raw.close()
    return f"sqlite:///{db}"


def test_teller_print_from_the_command_line(tmp_path):
    from teller.cli import app

    url = on_file(branch(RICH), tmp_path)
    from teller.services.counter import Counter
    from teller.store.db import make_engine

    fc = Counter(make_engine(url))
    o = call(fc, "capitalize_interest", account="880002003")  # no printer: the receipt is kept
    run = CliRunner().invoke(app, ["print", str(o.journal_id), "--db", url, "--spool", str(tmp_path / "sp")])
    assert run.exit_code == 0, run.output
    assert "打印第 1 份" in run.output and "已存入" in run.output
    spooled = next((tmp_path / "sp").glob("*.pdf"))
    assert "35.00" in text_of(spooled) and "880002003" in text_of(spooled)
    out = tmp_path / "copy.pdf"
    run = CliRunner().invoke(app, ["print", str(o.journal_id), "--db", url, "--out", str(out),
                                   "--paper", "voucher", "--lang", "en"])
    assert run.exit_code == 0, run.output
    assert "written to" in run.output
    page = PdfReader(out).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 241 and round(float(page.mediabox.height) / 72 * 25.4) == 140
    assert "REPRINT" in page.extract_text() and "35.00" in page.extract_text()
    run = CliRunner().invoke(app, ["print", "9999", "--db", url, "--out", str(out)])
    assert run.exit_code == 1


def test_every_committed_function_that_changes_something_has_its_paper(tmp_path):
    """The shipped scenarios and every drill's solution, on a counter with a printer: each committed
    line either printed its receipt, or is one of the lines that print none, for a stated reason."""
    from conftest import build

    from teller import runner
    from teller.scenario import parse_scenario, parse_steps, run_steps
    from teller.training.grading import DRILL_KEYS

    data = resources.files("teller.data")
    runs = []
    for f in sorted((data / "scenarios").iterdir()):
        if f.name.endswith(".toml"):
            runs.append(build(f.read_text(encoding="utf-8")))
    for f in sorted((data / "drills").iterdir()):
        if f.name.endswith(".toml"):
            text = f.read_text(encoding="utf-8")
            scenario = parse_scenario(text, f.name, extra_keys=DRILL_KEYS)
            scenario.steps = parse_steps(text, f.name, table="solution", others_allowed=True)
            runs.append((runner.open_store_for(scenario, None), scenario))
    printed_ops = set()
    for n, (counter, scenario) in enumerate(runs):
        counter.printer = Printer(spool=tmp_path / f"spool{n}")
        for _step, _outcome in run_steps(counter, scenario):
            pass
        with Session(counter.engine) as s:
            requests = {r.requested_journal for r in s.exec(select(Review))}
            rejected = {r.decided_journal for r in s.exec(select(Review).where(Review.status == "rejected"))}
            receipts = {r.journal_id: r for r in s.exec(select(Receipt))}
            for line in s.exec(select(Journal).order_by(Journal.id)):
                fn = BY_CODE[line.function_code]
                if not (line.ok and fn.writes and line.customer_code):
                    assert line.id not in receipts
                    continue
                if line.id in receipts:
                    printed_ops.add(fn.op)
                    pdf = tmp_path / f"spool{n}" / f"{line.id}-{receipts[line.id].kind}.pdf"
                    text = squeeze(text_of(pdf))
                    assert f"流水号：{line.id}" in text and line.customer_code in text
                    continue
                assert (fn.op in S.NO_RECEIPT or line.id in requests or line.id in rejected
                        or line.inputs.get("action") in S.INTERNAL_ACTIONS.get(fn.op, ())), (line.id, fn.op, line.message)
    # the scenarios reach these; each printed a receipt (3106 its interest slip)
    assert {"ledger_transfer", "capitalize_interest", "maintain_multibank", "set_main", "review",
            "bank_transfer", "open_asset_account", "sign_custody"} <= printed_ops


def test_every_paper_the_branch_prints_has_a_form_and_the_rest_say_why():
    assert set(S.PREFILLED) | S.NOT_PREFILLED == set(P.ALL_PAPERS)
    assert set(papers.DECLARATIONS) == set(S.PREFILLED)


FORMS = [
    ("ledger_transfer", {"from": "880001001", "to": "88000100101", "amount": "300.00", "channel": "counter"},
     P.TRANSFER_FORM, ("880001001", "88000100101", "300.00", "张三")),
    ("open_asset_account", {"customer": "880001", "bank": "农业银行"}, P.NEW_AUX_FORM, ("880001", "农业银行")),
    ("maintain_multibank", {"account": "880005001", "action": "add"}, P.AGREEMENT, ("880005", "880005001")),
    ("maintain_multibank", {"account": "880005001", "action": "add"}, P.ACCOUNT_INFO, ("880005", "880005001")),
]


@pytest.mark.parametrize("op,params,paper,expected", FORMS)
def test_a_required_paper_prints_pre_filled(counter, op, params, paper, expected):
    typed = [(k, v) for k, v in params.items()]
    outcome, sheets = papers.prefill(counter, op, params, Context(), typed)
    assert outcome.ok, outcome.message
    sheet = next(s for s in sheets if s.meta["paper"] == paper)
    done = counter.printer.issue(sheet)
    text = squeeze(text_of(done.path))
    assert P.paper_title(paper).replace("/", "") in text.replace("/", "")
    for e in expected:
        assert e in text, e
    assert "客户签名" in text
    with Session(counter.engine) as s:  # a pre-filled form commits nothing
        assert s.exec(select(Journal)).all() == []


def test_a_pre_filled_form_in_english_for_an_agent(counter, lang):
    lang("en")
    params = {"from": "880001001", "to": "88000100101", "amount": "300.00", "channel": "counter"}
    _outcome, sheets = papers.prefill(counter, "ledger_transfer", params, Context(agent=True), [("Amount", "300.00")])
    assert [s.meta["paper"] for s in sheets] == [P.TRANSFER_FORM]  # the agent's papers are the agent's own
    text = squeeze(text_of(counter.printer.issue(sheets[0]).path))
    assert "Agent'ssignature" in text and "300.00" in text and "880001001" in text


def test_a_refused_business_prints_no_form(counter):
    outcome, sheets = papers.prefill(counter, "ledger_transfer", {"from": "880001001", "to": "88000100101",
                                                                  "amount": "99999.00"}, Context(), [])
    assert not outcome.ok and sheets == []


# --- 8101 scans -------------------------------------------------------------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _scan_pdf(path: Path) -> Path:
    from teller.printing.pdf import render
    from teller.printing.sheet import Sheet

    path.write_bytes(render(Sheet(title="扫描件", branch="-", fields=(("客户", "880001"),))))
    return path


@pytest.fixture
def filed(counter):
    o = call(counter, "ledger_transfer", **{"from": "880001001", "to": "88000100101", "amount": "100.00"})
    assert o.ok
    return counter, o.journal_id


def test_scans_are_filed_with_hash_size_type_and_who(filed, tmp_path):
    counter, journal = filed
    (tmp_path / "a.png").write_bytes(PNG)
    (tmp_path / "b.jpg").write_bytes(JPEG)
    _scan_pdf(tmp_path / "c.pdf")
    files = [str(tmp_path / n) for n in ("a.png", "b.jpg", "c.pdf")]
    o = call(counter, "archive", customer="880001", paper=P.TRANSFER_FORM, files=files)
    assert o.ok, o.message
    with Session(counter.engine) as s:
        scans = s.exec(select(Scan).order_by(Scan.id)).all()
        line = s.get(Journal, o.journal_id)
    assert [(x.media_type, x.fund_account, x.filed_by) for x in scans] == [
        ("image/png", "880001001", "T00"), ("image/jpeg", "880001001", "T00"), ("application/pdf", "880001001", "T00")]
    assert scans[0].sha256 == hashlib.sha256(PNG).hexdigest() and scans[0].size == len(PNG)
    assert [x["sha256"] for x in line.inputs["scans"]] == [x.sha256 for x in scans]  # sealed in the line
    listed = call(counter, "archive", customer="880001", account="880001001").data["documents"]
    assert listed[0]["journal"] == journal and listed[0]["scans"] == 3


@pytest.mark.parametrize("name,content,rule", [
    ("id.pdf", b"PK\x03\x04 a word document, named .pdf", "不是 PDF、PNG 或 JPEG"),
    ("empty.png", b"", "是空文件"),
    ("big.jpg", JPEG + b"\x00" * 2048, "超过 1,024 字节的上限"),
])
def test_a_non_image_an_empty_file_or_one_over_the_limit_is_refused_by_name(filed, tmp_path, name, content, rule):
    counter, _journal = filed
    from teller.store.db import unit_of_work
    from teller.store.models import Setting

    with unit_of_work(counter.engine) as s:
        s.merge(Setting(key="scan_max_bytes", value="1024"))
    (tmp_path / name).write_bytes(content)
    o = call(counter, "archive", customer="880001", paper=P.TRANSFER_FORM, files=[str(tmp_path / name)])
    assert o.rule == "BAD_INPUT" and name in o.message and rule in o.message
    with Session(counter.engine) as s:
        assert s.exec(select(Scan)).all() == []


def test_a_paper_never_filed_takes_no_scan(filed, tmp_path):
    counter, _journal = filed
    (tmp_path / "a.png").write_bytes(PNG)
    o = call(counter, "archive", customer="880001", paper=P.CHANGE_MAIN_FORM, files=[str(tmp_path / "a.png")])
    assert o.rule == "NOT_FOUND" and "变更主资金账户申请表" in o.message


def test_audit_verify_finds_a_swapped_scan(filed, tmp_path):
    from teller.services.audit import SWAPPED, verify
    from teller.store.db import unit_of_work

    counter, _journal = filed
    (tmp_path / "a.png").write_bytes(PNG)
    assert call(counter, "archive", customer="880001", paper=P.TRANSFER_FORM, files=[str(tmp_path / "a.png")]).ok
    assert verify(counter.engine).ok
    with unit_of_work(counter.engine) as s:
        scan = s.exec(select(Scan)).one()
        scan.content = JPEG  # swapped
    report = verify(counter.engine)
    assert [b.problem for b in report.breaks] == [SWAPPED] and "a.png" in report.breaks[0].message
    with unit_of_work(counter.engine) as s:
        scan = s.exec(select(Scan)).one()
        scan.sha256 = hashlib.sha256(JPEG).hexdigest()  # and its hash rewritten to match
    assert [b.problem for b in verify(counter.engine).breaks] == [SWAPPED]


def test_archive_commands_attach_list_and_export(tmp_path):
    from teller.cli import app

    c = branch()
    assert call(c, "ledger_transfer", **{"from": "880001001", "to": "88000100101", "amount": "100.00"}).ok
    url = on_file(c, tmp_path)
    (tmp_path / "a.png").write_bytes(PNG)
    runner = CliRunner()
    r = runner.invoke(app, ["archive", "attach", "880001", str(tmp_path / "a.png"), "--paper", P.TRANSFER_FORM, "--db", url])
    assert r.exit_code == 0 and "归档 1 份影像" in r.output, r.output
    r = runner.invoke(app, ["archive", "attach", "880001", str(tmp_path / "nothing.png"), "--paper", "6", "--db", url])
    assert r.exit_code == 1 and "nothing.png" in r.output
    r = runner.invoke(app, ["archive", "list", "880001", "--db", url])
    assert r.exit_code == 0 and hashlib.sha256(PNG).hexdigest() in r.output and "image/png" in r.output
    r = runner.invoke(app, ["archive", "export", "880001", "--out", str(tmp_path / "out"), "--db", url])
    assert r.exit_code == 0, r.output
    out = tmp_path / "out"
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    (name,) = [p.name for p in out.iterdir() if p.suffix == ".png"]
    assert (out / name).read_bytes() == PNG and stat.S_IMODE((out / name).stat().st_mode) == 0o600
    assert (out / "SHA256SUMS").read_text() == f"{hashlib.sha256(PNG).hexdigest()}  {name}\n"


def test_the_change_main_form_is_filed_under_the_old_and_the_new_main(counter):
    """Exam multiple choice 9 C: the 变更主资金账户申请表 goes under both mains; its receipt says so."""
    assert call(counter, "maintain_shareholder", shareholder_account="A000880001", fund_account="88000100101").ok
    assert call(counter, "set_default_asset_account", of_account="F00000001", fund_account="88000100101").ok
    params = {"customer": "880001", "account": "88000100101"}
    outcome, sheets = papers.prefill(counter, "set_main", params, Context(), [("资金账号", "88000100101")])
    assert outcome.ok, outcome.message
    (sheet,) = sheets
    text = squeeze(text_of(counter.printer.issue(sheet).path))
    assert "变更主资金账户申请表" in text and "880001001、88000100101" in text
    done = call(counter, "set_main", **params)
    receipt = squeeze(text_of(Path(done.data["printed"]["path"])))
    assert "主资金账户" in receipt and "辅助资金账户" in receipt  # roles before -> after
    assert receipt.count("《变更主资金账户申请表》") == 2


def test_the_custody_agreement_prints_for_a_new_aux(counter):
    opened = call(counter, "open_asset_account", customer="880001", bank="农业银行")
    no = opened.data["fund_account"]
    assert no in squeeze(text_of(Path(opened.data["printed"]["path"])))  # 开立资金账户 on the receipt
    _outcome, sheets = papers.prefill(counter, "sign_custody", {"account": no}, Context(), [])
    assert [s.meta["paper"] for s in sheets] == [P.CUSTODY_AGREEMENT]
    assert no in squeeze(text_of(counter.printer.issue(sheets[0]).path))


def test_a_preview_prints_nothing(counter, tmp_path):
    """The confirmation of 8103 (and of any function) is a preview: no paper leaves before F8 is confirmed."""
    o = call(counter, "capitalize_interest", account="880002003")
    before = sorted((tmp_path / "spool").iterdir())
    preview = counter.preview("reprint", {"journal": str(o.journal_id)}, Context())
    assert preview.ok and "printed" not in preview.data
    assert sorted((tmp_path / "spool").iterdir()) == before
    again = papers.print_copy(counter, counter.printer, o.journal_id, Context())
    assert "补打第 2 份" in again.message  # the preview took no copy number


# --- the forms a later step needs, printed before 3106 -----------------------------------------


def test_the_close_form_prints_before_3106_and_again_at_3102(counter):
    """DOMAIN "Closing an aux": the client fills the 资产转出及销户申请表 first; 3106 capitalizes the
    interest; 3201 delete and 3102 (T+1) file it. So the form prints from 3106's form, and from
    3102's when that one goes."""
    _outcome, sheets = papers.prefill(counter, "capitalize_interest", {"account": "880002003"}, Context(),
                                      [("资金账号", "880002003")])
    assert [s.meta["paper"] for s in sheets] == [P.CLOSE_FORM]
    text = squeeze(text_of(counter.printer.issue(sheets[0]).path))
    for expected in ("资产转出及销户申请表", "880002003", "李四", "3106", "其后删除（3201）、销户（3102）时勾选归档"):
        assert expected in text, expected
    # the main of a client in the service: ending the service, so the 账户综合业务申请表 too
    _outcome, sheets = papers.prefill(counter, "capitalize_interest", {"account": "880002001"}, Context(), [])
    assert [s.meta["paper"] for s in sheets] == [P.CLOSE_FORM, P.GENERAL_FORM]
    c = branch("""
[[accounts]]
no = "880002003"
customer = "880002"
bank = "中国银行"
custody = "terminated"
""")
    c.printer = counter.printer
    _outcome, sheets = papers.prefill(c, "close_asset_account", {"account": "880002003"}, Context(), [])
    assert [s.meta["paper"] for s in sheets] == [P.CLOSE_FORM]
    assert "880002003" in squeeze(text_of(c.printer.issue(sheets[0]).path))
    with Session(counter.engine) as s:  # nothing committed by any of them
        assert s.exec(select(Journal)).all() == []


def test_deleting_the_last_account_prints_the_general_form_with_the_close_form(tmp_path):
    c = branch()
    c.printer = Printer(spool=tmp_path / "spool")
    assert call(c, "maintain_multibank", account="880002002", action="delete").ok
    outcome, sheets = papers.prefill(c, "maintain_multibank", {"account": "880002001", "action": "delete"}, Context(), [])
    assert outcome.ok, outcome.message
    assert [s.meta["paper"] for s in sheets] == [P.CLOSE_FORM, P.GENERAL_FORM]
    for sheet in sheets:
        text = squeeze(text_of(c.printer.issue(sheet).path))
        assert "880002001" in text and "李四" in text and P.paper_title(sheet.meta["paper"]) in text


# --- every function code that changes something: its receipt, read back in both languages -------

def _alert(c):
    """A withdrawal and six online main<->aux transfers: a 7101 warning to handle."""
    assert call(c, "bank_transfer", account="880001001", direction="out", amount="1.00").ok
    for _ in range(6):
        o = call(c, "ledger_transfer", channel="online", **{"from": "88000100101", "to": "880001001", "amount": "1.00"})
    return {"alert": str(o.data["alerts_raised"][0]["id"]), "action": "educate"}


def _timeout(c):
    """A 3105 the bank does not answer: 6104 settles it (with a supervisor), 6105 sends it again."""
    from teller.store.db import unit_of_work
    from teller.store.models import BankFault

    with unit_of_work(c.engine) as s:
        s.add(BankFault(bank="工商银行", fault="timeout", kind="transfer_in"))
    o = call(c, "bank_transfer", account="880001001", direction="in", amount="100.00")
    return o.data["request"]


def _pending(c, op, **params):
    o = call(c, op, **params)
    assert o.data.get("status") == "pending_review", o.message
    return {"approve": o.data["review_id"]}


# code: (setup returning the params of the line whose receipt is read, op, expected in the PDF)
RECEIPTS = {
    "1101": (lambda c: {"name": "孙七", "id_no": "110101199901010010", "bank": "工商银行"}, "joint_open", ("孙七", "工商银行")),
    "1102": (lambda c: _pending(c, "change_key_info", customer="880001", name="张叁"), "review", ("880001", "张三", "张叁")),
    "2101": (lambda c: {"shareholder_account": "A000880001", "fund_account": "88000100101"}, "maintain_shareholder",
             ("A000880001", "880001001", "88000100101")),
    "3101": (lambda c: {"customer": "880001", "bank": "农业银行"}, "open_asset_account", ("880001", "农业银行")),
    "3102": (lambda c: {"account": "880003009"}, "close_asset_account", ("880003009", "已销户")),
    "3103": (lambda c: {"account": "880003008"}, "sign_custody", ("880003008", "已签约")),
    "3104": (lambda c: {"account": "880003007"}, "terminate_custody", ("880003007", "已解约")),
    "3105": (lambda c: {"account": "880001001", "direction": "in", "amount": "12.34"}, "bank_transfer",
             ("880001001", "12.34")),
    "3106": (lambda c: {"account": "880002003"}, "capitalize_interest", ("880002003", "35.00", "800.00", "835.00")),
    "3201": (lambda c: {"account": "880005001", "action": "add"}, "maintain_multibank", ("880005001", "880005")),
    "3202": (lambda c: {"customer": "880001", "account": "88000100101"} if call(
        c, "maintain_shareholder", shareholder_account="A000880001", fund_account="88000100101").ok and call(
        c, "set_default_asset_account", of_account="F00000001", fund_account="88000100101").ok else {},
        "set_main", ("880001001", "88000100101", "主资金账户", "辅助资金账户")),
    "3203": (lambda c: {"from": "880001001", "to": "88000100101", "amount": "100.00", "channel": "counter"}, "ledger_transfer",
             ("880001001", "88000100101", "900.00", "2,100.00")),
    "3204": (lambda c: {"customer": "880001"}, "collect", ("880001001", "88000100101", "3,000.00")),
    "3205": (lambda c: {"customer": "880001", "bank": "工商银行"} if call(c, "review", teller="S01", **_pending(
        c, "change_key_info", customer="880001", name="张叁")).ok else {}, "send_bank_update", ("880001001", "工商银行")),
    "4101": (lambda c: {"customer": "880002", "fund_account": "880002001"}, "open_of_account", ("F00000002", "880002001")),
    "4102": (lambda c: {"of_account": "F00000001", "fund_account": "88000100101"}, "set_default_asset_account",
             ("F00000001", "880001001", "88000100101")),
    "5101": (lambda c: {"account": "880002001", "side": "buy", "amount": "10.00"}, "order", ("880002001", "5,000.00", "4,990.00")),
    "5102": (lambda c: {"customer": "880002"} if call(c, "order", account="880002001", side="buy", amount="10.00").ok else {},
             "cancel_order", ("880002",)),
    "5103": (lambda c: {"customer": "880002", "kind": "designate"}, "designation", ("880002",)),
    "6104": (lambda c: _pending(c, "settle_bank_request", request=_timeout(c), result="success"), "review",
             ("880001001", "1,000.00", "1,100.00")),
    "6105": (lambda c: {"request": _timeout(c)}, "resend_bank_request", ("880001001",)),
    "7101": (_alert, "handle_alert", ("880001",)),
    "7103": (lambda c: {"customer": "880001", "content": "规则变更告知"}, "notify", ("880001",)),
}
MORE = RICH + """
[[accounts]]
no = "880003009"
customer = "880003"
bank = "中国银行"
custody = "terminated"

[[accounts]]
no = "880003008"
customer = "880003"
bank = "中国银行"
custody = "unsigned"

[[accounts]]
no = "880003007"
customer = "880003"
bank = "中国银行"
"""


@pytest.mark.parametrize("code", sorted(RECEIPTS))
def test_each_function_that_changes_something_prints_its_receipt(code, tmp_path, lang):
    setup, op, expected = RECEIPTS[code]
    c = branch(MORE)
    params = setup(c)
    c.printer = Printer(spool=tmp_path / "spool")
    o = call(c, op, teller="S01" if op == "review" else "T00", **params)
    assert o.ok, o.message
    assert BY_CODE[code].op == (o.data.get("op") if op == "review" else o.op)
    with Session(c.engine) as s:
        customer = s.get(Receipt, o.journal_id).customer_code
    zh = squeeze(text_of(Path(o.data["printed"]["path"])))
    assert f"流水号：{o.journal_id}" in zh and f"客户号：{customer}" in zh and code in zh
    lang("en")
    copy = papers.print_copy(c, c.printer, o.journal_id, Context())
    en = squeeze(text_of(Path(copy.data["printed"]["path"])))
    assert f"Journalno.：{o.journal_id}" in en and customer in en and "REPRINTcopy2" in en
    for e in expected:
        assert e in zh, (e, zh)
        assert (e if e.isascii() or e in ("孙七", "张三", "张叁") else "") in en, (e, en)
