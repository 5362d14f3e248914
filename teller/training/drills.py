"""Drills (9103 培训演练): the drill file and its grading, as pure functions over plain values.

A drill file is a scenario file (DOMAIN.md §6) - the starting state, and optional `[[steps]]` that
run before the trainee starts and are not graded - plus what makes it a drill:

    id = "D07"                      # D and two digits
    title = "……"
    task = "……"                     # what the client says at the counter
    questions = ["S10", "T06"]      # exam items this drill practises
    [[solution]]                    # a model run, in the scenario step format, plus a hint each
    [[checks]]                      # what the grader looks at: kind, its fields, points, explain

Any text field may have an English twin with the suffix `_en` (`task_en`, `hint_en`, `explain_en`).
The format is documented in README.md (section "Training"). Grading runs the trainee's steps on a
fresh store and hands this module two plain records: the `Act`s (what the trainee did, in order)
and the `EndState` (what the store holds afterwards, read through the query functions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Mapping

from teller.domain.money import parse_amount
from teller.domain.errors import BadInput
from teller.domain.identity import mask_id
from teller.domain.rules import CUSTODY_TITLES, AccountRole, Custody
from teller.fileformat import FileProblems, Problems, TomlFile
from teller.i18n import N_, _, current_language

ROLE_WORDS = tuple(AccountRole)
CUSTODY_WORDS = tuple(Custody)
STATUS_WORDS = ("open", "closed")
AMOUNT_FIELDS = ("cash", "available", "withdrawable")
KEY_FIELDS = ("name", "id_type", "id_no")
# The fields that tell one step from another when a trainee's step is matched to the model run
# (amounts and papers are judged by the checks, not by the hint's progress).
MATCH_KEYS = ("account", "from", "to", "customer", "action", "side", "direction", "shareholder_account",
              "of_account", "fund_account", "bank", "kind", "flag")
DRILL_KEYS = ("id", "task", "task_en", "title_en", "questions", "solution", "checks")
# `sources`: where the check's rule comes from (ids of data/sources.toml); `functions`: the codes it
# concerns, when the check names no function of its own.
COMMON = ("kind", "id", "points", "explain", "explain_en", "sources", "functions")
HINT_KEYS = ("hint", "hint_en", "sources")
# kind -> (required fields, optional fields); an account is named by `account` or by customer + bank.
LOCATOR = ("account", "customer", "bank")
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "balance": ((), LOCATOR + AMOUNT_FIELDS),
    "role": (("role",), LOCATOR),
    "flag": (("flag",), LOCATOR),
    "custody": (("custody",), LOCATOR),
    "status": (("status",), LOCATOR),
    "archived": (("paper",), LOCATOR),
    "link": (("fund_account",), ("shareholder_account", "of_account")),
    "key_info": (("customer",), KEY_FIELDS),
    "bank_updated": (("customer",), ()),
    "alert": (("customer", "alert"), ("state", "count")),
    "used": (("op",), ("where", "count")),
    "not_used": (("op",), ("where",)),
    "order": (("ops",), ()),
    "not_refused": (("rule",), ()),
    "no_same_day": (("first", "then"), ("first_where", "then_where")),
    "not_ticked": (("paper",), ()),
}
# Checks on what the trainee did rather than on the end state: guided mode warns the moment one
# of them is broken, graded mode keeps quiet until the end.
MISTAKE_KINDS = ("not_used", "order", "not_refused", "no_same_day", "not_ticked")


class DrillError(ValueError):
    """Every problem of a drill file, each with its line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Check:
    id: str
    kind: str
    spec: Mapping[str, object]
    points: float
    texts: Mapping[str, str]  # explain, explain_en
    line: int | None = None
    sources: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """The function codes the check concerns: its own `functions`, else the ones it names."""
        if self.functions:
            return self.functions
        ops = [self.spec.get(k) for k in ("op", "first", "then")] + list(self.spec.get("ops") or [])
        return tuple(dict.fromkeys(code for code in map(function_code, ops) if code))

    @property
    def explain(self) -> str:
        """The rule, then where it comes from and the function codes."""
        from teller.training.sources import index

        return localized(self.texts, "explain") + index().cite(self.sources, self.codes, sep=True)

    @property
    def mistake(self) -> bool:
        return self.kind in MISTAKE_KINDS


