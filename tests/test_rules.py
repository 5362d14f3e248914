"""The rules of teller.domain on plain values, no store: every worked fact of DOMAIN.md §2 and a
refusal for every rule code of §6. Runs in milliseconds; the services' tests check the same rules
reach the counter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from teller.domain import compliance as C
from teller.domain import monitors as M
from teller.domain import papers as P
from teller.domain import rules as R
from teller.domain.banks import RequestState, answer_rule
from teller.domain.errors import Refused, Rule
from teller.domain.identity import check_client_code, check_id
from teller.domain.money import parse_amount
from teller.domain.roles import check_may_import_bank, check_may_remove_notices

Y = parse_amount  # "1000" -> 100000 fen


def acct(no: str, role: str = R.NONE, cash: str = "0", **kw) -> R.Account:
    return R.Account(no=no, role=role, in_service=role != R.NONE, cash=Y(cash, allow_zero=True), **kw)


MAIN = acct("880001001", R.MAIN, "1000")
AUX = acct("88000100101", R.AUX, "2000", bank="建设银行")
AUX2 = acct("88000100102", R.AUX, "0", bank="中国银行")


def refused(rule: Rule, check, *args, **kwargs) -> Refused:
    with pytest.raises(Refused) as e:
        check(*args, **kwargs)
    assert e.value.rule == rule, e.value
    assert e.value.message
    return e.value


# --- DOMAIN.md §2, the worked facts of the exam -----------------------------------------------------

def test_aux_to_main_on_t_is_tradable_but_not_withdrawable_until_t_plus_1():
    main, aux = replace(MAIN), replace(AUX)
    R.check_ledger_transfer(aux, main, Y("1000"))
    R.apply_ledger_transfer(aux, main, Y("1000"))
    assert (R.available(main), R.withdrawable(main)) == (Y("2000"), Y("1000"))
    e = refused(Rule.NOT_WITHDRAWABLE, R.check_bank_transfer, main, "out", Y("1500"), 0)
    assert "次一交易日" in e.message
    R.check_bank_transfer(main, "out", Y("1000"), 0)  # the main's own money leaves today
    R.check_order(main, "buy", Y("1000"))  # purchases may spend today's arrival
    refused(Rule.AUX_NO_TRADE, R.check_order, aux, "buy", Y("1000"))


def test_money_that_came_in_today_cannot_go_back_out_the_same_day():
    a, b = acct("880001001", R.MAIN, "1000"), acct("88000100101", R.AUX, "1000")
    R.check_ledger_transfer(b, a, Y("1000"))
    R.apply_ledger_transfer(b, a, Y("1000"))
    refused(Rule.NOT_WITHDRAWABLE, R.check_ledger_transfer, a, b, Y("1500"))


def test_main_to_the_bank_of_an_aux_goes_main_to_aux_on_t_then_aux_to_bank_on_t_plus_1():
    main, aux = replace(MAIN), replace(AUX2)
    R.apply_ledger_transfer(main, aux, Y("500"))
    refused(Rule.NOT_WITHDRAWABLE, R.check_bank_transfer, aux, "out", Y("500"), 0)
    for k, v in R.day_close(aux).items():  # day-end
        setattr(aux, k, v)
    R.check_bank_transfer(aux, "out", Y("500"), 0)
    R.check_bank_transfer(replace(MAIN), "out", Y("1000"), 0)  # or straight to the main's own bank


def test_purchases_spend_withdrawable_money_first_and_at_most_the_available():
    main = replace(MAIN, frozen=Y("100"), non_withdrawable_today=Y("300"))
    assert (R.available(main), R.withdrawable(main)) == (Y("900"), Y("600"))
    refused(Rule.INSUFFICIENT_FUNDS, R.check_order, main, "buy", Y("901"))
    R.apply_order(main, "sell", Y("100"))  # today's sale proceeds wait for T+1 too
    assert R.withdrawable(main) == Y("600")


def test_bank_transfer_in_is_withdrawable_at_once_and_day_end_counts_interest_on_closing_cash():
    a = replace(MAIN, non_withdrawable_today=Y("1000"))
    R.check_bank_transfer(a, "in", Y("500"), Y("500"))
    refused(Rule.INSUFFICIENT_FUNDS, R.check_bank_transfer, a, "in", Y("501"), Y("500"))
    assert R.day_close(a) == {"interest_base": Y("1000"), "non_withdrawable_today": 0}
    assert R.interest_for(Y("360000"), Decimal("0.0035")) == Y("3.50")


# --- one refusal for every rule code ------------------------------------------------------------------

def _five() -> list[R.Account]:
    return [acct(f"88000100{i}", R.AUX) for i in range(5)]


CASES: dict[Rule, list] = {
    Rule.MAX_ACCOUNTS: [(R.check_room_for_account, 5),
                        (R.next_account_no, "880001", ["880001001"], {f"880001001{i:02d}" for i in range(1, 6)})],
    Rule.NOT_QUALIFIED: [(R.check_qualified, "休眠", "880001"),
                         (R.check_new_account, [MAIN], "风险处置", "880001", "农业银行")],
    Rule.NOT_IN_SERVICE: [(R.check_ledger_transfer, MAIN, acct("88000100103", cash="0"), 1),
                          (R.check_in_service, acct("88000100103")),
                          (R.check_delete_from_service, acct("88000100103"), 0, False, False)],
    Rule.NEEDS_AUX: [(R.check_set_main, AUX, "880001", [AUX])],
    Rule.AUX_TO_AUX: [(R.check_ledger_transfer, AUX, AUX2, 1)],
    Rule.NOT_SAME_CUSTOMER: [(R.check_ledger_transfer, AUX, replace(MAIN, customer_code="880002"), 1),
                             (R.check_link_target, "880002", MAIN),
                             (R.check_set_main, AUX, "880002", [MAIN, AUX])],
    Rule.AUX_NO_TRADE: [(R.check_order, AUX, "buy", 1), (R.check_new_of_account, "880001", AUX)],
    Rule.NOT_WITHDRAWABLE: [(R.check_withdrawable, replace(AUX, non_withdrawable_today=Y("2000")), 1)],
    Rule.INSUFFICIENT_FUNDS: [(R.check_order, MAIN, "subscribe", Y("1000.01")),
                              (R.check_bank_transfer, MAIN, "in", 2, 1)],
    Rule.TRANSFER_CLOSED: [(R.check_ledger_transfer, replace(AUX, transfer_flag=0), MAIN, 1)],
    Rule.MAIN_CHANGE_BLOCKED: [(R.check_main_change, [e], []) for e in
                               ("buy", "sell", "subscribe", "cancel", "designate", "undesignate", "transfer_custody", "open_of")],
    Rule.LINKS_NOT_MIGRATED: [(R.check_main_change, ["ledger_out"], ["股东账户 A000000001"])],
    Rule.KEY_INFO_PENDING: [(R.check_ledger_transfer, AUX, MAIN, 1, ["建设银行"]),
                            (R.check_bank_transfer, MAIN, "out", 1, 0, ["工商银行"])],
    Rule.CUSTODY_NOT_SIGNED: [(R.check_bank_transfer, replace(MAIN, custody=c), "in", 1, 1) for c in
                              ("unsigned", "pending_bank", "terminated")]
                             + [(R.check_add_to_service, replace(AUX, in_service=False, custody="unsigned"), "合格", "880001", 1)],
    Rule.CLOSE_CONDITIONS: [(R.check_close_account, replace(AUX, in_service=False), []),
                            (R.check_close_account, acct("88000100103", custody="terminated", liabilities=1), []),
                            (R.check_close_account, acct("88000100103", custody="terminated"), ["股东账户 A1"]),
                            (R.check_close_account, replace(MAIN, status="closed"), []),
                            (R.check_terminate_custody, AUX),
                            (R.check_delete_from_service, AUX, 1, False, False),
                            (R.check_delete_from_service, acct("88000100103", R.AUX, interest_base=1), 1, False, False),
                            (R.check_delete_from_service, MAIN, 1, False, False),
                            (C.check_notice_removable, 1, date(2024, 1, 2), date(2026, 11, 23))],
    Rule.T_PLUS_1: [(R.check_delete_from_service, replace(AUX2), 1, True, False),
                    (R.check_delete_from_service, replace(AUX2), 1, False, True)],
    Rule.DOC_MISSING: [(P.check_ticked, [P.Filing(P.TRANSFER_FORM, ("1",))], set()),
                       (P.check_ticked, P.with_agent([P.Filing(P.CLOSE_FORM)], True, ()), {P.CLOSE_FORM, P.POWER_OF_ATTORNEY})],
    Rule.NEEDS_REVIEW: [(R.refuse_waiting_review, 3, "T01")],
    Rule.FORBIDDEN: [(P.check_agent_allowed, True, False), (check_may_import_bank, "teller"),
                     (check_may_remove_notices, "teller"), (check_may_remove_notices, None),
                     (C.next_aml_state, C.NEW, "report", "teller", "")],
    Rule.BAD_INPUT: [(parse_amount, "１００"), (parse_amount, 100.0), (parse_amount, "-1"), (parse_amount, "1.001"),
                     (check_id, "居民身份证", "110105194912310021"), (check_client_code, "88001"),
                     (R.annual_rate, "abc"), (R.annual_rate, "1.5"), (R.check_ledger_transfer, MAIN, MAIN, 1),
                     (R.check_add_to_service, AUX, "合格", "880001", 1), (R.check_set_main, MAIN, "880001", [MAIN, AUX]),
                     (R.check_key_change, ("张三", "居民身份证", "1"), ("张三", "居民身份证", "1")),
                     (R.check_sign_custody, MAIN), (R.check_new_account, [MAIN], "合格", "880001", "工商银行"),
                     (C.next_aml_state, C.REPORTED, "review", "supervisor", ""),
                     (C.next_aml_state, C.NEW, "dismiss", "supervisor", " ")],
    Rule.NOT_FOUND: [(R.account_at_bank, [MAIN, AUX], "招商银行")],
    Rule.ALERT_ACTION: [(M.check_alert_action, M.CLOSE_TRANSFER, M.EDUCATE, ""),
                        (M.check_alert_action, M.EDUCATE, M.CLOSE_TRANSFER, "")],
}


@pytest.mark.parametrize(("rule", "case"), [(rule, case) for rule, cases in CASES.items() for case in cases],
                         ids=lambda v: v.value if isinstance(v, Rule) else getattr(v[0], "__name__", "?"))
def test_each_rule_refuses_with_its_code_and_a_reason(rule, case):
    check, *args = case
    refused(rule, check, *args)


def test_a_bank_answer_names_its_rule():
    assert answer_rule(RequestState.FAILED) == Rule.BANK_FAILED
    assert answer_rule(RequestState.TIMEOUT) == Rule.BANK_NO_ANSWER
    assert answer_rule(RequestState.FAILED, "INSUFFICIENT_FUNDS") == Rule.INSUFFICIENT_FUNDS
    assert answer_rule(RequestState.OK) is answer_rule(RequestState.SET_OK) is None


def test_every_rule_code_is_covered_here():
    covered = set(CASES) | {Rule.BANK_FAILED, Rule.BANK_NO_ANSWER}
    assert covered == set(Rule)


# --- what the refusals allow ----------------------------------------------------------------------

def test_what_the_rules_allow():
    R.check_room_for_account(4)
    assert R.next_account_no("880001", [], set()) == "880001001"
    assert R.next_account_no("880001", ["880001001", "88000100101"], {"880001001", "88000100101"}) == "88000100102"
    R.check_set_main(AUX, "880001", [MAIN, AUX])
    R.check_main_change(["ledger_out", "ledger_in"], [])  # a main<->aux transfer the same day does not block
    R.check_close_account(acct("88000100103", custody="terminated"), [])
    R.check_delete_from_service(acct("88000100103", R.AUX), 1, False, False)
    R.check_add_to_service(replace(AUX, in_service=False), "合格", "880001", 4)
    P.check_ticked(P.with_agent([P.Filing(P.CLOSE_FORM)], True, ()), {P.CLOSE_FORM, P.POWER_OF_ATTORNEY, P.AGENT_ID})
    M.check_alert_action(M.EDUCATE, M.CLOSE_TRANSFER, "运营[2026]7号")
    assert R.main_of([AUX, MAIN]) is MAIN and R.main_of([AUX]) is None
    assert R.annual_rate("0.0035") == Decimal("0.0035")


def test_collection_moves_every_aux_s_withdrawable_money_and_skips_what_the_rules_refuse():
    closed = replace(AUX2, cash=Y("300"), transfer_flag=0)
    main, lines, skipped = R.collection("880001", [MAIN, AUX, closed])
    assert main is MAIN and [(a.no, m) for a, m in lines] == [(AUX.no, Y("2000"))]
    assert [s["rule"] for s in skipped] == ["TRANSFER_CLOSED"]
    refused(Rule.TRANSFER_CLOSED, R.collection, "880001", [MAIN, closed])  # nothing else to move
    refused(Rule.NOT_WITHDRAWABLE, R.collection, "880001", [MAIN, replace(AUX2)])
    refused(Rule.NOT_IN_SERVICE, R.collection, "880001", [AUX, AUX2])


def test_the_new_main_takes_over_the_old_mains_attributes():
    old, new = replace(MAIN, commission_class="VIP"), replace(AUX)
    R.change_main(old, new)
    assert (old.role, new.role, new.commission_class) == (R.AUX, R.MAIN, "VIP")


def test_the_clients_service_state():
    assert R.service_state([acct("880001001")], []) == R.NOT_OPEN
    assert R.service_state([AUX], []) == R.OPENING
    assert R.service_state([MAIN, AUX], [MAIN.no]) == R.OPEN
    assert R.service_state([MAIN, AUX], [MAIN.no, AUX.no]) == R.CHANGING_MAIN  # 2101 moved one first


def test_set_flag_all_takes_every_account_in_the_service_the_main_included():
    """Exam S11 B: all fund accounts to 0--关 (判断 12: not only the aux)."""
    outside = acct("88000100103", cash="0")
    assert R.flag_all_targets([MAIN, AUX, AUX2, outside], 0, "880001") == [MAIN, AUX, AUX2]
    closed = [replace(a, transfer_flag=0) for a in (MAIN, AUX)]
    assert R.flag_all_targets(closed, 1, "880001") == closed
    refused(Rule.NOT_IN_SERVICE, R.flag_all_targets, [outside], 0, "880001")
    refused(Rule.BAD_INPUT, R.flag_all_targets, closed, 0, "880001")
