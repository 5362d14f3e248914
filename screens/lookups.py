"""F4 lists of values, one per field kind: clients, the client's fund accounts, banks, shareholder
and fund accounts, pending reviews, open alerts, tellers, the choices of a coded field, papers."""

from __future__ import annotations

from teller.domain import papers as P
from teller.domain.banks import BANKS
from teller.domain.roles import role_title
from teller.forms import base as F
from teller.i18n import _
from teller.screens import fmt
from teller.screens.dialogs import LookupDialog


# 3205 sends the key information to one bank at a time: F4 lists the client's banks still waiting.
PENDING_BANKS_OP = "send_bank_update"


def lookup_for(kind: str, view, field: F.Field | None = None) -> LookupDialog | None:  # noqa: ANN001 - a FormView
    """The F4 dialog for a field. Its `source(text)` reads the store (`reads_store`): the form view
    reads the list as it opens in a store worker (storecall.py) and hands it over, and the dialog
    narrows it as the teller types in workers of its own (dialogs.LookupDialog)."""
    from teller.services import reads

    engine = view.app.engine
    client = getattr(view, "client_code", None)
    form = getattr(view, "form", None)
    # A form with a client-number field lists that client's accounts only (another's is refused);
    # one that names its client by accounts lists the client's first, then, as the teller types,
    # other clients' accounts that match.
    own_only = form is not None and any(f.kind == F.CUSTOMER for f in form.fields)

    def contains(text: str, cells: tuple[str, ...]) -> bool:
        return not text or any(text in c for c in cells)

    if kind == F.CUSTOMER:
        def source(text: str):  # noqa: ANN202
            return [(c["code"], (c["code"], c["name"], fmt.label(c["kind"]), _(c["status"]), c["id_no"]))
                    for c in reads.find_customers(engine, text)]
        return LookupDialog(_("客户（按客户号、姓名或证件号码查找）"), (_("客户号"), _("姓名"), _("类别"), _("状态"), _("证件号码")), source, reads_store=True)
    if kind == F.ACCOUNT:
        def row(a: dict, i: int | str = ""):  # noqa: ANN202
            return (a["no"], (str(i), a["no"], a["name"], fmt.cell("role", a["role"]), _(a["bank"]), fmt.cell("flag", a["transfer_flag"]),
                              fmt.money(a["withdrawable"])))

        def source(text: str):  # noqa: ANN202
            if not client:
                return [row(a) for a in reads.find_accounts(engine, text) if a["status"] == "open"]
            from teller.screens.resolver import open_accounts

            # numbered as in the client panel: the row number is what the field takes for it
            own = [row(a, i) for i, a in enumerate(open_accounts({"accounts": reads.find_accounts(engine, "", client)}), 1)]
            own = [r for r in own if contains(text, r[1])]
            if own_only or not text:
                return own
            mine = {r[0] for r in own}
            return own + [row(a) for a in reads.find_accounts(engine, text) if a["status"] == "open" and a["no"] not in mine]
        title = _("客户 {code} 的资金账户").format(code=client) if client else _("资金账户（按账号或客户姓名查找）")
        return LookupDialog(title, (_("序号"), _("资金账号"), _("客户"), _("角色"), _("存管银行"), _("划转"), _("可取")), source, reads_store=True)
    if kind in (F.SHAREHOLDER, F.OF_ACCOUNT):
        def source(text: str):  # noqa: ANN202
            return [(r["no"], (r["no"], r["customer"], r["fund_account"])) for r in reads.find_linked(engine, kind, text, client)]
        title = _("股东账户") if kind == F.SHAREHOLDER else _("开放式基金账户")
        return LookupDialog(title, (_("账号"), _("客户号"), _("挂在资金账号")), source, reads_store=True)
    if kind == F.BANK:
        rows = [(b.name, (_(b.name), b.code, _("可柜台签约") if b.counter_signing else _("须到银行签约"))) for b in BANKS]
        if form is not None and form.op == PENDING_BANKS_OP and client:
            waiting: list = []  # the client's banks still waiting, read once (in the store worker)

            def pending(text: str):  # noqa: ANN202
                if not waiting:
                    found = (reads.client(engine, client) or {}).get("key_info_pending_banks", [])
                    waiting.append([r for r in rows if r[0] in found])
                return [r for r in waiting[0] if contains(text, r[1] + (r[0],))]
            return LookupDialog(_("客户 {code} 待发送关键信息的存管银行").format(code=client), (_("银行"), _("代码"), _("三方存管签约")), pending, reads_store=True)
        return LookupDialog(_("存管银行"), (_("银行"), _("代码"), _("三方存管签约")), lambda text: [r for r in rows if contains(text, r[1] + (r[0],))])
    if kind == F.REVIEW:
        from teller.services.changes import review_queue

        def source(text: str):  # noqa: ANN202
            return [(str(r["id"]), (str(r["id"]), r["function"], r["customer"], r["change"], r["instruction"], r["requested_by"]))
                    for r in review_queue(view.app.counter) if contains(text, (str(r["id"]), r["customer"], r["accounts"]))]
        return LookupDialog(_("待复核业务"), (_("复核号"), _("功能"), _("客户号"), _("变更内容"), _("指令号"), _("提交柜员")), source, reads_store=True)
    if kind == F.ALERT:
        def source(text: str):  # noqa: ANN202
            return [(str(a["id"]), (str(a["id"]), a["customer"], fmt.label(a["kind"]), fmt.day(a["date"])))
                    for a in reads.alert_list(engine, client) if contains(text, (str(a["id"]), a["customer"]))]
        return LookupDialog(_("未处理预警"), (_("预警号"), _("客户号"), _("类别"), _("日期")), source, reads_store=True)
    if kind == F.TELLER:
        def source(text: str):  # noqa: ANN202
            return [(t["id"], (t["id"], t["name"], role_title(t["role"]), _("已锁定") if t["locked"] else ""))
                    for t in reads.teller_list(engine) if contains(text, (t["id"], t["name"]))]
        return LookupDialog(_("柜员"), (_("柜员号"), _("姓名"), _("角色"), _("状态")), source, reads_store=True)
    if kind == F.CHOICE and field is not None:
        rows = [(c.value, (str(i), _(c.label))) for i, c in enumerate(field.choices, 1)]
        return LookupDialog(_(field.label), (_("编号"), _("含义")), lambda text: [r for r in rows if contains(text, r[1])])
    if kind == "paper":
        rows = [(p, (fmt.paper(p),)) for p in P.ALL_PAPERS]
        return LookupDialog(_("资料"), (_("资料名称"),), lambda text: [r for r in rows if contains(text, r[1])])
    return None
