"""Every worked fact of DOMAIN.md §2, from the user's exam, through the service layer."""

import pytest

from svc import branch, call, q


@pytest.fixture
def c():
    c = branch()
    assert call(c, "ledger_transfer", **{"from": "88000100101", "to": "880001001", "amount": "1000.00"}).ok
    return c


def test_aux_to_main_on_T_is_available_but_not_withdrawable(c):
    assert q(c, "880001001") | {} == {"cash": "2000.00", "available": "2000.00", "withdrawable": "1000.00",
                                       "role": "main", "transfer_flag": 1}


def test_withdrawing_1500_fails_and_1000_succeeds(c):
    refused = call(c, "bank_transfer", account="880001001", direction="out", amount="1500.00")
    assert (refused.ok, refused.rule) == (False, "NOT_WITHDRAWABLE")
    assert q(c, "880001001")["cash"] == "2000.00"  # nothing moved
    assert call(c, "bank_transfer", account="880001001", direction="out", amount="1000.00").ok
    assert q(c, "880001001")["cash"] == "1000.00"


def test_buying_1000_from_the_main_succeeds_and_from_the_aux_fails(c):
    assert call(c, "order", account="880001001", side="buy", amount="1000.00").ok
    aux = call(c, "order", account="88000100101", side="buy", amount="1000.00")
    assert (aux.ok, aux.rule) == (False, "AUX_NO_TRADE")


def test_money_that_came_today_cannot_go_back_out_the_same_day():
    c = branch()
    # main A 1000, aux B 1000: B->A 1000 then A->B 1500 on the same day is refused.
    assert call(c, "ledger_transfer", **{"from": "88000100101", "to": "880001001", "amount": "1000.00"}).ok
    back = call(c, "ledger_transfer", **{"from": "880001001", "to": "88000100101", "amount": "1500.00"})
    assert (back.ok, back.rule) == (False, "NOT_WITHDRAWABLE")
    # the main's own 1000 may go: only the arrived 1000 is held
    assert call(c, "ledger_transfer", **{"from": "880001001", "to": "88000100101", "amount": "1000.00"}).ok


def test_main_to_aux_bank_takes_two_days():
    c = branch()
    assert call(c, "ledger_transfer", **{"from": "880001001", "to": "88000100102", "amount": "600.00"}).ok
    out = call(c, "bank_transfer", account="88000100102", direction="out", amount="600.00")
    assert (out.ok, out.rule) == (False, "NOT_WITHDRAWABLE")
    assert call(c, "end_of_day").ok
    assert call(c, "bank_transfer", account="88000100102", direction="out", amount="600.00").ok
    # or straight from the main to the main's own bank, the same day
    assert call(c, "bank_transfer", account="880001001", direction="out", amount="400.00").ok


def test_purchases_spend_withdrawable_money_first(c):
    assert call(c, "order", account="880001001", side="buy", amount="500.00").ok
    assert q(c, "880001001")["withdrawable"] == "500.00"
    assert q(c, "880001001")["available"] == "1500.00"


def test_bank_transfer_in_is_withdrawable_at_once():
    c = branch()
    assert call(c, "bank_transfer", account="88000100102", direction="in", amount="300.00").ok
    assert q(c, "88000100102")["withdrawable"] == "300.00"
