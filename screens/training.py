"""9103 培训演练 on the counter: the training menu, the exam, practice and the class report.

The exam and practice are one screen each, one item at a time, typed at the keyboard; results go
through the 9103 function to the branch store. Drills run in the counter frame itself, on a
sandbox store (screens/drill.py).
"""

from __future__ import annotations

import random
from datetime import datetime

from rich.console import Group
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
from teller.screens.widgets import MarkedOptionList
from teller.screens.textbox import TextBox

ENTRIES = (
    ("exam", N_("考试：限时答卷，交卷后评分并回顾错题")),
    ("practice", N_("练习：一题一答，当即讲解，答错的题多出现")),
    ("guided", N_("引导演练：在柜台上办一笔业务，F1 看提示，做错一步当即提醒")),
    ("graded", N_("评分演练：在柜台上办一笔业务，结束后逐项评分")),
    ("record", N_("录制演练：培训师在沙盒柜台上办一遍，生成演练文件")),
    ("report", N_("成绩报告：学员成绩与全班最常错的题目、检查项")),
    ("analysis", N_("试题分析：每题的通过率、区分度、各选项占比，演练检查项的未做到率")),
)


def in_background(node, work, done) -> None:  # noqa: ANN001
    """Run `work()` (the store's business) in a worker thread, then `done(result)` on the UI
    thread; an exception is handed to `done` as the result. The screen never waits on the store."""

    def run() -> None:
        try:
            result = work()
        except Exception as e:  # noqa: BLE001 - shown to the trainer, not swallowed
            result = e
        node.app.call_from_thread(done, result)

    node.run_worker(run, thread=True, exit_on_error=False, group="training")


@register_view("9103")
class TrainingView(FunctionView):
    def compose(self) -> ComposeResult:
        yield Static(_("选择培训项目：↑ ↓ 移动，回车进入"), classes="field-hint", markup=False)
        yield MarkedOptionList(*(Option(f"{n}  {_(text)}", id=key) for n, (key, text) in enumerate(ENTRIES, 1)), id="training-menu")

    def first_focus(self) -> OptionList:
        return self.query_one(OptionList)

    def help_text(self) -> str:
        return _("题库可选自带的或培训师导入的；演练和录制在沙盒柜台上办理，不影响真实数据；成绩记入本营业部的培训记录。")

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
        elif key in ("report", "analysis"):
            self.app.push_screen(ReportScreen(items=key == "analysis"))
        elif key == "record":
            self.app.push_screen(RecordSetupScreen())
        else:
            self.pick_drill(guided=key == "guided")

    def pick_drill(self, *, guided: bool) -> None:
        from teller.screens.dialogs import LookupDialog
        from teller.training.grading import shipped_drills
        from teller.training.recording import recorded_drills

        drills = {d.id: d for d in shipped_drills()}
        recorded = {f"{d.id}*": d for d in recorded_drills()}  # * marks a drill recorded at this counter
        drills.update(recorded)
        rows = [(key, (key, d.drill.title, " ".join(d.drill.questions))) for key, d in drills.items()]

        def start(drill_id: str | None) -> None:
            if drill_id:
                from teller.screens.drill import start_drill

                start_drill(self, drills[drill_id], guided=guided)

        self.app.push_screen(LookupDialog(_("选择演练（* 为本柜台录制的演练）") if recorded else _("选择演练"),
                                          (_("编号"), _("演练"), _("对应试题")),
                                          lambda text: [r for r in rows if text.upper() in " ".join(r[1]).upper()]), start)


def record(node, params: dict, done) -> None:  # noqa: ANN001
    """Store a result through 9103 as the signed-on teller, off the UI thread; `done(message)`."""
    app = node.app
    counter, ctx = app.counter, app.context()

    def said(outcome) -> None:  # noqa: ANN001
        if isinstance(outcome, Exception):
            done(f"✘ {outcome}")
        else:
            done(outcome.message if outcome.ok else f"✘ [{outcome.rule}] {outcome.message}")

    in_background(node, lambda: counter.run("9103", params, ctx), said)


