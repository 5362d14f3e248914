"""Who may run which function. Data, so that a site can tighten it.

Decision (DOMAIN.md is silent): tellers run every counter function, day-end included, because in a
training branch the teller on duty closes the day and the scenario contract runs 9101 as the
default teller; approving (8102) and managing tellers (9102) are the supervisor's; a trainer runs
the training functions and may look but not move money.

Roles that cannot become each other (issue 11): a trainee (学员) is a role of its own, whose work
counts only on a training store (a drill's sandbox, the demo: `sandbox = 1`); there a trainee runs
the counter functions, elsewhere only records their own training results (9103) and cannot sign
on. A trainer manages trainees and nobody else: never adds, resets, locks or changes a teller, a
supervisor or a trainer, and never makes anyone more than a trainee. Only a supervisor manages
tellers, supervisors and trainers. Whoever sets a password knows it: a supervisor never approves
(8102) a request whose maker's password they set, nor one made by whoever set theirs.
"""

from __future__ import annotations

from teller.domain.errors import Refused, Rule
from teller.i18n import N_, _

COUNTER = {
    "1101", "1102", "1103", "2101", "3101", "3102", "3103", "3104", "3105", "3106",
    "3201", "3202", "3203", "3204", "3205", "3206", "4101", "4102", "5101", "5102", "5103",
    "6101", "6102", "6103", "7101", "7102", "7103", "8101", "9101",
    # The bank link (issue 6): 3107 is recorded by the link itself, 6104 settles a request from the
    # 6101 screen (a supervisor approves it), 6105 re-sends one.
    "3107", "6104", "6105",
    # A copy of a receipt (issue 12): any counter teller prints one for the client in front of them.
    "8103",
}
QUERIES = {"1103", "3206", "6101", "6102", "6103", "7102", "8101"}

ROLE_FUNCTIONS: dict[str, frozenset[str]] = {
    "teller": frozenset(COUNTER | {"9103"}),
    "supervisor": frozenset(COUNTER | {"8102", "9102", "9103"}),
    "trainer": frozenset(QUERIES | {"9103", "9102"}),
    # On a training store only (check_may_work_here): the counter's functions, to practise them.
    "trainee": frozenset(COUNTER | {"9103"}),
}
ROLES = tuple(ROLE_FUNCTIONS)
# Roles are stored as these English keys; a teller sees the title.
ROLE_TITLES = {"teller": N_("柜员"), "supervisor": N_("主管"), "trainer": N_("培训师"), "trainee": N_("学员")}


def role_title(role: str) -> str:
    return _(ROLE_TITLES.get(role, role))


def may_run(role: str, code: str) -> bool:
    return code in ROLE_FUNCTIONS.get(role, frozenset())


# What a trainee may do on a store that is not a training store: record their own exam and practice.
TRAINEE_ANYWHERE = frozenset({"9103"})


def check_sign_on(role: str, sandbox: bool) -> None:
    """A trainee signs on only to a training store: nothing a trainee does is a branch's business."""
    if role == "trainee" and not sandbox:
        raise Refused(Rule.FORBIDDEN, _("学员只能登录培训库（演练、示范库），不能登录营业部的库"))


def check_may_work_here(role: str, code: str, sandbox: bool) -> None:
    """Every call, whoever made it (the counter, a scenario file, a CLI): a trainee's counter work
    counts only on a training store."""
    if role == "trainee" and not sandbox and code not in TRAINEE_ANYWHERE:
        raise Refused(Rule.FORBIDDEN, _("学员只能在培训库（演练、示范库）上办理业务"))


# Who manages whom in 9102: the roles each role may act on, and may give.
MANAGES: dict[str, frozenset[str]] = {
    "supervisor": frozenset(ROLE_FUNCTIONS),
    "trainer": frozenset({"trainee"}),
}


def check_may_manage(actor_role: str | None, target_role: str, new_role: str | None = None) -> None:
    """9102: the actor may act on a teller of `target_role` (add one, reset, lock, unlock, deactivate)
    and, with `new_role`, make them that role."""
    allowed = MANAGES.get(actor_role or "", frozenset())
    for role in (target_role, new_role):
        if role is not None and role not in allowed:
            if actor_role == "trainer":
                raise Refused(Rule.FORBIDDEN, _("培训师只能管理学员，不能管理{role}").format(role=role_title(role)))
            raise Refused(Rule.FORBIDDEN, _("只有主管能管理{role}角色的柜员").format(role=role_title(role)))


def check_may_approve(approver: str, approver_password_set_by: str, maker: str, maker_password_set_by: str) -> None:
    """8102 between two people who do not know each other's password: the approver did not set the
    maker's, and the maker did not set the approver's (either could otherwise sign on as the other
    and be maker and checker at once)."""
    if maker_password_set_by == approver:
        raise Refused(Rule.FORBIDDEN, _("柜员 {maker} 的密码由您设置，其提交的业务须由另一名主管复核").format(maker=maker))
    if approver_password_set_by == maker:
        raise Refused(Rule.FORBIDDEN, _("您的密码由 {maker} 设置，其提交的业务须由另一名主管复核").format(maker=maker))


# Importing a question bank changes what every trainee is examined on: the trainer's or a
# supervisor's call (9103 import_bank).
BANK_IMPORTERS = frozenset({"trainer", "supervisor"})


def check_may_import_bank(role: str | None) -> None:
    if role not in BANK_IMPORTERS:
        raise Refused(Rule.FORBIDDEN, _("只有培训师或主管可以导入题库"))


def check_may_remove_notices(role: str | None) -> None:
    """7103 delete / purge: major-matter notices are kept at least 3 years (exam S15); removing
    the expired ones is a supervisor's act."""
    if role != "supervisor":
        raise Refused(Rule.FORBIDDEN, _("删除重大事项告知记录须由主管办理"))
