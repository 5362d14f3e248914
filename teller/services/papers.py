"""The papers the counter prints: the 业务回单 of every committed function that changes something,
3106's 资金利息归本单, a copy printed again (8103, marked 补打 and journalled), and the application
forms a function needs, pre-filled from the form before F8 for the client to check and sign.

A receipt is kept (table `receipt`) in the function's own transaction, as language-neutral values,
so a reprint is the same paper in whichever language it is printed. What changed before -> after is
read from what the function's transaction first read of each row (Tx.before) and what it left.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import select

from teller.domain.money import ascii_digits
from teller.domain import papers as P
from teller.domain import slips as S
from teller.domain.errors import NotFound, Outcome, Refused, Rule
from teller.domain.identity import mask_id
from teller.domain.money import format_amount, parse_amount
from teller.i18n import N_, _
from teller.printing.sheet import Sheet, Table
from teller.services import changes as C
from teller.services.base import BY_CODE, REGISTRY, Context, Done, Params, Tx, function, load_settings
from teller.store.models import Customer, Document, Journal, Receipt

# --- keeping the receipt, in the function's transaction ----------------------------------------


def keep_receipt(tx: Tx, kind: str, params: dict, data: dict, message: str, *, copies: int) -> None:
    """Write the receipt of this committed line (kind from slips.receipt_kind)."""
    j, settings = tx.journal, tx.settings
    c = tx.clients.get(tx.customer_code) or tx.s.get(Customer, tx.customer_code)
    fn, teller, reviewer, papers = tx.fn, tx.ctx.teller_id, "", data.get("archived", [])
    if fn.op == "review":  # an approved request: its function, its maker, the approver reviewed it
        fn, teller, reviewer = REGISTRY[data["op"]], data.get("requested_by", ""), tx.ctx.teller_id
        papers = [{"paper": d.name, "account": d.fund_account} for d in tx.s.exec(
            select(Document).where(Document.journal_id == data.get("requested_journal", -1)).order_by(Document.id))]
    body = {
        "journal": j.id, "date": j.business_date.isoformat(), "at": j.at.isoformat(timespec="seconds"),
        "branch": settings.get("branch", ""), "branch_name": settings.get("branch_name", ""),
        "teller": teller, "terminal": tx.ctx.terminal, "reviewer": reviewer, "agent": bool(tx.ctx.agent),
        "customer": tx.customer_code, "name": c.name if c else "", "id_type": c.id_type if c else "",
        "id_no": mask_id(c.id_no) if c else "", "function": fn.code, "op": fn.op, "message": message,
        "changes": data["changes"] if "changes" in data else changes(tx, data), "papers": papers,
        # the fund accounts the function acted on (read, or sent to a bank for), for the header
        "accounts": sorted(set(tx.read) | {r.fund_account for r in tx.requests if r.fund_account}),
    }
    if kind == S.INTEREST_SLIP:
        result = data.get("result", data)
        body["interest"] = {k: result.get(k) for k in ("interest", "interest_base", "rate", "cash_before", "bank")}
        body["interest"]["account"] = result["account"]["no"]
        body["interest"]["cash_after"] = result["account"]["cash"]
    tx.add(Receipt(journal_id=j.id, customer_code=tx.customer_code, kind=kind, body=body, copies=copies))


def changes(tx: Tx, data: dict) -> list[dict]:
    """What this transaction changed, before -> after (teller.services.changes.collect)."""
    return [c.as_dict() for c in C.collect(tx, data)]


# --- printing a copy again (journalled) ---------------------------------------------------------


@function("8103")
def reprint(tx: Tx, p: Params) -> Done:
    """A copy of a committed line's receipt: the first copy if the counter printed none (no printer
    at the time), else a 补打 marked with its copy number. Journalled like every function."""
    raw = p.text("journal", N_("流水号"))
    r = tx.s.get(Receipt, int(raw), with_for_update=True) if ascii_digits(raw) else None
    if r is None:
        line = tx.s.get(Journal, int(raw)) if ascii_digits(raw) else None
        if line is None:
            raise NotFound(N_("流水号"), raw)
        fn = BY_CODE.get(line.function_code)
        what = f"{line.function_code} {_(fn.title) if fn else line.op}"
        raise Refused(Rule.NOT_FOUND, _("流水 {n}（{what}）被拒绝，没有回单").format(n=line.id, what=what) if not line.ok
                      else _("流水 {n}（{what}）没有业务回单：它没有改变客户的账户或资料（待复核的申请在批准时打印回单）").format(n=line.id, what=what))
    tx.customer(r.customer_code)
    tx.require_papers([])
    r.copies += 1
    tx.s.add(r)
    what = _kind_title(r.kind)
    msg = (_("流水 {n} 的{what}：补打第 {k} 份").format(n=r.journal_id, what=what, k=r.copies) if r.copies > 1
           else _("流水 {n} 的{what}：打印第 1 份").format(n=r.journal_id, what=what))
    return Done({"print": {"journal": r.journal_id, "copy": r.copies}}, msg)


def print_copy(counter, printer, journal_no: int | str, ctx: Context) -> Outcome:  # noqa: ANN001
    """`teller print N`: journal the copy (8103), then print it with `printer` (a counter with a
    printer of its own, as at the terminal, prints 8103 like any function)."""
    outcome = counter.run("reprint", {"journal": str(journal_no)}, ctx)
    if outcome.ok and counter.printer is None:
        outcome = issue(counter.engine, printer, outcome)
    return outcome


def issue(engine, printer, outcome: Outcome) -> Outcome:  # noqa: ANN001
    """Print (or spool) the paper a committed outcome names in data["print"]; the message line
    says which, and where the file is."""
    from teller.store.db import reading

    order = outcome.data.get("print")
    if not order or printer is None:
        return outcome
    with reading(engine) as s:
        r = s.get(Receipt, int(order["journal"]))
        if r is None:
            return outcome
        kind, sheet = r.kind, receipt_sheet(r.kind, r.body, order["copy"])
    done = printer.issue(sheet)
    printed = {"path": str(done.path), "printed": done.printed, "printer": done.printer, "problem": done.problem}
    said = _("{message}；{printed}").format(message=outcome.message, printed=done.message(_kind_title(kind)))
    return replace(outcome, message=said,
                   data={**outcome.data, "printed": printed})


def _kind_title(kind: str) -> str:
    return _("《{title}》").format(title=P.paper_title(P.INTEREST_SLIP)) if kind == S.INTEREST_SLIP else _("业务回单")


# --- wording a receipt --------------------------------------------------------------------------

FIELD_TITLES, VALUE_TITLES, shown = C.FIELD_TITLES, C.VALUE_TITLES, C.shown  # worded where the lines are made


def _percent(rate: object) -> str:
    from decimal import Decimal

    return f"{(Decimal(str(rate)) * 100).normalize():f}%"


def _money(value: object) -> str:
    return format_amount(parse_amount(str(value), allow_zero=True)) if value not in (None, "") else "—"


def _header(body: dict, *, with_result: bool = True) -> list[tuple[str, str]]:
    fn = BY_CODE.get(body["function"])
    fields = [
        (_("业务日期"), body["date"]), (_("流水号"), str(body["journal"])),
        (_("时间"), body["at"].replace("T", " ")[:19]), (_("柜员 / 终端"), f"{body['teller']} / {body['terminal']}"),
        (_("客户号"), body["customer"]), (_("客户名称"), body["name"]),
        (_("证件"), f"{_(body['id_type'])} {body['id_no']}".strip()),
        *([(_("资金账号"), _("、").join(body["accounts"]))] if body.get("accounts") else []),
        (_("业务"), f"{body['function']} {_(fn.title) if fn else body['op']}"),
    ]
    if body.get("reviewer"):
        fields.append((_("复核"), body["reviewer"]))
    if body.get("agent"):
        fields.append((_("代理人办理"), _("是（已收《授权委托书》《代理人身份证明》）")))
    if with_result:
        fields.append((_("办理结果"), body["message"]))
    return fields


def _branch(body: dict) -> str:
    return _("{name}（营业部 {no}）").format(name=body.get("branch_name") or "", no=body.get("branch") or "")


def receipt_sheet(kind: str, body: dict, copy: int = 1) -> Sheet:
    """The sheet of a kept receipt, worded in the current language; a copy after the first is 补打."""
    mark = _("补打 第 {k} 份").format(k=copy) if copy > 1 else ""
    footer = _("流水号 {n}，第 {k} 份").format(n=body["journal"], k=copy)
    papers = Table(_("收取的客户资料及归档"), (_("资料"), _("归档资金账户")), tuple(
        (_("《{title}》").format(title=P.paper_title(d["paper"])), d.get("account") or "—") for d in body.get("papers", [])))
    signatures = [_("客户签名"), _("经办柜员")] + ([_("复核主管")] if body.get("reviewer") else []) + (
        [_("代理人签名")] if body.get("agent") else [])
    stem = f"{body['journal']}-{kind}" + (f"-copy{copy}" if copy > 1 else "")
    meta = {"journal": body["journal"], "customer": body["customer"], "copy": copy}
    if kind == S.INTEREST_SLIP:
        i = body["interest"]
        table = Table(_("利息归本"), (_("资金账号"), _("存管银行"), _("利息积数（元×天）"), _("年利率"), _("利息（元）"),
                                   _("归本前资金余额"), _("归本后资金余额")),
                      ((i["account"], _(i["bank"]) if i.get("bank") else "", format_amount(int(i["interest_base"])), _percent(i["rate"]),
                        _money(i["interest"]), _money(i["cash_before"]), _money(i["cash_after"])),))
        return Sheet(
            title=P.paper_title(P.INTEREST_SLIP), branch=_branch(body), fields=tuple(_header(body, with_result=False)),
            tables=(table,), notes=(
                _("利息 = 利息积数 × 年利率 ÷ 360，四舍五入到分；已计入资金账户 {no}。").format(no=i["account"]),
                _("客户确认利息已归本；辅助资金账户须转出全部资金，次一交易日方可删除。")),
            signatures=tuple(signatures), mark=mark, footer=footer, stem=stem, meta=meta)
    rows = tuple((c["what"], _(FIELD_TITLES.get(c["field"], c["field"])), shown(c["field"], c["before"]),
                  shown(c["field"], c["after"])) for c in body.get("changes", []))
    changed = Table(_("变更内容"), (_("账户 / 客户"), _("项目"), _("变更前"), _("变更后")), rows)
    return Sheet(
        title=_("业务回单"), branch=_branch(body), fields=tuple(_header(body)), tables=(changed, papers),
        notes=(_("以上业务已办理。请核对无误后签名；如有疑问请当场向柜员提出。"),),
        signatures=tuple(signatures), mark=mark, footer=footer, stem=stem, meta=meta)


# --- pre-filled application forms ---------------------------------------------------------------

# What the client confirms on each paper the branch prints pre-filled (slips.PREFILLED).
DECLARATIONS = {
    P.AGREEMENT: N_("本人已阅读并同意《单客户多银行服务协议书》全部条款，申请开通单客户多银行服务。（协议书签署页）"),
    P.ACCOUNT_INFO: N_("本人确认以上账户信息真实、准确、完整。"),
    P.NEW_AUX_FORM: N_("本人申请在同一客户号下新增辅助资金账户，并与所选存管银行办理第三方存管签约。"),
    P.CUSTODY_AGREEMENT: N_("本人已阅读并同意《三方存管协议》全部条款。（协议签署页）"),
    P.CHANGE_MAIN_FORM: N_("本人申请将主资金账户变更为上列账户；股东账户与基金账户已先行转至新主资金账户。"),
    P.TRANSFER_FORM: N_("本人申请在本人主、辅资金账户之间划转上列资金；转入资金当日可用于交易，次一交易日方可转出。"),
    P.CLOSE_FORM: N_("本人申请转出上列资金账户的全部资产并办理销户；利息归本后方可删除。"),
    P.GENERAL_FORM: N_("本人申请办理上列账户综合业务。"),
    P.PLEDGE: N_("本人承诺今后主辅资金账户之间的划转均以证券交易为目的，知悉再次预警将关闭划转功能。"),
    P.COMMUNICATION: N_("营业部已就非交易目的划转向客户进行教育与提示，客户已知悉。"),
}


def prefill(counter, op: str, params: dict, ctx: Context, typed: list[tuple[str, str]]) -> tuple[Outcome, list[Sheet]]:  # noqa: ANN001
    """The forms this function needs for the values typed, pre-filled for the client to sign: the
    service says which papers and under which accounts (Counter.preview with every paper present),
    `typed` are the form's fields as labelled and shown on the counter. A refusal other than a
    missing paper prints no form (the outcome says why)."""
    probe = replace(ctx, documents=None)
    outcome = counter.preview(op, params, probe)
    if not outcome.ok:
        return outcome, []
    fn = REGISTRY.get(op) or BY_CODE[op]
    with_customer = outcome.data.get("accounts_after") or []
    code = next((a["customer"] for a in with_customer), str(params.get("customer", "")))
    from teller.store.db import reading

    with reading(counter.engine) as s:
        c = s.get(Customer, code) if code else None
        name, ident = (c.name, f"{_(c.id_type)} {mask_id(c.id_no)}") if c else (str(params.get("name", "")), "")
        settings = load_settings(s)
    branch = _("{name}（营业部 {no}）").format(name=settings.get("branch_name", ""), no=settings.get("branch", ""))
    header = [(_("业务日期"), settings.get("business_date", "")), (_("客户号"), code or "—"),
              (_("客户名称"), name), (_("证件"), ident), (_("申请业务"), f"{fn.code} {_(fn.title)}")]
    accounts = Table(_("客户资金账户（办理后）"), (_("资金账号"), _("存管银行"), _("账户角色"), _("划转标志"), _("三方存管")), tuple(
        (a["no"], _(a["bank"]), shown("role", a["role"]), shown("transfer_flag", a["transfer_flag"]),
         shown("custody", a["custody"])) for a in with_customer if a["status"] == "open"))
    filled = Table(_("申请内容"), (_("项目"), _("内容")), tuple((label, value) for label, value in typed if value))
    sheets = []
    ahead = [{"paper": f.paper, "accounts": list(f.accounts), "ahead": True} for f in S.papers_ahead(fn.op, outcome.data)]
    for item in outcome.data.get("papers", []) + ahead:
        paper = item["paper"]
        if not S.prefilled(paper) or any(s.meta["paper"] == paper for s in sheets):
            continue
        where = _("、").join(item["accounts"]) or "—"
        signatures = [_("客户签名"), _("日期")] + ([_("代理人签名")] if ctx.agent else []) + [_("经办柜员")]
        notes = [_(DECLARATIONS[paper]), _("本表由柜台按所填内容预先打印，请客户核对无误后签名。")]
        if item.get("ahead"):  # signed now, ticked at the later step that files it
            notes.append(_("本表在 {code} {title} 之前签署；其后删除（3201）、销户（3102）时勾选归档。").format(
                code=fn.code, title=_(fn.title)))
        sheets.append(Sheet(
            title=P.paper_title(paper), branch=branch, fields=tuple(header + [(_("归档资金账户"), where)]),
            tables=(filled, accounts), notes=tuple(notes),
            signatures=tuple(signatures), stem=f"form-{fn.code}-{code or 'new'}-{P.ALL_PAPERS.index(paper) + 1:02d}",
            meta={"paper": paper, "customer": code}))
    return outcome, sheets
