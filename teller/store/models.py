"""The store's tables. ORM classes only: the rules live in teller.domain, not here.

Money columns are integer fen (BigInteger). Dates are business dates (the counter's date, moved
by day-end), times are wall-clock timestamps for the journal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def money(**kw) -> object:
    return Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0), **kw)


def opening_of(column: str) -> object:
    """An account's figure when its row was written: unless given, a copy of `column` in the same
    INSERT (ORM or Core, one row or many), so every way of opening an account records it."""
    def copy(context) -> int:  # noqa: ANN001 - SQLAlchemy's execution context
        return context.get_current_parameters().get(column) or 0

    return Field(default=None, sa_column=Column(BigInteger, nullable=False, default=copy, server_default="0"))


class Setting(SQLModel, table=True):
    """Branch-wide settings and the business date (key 'business_date')."""

    key: str = Field(primary_key=True)
    value: str


class Teller(SQLModel, table=True):
    id: str = Field(primary_key=True)
    name: str = ""
    role: str = "teller"  # teller | supervisor | trainer | trainee (teller.domain.roles)
    password_hash: str = ""
    # Who set the current password ("" for a store's seeding): whoever set it knows it, so 8102 never
    # lets them approve this teller's requests (teller.domain.roles.check_may_approve).
    password_set_by: str = ""
    failed_attempts: int = 0
    locked: bool = False
    active: bool = True


class Customer(SQLModel, table=True):
    code: str = Field(primary_key=True)
    name: str = Field(index=True)
    kind: str = "individual"  # individual | institution
    id_type: str = "居民身份证"
    id_no: str = Field(index=True)
    status: str = "合格"  # 合格 | 不合格 | 休眠 | 风险处置
    branch: str = "0001"
    # Consecutive non-trading-purpose warnings (7101); reset when a period passes clean.
    warning_streak: int = 0


class FundAccount(SQLModel, table=True):
    no: str = Field(primary_key=True)
    customer_code: str = Field(index=True, foreign_key="customer.code")
    bank: str
    # main | aux while registered in the service (3201 add / 3202), none otherwise
    role: str = "none"
    in_service: bool = False
    transfer_flag: int = 0  # 1--开 / 0--关: main<->aux transfers
    custody: str = "unsigned"  # unsigned | pending_bank | signed | terminated
    status: str = "open"  # open | closed
    cash: int = money()
    frozen: int = money()
    # Arrived today by main<->aux transfer, or today's sale proceeds: usable for trading, not for leaving.
    non_withdrawable_today: int = money()
    interest_base: int = money()  # 利息积数, fen x days
    liabilities: int = money()
    bank_balance: int = money()  # the client's settlement account at the depository bank
    commission_class: str = "标准"
    opened_on: Optional[date] = None
    capitalized_on: Optional[date] = None  # last 3106 利息归本
    version: int = 0
    # The books check (teller.services.books) replays the movements and requests from these: the
    # cash, frozen and bank-side figures the account had when it was opened, seeded or upgraded.
    opening_cash: Optional[int] = opening_of("cash")
    opening_frozen: Optional[int] = opening_of("frozen")
    opening_bank_balance: Optional[int] = opening_of("bank_balance")


class BankKeyInfo(SQLModel, table=True):
    """The depository bank's copy of the client's key information (what 3205 last sent it)."""

    __table_args__ = (UniqueConstraint("customer_code", "bank"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_code: str = Field(index=True)
    bank: str
    name: str
    id_type: str
    id_no: str
    updated_on: Optional[date] = None


class ShareholderAccount(SQLModel, table=True):
    no: str = Field(primary_key=True)
    customer_code: str = Field(index=True)
    fund_account: str = Field(index=True)
    market: str = "SH"


class OfAccount(SQLModel, table=True):
    no: str = Field(primary_key=True)
    customer_code: str = Field(index=True)
    fund_account: str = Field(index=True)
    opened_on: Optional[date] = None


class TradeEvent(SQLModel, table=True):
    """Orders, cancels and designations: what 3202 looks at for 'the same day'."""

    id: Optional[int] = Field(default=None, primary_key=True)
    customer_code: str = Field(index=True)
    fund_account: str = ""
    business_date: date = Field(index=True)
    kind: str  # buy | sell | subscribe | cancel | designate | undesignate | transfer_custody
    amount: int = money()


class Movement(SQLModel, table=True):
    """One money movement on one fund account (6101 and 6103 read these)."""

    # The account's index carries the kind and amount too (migration 0009), so the books check sums
    # every account's movements from the index alone, never reading the table: on a million clients
    # day-end's check took 31-33 s with the account-only index and 13-18 s with this one.
    __table_args__ = (Index("ix_movement_fund_account_kind_amount", "fund_account", "kind", "amount"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    journal_id: int = Field(index=True)
    business_date: date = Field(index=True)
    customer_code: str = Field(index=True)
    fund_account: str
    # bank_in | bank_out | ledger_in | ledger_out | buy | sell | subscribe | interest
    kind: str
    amount: int = money()
    counterpart: str = ""
    channel: str = "counter"
    # A reversal (冲正) names the journal line whose movement it undoes.
    reverses: Optional[int] = None


class BankRequest(SQLModel, table=True):
    """A request to a depository bank (银证转账 or 资料变更发送银行) and its state, as real counters keep
    them. Its id is the serial the bank sees, so a retried request is the same request. A transfer out
    keeps its amount frozen while the state is 未报, 已报 or 超时."""

    id: Optional[int] = Field(default=None, primary_key=True)
    journal_id: int = Field(index=True)
    business_date: date
    customer_code: str = Field(index=True)
    fund_account: str = ""
    bank: str
    kind: str  # transfer_in | transfer_out | key_update
    amount: int = money()
    state: str = "成功"  # 未报 已报 成功 失败 超时 调为成功 调为失败
    detail: str = ""
    attempts: int = 0  # times sent to the bank
    applied_journal: Optional[int] = None  # the journal line that moved the money or applied the change
    settled_journal: Optional[int] = None  # the line that gave it its final state


class Document(SQLModel, table=True):
    """A signed paper archived under the client code and filed against a fund account."""

    id: Optional[int] = Field(default=None, primary_key=True)
    customer_code: str = Field(index=True)
    fund_account: str = ""
    name: str
    function_code: str
    journal_id: int = Field(index=True)
    business_date: date
    note: str = ""


class Scan(SQLModel, table=True):
    """A scanned image of a signed paper (8101), filed with the paper's filing (Document). The
    SHA-256 is also sealed in the 8101 journal line that filed it, so a swapped file or a changed
    hash is found by `teller audit verify`."""

    id: Optional[int] = Field(default=None, primary_key=True)
    customer_code: str = Field(index=True)
    document_id: int = Field(index=True)
    fund_account: str = ""
    paper: str
    journal_id: int = Field(index=True)  # the 8101 line that filed it
    business_date: date
    filed_by: str
    filename: str
    media_type: str  # application/pdf | image/png | image/jpeg, from the content
    size: int
    sha256: str
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Receipt(SQLModel, table=True):
    """The paper a committed function prints (业务回单, or 3106's 资金利息归本单), kept as it was
    printed so a reprint (补打) is the same paper: language-neutral values, labelled when printed."""

    journal_id: int = Field(primary_key=True)
    customer_code: str = Field(index=True)
    kind: str  # receipt | interest_slip
    body: dict = Field(default_factory=dict, sa_column=Column(JSON))
    copies: int = 0  # copies printed so far: the first is the original, every later one a 补打


class Journal(SQLModel, table=True):
    """One line per function call, refused ones included."""

    __table_args__ = (
        Index("ix_journal_customer_date", "customer_code", "business_date"),
        UniqueConstraint("chain", "seq", name="uq_journal_chain_seq"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    business_date: date = Field(index=True)
    at: datetime
    teller_id: str
    terminal: str = ""
    function_code: str
    op: str
    customer_code: str = ""
    inputs: dict = Field(default_factory=dict, sa_column=Column(JSON))
    ok: bool
    rule: str = ""
    message: str = ""
    agent: bool = False
    # The line's place in its hash chain (sealing order, which under concurrency is not id order).
    chain: str = ""
    seq: Optional[int] = None
    prev_hash: str = ""
    hash: str = ""


class Review(SQLModel, table=True):
    """A request waiting for a second person (8102)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    op: str
    customer_code: str = Field(index=True)
    params: dict = Field(default_factory=dict, sa_column=Column(JSON))
    documents: list = Field(default_factory=list, sa_column=Column(JSON))
    agent: bool = False
    requested_by: str
    requested_journal: int
    business_date: date
    status: str = "pending"  # pending | approved | rejected | failed
    decided_by: str = ""
    decided_journal: Optional[int] = None
    result: str = ""


class Alert(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_code: str = Field(index=True)
    kind: str  # NON_TRADING_TRANSFER | AML_LARGE | AML_SUSPICIOUS
    business_date: date
    state: str = "new"  # new | under_review | reported | dismissed | closed
    details: dict = Field(default_factory=dict, sa_column=Column(JSON))
    note: str = ""


class Notice(SQLModel, table=True):
    """A major-matter notification (7103); kept at least 3 years."""

    id: Optional[int] = Field(default=None, primary_key=True)
    customer_code: str = Field(index=True)
    content: str
    channel: str = "counter"
    at: datetime
    business_date: date
    journal_id: Optional[int] = None


class DayEnd(SQLModel, table=True):
    """One row per business date closed by 9101; the primary key stops a second run."""

    business_date: date = Field(primary_key=True)
    at: datetime
    teller_id: str
    next_date: date


class JournalChain(SQLModel, table=True):
    """The head of a journal hash chain: its last line's place and hash. Sealing a line locks this
    row, so concurrent terminals chain their lines one after another. One chain per branch by
    default (key ""); setting journal_chain = "client" keeps one per client, so no transaction
    touches another client's rows (a store distributed by client code)."""

    chain: str = Field(primary_key=True)
    seq: int = 0
    hash: str = ""


class BankLedger(SQLModel, table=True):
    """The depository bank's own record of the requests it received (the in-process bank simulator):
    its statement of the day is these rows. Written in the bank's transaction, never the broker's."""

    __table_args__ = (UniqueConstraint("bank", "request_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    bank: str = Field(index=True)
    request_id: int
    business_date: date = Field(index=True)
    customer_code: str = Field(index=True)
    fund_account: str = ""
    kind: str  # transfer_in | transfer_out | key_update
    amount: int = money()
    result: str  # 成功 | 失败 (what the bank did)
    reason: str = ""
    undelivered: int = 0  # answers sent late or a second time, not yet received by the counter


class BankFault(SQLModel, table=True):
    """A fault the bank simulator is told to inject (a scenario's [[bank_faults]]): the next `times`
    matching requests, after `skip` of them, fail, time out, are answered twice or answered late."""

    id: Optional[int] = Field(default=None, primary_key=True)
    bank: str = Field(index=True)
    fault: str  # fail | timeout | duplicate | late
    kind: str = "any"  # transfer_in | transfer_out | key_update | transfer | any
    skip: int = 0
    remaining: int = 1
    bank_applies: bool = True  # timeout only: whether the bank did it before the answer was lost


class TrainingAttempt(SQLModel, table=True):
    """One exam, practice session or drill attempt (9103), kept for the trainer's report (issue 4).
    Scores are exam points (2.5 for a multiple), not money."""

    id: Optional[int] = Field(default=None, primary_key=True)
    trainee: str = Field(index=True)  # the teller id who sat it
    kind: str = Field(index=True)  # exam | practice | drill
    subject: str  # the bank's title, or the drill id
    started_at: datetime
    finished_at: datetime
    score: float = 0.0
    total: float = 0.0
    passed: bool = False
    timed_out: bool = False
    journal_id: Optional[int] = None


class TrainingAnswer(SQLModel, table=True):
    """One item of an attempt: a question answered, or a drill check met or missed."""

    id: Optional[int] = Field(default=None, primary_key=True)
    attempt_id: int = Field(index=True, foreign_key="trainingattempt.id")
    item: str = Field(index=True)  # question id ("S10"), or drill and check ("D07/no-collect")
    given: str = ""
    correct: bool = False
    earned: float = 0.0
    points: float = 0.0


class TrainingBank(SQLModel, table=True):
    """A trainer's own question bank, imported with `teller exam import FILE` after it was checked."""

    name: str = Field(primary_key=True)
    title: str
    text: str
    items: int = 0
    imported_at: datetime
    imported_by: str
