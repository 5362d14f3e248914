"""The business rules of 单客户多银行服务 as pure functions over plain values.

Each check either returns quietly or raises `Refused(rule, message)`; nothing here reads or writes a
store. Accounts are anything with the attributes of `AccountLike` (the ORM rows, or the plain
`Account` dataclass the unit tests use). Sources: DOMAIN.md §1–§4 and the exam in
shared/reference (cited as S = single-choice, M = multiple, T = true/false item).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable, Protocol

from teller.domain.errors import BadInput, NotFound, Refused, Rule
from teller.domain.money import Fen, format_amount
from teller.i18n import N_, _

MAX_FUND_ACCOUNTS = 5  # S01: at most five same-name fund accounts
QUALIFIED = "合格"  # S04: only a 合格 account may open the service


class AccountRole(StrEnum):
    """A fund account's place in the service: the main, an aux, or not in the service."""

    MAIN = "main"
    AUX = "aux"
    NONE = "none"


MAIN, AUX, NONE = AccountRole


class Custody(StrEnum):
    """The account's 三方存管 with its bank; 待银行签约 where the bank does not let the broker sign
    (DOMAIN §4, new client). Stored as these words, shown through CUSTODY_TITLES."""

    UNSIGNED = "unsigned"
    PENDING_BANK = "pending_bank"
    SIGNED = "signed"
    TERMINATED = "terminated"


CUSTODY_TITLES = {Custody.UNSIGNED: N_("未签约"), Custody.PENDING_BANK: N_("待银行签约"), Custody.SIGNED: N_("已签约"),
                  Custody.TERMINATED: N_("已解约")}


class AccountLike(Protocol):
    no: str
    customer_code: str
    bank: str
    role: str
    in_service: bool
    transfer_flag: int
    custody: str
    status: str
    cash: int
    frozen: int
    non_withdrawable_today: int
    interest_base: int
    liabilities: int
    commission_class: str


@dataclass
class Account:
    """A fund account as plain values, for tests and for reasoning outside the store."""

    no: str
    customer_code: str = "880001"
    bank: str = "工商银行"
    role: str = NONE
    in_service: bool = False
    transfer_flag: int = 1
    custody: str = Custody.SIGNED
    status: str = "open"
    cash: int = 0
    frozen: int = 0
    non_withdrawable_today: int = 0
    interest_base: int = 0
    liabilities: int = 0
    commission_class: str = "标准"


def available(a: AccountLike) -> Fen:
    return a.cash - a.frozen


def withdrawable(a: AccountLike) -> Fen:
    """Money that arrived today by a main<->aux transfer (or from today's sales) may be traded but
    not taken out until the next trading day (S05, S06); purchases spend withdrawable money first."""
    return max(0, available(a) - a.non_withdrawable_today)


def y(fen: Fen) -> str:
    return format_amount(fen)


def main_of(accounts: Iterable[AccountLike]) -> AccountLike | None:
    """The client's main fund account among `accounts`, or None before 3202 has set one."""
    return next((a for a in accounts if a.in_service and a.role == MAIN), None)


# A client's standing in the service, as the screens show it (stored and shown as these words).
NOT_OPEN, OPENING, CHANGING_MAIN, OPEN = "未开通", "开通中", "主资金账户变更中", "已开通"


def service_state(accounts: Iterable[AccountLike], link_homes: Iterable[str]) -> str:
    """'主资金账户变更中' while a shareholder or open-end fund account already hangs under another
    fund account than the main: the first step of a main change (DOMAIN §4, 3202). `accounts` are
    the client's open fund accounts, `link_homes` the fund account each link hangs under."""
    accounts = list(accounts)
    if not any(a.in_service for a in accounts):
        return NOT_OPEN
    main = main_of(accounts)
    if main is None:
        return OPENING
    if any(home != main.no for home in link_homes):
        return CHANGING_MAIN
    return OPEN


