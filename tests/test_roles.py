"""Security of the counter (issue 5): a teller acts only within the role's functions, and nobody
approves their own request."""

from __future__ import annotations

import pytest
from conftest import BASE, build

from teller.domain.roles import ROLE_FUNCTIONS, may_run
from teller.services.base import BY_CODE, Context
from teller.services.counter import Counter  # noqa: F401  (importing the counter registers every function)

TELLERS = "".join(f'\n[[tellers]]\nid = "R-{role}"\nrole = "{role}"\n' for role in ROLE_FUNCTIONS)
STATE = BASE + TELLERS + """
[[tellers]]
id = "S01"
role = "supervisor"

[[accounts]]
no = "880001001"
customer = "880001"
bank = "工商银行"
role = "main"

[[accounts]]
no = "88000100101"
customer = "880001"
bank = "建设银行"
role = "aux"
"""


def test_every_role_listed_function_exists():
    listed = set().union(*ROLE_FUNCTIONS.values())
    assert listed - set(BY_CODE) <= {"9103"}  # 9103 is the training menu, not a counter function


# Real inputs for every function (issue 11: empty ones say nothing of a call that would otherwise go
# through): the accounts of STATE, a real amount, a real target teller; per function what differs.
VALUES = {
    "account": "880001001", "from": "88000100101", "to": "880001001", "fund_account": "880001001",
    "amount": "1.00", "customer": "880001", "bank": "建设银行", "direction": "in", "channel": "counter",
    "id_type": "居民身份证", "id_no": "11010519491231002X", "name": "张三", "side": "buy", "flag": 0,
    "instruction": "运营[2026]17号", "approve": "1", "journal": "1", "request": "1", "id": "R-teller",
    "password": "newpass1", "role": "teller", "status": "合格", "subject": "S01", "kind": "exam",
    "score": 90, "total": 100, "passed": True, "timed_out": False, "started": "2026-11-23T09:00:00",
    "finished": "2026-11-23T10:00:00", "text": "x", "content": "告知", "reason": "x", "note": "x",
}
ACTION = {"9102": "reset_password", "9103": "record", "3201": "set_flag", "2101": "add", "7103": "add"}


def real_params(code: str) -> dict:
    from teller.domain.catalog import BY_CODE as ENTRIES

    params = {k: VALUES[k] for k in ENTRIES[code].params if k in VALUES}
    if "action" in ENTRIES[code].params:
        params["action"] = ACTION.get(code, "add")
    params.pop("reject", None)
    return params


@pytest.mark.parametrize("role", sorted(ROLE_FUNCTIONS))
def test_each_function_refuses_exactly_the_roles_without_it(role):
    counter, _ = build(STATE)
    refused = set()
    for code in sorted(BY_CODE):
        o = counter.preview(code, real_params(code), Context(teller_id=f"R-{role}", documents=None))
        # The role check comes first and says so (README: the order of checks).
        if o.rule == "FORBIDDEN" and "无权办理" in o.message:
            refused.add(code)
    assert refused == {code for code in BY_CODE if not may_run(role, code)}


def test_nobody_approves_their_own_request():
    counter, _ = build(STATE)
    asked = counter.run("maintain_multibank", {"account": "880001001", "action": "set_flag", "flag": 0,
                                               "instruction": "运营[2026]17号"}, Context(teller_id="S01", documents=None))
    rid = asked.data["review_id"]
    own = counter.run("review", {"approve": rid}, Context(teller_id="S01"))
    assert own.rule == "FORBIDDEN" and str(rid) in own.message
    assert counter.run("query", {"account": "880001001"}).data["transfer_flag"] == 1
    assert counter.run("review", {"approve": rid}, Context(teller_id="S00")).ok
    assert counter.run("query", {"account": "880001001"}).data["transfer_flag"] == 0
