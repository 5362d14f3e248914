"""The books check (`teller audit books`; `teller audit verify` runs it after the chain; day-end runs
it before it closes a day): do the balances equal what the movements and requests did?

The journal's hash chain says whether the journal lines are as the counter wrote them; it says
nothing of the tables the lines moved money in. Here, from each account's opening figures
(FundAccount.opening_*, written when the account's row was written):
- cash is the opening cash plus every movement of the account, signed by its kind;
- frozen is the opening frozen plus every transfer out still open (未报, 已报, 超时);
- the account's bank-side movements (银证转账 in and out, and their 冲正) add up to its requests that
  ended in 成功 or 调为成功;
- the bank's ledger (the simulator's own record, the bank side): each row is the request it answers
  (same account, kind and amount), and the account's bank-side balance is its opening less what
  the bank moved in, plus what it moved out;
- no cash, frozen or available money is negative.
Whether a final state agrees with the bank's answer is day-end's reconciliation's work (it corrects
it or names it for the branch), not a finding here. The interest base (利息积数) is not replayed:
the store keeps no per-day closing cash to replay it from.

Every figure is a set-based aggregate (one GROUP BY per table), so the check reads a large store
once; findings come in account order, the first one naming the first account that disagrees.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from teller.domain import rules as R
from teller.domain.banks import DONE_OK, PENDING
from teller.i18n import _
from teller.store.models import BankLedger, BankRequest, FundAccount, Movement

PLUS = ("bank_in", "ledger_in", "sell", "interest", "bank_out_reversal")
MINUS = ("bank_out", "ledger_out", "buy", "subscribe", "bank_in_reversal")
BANK_KINDS = ("bank_in", "bank_out", "bank_in_reversal", "bank_out_reversal")
TRANSFERS = ("transfer_in", "transfer_out")

# The accounts' openings as their books stand now (for a store written without them: the demo
# generator's raw inserts). The migration 0008 keeps its own copy of this statement. Set-based: each of
# the three tables is summed once, grouped by account, and joined (one correlated sum per account,
# with bankrequest and bankledger not indexed by account, did not finish in 30 min on a million clients).
OPENINGS_SQL = f"""
UPDATE fundaccount SET
  opening_cash = fundaccount.cash - t.moved,
  opening_frozen = fundaccount.frozen - t.held,
  opening_bank_balance = fundaccount.bank_balance + t.banked
FROM (SELECT a.no AS no, COALESCE(m.s, 0) AS moved, COALESCE(r.s, 0) AS held, COALESCE(l.s, 0) AS banked
      FROM fundaccount a
      LEFT JOIN (SELECT fund_account, SUM(CASE WHEN kind IN ({", ".join(f"'{k}'" for k in PLUS)})
                                           THEN amount ELSE -amount END) AS s
                 FROM movement GROUP BY fund_account) m ON m.fund_account = a.no
      LEFT JOIN (SELECT fund_account, SUM(amount) AS s FROM bankrequest
                 WHERE kind = 'transfer_out' AND state IN ('未报', '已报', '超时')
                 GROUP BY fund_account) r ON r.fund_account = a.no
      LEFT JOIN (SELECT fund_account, SUM(CASE WHEN kind = 'transfer_in' THEN amount
                                           WHEN kind = 'transfer_out' THEN -amount ELSE 0 END) AS s
                 FROM bankledger WHERE result = '成功' GROUP BY fund_account) l ON l.fund_account = a.no) AS t
