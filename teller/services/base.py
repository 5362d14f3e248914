"""The machinery every business function shares: who is acting, the transaction, the journal,
the papers check, and the registry that maps function codes to handlers."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Callable

from sqlalchemy import bindparam, event, insert, update
from sqlmodel import Session, select

from teller.domain import catalog
from teller.domain import papers as P
from teller.domain import rules as R
from teller.domain.errors import BadInput, NotFound, Refused, Rule
from teller.domain.money import Fen, parse_amount
from teller.i18n import N_, _
from teller.services.views import account_view
from teller.store.batch import Batch, Prepared, Result, loaded
from teller.store.models import (BankKeyInfo, Customer, Document, FundAccount, Journal, JournalChain, Movement, Review,
                                 Setting)


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
    # The bank link's own calls carry its pass (teller.services.banklink): an object only that module
    # holds, which no scenario file, steps file, screen or command line can name. `channel = "bank"`
    # alone counts for nothing (issue 11, hole 3).
    link: object | None = field(default=None, compare=False, repr=False)
    # 主管授权 at a teller's terminal (Counter.authorise): the password of `teller_id`, a supervisor
    # who is not signed on here, checked in the call's own transaction before anything else. Never
    # journalled, never shown (repr).
    credential: str | None = field(default=None, compare=False, repr=False)

    def stamp(self) -> datetime:
        """Wall-clock time, always with its UTC offset (the journal stores aware timestamps)."""
        t = self.now or datetime.now()
        return t if t.tzinfo else t.astimezone()


@dataclass(frozen=True)
class Function:
    code: str
    op: str
    title: str  # N_-marked, translate when shown
    handler: Callable[["Tx", "Params"], "Done | dict"]
    customer_of: Callable[["Tx", "Params"], str] | None = None
    writes: bool = True
    # The inputs that name fund accounts, the client's first: read with the client's lock in the
    # call's first round trip (Tx.prefetch).
    prefetch: tuple[str, ...] = ()


@dataclass
class Done:
    """What a business function gives back: the outcome's `data`, and the `message` the teller reads
    on the message line (None: "<title>：办理成功"). A handler may also return a plain dict of data."""

    data: dict = field(default_factory=dict)
    message: str | None = None

    def note(self, more: str) -> "Done":
        """Add to the message (an alert the movement raised, a calendar warning)."""
        self.message = (self.message or "") + more
        return self


def result_of(returned: "Done | dict | None") -> Done:
    return returned if isinstance(returned, Done) else Done(dict(returned or {}))


REGISTRY: dict[str, Function] = {}
BY_CODE: dict[str, Function] = {}


def function(code: str, *, writes: bool = True, prefetch: tuple[str, ...] = ()):
    """The handler of the catalog's function `code` (teller.domain.catalog holds its op and title).
    `writes=False`: a query, which takes no lock; `prefetch`: see Function."""
    e = catalog.BY_CODE[code]

    def register(handler: Callable[["Tx", "Params"], "Done | dict"]) -> Callable[["Tx", "Params"], "Done | dict"]:
        f = Function(e.code, e.op, e.title, handler, writes=writes, prefetch=prefetch)
        REGISTRY[e.op] = f
        BY_CODE[e.code] = f
        return handler

    return register


def _strict_params() -> bool:
    """The test suite sets TELLER_STRICT_PARAMS=1 (tests/conftest.py, inherited by the processes it
    starts): a handler that reads an input its catalog entry does not declare is then a failure, so
    the catalog's params (which scenario files are checked against) stay the handlers' real inputs."""
    return os.environ.get("TELLER_STRICT_PARAMS") == "1"


class UndeclaredParam(AssertionError):
    pass


class _Inputs(dict):
    def __init__(self, raw: dict, op: str, declared: tuple[str, ...] | None) -> None:
        super().__init__(raw)
        self.op, self.declared = op, declared

    def _read(self, name: object) -> None:
        if self.declared is not None and name not in self.declared and _strict_params():
            raise UndeclaredParam(f"{self.op} reads {name!r}, not among its params in teller/domain/catalog.py")

    def get(self, name: str, default: object = None) -> object:
        self._read(name)
        return super().get(name, default)

    def __getitem__(self, name: str) -> object:
        self._read(name)
        return super().__getitem__(name)

    def __contains__(self, name: object) -> bool:
        self._read(name)
        return super().__contains__(name)


# Length limits of text inputs (issue 11): codes, numbers and ids are short; a name fits a legal
# entity's full name; free text (a notice's content, a reason) a paragraph. Longer is refused, naming
# the field, never stored.
TEXT_LIMIT = 64
TEXT_LIMITS = {"name": 100, "instruction": 200, "paper": 100, "subject": 200, "password": 128,
               "reason": 500, "note": 500, "content": 2000,
               "text": 5_000_000}  # "text": a whole question bank (9103 import_bank)


class Params:
    """A function's inputs, read field by field; every problem names the field and the rule."""

    def __init__(self, raw: dict, fn: "Function | None" = None) -> None:
        declared = catalog.BY_CODE[fn.code].params if fn is not None else None
        self.raw = _Inputs(raw, fn.op if fn else "", declared)

    def text(self, name: str, label: str, *, required: bool = True, default: str = "") -> str:
        value = self.raw.get(name, None)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise BadInput(label, _("必须填写"))
            return default
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise BadInput(label, _("应为文字"))
        text = str(value).strip()
        limit = TEXT_LIMITS.get(name, TEXT_LIMIT)
        if len(text) > limit:
            raise BadInput(label, _("最多 {n} 个字，现有 {m} 个").format(n=limit, m=len(text)))
        return text

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

    def __init__(self, session: Session, ctx: Context, fn: Function, journal: Journal, settings: dict[str, str],
                 batch: Batch | None = None) -> None:
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
        self.requests: list = []  # the bank requests this call opened (teller.services.banklink.open_request)
        # The fast path (teller.store.batch): the client and its accounts read in the call's first
        # round trip (`prefetch`), handed out as plain objects whose changes are written, with the
        # movements, in the next round trip the call makes anyway (`flush`); an ORM query or flush
        # in between sends them first (the Session hooks below), so every read sees them.
        self.batch = batch
        self._tracked: dict[tuple[str, str], tuple[object, dict]] = {}  # (table, key) -> (row, values as read)
        self._owners: dict[str, str | None] = {}  # account no -> its client, as read by the prefetch
        self._client_accounts: dict[str, list[FundAccount]] = {}
        self._banks: dict[str, list[tuple]] = {}
        self._inserts: list[tuple[Prepared, dict]] = []
        self.head: tuple[str, Result] | None = None  # the journal chain's head, read with its lock
        if batch is not None:
            session.info["teller_tx"] = self

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
        owner = self._owners[no] if no in self._owners else self.s.exec(_OWNER, params={"no": no}).first()
        if owner is None:
            raise NotFound(N_("资金账号"), no)
        self.bind(owner, no)
        if owner in self._client_accounts:  # read with the client's lock in the first round trip
            a = next(a for a in self._client_accounts[owner] if a.no == no)
            self.customer_code = self.customer_code or a.customer_code
            return self._seen(a)
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
        if code in self._client_accounts:
            return [self._seen(a) for a in self._client_accounts[code] if not open_only or a.status == "open"]
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
        self.requests.extend(other.requests)

    def pending_banks(self, customer: Customer) -> set[str]:
        """Banks whose copy of the key information differs from the client's (KEY_INFO_PENDING)."""
        prefetched = getattr(self, "_banks", {})  # (teller.services.reads calls this with a reader, not a Tx)
        rows = prefetched[customer.code] if customer.code in prefetched else self.s.exec(
            _BANK_COPIES, params={"code": customer.code})
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
        P.check_agent_allowed(self.ctx.agent, self.setting("agent_allowed", "1") == "1")
        needed = P.with_agent(filings, self.ctx.agent, accounts_for_agent or (filings[0].accounts if filings else ()))
        if self.ctx.documents is not None:
            P.check_ticked(needed, self.ctx.documents)
        self.filings.extend(needed)

    def archive_filings(self) -> list[dict]:
        filed = []
        for f in self.filings:
            for acct in f.accounts or ("",):
                row = dict(customer_code=self.customer_code, fund_account=acct, name=f.paper, function_code=self.fn.code,
                           journal_id=self.journal.id, business_date=self.today, note="")
                if self.batch is not None:
                    self._inserts.append((INSERT_DOCUMENT, row))
                else:
                    self.s.add(Document(**row))
                filed.append({"paper": f.paper, "account": acct})
        return filed

    # --- maker-checker -----------------------------------------------------------------------
    def review_gate(self, customer_code: str) -> Done | None:
        """Functions that need a second person stop here and wait in the 8102 queue; when 8102
        replays the request (ctx.approving) they go on and take effect."""
        if self.ctx.approving:
            return None
        waiting = self.s.exec(
            select(Review).where(Review.status == "pending", Review.op == self.fn.op, Review.customer_code == customer_code)
        ).all()
        for w in waiting:
            if w.params.get("account") == self.journal.inputs.get("account"):
                R.refuse_waiting_review(w.id, w.requested_by)
        docs = None if self.ctx.documents is None else sorted(self.ctx.documents)
        review = Review(
            op=self.fn.op, customer_code=customer_code, params=dict(self.journal.inputs), documents=docs or [],
            agent=self.ctx.agent, requested_by=self.ctx.teller_id, requested_journal=self.journal.id,
            business_date=self.today,
        )
        self.s.add(review)
        self.s.flush()
        return Done({"status": "pending_review", "review_id": review.id},
                    _("已提交复核（复核号 {id}）：须经另一名主管授权后生效（主管授权，或在 8102 复核）").format(id=review.id))

    # --- effects -----------------------------------------------------------------------------
    def move(self, a: FundAccount, kind: str, amount: Fen, counterpart: str = "", channel: str | None = None) -> None:
        row = dict(journal_id=self.journal.id, business_date=self.today, customer_code=a.customer_code,
                   fund_account=a.no, kind=kind, amount=amount, counterpart=counterpart,
                   channel=channel or self.ctx.channel, reverses=None)
        a.version += 1
        if self.batch is not None:
            self._inserts.append((_INSERT_MOVEMENT, row))
            if ("fundaccount", a.no) not in self._tracked:
                self.s.add(a)
        else:
            self.s.add(Movement(**row))
            self.s.add(a)

    # --- the fast path -----------------------------------------------------------------------
    @staticmethod
    def queue_prefetch(batch: Batch, fn: Function, nos: list[str]) -> Callable[["Tx"], None]:
        """Queue, for the call's first round trip, the lock on the client who owns the first of the
        account numbers `nos`, then that client's row, accounts and banks' copies (each statement
        after the lock, so each sees what the last holder of the lock committed), and the owner of
        every other number. Returns what takes the rows into the call's Tx once the batch is sent."""
        if not fn.writes or not nos:
            return lambda tx: None
        first = {"no": nos[0]}
        client = batch.query(_P_CLIENT if batch.pg else _P_CLIENT_NOLOCK, first)
        accounts = batch.query(_P_ACCOUNTS if batch.pg else _P_ACCOUNTS_NOLOCK, first)
        banks = batch.query(_P_BANKS, first)
        # With one journal chain per client, the client's chain head too (nothing if chains are per branch).
        head = batch.query(_P_CLIENT_HEAD if batch.pg else _P_CLIENT_HEAD_NOLOCK, first)
        owners = {no: batch.query(_P_OWNER, {"no": no}) for no in dict.fromkeys(nos[1:]) if no != nos[0]}

        def take(tx: "Tx") -> None:
            row = client.first()
            if row is not None:
                c = tx._track(Customer, _CUSTOMER_COLS, row)
                tx.clients[c.code] = c
                tx.locked.add(c.code)
                tx._client_accounts[c.code] = [tx._track(FundAccount, _ACCOUNT_COLS, r) for r in accounts.rows]
                tx._owners.update({a.no: c.code for a in tx._client_accounts[c.code]})
                tx._banks[c.code] = banks.rows
                if tx.settings.get("journal_chain") == "client":
                    tx.head = (c.code, head)
            tx._owners.setdefault(nos[0], None)  # no such account: tx.account says so
            for no, r in owners.items():
                tx._owners.setdefault(no, r.scalar())
        return take

    def _track(self, model: type, cols: tuple[str, ...], row: tuple) -> object:
        obj = loaded(model, dict(zip(cols, row)))
        self._tracked[(model.__tablename__, row[0])] = (obj, {})  # the key is each table's first column
        return obj

    def queue_writes(self, batch: Batch) -> None:
        """The changes to the rows handed out by `prefetch`, and the rows to insert, onto `batch`.
        A row's changes are what SQLAlchemy's attribute events recorded since it was read (or last
        written), as for any row the ORM loaded."""
        for (table, key), (obj, _unused) in self._tracked.items():
            state = obj._sa_instance_state
            if not state.modified:
                continue
            changed = {k: state.dict[k] for k, old in state.committed_state.items() if state.dict[k] != old}
            state.committed_state.clear()
            state.modified = False
            if changed:
                batch.write(_update_statement(table, tuple(sorted(changed))), {**changed, "_key": key})
        inserts, self._inserts = self._inserts, []
        for stmt, rows in _grouped(inserts):
            batch.insert(stmt, rows)

    def add(self, row: object) -> None:
        """A new row of this call (Session.add without the unit of work): written in the call's next
        round trip. Its key, if the store numbers it, is not known before then."""
        if self.batch is None:
            self.s.add(row)
            return
        table = type(row).__table__
        values = {c.key: getattr(row, c.key) for c in table.columns}
        for c in table.primary_key.columns:
            if values.get(c.key) is None:
                del values[c.key]
        stmt = _INSERTS.get(table.name)
        if stmt is None:
            stmt = _INSERTS[table.name] = Prepared(insert(table))
        self._inserts.append((stmt, values))

    def query(self, stmt: Prepared, params: dict | None = None, *, last: bool = False) -> Result:
        """One statement in a round trip with this call's pending writes (it sees them). `last`: the
        call's last read before its line is sealed (the live monitor's), so the journal chain's head
        is locked and read in the same round trip."""
        if self.batch is None:
            r = Result()
            r.rows = [tuple(x) for x in self.s.execute(stmt.stmt, params or {})]
            return r
        self.queue_writes(self.batch)
        r = self.batch.query(stmt, params)
        if last and self.head is None:
            self.queue_head(self.batch)
        self.batch.send()
        return r

    def chain_key(self) -> str:
        return self.customer_code if self.settings.get("journal_chain") == "client" else ""

    def queue_head(self, batch: Batch) -> Result:
        key = self.chain_key()
        self.head = (key, batch.query(_P_HEAD, {"chain": key}))
        return self.head[1]

    def flush(self) -> None:
        if self.batch is not None:
            self.queue_writes(self.batch)
            self.batch.send()

    def _absorb(self, session: Session) -> None:
        """Before an ORM flush: a prefetched row someone add()ed is not new (it is written by
        `queue_writes`, not inserted by the ORM); then the pending writes go first."""
        for obj, _values in self._tracked.values():
            if obj in session.new:
                session.expunge(obj)
        self.flush()


