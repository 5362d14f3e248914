"""Compliance through the counter: 7101 warnings live and at day-end, AML alerts and their states,
major-matter notices kept 3 years, and the `alerts` scenario step (issue 5)."""

from __future__ import annotations

import io
import json

from conftest import build

from teller.runner import run_scenario_file
from teller.services.base import Context
from teller.store.db import unit_of_work
from teller.store.models import Setting

STATE = """
date = "2026-11-23"

[[tellers]]
id = "S01"
role = "supervisor"
[[tellers]]
id = "TR01"
role = "trainer"

[[customers]]
code = "880001"
name = "张三"
id_no = "11010519491231002X"

[[customers]]
code = "880004"
name = "示范科技有限公司"
kind = "institution"
id_type = "统一社会信用代码"
id_no = "91110000600037341L"

[[accounts]]
no = "880001001"
customer = "880001"
bank = "工商银行"
role = "main"
cash = "5000000.00"

[[accounts]]
no = "88000100101"
customer = "880001"
bank = "建设银行"
role = "aux"
cash = "5000000.00"

[[accounts]]
no = "880004001"
customer = "880004"
bank = "交通银行"
role = "main"
cash = "9000000.00"

[[accounts]]
no = "880004002"
customer = "880004"
bank = "兴业银行"
role = "aux"
cash = "9000000.00"
"""
MAIN, AUX = "880001001", "88000100101"


def counter(settings: str = ""):
    return build(STATE + (f"\n[settings]\n{settings}\n" if settings else ""))[0]


def run(c, op, teller="T00", **params):
    return c.run(op, params, Context(teller_id=teller, documents=None))


def transfer(c, amount="100.00", src=AUX, dst=MAIN):
    o = run(c, "ledger_transfer", **{"from": src, "to": dst, "amount": amount, "channel": "online"})
    assert o.ok, o.message
    return o


def withdraw(c, amount="100.00", account=MAIN):
    o = run(c, "bank_transfer", account=account, direction="out", amount=amount)
    assert o.ok, o.message  # an alert informs, it never refuses the movement
    return o


def pattern(c):
    """A withdrawal, then six transfers: the sixth completes the pattern; returns its alerts."""
    withdraw(c)
    for _ in range(5):
        assert "alerts_raised" not in transfer(c).data
    return transfer(c).data.get("alerts_raised", [])


def alerts(c, customer="880001", kind=None):
    o = run(c, "alerts", customer=customer)
    assert o.ok, o.message
    return [a for a in o.data["alerts"] if kind is None or a["kind"] == kind]


def set_business_date(c, day: str) -> None:
    """Time passing, as years of day-ends would leave it (test setup, not counter business)."""
    with unit_of_work(c.engine) as s:
        s.merge(Setting(key="business_date", value=day))


# --- 7101 -------------------------------------------------------------------------------------

def test_six_transfers_and_a_withdrawal_without_trade_raise_one_warning():
    c = counter()
    withdraw(c)
    for _ in range(5):
        assert "alerts_raised" not in transfer(c).data
    out = transfer(c)
    [raised] = out.data["alerts_raised"]
    assert raised["kind"] == "NON_TRADING_TRANSFER" and raised["transfers"] == 6 and raised["proposal"] == "educate"
    assert "7101" in out.message
    transfer(c)
    withdraw(c)  # the same pattern goes on: still one alert
    assert len(alerts(c, kind="NON_TRADING_TRANSFER")) == 1


def test_the_withdrawal_that_completes_the_pattern_raises_it_at_once():
    c = counter()
    for _ in range(6):
        transfer(c)
    withdraw(c)
    assert [a["kind"] for a in alerts(c)] == ["NON_TRADING_TRANSFER"], (
        "the live monitor must run where the bank_out movement is applied (monitors.watch)")


def test_a_trade_in_between_or_too_few_transfers_raise_nothing():
    c = counter()
    for _ in range(3):
        transfer(c)
    assert run(c, "order", account=MAIN, side="buy", amount="100.00").ok
    for _ in range(3):
        transfer(c)
    withdraw(c)
    assert alerts(c) == []
    c = counter()
    for _ in range(4):
        transfer(c)
    withdraw(c)
    assert alerts(c) == []


