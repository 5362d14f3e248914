"""资金管理 (3101–3106): fund accounts, custody, 银证转账, 利息归本."""

from __future__ import annotations

from teller.domain import papers as P
from teller.i18n import N_

from teller.forms.base import AMOUNT, CHOICE, Choice, Field, FormDef, YES_NO, define
from teller.forms.common import ACCOUNT_FIELD, BANK_FIELD, CUSTOMER_FIELD

define(
    FormDef(
        "3101",
        (CUSTOMER_FIELD, BANK_FIELD, Field("no", N_("资金账号"), required=False, help=N_("不填则按客户的第一个资金账号加 01–05 编号"))),
        help=N_("为客户新开一个同名资金账户（辅助资金账户），每个资金账户对应不同的存管银行，同一客户最多 5 个；只有合格账户可以新增。下一步 3103 签三方存管。"),
        papers=(P.NEW_AUX_FORM,),
    ),
    FormDef(
        "3102", (ACCOUNT_FIELD,),
        help=N_("销户须同时满足：三方存管已解约、资金余额为零、利息积数为零、负债为零，且已从单客户多银行服务中删除。"),
        papers=(P.CLOSE_FORM,),
    ),
    FormDef(
        "3103",
        (ACCOUNT_FIELD, Field("bank_confirmed", N_("银行已确认"), CHOICE, required=False, choices=YES_NO, default="0",
                              help=N_("不支持券商端签约的银行：客户到银行签约后，银行确认了再填 1"))),
        help=N_("为资金账户签三方存管协议。部分银行不支持在券商柜台签约，账户进入“待银行签约”，请客户到银行办理。"),
        papers=(P.CUSTODY_AGREEMENT,),
    ),
    FormDef(
        "3104", (ACCOUNT_FIELD,),
        help=N_("解约前资金须已转出，且该资金账户已从单客户多银行服务中删除（T+1 用 3201）。"),
    ),
    FormDef(
        "3105",
        (ACCOUNT_FIELD,
         Field("direction", N_("转账方向"), CHOICE, choices=(Choice("in", N_("银行转证券")), Choice("out", N_("证券转银行")))),
         Field("amount", N_("金额"), AMOUNT, help=N_("元，最多两位小数，如 1000.00"))),
        help=N_("资金账户与其自己的存管银行之间转账。转入即时可用可取；转出以可取资金为限，当日主辅划入的资金次一交易日方可转出。"),
    ),
    FormDef(
        "3106", (ACCOUNT_FIELD,),
        help=N_("把利息积数结息计入资金余额，并打印《资金利息归本单》请客户签字；之后转出资金，次一交易日才能用 3201 删除该辅助资金账户。"),
    ),
)
