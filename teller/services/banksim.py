"""The depository banks, simulated in process: one simulator per bank, each keeping its own ledger.

A bank is another system. It receives a request (a message carrying the counter's serial), does it
or refuses it in its own transaction, and answers. Its ledger (BankLedger) is its statement of the
day, which day-end reconciles against; the client's settlement account at the bank is
FundAccount.bank_balance, which only the bank changes. A request the bank already has (same serial)
is answered again as it was, never done twice: that is what makes a retried request idempotent.

Faults come from a scenario's [[bank_faults]] (BankFault rows): for the matching requests the bank
fails; times out (the answer is lost; with bank_applies = false the request itself is lost);
answers twice (a second copy waits in its outbox); or answers late (the answer waits in its outbox
until the counter next talks to that bank, after the counter has given up waiting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from teller.domain.banks import INSUFFICIENT, RequestState, find_bank
from teller.fileformat import unknown_key_message
from teller.i18n import _
from teller.services.concurrency import RETRIES, backoff, hold_day, retryable
from teller.store.db import unit_of_work
from teller.store.models import BankFault, BankLedger, DayEnd, FundAccount

OK, FAILED = RequestState.OK, RequestState.FAILED
FAULTS = ("fail", "timeout", "duplicate", "late")
FAULT_KINDS = ("any", "transfer", "transfer_in", "transfer_out", "key_update")


@dataclass(frozen=True)
class Message:
    """What the counter sends: the serial is the counter's request id."""

    serial: int
    bank: str
    kind: str  # transfer_in | transfer_out | key_update
    customer_code: str
    fund_account: str
    amount: int
    business_date: date


@dataclass(frozen=True)
class Answer:
    serial: int
    result: str  # 成功 | 失败
    reason: str = ""


class BankSimulator:
    def __init__(self, bank: str) -> None:
        self.bank = bank

    def receive(self, engine: Engine, m: Message) -> Answer | None:
        """Do the request once, in the bank's own transaction; None when no answer comes back. Two
        copies of one request arriving together: the ledger's unique serial lets one through, and the
        other, run again, finds it done."""
        for attempt in range(1, RETRIES + 1):
            try:
                return self._receive(engine, m)
            except DBAPIError as e:
                if not retryable(e) or attempt == RETRIES:
                    raise
                backoff(attempt)
        return None

    def _receive(self, engine: Engine, m: Message) -> Answer | None:
        with unit_of_work(engine) as s:
            # The bank's cut-off: once the counter has closed a business date (and reconciled against
            # the bank's statement of it), the bank takes nothing more for that date. Sharing the day
            # gate makes day-end wait for a request the bank is doing.
            hold_day(s, exclusive=False)
            done = s.exec(select(BankLedger).where(BankLedger.bank == self.bank, BankLedger.request_id == m.serial)).first()
            if done is not None:
                return Answer(m.serial, done.result, done.reason)
            if s.get(DayEnd, m.business_date) is not None:
                return Answer(m.serial, FAILED, _("银行已日切，该营业日的请求不再受理"))
            fault = _take_fault(s, self.bank, m.kind)
            if fault is not None and fault.fault == "timeout" and not fault.bank_applies:
                return None
            if fault is not None and fault.fault == "fail":
                result, reason = FAILED, _("银行系统拒绝（模拟故障）")
            else:
                result, reason = self._apply(s, m)
            s.add(BankLedger(bank=self.bank, request_id=m.serial, business_date=m.business_date,
                             customer_code=m.customer_code, fund_account=m.fund_account, kind=m.kind,
                             amount=m.amount, result=result, reason=reason,
                             undelivered=1 if fault is not None and fault.fault in ("duplicate", "late") else 0))
            if fault is not None and fault.fault in ("timeout", "late"):
                return None
            return Answer(m.serial, result, reason)

    def _apply(self, s: Session, m: Message) -> tuple[str, str]:
        if m.kind == "key_update":
            return OK, ""
        sign = -1 if m.kind == "transfer_in" else 1  # money in to the broker leaves the bank account
        stmt = update(FundAccount).where(FundAccount.no == m.fund_account)
        if sign < 0:
            stmt = stmt.where(FundAccount.bank_balance >= m.amount)
        done = s.exec(stmt.values(bank_balance=FundAccount.bank_balance + sign * m.amount)).rowcount
        return (OK, "") if done else (FAILED, INSUFFICIENT)

    def outbox(self, engine: Engine) -> list[Answer]:
        """Answers sent late or a second time, handed over now (each once)."""
        with unit_of_work(engine) as s:
            rows = s.exec(select(BankLedger).where(BankLedger.bank == self.bank, BankLedger.undelivered > 0)
                          .order_by(BankLedger.id)).all()
            out = []
            for r in rows:
                out.extend(Answer(r.request_id, r.result, r.reason) for _n in range(r.undelivered))
                r.undelivered = 0
                s.add(r)
            return out


