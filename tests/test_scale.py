"""Issue 7, the counter at a firm's size and speed: the generated store is a real, verifiable store;
the short paths taken for speed say what the long ones said (the catalogs, the command line, the
lookups); day-end runs behind a progress bar on a big store; two terminals on one SQLite file take
turns; the counter refuses an outdated store without having loaded it before the first frame."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import time

import pytest
from screenkit import demo_template  # noqa: F401  (fixture)

from teller.services import reads
from teller.services.base import Context
from teller.services.counter import Counter
from teller.store.db import make_engine


@pytest.fixture(scope="module")
def firm(tmp_path_factory):
    """The demo branch plus 300 generated clients with a year of history."""
    from teller.demo import seed_demo
    from teller.demo.generate import generate

    url = f"sqlite:///{tmp_path_factory.mktemp('firm') / 'firm.db'}"
    engine = make_engine(url)
    seed_demo(engine)
    made = generate(engine, 300)
    return url, made


def test_a_generated_store_is_verifiable_and_sized_as_asked(firm):
    from teller.services.audit import verify

    url, made = firm
    engine = make_engine(url)
    assert verify(engine).ok  # every generated line is chained as the counter chains its own
    assert made.clients == 300 and made.accounts == sum(i % 5 + 1 for i in range(300))
    # ten lines a client (five queries, a transfer or a sixth query, a 银证转账's three, an order), plus the patterns
    assert 3000 <= made.journal <= 3000 + 20
    with sqlite3.connect(url.removeprefix("sqlite:///")) as con:
        assert con.execute("SELECT count(*) FROM customer WHERE code LIKE '1%'").fetchone()[0] == 300
        # every 银证转账 has the bank's record, and money that arrived today by transfer waits for T+1
        assert con.execute("SELECT count(*) FROM bankrequest r JOIN bankledger l ON l.request_id = r.id").fetchone()[0] == \
            con.execute("SELECT count(*) FROM bankrequest").fetchone()[0]
        assert con.execute("SELECT count(*) FROM fundaccount WHERE non_withdrawable_today > 0").fetchone()[0] > 0


def test_the_counter_works_on_generated_clients_and_day_end_finds_the_planted_patterns(firm):
    from teller.demo.generate import client_code, main_account

    url, _made = firm
    counter = Counter(make_engine(url))
    aux, main = main_account(11) + "01", main_account(11)
    o = counter.run("ledger_transfer", {"from": aux, "to": main, "amount": "1.00"}, Context(teller_id="T01", documents=None))
    assert o.ok, o.message
    day_end = counter.run("end_of_day", {}, Context(teller_id="S01"))
    assert day_end.ok, day_end.message
    kinds = {a["customer"]: a["kind"] for a in reads.alert_list(counter.engine)}
    assert kinds[client_code(3)] == "NON_TRADING_TRANSFER"  # six transfers and a withdrawal in the last days
    assert kinds[client_code(6)] == "AML_LARGE"  # 600,000.00 main<->aux on the last day


def test_lookups_by_code_name_and_id_number(firm):
    from teller.demo.generate import client_code, client_name, id_number

    url, _made = firm
    engine = make_engine(url)
    assert [c["code"] for c in reads.find_customers(engine, client_code(42))] == [client_code(42)]
    assert client_code(42) in [c["code"] for c in reads.find_customers(engine, client_name(42))]
    assert [c["code"] for c in reads.find_customers(engine, id_number(42).lower())] == [client_code(42)]
    assert "880001" in [c["code"] for c in reads.find_customers(engine, "张")]  # a name's start
    anywhere = reads.find_customers(engine, "三")  # no name starts so: anywhere in it (张三, 陈十三)
    assert "880001" in [c["code"] for c in anywhere] and all("三" in c["name"] for c in anywhere)
    assert reads.find_customers(engine, "%") == [] and reads.find_customers(engine, "_") == []  # no wildcards
    main_no = client_code(42) + "001"
    assert [a["no"] for a in reads.find_accounts(engine, main_no)][:1] == [main_no]
    assert reads.client_count(engine) >= 300


def test_a_generated_store_on_postgresql_is_verifiable(pg_url):
    from teller.demo import seed_demo
    from teller.services.audit import verify
    from teller.demo.generate import client_code, generate

    engine = make_engine(pg_url)
    seed_demo(engine)
    generate(engine, 40)
    assert verify(engine).ok
    assert [c["code"] for c in reads.find_customers(engine, client_code(7))] == [client_code(7)]
    counter = Counter(engine)  # ids carry on from the generated ones
    assert counter.run("ledger_transfer", {"from": client_code(11) + "00101", "to": client_code(11) + "001",
                                           "amount": "1.00"}, Context(teller_id="T01", documents=None)).ok
    assert verify(engine).ok


def test_the_catalogs_read_without_babel_as_babel_reads_them():
    from babel.messages.pofile import read_po

    from teller import i18n

    for lang in ("zh_CN", "en"):
        po = i18n.locale_dir() / lang / "LC_MESSAGES" / "teller.po"
        with po.open("rb") as fh:
            theirs = {m.id: m.string for m in read_po(fh) if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}
        assert i18n.read_catalog(po.read_text(encoding="utf-8")) == theirs
    text = 'msgid "a\\"b"\nmsgstr ""\n"x\\n"\n"y"\n\n#, fuzzy\nmsgid "c"\nmsgstr "d"\n'
    assert i18n.read_catalog(text) == {'a"b': "x\ny"}


@pytest.mark.parametrize("argv", [
    [], ["--db", "sqlite:///x.db"], ["--db=sqlite:///x.db", "--lang", "en"], ["--demo", "--theme", "light"],
    ["--terminal", "T-09", "--keymap", "site.toml"], ["--theme", "blue"], ["--help"], ["db", "current"], ["--db"],
])
def test_the_counters_short_start_reads_options_as_the_full_command_line_does(argv, monkeypatch):
    from typer.testing import CliRunner

    import teller.launch as L
    from teller.cli import app

    monkeypatch.delenv("TELLER_DB", raising=False)
    monkeypatch.setenv("TELLER_TERMINAL", "T-05")
    seen: list[dict] = []
    monkeypatch.setattr(L, "run_counter", lambda **kw: seen.append(kw) or 0)
    monkeypatch.setattr("teller.store.db.default_db_url", lambda: "sqlite://")
    short = L.counter_args(argv)
    CliRunner().invoke(app, argv)
    if short is None:  # the full command line decides (a subcommand, --help, a mistake it explains)
        assert not seen or argv == []
        return
    short.pop("lang")
    assert seen == [short]


def test_day_end_on_a_big_store_runs_behind_a_progress_bar(demo_store, monkeypatch):
    import asyncio

    from screenkit import SIZE, app_for, message, open_code
    from teller.screens.dayend import DayEndView

    monkeypatch.setattr(DayEndView, "LONG", 0)  # this store counts as big

    async def run() -> tuple[str, float, float]:
        async with app_for(demo_store).run_test(size=SIZE) as pilot:
            await open_code(pilot, "9101")
            await pilot.press("f8")
            await pilot.pause()
            await pilot.press("enter")
            view = pilot.app.screen.view
            for _ in range(400):
                await pilot.pause(0.05)
                if not view.running:
                    break
            bar = view.query_one("#dayend-bar")
            return message(pilot.app), bar.progress, bar.total

    msg, progress, total = asyncio.run(run())
    assert msg.startswith("✔") and "2026年11月24日" in msg, msg
    assert progress == total
    assert str(reads.branch_status(demo_store)["business_date"]) == "2026-11-24"


@pytest.fixture
def demo_store(demo_template, tmp_path):
    import shutil

    path = tmp_path / "branch.db"
    shutil.copy(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def _writer(url: str, start, out) -> None:  # noqa: ANN001
    from sqlalchemy import text

    engine = make_engine(url)
    start.wait()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 2.0:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
            time.sleep(0.001)  # a transaction's work
        n += 1
    out.put(n)


def test_two_terminals_on_one_sqlite_file_take_turns(tmp_path):
    """SQLite's own busy handler let one of two busy writers starve (one transaction in three seconds
    against thousands); the counter's BEGIN polls the file instead (teller.store.db)."""
    from teller.services.setup import init_store

    url = f"sqlite:///{tmp_path / 'turns.db'}"
    engine = make_engine(url)
    init_store(engine, __import__("datetime").date(2026, 11, 23))  # a store: --db refuses another program's file
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
    engine.dispose()
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(url, start, out)) for _ in range(2)]
    for p in procs:
        p.start()
    done = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join()
    assert min(done) >= 0.2 * sum(done), done


def test_an_outdated_store_closes_the_counter_with_code_2(tmp_path):
    import asyncio

    from sqlalchemy import text

    from teller.screens.app import TellerApp
    from teller.services.setup import init_store

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    init_store(engine, __import__("datetime").date(2026, 11, 23))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()

    async def run() -> TellerApp:
        app = TellerApp(db_url=url)
        async with app.run_test() as pilot:
            for _ in range(200):
                await pilot.pause(0.05)
                if app.return_code is not None:
                    break
        return app

    app = asyncio.run(run())
    assert app.return_code == 2 and "teller db upgrade" in app.store_error
