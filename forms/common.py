"""Fields and result columns several forms share."""

from __future__ import annotations

from teller.i18n import N_

from teller.forms.base import ACCOUNT, BANK, CUSTOMER, Column, Field, ResultTable

CUSTOMER_FIELD = Field("customer", N_("客户号"), CUSTOMER, help=N_("6 位客户号；按 F4 按客户号、姓名或证件号码查找"))
ACCOUNT_FIELD = Field("account", N_("资金账号"), ACCOUNT, help=N_("客户的资金账号；按 F4 列出该客户的资金账户"))
BANK_FIELD = Field("bank", N_("存管银行"), BANK, help=N_("存管银行全称；按 F4 选择"))

ACCOUNT_COLUMNS = (
    Column("no", N_("资金账号")), Column("role", N_("角色"), "role"), Column("bank", N_("存管银行"), "bank"),
    Column("transfer_flag", N_("划转"), "flag"), Column("custody", N_("存管"), "label"),
    Column("cash", N_("资金余额"), "money"), Column("available", N_("可用"), "money"),
    Column("withdrawable", N_("可取"), "money"),
)
ACCOUNTS_TABLE = ResultTable("accounts", N_("资金账户"), ACCOUNT_COLUMNS)
