"""Refusals carry a rule code (DOMAIN.md §6) and a message in the teller's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from teller.i18n import _


class Rule(StrEnum):
    MAX_ACCOUNTS = "MAX_ACCOUNTS"
    NOT_QUALIFIED = "NOT_QUALIFIED"
    NOT_IN_SERVICE = "NOT_IN_SERVICE"
    NEEDS_AUX = "NEEDS_AUX"
    AUX_TO_AUX = "AUX_TO_AUX"
    NOT_SAME_CUSTOMER = "NOT_SAME_CUSTOMER"
    AUX_NO_TRADE = "AUX_NO_TRADE"
    NOT_WITHDRAWABLE = "NOT_WITHDRAWABLE"
    INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS"
    TRANSFER_CLOSED = "TRANSFER_CLOSED"
    MAIN_CHANGE_BLOCKED = "MAIN_CHANGE_BLOCKED"
    LINKS_NOT_MIGRATED = "LINKS_NOT_MIGRATED"
    KEY_INFO_PENDING = "KEY_INFO_PENDING"
    CUSTODY_NOT_SIGNED = "CUSTODY_NOT_SIGNED"
    CLOSE_CONDITIONS = "CLOSE_CONDITIONS"
    T_PLUS_1 = "T_PLUS_1"
    DOC_MISSING = "DOC_MISSING"
    NEEDS_REVIEW = "NEEDS_REVIEW"
    FORBIDDEN = "FORBIDDEN"
    BAD_INPUT = "BAD_INPUT"
    NOT_FOUND = "NOT_FOUND"
    BANK_FAILED = "BANK_FAILED"
    BANK_NO_ANSWER = "BANK_NO_ANSWER"
    ALERT_ACTION = "ALERT_ACTION"


def rule_title(rule: Rule | str, data: dict | None = None) -> str:
    """The rule's short name as the teller knows it, shown beside the code. A refusal's data can
    name its cause: NOT_WITHDRAWABLE blames the next-day rule only when money that came in today
    (`held`, 实施细则: 划入资金次一交易日方可转出) is part of what is held back; a plain shortfall
    is only that."""
    if Rule(rule) == Rule.NOT_WITHDRAWABLE and not (data or {}).get("held"):
        return _("超出可取资金")
    titles = {
        Rule.MAX_ACCOUNTS: _("同一客户最多 5 个资金账户"),
        Rule.NOT_QUALIFIED: _("仅合格账户可开通单客户多银行服务"),
        Rule.NOT_IN_SERVICE: _("账户未开通单客户多银行服务"),
        Rule.NEEDS_AUX: _("开通服务须至少有一个辅助资金账户"),
        Rule.AUX_TO_AUX: _("辅助资金账户之间不能划转"),
        Rule.NOT_SAME_CUSTOMER: _("只能在同一客户的账户之间操作"),
        Rule.AUX_NO_TRADE: _("辅助资金账户不能交易或申购"),
        Rule.NOT_WITHDRAWABLE: _("超出可取资金（主辅划转资金次一交易日方可转出）"),
        Rule.INSUFFICIENT_FUNDS: _("可用资金不足"),
        Rule.TRANSFER_CLOSED: _("主辅资金划转功能已关闭"),
        Rule.MAIN_CHANGE_BLOCKED: _("当日有交易类业务，不能变更主资金账户"),
        Rule.LINKS_NOT_MIGRATED: _("股东账户或基金账户尚未迁移到新主资金账户"),
        Rule.KEY_INFO_PENDING: _("关键信息变更尚未发送该存管银行"),
        Rule.CUSTODY_NOT_SIGNED: _("未签三方存管协议"),
        Rule.CLOSE_CONDITIONS: _("不满足销户或删除条件"),
        Rule.T_PLUS_1: _("须在次一交易日办理"),
        Rule.DOC_MISSING: _("客户签署的资料未齐"),
        Rule.NEEDS_REVIEW: _("须经复核"),
        Rule.FORBIDDEN: _("无权办理"),
        Rule.BAD_INPUT: _("输入有误"),
        Rule.NOT_FOUND: _("查无此记录"),
        Rule.BANK_FAILED: _("存管银行答复失败"),
        Rule.BANK_NO_ANSWER: _("存管银行未答复，结果待查"),
        Rule.ALERT_ACTION: _("处理方式与预警不符"),
    }
    return titles.get(Rule(rule), str(rule))


class Refused(Exception):
    """A business refusal: nothing was applied; the message tells the teller why and which rule."""

    def __init__(self, rule: Rule | str, message: str, **data: object) -> None:
        super().__init__(message)
        self.rule = Rule(rule)
        self.message = message
        self.data = data

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


class BadInput(Refused):
    """A field's value breaks its format rule. Names the field so the form can put the cursor there."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason  # the rule broken, without the field's name
        super().__init__(Rule.BAD_INPUT, _("{field}：{reason}").format(field=_(field), reason=reason), field=field)


class NotFound(Refused):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(Rule.NOT_FOUND, _("{what} {key} 不存在").format(what=_(what), key=key), key=str(key))


@dataclass(frozen=True)
class Outcome:
    """What a function call came to, as the screens and the scenario runner see it."""

    ok: bool
    op: str
    rule: str | None = None
    message: str = ""
    data: dict = field(default_factory=dict)
    journal_id: int | None = None
