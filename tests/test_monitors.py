"""The compliance monitors and records as pure rules (teller.domain.monitors, .compliance)."""

from __future__ import annotations

from datetime import date

import pytest

from teller.domain import compliance as C
from teller.domain import monitors as M
from teller.domain.errors import Refused

DAY = date(2026, 11, 23)
LIMITS = M.Limits()


def events(*kinds: str, day: date = DAY, amount: int = 100_00) -> list[M.Event]:
    """'t' a transfer to the main, 'a' one to an aux, 'w' a withdrawal to the bank, 'x' a trade."""
    codes = {"t": (M.TRANSFER, M.TO_MAIN), "a": (M.TRANSFER, M.TO_AUX), "w": (M.WITHDRAWAL, ""), "x": (M.TRADE, "")}
    return [M.Event(i + 1, day, codes[k][0], amount, codes[k][1], journal=i + 1) for i, k in enumerate(kinds)]


@pytest.mark.parametrize("pattern, warns", [
    ("ttttttw", True),      # exam S13: more than 5 transfers, a withdrawal, no trade
    ("wtatata", True),      # the withdrawal may come first; directions do not matter
    ("tttttw", False),      # 5 is not more than 5
    ("ttttw", False),
    ("tttttt", False),      # nothing taken out
    ("tttxtttw", False),    # a trade in between ends the run
    ("xttttttw", True),     # a trade before the run does not
])
def test_non_trading_needs_all_three_conditions(pattern, warns):
    assert (M.non_trading(events(*pattern), LIMITS, DAY) is not None) is warns


def test_non_trading_counts_only_inside_the_period_and_after_the_previous_warning():
    old = events(*"tttttt", day=date(2026, 10, 1))
    recent = [M.Event(e.seq + 10, DAY, e.kind, e.amount, e.direction) for e in events("w")]
    assert M.non_trading(old + recent, LIMITS, period_start=date(2026, 11, 1)) is None
    assert M.non_trading(old + recent, LIMITS, period_start=date(2026, 9, 1)) is not None
    first = M.non_trading(events(*"ttttttw"), LIMITS, DAY)
    assert first.details["transfers"] == 6 and first.last_seq == 7
    more = events(*"ttttttwt")
    assert M.non_trading(more, LIMITS, DAY, after_seq=first.last_seq) is None  # same pattern, no second alert
    assert M.non_trading(events(*"ttttttwttttttw"), LIMITS, DAY, after_seq=7) is not None


def test_threshold_is_a_setting():
    strict = M.Limits.from_settings({"warning_transfer_threshold": "3"})
    assert M.non_trading(events(*"ttttw"), strict, DAY) is not None
    with pytest.raises(Refused):
        M.Limits.from_settings({"warning_transfer_threshold": "five"})


def test_streak_goes_on_only_without_a_trade_and_inside_the_period():
    prev = M.PreviousWarning(DAY, last_seq=7, streak=1)
    assert M.warning_streak(None, [], DAY) == 1
    assert M.warning_streak(prev, events(*"ttttttwttttttw"), DAY) == 2
    assert M.warning_streak(prev, events(*"ttttttwxttttttw"), DAY) == 1  # traded since
    assert M.warning_streak(prev, [], period_start=date(2026, 11, 24)) == 1  # previous is out of the period
    assert M.proposal(1, LIMITS) == M.EDUCATE and M.proposal(2, LIMITS) == M.CLOSE_TRANSFER
    assert M.proposal(2, M.Limits(warnings_before_close=3)) == M.EDUCATE


@pytest.mark.parametrize("institution, amounts, raised", [
    (False, [300_000_00, 250_000_00], True),   # summed over the day
    (False, [500_000_00], True),               # inclusive
    (False, [499_999_99], False),
    (True, [1_500_000_00], False),
    (True, [2_000_000_00], True),
    (True, [1_000_000_00, 999_999_99], False),
])
def test_large_value_thresholds(institution, amounts, raised):
    ev = [M.Event(i + 1, DAY, M.TRANSFER, a, M.TO_MAIN) for i, a in enumerate(amounts)]
    found = M.large_value(ev, DAY, institution, LIMITS)
    assert bool(found) is raised
    if raised:
        assert found[0].details["total"] == f"{sum(amounts) // 100}.{sum(amounts) % 100:02d}"


