"""Issue 12 at the keyboard: a 3106 at the counter spools its 资金利息归本单 and says where; 8103
prints a copy again, marked 补打. The spool folder is the test's own (conftest, TELLER_SPOOL)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from screenkit import SIZE, app_for, demo_template, engine, fill, open_code, submit  # noqa: F401  (fixtures)

pytestmark = pytest.mark.asyncio


def spooled(msg: str) -> Path:
    path = Path(msg.split("已存入 ", 1)[1].split("（流水号", 1)[0].strip())
    assert path.parent == Path(os.environ["TELLER_SPOOL"]) and path.exists(), msg
    return path


async def test_3106_at_the_counter_spools_the_interest_slip_and_8103_reprints_it(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3106")
        await fill(pilot, "88000500102", "")
        msg = await submit(pilot)
        assert msg.startswith("✔") and "已打印" not in msg and "未设置打印机" in msg, msg
        journal = msg.rsplit("流水号 ", 1)[1].split("）", 1)[0]
        text = "".join(PdfReader(spooled(msg)).pages[0].extract_text().split())
        assert "资金利息归本单" in text and "88000500102" in text and "3.50" in text and f"流水号：{journal}" in text
        await open_code(pilot, "8103")
        await fill(pilot, journal)
        again = await submit(pilot)
    assert "补打第 2 份" in again, again
    copy = spooled(again)
    assert "补打第2份" in "".join(PdfReader(copy).pages[0].extract_text().split())


async def done_printing(pilot) -> str:  # noqa: ANN001
    """The printing keys run off the UI thread: wait for the worker, then read the message line."""
    from screenkit import message, settle

    # only the printing workers: wait_for_complete() with none named waits for every worker, the
    # type-ahead pump's too, which runs as long as the counter does (this hung before)
    printing = [w for w in pilot.app.workers if w.group == "papers"]
    if printing:
        await pilot.app.workers.wait_for_complete(printing)
    await settle(pilot)
    return message(pilot.app)


async def test_f6_prints_the_receipt_on_the_result_line_and_ctrl_o_a_listed_one(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3106")
        await fill(pilot, "88000500102", "")
        msg = await submit(pilot)
        journal = msg.rsplit("流水号 ", 1)[1].split("）", 1)[0]
        await pilot.press("f6")
        again = await done_printing(pilot)
        assert again.startswith("✔") and f"流水 {journal} 的《资金利息归本单》：补打第 2 份" in again, again
        assert "88000500102" in "".join(PdfReader(spooled(again)).pages[0].extract_text().split())
        # a 3203, then its line in 6103's list: Ctrl+O on the highlighted row prints that line's receipt
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "880002001", "100", "", "")
        from screenkit import tick

        await tick(pilot, "单客户多银行服务资金划转申请表")
        moved = await submit(pilot)
        assert moved.startswith("✔"), moved
        moved_journal = moved.rsplit("流水号 ", 1)[1].split("）", 1)[0]
        await open_code(pilot, "6103")
        await fill(pilot, "880002")
        await pilot.pause()
        table = pilot.app.screen.focused
        rows = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        assert moved_journal in rows, rows
        for _ in range(table.row_count):  # bounded: a cursor that stops moving fails, never spins
            if str(table.get_row_at(table.cursor_row)[-1]) == moved_journal:
                break
            await pilot.press("down")
        assert str(table.get_row_at(table.cursor_row)[-1]) == moved_journal, (table.cursor_row, rows, type(table))
        await pilot.press("ctrl+o")
        listed = await done_printing(pilot)
    assert f"流水 {moved_journal} 的业务回单：补打第 2 份" in listed, listed
    text = "".join(PdfReader(spooled(listed)).pages[0].extract_text().split())
    assert "88000200101" in text and "880002001" in text and "100.00" in text


async def test_f7_prints_the_pre_filled_form_from_a_filled_form_before_f8(engine):
    from screenkit import accounts

    before = accounts(engine, "880002")
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "880002001", "123.45", "", "")
        await pilot.press("f7")
        msg = await done_printing(pilot)
        assert msg.startswith("✔") and "《单客户多银行服务资金划转申请表》未打印（未设置打印机）" in msg, msg
        assert "已打印" not in msg
        text = "".join(PdfReader(spooled(msg)).pages[0].extract_text().split())
        for expected in ("单客户多银行服务资金划转申请表", "88000200101", "880002001", "123.45", "李四", "客户签名"):
            assert expected in text, expected
        await open_code(pilot, "6102")  # a query has no form to pre-print
        await pilot.press("ctrl+y")
        assert "本功能没有预印的申请表" in await done_printing(pilot)
    assert accounts(engine, "880002") == before  # nothing was committed


async def test_8101_files_a_scan_of_the_signed_paper_from_the_form(engine, tmp_path):
    from screenkit import call, message, screen_text
    from test_papers import PNG

    from teller.domain import papers as P

    assert call(engine, "ledger_transfer", documents=[P.TRANSFER_FORM],
                **{"from": "88000200101", "to": "880002001", "amount": "100"}).ok
    scan = tmp_path / "signed.png"
    scan.write_bytes(PNG)
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "8101")
        await fill(pilot, "880002", "6", str(scan))  # the 6th paper: 单客户多银行服务资金划转申请表; Enter files it
        msg = message(pilot.app)
        assert msg.startswith("✔") and "归档 1 份影像" in msg and "单客户多银行服务资金划转申请表" in msg, msg
        await open_code(pilot, "8101")  # 880002 is the current client now: filled in, the cursor on the paper
        assert pilot.app.screen.query_one("#f-customer").value == "880002"
        await fill(pilot, "", str(tmp_path / "nothing.png"))  # a scan without its paper
        refused = message(pilot.app)
        assert "✘" in refused, refused
        await open_code(pilot, "8101")
        await fill(pilot, "", "")
        assert P.TRANSFER_FORM in screen_text(pilot.app)
    listed = call(engine, "archive", customer="880002").data["documents"]
    assert [d["scans"] for d in listed if d["paper"] == P.TRANSFER_FORM] == [1]
