"""9103 培训演练 on the counter: the training menu, the exam, practice and the class report.

The exam and practice are one screen each, one item at a time, typed at the keyboard; results go
through the 9103 function to the branch store. Drills run in the counter frame itself, on a
sandbox store (screens/drill.py).
"""

from __future__ import annotations

import random
from datetime import datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from teller.i18n import N_, _
from teller.screens.keymap import TranslatedBindings, bindings
from teller.screens.legend import KeyLegend
from teller.screens.views import FunctionView, register_view

ENTRIES = (
    ("exam", N_("考试：限时答卷，交卷后评分并回顾错题")),
    ("practice", N_("练习：一题一答，当即讲解，答错的题多出现")),
    ("guided", N_("引导演练：在柜台上办一笔业务，F1 看提示，做错一步当即提醒")),
    ("graded", N_("评分演练：在柜台上办一笔业务，结束后逐项评分")),
    ("report", N_("成绩报告：学员成绩与全班最常错的题目、检查项")),
)
KIND_TITLES = {"single": N_("单选题"), "multiple": N_("多选题"), "truefalse": N_("判断题")}


@register_view("9103")
class TrainingView(FunctionView):
    def compose(self) -> ComposeResult:
        yield Static(_("选择培训项目：↑ ↓ 移动，回车进入"), classes="field-hint", markup=False)
        yield OptionList(*(Option(f"{n}  {_(text)}", id=key) for n, (key, text) in enumerate(ENTRIES, 1)), id="training-menu")

    def first_focus(self) -> OptionList:
        return self.query_one(OptionList)

    def help_text(self) -> str:
        return _("考试与练习用本营业部的题库；演练在一个练习用的沙盒柜台上办理，不影响真实数据。成绩记入本营业部的培训记录。")

    def submit(self) -> None:
        menu = self.query_one(OptionList)
        if menu.highlighted is not None:
            self.open(menu.get_option_at_index(menu.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open(event.option.id)

    def open(self, key: str) -> None:
        if key == "exam":
            self.app.push_screen(ExamScreen())
        elif key == "practice":
            self.app.push_screen(PracticeScreen())
        elif key == "report":
            self.app.push_screen(ReportScreen())
        else:
            self.pick_drill(guided=key == "guided")

    def pick_drill(self, *, guided: bool) -> None:
        from teller.screens.dialogs import LookupDialog
        from teller.training.grading import shipped_drills

        drills = {d.id: d for d in shipped_drills()}
        rows = [(d.id, (d.id, d.drill.title, " ".join(d.drill.questions))) for d in drills.values()]

        def start(drill_id: str | None) -> None:
            if drill_id:
                from teller.screens.drill import start_drill

                start_drill(self.app, drills[drill_id], guided=guided)

        self.app.push_screen(LookupDialog(_("选择演练"), (_("编号"), _("演练"), _("对应试题")),
                                          lambda text: [r for r in rows if text in " ".join(r[1])]), start)


def record(app, params: dict) -> str:  # noqa: ANN001
    """Store a result through 9103, as the signed-on teller; the message to show."""
    outcome = app.counter.run("9103", params, app.context())
    return outcome.message if outcome.ok else f"✘ [{outcome.rule}] {outcome.message}"


def question_text(q, n: int, total: int, extra: str = "") -> Text:  # noqa: ANN001
    head = _("第 {n}/{total} 题  {id}  {kind}（{points} 分）").format(
        n=n, total=total, id=q.id, kind=_(KIND_TITLES[q.kind]), points=f"{q.points:g}")
    text = Text(head + (f"  {extra}" if extra else ""), style="bold")
    text.append("\n\n" + q.question + "\n")
    for letter, option in q.options:
        text.append(f"\n  {letter}. {option}")
    if q.kind == "truefalse":
        text.append("\n  " + _("（答“对”或“错”，也可输入 1 或 2）"))
    return text


def review_table(wrong) -> Table:  # noqa: ANN001
    from teller.training.exam import show_answer

    table = Table(title=_("错题回顾"), title_justify="left", show_lines=True, expand=True)
    for head, ratio in ((_("题号"), 1), (_("你的答案"), 2), (_("正确答案"), 2), (_("解析"), 8)):
        table.add_column(head, ratio=ratio, overflow="fold")
    for item in wrong:
        q = item.question
        table.add_row(q.id, show_answer(q, item.given), show_answer(q, q.answer),
                      q.explanation + (_("（演练 {d}）").format(d=q.drill) if q.drill else ""))
    return table


class QuizScreen(TranslatedBindings, Screen[None]):
    """One item at a time: the item above, the answer field below, the message line, the keys."""

    BINDINGS = bindings("leave", "submit")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="quiz-body"):
            yield Static("", id="quiz-item", markup=False)
        yield Input(id="answer", compact=True)
        yield Static("", id="message", markup=False)
        yield KeyLegend()

    def on_mount(self) -> None:
        from teller.training.bank import load_bank

        self.bank = load_bank()
        box = self.query_one("#answer", Input)
        box.cursor_blink = False
        box.focus()
        self.begin()

    def clock(self) -> datetime:
        return self.app.now or datetime.now()

    def show(self, renderable) -> None:  # noqa: ANN001
        self.query_one("#quiz-item", Static).update(renderable)

    def say(self, text: str, kind: str = "info") -> None:
        msg = self.query_one("#message", Static)
        msg.update(text)
        msg.set_classes(f"-{kind}")

    def ask(self, q) -> str | bool | None:  # noqa: ANN001
        """The typed answer, or None after telling the trainee what an answer looks like."""
        from teller.training.exam import AnswerError, parse_answer

        box = self.query_one("#answer", Input)
        try:
            given = parse_answer(q, box.value)
        except AnswerError as e:
            self.say(str(e), "error")
            return None
        box.value = ""
        return given

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def begin(self) -> None:
        raise NotImplementedError

    def action_submit(self) -> None:
        raise NotImplementedError

    def action_leave(self) -> None:
        self.dismiss(None)


class ExamScreen(QuizScreen):
    """Setup (how many items, how many minutes), the timed paper, then the score and the review."""

    def begin(self) -> None:
        self.stage, self.count, self.sitting, self.index = "count", None, None, 0
        self.show(Text(_("考试：请输入题数（1–{n}，回车为整卷 {n} 题）").format(n=len(self.bank))))
        self.say(_("回车确认；F3 退出"))

    def action_submit(self) -> None:
        box = self.query_one("#answer", Input)
        if self.stage == "count":
            text = box.value.strip()
            if text and not (text.isdigit() and 1 <= int(text) <= len(self.bank)):
                self.say(_("题数应为 1 到 {n} 之间的整数").format(n=len(self.bank)), "error")
                return
            self.count, box.value, self.stage = int(text) if text else None, "", "minutes"
            self.show(Text(_("限时多少分钟？（回车为 60 分钟）")))
        elif self.stage == "minutes":
            text = box.value.strip()
            if text and not (text.isdigit() and int(text) >= 1):
                self.say(_("限时应为正整数（分钟）"), "error")
                return
            box.value = ""
            self.start(int(text) if text else 60)
        elif self.stage == "paper":
            q = self.sitting.questions[self.index]
            if box.value.strip():
                given = self.ask(q)
                if given is None:
                    return
                if not self.sitting.answer(q.id, given):
                    self.hand_in()
                    return
            self.index += 1
            if self.index >= len(self.sitting.questions):
                self.hand_in()
            else:
                self.show_item()

    def start(self, minutes: int) -> None:
        from teller.training.exam import Exam, select_items

        items = select_items(self.bank.questions, self.count, random.Random())
        self.sitting = Exam(items, minutes=minutes, clock=self.clock)
        self.stage, self.index = "paper", 0
        self.timer = self.set_interval(1.0, self.tick)
        self.show_item()

    def remaining(self) -> str:
        s = int(self.sitting.remaining().total_seconds())
        return _("剩余时间 {t}").format(t=f"{s // 60:02d}:{s % 60:02d}")

    def show_item(self) -> None:
        q = self.sitting.questions[self.index]
        self.show(question_text(q, self.index + 1, len(self.sitting.questions), self.remaining()))
        self.say(_("输入答案后回车（直接回车跳过此题）；F3 交卷"))

    def tick(self) -> None:
        if self.stage != "paper":
            return
        if self.sitting.expired:
            self.hand_in()
        else:
            self.show_item() if self.query_one("#answer", Input).value == "" else None

    def hand_in(self) -> None:
        from teller.training.results import exam_params

        self.stage = "done"
        self.timer.stop()
        result = self.sitting.finish()
        summary = Text(_("得分 {score} / {total}，答对 {right} 题，答错或未答 {wrong} 题").format(
            score=f"{result.score:g}", total=f"{result.total:g}", right=len(result.items) - len(result.wrong),
            wrong=len(result.wrong)), style="bold")
        if result.timed_out:
            summary.append("  " + _("（时间到，自动交卷）"))
        self.show(Group(summary, review_table(result.wrong)) if result.wrong else summary)
        self.query_one("#answer", Input).disabled = True
        self.say(record(self.app, exam_params(result, self.bank.title)) + "  " + _("F3 返回"), "ok")

    def action_leave(self) -> None:
        if self.stage == "paper":
            self.hand_in()
        else:
            self.dismiss(None)


class PracticeScreen(QuizScreen):
    """Marked at once; the items this trainee missed before come back more often."""

    def begin(self) -> None:
        from teller.services.training import practice_history
        from teller.training.exam import Practice

        history = practice_history(self.app.engine, self.app.signed_on.teller_id)
        self.session = Practice(self.bank.questions, rng=random.Random(), history=history, clock=self.clock)
        self.stage = "item"
        self.next_item()

    def next_item(self) -> None:
        q = self.session.next()
        self.stage = "item"
        self.show(question_text(q, len(self.session.answered) + 1, len(self.session.answered) + 1))
        self.say(_("输入答案后回车；F3 结束练习"))

    def action_submit(self) -> None:
        from teller.training.exam import show_answer

        if self.stage == "feedback":
            self.next_item()
            return
        q = self.session.current
        given = self.ask(q)
        if given is None:
            return
        fb = self.session.answer(given)
        verdict = Text(_("✓ 正确") if fb.correct else _("✗ 错误，正确答案：{a}").format(a=show_answer(q, q.answer)),
                       style="bold green" if fb.correct else "bold red")
        verdict.append("\n\n" + q.explanation)
        if q.drill and not fb.correct:
            verdict.append("\n\n" + _("可做演练 {d} 练习这项操作").format(d=q.drill))
        self.show(Group(question_text(q, len(self.session.answered), len(self.session.answered)), Text(""), verdict))
        self.stage = "feedback"
        self.say(_("回车下一题；F3 结束练习"))

    def action_leave(self) -> None:
        from teller.training.results import practice_params

        if self.session.answered and self.stage != "done":
            self.stage = "done"
            self.say(record(self.app, practice_params(self.session, self.bank.title, self.clock())), "ok")
        self.dismiss(None)


class ReportScreen(TranslatedBindings, Screen[None]):
    """The trainer's view: each trainee, and bar charts of what the class misses most."""

    BINDINGS = bindings("leave", "refresh")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report-body"):
            yield Static("", id="report", markup=False)
        yield Static(_("F5 刷新，F3 返回"), id="message", markup=False)
        yield KeyLegend()

    def on_mount(self) -> None:
        self.action_refresh()
        self.query_one("#report-body").focus()

    def action_refresh(self) -> None:
        from teller.services.training import answers, attempts
        from teller.training.bank import load_bank
        from teller.training.grading import shipped_drills
        from teller.training.report import labels, render, summarize

        questions, checks = labels(load_bank(), [d.drill for d in shipped_drills()])
        summary = summarize(attempts(self.app.engine), answers(self.app.engine), questions=questions, checks=checks)
        self.query_one("#report", Static).update(Group(*render(summary)))

    def action_leave(self) -> None:
        self.dismiss(None)
