"""Each function code of DOMAIN.md §3 (but the 7xxx detectors and 9103) does what §4 says."""

from sqlmodel import select

from svc import branch, call, q
from teller.store.db import unit_of_work
from teller.store.models import Document, Journal


def docs_of(c, customer):
    return [(d["paper"], d["account"]) for d in call(c, "archive", customer=customer).data["documents"]]


def test_1101_joint_open_creates_client_account_and_shareholder_accounts():
    c = branch()
    dup = call(c, "joint_open", name="孙七", id_no="11010519491231002X", bank="工商银行")
    assert dup.rule == "BAD_INPUT" and "880001" in dup.message  # one client, one client code
    bad = call(c, "joint_open", name="孙七", id_no="110101197001011230", bank="工商银行")
    assert bad.rule == "BAD_INPUT" and "校验位" in bad.message
    o = call(c, "joint_open", name="孙七", id_no="110101197001011238", bank="工商银行", customer="880009")
    assert o.ok, o.message
    v = call(c, "query_customer", customer="880009").data
    assert v["name"] == "孙七" and [a["no"] for a in v["accounts"]] == ["880009001"]
    assert {s["market"] for s in v["shareholder_accounts"]} == {"SH", "SZ"}
    assert v["id_no"] != "110101197001011238" and v["id_no"].endswith("1238")  # masked
    assert set(docs_of(c, "880009")) == {("自然人/机构账户信息表", "880009001"), ("身份证明文件", "880009001")}
    auto = call(c, "joint_open", name="周八", id_no="440106199212124563", bank="建设银行")
    assert auto.ok and auto.data["customer"] == "880010"


def test_1101_needs_its_papers():
    c = branch()
    o = call(c, "joint_open", docs=["身份证明文件"], name="孙七", id_no="110101197001011238", bank="工商银行")
    assert o.rule == "DOC_MISSING" and "自然人/机构账户信息表" in o.message
    assert not call(c, "query_customer", customer="880006").ok  # nothing half-made


def test_1102_key_info_change_waits_for_review_then_blocks_money_until_each_bank_is_told():
    c = branch()
    o = call(c, "change_key_info", customer="880001", name="张叁")
    assert o.ok and o.data["status"] == "pending_review"
    assert call(c, "query_customer", customer="880001").data["name"] == "张三"  # not yet
    self_ok = call(c, "review", teller="T00", approve=o.data["review_id"])
    assert self_ok.rule == "FORBIDDEN"  # a teller cannot approve
    a = call(c, "review", teller="S00", approve=o.data["review_id"])
    assert a.ok, a.message
    assert call(c, "query_customer", customer="880001").data["name"] == "张叁"
    blocked = call(c, "ledger_transfer", **{"from": "88000100101", "to": "880001001", "amount": "10.00"})
    assert blocked.rule == "KEY_INFO_PENDING" and "建设银行" in blocked.message or "工商银行" in blocked.message
    for bank in ("工商银行", "建设银行"):
        assert call(c, "send_bank_update", customer="880001", bank=bank).ok
    # 中国银行 still has the old name: its aux is blocked, the others move again
    assert call(c, "ledger_transfer", **{"from": "88000100101", "to": "880001001", "amount": "10.00"}).ok
    assert call(c, "bank_transfer", account="88000100102", direction="in", amount="1.00").rule == "KEY_INFO_PENDING"
    assert call(c, "send_bank_update", customer="880001", bank="中国银行").ok
    assert call(c, "bank_transfer", account="88000100102", direction="in", amount="1.00").ok
    results = call(c, "query_bank_journal", customer="880001").data["requests"]
    assert [r["bank"] for r in results if r["kind"] == "key_update"] == ["工商银行", "建设银行", "中国银行"]
    assert all(r["state"] == "成功" for r in results)


