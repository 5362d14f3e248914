"""Item analysis of the exam, as a trainer reads it: which items are too easy, too hard or mislead.

The figures are the classical ones that quiz statistics report (Moodle's among them):

* facility — the class's mean score on the item, as a share of its points (1.0: everyone right);
* discrimination, two ways —
  * D, upper minus lower 27 %: the sittings ranked by their whole-paper score (as a share of the
    paper's points), the item's facility in the top 27 % less its facility in the bottom 27 %;
  * item–rest correlation: Pearson's r between the item's score and the score on the rest of the
    paper (the sitting's score less the item's), so the item does not correlate with itself;
* each option's share of the answers (for a multiple-choice item, the share of answers that
  included the letter; for true/false, 对 and 错; "" is the share left blank).

Which sittings: each trainee's first sitting of a bank (a later sitting follows the review of the
first, so it measures the review as much as the item). Banks are told apart by their title, the
subject 9103 stores with the sitting. Items a random draw left out of a sitting are not counted in it.

Flags (thresholds a trainer can quote; the figures are printed beside them):
too easy — facility above 0.90; too hard — facility below 0.20; poor discrimination — D below 0.20
(Ebel's "poor" band); negative — D or r below zero: the weaker trainees did better, which usually
means a wrong key or a misleading option. No flag on discrimination with fewer than
MIN_CLASS sittings: the groups would be one or two people.

Per drill, each check's miss rate: the share of graded attempts in which the check was not met.

Pure: plain rows in, plain records out; `teller report --items` and the 9103 report screen render them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from teller.i18n import N_

TOO_EASY = 0.90
TOO_HARD = 0.20
POOR_D = 0.20
MIN_CLASS = 5
GROUP = 0.27

FLAG_TEXT = {
    "too_easy": N_("过易"),
    "too_hard": N_("过难"),
    "poor": N_("区分度低"),
    "negative": N_("负区分：疑为答案或选项有误"),
}


@dataclass(frozen=True)
class Sitting:
    """One exam sitting as stored by 9103: who, when, its score and each item's answer."""

    trainee: str
    subject: str
    order: tuple  # sorts sittings in time
    score: float
    total: float
    items: Mapping[str, tuple[str, float, float]]  # item -> (given, earned, points)

    @property
    def share(self) -> float:
        return self.score / self.total if self.total else 0.0


@dataclass
class ItemStats:
    subject: str
    item: str
    n: int
    facility: float
    discrimination: float | None  # D, upper minus lower 27 %
    item_rest: float | None  # Pearson r of the item with the rest of the paper
    shares: dict[str, float] = field(default_factory=dict)  # option -> share of answers; "" blank
    flags: tuple[str, ...] = ()
    label: str = ""


@dataclass
class CheckStats:
    drill: str
    check: str
    attempts: int
    missed: int
    label: str = ""

    @property
    def miss_rate(self) -> float:
        return self.missed / self.attempts if self.attempts else 0.0


