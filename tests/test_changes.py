"""Issue 10, item 6: every preview and committed result carries what it changes, before -> after
(teller.services.changes), read from the function's own transaction."""

from __future__ import annotations

import pytest
from svc import ALL, branch, call

from teller.i18n import set_language
from teller.services import changes as CH
from teller.services.base import Context


def lines_of(outcome, key="changes"):
    return [(c.what, c.field, c.before, c.after) for c in CH.of_data(outcome.data, key)]


def preview(c, op, teller="T00", **params):
    return c.preview(op, params, Context(teller_id=teller, documents=ALL))


CLOSABLE = """
[[accounts]]
no = "880002009"
customer = "880002"
bank = "建设银行"
custody = "terminated"
"""


def test_a_link_moved_shows_from_and_to_in_preview_and_commit():
    c = branch()
    for run in (preview, call):
        o = run(c, "maintain_shareholder", shareholder_account="A000880001", fund_account="88000100101")
        assert o.ok, o.message
        assert ("A000880001", "link", "880001001", "88000100101") in lines_of(o)
    o = call(c, "set_default_asset_account", of_account="F00000001", fund_account="88000100101")
    assert lines_of(o) == [("F00000001", "link", "880001001", "88000100101")]


def test_a_flag_a_role_and_a_closed_account():
    c = branch()
    o = call(c, "maintain_multibank", account="88000100102", action="set_flag", flag=0, instruction="运营[2026]9号")
    assert o.data["status"] == "pending_review" and lines_of(o) == []  # nothing changed yet
    o = call(c, "maintain_multibank", account="88000100102", action="set_flag", flag=1)
    assert ("88000100102", "transfer_flag", "1", "1") not in lines_of(o)  # no change, no line
    o = call(c, "set_main", customer="880002", account="880002002")
    assert o.ok, o.message
    assert {("880002001", "role", "main", "aux"), ("880002002", "role", "aux", "main")} <= set(lines_of(o))
    c = branch(CLOSABLE)
    o = call(c, "close_asset_account", account="880002009")
    assert o.ok, o.message
    assert ("880002009", "status", "open", "closed") in lines_of(o)


def test_a_waiting_request_previews_what_its_approval_would_change():
    c = branch()
    p = preview(c, "change_key_info", customer="880001", name="张叁", id_no="110101199003074477")
    assert p.ok and p.data["status"] == "pending_review"
    approval = lines_of(p, "on_approval")
    assert ("880001", "name", "张三", "张叁") in approval
    assert any(f == "id_no" and b != a for _w, f, b, a in approval)
    flag = preview(c, "maintain_multibank", account="88000100102", action="set_flag", flag=0, instruction="运营[2026]9号")
    assert lines_of(flag, "on_approval") == [("88000100102", "transfer_flag", "1", "0"),
                                             ("880001", "instruction", "", "运营[2026]9号")]
    # the preview of the approval rolled back like any preview
    assert call(c, "query_customer", customer="880001").data["name"] == "张三"


def test_the_approval_itself_carries_the_change():
    c = branch()
    o = call(c, "change_key_info", customer="880001", name="张叁")
    a = call(c, "review", teller="S01", approve=o.data["review_id"])
    assert a.ok, a.message
    assert ("880001", "name", "张三", "张叁") in lines_of(a)


def test_a_request_sent_to_a_bank_and_its_amount():
    c = branch()
    o = call(c, "bank_transfer", account="880001001", direction="out", amount="100.00")
    assert o.ok, o.message
    got = lines_of(o)
    assert ("工商银行", "request", "", str(o.data["request"])) in got
    assert ("工商银行", "amount", "", "100.00") in got
    assert ("880001001", "cash", "1000.00", "900.00") in got  # the bank's answer moved the money


def test_lines_are_worded_in_both_languages():
    ch = CH.Change("880001001", "transfer_flag", "1", "0")
    amount = CH.Change("工商银行", "amount", "", "12345.60")
    try:
        assert ch.text() == "880001001 划转标志：1--开 → 0--关"
        assert amount.text() == "工商银行 请求金额：12,345.60"
        set_language("en")
        assert "→" in ch.text() and "划转" not in ch.text()
        assert "12,345.60" in amount.text() and "ICBC" in amount.text()
    finally:
        set_language("zh_CN")


@pytest.mark.parametrize("op,params", [
    ("query", {"account": "880001001"}),
])
def test_a_query_changes_nothing(op, params):
    o = call(branch(), op, **params)
    assert o.ok and "changes" not in o.data


def test_the_8102_queue_names_function_client_accounts_change_and_instruction():
    c = branch()
    call(c, "change_key_info", customer="880002", name="李肆")
    for acct in ("880001001", "88000100101"):
        call(c, "maintain_multibank", account=acct, action="set_flag", flag=0, instruction="运营[2026]9号")
    rows = CH.review_queue(c)
    assert [r["function"] for r in rows] == ["1102 客户资料维护", "3201 单帐户多银行帐户维护", "3201 单帐户多银行帐户维护"]
    key, flag_main, flag_aux = rows
    assert key["customer"] == "880002" and key["change"] == "880002 客户名称：李四 → 李肆"
    assert flag_main["accounts"] == "880001001" and flag_aux["accounts"] == "88000100101"  # three requests no longer look alike
    assert "880001001 划转标志：1--开 → 0--关" in flag_main["change"] and flag_main["instruction"] == "运营[2026]9号"
    assert all("maintain_multibank" not in str(r["function"]) for r in rows)
    # listing previews nothing into the store
    assert call(c, "query_customer", customer="880002").data["name"] == "李四"
    assert call(c, "query", account="880001001").data["transfer_flag"] == 1


def test_the_same_change_on_every_account_is_said_once():
    c = branch()
    call(c, "maintain_multibank", customer="880001", action="set_flag_all", flag=0, instruction="运营[2026]9号")
    (row,) = CH.review_queue(c)
    assert row["change"] == "880001001、88000100101、88000100102 划转标志：1--开 → 0--关"
    assert row["instruction"] == "运营[2026]9号" and row["function"].startswith("3201 ")
