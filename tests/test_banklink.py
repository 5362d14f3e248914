"""The bank link (issue 6): each fault the bank simulator can inject, in both directions, and how the
request ends after the teller's settlement or day-end's reconciliation: the broker side and the
bank side agree to the fen, and no transfer is applied twice."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import BASE, account, build
from ledgercheck import check_books, snapshot
from sqlmodel import select

from teller.scenario import ScenarioError, parse_scenario
from teller.services.base import Context
from teller.store.db import unit_of_work
from teller.store.models import BankLedger, BankRequest, FundAccount, Movement

ACCOUNTS = (BASE + account("880001001", "工商银行", "main", "1000.00", bank_balance="5000.00")
            + account("88000100101", "建设银行", "aux", "300.00"))


def counter(faults: str = ""):
    c = build(ACCOUNTS + faults)[0]
    return c, snapshot(c.engine)


def run(c, op, teller="T00", **params):
    return c.run(op, params, Context(teller_id=teller, documents=None))


def transfer(c, direction, amount="100.00", account="880001001"):
    return run(c, "bank_transfer", account=account, direction=direction, amount=amount)


def account(c, no="880001001") -> FundAccount:
    with unit_of_work(c.engine) as s:
        return s.get(FundAccount, no)


def request(c, rid) -> BankRequest:
    with unit_of_work(c.engine) as s:
        return s.get(BankRequest, rid)


def fault(kind: str, direction: str, **extra) -> str:
    lines = "".join(f"\n{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in extra.items())
    return f'\n[[bank_faults]]\nbank = "工商银行"\nfault = "{kind}"\nkind = "transfer_{direction}"{lines}\n'


@pytest.mark.parametrize("direction", ["in", "out"])
def test_a_plain_transfer_is_reported_then_answered_and_moves_once(direction):
    c, start = counter()
    o = transfer(c, direction)
    assert o.ok and o.data["state"] == "成功" and o.data["request"]
    r = request(c, o.data["request"])
    assert (r.state, r.attempts, r.applied_journal is not None) == ("成功", 1, True)
    cash = 1000_00 + (10000 if direction == "in" else -10000)
    assert account(c).cash == cash and account(c).frozen == 0
    check_books(c.engine, start, settled=True)


@pytest.mark.parametrize("direction", ["in", "out"])
def test_the_bank_fails_it_and_nothing_moves(direction):
    c, start = counter(fault("fail", direction))
    o = transfer(c, direction)
    assert not o.ok and o.data["state"] == "失败" and "未成功" in o.message and o.rule == "BANK_FAILED"
    assert account(c).cash == 1000_00 and account(c).frozen == 0
    check_books(c.engine, start, settled=True)
    assert transfer(c, direction).ok  # the fault was for one request only


def test_the_bank_refuses_a_transfer_in_beyond_the_clients_bank_balance():
    c, start = counter()
    with unit_of_work(c.engine) as s:  # the client spent at the bank after the counter's own check
        a = s.get(FundAccount, "880001001")
        a.bank_balance = a.opening_bank_balance = 50_00  # spent outside the link: the bank side starts again there
        s.add(a)
    start["880001001"] = (1000_00, 0, 50_00)
    o = transfer(c, "in", "40.00")
    assert o.ok
    o = transfer(c, "in", "20.00")
    assert o.rule == "INSUFFICIENT_FUNDS"  # refused by the counter's check before any request
    check_books(c.engine, start, settled=True)


@pytest.mark.parametrize("applies", [True, False])
@pytest.mark.parametrize("direction", ["in", "out"])
def test_a_timeout_keeps_the_money_frozen_and_day_end_settles_it_by_the_statement(direction, applies):
    c, start = counter(fault("timeout", direction, bank_applies=applies))
    o = transfer(c, direction)
    assert not o.ok and o.data["state"] == "超时" and "6101" in o.message and o.rule == "BANK_NO_ANSWER"
    a = account(c)
    assert a.cash == 1000_00 and a.frozen == (10000 if direction == "out" else 0)
    check_books(c.engine, start)
    assert run(c, "end_of_day").ok
    r = request(c, o.data["request"])
    assert r.state == ("调为成功" if applies else "调为失败") and r.detail == "日终对账"
    moved = 10000 if applies else 0
    assert account(c).cash == 1000_00 + (moved if direction == "in" else -moved) and account(c).frozen == 0
    check_books(c.engine, start, settled=True)


@pytest.mark.parametrize("direction", ["in", "out"])
def test_the_teller_settles_a_timeout_in_6101_only_with_a_supervisors_approval(direction):
    c, start = counter(fault("timeout", direction))
    rid = transfer(c, direction).data["request"]
    o = run(c, "settle_bank_request", request=rid, result="success")
    assert o.ok and o.data["status"] == "pending_review"
    assert request(c, rid).state == "超时"
    assert run(c, "review", teller="T00", approve=o.data["review_id"]).rule == "FORBIDDEN"
    done = run(c, "review", teller="S00", approve=o.data["review_id"])
    assert done.ok and request(c, rid).state == "调为成功"
    check_books(c.engine, start, settled=True)
    assert run(c, "settle_bank_request", request=rid, result="fail").rule == "BAD_INPUT"
    assert run(c, "end_of_day").ok
    check_books(c.engine, start, settled=True)


@pytest.mark.parametrize("direction", ["in", "out"])
def test_a_duplicate_answer_is_recorded_and_ignored(direction):
    c, start = counter(fault("duplicate", direction))
    o = transfer(c, direction)
    assert o.ok
    transfer(c, direction, "1.00")  # the next contact with the bank brings the second copy
    with unit_of_work(c.engine) as s:
        r = s.get(BankRequest, o.data["request"])
        assert r.state == "成功" and "已忽略" in r.detail
        assert len(s.exec(select(Movement).where(Movement.journal_id == r.applied_journal)).all()) == 1
    check_books(c.engine, start, settled=True)


@pytest.mark.parametrize("direction", ["in", "out"])
def test_a_late_answer_settles_the_timed_out_request_when_it_arrives(direction):
    c, start = counter(fault("late", direction))
    o = transfer(c, direction)
    assert o.data["state"] == "超时"
    assert transfer(c, direction, "1.00").ok  # the late answer arrives with the next contact
    assert request(c, o.data["request"]).state == "成功"
    check_books(c.engine, start, settled=True)
    assert run(c, "end_of_day").ok  # nothing left for reconciliation to change
    assert request(c, o.data["request"]).state == "成功"
    check_books(c.engine, start, settled=True)


@pytest.mark.parametrize("direction", ["in", "out"])
def test_a_retried_request_is_done_by_the_bank_once(direction):
    c, start = counter(fault("timeout", direction))
    rid = transfer(c, direction).data["request"]
    o = run(c, "resend_bank_request", request=rid)
    assert o.ok and o.data["state"] == "成功"
    with unit_of_work(c.engine) as s:
        assert len(s.exec(select(BankLedger).where(BankLedger.request_id == rid)).all()) == 1
        assert s.get(BankRequest, rid).attempts == 2
    check_books(c.engine, start, settled=True)
    assert run(c, "resend_bank_request", request=rid).rule == "BAD_INPUT"


def test_a_wrong_settlement_is_reversed_at_day_end_naming_the_line_it_reverses():
    c, start = counter(fault("timeout", "out", bank_applies=False))
    rid = transfer(c, "out").data["request"]
    review = run(c, "settle_bank_request", request=rid, result="success").data["review_id"]
    assert run(c, "review", teller="S00", approve=review).ok
    applied = request(c, rid).applied_journal
    assert account(c).cash == 900_00
    assert run(c, "end_of_day").ok
    r = request(c, rid)
    assert r.state == "调为失败" and str(applied) in r.detail
    with unit_of_work(c.engine) as s:
        reversal = s.exec(select(Movement).where(Movement.kind == "bank_out_reversal")).one()
    assert reversal.reverses == applied and reversal.amount == 100_00
    assert account(c).cash == 1000_00
    check_books(c.engine, start, settled=True)


def test_a_key_information_change_waits_for_the_banks_answer():
    c, _start = counter('\n[[bank_faults]]\nbank = "工商银行"\nfault = "timeout"\nkind = "key_update"\n')
    o = run(c, "change_key_info", customer="880001", name="张叁")
    assert run(c, "review", teller="S00", approve=o.data["review_id"]).ok
    sent = run(c, "send_bank_update", customer="880001", bank="工商银行")
    assert not sent.ok and sent.data["state"] == "超时"
    assert transfer(c, "in").rule == "KEY_INFO_PENDING"
    assert run(c, "end_of_day").ok  # the bank has it: reconciliation settles it 调为成功
    assert request(c, sent.data["request"]).state == "调为成功"
    assert transfer(c, "in").ok
    ok = run(c, "send_bank_update", customer="880001", bank="建设银行")
    assert ok.ok and ok.data["state"] == "成功" and ok.data["pending_banks"] == []


def test_a_teller_cannot_record_a_banks_answer():
    c, _start = counter(fault("timeout", "in"))
    rid = transfer(c, "in").data["request"]
    o = run(c, "bank_answer", request=rid, event="answer", result="成功")
    assert o.rule == "FORBIDDEN" and request(c, rid).state == "超时"


def test_bank_faults_are_checked_with_their_line_numbers():
    text = ACCOUNTS + '\n[[bank_faults]]\nbank = "火星银行"\nfault = "explode"\ntimes = 0\n'
    with pytest.raises(ScenarioError) as e:
        parse_scenario(text, "f.toml")
    line = len(ACCOUNTS.splitlines()) + 2
    problems = "\n".join(e.value.problems)
    assert f"第 {line + 1} 行" in problems and "bank" in problems
    assert "fault" in problems and "times" in problems


def test_the_bank_takes_nothing_for_a_closed_business_date():
    from teller.services import banksim

    c, start = counter()
    assert run(c, "end_of_day").ok
    m = banksim.Message(serial=999, bank="工商银行", kind="transfer_out", customer_code="880001",
                        fund_account="880001001", amount=100, business_date=date(2026, 11, 23))
    answer = banksim.simulator("工商银行").receive(c.engine, m)
    assert answer.result == "失败" and "日切" in answer.reason
    check_books(c.engine, start, settled=True)


# --- issue 11, hole 3: a bank answer comes only from the link ------------------------------------------
FORGED = """
[[steps]]
op = "bank_transfer"
account = "880001001"
direction = "in"
amount = "5000.00"
expect = "BANK_NO_ANSWER"