def sittings(rows: Iterable[tuple], *, first_only: bool = True) -> list[Sitting]:
    """Exam sittings from (attempt, answer) rows (TrainingAttempt, TrainingAnswer-like): each
    trainee's first sitting of each subject, or every sitting."""
    grouped: dict[object, dict] = {}
    for attempt, answer in rows:
        if attempt.kind != "exam":
            continue
        s = grouped.setdefault(attempt.id, {"a": attempt, "items": {}})
        s["items"][answer.item] = (answer.given or "", float(answer.earned), float(answer.points))
    out = [Sitting(g["a"].trainee, g["a"].subject, (g["a"].finished_at, g["a"].id), float(g["a"].score),
                   float(g["a"].total), g["items"]) for g in grouped.values()]
    out.sort(key=lambda s: s.order)
    if not first_only:
        return out
    seen: set[tuple[str, str]] = set()
    first = []
    for s in out:
        if (s.trainee, s.subject) not in seen:
            seen.add((s.trainee, s.subject))
            first.append(s)
    return first


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when either side does not vary (the figure is then undefined)."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def upper_lower(ranked: Sequence[Sitting], item: str) -> float | None:
    """D: facility in the top 27 % of the sittings less facility in the bottom 27 % (at least one
    sitting each; the two groups never overlap)."""
    taking = [s for s in ranked if item in s.items]
    if len(taking) < 2:
        return None
    g = max(1, min(len(taking) // 2, round(GROUP * len(taking))))
    score = lambda s: s.items[item][1] / s.items[item][2] if s.items[item][2] else 0.0  # noqa: E731
    upper, lower = taking[:g], taking[-g:]
    return sum(map(score, upper)) / g - sum(map(score, lower)) / g


def _letters(given: str) -> list[str]:
    if given in ("true", "false"):
        return [given]
    return [c for c in given if c.isalpha()]


def analyse(rows: Iterable[tuple], *, options: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
            labels: Mapping[str, Mapping[str, str]] | None = None, first_only: bool = True) -> list[ItemStats]:
    """Every exam item of every bank: facility, discrimination both ways, option shares, flags.
    `options`: subject -> item -> its letters (or ("true", "false")), so an option nobody chose
    shows 0; `labels`: subject -> item -> its question text. In bank order where `options` gives it."""
    options, labels = options or {}, labels or {}
    by_subject: dict[str, list[Sitting]] = defaultdict(list)
    for s in sittings(rows, first_only=first_only):
        by_subject[s.subject].append(s)
    out: list[ItemStats] = []
    for subject in sorted(by_subject):
        class_ = by_subject[subject]
        ranked = sorted(class_, key=lambda s: (-s.share, s.trainee, s.order))
        items = list(options.get(subject, {}))
        items += sorted({i for s in class_ for i in s.items} - set(items))
        for item in items:
            taking = [s for s in class_ if item in s.items]
            if not taking:
                continue
            earned = [s.items[item][1] for s in taking]
            points = [s.items[item][2] for s in taking]
            facility = sum(e / p if p else 0.0 for e, p in zip(earned, points)) / len(taking)
            d = upper_lower(ranked, item)
            r = pearson(earned, [s.score - e for s, e in zip(taking, earned)])
            choices = list(options.get(subject, {}).get(item, ()))
            counts: dict[str, int] = defaultdict(int)
            for s in taking:
                picked = _letters(s.items[item][0])
                for c in picked:
                    counts[c] += 1
                if not picked:
                    counts[""] += 1
            keys = choices + sorted(k for k in counts if k not in choices and k) + [""]
            shares = {k: counts.get(k, 0) / len(taking) for k in keys}
            flags = []
            if facility > TOO_EASY:
                flags.append("too_easy")
            if facility < TOO_HARD:
                flags.append("too_hard")
            if len(taking) >= MIN_CLASS:
                if (d is not None and d < 0) or (r is not None and r < 0):
                    flags.append("negative")
                elif d is not None and d < POOR_D:
                    flags.append("poor")
            out.append(ItemStats(subject, item, len(taking), facility, d, r, shares, tuple(flags),
                                 labels.get(subject, {}).get(item, "")))
    return out


def check_rates(rows: Iterable[tuple], labels: Mapping[str, str] | None = None) -> list[CheckStats]:
    """Per drill, each check's miss rate over the graded drill attempts (stored as Dnn/check)."""
    labels = labels or {}
    stats: dict[str, CheckStats] = {}
    for attempt, answer in rows:
        if attempt.kind != "drill" or "/" not in answer.item:
            continue
        drill, _sep, check = answer.item.partition("/")
        row = stats.setdefault(answer.item, CheckStats(drill, check, 0, 0, labels.get(answer.item, "")))
        row.attempts += 1
        row.missed += int(not answer.correct)
    return sorted(stats.values(), key=lambda c: (c.drill, -c.miss_rate, c.check))
