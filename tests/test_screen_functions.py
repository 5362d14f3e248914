"""Every function code at the keyboard: open it by its code, fill it top to bottom, tick the papers,
press F8, confirm, and check the store through the service layer (DOMAIN.md §3 and §4).
The store is the demo branch (data/demo/branch.toml), business date 2026-11-23."""

from __future__ import annotations

import pytest

from screenkit import (  # noqa: F401  (fixtures)
    SIZE, accounts, app_for, call, demo_template, engine, fill, message, open_code, press, screen_text, submit, tick,
)
from teller.domain import papers as P
from teller.services import reads

pytestmark = pytest.mark.asyncio


async def run(engine, code: str, values: tuple[str, ...], papers: tuple[str, ...] = (), teller: str = "T01") -> str:
    """Open `code`, fill `values` field by field, tick `papers`, submit and confirm: the message line."""
    async with app_for(engine, teller).run_test(size=SIZE) as pilot:
        await open_code(pilot, code)
        await fill(pilot, *values)
        if papers:
            await tick(pilot, *papers)
        return await submit(pilot)


def ok(msg: str) -> None:
    assert msg.startswith("✔") and "流水号" in msg, msg


# --- 1xxx 客户管理, 2101 ----------------------------------------------------------------------
async def test_1101_joint_open_makes_client_account_and_shareholder_accounts(engine):
    ok(await run(engine, "1101", ("孙七", "1", "1", "110101198001010010", "工商银行", "", "", "", ""),
                 (P.ACCOUNT_INFO, P.ID_PROOF)))
    found = reads.find_customers(engine, "孙七")
    assert [c["code"] for c in found] == ["880013"]
    client = reads.client(engine, "880013")
    assert [a["no"] for a in client["accounts"]] == ["880013001"]
    assert {s["market"] for s in client["shareholder_accounts"]} == {"SH", "SZ"}


async def test_1102_key_information_change_waits_for_a_second_person(engine):
    msg = await run(engine, "1102", ("880002", "李肆", "", "", ""), (P.ID_PROOF,))
    ok(msg)
    assert "8102" in msg
    assert [(r["op"], r["customer"]) for r in reads.review_list(engine)] == [("change_key_info", "880002")]
    assert reads.client(engine, "880002")["name"] == "李四"  # not yet: it waits for the review


async def test_1103_client_query_shows_accounts_and_what_hangs_under_them(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "1103")
        await fill(pilot, "880006")
        text = screen_text(pilot.app)
    assert "孙八" in text and "已开通" in text
    for no in ("880006001", "88000600101", "A000880006", "F00000006"):
        assert no in text


async def test_2101_moves_a_shareholder_account_to_an_aux_of_the_same_client(engine):
    ok(await run(engine, "2101", ("A000880006", "88000600101")))
    assert reads.client(engine, "880006")["shareholder_accounts"][0]["fund_account"] == "88000600101"
    assert reads.client(engine, "880006")["service_state"] == "主资金账户变更中"