def check_in_service(a: AccountLike) -> None:
    if not a.in_service:
        raise Refused(Rule.NOT_IN_SERVICE, _("资金账户 {no} 未登记单客户多银行服务").format(no=a.no))


def flag_all_targets(accounts: Iterable[AccountLike], flag: int, code: str) -> list[AccountLike]:
    """3201 set_flag_all: every fund account of the client in the service, the main included (exam
    S11 B: "将所有资金账户的标志设置为‘0--关’"; setting only the aux is wrong, ibid. 判断 12). Refused
    when the client has none in the service, or every one already has the flag."""
    registered = [a for a in accounts if a.in_service]
    if not registered:
        raise Refused(Rule.NOT_IN_SERVICE, _("客户 {code} 没有登记单客户多银行服务的资金账户").format(code=code))
    if all(a.transfer_flag == flag for a in registered):
        raise BadInput(N_("划转标志"), _("客户 {code} 的全部资金账户划转标志已是“{flag}”").format(
            code=code, flag=_("1--开") if flag else _("0--关")))
    return registered


def check_same_customer(a: AccountLike, customer_code: str) -> None:
    if a.customer_code != customer_code:
        raise Refused(Rule.NOT_SAME_CUSTOMER, _("资金账户 {no} 不属于客户 {code}").format(no=a.no, code=customer_code))


def check_qualified(status: str, code: str) -> None:
    if status != QUALIFIED:
        raise Refused(
            Rule.NOT_QUALIFIED,
            _("客户 {code} 账户状态为“{status}”，只有合格账户才能开通单客户多银行服务或新增资金账户").format(
                code=code, status=_(status)
            ),
        )


def check_open(a: AccountLike) -> None:
    if a.status != "open":
        raise Refused(Rule.CLOSE_CONDITIONS, _("资金账户 {no} 已销户").format(no=a.no))


def check_room_for_account(open_accounts: int) -> None:
    if open_accounts >= MAX_FUND_ACCOUNTS:
        raise Refused(
            Rule.MAX_ACCOUNTS,
            _("该客户已有 {n} 个资金账户，同一客户最多 {max} 个").format(n=open_accounts, max=MAX_FUND_ACCOUNTS),
        )


def check_new_account(existing: list[AccountLike], status: str, code: str, bank: str) -> None:
    """3101: a further same-name fund account (an aux for the service) only for a 合格 client with
    room for it, and each fund account at its own depository bank (DOMAIN §1)."""
    if existing:
        check_qualified(status, code)
        check_room_for_account(len(existing))
    if any(a.bank == bank for a in existing):
        raise BadInput(N_("存管银行"), _("该客户在{bank}已有资金账户，每个资金账户对应不同的存管银行").format(bank=_(bank)))


def next_account_no(code: str, existing: list[str], taken: set[str]) -> str:
    """The first fund account is the 9-digit client code + 001; each further one is that number
    plus 01..05 (the online-usage note's numbering, DOMAIN §5). `existing`: the client's open
    accounts; `taken`: every number the client ever had (a closed one is not given out again)."""
    if not existing:
        return (code + "001")[-9:].rjust(9, "0")
    base = min((no for no in existing if len(no) == 9), default=existing[0][:9])
    for i in range(1, MAX_FUND_ACCOUNTS + 1):
        candidate = f"{base}{i:02d}"
        if candidate not in taken:
            return candidate
    raise Refused(Rule.MAX_ACCOUNTS, _("该客户的辅助资金账号 01–05 已全部用过"))


def check_link_target(customer_code: str, target: AccountLike) -> None:
    """2101 / 4101 / 4102: a shareholder or open-end fund account hangs under an open fund account
    of its own client; an aux is accepted, the first step of a main change (S08 A)."""
    if target.customer_code != customer_code:
        raise Refused(Rule.NOT_SAME_CUSTOMER, _("资金账户 {no} 不属于该客户").format(no=target.no))
    check_open(target)


