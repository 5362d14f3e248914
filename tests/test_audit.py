"""`teller audit verify` catches journal lines edited, removed or inserted directly in the database."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from conftest import BASE, account, build

from teller.services.audit import open_store, verify
from teller.services.base import Context

SHANGHAI = timezone(timedelta(hours=8))
STATE = BASE + account("880001001", "工商银行", "main", "1000.00")


@pytest.fixture
def store(tmp_path):
    """A file store with six journal lines, a refusal among them, stamped at +08:00 (the store keeps
    UTC: the chain must still hold when the lines are read back)."""
    url = f"sqlite:///{tmp_path / 'branch.db'}"
    counter, _ = build(STATE, db=url)
    ctx = Context(now=datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI))
    for account in ("880001001", "880001001", "999999999", "880001001"):
        counter.run("query", {"account": account}, ctx)
    counter.run("notify", {"customer": "880001", "content": "规则变更告知"}, ctx)
    counter.run("notify", {"customer": "880001", "content": "账户达到合规预警线", "channel": "sms"}, ctx)
    counter.engine.dispose()
    return url, tmp_path / "branch.db"


def sql(path, *statements):
    con = sqlite3.connect(path)
    with con:
        for st in statements:
            con.execute(st)
    con.close()


def rows(path):
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    out = [dict(r) for r in con.execute("SELECT * FROM journal ORDER BY seq")]
    con.close()
    return out


def first_break(url):
    report = verify(open_store(url))
    assert not report.ok
    return report.breaks[0]


def test_an_untouched_journal_verifies(store):
    url, _path = store
    report = verify(open_store(url))
    assert report.ok and report.lines == 6 and len(report.heads[""]) == 64


def test_an_edited_line_is_named(store):
    url, path = store
    sql(path, "UPDATE journal SET message = '证券转银行 5000.00 元成功' WHERE id = 2")
    b = first_break(url)
    assert (b.problem, b.line) == ("altered", 2)


def test_an_edited_line_whose_hash_was_recomputed_is_named(store):
    from sqlmodel import Session

    from teller.services.base import chain_hash
    from teller.store.models import Journal

    url, path = store
    engine = open_store(url)
    with Session(engine) as s:
        j = s.get(Journal, 3)
        j.ok, j.message = True, "改为成功"
        j.hash = chain_hash(j.prev_hash, j)
        s.add(j)
        s.commit()
    engine.dispose()
    b = first_break(url)
    assert (b.problem, b.line) == ("altered", 3)


@pytest.mark.parametrize("gone, named", [(3, 4), (1, 2)])
def test_a_removed_line_is_found_by_the_line_after_it(store, gone, named):
    url, path = store
    sql(path, f"DELETE FROM journal WHERE id = {gone}")
    b = first_break(url)
    assert (b.problem, b.line) == ("removed", named) and str(named) in b.message


def test_removing_the_last_line_is_caught_by_the_head(store):
    url, path = store
    sql(path, "DELETE FROM journal WHERE id = 6")
    b = first_break(url)
    assert b.problem == "removed" and "5" in b.message


def test_an_inserted_line_is_named_whether_in_the_chain_or_after_its_end(store):
    url, path = store
    r = rows(path)[2]
    cols = [c for c in r if c != "id"]
    copy = ", ".join(cols)
    sql(path, f"INSERT INTO journal ({copy}) SELECT {copy.replace('seq', '0')} FROM journal WHERE id = 3")
    b = first_break(url)
    assert (b.problem, b.line) == ("inserted", 7)
    sql(path, "DELETE FROM journal WHERE id = 7")
    assert verify(open_store(url)).ok


def test_a_line_appended_with_a_correct_hash_is_still_caught(store):
    from sqlmodel import Session, select

    from teller.services.base import chain_hash
    from teller.store.models import Journal

    url, _path = store
    engine = open_store(url)
    with Session(engine) as s:
        last = s.exec(select(Journal).order_by(Journal.seq.desc())).first()
        forged = Journal(**{**last.model_dump(), "id": None, "seq": last.seq + 1, "prev_hash": last.hash,
                            "message": "补记一笔"})
        s.add(forged)
        s.flush()
        forged.hash = chain_hash(forged.prev_hash, forged)
        s.add(forged)
        s.commit()
        forged_id = forged.id
    engine.dispose()
    b = first_break(url)
    assert (b.problem, b.line) == ("inserted", forged_id)


def test_cli_exit_codes_and_names_the_line(store, tmp_path):
    url, path = store

    from typer.testing import CliRunner

    from teller.cli import app

    def cli(db):
        return CliRunner().invoke(app, ["audit", "verify", "--db", db])

    ok = cli(url)
    assert ok.exit_code == 0 and "完好" in ok.output, ok.output
    sql(path, "UPDATE journal SET teller_id = 'S00' WHERE id = 4")
    broken = cli(url)
    assert broken.exit_code == 1 and "流水 4" in broken.output
    missing = tmp_path / "none.db"
    assert cli(f"sqlite:///{missing}").exit_code == 2 and not missing.exists()


def test_one_chain_per_client_each_verified_on_its_own(tmp_path):
    url = f"sqlite:///{tmp_path / 'clients.db'}"
    two = STATE.replace("[[accounts]]", """[[customers]]
code = "880002"
name = "李四"
id_no = "110101199003074477"

[[accounts]]
no = "880002001"
customer = "880002"
bank = "工商银行"
cash = "10.00"

[[accounts]]""", 1) + '\n[settings]\njournal_chain = "client"\n'
    counter, _ = build(two, db=url)
    for _i in range(3):
        counter.run("query", {"account": "880001001"})
        counter.run("query", {"account": "880002001"})
    counter.engine.dispose()
    report = verify(open_store(url))
    assert report.ok and set(report.heads) == {"880001", "880002"} and report.lines == 6
    second_of_880002 = [r["id"] for r in rows(tmp_path / "clients.db") if r["chain"] == "880002"][1]
    sql(tmp_path / "clients.db", f"DELETE FROM journal WHERE id = {second_of_880002}")
    [b] = verify(open_store(url)).breaks
    assert (b.chain, b.problem, b.line) == ("880002", "removed", second_of_880002 + 2)
