"""`teller db restore` checks the file before it replaces anything (issue 11, hole 5): a foreign file
with tables of the same names, random bytes, a truncated or empty file, a folder, a missing file, a
backup whose journal chain or books were tampered with — each refused with its reason, exit 2, no
traceback, and the old store byte for byte as it was. A good backup restores, an older release's
backup is upgraded on the way; a backup appears under its name only when whole."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from conftest import BASE, account, build
from typer.testing import CliRunner

from teller.cli import app
from teller.services.base import Context
from teller.store import backup as B

STATE = BASE + account("880001001", "工商银行", "main", "1000.00", bank_balance="5000.00")


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def stores(tmp_path, monkeypatch):
    """The branch's store (which a restore may replace) and a good backup of a store with a day's work."""
    monkeypatch.delenv("TELLER_TEST_DB", raising=False)
    work = f"sqlite:///{tmp_path / 'work.db'}"
    c = build(STATE, db=work)[0]
    assert c.run("bank_transfer", {"account": "880001001", "direction": "in", "amount": "200.00"},
                 Context(teller_id="T00", documents=None)).ok
    c.engine.dispose()
    good = tmp_path / "good.db"
    assert invoke("db", "backup", good, "--db", work).exit_code == 0
    branch = tmp_path / "branch.db"
    b = build(STATE, db=f"sqlite:///{branch}")[0]
    b.engine.dispose()
    return tmp_path, good, branch


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edited_copy(good: Path, dest: Path, *statements: str) -> Path:
    dest.write_bytes(good.read_bytes())
    con = sqlite3.connect(dest)
    with con:
        for st in statements:
            con.execute(st)
    con.close()
    return dest


def foreign_same_names(dest: Path, *, version: str | None = None) -> Path:
    """Empty tables with this program's table names (and, if asked, a made-up schema version)."""
    from sqlmodel import SQLModel

    from teller.store import models  # noqa: F401

    con = sqlite3.connect(dest)
    with con:
        for t in SQLModel.metadata.sorted_tables:
            con.execute(f'CREATE TABLE "{t.name}" (x)')
        if version:
            con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            con.execute("INSERT INTO alembic_version VALUES (?)", (version,))
    con.close()
    return dest


def cases(tmp: Path, good: Path) -> dict[str, tuple[Path, str]]:
    raw = good.read_bytes()
    folder = tmp / "a-folder"
    folder.mkdir()
    (tmp / "empty.db").write_bytes(b"")
    (tmp / "random.db").write_bytes(os.urandom(64 * 1024))
    (tmp / "half.db").write_bytes(raw[: len(raw) // 2])
    (tmp / "header.db").write_bytes(raw[:100])
    (tmp / "text.toml").write_text('date = "2026-11-23"\n', encoding="utf-8")
    return {
        "missing": (tmp / "nothing-here.db", "不存在"),
        "a folder": (folder, "文件夹"),
        "empty": (tmp / "empty.db", "空文件"),
        "random bytes": (tmp / "random.db", "不是 SQLite"),
        "truncated": (tmp / "half.db", "损坏"),
        "only the header": (tmp / "header.db", ""),
        "a text file": (tmp / "text.toml", "不是 SQLite"),
        "foreign, same-named empty tables": (foreign_same_names(tmp / "foreign.db"), "不是本程序的数据库"),
        "foreign, a made-up version": (foreign_same_names(tmp / "foreign2.db", version="9999"), "9999"),
        "foreign, our version": (foreign_same_names(tmp / "foreign3.db", version=_head()), "缺少字段"),
        "journal line edited": (edited_copy(good, tmp / "chain.db", "UPDATE journal SET message = 'x' WHERE id = 1"), "流水链"),
        "journal line deleted": (edited_copy(good, tmp / "gone.db", "DELETE FROM journal WHERE id = 1"), "流水链"),
        "cash +999,999.99": (edited_copy(good, tmp / "cash.db", "UPDATE fundaccount SET cash = cash + 99999999"), "账务不平"),
        "movement x10": (edited_copy(good, tmp / "moves.db", "UPDATE movement SET amount = amount * 10"), "账务不平"),
        "no business date": (edited_copy(good, tmp / "nodate.db", "DELETE FROM setting WHERE key = 'business_date'"), "营业日期"),
    }


def _head() -> str:
    from teller.store.migrate import head

    return head()


def test_every_bad_file_is_refused_and_the_store_is_untouched(stores):
    tmp, good, branch = stores
    before = digest(branch)
    refused = 0
    bad = cases(tmp, good)
    for name, (path, reason) in bad.items():
        out = invoke("db", "restore", path, "--db", f"sqlite:///{branch}", "--force")
        assert out.exit_code == 2, (name, out.output)
        assert isinstance(out.exception, SystemExit), (name, out.exception)  # a refusal, not a traceback
        assert "Traceback" not in out.output, name
        assert reason in out.output, (name, out.output)
        assert digest(branch) == before, name
        refused += 1
    assert refused == len(bad) == 15
    assert sorted(p.name for p in tmp.iterdir() if p.name.startswith(".")) == []  # no copy left behind


def test_a_good_backup_restores_over_the_store(stores):
    tmp, good, branch = stores
    url = f"sqlite:///{branch}"
    assert invoke("db", "restore", good, "--db", url).exit_code == 2  # an existing store needs --force
    out = invoke("db", "restore", good, "--db", url, "--force")
    assert out.exit_code == 0, out.output
    assert "账务平衡" in out.output
    con = sqlite3.connect(branch)
    assert con.execute("SELECT cash FROM fundaccount WHERE no = '880001001'").fetchone()[0] == 1200_00
    con.close()
    assert invoke("audit", "verify", "--db", url).exit_code == 0


def test_an_older_releases_backup_is_upgraded_on_the_way(stores):
    from alembic import command

    from teller.store.db import make_engine
    from teller.store.migrate import _config, current

    tmp, good, branch = stores
    old = tmp / "old.db"
    old.write_bytes(good.read_bytes())
    engine = make_engine(f"sqlite:///{old}")
    with engine.begin() as conn:
        command.downgrade(_config(conn), "0005")
    engine.dispose()
    out = invoke("db", "restore", old, "--db", f"sqlite:///{branch}", "--force")
    assert out.exit_code == 0, out.output
    assert "0005" in out.output
    assert current(make_engine(f"sqlite:///{branch}")) == _head()
    assert digest(old) != digest(good)  # the backup itself was only read


def test_a_restore_into_a_new_place_needs_no_force(stores):
    tmp, good, _branch = stores
    out = invoke("db", "restore", good, "--db", f"sqlite:///{tmp / 'new' / 'store.db'}")
    assert out.exit_code == 0, out.output


def test_a_backup_takes_its_name_only_when_whole(stores, monkeypatch):
    """The copy is written under a temporary name; a backup that dies before it is whole (here at
    its fsync) leaves nothing under the backup's name."""
    tmp, good, _branch = stores
    dest = tmp / "b2.db"
    seen = []

    def dies(fd):
        seen.append(dest.exists())
        raise KeyboardInterrupt  # the process killed while the copy is being made durable

    monkeypatch.setattr(B.os, "fsync", dies)
    with pytest.raises(KeyboardInterrupt):
        B.backup(f"sqlite:///{tmp / 'work.db'}", dest)
    assert seen == [False] and not dest.exists()
    monkeypatch.undo()
    assert B.backup(f"sqlite:///{tmp / 'work.db'}", dest) == dest
    assert [p.name for p in tmp.iterdir() if p.name.endswith(".part")] == []
    con = sqlite3.connect(dest)
    assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    con.close()
