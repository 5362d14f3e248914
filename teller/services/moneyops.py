"""Money movements: 3105 银证转账, 3106 利息归本, 3203 台帐间转账, 3204 归集, 5101–5103 委托."""

from __future__ import annotations

from sqlmodel import select

from teller.domain import papers as P
from teller.domain import rules as R
from teller.i18n import N_, _
from teller.services import banklink, monitors
from teller.services.base import Done, Params, Tx, function
from teller.services.views import account_view, amt
from teller.store.models import Movement, TradeEvent

CHANNELS = ("counter", "online")


@function("3105", prefetch=("account",))
def bank_transfer(tx: Tx, p: Params) -> Done | dict:
    a = tx.account(p.text("account", N_("资金账号")))
    direction = p.choice("direction", N_("转账方向"), ("in", "out"))
    amount = p.amount()
    c = tx.customer(a.customer_code)
    R.check_bank_transfer(a, direction, amount, a.bank_balance, tx.pending_banks(c))
    tx.require_papers([])
    # A request to the bank: a transfer out is frozen now and moves when the bank answers 成功
    # (teller.services.banklink); the outcome the teller sees is the bank's answer.
    r = banklink.open_request(tx, a, "transfer_" + direction, amount)
    word = _("银行转证券") if direction == "in" else _("证券转银行")
    return monitors.watch(tx, a.customer_code, Done(
        {"account": account_view(a), "request": r.id, "state": r.state},
        _("{word} {amount} 元已提交{bank}（请求 {id}）").format(word=word, amount=R.y(amount), bank=_(a.bank), id=r.id),
    ))


@function("3106", prefetch=("account",))
def capitalize_interest(tx: Tx, p: Params) -> Done | dict:
    """Before an aux leaves the service its interest is credited, and the 资金利息归本单 is printed
    for the client's signature (exam multiple 9 B, 10 B: the counter prints it after commit,
    teller.services.papers); the deletion (3201) waits for the next trading day."""
    a = tx.account(p.text("account", N_("资金账号")))
    R.check_open(a)
    rate = R.annual_rate(tx.setting("interest_rate", "0.0035"))
    interest = R.interest_for(a.interest_base, rate)
    tx.require_papers([])
    base, cash_before = a.interest_base, a.cash
    a.cash += interest
    a.interest_base = 0
    a.capitalized_on = tx.today
    if interest:
        tx.move(a, "interest", interest)
    else:
        tx.s.add(a)
    return Done(
        {"account": account_view(a), "interest": amt(interest), "interest_base": str(base), "rate": str(rate),
         "cash_before": amt(cash_before), "bank": a.bank},
        _("资金账户 {no} 利息归本 {i} 元；《资金利息归本单》须交客户签字确认").format(no=a.no, i=R.y(interest)),
    )


@function("3203", prefetch=("from", "to"))
def ledger_transfer(tx: Tx, p: Params) -> Done | dict:
    src = tx.account(p.text("from", N_("转出资金账号")))
    dst = tx.account(p.text("to", N_("转入资金账号")))
    amount = p.amount()
    channel = p.choice("channel", N_("渠道"), CHANNELS, default=tx.ctx.channel)
    c = tx.customer(src.customer_code)
    R.check_ledger_transfer(src, dst, amount, tx.pending_banks(c) if src.customer_code == dst.customer_code else ())
    if channel == "counter":
        tx.require_papers([P.Filing(P.TRANSFER_FORM, (src.no,))])
    else:
        tx.require_papers([])
    _transfer(tx, src, dst, amount, channel)
    return monitors.watch(tx, c.code, Done(
        {"from": account_view(src), "to": account_view(dst), "amount": amt(amount)},
        _("{a} → {b} 划转 {amount} 元成功；转入资金当日可用于交易，次一交易日方可转出").format(
            a=src.no, b=dst.no, amount=R.y(amount)),
    ))


def _transfer(tx: Tx, src, dst, amount: int, channel: str) -> None:  # noqa: ANN001
    R.apply_ledger_transfer(src, dst, amount)
    tx.move(src, "ledger_out", amount, counterpart=dst.no, channel=channel)
    tx.move(dst, "ledger_in", amount, counterpart=src.no, channel=channel)


@function("3204")
def collect(tx: Tx, p: Params) -> Done | dict:
    """Every aux's withdrawable money into the main in one go, one journal line per aux. Not the
    way to serve a client who asked to move money from one aux (S10 C)."""
    c = tx.customer(p.text("customer", N_("客户号")))
    accounts = [a for a in tx.accounts_of(c.code) if a.in_service]
    main, lines, skipped = R.collection(c.code, accounts, tx.pending_banks(c))
    tx.require_papers([P.Filing(P.TRANSFER_FORM, (main.no,))])
    for aux, amount in lines:
        _transfer(tx, aux, main, amount, "counter")
    total = sum(a for _aux, a in lines)
    return monitors.watch(tx, c.code, Done(
        {"main": account_view(main), "lines": [{"from": a.no, "amount": amt(m)} for a, m in lines],
         "skipped": skipped, "total": amt(total)},
        _("归集 {n} 个辅助资金账户共 {total} 元到主资金账户 {main}").format(n=len(lines), total=R.y(total), main=main.no),
    ))


@function("5101")
def order(tx: Tx, p: Params) -> Done | dict:
    """Stand-in for the exchange: an order fills at once at the given amount, no fees."""
    a = tx.account(p.text("account", N_("资金账号")))
    side = p.choice("side", N_("买卖方向"), ("buy", "sell", "subscribe"))
    amount = p.amount()
    R.check_order(a, side, amount)
    tx.require_papers([])
    R.apply_order(a, side, amount)
    tx.move(a, side, amount, counterpart=_("交易所"))
    tx.s.add(TradeEvent(customer_code=a.customer_code, fund_account=a.no, business_date=tx.today, kind=side, amount=amount))
    return {"account": account_view(a)}


@function("5102")
def cancel_order(tx: Tx, p: Params) -> Done | dict:
    """Orders fill at once here, so a cancel reaches the exchange too late to undo a fill; it is
    recorded because a same-day cancel blocks a change of main (3202)."""
    c = tx.customer(p.text("customer", N_("客户号")))
    tx.require_papers([])
    last = tx.s.exec(
        select(TradeEvent).where(TradeEvent.customer_code == c.code, TradeEvent.business_date == tx.today,
                                 TradeEvent.kind.in_(("buy", "sell", "subscribe"))).order_by(TradeEvent.id.desc())
    ).first()
    tx.s.add(TradeEvent(customer_code=c.code, fund_account=last.fund_account if last else "", business_date=tx.today, kind="cancel"))
    return Done({"customer": c.code, "cancelled_order": last.id if last else None},
                _("撤单申报已记录（本柜台委托即时成交，已成交部分不能撤）"))


DESIGNATIONS = ("designate", "undesignate", "transfer_custody")


@function("5103")
def designation(tx: Tx, p: Params) -> Done | dict:
    c = tx.customer(p.text("customer", N_("客户号")))
    kind = p.choice("kind", N_("业务类别"), DESIGNATIONS)
    tx.require_papers([])
    tx.s.add(TradeEvent(customer_code=c.code, business_date=tx.today, kind=kind))
    return {"customer": c.code, "kind": kind}


def moved_out_today(tx: Tx, account_no: str) -> bool:
    return tx.s.exec(
        select(Movement.id).where(Movement.fund_account == account_no, Movement.business_date == tx.today,
                                  Movement.kind.in_(("bank_out", "ledger_out")))
    ).first() is not None

