"""The machinery every business function shares: who is acting, the transaction, the journal,
the papers check, and the registry that maps function codes to handlers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Callable

from sqlalchemy import bindparam
from sqlmodel import Session, select

from teller.domain import papers as P
from teller.domain.errors import BadInput, NotFound, Refused, Rule
from teller.domain.money import Fen, parse_amount
from teller.i18n import N_, _
from teller.services.views import account_view
from teller.store.models import BankKeyInfo, Customer, Document, FundAccount, Journal, Movement, Review, Setting


@dataclass(frozen=True)
class Context:
    """Who performs a call and what is on the counter.

    `documents` is the set of papers the teller ticked; None means 'every required paper is there'
    (the scenario file's auto_documents). `approving` is set only when 8102 replays a request.
    """

    teller_id: str = "T00"
    terminal: str = "T-01"
    documents: frozenset[str] | None = frozenset()
    agent: bool = False
    channel: str = "counter"
    approving: bool = False
    now: datetime | None = None
    # Long work (day-end) reports how far it got: progress(step, done, total); the counter's
    # progress bar or the command line's. Not part of what the call does.
    progress: Callable[[str, int, int], None] | None = field(default=None, compare=False, repr=False)

    def stamp(self) -> datetime:
        """Wall-clock time, always with its UTC offset (the journal stores aware timestamps)."""
        t = self.now or datetime.now()
        return t if t.tzinfo else t.astimezone()


@dataclass(frozen=True)
class Function:
    code: str
    op: str
    title: str  # N_-marked, translate when shown
    handler: Callable[["Tx", "Params"], dict]
    customer_of: Callable[["Tx", "Params"], str] | None = None
    writes: bool = True


REGISTRY: dict[str, Function] = {}
BY_CODE: dict[str, Function] = {}


def function(code: str, op: str, title: str, *, writes: bool = True):
    def register(handler: Callable[["Tx", "Params"], dict]) -> Callable[["Tx", "Params"], dict]:
        f = Function(code, op, title, handler, writes=writes)
        REGISTRY[op] = f
        BY_CODE[code] = f
        return handler

    return register


class Params:
    """A function's inputs, read field by field; every problem names the field and the rule."""

    def __init__(self, raw: dict) -> None:
        self.raw = dict(raw)

    def text(self, name: str, label: str, *, required: bool = True, default: str = "") -> str:
        value = self.raw.get(name, None)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise BadInput(label, _("必须填写"))
            return default
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise BadInput(label, _("应为文字"))
        return str(value).strip()

    def amount(self, name: str = "amount", label: str = N_("金额")) -> Fen:
        if self.raw.get(name) is None:
            raise BadInput(label, _("必须填写"))
        return parse_amount(self.raw[name], label)

    def choice(self, name: str, label: str, options: tuple[str, ...], *, default: str | None = None) -> str:
        value = self.raw.get(name, default)
        if value is None:
            raise BadInput(label, _("必须填写，可选：{opts}").format(opts=" / ".join(options)))
        value = str(value).strip()
        if value not in options:
            raise BadInput(label, _("“{v}”不在可选值中：{opts}").format(v=value, opts=" / ".join(options)))
        return value

    def flag(self, name: str, label: str) -> int:
        value = self.raw.get(name)
        if str(value).strip() in ("0", "1"):
            return int(str(value).strip())
        raise BadInput(label, _("划转标志只能是 1（开）或 0（关）"))

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name, default)
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("1", "true", "yes", "y", "是")