def simulator(bank: str) -> BankSimulator:
    return BankSimulator(bank)


def statement(s: Session, bank: str, day: date) -> dict[int, BankLedger]:
    """The bank's statement of the day: what it did, by the counter's serial. Read in the caller's
    session (day-end holds the store; the in-process bank shares it)."""
    rows = s.exec(select(BankLedger).where(BankLedger.bank == bank, BankLedger.business_date == day))
    return {r.request_id: r for r in rows}


def _take_fault(s: Session, bank: str, kind: str) -> BankFault | None:
    rows = s.exec(select(BankFault).where(BankFault.bank == bank, BankFault.remaining > 0)
                  .order_by(BankFault.id).with_for_update()).all()
    for f in rows:
        if f.kind in ("any", kind) or (f.kind == "transfer" and kind.startswith("transfer_")):
            if f.skip > 0:
                f.skip -= 1
                s.add(f)
                return None
            f.remaining -= 1
            s.add(f)
            return f
    return None


# --- a scenario's [[bank_faults]] ---------------------------------------------------------------------
FAULT_KEYS = ("bank", "fault", "kind", "times", "skip", "bank_applies")


def parse_faults(rows: object, problem) -> list[dict]:  # noqa: ANN001
    """Check each [[bank_faults]] table; `problem(index, key, message)` reports with the line."""
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        problem(None, "bank_faults", _("应为 [[bank_faults]] 表的列表"))
        return []
    faults = []
    for i, r in enumerate(rows):
        for key in r:
            if key not in FAULT_KEYS:
                problem(i, key, unknown_key_message(key, FAULT_KEYS))
        bank = str(r.get("bank", "")).strip()
        if find_bank(bank) is None:
            problem(i, "bank", _("“{b}”不是本营业部的存管银行").format(b=bank))
        if r.get("fault") not in FAULTS:
            problem(i, "fault", _("只能是 {opts}").format(opts=" | ".join(FAULTS)))
        kind = r.get("kind", "any")
        if kind not in FAULT_KINDS:
            problem(i, "kind", _("只能是 {opts}").format(opts=" | ".join(FAULT_KINDS)))
        for key, low, default in (("times", 1, 1), ("skip", 0, 0)):
            v = r.get(key, default)
            if not isinstance(v, int) or isinstance(v, bool) or v < low:
                problem(i, key, _("应为不小于 {n} 的整数").format(n=low))
        applies = r.get("bank_applies", True)
        if not isinstance(applies, bool):
            problem(i, "bank_applies", _("只能是 true 或 false"))
        faults.append({"bank": bank, "fault": r.get("fault"), "kind": kind, "times": r.get("times", 1),
                       "skip": r.get("skip", 0), "bank_applies": applies})
    return faults


def install_faults(engine: Engine, faults: list[dict]) -> None:
    """Tell the simulators what to inject (setting up a drill or test, like seeding: not journaled)."""
    with unit_of_work(engine) as s:
        for f in faults:
            s.add(BankFault(bank=f["bank"], fault=f["fault"], kind=f.get("kind", "any"), skip=f.get("skip", 0),
                            remaining=f.get("times", 1), bank_applies=f.get("bank_applies", True)))

