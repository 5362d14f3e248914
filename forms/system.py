"""合规风控 (7101–7103), 客管系统→业务复核 (8102), 系统 (9101 9102)."""

from __future__ import annotations

from teller.domain import papers as P
from teller.domain.roles import ROLES, ROLE_TITLES
from teller.i18n import N_

from teller.forms.base import ALERT, CHOICE, PASSWORD, REVIEW, TELLER, Choice, Column, Field, FormDef, ResultTable, define
from teller.forms.common import CUSTOMER_FIELD


def _review_params(values: dict) -> dict:
    if values.get("decision") == "reject":
        return {"reject": values.get("review", ""), "reason": values.get("reason", "")}
    return {"approve": values.get("review", "")}


define(
    FormDef(
        "7101",
        (Field("alert", N_("预警号"), ALERT, help=N_("按 F4 列出未处理的预警")),
         Field("action", N_("处理方式"), CHOICE, choices=(Choice("educate", N_("教育警示")), Choice("close_transfer", N_("关闭划转功能")))),
         Field("note", N_("沟通情况"), required=False, when=("action", ("educate",))),
         Field("instruction", N_("运营管理部指令号"), when=("action", ("close_transfer",)))),
        help=N_("首次预警：教育警示客户，取得《客户承诺书》并留存《沟通记录》。连续第二次：按运营管理部指令关闭划转功能并记录重大事项告知，须主管复核。"),
        papers=(P.PLEDGE, P.COMMUNICATION), listing="alerts",
    ),
    FormDef(
        "7102",
        (CUSTOMER_FIELD,
         Field("alert", N_("预警号"), ALERT, required=False, help=N_("只查询时不填；处理一条反洗钱预警时填它的预警号（F4 列出）")),
         Field("action", N_("处理方式"), CHOICE, required=False,
               choices=(Choice("review", N_("核查")), Choice("report", N_("上报")), Choice("dismiss", N_("排除"))),
               help=N_("核查由柜员办理；上报与排除须由主管办理")),
         Field("reason", N_("排除原因"), required=False, when=("action", ("dismiss",)))),
        query=True,
        help=N_("客户的大额与可疑交易预警：自然人主辅划转单日单笔或累计 50 万元（含）以上，机构 200 万元以上。只填客户号查询；填预警号和处理方式则核查、上报或排除该预警。"),
        results=(ResultTable("alerts", N_("预警"), (
            Column("id", N_("预警号")), Column("kind", N_("类别"), "label"), Column("date", N_("日期"), "date"),
            Column("state", N_("状态"), "label"))),),
    ),
    FormDef(
        "7103",
        (CUSTOMER_FIELD, Field("content", N_("告知内容")),
         Field("channel", N_("告知渠道"), CHOICE, required=False, default="counter", choices=(
             Choice("counter", N_("柜台")), Choice("phone", N_("电话")), Choice("sms", N_("短信")), Choice("mail", N_("邮件")),
             Choice("online", N_("网上"))))),
        help=N_("规则变化、重大行情变化、账户达到合规预警线、特别管理关闭双向划转功能等重大事项须告知客户，记录至少保存 3 年。"),
        agent=False,
    ),
    FormDef(
        "8102",
        (Field("review", N_("复核号"), REVIEW, help=N_("按 F4 列出待复核的业务")),
         Field("decision", N_("复核结果"), CHOICE, choices=(Choice("approve", N_("批准")), Choice("reject", N_("退回"))), default="approve"),
         Field("reason", N_("退回原因"), required=False, when=("decision", ("reject",)))),
        help=N_("由提交人以外的主管复核：批准后业务即时生效，退回则不生效。"),
        agent=False, to_params=_review_params, listing="reviews",
    ),
    FormDef("9101", (),
            help=N_("日终：资金余额计入利息积数，清除当日不可取金额，运行监控，营业日期移到下一交易日。"), agent=False),
    FormDef(
        "9102",
        (Field("action", N_("操作"), CHOICE, choices=(
            Choice("add", N_("新增")), Choice("reset_password", N_("重置密码")), Choice("lock", N_("锁定")),
            Choice("unlock", N_("解锁")), Choice("set_role", N_("设置角色")), Choice("deactivate", N_("停用")))),
         Field("id", N_("柜员号"), TELLER),
         Field("role", N_("角色"), CHOICE, choices=tuple(Choice(r, ROLE_TITLES[r]) for r in ROLES), default="teller",
               when=("action", ("add", "set_role"))),
         Field("name", N_("姓名"), required=False, when=("action", ("add",))),
         Field("password", N_("密码"), PASSWORD, when=("action", ("add", "reset_password")), help=N_("至少 6 位"))),
        help=N_("主管管理全部柜员；培训师只能管理柜员角色（学员）。"), agent=False,
    ),
)