def check_new_of_account(customer_code: str, target: AccountLike) -> None:
    """4101: an open-end fund account is opened under the main only (the aux does no trading)."""
    check_link_target(customer_code, target)
    if target.in_service and target.role != MAIN:
        raise Refused(Rule.AUX_NO_TRADE, _("开放式基金账户只能挂在主资金账户下，{no} 不是主资金账户").format(no=target.no))


def check_sign_custody(a: AccountLike) -> None:
    check_open(a)
    if a.custody == Custody.SIGNED:
        raise BadInput(N_("资金账号"), _("资金账户 {no} 已签三方存管").format(no=a.no))


def check_terminate_custody(a: AccountLike) -> None:
    """3104: custody ends only once the account has left the service (3201 on T+1) and its money is out."""
    check_open(a)
    if a.custody != Custody.SIGNED:
        check_custody(a)
    problems = []
    if a.in_service:
        problems.append(_("仍在单客户多银行服务中，须先在次一交易日用 3201 删除"))
    if a.cash or a.frozen:
        problems.append(_("资金余额 {cash} 元须先转出").format(cash=y(a.cash)))
    if problems:
        raise Refused(Rule.CLOSE_CONDITIONS, _("资金账户 {no} 不能解约：{p}").format(no=a.no, p=_("；").join(problems)))


def check_add_to_service(a: AccountLike, status: str, code: str, registered: int) -> None:
    """3201 add: an open, custody-signed fund account of a 合格 client, not yet in the service, and
    no more than five in it (S01)."""
    check_open(a)
    check_qualified(status, code)
    if a.in_service:
        raise BadInput(N_("资金账号"), _("资金账户 {no} 已在单客户多银行服务中").format(no=a.no))
    check_room_for_account(registered)
    check_custody(a)


def check_set_main(target: AccountLike, customer_code: str, in_service: list[AccountLike]) -> None:
    """3202: the new main is an open fund account of the client, registered in the service, not
    the main already, and the service has at least one aux besides it (DOMAIN §4)."""
    check_same_customer(target, customer_code)
    check_open(target)
    if not target.in_service:
        raise Refused(Rule.NOT_IN_SERVICE, _("资金账户 {no} 未登记单客户多银行服务，先用 3201 登记").format(no=target.no))
    old = main_of(in_service)
    if old is not None and old.no == target.no:
        raise BadInput(N_("资金账号"), _("{no} 已是主资金账户").format(no=target.no))
    if len(in_service) < 2:
        raise Refused(Rule.NEEDS_AUX, _("客户只有 {no} 一个资金账户在服务中；开通单客户多银行服务须至少有一个辅助资金账户").format(no=target.no))


def check_key_change(old: tuple[str, str, str], new: tuple[str, str, str]) -> None:
    """1102: (name, ID type, ID number) must differ from what is held."""
    if tuple(old) == tuple(new):
        raise BadInput(N_("客户资料"), _("新资料与现有资料相同，没有要变更的内容"))


def check_key_info(a: AccountLike, pending_banks: Iterable[str]) -> None:
    """Until a bank has received a key-information change, money movements touching that bank's
    fund account are suspended (实施细则 第十条)."""
    if a.bank in set(pending_banks):
        raise Refused(
            Rule.KEY_INFO_PENDING,
            _("客户关键信息变更尚未发送{bank}（资金账户 {no}），请先用 3205 发送并在 6101 确认成功").format(
                bank=_(a.bank), no=a.no
            ),
        )


def check_custody(a: AccountLike) -> None:
    if a.custody != Custody.SIGNED:
        state = _(CUSTODY_TITLES.get(a.custody, CUSTODY_TITLES[Custody.UNSIGNED]))
        raise Refused(
            Rule.CUSTODY_NOT_SIGNED,
            _("资金账户 {no} 三方存管{state}，不能办理银证转账").format(no=a.no, state=state),
        )


