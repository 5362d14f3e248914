"""How the exam looks, for both front-ends: the counter's 9103 screens and `teller exam`.

One module builds the item as the trainee reads it, the paper's opening line, the score line, the
review of wrong items, practice feedback and the list of banks to choose from, as rich renderables
and plain strings, so that the counter and the command line cannot drift apart. Everything is in
the current language: the bank's English where it has it, the catalog's for our own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from rich.table import Table
from rich.text import Text

from teller.i18n import N_, _
from teller.training.bank import Question, QuestionBank
from teller.training.exam import ExamResult, Feedback, ItemResult, show_answer

KIND_TITLES = {"single": N_("单选题"), "multiple": N_("多选题"), "truefalse": N_("判断题")}
SHIPPED = ""  # the key of the shipped bank among the banks offered


def item_head(q: Question, n: int, total: int, extra: str = "") -> str:
    head = _("第 {n}/{total} 题  {id}  {kind}（{points} 分）").format(
        n=n, total=total, id=q.id, kind=_(KIND_TITLES[q.kind]), points=f"{q.points:g}")
    return f"{head}  {extra}" if extra else head


def question_text(q: Question, n: int, total: int, extra: str = "", *, answer_hint: bool = True) -> Text:
    """The item as the trainee reads it: its head line, the question, the options."""
    text = Text(item_head(q, n, total, extra), style="bold")
    text.append("\n\n" + q.text() + "\n")
    for letter, option in q.choices():
        text.append(f"\n  {letter}. {option}")
    if q.kind == "truefalse" and answer_hint:
        text.append("\n  " + _("（答“对”或“错”，也可输入 1 或 2）"))
    return text


def opening_line(bank: QuestionBank, questions: Sequence[Question], minutes: float) -> str:
    return _("{title}：共 {n} 题，满分 {total} 分，限时 {m} 分钟").format(
        title=bank.heading, n=len(questions), total=f"{sum(q.points for q in questions):g}", m=f"{minutes:g}")


def score_line(result: ExamResult) -> str:
    line = _("得分 {score} / {total}，答对 {right} 题，答错或未答 {wrong} 题").format(
        score=f"{result.score:g}", total=f"{result.total:g}", right=len(result.items) - len(result.wrong),
        wrong=len(result.wrong))
    if result.timed_out:
        line += "  " + _("（时间到，自动交卷）")
    return line


def explanation(q: Question) -> str:
    """The explanation with its sources, and the drill that practises it."""
    return q.explain() + (_("（演练 {d}）").format(d=q.drill) if q.drill else "")


def review_table(wrong: Iterable[ItemResult], *, expand: bool = False) -> Table:
    """Every item not answered right: the trainee's answer, the key, and why, with its source."""
    table = Table(title=_("错题回顾"), title_justify="left", show_lines=True, expand=expand)
    for head, ratio in ((_("题号"), 1), (_("你的答案"), 2), (_("正确答案"), 2), (_("解析"), 8)):
        table.add_column(head, ratio=ratio if expand else None, overflow="fold")
    for item in wrong:
        q = item.question
        table.add_row(q.id, show_answer(q, item.given), show_answer(q, q.answer), explanation(q))
    return table


def feedback(fb: Feedback) -> Text:
    """Practice: right or wrong at once, the key, the explanation, and a drill to try."""
    q = fb.question
    verdict = Text(_("✓ 正确") if fb.correct else _("✗ 错误，正确答案：{a}").format(a=show_answer(q, q.answer)),
                   style="bold" if fb.correct else "bold reverse")
    verdict.append("\n\n" + q.explain(), style="")
    if q.drill and not fb.correct:
        verdict.append("\n\n" + _("可做演练 {d} 练习这项操作：teller drill show {d}").format(d=q.drill))
    return verdict


def practice_line(answered: Sequence[Feedback]) -> str:
    return _("本次练习 {n} 题，答对 {right} 题").format(n=len(answered), right=sum(f.correct for f in answered))


@dataclass(frozen=True)
class BankChoice:
    """A bank a trainee can sit: the shipped one (key "") or one a trainer imported (its name)."""

    key: str
    title: str
    items: int
    imported_by: str = ""

    def label(self) -> str:
        if not self.key:
            return _("{title}（本系统自带，{n} 题）").format(title=self.title, n=self.items)
        return _("{title}（导入题库 {name}，{n} 题，{who} 导入）").format(
            title=self.title, name=self.key, n=self.items, who=self.imported_by)


def bank_choices(shipped: QuestionBank, imported: Iterable) -> list[BankChoice]:  # noqa: ANN001
    """The shipped bank first, then each imported bank (TrainingBank rows) by name."""
    rows = [BankChoice(SHIPPED, shipped.heading, len(shipped))]
    rows += [BankChoice(r.name, r.title, r.items, r.imported_by) for r in imported]
    return rows
