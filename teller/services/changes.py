"""What a function changed, or (previewed) would change, before -> after, as structured lines.

Read from the function's own transaction, never re-derived from its rules: each fund account as
the transaction first read it (Tx.before) and as it left it, the client's key information as first
read (Tx.key_before) and as left, a shareholder or open-end fund account moved (2101, 4102: the
handler's `from`/`to`), a request opened to a bank (3105, 3205: the handler's `request`), the
operations department's instruction number (3201, 7101). Counter puts the lines, as dicts, in every
outcome's `data["changes"]` (preview and commit); a request that waits for a second person changes
nothing yet, and its preview carries `data["on_approval"]`: the lines its approval would apply
(the request replayed, approving, and rolled back, as 8102 would replay it).

Values are language-neutral (codes, amounts as "1234.50", the bank's name as stored): the receipt
keeps them so, and `Change.text()` / `shown()` word them in the current language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from teller.domain import slips as S
from teller.domain.identity import mask_id
from teller.domain.money import format_amount, parse_amount
from teller.i18n import N_, _

# --- the lines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One line: `what` (a fund account, the client's code, a shareholder / fund account number, a
    bank), `field` (one of FIELD_TITLES' keys), the value `before` ("" when there was none) and
    `after`."""

    what: str
    field: str
    before: str
    after: str

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, d: dict) -> "Change":
        return cls(str(d.get("what", "")), str(d.get("field", "")), str(d.get("before", "") or ""), str(d.get("after", "") or ""))

    def label(self) -> str:
        return _(FIELD_TITLES[self.field]) if self.field in FIELD_TITLES else self.field

    def text(self) -> str:
        """The line as a teller reads it: `310000101 划转标志：1--开 → 0--关`."""
        what = _(self.what) if self.field in ("request", "amount") else self.what
        if self.before in ("", None) and self.field in ("request", "instruction", "opened", "amount", "of_opened"):
            return _("{what} {label}：{after}").format(what=what, label=self.label(), after=shown(self.field, self.after))
        return _("{what} {label}：{before} → {after}").format(
            what=what, label=self.label(), before=shown(self.field, self.before), after=shown(self.field, self.after))


FIELD_TITLES = {
    "opened": N_("开立资金账户"), "in_service": N_("单客户多银行服务"), "role": N_("账户角色"),
    "transfer_flag": N_("划转标志"), "custody": N_("三方存管"), "status": N_("账户状态"), "cash": N_("资金余额"),
    "frozen": N_("冻结资金"), "interest_base": N_("利息积数（元×天）"), "commission_class": N_("佣金类别"),
    "name": N_("客户名称"), "id_type": N_("证件类型"), "id_no": N_("证件号码"), "link": N_("对应资金账号"),
    "of_opened": N_("开立基金账户，对应资金账号"), "request": N_("银行请求号"), "amount": N_("请求金额"), "instruction": N_("运营管理部指令号"),
}
VALUE_TITLES = {
    "role": {"main": N_("主资金账户"), "aux": N_("辅助资金账户"), "none": N_("未登记")},
    "transfer_flag": {"1": N_("1--开"), "0": N_("0--关")},
    "custody": {"unsigned": N_("未签约"), "pending_bank": N_("待银行签约"), "signed": N_("已签约"), "terminated": N_("已解约")},
    "status": {"open": N_("正常"), "closed": N_("已销户")},
    "in_service": {"True": N_("已登记"), "False": N_("未登记")},
}


def shown(field: str, value: object) -> str:
    """A value of `field` as the teller reads it (amounts with thousands separators)."""
    if value in ("", None):
        return "—"
    if field in ("cash", "frozen", "amount"):
        return format_amount(parse_amount(str(value), allow_zero=True))
    if field == "interest_base":
        return format_amount(int(value))
    if field in ("opened",):
        return _(str(value))
    titles = VALUE_TITLES.get(field, {})
    return _(titles[str(value)]) if str(value) in titles else str(value)


def of_data(data: dict, key: str = "changes") -> list[Change]:
    """The lines an outcome carries (`data["changes"]`, or `data["on_approval"]` with key=...)."""
    return [Change.of(d) for d in (data or {}).get(key) or []]


def lines(changes: list[Change]) -> list[str]:
    return [c.text() for c in changes]


