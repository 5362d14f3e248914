"""Exam and practice engines: timing with an injected clock, the exam's scoring, the review, and
the practice scheduler bringing missed items back more often."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest

from teller.training.bank import load_bank
from teller.training.exam import AnswerError, Exam, Leitner, Practice, parse_answer, select_items


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_full_marks_is_100_and_each_kind_scores_as_the_users_exam(bank):
    clock = FakeClock()
    exam = Exam(bank.questions, minutes=60, clock=clock)
    for q in bank:
        assert exam.answer(q.id, q.answer)
    result = exam.finish()
    assert result.score == 100.0 and result.total == 100.0 and result.wrong == ()

    exam = Exam(bank.questions, clock=clock)
    exam.answer("S01", "C")      # right single: 2
    exam.answer("M02", "AB")     # one letter short of ABC: all or nothing, 0
    exam.answer("M04", "DA")     # right, any order: 2.5
    exam.answer("T01", False)    # right true/false: 1
    exam.answer("T02", False)    # wrong: 0
    result = exam.finish()
    assert result.score == 5.5
    wrong = {i.question.id for i in result.wrong}
    assert {"M02", "T02", "S02"} <= wrong and "S01" not in wrong and "M04" not in wrong
    # The review carries each wrong item's explanation, citing its rule.
    m02 = next(i for i in result.wrong if i.question.id == "M02")
    assert "MAIN_CHANGE_BLOCKED" in m02.question.explanation and m02.given == "AB"


def test_no_answer_is_taken_after_the_time_is_up(bank):
    clock = FakeClock()
    items = select_items(bank.questions, 5, random.Random(7))
    exam = Exam(items, minutes=10, clock=clock)
    assert exam.answer(items[0].id, items[0].answer)
    clock.advance(minutes=9, seconds=59)
    assert exam.remaining() == timedelta(seconds=1) and not exam.expired
    clock.advance(seconds=1)
    assert exam.expired and exam.remaining() == timedelta(0)
    assert not exam.answer(items[1].id, items[1].answer)
    result = exam.finish()
    assert result.timed_out and result.finished == exam.deadline
    assert result.score == items[0].points
    assert [i.question.id for i in result.items] == [q.id for q in items]


def test_a_random_selection_is_seeded_and_kept_in_bank_order(bank):
    a = select_items(bank.questions, 5, random.Random(3))
    b = select_items(bank.questions, 5, random.Random(3))
    assert [q.id for q in a] == [q.id for q in b] and len(a) == 5
    order = [q.id for q in bank]
    assert [order.index(q.id) for q in a] == sorted(order.index(q.id) for q in a)


@pytest.mark.parametrize("text, kind, expected", [
    ("c", "S01", "C"), (" Ｃ ", "S01", "C"), ("d, a", "M04", "AD"), ("B、A", "M18", "AB"),
    ("对", "T02", True), ("1", "T02", True), ("错", "T02", False), ("2", "T02", False), ("×", "T02", False),
])
def test_typed_answers(bank, text, kind, expected):
    assert parse_answer(bank.by_id(kind), text) == expected


@pytest.mark.parametrize("text, qid", [("AB", "S01"), ("E", "S01"), ("", "M01"), ("AA", "M01"), ("maybe", "T01")])
def test_typed_answers_that_are_not_answers(bank, text, qid):
    with pytest.raises(AnswerError):
        parse_answer(bank.by_id(qid), text)


def test_missed_items_come_back_more_often():
    ids = [f"Q{i}" for i in range(10)]
    box = Leitner(ids, random.Random(1))
    for qid in ids:
        box.record(qid, qid != "Q3")  # Q3 missed, the rest answered right once
    for qid in ids:
        box.record(qid, qid != "Q3")
    draws = Counter()
    for _ in range(3000):
        box.last = None
        draws[box.pick()] += 1
    others = [draws[q] for q in ids if q != "Q3"]
    # Q3 sits in box 1 (weight 16), the rest in box 3 (weight 4): four times as likely each.
    assert draws["Q3"] > 3 * max(others)


def test_the_same_item_never_comes_twice_running_and_the_seed_repeats_the_run():
    ids = ["A", "B", "C"]
    first = Leitner(ids, random.Random(5))
    run = [first.pick() for _ in range(50)]
    assert all(a != b for a, b in zip(run, run[1:]))
    second = Leitner(ids, random.Random(5))
    assert [second.pick() for _ in range(50)] == run


def test_practice_marks_at_once_and_remembers_earlier_misses(bank):
    clock = FakeClock()
    practice = Practice(bank.questions, rng=random.Random(2), clock=clock)
    q = practice.next()
    fb = practice.answer(q.answer)
    assert fb.correct and fb.earned == q.points and fb.question.explanation
    q = practice.next()
    wrong = (not q.answer) if q.kind == "truefalse" else ("A" if q.answer != "A" else "B")
    fb = practice.answer(wrong)
    assert not fb.correct and fb.earned == 0
    assert practice.scheduler.boxes[q.id] == 1

    # A new session rebuilt from history starts with the missed item weighted up.
    history = [(qid, True) for qid in ("S01", "S02")] * 3 + [("S03", False)]
    later = Practice(bank.questions, rng=random.Random(2), history=history)
    assert later.scheduler.boxes["S01"] == 4 and later.scheduler.boxes["S03"] == 1
    assert later.scheduler.weight("S03") == 4 * later.scheduler.weight("S01") * 2


def test_practice_needs_an_item_drawn_first(bank):
    with pytest.raises(RuntimeError):
        Practice(bank.questions).answer("A")