# --- 31xx 资金管理 ------------------------------------------------------------------------------
async def test_3101_opens_an_aux_with_a_bank_chosen_from_the_f4_list(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3101")
        await fill(pilot, "880001")
        await pilot.press("f4")
        await fill(pilot, "CCB")  # narrows the bank list to 建设银行; Enter takes it
        await fill(pilot, "", "")  # account number: automatic; agent: no
        await tick(pilot, P.NEW_AUX_FORM)
        ok(await submit(pilot))
    a = accounts(engine, "880001")
    assert a["88000100101"]["bank"] == "建设银行" and a["88000100101"]["role"] == "none"


async def test_3102_closes_an_aux_that_left_the_service_and_ended_custody(engine):
    assert call(engine, "maintain_multibank", account="88000500101", action="delete").ok
    assert call(engine, "terminate_custody", account="88000500101").ok
    ok(await run(engine, "3102", ("88000500101", ""), (P.CLOSE_FORM,)))
    assert accounts(engine, "880005")["88000500101"]["status"] == "closed"


async def test_3103_signs_custody_once_the_bank_has_confirmed(engine):
    ok(await run(engine, "3103", ("88001100101", "1", ""), (P.CUSTODY_AGREEMENT,)))
    assert accounts(engine, "880011")["88001100101"]["custody"] == "signed"


async def test_3104_terminates_custody_of_an_aux_out_of_the_service(engine):
    assert call(engine, "maintain_multibank", account="88000500101", action="delete").ok
    ok(await run(engine, "3104", ("88000500101", "")))
    assert accounts(engine, "880005")["88000500101"]["custody"] == "terminated"


async def test_3105_bank_to_securities(engine):
    ok(await run(engine, "3105", ("880001001", "1", "1000.00", "")))
    a = accounts(engine, "880001")["880001001"]
    assert (a["cash"], a["withdrawable"]) == ("51000.00", "51000.00")  # 银证转账 in: withdrawable at once


async def test_3106_capitalises_interest(engine):
    ok(await run(engine, "3106", ("88000500102", "")))
    a = accounts(engine, "880005")["88000500102"]
    assert (a["cash"], a["interest_base"]) == ("703.50", "0")


# --- 32xx 单帐户多银行 ------------------------------------------------------------------------
async def test_3201_registers_a_clients_first_account_with_the_agreement(engine):
    ok(await run(engine, "3201", ("880011001", "1", "1", ""), (P.AGREEMENT, P.ACCOUNT_INFO)))
    a = accounts(engine, "880011")["880011001"]
    assert (a["in_service"], a["role"], a["transfer_flag"]) == (True, "aux", 1)


async def test_3202_changes_the_main(engine):
    ok(await run(engine, "3202", ("880002", "88000200101", ""), (P.CHANGE_MAIN_FORM,)))
    a = accounts(engine, "880002")
    assert (a["88000200101"]["role"], a["880002001"]["role"]) == ("main", "aux")


async def test_3203_moves_money_aux_to_main_withdrawable_from_t_plus_1(engine):
    ok(await run(engine, "3203", ("88000200101", "880002001", "500", "", ""), (P.TRANSFER_FORM,)))
    a = accounts(engine, "880002")
    assert (a["88000200101"]["cash"], a["880002001"]["cash"]) == ("1500.00", "1500.00")
    assert a["880002001"]["withdrawable"] == "1000.00"  # DOMAIN §2: arrived today, leaves from T+1
    docs = call(engine, "archive", customer="880002").data["documents"]
    assert [(d["paper"], d["account"]) for d in docs] == [(P.TRANSFER_FORM, "88000200101")]


async def test_3204_collects_every_aux_into_the_main(engine):
    ok(await run(engine, "3204", ("880002", ""), (P.TRANSFER_FORM,)))
    a = accounts(engine, "880002")
    assert (a["880002001"]["cash"], a["88000200101"]["cash"], a["88000200102"]["cash"]) == ("6000.00", "0.00", "0.00")


async def test_3205_sends_the_key_information_to_the_bank_still_waiting(engine):
    assert reads.client(engine, "880004")["key_info_pending_banks"] == ["建设银行"]
    ok(await run(engine, "3205", ("880004", "建设银行")))
    assert reads.client(engine, "880004")["key_info_pending_banks"] == []


async def test_3206_lists_every_fund_account_of_the_client(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3206")
        await fill(pilot, "880003")
        text = screen_text(pilot.app)
    assert all(no in text for no in accounts(engine, "880003"))
    assert "交通银行" in text and "120,000.00" in text


# --- 41xx 开放式基金, 51xx 委托 -----------------------------------------------------------------
async def test_4101_opens_a_fund_account_under_the_main(engine):
    ok(await run(engine, "4101", ("880002", "880002001", "", "")))
    assert [o["fund_account"] for o in reads.client(engine, "880002")["of_accounts"]] == ["880002001"]


async def test_4102_moves_the_default_asset_account(engine):
    ok(await run(engine, "4102", ("F00000006", "88000600101")))
    assert reads.client(engine, "880006")["of_accounts"][0]["fund_account"] == "88000600101"


async def test_5101_buys_from_the_main(engine):
    ok(await run(engine, "5101", ("880003001", "1", "1000", "")))
    assert accounts(engine, "880003")["880003001"]["cash"] == "119000.00"


@pytest.mark.parametrize("code, values", [("5102", ("880003", "")), ("5103", ("880003", "1", ""))])
async def test_5102_5103_block_a_main_change_the_same_day(engine, code, values):
    ok(await run(engine, code, values))
    o = call(engine, "set_main", documents=None, customer="880003", account="88000300102")
    assert o.rule == "MAIN_CHANGE_BLOCKED"


# --- 6xxx 查询, 8101 ------------------------------------------------------------------------
async def test_6101_shows_the_bank_update_results(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "6101")
        await fill(pilot, "880004")
        text = screen_text(pilot.app)
    assert "资料变更" in text and "工商银行" in text and "成功" in text


async def test_6102_shows_cash_and_withdrawable(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "6102")
        await fill(pilot, "880012001")
        text = screen_text(pilot.app)
    assert "2,000.00" in text and "1,000.00" in text  # cash 2000, withdrawable 1000 until T+1


async def test_6103_lists_the_transfers(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "6103")
        await fill(pilot, "880012")
        text = screen_text(pilot.app)
    assert "88001200101" in text and "转出" in text and "转入" in text


async def test_8101_lists_the_archived_papers(engine):
    call(engine, "ledger_transfer", documents=[P.TRANSFER_FORM], **{"from": "88000200101", "to": "880002001", "amount": "100"})
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "8101")
        await fill(pilot, "880002", "", "")  # no paper, no scan: the list
        text = screen_text(pilot.app)
    assert "《单客户多银行服务资金划转申请表》" not in text  # a table cell, without the book-title marks
    assert P.TRANSFER_FORM in text and "3203" in text


# --- 7xxx 合规风控 --------------------------------------------------------------------------------
def raise_non_trading_alert(engine) -> int:  # noqa: ANN001
    """Six main<->aux transfers, money out to the bank, no trade: DOMAIN §4's warning."""
    for _ in range(6):
        assert call(engine, "ledger_transfer", documents=None, **{"from": "88000200101", "to": "880002001", "amount": "10"}).ok
    o = call(engine, "bank_transfer", account="880002001", direction="out", amount="100")
    return o.data["alerts_raised"][0]["id"]


async def test_7101_first_warning_educates_with_pledge_and_record(engine):
    alert = raise_non_trading_alert(engine)
    ok(await run(engine, "7101", (str(alert), "1", "客户已知悉", ""), (P.PLEDGE, P.COMMUNICATION)))
    assert reads.alert_list(engine, "880002") == []  # handled
    docs = {d["paper"] for d in call(engine, "archive", customer="880002").data["documents"]}
    assert {P.PLEDGE, P.COMMUNICATION} <= docs


async def test_7102_lists_the_clients_alerts(engine):
    raise_non_trading_alert(engine)
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "7102")
        await fill(pilot, "880002")
        await press(pilot, "f8")  # the other fields are for handling one alert
        text = screen_text(pilot.app)
    assert "非交易目的划转" in text


