"""`teller scenario run`: a fresh store, the starting state, the steps, one JSON line each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from teller.i18n import _
from teller.scenario import ScenarioError, Scenario, matches, outcome_json, parse_scenario, run_steps


def open_store_for(scenario: Scenario, db: str | None):  # noqa: ANN201
    """A fresh store seeded with the scenario's state. A given --db must be empty: a scenario
    never runs over real data."""
    from teller.services.counter import Counter
    from teller.services.setup import is_initialised, seed
    from teller.store.db import make_engine

    engine = make_engine(db or "sqlite://")
    if db and is_initialised(engine):
        raise ScenarioError([_("数据库 {db} 不是空库；场景只在新库上运行").format(db=db)])
    seed(engine, scenario.state)
    if scenario.bank_faults:
        from teller.services.banksim import install_faults

        install_faults(engine, scenario.bank_faults)
    return Counter(engine)


def run_scenario_file(path: Path, db: str | None, *, out: TextIO, err: TextIO) -> int:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        err.write(_("读不了场景文件 {path}：{e}").format(path=path, e=e) + "\n")
        return 2
    try:
        scenario = parse_scenario(text, str(path))
        counter = open_store_for(scenario, db)
    except ScenarioError as e:
        for p in e.problems:
            err.write(p + "\n")
        return 2
    for step, outcome in run_steps(counter, scenario):
        out.write(json.dumps(outcome_json(step.number, outcome), ensure_ascii=False) + "\n")
        out.flush()
        if not matches(step.expect, outcome):
            err.write(_("第 {n} 步（第 {line} 行）期望 {exp}，实际 {got}").format(
                n=step.number, line=step.line, exp=step.expect,
                got="ok" if outcome.ok else outcome.rule) + "\n")
            return 1
    return 0