@event.listens_for(Session, "do_orm_execute")
def _pending_before_orm_query(state) -> None:  # noqa: ANN001
    tx = state.session.info.get("teller_tx")
    if tx is not None and (tx._inserts or tx._tracked):
        tx.flush()


@event.listens_for(Session, "before_flush")
def _pending_before_orm_flush(session: Session, _context, _instances) -> None:  # noqa: ANN001
    tx = session.info.get("teller_tx")
    if tx is not None:
        tx._absorb(session)


def _grouped(inserts: list[tuple[Prepared, dict]]) -> list[tuple[Prepared, list[dict]]]:
    out: dict[int, tuple[Prepared, list[dict]]] = {}
    for stmt, row in inserts:
        out.setdefault(id(stmt), (stmt, []))[1].append(row)
    return list(out.values())


_TABLES = {"fundaccount": FundAccount.__table__, "customer": Customer.__table__}
_INSERTS: dict[str, Prepared] = {}
_UPDATES: dict[tuple[str, tuple[str, ...]], Prepared] = {}


def _update_statement(table: str, cols: tuple[str, ...]) -> Prepared:
    stmt = _UPDATES.get((table, cols))
    if stmt is None:
        t = _TABLES[table]
        pk = next(iter(t.primary_key.columns))
        stmt = _UPDATES[(table, cols)] = Prepared(
            update(t).where(pk == bindparam("_key")).values({c: bindparam(c) for c in cols}))
    return stmt


