"""The training commands end to end: `teller drill list|show|grade`, `teller exam` (and its
`practice` and `import`), `teller report`; results stored through the 9103 function."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teller.cli import app

RUNS = Path(__file__).parent / "drill_runs"
runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'branch.db'}"


def invoke(*args: str, input: str | None = None):  # noqa: A002
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def test_drill_list_shows_at_least_fifteen_drills():
    result = invoke("drill", "list")
    assert result.exit_code == 0
    ids = {line.split()[1] for line in result.output.splitlines() if line.startswith("│ D")}
    assert len(ids) >= 15 and {"D07", "D11", "D12"} <= ids


def test_drill_show_tells_the_task_and_the_model_run():
    result = invoke("drill", "show", "D12", "--solution")
    assert result.exit_code == 0
    assert "资产转出及销户申请表" in result.output and "3106" in result.output and "T+1" in result.output


def test_grading_a_wrong_run_names_each_miss_and_its_rule(tmp_path):
    result = invoke("drill", "grade", "D07", "--steps", str(RUNS / "D07-collect.toml"))
    assert result.exit_code == 1
    flat = "".join(result.output.replace("│", "").split())  # the table folds long cells
    assert "3204客户台帐资金归集" in flat and "培训测试题单选第10题" in flat
    assert "得分 0 / 5" in result.output


def test_grading_the_model_run_as_json_gives_full_marks(tmp_path):
    steps = tmp_path / "steps.toml"
    source = Path(__file__).parents[1] / "data" / "drills" / "D12-close-aux.toml"
    # The model run is the drill's [[solution]]; as a steps file it is the same tables named [[steps]].
    body = source.read_text(encoding="utf-8").split("[[solution]]", 1)[1].split("[[checks]]", 1)[0]
    steps.write_text("[[steps]]" + body.replace("[[solution]]", "[[steps]]").replace("hint", "# hint")
                     .replace("sources =", "# sources ="), encoding="utf-8")
    result = invoke("drill", "grade", "D12", "--steps", str(steps), "--json")
    assert result.exit_code == 0, result.output
    graded = json.loads(result.output)
    assert graded["passed"] and graded["score"] == graded["total"] == 6
    assert all(s["ok"] for s in graded["steps"])


def test_a_malformed_steps_file_is_reported_with_its_line(tmp_path):
    steps = tmp_path / "bad.toml"
    steps.write_text('[[steps]]\nop = "collect"\ncustomer = "880001"\n\n[[steps]]\nop = "teleport"\n', encoding="utf-8")
    result = runner.invoke(app, ["drill", "grade", "D07", "--steps", str(steps)])
    assert result.exit_code == 2
    assert "第 6 行" in result.output and "teleport" in result.output
    assert invoke("drill", "grade", "D99", "--steps", str(steps)).exit_code == 2


BAD_BANK = '''title = "分行自编题"

[[questions]]
id = "S01"
kind = "single"
question = "主资金账户有几个？"
options = { A = "1 个", B = "2 个" }
answer = "C"
explanation = "只有一个。"

[[questions]]
id = "T01"
kind = "truefalse"
question = "辅助资金账户可以买股票。"
answer = "否"
explanation = "不可以。"
'''

GOOD_BANK = BAD_BANK.replace('answer = "C"', 'answer = "A"').replace('answer = "否"', "answer = false")


def test_exam_import_reports_every_malformed_item_with_its_line(tmp_path, db):
    bank = tmp_path / "mine.toml"
    bank.write_text(BAD_BANK, encoding="utf-8")
    result = runner.invoke(app, ["exam", "import", str(bank), "--db", db])
    assert result.exit_code == 2
    assert "第 3 行，题目 S01" in result.output and "第 11 行，题目 T01" in result.output

    bank.write_text(GOOD_BANK, encoding="utf-8")
    assert runner.invoke(app, ["exam", "import", str(bank), "--db", db, "--teller", "T00"]).exit_code == 1  # a teller may not
    result = invoke("exam", "import", str(bank), "--db", db)
    assert result.exit_code == 0 and "2 题" in result.output
    # The imported bank is examined by name.
    result = invoke("exam", "--bank", "mine", "--db", db, input="A\n错\n")
    assert "得分 3 / 3" in result.output


def test_an_exam_of_five_items_is_scored_reviewed_and_reported(tmp_path, db):
    from teller.training.bank import load_bank
    from teller.training.exam import select_items
    import random

    paper = select_items(load_bank().questions, 5, random.Random(11))
    answers = []
    for n, q in enumerate(paper):
        if n == 0:  # the first one wrong
            answers.append(("错" if q.answer else "对") if q.kind == "truefalse" else ("B" if q.answer != "B" else "A"))
        else:
            answers.append(("对" if q.answer else "错") if q.kind == "truefalse" else q.answer)
    result = invoke("exam", "--items", "5", "--seed", "11", "--db", db, input="\n".join(answers) + "\n")
    assert result.exit_code == 0
    total = sum(q.points for q in paper)
    assert f"得分 {total - paper[0].points:g} / {total:g}" in result.output
    assert "错题回顾" in result.output and paper[0].explanation[:12] in result.output
    assert "已记录 T00 的考试成绩" in result.output

    invoke("drill", "grade", "D11", "--steps", str(RUNS / "D11-only-auxes.toml"), "--trainee", "T00", "--db", db)
    out = tmp_path / "class.csv"
    result = invoke("report", "--db", db, "--csv", str(out))
    assert result.exit_code == 0
    assert paper[0].id in result.output and "█" in result.output  # the missed item, as a bar
    assert "D11/all-closed" in result.output
    with open(tmp_path / "class-questions.csv", encoding="utf-8-sig") as fh:
        rows = {r["item"]: r for r in csv.DictReader(fh)}
    assert rows[paper[0].id]["missed"] == "1" and rows[paper[1].id]["missed"] == "0"
    with open(out, encoding="utf-8-sig") as fh:
        (trainee,) = list(csv.DictReader(fh))
    assert trainee["trainee"] == "T00" and trainee["exams"] == "1" and trainee["drills"] == "1"


def test_an_unknown_trainee_is_told_before_the_exam_starts(db):
    result = runner.invoke(app, ["exam", "--trainee", "NOBODY", "--db", db], input="")
    assert result.exit_code == 2 and "NOBODY" in result.output and "第 1/" not in result.output


def test_practice_marks_each_answer_at_once_and_stores_it(db):
    from teller.services.training import practice_history
    from teller.store.db import make_engine

    result = invoke("exam", "practice", "--count", "3", "--seed", "4", "--db", db, input="A\nA\n\n")
    assert result.exit_code == 0
    assert result.output.count("正确答案") + result.output.count("✓ 正确") == 2
    assert "本次练习 2 题" in result.output
    assert len(practice_history(make_engine(db), "T00")) == 2


def test_the_exam_and_the_drills_in_english_show_no_chinese(db):
    """The issue's check: `teller exam --lang en` and a drill in English, Chinese only in the demo
    clients' names (the drills' English spells them out, so none is left at all)."""
    import re

    cjk = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
    result = runner.invoke(app, ["exam", "--lang", "en", "--db", db], input="\n" * 60, catch_exceptions=False)
    assert "Score 0 / 100" in result.output and "(Source:" in result.output
    assert not cjk.findall(result.output)
    for drill in ("D07", "D13", "D18"):
        shown = invoke("drill", "show", drill, "--solution", "--lang", "en").output
        assert "(Source:" in shown and not cjk.findall(shown), drill
    from teller.i18n import set_language

    set_language("zh_CN")
