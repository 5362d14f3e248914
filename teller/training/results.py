"""Training results as the 9103 function stores them: the parameters for one exam, practice session
or drill attempt. Pure: the CLI and the screens hand these to `Counter.run("9103", …)`."""

from __future__ import annotations

from datetime import datetime

from teller.training.drills import Grade
from teller.training.exam import ExamResult, Practice


def _given(value: str | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def exam_params(result: ExamResult, subject: str) -> dict:
    return {
        "action": "record", "kind": "exam", "subject": subject,
        "started": result.started.isoformat(), "finished": result.finished.isoformat(),
        "score": result.score, "total": result.total, "passed": not result.wrong, "timed_out": result.timed_out,
        "items": [{"item": i.question.id, "given": _given(i.given), "correct": i.correct, "earned": i.earned,
                   "points": i.question.points} for i in result.items],
    }


def practice_params(practice: Practice, subject: str, finished: datetime) -> dict:
    return {
        "action": "record", "kind": "practice", "subject": subject,
        "started": practice.started.isoformat(), "finished": finished.isoformat(),
        "score": practice.score, "total": practice.total,
        "passed": all(f.correct for f in practice.answered),
        "items": [{"item": f.question.id, "given": _given(f.given), "correct": f.correct, "earned": f.earned,
                   "points": f.question.points} for f in practice.answered],
    }


def drill_params(grade: Grade, started: datetime, finished: datetime) -> dict:
    """Each check is stored as `Dnn/check-id`, so the report can say which checks the class misses."""
    return {
        "action": "record", "kind": "drill", "subject": grade.drill,
        "started": started.isoformat(), "finished": finished.isoformat(),
        "score": grade.score, "total": grade.total, "passed": grade.passed,
        "items": [{"item": f"{grade.drill}/{r.check.id}", "given": r.detail, "correct": r.passed,
                   "earned": r.earned, "points": r.check.points} for r in grade.results],
    }
