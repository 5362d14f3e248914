"""The store side of the compliance monitors (7101 detection, 7102 AML): load a client's recent
movements, ask teller.domain.monitors which alerts the pattern calls for, and raise each one once.

Runs live, inside the transaction of every money movement (`watch`, called by 3105, 3203 and
3204), and again in the day-end batch (`day_end`, the first step of teller.services.dayend), which
also catches patterns a changed setting now reveals. An alert informs; it never refuses the movement that raised it.

Both first screen the clients with one set-based query (`candidates`: per-client counts and sums
that every finding needs, teller.domain.monitors.Screen); only the few clients it lets through are
loaded movement by movement. Day-end over a million clients is that one query, not a million.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from functools import lru_cache

from sqlalchemy import and_, bindparam, case, or_
from sqlmodel import func, select

from teller.domain import monitors as M
from teller.domain import rules as R
from teller.domain.calendar import default_calendar
from teller.i18n import _
from teller.services.base import Done, Tx
from teller.store.batch import Prepared
from teller.store.models import Alert, Customer, FundAccount, Movement, TradeEvent

EVENT_KINDS = {"ledger_out": M.TRANSFER, "bank_out": M.WITHDRAWAL, "buy": M.TRADE, "sell": M.TRADE, "subscribe": M.TRADE}


def kind_title(kind: str) -> str:
    titles = {M.NON_TRADING: _("非交易目的资金划转预警"), M.AML_LARGE: _("反洗钱大额交易预警"),
              M.AML_SUSPICIOUS: _("反洗钱可疑交易预警")}
    return titles.get(kind, kind)


@lru_cache(maxsize=64)
def window_start(today: date, trading_days: int) -> date:
    """The first day of a window of `trading_days` trading days ending today (the shipped calendar is
    read once per process, so the answer for a day does not change)."""
    return default_calendar().add_trading_days(today, -(trading_days - 1))


def limits_of(tx: Tx) -> M.Limits:
    """The monitors' limits from the branch settings, worked out once per distinct settings."""
    return _limits(tuple((k, tx.settings[k]) for k in M.SETTINGS if k in tx.settings))


@lru_cache(maxsize=16)
def _limits(items: tuple[tuple[str, str], ...]) -> M.Limits:
    return M.Limits.from_settings(dict(items))


@lru_cache(maxsize=16)
def _thresholds(limits: M.Limits) -> dict:
    return asdict(M.screen(limits))


def _events(tx: Tx, code: str, since: date) -> list[M.Event]:
    roles = {a.no: a.role for a in tx.s.exec(select(FundAccount).where(FundAccount.customer_code == code))}
    rows = tx.s.exec(
        select(Movement).where(Movement.customer_code == code, Movement.business_date >= since,
                               Movement.kind.in_(tuple(EVENT_KINDS))).order_by(Movement.id)
    )
    return [
        M.Event(m.id, m.business_date, EVENT_KINDS[m.kind], m.amount,
                (M.TO_AUX if roles.get(m.fund_account) == R.MAIN else M.TO_MAIN) if m.kind == "ledger_out" else "",
                m.journal_id)
        for m in rows
    ]


def _idle(tx: Tx, code: str, limits: M.Limits) -> bool:
    last_trade = tx.s.exec(
        select(func.max(TradeEvent.business_date)).where(TradeEvent.customer_code == code,
                                                         TradeEvent.kind.in_(("buy", "sell", "subscribe")))
    ).first()
    opened = tx.s.exec(select(func.min(FundAccount.opened_on)).where(FundAccount.customer_code == code)).first()
    return M.is_idle(last_trade, opened, tx.today, limits)


@lru_cache(maxsize=2)
def _screen_statement(one_client: bool):  # noqa: ANN202
    """The screening query, built and compiled once: dates and thresholds are parameters. It goes in
    the round trip that writes the call's movements (Tx.query), so it counts them."""
    kind, day, amount, p = Movement.kind, Movement.business_date, Movement.amount, bindparam
    out = kind == "ledger_out"

    def count(*cond):  # noqa: ANN002, ANN202
        return func.sum(case((and_(*cond), 1), else_=0))

    transfers = count(out, day >= p("period"))
    withdrawals = count(kind == "bank_out", day >= p("period"))
    today = func.sum(case((and_(out, day == p("today")), amount), else_=0))
    frequent = count(out, day >= p("aml_window"), amount >= p("frequent_amount"))
    near = count(out, day >= p("aml_window"), amount >= p("near_floor"), amount < p("near_ceiling"))
    stmt = (select(Movement.customer_code)
            .where(day >= p("since"), or_(kind == "ledger_out", kind == "bank_out"))
            .group_by(Movement.customer_code)
            .having(or_(and_(transfers > p("transfers_over"), withdrawals >= p("withdrawals_at_least")),
                        today >= p("day_total_at_least"), frequent >= p("frequent_count"), near >= p("near_count")))
            .order_by(Movement.customer_code))
    return Prepared(stmt.where(Movement.customer_code == p("code")) if one_client else stmt)