class QuizScreen(TranslatedBindings, Screen[None]):
    """One item at a time: the item above, the answer field below, the message line, the keys.
    First the bank: the shipped one, or one a trainer imported (listed as they are read)."""

    BINDINGS = bindings("leave", "submit")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="quiz-body"):
            yield Static("", id="quiz-item", markup=False)
        yield TextBox(id="answer", compact=True)
        yield Static("", id="message", markup=False)
        yield KeyLegend()

    def on_mount(self) -> None:
        from teller.training.bank import load_bank
        from teller.training.present import bank_choices

        self.shipped = self.bank = load_bank()
        self.choices = bank_choices(self.shipped, [])
        self.loaded = False
        self.stage = "bank"
        box = self.query_one("#answer", Input)
        box.cursor_blink = False
        box.focus()
        self.show_banks()
        in_background(self, self.read_banks, self.banks_read)

    # --- the bank -----------------------------------------------------------------------------
    def read_banks(self) -> list:
        """In the worker: every imported bank, parsed."""
        from teller.services.training import parsed_banks

        return parsed_banks(self.app.engine)

    def banks_read(self, found) -> None:  # noqa: ANN001
        from teller.training.present import bank_choices

        self.loaded = True
        if isinstance(found, Exception):
            self.say(_("读不了已导入的题库：{e}").format(e=found), "error")
            return
        self.imported = {row.name: bank for row, bank in found}
        self.choices = bank_choices(self.shipped, [row for row, _bank in found])
        if self.stage == "bank":
            self.show_banks()

    def show_banks(self) -> None:
        text = Text(_("选择题库：输入序号后回车（直接回车为第 1 个）"), style="bold")
        for n, choice in enumerate(self.choices, 1):
            text.append(f"\n\n  {n}  {choice.label()}")
        if not self.loaded:
            text.append("\n\n  " + _("（正在读取已导入的题库……）"))
        self.show(text)
        self.say(_("回车确认；F3 退出"))

    def pick_bank(self) -> bool:
        box = self.query_one("#answer", Input)
        text = box.value.strip()
        if text and not (text.isdigit() and 1 <= int(text) <= len(self.choices)):
            self.say(_("没有第 {n} 个题库；请输入 1 到 {m}").format(n=text, m=len(self.choices)) if self.loaded
                     else _("已导入的题库还在读取，请稍候再按回车"), "error" if self.loaded else "warn")
            return False
        choice = self.choices[int(text) - 1 if text else 0]
        self.bank = self.imported[choice.key] if choice.key else self.shipped
        box.value = ""
        self.begin()
        return True

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
        if self.stage == "bank":
            self.pick_bank()
        else:
            self.answer()

    def answer(self) -> None:
        raise NotImplementedError

    def action_leave(self) -> None:
        self.dismiss(None)


class ExamScreen(QuizScreen):
    """The bank, the setup (how many items, how many minutes), the timed paper, then the score
    and the review."""

    def begin(self) -> None:
        self.stage, self.count, self.sitting, self.index = "count", None, None, 0
        self.show(Text(_("考试：{title}\n请输入题数（1–{n}，回车为整卷 {n} 题）").format(title=self.bank.heading, n=len(self.bank))))
        self.say(_("回车确认；F3 退出"))

    def answer(self) -> None:
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
        from teller.training.present import question_text

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
        from teller.training.present import review_table, score_line
        from teller.training.results import exam_params

        self.stage = "done"
        self.timer.stop()
        result = self.sitting.finish()
        summary = Text(score_line(result), style="bold")
        self.show(Group(summary, review_table(result.wrong, expand=True)) if result.wrong else summary)
        self.query_one("#answer", Input).disabled = True
        self.say(_("正在记录成绩……"))
        record(self, exam_params(result, self.bank.title), lambda said: self.say(said + "  " + _("F3 返回"), "ok"))

    def action_leave(self) -> None:
        if self.stage == "paper":
            self.hand_in()
        else:
            self.dismiss(None)


class PracticeScreen(QuizScreen):
    """Marked at once; the items this trainee missed before come back more often."""

    def begin(self) -> None:
        from teller.services.training import practice_history

        engine, who = self.app.engine, self.app.signed_on.teller_id
        self.stage, self.session = "loading", None
        self.show(Text(_("正在读取你以前的作答……")))
        in_background(self, lambda: practice_history(engine, who), self.history_read)

    def history_read(self, history) -> None:  # noqa: ANN001
        from teller.training.exam import Practice

        if isinstance(history, Exception):
            history = []
        self.session = Practice(self.bank.questions, rng=random.Random(), history=history, clock=self.clock)
        self.next_item()

    def next_item(self) -> None:
        from teller.training.present import question_text

        q = self.session.next()
        self.stage = "item"
        self.show(question_text(q, len(self.session.answered) + 1, len(self.session.answered) + 1))
        self.say(_("输入答案后回车；F3 结束练习"))

    def answer(self) -> None:
        from teller.training.present import feedback, question_text

        if self.stage == "loading":
            return
        if self.stage == "feedback":
            self.next_item()
            return
        q = self.session.current
        given = self.ask(q)
        if given is None:
            return
        fb = self.session.answer(given)
        self.show(Group(question_text(q, len(self.session.answered), len(self.session.answered)), Text(""), feedback(fb)))
        self.stage = "feedback"
        self.say(_("回车下一题；F3 结束练习"))

    def action_leave(self) -> None:
        from teller.training.results import practice_params

        if self.session is not None and self.session.answered and self.stage != "done":
            self.stage = "done"
            record(self, practice_params(self.session, self.bank.title, self.clock()), lambda said: self.app.notify(said))
        self.dismiss(None)


