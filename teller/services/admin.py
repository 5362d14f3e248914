"""Approvals and the system menu: 8102 业务复核, 9102 柜员管理 (day-end, 9101, is services/dayend.py)."""

from __future__ import annotations

from teller.domain.money import ascii_digits
from teller.domain.errors import BadInput, NotFound, Refused, Rule
from teller.domain.roles import ROLES, check_may_approve, check_may_manage
from teller.i18n import N_, _
from teller.services.auth import check_password_rule, hash_password
from teller.services.base import Context, Done, Params, Tx, function, result_of
from teller.store.models import Review, Teller

# Review.status is stored as these keys; a teller sees the title.
REVIEW_STATUS_TITLES = {
    "pending": N_("待复核"), "approved": N_("已批准"), "rejected": N_("已退回"), "failed": N_("执行失败"),
}


@function("8102")
def review(tx: Tx, p: Params) -> Done | dict:
    """Maker-checker: a different supervisor approves (or rejects) a waiting request; approval
    replays the request, which then takes effect in this transaction."""
    from teller.services.base import REGISTRY

    reject = p.raw.get("reject")
    target = p.raw.get("approve", reject)
    if target is None or not ascii_digits(str(target)):
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
    maker, me = tx.s.get(Teller, r.requested_by), tx.s.get(Teller, tx.ctx.teller_id)
    check_may_approve(tx.ctx.teller_id, me.password_set_by if me else "", r.requested_by,
                      maker.password_set_by if maker else "")
    r.decided_by, r.decided_journal = tx.ctx.teller_id, tx.journal.id
    if reject is not None:
        r.status, r.result = "rejected", p.text("reason", N_("退回原因"), required=False)
        tx.s.add(r)
        return {"review_id": r.id, "status": r.status}
    fn = REGISTRY[r.op]
    replay = Tx(tx.s, Context(teller_id=r.requested_by, terminal=tx.ctx.terminal, documents=None,
                              agent=r.agent, approving=True, now=tx.ctx.now), fn, tx.journal, tx.settings)
    done = result_of(fn.handler(replay, Params(r.params, fn)))
    tx.absorb(replay)  # the request's before -> after is this line's receipt
    r.status, r.result = "approved", done.message or ""
    tx.s.add(r)
    data = {"review_id": r.id, "status": r.status, "op": r.op, "requested_by": r.requested_by,
            "requested_journal": r.requested_journal, "result": done.data}
    if p.raw.get("counter_teller"):  # 主管授权 at the maker's terminal (Counter.authorise)
        data["counter_teller"] = str(p.raw["counter_teller"])
        return Done(data, _("主管 {s} 已授权，复核 {id} 已生效：{m}").format(s=tx.ctx.teller_id, id=r.id, m=done.message or ""))
    return Done(data, _("复核 {id} 已批准并生效：{m}").format(id=r.id, m=done.message or ""))


@function("9102")
def manage_tellers(tx: Tx, p: Params) -> Done | dict:
    action = p.choice("action", N_("操作"), ("add", "reset_password", "lock", "unlock", "set_role", "deactivate"))
    tid = p.text("id", N_("柜员号"))
    me = tx.s.get(Teller, tx.ctx.teller_id)
    t = tx.s.get(Teller, tid, with_for_update=True)
    tx.require_papers([])
    if action == "add":
        if t is not None:
            raise BadInput(N_("柜员号"), _("柜员号 {id} 已存在").format(id=tid))
        # A trainer adds trainees: without a role given, that is what they add.
        role = p.choice("role", N_("角色"), ROLES, default="trainee" if me is not None and me.role == "trainer" else "teller")
        check_may_manage(me.role if me else None, role)
        password = p.text("password", N_("密码"))
        check_password_rule(password)
        tx.s.add(Teller(id=tid, name=p.text("name", N_("姓名"), required=False), role=role,
                        password_hash=hash_password(password), password_set_by=tx.ctx.teller_id))
        return {"teller": tid, "role": role}
    if t is None:
        raise NotFound(N_("柜员号"), tid)
    check_may_manage(me.role if me else None, t.role)
    if action == "reset_password":
        password = p.text("password", N_("密码"))
        check_password_rule(password)
        t.password_hash, t.failed_attempts, t.locked = hash_password(password), 0, False
        t.password_set_by = tx.ctx.teller_id  # who knows it (8102, check_may_approve)
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
        check_may_manage(me.role if me else None, t.role, role)
        t.role = role
    tx.s.add(t)
    return {"teller": t.id, "role": t.role, "locked": t.locked, "active": t.active}

