"""Amounts: exact fen, strict parsing, a clear message naming the field for every bad input."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from teller.domain.errors import BadInput
from teller.domain.money import MAX_AMOUNT_FEN, format_amount, parse_amount


@pytest.mark.parametrize("text,fen", [
    ("1000", 100000), ("1000.5", 100050), ("1,000.00", 100000), ("0.01", 1), (" 12.30 ", 1230),
    (Decimal("2.50"), 250), (7, 700), ("10000000000.00", MAX_AMOUNT_FEN),
])
def test_good_amounts(text, fen):
    assert parse_amount(text) == fen


@pytest.mark.parametrize("text,words", [
    ("-5", "负数"), ("0", "大于零"), ("0.00", "大于零"), ("1.234", "两位小数"), ("１０００", "全角"),
    ("abc", "格式"), ("", "为空"), ("1e5", "格式"), ("10000000000.01", "上限"), (1.5, "浮点"),
    ("1,00.00", "格式"), ("NaN", "格式"), (True, "浮点"), (None, "数字"),
])
def test_bad_amounts_name_the_field_and_the_rule(text, words):
    with pytest.raises(BadInput) as e:
        parse_amount(text, "转账金额")
    assert e.value.rule == "BAD_INPUT"
    assert "转账金额" in e.value.message and words in e.value.message


def test_zero_allowed_where_asked():
    assert parse_amount("0.00", allow_zero=True) == 0


@given(st.integers(min_value=1, max_value=MAX_AMOUNT_FEN))
def test_format_then_parse_round_trips(fen):
    assert parse_amount(format_amount(fen)) == fen
    assert parse_amount(format_amount(fen, grouping=False)) == fen


def test_format_negative_and_grouping():
    assert format_amount(-123456) == "-1,234.56"
    assert format_amount(5) == "0.05"
