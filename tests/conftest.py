"""Shared fixtures: a counter on a fresh in-memory store seeded from scenario text."""

from __future__ import annotations

import os
import textwrap

import pytest

from teller import i18n

# A handler reading an input its catalog entry does not declare fails the run (teller.services.base).
os.environ["TELLER_STRICT_PARAMS"] = "1"


# The slow part of the suite: the screens driven through Textual's Pilot and the browser, and the
# tests that start processes (crashes, concurrent terminals, the served counter, the benchmarks,
# firm-sized stores). `python -m pytest -m "not slow"` runs the rest in under a minute (README, "Test");
# .ci/run runs everything. A slow test in another file says so with @pytest.mark.slow.
SLOW_FILES = ("test_screen_", "test_browser", "test_serve", "test_crash", "test_concurrency", "test_bench", "test_scale")


# tools/mutation.py runs the tests with --hypothesis-profile=mutation: the same examples, no shrinking
# (a mutant's failure is all it needs; shrinking it took five minutes a mutant) and no example
# database (a failure kept from one mutant must not be replayed against the next).
from hypothesis import Phase, settings as _hypothesis  # noqa: E402

_hypothesis.register_profile("mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate], database=None)


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: Pilot, browser and process tests (deselect with -m 'not slow')")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name.startswith(SLOW_FILES):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Every test starts in the counter's first language; a test that needs English sets it."""
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("zh_CN")


@pytest.fixture(autouse=True)
def _papers_spool_in_tmp(tmp_path_factory, monkeypatch):
    """The counter spools every receipt it prints (README "Papers"): a test's go to its own folder,
    never to the user's data folder, and no test's printer is the machine's."""
    monkeypatch.setenv("TELLER_SPOOL", str(tmp_path_factory.mktemp("spool")))
    monkeypatch.delenv("TELLER_PRINTER", raising=False)
    monkeypatch.delenv("TELLER_PAPER", raising=False)


def account(no: str, bank: str, role: str | None = None, cash: str | None = None, *, customer: str = "880001",
            **money: str) -> str:
    """A scenario's [[accounts]] block: a fund account of `customer` (张三 of BASE unless told), with
    its cash and any other balance given (bank_balance, frozen, ...)."""
    lines = [f'no = "{no}"', f'customer = "{customer}"', f'bank = "{bank}"']
    lines += [f'role = "{role}"'] if role else []
    lines += [f'cash = "{cash}"'] if cash is not None else []
    lines += [f'{k} = "{v}"' for k, v in money.items()]
    return "\n[[accounts]]\n" + "\n".join(lines) + "\n"


BASE = """
date = "2026-11-23"
auto_documents = true

[[customers]]
code = "880001"
name = "张三"
kind = "individual"
id_type = "居民身份证"
id_no = "11010519491231002X"
status = "合格"
"""


def build(toml_text: str, db: str = "sqlite://"):
    """A Counter over a fresh store holding the scenario's starting state (its steps are ignored)."""
    from teller.runner import open_store_for
    from teller.scenario import parse_scenario

    scenario = parse_scenario(textwrap.dedent(toml_text))
    return open_store_for(scenario, None if db == "sqlite://" else db), scenario


@pytest.fixture
def counter_from():
    return lambda text: build(text)[0]


# --- PostgreSQL (issue 6) ---------------------------------------------------------------------------
# TELLER_TEST_DB=postgresql://user@host:port/db runs every store the tests build on that server, each
# in a fresh schema of one database made for this run (dropped at the end). Tests that need
# PostgreSQL take the `pg_url` fixture and are skipped, visibly, when no server is given.

import os  # noqa: E402
import uuid  # noqa: E402

TEST_DB = os.environ.get("TELLER_TEST_DB", "")
_pg_run: dict = {}


def _pg_admin(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def fresh_pg_url() -> str:
    """A new empty schema on the test server; the URL puts it alone on the search path."""
    from sqlalchemy.engine import make_url

    if "url" not in _pg_run:
        name = f"teller_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with _pg_admin(TEST_DB) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        _pg_run["url"] = make_url(TEST_DB.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name)
    schema = "s_" + uuid.uuid4().hex[:12]
    base = _pg_run["url"]
    with _pg_admin(base.render_as_string(hide_password=False)) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture(scope="session", autouse=True)
def _drop_pg_test_database():
    yield
    if "url" in _pg_run:
        with _pg_admin(TEST_DB) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{_pg_run["url"].database}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _stores_on_test_db(monkeypatch):
    """With TELLER_TEST_DB set, every store `build()` makes lives on PostgreSQL."""
    if not TEST_DB:
        yield
        return
    import teller.runner as runner

    real, engines = runner.open_store_for, []

    def on_pg(scenario, db):
        counter = real(scenario, db or fresh_pg_url())
        engines.append(counter.engine)
        return counter

    monkeypatch.setattr(runner, "open_store_for", on_pg)
    yield
    for engine in engines:
        engine.dispose()


@pytest.fixture
def pg_url():
    if not TEST_DB:
        pytest.skip("no PostgreSQL: set TELLER_TEST_DB")
    return fresh_pg_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def file_db(request, tmp_path):
    """A store URL another process can open too: an SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'branch.db'}"
    return request.getfixturevalue("pg_url")