def check_withdrawable(a: AccountLike, amount: Fen) -> None:
    w = withdrawable(a)
    if amount > w:
        held = min(a.non_withdrawable_today, available(a))
        reason = _("资金账户 {no} 可取 {w} 元，不足 {amount} 元").format(no=a.no, w=y(w), amount=y(amount))
        if held > 0:
            reason += _("；其中 {held} 元为当日划入或卖出所得，次一交易日方可转出").format(held=y(held))
        raise Refused(Rule.NOT_WITHDRAWABLE, reason, held=y(held) if held > 0 else "")


def check_ledger_transfer(src: AccountLike, dst: AccountLike, amount: Fen, pending_banks: Iterable[str] = ()) -> None:
    """3203: main<->aux only, same client, both in the service with flag 1, within withdrawable."""
    if src.no == dst.no:
        raise Refused(Rule.BAD_INPUT, _("转出与转入不能是同一资金账户 {no}").format(no=src.no))
    if src.customer_code != dst.customer_code:
        raise Refused(
            Rule.NOT_SAME_CUSTOMER,
            _("资金账户 {a} 与 {b} 不属于同一客户，台帐间转账只限同一客户的主辅账户").format(a=src.no, b=dst.no),
        )
    for a in (src, dst):
        check_open(a)
        if not a.in_service:
            raise Refused(Rule.NOT_IN_SERVICE, _("资金账户 {no} 未登记单客户多银行服务（3201）").format(no=a.no))
    if src.role == AUX and dst.role == AUX:
        raise Refused(Rule.AUX_TO_AUX, _("{a} 与 {b} 都是辅助资金账户，辅助资金账户之间不能划转，须经主资金账户").format(a=src.no, b=dst.no))
    if MAIN not in (src.role, dst.role):
        raise Refused(Rule.NOT_IN_SERVICE, _("客户尚未设置主资金账户（3202），不能划转"))
    for a in (src, dst):
        if a.transfer_flag != 1:
            raise Refused(Rule.TRANSFER_CLOSED, _("资金账户 {no} 的划转标志为“0--关”，主辅资金划转功能已关闭").format(no=a.no))
    for a in (src, dst):
        check_key_info(a, pending_banks)
    check_withdrawable(src, amount)


def check_bank_transfer(a: AccountLike, direction: str, amount: Fen, bank_balance: Fen, pending_banks: Iterable[str] = ()) -> None:
    """3105 银证转账 with the account's own depository bank."""
    check_open(a)
    check_custody(a)
    check_key_info(a, pending_banks)
    if direction == "in":
        if amount > bank_balance:
            raise Refused(
                Rule.INSUFFICIENT_FUNDS,
                _("{bank}结算账户余额 {bal} 元，不足转入 {amount} 元").format(bank=_(a.bank), bal=y(bank_balance), amount=y(amount)),
            )
    else:
        check_withdrawable(a, amount)


def apply_ledger_transfer(src: AccountLike, dst: AccountLike, amount: Fen) -> None:
    """3203 / 3204 moves the money; what arrives is tradable at once but may leave only from the
    next trading day (T+1, S05 S06), so it is non-withdrawable today."""
    src.cash -= amount
    dst.cash += amount
    dst.non_withdrawable_today += amount


