"""The trainer's report: per trainee, per question and per drill check, with the misses drawn as
bars so the class's weak points show at a glance (in `teller report` and on the 9103 screen).

`summarize` is pure over the stored rows; the `render_*` functions build rich renderables; widths
are measured in terminal cells (Chinese characters take two)."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from rich.cells import cell_len, set_cell_size
from rich.table import Table
from rich.text import Text

from teller.files import open_private
from teller.i18n import _

BLOCKS = " ▏▎▍▌▋▊▉█"


@dataclass
class TraineeRow:
    trainee: str
    exams: int = 0
    best_exam: float | None = None
    last_exam: float | None = None
    exam_total: float = 0.0
    practice_answered: int = 0
    practice_correct: int = 0
    drills: int = 0
    drills_passed: int = 0
    drills_done: set[str] = field(default_factory=set)  # drills passed at least once


@dataclass
class ItemRow:
    item: str
    label: str
    answered: int = 0
    missed: int = 0

    @property
    def rate(self) -> float:
        return self.missed / self.answered if self.answered else 0.0


@dataclass
class Report:
    trainees: list[TraineeRow]
    questions: list[ItemRow]  # most missed first
    checks: list[ItemRow]


def summarize(attempts: Iterable, answers: Iterable[tuple], *, questions: Mapping[str, str] | None = None,
              checks: Mapping[str, str] | None = None) -> Report:
    """`attempts`: TrainingAttempt-like rows; `answers`: (attempt, answer) pairs. `questions` and
    `checks` give a label for an item id (a question's text, a check's explanation)."""
    questions, checks = questions or {}, checks or {}
    people: dict[str, TraineeRow] = {}
    for a in sorted(attempts, key=lambda a: (a.finished_at, a.id or 0)):
        row = people.setdefault(a.trainee, TraineeRow(a.trainee))
        if a.kind == "exam":
            row.exams += 1
            row.last_exam, row.exam_total = a.score, a.total
            row.best_exam = a.score if row.best_exam is None else max(row.best_exam, a.score)
        elif a.kind == "drill":
            row.drills += 1
            if a.passed:
                row.drills_passed += 1
                row.drills_done.add(a.subject)
    items: dict[str, ItemRow] = {}
    for attempt, answer in answers:
        if attempt.kind == "practice":
            row = people.setdefault(attempt.trainee, TraineeRow(attempt.trainee))
            row.practice_answered += 1
            row.practice_correct += int(answer.correct)
        labels = checks if attempt.kind == "drill" else questions
        it = items.setdefault(answer.item, ItemRow(answer.item, labels.get(answer.item, "")))
        it.answered += 1
        it.missed += int(not answer.correct)
    ranked = sorted(items.values(), key=lambda r: (-r.missed, -r.rate, r.item))
    return Report(
        trainees=sorted(people.values(), key=lambda r: r.trainee),
        questions=[r for r in ranked if "/" not in r.item],
        checks=[r for r in ranked if "/" in r.item],
    )


def bar(fraction: float, width: int) -> str:
    """A horizontal bar `width` cells wide at most, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (BLOCKS[part] if part else "")


def _pts(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}%" if d else "—"


def render_trainees(report: Report) -> Table:
    t = Table(title=_("学员成绩"), title_justify="left")
    for head, justify in ((_("学员"), "left"), (_("考试次数"), "right"), (_("最好成绩"), "right"),
                          (_("最近成绩"), "right"), (_("练习正确率"), "right"), (_("演练通过"), "right")):
        t.add_column(head, justify=justify)
    for r in report.trainees:
        last = f"{_pts(r.last_exam)}/{_pts(r.exam_total)}" if r.exams else "—"
        t.add_row(r.trainee, str(r.exams), _pts(r.best_exam), last,
                  f"{_pct(r.practice_correct, r.practice_answered)} ({r.practice_correct}/{r.practice_answered})",
                  f"{r.drills_passed}/{r.drills}")
    return t