def test_2101_and_4102_accept_an_aux_as_target_and_the_client_shows_main_change_in_progress():
    c = branch()
    assert call(c, "maintain_shareholder", shareholder_account="A000880001", fund_account="88000100101").ok
    assert call(c, "query_customer", customer="880001").data["service_state"] == "主资金账户变更中"
    assert call(c, "set_default_asset_account", of_account="F00000001", fund_account="88000100101").ok
    other = call(c, "maintain_shareholder", shareholder_account="A000880001", fund_account="880002001")
    assert other.rule == "NOT_SAME_CUSTOMER"


def test_3101_opens_an_aux_with_its_form_and_auto_number():
    c = branch()
    assert call(c, "open_asset_account", docs=[], customer="880001", bank="农业银行").rule == "DOC_MISSING"
    o = call(c, "open_asset_account", docs=["新增辅助资金账户申请表"], customer="880001", bank="农业银行")
    assert o.ok and o.data["fund_account"] == "88000100103"
    assert ("新增辅助资金账户申请表", "88000100103") in docs_of(c, "880001")
    same_bank = call(c, "open_asset_account", customer="880001", bank="农业银行")
    assert same_bank.rule == "BAD_INPUT" and "农业银行" in same_bank.message


def test_3101_refuses_a_sixth_account_and_an_unqualified_client():
    c = branch()
    for bank in ("农业银行", "交通银行"):
        assert call(c, "open_asset_account", customer="880001", bank=bank).ok
    sixth = call(c, "open_asset_account", customer="880001", bank="兴业银行")
    assert sixth.rule == "MAX_ACCOUNTS"
    assert call(c, "open_asset_account", customer="880003", bank="建设银行").rule == "NOT_QUALIFIED"


def test_3103_signs_custody_and_banks_without_counter_signing_wait_for_the_bank():
    c = branch()
    assert call(c, "open_asset_account", customer="880005", bank="招商银行").ok
    acct = "88000500101"
    assert call(c, "bank_transfer", account=acct, direction="in", amount="1.00").rule == "CUSTODY_NOT_SIGNED"
    pending = call(c, "sign_custody", account=acct)
    assert pending.ok and pending.data["custody"] == "pending_bank"
    assert call(c, "sign_custody", account=acct, bank_confirmed=True).data["custody"] == "signed"
    assert call(c, "bank_transfer", account=acct, direction="in", amount="1.00").ok


def test_opening_the_service_for_an_existing_client():
    """3101 aux, 3103 custody, 3201 add each account (first one with the 协议书), 3202 set main."""
    c = branch()
    assert call(c, "open_asset_account", customer="880005", bank="建设银行").ok
    aux = "88000500101"
    assert call(c, "sign_custody", account=aux).ok
    first = call(c, "maintain_multibank", docs=[], account="880005001", action="add")
    assert first.rule == "DOC_MISSING" and "单客户多银行服务协议书" in first.message
    assert call(c, "maintain_multibank", docs=["单客户多银行服务协议书", "自然人/机构账户信息表"],
                account="880005001", action="add").ok
    assert call(c, "maintain_multibank", docs=[], account=aux, action="add").ok  # later adds: no paper
    assert call(c, "set_main", docs=[], customer="880005", account="880005001").ok  # the first main: no paper
    v = call(c, "query_multibank", customer="880005").data
    assert {a["no"]: a["role"] for a in v["accounts"]} == {"880005001": "main", aux: "aux"}
    assert ("单客户多银行服务协议书", "880005001") in docs_of(c, "880005")
    assert ("新增辅助资金账户申请表", aux) in docs_of(c, "880005")


def test_3202_needs_an_aux_first():
    c = branch()
    assert call(c, "maintain_multibank", account="880005001", action="add").ok
    assert call(c, "set_main", customer="880005", account="880005001").rule == "NEEDS_AUX"


