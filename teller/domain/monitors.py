"""Compliance monitors as pure functions: given a client's recent money movements and the branch's
settings, which alerts the pattern calls for. Nothing here reads or writes a store.

Sources: DOMAIN.md §4 (7101, 7102) and §5; exam S13 (the warning needs all three of: more than 5
main↔aux transfers in one period, money taken out, no trade), M19 (first time: educate; second
consecutive time: close), M18 (large-value: individuals 50万, institutions 200万, single or one day's
sum) and T16 / M18 C–D (suspicious: an idle securities account with frequent large transfers;
scattered transfers just under the threshold with a concentrated one the other way).

The meaning of "one period" and "consecutive" is this product's choice (README, "Compliance"):
- a period is a rolling window of `warning_period_days` trading days ending today;
- the transfers counted are those since the client's last trade (a trade ends the run), since the
  start of the window, and since the evidence of the previous warning (one pattern, one alert);
- two warnings are consecutive when the client made no trade between them and the earlier one is
  inside the later one's period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from teller.domain.errors import Refused, Rule
from teller.domain.money import Fen, format_amount, parse_amount
from teller.i18n import _

NON_TRADING = "NON_TRADING_TRANSFER"
AML_LARGE = "AML_LARGE"
AML_SUSPICIOUS = "AML_SUSPICIOUS"
KINDS = (NON_TRADING, AML_LARGE, AML_SUSPICIOUS)

TRANSFER, WITHDRAWAL, TRADE = "transfer", "withdrawal", "trade"
TO_MAIN, TO_AUX = "to_main", "to_aux"
IDLE_FREQUENT, STRUCTURING = "idle_frequent", "structuring"

# What the branch does about a warning (M19): educate the first time, close on the n-th consecutive.
EDUCATE, CLOSE_TRANSFER = "educate", "close_transfer"

# Branch settings with their documented defaults; setup seeds them, a [settings] table overrides.
SETTINGS: dict[str, str] = {
    # §5: more than 5 transfers warns (exam S13 "超过5次"); the 2nd consecutive warning closes (M19).
    "warning_transfer_threshold": "5",
    "warnings_before_close": "2",
    "warning_period_days": "20",  # trading days, about a calendar month
    # §4 AML large-value (PBOC order 2016 No. 3, art. 5): inclusive, single or one day's sum.
    "aml_large_individual": "500000.00",
    "aml_large_institution": "2000000.00",
    "aml_window_days": "5",  # trading days: the 短期内 of the suspicious patterns
    "aml_idle_days": "180",  # calendar days without a trade: the account is 长期闲置
    "aml_frequent_count": "5",
    "aml_frequent_amount": "100000.00",
    "aml_structuring_count": "3",
    "aml_structuring_margin_pct": "10",  # 'just under' = within this % below the threshold
}


@dataclass(frozen=True)
class Limits:
    transfers: int = 5
    warnings_before_close: int = 2
    period_days: int = 20
    large_individual: Fen = 500_000_00
    large_institution: Fen = 2_000_000_00
    aml_window_days: int = 5
    idle_days: int = 180
    frequent_count: int = 5
    frequent_amount: Fen = 100_000_00
    structuring_count: int = 3
    structuring_margin_pct: int = 10

    @classmethod
    def from_settings(cls, settings: dict[str, str]) -> Limits:
        v = SETTINGS | {k: settings[k] for k in SETTINGS if k in settings}

        def count(key: str, least: int) -> int:
            text = str(v[key]).strip()
            if not text.isdigit() or int(text) < least:
                raise Refused(Rule.BAD_INPUT, _("营业部参数 {key} 应为不小于 {n} 的整数，现为“{v}”").format(key=key, n=least, v=text))
            return int(text)

        def money(key: str) -> Fen:
            return parse_amount(str(v[key]), key)

        return cls(
            transfers=count("warning_transfer_threshold", 1), warnings_before_close=count("warnings_before_close", 1),
            period_days=count("warning_period_days", 1), large_individual=money("aml_large_individual"),
            large_institution=money("aml_large_institution"), aml_window_days=count("aml_window_days", 1),
            idle_days=count("aml_idle_days", 0), frequent_count=count("aml_frequent_count", 1),
            frequent_amount=money("aml_frequent_amount"), structuring_count=count("aml_structuring_count", 1),
            structuring_margin_pct=min(99, count("aml_structuring_margin_pct", 1)),
        )

    def large(self, institution: bool) -> Fen:
        return self.large_institution if institution else self.large_individual


@dataclass(frozen=True)
class Event:
    """One movement on a client's fund accounts. `seq` orders them (the store's movement id);
    `journal` is the counter line that made it, kept as evidence."""

    seq: int
    day: date
    kind: str  # transfer | withdrawal | trade
    amount: Fen = 0
    direction: str = ""  # transfers: to_main | to_aux
    journal: int = 0


@dataclass(frozen=True)
class Finding:
    """An alert the pattern calls for. `key` identifies the pattern instance: the store raises one
    alert per key. `last_seq` is the newest movement of the evidence: the next alert of the same
    pattern only looks at movements after it."""

    kind: str
    key: str
    details: dict = field(default_factory=dict)
    last_seq: int = 0


@dataclass(frozen=True)
class PreviousWarning:
    day: date
    last_seq: int
    streak: int


def _amt(fen: Fen) -> str:
    return format_amount(fen, grouping=False)


def _evidence(events: list[Event]) -> dict:
    return {"from_seq": events[0].seq, "to_seq": events[-1].seq, "journals": sorted({e.journal for e in events}),
            "first_day": events[0].day.isoformat(), "last_day": events[-1].day.isoformat()}


@dataclass(frozen=True)
class Screen:
    """Necessary conditions for any finding, on counts a store can aggregate per client in one
    set-based query (day-end over every client, or one client after a movement). A client who
    meets none of them cannot raise an alert, so only the few who meet one are looked at event by
    event. Each bound is loose (both client kinds' thresholds, both directions together): it may
    let a client through who then raises nothing, never hold back one who would."""

    transfers_over: int  # more than this many main↔aux transfers in the period ...
    withdrawals_at_least: int  # ... and at least one withdrawal in it (non_trading)
    day_total_at_least: Fen  # main↔aux transfers summed over today (large_value)
    frequent_amount: Fen  # transfers this large in the AML window ...
    frequent_count: int  # ... at least this many (idle_frequent)
    near_floor: Fen  # transfers in [near_floor, near_ceiling) in the AML window ...
    near_ceiling: Fen
    near_count: int  # ... at least this many (structuring)


def screen(limits: Limits) -> Screen:
    floors = [limits.large(i) * (100 - limits.structuring_margin_pct) // 100 for i in (False, True)]
    return Screen(
        transfers_over=limits.transfers, withdrawals_at_least=1,
        day_total_at_least=min(limits.large_individual, limits.large_institution),
        frequent_amount=limits.frequent_amount, frequent_count=limits.frequent_count,
        near_floor=min(floors), near_ceiling=max(limits.large_individual, limits.large_institution),
        near_count=limits.structuring_count,
    )


# --- 7101: non-trading-purpose transfers ------------------------------------------------------

def non_trading(events: list[Event], limits: Limits, period_start: date, after_seq: int = 0) -> Finding | None:
    """Exam S13: more than `transfers` main↔aux transfers, money taken out to a bank, and no trade,
    all within the period. A trade ends the run; the previous warning's evidence is not counted
    again (`after_seq`)."""
    run: list[Event] = []
    for e in sorted(events, key=lambda e: e.seq):
        if e.day < period_start or e.seq <= after_seq:
            continue
        if e.kind == TRADE:
            run = []
        else:
            run.append(e)
    transfers = [e for e in run if e.kind == TRANSFER]
    withdrawals = [e for e in run if e.kind == WITHDRAWAL]
    if len(transfers) <= limits.transfers or not withdrawals:
        return None
    return Finding(
        NON_TRADING, f"NT:{run[-1].seq}",
        {"transfers": len(transfers), "withdrawals": len(withdrawals), "threshold": limits.transfers,
         "withdrawn": _amt(sum(e.amount for e in withdrawals)), **_evidence(run)},
        run[-1].seq,
    )


def warning_streak(previous: PreviousWarning | None, events: list[Event], period_start: date) -> int:
    """M19 'second consecutive time': the streak goes on when no trade came after the previous
    warning's evidence and that warning lies in the current period; otherwise it starts again."""
    if previous is None or previous.day < period_start:
        return 1
    if any(e.kind == TRADE and e.seq > previous.last_seq for e in events):
        return 1
    return previous.streak + 1


def proposal(streak: int, limits: Limits) -> str:
    return CLOSE_TRANSFER if streak >= limits.warnings_before_close else EDUCATE


def check_alert_action(proposed: str, action: str, instruction: str) -> None:
    """7101 takes the action that fits the warning in front of it (exam M19 D, S13; the FAQ's
    second-time answer): a first warning is educated, a second consecutive one closes the transfer
    function. Closing on a first warning is the operations department's call, so it needs their
    instruction number; educating again on a second is never enough."""
    if proposed == CLOSE_TRANSFER and action == EDUCATE:
        raise Refused(Rule.ALERT_ACTION, _("这是连续第二次预警，不能再以教育警示处理：须按运营管理部指令关闭主辅资金划转功能"))
    if proposed == EDUCATE and action == CLOSE_TRANSFER and not instruction:
        raise Refused(Rule.ALERT_ACTION, _("这是首次预警，应教育警示客户；关闭划转功能须有运营管理部的指令号"))


# --- 7102: anti-money-laundering --------------------------------------------------------------

def large_value(events: list[Event], day: date, institution: bool, limits: Limits) -> list[Finding]:
    """M18 A/B: main↔aux transfers of the threshold or more, single or summed over the day; each
    direction is summed on its own (DOMAIN §4), so money moved out and back does not add up."""
    threshold = limits.large(institution)
    found = []
    for direction in (TO_MAIN, TO_AUX):
        moved = [e for e in events if e.kind == TRANSFER and e.day == day and e.direction == direction]
        total = sum(e.amount for e in moved)
        if moved and total >= threshold:
            largest = max(e.amount for e in moved)
            found.append(Finding(
                AML_LARGE, f"LARGE:{day.isoformat()}:{direction}",
                {"direction": direction, "total": _amt(total), "count": len(moved), "largest": _amt(largest),
                 "single": largest >= threshold, "threshold": _amt(threshold), **_evidence(moved)},
                moved[-1].seq,
            ))
    return found


def is_idle(last_trade: date | None, active_since: date | None, today: date, limits: Limits) -> bool:
    """T16 '证券账户长期闲置不用': no trade for `idle_days` calendar days. A client who never traded
    is idle once the accounts are that old (a client opened last week is new, not idle)."""
    since = last_trade or active_since
    return since is None or (today - since).days >= limits.idle_days


def idle_frequent(events: list[Event], idle: bool, window_start: date, limits: Limits, after_seq: int = 0) -> Finding | None:
    """T16 / M18 C: an idle securities account, yet frequent large main↔aux movements in the window."""
    if not idle:
        return None
    big = [e for e in sorted(events, key=lambda e: e.seq)
           if e.kind == TRANSFER and e.day >= window_start and e.seq > after_seq and e.amount >= limits.frequent_amount]
    if len(big) < limits.frequent_count:
        return None
    return Finding(
        AML_SUSPICIOUS, f"{IDLE_FREQUENT}:{big[-1].seq}",
        {"pattern": IDLE_FREQUENT, "count": len(big), "total": _amt(sum(e.amount for e in big)),
         "each_at_least": _amt(limits.frequent_amount), **_evidence(big)},
        big[-1].seq,
    )


def structuring(events: list[Event], institution: bool, window_start: date, limits: Limits, after_seq: int = 0) -> Finding | None:
    """M18 D: in the window, at least `structuring_count` transfers one way, each just under the
    large-value threshold (within the margin below it), and one transfer the other way gathering
    them (at least their total less the same margin); in either order."""
    threshold = limits.large(institution)
    floor = threshold * (100 - limits.structuring_margin_pct) // 100
    recent = [e for e in sorted(events, key=lambda e: e.seq)
              if e.kind == TRANSFER and e.day >= window_start and e.seq > after_seq]
    for direction, other in ((TO_MAIN, TO_AUX), (TO_AUX, TO_MAIN)):
        scattered = [e for e in recent if e.direction == direction and floor <= e.amount < threshold]
        if len(scattered) < limits.structuring_count:
            continue
        total = sum(e.amount for e in scattered)
        gathering = total * (100 - limits.structuring_margin_pct) // 100
        concentrated = [e for e in recent if e.direction == other and e.amount >= gathering]
        if concentrated:
            evidence = sorted(scattered + concentrated[:1], key=lambda e: e.seq)
            return Finding(
                AML_SUSPICIOUS, f"{STRUCTURING}:{evidence[-1].seq}",
                {"pattern": STRUCTURING, "scattered_direction": direction, "scattered_count": len(scattered),
                 "scattered_total": _amt(total), "concentrated": _amt(concentrated[0].amount),
                 "threshold": _amt(threshold), **_evidence(evidence)},
                evidence[-1].seq,
            )
    return None