def load_settings(session: Session) -> dict[str, str]:
    return dict(session.exec(_SETTINGS).all())


# Statements every call runs, built once (SQLAlchemy then finds each compiled at once).
_SETTINGS = select(Setting.key, Setting.value)
_OWNER = select(FundAccount.customer_code).where(FundAccount.no == bindparam("no"))
_LOCK_CLIENT = select(Customer).where(Customer.code == bindparam("code")).with_for_update()
_BANK_COPIES = select(BankKeyInfo.bank, BankKeyInfo.name, BankKeyInfo.id_type, BankKeyInfo.id_no).where(
    BankKeyInfo.customer_code == bindparam("code"))


_CUSTOMER_COLS = tuple(c.key for c in Customer.__table__.columns)
_ACCOUNT_COLS = tuple(c.key for c in FundAccount.__table__.columns)
assert _CUSTOMER_COLS[0] == "code" and _ACCOUNT_COLS[0] == "no"  # Tx._track keys rows by their first column
_OWNER_OF = select(FundAccount.customer_code).where(FundAccount.no == bindparam("no")).scalar_subquery()
_P_CLIENT_NOLOCK = Prepared(select(*Customer.__table__.columns).where(Customer.code == _OWNER_OF))
_P_CLIENT = Prepared(_P_CLIENT_NOLOCK.stmt.with_for_update())
_P_ACCOUNTS_NOLOCK = Prepared(select(*FundAccount.__table__.columns).where(FundAccount.customer_code == _OWNER_OF)
                              .order_by(FundAccount.no))
