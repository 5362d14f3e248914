"""委托业务 (5101–5103): the exchange's stand-in; orders fill at once."""

from __future__ import annotations

from teller.i18n import N_

from teller.forms.base import AMOUNT, CHOICE, Choice, Field, FormDef, define
from teller.forms.common import ACCOUNT_FIELD, CUSTOMER_FIELD

define(
    FormDef(
        "5101",
        (ACCOUNT_FIELD,
         Field("side", N_("买卖方向"), CHOICE, choices=(Choice("buy", N_("买入")), Choice("sell", N_("卖出")), Choice("subscribe", N_("新股申购")))),
         Field("amount", N_("金额"), AMOUNT)),
        help=N_("只有主资金账户可以买卖和申购，买入以可用资金为限；本柜台委托按所填金额即时成交。"),
    ),
    FormDef("5102", (CUSTOMER_FIELD,),
            help=N_("撤销客户当日最近一笔委托。当日撤单后不能变更主资金账户。")),
    FormDef(
        "5103",
        (CUSTOMER_FIELD,
         Field("kind", N_("业务类别"), CHOICE,
               choices=(Choice("designate", N_("指定交易")), Choice("undesignate", N_("撤销指定")), Choice("transfer_custody", N_("转托管"))))),
        help=N_("当日办理指定交易、撤销指定或转托管后，不能变更主资金账户。"),
    ),
)
