"""The papers a client signs, and which function needs which (DOMAIN.md §4).

Paper names are the canonical Chinese titles; they are data (archived, listed on forms, written in
scenario files), so they are not translated as message ids but shown through `paper_title()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from teller.domain.errors import Refused, Rule
from teller.i18n import _

AGREEMENT = "单客户多银行服务协议书"
ACCOUNT_INFO = "自然人/机构账户信息表"
NEW_AUX_FORM = "新增辅助资金账户申请表"
CUSTODY_AGREEMENT = "三方存管协议"
CHANGE_MAIN_FORM = "变更主资金账户申请表"
TRANSFER_FORM = "单客户多银行服务资金划转申请表"
CLOSE_FORM = "资产转出及销户申请表"
INTEREST_SLIP = "资金利息归本单"
GENERAL_FORM = "账户综合业务申请表"
ID_PROOF = "身份证明文件"
PLEDGE = "客户承诺书"
COMMUNICATION = "沟通记录"
POWER_OF_ATTORNEY = "授权委托书"
AGENT_ID = "代理人身份证明"

ALL_PAPERS = (
    AGREEMENT, ACCOUNT_INFO, NEW_AUX_FORM, CUSTODY_AGREEMENT, CHANGE_MAIN_FORM, TRANSFER_FORM,
    CLOSE_FORM, INTEREST_SLIP, GENERAL_FORM, ID_PROOF, PLEDGE, COMMUNICATION, POWER_OF_ATTORNEY, AGENT_ID,
)
# An agent brings both, never the letter alone (exam T02: the notarised letter must name the matter).
AGENT_PAPERS = (POWER_OF_ATTORNEY, AGENT_ID)


def paper_title(name: str) -> str:
    """The paper's title in the current language, for display."""
    titles = {
        AGREEMENT: _("单客户多银行服务协议书"),
        ACCOUNT_INFO: _("自然人/机构账户信息表"),
        NEW_AUX_FORM: _("新增辅助资金账户申请表"),
        CUSTODY_AGREEMENT: _("三方存管协议"),
        CHANGE_MAIN_FORM: _("变更主资金账户申请表"),
        TRANSFER_FORM: _("单客户多银行服务资金划转申请表"),
        CLOSE_FORM: _("资产转出及销户申请表"),
        INTEREST_SLIP: _("资金利息归本单"),
        GENERAL_FORM: _("账户综合业务申请表"),
        ID_PROOF: _("身份证明文件"),
        PLEDGE: _("客户承诺书"),
        COMMUNICATION: _("沟通记录"),
        POWER_OF_ATTORNEY: _("授权委托书"),
        AGENT_ID: _("代理人身份证明"),
    }
    return titles.get(name, name)


@dataclass(frozen=True)
class Filing:
    """One required paper and the fund accounts it is filed against (archived under the client code)."""

    paper: str
    accounts: tuple[str, ...] = ()


def missing(required: list[Filing], ticked: frozenset[str] | set[str]) -> list[str]:
    seen: list[str] = []
    for f in required:
        if f.paper not in ticked and f.paper not in seen:
            seen.append(f.paper)
    return seen


def check_ticked(required: list[Filing], ticked: frozenset[str] | set[str]) -> None:
    """A function is refused until every paper it needs is ticked, naming every one missing (DOMAIN §4)."""
    lacking = missing(required, ticked)
    if lacking:
        raise Refused(
            Rule.DOC_MISSING,
            _("缺少{papers}。请收齐并在资料清单中勾选后再提交").format(
                papers=_("、").join(_("《{title}》").format(title=paper_title(p)) for p in lacking)),
            missing=lacking,
        )


def check_agent_allowed(agent: bool, allowed: bool) -> None:
    """§5: whether an agent may act for the client is a branch setting (agent_allowed)."""
    if agent and not allowed:
        raise Refused(Rule.FORBIDDEN, _("本营业部规定须客户本人临柜办理，不接受代理"))


def with_agent(required: list[Filing], agent: bool, accounts: tuple[str, ...]) -> list[Filing]:
    if not agent:
        return required
    return required + [Filing(p, accounts) for p in AGENT_PAPERS]