def test_changing_the_main_with_shareholder_and_fund_accounts_under_it():
    c = branch()
    refused = call(c, "set_main", customer="880001", account="88000100101")
    assert refused.rule == "LINKS_NOT_MIGRATED" and "A000880001" in refused.message and "F00000001" in refused.message
    assert call(c, "maintain_shareholder", shareholder_account="A000880001", fund_account="88000100101").ok
    assert call(c, "set_main", customer="880001", account="88000100101").rule == "LINKS_NOT_MIGRATED"
    assert call(c, "set_default_asset_account", of_account="F00000001", fund_account="88000100101").ok
    assert call(c, "set_main", docs=[], customer="880001", account="88000100101").rule == "DOC_MISSING"
    o = call(c, "set_main", docs=["变更主资金账户申请表"], customer="880001", account="88000100101")
    assert o.ok, o.message
    assert q(c, "88000100101")["role"] == "main" and q(c, "880001001")["role"] == "aux"
    # archived under both the old and the new main (exam S09 C)
    assert {a for p, a in docs_of(c, "880001") if p == "变更主资金账户申请表"} == {"880001001", "88000100101"}
    assert call(c, "query_customer", customer="880001").data["service_state"] == "已开通"


def test_3202_is_blocked_after_same_day_trading_business_but_not_after_a_transfer():
    c = branch()
    assert call(c, "ledger_transfer", **{"from": "88000100102", "to": "880001001", "amount": "0.01"}).rule == "NOT_WITHDRAWABLE"
    assert call(c, "ledger_transfer", **{"from": "880001001", "to": "88000100102", "amount": "1.00"}).ok
    assert call(c, "set_main", customer="880005", account="880005001").rule == "NOT_IN_SERVICE"
    c2 = branch()
    for kind in ("designate",):
        assert call(c2, "designation", customer="880002", kind=kind).ok
    blocked = call(c2, "set_main", customer="880002", account="880002002")
    assert blocked.rule == "MAIN_CHANGE_BLOCKED" and "指定交易" in blocked.message
    assert call(c2, "end_of_day").ok
    assert call(c2, "set_main", customer="880002", account="880002002").ok  # next day it goes
    # a same-day main<->aux transfer alone does not block
    assert call(c, "maintain_shareholder", shareholder_account="A000880001", fund_account="88000100101").ok
    assert call(c, "set_default_asset_account", of_account="F00000001", fund_account="88000100101").ok
    assert call(c, "set_main", customer="880001", account="88000100101").ok


def test_5101_5102_and_4101_each_block_a_main_change_the_same_day():
    for op, params in (("order", {"account": "880002001", "side": "sell", "amount": "10.00"}),
                       ("cancel_order", {"customer": "880002"}),
                       ("open_of_account", {"customer": "880002", "fund_account": "880002001"})):
        c = branch()
        assert call(c, op, **params).ok
        assert call(c, "set_main", customer="880002", account="880002002").rule in ("MAIN_CHANGE_BLOCKED", "LINKS_NOT_MIGRATED")
        if op != "open_of_account":
            assert call(c, "set_main", customer="880002", account="880002002").rule == "MAIN_CHANGE_BLOCKED"


def test_4101_of_account_only_under_the_main():
    c = branch()
    assert call(c, "open_of_account", customer="880001", fund_account="88000100101").rule == "AUX_NO_TRADE"
    o = call(c, "open_of_account", customer="880001", fund_account="880001001")
    assert o.ok and o.data["of_account"] == "F00000002"


