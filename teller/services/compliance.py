"""合规风控: 7101 非交易目的划转预警处理 (educate, or close the transfer function), 7102 反洗钱监控 (the
alert list, and an AML alert's review, report or dismissal) and 7103 重大事项告知 (record a notice; list /
delete / purge, which refuses to remove any younger than 3 years)."""

from __future__ import annotations

from sqlmodel import select

from teller.domain.money import ascii_digits
from teller.domain import compliance as C
from teller.domain import monitors as M
from teller.domain import papers as P
from teller.domain import rules as R
from teller.domain.errors import BadInput, NotFound
from teller.domain.roles import check_may_remove_notices
from teller.i18n import N_, _
from teller.services.base import Done, Params, Tx, function
from teller.services.monitors import alert_view, kind_title
from teller.store.models import Alert, Notice, Teller


@function("7101")
def handle_alert(tx: Tx, p: Params) -> Done | dict:
    """First warning: educate, obtain the 客户承诺书 and keep a 沟通记录 (S13; DOMAIN §4).
    Second consecutive: on the operations department's instruction every flag goes to 0 and a
    major-matter notice is recorded, after a supervisor's approval."""
    alert_id = p.text("alert", N_("预警号"))
    alert = tx.s.get(Alert, int(alert_id), with_for_update=True) if ascii_digits(alert_id) else None
    if alert is None or alert.kind != "NON_TRADING_TRANSFER":
        raise NotFound(N_("非交易目的划转预警"), alert_id)
    c = tx.customer(alert.customer_code)
    action = p.choice("action", N_("处理方式"), ("educate", "close_transfer"))
    if alert.state in C.DONE and not tx.ctx.approving:
        raise BadInput(N_("预警号"), _("预警 {id} 已处理完毕").format(id=alert.id))
    instruction = p.text("instruction", N_("运营管理部指令号"), required=False) if action == "close_transfer" else ""
    M.check_alert_action(alert.details.get("proposal", M.EDUCATE), action, instruction)
    accounts = [a for a in tx.accounts_of(c.code) if a.in_service]
    home = R.main_of(accounts) or (accounts[0] if accounts else None)
    main = home.no if home else ""
    if action == "educate":
        tx.require_papers([P.Filing(P.PLEDGE, (main,)), P.Filing(P.COMMUNICATION, (main,))])
        alert.state, alert.note = C.CLOSED, p.text("note", N_("沟通情况"), required=False)
        tx.s.add(alert)
        return {"alert": alert.id, "state": alert.state}
    if not instruction:
        instruction = p.text("instruction", N_("运营管理部指令号"))  # refuses the missing field
    pending = tx.review_gate(c.code)
    if pending:
        return pending
    for a in accounts:
        a.transfer_flag = 0
        tx.s.add(a)
    alert.state = C.CLOSED
    tx.s.add(alert)
    tx.s.add(Notice(customer_code=c.code, content=_("因连续两次触发非交易目的资金划转预警，按运营管理部指令（{n}）关闭主辅资金账户之间划转功能").format(n=instruction),
                    channel="counter", at=tx.ctx.stamp(), business_date=tx.today, journal_id=tx.journal.id))
    return {"alert": alert.id, "closed_accounts": [a.no for a in accounts], "instruction": instruction}


@function("7103")
def notify(tx: Tx, p: Params) -> Done | dict:
    """Major-matter notices are kept at least 3 years (S15): `action = list | delete | purge` is in
    compliance.notices, and removes only older ones."""
    action = p.choice("action", N_("操作"), ("add", "list", "delete", "purge"), default="add")
    if action != "add":
        return notices(tx, p, action)
    c = tx.customer(p.text("customer", N_("客户号")))
    content = p.text("content", N_("告知内容"))
    channel = p.choice("channel", N_("告知渠道"), ("counter", "phone", "sms", "mail", "online"), default="counter")
    tx.require_papers([])
    n = Notice(customer_code=c.code, content=content, channel=channel, at=tx.ctx.stamp(), business_date=tx.today, journal_id=tx.journal.id)
    tx.s.add(n)
    tx.s.flush()
    return {"notice": n.id}


