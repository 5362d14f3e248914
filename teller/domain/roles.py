"""Who may run which function. Data, so that a site can tighten it.

Decision (DOMAIN.md is silent): tellers run every counter function, day-end included, because in a
training branch the teller on duty closes the day and the scenario contract runs 9101 as the
default teller; approving (8102) and managing tellers (9102) are the supervisor's; a trainer runs
the training functions and may look but not move money.
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
}
ROLES = tuple(ROLE_FUNCTIONS)
# Roles are stored as these English keys; a teller sees the title.
ROLE_TITLES = {"teller": N_("柜员"), "supervisor": N_("主管"), "trainer": N_("培训师")}


def role_title(role: str) -> str:
    return _(ROLE_TITLES.get(role, role))


def may_run(role: str, code: str) -> bool:
    return code in ROLE_FUNCTIONS.get(role, frozenset())


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
