"""Exam and practice (9103 培训演练), as pure Python with an injectable clock and RNG.

Exam: timed, scored as the user's exam is (2 points a single, 2.5 a multiple with all-or-nothing,
1 a true/false: the bank's points), a review at the end with each wrong item's explanation.
Practice: one item at a time with immediate feedback; items the trainee missed come back more often
(Leitner boxes: a miss sends an item to box 1, a right answer moves it one box up, and box 1 is drawn
sixteen times as often as box 5).
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable, Sequence

from teller.i18n import _
from teller.training.bank import Question, score

Clock = Callable[[], datetime]
DEFAULT_MINUTES = 60  # the user's exam states no time; a trainer sets another with --minutes

_TRUE = {"对", "是", "√", "✓", "t", "true", "y", "yes", "1"}
_FALSE = {"错", "否", "×", "✗", "x", "f", "false", "n", "no", "0", "2"}  # the exam writes 是 as (1), 否 as (2)


class AnswerError(ValueError):
    """What the trainee typed is not an answer to this item; the message says what is expected."""


def parse_answer(q: Question, text: str) -> str | bool:
    """The trainee's typed answer as `score()` takes it: letters ("ABD") or a bool."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if q.kind == "truefalse":
        word = raw.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise AnswerError(_("判断题请答“对”或“错”（也可输入 1 或 2）"))
    letters = re.sub(r"[\s,，、;；/]+", "", raw).upper()
    if not letters or any(ch not in q.letters for ch in letters) or len(set(letters)) != len(letters):
        raise AnswerError(_("请输入选项字母：{letters}").format(letters=" ".join(q.letters)))
    if q.kind == "single" and len(letters) != 1:
        raise AnswerError(_("单选题只能选一个字母"))
    return "".join(sorted(letters))


def show_answer(q: Question, given: str | bool | None) -> str:
    if given is None:
        return _("（未作答）")
    if isinstance(given, bool):
        return _("对") if given else _("错")
    return given


def select_items(questions: Sequence[Question], count: int | None = None, rng: random.Random | None = None) -> list[Question]:
    """The whole bank in its order, or `count` items drawn at random and shown in bank order."""
    if count is None or count >= len(questions):
        return list(questions)
    picked = set((rng or random.Random()).sample(range(len(questions)), count))
    return [q for i, q in enumerate(questions) if i in picked]


@dataclass(frozen=True)
class ItemResult:
    question: Question
    given: str | bool | None
    earned: float

    @property
    def correct(self) -> bool:
        return self.earned >= self.question.points


@dataclass(frozen=True)
class ExamResult:
    items: tuple[ItemResult, ...]
    started: datetime
    finished: datetime
    timed_out: bool

    @property
    def score(self) -> float:
        return float(sum(i.earned for i in self.items))

    @property
    def total(self) -> float:
        return float(sum(i.question.points for i in self.items))

    @property
    def wrong(self) -> tuple[ItemResult, ...]:
        """The review: every item not answered right, in exam order, each with its explanation."""
        return tuple(i for i in self.items if not i.correct)


class Exam:
    """A timed sitting. Answers can be changed until the time is up; after that none is taken."""

    def __init__(self, questions: Sequence[Question], *, minutes: float = DEFAULT_MINUTES, clock: Clock = datetime.now) -> None:
        if not questions:
            raise ValueError("an exam needs at least one item")
        self.questions = tuple(questions)
        self.clock = clock
        self.started = clock()
        self.deadline = self.started + timedelta(minutes=minutes)
        self.answers: dict[str, str | bool] = {}
        self._finished: ExamResult | None = None

    def remaining(self) -> timedelta:
        return max(timedelta(0), self.deadline - self.clock())

    @property
    def expired(self) -> bool:
        return self.clock() >= self.deadline

    def answer(self, qid: str, given: str | bool) -> bool:
        """Record an answer; False (and nothing recorded) once the time is up or the exam handed in."""
        if self._finished is not None or self.expired:
            return False
        q = next(q for q in self.questions if q.id == qid)
        score(q, given)  # raises TypeError on an answer of the wrong shape
        self.answers[qid] = given
        return True

    def finish(self) -> ExamResult:
        if self._finished is None:
            now = self.clock()
            timed_out = now >= self.deadline
            items = tuple(ItemResult(q, self.answers.get(q.id), score(q, self.answers.get(q.id))) for q in self.questions)
            self._finished = ExamResult(items, self.started, min(now, self.deadline), timed_out)
        return self._finished


# --------------------------------------------------------------------------- practice

BOXES = 5
WEIGHTS = {1: 16, 2: 8, 3: 4, 4: 2, 5: 1}


@dataclass
class Leitner:
    """Which item comes next: weighted by box, never the same item twice running."""

    ids: list[str]
    rng: random.Random
    boxes: dict[str, int] = field(default_factory=dict)
    last: str | None = None

    def __post_init__(self) -> None:
        for qid in self.ids:
            self.boxes.setdefault(qid, 1)

    def record(self, qid: str, correct: bool) -> None:
        self.boxes[qid] = min(self.boxes.get(qid, 1) + 1, BOXES) if correct else 1

    def weight(self, qid: str) -> int:
        return WEIGHTS[self.boxes.get(qid, 1)]

    def pick(self) -> str:
        pool = [q for q in self.ids if q != self.last] or list(self.ids)
        choice = self.rng.choices(pool, weights=[self.weight(q) for q in pool])[0]
        self.last = choice
        return choice

    @classmethod
    def from_history(cls, ids: list[str], history: Iterable[tuple[str, bool]], rng: random.Random) -> "Leitner":
        """Boxes rebuilt from the trainee's earlier answers, oldest first, so a new session starts
        with the items they missed last time."""
        box = cls(ids, rng)
        for qid, correct in history:
            if qid in box.boxes:
                box.record(qid, correct)
        return box


@dataclass(frozen=True)
class Feedback:
    question: Question
    given: str | bool
    earned: float
    at: datetime

    @property
    def correct(self) -> bool:
        return self.earned >= self.question.points


class Practice:
    """One item at a time; each answer is marked at once and its explanation shown."""

    def __init__(self, questions: Sequence[Question], *, rng: random.Random | None = None,
                 history: Iterable[tuple[str, bool]] = (), clock: Clock = datetime.now) -> None:
        self.questions = {q.id: q for q in questions}
        self.scheduler = Leitner.from_history(list(self.questions), history, rng or random.Random())
        self.clock = clock
        self.started = clock()
        self.current: Question | None = None
        self.answered: list[Feedback] = []

    def next(self) -> Question:
        self.current = self.questions[self.scheduler.pick()]
        return self.current

    def answer(self, given: str | bool) -> Feedback:
        if self.current is None:
            raise RuntimeError("no item drawn: call next() first")
        q = self.current
        fb = Feedback(q, given, score(q, given), self.clock())
        self.scheduler.record(q.id, fb.correct)
        self.answered.append(fb)
        self.current = None
        return fb

    @property
    def score(self) -> float:
        return float(sum(f.earned for f in self.answered))

    @property
    def total(self) -> float:
        return float(sum(f.question.points for f in self.answered))
