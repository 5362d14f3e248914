"""9103 at the keyboard: an exam of five items sat and reviewed, and a complete drill in guided
mode (F1 hint, the function done on the sandbox counter, F3 to grade), each result stored in the
branch's training records; a wrong step warned about at once."""

from __future__ import annotations

import re

import pytest

from screenkit import SIZE, app_for, demo_template, engine, open_code, screen_text, submit, tick, type_in  # noqa: F401
from teller.domain import papers as P
from teller.screens.counter import CounterScreen
from teller.services.training import answers, attempts
from teller.training.bank import load_bank

pytestmark = pytest.mark.asyncio


def item_text(app) -> str:  # noqa: ANN001
    from textual.widgets import Static

    return str(app.screen.query_one("#quiz-item", Static).render())


async def wait_for(pilot, text: str, tries: int = 100) -> str:  # noqa: ANN001
    """The screen once it shows `text` (results are stored off the UI thread)."""
    for _ in range(tries):
        shown = screen_text(pilot.app)
        if text in shown:
            return shown
        await pilot.pause(0.05)
    return screen_text(pilot.app)


async def transfer(pilot, frm: str, to: str, amount: str) -> str:  # noqa: ANN001
    """A 3203 at the keyboard, the transfer form ticked; the result line."""
    await open_code(pilot, "3203")
    for value in (frm, to, amount, "", ""):
        if value:
            await type_in(pilot, value)
        await pilot.press("enter")
    await tick(pilot, P.TRANSFER_FORM)
    return await submit(pilot)


def typed(q, right: bool) -> str:  # noqa: ANN001
    if q.kind == "truefalse":
        return "对" if q.answer == right else "错"
    if right:
        return q.answer
    return "B" if q.answer != "B" else "A"


async def test_an_exam_of_five_items_at_the_keyboard(engine):
    bank = load_bank()
    async with app_for(engine, teller="T01").run_test(size=SIZE) as pilot:
        await open_code(pilot, "9103")
        await pilot.press("enter")  # 1 考试
        await pilot.press("enter")  # the shipped bank
        await type_in(pilot, "5")
        await pilot.press("enter")
        await pilot.press("enter")  # 60 minutes
        seen = []
        for n in range(5):
            text = item_text(pilot.app)
            assert f"第 {n + 1}/5 题" in text and "剩余时间 60:00" in text
            q = bank.by_id(re.search(r"题  ([SMT]\d\d)  ", text).group(1))
            seen.append(q)
            await type_in(pilot, typed(q, right=n != 0))  # the first one wrong
            await pilot.press("enter")
        result = screen_text(pilot.app)
        total = sum(q.points for q in seen)
        assert f"得分 {total - seen[0].points:g} / {total:g}" in result
        assert "错题回顾" in screen_text(pilot.app) and seen[0].id in result
        assert "已记录 T01 的考试成绩" in await wait_for(pilot, "已记录")
        await pilot.press("f3")
        assert isinstance(pilot.app.screen, CounterScreen)
    (exam,) = [a for a in attempts(engine) if a.kind == "exam"]
    assert (exam.trainee, exam.score, exam.total) == ("T01", total - seen[0].points, total)
    missed = {b.item for a, b in answers(engine) if a.id == exam.id and not b.correct}
    assert missed == {seen[0].id}


async def open_drill(pilot, drill_id: str) -> None:  # noqa: ANN001
    await open_code(pilot, "9103")
    await pilot.press("down", "down", "enter")  # 3 引导演练
    await type_in(pilot, drill_id)
    await pilot.press("enter")
    await wait_for(pilot, f"演练 {drill_id} ")  # the sandbox is seeded off the UI thread


async def test_a_guided_drill_from_hint_to_full_marks(engine):
    branch_engine = engine
    async with app_for(engine, teller="T01").run_test(size=SIZE) as pilot:
        await open_drill(pilot, "D07")
        app = pilot.app
        assert app.engine is not branch_engine  # the sandbox
        assert "演练 D07" in screen_text(app) and "引导模式" in screen_text(app)
        await pilot.press("f1")
        assert "3203" in screen_text(app) and "88000100101" in screen_text(app)  # the next step
        await pilot.press("enter")
        assert (await transfer(pilot, "88000100101", "880001001", "2000")).startswith("✔")
        assert "⚠" not in screen_text(app)
        await pilot.press("f1")
        assert "都已办完" in screen_text(app)
        await pilot.press("enter", "f3", "f3")  # close the hint, leave 3203, end the drill
        await pilot.press("enter")  # confirm
        await pilot.pause()
        text = await wait_for(pilot, "已记录")
        assert "得分 5 / 5" in text and "通过" in text
        assert app.engine is branch_engine  # the branch store again
        await pilot.press("f3")
        assert isinstance(app.screen, CounterScreen)
    (drill,) = [a for a in attempts(engine) if a.kind == "drill"]
    assert (drill.trainee, drill.subject, drill.passed, drill.score) == ("T01", "D07", True, 5.0)
    # Nothing the trainee did reached the branch's own client 880001.
    from screenkit import accounts

    assert all(a["cash"] != "3000.00" or no != "880001001" for no, a in accounts(engine, "880001").items())


