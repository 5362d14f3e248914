"""Compliance handling, approvals and the system menu: 7101, 7103, 8102, 9101, 9102."""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from sqlalchemy import update
from sqlmodel import select

from teller.domain import papers as P
from teller.domain import monitors as monitor_rules
from teller.domain import rules as R
from teller.domain.errors import BadInput, NotFound, Refused, Rule
from teller.domain.roles import ROLES, role_title
from teller.i18n import N_, _
from teller.services.auth import check_password_rule, hash_password
from teller.services.base import Context, Params, Tx, function
from teller.store.models import Alert, DayEnd, FundAccount, Notice, Review, Setting, Teller

# Monitors (7101/7102 detection) register here; each runs inside the day-end transaction.
DAY_END_HOOKS: list[Callable[[Tx], None]] = []


@function("7101", "handle_alert", N_("非交易目的划转预警处理"))
def handle_alert(tx: Tx, p: Params) -> dict:
    """First warning: educate, obtain the 客户承诺书 and keep a 沟通记录 (S13; DOMAIN §4).
    Second consecutive: on the operations department's instruction every flag goes to 0 and a
    major-matter notice is recorded, after a supervisor's approval."""
    alert_id = p.text("alert", N_("预警号"))
    alert = tx.s.get(Alert, int(alert_id), with_for_update=True) if alert_id.isdigit() else None
    if alert is None or alert.kind != "NON_TRADING_TRANSFER":
        raise NotFound(N_("非交易目的划转预警"), alert_id)
    c = tx.customer(alert.customer_code)
    action = p.choice("action", N_("处理方式"), ("educate", "close_transfer"))
    if alert.state in ("closed", "dismissed") and not tx.ctx.approving:
        raise BadInput(N_("预警号"), _("预警 {id} 已处理完毕").format(id=alert.id))
    instruction = p.text("instruction", N_("运营管理部指令号"), required=False) if action == "close_transfer" else ""
    monitor_rules.check_alert_action(alert.details.get("proposal", monitor_rules.EDUCATE), action, instruction)
    accounts = [a for a in tx.accounts_of(c.code) if a.in_service]
    main = next((a.no for a in accounts if a.role == R.MAIN), accounts[0].no if accounts else "")
    if action == "educate":
        tx.require_papers([P.Filing(P.PLEDGE, (main,)), P.Filing(P.COMMUNICATION, (main,))])
        alert.state, alert.note = "closed", p.text("note", N_("沟通情况"), required=False)
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
    alert.state = "closed"
    tx.s.add(alert)
    tx.s.add(Notice(customer_code=c.code, content=_("因连续两次触发非交易目的资金划转预警，按运营管理部指令（{n}）关闭主辅资金账户之间划转功能").format(n=instruction),
                    channel="counter", at=tx.ctx.stamp(), business_date=tx.today, journal_id=tx.journal.id))
    return {"alert": alert.id, "closed_accounts": [a.no for a in accounts], "instruction": instruction}


@function("7103", "notify", N_("重大事项告知"))
def notify(tx: Tx, p: Params) -> dict:
    """Major-matter notices are kept at least 3 years (S15): `action = list | delete | purge` is in
    compliance.notices, and removes only older ones."""
    action = p.choice("action", N_("操作"), ("add", "list", "delete", "purge"), default="add")
    if action != "add":
        from teller.services.compliance import notices

        return notices(tx, p, action)
    c = tx.customer(p.text("customer", N_("客户号")))
    content = p.text("content", N_("告知内容"))
    channel = p.choice("channel", N_("告知渠道"), ("counter", "phone", "sms", "mail", "online"), default="counter")
    tx.require_papers([])
    n = Notice(customer_code=c.code, content=content, channel=channel, at=tx.ctx.stamp(), business_date=tx.today, journal_id=tx.journal.id)
    tx.s.add(n)
    tx.s.flush()
    return {"notice": n.id}


# Review.status is stored as these keys; a teller sees the title.
REVIEW_STATUS_TITLES = {
    "pending": N_("待复核"), "approved": N_("已批准"), "rejected": N_("已退回"), "failed": N_("执行失败"),
}


