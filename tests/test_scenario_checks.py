"""Scenario files are checked whole before anything is seeded or run (issue 11, item 7): a bad file
exits 2 listing every problem with its line and field, and nothing is written, not even with --db."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conftest import BASE, account

from teller.runner import run_scenario_file



HEAD = BASE.lstrip() + account("880001001", "工商银行", "main", "1000.00")


def line_of(text: str, line: str, nth: int = 1) -> str:
    """"第 n 行" of the nth line of the text that reads `line`."""
    found = [i for i, l in enumerate(text.splitlines(), 1) if l == line]
    return f"第 {found[nth - 1]} 行"


def run(tmp_path: Path, text: str, db: str | None = None) -> tuple[int, list[dict], str]:
    f = tmp_path / "s.toml"
    f.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run_scenario_file(f, db, out=out, err=err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def refused(tmp_path: Path, text: str) -> list[str]:
    code, lines, err = run(tmp_path, text)
    assert (code, lines) == (2, []), err
    problems = err.splitlines()
    assert problems and all("字段 " in p for p in problems), err  # each names its field
    assert all("第 " in p for p in problems if "必须填写" not in p), err  # and its line, unless it is missing
    return problems


# Tables and values of the wrong TOML type: each used to crash with a traceback (exit 1).
WRONG_TYPES = {
    "customers a text": 'date = "2026-11-23"\ncustomers = "880001"\n',
    "customers one table": 'date = "2026-11-23"\n[customers]\ncode = "880001"\n',
    "accounts a number": HEAD.split("[[accounts]]")[0] + "accounts = 5\n",
    "tellers a list of texts": 'date = "2026-11-23"\ntellers = ["T01"]\n',
    "steps a text": 'date = "2026-11-23"\nsteps = "query"\n',
    "shareholder accounts a number": HEAD + "shareholder_accounts = 1\n",
    "of accounts one table": HEAD + '[of_accounts]\nno = "F1"\n',
    "a client code as a number": HEAD.replace('code = "880001"', "code = 880001"),
    "a bank as a list": HEAD.replace('bank = "工商银行"', 'bank = ["工商银行"]'),
    "an op as a list": HEAD + '[[steps]]\nop = ["query"]\n',
    "an expect as a list": HEAD + '[[steps]]\nop = "query"\naccount = "880001001"\nexpect = ["ok"]\n',
    "a date with a time": 'date = 2026-11-23T09:00:00\n',
    "a shareholder account's number as a number": HEAD + '[[shareholder_accounts]]\nno = 1\ncustomer = "880001"\n'
                                                  'fund_account = "880001001"\n',
    # Already refused before (pinned here): settings and bank faults of the wrong type.
    "settings a list": 'date = "2026-11-23"\nsettings = [1]\n',
    "bank faults a text": 'date = "2026-11-23"\nbank_faults = "timeout"\n',
}


@pytest.mark.parametrize("text", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_a_wrongly_typed_table_or_value_is_a_problem_not_a_traceback(tmp_path, text):
    refused(tmp_path, text)


@pytest.mark.parametrize(("typo", "meant"), [("cahs", "cash"), ("stauts", "status"), ("custmer", "customer")])
def test_an_unknown_key_is_refused_with_the_nearest_known_key(tmp_path, typo, meant):
    text = HEAD.replace('cash = "1000.00"', f'{typo} = "1000.00"') if typo == "cahs" else \
        HEAD.replace('name = "张三"', f'name = "张三"\n{typo} = "休眠"') if typo == "stauts" else \
        HEAD + f'[[steps]]\nop = "collect"\n{typo} = "880001"\n'
    [problem] = refused(tmp_path, text)
    assert typo in problem and meant in problem


def test_an_unknown_setting_and_an_unknown_top_level_key_are_refused(tmp_path):
    problems = refused(tmp_path, HEAD + '\n[settings]\ninterest_rat = "0.01"\n')
    assert "interest_rate" in problems[0]
    assert "date" in refused(tmp_path, HEAD.replace("date =", "dat ="))[0]


def test_booleans_are_booleans(tmp_path):
    [problem] = refused(tmp_path, HEAD + '[[steps]]\nop = "query"\naccount = "880001001"\nagent = "false"\n')
    assert "agent" in problem and "true 或 false" in problem
    assert refused(tmp_path, HEAD.replace("auto_documents = true", 'auto_documents = "true"'))


def test_money_is_written_in_yuan_everywhere_the_interest_base_too(tmp_path):
    for key in ("interest_base", "cash", "frozen", "liabilities", "bank_balance"):
        text = HEAD.replace('cash = "1000.00"', f"{key} = 36000000" if key != "cash" else "cash = 1000")
        [problem] = refused(tmp_path, text)
        assert key in problem and "元" in problem
    code, lines, err = run(tmp_path, HEAD.replace('cash = "1000.00"', 'cash = "0.00"\ninterest_base = "360000.00"')
                           + '[[steps]]\nop = "capitalize_interest"\naccount = "880001001"\n'
                           + '[[steps]]\nop = "query"\naccount = "880001001"\n')
    assert code == 0, err
    assert lines[1]["data"]["cash"] == "3.50"  # 360,000.00 yuan-days at 0.35 % a year / 360


def test_a_negative_interest_base_is_refused_before_3106_can_debit_the_client(tmp_path):
    for base in ("-36000000", '"-360000.00"'):  # the bare number used to be taken as fen, sign and all
        [problem] = refused(tmp_path, HEAD.replace('cash = "1000.00"', f'cash = "1000.00"\ninterest_base = {base}'))
        assert "interest_base" in problem


def test_frozen_money_must_lie_within_cash(tmp_path):
    [problem] = refused(tmp_path, HEAD.replace('cash = "1000.00"', 'cash = "1000.00"\nfrozen = "5000.00"'))
    assert "frozen" in problem and "5,000.00" in problem


def test_an_unknown_bank_is_refused(tmp_path):
    [problem] = refused(tmp_path, HEAD.replace('bank = "工商银行"', 'bank = "火星银行"'))
    assert "bank" in problem and "火星银行" in problem


def test_the_business_date_must_be_a_trading_day(tmp_path):
    for day in ("2026-11-28", "2026-10-01", "2026-10-10"):  # a Saturday, National Day, a swapped working Saturday
        [problem] = refused(tmp_path, HEAD.replace("2026-11-23", day))
        assert "date" in problem and "不是交易日" in problem


def test_a_bad_interest_rate_setting_is_refused_not_a_crash_of_3106(tmp_path):
    [problem] = refused(tmp_path, HEAD + '\n[settings]\ninterest_rate = "abc"\n')
    assert "interest_rate" in problem and "abc" in problem


def test_every_steps_amount_is_checked_before_the_first_step_commits(tmp_path):
    text = HEAD + account("88000100101", "建设银行", "aux", "500.00") + '''
[[steps]]
op = "ledger_transfer"
from = "88000100101"
to = "880001001"
amount = "100.00"

[[steps]]
op = "ledger_transfer"
from = "88000100101"
to = "880001001"
amount = 100.5
'''
    [problem] = refused(tmp_path, text)
    assert "amount" in problem and line_of(text, "amount = 100.5") in problem


def test_every_problem_is_listed_at_once_with_its_line_and_field(tmp_path):
    text = HEAD.replace('cash = "1000.00"', 'cahs = "1000.00"\nfrozen = 1').replace('bank = "工商银行"', 'bank = "火星银行"')
    problems = refused(tmp_path, text)
    assert len(problems) == 3
    assert [p.split("字段 ")[1].split("：")[0] for p in problems] == ["bank", "cahs", "frozen"]


def test_a_duplicate_shareholder_account_leaves_a_given_store_untouched(tmp_path):
    db = tmp_path / "store.db"
    text = HEAD + '''
[[shareholder_accounts]]
no = "A000000001"
customer = "880001"
fund_account = "880001001"

[[shareholder_accounts]]
no = "A000000001"
customer = "880001"
fund_account = "880001001"
'''
    code, lines, err = run(tmp_path, text, f"sqlite:///{db}")
    assert code == 2 and "A000000001" in err and line_of(text, 'no = "A000000001"', 2) in err
    from teller.services.setup import is_initialised
    from teller.store.db import make_engine

    assert not db.exists() or not is_initialised(make_engine(f"sqlite:///{db}"))
    code, lines, err = run(tmp_path, text.rsplit("[[shareholder_accounts]]", 1)[0], f"sqlite:///{db}")
    assert code == 0, err  # the same store takes the corrected file: nothing was left in it


def test_a_link_under_another_clients_fund_account_is_refused(tmp_path):
    text = HEAD + '''
[[customers]]
code = "880002"
name = "李四"
id_no = "110105198001010024"

[[of_accounts]]
no = "F00000001"
customer = "880002"
fund_account = "880001001"
'''
    [problem] = refused(tmp_path, text)
    assert "customer" in problem and "880001001" in problem
