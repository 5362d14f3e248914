"""Schema versions: Alembic migrations run from code, on SQLite and PostgreSQL alike.

A new store is created from the tables as they are now and stamped at the newest migration (fast,
and the models are the truth); an existing store is brought forward only by `teller db upgrade`, so
a shared branch database never changes shape because one terminal started a newer program. A store
made before migrations existed (tables, no version) counts as the first migration, which is exactly
the schema of that first release.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

from teller.i18n import _

FIRST = "0001"


from teller.store.db import StoreRefused

# The store's schema is older (or newer) than this program's, or the store is not one of this
# program's at all: every refusal of a store is one class (the counter's screens catch this name).
SchemaOutdated = StoreRefused


@lru_cache(maxsize=1)
def _script():  # noqa: ANN202
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def _config(connection: Connection | None = None):  # noqa: ANN202
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    return _script().get_current_head()


def current(engine: Engine) -> str | None:
    """The store's revision; FIRST for a pre-migration store; None for an empty one."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" in tables:
            return MigrationContext.configure(conn).get_current_revision() or None
        if "setting" in tables:
            return FIRST
    if tables:  # another program's tables: ours are never added beside them (issue 11, hole 8)
        raise StoreRefused(_("--db：{path} 是别的程序的数据库（有 {tables} 等表），不是本程序的；不会往里加表").format(
            path=engine.url.render_as_string(hide_password=True), tables=_("、").join(sorted(tables)[:3])))
    return None


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Bring the store to `revision`; returns (before, after). An empty store gets every migration."""
    from alembic import command

    before = current(engine)
    with engine.begin() as conn:
        cfg = _config(conn)
        if before == FIRST and "alembic_version" not in inspect(conn).get_table_names():
            command.stamp(cfg, FIRST)
        command.upgrade(cfg, revision)
    return before, current(engine) or ""


def ensure_schema(engine: Engine) -> None:
    """A new store: every table, stamped at head. A store at head: nothing. Otherwise refuse, naming
    the command that fixes it, rather than run on a schema the code does not match."""
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    from teller.store import models  # noqa: F401  (registers the tables)

    rev = current(engine)
    if rev is None:
        with engine.begin() as conn:
            SQLModel.metadata.create_all(conn)
            MigrationContext.configure(conn).stamp(_script(), "head")
        return
    if rev != head():
        raise SchemaOutdated(
            _("数据库结构版本为 {rev}，本程序需要 {head}：请先备份，再运行 teller db upgrade").format(rev=rev, head=head())
        )