@function("8102", "review", N_("业务复核"))
def review(tx: Tx, p: Params) -> dict:
    """Maker-checker: a different supervisor approves (or rejects) a waiting request; approval
    replays the request, which then takes effect in this transaction."""
    from teller.services.base import REGISTRY

    reject = p.raw.get("reject")
    target = p.raw.get("approve", reject)
    if target is None or not str(target).isdigit():
        raise BadInput(N_("复核号"), _("请填写要批准或退回的复核号"))
    # Locked: two supervisors approving the same request at once must not both replay it.
    r = tx.s.get(Review, int(target), with_for_update=True)
    if r is None:
        raise NotFound(N_("复核号"), target)
    tx.customer_code = r.customer_code
    if r.status != "pending":
        shown = _(REVIEW_STATUS_TITLES.get(r.status, r.status))
        raise BadInput(N_("复核号"), _("复核 {id} 已是“{s}”，不能再处理").format(id=r.id, s=shown))
    if r.requested_by == tx.ctx.teller_id:
        raise Refused(Rule.FORBIDDEN, _("复核 {id} 是您本人提交的，须由另一名主管复核").format(id=r.id))
    r.decided_by, r.decided_journal = tx.ctx.teller_id, tx.journal.id
    if reject is not None:
        r.status, r.result = "rejected", p.text("reason", N_("退回原因"), required=False)
        tx.s.add(r)
        return {"review_id": r.id, "status": r.status}
    fn = REGISTRY[r.op]
    replay = Tx(tx.s, Context(teller_id=r.requested_by, terminal=tx.ctx.terminal, documents=None,
                              agent=r.agent, approving=True, now=tx.ctx.now), fn, tx.journal, tx.settings)
    data = fn.handler(replay, Params(r.params)) or {}
    r.status, r.result = "approved", data.get("_message", "")
    tx.s.add(r)
    return {"review_id": r.id, "status": r.status, "op": r.op, "result": {k: v for k, v in data.items() if k != "_message"},
            "_message": _("复核 {id} 已批准并生效：{m}").format(id=r.id, m=data.get("_message", ""))}


@function("9101", "end_of_day", N_("日终处理"))
def end_of_day(tx: Tx, p: Params) -> dict:
    """Day-end: closing cash into the interest base (利息积数, DOMAIN §2: once per day-end), clear
    today's non-withdrawable money, run the monitors, move to the next trading day. Set-based SQL."""
    from teller.domain.calendar import default_calendar

    if tx.s.get(DayEnd, tx.today) is not None:
        raise Refused(Rule.FORBIDDEN, _("营业日 {d} 已做过日终，不能重复").format(d=tx.today.isoformat()))
    tx.require_papers([])
    for hook in DAY_END_HOOKS:
        hook(tx)
    tx.progress(_("利息积数与当日不可取金额"), 0, 1)
    tx.s.exec(
        update(FundAccount)
        .where(FundAccount.status == "open")
        .values(interest_base=FundAccount.interest_base + FundAccount.cash, non_withdrawable_today=0)
    )
    tx.progress(_("利息积数与当日不可取金额"), 1, 1)
    cal = default_calendar()
    nxt = cal.next_trading_day(tx.today)
    setting = tx.s.get(Setting, "business_date")
    setting.value = nxt.isoformat()
    tx.s.add(setting)
    tx.s.add(DayEnd(business_date=tx.today, at=tx.ctx.stamp(), teller_id=tx.ctx.teller_id, next_date=nxt))
    data = {"closed": tx.today.isoformat(), "next": nxt.isoformat(),
            "_message": _("日终完成：{d} 已结束，下一营业日 {n}").format(d=tx.today.isoformat(), n=nxt.isoformat())}
    if cal.is_provisional(nxt):
        data["_message"] += _("（注意：{y} 年交易日历为暂定，请更新节假日表）").format(y=nxt.year)
        data["provisional_calendar"] = True
    return data


@function("9102", "manage_tellers", N_("柜员管理"))
def manage_tellers(tx: Tx, p: Params) -> dict:
    action = p.choice("action", N_("操作"), ("add", "reset_password", "lock", "unlock", "set_role", "deactivate"))
    tid = p.text("id", N_("柜员号"))
    me = tx.s.get(Teller, tx.ctx.teller_id)
    t = tx.s.get(Teller, tid, with_for_update=True)
    tx.require_papers([])
    if action == "add":
        if t is not None:
            raise BadInput(N_("柜员号"), _("柜员号 {id} 已存在").format(id=tid))
        role = p.choice("role", N_("角色"), ROLES, default="teller")
        _may_manage(me, role)
        password = p.text("password", N_("密码"))
        check_password_rule(password)
        tx.s.add(Teller(id=tid, name=p.text("name", N_("姓名"), required=False), role=role, password_hash=hash_password(password)))
        return {"teller": tid, "role": role}
    if t is None:
        raise NotFound(N_("柜员号"), tid)
    _may_manage(me, t.role)
    if action == "reset_password":
        password = p.text("password", N_("密码"))
        check_password_rule(password)
        t.password_hash, t.failed_attempts, t.locked = hash_password(password), 0, False
    elif action == "lock":
        t.locked = True
    elif action == "unlock":
        t.locked, t.failed_attempts = False, 0
    elif action == "deactivate":
        if t.id == tx.ctx.teller_id:
            raise Refused(Rule.FORBIDDEN, _("不能停用自己"))
        t.active = False
    else:
        role = p.choice("role", N_("角色"), ROLES)
        _may_manage(me, role)
        t.role = role
    tx.s.add(t)
    return {"teller": t.id, "role": t.role, "locked": t.locked, "active": t.active}


def _may_manage(me: Teller | None, role: str) -> None:
    """A trainer manages trainees (role teller) only; supervisors manage everyone."""
    if me is None or (me.role != "supervisor" and role != "teller"):
        raise Refused(Rule.FORBIDDEN, _("只有主管能管理{role}角色的柜员").format(role=role_title(role)))

