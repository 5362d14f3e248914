"""Recording a drill at the counter (9103 录制演练).

A trainer starts a recording on a sandbox store seeded from the demo branch or a scenario file,
performs the procedure at the counter as a teller would, and stops. The recorder writes a drill
file for the trainer to edit:

* the starting state: the scenario file's own text (its lead-in `[[steps]]` included), so the
  drill starts exactly where the recording started;
* `[[solution]]`: the trainer's successful steps, in order, with the papers ticked for each, a
  hint naming the function, and approvals (8102) as the supervisor's steps;
* `[[checks]]`, derived from what changed between the start and the end, read through the query
  functions as the grader reads a trainee's run: each account's role, transfer flag, custody,
  status and balances that changed (or that a new account has), links moved, papers filed, key
  information changed and sent to the banks, alerts raised or handled; and from the path: each
  function used (as often as the trainer used it), the order of the functions, and the writing
  functions of the same menu that the trainer did not use.

So a recorded drill grades its own model run full marks, and a run with one step changed loses
the check that looks at what that step did. The explanations say what the recording found, in
both languages; the trainer replaces them with the rule and its source (`sources`, see
data/sources.toml) before giving the drill to trainees.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import Counter as Tally
from datetime import datetime
from pathlib import Path
from typing import Iterable

from teller.i18n import N_, _, catalog
from teller.training.drills import AMOUNT_FIELDS, KEY_FIELDS, Act, EndState

ENV_DIR = "TELLER_DRILL_DIR"
# Keys a scenario may carry at its top that a drill file uses for itself.
_DRILL_TOP = ("id", "title", "title_en", "task", "task_en", "questions", "description")


def recorded_dir() -> Path:
    """Where recorded drills are written: TELLER_DRILL_DIR, else `drills` in the user's data folder."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    from platformdirs import user_data_dir

    return Path(user_data_dir("teller", appauthor=False)) / "drills"


def tr(msgid: str, lang: str) -> str:
    """`msgid` in `lang`, whatever the process's language is: a drill file carries both."""
    return catalog("en").get(msgid, msgid) if lang == "en" else msgid


def both(msgid: str, **kw: object) -> tuple[str, str]:
    """The message in Chinese and in English; values that are message ids are translated too."""
    def fill(lang: str) -> str:
        return tr(msgid, lang).format(**{k: tr(v, lang) if isinstance(v, str) else v for k, v in kw.items()})

    return fill("zh_CN"), fill("en")


def named(msgid: str, op: str, **kw: object) -> tuple[str, str]:
    """Like `both`, with {fn} the function as each language names it."""
    return (both(msgid, fn=function_name(op, "zh_CN"), **kw)[0], both(msgid, fn=function_name(op, "en"), **kw)[1])


def function_name(op: str, lang: str) -> str:
    from teller.services.base import BY_CODE, REGISTRY

    fn = REGISTRY.get(op) or BY_CODE.get(op)
    return f"{fn.code} {tr(fn.title, lang)}" if fn else op


ROLE = {"main": N_("主资金账户"), "aux": N_("辅助资金账户"), "none": N_("不在服务中")}
CUSTODY = {"unsigned": N_("未签约"), "pending_bank": N_("待银行签约"), "signed": N_("已签约"), "terminated": N_("已解约")}
STATUS = {"open": N_("正常"), "closed": N_("已销户")}


# --------------------------------------------------------------------------- the model run


