"""资金管理→单帐户多银行 (3201–3206)."""

from __future__ import annotations

from decimal import Decimal

from teller.domain import papers as P
from teller.i18n import N_

from teller.forms.base import ACCOUNT, AMOUNT, CHOICE, Choice, Field, FormDef, define
from teller.forms.common import ACCOUNT_FIELD, ACCOUNTS_TABLE, BANK_FIELD, CUSTOMER_FIELD

FLAG_CHOICES = (Choice("1", N_("1--开")), Choice("0", N_("0--关")))


def _to_the_main(values: dict[str, str], client: dict) -> dict[str, tuple[str, str]]:
    """3203 from an aux: the one account the money may go to is the client's main (辅助资金账户之间
    不能划转), so 转入 is filled with it; from the main, the teller says which aux."""
    accounts = {a["no"]: a for a in client.get("accounts", []) if a.get("status") == "open"}
    src = accounts.get(values.get("from", ""))
    main = next((a for a in accounts.values() if str(a.get("role")) == "main"), None)
    if src is None or main is None or str(src.get("role")) != "aux" or values.get("to"):
        return {}
    return {"to": (main["no"], N_("辅助资金账户只能转入主资金账户"))}

def _to_the_bank(values: dict[str, str], data: dict) -> tuple[str, dict[str, tuple[str, str]]] | None:
    """After a 3203 into the main: 银证转账 from that main, its account filled in (the exam's procedure
    for 880002 is this pair). Offered, not required: another code types over it. Only while the main
    has money that may leave today: what this transfer brought in leaves from the next trading day,
    as its result says."""
    dst = data.get("to") or {}
    if str(dst.get("role")) != "main" or Decimal(str(dst.get("withdrawable") or "0")) <= 0:
        return None
    return "3105", {"account": (dst["no"], N_("主资金账户的可取资金可转到其存管银行"))}


define(
    FormDef(
        "3201",
        (ACCOUNT_FIELD,
         Field("action", N_("操作"), CHOICE, choices=(Choice("add", N_("登记")), Choice("delete", N_("删除")), Choice("set_flag", N_("设置划转标志")),
                                                   Choice("set_flag_all", N_("全部账户设置划转标志")))),
         Field("flag", N_("划转标志"), CHOICE, choices=FLAG_CHOICES, default="1", when=("action", ("add", "set_flag", "set_flag_all")),
               help=N_("主辅资金账户之间能否划转：1--开，0--关")),
         Field("instruction", N_("运营管理部指令号"), when=("action", ("set_flag", "set_flag_all")), required=False,
               help=N_("关闭划转功能（标志设为 0）须填运营管理部的指令号，并经主管复核"))),
        help=N_("登记资金账户进入单客户多银行服务（划转标志 1）、删除（T+1，资金已转出、利息已归本），或设置划转标志。关闭划转功能须把全部资金账户（含主资金账户）都设为 0：选“全部账户设置划转标志”，填客户的任一资金账号，一个指令号、一次复核。"),
        papers=(P.AGREEMENT, P.ACCOUNT_INFO, P.CLOSE_FORM, P.INTEREST_SLIP, P.GENERAL_FORM),
    ),
    FormDef(
        "3202",
        (CUSTOMER_FIELD, Field("account", N_("资金账号"), ACCOUNT, help=N_("将成为主资金账户的资金账号"))),
        help=N_("设置或变更主资金账户。变更前须把每个股东账户（2101）和开放式基金账户（4102）迁到新的主资金账户；当日有委托、撤单、指定交易、撤销指定、转托管或开立开放式基金账户的，当日不能变更。"),
        papers=(P.CHANGE_MAIN_FORM,),
    ),
    FormDef(
        "3203",
        (Field("from", N_("转出资金账号"), ACCOUNT), Field("to", N_("转入资金账号"), ACCOUNT),
         Field("amount", N_("金额"), AMOUNT, help=N_("元，以转出账户的可取资金为限")),
         Field("channel", N_("渠道"), CHOICE, required=False, choices=(Choice("counter", N_("柜台")), Choice("online", N_("网上"))),
               default="counter", help=N_("客户在网上自助划转不需纸质申请表"))),
        help=N_("主资金账户与辅助资金账户之间划转，辅助资金账户之间不能划转。转入资金当日可用于交易，次一交易日方可转出。"),
        papers=(P.TRANSFER_FORM,), fill=("from", _to_the_main), then=_to_the_bank,
    ),
    FormDef(
        "3204", (CUSTOMER_FIELD,),
        help=N_("把每个辅助资金账户的可取资金一次归集到主资金账户。客户只要求从某一个辅助资金账户划款时，应使用 3203 而不是归集。"),
        papers=(P.TRANSFER_FORM,),
    ),
    FormDef(
        "3205", (CUSTOMER_FIELD, BANK_FIELD),
        help=N_("关键信息变更后，逐一发送给每个存管银行，并在 6101 查看银行返回结果。"),
    ),
    FormDef(
        "3206", (CUSTOMER_FIELD,), query=True,
        help=N_("客户的全部资金账户：角色、存管银行、划转标志、资金余额、可用、可取。"),
        results=(ACCOUNTS_TABLE,),
    ),
)
