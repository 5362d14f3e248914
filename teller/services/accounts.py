"""Clients, fund accounts, custody and the accounts that hang under a fund account.
1101 1102 1103 2101 3101 3102 3103 3104 4101 4102."""

from __future__ import annotations

from sqlmodel import func, select

from teller.domain import papers as P
from teller.domain import rules as R
from teller.domain.banks import bank_named, find_bank
from teller.domain.errors import BadInput, NotFound
from teller.domain.money import parse_amount
from teller.domain.identity import KINDS, STATUSES, check_client_code, check_id
from teller.i18n import N_, _
from teller.services.base import Done, Params, Tx, function
from teller.services.concurrency import hold_numbering
from teller.services.views import account_view, customer_view
from teller.store.models import BankKeyInfo, Customer, FundAccount, OfAccount, ShareholderAccount, TradeEvent


def _bank(name: str) -> str:
    """The bank by name or by its code (`BOC`); stored by name."""
    b = bank_named(name)
    if b is None:
        raise BadInput(N_("存管银行"), _("“{b}”不是本营业部的存管银行").format(b=name))
    return b.name


def next_account_no(tx: Tx, customer: Customer, existing: list[FundAccount]) -> str:
    taken = set(tx.s.exec(select(FundAccount.no).where(FundAccount.customer_code == customer.code)))
    return R.next_account_no(customer.code, [a.no for a in existing], taken)


def ensure_bank_key_copy(tx: Tx, customer: Customer, bank: str) -> None:
    """A bank that first meets the client receives the current key information with the signing."""
    row = tx.s.exec(
        select(BankKeyInfo).where(BankKeyInfo.customer_code == customer.code, BankKeyInfo.bank == bank)
    ).first()
    if row is None:
        tx.s.add(BankKeyInfo(customer_code=customer.code, bank=bank, name=customer.name,
                             id_type=customer.id_type, id_no=customer.id_no, updated_on=tx.today))


def new_bank_balance(tx: Tx) -> int:
    """The bank side of a newly opened account: the branch setting `new_account_bank_balance`
    (the simulated bank knows no real balances; training needs money to move in)."""
    return parse_amount(tx.setting("new_account_bank_balance", "10000000.00"), allow_zero=True)


def links_under(tx: Tx, account_no: str) -> list[str]:
    sh = tx.s.exec(select(ShareholderAccount.no).where(ShareholderAccount.fund_account == account_no)).all()
    of = tx.s.exec(select(OfAccount.no).where(OfAccount.fund_account == account_no)).all()
    return [_("股东账户 {no}").format(no=n) for n in sh] + [_("基金账户 {no}").format(no=n) for n in of]


@function("1101")
def joint_open(tx: Tx, p: Params) -> Done | dict:
    """A new client: client record, first fund account, shareholder accounts (SH and SZ)."""
    name = p.text("name", N_("客户姓名"))
    kind = p.choice("kind", N_("客户类别"), KINDS, default="individual")
    id_type = p.text("id_type", N_("证件类型"), required=False, default="居民身份证" if kind == "individual" else "统一社会信用代码")
    id_no = check_id(id_type, p.text("id_no", N_("证件号码")))
    bank = _bank(p.text("bank", N_("存管银行")))
    status = p.choice("status", N_("账户状态"), STATUSES, default="合格")
    # Every 1101 numbers under the store's lock, a typed code too: the check that it is free and the
    # insert see every client opened before (teller.services.concurrency, "Numbers").
    hold_numbering(tx.s, "1101")
    code = p.text("customer", N_("客户号"), required=False) or _next_customer_code(tx)
    check_client_code(code)
    if tx.s.get(Customer, code) is not None:
        raise BadInput(N_("客户号"), _("客户号 {code} 已存在").format(code=code))
    same = tx.s.exec(select(Customer).where(Customer.id_type == id_type, Customer.id_no == id_no)).first()
    if same is not None:
        raise BadInput(N_("证件号码"), _("该证件已开有客户号 {code}，一个客户只有一个客户号").format(code=same.code))
    customer = Customer(code=code, name=name, kind=kind, id_type=id_type, id_no=id_no, status=status)
    tx.s.add(customer)
    tx.customer_code = code
    no = p.text("no", N_("资金账号"), required=False) or next_account_no(tx, customer, [])
    if tx.s.get(FundAccount, no) is not None:
        raise BadInput(N_("资金账号"), _("资金账号 {no} 已存在").format(no=no))
    tx.require_papers([P.Filing(P.ACCOUNT_INFO, (no,)), P.Filing(P.ID_PROOF, (no,))])
    tx.s.flush()
    account = FundAccount(no=no, customer_code=code, bank=bank, opened_on=tx.today, bank_balance=new_bank_balance(tx))
    tx.s.add(account)
    holders = []
    for market, prefix in (("SH", "A"), ("SZ", "0")):
        sh_no = f"{prefix}{code.rjust(9, '0')}"
        tx.s.add(ShareholderAccount(no=sh_no, customer_code=code, fund_account=no, market=market))
        holders.append(sh_no)
    return Done(
        {"customer": code, "fund_account": no, "shareholder_accounts": holders},
        _("客户 {code} 开户成功：资金账号 {no}，股东账户 {sh}；请接着用 3103 签三方存管").format(
            code=code, no=no, sh=_("、").join(holders)),
    )


