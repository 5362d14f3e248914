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


def lookup_for(kind: str, view, field: F.Field | None = None) -> LookupDialog | None:  # noqa: ANN001 - a FormView
    from teller.services import reads

    engine = view.app.engine
    client = getattr(view, "client_code", None)

    def contains(text: str, cells: tuple[str, ...]) -> bool:
        return not text or any(text in c for c in cells)

    if kind == F.CUSTOMER:
        def source(text: str):  # noqa: ANN202
            return [(c["code"], (c["code"], c["name"], fmt.label(c["kind"]), _(c["status"]), c["id_no"]))
                    for c in reads.find_customers(engine, text)]
        return LookupDialog(_("客户（按客户号、姓名或证件号码查找）"), (_("客户号"), _("姓名"), _("类别"), _("状态"), _("证件号码")), source)
    if kind == F.ACCOUNT:
        def source(text: str):  # noqa: ANN202
            return [(a["no"], (a["no"], a["name"], fmt.cell("role", a["role"]), _(a["bank"]), fmt.cell("flag", a["transfer_flag"]),
                               fmt.money(a["withdrawable"]))) for a in reads.find_accounts(engine, text, client) if a["status"] == "open"]
        title = _("客户 {code} 的资金账户").format(code=client) if client else _("资金账户（按账号或客户姓名查找）")
        return LookupDialog(title, (_("资金账号"), _("客户"), _("角色"), _("存管银行"), _("划转"), _("可取")), source)
    if kind in (F.SHAREHOLDER, F.OF_ACCOUNT):
        def source(text: str):  # noqa: ANN202
            return [(r["no"], (r["no"], r["customer"], r["fund_account"])) for r in reads.find_linked(engine, kind, text, client)]
        title = _("股东账户") if kind == F.SHAREHOLDER else _("开放式基金账户")
        return LookupDialog(title, (_("账号"), _("客户号"), _("挂在资金账号")), source)
    if kind == F.BANK:
        rows = [(b.name, (_(b.name), b.code, _("可柜台签约") if b.counter_signing else _("须到银行签约"))) for b in BANKS]
        return LookupDialog(_("存管银行"), (_("银行"), _("代码"), _("三方存管签约")), lambda text: [r for r in rows if contains(text, r[1] + (r[0],))])
    if kind == F.REVIEW:
        from teller.services.changes import review_queue

        def source(text: str):  # noqa: ANN202
            return [(str(r["id"]), (str(r["id"]), r["function"], r["customer"], r["change"], r["instruction"], r["requested_by"]))
                    for r in review_queue(view.app.counter) if contains(text, (str(r["id"]), r["customer"], r["accounts"]))]
        return LookupDialog(_("待复核业务"), (_("复核号"), _("功能"), _("客户号"), _("变更内容"), _("指令号"), _("提交柜员")), source)
    if kind == F.ALERT:
        def source(text: str):  # noqa: ANN202
            return [(str(a["id"]), (str(a["id"]), a["customer"], fmt.label(a["kind"]), fmt.day(a["date"])))
                    for a in reads.alert_list(engine, client) if contains(text, (str(a["id"]), a["customer"]))]
        return LookupDialog(_("未处理预警"), (_("预警号"), _("客户号"), _("类别"), _("日期")), source)
    if kind == F.TELLER:
        def source(text: str):  # noqa: ANN202
            return [(t["id"], (t["id"], t["name"], role_title(t["role"]), _("已锁定") if t["locked"] else ""))
                    for t in reads.teller_list(engine) if contains(text, (t["id"], t["name"]))]
        return LookupDialog(_("柜员"), (_("柜员号"), _("姓名"), _("角色"), _("状态")), source)
    if kind == F.CHOICE and field is not None:
        rows = [(c.value, (str(i), _(c.label))) for i, c in enumerate(field.choices, 1)]
        return LookupDialog(_(field.label), (_("编号"), _("含义")), lambda text: [r for r in rows if contains(text, r[1])])
    if kind == "paper":
        rows = [(p, (fmt.paper(p),)) for p in P.ALL_PAPERS]
        return LookupDialog(_("资料"), (_("资料名称"),), lambda text: [r for r in rows if contains(text, r[1])])
    return None
