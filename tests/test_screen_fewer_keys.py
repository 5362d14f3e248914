"""The counter's own cuts in keys (issue 10 "Keys", README "Keys per procedure"): what a trained
teller no longer has to type, each tried at the keyboard as the teller would."""

from __future__ import annotations

from decimal import Decimal

import pytest

from screenkit import SIZE, accounts, app_for, demo_template, engine, fill, message, open_code, press, type_in  # noqa: F401
from teller.screens.dialogs import ConfirmDialog


async def commit_a_3105(pilot) -> None:  # noqa: ANN001
    """880001's bank → securities 100.00, F8, Enter on the confirmation: committed."""
    await open_code(pilot, "3105")
    await fill(pilot, "880001001", "1")
    await type_in(pilot, "100")
    await press(pilot, "f8")
    assert isinstance(pilot.app.screen, ConfirmDialog)
    await press(pilot, "enter")
    assert message(pilot.app).startswith("✔")


@pytest.mark.asyncio
async def test_after_a_commit_the_cursor_is_on_the_code_line_and_the_next_code_types_over(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await commit_a_3105(pilot)
        code = pilot.app.screen.query_one("#code")
        assert pilot.app.screen.focused is code and code.selected_text == "3105"
        await type_in(pilot, "3203")  # no F2: the code types over the last one
        await press(pilot, "enter")
        assert pilot.app.screen.view.code == "3203"
        assert pilot.app.screen.focused.id == "f-from"
    assert accounts(engine, "880001")["880001001"]["cash"] == "50100.00"


@pytest.mark.asyncio
async def test_enter_on_the_code_line_after_a_commit_opens_the_same_function_again_empty(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await commit_a_3105(pilot)
        await press(pilot, "enter")
        view = pilot.app.screen.view
        assert view.code == "3105" and view.input_of("amount").value == ""
        assert pilot.app.screen.focused is view.input_of("account")


def journal_lines(engine) -> int:  # noqa: ANN001
    from sqlmodel import Session, func, select

    from teller.store.models import Journal

    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Journal)).one()


@pytest.mark.asyncio
async def test_f8_from_a_field_with_a_paper_unticked_goes_to_that_paper_and_sends_nothing(engine):
    from teller.domain import papers as P
    from teller.screens.papers_panel import PapersList

    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "880002001")
        await type_in(pilot, "500")
        before = journal_lines(engine)
        await press(pilot, "f8")  # from the amount: the 划转申请表 is not ticked
        papers = pilot.app.screen.query_one(PapersList)
        assert not isinstance(pilot.app.screen, ConfirmDialog)
        assert pilot.app.screen.focused is papers and papers.papers[papers.highlighted] == P.TRANSFER_FORM
        assert "单客户多银行服务资金划转申请表" in message(pilot.app) and "✘" not in message(pilot.app), message(pilot.app)
        assert journal_lines(engine) == before  # nothing sent: no refusal journaled
        await press(pilot, "space", "f8")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await press(pilot, "enter")
        assert message(pilot.app).startswith("✔")
    assert accounts(engine, "880002")["880002001"]["cash"] == "1500.00"


@pytest.mark.asyncio
async def test_f8_on_the_papers_with_one_unticked_is_refused_and_journaled(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "880002001", "500", "", "")  # Enter to the papers
        before = journal_lines(engine)
        await press(pilot, "f8")
        assert message(pilot.app).startswith("✘ [DOC_MISSING]"), message(pilot.app)
        assert journal_lines(engine) == before + 1


@pytest.mark.asyncio
async def test_aux_to_aux_is_said_as_soon_as_both_accounts_are_known(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "3")  # the other aux, by its row in the client panel
        view = pilot.app.screen.view
        assert view.input_of("to").value == "88000200102" and view.input_of("amount").value == ""
        assert "[AUX_TO_AUX]" in message(pilot.app), message(pilot.app)


@pytest.mark.asyncio
async def test_before_the_amount_nothing_is_said_about_how_much(engine):
    """Aux → main with the amount still to type: the probe's cent says nothing (the amount decides
    whether it may leave), and nothing is journaled."""
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        before = journal_lines(engine)
        await fill(pilot, "88000200101", "1")
        assert "注意" not in message(pilot.app) and "✘" not in message(pilot.app), message(pilot.app)
        assert journal_lines(engine) == before


