"""Alembic environment: the connection comes from teller.store.migrate, never from a config file."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from teller.store import models  # noqa: F401  (registers the tables)


def _render_item(type_, obj, autogen_context):  # noqa: ANN001, ANN202
    """SQLModel's own column types are plain VARCHAR and TIMESTAMPTZ: write them so migrations need no sqlmodel."""
    from sqlmodel.sql import sqltypes

    if type_ == "type" and isinstance(obj, sqltypes.AutoString):
        return "sa.String()"
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot ALTER most things in place: batch mode copies the table.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=_render_item,
)
with context.begin_transaction():
    context.run_migrations()
