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


def shown(engine, op: str, params: dict, documents=None) -> str:  # noqa: ANN001
    before = reads.client(engine, "880002")["accounts"]
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
