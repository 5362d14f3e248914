"""The 单帐户多银行 menu: 3201 account maintenance, 3202 set the main, 3205 send key-information
changes to each bank, 3206 query."""

from __future__ import annotations

from sqlmodel import select

from teller.domain import papers as P
from teller.domain import rules as R
from teller.domain.banks import bank_named
from teller.i18n import N_, _
from teller.services import banklink
from teller.services.accounts import links_under
from teller.services.base import Done, Params, Tx, function
from teller.services.moneyops import moved_out_today
from teller.services.views import account_view
from teller.store.models import FundAccount, OfAccount, ShareholderAccount, TradeEvent

ACTIONS = ("add", "delete", "set_flag", "set_flag_all")


@function("3201")
def maintain_multibank(tx: Tx, p: Params) -> Done | dict:
    if p.raw.get("action") == "set_flag_all":
        return _set_flag_all(tx, p)
    a = tx.account(p.text("account", N_("资金账号")))
    action = p.choice("action", N_("操作"), ACTIONS)
    c = tx.customer(a.customer_code)
    accounts = tx.accounts_of(c.code)
    registered = [x for x in accounts if x.in_service and x.no != a.no]
    if action == "add":
        return _add(tx, p, a, c, accounts, registered)
    if action == "delete":
        return _delete(tx, a, registered)
    return _set_flag(tx, p, a, c)


def _agreement_home(accounts: list[FundAccount], registered: list[FundAccount], a: FundAccount, tx: Tx) -> str:
    """The 协议书 is archived under the main: the current main, else the account that holds the
    client's shareholder accounts (it becomes the main), else the one being registered."""
    main = R.main_of(registered)
    if main:
        return main.no
    holder = tx.s.exec(select(ShareholderAccount.fund_account).where(ShareholderAccount.customer_code == a.customer_code)).first()
    return holder or a.no


def _add(tx: Tx, p: Params, a: FundAccount, c, accounts, registered) -> Done:  # noqa: ANN001
    R.check_add_to_service(a, c.status, c.code, len(registered))
    flag = p.flag("flag", N_("划转标志")) if p.raw.get("flag") is not None else 1
    if registered:
        tx.require_papers([])
    else:
        home = _agreement_home(accounts, registered, a, tx)
        tx.require_papers([P.Filing(P.AGREEMENT, (home,)), P.Filing(P.ACCOUNT_INFO, (home,))])
    a.in_service, a.role, a.transfer_flag = True, R.AUX, flag
    tx.s.add(a)
    note = _("资金账户 {no} 已登记单客户多银行服务，划转标志 {flag}").format(no=a.no, flag=_("1--开") if flag else _("0--关"))
    data = {"account": account_view(a)}
    if R.main_of(registered) is None:
        note += _("；登记完毕后用 3202 设置主资金账户")
        data["next"] = "3202"
    return Done(data, note)


def _delete(tx: Tx, a: FundAccount, registered: list[FundAccount]) -> Done:
    R.check_delete_from_service(a, len(registered), a.capitalized_on == tx.today, moved_out_today(tx, a.no))
    filings = [P.Filing(P.CLOSE_FORM, (a.no,)), P.Filing(P.INTEREST_SLIP, (a.no,))]
    if not registered:  # the client's last one: the service ends
        filings.append(P.Filing(P.GENERAL_FORM, (a.no,)))
    tx.require_papers(filings)
    was_main = a.role == R.MAIN
    a.in_service, a.role, a.transfer_flag = False, R.NONE, 0
    tx.s.add(a)
    if was_main:
        msg = _("主资金账户 {no} 已删除，单客户多银行服务已终止；该账户保留为普通资金账户").format(no=a.no)
    else:
        msg = _("辅助资金账户 {no} 已从服务中删除；下一步 3104 解约、3102 销户").format(no=a.no)
    return Done({"account": account_view(a), **({} if was_main else {"next": "3104"})}, msg)


def _set_flag(tx: Tx, p: Params, a: FundAccount, c) -> Done:  # noqa: ANN001
    """Closing the main<->aux transfer function: every fund account, the main included, to 0--关
    (S11 B), on the operations department's instruction and a supervisor's approval."""
    R.check_in_service(a)
    flag = p.flag("flag", N_("划转标志"))
    if flag == 0:
        instruction = p.text("instruction", N_("运营管理部指令号"))
        pending = tx.review_gate(c.code)
        if pending:
            return pending
    else:
        instruction = p.text("instruction", N_("运营管理部指令号"), required=False)
    tx.require_papers([])
    a.transfer_flag = flag
    tx.s.add(a)
    still_open = [x.no for x in tx.accounts_of(c.code, lock=False) if x.in_service and x.transfer_flag == 1 and x.no != a.no]
    msg = _("资金账户 {no} 划转标志已设为 {flag}").format(no=a.no, flag=_("1--开") if flag else _("0--关"))
    if flag == 0 and still_open:
        msg += _("；注意：{others} 仍为“1--开”，关闭划转功能须把全部资金账户（含主资金账户）设为 0").format(others=_("、").join(still_open))
    return Done({"account": account_view(a), "instruction": instruction}, msg)