_P_ACCOUNTS = Prepared(_P_ACCOUNTS_NOLOCK.stmt.with_for_update())
_P_BANKS = Prepared(select(BankKeyInfo.bank, BankKeyInfo.name, BankKeyInfo.id_type, BankKeyInfo.id_no)
                    .where(BankKeyInfo.customer_code == _OWNER_OF))
_P_OWNER = Prepared(select(FundAccount.customer_code).where(FundAccount.no == bindparam("no")))
_P_HEAD = Prepared(select(JournalChain.seq, JournalChain.hash).where(JournalChain.chain == bindparam("chain"))
                   .with_for_update())
_P_CLIENT_HEAD_NOLOCK = Prepared(
    select(JournalChain.seq, JournalChain.hash).where(JournalChain.chain == _OWNER_OF)
    .where(select(Setting.value).where(Setting.key == "journal_chain").scalar_subquery() == "client"))
_P_CLIENT_HEAD = Prepared(_P_CLIENT_HEAD_NOLOCK.stmt.with_for_update())
_INSERT_MOVEMENT = Prepared(insert(Movement.__table__))
INSERT_DOCUMENT = Prepared(insert(Document.__table__))


def business_date(settings: dict[str, str]) -> date:
    value = settings.get("business_date")
    if not value:
        raise Refused(Rule.NOT_FOUND, _("营业日期未设置：请先初始化柜台（teller init）"))
    return date.fromisoformat(value)