def test_counter_transfer_aux_to_main_needs_the_form_and_files_it():
    c = branch()
    o = call(c, "ledger_transfer", docs=[], **{"from": "88000100101", "to": "880001001", "amount": "100.00"})
    assert o.rule == "DOC_MISSING"
    assert q(c, "88000100101")["cash"] == "2000.00"
    o = call(c, "ledger_transfer", docs=["单客户多银行服务资金划转申请表"], **{"from": "88000100101", "to": "880001001", "amount": "100.00"})
    assert o.ok
    online = call(c, "ledger_transfer", docs=[], channel="online", **{"from": "88000100101", "to": "880001001", "amount": "1.00"})
    assert online.ok  # the client's own online transfer needs no paper
    lines = call(c, "query_ledger_journal", customer="880001").data["lines"]
    assert [(l["kind"], l["amount"], l["channel"]) for l in lines] == [
        ("ledger_out", "100.00", "counter"), ("ledger_in", "100.00", "counter"),
        ("ledger_out", "1.00", "online"), ("ledger_in", "1.00", "online")]


def test_3204_collects_every_aux_with_one_line_each():
    c = branch()
    assert call(c, "bank_transfer", account="88000100102", direction="in", amount="50.00").ok
    o = call(c, "collect", customer="880001")
    assert o.ok and o.data["total"] == "2050.00" and len(o.data["lines"]) == 2
    assert q(c, "880001001")["cash"] == "3050.00" and q(c, "880001001")["withdrawable"] == "1000.00"
    again = call(c, "collect", customer="880001")
    assert again.rule == "NOT_WITHDRAWABLE"


def test_closing_the_transfer_function_sets_every_flag_after_approval():
    c = branch()
    no_instr = call(c, "maintain_multibank", account="880001001", action="set_flag", flag=0)
    assert no_instr.rule == "BAD_INPUT" and "指令号" in no_instr.message
    ids = []
    for acct in ("880001001", "88000100101", "88000100102"):
        o = call(c, "maintain_multibank", account=acct, action="set_flag", flag=0, instruction="运营[2026]9号")
        assert o.data["status"] == "pending_review"
        ids.append(o.data["review_id"])
    assert q(c, "880001001")["transfer_flag"] == 1  # nothing until approved
    for rid in ids:
        assert call(c, "review", teller="S01", approve=rid).ok
    assert {q(c, a)["transfer_flag"] for a in ("880001001", "88000100101", "88000100102")} == {0}
    t = call(c, "ledger_transfer", **{"from": "88000100101", "to": "880001001", "amount": "1.00"})
    assert t.rule == "TRANSFER_CLOSED"
    assert call(c, "bank_transfer", account="88000100101", direction="out", amount="1.00").ok  # 银证转账 still works


def test_closing_an_aux_over_two_days():
    c = branch("""
[[accounts]]
no = "880002003"
customer = "880002"
bank = "中国银行"
role = "aux"
cash = "500.00"
interest_base = "36000.00"
""")
    aux = "880002003"
    o = call(c, "capitalize_interest", account=aux)
    assert o.ok and o.data["interest"] == "0.35"  # 36,000.00 yuan-days x 0.35% / 360
    assert call(c, "bank_transfer", account=aux, direction="out", amount="500.35").ok
    same_day = call(c, "maintain_multibank", account=aux, action="delete")
    assert same_day.rule == "T_PLUS_1"
    assert call(c, "end_of_day").ok
    papers = call(c, "maintain_multibank", docs=["资产转出及销户申请表"], account=aux, action="delete")
    assert papers.rule == "DOC_MISSING" and "资金利息归本单" in papers.message
    assert call(c, "close_asset_account", account=aux).rule == "CLOSE_CONDITIONS"
    assert call(c, "maintain_multibank", account=aux, action="delete").ok
    assert call(c, "close_asset_account", account=aux).rule == "CLOSE_CONDITIONS"  # custody still signed
    assert call(c, "terminate_custody", account=aux).ok
    closed = call(c, "close_asset_account", account=aux)
    assert closed.ok
    assert q(c, aux)["role"] == "none"
    accounts = call(c, "query_customer", customer="880002").data["accounts"]
    assert {a["no"]: a["status"] for a in accounts}[aux] == "closed"
    assert aux not in [a["no"] for a in call(c, "query_multibank", customer="880002").data["accounts"]]


