"""The question bank: the shipped exam, the checker's error reports, and scoring."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from teller.training.bank import (
    BankError,
    Problem,
    Question,
    QuestionBank,
    load_bank,
    parse_bank,
    score,
)

# The user's answer key, typed by hand from the exam (reference/seed-documents.txt): single and
# multiple answers are the letters in parentheses in the question line; true/false items end with
# (1) = 是 (true) or (2) = 否 (false).
KEY = {
    "S01": "C", "S02": "A", "S03": "A", "S04": "A", "S05": "B",
    "S06": "A", "S07": "A", "S08": "A", "S09": "C", "S10": "C",
    "S11": "B", "S12": "B", "S13": "D", "S14": "A", "S15": "A",
    "M01": "ABCD", "M02": "ABC", "M03": "ABCD", "M04": "AD", "M05": "BCD",
    "M06": "AD", "M07": "ABD", "M08": "ABCD", "M09": "ABCD", "M10": "ABCD",
    "M11": "ABCD", "M12": "ABCD", "M13": "AD", "M14": "ABD", "M15": "ABCD",
    "M16": "ABCD", "M17": "ABCD", "M18": "AB", "M19": "ABCD", "M20": "ABCD",
    "T01": False, "T02": True, "T03": False, "T04": False, "T05": False,
    "T06": False, "T07": False, "T08": True, "T09": False, "T10": False,
    "T11": True, "T12": False, "T13": True, "T14": True, "T15": True,
    "T16": True, "T17": False, "T18": False, "T19": True, "T20": False,
}

# The function codes of DOMAIN.md's §3 table.
FUNCTION_CODES = {
    "1101", "1102", "1103", "2101",
    "3101", "3102", "3103", "3104", "3105", "3106",
    "3201", "3202", "3203", "3204", "3205", "3206",
    "4101", "4102", "5101", "5102", "5103",
    "6101", "6102", "6103", "7101", "7102", "7103",
    "8101", "8102", "9101", "9102", "9103",
}
DOMAIN_MD = Path(os.environ.get("TELLER_DOMAIN_MD", "/work/shared/DOMAIN.md"))


@pytest.fixture(autouse=True)
def chinese(monkeypatch):
    """Messages as written in the code (the msgids): these tests check the bank, not the catalogs."""
    from teller import i18n

    monkeypatch.setattr(i18n, "catalog", lambda lang: {})
    monkeypatch.setitem(i18n._current, "lang", "zh_CN")


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_bank()


# --------------------------------------------------------------------------- the shipped bank


def test_shipped_bank_loads(bank):
    assert bank.title == "单客户多银行服务业务培训测试"
    assert len(bank) == 55
    assert [len(bank.of_kind(k)) for k in ("single", "multiple", "truefalse")] == [15, 20, 20]
    assert [q.id for q in bank] == list(KEY)  # the exam's order


def test_shipped_bank_loads_from_a_path_too(bank):
    path = Path(__file__).resolve().parents[1] / "data" / "questions" / "exam.toml"
    assert load_bank(path).questions == bank.questions


def test_points_total_100(bank):
    assert bank.total_points == 100.0
    assert {q.points for q in bank.of_kind("single")} == {2.0}
    assert {q.points for q in bank.of_kind("multiple")} == {2.5}
    assert {q.points for q in bank.of_kind("truefalse")} == {1.0}


def test_answers_match_the_users_key_item_by_item(bank):
    assert {q.id: q.answer for q in bank} == KEY
    for qid, expected in KEY.items():
        assert bank.by_id(qid).answer == expected, qid


def test_options_are_a_to_d_and_truefalse_has_none(bank):
    for q in bank:
        if q.kind == "truefalse":
            assert q.options == ()
        else:
            assert q.letters == ("A", "B", "C", "D"), q.id
            assert all(text.strip() for _letter, text in q.options)


def test_every_item_names_its_functions_and_the_codes_exist(bank):
    for q in bank:
        assert q.functions, f"{q.id} names no function"
        assert set(q.functions) <= FUNCTION_CODES, q.id


@pytest.mark.skipif(not DOMAIN_MD.is_file(), reason="DOMAIN.md not reachable")
def test_function_codes_match_domain_md():
    text = DOMAIN_MD.read_text(encoding="utf-8")
    table = text.split("## 3.")[1].split("## 4.")[0]
    codes = set(re.findall(r"^\| (\d{4}) \|", table, flags=re.M))
    assert codes == FUNCTION_CODES


def test_by_id_unknown_raises(bank):
    with pytest.raises(KeyError):
        bank.by_id("S99")


# --------------------------------------------------------------------------- malformed banks

GOOD_ITEM = """
[[questions]]
id = "S01"
kind = "single"
question = "问？"
options = { A = "甲", B = "乙" }
answer = "A"
explanation = "因为。"
"""


def test_minimal_bank_parses_with_defaults():
    b = parse_bank('title = "小测"\n' + GOOD_ITEM)
    q = b.by_id("S01")
    assert q == Question("S01", "single", "问？", (("A", "甲"), ("B", "乙")), "A", 2.0, "因为。")
    assert q.line == 3
    assert q.option("b") == "乙"


BROKEN = '''\
title = "坏题库"

[[questions]]
id = "S01"
kind = "single"
question = "第一题"
options = { A = "甲", B = "乙", C = "丙" }
answer = "D"
explanation = "答案字母不在选项里"

[[questions]]
id = "M01"
kind = "multiple"
question = """多行题干，里面写着
[[questions]]
也不算新题"""
options = { A = "甲", B = "乙", C = "丙" }
answer = "B"
explanation = "多选只有一个字母"
points = 0

[[questions]]  # 注释
id = "T01"
kind = "truefalse"
question = "判断"
answer = "true"
explanation = "答案加了引号"

[[questions]]
id = "S02"
kind = "essay"
question = "题型不认识"
answer = "A"
explanation = "x"

[[questions]]
id = "S01"
kind = "single"
options = { A = "甲", B = "乙" }
answer = "A"
explanation = "缺题干，题号又重复"

[[questions]]
kind = "truefalse"
question = "没有题号"
answer = true
explanation = "x"
point = 2
'''


def test_every_problem_is_reported_with_line_item_and_field():
    with pytest.raises(BankError) as info:
        parse_bank(BROKEN, source="broken.toml")
    found = [(p.line, p.item, p.field) for p in info.value.problems]
    assert found == [
        (3, "S01", "answer"),      # D not among A–C
        (11, "M01", "answer"),     # multiple with one letter
        (11, "M01", "points"),     # points not positive
        (22, "T01", "answer"),     # truefalse with a string
        (29, "S02", "kind"),       # unknown kind
        (36, "S01", "question"),   # missing field
        (36, "S01", "id"),         # duplicate id
        (43, None, "id"),          # missing id: the line identifies it
        (43, None, "point"),       # unknown field (typo of points)
    ]


def test_problem_messages_name_the_rule():
    with pytest.raises(BankError) as info:
        parse_bank(BROKEN, source="broken.toml")
    messages = [str(p) for p in info.value.problems]
    assert messages[0] == "第 3 行，题目 S01：答案字母 D 不在选项 ABC 之中"
    assert messages[1] == "第 11 行，题目 M01：多选题的答案至少要有 2 个字母，现为 B"
    assert messages[2] == "第 11 行，题目 M01：分值必须是正数，现为 0"
    assert "true 或 false" in messages[3]
    assert "essay" in messages[4]
    assert messages[5] == "第 36 行，题目 S01：缺少字段 question"
    assert messages[6] == "第 36 行，题目 S01：题号 S01 重复，第 3 行已用过"
    assert messages[7] == "第 43 行：缺少字段 id"
    assert messages[8].startswith("第 43 行：不认识的字段 point：是不是 points")
    text = str(info.value)
    assert text.splitlines()[0] == "题库 broken.toml 有 9 处问题："
    assert all(m in text for m in messages)


def test_messages_go_through_gettext(monkeypatch):
    from teller import i18n

    monkeypatch.setitem(i18n._current, "lang", "en")
    monkeypatch.setattr(
        i18n, "catalog", lambda lang: {"缺少字段 {field}": "missing field {field}"} if lang == "en" else {}
    )
    with pytest.raises(BankError) as info:
        parse_bank('title = "t"\n[[questions]]\nid = "S01"\n')
    assert "missing field kind" in [p.message for p in info.value.problems]


@pytest.mark.parametrize(
    ("item", "field", "fragment"),
    [
        ('options = ["A. 甲", "B. 乙"]', "options", "以字母为键的表"),
        ('options = { A = "甲", C = "丙" }', "options", "从 A 起连续"),
        ('options = { A = "甲" }', "options", "至少要有 2 个选项"),
        ('options = { a = "甲", b = "乙" }', "options", "大写字母"),
    ],
)
def test_bad_options(item, field, fragment):
    text = 'title = "t"\n' + GOOD_ITEM.replace('options = { A = "甲", B = "乙" }', item)
    with pytest.raises(BankError) as info:
        parse_bank(text)
    assert any(p.field == field and fragment in p.message and p.line == 3 for p in info.value.problems)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('answer = "A"', 'answer = "AB"', "answer"),  # single with two letters
        ('answer = "A"', "answer = true", "answer"),  # single with a boolean
        ('id = "S01"', 'id = "T01"', "id"),  # letter disagrees with kind
        ('id = "S01"', 'id = "Q1"', "id"),
        ('explanation = "因为。"', 'explanation = "x"\ncites = ["第四节"]', "cites"),
        ('explanation = "因为。"', 'explanation = "x"\nfunctions = ["32"]', "functions"),
        ('explanation = "因为。"', 'explanation = "x"\nsources = ["guide 9.9"]', "sources"),
        ('explanation = "因为。"', 'explanation = "x"\nsources = ["exam S16"]', "sources"),
        ('explanation = "因为。"', 'explanation = "x"\noptions_en = { A = "a" }', "options_en"),
        ('explanation = "因为。"', 'explanation = "x"\nquestion_en = ""', "question_en"),
        ('explanation = "因为。"', 'explanation = "x"\npoints = -1', "points"),
        ('explanation = "因为。"', 'explanation = "x"\npoints = true', "points"),
    ],
)
def test_bad_fields(old, new, field):
    text = 'title = "t"\n' + GOOD_ITEM.replace(old, new)
    with pytest.raises(BankError) as info:
        parse_bank(text)
    assert [(p.line, p.field) for p in info.value.problems] == [(3, field)]


def test_truefalse_with_options_is_refused():
    text = 'title = "t"\n[[questions]]\nid = "T01"\nkind = "truefalse"\nquestion = "q"\n' \
           'options = { A = "对", B = "错" }\nanswer = true\nexplanation = "x"\n'
    with pytest.raises(BankError) as info:
        parse_bank(text)
    assert [(p.line, p.item, p.field) for p in info.value.problems] == [(2, "T01", "options")]


def test_toml_syntax_error_reports_its_line():
    text = 'title = "t"\n' + GOOD_ITEM + "answer = \n"
    with pytest.raises(BankError) as info:
        parse_bank(text)
    [problem] = info.value.problems
    assert problem.line == text.count("\n")
    assert problem.message.startswith("TOML 语法错误")


def test_missing_title_and_no_questions():
    with pytest.raises(BankError) as info:
        parse_bank("")
    assert [(p.line, p.field) for p in info.value.problems] == [(None, "title"), (None, "questions")]


def test_inline_array_bank_falls_back_to_position():
    text = 'title = "t"\nquestions = [ { id = "S01", kind = "single" } ]\n'
    with pytest.raises(BankError) as info:
        parse_bank(text)
    assert {p.line for p in info.value.problems} == {None}
    assert {p.item for p in info.value.problems} == {"S01"}


def test_load_bank_missing_file(tmp_path):
    with pytest.raises(BankError) as info:
        load_bank(tmp_path / "none.toml")
    assert info.value.problems[0].message.startswith("无法读取题库文件")


def test_problem_str_without_location():
    assert str(Problem(None, None, None, "缺少字段 title")) == "缺少字段 title"
    assert str(Problem(None, "#2", "kind", "x")) == "题目 #2：x"


# --------------------------------------------------------------------------- scoring

SINGLE = Question("S01", "single", "q", (("A", "a"), ("B", "b"), ("C", "c"), ("D", "d")), "C", 2.0, "e")
MULTI = Question("M01", "multiple", "q", (("A", "a"), ("B", "b"), ("C", "c"), ("D", "d")), "ABD", 2.5, "e")
TF = Question("T01", "truefalse", "q", (), False, 1.0, "e")


@pytest.mark.parametrize(("given", "points"), [("C", 2.0), ("c", 2.0), (" C ", 2.0), ("Ｃ", 2.0),
                                               ("A", 0.0), ("AC", 0.0), ("", 0.0), (None, 0.0)])
def test_score_single(given, points):
    assert score(SINGLE, given) == points


@pytest.mark.parametrize(
    ("given", "points"),
    [("ABD", 2.5), ("dba", 2.5), ("A B D", 2.5), ("A,B,D", 2.5),
     ("AB", 0.0), ("ABCD", 0.0), ("ABC", 0.0), ("A", 0.0), ("", 0.0)],
)
def test_score_multiple_all_or_nothing(given, points):
    assert score(MULTI, given) == points


def test_score_truefalse():
    assert score(TF, False) == 1.0
    assert score(TF, True) == 0.0
    assert score(TF, None) == 0.0
    with pytest.raises(TypeError):
        score(TF, "false")
    with pytest.raises(TypeError):
        score(SINGLE, True)


def test_score_uses_item_points():
    heavy = Question("S02", "single", "q", (("A", "a"), ("B", "b")), "B", 5.0, "e")
    assert score(heavy, "B") == 5.0


def test_perfect_paper_scores_100(bank):
    def right(q):
        return q.answer

    assert sum(score(q, right(q)) for q in bank) == 100.0
    assert sum(score(q, None) for q in bank) == 0.0
