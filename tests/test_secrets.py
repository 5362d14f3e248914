"""Issue 11, hole 1: no secret in any journal line or command line; the store, its backups and the
reports are private files."""

from __future__ import annotations

import json
import os
import stat

import pytest
from conftest import BASE, build
from sqlalchemy import text
from typer.main import get_command
from typer.testing import CliRunner

from teller.services.auth import sign_on
from teller.services.base import Context

STATE = BASE + """
[[tellers]]
id = "S01"
role = "supervisor"
password = "s01pass"
"""

SECRETS = ("Secret-4711", "Reset-0815", "abc12")


def _journal_text(engine) -> str:  # noqa: ANN001
    with engine.connect() as c:
        rows = c.execute(text("SELECT * FROM journal")).all()
    return "\n".join(json.dumps([str(v) for v in r], ensure_ascii=False) for r in rows)


def test_9102_journal_holds_a_mark_not_the_password():
    counter, _ = build(STATE)
    s01 = Context(teller_id="S01", documents=None)
    added = counter.run("manage_tellers", {"action": "add", "id": "T09", "role": "teller", "password": SECRETS[0]}, s01)
    reset = counter.run("manage_tellers", {"action": "reset_password", "id": "T09", "password": SECRETS[1]}, s01)
    short = counter.run("manage_tellers", {"action": "reset_password", "id": "T09", "password": SECRETS[2]}, s01)
    assert added.ok and reset.ok and not short.ok  # the refused one is journalled too
    with counter.engine.connect() as c:
        inputs = [json.loads(r[0]) if isinstance(r[0], str) else r[0] for r in c.execute(
            text("SELECT inputs FROM journal WHERE op = 'manage_tellers' ORDER BY id"))]
    assert [i["password"] for i in inputs] == ["******"] * 3
    everything = _journal_text(counter.engine)
    assert not [s for s in SECRETS if s in everything]
    assert not [s for s in SECRETS if s in added.message + reset.message + short.message]
    # The mark went in before the line was hashed: the chain still verifies, and the password set works.
    from teller.services.audit import verify

    assert verify(counter.engine).ok
    assert sign_on(counter.engine, "T09", SECRETS[1]).id == "T09"


def test_no_command_takes_a_password_on_its_command_line():
    root = get_command(__import__("teller.cli", fromlist=["app"]).app)

    def walk(cmd, path: str):  # noqa: ANN001, ANN202 - a click Command (typer's own copy of click)
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, f"{path} {name}")

    offenders = []
    for path, cmd in walk(root, "teller"):
        for p in cmd.params:
            if p.param_type_name == "option" and any("password" in o and o != "--password-file" for o in p.opts):
                offenders.append((path, p.opts))
            if p.param_type_name == "option" and p.envvar and "PASSWORD" in str(p.envvar):
                offenders.append((path, p.envvar))
    assert offenders == []


def _store_file(tmp_path):  # noqa: ANN001, ANN202
    from teller.services.setup import seed
    from teller.scenario import parse_scenario
    from teller.store.db import make_engine

    db = tmp_path / "new-folder" / "branch.db"
    engine = make_engine(f"sqlite:///{db}")
    seed(engine, parse_scenario(STATE).state)
    return engine, db


def _mode(p) -> int:  # noqa: ANN001
    return stat.S_IMODE(os.stat(p).st_mode)


def test_store_and_backup_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        engine, db = _store_file(tmp_path)
        with engine.connect() as c:  # an open connection keeps the -wal and -shm files
            c.execute(text("SELECT count(*) FROM journal"))
            assert {_mode(f"{db}{s}") for s in ("", "-wal", "-shm")} == {0o600}
            assert _mode(db.parent) == 0o700
        from teller.store.backup import backup, restore

        out = backup(f"sqlite:///{db}", tmp_path / "backups" / "b1.db")
        assert _mode(out) == 0o600 and _mode(out.parent) == 0o700
        back = restore(out, f"sqlite:///{tmp_path / 'restored.db'}")
        assert _mode(back) == 0o600
    finally:
        os.umask(old)
    engine.dispose()


def test_a_store_left_0644_by_an_older_release_is_made_private(tmp_path):
    engine, db = _store_file(tmp_path)
    engine.dispose()
    for s in ("", "-wal", "-shm"):
        if os.path.exists(f"{db}{s}"):
            os.chmod(f"{db}{s}", 0o644)
    from teller.store.db import make_engine

    again = make_engine(f"sqlite:///{db}")
    with again.connect() as c:
        c.execute(text("SELECT count(*) FROM journal"))
        assert {_mode(f"{db}{s}") for s in ("", "-wal", "-shm")} == {0o600}
    again.dispose()


def test_report_csv_is_private(tmp_path):
    from teller.training.report import Report, write_csv

    for p in write_csv(Report(trainees=[], questions=[], checks=[]), tmp_path / "class.csv"):
        assert _mode(p) == 0o600


@pytest.fixture
def cli_store(tmp_path):
    _engine, db = _store_file(tmp_path)
    _engine.dispose()
    return f"sqlite:///{db}"


def _day_end(args, **kw):  # noqa: ANN001, ANN202
    from teller.cli import app

    return CliRunner().invoke(app, ["day-end", *args], **kw)


def test_day_end_refuses_a_password_on_argv_and_reads_one_from_a_private_file(tmp_path, cli_store):
    argv = _day_end(["--teller", "S01", "--password", "s01pass", "--db", cli_store])
    assert argv.exit_code == 2 and "--password" in argv.output  # no such option
    pw = tmp_path / "pw"
    pw.write_text("s01pass\n")
    pw.chmod(0o644)
    wide = _day_end(["--teller", "S01", "--password-file", str(pw), "--db", cli_store])
    assert wide.exit_code == 2 and "0600" in wide.output
    pw.chmod(0o600)
    done = _day_end(["--teller", "S01", "--password-file", str(pw), "--db", cli_store])
    assert done.exit_code == 0, done.output
    asked = _day_end(["--teller", "S01", "--db", cli_store], input="wrong-one\n")
    assert asked.exit_code == 1 and "wrong-one" not in asked.output