def solution_steps(acts: Iterable[Act], recorder: str) -> list[dict]:
    """The recorder's successful steps in the scenario step format. Steps by the recorder run as
    the file's default teller; another teller's (the supervisor approving in 8102) keep their id;
    an approval approves every pending request, as the grader's replay cannot know review ids."""
    from teller.services.base import REGISTRY
    from teller.services.counter import SECRET_INPUTS, SECRET_MARK

    steps = []
    for act in acts:
        fn = REGISTRY.get(act.op)
        if not act.ok or (fn is not None and not fn.writes):
            continue
        step: dict = {"op": act.op}
        step.update({k: v for k, v in act.params.items() if v not in (None, "") and k not in ("op", "hint")})
        # A password typed in 9102 (add, reset) is the mark in the file, as in the journal: the drill file
        # is shared with trainees and other trainers. Replayed, the mark (six characters, within the rule)
        # is the password on the sandbox, where nobody signs on with it.
        step.update({k: SECRET_MARK for k in SECRET_INPUTS & step.keys()})
        if act.op == "review":
            step["approve"] = "all"
        if act.teller and act.teller != recorder:
            step["teller"] = act.teller
        if act.documents is not None and act.op != "review":
            step["documents"] = sorted(act.documents)
        if act.agent:
            step["agent"] = True
        step["hint"], step["hint_en"] = named(N_("用 {fn} 办理。"), act.op)
        steps.append(step)
    return steps


# --------------------------------------------------------------------------- the checks


def _role(a: dict) -> str:
    return a["role"] if a.get("in_service", True) else "none"


def derive_checks(start: EndState, end: EndState, acts: list[Act], steps: list[dict]) -> list[dict]:
    """Checks on every change between `start` and `end`, and on the path the steps took."""
    checks: list[dict] = []
    seen_ids: Tally = Tally()

    def add(kind: str, name: str, message: tuple[str, str], **spec: object) -> None:
        seen_ids[name] += 1
        cid = name if seen_ids[name] == 1 else f"{name}-{seen_ids[name]}"
        checks.append({"id": cid, "kind": kind, **spec, "explain": message[0], "explain_en": message[1]})

    def where(no: str, a: dict) -> dict:
        return {"account": no} if no in start.accounts else {"customer": a["customer"], "bank": a["bank"]}

    def label(no: str, a: dict) -> str:
        return no if no in start.accounts else f"{a['customer']}-{a['bank']}"

    for no, a in sorted(end.accounts.items()):
        before = start.accounts.get(no)
        loc, who = where(no, a), label(no, a)
        if before is None or _role(before) != _role(a):
            add("role", f"role-{who}", both(N_("录制结束时，资金账户 {no} 为{role}。"), no=no, role=ROLE[_role(a)]),
                **loc, role=_role(a))
        if a.get("in_service") and (before is None or before["transfer_flag"] != a["transfer_flag"]):
            add("flag", f"flag-{who}", both(N_("录制结束时，资金账户 {no} 的划转标志为 {flag}。"), no=no,
                                            flag=int(a["transfer_flag"])), **loc, flag=int(a["transfer_flag"]))
        for name, words in (("custody", CUSTODY), ("status", STATUS)):
            if before is None or before[name] != a[name]:
                add(name, f"{name}-{who}", both(N_("录制结束时，资金账户 {no}：{state}。"), no=no, state=words.get(a[name], a[name])),
                    **loc, **{name: a[name]})
        if before is None or any(before[k] != a[k] for k in AMOUNT_FIELDS):
            add("balance", f"balance-{who}", both(N_("录制结束时，资金账户 {no} 的资金余额 {cash} 元，可用 {available} 元，可取 {withdrawable} 元。"),
                                                  no=no, cash=a["cash"], available=a["available"], withdrawable=a["withdrawable"]),
                **loc, **{k: str(a[k]) for k in AMOUNT_FIELDS})

    for code, c in sorted(end.customers.items()):
        was = start.customers.get(code, {})
        for key, spec_key, what in (("shareholder_accounts", "shareholder_account", N_("股东账户")),
                                    ("of_accounts", "of_account", N_("基金账户"))):
            before = {r["no"]: r["fund_account"] for r in was.get(key, [])}
            for row in c.get(key, []):
                if before.get(row["no"]) != row["fund_account"]:
                    add("link", f"link-{row['no']}", both(N_("录制结束时，{what} {no} 挂在资金账户 {fund} 下。"), what=what,
                                                          no=row["no"], fund=row["fund_account"]),
                        **{spec_key: row["no"]}, fund_account=row["fund_account"])
        changed = [a for a in acts if a.ok and a.op == "change_key_info" and str(a.params.get("customer")) == code]
        if changed:
            fields = {k: str(a.params[k]) for a in changed for k in KEY_FIELDS if a.params.get(k)}
            add("key_info", f"key-info-{code}", both(N_("客户 {code} 的关键信息已按客户的申请变更。"), code=code),
                customer=code, **fields)
            if not c.get("pending_banks"):
                add("bank_updated", f"banks-{code}", both(N_("客户 {code} 的变更已发送给每一家存管银行。"), code=code),
                    customer=code)

    before_docs = Tally((d["paper"], d["account"]) for d in start.documents)
    for (paper, account), n in sorted(Tally((d["paper"], d["account"]) for d in end.documents).items()):
        if n > before_docs[(paper, account)] and account and account in end.accounts:
            a = end.accounts[account]
            add("archived", f"paper-{label(account, a)}", both(N_("《{paper}》归档在资金账户 {no} 下。"), paper=paper, no=account),
                paper=paper, **where(account, a))

    before_alerts = Tally((x["customer"], x["kind"], x["state"]) for x in start.alerts)
    for (code, kind, state), n in sorted(Tally((x["customer"], x["kind"], x["state"]) for x in end.alerts).items()):
        if n > before_alerts[(code, kind, state)]:
            add("alert", f"alert-{code}-{state}", both(N_("客户 {code} 有 {n} 条 {kind} 预警，状态为 {state}。"),
                                                       code=code, n=n, kind=kind, state=state),
                customer=code, alert=kind, state=state, count=n)

    from teller.services.base import REGISTRY

    used = Tally(s["op"] for s in steps)
    order = list(dict.fromkeys(s["op"] for s in steps if s["op"] != "review"))
    for op, n in used.items():
        code = REGISTRY[op].code
        add("used", f"used-{code}", named(N_("录制时办理了 {n} 次 {fn}。"), op, n=n), op=code, count=n)
    if len(order) >= 2:
        add("order", "order", both(N_("录制时各功能的先后顺序。")), ops=[REGISTRY[op].code for op in order])
    groups = {REGISTRY[op].code[:2] for op in used}
    for op, fn in sorted(REGISTRY.items(), key=lambda kv: kv[1].code):
        if fn.code[:2] in groups and fn.writes and op not in used and not fn.code.startswith("9"):
            add("not_used", f"not-{fn.code}", named(N_("录制时没有用到 {fn}。"), op), op=fn.code)
    return checks


