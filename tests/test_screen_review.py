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


def pending_flags(engine) -> list[int]:  # noqa: ANN001
    """Three requests waiting for review: 3201 closing the transfer function of 880002's main and of
    880006's main (one instruction number each) and 1102's name change of 880002."""
    out = []
    for acct, instruction in (("880002001", "YY-2026-201"), ("880006001", "YY-2026-202")):
        o = call(engine, "maintain_multibank", documents=None, account=acct, action="set_flag", flag=0, instruction=instruction)
        out.append(o.data["review_id"])
    out.append(call(engine, "change_key_info", documents=None, customer="880002", name="李肆").data["review_id"])
    return out


async def test_8102_lists_function_client_accounts_change_and_instruction_never_an_op(engine):
    first, second, key = pending_flags(engine)
    async with app_for(engine, "S01").run_test(size=(80, 24)) as pilot:
        await open_code(pilot, "8102")
        view = pilot.app.screen.view
        rows = {str(r["id"]): r for r in view.queue.values()}
        assert rows[str(first)]["function"] == "3201 单帐户多银行帐户维护"
        assert rows[str(first)]["accounts"] == "880002001" and rows[str(first)]["instruction"] == "YY-2026-201"
        assert "880002001 划转标志：1--开 → 0--关" in rows[str(first)]["change"]  # the preview came back from its worker
        assert rows[str(key)]["change"] == "880002 客户名称：李四 → 李肆"
        text = screen_text(pilot.app)
        assert "maintain_multibank" not in text and "change_key_info" not in text
        assert "3201" in text and "880002001" in text and "YY-2026-201" in text
        # the row under the cursor, whole, under the table (80 columns cut nothing of it)
        await press(pilot, "shift+tab")
        assert "复核号 {id}".format(id=first) in text and "划转标志" in screen_text(pilot.app)


async def test_8102_approves_the_marked_rows_in_one_go_each_its_own_approval(engine):
    from sqlmodel import select

    from teller.store.db import reading
    from teller.store.models import Journal

    first, second, key = pending_flags(engine)
    async with app_for(engine, "S01").run_test(size=SIZE) as pilot:
        await open_code(pilot, "8102")
        await press(pilot, "up")  # up into the list, as its title says
        await press(pilot, "space", "down", "down", "space")  # mark the first and the third
        view = pilot.app.screen.view
        assert view.marked == {str(first), str(key)}
        assert "[√]" in screen_text(pilot.app)
        await press(pilot, "f8")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        body = "\n".join(str(p) for p in pilot.app.screen.body)
        assert f"复核号 {first}" in body and f"复核号 {key}" in body and f"复核号 {second}" not in body
        await press(pilot, "enter")
        msg = message(pilot.app)
        assert msg.startswith("✔") and "2 笔" in msg, msg
    assert [r["id"] for r in reads.review_list(engine)] == [second]
    assert reads.client(engine, "880002")["name"] == "李肆"
    flags = {a["no"]: a["transfer_flag"] for a in reads.client(engine, "880002")["accounts"]}
    assert flags["880002001"] == 0 and flags["88000200101"] == 1
    with reading(engine) as s:
        lines = s.exec(select(Journal).where(Journal.function_code == "8102", Journal.ok == True)  # noqa: E712
                       .order_by(Journal.id)).all()
        approvals = [j.inputs.get("approve") for j in lines[-2:]]
    assert approvals == [str(first), str(key)]  # each journalled as its own approval


async def test_8102_in_one_go_says_which_were_refused_and_approves_the_rest(engine):
    first, second, key = pending_flags(engine)
    call(engine, "change_key_info", teller="S01", documents=None, customer="880003", name="王伍")  # S01's own
    async with app_for(engine, "S01").run_test(size=SIZE) as pilot:
        await open_code(pilot, "8102")
        await press(pilot, "shift+tab")
        await press(pilot, "space", "down", "down", "down", "space")  # the first, and S01's own
        await press(pilot, "f8", "enter")
        msg = message(pilot.app)
        assert "✔ 已批准 1 笔" in msg and "未批准" in msg and "FORBIDDEN" in msg, msg
    assert sorted(r["id"] for r in reads.review_list(engine)) == sorted([second, key, max(first, second, key) + 1])
