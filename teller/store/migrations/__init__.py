"""Alembic migrations of the store, run from code (teller.store.migrate); no alembic.ini."""
