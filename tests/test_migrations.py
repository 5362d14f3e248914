"""Schema versions and backups (issue 6): a store made by the first migration and filled with data is
brought to the current schema by `teller db upgrade` without losing any of it, on SQLite and on
PostgreSQL; the migrations and the models never drift apart; SQLite backups restore whole."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import MetaData, insert, text
from sqlmodel import SQLModel, select
from typer.testing import CliRunner

from teller.cli import app
from teller.services.audit import verify
from teller.services.base import Context, chain_hash
from teller.services.counter import Counter
from teller.services.setup import init_store
from teller.store.db import make_engine, unit_of_work
from teller.store.migrate import FIRST, SchemaOutdated, current, head, upgrade
from teller.store.models import BankRequest, FundAccount, Journal, Movement

DAY = date(2026, 11, 23)


def _first_release_store(url: str, *, stamped: bool = True):
    """A store as the first release made it, with a client, two fund accounts, a transfer already
    done and its journal lines chained the old way (by id)."""
    engine = make_engine(url)
    upgrade(engine, FIRST)
    meta = MetaData()
    with engine.begin() as conn:
        meta.reflect(conn)
        t = meta.tables
        conn.execute(insert(t["setting"]), [{"key": "business_date", "value": DAY.isoformat()},
                                            {"key": "branch", "value": "0001"}])
        conn.execute(insert(t["teller"]), [dict(id=i, name="", role=r, password_hash="", failed_attempts=0,
                                                locked=False, active=True) for i, r in (("T00", "teller"), ("S00", "supervisor"))])
        conn.execute(insert(t["customer"]), [dict(code="880001", name="张三", kind="individual", id_type="居民身份证",
                                                  id_no="11010519491231002X", status="合格", branch="0001", warning_streak=0)])
        base = dict(customer_code="880001", in_service=True, transfer_flag=1, custody="signed", status="open", frozen=0,
                    non_withdrawable_today=0, interest_base=0, liabilities=0, bank_balance=10_000_00,
                    commission_class="标准", opened_on=DAY, capitalized_on=None, version=0)
        conn.execute(insert(t["fundaccount"]), [dict(base, no="880001001", bank="工商银行", role="main", cash=2000_00),
                                                dict(base, no="88000100101", bank="建设银行", role="aux", cash=500_00)])
        conn.execute(insert(t["bankkeyinfo"]), [dict(customer_code="880001", bank=b, name="张三", id_type="居民身份证",
                                                     id_no="11010519491231002X", updated_on=DAY) for b in ("工商银行", "建设银行")])
        prev = ""
        for i, (code, op) in enumerate((("6102", "query"), ("3105", "bank_transfer")), 1):
            row = Journal(id=i, business_date=DAY, at=datetime(2026, 11, 23, 9, i, tzinfo=timezone.utc), teller_id="T00",
                          terminal="T-01", function_code=code, op=op, customer_code="880001", inputs={"account": "880001001"},
                          ok=True, rule="", message="ok", agent=False)
            h = chain_hash(prev, row)
            conn.execute(insert(t["journal"]), [dict(id=i, business_date=DAY, at=row.at, teller_id="T00", terminal="T-01",
                                                     function_code=code, op=op, customer_code="880001", inputs=row.inputs,
                                                     ok=True, rule="", message="ok", agent=False, prev_hash=prev, hash=h)])
            prev = h
        conn.execute(insert(t["movement"]), [dict(journal_id=2, business_date=DAY, customer_code="880001",
                                                  fund_account="880001001", kind="bank_in", amount=1000_00,
                                                  counterpart="工商银行", channel="counter")])
        conn.execute(insert(t["bankrequest"]), [dict(journal_id=2, business_date=DAY, customer_code="880001",
                                                     fund_account="880001001", bank="工商银行", kind="transfer_in",
                                                     amount=1000_00, state="成功", detail="")])
        if not stamped:  # a store made before migrations existed
            conn.execute(text("DROP TABLE alembic_version"))
    return engine


@pytest.mark.parametrize("stamped", [True, False], ids=["from-0001", "pre-migration"])
def test_upgrade_keeps_every_row_and_the_counter_works_on_the_result(file_db, stamped):
    engine = _first_release_store(file_db, stamped=stamped)
    assert current(engine) == FIRST
    with pytest.raises(SchemaOutdated):
        init_store(engine, DAY)  # the program refuses an old schema rather than run on it
    result = CliRunner().invoke(app, ["db", "upgrade", "--db", file_db])
    assert result.exit_code == 0, result.output
    assert current(engine) == head()
    with unit_of_work(engine) as s:
        assert {a.no: a.cash for a in s.exec(select(FundAccount))} == {"880001001": 2000_00, "88000100101": 500_00}
        assert [(j.id, j.seq, j.chain) for j in s.exec(select(Journal).order_by(Journal.id))] == [(1, 1, ""), (2, 2, "")]
        assert s.exec(select(Movement)).one().amount == 1000_00
        assert s.exec(select(BankRequest)).one().attempts == 0
    assert verify(engine).ok  # the old lines' chain carries on
    c = Counter(engine)
    o = c.run("ledger_transfer", {"from": "88000100101", "to": "880001001", "amount": "100.00"}, Context(documents=None))
    assert o.ok, o.message
    assert c.run("bank_transfer", {"account": "880001001", "direction": "out", "amount": "10.00"}, Context()).ok
    report = verify(engine)
    assert report.ok and report.lines == 2 + 1 + 3
    assert CliRunner().invoke(app, ["db", "upgrade", "--db", file_db]).exit_code == 0  # nothing left to do
    engine.dispose()


def test_the_migrations_build_exactly_the_tables_of_the_models(file_db):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(file_db)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == [], "a model changed without a migration (README, Migrations): " + repr(diff)
    engine.dispose()


def test_a_new_store_is_created_at_the_newest_version(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert current(engine) is None
    assert init_store(engine, DAY)
    assert current(engine) == head()


def test_sqlite_backup_and_restore_round_trip(tmp_path):
    url = f"sqlite:///{tmp_path / 'branch.db'}"
    engine = make_engine(url)
    init_store(engine, DAY)
    run = CliRunner().invoke
    assert run(app, ["db", "backup", str(tmp_path / "b1.db"), "--db", url]).exit_code == 0
    assert run(app, ["db", "backup", str(tmp_path / "b1.db"), "--db", url]).exit_code == 2  # never overwrites
    with unit_of_work(engine) as s:
        s.exec(text("UPDATE setting SET value = 'changed' WHERE key = 'branch'"))
    engine.dispose()
    assert run(app, ["db", "restore", str(tmp_path / "b1.db"), "--db", url]).exit_code == 2  # needs --force
    assert run(app, ["db", "restore", str(tmp_path / "b1.db"), "--db", url, "--force"]).exit_code == 0
    with unit_of_work(make_engine(url)) as s:
        assert s.exec(text("SELECT value FROM setting WHERE key = 'branch'")).one()[0] == "0001"
    assert run(app, ["db", "backup", str(tmp_path / "x.db"), "--db", "postgresql://h/db"]).exit_code == 2
