"""The books check (issue 11, hole 6): balances edited directly in the store — cash raised, movements
multiplied, a movement deleted, a bank request multiplied, the bank's ledger changed — are each
named by teller.services.books, by `teller audit books` and `teller audit verify` (exit 1, the
account and both figures), and day-end refuses to close such a day, changing nothing. On
PostgreSQL too with TELLER_TEST_DB set (every store build() makes lives there)."""

from __future__ import annotations

import pytest
from conftest import BASE, account, build
from sqlalchemy import text
from sqlmodel import select
from typer.testing import CliRunner

from teller.cli import app
from teller.services import books
from teller.services.base import Context
from teller.store.db import unit_of_work
from teller.store.models import DayEnd, FundAccount, Journal, Setting

ACCOUNTS = (BASE + account("880001001", "工商银行", "main", "1000.00", bank_balance="5000.00")
            + account("88000100101", "建设银行", "aux", "300.00", frozen="50.00"))


def run(c, op, teller="T00", **params):
    return c.run(op, params, Context(teller_id=teller, documents=None))


@pytest.fixture
def worked():
    """A store after a day's work: money in from the bank and out to it, a main<->aux transfer."""
    c = build(ACCOUNTS)[0]
    assert run(c, "bank_transfer", account="880001001", direction="in", amount="200.00").ok
    assert run(c, "bank_transfer", account="880001001", direction="out", amount="100.00").ok
    assert run(c, "ledger_transfer", **{"from": "88000100101", "to": "880001001", "amount": "10.00"}).ok
    assert books.check_store(c.engine) == []
    return c


def edit(c, sql):
    with c.engine.begin() as conn:
        assert conn.execute(text(sql)).rowcount >= 1


TAMPERS = {
    "cash +1,000,000.00": ("UPDATE fundaccount SET cash = cash + 100000000 WHERE no = '880001001'", "880001001", books.CASH),
    "movements x10": ("UPDATE movement SET amount = amount * 10", "880001001", books.CASH),
    "a movement deleted": ("DELETE FROM movement WHERE kind = 'ledger_out'", "88000100101", books.CASH),
    "a bank request x10": ("UPDATE bankrequest SET amount = amount * 10 WHERE kind = 'transfer_in'", "880001001", books.BANK_MOVES),
    "frozen cleared": ("UPDATE fundaccount SET frozen = 0 WHERE no = '88000100101'", "88000100101", books.FROZEN),
    "bank side raised": ("UPDATE fundaccount SET bank_balance = bank_balance + 1 WHERE no = '880001001'", "880001001", books.BANK_SIDE),
    "the bank's ledger changed": ("UPDATE bankledger SET amount = amount + 1 WHERE kind = 'transfer_out'", "880001001", books.LEDGER_ROW),
}


@pytest.mark.parametrize("case", TAMPERS)
def test_a_direct_edit_is_found_naming_the_account(worked, case):
    sql, account, what = TAMPERS[case]
    edit(worked, sql)
    found = books.check_store(worked.engine)
    assert found, case
    assert found[0].account == account and account in found[0].message  # the first names the account
    assert what in {f.what for f in found}


@pytest.mark.parametrize("table", ["movement", "bankrequest", "bankledger"])
def test_a_row_under_an_account_that_does_not_exist_is_found(worked, table):
    """A movement, bank request or ledger row moved onto an account number the store does not have."""
    edit(worked, f"UPDATE {table} SET fund_account = '88000199999' WHERE fund_account = '880001001'")
    found = books.check_store(worked.engine)
    assert "88000199999" in {f.account for f in found}
    assert any(f.account == "88000199999" and "不存在" in f.message for f in found)


def test_a_negative_balance_and_an_unknown_kind_are_found(worked):
    edit(worked, "UPDATE fundaccount SET cash = -1, opening_cash = opening_cash - cash - 1 WHERE no = '88000100101'")
    found = books.check_store(worked.engine)
    assert [(f.account, f.what) for f in found] == [("88000100101", books.NEGATIVE)]
    edit(worked, "UPDATE movement SET kind = 'gift' WHERE kind = 'ledger_in'")
    assert books.KIND in {f.what for f in books.check_store(worked.engine)}

