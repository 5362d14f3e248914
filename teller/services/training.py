"""9103 培训演练: storing training results and trainers' question banks, and reading them back.

Recording an attempt is a counter function like any other (one transaction, one journal line), so
a trainee's exam cannot be written or altered around the journal. The drills themselves run on a
sandbox store (teller.training.grading); only their grades come here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import select

from teller.domain.errors import BadInput, Refused, Rule
from teller.domain.roles import check_may_import_bank
from teller.i18n import N_, _
from teller.services.base import Done, Params, Tx, function
from teller.store.db import unit_of_work
from teller.store.models import Teller, TrainingAnswer, TrainingAttempt, TrainingBank

KINDS = ("exam", "practice", "drill")


@function("9103")
def training(tx: Tx, p: Params) -> Done | dict:
    action = p.choice("action", N_("操作"), ("record", "import_bank"))
    tx.require_papers([])
    if action == "import_bank":
        return _import_bank(tx, p)
    return _record(tx, p)


def _time(p: Params, name: str, label: str) -> datetime:
    try:
        t = datetime.fromisoformat(p.text(name, label))
    except ValueError:
        raise BadInput(label, _("应为 ISO 格式的时间，如 2026-11-23T09:30:00")) from None
    return t if t.tzinfo else t.astimezone()  # the store keeps aware timestamps, as the journal does


def _number(value: object, label: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadInput(label, _("应为数字"))
    try:
        number = float(value)
    except ValueError:
        raise BadInput(label, _("应为数字")) from None
    if number < 0:
        raise BadInput(label, _("不能为负数"))
    return number


def _record(tx: Tx, p: Params) -> dict:
    kind = p.choice("kind", N_("类别"), KINDS)
    items = p.raw.get("items") or []
    if not isinstance(items, list) or not all(isinstance(i, dict) and i.get("item") for i in items):
        raise BadInput(N_("明细"), _("应为逐题（或逐项检查）的列表，每项有 item"))
    attempt = TrainingAttempt(
        trainee=tx.ctx.teller_id, kind=kind, subject=p.text("subject", N_("科目")),
        started_at=_time(p, "started", N_("开始时间")), finished_at=_time(p, "finished", N_("结束时间")),
        score=_number(p.raw.get("score", 0), N_("得分")), total=_number(p.raw.get("total", 0), N_("满分")),
        passed=p.boolean("passed"), timed_out=p.boolean("timed_out"), journal_id=tx.journal.id,
    )
    tx.s.add(attempt)
    tx.s.flush()
    for i in items:
        tx.s.add(TrainingAnswer(
            attempt_id=attempt.id, item=str(i["item"]), given=str(i.get("given", "")), correct=bool(i.get("correct")),
            earned=_number(i.get("earned", 0), N_("得分")), points=_number(i.get("points", 0), N_("分值")),
        ))
    return Done({"attempt": attempt.id}, _("已记录 {who} 的{kind}成绩：{score}/{total}").format(
        who=tx.ctx.teller_id, kind=_(KIND_TITLES[kind]), score=_points(attempt.score), total=_points(attempt.total)))


KIND_TITLES = {"exam": N_("考试"), "practice": N_("练习"), "drill": N_("演练")}


def _points(x: float) -> str:
    return f"{x:g}"


def _import_bank(tx: Tx, p: Params) -> dict:
    from teller.training.bank import BankError, parse_bank

    me = tx.s.get(Teller, tx.ctx.teller_id)
    check_may_import_bank(me.role if me else None)
    name = p.text("name", N_("题库名称"))
    text = p.text("text", N_("题库内容"))
    try:
        bank = parse_bank(text, source=name)
    except BankError as e:
        raise Refused(Rule.BAD_INPUT, str(e), problems=[str(x) for x in e.problems]) from None
    row = tx.s.get(TrainingBank, name) or TrainingBank(name=name, title="", text="", imported_at=tx.ctx.stamp(), imported_by="")
    row.title, row.text, row.items = bank.title, text, len(bank)
    row.imported_at, row.imported_by = tx.ctx.stamp(), tx.ctx.teller_id
    tx.s.add(row)
    return Done({"bank": name, "title": bank.title, "items": len(bank)},
                _("题库“{title}”已导入，共 {n} 题，名称 {name}").format(title=bank.title, n=len(bank), name=name))


# --- reads (outside a business function, as services/reads.py) -----------------------------------

def attempts(engine: Engine) -> list[TrainingAttempt]:
    with unit_of_work(engine) as s:
        return list(s.exec(select(TrainingAttempt).order_by(TrainingAttempt.id)))


def answers(engine: Engine) -> list[tuple[TrainingAttempt, TrainingAnswer]]:
    with unit_of_work(engine) as s:
        rows = s.exec(select(TrainingAttempt, TrainingAnswer).where(TrainingAnswer.attempt_id == TrainingAttempt.id)
                      .order_by(TrainingAnswer.id))
        return [(a, b) for a, b in rows]


def practice_history(engine: Engine, trainee: str) -> list[tuple[str, bool]]:
    """The trainee's earlier answers to bank items (exam and practice), oldest first."""
    with unit_of_work(engine) as s:
        rows = s.exec(select(TrainingAnswer.item, TrainingAnswer.correct)
                      .where(TrainingAnswer.attempt_id == TrainingAttempt.id, TrainingAttempt.trainee == trainee,
                             TrainingAttempt.kind.in_(("exam", "practice")))
                      .order_by(TrainingAnswer.id))
        return [(item, bool(ok)) for item, ok in rows]


def imported_bank(engine: Engine, name: str) -> TrainingBank | None:
    with unit_of_work(engine) as s:
        return s.get(TrainingBank, name)


def imported_banks(engine: Engine) -> list[TrainingBank]:
    with unit_of_work(engine) as s:
        return list(s.exec(select(TrainingBank).order_by(TrainingBank.name)))


def parsed_banks(engine: Engine) -> list[tuple[TrainingBank, "QuestionBank"]]:  # noqa: F821
    """Every imported bank that still parses, with its row. Each parsed when it was imported; one
    that a later change of the format refuses is left out here and reported by `teller exam import`."""
    from teller.training.bank import BankError, parse_bank

    found = []
    for row in imported_banks(engine):
        try:
            found.append((row, parse_bank(row.text, source=row.name)))
        except BankError:
            continue
    return found
