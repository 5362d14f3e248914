"""Scenario files (DOMAIN.md §6): a starting state and steps, run against a fresh store.

This is the contract that drills, tests and trainers share: one JSON object per step, in order,
`{"step", "op", "ok", "rule", "message", "data"}`; with `expect` on steps the run stops at the
first mismatch. A malformed file is reported with the line and the field, before anything runs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from teller.domain.errors import BadInput, Outcome, Rule
from teller.domain.identity import ID_TYPES, KINDS, STATUSES, check_id
from teller.domain.money import parse_amount
from teller.domain.roles import ROLES
from teller.i18n import _
from teller.services.banksim import parse_faults
from teller.services.base import Context
from teller.services.counter import REGISTRY  # importing the counter registers every function
from teller.services.setup import SeedAccount, SeedState
from teller.store.models import Customer

STEP_META = ("op", "documents", "agent", "teller", "expect", "terminal")
EXPECT_WORDS = ("ok", "refused")
CUSTODY_STATES = ("unsigned", "pending_bank", "signed", "terminated")


class ScenarioError(ValueError):
    """Every problem of a scenario file, each with its line and field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Step:
    number: int
    op: str
    params: dict
    documents: list[str] | None
    agent: bool
    teller: str | None
    expect: str | None
    terminal: str = "T-01"
    line: int | None = None


@dataclass
class Scenario:
    state: SeedState
    auto_documents: bool
    steps: list[Step] = field(default_factory=list)
    bank_faults: list[dict] = field(default_factory=list)


class _Locator:
    """tomllib gives no line numbers; find the line of the n-th [[table]] and a key inside it."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def table(self, name: str, index: int) -> int | None:
        pattern = re.compile(r"^\s*\[\[\s*" + re.escape(name) + r"\s*\]\]")
        seen = -1
        for i, line in enumerate(self.lines, 1):
            if pattern.match(line):
                seen += 1
                if seen == index:
                    return i
        return None

    def key(self, name: str | None, index: int | None, key: str) -> int | None:
        start = self.table(name, index) if name else 1
        if start is None:
            return None
        pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for i in range(start - 1 if name is None else start, len(self.lines)):
            line = self.lines[i]
            if name and re.match(r"^\s*\[", line):
                break
            if pattern.match(line):
                return i + 1
        return start



def _load(text: str, source: str):  # noqa: ANN202
    """Parse the TOML (a syntax error is the only problem then), and give back its line locator, the problems
    and the function that adds one located at its line: problem(table, index, key, message)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError([_("{src}：TOML 格式错误：{err}").format(src=source, err=e)]) from None
    loc = _Locator(text)
    problems: list[str] = []

    def problem(table: str | None, index: int | None, key: str, message: str) -> None:
        line = loc.key(table, index, key)
        where = _("第 {line} 行").format(line=line) if line else _("（行号未知）")
        label = f"[[{table}]] #{index + 1} " if table is not None and index is not None else ""
        problems.append(_("{src} {where}，{label}字段 {key}：{msg}").format(src=source, where=where, label=label, key=key, msg=message))

    return doc, loc, problems, problem


