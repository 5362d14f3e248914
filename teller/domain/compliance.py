"""Compliance records as pure rules: the life of an AML alert, and how long a major-matter notice
must be kept. Nothing here reads or writes a store."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from teller.domain.errors import BadInput, Refused, Rule
from teller.i18n import N_, _, format_day

# --- 7102: AML alert states ----------------------------------------------------------------------
class AlertState(StrEnum):
    """An alert's life: 7101 warnings go new -> closed (educated, or the transfer function closed);
    7102 AML alerts new -> under_review -> reported | dismissed. Stored as these words."""

    NEW = "new"
    UNDER_REVIEW = "under_review"
    REPORTED = "reported"
    DISMISSED = "dismissed"
    CLOSED = "closed"


NEW, UNDER_REVIEW, REPORTED, DISMISSED, CLOSED = AlertState
DONE = (CLOSED, DISMISSED)  # nothing more to do on it
STATE_TITLES = {
    NEW: N_("新预警"), UNDER_REVIEW: N_("核查中"), REPORTED: N_("已上报"), DISMISSED: N_("已排除"), CLOSED: N_("已处理"),
}
# action -> (states it starts from, state it leads to, roles that may take it).
# Decision (DOMAIN is silent): any counter staff may open a review; reporting to the firm's AML
# desk and dismissing are a supervisor's call (exam M17 D: 合规岗 reports by the set procedure).
# The trainer role only looks (roles.py).
AML_ACTIONS: dict[str, tuple[frozenset[str], str, frozenset[str]]] = {
    "review": (frozenset({NEW}), UNDER_REVIEW, frozenset({"teller", "supervisor"})),
    "report": (frozenset({NEW, UNDER_REVIEW}), REPORTED, frozenset({"supervisor"})),
    "dismiss": (frozenset({NEW, UNDER_REVIEW}), DISMISSED, frozenset({"supervisor"})),
}


def state_title(state: str) -> str:
    return _(STATE_TITLES.get(state, state))


def next_aml_state(state: str, action: str, role: str, reason: str) -> str:
    """The state an AML alert moves to, or a refusal naming what is wrong."""
    if action not in AML_ACTIONS:
        raise BadInput(N_("处理方式"), _("“{v}”不在可选值中：{opts}").format(v=action, opts=" / ".join(AML_ACTIONS)))
    starts, target, roles = AML_ACTIONS[action]
    if role not in roles:
        raise Refused(Rule.FORBIDDEN, _("反洗钱预警的“{a}”须由主管办理").format(a=_(ACTION_TITLES[action])))
    if state not in starts:
        raise BadInput(N_("预警号"), _("预警已是“{s}”，不能再{a}").format(s=state_title(state), a=_(ACTION_TITLES[action])))
    if action == "dismiss" and not reason.strip():
        raise BadInput(N_("排除原因"), _("排除预警须写明原因"))
    return target


ACTION_TITLES = {"review": N_("核查"), "report": N_("上报"), "dismiss": N_("排除")}

# --- 7103: major-matter notices -----------------------------------------------------------------
NOTICE_YEARS = 3  # exam S15: kept not less than 3 years


def notice_kept_until(recorded: date) -> date:
    """The first day a notice may go: 3 full years after it was recorded (29 Feb rolls to 1 Mar,
    so never a day early)."""
    try:
        return recorded.replace(year=recorded.year + NOTICE_YEARS)
    except ValueError:
        return date(recorded.year + NOTICE_YEARS, 2, 28) + timedelta(days=1)


def check_notice_removable(notice_id: int, recorded: date, today: date) -> None:
    until = notice_kept_until(recorded)
    if today < until:
        raise Refused(
            Rule.CLOSE_CONDITIONS,
            _("重大事项告知记录 {id}（{d} 记录）须保存至少 {n} 年，{until} 之前不能删除").format(
                id=notice_id, d=format_day(recorded), n=NOTICE_YEARS, until=format_day(until)),
        )