def _next_customer_code(tx: Tx) -> str:
    top = tx.s.exec(select(func.max(Customer.code))).first()
    return f"{int(top or '880000') + 1:06d}"


@function("1102")
def change_key_info(tx: Tx, p: Params) -> Done | dict:
    """Key information (full name, ID type, ID number) is held once per client and reaches every
    fund account at once; a second person approves it in 8102 (实施细则 第十条)."""
    c = tx.customer(p.text("customer", N_("客户号")))
    name = p.text("name", N_("客户姓名"), required=False) or c.name
    id_type = p.text("id_type", N_("证件类型"), required=False) or c.id_type
    id_no = p.text("id_no", N_("证件号码"), required=False) or c.id_no
    id_no = check_id(id_type, id_no)
    R.check_key_change((c.name, c.id_type, c.id_no), (name, id_type, id_no))
    accounts = tuple(a.no for a in tx.accounts_of(c.code, lock=False))
    tx.require_papers([P.Filing(P.ID_PROOF, accounts[:1])])
    pending = tx.review_gate(c.code)
    if pending:
        return pending
    c.name, c.id_type, c.id_no = name, id_type, id_no
    tx.s.add(c)
    banks = sorted({a.bank for a in tx.accounts_of(c.code, lock=False) if a.custody == R.Custody.SIGNED})
    return Done(
        {"customer": c.code, "banks_to_send": banks, **({"next": "3205"} if banks else {})},
        _("客户 {code} 关键信息已变更，全部资金账户同步；请用 3205 逐一发送：{banks}").format(
            code=c.code, banks=_("、").join(_(b) for b in banks) or _("（无）")),
    )


@function("1103", writes=False)
def query_customer(tx: Tx, p: Params) -> Done | dict:
    c = tx.customer(p.text("customer", N_("客户号")))
    return customer_view(tx, c)


@function("2101")
def maintain_shareholder(tx: Tx, p: Params) -> Done | dict:
    """Move a shareholder account to another fund account of the same client. An aux is accepted as
    the target: it is the first step of changing the main (S08 A)."""
    return _move_link(tx, p, ShareholderAccount, "shareholder_account", N_("股东账户"))


def _move_link(tx: Tx, p: Params, model: type, key: str, label: str) -> dict:
    """Hang a shareholder (2101) or open-end fund account (4102) under another fund account of the
    same client."""
    no = p.text(key, label)
    link = tx.s.get(model, no)
    if link is None:
        raise NotFound(label, no)
    tx.customer_code = link.customer_code
    target = tx.account(p.text("fund_account", N_("资金账号")))
    R.check_link_target(link.customer_code, target)
    old = link.fund_account
    link.fund_account = target.no
    tx.s.add(link)
    return {key: link.no, "from": old, "to": target.no}


