"""Running a drill: a sandbox counter seeded with the drill's starting state, the trainee's acts,
the next hint (guided mode), warnings at a wrong step, and the grade.

The counter screens and `teller drill grade --steps FILE` both go through `DrillSession`, so a run
typed at the keyboard and the same steps in a file are graded alike. The sandbox is a fresh
in-memory store: nothing a trainee does in a drill touches real data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path

from teller.domain.errors import Outcome, Rule
from teller.i18n import _
from teller.scenario import Scenario, ScenarioError, Step, parse_scenario, parse_steps, run_steps
from teller.services.base import BY_CODE, REGISTRY, Context
from teller.training.drills import (DRILL_KEYS, HINT_KEYS, Act, Drill, DrillError, EndState, Grade, grade, hint_text,
                                    new_mistakes, parse_drill, progress)


def show_function(op: str) -> str:
    """`3204 客户台帐资金归集`: how a teller knows a function."""
    fn = REGISTRY.get(op) or BY_CODE.get(op)
    return f"{fn.code} {_(fn.title)}" if fn else op


def _function_names() -> dict[str, str]:
    names = {op: op for op in REGISTRY}
    names.update({code: fn.op for code, fn in BY_CODE.items()})
    return names


@dataclass(frozen=True)
class PreparedDrill:
    drill: Drill
    scenario: Scenario  # starting state; its steps run before the trainee starts
    solution: tuple[Step, ...]

    @property
    def id(self) -> str:
        return self.drill.id

    @property
    def model(self) -> list[tuple[str, dict]]:
        return [(s.op, s.params) for s in self.solution]


def prepare(text: str, source: str = "<drill>") -> PreparedDrill:
    """Check a whole drill file: its drill fields, its scenario part and its model run.
    Raises DrillError listing every problem with its line."""
    problems: list[str] = []
    drill = scenario = None
    solution: list[Step] = []
    try:
        drill = parse_drill(text, source, functions=_function_names(), rules=Rule.__members__)
    except DrillError as e:
        problems += e.problems
    try:
        scenario = parse_scenario(text, source, extra_keys=DRILL_KEYS)
    except ScenarioError as e:
        problems += [p for p in e.problems if p not in problems]  # a TOML error is reported once
    try:
        solution = parse_steps(text, source, table="solution", others_allowed=True, extra_keys=HINT_KEYS)
    except ScenarioError as e:
        problems += [p for p in e.problems if p not in problems]
    if problems:
        raise DrillError(problems)
    for step in solution:  # the hint is for the screen, not an input of the function
        for key in HINT_KEYS:
            step.params.pop(key, None)
    return PreparedDrill(drill, scenario, tuple(solution))


def load_drill(path: str | Path) -> PreparedDrill:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DrillError([_("读不了演练文件 {path}：{e}").format(path=path, e=e)]) from None
    return prepare(text, str(path))


def shipped_drills() -> list[PreparedDrill]:
    """The drills in data/drills, in id order."""
    folder = resources.files("teller.data") / "drills"
    drills = [prepare(f.read_text(encoding="utf-8"), f"data/drills/{f.name}")
              for f in folder.iterdir() if f.name.endswith(".toml")]
    return sorted(drills, key=lambda d: d.id)


def find_drill(drill_id: str) -> PreparedDrill:
    """A shipped drill by id (case-insensitive), or a drill file by path."""
    if drill_id.endswith(".toml") and Path(drill_id).is_file():
        return load_drill(drill_id)
    for d in shipped_drills():
        if d.id.lower() == drill_id.strip().lower():
            return d
    raise KeyError(drill_id)


def _fresh(scenario: Scenario, tellers: tuple[tuple[str, str, str, str], ...] = ()) -> Scenario:
    """A copy whose customer rows are new objects: seeding attaches the ORM rows to the store it
    fills, and a drill is seeded again for every attempt. `tellers` join the sandbox's own."""
    state = replace(scenario.state, customers=[type(c)(**c.model_dump()) for c in scenario.state.customers],
                    tellers=list(scenario.state.tellers) + list(tellers))
    return replace(scenario, state=state)


class _Recorder:
    """Looks like a Counter to `run_steps`, and records every call as the session's act."""

    def __init__(self, session: "Sandbox") -> None:
        self.session = session
        self.engine = session.counter.engine

    def run(self, op: str, params: dict, ctx: Context) -> Outcome:
        return self.session.run(op, params, ctx)


