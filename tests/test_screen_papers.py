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
