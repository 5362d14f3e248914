"""The confirmation's content, from a real preview: balances before -> after for every account the
call touches, the accounts whose role changes, and the papers with the accounts they are filed under."""

from __future__ import annotations

import io

from rich.console import Console

from screenkit import call, demo_template, engine  # noqa: F401  (fixtures)
from teller.domain import papers as P
from teller.screens.effect import effect_parts
from teller.services import reads
from teller.services.base import Context
from teller.services.counter import Counter


def shown(engine, op: str, params: dict, documents=None, customer: str = "880002") -> str:  # noqa: ANN001
    """The confirmation's text, 100 columns without colour, for a preview of `op` at T01's counter."""
    before = reads.client(engine, customer)["accounts"]
    o = Counter(engine).preview(op, params, Context(teller_id="T01", documents=documents))
    assert o.ok, o.message
    console = Console(width=100, file=io.StringIO(), record=True, color_system=None)
    for part in effect_parts(before, o.data, o.message):
        console.print(part)
    return console.export_text()


def test_collection_shows_every_aux_emptied_into_the_main(engine):
    text = shown(engine, "collect", {"customer": "880002"}, frozenset({P.TRANSFER_FORM}))
    assert "1,000.00 → 6,000.00" in text
    assert "2,000.00 → 0.00" in text and "3,000.00 → 0.00" in text
    assert P.TRANSFER_FORM in text and "880002001" in text


def test_changing_the_main_shows_both_roles_and_where_the_form_is_filed(engine):
    text = shown(engine, "set_main", {"customer": "880002", "account": "88000200101"}, frozenset({P.CHANGE_MAIN_FORM}))
    assert "88000200101 角色：辅 → 主" in text and "880002001 角色：主 → 辅" in text
    assert "880002001、88000200101" in text  # 变更主资金账户申请表 under the old and the new main


def test_nothing_is_written_by_the_preview(engine):
    shown(engine, "collect", {"customer": "880002"}, frozenset({P.TRANSFER_FORM}))
    assert reads.client(engine, "880002")["accounts"][0]["cash"] == "1000.00"
    assert call(engine, "archive", customer="880002").data["documents"] == []


def test_a_flag_change_waiting_for_approval_shows_what_approval_will_change(engine):
    text = shown(engine, "maintain_multibank", {"account": "88000200101", "action": "set_flag", "flag": "0",
                                                "instruction": "运营[2026]9号"})
    assert "批准后生效" in text and "88000200101 划转标志：1--开 → 0--关" in text
    assert "运营[2026]9号" in text and "资金账户没有变化" not in text


def test_a_key_information_change_shows_old_and_new(engine):
    text = shown(engine, "change_key_info", {"customer": "880002", "name": "李肆"})
    assert "880002 客户名称：李四 → 李肆" in text


def test_a_bank_transfer_shows_the_request_and_its_amount(engine):
    text = shown(engine, "bank_transfer", {"account": "880002001", "direction": "out", "amount": "1000"})
    assert "工商银行 银行请求号：" in text and "工商银行 请求金额：1,000.00" in text


# Issue 10 item 6: the confirmations of 2101/4102 (links moved), 3102 (the account closed) and 3205
# (the request sent) say the change, not 资金账户没有变化.
def test_moving_a_shareholder_or_fund_account_shows_the_link_before_and_after(engine):
    text = shown(engine, "maintain_shareholder", {"shareholder_account": "A000880006", "fund_account": "88000600101"}, customer="880006")
    assert "A000880006 对应资金账号：880006001 → 88000600101" in text and "资金账户没有变化" not in text, text
    text = shown(engine, "set_default_asset_account", {"of_account": "F00000006", "fund_account": "88000600101"}, customer="880006")
    assert "F00000006 对应资金账号：880006001 → 88000600101" in text and "资金账户没有变化" not in text, text


def test_closing_a_fund_account_shows_it_closed(engine):
    ctx = Context(teller_id="T01", documents=None)
    c = Counter(engine)
    assert c.run("capitalize_interest", {"account": "88000500102"}, ctx).ok
    assert c.run("ledger_transfer", {"from": "88000500102", "to": "880005001", "amount": "703.50", "channel": "counter"}, ctx).ok
    assert c.run("end_of_day", {}, Context(teller_id="S01", documents=None)).ok
    assert c.run("maintain_multibank", {"account": "88000500102", "action": "delete"}, ctx).ok
    assert c.run("terminate_custody", {"account": "88000500102"}, ctx).ok
    text = shown(engine, "close_asset_account", {"account": "88000500102"}, None, customer="880005")
    assert "88000500102 账户状态：正常 → 已销户" in text, text


def test_sending_key_information_shows_the_request_sent(engine):
    ctx = Context(teller_id="T01", documents=None)
    c = Counter(engine)
    o = c.run("change_key_info", {"customer": "880002", "name": "李肆"}, ctx)
    assert c.run("review", {"approve": o.data["review_id"]}, Context(teller_id="S01", documents=None)).ok
    text = shown(engine, "send_bank_update", {"customer": "880002", "bank": "工商银行"}, customer="880002")
    assert "工商银行 银行请求号：" in text and "资金账户没有变化" not in text, text
