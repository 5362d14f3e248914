"""客户管理 (1101 1102 1103), 股东管理 (2101) and the open-end fund accounts (4101 4102)."""

from __future__ import annotations

from teller.domain import papers as P
from teller.domain.identity import ID_TYPES, STATUSES
from teller.i18n import N_

from teller.forms.base import ACCOUNT, CHOICE, ID_NO, OF_ACCOUNT, SHAREHOLDER, Choice, Column, Field, FormDef, ResultTable, define
from teller.forms.common import ACCOUNTS_TABLE, BANK_FIELD, CUSTOMER_FIELD

KIND = Field("kind", N_("客户类别"), CHOICE, choices=(Choice("individual", N_("自然人")), Choice("institution", N_("机构"))),
             default="individual")
# The ID types' short names as tellers say them (回乡证, 台胞证), for the hint beside the field: at 80
# columns the whole names took four lines in Chinese and eight in English. F4 and F1 list them
# whole, and the one typed shows whole.
ID_SHORT = dict(zip(ID_TYPES, (N_("身份证"), N_("信用代码"), N_("护照"), N_("回乡证"), N_("台胞证"), N_("永居证"))))
ID_TYPE = Field("id_type", N_("证件类型"), CHOICE, choices=tuple(Choice(t, t, ID_SHORT[t]) for t in ID_TYPES), default=ID_TYPES[0],
                help=N_("机构客户选统一社会信用代码"))
STATUS = Field("status", N_("账户状态"), CHOICE, required=False, choices=tuple(Choice(s, s) for s in STATUSES), default=STATUSES[0])

define(
    FormDef(
        "1101",
        (Field("name", N_("客户姓名")), KIND, ID_TYPE, Field("id_no", N_("证件号码"), ID_NO), BANK_FIELD, STATUS,
         Field("customer", N_("客户号"), required=False, help=N_("不填则自动编号")),
         Field("no", N_("资金账号"), required=False, help=N_("不填则按客户号自动编号"))),
        help=N_("新客户一次开立客户号、第一个资金账户和沪深股东账户；之后用 3103 签三方存管，再按开通单客户多银行服务的步骤办理。"),
        papers=(P.ACCOUNT_INFO, P.ID_PROOF),
    ),
    FormDef(
        "1102",
        (CUSTOMER_FIELD, Field("name", N_("客户姓名"), required=False),
         Field("id_type", N_("证件类型"), CHOICE, required=False, choices=ID_TYPE.choices),
         Field("id_no", N_("证件号码"), ID_NO, required=False)),
        help=N_("关键信息（姓名、证件类型、证件号码）每个客户只有一份，变更后全部资金账户同时生效；须经另一人在 8102 复核，再用 3205 逐一发送各存管银行，在 6101 查看结果。未发送的银行，其资金账户的资金划转暂停。"),
        papers=(P.ID_PROOF,),
    ),
    FormDef(
        "1103", (CUSTOMER_FIELD,), query=True,
        help=N_("客户的资料、服务状态、资金账户，以及挂在资金账户下的股东账户和开放式基金账户。"),
        results=(
            ACCOUNTS_TABLE,
            ResultTable("shareholder_accounts", N_("股东账户"),
                        (Column("no", N_("股东账户")), Column("market", N_("市场"), "label"), Column("fund_account", N_("资金账号")))),
            ResultTable("of_accounts", N_("开放式基金账户"), (Column("no", N_("基金账号")), Column("fund_account", N_("资金账号")))),
        ),
    ),
    FormDef(
        "2101",
        (Field("shareholder_account", N_("股东账户"), SHAREHOLDER, help=N_("按 F4 列出该客户的股东账户")),
         Field("fund_account", N_("资金账号"), ACCOUNT, help=N_("股东账户要挂到的资金账户；变更主资金账户前，先挂到将成为主资金账户的辅助资金账户"))),
        help=N_("把股东账户挂到同一客户的另一个资金账户下。变更主资金账户（3202）之前，每个股东账户都须先迁到新的主资金账户。"),
    ),
    FormDef(
        "4101",
        (CUSTOMER_FIELD, Field("fund_account", N_("资金账号"), ACCOUNT, help=N_("开放式基金账户只能挂在主资金账户下")),
         Field("no", N_("基金账号"), required=False, help=N_("不填则自动编号"))),
        help=N_("开立开放式基金账户，挂在主资金账户下。当日开立开放式基金账户后不能变更主资金账户。"),
    ),
    FormDef(
        "4102",
        (Field("of_account", N_("基金账号"), OF_ACCOUNT, help=N_("按 F4 列出该客户的开放式基金账户")),
         Field("fund_account", N_("资金账号"), ACCOUNT)),
        help=N_("把开放式基金账户的缺省资产账号改为同一客户的另一个资金账户；变更主资金账户前须先迁到新的主资金账户。"),
    ),
)