def summary(changes: list[Change], *, skip: tuple[str, ...] = ()) -> str:
    """The lines in one string, the same change on several accounts said once:
    `880002001、88000200101 划转标志：1--开 → 0--关`."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for c in changes:
        if c.field not in skip:
            groups.setdefault((c.field, c.before, c.after), []).append(c.what)
    return _("；").join(Change(_("、").join(whats), f, b, a).text() for (f, b, a), whats in groups.items())


def accounts_named(changes: list[Change]) -> list[str]:
    """The fund accounts the lines are about, in order (8102's list shows them)."""
    out: list[str] = []
    for c in changes:
        if c.field in S.ACCOUNT_FIELDS and c.what not in out:
            out.append(c.what)
    return out


# --- reading them from a transaction -----------------------------------------------------------


def collect(tx, data: dict) -> list[Change]:  # noqa: ANN001  (a teller.services.base.Tx)
    """What this transaction changed, before -> after: each fund account it read (opened ones too),
    the client's key information, a shareholder or fund account moved to another fund account, a
    request opened to a bank, an instruction number the function acted on."""
    from teller.services.views import account_view
    from teller.store.models import Customer, FundAccount

    out: list[Change] = []
    result = data.get("result", data) if isinstance(data.get("result"), dict) else data
    accounts = dict(tx.read)
    opened = result.get("fund_account")  # an account the function names but never read: it opened it
    if isinstance(opened, str) and opened and opened not in accounts:
        a = tx.s.get(FundAccount, opened)
        if a is not None:
            accounts[opened] = a
    for no in sorted(accounts):
        before, after = tx.before.get(no), account_view(accounts[no])
        if before is None:
            out.append(Change(no, "opened", "", after["bank"]))
            before = {}
        for field in S.ACCOUNT_FIELDS[1:]:
            if field in after and str(before.get(field, after[field])) != str(after[field]):
                out.append(Change(no, field, str(before[field]), str(after[field])))
    c = (tx.clients.get(tx.customer_code) or tx.s.get(Customer, tx.customer_code)) if tx.customer_code else None
    if c is not None and tx.key_before is not None:
        for field, old, new in zip(S.KEY_FIELDS, tx.key_before, (c.name, c.id_type, c.id_no)):
            if old != new:
                old, new = (mask_id(old), mask_id(new)) if field == "id_no" else (old, new)
                out.append(Change(c.code, field, old, new))
    for key in ("shareholder_account", "of_account"):
        if isinstance(result.get(key), str) and "from" in result and "to" in result and result["from"] != result["to"]:
            out.append(Change(result[key], "link", result["from"] or "", result["to"]))
    if isinstance(result.get("of_account"), str) and "from" not in result and isinstance(result.get("fund_account"), str):
        out.append(Change(result["of_account"], "of_opened", "", result["fund_account"]))  # 4101 opened it
    from teller.services.views import amt

    for r in tx.requests:
        out.append(Change(r.bank, "request", "", str(r.id)))
        if r.amount:
            out.append(Change(r.bank, "amount", "", amt(r.amount)))
    if result.get("instruction") and tx.customer_code:
        out.append(Change(tx.customer_code, "instruction", "", str(result["instruction"])))
    return out


def on_approval(counter, op: str, params: dict, ctx) -> list[Change]:  # noqa: ANN001
    """What a request waiting for a second person would change once approved: the request replayed
    as 8102 replays it (approving, its papers taken as checked when it was made) and rolled back.
    Empty when the replay is refused (the confirmation shows that refusal when 8102 runs it)."""
    outcome = counter.preview(op, params, replace(ctx, approving=True, documents=None))
    return of_data(outcome.data) if outcome.ok else []


# --- the 8102 queue ------------------------------------------------------------------------------


def review_queue(counter, status: str = "pending") -> list[dict]:  # noqa: ANN001  (a Counter)
    """8102's list: each waiting request with its function (code and title, never an op name), the
    client, the accounts it touches, what approving it would change (previewed now, so it is what
    the approval would really do to the accounts as they stand) and its instruction number. A store
    call: screens run it off the UI thread."""
    from teller.services.reads import review_list

    return [_queue_entry(counter, r, status) for r in review_list(counter.engine, status)]


def review_entry(counter, review_id: int) -> dict | None:  # noqa: ANN001  (a Counter)
    """One waiting request as 8102's list shows it (the supervisor's authorisation dialog shows what
    it approves), or None when it no longer waits."""
    from teller.services.reads import review_list

    found = [r for r in review_list(counter.engine, "pending") if str(r["id"]) == str(review_id)]
    return _queue_entry(counter, found[0], "pending") if found else None


def _queue_entry(counter, r: dict, status: str) -> dict:  # noqa: ANN001
    from teller.domain.catalog import BY_OP
    from teller.services.base import Context

    entry = BY_OP.get(r["op"])
    params = r["params"]
    lines_ = []
    if status == "pending":
        ctx = Context(teller_id=r["requested_by"], documents=None, agent=bool(r.get("agent")), approving=True)
        outcome = counter.preview(r["op"], params, ctx)
        lines_ = of_data(outcome.data) if outcome.ok else []
    accounts = [str(params["account"])] if params.get("account") else accounts_named(lines_)
    return r | {
        "function": f"{entry.code} {_(entry.title)}" if entry else r["op"], "code": entry.code if entry else "",
        "accounts": _("、").join(accounts), "instruction": str(params.get("instruction") or ""),
        "changes": [c.as_dict() for c in lines_], "change": summary(lines_, skip=("instruction",)),
    }