@function("7102")
def alerts(tx: Tx, p: Params) -> Done | dict:
    """Without `action`: the client's alerts, every kind, oldest first (the scenario `alerts` step).
    With `alert` and `action` (review | report | dismiss, `reason` required to dismiss): moves an
    AML alert along new → under_review → reported | dismissed. 7101 alerts are handled in 7101."""
    if p.raw.get("action") in (None, ""):
        c = tx.customer(p.text("customer", N_("客户号")))
        rows = tx.s.exec(select(Alert).where(Alert.customer_code == c.code).order_by(Alert.id))
        return {"customer": c.code, "alerts": [alert_view(a) for a in rows]}
    alert_id = p.text("alert", N_("预警号"))
    alert = tx.s.get(Alert, int(alert_id)) if ascii_digits(alert_id) else None
    if alert is None:
        raise NotFound(N_("预警号"), alert_id)
    tx.customer(alert.customer_code)
    if alert.kind not in (M.AML_LARGE, M.AML_SUSPICIOUS):
        raise BadInput(N_("预警号"), _("预警 {id} 是{kind}，请在 7101 处理").format(id=alert.id, kind=kind_title(alert.kind)))
    action = p.text("action", N_("处理方式"))
    reason = p.text("reason", N_("原因"), required=False)
    me = tx.s.get(Teller, tx.ctx.teller_id)
    state = C.next_aml_state(alert.state, action, me.role if me else "", reason)
    history = list((alert.details or {}).get("history", []))
    history.append({"action": action, "from": alert.state, "to": state, "by": tx.ctx.teller_id,
                    "at": tx.ctx.stamp().isoformat(), "journal": tx.journal.id, "reason": reason})
    alert.state, alert.note = state, reason or alert.note
    alert.details = {**(alert.details or {}), "history": history}
    tx.s.add(alert)
    tx.require_papers([])
    return Done({"alert": alert_view(alert)}, _("预警 {id}（{kind}）已{a}，现为“{s}”").format(
        id=alert.id, kind=kind_title(alert.kind), a=_(C.ACTION_TITLES[action]), s=C.state_title(state)))


def notices(tx: Tx, p: Params, action: str) -> dict:
    """7103 list {customer}: the client's notices, with the day each may go. 7103 delete {notice}
    or purge {}: a supervisor removes notices past their 3 years (exam S15); a younger one is
    refused by name, and a purge leaves the younger ones alone."""
    if action == "list":
        c = tx.customer(p.text("customer", N_("客户号")))
        rows = tx.s.exec(select(Notice).where(Notice.customer_code == c.code).order_by(Notice.id))
        return {"customer": c.code, "notices": [
            {"id": n.id, "content": n.content, "channel": n.channel, "at": n.at.isoformat(),
             "date": n.business_date.isoformat(), "journal": n.journal_id,
             "kept_until": C.notice_kept_until(n.business_date).isoformat()} for n in rows]}
    me = tx.s.get(Teller, tx.ctx.teller_id)
    check_may_remove_notices(me.role if me else None)
    if action == "delete":
        notice_id = p.text("notice", N_("告知记录号"))
        n = tx.s.get(Notice, int(notice_id)) if ascii_digits(notice_id) else None
        if n is None:
            raise NotFound(N_("告知记录号"), notice_id)
        tx.customer(n.customer_code)
        C.check_notice_removable(n.id, n.business_date, tx.today)
        gone = [n]
    else:
        gone = [n for n in tx.s.exec(select(Notice).order_by(Notice.id))
                if C.notice_kept_until(n.business_date) <= tx.today]
    tx.require_papers([])
    for n in gone:
        tx.s.delete(n)
    ids = [n.id for n in gone]
    return Done({"removed": ids}, _("已删除 {n} 条保存期满 {y} 年的重大事项告知记录").format(n=len(ids), y=C.NOTICE_YEARS))