@pytest.mark.asyncio
async def test_the_papers_keep_the_cursor_on_its_paper_when_what_is_required_changes(engine):
    """3201 delete, F8 straight from the action typed: the cursor goes to the 销户申请表, and stays
    on it when the list is redrawn with the required papers first (the action accepted)."""
    from teller.domain import papers as P
    from teller.screens.papers_panel import PapersList

    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3201")
        await fill(pilot, "88000500101")
        await type_in(pilot, "2")
        await press(pilot, "f8")
        papers = pilot.app.screen.query_one(PapersList)
        assert papers.papers[:2] == [P.CLOSE_FORM, P.INTEREST_SLIP], papers.papers
        assert papers.papers[papers.highlighted] == P.CLOSE_FORM
        await press(pilot, "space", "down", "space")
        assert set(papers.selected) == {P.CLOSE_FORM, P.INTEREST_SLIP}
        await press(pilot, "f8")
        assert isinstance(pilot.app.screen, ConfirmDialog)


@pytest.mark.asyncio
async def test_the_next_step_a_result_names_is_offered_on_the_code_line(engine):
    """3201 deleting an aux says 下一步 3104: the code line holds 3104, selected, its title said
    beside it; Enter opens it. Another code typed replaces it and the title is the open one's."""
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3201")
        await fill(pilot, "88000500101")
        await type_in(pilot, "2")
        await press(pilot, "f8", "space", "down", "space", "f8", "enter")
        assert message(pilot.app).startswith("✔"), message(pilot.app)
        screen = pilot.app.screen
        code = screen.query_one("#code")
        assert screen.focused is code and code.value == "3104" and code.selected_text == "3104"
        assert "下一步" in str(screen.query_one("#fn-title").render())
        await press(pilot, "enter")
        assert screen.view.code == "3104"
        assert "下一步" not in str(screen.query_one("#fn-title").render())


@pytest.mark.asyncio
async def test_a_code_typed_over_the_next_step_opens_that_code(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3101")
        await fill(pilot, "880001", "CCB")
        await press(pilot, "f8", "space", "f8", "enter")
        screen = pilot.app.screen
        assert screen.query_one("#code").value == "3103"  # 下一步 3103 签三方存管
        await type_in(pilot, "3206")
        assert "下一步" not in str(screen.query_one("#fn-title").render())
        await press(pilot, "enter")
        assert screen.view.code == "3206"


@pytest.mark.asyncio
async def test_a_key_information_change_authorised_at_the_terminal_offers_3205(engine):
    from screenkit import submit

    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "1102")
        await fill(pilot, "880002")
        await type_in(pilot, "李肆")
        await press(pilot, "f8", "space")
        said = await submit(pilot, authorise=("S01", "s01pass"))
        assert "S01" in said and said.startswith("✔"), said
        code = pilot.app.screen.query_one("#code")
        assert pilot.app.screen.focused is code and code.value == "3205" and code.selected_text == "3205"


@pytest.mark.asyncio
async def test_3203_from_an_aux_fills_in_the_main_selected(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101")
        view = pilot.app.screen.view
        to = view.input_of("to")
        assert pilot.app.screen.focused is to and to.value == "880002001" and to.selected_text == "880002001"
        assert "880002001" in message(pilot.app)
        await press(pilot, "enter")  # takes it
        assert pilot.app.screen.focused is view.input_of("amount")


@pytest.mark.asyncio
async def test_a_key_typed_over_the_filled_main_replaces_it(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "3")  # the other aux, by its row: typed over the main
        assert pilot.app.screen.view.input_of("to").value == "88000200102"
        assert "[AUX_TO_AUX]" in message(pilot.app)


@pytest.mark.asyncio
async def test_3203_from_the_main_fills_in_nothing(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "880002001")
        assert pilot.app.screen.view.input_of("to").value == ""


@pytest.mark.asyncio
@pytest.mark.parametrize("code,client", [("3206", "880002"), ("1103", "880002"), ("6102", "880002001")])
async def test_after_a_query_read_only_the_cursor_is_on_the_code_line(engine, code, client):
    """3206 left the cursor in its result table, so the next code needed F2 first."""
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, code)
        await fill(pilot, client)  # Enter on the last field runs the query
        assert message(pilot.app).startswith("查询完成"), message(pilot.app)
        screen = pilot.app.screen
        box = screen.query_one("#code")
        assert screen.focused is box and box.selected_text == code
        await type_in(pilot, "3203")  # no F2: the code types over the query's
        await press(pilot, "enter")
        assert screen.view.code == "3203" and screen.focused.id == "f-from"