def collection(code: str, in_service: list[AccountLike], pending_banks: Iterable[str] = ()) \
        -> tuple[AccountLike, list[tuple[AccountLike, Fen]], list[dict]]:
    """3204: every aux's withdrawable money into the main, one line per aux; an aux the transfer
    rules refuse is skipped with its reason. Refused when there is no main, or nothing to move
    (then with the first skipped aux's own refusal)."""
    main = main_of(in_service)
    if main is None:
        raise Refused(Rule.NOT_IN_SERVICE, _("客户 {code} 未开通单客户多银行服务或未设置主资金账户").format(code=code))
    pending = set(pending_banks)
    lines, skipped = [], []
    for aux in (a for a in in_service if a.role == AUX):
        amount = withdrawable(aux)
        if amount <= 0:
            continue
        try:
            check_ledger_transfer(aux, main, amount, pending)
        except Refused as r:
            skipped.append({"account": aux.no, "rule": str(r.rule), "message": r.message})
            continue
        lines.append((aux, amount))
    if not lines:
        if skipped:
            raise Refused(Rule(skipped[0]["rule"]), skipped[0]["message"])
        raise Refused(Rule.NOT_WITHDRAWABLE, _("客户 {code} 的辅助资金账户没有可取资金可归集").format(code=code))
    return main, lines, skipped


def change_main(old: AccountLike | None, new: AccountLike) -> None:
    """3202: the new main takes over the old main's attributes (commission class, rights), and the
    old main stays in the service as an aux (DOMAIN §4)."""
    if old is not None:
        old.role = AUX
        new.commission_class = old.commission_class
    new.role = MAIN


def apply_order(a: AccountLike, side: str, amount: Fen) -> None:
    """5101 (the exchange's stand-in: filled at once, no fees); today's sale proceeds leave from T+1."""
    if side == "sell":
        a.cash += amount
        a.non_withdrawable_today += amount
    else:
        a.cash -= amount


def day_close(a: AccountLike) -> dict:
    """Day-end for a fund account (DOMAIN §2): its closing cash adds to the interest base (利息积数),
    and today's non-withdrawable money may leave from tomorrow. Written over attributes only, so
    the one rule gives a plain account's new values and, over the table's columns, day-end's
    set-based SQL (teller.services.dayend)."""
    return {"interest_base": a.interest_base + a.cash, "non_withdrawable_today": 0}


def check_order(a: AccountLike, side: str, amount: Fen) -> None:
    """5101: trading and subscription only from the main (S03, S07); a purchase spends available."""
    check_open(a)
    if a.in_service and a.role == AUX:
        raise Refused(Rule.AUX_NO_TRADE, _("{no} 是辅助资金账户，只能与主资金账户划转或银证转账，不能买卖或申购").format(no=a.no))
    if a.in_service and a.role != MAIN:
        raise Refused(Rule.NOT_IN_SERVICE, _("客户尚未设置主资金账户（3202），不能委托"))
    if side in ("buy", "subscribe") and amount > available(a):
        raise Refused(
            Rule.INSUFFICIENT_FUNDS,
            _("资金账户 {no} 可用 {avail} 元，不足 {amount} 元").format(no=a.no, avail=y(available(a)), amount=y(amount)),
        )


def check_main_change(events_today: Iterable[str], links_elsewhere: Iterable[str]) -> None:
    """3202 changing an existing main: refused after same-day trading business (M-items on 3202),
    and until every shareholder and open-end fund account hangs under the new main (S08)."""
    blocking = {
        "buy": _("买入委托"), "sell": _("卖出委托"), "subscribe": _("新股申购"), "cancel": _("撤单"),
        "designate": _("指定交易"), "undesignate": _("撤销指定"), "transfer_custody": _("转托管"),
        "open_of": _("开立开放式基金账户"),
    }
    found = [blocking[e] for e in dict.fromkeys(events_today) if e in blocking]
    if found:
        raise Refused(
            Rule.MAIN_CHANGE_BLOCKED,
            _("客户当日已有{what}，当日不能变更主资金账户，请次一交易日办理").format(what=_("、").join(found)),
        )
    links = list(links_elsewhere)
    if links:
        raise Refused(
            Rule.LINKS_NOT_MIGRATED,
            _("以下账户仍挂在其他资金账户下：{links}；请先用 2101（股东账户）和 4102（基金账户）迁到新主资金账户").format(
                links=_("、").join(links)
            ),
        )