def candidates(tx: Tx, limits: M.Limits, code: str | None = None) -> list[str]:
    """The clients (or the one client `code`) whose movements in the monitors' windows meet at least
    one necessary condition of a finding (M.Screen), in code order: one grouped query."""
    period = window_start(tx.today, limits.period_days)
    aml_window = window_start(tx.today, limits.aml_window_days)
    params = {**_thresholds(limits), "period": period, "aml_window": aml_window, "today": tx.today,
              "since": min(period, aml_window), "code": code}
    # Live (one client, after the movements): the last read before the line is sealed.
    return [r[0] for r in tx.query(_screen_statement(code is not None), params, last=code is not None).rows]


def detect(tx: Tx, code: str, *, screened: bool = False) -> list[Alert]:
    """Raise the alerts the client's recent movements call for; return the ones raised now.
    `screened`: the client already passed `candidates`."""
    if not screened and not candidates(tx, limits_of(tx), code):
        return []
    c = tx.s.get(Customer, code)
    if c is None:
        return []
    limits = limits_of(tx)
    period = window_start(tx.today, limits.period_days)
    aml_window = window_start(tx.today, limits.aml_window_days)
    events = _events(tx, code, min(period, aml_window))
    if not events:
        return []
    existing = list(tx.s.exec(select(Alert).where(Alert.customer_code == code).order_by(Alert.id)))
    keys = {(a.details or {}).get("key"): a for a in existing}
    institution = c.kind == "institution"
    raised: list[Alert] = []

    def after(kind: str, pattern: str | None = None) -> int:
        seqs = [(a.details or {}).get("to_seq", 0) for a in existing
                if a.kind == kind and (pattern is None or (a.details or {}).get("pattern") == pattern)]
        return max(seqs, default=0)

    def add(f: M.Finding, **extra: object) -> None:
        if f.key in keys:
            return
        alert = Alert(customer_code=code, kind=f.kind, business_date=tx.today, state="new",
                      details={"key": f.key, **f.details, **extra, "raised_by_journal": tx.journal.id})
        tx.s.add(alert)
        keys[f.key] = alert
        raised.append(alert)

    nt = M.non_trading(events, limits, period, after(M.NON_TRADING))
    if nt is not None and nt.key not in keys:
        prev = next((a for a in reversed(existing) if a.kind == M.NON_TRADING), None)
        previous = None if prev is None else M.PreviousWarning(
            prev.business_date, (prev.details or {}).get("to_seq", 0), (prev.details or {}).get("streak", 1))
        streak = M.warning_streak(previous, events, period)
        c.warning_streak = streak
        tx.s.add(c)
        add(nt, streak=streak, proposal=M.proposal(streak, limits))
    for f in M.large_value(events, tx.today, institution, limits):
        same = keys.get(f.key)
        if same is not None and same.state == "new":
            # One alert per day and direction; while nobody has looked at it, it shows the day's sum.
            same.details = {**same.details, **f.details}
            tx.s.add(same)
        add(f)
    frequent = M.idle_frequent(events, True, aml_window, limits, after(M.AML_SUSPICIOUS, M.IDLE_FREQUENT))
    if frequent is not None and _idle(tx, code, limits):  # the idle check only when the movements call for it
        add(frequent)
    structuring = M.structuring(events, institution, aml_window, limits, after(M.AML_SUSPICIOUS, M.STRUCTURING))
    if structuring is not None:
        add(structuring)
    tx.s.flush()
    return raised


def alert_view(a: Alert) -> dict:
    details = {k: v for k, v in (a.details or {}).items() if k not in ("key", "from_seq", "to_seq")}
    return {"id": a.id, "kind": a.kind, "date": a.business_date.isoformat(), "state": a.state, **details,
            **({"note": a.note} if a.note else {})}


def watch(tx: Tx, code: str, done: Done) -> Done:
    """The live monitor: run after a movement is applied, in its transaction. The movement goes
    through; any alert it raised is added to the function's result and message."""
    raised = detect(tx, code)
    if raised:
        done.data["alerts_raised"] = [alert_view(a) for a in raised]
        note = _("；").join(_("客户 {code} 触发{kind}（预警号 {id}）").format(code=code, kind=kind_title(a.kind), id=a.id)
                           for a in raised)
        done.note(_("。注意：{note}，请按 7101/7102 处理").format(note=note))
    return done


def day_end(tx: Tx) -> None:
    """The batch: every client who moved money in the longest window is looked at again, and a
    warning streak lapses once its period has passed or the client has traded since."""
    limits = limits_of(tx)
    tx.progress(_("监控：筛选客户"), 0, 1)
    codes = candidates(tx, limits)
    for i, code in enumerate(codes):
        detect(tx, code, screened=True)
        if i % 100 == 0:
            tx.progress(_("监控：逐户检查"), i, len(codes))
    tx.progress(_("监控：逐户检查"), len(codes), len(codes))
    period = window_start(tx.today, limits.period_days)
    for c in tx.s.exec(select(Customer).where(Customer.warning_streak > 0)).all():
        prev = tx.s.exec(select(Alert).where(Alert.customer_code == c.code, Alert.kind == M.NON_TRADING)
                         .order_by(Alert.id.desc())).first()
        if prev is None:
            c.warning_streak = 0
        else:
            previous = M.PreviousWarning(prev.business_date, (prev.details or {}).get("to_seq", 0), c.warning_streak)
            # A streak that a new warning today would restart at 1 has lapsed.
            if M.warning_streak(previous, _events(tx, c.code, period), period) == 1:
                c.warning_streak = 0
        tx.s.add(c)