@pytest.mark.asyncio
async def test_a_query_list_with_journal_numbers_keeps_the_cursor_for_f6(engine):
    from screenkit import call

    from teller.domain import papers as P

    assert call(engine, "ledger_transfer", documents=[P.TRANSFER_FORM], **{"from": "88000200101", "to": "880002001", "amount": "100"}).ok
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "6103")
        await fill(pilot, "880002")
        assert pilot.app.screen.focused.id == "result-0"  # ↑ ↓ pick the line F6 prints


@pytest.mark.asyncio
async def test_7102_listing_alerts_puts_the_cursor_on_the_alert_number(engine):
    from screenkit import call

    assert call(engine, "ledger_transfer", documents=None, **{"from": "880008001", "to": "88000800101", "amount": "2000000"}).ok
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "7102")
        await fill(pilot, "880008")
        await press(pilot, "f8")
        view = pilot.app.screen.view
        assert view.query_one("#result-0").row_count == 1
        assert pilot.app.screen.focused is view.input_of("alert")
        await fill(pilot, "1", "1")  # review it: done, the cursor on the code line as after a commit
        assert message(pilot.app).startswith("✔"), message(pilot.app)
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#code")

async def commit_a_3203(pilot, source: str, target: str | None, amount: str) -> None:  # noqa: ANN001
    """880002's 3203 from `source` (to `target`, or the main filled in), its paper ticked, committed."""
    await open_code(pilot, "3203")
    await fill(pilot, source, *([target] if target else []))
    if target is None:
        await press(pilot, "enter")  # takes the main filled in
    await type_in(pilot, amount)
    await press(pilot, "f8", "space", "f8", "enter")
    assert message(pilot.app).startswith("✔"), message(pilot.app)


@pytest.mark.asyncio
async def test_a_3203_into_the_main_offers_3105_opened_on_that_main(engine):
    """aux → main done: 3105 is offered on the code line; Enter opens it with the main filled in,
    said on the message line, the cursor on 转账方向 (the first field left to type)."""
    before = accounts(engine, "880002")
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await commit_a_3203(pilot, "88000200101", None, "1000")
        screen = pilot.app.screen
        code = screen.query_one("#code")
        assert screen.focused is code and code.value == "3105" and code.selected_text == "3105"
        assert "下一步" in str(screen.query_one("#fn-title").render())
        await press(pilot, "enter")
        view = screen.view
        assert view.code == "3105" and view.input_of("account").value == "880002001"
        assert "880002001" in message(pilot.app) and "已带出" in message(pilot.app), message(pilot.app)
        assert screen.focused is view.input_of("direction")
        await type_in(pilot, "2")
        await press(pilot, "enter")
        await type_in(pilot, "1000")
        await press(pilot, "f8", "enter")
        assert message(pilot.app).startswith("✔"), message(pilot.app)
    after = accounts(engine, "880002")  # 1000 in from the aux, 1000 out to the main's bank
    assert after["880002001"]["cash"] == before["880002001"]["cash"]
    assert Decimal(after["88000200101"]["cash"]) == Decimal(before["88000200101"]["cash"]) - 1000


@pytest.mark.asyncio
async def test_the_offered_3105_with_another_code_typed_over_it_carries_nothing(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await commit_a_3203(pilot, "88000200101", None, "1000")
        await type_in(pilot, "3105")  # typed, not the offer taken: opens empty as ever
        await press(pilot, "enter")
        view = pilot.app.screen.view
        assert view.code == "3105" and view.input_of("account").value == ""
        assert "已带出" not in message(pilot.app)


@pytest.mark.asyncio
async def test_a_3203_out_of_the_main_offers_no_3105(engine):
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await commit_a_3203(pilot, "880002001", "2", "100")
        code = pilot.app.screen.query_one("#code")
        assert code.value == "3203" and "下一步" not in str(pilot.app.screen.query_one("#fn-title").render())


def test_3105_is_offered_only_after_money_went_into_a_main_that_may_send_some_to_its_bank():
    from teller.forms.catalog import form_for

    then = form_for("3203").then
    main = {"no": "880002001", "role": "main", "withdrawable": "50.00"}
    assert then({}, {"to": main}) == ("3105", {"account": ("880002001", "主资金账户的可取资金可转到其存管银行")})
    assert then({}, {"to": main | {"withdrawable": "0.00"}}) is None  # all it holds arrived today: nothing may leave
    assert then({}, {"to": {"no": "88000200101", "role": "aux", "withdrawable": "900.00"}}) is None