# --------------------------------------------------------------------------- the file


def _scenario_part(text: str) -> str:
    """The scenario's text without the top-level keys the drill sets itself (a scenario's `title`
    would clash with the drill's). Keys before the first table are re-written; the rest is kept
    as it was, comments and all."""
    import tomli_w

    lines = text.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if re.match(r"\s*\[", line)), len(lines))
    head = tomllib.loads("".join(lines[:first]))
    comments = "".join(line for line in lines[:first] if line.lstrip().startswith("#"))
    kept = {k: v for k, v in head.items() if k not in _DRILL_TOP}
    return comments + tomli_w.dumps(kept) + "\n" + "".join(lines[first:])


def drill_text(*, drill_id: str, title: tuple[str, str], task: tuple[str, str], scenario_text: str, source: str,
               recorder: str, acts: list[Act], start: EndState, end: EndState, when: datetime) -> str:
    import tomli_w

    steps = solution_steps(acts, recorder)
    checks = derive_checks(start, end, acts, steps)
    head = [
        f"# {drill_id} {title[0]} —— {recorder} 于 {when:%Y-%m-%d %H:%M} 在 9103 录制，起始状态取自 {source}",
        "# [[solution]] 是录制时的操作，[[checks]] 由录制前后的状态与操作过程推出。交给学员之前请检查、删改，",
        "# 为每一步和每个检查项写上依据（sources，取自 data/sources.toml）并改写说明。",
        f"# Recorded at 9103 by {recorder} on {when:%Y-%m-%d %H:%M}, starting from {source}. Edit before use.",
    ]
    top = tomli_w.dumps({"id": drill_id, "title": title[0], "title_en": title[1], "task": task[0], "task_en": task[1],
                         "questions": []})
    body = tomli_w.dumps({"solution": steps, "checks": checks})
    return "\n".join(head) + "\n" + top + "\n" + _scenario_part(scenario_text).rstrip() + "\n\n" + body