def render_items(rows: list[ItemRow], title: str, *, head: str, limit: int = 10, bar_width: int = 16,
                 label_width: int = 20) -> Table:
    """The most missed items as a bar chart: bar length is the share of answers that missed."""
    t = Table(title=title, title_justify="left", show_lines=False)
    t.add_column(head, overflow="fold")
    t.add_column(_("内容"), no_wrap=True)
    t.add_column(_("答错/作答"), justify="right", no_wrap=True)
    t.add_column(_("答错率"), min_width=bar_width + 5, no_wrap=True)
    for r in [r for r in rows if r.missed][:limit]:
        label = r.label if cell_len(r.label) <= label_width else set_cell_size(r.label, label_width - 1) + "…"
        t.add_row(r.item, label, f"{r.missed}/{r.answered}",
                  Text(bar(r.rate, bar_width), style="red") + Text(f" {100 * r.rate:.0f}%"))
    if not any(r.missed for r in rows):
        t.add_row("—", _("还没有答错的记录"), "", "")
    return t


def render(report: Report, *, limit: int = 10) -> list:
    return [
        render_trainees(report),
        render_items(report.questions, _("全班答错最多的题目"), head=_("题号"), limit=limit),
        render_items(report.checks, _("全班最常未做到的演练检查项"), head=_("演练/检查项"), limit=limit),
    ]


def write_csv(report: Report, path: Path) -> list[Path]:
    """Three files: PATH (per trainee), PATH-questions.csv and PATH-checks.csv (per item, most
    missed first). UTF-8 with a BOM, so spreadsheet programs show the Chinese right."""
    path = Path(path)
    stem = path.with_suffix("")
    written = [path, Path(f"{stem}-questions.csv"), Path(f"{stem}-checks.csv")]
    with open_private(written[0], encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["trainee", "exams", "best_exam", "last_exam", "exam_total", "practice_answered",
                    "practice_correct", "drills", "drills_passed", "drills_done"])
        for r in report.trainees:
            w.writerow([r.trainee, r.exams, _pts(r.best_exam) if r.best_exam is not None else "",
                        _pts(r.last_exam) if r.last_exam is not None else "", _pts(r.exam_total),
                        r.practice_answered, r.practice_correct, r.drills, r.drills_passed, " ".join(sorted(r.drills_done))])
    for target, rows in ((written[1], report.questions), (written[2], report.checks)):
        with open_private(target, encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["item", "label", "answered", "missed", "miss_rate"])
            for r in rows:
                w.writerow([r.item, r.label, r.answered, r.missed, f"{r.rate:.3f}"])
    return written


def labels(bank=None, drills=()) -> tuple[dict[str, str], dict[str, str]]:  # noqa: ANN001
    """Item labels: each question's text, each drill check's explanation."""
    q = {x.id: x.text() for x in bank} if bank is not None else {}
    c = {f"{d.id}/{chk.id}": chk.explain for d in drills for chk in d.checks}
    return q, c


# --------------------------------------------------------------------------- item analysis


