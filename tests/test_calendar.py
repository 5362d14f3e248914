import subprocess
import sys
from datetime import date, timedelta

import pytest

from teller.domain.calendar import TradingCalendar, default_calendar, validate_table


@pytest.fixture(scope="module")
def cal() -> TradingCalendar:
    return default_calendar()


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


# Holidays checked by hand against the State Council notices and the exchange's 休市安排:
# 2025: 春节 1/28-2/4 (除夕 a holiday from 2025), 国庆+中秋 10/1-10/8.
# 2026: 元旦 1/1-1/3, 春节 2/15-2/23, 劳动节 5/1-5/5, 国庆 10/1-10/7 (10/8 open: 中秋 is 9/25).
@pytest.mark.parametrize(
    "first, last",
    [
        (date(2025, 1, 28), date(2025, 2, 4)),
        (date(2025, 10, 1), date(2025, 10, 8)),
        (date(2026, 1, 1), date(2026, 1, 2)),
        (date(2026, 2, 16), date(2026, 2, 23)),
        (date(2026, 5, 1), date(2026, 5, 5)),
        (date(2026, 10, 1), date(2026, 10, 7)),
    ],
)
def test_known_holidays_are_closed(cal, first, last):
    assert not any(cal.is_trading_day(d) for d in days(first, last))


def test_days_around_holidays_are_open(cal):
    for d in (date(2026, 2, 13), date(2026, 2, 24), date(2026, 10, 8), date(2025, 10, 9), date(2026, 12, 31)):
        assert cal.is_trading_day(d), d


def test_weekends_are_closed_including_swapped_working_saturdays(cal):
    # 2026-02-14 and 2026-02-28 are 调休 working Saturdays for employers; the exchange stays closed.
    assert not cal.is_trading_day(date(2026, 2, 14))
    assert not cal.is_trading_day(date(2026, 2, 28))
    assert not any(cal.is_trading_day(d) for d in days(date(2015, 1, 1), date(2031, 12, 31)) if d.weekday() >= 5)


def test_next_trading_day_crosses_the_end_of_the_official_table(cal):
    assert cal.next_trading_day(date(2026, 12, 31)) == date(2027, 1, 4)
    assert cal.next_trading_day(date(2026, 2, 13)) == date(2026, 2, 24)
    assert cal.previous_trading_day(date(2026, 2, 24)) == date(2026, 2, 13)


def test_years_after_the_official_table_work_and_are_provisional(cal):
    assert cal.last_known_year == 2027
    assert not cal.is_provisional(date(2026, 12, 31))
    assert cal.is_provisional(date(2027, 3, 1))
    assert not cal.is_trading_day(date(2027, 2, 8))  # estimated 春节 week
    assert cal.is_provisional(date(2030, 5, 6))
    # Past the table only the solar-calendar holidays are known: 2030-01-01 is a Tuesday.
    assert not cal.is_trading_day(date(2030, 1, 1))
    assert cal.next_trading_day(date(2029, 12, 31)) == date(2030, 1, 2)
    assert not any(cal.is_trading_day(d) for d in days(date(2030, 5, 1), date(2030, 5, 5)))
    assert not any(cal.is_trading_day(d) for d in days(date(2030, 10, 1), date(2030, 10, 7)))
    assert cal.next_trading_day(date(2030, 9, 30)) == date(2030, 10, 8)


@pytest.mark.parametrize("start", [date(2025, 1, 27), date(2026, 9, 24), date(2026, 12, 30), date(2029, 12, 28)])
@pytest.mark.parametrize("n", [0, 1, 5, 20, 250, -1, -7, -250])
def test_add_trading_days_round_trips(cal, start, n):
    end = cal.add_trading_days(start, n)
    assert cal.add_trading_days(end, -n) == start
    assert cal.trading_days_between(start, end) == n
    assert cal.trading_days_between(end, start) == -n


def test_trading_days_between_counts_after_a_up_to_b(cal):
    # 2026-02-13 (Fri) .. 2026-02-24 (Tue): only the 24th is open after the 13th.
    assert cal.trading_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 1
    assert cal.trading_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