class ReportScreen(TranslatedBindings, Screen[None]):
    """The trainer's view: each trainee and bar charts of what the class misses most; or (items)
    the item analysis of every bank and each drill check's miss rate."""

    BINDINGS = bindings("leave", "refresh")

    def __init__(self, *, items: bool = False) -> None:
        super().__init__()
        self.items = items

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report-body"):
            yield Static(_("正在读取培训记录……"), id="report", markup=False)
        yield Static(_("F5 刷新，F3 返回"), id="message", markup=False)
        yield KeyLegend()

    def on_mount(self) -> None:
        self.action_refresh()
        self.query_one("#report-body").focus()

    def action_refresh(self) -> None:
        in_background(self, self.build, self.built)

    def build(self):  # noqa: ANN201 - in the worker: read the records, work the figures out
        from teller.services.training import answers, attempts, parsed_banks
        from teller.training.bank import load_bank
        from teller.training.grading import shipped_drills
        from teller.training.report import labels, render, summarize

        engine = self.app.engine
        drills = [d.drill for d in shipped_drills()]
        if not self.items:
            questions, checks = labels(load_bank(), drills)
            return render(summarize(attempts(engine), answers(engine), questions=questions, checks=checks))
        from teller.training.analysis import analyse, check_rates
        from teller.training.report import bank_keys, bank_options, bank_titles, render_analysis

        banks = [load_bank()] + [bank for _row, bank in parsed_banks(engine)]
        rows = answers(engine)
        options, texts = bank_options(banks)
        stats = analyse(rows, options=options, labels=texts)
        return render_analysis(stats, check_rates(rows, labels(None, drills)[1]), titles=bank_titles(banks),
                               keys=bank_keys(banks))

    def built(self, parts) -> None:  # noqa: ANN001
        if isinstance(parts, Exception):
            self.query_one("#report", Static).update(_("读不了培训记录：{e}").format(e=parts))
            return
        self.query_one("#report", Static).update(Group(*parts))

    def action_leave(self) -> None:
        self.dismiss(None)


class RecordSetupScreen(TranslatedBindings, Screen[None]):
    """Where a recording starts: the demo branch, or a scenario file the trainer names."""

    BINDINGS = bindings("leave", "submit")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="quiz-body"):
            yield Static(Text(_("录制演练：在沙盒柜台上从哪里开始？\n\n"
                                "  回车：示范营业部（data/demo/branch.toml）\n"
                                "  或输入一个场景文件的路径后回车\n\n"
                                "录制时照常办理业务，在菜单上按 F3 结束录制并生成演练文件。")), id="quiz-item", markup=False)
        yield TextBox(id="answer", compact=True)
        yield Static(_("回车开始；F3 退出"), id="message", markup=False)
        yield KeyLegend()

    def on_mount(self) -> None:
        box = self.query_one("#answer", Input)
        box.cursor_blink = False
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        from importlib import resources
        from pathlib import Path

        typed = self.query_one("#answer", Input).value.strip()
        try:
            if typed:
                text, source = Path(typed).expanduser().read_text(encoding="utf-8"), typed
            else:
                text = (resources.files("teller.data") / "demo" / "branch.toml").read_text(encoding="utf-8")
                source = "data/demo/branch.toml"
        except (OSError, UnicodeDecodeError) as e:
            self.query_one("#message", Static).update(_("读不了场景文件 {path}：{e}").format(path=typed, e=e))
            return
        from teller.screens.drill import start_recording

        message = self.query_one("#message", Static)
        message.update(_("正在准备沙盒柜台……"))
        start_recording(self, text, source, lambda problems: message.update("\n".join(problems[:3])))

    def action_leave(self) -> None:
        self.dismiss(None)