class Tx:
    """One business function's transaction: reads, the papers check, effects and their journal."""

    def __init__(self, session: Session, ctx: Context, fn: Function, journal: Journal, settings: dict[str, str]) -> None:
        self.s = session
        self.ctx = ctx
        self.fn = fn
        self.journal = journal
        self.settings = settings
        self.today: date = journal.business_date
        self.customer_code = ""
        self.filings: list[P.Filing] = []
        self.locked: set[str] = set()
        # Work that must happen after this transaction commits (a request to a bank): each is
        # called as f(counter, outcome, ctx) and returns the call's final outcome.
        self.followups: list = []
        # SQLite has no row locks: its transactions begin IMMEDIATE and hold the whole file, so a
        # client's lock there is the transaction itself (teller.services.concurrency).
        self.row_locks = session.get_bind().dialect.name != "sqlite"
        self.clients: dict[str, Customer | None] = {}  # client rows read with their lock
        # What the rows looked like when this function first read them: the receipt's "before"
        # (teller.services.papers). Fund accounts by number, the client's key information.
        self.before: dict[str, dict] = {}
        self.read: dict[str, FundAccount] = {}  # held, so the session keeps them for the receipt
        self.key_before: tuple[str, str, str] | None = None

    # --- reads -------------------------------------------------------------------------------
    def bind(self, code: str, account: str = "") -> None:
        """Every function touches one client (teller.services.concurrency): lock the client's row
        before reading any of its rows; a second client is refused before any of its rows is read.
        Day-end is the one batch over every client."""
        if self.customer_code and code != self.customer_code and self.fn.op != "end_of_day":
            raise Refused(
                Rule.NOT_SAME_CUSTOMER,
                _("资金账户 {no} 属于客户 {b}，本笔业务办理的是客户 {a}：一笔业务只能涉及同一客户的账户").format(
                    no=account, a=self.customer_code, b=code) if account else
                _("本笔业务办理的是客户 {a}，不能同时涉及客户 {b}").format(a=self.customer_code, b=code),
            )
        if code not in self.locked and self.fn.writes:
            if self.row_locks:  # the client's row, loaded with its lock (customer() needs no second read)
                self.clients[code] = self.s.exec(_LOCK_CLIENT, params={"code": code}).first()
            self.locked.add(code)
        if self.fn.op != "end_of_day":
            self.customer_code = self.customer_code or code

    def customer(self, code: str) -> Customer:
        self.bind(code)
        c = self.clients.get(code) or self.s.get(Customer, code)
        if c is None:
            raise NotFound(N_("客户号"), code)
        self.customer_code = self.customer_code or c.code
        if self.key_before is None:
            self.key_before = (c.name, c.id_type, c.id_no)
        return c

    def account(self, no: str, *, lock: bool = True) -> FundAccount:
        owner = self.s.exec(_OWNER, params={"no": no}).first()
        if owner is None:
            raise NotFound(N_("资金账号"), no)
        self.bind(owner, no)
        if not self.row_locks:  # read after the owner's lock: nobody else writes until commit
            a = self.s.get(FundAccount, no)
            if a is None:
                raise NotFound(N_("资金账号"), no)
            self.customer_code = self.customer_code or a.customer_code
            return self._seen(a)
        stmt = select(FundAccount).where(FundAccount.no == no)
        if lock:
            stmt = stmt.with_for_update()
        a = self.s.exec(stmt).first()
        if a is None:
            raise NotFound(N_("资金账号"), no)
        self.customer_code = self.customer_code or a.customer_code
        return self._seen(a)

    def accounts_of(self, code: str, *, lock: bool = True, open_only: bool = True) -> list[FundAccount]:
        self.bind(code)
        stmt = select(FundAccount).where(FundAccount.customer_code == code).order_by(FundAccount.no)
        if open_only:
            stmt = stmt.where(FundAccount.status == "open")
        if lock:
            stmt = stmt.with_for_update()
        return [self._seen(a) for a in self.s.exec(stmt)]

    def _seen(self, a: FundAccount) -> FundAccount:
        if a.no not in self.before:
            self.before[a.no] = account_view(a)
            self.read[a.no] = a
        return a

    def absorb(self, other: "Tx") -> None:
        """Take over what another Tx on this transaction read first (8102 replays a request in one)."""
        for no, view in other.before.items():
            self.before.setdefault(no, view)
            self.read.setdefault(no, other.read[no])
        self.key_before = self.key_before or other.key_before

    def pending_banks(self, customer: Customer) -> set[str]:
        """Banks whose copy of the key information differs from the client's (KEY_INFO_PENDING)."""
        rows = self.s.exec(_BANK_COPIES, params={"code": customer.code})
        return {bank for bank, *key in rows if tuple(key) != (customer.name, customer.id_type, customer.id_no)}

    def setting(self, key: str, default: str) -> str:
        return self.settings.get(key, default)

    def progress(self, step: str, done: int, total: int) -> None:
        if self.ctx.progress is not None:
            self.ctx.progress(step, done, total)

    # --- papers ------------------------------------------------------------------------------
    def require_papers(self, filings: list[P.Filing], *, accounts_for_agent: tuple[str, ...] = ()) -> None:
        """Refuse with DOC_MISSING until every paper is ticked; remember where each is filed.
        A request replayed by 8102 was checked and filed when it was made."""
        if self.ctx.approving:
            return
        if self.ctx.agent and self.setting("agent_allowed", "1") != "1":
            raise Refused(Rule.FORBIDDEN, _("本营业部规定须客户本人临柜办理，不接受代理"))
        needed = P.with_agent(filings, self.ctx.agent, accounts_for_agent or (filings[0].accounts if filings else ()))
        if self.ctx.documents is not None:
            lacking = P.missing(needed, self.ctx.documents)
            if lacking:
                raise Refused(
                    Rule.DOC_MISSING,
                    _("缺少客户签署的资料：{papers}。请收齐并在资料清单中勾选后再提交").format(
                        papers=_("、").join(_("《{title}》").format(title=P.paper_title(p)) for p in lacking)
                    ),
                    missing=lacking,
                )
        self.filings.extend(needed)

    def archive_filings(self) -> list[dict]:
        filed = []
        for f in self.filings:
            for acct in f.accounts or ("",):
                self.s.add(
                    Document(
                        customer_code=self.customer_code, fund_account=acct, name=f.paper,
                        function_code=self.fn.code, journal_id=self.journal.id, business_date=self.today,
                    )
                )
                filed.append({"paper": f.paper, "account": acct})
        return filed

    # --- maker-checker -----------------------------------------------------------------------
    def review_gate(self, customer_code: str) -> dict | None:
        """Functions that need a second person stop here and wait in the 8102 queue; when 8102
        replays the request (ctx.approving) they go on and take effect."""
        if self.ctx.approving:
            return None
        waiting = self.s.exec(
            select(Review).where(Review.status == "pending", Review.op == self.fn.op, Review.customer_code == customer_code)
        ).all()
        for w in waiting:
            if w.params.get("account") == self.journal.inputs.get("account"):
                raise Refused(
                    Rule.NEEDS_REVIEW,
                    _("同一业务已在等待复核（复核号 {id}，{who} 提交）：请主管先在 8102 处理").format(id=w.id, who=w.requested_by),
                    review_id=w.id,
                )
        docs = None if self.ctx.documents is None else sorted(self.ctx.documents)
        review = Review(
            op=self.fn.op, customer_code=customer_code, params=dict(self.journal.inputs), documents=docs or [],
            agent=self.ctx.agent, requested_by=self.ctx.teller_id, requested_journal=self.journal.id,
            business_date=self.today,
        )
        self.s.add(review)
        self.s.flush()
        return {
            "status": "pending_review", "review_id": review.id,
            "_message": _("已提交复核（复核号 {id}）：须由另一名主管在 8102 批准后生效").format(id=review.id),
        }

    # --- effects -----------------------------------------------------------------------------
    def move(self, a: FundAccount, kind: str, amount: Fen, counterpart: str = "", channel: str | None = None) -> None:
        self.s.add(
            Movement(
                journal_id=self.journal.id, business_date=self.today, customer_code=a.customer_code,
                fund_account=a.no, kind=kind, amount=amount, counterpart=counterpart,
                channel=channel or self.ctx.channel,
            )
        )
        a.version += 1
        self.s.add(a)