WHERE fundaccount.no = t.no"""

CASH, FROZEN, BANK_MOVES, BANK_SIDE, LEDGER_ROW, NEGATIVE, KIND = (
    "cash", "frozen", "bank_moves", "bank_side", "ledger_row", "negative", "kind")


@dataclass(frozen=True)
class Finding:
    account: str  # the fund account, or "" for a row that names none
    what: str  # cash | frozen | bank_moves | bank_side | ledger_row | negative | kind
    recorded: int | None  # the figure the store holds (fen)
    replayed: int | None  # the figure its movements / requests / ledger make (fen)
    message: str


def _signed(amount, kind, plus) -> object:  # noqa: ANN001 - SQL expressions
    return func.coalesce(func.sum(case((kind.in_(plus), amount), else_=-amount)), 0)


def _by_account(s: Session, stmt) -> dict[str, int]:  # noqa: ANN001
    return {no: int(v or 0) for no, v in s.exec(stmt).all()}


def check(s: Session) -> list[Finding]:
    """Every disagreement between the balances and what made them, in account order."""
    moved = _by_account(s, select(Movement.fund_account, _signed(Movement.amount, Movement.kind, PLUS))
                        .group_by(Movement.fund_account))
    bank_moved = _by_account(s, select(Movement.fund_account, _signed(Movement.amount, Movement.kind, PLUS))
                             .where(Movement.kind.in_(BANK_KINDS)).group_by(Movement.fund_account))
    open_out = _by_account(s, select(BankRequest.fund_account, func.sum(BankRequest.amount))
                           .where(BankRequest.kind == "transfer_out", BankRequest.state.in_(PENDING))
                           .group_by(BankRequest.fund_account))
    requested = _by_account(s, select(BankRequest.fund_account, _signed(BankRequest.amount, BankRequest.kind, ("transfer_in",)))
                            .where(BankRequest.kind.in_(TRANSFERS), BankRequest.state.in_(DONE_OK))
                            .group_by(BankRequest.fund_account))
    bank_did = _by_account(s, select(BankLedger.fund_account, _signed(BankLedger.amount, BankLedger.kind, ("transfer_in",)))
                           .where(BankLedger.kind.in_(TRANSFERS), BankLedger.result == "成功")
                           .group_by(BankLedger.fund_account))
    found: list[Finding] = []
    for kind, count in s.exec(select(Movement.kind, func.count()).where(Movement.kind.not_in(PLUS + MINUS))
                              .group_by(Movement.kind)).all():
        found.append(Finding("", KIND, None, None, _("资金流水中有 {n} 笔未知类别“{k}”的记录：不是柜台写入的").format(n=count, k=kind)))
    accounts = s.exec(select(FundAccount.no, FundAccount.cash, FundAccount.frozen, FundAccount.bank_balance,
                             FundAccount.opening_cash, FundAccount.opening_frozen, FundAccount.opening_bank_balance,
                             FundAccount.non_withdrawable_today).order_by(FundAccount.no)).all()
    known = set()
    for no, cash, frozen, bank, cash0, frozen0, bank0, nwt in accounts:
        known.add(no)
        want = cash0 + moved.get(no, 0)
        if cash != want:
            found.append(Finding(no, CASH, cash, want, _(
                "资金账户 {no}：资金余额 {got} 元，期初 {o} 元加资金流水应为 {want} 元").format(
                no=no, got=R.y(cash), o=R.y(cash0), want=R.y(want))))
        want = frozen0 + open_out.get(no, 0)
        if frozen != want:
            found.append(Finding(no, FROZEN, frozen, want, _(
                "资金账户 {no}：冻结金额 {got} 元，未完成的证券转银行应冻结 {want} 元").format(
                no=no, got=R.y(frozen), want=R.y(want))))
        if bank_moved.get(no, 0) != requested.get(no, 0):
            found.append(Finding(no, BANK_MOVES, bank_moved.get(no, 0), requested.get(no, 0), _(
                "资金账户 {no}：银证转账流水合计 {got} 元，成功的银行请求合计 {want} 元").format(
                no=no, got=R.y(bank_moved.get(no, 0)), want=R.y(requested.get(no, 0)))))
        want = bank0 - bank_did.get(no, 0)
        if bank != want:
            found.append(Finding(no, BANK_SIDE, bank, want, _(
                "资金账户 {no}：银行端余额 {got} 元，按银行流水应为 {want} 元").format(
                no=no, got=R.y(bank), want=R.y(want))))
        if cash < 0 or frozen < 0 or cash - frozen < 0 or nwt < 0:
            found.append(Finding(no, NEGATIVE, cash - frozen, None, _(
                "资金账户 {no}：资金为负（余额 {c} 元，冻结 {f} 元）").format(no=no, c=R.y(cash), f=R.y(frozen))))
    for no in sorted((set(moved) | set(open_out) | set(requested) | set(bank_did)) - known):
        found.append(Finding(no, CASH, None, moved.get(no, 0), _(
            "资金流水或银行请求记在不存在的资金账户 {no} 上").format(no=no)))
    found.sort(key=lambda f: f.account)
    found.extend(_ledger_rows(s))
    return found


def _ledger_rows(s: Session) -> list[Finding]:
    """Each row of the bank's ledger is the request it answers: same bank, account, kind, amount."""
    rows = s.exec(select(BankLedger.bank, BankLedger.request_id, BankLedger.fund_account, BankLedger.kind,
                         BankLedger.amount, BankRequest.id, BankRequest.amount)
                  .join(BankRequest, BankRequest.id == BankLedger.request_id, isouter=True)
                  .where(or_(BankRequest.id.is_(None), BankRequest.amount != BankLedger.amount,
                             BankRequest.fund_account != BankLedger.fund_account, BankRequest.kind != BankLedger.kind,
                             BankRequest.bank != BankLedger.bank))
                  .order_by(BankLedger.request_id)).all()
    found = []
    for bank, rid, no, kind, amount, req, req_amount in rows:
        if req is None:
            msg = _("{bank}流水中的请求 {id}（资金账户 {no}）在柜台没有对应的银行请求").format(bank=_(bank), id=rid, no=no)
        else:
            msg = _("银行请求 {id}（资金账户 {no}）：柜台记 {got} 元，{bank}流水记 {want} 元").format(
                id=rid, no=no, got=R.y(req_amount), bank=_(bank), want=R.y(amount))
        found.append(Finding(no, LEDGER_ROW, req_amount, amount, msg))
    return found


def check_store(engine: Engine) -> list[Finding]:
    with Session(engine) as s:
        return check(s)
