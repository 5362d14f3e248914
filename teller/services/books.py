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

from sqlalchemy import case, exists, func, null, or_, union_all
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


def _sums(s: Session, shared: bool = False) -> tuple:  # noqa: ANN001 - subqueries or CTEs
    """Each table summed once, grouped by account: movements (all, and the bank transfers'), the bank
    requests (transfers out still open, transfers done), the bank's ledger (done). `shared`: as
    common table expressions, named once in the statement and read twice (against the accounts, and
    for the rows under no account), each computed once."""
    def named(q, name):  # noqa: ANN001, ANN202
        return q.cte(name) if shared else q.subquery(name)

    bank_kind = Movement.kind.in_(BANK_KINDS)
    plus = Movement.kind.in_(PLUS)
    moves = named(select(Movement.fund_account.label("no"),
                         func.sum(case((plus, Movement.amount), else_=-Movement.amount)).label("moved"),
                         func.sum(case((bank_kind & plus, Movement.amount), (bank_kind, -Movement.amount), else_=0)).label("bank_moved"))
                  .group_by(Movement.fund_account), "mv")
    pending = BankRequest.state.in_(PENDING)
    done = BankRequest.kind.in_(TRANSFERS) & BankRequest.state.in_(DONE_OK)
    requests = named(select(BankRequest.fund_account.label("no"),
                            func.sum(case(((BankRequest.kind == "transfer_out") & pending, BankRequest.amount), else_=0)).label("open_out"),
                            func.sum(case((done & (BankRequest.kind == "transfer_in"), BankRequest.amount),
                                          (done, -BankRequest.amount), else_=0)).label("requested"))
                     .group_by(BankRequest.fund_account), "rq")
    ok = BankLedger.kind.in_(TRANSFERS) & (BankLedger.result == "成功")
    ledger = named(select(BankLedger.fund_account.label("no"),
                          func.sum(case((ok & (BankLedger.kind == "transfer_in"), BankLedger.amount),
                                        (ok, -BankLedger.amount), else_=0)).label("bank_did"))
                   .group_by(BankLedger.fund_account), "lg")
    return moves, requests, ledger


def check(s: Session) -> list[Finding]:
    """Every disagreement between the balances and what made them, in account order.

    The database does the sums and the comparing (one statement over the accounts, each table summed
    once): only the accounts that disagree come back. Read row by row into Python, the check took
    109 s of a million-client day-end; the rules of each figure are the same."""
    # Rows under an account that does not exist, from the same sums on SQLite (one pass over each
    # table: reading movement, bankrequest and bankledger again for them cost 5 s of a million-client
    # day-end); on PostgreSQL a CTE read twice is written out to be read again, and three anti-joins
    # on the tables were faster (200,000 clients: 3.4-4.6 s against 4.1-4.7 s).
    shared = s.get_bind().dialect.name == "sqlite"
    moves, requests, ledger = _sums(s, shared)
    a = FundAccount
    moved, bank_moved = func.coalesce(moves.c.moved, 0), func.coalesce(moves.c.bank_moved, 0)
    open_out, requested = func.coalesce(requests.c.open_out, 0), func.coalesce(requests.c.requested, 0)
    bank_did = func.coalesce(ledger.c.bank_did, 0)
    wrong = (select(a.no, a.cash, a.frozen, a.bank_balance, a.opening_cash, a.opening_frozen, a.opening_bank_balance,
                    a.non_withdrawable_today, moved, bank_moved, open_out, requested, bank_did)
             .outerjoin(moves, moves.c.no == a.no).outerjoin(requests, requests.c.no == a.no)
             .outerjoin(ledger, ledger.c.no == a.no)
             .where(or_(a.cash != a.opening_cash + moved, a.frozen != a.opening_frozen + open_out,
                        bank_moved != requested, a.bank_balance != a.opening_bank_balance - bank_did,
                        a.cash < 0, a.frozen < 0, a.cash - a.frozen < 0, a.non_withdrawable_today < 0)))
    # Movements, requests or ledger rows under an account that does not exist: each sum's account
    # number (or each row's) probed in the accounts' key. From the sums, such a row has no figures.
    nothing = [null()] * 12
    if shared:
        statement = union_all(wrong, *(select(t.c.no, *nothing).where(~exists().where(a.no == t.c.no))
                                       for t in (moves, requests, ledger)))
    else:
        statement = wrong
    found: list[Finding] = []
    for kind, count in s.exec(select(Movement.kind, func.count()).where(Movement.kind.not_in(PLUS + MINUS))
                              .group_by(Movement.kind)).all():
        found.append(Finding("", KIND, None, None, _("资金流水中有 {n} 笔未知类别“{k}”的记录：不是柜台写入的").format(n=count, k=kind)))
    orphans: set[str] = set()
    if not shared:
        for col in (Movement.fund_account, BankRequest.fund_account, BankLedger.fund_account):
            orphans.update(s.exec(select(col).distinct().where(~exists().where(a.no == col))).all())
    for no, cash, frozen, bank, cash0, frozen0, bank0, nwt, mv, bmv, out, req, did in s.exec(statement).all():
        if cash is None:  # a row of the sums under no account (an account's cash is never NULL)
            orphans.add(no)
            continue
        mv, bmv, out, req, did = (int(v) for v in (mv, bmv, out, req, did))
        want = cash0 + mv
        if cash != want:
            found.append(Finding(no, CASH, cash, want, _(
                "资金账户 {no}：资金余额 {got} 元，期初 {o} 元加资金流水应为 {want} 元").format(
                no=no, got=R.y(cash), o=R.y(cash0), want=R.y(want))))
        want = frozen0 + out
        if frozen != want:
            found.append(Finding(no, FROZEN, frozen, want, _(
                "资金账户 {no}：冻结金额 {got} 元，未完成的证券转银行应冻结 {want} 元").format(
                no=no, got=R.y(frozen), want=R.y(want))))
        if bmv != req:
            found.append(Finding(no, BANK_MOVES, bmv, req, _(
                "资金账户 {no}：银证转账流水合计 {got} 元，成功的银行请求合计 {want} 元").format(
                no=no, got=R.y(bmv), want=R.y(req))))
        want = bank0 - did
        if bank != want:
            found.append(Finding(no, BANK_SIDE, bank, want, _(
                "资金账户 {no}：银行端余额 {got} 元，按银行流水应为 {want} 元").format(
                no=no, got=R.y(bank), want=R.y(want))))
        if cash < 0 or frozen < 0 or cash - frozen < 0 or nwt < 0:
            found.append(Finding(no, NEGATIVE, cash - frozen, None, _(
                "资金账户 {no}：资金为负（余额 {c} 元，冻结 {f} 元）").format(no=no, c=R.y(cash), f=R.y(frozen))))
    for no in sorted(orphans):
        found.append(Finding(no, CASH, None, None, _("资金流水或银行请求记在不存在的资金账户 {no} 上").format(no=no)))
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