def test_ending_the_service_deletes_every_account_main_last():
    c = branch()
    main_first = call(c, "maintain_multibank", account="880002001", action="delete")
    assert main_first.rule == "CLOSE_CONDITIONS"
    assert call(c, "maintain_multibank", account="880002002", action="delete").ok
    last = call(c, "maintain_multibank", docs=["资产转出及销户申请表", "资金利息归本单"], account="880002001", action="delete")
    assert last.rule == "DOC_MISSING" and "账户综合业务申请表" in last.message
    assert call(c, "maintain_multibank", account="880002001", action="delete").ok
    assert q(c, "880002001") == {"cash": "5000.00", "available": "5000.00", "withdrawable": "5000.00", "role": "none", "transfer_flag": 0}
    assert call(c, "order", account="880002001", side="buy", amount="10.00").ok  # an ordinary account again


def test_3102_refuses_until_all_four_conditions_hold():
    c = branch("""
[[accounts]]
no = "880002003"
customer = "880002"
bank = "中国银行"
custody = "terminated"
liabilities = "12.00"
""")
    o = call(c, "close_asset_account", account="880002003")
    assert o.rule == "CLOSE_CONDITIONS" and "负债" in o.message


def test_5103_records_designations():
    c = branch()
    for kind in ("designate", "undesignate", "transfer_custody"):
        assert call(c, "designation", customer="880002", kind=kind).ok
    assert call(c, "designation", customer="880002", kind="fly").rule == "BAD_INPUT"


def test_6102_query_and_9101_day_end_interest_base():
    c = branch()
    assert call(c, "end_of_day").ok
    v = call(c, "query_customer", customer="880001").data
    assert {a["no"]: a["interest_base"] for a in v["accounts"]}["880001001"] == "100000"  # 1000.00 in fen
    again = call(c, "end_of_day")  # the date moved on: this is the next day's, which is allowed
    assert again.ok and again.data["closed"] == "2026-11-24"


def test_day_end_moves_across_weekends_and_into_2027():
    c = build_at("2026-11-27")
    assert call(c, "end_of_day").data["next"] == "2026-11-30"
    c = build_at("2026-12-31")
    o = call(c, "end_of_day")
    assert o.data["next"] == "2027-01-04" and o.data.get("provisional_calendar")


def build_at(day):
    from conftest import build

    return build(f'date = "{day}"\n')[0]


def test_7103_notice_and_8101_archive_and_journal_lines_for_refusals():
    c = branch()
    assert call(c, "notify", customer="880001", content="规则变更告知").ok
    assert call(c, "ledger_transfer", **{"from": "88000100101", "to": "88000100102", "amount": "1.00"}).rule == "AUX_TO_AUX"
    with unit_of_work(c.engine) as s:
        lines = list(s.exec(select(Journal).order_by(Journal.id)))
        assert [(j.function_code, j.ok, j.rule) for j in lines] == [("7103", True, ""), ("3203", False, "AUX_TO_AUX")]
        assert lines[1].inputs["from"] == "88000100101" and lines[1].teller_id == "T00" and lines[1].terminal
        assert lines[1].prev_hash == lines[0].hash and lines[1].hash
        assert s.exec(select(Document)).all() == []


def test_9102_manage_tellers_and_sign_on_lockout():
    from teller.domain.errors import Refused
    from teller.services.auth import sign_on

    c = branch()
    assert call(c, "manage_tellers", teller="T00", action="add", id="T09", password="secret1").rule == "FORBIDDEN"
    assert call(c, "manage_tellers", teller="S01", action="add", id="T09", password="secret1", role="teller").ok
    assert sign_on(c.engine, "T09", "secret1").role == "teller"
    for _ in range(5):
        try:
            sign_on(c.engine, "T09", "wrong")
        except Refused:
            pass
    try:
        sign_on(c.engine, "T09", "secret1")
        raise AssertionError("a locked teller signed on")
    except Refused as e:
        assert "锁定" in e.message
    assert call(c, "manage_tellers", teller="S01", action="unlock", id="T09").ok
    assert sign_on(c.engine, "T09", "secret1").id == "T09"
    assert call(c, "manage_tellers", teller="TR01", action="add", id="S09", role="supervisor", password="secret1").rule == "FORBIDDEN"