@dataclass(frozen=True)
class Drill:
    id: str
    texts: Mapping[str, str]  # title, title_en, task, task_en
    questions: tuple[str, ...]
    checks: tuple[Check, ...]
    hints: tuple[Mapping[str, str], ...]  # one per [[solution]] step: hint, hint_en
    text: str  # the whole file: the scenario part is parsed by teller.training.grading
    source: str

    @property
    def title(self) -> str:
        return localized(self.texts, "title")

    @property
    def task(self) -> str:
        return localized(self.texts, "task")

    @property
    def total(self) -> float:
        return float(sum(c.points for c in self.checks))


@dataclass(frozen=True)
class Act:
    """One function the trainee ran, and what came of it. `day` is the business date it ran on."""

    number: int
    op: str
    params: Mapping[str, object]
    ok: bool
    rule: str | None
    day: date
    documents: tuple[str, ...] | None = ()  # None: every required paper counted as ticked
    message: str = ""
    writes: bool = True
    teller: str = ""  # who ran it
    agent: bool = False  # done for the client by an agent


@dataclass
class EndState:
    """The store after the run, as the query functions show it."""

    accounts: dict[str, dict] = field(default_factory=dict)  # no -> 3206's account view + "customer"
    documents: list[dict] = field(default_factory=list)  # {customer, paper, account}
    customers: dict[str, dict] = field(default_factory=dict)  # code -> 1103's view + "pending_banks"
    alerts: list[dict] = field(default_factory=list)  # {customer, kind, state}


@dataclass(frozen=True)
class CheckResult:
    check: Check
    passed: bool
    detail: str

    @property
    def earned(self) -> float:
        return self.check.points if self.passed else 0.0


@dataclass(frozen=True)
class Grade:
    drill: str
    results: tuple[CheckResult, ...]

    @property
    def score(self) -> float:
        return float(sum(r.earned for r in self.results))

    @property
    def total(self) -> float:
        return float(sum(r.check.points for r in self.results))

    @property
    def passed(self) -> bool:
        """A procedure at the counter is done right or not: a drill passes with every check met."""
        return all(r.passed for r in self.results)

    @property
    def misses(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if not r.passed)


def function_code(op: object) -> str | None:
    """The four-digit code of an op name (or of a code), None for nothing."""
    if not op:
        return None
    from teller.services.base import BY_CODE, REGISTRY

    fn = REGISTRY.get(str(op)) or BY_CODE.get(str(op))
    return fn.code if fn else None


def hint_text(hint: Mapping[str, object], op: str | None = None) -> str:
    """A model step's hint in the current language, with its sources and the step's function."""
    from teller.training.sources import index

    text = localized(hint, "hint")
    code = function_code(op)
    return text + index().cite(list(hint.get("sources") or []), [code] if code else [], sep=bool(text))


def localized(texts: Mapping[str, object], key: str) -> str:
    """A data text in the current language: `key_en` in English when the file has it."""
    if current_language() == "en" and texts.get(key + "_en"):
        return str(texts[key + "_en"])
    return str(texts.get(key, ""))


# --------------------------------------------------------------------------- parsing


def parse_drill(text: str, source: str = "<drill>", *, functions: Mapping[str, str] | None = None,
                rules: Iterable[str] = ()) -> Drill:
    """Read a drill's own fields (not its scenario part). `functions` maps every function code and
    op name to its op name, so checks may name a function either way; `rules` are the rule codes.
    Raises DrillError listing every problem with its line (teller.fileformat locates them)."""
    try:
        f = TomlFile(text, source)
    except FileProblems as e:
        raise DrillError([p.describe(source) for p in e.problems]) from None
    pr = Problems(f)

    def problem(line: int | None, message: str) -> None:
        pr.add(message, line=line)

    did, questions = _drill_fields(f.doc, problem)
    op_of = _function_names(functions, problem)
    hints = _solution_hints(pr.rows("solution"), f.table_lines("solution"), problem)
    checks = _checks(pr.rows("checks"), f.table_lines("checks"), problem, op_of, set(rules))
    if pr:
        raise DrillError(pr.described())
    texts = {k: str(f.doc[k]) for k in ("title", "title_en", "task", "task_en") if k in f.doc}
    return Drill(did, texts, tuple(questions), tuple(checks), tuple(hints), text, source)


