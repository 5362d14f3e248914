"""The store's books in tests: the product's books check (teller.services.books: every account
equals its movements replayed from its opening, frozen equals its open transfers out, the bank's
ledger agrees with the broker side, nothing negative) must find nothing; on top of it, what only a
test can say: the figures also equal the snapshot taken before the work, each journal line moved
bank money once, and, once settled, both sides agree to the fen with nothing open."""

from __future__ import annotations

from collections import Counter as Tally

from sqlmodel import select

from teller.domain import rules as R
from teller.services.books import check_store
from teller.store.db import unit_of_work
from teller.store.models import BankLedger, BankRequest, FundAccount, Journal, Movement

SIGN = {"bank_in": 1, "bank_out": -1, "ledger_in": 1, "ledger_out": -1, "buy": -1, "sell": 1, "subscribe": -1,
        "interest": 1, "bank_in_reversal": -1, "bank_out_reversal": 1}
OPEN = ("未报", "已报", "超时")


def snapshot(engine) -> dict[str, tuple[int, int, int]]:  # noqa: ANN001
    """Each account's cash, frozen and bank-side balance, before the work starts."""
    with unit_of_work(engine) as s:
        return {a.no: (a.cash, a.frozen, a.bank_balance) for a in s.exec(select(FundAccount))}


def check_books(engine, start: dict[str, tuple[int, int, int]], *, settled: bool = False) -> dict:  # noqa: ANN001
    """Assert the invariants; with `settled`, also that no request is open and both sides agree.
    Returns totals for further checks."""
    found = check_store(engine)
    assert not found, "the books check: " + "; ".join(f.message for f in found[:5])
    with unit_of_work(engine) as s:
        accounts = list(s.exec(select(FundAccount)))
        moves = list(s.exec(select(Movement)))
        requests = list(s.exec(select(BankRequest)))
        ledger = [x for x in s.exec(select(BankLedger)) if x.result == "成功"]
        batch = set(s.exec(select(Journal.id).where(Journal.op == "end_of_day")))
    # A bank answer, a settlement or a resend moves one request's money once; only day-end's
    # reconciliation settles several requests on its one line.
    applied = Tally(m.journal_id for m in moves if m.kind in ("bank_in", "bank_out") and m.journal_id not in batch)
    assert all(n == 1 for n in applied.values()), "a journal line moved bank money twice"
    totals = {"bank_in": 0, "bank_out": 0, "trade": 0}
    for a in accounts:
        cash0, frozen0, bank0 = start[a.no]
        mine = [m for m in moves if m.fund_account == a.no]
        assert a.cash == cash0 + sum(SIGN[m.kind] * m.amount for m in mine), f"{a.no}: cash is not its movements replayed"
        open_out = sum(r.amount for r in requests if r.fund_account == a.no and r.kind == "transfer_out" and r.state in OPEN)
        assert a.frozen == frozen0 + open_out, f"{a.no}: frozen {a.frozen} is not the open transfers out {open_out}"
        assert R.available(a) >= 0 and R.withdrawable(a) >= 0 and a.cash >= 0, f"{a.no}: negative money"
        bank_in = sum(x.amount for x in ledger if x.fund_account == a.no and x.kind == "transfer_in")
        bank_out = sum(x.amount for x in ledger if x.fund_account == a.no and x.kind == "transfer_out")
        assert a.bank_balance == bank0 - bank_in + bank_out, f"{a.no}: bank side is not the bank's ledger replayed"
        broker_net = sum(SIGN[m.kind] * m.amount for m in mine if m.kind.startswith("bank_"))
        if settled:
            assert broker_net == bank_in - bank_out, f"{a.no}: broker {broker_net} != bank {bank_in - bank_out}"
        totals["bank_in"] += bank_in
        totals["bank_out"] += bank_out
        totals["trade"] += sum(SIGN[m.kind] * m.amount for m in mine if m.kind in ("buy", "sell", "subscribe", "interest"))
    if settled:
        assert not [r.id for r in requests if r.state in OPEN], "requests still open after settlement"
        cash0 = sum(v[0] for v in start.values())
        assert sum(a.cash for a in accounts) == cash0 + totals["bank_in"] - totals["bank_out"] + totals["trade"]
    return totals


def check_running(engine, start: dict[str, tuple[int, int, int]]) -> None:  # noqa: ANN001
    """Replay every account's movements in the order their journal lines were sealed (the commit
    order): the cash never went below zero on the way."""
    with unit_of_work(engine) as s:
        rows = s.exec(select(Movement, Journal.chain, Journal.seq).join(Journal, Journal.id == Movement.journal_id)
                      .order_by(Journal.chain, Journal.seq, Movement.id)).all()
    cash = {no: v[0] for no, v in start.items()}
    for m, _chain, _seq in rows:
        cash[m.fund_account] += SIGN[m.kind] * m.amount
        assert cash[m.fund_account] >= 0, f"{m.fund_account} went negative at journal line {m.journal_id}"
