"""Small defects of the counter's screens, each seen in tmux at 80x24 (issue 10 item 8): an input
field visible without colour, the quit dialog's key legend, F12 clearing a form to as it opens (the current client
filled in again), an amount never parted from its unit in a confirmation or a message, a long choice hint
(1102's ID types) in two lines at 80x24, a question's keys saying what they do."""

from __future__ import annotations

import pytest
from screenkit import SIZE, app_for, demo_template, do, engine, fill, message, open_code, press, screen_text, tick  # noqa: F401

from teller.domain import papers as P
from teller.screens import fmt

def _cells(app, widget) -> list:  # noqa: ANN001
    """The segments the screen draws over the widget's first line, cut to its width."""
    region = widget.region
    line = app.screen._compositor.render_strips()[region.y]
    return list(line.crop(region.x, region.x + region.width))


@pytest.mark.asyncio
async def test_without_colour_every_input_field_is_underlined_over_its_whole_width(engine, monkeypatch):
    """NO_COLOR: Textual draws in greys and a field's shade was all but black, so an empty field
    showed nothing at all; now each field is underlined from edge to edge, the one with the cursor
    (empty or not) too."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(engine)
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await open_code(pilot, "3203")
        await fill(pilot, "880003001")
        view = app.screen.view
        for name in ("from", "to", "amount"):  # typed, empty with the cursor, empty
            box = view.input_of(name)
            cells = _cells(app, box)
            assert sum(len(s.text) for s in cells) == box.region.width == 24
            assert all(s.style is not None and s.style.underline for s in cells), (name, cells)
        assert app.focused is view.input_of("to")
        assert all(s.style.bold for s in _cells(app, view.input_of("to")))  # and the cursor's field is bold
        code = app.screen.query_one("#code")
        assert all(s.style is not None and s.style.underline for s in _cells(app, code))


@pytest.mark.asyncio
async def test_the_quit_dialogs_key_legend_says_what_its_keys_do_there(engine):
    """Ctrl+Q on a filled form asks; its bottom line said `F8 提交  F12 取消`, but F8 closes the
    program there and F12 goes back to the form."""
    from teller.screens.counter import QuitDialog
    from teller.screens.legend import KeyLegend

    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "880003001")
        await press(pilot, "ctrl+q")
        assert isinstance(pilot.app.screen, QuitDialog)
        await pilot.pause()
        legend = str(pilot.app.screen.query_one(KeyLegend).render())
        assert "F8 关闭程序" in legend and "F12 返回" in legend, legend
        assert "提交" not in legend and "取消" not in legend, legend
        await press(pilot, "f12")
        assert pilot.app.is_running and pilot.app.screen.view.input_of("from").value == "880003001"


@pytest.mark.asyncio
async def test_f12_clears_the_form_to_as_it_opened_the_current_client_filled_in_again(engine):
    """F12 cleared the current client's code with the rest (and its panel with it): the teller had
    to retype the client the form had opened with. F9 is the key that clears the current client."""
    async with app_for(engine).run_test(size=SIZE) as pilot:
        await do(pilot, "3206", ("880003",))
        await open_code(pilot, "1102")
        view = pilot.app.screen.view
        assert view.input_of("customer").value == "880003"
        assert pilot.app.screen.focused is view.input_of("name")
        await fill(pilot, "王六")  # the name changed, then thought better of
        assert view.input_of("name").value == "王六"
        await press(pilot, "f12")
        assert view.input_of("customer").value == "880003"
        assert view.input_of("name").value == ""
        assert pilot.app.screen.focused is view.input_of("name")
        assert "客户 880003 王五" in screen_text(pilot.app)  # its panel, read again
        await open_code(pilot, "3105")  # a form naming its client by accounts: the panel and its row numbers
        view = pilot.app.screen.view
        await fill(pilot, "1")
        assert view.input_of("account").value == "880003001"
        await press(pilot, "f12")
        assert view.input_of("account").value == ""
        assert "已清空" in message(pilot.app) and "当前客户 880003 王五" in message(pilot.app), message(pilot.app)
        assert "客户 880003 王五" in screen_text(pilot.app)
        await fill(pilot, "2")  # the row number still takes
        assert view.input_of("account").value == "88000300101"
        await press(pilot, "f9", "f12")  # with the current client cleared, F12 clears everything
        assert "当前客户" not in message(pilot.app)
        assert "客户 880003" not in screen_text(pilot.app)


def _lines(app) -> list[str]:  # noqa: ANN001
    """The screen as drawn, line by line (a wide character's second cell is in its segment)."""
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("text", [
    "✔ 880003001 → 88000300101 划转 500.00 元成功；转入资金当日可用于交易，次一交易日方可转出（流水号 61）",
    "✔ 银行转证券 1,000.00 元成功，资金账户 880003001 余额 121,000.00 元（流水号 7）",
    "✔ Transferred CNY 1,500.00 from 880003001 to 88000300101; the money can be used for trading today",
])
def test_wrap_never_parts_an_amount_from_its_unit(text):
    amounts = [a for a in ("500.00 元", "1,000.00 元", "121,000.00 元", "CNY 1,500.00") if a in text]
    for width in range(16, 100):
        lines = fmt.wrap(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), (width, lines)  # nothing lost
        for a in amounts:
            assert any(a in line for line in lines), (width, a, lines)


@pytest.mark.asyncio
async def test_the_3203_confirmation_at_80_columns_keeps_the_amount_with_its_unit(engine):
    """At 80x24 the confirmation read `… 划转 500.00` / `元成功；…`: Rich broke its lines at any space."""
    async with app_for(engine).run_test(size=(80, 24)) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "880003001", "88000300101", "500", "", "")
        await tick(pilot, P.TRANSFER_FORM)
        await press(pilot, "f8")
        from teller.screens.dialogs import ConfirmDialog

        assert isinstance(pilot.app.screen, ConfirmDialog)
        drawn = _lines(pilot.app)
        assert any("500.00 元成功" in line for line in drawn), [line for line in drawn if "500" in line]
        assert not any(line.rstrip(" ┃").endswith("划转 500.00") for line in drawn), "\n".join(drawn)