[[steps]]
op = "bank_answer"
request = "1"
event = "answer"
result = "成功"
{channel}
[[steps]]
op = "bank_transfer"
account = "880001001"
direction = "out"
amount = "5500.00"
"""


def _run_file(tmp_path, text: str) -> tuple[int, list[dict], str]:
    import io
    import json

    from teller.runner import run_scenario_file

    f = tmp_path / "forged.toml"
    f.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run_scenario_file(f, None, out=out, err=err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_a_file_cannot_forge_the_banks_answer_to_make_5000_from_nothing(tmp_path):
    text = ACCOUNTS + fault("timeout", "in") + FORGED
    # channel = "bank" in a step: the whole file is refused before anything runs, naming the field.
    code, lines, err = _run_file(tmp_path, text.format(channel='channel = "bank"\n'))
    assert code == 2 and lines == [] and "channel" in err and "银行接口" in err
    # Without it the step runs as the teller's, and the teller cannot record a bank's answer.
    code, lines, _err = _run_file(tmp_path, text.format(channel=""))
    assert [(x["op"], x["ok"], x["rule"]) for x in lines[:2]] == [
        ("bank_transfer", False, "BANK_NO_ANSWER"), ("bank_answer", False, "FORBIDDEN")]
    assert lines[2]["op"] == "bank_transfer" and lines[2]["ok"] is False  # 5,500.00 out of 1,000.00: nothing arrived


def test_a_trainees_steps_file_cannot_name_the_link_either():
    from teller.scenario import parse_steps

    with pytest.raises(ScenarioError) as e:
        parse_steps('[[steps]]\nop = "bank_answer"\nrequest = "1"\nevent = "answer"\nresult = "成功"\nchannel = "bank"\n')
    assert "channel" in str(e.value)


def test_channel_bank_through_the_api_counts_for_nothing():
    c, start = counter(fault("timeout", "in"))
    rid = transfer(c, "in", amount="5000.00").data["request"]
    forged = c.run("bank_answer", {"request": rid, "event": "answer", "result": "成功"},
                   Context(teller_id="T00", documents=None, channel="bank"))
    assert forged.rule == "FORBIDDEN" and request(c, rid).state == "超时"
    assert account(c).cash == 1000_00
    assert not transfer(c, "out", amount="5500.00").ok
    check_books(c.engine, start)