class Sandbox:
    """A counter on a store of its own, seeded from a scenario, that remembers every function run
    on it. Nothing done here touches real data. The store carries the setting `sandbox = 1`
    (teller.services.setup.is_sandbox), which tells training stores from a branch's."""

    def __init__(self, scenario: Scenario, *, trainee: str | None = None, name: str = "") -> None:
        """`trainee`: the teller id the sandbox knows the trainee by (role trainee: on this training
        store the counter's functions are open to them); without one, steps run as the built-in teller T00."""
        from teller.runner import open_store_for
        from teller.services.setup import SANDBOX_SETTING

        self.scenario = scenario
        fresh = _fresh(scenario, ((trainee, "trainee", name, ""),) if trainee else ())
        fresh = replace(fresh, state=replace(fresh.state, settings={**fresh.state.settings, SANDBOX_SETTING: "1"}))
        self.counter = open_store_for(fresh, None)
        self.day: date = scenario.state.business_date
        self.opened: set[str] = set()  # clients opened (1101) since the start
        for _step, outcome in run_steps(self.counter, fresh):  # the scenario's own lead-in, not graded
            self._advance(outcome)
        self.acts: list[Act] = []

    def _advance(self, outcome: Outcome) -> None:
        if outcome.ok and outcome.op == "end_of_day":
            self.day = date.fromisoformat(outcome.data["next"])
        if outcome.ok and outcome.op == "joint_open" and outcome.data.get("customer"):
            self.opened.add(str(outcome.data["customer"]))

    @property
    def auto_documents(self) -> bool:
        return self.scenario.auto_documents

    def run(self, op: str, params: dict, ctx: Context) -> Outcome:
        """Run one function for the trainee, as the counter would, and remember it."""
        day = self.day
        outcome = self.counter.run(op, params, ctx)
        fn = REGISTRY.get(outcome.op)
        docs = None if ctx.documents is None else tuple(sorted(ctx.documents))
        self.acts.append(Act(len(self.acts) + 1, outcome.op, dict(params), outcome.ok, outcome.rule, day, docs,
                             outcome.message, fn.writes if fn else True, ctx.teller_id, bool(ctx.agent)))
        self._advance(outcome)
        return outcome

    def run_steps(self, steps: list[Step]) -> list[tuple[Step, Outcome]]:
        """Steps from a file, run exactly as `teller scenario run` runs them."""
        shell = Scenario(self.scenario.state, self.auto_documents, list(steps))
        return list(run_steps(_Recorder(self), shell))

    def customers(self) -> set[str]:
        """The clients whose state the end state reads: the scenario's and any opened since."""
        return {c.code for c in self.scenario.state.customers} | self.opened

    def end_state(self, codes: set[str] | None = None) -> EndState:
        """Read the sandbox through the query functions, as a teller would check their work."""
        ctx = Context(teller_id="S00", terminal="GRADER")
        end = EndState()
        for code in sorted(self.customers() | (codes or set())):
            found = self.counter.run("query_customer", {"customer": code}, ctx)
            if not found.ok:
                continue
            customer = dict(found.data)
            for a in customer.get("accounts", []):  # 1103 lists closed accounts too; 3206 only open ones
                end.accounts[a["no"]] = dict(a)
            multibank = self.counter.run("query_multibank", {"customer": code}, ctx)
            customer["pending_banks"] = multibank.data.get("pending_banks", [])
            end.customers[code] = customer
            for d in self.counter.run("archive", {"customer": code}, ctx).data.get("documents", []):
                end.documents.append({"customer": code, "paper": d["paper"], "account": d["account"]})
            for a in self.counter.run("alerts", {"customer": code}, ctx).data.get("alerts", []):
                end.alerts.append({"customer": code, "kind": a["kind"], "state": a["state"]})
        return end


class DrillSession(Sandbox):
    """One trainee's go at one drill."""

    def __init__(self, prepared: PreparedDrill, *, trainee: str | None = None, name: str = "") -> None:
        super().__init__(prepared.scenario, trainee=trainee, name=name)
        self.prepared = prepared
        self.drill = prepared.drill

    # --- guided mode -----------------------------------------------------------------------
    def hint(self) -> str:
        """The next step of the model run the trainee has not done yet."""
        done = progress(self.prepared.model, self.acts)
        if done >= len(self.prepared.solution):
            return _("标准做法的每一步都已办完，可以结束演练并评分")
        step = self.prepared.solution[done]
        text = hint_text(self.drill.hints[done], step.op)
        head = _("第 {n}/{total} 步：{fn}").format(n=done + 1, total=len(self.prepared.solution), fn=show_function(step.op))
        return f"{head}\n{text}" if text else head

    def warnings(self) -> list[str]:
        """What was wrong with the last step, said at once in guided mode."""
        if not self.acts:
            return []
        said = [f"{r.check.explain}（{r.detail}）" for r in new_mistakes(self.drill, self.acts, show_function)]
        last = self.acts[-1]
        if not said and last.writes and last.op not in {s.op for s in self.prepared.solution}:
            said.append(_("这项业务的标准做法用不到 {fn}").format(fn=show_function(last.op)))
        return said

    # --- the end -----------------------------------------------------------------------------
    def finish(self) -> Grade:
        return grade(self.drill, self.end_state(), self.acts, show_function)

    def end_state(self, codes: set[str] | None = None) -> EndState:
        checked = {str(c.spec["customer"]) for c in self.drill.checks if c.spec.get("customer")}
        return super().end_state(checked | (codes or set()))


def grade_steps(prepared: PreparedDrill, steps: list[Step]) -> tuple[Grade, list[tuple[Step, Outcome]]]:
    """Grade steps as if a trainee had performed them at the counter."""
    session = DrillSession(prepared)
    ran = session.run_steps(steps)
    return session.finish(), ran


def grade_steps_text(prepared: PreparedDrill, text: str, source: str = "<steps>") -> tuple[Grade, list[tuple[Step, Outcome]]]:
    return grade_steps(prepared, parse_steps(text, source))