@pytest.fixture(params=["zh_CN", "en"])
def lang(request):  # noqa: ANN001, ANN201
    from teller.i18n import set_language

    set_language(request.param)
    yield request.param
    set_language("zh_CN")


@pytest.mark.asyncio
@pytest.mark.parametrize("code", ["1101", "1102"])
async def test_the_id_type_hint_takes_two_lines_at_80x24_none_of_its_options_broken(engine, lang, code):
    """At 80x24 1102's 证件类型 hint took four lines in Chinese and eight in English (`3-Passport
    4-Mainland Travel` / `Permit for Hong Kong and Macao` …): the short names, each whole."""
    from teller.forms.catalog import form_for

    field = next(f for f in form_for(code).all_fields() if f.name == "id_type")
    async with app_for(engine).run_test(size=(80, 24)) as pilot:
        await open_code(pilot, code)
        row = pilot.app.screen.view.row_of("id_type")
        assert row.size.height <= 2, row.size
        hint = row.query_one(".field-hint")
        r = hint.region
        strips = pilot.app.screen._compositor.render_strips()[r.y:r.y + r.height]
        drawn = ["".join(seg.text for seg in strip.crop(r.x, r.x + r.width)) for strip in strips]
        options = field.choice_options(short=True)
        for option in options:  # every option, each whole on one line
            assert any(option in line for line in drawn), (option, drawn)
        assert len(set(options)) == 6


@pytest.mark.asyncio
async def test_the_sign_off_question_says_what_its_keys_do(engine):
    """F3 on the menu asks whether to sign off; its legend said `F8 提交  F12 取消` and its key line
    `回车或 F8 确认提交，F12 或 Esc 返回修改`: nothing is submitted there, nothing edited."""
    from teller.screens.dialogs import ConfirmDialog
    from teller.screens.legend import KeyLegend

    async with app_for(engine).run_test(size=(80, 24)) as pilot:
        await press(pilot, "f3")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        await pilot.pause()
        legend = str(dialog.query_one(KeyLegend).render())
        assert "F8 确定" in legend and "F12 返回" in legend, legend
        assert "提交" not in legend and "取消" not in legend, legend
        keys = str(dialog.query_one(".dialog-keys").render())
        assert "提交" not in keys and "修改" not in keys, keys
        await press(pilot, "f12")
        assert pilot.app.screen is not dialog and pilot.app.signed_on.teller_id == "T01"  # still signed on


@pytest.mark.asyncio
async def test_a_refusal_warning_is_taken_back_once_the_field_it_named_is_filled(engine):
    """3201 closing every flag: the preview said 指令号 must be filled; the teller typed it and pressed
    F8, and the confirmation opened over a message line still saying it was missing."""
    from screenkit import type_in

    from teller.screens.dialogs import ConfirmDialog

    async with app_for(engine).run_test(size=(80, 24)) as pilot:
        await open_code(pilot, "3201")
        await fill(pilot, "880002001", "4", "0")
        assert "[BAD_INPUT]" in message(pilot.app) and "指令号" in message(pilot.app), message(pilot.app)
        await type_in(pilot, "YY-2026-118")
        assert "[BAD_INPUT]" not in message(pilot.app), message(pilot.app)  # said for an empty 指令号
        await press(pilot, "f8")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert "指令号：必须填写" not in screen_text(pilot.app)


@pytest.mark.asyncio
async def test_a_warning_no_amount_avoids_stays_while_the_amount_is_typed(engine):
    from screenkit import type_in

    async with app_for(engine).run_test(size=SIZE) as pilot:
        await open_code(pilot, "3203")
        await fill(pilot, "88000200101", "3")  # aux → aux: said before the amount
        assert "[AUX_TO_AUX]" in message(pilot.app), message(pilot.app)
        await type_in(pilot, "100")
        assert "[AUX_TO_AUX]" in message(pilot.app), message(pilot.app)  # it rests on the accounts only
        await press(pilot, "backspace", "backspace", "backspace", "up")
        await type_in(pilot, "1")  # 转入 typed over: the accounts it rested on changed
        assert "[AUX_TO_AUX]" not in message(pilot.app), message(pilot.app)
