"""Training teaches from the user's documents: every question, hint and check names its sources,
each source exists in the documents, and every text the trainee reads has its English.

The committed index data/sources.toml is what the shipped data is checked against, always; the index
itself is checked against the user's file (../shared/reference/seed-documents.txt) when that file is
beside the checkout, and the test says so when it is not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from teller.i18n import set_language
from teller.training.bank import BankError, load_bank, parse_bank
from teller.training.grading import DrillSession, shipped_drills
from teller.training.sources import check_index, index, parse_headings, parse_index

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT.parent / "shared" / "reference" / "seed-documents.txt"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# The demo clients' names are Chinese in English too: a teller types them as the client spells them.
NAMES = re.compile(r"张三|李四|王五|赵六|钱七|孙八|周九|吴十|郑十一|冯十二|陈十三|褚十四|卫十五")


@pytest.fixture(autouse=True)
def chinese():
    set_language("zh_CN")
    yield
    set_language("zh_CN")


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def drills():
    return shipped_drills()


def shipped_files() -> list[Path]:
    return [ROOT / "data" / "questions" / "exam.toml", *sorted((ROOT / "data" / "drills").glob("*.toml"))]


def test_no_shipped_training_text_cites_the_developers_spec():
    for path in shipped_files():
        assert path.read_text(encoding="utf-8").count("DOMAIN") == 0, path.name


def test_every_question_names_known_sources_and_functions(bank):
    idx = index()
    for q in bank:
        assert q.sources, f"{q.id} names no source"
        assert all(idx.knows(s) for s in q.sources), (q.id, q.sources)
        assert q.functions, q.id
        shown = q.explain()
        for s in q.sources:
            assert idx.label(s) in shown, (q.id, s)
        assert "功能 " + "、".join(q.functions) in shown


def test_every_drill_hint_and_check_names_known_sources_and_a_function(drills):
    idx = index()
    for d in drills:
        for n, (hint, step) in enumerate(zip(d.drill.hints, d.solution), 1):
            assert hint.get("sources"), f"{d.id} step {n} names no source"
            assert all(idx.knows(s) for s in hint["sources"]), (d.id, n, hint["sources"])
        for c in d.drill.checks:
            assert c.sources, f"{d.id}/{c.id} names no source"
            assert all(idx.knows(s) for s in c.sources), (d.id, c.id, c.sources)
            assert c.codes, f"{d.id}/{c.id} names no function"
            assert "依据：" in c.explain and "功能 " in c.explain, (d.id, c.id)


def test_a_hint_shows_its_sources_and_its_function(drills):
    d = next(d for d in drills if d.id == "D07")
    hint = DrillSession(d).hint()
    assert "（依据：培训测试题单选第10题；《操作指南》二（二）4；功能 3203）" in hint


def test_an_unknown_source_refuses_the_bank_with_its_field():
    text = ('title = "t"\n[[questions]]\nid = "S01"\nkind = "single"\nquestion = "问？"\n'
            'options = { A = "甲", B = "乙" }\nanswer = "A"\nexplanation = "因为。"\nsources = ["rules 99"]\n')
    with pytest.raises(BankError) as info:
        parse_bank(text)
    assert [(p.line, p.field) for p in info.value.problems] == [(2, "sources")]
    assert "rules 99" in info.value.problems[0].message


def test_labels_in_both_languages():
    idx = index()
    assert idx.label("guide 1.1", "zh_CN") == "《操作指南》一（一）账户体系"
    assert idx.label("guide 2.2.4", "zh_CN") == "《操作指南》二（二）4"
    assert idx.label("rules 10", "zh_CN") == "《实施细则》第十条"
    assert idx.label("faq 4", "zh_CN") == "《常见问题问答》第4问"
    assert idx.label("exam M13", "zh_CN") == "培训测试题多选第13题"
    assert idx.label("usage 2", "en") == "Usage note, part 2 (broker to bank)"
    assert idx.label("guide 1.3", "en") == "Guideline 1(3) Changing the main account"
    assert not idx.knows("exam S16") and not idx.knows("rules 11") and not idx.knows("guide 3")


def test_the_heading_parser_reads_a_small_document_of_each_kind():
    text = ("壹、单选题30分\n\n1、问甲(C)\n\nA.3\n\n2、问乙(A)\n\n二、多项选择题50分\n\n1、问丙(AB)\n\n"
            "三、判断对错题20分\n\n1、问丁。(2)\n\n2.问戊。(1)\n\n售后服务工作流程\n\n"
            "附件1 证券公司开展第三方存管单客户多银行服务 操作指南 一、关于账户体系与账户管理 (一)账户体系。甲。"
            "(二)账户开立。乙。 二、关于协议签署 (一)客户申请时,丙。(二)协议条款: 1、丁; 2、戊;\n\n短标题\n\n"
            "第一章总则 第一条为便利客户。第二条本细则所称。 第二章账户管理 第三条客户只能。\n\n另一标题\n\n"
            "单客户多银行服务常见问题问答 1.问:什么是? 答:是。 2.问:怎样申请? 答:现场。\n\n")
    found = parse_headings(text)
    assert {k for k in found if k.startswith("exam")} == {"exam S01", "exam S02", "exam M01", "exam T01", "exam T02"}
    assert found["guide 1.1"] == "账户体系" and found["guide 1.2"] == "账户开立"
    assert found["guide 2"] == "关于协议签署" and found["guide 2.2.2"].startswith("戊")
    assert found["rules 3"].startswith("客户只能") and found["faq 2"] == "怎样申请"
    idx = parse_index('[documents.exam]\nzh = "x"\nen = "x"\nitems = { S = 2, M = 1, T = 2 }\n'
                      '[[headings]]\nid = "guide 1.2"\nheading = "账户开立"\nen = "Opening"\n'
                      '[[headings]]\nid = "rules 3"\nheading = "客户只能"\nen = "x"\n')
    assert check_index(idx, text) == []
    wrong = parse_index('[documents.exam]\nzh = "x"\nen = "x"\nitems = { S = 3, M = 1, T = 2 }\n'
                        '[[headings]]\nid = "rules 3"\nheading = "客户必须"\nen = "x"\n'
                        '[[headings]]\nid = "faq 9"\nheading = "x"\nen = "x"\n')
    problems = check_index(wrong, text)
    assert len(problems) == 3 and any("faq 9" in p for p in problems) and any("rules 3" in p for p in problems)


def test_the_committed_index_is_true_to_the_users_documents():
    if not DOCUMENT.is_file():
        pytest.skip(f"the user's documents are not beside the checkout ({DOCUMENT}): the shipped data was "
                    "checked against the committed index only")
    text = DOCUMENT.read_text(encoding="utf-8")
    assert check_index(index(), text) == []
    parsed = parse_headings(text)
    assert len([k for k in parsed if k.startswith("exam ")]) == 55


# --------------------------------------------------------------------------- English


def test_every_question_has_its_english(bank):
    assert bank.title_en
    for q in bank:
        assert q.en.get("question") and q.en.get("explanation"), q.id
        if q.options:
            assert sorted(q.en.get("options", {})) == list(q.letters), q.id


def test_the_exam_in_english_has_no_chinese(bank):
    set_language("en")
    assert not CJK.search(bank.heading)
    for q in bank:
        said = " ".join([q.text(), q.explain(), *(text for _letter, text in q.choices())])
        assert not CJK.search(said), (q.id, CJK.findall(said))


def test_every_drill_text_has_its_english(drills):
    for d in drills:
        assert d.drill.texts.get("title_en") and d.drill.texts.get("task_en"), d.id
        assert all(h.get("hint_en") for h in d.drill.hints), d.id
        assert all(c.texts.get("explain_en") for c in d.drill.checks), d.id


def test_drills_in_english_have_no_chinese_but_the_clients_names(drills):
    set_language("en")
    for d in drills:
        session = None
        texts = [d.drill.title, d.drill.task, *(c.explain for c in d.drill.checks)]
        from teller.training.drills import hint_text

        texts += [hint_text(h, s.op) for h, s in zip(d.drill.hints, d.solution)]
        for text in texts:
            left = NAMES.sub("", text)
            assert not CJK.search(left), (d.id, CJK.findall(left), text)
        del session