BAD_UPDATE = """\
source = "test update"

[years.2027]
status = "official"
closed = [
  "2027-01-01",
  "2027-02-30",
  "2028-01-03",
  "2027-02-06",
]

[years.2028]
status = "draft"
closed = []
"""


def test_malformed_update_is_reported_with_line_and_date():
    messages = validate_table(BAD_UPDATE)
    assert len(messages) == 4, messages
    bad_date, other_year, weekend, status = messages
    assert "第 7 行" in bad_date and "2027-02-30" in bad_date
    assert "第 8 行" in other_year and "2028-01-03" in other_year and "2027" in other_year
    assert "第 9 行" in weekend and "2027-02-06" in weekend
    assert "第 13 行" in status and "2028" in status and "draft" in status
    with pytest.raises(ValueError, match="2027-02-30"):
        default_calendar().merge(BAD_UPDATE)


def test_unreadable_update_is_reported():
    """Each unreadable table is reported with what is wrong with it (one message each), not merely
    with some message."""
    (broken,) = validate_table('[years.2027\nstatus = "official"')
    assert "格式错误" in broken and "line 1" in broken
    for no_years in ('source = "nothing"', ""):
        assert validate_table(no_years) == ["日历文件没有任何年份（应有 [years.年份] 表）"]
    (not_a_list,) = validate_table('[years.2027]\nstatus = "official"\nclosed = "2027-01-01"')
    assert "第 1 行" in not_a_list and "2027" in not_a_list and "closed" in not_a_list
    assert validate_table('[years.2027]\nstatus = "official"\nclosed = ["2027-01-01"]') == []  # and a good one passes


def test_shipped_table_is_valid():
    from importlib import resources

    text = (resources.files("teller.data") / "calendar" / "xshg.toml").read_text(encoding="utf-8")
    assert validate_table(text) == []


def test_merge_replaces_a_year(cal):
    update = '[years.2027]\nstatus = "official"\nclosed = ["2027-01-01", "2027-06-10"]\n'
    merged = cal.merge(update)
    assert not merged.is_provisional(date(2027, 6, 9))
    assert merged.is_trading_day(date(2027, 6, 9)) and not merged.is_trading_day(date(2027, 6, 10))
    assert merged.is_trading_day(date(2027, 2, 8))  # the estimate's closures are gone with the year
    assert not merged.is_trading_day(date(2026, 2, 16))  # other years untouched
    assert cal.is_provisional(date(2027, 6, 9))  # the original calendar is unchanged
    assert merged.merge('[years.2029]\nstatus = "provisional"\nclosed = []\n').last_known_year == 2029


def test_load_from_a_given_path(tmp_path):
    path = tmp_path / "xshg.toml"
    path.write_text('[years.2031]\nstatus = "official"\nclosed = ["2031-01-02"]\n', encoding="utf-8")
    loaded = TradingCalendar.load(path)
    assert loaded.last_known_year == 2031 and not loaded.is_trading_day(date(2031, 1, 2))


def test_default_calendar_is_the_shipped_table_read_once():
    # Its speed is bench/'s start-up figure; here: what makes it fast (the shipped table, read once,
    # never the exchange_calendars library, whose import alone takes seconds).
    probe = ("import sys; from teller.domain.calendar import default_calendar; c = default_calendar(); "
             "assert c is default_calendar(); assert c.is_trading_day(__import__('datetime').date(2026, 11, 23)); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('exchange_calendars', 'pandas')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.filterwarnings("ignore:Series.values returning an ndarray")  # inside exchange_calendars
def test_shipped_table_agrees_with_exchange_calendars(cal):
    xc = pytest.importorskip("exchange_calendars")
    xshg = xc.get_calendar("XSHG")
    sessions = {ts.date() for ts in xshg.sessions_in_range("2024-01-01", "2026-12-31")}
    for d in days(date(2024, 1, 1), date(2026, 12, 31)):
        assert cal.is_trading_day(d) == (d in sessions), d
