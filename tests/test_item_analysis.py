"""Item analysis on a synthetic class whose figures are worked out by hand below.

Five trainees sit a four-item paper (S01 key A 2 pts, S02 key D 2 pts, M01 key AB 2.5 pts,
T01 key true 1 pt; 7.5 in all). P5 sits again later, all right: only first sittings count.

        S01   S02   M01    T01     total   rank (by total)
  P1    A 2   D 2   AB 2.5 对 1    7.5     1   upper 27 %: round(0.27 × 5) = 1 sitting, P1
  P2    A 2   D 2   AB 2.5 错 0    6.5     2
  P3    A 2   D 2   A  0   对 1    5       4
  P4    B 0   D 2   AB 2.5 对 1    5.5     3
  P5    C 0   D 2   —  0   对 1    3       5   lower 27 %: P5

S01: facility 3/5 = 0.60; D = 1 − 0 = 1.00. Item–rest: x = (2,2,2,0,0), rest = total − x =
  (5.5,4.5,3,5.5,3); mean x 1.2, mean rest 4.3; Σdxdy = 0.8·1.2 + 0.8·0.2 + 0.8·(−1.3) + (−1.2)·1.2
  + (−1.2)·(−1.3) = 0.2; Σdx² = 4.8; Σdy² = 6.3; r = 0.2 / √30.24 = 0.0364. Shares A 60 %, B 20 %, C 20 %.
S02: facility 1.00 (too easy); D = 0 (poor); r undefined (x does not vary).
M01: facility 0.60; D = 1.00; x = (2.5,2.5,0,2.5,0), rest = (5,4,5,3,3): Σdxdy = 0, r = 0.
  A chosen by 4 of 5 (80 %), B by 3 (60 %), blank 1 (20 %).
T01: facility 0.80; D = 1 − 1 = 0; x = (1,0,1,1,1), rest = (6.5,6.5,4,4.5,2): Σdxdy = −1.8,
  Σdx² = 0.8, Σdy² = 14.3, r = −1.8 / √11.44 = −0.5322: negative (the one who missed it is P2,
  second best), so it is flagged as misleading. Shares 对 80 %, 错 20 %.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from teller.training.analysis import analyse, check_rates, pearson, upper_lower, sittings

KEY = {"S01": ("A", 2.0), "S02": ("D", 2.0), "M01": ("AB", 2.5), "T01": ("true", 1.0)}
CLASS = {
    "P1": {"S01": "A", "S02": "D", "M01": "AB", "T01": "true"},
    "P2": {"S01": "A", "S02": "D", "M01": "AB", "T01": "false"},
    "P3": {"S01": "A", "S02": "D", "M01": "A", "T01": "true"},
    "P4": {"S01": "B", "S02": "D", "M01": "AB", "T01": "true"},
    "P5": {"S01": "C", "S02": "D", "M01": "", "T01": "true"},
}
OPTIONS = {"试卷": {"S01": "ABCD", "S02": "ABCD", "M01": "ABCD", "T01": ("true", "false")}}


def rows(extra: bool = True):
    out, t0, n = [], datetime(2026, 12, 1, 9), 0
    sittings_ = list(CLASS.items())
    if extra:
        sittings_.append(("P5", {k: v[0] for k, v in KEY.items()}))  # a later, perfect second sitting
    for trainee, given in sittings_:
        n += 1
        earned = {i: (KEY[i][1] if given[i] == KEY[i][0] else 0.0) for i in KEY}
        a = SimpleNamespace(id=n, trainee=trainee, kind="exam", subject="试卷", finished_at=t0 + timedelta(minutes=n),
                            score=sum(earned.values()), total=7.5)
        out += [(a, SimpleNamespace(item=i, given=given[i], earned=earned[i], points=KEY[i][1],
                                    correct=earned[i] == KEY[i][1])) for i in KEY]
    return out


@pytest.fixture
def stats():
    return {s.item: s for s in analyse(rows(), options=OPTIONS)}


def test_only_each_trainees_first_sitting_counts():
    assert [s.trainee for s in sittings(rows())] == ["P1", "P2", "P3", "P4", "P5"]
    assert len(sittings(rows(), first_only=False)) == 6


def test_facility(stats):
    assert [round(stats[i].facility, 2) for i in ("S01", "S02", "M01", "T01")] == [0.60, 1.00, 0.60, 0.80]
    assert all(s.n == 5 for s in stats.values())


def test_discrimination_upper_minus_lower_27_percent(stats):
    assert stats["S01"].discrimination == pytest.approx(1.0)
    assert stats["S02"].discrimination == pytest.approx(0.0)
    assert stats["M01"].discrimination == pytest.approx(1.0)
    assert stats["T01"].discrimination == pytest.approx(0.0)


def test_item_rest_correlation(stats):
    assert stats["S01"].item_rest == pytest.approx(0.2 / 30.24 ** 0.5)
    assert round(stats["S01"].item_rest, 4) == 0.0364
    assert stats["S02"].item_rest is None
    assert stats["M01"].item_rest == pytest.approx(0.0)
    assert round(stats["T01"].item_rest, 4) == -0.5322


def test_option_shares(stats):
    assert stats["S01"].shares == pytest.approx({"A": 0.6, "B": 0.2, "C": 0.2, "D": 0.0, "": 0.0})
    assert stats["M01"].shares == pytest.approx({"A": 0.8, "B": 0.6, "C": 0.0, "D": 0.0, "": 0.2})
    assert stats["T01"].shares == pytest.approx({"true": 0.8, "false": 0.2, "": 0.0})


def test_flags(stats):
    assert stats["S01"].flags == ()
    assert stats["S02"].flags == ("too_easy", "poor")
    assert stats["M01"].flags == ()
    assert stats["T01"].flags == ("negative",)


def test_a_class_too_small_gets_no_discrimination_flag():
    small = [r for r in rows(extra=False) if r[0].trainee in ("P1", "P2", "P3")]
    by = {s.item: s for s in analyse(small, options=OPTIONS)}
    assert by["T01"].flags == () and by["S02"].flags == ("too_easy",)


def test_a_hard_item_is_flagged():
    hard = [(a, SimpleNamespace(**{**vars(b), "earned": 0.0, "correct": False}) if b.item == "S01" else b)
            for a, b in rows(extra=False)]
    assert "too_hard" in {s.item: s for s in analyse(hard, options=OPTIONS)}["S01"].flags


def test_the_building_blocks():
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    ranked = sorted(sittings(rows()), key=lambda s: -s.share)
    assert upper_lower(ranked, "S01") == pytest.approx(1.0)


def test_each_drill_checks_miss_rate():
    a1 = SimpleNamespace(kind="drill", subject="D07")
    rows_ = [(a1, SimpleNamespace(item="D07/no-collect", correct=False)), (a1, SimpleNamespace(item="D07/main-cash", correct=True)),
             (a1, SimpleNamespace(item="D07/no-collect", correct=True)), (a1, SimpleNamespace(item="D07/main-cash", correct=True)),
             (a1, SimpleNamespace(item="D11/all-closed", correct=False))]
    got = {(c.drill, c.check): (c.attempts, c.missed, c.miss_rate) for c in check_rates(rows_)}
    assert got == {("D07", "no-collect"): (2, 1, 0.5), ("D07", "main-cash"): (2, 0, 0.0), ("D11", "all-closed"): (1, 1, 1.0)}


def test_teller_report_items_prints_and_writes_the_figures(tmp_path):
    """Through the 9103 function into a store, then `teller report --items` reads them back."""
    from typer.testing import CliRunner

    from teller.cli import app
    from teller.services.base import Context
    from teller.services.counter import Counter
    from teller.scenario import parse_scenario
    from teller.services.setup import seed
    from teller.store.db import make_engine
    from teller.training.bank import load_bank

    db = f"sqlite:///{tmp_path / 'branch.db'}"
    engine = make_engine(db)
    seed(engine, parse_scenario('date = "2026-11-23"\n' + "".join(
        f'[[tellers]]\nid = "{p}"\nrole = "teller"\n' for p in CLASS)).state)
    counter = Counter(engine)
    title = load_bank().title
    for trainee, given in CLASS.items():
        earned = {i: (KEY[i][1] if given[i] == KEY[i][0] else 0.0) for i in KEY}
        params = {"action": "record", "kind": "exam", "subject": title, "started": "2026-12-02T09:00:00",
                  "finished": "2026-12-02T09:30:00", "score": sum(earned.values()), "total": 7.5, "passed": False,
                  "items": [{"item": i, "given": given[i], "correct": earned[i] == KEY[i][1], "earned": earned[i],
                             "points": KEY[i][1]} for i in KEY]}
        outcome = counter.run("9103", params, Context(teller_id=trainee, terminal="TEST"))
        assert outcome.ok, outcome.message
    out = tmp_path / "class.csv"
    result = CliRunner().invoke(app, ["report", "--items", "--db", db, "--csv", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "试题分析" in result.output and "通过率" in result.output and "区分度" in result.output
    with (tmp_path / "class-items.csv").open(encoding="utf-8-sig") as fh:
        table = {r["item"]: r for r in csv.DictReader(fh)}
    assert (table["S01"]["facility"], table["S01"]["discrimination_d"], table["S01"]["item_rest_r"]) == ("0.600", "1.000", "0.036")
    assert table["T01"]["flags"] == "negative" and table["S02"]["flags"] == "too_easy poor"
    assert table["M01"]["share_A"] == "0.800" and table["M01"]["share_blank"] == "0.200"
    assert table["S01"]["label"].startswith("开通单客户多银行服务后")
    # English: the same figures, our words translated.
    result = CliRunner().invoke(app, ["report", "--items", "--db", db, "--lang", "en"], catch_exceptions=False)
    assert "Item analysis" in result.output and "Facility" in result.output