def test_second_consecutive_warning_closes_every_flag_after_approval_and_records_a_notice():
    c = counter()
    [first] = pattern(c)
    educated = c.run("handle_alert", {"alert": first["id"], "action": "educate"},
                     Context(documents=frozenset({"客户承诺书", "沟通记录"})))
    assert educated.ok, educated.message
    [second] = pattern(c)
    assert second["streak"] == 2 and second["proposal"] == "close_transfer"
    asked = run(c, "handle_alert", alert=second["id"], action="close_transfer", instruction="运营[2026]88号")
    assert asked.ok and asked.data["status"] == "pending_review"
    assert run(c, "query", account=MAIN).data["transfer_flag"] == 1  # nothing yet
    assert run(c, "review", approve=asked.data["review_id"]).rule == "FORBIDDEN"  # a teller does not approve
    approved = run(c, "review", teller="S00", approve=asked.data["review_id"])
    assert approved.ok, approved.message
    assert [run(c, "query", account=a).data["transfer_flag"] for a in (MAIN, AUX)] == [0, 0]
    [notice] = run(c, "notify", action="list", customer="880001").data["notices"]
    assert "运营[2026]88号" in notice["content"] and notice["kept_until"] == "2029-11-23"
    refused = c.run("ledger_transfer", {"from": AUX, "to": MAIN, "amount": "1.00", "channel": "online"}, Context())
    assert refused.rule == "TRANSFER_CLOSED"


def test_7101_refuses_the_action_that_does_not_fit_the_warning():
    c = counter()
    [first] = pattern(c)
    papers = Context(documents=frozenset({"客户承诺书", "沟通记录"}))
    closing = run(c, "handle_alert", alert=first["id"], action="close_transfer")
    assert closing.rule == "ALERT_ACTION" and "指令" in closing.message
    # with the operations department's instruction a first warning may be closed (it goes to review)
    ordered = run(c, "handle_alert", alert=first["id"], action="close_transfer", instruction="运营[2026]7号")
    assert ordered.ok and ordered.data["status"] == "pending_review"
    run(c, "review", teller="S00", approve="all")
    c = counter()
    [first] = pattern(c)
    assert c.run("handle_alert", {"alert": first["id"], "action": "educate"}, papers).ok
    [second] = pattern(c)
    again = c.run("handle_alert", {"alert": second["id"], "action": "educate"}, papers)
    assert again.rule == "ALERT_ACTION" and "第二次" in again.message
    assert run(c, "query", account=MAIN).data["transfer_flag"] == 1
    unnumbered = run(c, "handle_alert", alert=second["id"], action="close_transfer")
    assert unnumbered.rule == "BAD_INPUT" and "指令号" in unnumbered.message


def test_a_trade_between_two_warnings_starts_the_streak_again():
    c = counter()
    assert len(pattern(c)) == 1
    assert run(c, "order", account=MAIN, side="buy", amount="100.00").ok
    [second] = pattern(c)
    assert second["streak"] == 1 and second["proposal"] == "educate"


def test_day_end_batch_finds_what_a_changed_threshold_now_reveals():
    c = counter('warning_transfer_threshold = "10"')
    for _ in range(6):
        transfer(c)
    withdraw(c)
    assert alerts(c) == []
    with unit_of_work(c.engine) as s:
        s.merge(Setting(key="warning_transfer_threshold", value="5"))
    day_end = run(c, "end_of_day")
    assert day_end.ok, day_end.message
    [alert] = alerts(c)
    assert alert["kind"] == "NON_TRADING_TRANSFER" and alert["raised_by_journal"] == day_end.journal_id
    run(c, "end_of_day")
    assert len(alerts(c)) == 1  # the batch does not raise it again


# --- 7102 -------------------------------------------------------------------------------------

def test_natural_person_300k_and_250k_one_day_is_large_value_once():
    c = counter()
    transfer(c, "300000.00")
    assert alerts(c) == []
    raised = transfer(c, "250000.00").data["alerts_raised"]
    assert [(a["kind"], a["total"], a["single"]) for a in raised] == [("AML_LARGE", "550000.00", False)]
    transfer(c, "10000.00")
    [large] = alerts(c, kind="AML_LARGE")
    assert large["total"] == "560000.00" and large["count"] == 3  # the day's sum, one alert


def test_each_direction_is_summed_on_its_own():
    c = counter()
    transfer(c, "300000.00")
    transfer(c, "250000.00", src=MAIN, dst=AUX)
    assert alerts(c) == []


def test_institution_threshold_is_two_million():
    c = counter()
    transfer(c, "1500000.00", src="880004002", dst="880004001")
    assert alerts(c, "880004") == []
    assert run(c, "end_of_day").ok
    raised = transfer(c, "2000000.00", src="880004002", dst="880004001").data["alerts_raised"]
    assert [(a["kind"], a["single"], a["date"]) for a in raised] == [("AML_LARGE", True, "2026-11-24")]