def check_delete_from_service(a: AccountLike, others_in_service: int, capitalized_today: bool, moved_out_today: bool) -> None:
    """3201 delete: an aux only once its money and interest are out, on the trading day after
    the 利息归本 (procedure 'closing an aux'); the main only after every aux is gone."""
    check_in_service(a)
    if a.role == MAIN and others_in_service > 0:
        raise Refused(
            Rule.CLOSE_CONDITIONS,
            _("{no} 是主资金账户，还有 {n} 个辅助资金账户在服务中，须先逐个删除辅助资金账户").format(no=a.no, n=others_in_service),
        )
    if a.role != MAIN:
        problems = []
        if a.cash != 0:
            problems.append(_("资金余额 {cash} 元未转出").format(cash=y(a.cash)))
        if a.interest_base != 0:
            problems.append(_("利息积数未归本（先做 3106）"))
        if problems:
            raise Refused(Rule.CLOSE_CONDITIONS, _("资金账户 {no}：{p}").format(no=a.no, p=_("；").join(problems)))
    if capitalized_today or moved_out_today:
        raise Refused(
            Rule.T_PLUS_1,
            _("资金账户 {no} 当日已办理利息归本或资金转出，须在次一交易日（T+1）才能从单客户多银行服务中删除").format(no=a.no),
        )


def check_close_account(a: AccountLike, links: Iterable[str]) -> None:
    """3102 needs all four: custody terminated, cash zero, interest base zero, liabilities zero."""
    check_open(a)
    problems = []
    if a.in_service:
        problems.append(_("仍在单客户多银行服务中（先用 3201 删除）"))
    if a.custody not in (Custody.TERMINATED, Custody.UNSIGNED):
        problems.append(_("三方存管未解约（3104）"))
    if a.cash != 0 or a.frozen != 0:
        problems.append(_("资金余额 {cash} 元不为零").format(cash=y(a.cash)))
    if a.interest_base != 0:
        problems.append(_("利息积数不为零（3106）"))
    if a.liabilities != 0:
        problems.append(_("负债 {l} 元未清").format(l=y(a.liabilities)))
    links = list(links)
    if links:
        problems.append(_("仍挂有账户：{links}").format(links=_("、").join(links)))
    if problems:
        raise Refused(Rule.CLOSE_CONDITIONS, _("资金账户 {no} 不能销户：{p}").format(no=a.no, p=_("；").join(problems)))


def annual_rate(text: str) -> Decimal:
    """The branch's annual interest rate (setting interest_rate, e.g. "0.0035"): a decimal from 0
    up to but not including 1, so a mistyped setting is refused by name instead of crashing 3106."""
    try:
        rate = Decimal(str(text).strip())
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not 0 <= rate < 1:
        raise BadInput("interest_rate", _("年利率应为 0 到 1 之间的小数，如 0.0035，现为“{v}”").format(v=text))
    return rate


def refuse_waiting_review(review_id: int, requested_by: str) -> None:
    """Maker-checker (8102): the same request for the same client waits once; a second is refused
    until a supervisor has decided the first."""
    raise Refused(
        Rule.NEEDS_REVIEW,
        _("同一业务已在等待复核（复核号 {id}，{who} 提交）：请主管先在 8102 处理").format(id=review_id, who=requested_by),
        review_id=review_id,
    )


def account_at_bank(accounts: Iterable[AccountLike], bank: str) -> AccountLike:
    """3205 sends a key-information change to one depository bank: the client's fund account there."""
    found = next((a for a in accounts if a.bank == bank), None)
    if found is None:
        raise NotFound(N_("该客户在此银行的资金账户"), bank)
    return found


def interest_for(interest_base: int, annual_rate: Decimal) -> Fen:
    """利息 = 积数 x 年利率 / 360, rounded half up to the fen."""
    return int((Decimal(interest_base) * annual_rate / 360).quantize(Decimal(1), rounding=ROUND_HALF_UP))

