"""8102's list and several approvals in one go, and 9101 asking when reviews or bank requests are
still open (issue 10 items 2, 6 and 8), at the keyboard on the demo branch."""

from __future__ import annotations

from datetime import date

import pytest

from screenkit import (  # noqa: F401  (fixtures)
    SIZE, app_for, call, demo_template, engine, message, open_code, press, screen_text,
)
from teller.screens.dialogs import ConfirmDialog
from teller.services import reads
from teller.store.db import unit_of_work
from teller.store.models import BankRequest

pytestmark = pytest.mark.asyncio


def unanswered_request(engine) -> int:  # noqa: ANN001
    """A 3205 the bank has not answered (超时), as the link leaves it when the bank is silent."""
    with unit_of_work(engine) as s:
        r = BankRequest(journal_id=1, business_date=date(2026, 11, 23), customer_code="880004", fund_account="88000400101",
                        bank="建设银行", kind="key_update", amount=0, state="超时")
        s.add(r)
        s.flush()
        return r.id


async def test_day_end_lists_open_reviews_and_bank_requests_and_asks_first(engine):
    review = call(engine, "change_key_info", documents=None, customer="880002", name="李肆").data["review_id"]
    request = unanswered_request(engine)
    async with app_for(engine, "T01").run_test(size=SIZE) as pilot:
        await open_code(pilot, "9101")
        await press(pilot, "f8")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        text = "\n".join(str(p) for p in pilot.app.screen.body)
        assert "待复核" in text and f"复核号 {review}" in text and "1102 客户资料维护" in text and "李四 → 李肆" in text
        assert "银行请求" in text and f"请求号 {request}" in text and "建设银行" in text and "超时" in text
        await press(pilot, "f12")  # back: nothing ran
        assert reads.branch_status(engine)["business_date"] == date(2026, 11, 23)
        await press(pilot, "f8")
        await press(pilot, "enter")  # goes on, having been told
        assert message(pilot.app).startswith("✔"), message(pilot.app)
    assert reads.branch_status(engine)["business_date"] == date(2026, 11, 24)


async def test_day_end_with_nothing_open_says_nothing_of_it(engine):
    async with app_for(engine, "T01").run_test(size=SIZE) as pilot:
        await open_code(pilot, "9101")
        await press(pilot, "f8")
        text = "\n".join(str(p) for p in pilot.app.screen.body)
        assert "待复核" not in text and "银行请求" not in text and "结束营业日" in text
