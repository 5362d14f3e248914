"""7102 反洗钱监控 (the alert list, and an AML alert's review, report or dismissal) and the keeping
of major-matter notices (7103 list / delete / purge), which refuses to remove any younger than 3 years."""

from __future__ import annotations

from sqlmodel import select

from teller.domain import compliance as C
from teller.domain import monitors as M
from teller.domain.errors import BadInput, NotFound, Refused, Rule
from teller.i18n import N_, _
from teller.services.base import Params, Tx, function
from teller.services.monitors import alert_view, kind_title
from teller.store.models import Alert, Notice, Teller


@function("7102", "alerts", N_("反洗钱监控"))
def alerts(tx: Tx, p: Params) -> dict:
    """Without `action`: the client's alerts, every kind, oldest first (the scenario `alerts` step).
    With `alert` and `action` (review | report | dismiss, `reason` required to dismiss): moves an
    AML alert along new → under_review → reported | dismissed. 7101 alerts are handled in 7101."""
    if p.raw.get("action") in (None, ""):
        c = tx.customer(p.text("customer", N_("客户号")))
        rows = tx.s.exec(select(Alert).where(Alert.customer_code == c.code).order_by(Alert.id))
        return {"customer": c.code, "alerts": [alert_view(a) for a in rows]}
    alert_id = p.text("alert", N_("预警号"))
    alert = tx.s.get(Alert, int(alert_id)) if alert_id.isdigit() else None
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
    return {"alert": alert_view(alert),
            "_message": _("预警 {id}（{kind}）已{a}，现为“{s}”").format(
                id=alert.id, kind=kind_title(alert.kind), a=_(C.ACTION_TITLES[action]), s=C.state_title(state))}


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
    if me is None or me.role != "supervisor":
        raise Refused(Rule.FORBIDDEN, _("删除重大事项告知记录须由主管办理"))
    if action == "delete":
        notice_id = p.text("notice", N_("告知记录号"))
        n = tx.s.get(Notice, int(notice_id)) if notice_id.isdigit() else None
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
    return {"removed": ids, "_message": _("已删除 {n} 条保存期满 {y} 年的重大事项告知记录").format(n=len(ids), y=C.NOTICE_YEARS)}