def test_the_figures_are_named():
    c = build(ACCOUNTS)[0]
    edit(c, "UPDATE fundaccount SET cash = cash + 100000000 WHERE no = '880001001'")
    first = books.check_store(c.engine)[0]
    assert (first.recorded, first.replayed) == (100_100_000, 100_000)
    assert "1,001,000.00" in first.message and "1,000.00" in first.message


@pytest.mark.parametrize("case", ["cash +1,000,000.00", "a bank request x10"])
def test_day_end_refuses_books_that_do_not_balance_and_changes_nothing(worked, case):
    edit(worked, TAMPERS[case][0])
    with unit_of_work(worked.engine) as s:
        before = {a.no: (a.cash, a.interest_base, a.non_withdrawable_today) for a in s.exec(select(FundAccount)).all()}
        date_before = s.get(Setting, "business_date").value
    out = run(worked, "end_of_day", teller="S00")
    assert not out.ok and out.rule == "FORBIDDEN"
    assert "账务不平" in out.message and TAMPERS[case][1] in out.message
    with unit_of_work(worked.engine) as s:
        assert s.get(Setting, "business_date").value == date_before
        assert s.exec(select(DayEnd)).all() == []
        assert {a.no: (a.cash, a.interest_base, a.non_withdrawable_today) for a in s.exec(select(FundAccount)).all()} == before
        line = s.exec(select(Journal).where(Journal.op == "end_of_day")).one()
        assert not line.ok  # the refusal is journalled


def test_day_end_closes_balanced_books(worked):
    assert run(worked, "end_of_day", teller="S00").ok
    assert books.check_store(worked.engine) == []


@pytest.mark.parametrize("sql", [
    "UPDATE fundaccount SET cash = cash + 1 WHERE no = '88000100101'",  # a balance, no movement since
    "UPDATE movement SET amount = amount + 1 WHERE kind = 'ledger_out'",  # a movement of a closed day
])
def test_the_next_day_end_finds_an_edit_to_what_a_balanced_day_end_already_checked(worked, sql):
    """Day-end replays every account from its opening, not only those that moved since the last
    balanced day-end (README, "Day-end as a batch"): an account nobody touched today, its balance or
    a movement of a day already closed edited in the store, is found the next night."""
    assert run(worked, "end_of_day", teller="S00").ok
    assert run(worked, "query", account="880001001").ok  # a new day: 88000100101 does not move
    edit(worked, sql)
    out = run(worked, "end_of_day", teller="S00")
    assert not out.ok and out.rule == "FORBIDDEN"
    assert "账务不平" in out.message and "88000100101" in out.message
    with unit_of_work(worked.engine) as s:
        assert len(s.exec(select(DayEnd)).all()) == 1  # the second day stays open


def test_a_store_upgraded_to_openings_balances_as_it_stood(worked):
    """The migration's backfill (the same statement as books.OPENINGS_SQL) takes the books as they
    stand: a store written before the openings existed checks clean, and a later edit is found."""
    edit(worked, "UPDATE fundaccount SET opening_cash = 0, opening_frozen = 0, opening_bank_balance = 0")
    assert books.check_store(worked.engine)
    edit(worked, books.OPENINGS_SQL)
    assert books.check_store(worked.engine) == []
    edit(worked, "UPDATE fundaccount SET cash = cash + 1 WHERE no = '88000100101'")
    assert books.check_store(worked.engine)[0].account == "88000100101"


@pytest.fixture
def file_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'branch.db'}"
    c = build(ACCOUNTS, db=url)[0]
    assert run(c, "bank_transfer", account="880001001", direction="in", amount="200.00").ok
    return c, url


def test_audit_books_and_verify_exit_one_naming_the_account(file_store):
    c, url = file_store
    cli = CliRunner()
    ok = cli.invoke(app, ["audit", "books", "--db", url])
    assert ok.exit_code == 0, ok.output
    assert "账务平衡" in ok.output
    edit(c, "UPDATE fundaccount SET cash = cash + 100000000 WHERE no = '880001001'")
    c.engine.dispose()
    for command in (["audit", "books"], ["audit", "verify"]):
        bad = cli.invoke(app, [*command, "--db", url])
        assert bad.exit_code == 1, bad.output
        assert "880001001" in bad.output and "1,001,200.00" in bad.output and "1,200.00" in bad.output
    verify = cli.invoke(app, ["audit", "verify", "--db", url])
    assert "流水链完好" in verify.output  # the chain is whole: only the books say what was done
