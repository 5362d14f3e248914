"""查询 (6101–6103) and 影像档案 (8101): read-only, results as scrollable tables."""

from __future__ import annotations

from teller.i18n import N_

from teller.forms.base import FILES, Column, Field, FormDef, ResultTable, define
from teller.forms.common import ACCOUNT_FIELD, CUSTOMER_FIELD

define(
    FormDef(
        "6101", (CUSTOMER_FIELD,), query=True,
        help=N_("发往存管银行的请求（银证转账、资料变更）及银行返回的状态。"),
        results=(ResultTable("requests", N_("银行请求"), (
            Column("date", N_("日期"), "date"), Column("bank", N_("存管银行"), "bank"), Column("account", N_("资金账号")),
            Column("kind", N_("业务"), "label"), Column("amount", N_("金额"), "money"), Column("state", N_("状态"), "label"),
            Column("journal", N_("流水号")))),),
    ),
    FormDef(
        "6102", (ACCOUNT_FIELD,), query=True,
        help=N_("资金账户的资金余额、可用、可取、角色与划转标志。"),
        results=(ResultTable(None, N_("资金"), (
            Column("role", N_("角色"), "role"), Column("transfer_flag", N_("划转"), "flag"), Column("cash", N_("资金余额"), "money"),
            Column("available", N_("可用"), "money"), Column("withdrawable", N_("可取"), "money"))),),
    ),
    FormDef(
        "6103", (CUSTOMER_FIELD,), query=True,
        help=N_("主辅资金账户之间的每一笔划转（3203、3204），柜台与网上渠道。"),
        results=(ResultTable("lines", N_("调拨流水"), (
            Column("date", N_("日期"), "date"), Column("account", N_("资金账号")), Column("kind", N_("方向"), "label"),
            Column("amount", N_("金额"), "money"), Column("counterpart", N_("对方账号")), Column("channel", N_("渠道"), "label"),
            Column("journal", N_("流水号")))),),
    ),
    FormDef(
        "8101", (
            CUSTOMER_FIELD,
            # Filled to file scans of a signed paper with its latest filing; left empty, 8101 lists.
            Field("paper", N_("资料名称"), "paper", required=False,
                  help=N_("上传影像时填写：扫描的是哪一份资料（名称或序号）；按 F4 选择。不填则只列出归档资料")),
            Field("files", N_("影像文件"), FILES, required=False,
                  help=N_("本终端上扫描件的路径（PDF、PNG 或 JPEG，按内容判断），多个用分号隔开")),
        ), query=True,
        help=N_("客户签署的资料按客户号归档，每份注明所归档的资金账户与办理的功能；填写资料名称和影像文件，则把签字资料的扫描件归档到该资料最近一次的归档之下。"),
        results=(ResultTable("documents", N_("归档资料"), (
            Column("paper", N_("资料"), "paper"), Column("account", N_("资金账号")), Column("function", N_("功能")),
            Column("date", N_("日期"), "date"), Column("journal", N_("流水号")))),),
    ),
)
