"""The exam's main procedures, start to finish at the keyboard (DOMAIN.md §4), on the demo branch."""

from __future__ import annotations

from datetime import date

import pytest

from screenkit import (  # noqa: F401  (fixtures)
    SIZE, accounts, app_for, call, demo_template, do, engine, screen_text, sign_off, sign_on,
)
from teller.domain import papers as P
from teller.screens.counter import CounterScreen
from teller.services import reads

pytestmark = pytest.mark.asyncio


def ok(msg: str) -> None:
    assert msg.startswith("✔") and "流水号" in msg, msg


def refused(msg: str, rule: str) -> None:
    assert msg.startswith(f"✘ [{rule}]"), msg


def filed(engine, customer: str) -> set[tuple[str, str]]:  # noqa: ANN001
    return {(d["paper"], d["account"]) for d in call(engine, "archive", customer=customer).data["documents"]}


async def test_opening_the_service_for_an_existing_client(engine):
    async with app_for(engine, teller=None).run_test(size=SIZE) as pilot:
        await sign_on(pilot, "T01")
        assert isinstance(pilot.app.screen, CounterScreen)
        ok(await do(pilot, "3101", ("880001", "建设银行", "", ""), (P.NEW_AUX_FORM,)))
        ok(await do(pilot, "3103", ("88000100101", "", ""), (P.CUSTODY_AGREEMENT,)))
        # the client's first registration: the agreement and the account information form
        refused(await do(pilot, "3201", ("880001001", "1", "1", "")), "DOC_MISSING")
        await pilot.press("f12")
        ok(await do(pilot, "3201", ("880001001", "1", "1", ""), (P.AGREEMENT, P.ACCOUNT_INFO)))
        ok(await do(pilot, "3201", ("88000100101", "1", "1", "")))  # a later add needs no paper
        ok(await do(pilot, "3202", ("880001", "880001001", "")))
    a = accounts(engine, "880001")
    assert {no: (x["role"], x["transfer_flag"]) for no, x in a.items()} == {"880001001": ("main", 1), "88000100101": ("aux", 1)}
    assert reads.client(engine, "880001")["service_state"] == "已开通"
    # the 协议书 under the main, each 新增辅助资金账户申请表 under its aux (DOMAIN §4)
    assert {(P.AGREEMENT, "880001001"), (P.NEW_AUX_FORM, "88000100101")} <= filed(engine, "880001")


async def test_changing_the_main_moves_shareholder_and_fund_accounts_first(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        refused(await do(pilot, "3202", ("880006", "88000600101", ""), (P.CHANGE_MAIN_FORM,)), "LINKS_NOT_MIGRATED")
        ok(await do(pilot, "2101", ("A000880006", "88000600101")))
        ok(await do(pilot, "4102", ("F00000006", "88000600101")))
        assert "主资金账户变更中" in screen_text(pilot.app)
        ok(await do(pilot, "3202", ("880006", "88000600101", ""), (P.CHANGE_MAIN_FORM,)))
    a = accounts(engine, "880006")
    assert (a["88000600101"]["role"], a["880006001"]["role"]) == ("main", "aux")
    # archived under both the old and the new main
    assert {(P.CHANGE_MAIN_FORM, "880006001"), (P.CHANGE_MAIN_FORM, "88000600101")} <= filed(engine, "880006")


async def test_counter_transfer_aux_to_main_and_what_may_leave_today(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        ok(await do(pilot, "3203", ("88000200101", "880002001", "1000", "", ""), (P.TRANSFER_FORM,)))
        # main 1000 + 1000 arrived today: available 2000, withdrawable 1000 (DOMAIN §2, the exam's facts)
        refused(await do(pilot, "3105", ("880002001", "2", "1500", "")), "NOT_WITHDRAWABLE")
        ok(await do(pilot, "5101", ("880002001", "1", "1000", "")))
        refused(await do(pilot, "5101", ("88000200101", "1", "100", "")), "AUX_NO_TRADE")
        refused(await do(pilot, "3203", ("88000200101", "88000200102", "100", "", ""), (P.TRANSFER_FORM,)), "AUX_TO_AUX")
    a = accounts(engine, "880002")
    assert (a["880002001"]["cash"], a["88000200101"]["cash"]) == ("1000.00", "1000.00")


async def test_closing_the_transfer_function_needs_every_account_and_a_supervisor(engine):
    async with app_for(engine, teller=None).run_test(size=SIZE) as pilot:
        await sign_on(pilot, "T01")
        for no in ("880002001", "88000200101", "88000200102"):
            msg = await do(pilot, "3201", (no, "3", "0", "YY-2026-118", ""))
            ok(msg)
            assert "8102" in msg
        await sign_off(pilot)
        await sign_on(pilot, "S01")
        for review in reads.review_list(engine):
            ok(await do(pilot, "8102", (str(review["id"]), "1", "")))
        await sign_off(pilot)
        await sign_on(pilot, "T01")
        refused(await do(pilot, "3203", ("88000200101", "880002001", "100", "", ""), (P.TRANSFER_FORM,)), "TRANSFER_CLOSED")
    assert {a["transfer_flag"] for a in accounts(engine, "880002").values()} == {0}


async def test_closing_an_aux_over_two_days(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        ok(await do(pilot, "3106", ("88000500102", "")))
        ok(await do(pilot, "3203", ("88000500102", "880005001", "703.50", "", ""), (P.TRANSFER_FORM,)))
        refused(await do(pilot, "3201", ("88000500102", "2", ""), (P.CLOSE_FORM, P.INTEREST_SLIP)), "T_PLUS_1")
        ok(await do(pilot, "9101", ()))
        assert reads.branch_status(engine)["business_date"] == date(2026, 11, 24)
        ok(await do(pilot, "3201", ("88000500102", "2", ""), (P.CLOSE_FORM, P.INTEREST_SLIP)))
        ok(await do(pilot, "3104", ("88000500102", "")))
        ok(await do(pilot, "3102", ("88000500102", ""), (P.CLOSE_FORM,)))
    a = accounts(engine, "880005")
    assert a["88000500102"]["status"] == "closed" and a["880005001"]["cash"] == "9703.50"


async def test_key_information_change_sent_to_each_bank(engine):
    banks = ("工商银行", "建设银行", "中国银行")
    async with app_for(engine, teller=None).run_test(size=SIZE) as pilot:
        await sign_on(pilot, "T01")
        ok(await do(pilot, "1102", ("880002", "李肆", "", "", ""), (P.ID_PROOF,)))
        await sign_off(pilot)
        await sign_on(pilot, "S01")
        ok(await do(pilot, "8102", (str(reads.review_list(engine)[0]["id"]), "1", "")))
        await sign_off(pilot)
        await sign_on(pilot, "T01")
        assert reads.client(engine, "880002")["key_info_pending_banks"] == sorted(banks)
        refused(await do(pilot, "3203", ("88000200101", "880002001", "100", "", ""), (P.TRANSFER_FORM,)), "KEY_INFO_PENDING")
        for bank in banks:  # 3203 named 880002: the current client, filled into 3205's client number
            ok(await do(pilot, "3205", (bank,)))
        await do(pilot, "6101", ())
        results = screen_text(pilot.app)
        ok(await do(pilot, "3203", ("88000200101", "880002001", "100", "", ""), (P.TRANSFER_FORM,)))
    assert results.count("资料变更") == 3 and "成功" in results
    assert reads.client(engine, "880002")["key_info_pending_banks"] == []