def load_settings(session: Session) -> dict[str, str]:
    return dict(session.exec(_SETTINGS).all())


# Statements every call runs, built once (SQLAlchemy then finds each compiled at once).
_SETTINGS = select(Setting.key, Setting.value)
_OWNER = select(FundAccount.customer_code).where(FundAccount.no == bindparam("no"))
_LOCK_CLIENT = select(Customer).where(Customer.code == bindparam("code")).with_for_update()
_BANK_COPIES = select(BankKeyInfo.bank, BankKeyInfo.name, BankKeyInfo.id_type, BankKeyInfo.id_no).where(
    BankKeyInfo.customer_code == bindparam("code"))


def business_date(settings: dict[str, str]) -> date:
    value = settings.get("business_date")
    if not value:
        raise Refused(Rule.NOT_FOUND, _("营业日期未设置：请先初始化柜台（teller init）"))
    return date.fromisoformat(value)


def chain_hash(prev: str, row: Journal) -> str:
    """Hash of one journal line chained to the line before (tamper evidence, `teller audit verify`).
    The time is hashed in UTC: the store keeps it in UTC, so a line sealed at +08:00 must hash the
    same when it is read back."""
    at = row.at.replace(tzinfo=timezone.utc) if row.at.tzinfo is None else row.at.astimezone(timezone.utc)
    body = json.dumps(
        [prev, row.id, row.business_date.isoformat(), at.isoformat(), row.teller_id, row.terminal,
         row.function_code, row.op, row.customer_code, row.inputs, row.ok, row.rule, row.message, row.agent],
        ensure_ascii=False, sort_keys=True, default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
