"""Read-only shapes of the store for queries, the screens and scenario output. Amounts are strings
with two decimals (the scenario contract's format), never floats."""

from __future__ import annotations

from sqlmodel import select

from teller.domain import rules as R
from teller.domain.identity import mask_id
from teller.domain.money import format_amount
from teller.store.models import Customer, FundAccount, OfAccount, ShareholderAccount


def amt(fen: int) -> str:
    return format_amount(fen, grouping=False)


def account_view(a: FundAccount) -> dict:
    return {
        "no": a.no, "customer": a.customer_code, "bank": a.bank, "role": a.role if a.in_service else R.NONE,
        "in_service": a.in_service, "transfer_flag": a.transfer_flag, "custody": a.custody, "status": a.status,
        "cash": amt(a.cash), "frozen": amt(a.frozen), "available": amt(R.available(a)),
        "withdrawable": amt(R.withdrawable(a)), "non_withdrawable_today": amt(a.non_withdrawable_today),
        "interest_base": str(a.interest_base), "liabilities": amt(a.liabilities),
        "commission_class": a.commission_class,
    }


def customer_view(tx, c: Customer, *, unmask: bool = False) -> dict:  # noqa: ANN001
    accounts = list(tx.s.exec(select(FundAccount).where(FundAccount.customer_code == c.code).order_by(FundAccount.no)))
    sh = list(tx.s.exec(select(ShareholderAccount).where(ShareholderAccount.customer_code == c.code)))
    of = list(tx.s.exec(select(OfAccount).where(OfAccount.customer_code == c.code)))
    links = [("shareholder", s.fund_account) for s in sh] + [("of", o.fund_account) for o in of]
    pending = sorted(tx.pending_banks(c))
    return {
        "customer": c.code, "name": c.name, "kind": c.kind, "id_type": c.id_type,
        "id_no": c.id_no if unmask else mask_id(c.id_no), "status": c.status,
        "service_state": R.service_state([a for a in accounts if a.status == "open"], [home for _kind, home in links]),
        "key_info_pending_banks": pending,
        "accounts": [account_view(a) for a in accounts],
        "shareholder_accounts": [{"no": s.no, "market": s.market, "fund_account": s.fund_account} for s in sh],
        "of_accounts": [{"no": o.no, "fund_account": o.fund_account} for o in of],
    }