@function("3101")
def open_asset_account(tx: Tx, p: Params) -> Done | dict:
    c = tx.customer(p.text("customer", N_("客户号")))
    bank = _bank(p.text("bank", N_("存管银行")))
    existing = tx.accounts_of(c.code)
    R.check_new_account(existing, c.status, c.code, bank)
    no = p.text("no", N_("资金账号"), required=False) or next_account_no(tx, c, existing)
    if tx.s.get(FundAccount, no) is not None:
        raise BadInput(N_("资金账号"), _("资金账号 {no} 已存在").format(no=no))
    if existing:
        tx.require_papers([P.Filing(P.NEW_AUX_FORM, (no,))])
    else:
        tx.require_papers([])
    main = R.main_of(existing)
    tx.s.add(FundAccount(no=no, customer_code=c.code, bank=bank, opened_on=tx.today, bank_balance=new_bank_balance(tx),
                         commission_class=main.commission_class if main else "标准"))
    return Done({"fund_account": no, "bank": bank, "next": "3103"},
                _("资金账户 {no}（{bank}）已开立；下一步 3103 签三方存管").format(no=no, bank=_(bank)))


@function("3102")
def close_asset_account(tx: Tx, p: Params) -> Done | dict:
    a = tx.account(p.text("account", N_("资金账号")))
    R.check_close_account(a, links_under(tx, a.no))
    tx.require_papers([P.Filing(P.CLOSE_FORM, (a.no,))])
    a.status = "closed"
    a.role, a.transfer_flag = R.NONE, 0
    tx.s.add(a)
    return {"fund_account": a.no}


@function("3103")
def sign_custody(tx: Tx, p: Params) -> Done | dict:
    a = tx.account(p.text("account", N_("资金账号")))
    R.check_sign_custody(a)
    bank = find_bank(a.bank)
    confirmed = p.boolean("bank_confirmed")
    tx.require_papers([P.Filing(P.CUSTODY_AGREEMENT, (a.no,))])
    c = tx.customer(a.customer_code)
    ensure_bank_key_copy(tx, c, a.bank)
    if bank is not None and not bank.counter_signing and not confirmed:
        a.custody = R.Custody.PENDING_BANK
        tx.s.add(a)
        return Done({"fund_account": a.no, "custody": a.custody},
                    _("{bank}不支持券商端签约：请客户到银行办理，账户状态为“待银行签约”；银行确认后再做 3103 并勾选“银行已确认”").format(bank=_(a.bank)))
    a.custody = R.Custody.SIGNED
    tx.s.add(a)
    return {"fund_account": a.no, "custody": a.custody}


@function("3104")
def terminate_custody(tx: Tx, p: Params) -> Done | dict:
    a = tx.account(p.text("account", N_("资金账号")))
    R.check_terminate_custody(a)
    tx.require_papers([])
    a.custody = R.Custody.TERMINATED
    tx.s.add(a)
    return {"fund_account": a.no, "custody": a.custody, "next": "3102"}  # out of the service, custody ended: closing is left


@function("4101")
def open_of_account(tx: Tx, p: Params) -> Done | dict:
    c = tx.customer(p.text("customer", N_("客户号")))
    target = tx.account(p.text("fund_account", N_("资金账号")))
    R.check_new_of_account(c.code, target)
    hold_numbering(tx.s, "4101")  # a typed number too, as 1101 (teller.services.concurrency, "Numbers")
    no = p.text("no", N_("基金账号"), required=False) or _next_of_no(tx)
    if tx.s.get(OfAccount, no) is not None:
        raise BadInput(N_("基金账号"), _("基金账号 {no} 已存在").format(no=no))
    tx.s.add(OfAccount(no=no, customer_code=c.code, fund_account=target.no, opened_on=tx.today))
    tx.s.add(TradeEvent(customer_code=c.code, fund_account=target.no, business_date=tx.today, kind="open_of"))
    return {"of_account": no, "fund_account": target.no}


def _next_of_no(tx: Tx) -> str:
    top = tx.s.exec(select(func.max(OfAccount.no))).first()
    n = int(top[1:]) + 1 if top and top[1:].isdigit() else 1
    return f"F{n:08d}"


@function("4102")
def set_default_asset_account(tx: Tx, p: Params) -> Done | dict:
    return _move_link(tx, p, OfAccount, "of_account", N_("基金账号"))
