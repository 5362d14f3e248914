"""A function applies whole or not at all: a failure after some effects leaves no trace of them."""

import pytest

from svc import branch, call, q
from teller.services.base import Tx


def test_a_crash_after_the_effects_rolls_everything_back(monkeypatch):
    c = branch()

    def explode(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Tx, "archive_filings", explode)
    with pytest.raises(RuntimeError):
        call(c, "ledger_transfer", **{"from": "88000100101", "to": "880001001", "amount": "500.00"})
    monkeypatch.undo()
    assert q(c, "88000100101")["cash"] == "2000.00" and q(c, "880001001")["cash"] == "1000.00"
    assert call(c, "query_ledger_journal", customer="880001").data["lines"] == []
    assert call(c, "archive", customer="880001").data["documents"] == []


def test_collect_refused_moves_nothing():
    """3204 checks every aux before it moves any money; with the main's own bank not yet told of a
    key-information change, nothing may move at all."""
    c = branch()
    assert call(c, "bank_transfer", account="88000100102", direction="in", amount="50.00").ok
    rid = call(c, "change_key_info", customer="880001", name="张叁").data["review_id"]
    assert call(c, "review", teller="S01", approve=rid).ok
    o = call(c, "collect", customer="880001")
    assert o.rule == "KEY_INFO_PENDING"
    assert (q(c, "88000100101")["cash"], q(c, "88000100102")["cash"], q(c, "880001001")["cash"]) == ("2000.00", "50.00", "1000.00")


@pytest.mark.parametrize("params,field", [
    ({"from": "88000100101", "to": "880001001", "amount": "-1"}, "金额"),
    ({"from": "88000100101", "to": "880001001", "amount": "1.001"}, "金额"),
    ({"from": "88000100101", "to": "880001001", "amount": "99999999999"}, "金额"),
    ({"from": "88000100101", "to": "880001001"}, "金额"),
    ({"from": "", "to": "880001001", "amount": "1"}, "转出资金账号"),
    ({"from": "88000100101", "to": "880001001", "amount": "1", "channel": "fax"}, "渠道"),
])
def test_bad_input_names_the_field_and_changes_nothing(params, field):
    c = branch()
    o = call(c, "ledger_transfer", **params)
    assert o.rule == "BAD_INPUT" and field in o.message, o.message
    assert q(c, "88000100101")["cash"] == "2000.00"


def test_unknown_account_and_client_are_not_found():
    c = branch()
    o = call(c, "ledger_transfer", **{"from": "123", "to": "880001001", "amount": "1"})
    assert o.rule == "NOT_FOUND" and "123" in o.message
    assert call(c, "collect", customer="999999").rule == "NOT_FOUND"
    assert call(c, "no_such_function").rule == "BAD_INPUT"
