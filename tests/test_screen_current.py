"""当前客户 (issue 10 item 1): the client a function named is carried to the next one, its accounts
typed by their row in the client panel (1–5) or their suffix (01–05), the real number sent and
journaled; F9 clears it, and so does the next sign-on. Keys only, as a teller types them."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from teller.domain import papers as P
from teller.screens.widgets import FieldInput
from teller.store.models import Journal

from screenkit import (  # noqa: F401  (fixtures)
    SIZE, accounts, demo_template, engine, app_for, do, fill, message, open_code, press, screen_text, sign_off, sign_on,
    submit, tick)

pytestmark = pytest.mark.asyncio


def status(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#status").render())


def field(app, name: str) -> FieldInput:  # noqa: ANN001
    return app.screen.query_one(f"#f-{name}", FieldInput)


def last_journal(engine) -> Journal:  # noqa: ANN001
    with Session(engine) as s:
        return s.exec(select(Journal).order_by(Journal.id.desc())).first()


async def test_a_client_named_by_a_query_fills_the_next_function(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        assert "当前客户" not in status(pilot.app)
        await do(pilot, "3206", ("880002",))
        assert "当前客户 880002 李四" in status(pilot.app)
        await open_code(pilot, "3205")
        assert field(pilot.app, "customer").value == "880002"
        # the only other field is the bank: the cursor is there, and the message line says what came
        assert pilot.app.screen.focused is field(pilot.app, "bank")
        assert "已带出当前客户 880002 李四" in message(pilot.app) and "F9" in message(pilot.app)
        assert "客户 880002 李四" in screen_text(pilot.app)  # its panel, read as a typed client would be


async def test_accounts_by_row_number_and_suffix_reach_the_journal_as_real_numbers(engine):
    before = accounts(engine, "880002")
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await do(pilot, "3206", ("880002",))
        await open_code(pilot, "3203")
        text = screen_text(pilot.app)
        assert "序号" in text and "当前客户 880002 李四" in message(pilot.app)
        await fill(pilot, "02")  # the aux account with suffix 02
        assert field(pilot.app, "from").value == "88000200102"
        assert "88000200102" in message(pilot.app) and "02" in message(pilot.app)
        await fill(pilot, "1", "100", "", "")  # row 1 of the panel: the main account
        assert field(pilot.app, "to").value == "880002001"
        await tick(pilot, P.TRANSFER_FORM)
        msg = await submit(pilot)
    assert msg.startswith("✔"), msg
    after = accounts(engine, "880002")
    assert before["88000200102"]["cash"] == "3000.00" and after["88000200102"]["cash"] == "2900.00"
    assert after["880002001"]["cash"] == "1100.00"
    line = last_journal(engine)
    assert line.op == "ledger_transfer" and line.inputs["from"] == "88000200102" and line.inputs["to"] == "880002001"


async def test_a_row_the_client_does_not_have_is_refused_naming_the_field(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await do(pilot, "3206", ("880002",))
        await open_code(pilot, "3203")
        await fill(pilot, "5")  # 880002 has three open accounts
        assert "转出资金账号" in message(pilot.app) and "没有第 5 个资金账户" in message(pilot.app)
        assert pilot.app.screen.focused is field(pilot.app, "from") and field(pilot.app, "from").value == "5"


async def test_without_a_current_client_a_row_number_is_not_an_account(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "1")
        assert "不是完整的资金账号" in message(pilot.app)
        assert pilot.app.screen.focused is field(pilot.app, "from")


async def test_an_account_of_another_client_makes_that_client_current(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await do(pilot, "3206", ("880002",))
        await open_code(pilot, "6102")
        await fill(pilot, "880003001")
        assert "当前客户 880003 王五" in status(pilot.app)


async def test_f9_clears_the_current_client(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await do(pilot, "3206", ("880002",))
        await press(pilot, "f9")
        assert "当前客户" not in status(pilot.app)
        assert "已清除当前客户 880002 李四" in message(pilot.app)
        await open_code(pilot, "3205")
        assert field(pilot.app, "customer").value == ""
        assert pilot.app.screen.focused is field(pilot.app, "customer")


async def test_the_next_sign_on_starts_without_a_current_client(engine):
    async with app_for(engine, teller=None).run_test(size=SIZE) as pilot:
        await sign_on(pilot, "T01")
        await do(pilot, "3206", ("880002",))
        assert "当前客户 880002 李四" in status(pilot.app)
        await sign_off(pilot)
        await sign_on(pilot, "T02")
        assert "当前客户" not in status(pilot.app)
        await open_code(pilot, "3205")
        assert field(pilot.app, "customer").value == ""


async def test_the_clear_key_is_in_the_legend_and_the_help(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        assert "F9 清除当前客户" in screen_text(pilot.app)
        await press(pilot, "f1")
        assert "清除当前客户" in screen_text(pilot.app)
