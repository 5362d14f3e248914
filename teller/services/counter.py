"""The counter: the one entry point through which screens, the scenario runner and the CLI run a
business function. Each call is one transaction that applies whole or not at all, and leaves one
journal line whatever its outcome."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from teller.domain.errors import Outcome, Refused, Rule
from teller.domain.roles import may_run, role_title
from teller.i18n import _
from teller.services.base import BY_CODE, REGISTRY, Context, Function, Params, Tx, business_date, chain_hash, load_settings
from teller.store.db import unit_of_work
from teller.store.models import Journal, Teller

# Importing the handler modules fills the registry.
from teller.services import accounts, admin, compliance, moneyops, multibank, queries  # noqa: F401,E402


def find_function(op_or_code: str) -> Function | None:
    return REGISTRY.get(op_or_code) or BY_CODE.get(op_or_code)


def _jsonable(params: dict) -> dict:
    return {k: (v if isinstance(v, (str, int, bool, type(None), list)) else str(v)) for k, v in params.items()}


class _Preview(Exception):
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


class Counter:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def preview(self, op: str, params: dict | None = None, ctx: Context | None = None) -> Outcome:
        """Run the function and roll it back: what it would do (the after-state in `data`, the
        papers it needs and where they would be filed in `data["papers"]`), or why it would be
        refused. Nothing is written, not even a journal line. The screens' confirmation uses it,
        so a rule is never re-implemented on a screen."""
        return self.run(op, params, ctx, _commit=False)

    def run(self, op: str, params: dict | None = None, ctx: Context | None = None, *, _commit: bool = True) -> Outcome:
        ctx = ctx or Context()
        params = dict(params or {})
        fn = find_function(op)
        if fn is None:
            return Outcome(False, op, Rule.BAD_INPUT, _("没有功能 {op}").format(op=op))
        try:
            with unit_of_work(self.engine) as s:
                settings = load_settings(s)
                journal = self._open_journal(s, fn, params, ctx, settings)
                tx = Tx(s, ctx, fn, journal, settings)
                self._check_teller(s, ctx, fn)
                data = fn.handler(tx, Params(params)) or {}
                filed = tx.archive_filings()
                if filed:
                    data.setdefault("archived", filed)
                message = data.pop("_message", None) or _("{title}：办理成功").format(title=_(fn.title))
                journal.ok, journal.message, journal.customer_code = True, message, tx.customer_code
                if not _commit:
                    data["papers"] = [{"paper": f.paper, "accounts": list(f.accounts)} for f in tx.filings]
                    raise _Preview(Outcome(True, fn.op, None, message, data, None))
                self._seal(s, journal)
                return Outcome(True, fn.op, None, message, data, journal.id)
        except _Preview as p:
            return p.outcome
        except Refused as r:
            if not _commit:
                return Outcome(False, fn.op, str(r.rule), r.message, dict(r.data), None)
            jid = self._journal_refusal(fn, params, ctx, r)
            return Outcome(False, fn.op, str(r.rule), r.message, dict(r.data), jid)

    # ---------------------------------------------------------------------------------------------
    def _open_journal(self, s: Session, fn: Function, params: dict, ctx: Context, settings: dict) -> Journal:
        journal = Journal(
            business_date=business_date(settings), at=ctx.stamp(), teller_id=ctx.teller_id,
            terminal=ctx.terminal, function_code=fn.code, op=fn.op, inputs=_jsonable(params),
            ok=False, agent=ctx.agent,
        )
        s.add(journal)
        s.flush()
        return journal

    def _check_teller(self, s: Session, ctx: Context, fn: Function) -> None:
        t = s.get(Teller, ctx.teller_id)
        if t is None or not t.active or t.locked:
            raise Refused(Rule.FORBIDDEN, _("柜员 {id} 不存在、已停用或已锁定").format(id=ctx.teller_id))
        if not may_run(t.role, fn.code):
            raise Refused(
                Rule.FORBIDDEN,
                _("柜员 {id}（{role}）无权办理 {code} {title}").format(
                    id=t.id, role=role_title(t.role), code=fn.code, title=_(fn.title)
                ),
            )

    def _seal(self, s: Session, journal: Journal) -> None:
        prev = s.exec(select(Journal.hash).where(Journal.id < journal.id).order_by(Journal.id.desc()).limit(1)).first()
        journal.prev_hash = prev or ""
        journal.hash = chain_hash(journal.prev_hash, journal)
        s.add(journal)

    def _journal_refusal(self, fn: Function, params: dict, ctx: Context, r: Refused) -> int | None:
        try:
            with unit_of_work(self.engine) as s:
                settings = load_settings(s)
                journal = Journal(
                    business_date=business_date(settings), at=ctx.stamp(), teller_id=ctx.teller_id,
                    terminal=ctx.terminal, function_code=fn.code, op=fn.op, inputs=_jsonable(params),
                    ok=False, rule=str(r.rule), message=r.message, agent=ctx.agent,
                    customer_code=str(params.get("customer") or ""),
                )
                s.add(journal)
                s.flush()
                self._seal(s, journal)
                return journal.id
        except Refused:
            return None  # no business date yet: nothing to journal against
