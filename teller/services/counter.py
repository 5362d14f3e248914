"""The counter: the one entry point through which screens, the scenario runner and the CLI run a
business function. Each call is one transaction that applies whole or not at all, and leaves one
journal line whatever its outcome."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from teller.domain.errors import Outcome, Refused, Rule
from teller.domain.roles import check_may_work_here, may_run, role_title
from teller.services import auth
from teller.services.auth import SANDBOX_SETTING
from teller.i18n import _
from teller.services.base import (BY_CODE, REGISTRY, Context, Function, Params, Tx, business_date, chain_hash, load_settings,
                                  result_of, seal_line, TEXT_LIMIT, TEXT_LIMITS)
from teller.services import concurrency as C
from teller.store.batch import Batch, Prepared, loaded
from teller.store.db import LOCK_WAIT_SECONDS, unit_of_work, writer
from teller.store.models import Journal, JournalChain, Setting, Teller

# Importing the handler modules fills the registry.
from teller.services import accounts, admin, changes, archive, compliance, dayend, moneyops, multibank, papers, queries, training  # noqa: F401,E402
from teller.domain.slips import receipt_kind  # noqa: E402


_TELLER = select(Teller.active, Teller.locked, Teller.role).where(Teller.id == bindparam("id"))
# SQLite: the transaction holds the file (BEGIN IMMEDIATE), so the next number is the largest plus one.
_NEXT_LINE_SQLITE = select(func.coalesce(func.max(Journal.id), 0) + 1)
_NEXT_LINE = select(func.nextval(func.pg_get_serial_sequence("journal", "id")))

# The same, as the call's first round trip sends them (teller.store.batch): the lock timeout for this
# transaction only (SET LOCAL: nothing outlives it, as PgBouncer's transaction pooling needs), the day
# gate with the settings, the journal line's number, the teller.
_P_LOCK_TIMEOUT = Prepared(select(func.set_config("lock_timeout", f"{LOCK_WAIT_SECONDS}s", True)))
_P_SETTINGS = Prepared(select(Setting.key, Setting.value))
_P_SETTINGS_SHARED = Prepared(select(Setting.key, Setting.value).with_for_update(read=True))
_P_GATE_SHARED = Prepared(C.GATE_SHARED)
_P_NEXT_LINE = Prepared(_NEXT_LINE)
_P_NEXT_LINE_SQLITE = Prepared(_NEXT_LINE_SQLITE)
_P_TELLER = Prepared(_TELLER)
_P_HEAD_UPDATE = Prepared(update(JournalChain).where(JournalChain.chain == bindparam("_chain"))
                          .values(seq=bindparam("seq"), hash=bindparam("hash")))
_P_HEAD_INSERT = Prepared(insert(JournalChain.__table__))
_P_JOURNAL = Prepared(insert(Journal.__table__))
_JOURNAL_COLS = tuple(c.key for c in Journal.__table__.columns)


def find_function(op_or_code: str) -> Function | None:
    return REGISTRY.get(op_or_code) or BY_CODE.get(op_or_code)


# Inputs that are secrets: the journal line keeps only a mark in their place. The line is
# hash-chained, so a secret once written could never be scrubbed without breaking the chain: the
# mark is put in BEFORE the line is hashed and written (issue 11). A blank input stays blank, so the
# line still shows whether one was given.
SECRET_INPUTS = frozenset({"password", "new_password", "old_password", "pin"})
SECRET_MARK = "******"


def _jsonable(params: dict) -> dict:
    return {k: (SECRET_MARK if k in SECRET_INPUTS and v not in (None, "") else _kept(k, v) if isinstance(v, str) else
                v if isinstance(v, (int, bool, type(None), list)) else str(v)) for k, v in params.items()}


def _kept(key: str, value: str) -> str:
    """A refused call's overlong input is journalled cut short, saying how long it was: the
    refusal is kept, the 100,000 characters are not (an accepted input is within TEXT_LIMITS)."""
    limit = max(TEXT_LIMITS.get(key, 0), 4096)
    return value if len(value) <= limit else value[:200] + "…({n})".format(n=len(value))


def _short(value: object) -> str:
    """The client code a refused call named, if it can be one (the column is indexed)."""
    text = str(value or "")
    return text if len(text) <= TEXT_LIMIT else ""


class _Preview(Exception):
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


class Counter:
    """`printer` (teller.printing.output.Printer): where this terminal's papers go. With one, every
    committed function that changes something prints its 业务回单 (3106 its 资金利息归本单) right
    after commit and the message line says whether it was printed or spooled, and where. Without
    one (scenario files, drills, the benchmarks) the receipt is kept for `teller print N`."""

    def __init__(self, engine: Engine, printer=None) -> None:  # noqa: ANN001
        self.engine = engine
        self.printer = printer

    def preview(self, op: str, params: dict | None = None, ctx: Context | None = None) -> Outcome:
        """Run the function and roll it back: what it would do (the after-state in `data`, the
        papers it needs and where they would be filed in `data["papers"]`), or why it would be
        refused; `data["accounts_after"]` holds the client's fund accounts as they would stand.
        Nothing is written, not even a journal line. The screens' confirmation uses it,
        so a rule is never re-implemented on a screen."""
        outcome = self._call(op, params, ctx, _commit=False)
        if outcome.ok and outcome.data.get("status") == "pending_review" and not (ctx and ctx.approving):
            outcome.data["on_approval"] = [c.as_dict() for c in changes.on_approval(self, op, params or {}, ctx or Context())]
        return outcome

    def run(self, op: str, params: dict | None = None, ctx: Context | None = None) -> Outcome:
        """Run the function: one transaction and its journal line, refused or not."""
        return self._call(op, params, ctx, _commit=True)

    def authorise(self, review_id: int | str, supervisor: str, password: str, ctx: Context) -> Outcome:
        """主管授权: a supervisor approves a waiting request at the terminal of the teller who made it
        (`ctx`, that teller's), by id and password, without signing on. It is 8102 itself (the same
        handler, checks and journal line: 8102 under the supervisor's id, at this terminal, the
        signed-on teller in its inputs), and the supervisor's credentials are checked in the same
        transaction as the approval, by sign-on's check: a wrong id or password, a locked or stopped
        teller all get sign-on's one message and count towards the lockout; then the role (only a
        supervisor approves) and 8102's own refusals (the maker, who set whose password)."""
        params = {"approve": str(review_id), "counter_teller": ctx.teller_id}
        return self.run("review", params, replace(ctx, teller_id=supervisor.strip(), credential=password,
                                                  documents=frozenset(), agent=False, approving=False))

    def _call(self, op: str, params: dict | None, ctx: Context | None, *, _commit: bool) -> Outcome:
        ctx = ctx or Context()
        params = dict(params or {})
        fn = find_function(op)
        if fn is None:
            return Outcome(False, op, Rule.BAD_INPUT, _("没有功能 {op}").format(op=op))
        followups: list = []
        for attempt in range(1, C.RETRIES + 1):
            try:
                outcome = self._once(fn, params, ctx, _commit, followups)
                break
            except DBAPIError as e:  # a collision with another terminal: nothing was applied
                followups.clear()
                if C.retryable(e) and attempt < C.RETRIES:
                    C.backoff(attempt)
                    continue
                if not (C.busy(e) or C.retryable(e)):
                    raise
                outcome = self._refused(fn, params, ctx, C.busy_refusal(fn.op), _commit)
                break
        for follow in followups:
            outcome = follow(self, outcome, ctx)
        if self.printer is not None and outcome.ok and _commit:  # a preview prints nothing
            outcome = papers.issue(self.engine, self.printer, outcome)
        return outcome

    def _once(self, fn: Function, params: dict, ctx: Context, _commit: bool, followups: list) -> Outcome:
        try:
            with unit_of_work(writer(self.engine)) as s:
                tx = self._begin(s, fn, params, ctx)
                journal, settings = tx.journal, tx.settings
                done = result_of(fn.handler(tx, Params(params, fn)))
                data = done.data
                filed = tx.archive_filings()
                if filed:
                    data.setdefault("archived", filed)
                if fn.writes:  # a query changes nothing and its data is the answer itself
                    data["changes"] = [c.as_dict() for c in changes.collect(tx, data)]
                message = done.message or _("{title}：办理成功").format(title=_(fn.title))
                journal.__dict__.update(ok=True, message=message, customer_code=tx.customer_code)  # see _seal_batch
                if not _commit:
                    data["papers"] = [{"paper": f.paper, "accounts": list(f.accounts)} for f in tx.filings]
                    if tx.customer_code:  # the client's every fund account as it would stand after the call
                        from teller.services.views import account_view

                        after = tx.accounts_of(tx.customer_code, lock=False, open_only=False)
                        data["accounts_after"] = [account_view(a) for a in after]
                    raise _Preview(Outcome(True, fn.op, None, message, data, None))
                kind = receipt_kind(fn.op, params, data) if tx.customer_code and fn.writes else None
                if kind:
                    papers.keep_receipt(tx, kind, params, data, message, copies=1 if self.printer else 0)
                    data["print"] = {"journal": journal.id, "copy": 1}
                self._seal_batch(s, tx)
                followups.extend(tx.followups)
                return Outcome(True, fn.op, None, message, data, journal.id)
        except _Preview as p:
            return p.outcome
        except Refused as r:
            return self._refused(fn, params, ctx, r, _commit)

    def _begin(self, s: Session, fn: Function, params: dict, ctx: Context) -> Tx:
        """The call's first round trip: the lock timeout, the day gate and settings, the line's number,
        the teller, and (fn.prefetch) the client with its lock, its accounts and the banks' copies."""
        batch = Batch(s)
        if batch.pg:
            batch.write(_P_LOCK_TIMEOUT)
        if fn.op == "end_of_day":  # day-end's exclusive gate comes before anything else it reads
            batch.send()
            settings = C.open_day(s, exclusive=True)
            settings_r = None
        else:
            if batch.pg:  # the day gate, queued behind a day-end that asked first (teller.services.concurrency)
                batch.query(_P_GATE_SHARED)
            settings_r = batch.query(_P_SETTINGS_SHARED if batch.pg else _P_SETTINGS)
        line_r = batch.query(_P_NEXT_LINE if batch.pg else _P_NEXT_LINE_SQLITE)
        teller_r = batch.query(_P_TELLER, {"id": ctx.teller_id})
        nos = [v.strip() for v in (params.get(k) for k in fn.prefetch) if isinstance(v, str) and v.strip()]
        take = Tx.queue_prefetch(batch, fn, nos)
        batch.send()
        if settings_r is not None:
            settings = dict(settings_r.rows)
        # The line's number is taken now (the handler files papers, movements and requests under it);
        # the line itself is written once, sealed, at the end (_seal_batch).
        journal = loaded(Journal, dict(
            id=line_r.scalar(), business_date=business_date(settings), at=ctx.stamp(), teller_id=ctx.teller_id,
            terminal=ctx.terminal, function_code=fn.code, op=fn.op, customer_code="", inputs=_jsonable(params),
            ok=False, rule="", message="", agent=ctx.agent, chain="", seq=None, prev_hash="", hash=""))
        tx = Tx(s, ctx, fn, journal, settings, batch)
        if ctx.credential is not None and auth.verified(s, ctx.teller_id, ctx.credential) is None:
            raise Refused(auth.failed().rule, auth.failed().message, credential="refused")  # counted in _journal_refusal
        self._check_teller_row(teller_r.first(), ctx, fn, settings)
        take(tx)
        return tx

    def _seal_batch(self, s: Session, tx: Tx) -> None:
        """_seal through the call's batch: the chain head read with its lock (already, if the client's
        chain head came with the client or the live monitor's round trip took it), then the line, the
        head and the COMMIT in one round trip."""
        journal, batch = tx.journal, tx.batch
        s.flush()  # what the handler left to the ORM (requests, alerts, reviews), before the line
        key = tx.chain_key()
        if tx.head is None or tx.head[0] != key:
            tx.queue_writes(batch)
            tx.queue_head(batch)
            batch.send()
        head = tx.head[1]
        seq, prev = head.first() or (0, "")
        # The line is a plain record in no Session: its fields are set directly (a SQLModel
        # attribute set costs some 10 µs).
        journal.__dict__.update(chain=key, seq=seq + 1, prev_hash=prev)
        journal.__dict__["hash"] = chain_hash(prev, journal)
        tx.queue_writes(batch)
        batch.insert(_P_JOURNAL, [{c: journal.__dict__[c] for c in _JOURNAL_COLS}])
        if head.rows:
            batch.write(_P_HEAD_UPDATE, {"_chain": key, "seq": journal.seq, "hash": journal.hash})
        else:
            batch.insert(_P_HEAD_INSERT, [{"chain": key, "seq": journal.seq, "hash": journal.hash}])
        if s.new or s.dirty or s.deleted:  # nothing may be left for after the COMMIT
            raise RuntimeError(f"{tx.fn.op}: ORM changes after the journal line was sealed")
        batch.send(commit=True)

    def _refused(self, fn: Function, params: dict, ctx: Context, r: Refused, _commit: bool) -> Outcome:
        jid = self._journal_refusal(fn, params, ctx, r) if _commit else None
        return Outcome(False, fn.op, str(r.rule), r.message, dict(r.data), jid)

    # ---------------------------------------------------------------------------------------------
    def _check_teller_row(self, t: tuple | None, ctx: Context, fn: Function, settings: dict) -> None:
        active, locked, role = t if t is not None else (False, True, "")
        if t is None or not active or locked:
            raise Refused(Rule.FORBIDDEN, _("柜员 {id} 不存在、已停用或已锁定").format(id=ctx.teller_id))
        if ctx.credential is not None and not may_run(role, fn.code):
            raise Refused(Rule.FORBIDDEN, _("{id} 是{role}，无权授权：只有主管能批准（{code} {title}）").format(
                id=ctx.teller_id, role=role_title(role), code=fn.code, title=_(fn.title)))
        if not may_run(role, fn.code):
            raise Refused(
                Rule.FORBIDDEN,
                _("柜员 {id}（{role}）无权办理 {code} {title}").format(
                    id=ctx.teller_id, role=role_title(role), code=fn.code, title=_(fn.title)
                ),
            )
        check_may_work_here(role, fn.code, settings.get(SANDBOX_SETTING) == "1")

    def _seal(self, s: Session, journal: Journal, settings: dict) -> None:
        seal_line(s, journal, settings)

    def _journal_refusal(self, fn: Function, params: dict, ctx: Context, r: Refused) -> int | None:
        for attempt in range(1, C.RETRIES + 1):
            try:
                return self._journal_refusal_once(fn, params, ctx, r)
            except DBAPIError as e:
                if not C.retryable(e) or attempt == C.RETRIES:
                    if C.busy(e) or C.retryable(e):
                        return None  # the refusal still reaches the teller; the store was too busy to keep it
                    raise
                C.backoff(attempt)
        return None

    def _journal_refusal_once(self, fn: Function, params: dict, ctx: Context, r: Refused) -> int | None:
        try:
            with unit_of_work(self.engine) as s:
                settings = C.open_day(s, exclusive=False)
                teller_id, inputs = ctx.teller_id, _jsonable(params)
                if ctx.credential is not None:  # an authorisation: the id typed may be a mistyped password
                    if r.data.get("credential"):
                        teller_id, inputs["why"] = auth.count_failure(s, ctx.teller_id)
                    elif s.get(Teller, ctx.teller_id) is None:
                        teller_id = ""
                journal = Journal(
                    business_date=business_date(settings), at=ctx.stamp(), teller_id=teller_id,
                    terminal=ctx.terminal, function_code=fn.code, op=fn.op, inputs=inputs,
                    ok=False, rule=str(r.rule), message=r.message, agent=ctx.agent,
                    customer_code=_short(params.get("customer")),
                )
                s.add(journal)
                s.flush()
                self._seal(s, journal, settings)
                return journal.id
        except Refused:
            return None  # no business date yet: nothing to journal against