def next_id(taken: Iterable[str]) -> str:
    """The drill id after the highest one taken (D19 after the shipped D01–D18)."""
    used = {int(t[1:]) for t in taken if re.fullmatch(r"D\d{2}", t)}
    return f"D{min(max(used | {0}) + 1, 99):02d}"


class NothingRecorded(ValueError):
    """A recording stopped before any step succeeded."""


class Recording:
    """A recording in progress: a sandbox seeded from `text` (a scenario file), the recorder known
    to it as a teller, the state at the start read before the first step."""

    def __init__(self, text: str, source: str, *, recorder: str, name: str = "", now: datetime | None = None) -> None:
        from teller.scenario import parse_scenario
        from teller.training.grading import Sandbox

        self.text, self.source, self.recorder = text, source, recorder
        self.sandbox = Sandbox(parse_scenario(text, source), trainee=recorder, name=name)
        self.counter = self.sandbox.counter
        self.start = self.sandbox.end_state()
        self.started = now or datetime.now()

    @property
    def acts(self) -> list[Act]:
        return self.sandbox.acts

    def run(self, op: str, params: dict, ctx):  # noqa: ANN001, ANN201 - a Context, an Outcome
        return self.sandbox.run(op, params, ctx)

    def drill_text(self, drill_id: str, *, title: tuple[str, str] | None = None,
                   task: tuple[str, str] | None = None, when: datetime | None = None) -> str:
        title = title or both(N_("录制的演练 {id}"), id=drill_id)
        task = task or both(N_("（请写出客户在柜台上提出的要求。）"))
        return drill_text(drill_id=drill_id, title=title, task=task, scenario_text=self.text, source=self.source,
                          recorder=self.recorder, acts=self.acts, start=self.start, end=self.sandbox.end_state(),
                          when=when or datetime.now())

    def save(self, folder: Path | None = None, *, drill_id: str | None = None, title: tuple[str, str] | None = None,
             when: datetime | None = None) -> Path:
        """Write the drill file (a new name, never over another file) and return its path.
        Raises NothingRecorded when no step succeeded: a drill needs a model run."""
        from teller.training.grading import shipped_drills

        if not solution_steps(self.acts, self.recorder):
            raise NothingRecorded(_("没有录到成功办理的步骤，没有生成演练文件"))

        folder = Path(folder or recorded_dir())
        folder.mkdir(parents=True, exist_ok=True)
        taken = [d.id for d in shipped_drills()] + [p.name[:3] for p in folder.glob("D??-*.toml")]
        drill_id = drill_id or next_id(taken)
        path = folder / f"{drill_id}-recorded.toml"
        n = 1
        while path.exists():
            n += 1
            path = folder / f"{drill_id}-recorded-{n}.toml"
        path.write_text(self.drill_text(drill_id, title=title, when=when), encoding="utf-8")
        return path


def recorded_drills(folder: Path | None = None) -> list:
    """The drills recorded at this counter that still load (PreparedDrill), by id."""
    from teller.training.drills import DrillError
    from teller.training.grading import load_drill

    folder = Path(folder or recorded_dir())
    found = []
    for path in sorted(folder.glob("D??-*.toml")) if folder.is_dir() else []:
        try:
            found.append(load_drill(path))
        except DrillError:
            continue
    return found