def test_agent_needs_both_papers():
    c = branch()
    o = call(c, "ledger_transfer", agent=True, docs=["单客户多银行服务资金划转申请表", "授权委托书"],
             **{"from": "88000100101", "to": "880001001", "amount": "1.00"})
    assert o.rule == "DOC_MISSING" and "代理人身份证明" in o.message
    o = call(c, "ledger_transfer", agent=True, docs=["单客户多银行服务资金划转申请表", "授权委托书", "代理人身份证明"],
             **{"from": "88000100101", "to": "880001001", "amount": "1.00"})
    assert o.ok
    assert ("代理人身份证明", "88000100101") in docs_of(c, "880001")


def test_3201_set_flag_all_closes_every_account_in_one_request_with_one_review():
    """Exam S11 B: every fund account, the main included, to 0--关 on one instruction, one approval."""
    c = branch()
    no_instr = call(c, "maintain_multibank", customer="880001", action="set_flag_all", flag=0)
    assert no_instr.rule == "BAD_INPUT" and "指令号" in no_instr.message
    o = call(c, "maintain_multibank", account="88000100101", action="set_flag_all", flag=0, instruction="运营[2026]9号")
    assert o.data["status"] == "pending_review", o.message
    again = call(c, "maintain_multibank", customer="880001", action="set_flag_all", flag=0, instruction="运营[2026]9号")
    assert again.rule == "NEEDS_REVIEW"  # one request waits at a time, by code or by account
    assert q(c, "880001001")["transfer_flag"] == 1  # nothing until approved
    a = call(c, "review", teller="S01", approve=o.data["review_id"])
    assert a.ok, a.message
    assert {q(c, n)["transfer_flag"] for n in ("880001001", "88000100101", "88000100102")} == {0}
    assert "880001001、88000100101、88000100102" in a.message and "运营[2026]9号" in a.message
    t = call(c, "ledger_transfer", **{"from": "88000100101", "to": "880001001", "amount": "1.00"})
    assert t.rule == "TRANSFER_CLOSED"
    assert call(c, "maintain_multibank", customer="880001", action="set_flag_all", flag=0,
                instruction="运营[2026]9号").rule == "BAD_INPUT"  # already closed: nothing to do
    reopened = call(c, "maintain_multibank", customer="880001", action="set_flag_all", flag=1)
    assert reopened.ok and reopened.data.get("status") != "pending_review", reopened.message
    assert {q(c, n)["transfer_flag"] for n in ("880001001", "88000100101", "88000100102")} == {1}
    assert call(c, "maintain_multibank", customer="880005", action="set_flag_all", flag=0,
                instruction="x").rule == "NOT_IN_SERVICE"


def test_a_bank_is_taken_by_its_code_as_f4_shows_it():
    """Issue 10 item 8: `BOC` (F4's code column, no IME needed) as well as 中国银行."""
    c = branch()
    o = call(c, "open_asset_account", customer="880002", bank="boc")
    assert o.ok and o.data["bank"] == "中国银行", o.message
    assert call(c, "open_asset_account", customer="880002", bank="XYZ").rule == "BAD_INPUT"
    call(c, "change_key_info", customer="880001", name="张叁")
    from teller.store.models import Review
    from sqlmodel import Session, select
    with Session(c.engine) as s:
        rid = s.exec(select(Review.id)).first()
    assert call(c, "review", teller="S01", approve=rid).ok
    sent = call(c, "send_bank_update", customer="880001", bank="CCB")
    assert sent.ok and sent.data["bank"] == "建设银行", sent.message
