"""Queries: 6101 银证转帐查询, 6102 资金查询, 6103 调拨流水查询 (7102 is in compliance.py, 8101 in archive.py)."""

from __future__ import annotations

from sqlmodel import select

from teller.i18n import N_
from teller.services.base import Params, Tx, function
from teller.services.views import account_view, amt
from teller.store.models import BankRequest, Movement


@function("6101", writes=False)
def query_bank_journal(tx: Tx, p: Params) -> dict:
    c = tx.customer(p.text("customer", N_("客户号")))
    rows = tx.s.exec(select(BankRequest).where(BankRequest.customer_code == c.code).order_by(BankRequest.id))
    return {"customer": c.code, "requests": [
        {"id": r.id, "date": r.business_date.isoformat(), "bank": r.bank, "account": r.fund_account,
         # a key-information change moves no money: no amount (it read 资料变更 0.00)
         "kind": r.kind, "amount": "" if r.kind == "key_update" else amt(r.amount), "state": r.state, "journal": r.journal_id,
         # what the teller needs to settle a request (6104): how often it was sent, what happened since
         "attempts": r.attempts, "detail": r.detail, "settled_journal": r.settled_journal} for r in rows]}


@function("6102", writes=False)
def query(tx: Tx, p: Params) -> dict:
    a = tx.account(p.text("account", N_("资金账号")), lock=False)
    v = account_view(a)
    # Exactly the fields of the scenario contract (DOMAIN §6); 3206 and 1103 show the rest.
    return {k: v[k] for k in ("cash", "available", "withdrawable", "role", "transfer_flag")}


@function("6103", writes=False)
def query_ledger_journal(tx: Tx, p: Params) -> dict:
    c = tx.customer(p.text("customer", N_("客户号")))
    rows = tx.s.exec(select(Movement).where(Movement.customer_code == c.code,
                                            Movement.kind.in_(("ledger_in", "ledger_out"))).order_by(Movement.id))
    return {"customer": c.code, "lines": [
        {"id": m.id, "date": m.business_date.isoformat(), "account": m.fund_account, "kind": m.kind,
         "amount": amt(m.amount), "counterpart": m.counterpart, "channel": m.channel, "journal": m.journal_id}
        for m in rows]}