def test_large_value_sums_each_direction_on_its_own_and_only_that_day():
    ev = [M.Event(1, DAY, M.TRANSFER, 300_000_00, M.TO_MAIN), M.Event(2, DAY, M.TRANSFER, 250_000_00, M.TO_AUX),
          M.Event(3, date(2026, 11, 20), M.TRANSFER, 300_000_00, M.TO_AUX)]
    assert M.large_value(ev, DAY, False, LIMITS) == []
    two = M.large_value(ev + [M.Event(4, DAY, M.TRANSFER, 250_000_00, M.TO_AUX)], DAY, False, LIMITS)
    assert [f.details["direction"] for f in two] == [M.TO_AUX] and two[0].key == "LARGE:2026-11-23:to_aux"


def test_idle_frequent_large_transfers():
    ev = [M.Event(i + 1, DAY, M.TRANSFER, 100_000_00, M.TO_MAIN) for i in range(5)]
    assert M.idle_frequent(ev, True, DAY, LIMITS) is not None
    assert M.idle_frequent(ev[:4], True, DAY, LIMITS) is None
    assert M.idle_frequent(ev, False, DAY, LIMITS) is None
    assert M.idle_frequent(ev, True, DAY, LIMITS, after_seq=5) is None
    assert M.is_idle(None, date(2026, 1, 2), DAY, LIMITS)
    assert not M.is_idle(None, date(2026, 11, 2), DAY, LIMITS)       # a new client is not idle
    assert not M.is_idle(date(2026, 11, 20), date(2020, 1, 2), DAY, LIMITS)


def test_structuring_just_under_the_threshold_then_gathered_the_other_way():
    near = [M.Event(i + 1, date(2026, 11, 17 + i), M.TRANSFER, 480_000_00, M.TO_MAIN) for i in range(3)]
    out = M.Event(9, DAY, M.TRANSFER, 1_400_000_00, M.TO_AUX)
    f = M.structuring(near + [out], False, date(2026, 11, 17), LIMITS)
    assert f is not None and f.details["scattered_count"] == 3 and f.details["scattered_direction"] == M.TO_MAIN
    assert M.structuring([out] + near, False, date(2026, 11, 17), LIMITS) is not None  # or the reverse order
    assert M.structuring(near, False, date(2026, 11, 17), LIMITS) is None  # nothing gathered
    small_out = M.Event(9, DAY, M.TRANSFER, 600_000_00, M.TO_AUX)
    assert M.structuring(near + [small_out], False, date(2026, 11, 17), LIMITS) is None
    far_under = [M.Event(i + 1, DAY, M.TRANSFER, 300_000_00, M.TO_MAIN) for i in range(3)]
    assert M.structuring(far_under + [out], False, DAY, LIMITS) is None  # not 'just under'
    assert M.structuring(near + [out], True, date(2026, 11, 17), LIMITS) is None  # institution threshold
    assert M.structuring(near + [out], False, DAY, LIMITS) is None  # outside the window


def test_aml_alert_states():
    assert C.next_aml_state(C.NEW, "review", "teller", "") == C.UNDER_REVIEW
    assert C.next_aml_state(C.UNDER_REVIEW, "report", "supervisor", "") == C.REPORTED
    assert C.next_aml_state(C.NEW, "dismiss", "supervisor", "同名账户间正常调拨") == C.DISMISSED
    for state, action, role, reason, rule in [
        (C.NEW, "report", "teller", "", "FORBIDDEN"),
        (C.NEW, "review", "trainer", "", "FORBIDDEN"),
        (C.NEW, "dismiss", "supervisor", " ", "BAD_INPUT"),
        (C.REPORTED, "dismiss", "supervisor", "x", "BAD_INPUT"),
        (C.UNDER_REVIEW, "review", "teller", "", "BAD_INPUT"),
        (C.NEW, "fly", "supervisor", "", "BAD_INPUT"),
    ]:
        with pytest.raises(Refused) as e:
            C.next_aml_state(state, action, role, reason)
        assert e.value.rule == rule


def test_notices_are_kept_three_full_years():
    assert C.notice_kept_until(date(2026, 11, 23)) == date(2029, 11, 23)
    assert C.notice_kept_until(date(2028, 2, 29)) == date(2031, 3, 1)
    C.check_notice_removable(1, date(2026, 11, 23), date(2029, 11, 23))
    with pytest.raises(Refused) as e:
        C.check_notice_removable(1, date(2026, 11, 23), date(2029, 11, 22))
    assert e.value.rule == "CLOSE_CONDITIONS" and "2029年11月23日" in e.value.message  # the teller's date format