async def test_a_wrong_step_is_warned_at_once_and_graded_at_the_end(engine):
    async with app_for(engine, teller="T01").run_test(size=SIZE) as pilot:
        await open_drill(pilot, "D07")
        app = pilot.app
        await open_code(pilot, "3204")
        for value in ("880001", ""):
            if value:
                await type_in(pilot, value)
            await pilot.press("enter")
        await tick(pilot, P.TRANSFER_FORM)
        await submit(pilot)
        assert "⚠" in screen_text(app) and "依据" in screen_text(app)
        await pilot.press("f3", "f3", "enter")
        await pilot.pause()
        await wait_for(pilot, "已记录")
        assert "未通过" in screen_text(app) and "no-collect" in screen_text(app)
    (drill,) = [a for a in attempts(engine) if a.kind == "drill"]
    assert not drill.passed and drill.score == 0


async def test_a_trainer_records_a_drill_at_the_counter(engine, tmp_path, monkeypatch):
    """9103 → 录制演练 on the demo branch, one 3203 at the counter, F3: the drill file grades its
    own run full marks; the branch's own store is untouched."""
    from teller.training.grading import grade_steps, load_drill
    from teller.scenario import parse_steps

    monkeypatch.setenv("TELLER_DRILL_DIR", str(tmp_path))
    branch_engine = engine
    async with app_for(engine, teller="TR01").run_test(size=SIZE) as pilot:
        await open_code(pilot, "9103")
        await pilot.press("down", "down", "down", "down", "enter")  # 5 录制演练
        await pilot.press("enter")  # the demo branch
        await wait_for(pilot, "录制演练（起始状态")
        app = pilot.app
        assert app.engine is not branch_engine and "录制演练" in screen_text(app)
        assert (await transfer(pilot, "88000200101", "880002001", "100")).startswith("✔")
        assert "已录制 1 步：3203" in screen_text(app)
        await pilot.press("f3", "f3", "enter")  # leave 3203, stop, confirm
        text = await wait_for(pilot, "演练文件已写出")
        assert "演练文件已写出" in text and "used-3203" in text
        assert app.engine is branch_engine
        await pilot.press("f3")
        assert isinstance(app.screen, CounterScreen)
    (path,) = tmp_path.glob("D*-recorded.toml")
    steps = parse_steps(path.read_text(encoding="utf-8"), str(path), table="solution", others_allowed=True)
    grade, _ran = grade_steps(load_drill(path), steps)
    assert grade.passed and grade.total >= 4


async def test_9103_lists_the_shipped_and_the_imported_banks(engine):
    from screenkit import call

    bank = ('title = "分行自编题"\ntitle_en = "Branch quiz"\n[[questions]]\nid = "S01"\nkind = "single"\n'
            'question = "主资金账户有几个？"\noptions = { A = "1 个", B = "2 个" }\nanswer = "A"\n'
            'explanation = "只有一个。"\nsources = ["rules 7"]\nfunctions = ["3202"]\n')
    assert call(engine, "training", teller="TR01", action="import_bank", name="mine", text=bank).ok
    async with app_for(engine, teller="T01").run_test(size=SIZE) as pilot:
        await open_code(pilot, "9103")
        await pilot.press("enter")  # 1 考试
        text = await wait_for(pilot, "导入题库 mine")
        assert "1  单客户多银行服务业务培训测试（本系统自带，55 题）" in text
        assert "2  分行自编题（导入题库 mine，1 题，TR01 导入）" in text
        await type_in(pilot, "2")
        await pilot.press("enter", "enter", "enter")  # the bank, the whole paper, 60 minutes
        text = item_text(pilot.app)
        assert "第 1/1 题" in text and "主资金账户有几个？" in text
        await type_in(pilot, "A")
        await pilot.press("enter")
        assert "得分 2 / 2" in await wait_for(pilot, "已记录")
    (exam,) = [a for a in attempts(engine) if a.kind == "exam"]
    assert exam.subject == "分行自编题"
