"""Every rule code of DOMAIN.md §6 is returned by at least one refusal, with a message that says why."""

import re
from pathlib import Path

import pytest

from svc import branch, call
from teller.domain.errors import Rule

X = {"from": "88000100101", "to": "880001001", "amount": "1.00"}

CASES = {
    "MAX_ACCOUNTS": (None, [("open_asset_account", {"customer": "880001", "bank": "农业银行"}),
                            ("open_asset_account", {"customer": "880001", "bank": "交通银行"})],
                     ("open_asset_account", {"customer": "880001", "bank": "兴业银行"})),
    "NOT_QUALIFIED": (None, [], ("maintain_multibank", {"account": "880003001", "action": "add"})),
    "NOT_IN_SERVICE": (None, [("open_asset_account", {"customer": "880005", "bank": "建设银行"})],
                       ("ledger_transfer", {"from": "880005001", "to": "88000500101", "amount": "1.00"})),
    "NEEDS_AUX": (None, [("maintain_multibank", {"account": "880005001", "action": "add"})],
                  ("set_main", {"customer": "880005", "account": "880005001"})),
    "AUX_TO_AUX": (None, [], ("ledger_transfer", {"from": "88000100101", "to": "88000100102", "amount": "1.00"})),
    "NOT_SAME_CUSTOMER": (None, [], ("ledger_transfer", {"from": "88000100101", "to": "880002001", "amount": "1.00"})),
    "AUX_NO_TRADE": (None, [], ("order", {"account": "88000100101", "side": "subscribe", "amount": "1.00"})),
    "NOT_WITHDRAWABLE": (None, [], ("bank_transfer", {"account": "88000100102", "direction": "out", "amount": "0.01"})),
    "INSUFFICIENT_FUNDS": (None, [], ("order", {"account": "880001001", "side": "buy", "amount": "1000.01"})),
    "TRANSFER_CLOSED": ('[[accounts]]\nno = "880002003"\ncustomer = "880002"\nbank = "中国银行"\nrole = "aux"\ntransfer_flag = 0\ncash = "9.00"\n',
                        [], ("ledger_transfer", {"from": "880002003", "to": "880002001", "amount": "1.00"})),
    "MAIN_CHANGE_BLOCKED": (None, [("order", {"account": "880002001", "side": "buy", "amount": "1.00"})],
                            ("set_main", {"customer": "880002", "account": "880002002"})),
    "LINKS_NOT_MIGRATED": (None, [], ("set_main", {"customer": "880001", "account": "88000100101"})),
    "KEY_INFO_PENDING": (None, [("change_key_info", {"customer": "880001", "name": "张叁"}),
                                ("review", {"approve": "1"}, "S01")], ("ledger_transfer", X)),
    "CUSTODY_NOT_SIGNED": ('[[accounts]]\nno = "880002003"\ncustomer = "880002"\nbank = "中国银行"\ncustody = "unsigned"\n',
                           [], ("bank_transfer", {"account": "880002003", "direction": "in", "amount": "1.00"})),
    "CLOSE_CONDITIONS": (None, [], ("close_asset_account", {"account": "880005001"})),
    "T_PLUS_1": ('[[accounts]]\nno = "880002003"\ncustomer = "880002"\nbank = "中国银行"\nrole = "aux"\n',
                 [("capitalize_interest", {"account": "880002003"})],
                 ("maintain_multibank", {"account": "880002003", "action": "delete"})),
    "DOC_MISSING": (None, [], ("ledger_transfer", X), []),
    "NEEDS_REVIEW": (None, [("change_key_info", {"customer": "880001", "name": "张叁"})],
                     ("change_key_info", {"customer": "880001", "name": "张叁叁"})),
    "FORBIDDEN": (None, [], ("review", {"approve": "1"})),
    "BAD_INPUT": (None, [], ("ledger_transfer", {"from": "88000100101", "to": "880001001", "amount": "１０"})),
    "NOT_FOUND": (None, [], ("query", {"account": "999999999"})),
    "BANK_FAILED": ('\n[[bank_faults]]\nbank = "工商银行"\nfault = "fail"\nkind = "transfer_in"\n', [],
                    ("bank_transfer", {"account": "880001001", "direction": "in", "amount": "1.00"})),
    "BANK_NO_ANSWER": ('\n[[bank_faults]]\nbank = "工商银行"\nfault = "timeout"\nkind = "transfer_out"\n', [],
                       ("bank_transfer", {"account": "880001001", "direction": "out", "amount": "1.00"})),
    # six transfers and money out to a bank, no trade: a first warning, which is educated, not closed
    "ALERT_ACTION": (None, [("ledger_transfer", {**X, "channel": "online"})] * 6
                     + [("bank_transfer", {"account": "880001001", "direction": "out", "amount": "1.00"})],
                     ("handle_alert", {"alert": "1", "action": "close_transfer"})),
}


def test_the_rule_codes_are_exactly_the_contracts():
    domain = (Path(__file__).resolve().parents[2] / "shared" / "DOMAIN.md")
    if not domain.exists():
        pytest.skip("DOMAIN.md not beside the checkout")
    text = domain.read_text(encoding="utf-8")
    listed = set(re.findall(r"`([A-Z_0-9]+)`", text[text.index("Rule codes returned on refusal"):]))
    assert listed == {r.value for r in Rule}
    assert set(CASES) == {r.value for r in Rule}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_each_rule_code_refuses_with_a_reason(rule):
    extra, before, attempt, *docs = CASES[rule]
    c = branch(extra or "")
    for step in before:
        op, params, *who = step
        o = call(c, op, teller=who[0] if who else "T00", **params)
        assert o.ok, (op, o.message)
    op, params = attempt
    o = call(c, op, docs=docs[0] if docs else None, **params)
    assert (o.ok, o.rule) == (False, rule), o.message
    assert len(o.message) >= 8 and o.journal_id is not None
