"""Small read-only lookups the screens and the scenario runner need outside a business function."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import and_, bindparam
from sqlalchemy.engine import Engine
from sqlmodel import select

from teller.store.db import reading
from teller.store.models import Review, Setting


def pending_reviews(engine: Engine) -> list[int]:
    with reading(engine) as s:
        return list(s.exec(select(Review.id).where(Review.status == "pending").order_by(Review.id)))


def settings(engine: Engine) -> dict[str, str]:
    with reading(engine) as s:
        return {r.key: r.value for r in s.exec(select(Setting))}


# --- lookups for the counter screens (F4 lists, the client panel, the status line) ----------------

class _Reader:
    """What views.customer_view needs of a transaction, for a read outside one."""

    def __init__(self, session) -> None:  # noqa: ANN001
        self.s = session

    def pending_banks(self, customer):  # noqa: ANN001, ANN201
        from teller.services.base import Tx

        return Tx.pending_banks(self, customer)  # type: ignore[arg-type]


def branch_status(engine: Engine) -> dict:
    """The status line: branch, its name and the business date (None before the store is set up)."""
    from datetime import date

    s = settings(engine)
    day = s.get("business_date")
    return {"branch": s.get("branch", ""), "branch_name": s.get("branch_name", ""),
            "business_date": date.fromisoformat(day) if day else None}


@lru_cache(maxsize=8)
def _customer_lookups(dialect: str, limit: int) -> tuple:
    """The F4 client lookups, built once: by the start of the code, by the start of the name, by the ID
    number, and the name anywhere (a scan, the last resort). Each is one index lookup; on SQLite a
    start is an index range (its text order is code-point order), elsewhere LIKE, right whatever the
    collation (PostgreSQL uses an index for it under C)."""
    from teller.store.models import Customer

    p = bindparam
    stmt = (select(Customer.code, Customer.name, Customer.kind, Customer.status, Customer.id_no)
            .order_by(Customer.code).limit(limit))

    def starts(column):  # noqa: ANN001, ANN202
        if dialect == "sqlite":
            return and_(column >= p("text"), column < p("text_end"))
        return column.like(p("starts"), escape="\\")

    return (stmt, (stmt.where(starts(Customer.code)), stmt.where(starts(Customer.name)), stmt.where(Customer.id_no == p("id"))),
            stmt.where(Customer.name.like(p("anywhere"), escape="\\")))


def _starts(column, text: str, engine: Engine):  # noqa: ANN001, ANN202
    """`column` starts with `text` (see _customer_lookups)."""
    if engine.dialect.name == "sqlite":
        return and_(column >= text, column < text + "\U0010ffff")
    return column.startswith(text, autoescape=True)


def client_count(engine: Engine) -> int:
    """About how many clients the store holds (exact on SQLite, where it is the largest rowid of a
    table that only grows; counted elsewhere): enough to tell a branch from a firm."""
    from sqlalchemy import func, text

    from teller.store.models import Customer

    with reading(engine) as s:
        if engine.dialect.name == "sqlite":
            return s.execute(text("SELECT coalesce(max(rowid), 0) FROM customer")).scalar_one()
        return s.execute(select(func.count()).select_from(Customer)).scalar_one()


def find_customers(engine: Engine, text: str = "", limit: int = 50) -> list[dict]:
    """Clients whose code or name starts with `text`, or whose ID number is `text` (F4 on a client
    field), in code order; each way is an index lookup, so it stays quick with a million clients.
    Only when none matches is the name searched for `text` anywhere in it (a scan)."""
    from teller.domain.identity import mask_id

    text = text.strip()
    every, ways, anywhere = _customer_lookups(engine.dialect.name, limit)
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    params = {"text": text, "text_end": text + "\U0010ffff", "id": text.upper(), "starts": escaped + "%",
              "anywhere": "%" + escaped + "%"}
    with reading(engine) as s:
        if not text:
            found = list(s.execute(every))
        else:  # one query per index, merged: an OR would let the planner walk the whole table in code order
            merged = {c.code: c for way in ways for c in s.execute(way, params)}
            found = [merged[k] for k in sorted(merged)][:limit]
            if not found:
                found = list(s.execute(anywhere, params))
        return [{"code": c.code, "name": c.name, "kind": c.kind, "status": c.status, "id_no": mask_id(c.id_no)}
                for c in found]


def client(engine: Engine, code: str) -> dict | None:
    """The client panel: the client, their fund accounts (role, bank, flag, cash, available,
    withdrawable), shareholder and open-end fund accounts, banks still waiting for key information."""
    from teller.services.views import customer_view
    from teller.store.models import Customer

    with reading(engine) as s:
        c = s.get(Customer, (code or "").strip())
        return None if c is None else customer_view(_Reader(s), c)


def owner_of(engine: Engine, kind: str, key: str) -> str | None:
    """The client code behind a fund account, shareholder account, open-end fund account, review or alert."""
    from teller.store.models import Alert, FundAccount, OfAccount, ShareholderAccount

    key = (key or "").strip()
    with reading(engine) as s:
        if kind in ("review", "alert"):
            if not key.isdigit():
                return None
            row = s.get(Review if kind == "review" else Alert, int(key))
        else:
            row = s.get({"account": FundAccount, "shareholder": ShareholderAccount, "of_account": OfAccount}[kind], key)
        return None if row is None else row.customer_code


def find_accounts(engine: Engine, text: str = "", customer: str | None = None, limit: int = 50) -> list[dict]:
    """Fund accounts for F4: the client's own when the client is known, else by the start of the
    number or of the client's name (index lookups)."""
    from teller.services.views import account_view
    from teller.store.models import Customer, FundAccount

    text = text.strip()
    with reading(engine) as s:
        stmt = select(FundAccount, Customer.name).join(Customer, Customer.code == FundAccount.customer_code)
        if customer:
            stmt = stmt.where(FundAccount.customer_code == customer)
        stmt = stmt.order_by(FundAccount.no).limit(limit)
        if text:  # by number, by name: one query each (see find_customers)
            merged = {a.no: (a, name) for way in (_starts(FundAccount.no, text, engine), _starts(Customer.name, text, engine))
                      for a, name in s.exec(stmt.where(way))}
            rows = [merged[k] for k in sorted(merged)][:limit]
        else:
            rows = list(s.exec(stmt))
        return [account_view(a) | {"name": name} for a, name in rows]