async def test_7103_records_a_major_matter_notice(engine):
    ok(await run(engine, "7103", ("880002", "特别管理关闭划转", "")))
    notices = call(engine, "notify", customer="880002", action="list").data["notices"]
    assert [n["content"] for n in notices] == ["特别管理关闭划转"]


# --- 8102, 9xxx ---------------------------------------------------------------------------
async def test_8102_a_second_person_approves_and_it_takes_effect(engine):
    pending = call(engine, "change_key_info", documents=None, customer="880002", name="李肆")
    ok(await run(engine, "8102", (str(pending.data["review_id"]), "", ""), teller="S01"))
    assert reads.client(engine, "880002")["name"] == "李肆"
    assert reads.review_list(engine) == []


async def test_9101_day_end_moves_to_the_next_trading_day(engine):
    from datetime import date

    ok(await run(engine, "9101", ()))
    assert reads.branch_status(engine)["business_date"] == date(2026, 11, 24)


async def test_9102_supervisor_adds_a_teller(engine):
    ok(await run(engine, "9102", ("1", "T09", "1", "新柜员", "t09pass"), teller="S01"))
    assert {t["id"]: t["role"] for t in reads.teller_list(engine)}["T09"] == "teller"


async def test_7102_lists_an_aml_alert_then_reviews_it(engine):
    # an institution's main<->aux transfer of RMB 2,000,000.00 or more is large-value (DOMAIN §4)
    assert call(engine, "ledger_transfer", documents=None, **{"from": "880008001", "to": "88000800101", "amount": "2000000"}).ok
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "7102")
        await fill(pilot, "880008")
        await press(pilot, "f8")
        assert "大额交易" in screen_text(pilot.app)
        await open_code(pilot, "7102")
        ok(await submit_query(pilot, "880008", "1", "1"))  # Enter on the last field runs it
    assert call(engine, "alerts", customer="880008").data["alerts"][0]["state"] == "under_review"


async def submit_query(pilot, *values: str) -> str:  # noqa: ANN001
    await fill(pilot, *values)
    return message(pilot.app)


async def test_3203_an_account_of_another_client_is_caught_as_typed(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "880001001")
        msg = message(pilot.app)
        view = pilot.app.screen.view
        assert msg == "转入资金账号 880001001 不属于客户 880002"
        assert pilot.app.screen.focused is view.input_of("to")  # the cursor stays on the field
