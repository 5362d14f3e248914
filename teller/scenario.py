"""Scenario files (DOMAIN.md §6): a starting state and steps, run against a fresh store.

This is the contract that drills, tests and trainers share: one JSON object per step, in order,
`{"step", "op", "ok", "rule", "message", "data"}`; with `expect` on steps the run stops at the
first mismatch. A malformed file is reported with the line and the field, before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from teller.domain.errors import BadInput, Outcome, Rule
from teller.domain.identity import ID_TYPES, KINDS, STATUSES, check_id
from teller.domain.money import parse_amount
from teller.domain.roles import ROLES
from teller.domain.rules import MAX_FUND_ACCOUNTS
from teller.fileformat import FileProblems, Problems, TomlFile
from teller.i18n import _
from teller.services.banksim import parse_faults
from teller.services.base import Context
from teller.services.counter import REGISTRY  # importing the counter registers every function
from teller.services.setup import SeedAccount, SeedState
from teller.store.models import Customer

STEP_META = ("op", "documents", "agent", "teller", "expect", "terminal")
EXPECT_WORDS = ("ok", "refused")
CUSTODY_STATES = ("unsigned", "pending_bank", "signed", "terminated")
TOP_KEYS = ("date", "auto_documents", "tellers", "customers", "accounts", "shareholder_accounts", "of_accounts",
            "steps", "settings", "bank_faults", "title", "description")


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


def _open(text: str, source: str) -> Problems:
    """The file parsed (a syntax error is then its only problem), and its problem collector."""
    try:
        return Problems(TomlFile(text, source))
    except FileProblems as e:
        raise ScenarioError([p.describe(source) for p in e.problems]) from None


def parse_scenario(text: str, source: str = "<scenario>", *, extra_keys: tuple[str, ...] = ()) -> Scenario:
    """`extra_keys`: top-level keys a file built on the scenario format adds (drills: task, checks…)."""
    pr = _open(text, source)
    doc = pr.file.doc
    for k in doc:
        if k not in TOP_KEYS and k not in extra_keys:
            pr.add(_("不认识的字段"), field=k)
    business_date = _business_date(pr, doc.get("date"))
    auto = doc.get("auto_documents", False)
    if not isinstance(auto, bool):
        pr.add(_("只能是 true 或 false"), field="auto_documents")

    state = SeedState(business_date=business_date or date(2000, 1, 3))
    state.tellers = [_teller(pr, i, row) for i, row in enumerate(pr.rows("tellers"))]
    state.customers = _customers(pr, pr.rows("customers"))
    codes = {c.code for c in state.customers}
    state.accounts = _accounts(pr, pr.rows("accounts"), codes)
    numbers = {a.no for a in state.accounts}
    state.shareholder_accounts = _links(pr, "shareholder_accounts", numbers)
    state.of_accounts = _links(pr, "of_accounts", numbers)
    state.settings = {str(k): str(v) for k, v in pr.table("settings").items()}

    steps = _steps(pr, "steps")
    faults = parse_faults(pr.rows("bank_faults"),
                          lambda i, key, msg: pr.add(msg, table="bank_faults" if i is not None else None, index=i, field=key))
    if pr:
        raise ScenarioError(pr.described())
    return Scenario(state=state, auto_documents=bool(auto), steps=steps, bank_faults=faults)


def _business_date(pr: Problems, raw: object) -> date | None:
    if raw is None:
        pr.add(_("必须填写营业日期"), field="date")
        return None
    try:
        day = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError:
        pr.add(_("“{v}”不是 YYYY-MM-DD 格式的日期").format(v=raw), field="date")
        return None
    from teller.domain.calendar import default_calendar

    if not default_calendar().is_trading_day(day):
        pr.add(_("{d} 不是交易日").format(d=day.isoformat()), field="date")
    return day


def _amount(pr: Problems, table: str, i: int, row: dict, key: str, default: str = "0.00") -> int:
    value = row.get(key, default)
    try:
        return parse_amount(value if isinstance(value, float) else str(value), key, allow_zero=True)
    except BadInput as e:
        pr.add(e.message, table=table, index=i, field=key)
        return 0


def _teller(pr: Problems, i: int, t: dict) -> tuple[str, str, str, str]:
    tid = str(t.get("id", "")).strip()
    if not tid:
        pr.add(_("必须填写"), table="tellers", index=i, field="id")
    role = t.get("role", "teller")
    if role not in ROLES:
        pr.add(_("只能是 {opts}").format(opts=" | ".join(ROLES)), table="tellers", index=i, field="role")
    return tid, role, str(t.get("name", "")), str(t.get("password", ""))


def _customers(pr: Problems, rows: list[dict]) -> list[Customer]:
    customers: list[Customer] = []
    codes: set[str] = set()
    for i, c in enumerate(rows):
        def problem(key: str, message: str, i: int = i) -> None:
            pr.add(message, table="customers", index=i, field=key)

        code = str(c.get("code", "")).strip()
        if not code:
            problem("code", _("必须填写"))
        if code in codes:
            problem("code", _("客户号 {code} 重复").format(code=code))
        codes.add(code)
        kind = c.get("kind", "individual")
        if kind not in KINDS:
            problem("kind", _("只能是 individual 或 institution"))
        id_type = c.get("id_type", "居民身份证" if kind == "individual" else "统一社会信用代码")
        if id_type not in ID_TYPES:
            problem("id_type", _("不认识的证件类型"))
        status = c.get("status", "合格")
        if status not in STATUSES:
            problem("status", _("只能是 {opts}").format(opts=" | ".join(STATUSES)))
        id_no = str(c.get("id_no", "")).strip()
        try:
            id_no = check_id(id_type, id_no)
        except BadInput as e:
            problem("id_no", e.message)
        customers.append(Customer(code=code, name=str(c.get("name", "")), kind=kind, id_type=id_type, id_no=id_no,
                                  status=status))
    return customers


def _accounts(pr: Problems, rows: list[dict], codes: set[str]) -> list[SeedAccount]:
    accounts: list[SeedAccount] = []
    numbers: set[str] = set()
    per_customer: dict[str, list[str]] = {}
    for i, a in enumerate(rows):
        def problem(key: str, message: str, i: int = i) -> None:
            pr.add(message, table="accounts", index=i, field=key)

        no = str(a.get("no", "")).strip()
        if not no:
            problem("no", _("必须填写"))
        if no in numbers:
            problem("no", _("资金账号 {no} 重复").format(no=no))
        numbers.add(no)
        cust = str(a.get("customer", ""))
        if cust not in codes:
            problem("customer", _("客户 {code} 未在 [[customers]] 中定义").format(code=cust))
        role = a.get("role", "none")
        if role not in ("main", "aux", "none"):
            problem("role", _("只能是 main | aux | none"))
        roles = per_customer.setdefault(cust, [])
        roles.append(role)
        if role == "main" and roles.count("main") == 2:
            problem("role", _("客户 {code} 有多个 main 账户，只能有一个主资金账户").format(code=cust))
        if len(roles) == MAX_FUND_ACCOUNTS + 1:
            problem("customer", _("客户 {code} 的资金账户超过 {max} 个").format(code=cust, max=MAX_FUND_ACCOUNTS))
        custody = a.get("custody", "signed")
        if custody not in CUSTODY_STATES:
            problem("custody", _("只能是 {opts}").format(opts=" | ".join(CUSTODY_STATES)))
        flag = a.get("transfer_flag")
        if flag is not None and flag not in (0, 1):
            problem("transfer_flag", _("只能是 0 或 1"))
        base = a.get("interest_base", 0)
        accounts.append(SeedAccount(
            no=no, customer=cust, bank=str(a.get("bank", "")), role=role, cash=_amount(pr, "accounts", i, a, "cash"),
            frozen=_amount(pr, "accounts", i, a, "frozen"), transfer_flag=flag, custody=custody,
            liabilities=_amount(pr, "accounts", i, a, "liabilities"),
            interest_base=int(base) if not isinstance(base, str) else _amount(pr, "accounts", i, a, "interest_base"),
            bank_balance=_amount(pr, "accounts", i, a, "bank_balance", "10000000.00"),
        ))
    return accounts


def _links(pr: Problems, table: str, numbers: set[str]) -> list[tuple[str, str, str]]:
    links = []
    for i, row in enumerate(pr.rows(table)):
        for key in ("no", "customer", "fund_account"):
            if not row.get(key):
                pr.add(_("必须填写"), table=table, index=i, field=key)
        if row.get("fund_account") and row["fund_account"] not in numbers:
            pr.add(_("资金账号 {no} 未定义").format(no=row["fund_account"]), table=table, index=i, field="fund_account")
        links.append((str(row.get("no", "")), str(row.get("customer", "")), str(row.get("fund_account", ""))))
    return links


def _steps(pr: Problems, table: str) -> list[Step]:
    steps = []
    for i, s in enumerate(pr.rows(table)):
        op = s.get("op")
        if op not in REGISTRY:
            pr.add(_("没有这个功能：{op}").format(op=op), table=table, index=i, field="op")
            continue
        expect = s.get("expect")
        if expect is not None and expect not in EXPECT_WORDS and expect not in Rule.__members__:
            pr.add(_("只能是 ok、refused 或规则代码，不认识 {v}").format(v=expect), table=table, index=i, field="expect")
        docs = s.get("documents")
        if docs is not None and (not isinstance(docs, list) or not all(isinstance(d, str) for d in docs)):
            pr.add(_("应为资料名称的列表"), table=table, index=i, field="documents")
            docs = None
        params = {k: v for k, v in s.items() if k not in STEP_META}
        steps.append(Step(i + 1, op, params, docs, bool(s.get("agent", False)), s.get("teller"), expect,
                          str(s.get("terminal", "T-01")), pr.file.table_line(table, i)))
    return steps


def parse_steps(text: str, source: str = "<steps>", *, table: str = "steps", others_allowed: bool = False) -> list[Step]:
    """Only the `[[steps]]` (or another array of step tables) of a file, to run against a starting
    state that comes from elsewhere (a drill's). Without `others_allowed`, any other top-level key
    is a problem: a trainee's steps file carries no state of its own."""
    pr = _open(text, source)
    if not others_allowed:
        for k in pr.file.doc:
            if k not in (table, "title", "description"):
                pr.add(_("不认识的字段"), field=k)
    steps = _steps(pr, table)
    if pr:
        raise ScenarioError(pr.described())
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
