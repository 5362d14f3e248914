"""The store's refusal, importable without SQLAlchemy (teller.cli.main catches it)."""

from __future__ import annotations


class StoreRefused(RuntimeError):
    """A store this program will not run on, said in one line: a `--db` that is no store URL, one that
    carries a password, a file that is not an SQLite store of ours, a server that cannot be reached,
    a schema older or newer than the program's. The command stops with exit 2 (teller.cli.main); the
    counter closes at once and says it (screens.app catches it as SchemaOutdated, the same class)."""
