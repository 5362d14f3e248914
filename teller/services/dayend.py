"""9101 日终处理: the day-end batch, its steps called one after another in `end_of_day`.

The order is the business's, read top to bottom in one function (DOMAIN.md §2):
1. the monitors look at the day's movements as the tellers made them (7101 detection, 7102 AML);
2. the bank reconciliation settles every request still open against the bank's statement, and
   corrects a final state the statement contradicts (冲正 / 补记) — this can change cash;
3. the day's money closes: each open account's closing cash (after the reconciliation's
   corrections, so the interest counts what the client really held) is added to its interest base
   (利息积数), and today's non-withdrawable money is cleared (T+1: it may leave from tomorrow);
4. the books check (teller.services.books): every balance against its movements and requests, the
   bank's ledger against the broker side; a day whose books don't balance is not closed;
5. the business date moves to the next trading day.
All of it is one transaction: a day-end that fails leaves the day open and nothing changed.
Each step is a plain function of the transaction; nothing registers itself at import.
"""

from __future__ import annotations

from sqlalchemy import update

from teller.domain import rules as R
from teller.domain.calendar import default_calendar
from teller.domain.errors import Refused, Rule
from teller.i18n import _, format_day
from teller.services import banklink, books, monitors
from teller.services.base import Done, Params, Tx, function
from teller.store.models import DayEnd, FundAccount, Setting


@function("9101")
def end_of_day(tx: Tx, p: Params) -> Done:
    refuse_closed_day(tx)
    tx.require_papers([])
    monitors.day_end(tx)
    banklink.reconcile(tx)
    close_money(tx)
    check_books(tx)
    return move_date(tx)


def refuse_closed_day(tx: Tx) -> None:
    if tx.s.get(DayEnd, tx.today) is not None:
        raise Refused(Rule.FORBIDDEN, _("营业日 {d} 已做过日终，不能重复").format(d=format_day(tx.today)))


def close_money(tx: Tx) -> None:
    """Closing cash into the interest base (once per day-end) and today's non-withdrawable money
    cleared, for every open account in one set-based statement."""
    tx.progress(_("利息积数与当日不可取金额"), 0, 1)
    tx.s.exec(update(FundAccount).where(FundAccount.status == "open").values(**R.day_close(FundAccount)))
    tx.progress(_("利息积数与当日不可取金额"), 1, 1)


def check_books(tx: Tx) -> None:
    """After the reconciliation's corrections, before the date moves: books that don't balance are
    refused with the first disagreement named, and the whole day-end is undone with the refusal."""
    tx.progress(_("账务核对"), 0, 1)
    tx.s.flush()
    found = books.check(tx.s)
    if found:
        more = _("（另有 {n} 处不符，见 teller audit books）").format(n=len(found) - 1) if len(found) > 1 else ""
        raise Refused(Rule.FORBIDDEN, _("账务不平，不能日终：{first}{more}；请营业部核查（teller audit books）").format(
            first=found[0].message, more=more))
    tx.progress(_("账务核对"), 1, 1)


def move_date(tx: Tx) -> Done:
    """The next trading day of the shipped calendar becomes the business date; a year the
    calendar only estimates is said in the message (update the holiday table)."""
    cal = default_calendar()
    nxt = cal.next_trading_day(tx.today)
    setting = tx.s.get(Setting, "business_date")
    setting.value = nxt.isoformat()
    tx.s.add(setting)
    tx.s.add(DayEnd(business_date=tx.today, at=tx.ctx.stamp(), teller_id=tx.ctx.teller_id, next_date=nxt))
    done = Done({"closed": tx.today.isoformat(), "next": nxt.isoformat()},
                _("日终完成：{d} 已结束，下一营业日 {n}").format(d=format_day(tx.today), n=format_day(nxt)))
    if cal.is_provisional(nxt):
        done.note(_("（注意：{y} 年交易日历为暂定，请更新节假日表）").format(y=nxt.year))
        done.data["provisional_calendar"] = True
    return done


def left_open(counter) -> dict:  # noqa: ANN001 - a Counter
    """What is still open as day-end is asked for (9101 lists it and asks before it runs; issue 10
    item 8): the requests waiting for a second person (8102's lines: they stay queued across the
    night) and the requests to a bank not yet answered (未报, 已报, 超时: day-end's reconciliation
    settles them against the bank's statement, 调为成功 or 调为失败). A store call: screens run it off
    the UI thread."""
    from sqlmodel import select

    from teller.domain.banks import PENDING
    from teller.services.changes import review_queue
    from teller.store.db import reading
    from teller.store.models import BankRequest

    with reading(counter.engine) as s:
        rows = s.exec(select(BankRequest).where(BankRequest.state.in_(PENDING)).order_by(BankRequest.id)).all()
        requests = [{"id": r.id, "customer": r.customer_code, "account": r.fund_account, "bank": r.bank, "kind": r.kind,
                     "amount": r.amount, "state": r.state, "date": r.business_date} for r in rows]
    return {"reviews": review_queue(counter), "requests": requests}
