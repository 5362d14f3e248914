"""Issue 11, hole 8: a `--db` the program will not run on is refused in one line naming `--db` and
what is wrong, exit 2, no traceback, nothing created or changed: a string that is no URL, a database
other than SQLite and PostgreSQL, a URL that carries a password (it would be on the command line:
README "Passwords and private files" sends it to ~/.pgpass), an unreachable server, a folder, a file
that is not SQLite, and an SQLite file of another program (our tables are never added to it)."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys

import pytest

from teller.store.db import StoreRefused, make_engine

PASSWORD = "s3cret-pw"
BAD_URLS = {
    "garbage": "不是数据库网址",
    "postgresql://127.0.0.1:abc/db": "不是数据库网址",
    "http://example.com/db": "不支持 http",
    "mysql://h/db": "不支持 mysql",
    "postgresql+psycopg2://127.0.0.1/db": "不支持 postgresql+psycopg2",
    f"postgresql://teller:{PASSWORD}@127.0.0.1/db": "~/.pgpass",
    f"postgresql://teller@127.0.0.1/db?password={PASSWORD}": "~/.pgpass",
    "postgresql://teller@127.0.0.1:1/db": "连不上数据库",
    "postgresql://teller@127.0.0.1/db?prepare=yes": "prepare=yes 不对",
    "sqlite:///never-made.db?prepare=on": "prepare 只用于 PostgreSQL",
}
# Every command that opens a store, with what else it needs to get as far as opening it.
COMMANDS = (["audit", "verify"], ["audit", "books"], ["db", "upgrade"], ["db", "current"],
            ["staff", "unlock", "T01", "--store-owner"], ["demo", "--clients", "1"])


def run_cli(monkeypatch, capsys, *argv: str) -> tuple[int, str]:
    from teller import cli

    monkeypatch.setattr(sys, "argv", ["teller", *argv])
    with pytest.raises(SystemExit) as e:
        cli.main()
    out = capsys.readouterr()
    return e.value.code, out.err + out.out


def foreign_file(tmp_path) -> str:
    path = tmp_path / "invoices.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, amount TEXT)")
    conn.execute("INSERT INTO invoice VALUES (1, '12.50')")
    conn.commit()
    conn.close()
    path.chmod(0o644)
    return str(path)


def tables(path: str) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


@pytest.mark.parametrize("url,why", BAD_URLS.items(), ids=list(BAD_URLS))
def test_a_bad_db_url_is_one_line_exit_2(monkeypatch, capsys, url, why):
    code, said = run_cli(monkeypatch, capsys, "audit", "verify", "--db", url)
    assert code == 2
    lines = said.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("--db：") and why in lines[0], said
    assert "Traceback" not in said and PASSWORD not in said


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_refuses_a_password_in_the_url(monkeypatch, capsys, argv):
    code, said = run_cli(monkeypatch, capsys, *argv, "--db", f"postgresql://teller:{PASSWORD}@127.0.0.1/db")
    assert code == 2 and "~/.pgpass" in said and "PGPASSFILE" in said and PASSWORD not in said, said
    assert len(said.strip().splitlines()) == 1


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_a_foreign_sqlite_file_is_refused_and_left_as_it_was(monkeypatch, capsys, tmp_path, argv):
    path = foreign_file(tmp_path)
    before = (tables(path), os.stat(path).st_size, os.stat(path).st_mtime_ns)
    code, said = run_cli(monkeypatch, capsys, *argv, "--db", f"sqlite:///{path}")
    assert code == 2, said
    lines = said.strip().splitlines()
    assert len(lines) == 1 and "invoice" in lines[0] and "不是本程序的" in lines[0] and "Traceback" not in said, said
    assert (tables(path), os.stat(path).st_size, os.stat(path).st_mtime_ns) == before == ({"invoice"}, *before[1:])
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644  # not even its mode was touched


def test_a_file_that_is_not_sqlite_and_a_folder_are_refused(monkeypatch, capsys, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(300))
    code, said = run_cli(monkeypatch, capsys, "db", "upgrade", "--db", f"sqlite:///{junk}")
    assert code == 2 and said.strip() == f"--db：{junk} 不是 SQLite 数据库文件"
    code, said = run_cli(monkeypatch, capsys, "audit", "books", "--db", f"sqlite:///{tmp_path}")
    assert code == 2 and said.strip() == f"--db：{tmp_path} 是文件夹，不是数据库文件"


def test_commands_that_need_a_store_do_not_make_one(monkeypatch, capsys, tmp_path):
    """day-end and staff unlock on a path with no store: exit 2 saying so, and no file is left there."""
    pw = tmp_path / "pw"
    pw.write_text("x\n")
    pw.chmod(0o600)
    for argv in (["day-end", "--teller", "S01", "--password-file", str(pw)], ["staff", "unlock", "T01", "--store-owner"]):
        url = f"sqlite:///{tmp_path / 'none.db'}"
        code, said = run_cli(monkeypatch, capsys, *argv, "--db", url)
        assert code == 2 and "不是柜台数据库" in said and "Traceback" not in said, said
        assert not (tmp_path / "none.db").exists()


def test_a_foreign_database_on_postgresql_is_refused(pg_url):
    """The same refusal from the schema check, for a PostgreSQL schema holding another program's table."""
    from sqlalchemy import text

    from teller.store.migrate import ensure_schema

    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoice (id integer PRIMARY KEY)"))
    with pytest.raises(StoreRefused, match="invoice"):
        ensure_schema(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")).scalar() == 1
    engine.dispose()


def test_statements_are_prepared_on_the_server_only_when_the_url_says_prepare_on(pg_url):
    """Issue 14: `?prepare=on` (a direct connection) lets psycopg prepare a statement it has run five
    times; without it (the default, what PgBouncer's transaction pooling before 1.21 needs) none is."""
    from sqlalchemy import text

    def prepared_after_six_runs(url: str) -> int:
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                for _ in range(6):
                    conn.execute(text("SELECT count(*) FROM pg_class WHERE relname = :n"), {"n": "x"}).scalar()
                return conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()
        finally:
            engine.dispose()

    sep = "&" if "?" in pg_url else "?"
    assert prepared_after_six_runs(pg_url) == 0
    assert prepared_after_six_runs(f"{pg_url}{sep}prepare=off") == 0
    assert prepared_after_six_runs(f"{pg_url}{sep}prepare=on") >= 1


def test_our_own_stores_still_open(tmp_path):
    """A new path, an empty file and an existing store of ours open as before."""
    from teller.store.db import create_schema

    for name in ("new.db", "empty.db"):
        if name == "empty.db":
            (tmp_path / name).touch()
        engine = make_engine(f"sqlite:///{tmp_path / name}")
        create_schema(engine)
        engine.dispose()
        engine = make_engine(f"sqlite:///{tmp_path / name}")  # again: now a store of ours
        create_schema(engine)
        assert "journal" in tables(str(tmp_path / name))
        engine.dispose()


@pytest.mark.asyncio
async def test_the_counter_closes_on_a_bad_db_and_says_why():
    """`teller --db URL` with a password: the counter shows nothing of the store, exits 2 with the line."""
    from teller.screens.app import TellerApp

    app = TellerApp(db_url=f"postgresql://teller:{PASSWORD}@127.0.0.1/db")
    async with app.run_test() as pilot:
        for _ in range(200):
            if app.store_error:
                break
            await pilot.pause(0.05)
    assert app.return_code == 2 and "~/.pgpass" in app.store_error and PASSWORD not in app.store_error