def parse_scenario(text: str, source: str = "<scenario>", *, extra_keys: tuple[str, ...] = ()) -> Scenario:
    """`extra_keys`: top-level keys a file built on the scenario format adds (drills: task, checks…)."""
    doc, loc, problems, problem = _load(text, source)

    def amount(table: str, i: int, row: dict, key: str, default: str = "0.00") -> int:
        try:
            return parse_amount(str(row.get(key, default)) if not isinstance(row.get(key), float) else row[key], key, allow_zero=True)
        except BadInput as e:
            problem(table, i, key, e.message)
            return 0

    known_top = {"date", "auto_documents", "tellers", "customers", "accounts", "shareholder_accounts", "of_accounts",
                 "steps", "settings", "bank_faults", "title", "description", *extra_keys}
    for k in doc:
        if k not in known_top:
            problem(None, None, k, _("不认识的字段"))

    business_date = None
    raw_date = doc.get("date")
    if raw_date is None:
        problem(None, None, "date", _("必须填写营业日期"))
    else:
        try:
            business_date = raw_date if isinstance(raw_date, date) else date.fromisoformat(str(raw_date))
            from teller.domain.calendar import default_calendar

            if not default_calendar().is_trading_day(business_date):
                problem(None, None, "date", _("{d} 不是交易日").format(d=business_date.isoformat()))
        except ValueError:
            problem(None, None, "date", _("“{v}”不是 YYYY-MM-DD 格式的日期").format(v=raw_date))
    auto = doc.get("auto_documents", False)
    if not isinstance(auto, bool):
        problem(None, None, "auto_documents", _("只能是 true 或 false"))

    state = SeedState(business_date=business_date or date(2000, 1, 3))
    for i, t in enumerate(doc.get("tellers", [])):
        tid = str(t.get("id", "")).strip()
        if not tid:
            problem("tellers", i, "id", _("必须填写"))
        role = t.get("role", "teller")
        if role not in ROLES:
            problem("tellers", i, "role", _("只能是 {opts}").format(opts=" | ".join(ROLES)))
        state.tellers.append((tid, role, str(t.get("name", "")), str(t.get("password", ""))))

    codes: set[str] = set()
    for i, c in enumerate(doc.get("customers", [])):
        code = str(c.get("code", "")).strip()
        if not code:
            problem("customers", i, "code", _("必须填写"))
        if code in codes:
            problem("customers", i, "code", _("客户号 {code} 重复").format(code=code))
        codes.add(code)
        kind = c.get("kind", "individual")
        if kind not in KINDS:
            problem("customers", i, "kind", _("只能是 individual 或 institution"))
        id_type = c.get("id_type", "居民身份证" if kind == "individual" else "统一社会信用代码")
        if id_type not in ID_TYPES:
            problem("customers", i, "id_type", _("不认识的证件类型"))
        status = c.get("status", "合格")
        if status not in STATUSES:
            problem("customers", i, "status", _("只能是 {opts}").format(opts=" | ".join(STATUSES)))
        id_no = str(c.get("id_no", "")).strip()
        try:
            id_no = check_id(id_type, id_no)
        except BadInput as e:
            problem("customers", i, "id_no", e.message)
        state.customers.append(Customer(code=code, name=str(c.get("name", "")), kind=kind, id_type=id_type, id_no=id_no, status=status))

    numbers: set[str] = set()
    per_customer: dict[str, list[str]] = {}
    for i, a in enumerate(doc.get("accounts", [])):
        no = str(a.get("no", "")).strip()
        if not no:
            problem("accounts", i, "no", _("必须填写"))
        if no in numbers:
            problem("accounts", i, "no", _("资金账号 {no} 重复").format(no=no))
        numbers.add(no)
        cust = str(a.get("customer", ""))
        if cust not in codes:
            problem("accounts", i, "customer", _("客户 {code} 未在 [[customers]] 中定义").format(code=cust))
        role = a.get("role", "none")
        if role not in ("main", "aux", "none"):
            problem("accounts", i, "role", _("只能是 main | aux | none"))
        per_customer.setdefault(cust, []).append(role)
        custody = a.get("custody", "signed")
        if custody not in CUSTODY_STATES:
            problem("accounts", i, "custody", _("只能是 {opts}").format(opts=" | ".join(CUSTODY_STATES)))
        flag = a.get("transfer_flag")
        if flag is not None and flag not in (0, 1):
            problem("accounts", i, "transfer_flag", _("只能是 0 或 1"))
        state.accounts.append(SeedAccount(
            no=no, customer=cust, bank=str(a.get("bank", "")), role=role, cash=amount("accounts", i, a, "cash"),
            frozen=amount("accounts", i, a, "frozen"), transfer_flag=flag, custody=custody,
            liabilities=amount("accounts", i, a, "liabilities"),
            interest_base=int(a.get("interest_base", 0) if not isinstance(a.get("interest_base"), str) else amount("accounts", i, a, "interest_base")),
            bank_balance=amount("accounts", i, a, "bank_balance", "10000000.00"),
        ))
    for cust, roles in per_customer.items():
        if roles.count("main") > 1:
            problems.append(_("{src}：客户 {code} 有多个 main 账户，只能有一个主资金账户").format(src=source, code=cust))
        if len(roles) > 5:
            problems.append(_("{src}：客户 {code} 有 {n} 个资金账户，最多 5 个").format(src=source, code=cust, n=len(roles)))

    for table, target in (("shareholder_accounts", state.shareholder_accounts), ("of_accounts", state.of_accounts)):
        for i, row in enumerate(doc.get(table, [])):
            for key in ("no", "customer", "fund_account"):
                if not row.get(key):
                    problem(table, i, key, _("必须填写"))
            if row.get("fund_account") and row["fund_account"] not in numbers:
                problem(table, i, "fund_account", _("资金账号 {no} 未定义").format(no=row["fund_account"]))
            target.append((str(row.get("no", "")), str(row.get("customer", "")), str(row.get("fund_account", ""))))

    settings = doc.get("settings", {})
    if not isinstance(settings, dict):
        problem(None, None, "settings", _("应为一个表"))
        settings = {}
    state.settings = {str(k): str(v) for k, v in settings.items()}

    steps = _steps(doc.get("steps", []), "steps", problem, loc)
    faults = parse_faults(doc.get("bank_faults", []),
                          lambda i, key, msg: problem("bank_faults" if i is not None else None, i, key, msg))
    if problems:
        raise ScenarioError(problems)
    return Scenario(state=state, auto_documents=bool(auto), steps=steps, bank_faults=faults)