def test_structuring_over_three_days_then_one_transfer_back():
    c = counter()
    for _ in range(3):
        assert "alerts_raised" not in transfer(c, "480000.00").data
        assert run(c, "end_of_day").ok
    raised = transfer(c, "1400000.00", src=MAIN, dst=AUX).data["alerts_raised"]
    suspicious = [a for a in raised if a["kind"] == "AML_SUSPICIOUS"]
    assert [(a["pattern"], a["scattered_count"]) for a in suspicious] == [("structuring", 3)]


def test_idle_account_with_frequent_large_transfers():
    c = counter('aml_idle_days = "1"')
    assert run(c, "end_of_day").ok  # the accounts are a day old: idle for this setting
    assert run(c, "order", account="880004001", side="buy", amount="100.00").ok  # 880004 traded today
    for _ in range(5):
        transfer(c, "100000.00")
        transfer(c, "100000.00", src="880004002", dst="880004001")
    assert [a["pattern"] for a in alerts(c, kind="AML_SUSPICIOUS")] == ["idle_frequent"]
    assert alerts(c, "880004", kind="AML_SUSPICIOUS") == []


def test_aml_alert_moves_through_its_states_by_the_right_people():
    c = counter()
    transfer(c, "500000.00")
    [alert] = alerts(c)
    aid = alert["id"]
    assert run(c, "alerts", teller="TR01", alert=aid, action="review").rule == "FORBIDDEN"
    assert run(c, "alerts", teller="TR01", customer="880001").ok  # a trainer may look
    assert run(c, "alerts", alert=aid, action="review").ok
    assert run(c, "alerts", alert=aid, action="report").rule == "FORBIDDEN"  # a supervisor's call
    assert run(c, "alerts", teller="S01", alert=aid, action="dismiss").rule == "BAD_INPUT"  # needs a reason
    done = run(c, "alerts", teller="S01", alert=aid, action="dismiss", reason="同名账户间调拨，已核实资金来源")
    assert done.ok, done.message
    [alert] = alerts(c)
    assert alert["state"] == "dismissed" and alert["note"] == "同名账户间调拨，已核实资金来源"
    assert [(h["to"], h["by"]) for h in alert["history"]] == [("under_review", "T00"), ("dismissed", "S01")]
    assert run(c, "alerts", teller="S01", alert=aid, action="report").rule == "BAD_INPUT"  # final


def test_7101_warnings_are_not_handled_in_7102():
    c = counter()
    aid = pattern(c)[0]["id"]
    o = run(c, "alerts", teller="S01", alert=aid, action="dismiss", reason="x")
    assert o.rule == "BAD_INPUT" and "7101" in o.message


# --- 7103 -------------------------------------------------------------------------------------

def test_notices_younger_than_three_years_cannot_be_deleted_or_purged():
    c = counter()
    old = run(c, "notify", customer="880001", content="规则变更告知", channel="sms").data["notice"]
    set_business_date(c, "2027-06-01")
    young = run(c, "notify", customer="880001", content="账户达到合规预警线").data["notice"]
    refused = run(c, "notify", teller="S01", action="delete", notice=old)
    assert refused.rule == "CLOSE_CONDITIONS" and "2029年11月23日" in refused.message
    set_business_date(c, "2029-11-23")
    assert run(c, "notify", action="delete", notice=old).rule == "FORBIDDEN"  # a teller never deletes
    assert run(c, "notify", teller="S01", action="delete", notice=young).rule == "CLOSE_CONDITIONS"
    purged = run(c, "notify", teller="S01", action="purge")
    assert purged.ok and purged.data["removed"] == [old]
    kept = run(c, "notify", action="list", customer="880001").data["notices"]
    assert [n["id"] for n in kept] == [young]


# --- scenario ---------------------------------------------------------------------------------

def test_alerts_scenario_step_returns_the_alerts_raised_so_far(tmp_path):
    transfer = f'\n[[steps]]\nop = "ledger_transfer"\nfrom = "{AUX}"\nto = "{MAIN}"\namount = "100.00"\nchannel = "online"\n'
    steps = f'\n[[steps]]\nop = "bank_transfer"\naccount = "{MAIN}"\ndirection = "out"\namount = "100.00"\nexpect = "ok"\n'
    steps += transfer * 5 + '\n[[steps]]\nop = "alerts"\ncustomer = "880001"\n'
    steps += transfer + '\n[[steps]]\nop = "alerts"\ncustomer = "880001"\n'
    f = tmp_path / "nt.toml"
    f.write_text(STATE + steps, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_scenario_file(f, None, out=out, err=err) == 0, err.getvalue()
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[6]["data"]["alerts"] == []
    assert [a["kind"] for a in lines[-1]["data"]["alerts"]] == ["NON_TRADING_TRANSFER"]
