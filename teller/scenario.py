"""Scenario files (DOMAIN.md §6): a starting state and steps, run against a fresh store.

This is the contract that drills, tests and trainers share: one JSON object per step, in order,
`{"step", "op", "ok", "rule", "message", "data"}`; with `expect` on steps the run stops at the
first mismatch. A malformed file is reported with the line and the field, before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterator

from teller.domain import catalog
from teller.domain import monitors as M
from teller.domain import rules as R
from teller.domain.banks import BANKS, find_bank
from teller.domain.errors import BadInput, Outcome, Refused, Rule
from teller.domain.identity import ID_TYPES, KINDS, STATUSES, check_id, client_code_problem, is_client_code
from teller.domain.money import format_amount, parse_amount
from teller.domain.monitors import SETTINGS as MONITOR_SETTINGS
from teller.domain.roles import ROLES
from teller.domain.rules import MAX_FUND_ACCOUNTS
from teller.fileformat import FileProblems, Problems, TomlFile
from teller.i18n import _
from teller.services.banksim import parse_faults
from teller.services.banklink import LINK as BANK_LINK
from teller.services.base import Context
from teller.services.moneyops import CHANNELS
from teller.services.counter import REGISTRY  # importing the counter registers every function
from teller.services.setup import DEFAULT_SETTINGS, SeedAccount, SeedState
from teller.store.models import Customer

# The keys each table may hold (README, "Scenario files"); any other is refused with the nearest.
TOP_KEYS = ("date", "auto_documents", "tellers", "customers", "accounts", "shareholder_accounts", "of_accounts",
            "steps", "settings", "bank_faults", "title", "description")
TELLER_KEYS = ("id", "role", "name", "password")
CUSTOMER_KEYS = ("code", "name", "kind", "id_type", "id_no", "status")
ACCOUNT_KEYS = ("no", "customer", "bank", "role", "cash", "frozen", "liabilities", "interest_base", "custody",
                "transfer_flag", "bank_balance")
LINK_KEYS = ("no", "customer", "fund_account")
# A step's own keys besides its function's params (teller.domain.catalog).
STEP_META = ("op", "documents", "agent", "teller", "expect", "terminal")
SETTING_KEYS = (*DEFAULT_SETTINGS, "journal_chain")
EXPECT_WORDS = ("ok", "refused")


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
    """The whole file is checked before anything is seeded or run: every table's type, every key
    (an unknown one is refused with the nearest known key), every value; all problems are listed
    together. `extra_keys`: top-level keys a file built on the scenario format adds (drills: task,
    checks…), which that format checks itself."""
    pr = _open(text, source)
    doc = pr.file.doc
    pr.unknown_keys({k: v for k, v in doc.items() if k not in extra_keys}, TOP_KEYS)
    business_date = _business_date(pr, doc.get("date"))
    auto = _boolean(_Row(pr, None, None, doc), "auto_documents")

    state = SeedState(business_date=business_date or date(2000, 1, 3))
    state.tellers = [_teller(_Row(pr, "tellers", i, row)) for i, row in enumerate(pr.rows("tellers"))]
    state.customers = _customers(pr, pr.rows("customers"))
    owners = {c.code for c in state.customers}
    state.accounts = _accounts(pr, pr.rows("accounts"), owners)
    owner_of = {a.no: a.customer for a in state.accounts}
    state.shareholder_accounts = _links(pr, "shareholder_accounts", owner_of)
    state.of_accounts = _links(pr, "of_accounts", owner_of)
    state.settings = _settings(pr)

    steps = _steps(pr, "steps")
    faults = parse_faults(pr.rows("bank_faults"),
                          lambda i, key, msg: pr.add(msg, table="bank_faults" if i is not None else None, index=i, field=key))
    if pr:
        raise ScenarioError(pr.described())
    return Scenario(state=state, auto_documents=auto, steps=steps, bank_faults=faults)


class _Row:
    """One table row being checked: its values, and where a problem with one of its keys goes."""

    def __init__(self, pr: Problems, table: str | None, index: int | None, values: dict) -> None:
        self.pr, self.table, self.index, self.values = pr, table, index, values

    def problem(self, key: str, message: str) -> None:
        self.pr.add(message, table=self.table, index=self.index, field=key)

    def known(self, keys: tuple[str, ...]) -> None:
        self.pr.unknown_keys(self.values, keys, table=self.table, index=self.index)


# --- one check per kind of field --------------------------------------------------------------


def _text(row: _Row, key: str, *, required: bool = True, default: str = "") -> str:
    value = row.values.get(key)
    if value is None:
        if required:
            row.problem(key, _("必须填写"))
        return default
    if not isinstance(value, str):
        row.problem(key, _("应为带引号的文字，如 \"{v}\"").format(v=value))
        return default
    if required and not value.strip():
        row.problem(key, _("必须填写"))
    return value.strip()


def _word(row: _Row, key: str, options: tuple[str, ...], default: str) -> str:
    """A value from a fixed list."""
    value = row.values.get(key, default)
    if not isinstance(value, str) or value not in options:
        row.problem(key, _("只能是 {opts}").format(opts=" | ".join(options)))
        return default
    return value


def _boolean(row: _Row, key: str, default: bool = False) -> bool:
    """true or false, written as TOML booleans: the text "false" is not false."""
    value = row.values.get(key, default)
    if not isinstance(value, bool):
        row.problem(key, _("只能是 true 或 false（不加引号）"))
        return default
    return value


def _money(row: _Row, key: str, default: str = "0.00") -> int:
    """Money is written in one unit everywhere: yuan, as a quoted text with at most two decimals
    ("1000.00"), the interest base included. A bare number is refused: an integer used to mean fen
    for interest_base and yuan for cash."""
    value = row.values.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool):
        row.problem(key, _("金额须写成带引号的元，两位小数，如 \"1000.00\"，不能是不带引号的数字"))
        return 0
    try:
        return parse_amount(value, key, allow_zero=True)
    except BadInput as e:
        row.problem(key, e.reason)
        return 0


def _business_date(pr: Problems, raw: object) -> date | None:
    if raw is None:
        pr.add(_("必须填写营业日期"), field="date")
        return None
    if isinstance(raw, datetime) or not isinstance(raw, (date, str)):
        pr.add(_("应为日期 YYYY-MM-DD，不带时间"), field="date")
        return None
    try:
        day = raw if isinstance(raw, date) else date.fromisoformat(raw)
    except ValueError:
        pr.add(_("“{v}”不是 YYYY-MM-DD 格式的日期").format(v=raw), field="date")
        return None
    from teller.domain.calendar import default_calendar

    if not default_calendar().is_trading_day(day):
        pr.add(_("{d} 不是交易日").format(d=day.isoformat()), field="date")
    return day


# --- the tables -------------------------------------------------------------------------------


def _teller(row: _Row) -> tuple[str, str, str, str]:
    row.known(TELLER_KEYS)
    return (_text(row, "id"), _word(row, "role", ROLES, "teller"), _text(row, "name", required=False),
            _text(row, "password", required=False))


def _customers(pr: Problems, rows: list[dict]) -> list[Customer]:
    customers: list[Customer] = []
    codes: set[str] = set()
    for i, values in enumerate(rows):
        row = _Row(pr, "customers", i, values)
        row.known(CUSTOMER_KEYS)
        code = _text(row, "code")
        if code and not is_client_code(code):
            row.problem("code", client_code_problem())
        if code in codes:
            row.problem("code", _("客户号 {code} 重复").format(code=code))
        codes.add(code)
        kind = _word(row, "kind", KINDS, "individual")
        id_type = _word(row, "id_type", ID_TYPES, "居民身份证" if kind == "individual" else "统一社会信用代码")
        status = _word(row, "status", STATUSES, "合格")
        id_no = _text(row, "id_no")
        try:
            id_no = check_id(id_type, id_no)
        except BadInput as e:
            row.problem("id_no", e.reason)
        customers.append(Customer(code=code, name=_text(row, "name", required=False), kind=kind, id_type=id_type,
                                  id_no=id_no, status=status))
    return customers


def _accounts(pr: Problems, rows: list[dict], owners: set[str]) -> list[SeedAccount]:
    accounts: list[SeedAccount] = []
    numbers: set[str] = set()
    roles_of: dict[str, list[str]] = {}
    for i, values in enumerate(rows):
        row = _Row(pr, "accounts", i, values)
        row.known(ACCOUNT_KEYS)
        no = _text(row, "no")
        if no in numbers:
            row.problem("no", _("资金账号 {no} 重复").format(no=no))
        numbers.add(no)
        owner = _text(row, "customer")
        if owner and owner not in owners:
            row.problem("customer", _("客户 {code} 未在 [[customers]] 中定义").format(code=owner))
        bank = _bank(row)
        role = _word(row, "role", tuple(R.AccountRole), R.NONE)
        roles = roles_of.setdefault(owner, [])
        roles.append(role)
        if role == R.MAIN and roles.count(R.MAIN) == 2:
            row.problem("role", _("客户 {code} 有多个 main 账户，只能有一个主资金账户").format(code=owner))
        if len(roles) == MAX_FUND_ACCOUNTS + 1:
            row.problem("customer", _("客户 {code} 的资金账户超过 {max} 个").format(code=owner, max=MAX_FUND_ACCOUNTS))
        custody = _word(row, "custody", tuple(R.Custody), R.Custody.SIGNED)
        flag = values.get("transfer_flag")
        if flag is not None and (isinstance(flag, bool) or flag not in (0, 1)):
            row.problem("transfer_flag", _("只能是 0 或 1"))
            flag = None
        cash, frozen = _money(row, "cash"), _money(row, "frozen")
        if frozen > cash:
            row.problem("frozen", _("冻结金额 {f} 元超过资金余额 {c} 元：可用资金不能为负").format(
                f=format_amount(frozen), c=format_amount(cash)))
        accounts.append(SeedAccount(
            no=no, customer=owner, bank=bank, role=role, cash=cash, frozen=frozen, transfer_flag=flag,
            custody=custody, liabilities=_money(row, "liabilities"), interest_base=_money(row, "interest_base"),
            bank_balance=_money(row, "bank_balance", "10000000.00"),
        ))
    return accounts


def _bank(row: _Row) -> str:
    """A depository bank of the branch (teller.domain.banks), by its name."""
    name = _text(row, "bank")
    if name and find_bank(name) is None:
        row.problem("bank", _("“{b}”不是本营业部的存管银行，可用：{banks}").format(
            b=name, banks=_("、").join(b.name for b in BANKS)))  # as the file must write them
    return name


def _links(pr: Problems, table: str, owner_of: dict[str, str]) -> list[tuple[str, str, str]]:
    """Shareholder and open-end fund accounts: each number once, under a fund account of the same client."""
    links = []
    seen: set[str] = set()
    for i, values in enumerate(pr.rows(table)):
        row = _Row(pr, table, i, values)
        row.known(LINK_KEYS)
        no, owner, fund = _text(row, "no"), _text(row, "customer"), _text(row, "fund_account")
        if no in seen:
            row.problem("no", _("账号 {no} 重复").format(no=no))
        seen.add(no)
        if fund and fund not in owner_of:
            row.problem("fund_account", _("资金账号 {no} 未定义").format(no=fund))
        elif fund and owner and owner_of[fund] != owner:
            row.problem("customer", _("资金账号 {no} 属于客户 {b}，不是客户 {a}").format(no=fund, a=owner, b=owner_of[fund]))
        links.append((no, owner, fund))
    return links


def _settings(pr: Problems) -> dict[str, str]:
    """Branch settings the file overrides, each checked as the functions that use it will read it."""
    raw = pr.table("settings")
    pr.unknown_keys(raw, SETTING_KEYS, table="settings")
    settings: dict[str, str] = {}
    for key, value in raw.items():
        if key not in SETTING_KEYS:
            continue
        if isinstance(value, bool) and key == "agent_allowed":
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            pr.add(_("应为文字或整数"), table="settings", field=key)
            continue
        text = str(value).strip()
        problem = _setting_problem(key, text)
        if problem:
            pr.add(problem, table="settings", field=key)
        settings[key] = text
    return settings


def _setting_problem(key: str, text: str) -> str | None:
    try:
        if key == "interest_rate":
            R.annual_rate(text)
        elif key == "agent_allowed" and text not in ("0", "1"):
            return _("只能是 1（允许代理）或 0（须本人办理）")
        elif key == "journal_chain" and text not in ("", "client"):
            return _("只能是 \"client\"（每个客户一条链）或 \"\"（全营业部一条链）")
        elif key == "new_account_bank_balance":
            parse_amount(text, key, allow_zero=True)
        elif key in MONITOR_SETTINGS:
            M.Limits.from_settings({key: text})
    except BadInput as e:
        return e.reason
    except Refused as e:
        return e.message
    return None


def _steps(pr: Problems, table: str, extra_keys: tuple[str, ...] = ()) -> list[Step]:
    steps = []
    for i, values in enumerate(pr.rows(table)):
        row = _Row(pr, table, i, values)
        op = values.get("op")
        fn = catalog.entry(op) if isinstance(op, str) else None
        if fn is None or op not in REGISTRY:
            row.problem("op", _("没有这个功能：{op}").format(op=op))
            continue
        row.known(STEP_META + fn.params + extra_keys)
        expect = values.get("expect")
        if expect is not None and (not isinstance(expect, str) or (expect not in EXPECT_WORDS and expect not in Rule.__members__)):
            row.problem("expect", _("只能是 ok、refused 或规则代码，不认识 {v}").format(v=expect))
        docs = values.get("documents")
        if docs is not None and (not isinstance(docs, list) or not all(isinstance(d, str) for d in docs)):
            row.problem("documents", _("应为资料名称的列表"))
            docs = None
        if "amount" in values:
            _step_amount(row)
        channel = values.get("channel")
        if channel is not None and (not isinstance(channel, str) or channel.strip() == BANK_LINK):
            # "bank" is the bank link's own channel, which no file can speak for (issue 11).
            row.problem("channel", _("渠道“{v}”只属于银行接口，步骤不能使用").format(v=channel))
        agent = _boolean(row, "agent")
        teller = _text(row, "teller", required=False) or None
        terminal = _text(row, "terminal", required=False, default="T-01") or "T-01"
        params = {k: v for k, v in values.items() if k not in STEP_META and k not in extra_keys}
        steps.append(Step(i + 1, fn.op, params, docs, agent, teller, expect, terminal, pr.file.table_line(table, i)))
    return steps


def _step_amount(row: _Row) -> None:
    """Every step's amount is checked with the file, so a bad one stops the run before its first
    step commits, not when its own step comes."""
    value = row.values["amount"]
    if isinstance(value, int) and not isinstance(value, bool):
        row.problem("amount", _("金额须写成带引号的元，两位小数，如 \"1000.00\"，不能是不带引号的数字"))
        return
    try:
        parse_amount(value, "amount")
    except BadInput as e:
        row.problem("amount", e.reason)


def parse_steps(text: str, source: str = "<steps>", *, table: str = "steps", others_allowed: bool = False,
                extra_keys: tuple[str, ...] | None = None) -> list[Step]:
    """Only the `[[steps]]` (or another array of step tables) of a file, to run against a starting
    state that comes from elsewhere (a drill's). Without `others_allowed`, any other top-level key
    is a problem: a trainee's steps file carries no state of its own. `extra_keys`: keys the file's
    format adds to each step, kept out of the step's params; by default a drill's [[solution]]
    steps may carry their hints (teller.training.drills.HINT_KEYS)."""
    if extra_keys is None:
        from teller.training.drills import HINT_KEYS

        extra_keys = HINT_KEYS if table == "solution" else ()
    pr = _open(text, source)
    if not others_allowed:
        pr.unknown_keys(pr.file.doc, (table, "title", "description"))
    steps = _steps(pr, table, extra_keys)
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


def _teller_channel(value: object) -> str:
    """Where a step's call comes from: a teller's channel (3203's counter or online), else the
    counter. A step's `channel` of 7103 is the notice's, checked by 7103 itself; never the bank link's."""
    return value if isinstance(value, str) and value in CHANNELS else "counter"


def run_steps(counter, scenario: Scenario) -> Iterator[tuple[Step, Outcome]]:  # noqa: ANN001
    """Run each step through the counter; `review approve = "all"` yields one outcome per request."""
    from teller.services.reads import pending_reviews

    for step in scenario.steps:
        documents = (frozenset(step.documents) if step.documents is not None
                     else None if scenario.auto_documents else frozenset())
        default_teller = "S00" if step.op == "review" else "T00"
        ctx = Context(teller_id=step.teller or default_teller, terminal=step.terminal, documents=documents,
                      agent=step.agent, channel=_teller_channel(step.params.get("channel")))
        if step.op == "review" and str(step.params.get("approve", "")).lower() == "all":
            for rid in pending_reviews(counter.engine):
                yield step, counter.run("review", {"approve": rid}, ctx)
            continue
        yield step, counter.run(step.op, step.params, ctx)
