"""Drills: every shipped drill grades its model run as full marks, and a typical wrong run
(tests/drill_runs/Dnn-*.toml, the checks it must miss on its `# misses:` line) as failing with the
explanation of each missed check. Plus the file checker, hints and warnings of guided mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from teller import i18n
from teller.services.base import Context
from teller.training.bank import load_bank
from teller.training.drills import DrillError
from teller.training.grading import DrillSession, find_drill, grade_steps, grade_steps_text, prepare, shipped_drills

RUNS = Path(__file__).parent / "drill_runs"
DRILLS = shipped_drills()
IDS = [d.id for d in DRILLS]
WRONG_RUNS = sorted(RUNS.glob("D*.toml"))


def test_at_least_fifteen_drills_each_with_a_wrong_run():
    assert len(DRILLS) >= 15
    assert len(set(IDS)) == len(IDS)
    assert {f.name[:3] for f in WRONG_RUNS} == set(IDS)


@pytest.mark.parametrize("drill", DRILLS, ids=IDS)
def test_the_model_run_scores_full_marks(drill):
    grade, ran = grade_steps(drill, list(drill.solution))
    assert all(outcome.ok for _step, outcome in ran), [(s.op, o.rule, o.message) for s, o in ran if not o.ok]
    assert grade.passed and grade.score == grade.total == drill.drill.total, [(r.check.id, r.detail) for r in grade.misses]


@pytest.mark.parametrize("run", WRONG_RUNS, ids=[f.stem for f in WRONG_RUNS])
def test_a_typical_wrong_run_fails_with_the_right_explanation(run):
    text = run.read_text(encoding="utf-8")
    expected = set(re.search(r"^# misses: (.*)$", text, re.M).group(1).split())
    drill = find_drill(run.name[:3])
    grade, _ran = grade_steps_text(drill, text, str(run))
    assert not grade.passed and grade.score < grade.total
    assert {r.check.id for r in grade.misses} == expected
    for miss in grade.misses:
        # Each miss says what was found and explains the rule with its source.
        assert miss.detail and re.search(r"依据", miss.check.explain), miss.check.id


def test_the_exams_procedural_mistakes_are_caught_with_their_rule():
    """The three mistakes the issue names: 3204 for one aux, only the aux flags closed, deleting
    an aux on the day of its interest capitalization."""
    by_run = {}
    for name in ("D07-collect", "D11-only-auxes", "D12-delete-same-day"):
        run = RUNS / f"{name}.toml"
        grade, _ = grade_steps_text(find_drill(name[:3]), run.read_text(encoding="utf-8"))
        by_run[name] = {r.check.id: r for r in grade.misses}
    assert "3204" in by_run["D07-collect"]["no-collect"].detail
    assert "单选第10题" in by_run["D07-collect"]["no-collect"].check.explain
    assert "880001001" in by_run["D11-only-auxes"]["all-closed"].detail  # the main left open
    assert "主资金账户" in by_run["D11-only-auxes"]["all-closed"].check.explain
    same_day = by_run["D12-delete-same-day"]["not-same-day"]
    assert "2026-11-23" in same_day.detail and "T+1" in same_day.check.explain


def test_drills_and_the_question_bank_point_at_each_other():
    bank = load_bank()
    for d in DRILLS:
        assert d.drill.questions, d.id
        for qid in d.drill.questions:
            bank.by_id(qid)  # KeyError if the drill names an item the bank lacks
    linked = {q.drill for q in bank if q.drill}
    assert linked <= set(IDS)
    for q in bank:
        if q.drill:
            assert q.id in find_drill(q.drill).drill.questions


@pytest.mark.parametrize("drill", DRILLS, ids=IDS)
def test_every_model_step_has_a_hint_in_both_languages(drill):
    assert len(drill.drill.hints) == len(drill.solution)
    for hint in drill.drill.hints:
        assert hint.get("hint") and hint.get("hint_en")
    assert drill.drill.texts.get("task_en") and drill.drill.texts.get("title_en")
    for check in drill.drill.checks:
        assert check.texts.get("explain_en"), check.id


def test_guided_mode_hints_follow_progress_and_warn_at_a_wrong_step():
    session = DrillSession(find_drill("D12"))
    assert "3106" in session.hint() and "1/6" in session.hint()
    session.run("capitalize_interest", {"account": "88000100101"}, Context())
    assert session.warnings() == []
    assert "3105" in session.hint() and "2/6" in session.hint()
    session.run("bank_transfer", {"account": "88000100101", "direction": "out", "amount": "503.50"}, Context())
    delete = {"account": "88000100101", "action": "delete"}
    papers = Context(documents=frozenset({"资产转出及销户申请表", "资金利息归本单"}))
    outcome = session.run("maintain_multibank", delete, papers)
    assert outcome.rule == "T_PLUS_1"
    warned = session.warnings()
    assert len(warned) == 1 and "T+1" in warned[0]
    assert "9101" in session.hint()  # the refused delete did not count as progress
    session.run("end_of_day", {}, Context())
    assert session.warnings() == []  # an old mistake is not repeated at every step


def test_a_step_outside_the_procedure_is_flagged():
    session = DrillSession(find_drill("D03"))
    session.run("bank_transfer", {"account": "880001001", "direction": "in", "amount": "100.00"}, Context())
    assert any("3105" in w for w in session.warnings())


def test_keyboard_and_file_runs_grade_alike():
    drill = find_drill("D07")
    session = DrillSession(drill)
    step = drill.solution[0]
    session.run(step.op, dict(step.params), Context(documents=frozenset(step.documents)))
    by_hand = session.finish()
    from_file, _ = grade_steps(drill, list(drill.solution))
    assert [(r.check.id, r.passed, r.detail) for r in by_hand.results] == \
           [(r.check.id, r.passed, r.detail) for r in from_file.results]


def test_each_attempt_starts_from_the_same_fresh_state():
    drill = find_drill("D07")
    first = DrillSession(drill)
    first.run("collect", {"customer": "880001"}, Context(documents=None))
    second = DrillSession(drill)
    assert second.end_state().accounts["88000100102"]["cash"] == "500.00"


def test_english_drill_texts():
    drill = find_drill("D07").drill
    assert "张三" in drill.task
    i18n.set_language("en")
    assert drill.task.startswith("Zhang San") and "single choice 10" in drill.checks[0].explain


BAD = '''
id = "D7"
title = "坏演练"
task = "……"
date = "2026-11-23"

[[solution]]
op = "no_such_function"

[[checks]]
kind = "balance"
account = "880001001"
cash = 1.5
explain = "……"

[[checks]]
kind = "not_used"
op = "9999"

[[checks]]
kind = "weather"
'''


def test_a_malformed_drill_lists_every_problem_with_its_line():
    with pytest.raises(DrillError) as e:
        prepare(BAD, "bad.toml")
    text = "\n".join(e.value.problems)
    assert "D01" in text                      # the id format
    assert "第 8 行" in text and "no_such_function" in text
    assert "第 10 行" in text                  # a float amount
    assert "第 16 行" in text and "9999" in text and "explain" in text
    assert "第 20 行" in text and "weather" in text


def test_the_readme_documents_the_drill_format():
    """README "Training": its example parses as a drill, and its table names every check kind."""
    from teller.training.drills import KINDS, parse_drill

    text = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Training"):text.index("\n## ", text.index("## Training") + 5)]
    start = section.index("```toml\n") + len("```toml\n")
    drill = parse_drill(section[start:section.index("```", start)], "README")
    assert drill.id == "D07" and drill.checks[0].spec["op"] == "3204"
    documented = set(re.findall(r"^\| `(\w+)`(?: / `(\w+)`)? \|", section, re.M))
    assert {k for pair in documented for k in pair if k} == set(KINDS)
