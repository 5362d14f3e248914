"""Helpers for service-level tests: one branch state, and a terse way to call a function."""

from __future__ import annotations

from conftest import build

from teller.services.base import Context

BRANCH = """
date = "2026-11-23"
auto_documents = false

[[tellers]]
id = "S01"
role = "supervisor"
[[tellers]]
id = "TR01"
role = "trainer"

[[customers]]
code = "880001"
name = "张三"
kind = "individual"
id_type = "居民身份证"
id_no = "11010519491231002X"
status = "合格"

[[customers]]
code = "880002"
name = "李四"
id_no = "110101199003074477"

[[customers]]
code = "880003"
name = "王五"
id_no = "440305198811112222"
status = "休眠"

[[customers]]
code = "880004"
name = "示范科技有限公司"
kind = "institution"
id_type = "统一社会信用代码"
id_no = "91110000600037341L"

[[customers]]
code = "880005"
name = "赵六"
id_no = "310101198501010014"

[[accounts]]
no = "880001001"
customer = "880001"
bank = "工商银行"
role = "main"
cash = "1000.00"

[[accounts]]
no = "88000100101"
customer = "880001"
bank = "建设银行"
role = "aux"
cash = "2000.00"

[[accounts]]
no = "88000100102"
customer = "880001"
bank = "中国银行"
role = "aux"

[[accounts]]
no = "880002001"
customer = "880002"
bank = "工商银行"
role = "main"
cash = "5000.00"

[[accounts]]
no = "880002002"
customer = "880002"
bank = "农业银行"
role = "aux"

[[accounts]]
no = "880003001"
customer = "880003"
bank = "工商银行"
cash = "10.00"

[[accounts]]
no = "880004001"
customer = "880004"
bank = "交通银行"
role = "main"
cash = "3000000.00"

[[accounts]]
no = "880004002"
customer = "880004"
bank = "兴业银行"
role = "aux"

[[accounts]]
no = "880005001"
customer = "880005"
bank = "工商银行"
cash = "100.00"

[[shareholder_accounts]]
no = "A000880001"
customer = "880001"
fund_account = "880001001"

[[of_accounts]]
no = "F00000001"
customer = "880001"
fund_account = "880001001"

[[shareholder_accounts]]
no = "A000880005"
customer = "880005"
fund_account = "880005001"
"""

ALL = None  # documents=None: every required paper is on the counter


def branch(extra: str = ""):
    return build(BRANCH + extra)[0]


def call(counter, op, *, teller="T00", docs=ALL, agent=False, channel="counter", **params):
    ctx = Context(teller_id=teller, documents=None if docs is None else frozenset(docs), agent=agent, channel=channel)
    if op == "ledger_transfer":
        params.setdefault("channel", channel)
    return counter.run(op, params, ctx)


def q(counter, account):
    return call(counter, "query", account=account).data
