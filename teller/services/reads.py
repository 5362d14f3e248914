"""Small read-only lookups the screens and the scenario runner need outside a business function."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select

from teller.store.db import unit_of_work
from teller.store.models import Review, Setting


def pending_reviews(engine: Engine) -> list[int]:
    with unit_of_work(engine) as s:
        return list(s.exec(select(Review.id).where(Review.status == "pending").order_by(Review.id)))


def settings(engine: Engine) -> dict[str, str]:
    with unit_of_work(engine) as s:
        return {r.key: r.value for r in s.exec(select(Setting))}