def review_list(engine: Engine, status: str = "pending") -> list[dict]:
    with reading(engine) as s:
        rows = s.exec(select(Review).where(Review.status == status).order_by(Review.id))
        return [{"id": r.id, "op": r.op, "customer": r.customer_code, "requested_by": r.requested_by,
                 "date": r.business_date, "params": dict(r.params or {}), "agent": r.agent} for r in rows]


def alert_list(engine: Engine, customer: str | None = None, open_only: bool = True) -> list[dict]:
    from teller.domain.compliance import DONE
    from teller.store.models import Alert

    with reading(engine) as s:
        stmt = select(Alert).order_by(Alert.id)
        if customer:
            stmt = stmt.where(Alert.customer_code == customer)
        if open_only:
            stmt = stmt.where(Alert.state.not_in(DONE))
        return [{"id": a.id, "customer": a.customer_code, "kind": a.kind, "date": a.business_date, "state": a.state}
                for a in s.exec(stmt)]


def teller_list(engine: Engine) -> list[dict]:
    from teller.store.models import Teller

    with reading(engine) as s:
        return [{"id": t.id, "name": t.name, "role": t.role, "locked": t.locked, "active": t.active}
                for t in s.exec(select(Teller).order_by(Teller.id))]


def find_linked(engine: Engine, kind: str, text: str = "", customer: str | None = None, limit: int = 50) -> list[dict]:
    """Shareholder or open-end fund accounts for F4, by number or client code, with the fund account each hangs under."""
    from sqlalchemy import or_

    from teller.store.models import OfAccount, ShareholderAccount

    table = ShareholderAccount if kind == "shareholder" else OfAccount
    text = text.strip()
    with reading(engine) as s:
        stmt = select(table).order_by(table.no).limit(limit)
        if customer:
            stmt = stmt.where(table.customer_code == customer)
        if text:
            stmt = stmt.where(or_(table.no.startswith(text), table.customer_code.startswith(text)))
        return [{"no": r.no, "customer": r.customer_code, "fund_account": r.fund_account} for r in s.exec(stmt)]
