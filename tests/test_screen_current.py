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
    SIZE, accounts, demo_template, engine, app_for, do, fill, message, open_code, press, screen_text, settle, sign_off,
    sign_on, submit, tick)

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


# --- issue 10 items 8 and 6, the form's side ---------------------------------------------------
def panel_shown(app) -> bool:  # noqa: ANN001
    from teller.screens.client_panel import ClientPanel

    return app.screen.query_one(ClientPanel).display


async def test_a_refusal_about_the_amount_puts_the_cursor_on_the_amount(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "880002001", "5000", "", "")  # 2,000.00 withdrawable
        await tick(pilot, P.TRANSFER_FORM)
        msg = await submit(pilot)
        assert "[NOT_WITHDRAWABLE]" in msg, msg
        assert pilot.app.screen.focused is field(pilot.app, "amount")


async def test_the_client_panel_stays_after_a_refused_call_is_corrected_and_committed(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "880002001", "5000", "", "")
        await tick(pilot, P.TRANSFER_FORM)
        assert "[NOT_WITHDRAWABLE]" in await submit(pilot)
        assert panel_shown(pilot.app)
        await fill(pilot, "100")  # the amount is selected: typed over
        assert field(pilot.app, "amount").value == "100"
        assert panel_shown(pilot.app), "the panel went when the refused call was corrected"
        msg = await submit(pilot)
        assert msg.startswith("✔"), msg
        assert panel_shown(pilot.app) and "客户 880002 李四" in screen_text(pilot.app)
    assert accounts(engine, "880002")["88000200101"]["cash"] == "1900.00"


async def test_3205_lists_only_the_clients_banks_still_waiting(engine):
    from screenkit import call

    from teller.screens.dialogs import LookupDialog
    from teller.services import reads

    assert call(engine, "change_key_info", documents=[P.ID_PROOF], customer="880002", name="李肆").ok
    assert call(engine, "review", teller="S01", approve=reads.review_list(engine)[0]["id"]).ok
    assert call(engine, "send_bank_update", customer="880002", bank="工商银行").ok
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3205")
        await fill(pilot, "880002")
        await press(pilot, "f4")
        dialog = pilot.app.screen
        assert isinstance(dialog, LookupDialog)
        listed = [str(dialog.query_one("#lookup-table").get_row_at(i)[0]) for i in range(dialog.query_one("#lookup-table").row_count)]
        assert sorted(listed) == sorted(["建设银行", "中国银行"])  # not the branch's twelve, nor 工商银行 (sent)
        await press(pilot, "enter")
        assert field(pilot.app, "bank").value == listed[0]


async def test_1102_shows_the_key_information_as_it_is_now(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "1102")
        text = screen_text(pilot.app)
        assert "现：李四" not in text
        await fill(pilot, "880002")
        text = screen_text(pilot.app)
        assert "现：李四" in text and "现：居民身份证" in text
        now = next(line for line in text.splitlines() if "证件号码" in line)
        assert "现：" in now and "*" in now  # masked, as everywhere on screen
        await fill(pilot, "李肆")
        assert "现：李四" in screen_text(pilot.app)  # still there once the new name is typed


async def test_f4_lists_the_current_clients_accounts_first_numbered_as_in_the_panel(engine):
    from teller.screens.dialogs import LookupDialog

    async with app_for(engine).run_test(size=SIZE) as pilot:
        await do(pilot, "3206", ("880003",))
        await open_code(pilot, "3203")
        await press(pilot, "f4")
        dialog = pilot.app.screen
        assert isinstance(dialog, LookupDialog)
        table = dialog.query_one("#lookup-table")
        rows = [[str(c) for c in table.get_row_at(i)[:2]] for i in range(table.row_count)]
        assert rows[:5] == [["1", "880003001"], ["2", "88000300101"], ["3", "88000300102"], ["4", "88000300103"], ["5", "88000300104"]]
        await press(pilot, "down", "enter")
        assert field(pilot.app, "from").value == "88000300101"


async def test_enter_typed_right_after_f4_takes_the_first_row(engine):
    """The list opens from a store worker: the Enter typed behind F4 waits for it (typeahead.py)."""
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await do(pilot, "3206", ("880003",))
        await open_code(pilot, "3203")
        from textual import events

        for key in ("f4", "enter"):  # at once, as a terminal sends them: the list is not open yet
            pilot.app.post_message(events.Key(key, "\r" if key == "enter" else None))
        await press(pilot)
        assert field(pilot.app, "from").value == "880003001"


async def test_1102_opened_with_the_current_client_says_what_came_not_that_nothing_changes(engine):
    # Seen by the screens helper in tmux: 1102 with the current client filled in at once said
    # `注意：按现在的内容提交将被拒绝 [BAD_INPUT] … 没有要变更的内容` over `已带出当前客户`: every other
    # field is optional, so the preview ran before the teller had typed anything.
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await do(pilot, "3206", ("880002",))
        await open_code(pilot, "1102")
        await settle(pilot)
        assert "已带出当前客户 880002 李四" in message(pilot.app), message(pilot.app)
        assert "BAD_INPUT" not in message(pilot.app)
        await press(pilot, "f8")  # F8 still says it, with the rule
        assert "BAD_INPUT" in message(pilot.app) or "没有要变更" in message(pilot.app), message(pilot.app)


async def test_the_current_client_stands_after_the_date_and_before_the_teller(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await do(pilot, "3206", ("880002",))
        line = status(pilot.app)
        assert line.index("营业日") < line.index("当前客户 880002 李四") < line.index("T01"), line