def _drill_fields(doc: Mapping[str, object], problem: Callable) -> tuple[str, list[str]]:
    did = doc.get("id")
    if not isinstance(did, str) or not re.fullmatch(r"D\d{2}", did):
        problem(None, _("演练编号 id 应为 D 加两位数字，如 D01"))
        did = str(did)
    for key in ("title", "task"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            problem(None, _("缺少字段 {field}").format(field=key))
    questions = doc.get("questions", [])
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        problem(None, _('questions 应为题号列表，如 ["S10", "T06"]'))
        questions = []
    return did, questions


def _function_names(functions: Mapping[str, str] | None, problem: Callable) -> Callable:
    """op_of(value, line, field): the op a check names by code or op, or a problem."""
    def op_of(value: object, line: int | None, name: str) -> str:
        value = str(value)
        if functions is None:
            return value
        if value not in functions:
            problem(line, _("字段 {field}：没有这个功能：{op}").format(field=name, op=value))
            return value
        return functions[value]

    return op_of


def _solution_hints(rows: list[dict], lines: list[int], problem: Callable) -> list[dict]:
    """The model run's hints, one per [[solution]] step (its steps are read by teller.scenario)."""
    hints = []
    for i, row in enumerate(rows):
        line = lines[i] if i < len(lines) else None
        if "op" not in row:
            problem(line, _("[[solution]] 每一步都要有 op"))
            continue
        hints.append({k: str(row[k]) for k in ("hint", "hint_en") if k in row})
        if "sources" in row:
            hints[-1]["sources"] = _sources(row["sources"], line, problem)
    if not hints:
        problem(None, _("至少要有一个 [[solution]] 步骤：演练须附标准做法"))
    return hints


def _checks(rows: list[dict], lines: list[int], problem: Callable, op_of: Callable, rules: set[str]) -> list[Check]:
    checks: list[Check] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        line = lines[i] if i < len(lines) else None
        found: list[str] = []

        def noted(at: int | None, message: str) -> None:
            found.append(message)
            problem(at, message)

        cid = str(row.get("id") or f"C{i + 1:02d}")
        check = _check(row, cid, line, noted, op_of, rules)
        if cid in seen:
            problem(line, _("检查项编号 {id} 重复").format(id=cid))
        seen.add(cid)
        if check is not None and not found:
            checks.append(check)
    if not rows:
        problem(None, _("至少要有一个 [[checks]] 检查项"))
    return checks


def _check(row: dict, cid: str, line: int | None, problem: Callable, op_of: Callable, rules: set[str]) -> Check | None:
    """One [[checks]] table: its kind, its fields for that kind, explain, points, sources, functions."""
    kind = row.get("kind")
    if kind not in KINDS:
        problem(line, _("检查项类型 {kind} 未知，可用：{kinds}").format(kind=kind, kinds="、".join(KINDS)))
        return None
    required, optional = KINDS[kind]
    for name in required:
        if name not in row:
            problem(line, _("{kind} 检查项缺少字段 {field}").format(kind=kind, field=name))
    for name in row:
        if name not in required and name not in optional and name not in COMMON:
            problem(line, _("{kind} 检查项不认识字段 {field}").format(kind=kind, field=name))
    if not str(row.get("explain", "")).strip():
        problem(line, _("检查项须有 explain：未做到时向学员说明的规则及其依据"))
    spec = {k: v for k, v in row.items() if k not in COMMON}
    _check_spec(kind, spec, line, problem, op_of, rules)
    points = row.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        problem(line, _("分值必须是正数"))
        points = 1
    sources = _sources(row.get("sources", []), line, problem)
    codes = row.get("functions", [])
    if not isinstance(codes, list) or not all(isinstance(f, str) and re.fullmatch(r"\d{4}", f) for f in codes):
        problem(line, _('functions 应为四位功能码的列表，如 ["3203"]'))
        codes = []
    return Check(cid, kind, spec, float(points),
                 {k: str(row[k]) for k in ("explain", "explain_en") if k in row}, line, tuple(sources), tuple(codes))


def _sources(value: object, line: int | None, problem: Callable) -> list[str]:
    from teller.training.sources import bad_sources

    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        problem(line, _('sources 应为出处列表，如 ["guide 1.1", "exam S05"]'))
        return []
    unknown = bad_sources(value)
    if unknown:
        problem(line, _("出处 {ids} 不在资料索引中（data/sources.toml 列出可引用的章节、条款、问答和试题）").format(
            ids="、".join(unknown)))
    return list(value)


def _check_spec(kind: str, spec: dict, line: int | None, problem: Callable, op_of: Callable, rules: set[str]) -> None:
    """Field values: amounts, words from a fixed list, function names; function names become ops."""
    if kind in ("balance", "role", "flag", "custody", "status", "archived"):
        if not spec.get("account") and not (spec.get("customer") and spec.get("bank")):
            if not (kind == "flag" and spec.get("customer")):
                problem(line, _("须写 account，或同时写 customer 和 bank"))
    if kind == "balance":
        if not any(k in spec for k in AMOUNT_FIELDS):
            problem(line, _("balance 检查项至少写 cash、available、withdrawable 之一"))
        for k in AMOUNT_FIELDS:
            if k in spec:
                try:
                    parse_amount(spec[k], k, allow_zero=True)
                except BadInput as e:
                    problem(line, e.message)
    choices = {"role": ROLE_WORDS, "custody": CUSTODY_WORDS, "status": STATUS_WORDS}
    if kind in choices and spec.get(kind) not in choices[kind]:
        problem(line, _("{field} 只能是 {opts}").format(field=kind, opts=" | ".join(choices[kind])))
    if kind == "flag" and spec.get("flag") not in (0, 1):
        problem(line, _("flag 只能是 0 或 1"))
    if kind == "link" and ("shareholder_account" in spec) == ("of_account" in spec):
        problem(line, _("link 检查项写 shareholder_account 或 of_account 之一"))
    if kind == "key_info" and not any(k in spec for k in KEY_FIELDS):
        problem(line, _("key_info 检查项至少写 name、id_type、id_no 之一"))
    for name in ("op", "first", "then"):
        if name in spec:
            spec[name] = op_of(spec[name], line, name)
    if kind == "order":
        ops = spec.get("ops")
        if not isinstance(ops, list) or len(ops) < 2:
            problem(line, _("order 检查项的 ops 应列出至少两个功能"))
        else:
            spec["ops"] = [op_of(o, line, "ops") for o in ops]
    if kind == "not_refused" and rules and spec.get("rule") not in rules:
        problem(line, _("不认识的规则代码 {rule}").format(rule=spec.get("rule")))
    for name in ("where", "first_where", "then_where"):
        if name in spec and not isinstance(spec[name], dict):
            problem(line, _("{field} 应为表，如 {{ action = \"delete\" }}").format(field=name))
    if "count" in spec and (not isinstance(spec["count"], int) or spec["count"] < 1):
        problem(line, _("count 应为正整数"))


# --------------------------------------------------------------------------- grading


def _same(a: object, b: object) -> bool:
    return str(a).strip() == str(b).strip()


def _fits(act: Act, op: str, where: Mapping[str, object] | None) -> bool:
    return act.op == op and all(_same(act.params.get(k, ""), v) for k, v in (where or {}).items())


def step_matches(model_op: str, model_params: Mapping[str, object], act: Act) -> bool:
    """A trainee's successful step does what the model step does (same function, same accounts)."""
    if not act.ok or act.op != model_op:
        return False
    return all(_same(model_params[k], act.params[k]) for k in MATCH_KEYS if k in model_params and k in act.params)


def progress(model: list[tuple[str, Mapping[str, object]]], acts: Iterable[Act]) -> int:
    """How many model steps the trainee has done, in order (a step done out of turn waits)."""
    done = 0
    for act in acts:
        if done < len(model) and step_matches(model[done][0], model[done][1], act):
            done += 1
    return done


def _amount(value: object) -> int:
    return parse_amount(str(value), "amount", allow_zero=True)


@dataclass(frozen=True)
class _Seen:
    """What one check is evaluated against. `final` is False while the trainee is still working
    (guided mode): a step not done yet is then not a miss."""

    check: Check
    end: EndState
    acts: list[Act]
    names: Callable[[str], str]
    final: bool

    @property
    def spec(self) -> Mapping[str, object]:
        return self.check.spec


def evaluate(check: Check, end: EndState, acts: list[Act], names: Callable[[str], str] = str, *,
             final: bool = True) -> CheckResult:
    """Whether one check holds, and a sentence saying what was found. `names` shows a function."""
    ok, detail = _EVALUATORS[check.kind](_Seen(check, end, list(acts), names, final))
    return CheckResult(check, ok, detail)


def grade(drill: Drill, end: EndState, acts: list[Act], names: Callable[[str], str] = str) -> Grade:
    return Grade(drill.id, tuple(evaluate(c, end, acts, names) for c in drill.checks))


def mistakes(drill: Drill, acts: list[Act], names: Callable[[str], str] = str) -> list[CheckResult]:
    """The mistake checks that `acts` so far already break."""
    results = (evaluate(c, EndState(), acts, names, final=False) for c in drill.checks if c.mistake)
    return [r for r in results if not r.passed]


def new_mistakes(drill: Drill, acts: list[Act], names: Callable[[str], str] = str) -> list[CheckResult]:
    """The mistake checks the last act broke (they held before it): guided mode warns about these."""
    before = {r.check.id for r in mistakes(drill, acts[:-1], names)}
    return [r for r in mistakes(drill, acts, names) if r.check.id not in before]


ROLE_WORDS_SHOWN = {"main": N_("主资金账户"), "aux": N_("辅助资金账户"), "none": N_("不在服务中")}
CUSTODY_SHOWN = CUSTODY_TITLES
STATUS_SHOWN = {"open": N_("正常"), "closed": N_("已销户")}
AMOUNT_SHOWN = {"cash": N_("资金余额"), "available": N_("可用"), "withdrawable": N_("可取")}
KEY_SHOWN = {"name": N_("姓名"), "id_type": N_("证件类型"), "id_no": N_("证件号码")}


def _locate(seen: _Seen) -> tuple[str, dict | None]:
    spec, end = seen.spec, seen.end
    if spec.get("account"):
        no = str(spec["account"])
        return no, end.accounts.get(no)
    cust, bank = str(spec.get("customer", "")), str(spec.get("bank", ""))
    found = sorted((a for a in end.accounts.values() if a.get("customer") == cust and a.get("bank") == bank),
                   key=lambda a: a.get("status") != "open")  # an earlier, closed account at the bank last
    if found:
        return found[0]["no"], found[0]
    return _("客户 {code} 在{bank}的资金账户").format(code=cust, bank=_(bank)), None


def _missing(no: str) -> tuple[bool, str]:
    return False, _("找不到{who}").format(who=no) if not no.isdigit() else _("找不到资金账户 {no}").format(no=no)


def _balance(seen: _Seen) -> tuple[bool, str]:
    no, a = _locate(seen)
    if a is None:
        return _missing(no)
    spec = seen.spec
    wrong = [_("{field}应为 {want} 元，实际 {got} 元").format(field=_(AMOUNT_SHOWN[k]), want=spec[k], got=a[k])
             for k in AMOUNT_FIELDS if k in spec and _amount(spec[k]) != _amount(a[k])]
    if wrong:
        return False, _("资金账户 {no}：{what}").format(no=no, what=_("；").join(wrong))
    return True, _("资金账户 {no}：{what}").format(
        no=no, what=_("，").join(f"{_(AMOUNT_SHOWN[k])} {a[k]}" for k in AMOUNT_FIELDS if k in spec))


def _role(seen: _Seen) -> tuple[bool, str]:
    no, a = _locate(seen)
    if a is None:
        return _missing(no)
    want = str(seen.spec["role"])
    got = a["role"] if a.get("in_service", True) else "none"
    if got != want:
        return False, _("资金账户 {no} 应为{want}，实际为{got}").format(
            no=no, want=_(ROLE_WORDS_SHOWN[want]), got=_(ROLE_WORDS_SHOWN.get(got, got)))
    return True, _("资金账户 {no} 为{role}").format(no=no, role=_(ROLE_WORDS_SHOWN[got]))


def _flag(seen: _Seen) -> tuple[bool, str]:
    spec = seen.spec
    if spec.get("account") or spec.get("bank"):
        no, a = _locate(seen)
        if a is None:
            return _missing(no)
        targets = [a]
    else:  # the whole client: every fund account in the service, the main included (S11, T12)
        targets = [a for a in seen.end.accounts.values()
                   if a.get("customer") == str(spec["customer"]) and a.get("in_service") and a.get("status") == "open"]
        if not targets:
            return False, _("客户 {code} 没有在服务中的资金账户").format(code=spec["customer"])
    want = int(spec["flag"])
    word = _("1--开") if want else _("0--关")
    wrong = [a["no"] for a in targets if int(a["transfer_flag"]) != want]
    if wrong:
        return False, _("划转标志应为“{want}”，未做到的资金账户：{accounts}").format(want=word, accounts=_("、").join(wrong))
    return True, _("资金账户 {accounts} 划转标志均为“{want}”").format(accounts=_("、").join(a["no"] for a in targets), want=word)


def _word_check(name: str, shown: Mapping[str, str]) -> Callable[[_Seen], tuple[bool, str]]:
    def run(seen: _Seen) -> tuple[bool, str]:
        no, a = _locate(seen)
        if a is None:
            return _missing(no)
        want, got = str(seen.spec[name]), str(a[name])
        if want != got:
            return False, _("资金账户 {no} 应为“{want}”，实际为“{got}”").format(
                no=no, want=_(shown.get(want, want)), got=_(shown.get(got, got)))
        return True, _("资金账户 {no}：{got}").format(no=no, got=_(shown.get(got, got)))

    return run


def _archived(seen: _Seen) -> tuple[bool, str]:
    no, a = _locate(seen)
    if a is None and not no.isdigit():
        return _missing(no)
    paper = str(seen.spec["paper"])
    where = sorted({d["account"] for d in seen.end.documents if d["paper"] == paper})
    if no in where:
        return True, _("《{paper}》已归档在资金账户 {no} 下").format(paper=paper, no=no)
    if where:
        return False, _("《{paper}》归档在 {where} 下，没有归档在资金账户 {no} 下").format(
            paper=paper, where=_("、").join(w or _("（未指定账户）") for w in where), no=no)
    return False, _("没有归档《{paper}》").format(paper=paper)


def _link(seen: _Seen) -> tuple[bool, str]:
    spec = seen.spec
    key, what = (("shareholder_accounts", _("股东账户")) if "shareholder_account" in spec else ("of_accounts", _("基金账户")))
    no, want = str(spec.get("shareholder_account") or spec.get("of_account")), str(spec["fund_account"])
    for c in seen.end.customers.values():
        for row in c.get(key, []):
            if row["no"] == no:
                if row["fund_account"] == want:
                    return True, _("{what} {no} 挂在资金账户 {fund} 下").format(what=what, no=no, fund=want)
                return False, _("{what} {no} 挂在 {got} 下，应挂在 {want} 下").format(
                    what=what, no=no, got=row["fund_account"], want=want)
    return False, _("找不到{what} {no}").format(what=what, no=no)


def _key_info(seen: _Seen) -> tuple[bool, str]:
    spec = seen.spec
    c = seen.end.customers.get(str(spec["customer"]))
    if c is None:
        return False, _("找不到客户 {code}").format(code=spec["customer"])
    def differs(k: str) -> bool:
        got, want = str(c.get(k)), str(spec[k])
        # 1103 shows the ID number masked; compare it as the teller sees it.
        return got != (mask_id(want) if k == "id_no" and "*" in got else want)

    wrong = [_("{field}应为“{want}”，实际为“{got}”").format(field=_(KEY_SHOWN[k]), want=spec[k], got=c.get(k))
             for k in KEY_FIELDS if k in spec and differs(k)]
    if wrong:
        return False, _("客户 {code}：{what}").format(code=spec["customer"], what=_("；").join(wrong))
    return True, _("客户 {code} 的关键信息已变更").format(code=spec["customer"])


def _bank_updated(seen: _Seen) -> tuple[bool, str]:
    c = seen.end.customers.get(str(seen.spec["customer"]))
    if c is None:
        return False, _("找不到客户 {code}").format(code=seen.spec["customer"])
    pending = c.get("pending_banks", [])
    if pending:
        return False, _("尚未把变更发送到：{banks}").format(banks=_("、").join(_(b) for b in pending))
    return True, _("每一家存管银行都已收到变更")


def _alert(seen: _Seen) -> tuple[bool, str]:
    spec = seen.spec
    rows = [a for a in seen.end.alerts if a["customer"] == str(spec["customer"]) and a["kind"] == spec["alert"]
            and ("state" not in spec or a["state"] == spec["state"])]
    want = int(spec.get("count", 1))
    if len(rows) < want:
        return False, _("客户 {code} 的 {kind} 预警（{state}）应有 {want} 条，实际 {got} 条").format(
            code=spec["customer"], kind=spec["alert"], state=spec.get("state", _("任意状态")), want=want, got=len(rows))
    return True, _("客户 {code} 有 {n} 条 {kind} 预警").format(code=spec["customer"], n=len(rows), kind=spec["alert"])


def _used(seen: _Seen) -> tuple[bool, str]:
    spec = seen.spec
    hits = [a for a in seen.acts if a.ok and _fits(a, str(spec["op"]), spec.get("where"))]
    want = int(spec.get("count", 1))
    if len(hits) < want:
        return False, _("{fn} 应成功办理 {want} 次，实际 {got} 次").format(fn=seen.names(spec["op"]), want=want, got=len(hits))
    return True, _("{fn} 已办理（第 {steps} 步）").format(fn=seen.names(spec["op"]), steps=_("、").join(str(a.number) for a in hits))


def _not_used(seen: _Seen) -> tuple[bool, str]:
    # An attempt counts even when the counter refused it: choosing the function was the mistake.
    spec = seen.spec
    hits = [a for a in seen.acts if _fits(a, str(spec["op"]), spec.get("where"))]
    if hits:
        return False, _("第 {n} 步使用了 {fn}").format(n=hits[0].number, fn=seen.names(spec["op"]))
    return True, _("没有使用 {fn}").format(fn=seen.names(spec["op"]))


def _order(seen: _Seen) -> tuple[bool, str]:
    ops = [str(o) for o in seen.spec["ops"]]
    first: dict[str, int] = {}
    for a in seen.acts:
        if a.ok and a.op in ops and a.op not in first:
            first[a.op] = a.number
    done = sorted(first, key=first.get)
    want = " → ".join(seen.names(o) for o in ops)
    if done != [o for o in ops if o in first]:
        return False, _("办理顺序应为 {want}，实际为 {got}").format(want=want, got=" → ".join(seen.names(o) for o in done))
    missing = [seen.names(o) for o in ops if o not in first]
    if missing and seen.final:
        return False, _("缺少 {what}；办理顺序应为 {want}").format(what=_("、").join(missing), want=want)
    return True, _("办理顺序正确：{want}").format(want=want)


def _not_refused(seen: _Seen) -> tuple[bool, str]:
    rule = str(seen.spec["rule"])
    hits = [a for a in seen.acts if not a.ok and a.rule == rule]
    if hits:
        return False, _("第 {n} 步 {fn} 被拒绝（{rule}）：{msg}").format(
            n=hits[0].number, fn=seen.names(hits[0].op), rule=rule, msg=hits[0].message)
    return True, _("没有触犯 {rule}").format(rule=rule)


def _account_of(act: Act) -> str | None:
    return next((str(act.params[k]) for k in ("account", "from") if k in act.params), None)


def _no_same_day(seen: _Seen) -> tuple[bool, str]:
    spec = seen.spec
    firsts = [a for a in seen.acts if a.ok and _fits(a, str(spec["first"]), spec.get("first_where"))]
    for b in seen.acts:  # an attempt counts: trying it on the same day is the mistake
        if not _fits(b, str(spec["then"]), spec.get("then_where")):
            continue
        for a in firsts:
            same_account = _account_of(a) is None or _account_of(b) is None or _account_of(a) == _account_of(b)
            if a.number < b.number and a.day == b.day and same_account:
                return False, _("第 {n} 步 {then} 与第 {m} 步 {first} 在同一营业日 {d}").format(
                    n=b.number, then=seen.names(spec["then"]), m=a.number, first=seen.names(spec["first"]),
                    d=b.day.isoformat())
    return True, _("{then} 没有与 {first} 在同一营业日办理").format(then=seen.names(spec["then"]), first=seen.names(spec["first"]))


def _not_ticked(seen: _Seen) -> tuple[bool, str]:
    paper = str(seen.spec["paper"])
    hits = [a for a in seen.acts if a.documents and paper in a.documents]
    if hits:
        return False, _("第 {n} 步收取了不需要的《{paper}》").format(n=hits[0].number, paper=paper)
    return True, _("没有收取《{paper}》").format(paper=paper)


_EVALUATORS: dict[str, Callable[[_Seen], tuple[bool, str]]] = {
    "balance": _balance, "role": _role, "flag": _flag,
    "custody": _word_check("custody", CUSTODY_SHOWN), "status": _word_check("status", STATUS_SHOWN),
    "archived": _archived, "link": _link, "key_info": _key_info, "bank_updated": _bank_updated,
    "alert": _alert, "used": _used, "not_used": _not_used, "order": _order, "not_refused": _not_refused,
    "no_same_day": _no_same_day, "not_ticked": _not_ticked,
}
