"""A drill recorded at the counter grades its own run full marks, and a run with one step changed
loses the check that looks at what that step did (issue 15, item 5)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from teller.scenario import parse_steps
from teller.services.base import Context
from teller.services.setup import is_sandbox
from teller.training.grading import grade_steps, load_drill
from teller.training.recording import Recording, next_id, recorded_drills

ROOT = Path(__file__).resolve().parents[1]


def state_of(drill_file: str) -> str:
    """A shipped drill's starting state, as a scenario file of its own."""
    text = (ROOT / "data" / "drills" / drill_file).read_text(encoding="utf-8")
    state = text.split("\n[[solution]]")[0]
    return state[state.index("\ndate = ") + 1:]


def at_counter(rec: Recording, op: str, papers=(), teller: str = "TR01", **params):
    outcome = rec.run(op, params, Context(teller_id=teller, terminal="T-01", documents=frozenset(papers)))
    assert outcome.ok, outcome.message
    return outcome


def steps_of(path: Path):
    return parse_steps(path.read_text(encoding="utf-8"), str(path), table="solution", others_allowed=True)


def changed(path: Path, index: int, **params):
    steps = steps_of(path)
    steps[index].params.update(params)
    return steps


def run(path: Path, steps):
    grade, _ran = grade_steps(load_drill(path), steps)
    return grade


@pytest.fixture
def transfer(tmp_path) -> Path:
    """The trainer records D07's procedure: 2,000.00 from the CCB aux to the main, form ticked."""
    rec = Recording(state_of("D07-counter-transfer.toml"), "D07-state.toml", recorder="TR01", name="培训师")
    assert is_sandbox(rec.counter.engine)
    at_counter(rec, "ledger_transfer", ["单客户多银行服务资金划转申请表"],
               **{"from": "88000100101", "to": "880001001", "amount": "2000.00", "channel": "counter"})
    return rec.save(tmp_path, drill_id="D19")


def test_the_recorded_drill_file_holds_the_start_the_steps_and_the_checks(transfer):
    doc = tomllib.loads(transfer.read_text(encoding="utf-8"))
    assert doc["id"] == "D19" and doc["date"] == "2026-11-23" and len(doc["accounts"]) == 3
    assert [s["op"] for s in doc["solution"]] == ["ledger_transfer"]
    assert doc["solution"][0]["documents"] == ["单客户多银行服务资金划转申请表"]
    kinds = {c["id"]: c["kind"] for c in doc["checks"]}
    assert kinds["balance-880001001"] == "balance" and kinds["paper-88000100101"] == "archived"
    assert kinds["used-3203"] == "used" and kinds["not-3204"] == "not_used"
    assert "balance-88000100102" not in kinds  # the BOC aux did not change: nothing to check
    assert all(c["explain"] and c["explain_en"] for c in doc["checks"])


def test_a_recorded_drill_grades_its_own_run_full_marks(transfer):
    grade = run(transfer, steps_of(transfer))
    assert grade.passed and grade.score == grade.total == len(grade.results)


def test_a_different_amount_loses_the_balance_checks(transfer):
    grade = run(transfer, changed(transfer, 0, amount="1000.00"))
    assert {r.check.id for r in grade.misses} == {"balance-880001001", "balance-88000100101"}


def test_a_different_function_loses_the_path_checks(transfer):
    steps = steps_of(transfer)
    steps[0].op = "collect"
    steps[0].params = {"customer": "880001"}
    steps[0].documents = []
    grade = run(transfer, steps)
    missed = {r.check.id for r in grade.misses}
    assert {"used-3203", "not-3204", "paper-88000100101"} <= missed


def test_a_missing_paper_loses_the_filing_check(transfer):
    steps = steps_of(transfer)
    steps[0].documents = []
    grade = run(transfer, steps)
    # Without the form the transfer is refused, so its effects and the filing are all missed.
    assert "paper-88000100101" in {r.check.id for r in grade.misses}


def test_a_change_of_main_with_links_records_roles_links_papers_and_order(tmp_path):
    text = state_of("D04-change-main-links.toml")
    rec = Recording(text, "D04-state.toml", recorder="TR01")
    d04 = tomllib.loads((ROOT / "data" / "drills" / "D04-change-main-links.toml").read_text(encoding="utf-8"))
    for step in d04["solution"]:
        params = {k: v for k, v in step.items() if k not in ("op", "hint", "hint_en", "sources", "documents")}
        at_counter(rec, step["op"], step.get("documents", ()), **params)
    path = rec.save(tmp_path)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    kinds = [c["kind"] for c in doc["checks"]]
    assert kinds.count("role") == 2 and kinds.count("link") == 3 and "order" in kinds and "archived" in kinds
    assert run(path, steps_of(path)).passed
    # The trainee sets the main before moving the fund account: the link and the order are missed.
    steps = steps_of(path)
    steps = [steps[0], steps[1], steps[3], steps[2]]
    missed = {r.check.id for r in run(path, steps).misses}
    assert "order" in missed and any(m.startswith("role-") for m in missed)


def test_recorded_drills_are_found_and_numbered_after_the_shipped_ones(transfer, tmp_path):
    assert [d.id for d in recorded_drills(tmp_path)] == ["D19"]
    assert next_id(["D01", "D18", "D19"]) == "D20"


def test_a_scenario_title_does_not_clash_with_the_drills(tmp_path):
    text = 'title = "示范营业部"\ndescription = "x"\n' + state_of("D07-counter-transfer.toml")
    rec = Recording(text, "demo.toml", recorder="TR01")
    at_counter(rec, "bank_transfer", [], account="880001001", direction="out", amount="100.00")
    path = rec.save(tmp_path, drill_id="D30")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["title"] == "录制的演练 D30"
    assert run(path, steps_of(path)).passed


def test_a_recording_with_no_step_done_writes_nothing(tmp_path):
    from teller.training.recording import NothingRecorded

    rec = Recording(state_of("D07-counter-transfer.toml"), "D07-state.toml", recorder="TR01")
    refused = rec.run("ledger_transfer", {"from": "88000100101", "to": "88000100102", "amount": "1.00"},
                      Context(teller_id="TR01", terminal="T-01", documents=frozenset()))
    assert not refused.ok
    with pytest.raises(NothingRecorded):
        rec.save(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_recorded_9102_keeps_no_password(tmp_path):
    """Issue 11: the supervisor's 9102 add and password reset, recorded, are in the drill file with the
    journal's mark in place of each password; the model run still replays and grades full marks."""
    from svc import BRANCH

    from teller.services.counter import SECRET_MARK

    rec = Recording(BRANCH, "branch.toml", recorder="TR09", name="培训师")
    at_counter(rec, "manage_tellers", teller="S01", action="add", id="T09", name="柜员九", role="teller",
               password="Secret123x")
    at_counter(rec, "manage_tellers", teller="S01", action="reset_password", id="T09", password="Other456yy")
    path = rec.save(tmp_path, drill_id="D19")
    text = path.read_text(encoding="utf-8")
    assert "Secret123x" not in text and "Other456yy" not in text
    steps = steps_of(path)
    assert [(s.op, s.params.get("action"), s.params.get("password")) for s in steps] == [
        ("manage_tellers", "add", SECRET_MARK), ("manage_tellers", "reset_password", SECRET_MARK)]
    grade = run(path, steps)
    assert grade.passed and grade.score == grade.total == len(grade.results) > 0, grade