def _steps(rows: list, table: str, problem, loc: _Locator) -> list[Step]:  # noqa: ANN001
    steps = []
    for i, s in enumerate(rows):
        op = s.get("op")
        if op not in REGISTRY:
            problem(table, i, "op", _("没有这个功能：{op}").format(op=op))
            continue
        expect = s.get("expect")
        if expect is not None and expect not in EXPECT_WORDS and expect not in Rule.__members__:
            problem(table, i, "expect", _("只能是 ok、refused 或规则代码，不认识 {v}").format(v=expect))
        docs = s.get("documents")
        if docs is not None and (not isinstance(docs, list) or not all(isinstance(d, str) for d in docs)):
            problem(table, i, "documents", _("应为资料名称的列表"))
            docs = None
        params = {k: v for k, v in s.items() if k not in STEP_META}
        steps.append(Step(i + 1, op, params, docs, bool(s.get("agent", False)), s.get("teller"), expect,
                          str(s.get("terminal", "T-01")), loc.table(table, i)))
    return steps


def parse_steps(text: str, source: str = "<steps>", *, table: str = "steps", others_allowed: bool = False) -> list[Step]:
    """Only the `[[steps]]` (or another array of step tables) of a file, to run against a starting
    state that comes from elsewhere (a drill's). Without `others_allowed`, any other top-level key
    is a problem: a trainee's steps file carries no state of its own."""
    doc, loc, problems, problem = _load(text, source)

    if not others_allowed:
        for k in doc:
            if k not in (table, "title", "description"):
                problem(None, None, k, _("不认识的字段"))
    rows = doc.get(table, [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        problem(None, None, table, _("应为 [[{t}]] 表的列表").format(t=table))
        rows = []
    steps = _steps(rows, table, problem, loc)
    if problems:
        raise ScenarioError(problems)
    return steps


def outcome_json(step: int, o: Outcome) -> dict:
    return {"step": step, "op": o.op, "ok": o.ok, "rule": o.rule, "message": o.message, "data": o.data}


def matches(expect: str | None, o: Outcome) -> bool:
    if expect is None:
        return True
    if expect == "ok":
        return o.ok
    if expect == "refused":
        return not o.ok
    return (not o.ok) and o.rule == expect


def run_steps(counter, scenario: Scenario) -> Iterator[tuple[Step, Outcome]]:  # noqa: ANN001
    """Run each step through the counter; `review approve = "all"` yields one outcome per request."""
    from teller.services.reads import pending_reviews

    for step in scenario.steps:
        documents = (frozenset(step.documents) if step.documents is not None
                     else None if scenario.auto_documents else frozenset())
        default_teller = "S00" if step.op == "review" else "T00"
        ctx = Context(teller_id=step.teller or default_teller, terminal=step.terminal, documents=documents,
                      agent=step.agent, channel=str(step.params.get("channel", "counter")))
        if step.op == "review" and str(step.params.get("approve", "")).lower() == "all":
            for rid in pending_reviews(counter.engine):
                yield step, counter.run("review", {"approve": rid}, ctx)
            continue
        yield step, counter.run(step.op, step.params, ctx)