def _flag_and_instruction(tx: Tx, p: Params) -> tuple[int, str]:
    """Closing (flag 0) needs the operations department's instruction number; opening may carry one."""
    flag = p.flag("flag", N_("划转标志"))
    return flag, p.text("instruction", N_("运营管理部指令号"), required=flag == 0)


def _set_flag_all(tx: Tx, p: Params) -> Done:
    """One request for every fund account of the client (S11 B): one instruction number, one review.
    The client by code (scenario files: {customer, action = "set_flag_all", flag, instruction}) or
    by any of the client's fund accounts (the counter's form, whose first field is an account)."""
    code = p.text("customer", N_("客户号"), required=False)
    if not code:
        code = tx.account(p.text("account", N_("资金账号"))).customer_code
    c = tx.customer(code)
    if not tx.ctx.approving:  # the request is the client's, whichever account named it (one waits at a time)
        tx.journal.inputs = {k: v for k, v in {**tx.journal.inputs, "customer": c.code}.items() if k != "account"}
    flag, instruction = _flag_and_instruction(tx, p)
    targets = R.flag_all_targets(tx.accounts_of(c.code), flag, c.code)
    if flag == 0:
        pending = tx.review_gate(c.code)
        if pending:
            return pending
    tx.require_papers([])
    for a in targets:
        a.transfer_flag = flag
        tx.s.add(a)
    word = _("1--开") if flag else _("0--关")
    msg = _("客户 {code} 全部资金账户（{nos}）划转标志已设为 {flag}").format(code=c.code, nos=_("、").join(a.no for a in targets), flag=word)
    if instruction:
        msg += _("（运营管理部指令 {n}）").format(n=instruction)
    return Done({"customer": c.code, "accounts": [account_view(a) for a in targets], "instruction": instruction}, msg)


@function("3202")
def set_main(tx: Tx, p: Params) -> Done | dict:
    c = tx.customer(p.text("customer", N_("客户号")))
    target = tx.account(p.text("account", N_("资金账号")))
    accounts = [a for a in tx.accounts_of(c.code) if a.in_service]
    R.check_set_main(target, c.code, accounts)
    old = R.main_of(accounts)
    events = []
    if old is not None:
        events = list(tx.s.exec(select(TradeEvent.kind).where(TradeEvent.customer_code == c.code, TradeEvent.business_date == tx.today)))
    sh = tx.s.exec(select(ShareholderAccount).where(ShareholderAccount.customer_code == c.code)).all()
    of = tx.s.exec(select(OfAccount).where(OfAccount.customer_code == c.code)).all()
    elsewhere = [_("股东账户 {no}").format(no=s.no) for s in sh if s.fund_account != target.no]
    elsewhere += [_("基金账户 {no}").format(no=o.no) for o in of if o.fund_account != target.no]
    R.check_main_change(events, elsewhere)
    if old is not None:
        tx.require_papers([P.Filing(P.CHANGE_MAIN_FORM, (old.no, target.no))])
        tx.s.add(old)
    else:
        tx.require_papers([])
    R.change_main(old, target)
    tx.s.add(target)
    msg = (_("主资金账户已由 {old} 变更为 {new}").format(old=old.no, new=target.no) if old
           else _("已设置 {new} 为主资金账户，单客户多银行服务开通完成").format(new=target.no))
    return Done({"main": target.no, "previous_main": old.no if old else None}, msg)


@function("3205")
def send_bank_update(tx: Tx, p: Params) -> Done | dict:
    c = tx.customer(p.text("customer", N_("客户号")))
    typed = p.text("bank", N_("存管银行"))
    bank = b.name if (b := bank_named(typed)) else typed  # its code (`BOC`) as well as its name
    at_bank = R.account_at_bank(tx.accounts_of(c.code, lock=False), bank)
    tx.require_papers([])
    # The bank's copy counts as updated only when the bank answers 成功 (teller.services.banklink).
    r = banklink.open_request(tx, at_bank, "key_update", 0)
    return Done({"bank": bank, "request": r.id, "state": r.state},
                _("已提交发送{bank}（请求 {id}）").format(bank=_(bank), id=r.id))


@function("3206", writes=False)
def query_multibank(tx: Tx, p: Params) -> Done | dict:
    c = tx.customer(p.text("customer", N_("客户号")))
    accounts = [a for a in tx.accounts_of(c.code, lock=False)]
    return {"customer": c.code, "name": c.name, "accounts": [account_view(a) for a in accounts],
            "pending_banks": sorted(tx.pending_banks(c))}