def _share(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def _option_shares(shares: Mapping[str, float]) -> str:
    def name(key: str) -> str:
        return {"": _("空"), "true": _("对"), "false": _("错")}.get(key, key)

    return " ".join(f"{name(k)}{100 * v:.0f}" for k, v in shares.items() if k or v)


def render_analysis(stats: list, checks: list, *, titles: Mapping[str, str] | None = None,
                    keys: Mapping[str, Mapping[str, str]] | None = None, label_width: int = 14) -> list:
    """One table per bank: each item's facility, D, item–rest r, option shares and flags; then each
    drill check's miss rate. `titles`: a bank's stored title -> its title in the current language;
    `keys`: bank title -> item -> the key as shown."""
    from teller.training.analysis import FLAG_TEXT

    parts: list = []
    subjects = list(dict.fromkeys(s.subject for s in stats))
    for subject in subjects:
        rows = [s for s in stats if s.subject == subject]
        t = Table(title=_("试题分析：{bank}（每位学员的首次考试，{n} 人）").format(bank=(titles or {}).get(subject, subject), n=max(r.n for r in rows)),
                  title_justify="left")
        t.add_column(_("题号"), no_wrap=True)
        t.add_column(_("答案"), no_wrap=True)
        t.add_column(_("人数"), justify="right", no_wrap=True)
        t.add_column(_("通过率"), justify="right", no_wrap=True)
        t.add_column(_("区分度 D"), justify="right", no_wrap=True)
        t.add_column(_("题-余 r"), justify="right", no_wrap=True)
        t.add_column(_("各选项占比 %"), overflow="fold", min_width=9)
        t.add_column(_("提示"), overflow="fold", min_width=6)
        for r in rows:
            t.add_row(r.item, (keys or {}).get(subject, {}).get(r.item, ""), str(r.n), _share(r.facility), _share(r.discrimination), _share(r.item_rest),
                      _option_shares(r.shares), _("；").join(_(FLAG_TEXT[f]) for f in r.flags))
        parts.append(t)
    if not subjects:
        parts.append(Text(_("还没有考试记录，无法做试题分析")))
    t = Table(title=_("演练检查项的未做到率"), title_justify="left")
    for head, justify in ((_("演练"), "left"), (_("检查项"), "left"), (_("未做到/评分次数"), "right"), (_("未做到率"), "right"),
                          (_("内容"), "left")):
        t.add_column(head, justify=justify, overflow="fold" if head == _("内容") else "ellipsis",
                     no_wrap=head != _("内容"))
    for c in checks:
        label = c.label if cell_len(c.label) <= label_width * 2 else set_cell_size(c.label, label_width * 2 - 1) + "…"
        t.add_row(c.drill, c.check, f"{c.missed}/{c.attempts}", f"{100 * c.miss_rate:.0f}%", label)
    if not checks:
        t.add_row("—", _("还没有演练记录"), "", "", "")
    parts.append(t)
    return parts


def write_items_csv(stats: list, checks: list, path: Path) -> list[Path]:
    """PATH-items.csv (per bank and item) and PATH-drill-checks.csv (per drill check), UTF-8 with a
    BOM like the other reports. Option shares are one column per option seen, blank last."""
    path = Path(path)
    stem = path.with_suffix("")
    written = [Path(f"{stem}-items.csv"), Path(f"{stem}-drill-checks.csv")]
    options = list(dict.fromkeys(k for s in stats for k in s.shares if k))
    with open_private(written[0], encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["bank", "item", "sittings", "facility", "discrimination_d", "item_rest_r",
                    *[f"share_{k}" for k in options], "share_blank", "flags", "label"])
        for s in stats:
            w.writerow([s.subject, s.item, s.n, f"{s.facility:.3f}",
                        "" if s.discrimination is None else f"{s.discrimination:.3f}",
                        "" if s.item_rest is None else f"{s.item_rest:.3f}",
                        *["" if k not in s.shares else f"{s.shares[k]:.3f}" for k in options],
                        f"{s.shares.get('', 0.0):.3f}", " ".join(s.flags), s.label])
    with open_private(written[1], encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["drill", "check", "attempts", "missed", "miss_rate", "label"])
        for c in checks:
            w.writerow([c.drill, c.check, c.attempts, c.missed, f"{c.miss_rate:.3f}", c.label])
    return written


def bank_options(banks) -> tuple[dict, dict]:  # noqa: ANN001
    """For the analysis: each bank's items with their letters, and their question texts."""
    options = {b.title: {q.id: (q.letters or ("true", "false")) for q in b} for b in banks}
    texts = {b.title: {q.id: q.text() for q in b} for b in banks}
    return options, texts


def bank_keys(banks) -> dict[str, dict[str, str]]:  # noqa: ANN001
    from teller.training.exam import show_answer

    return {b.title: {q.id: show_answer(q, q.answer) for q in b} for b in banks}


def bank_titles(banks) -> dict[str, str]:  # noqa: ANN001
    return {b.title: b.heading for b in banks}