def line_hash(prev: str, rest: str | bytes) -> str:
    """The journal's hash: sha256 of the JSON array [prev, …] whose text after `prev` is `rest`
    (json.dumps's text of the line's other fields without its opening bracket). The demo generator
    hashes the lines it writes in SQL with this same function."""
    tail = rest.encode("utf-8") if isinstance(rest, str) else rest
    return hashlib.sha256(b'["' + prev.encode("ascii") + b'", ' + tail).hexdigest()


_HEAD_FOR_UPDATE = select(JournalChain).where(JournalChain.chain == bindparam("chain")).with_for_update()


def seal_line(s: Session, journal: Journal, settings: dict) -> None:
    """Chain the line to the last line sealed in its chain. The chain's head row is locked, so
    concurrent terminals seal one after another and `seq`, not the id, is the chain's order."""
    key = journal.customer_code if settings.get("journal_chain") == "client" else ""
    with s.no_autoflush:  # the line is written once, sealed, at commit
        head = s.exec(_HEAD_FOR_UPDATE, params={"chain": key}).first()
    if head is None:
        head = JournalChain(chain=key)
    journal.chain, journal.seq, journal.prev_hash = key, head.seq + 1, head.hash
    journal.hash = chain_hash(journal.prev_hash, journal)
    head.seq, head.hash = journal.seq, journal.hash
    s.add(journal)
    s.add(head)


def chain_hash(prev: str, row: Journal) -> str:
    """Hash of one journal line chained to the line before (tamper evidence, `teller audit verify`).
    The time is hashed in UTC: the store keeps it in UTC, so a line sealed at +08:00 must hash the
    same when it is read back."""
    at = row.at.replace(tzinfo=timezone.utc) if row.at.tzinfo is None else row.at.astimezone(timezone.utc)
    rest = json.dumps(
        [row.id, row.business_date.isoformat(), at.isoformat(), row.teller_id, row.terminal,
         row.function_code, row.op, row.customer_code, row.inputs, row.ok, row.rule, row.message, row.agent],
        ensure_ascii=False, sort_keys=True, default=str,
    )
    return line_hash(prev, rest[1:])
