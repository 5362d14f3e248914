"""The catalog of business functions: each one's four-digit code, its operation name and its title, and
where it stands on the menu (DOMAIN.md §3). The services, the forms and the menu all read it, so a
code, an op and a title are written once.

The codes and ops are fixed (tests, drills, manuals and scenario files use them). Titles and menu
segments are N_-marked msgids: translate them when shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from teller.i18n import N_


@dataclass(frozen=True)
class Entry:
    code: str
    op: str
    title: str  # N_-marked; the last segment of the function's menu path
    groups: tuple[str, ...] = ()  # the menu path above the title; () for functions not on the menu
    # The inputs it takes (DOMAIN.md §6, "Step fields by op"): a scenario step naming any other is
    # refused before anything runs, and a handler reading an undeclared one fails the test suite.
    params: tuple[str, ...] = ()

    @property
    def path(self) -> tuple[str, ...]:
        return self.groups + (self.title,)

    @property
    def on_menu(self) -> bool:
        return bool(self.groups)


FUNCTIONS: tuple[Entry, ...] = (
    Entry("1101", "joint_open", N_("股东联合开户"), (N_("客户管理"),),
          params=("name", "kind", "id_type", "id_no", "bank", "status", "customer", "no")),
    Entry("1102", "change_key_info", N_("客户资料维护"), (N_("客户管理"),),
          params=("customer", "name", "id_type", "id_no")),
    Entry("1103", "query_customer", N_("客户查询"), (N_("客户管理"),),
          params=("customer",)),
    Entry("2101", "maintain_shareholder", N_("股东账户维护"), (N_("股东管理"),),
          params=("shareholder_account", "fund_account")),
    Entry("3101", "open_asset_account", N_("资产账户开户"), (N_("资金管理"),),
          params=("customer", "bank", "no")),
    Entry("3102", "close_asset_account", N_("资产账户销户"), (N_("资金管理"),),
          params=("account",)),
    Entry("3103", "sign_custody", N_("三方存管签约"), (N_("资金管理"),),
          params=("account", "bank_confirmed")),
    Entry("3104", "terminate_custody", N_("三方存管解约"), (N_("资金管理"),),
          params=("account",)),
    Entry("3105", "bank_transfer", N_("银证转账"), (N_("资金管理"),),
          params=("account", "direction", "amount")),
    Entry("3106", "capitalize_interest", N_("利息归本"), (N_("资金管理"),),
          params=("account",)),
    Entry("3201", "maintain_multibank", N_("单帐户多银行帐户维护"), (N_("资金管理"), N_("单帐户多银行")),
          params=("account", "customer", "action", "flag", "instruction")),
    Entry("3202", "set_main", N_("设置主资金账号"), (N_("资金管理"), N_("单帐户多银行")),
          params=("customer", "account")),
    Entry("3203", "ledger_transfer", N_("客户资金台帐间转账"), (N_("资金管理"), N_("单帐户多银行")),
          params=("from", "to", "amount", "channel")),
    Entry("3204", "collect", N_("客户台帐资金归集"), (N_("资金管理"), N_("单帐户多银行")),
          params=("customer",)),
    Entry("3205", "send_bank_update", N_("单账户多银行资料变更发送银行"), (N_("资金管理"), N_("单帐户多银行")),
          params=("customer", "bank")),
    Entry("3206", "query_multibank", N_("查询单帐号多银行账户"), (N_("资金管理"), N_("单帐户多银行")),
          params=("customer",)),
    Entry("4101", "open_of_account", N_("基金账户开户"), (N_("开放式基金业务"), N_("基金账户管理")),
          params=("customer", "fund_account", "no")),
    Entry("4102", "set_default_asset_account", N_("设置缺省资产帐号"), (N_("开放式基金业务"), N_("基金账户管理")),
          params=("of_account", "fund_account")),
    Entry("5101", "order", N_("买卖委托"), (N_("委托业务"),),
          params=("account", "side", "amount")),
    Entry("5102", "cancel_order", N_("撤单"), (N_("委托业务"),),
          params=("customer",)),
    Entry("5103", "designation", N_("指定交易/撤销指定/转托管"), (N_("委托业务"),),
          params=("customer", "kind")),
    Entry("6101", "query_bank_journal", N_("银证转帐查询"), (N_("查询"),),
          params=("customer",)),
    Entry("6102", "query", N_("资金查询"), (N_("查询"),),
          params=("account",)),
    Entry("6103", "query_ledger_journal", N_("调拨流水查询"), (N_("查询"),),
          params=("customer",)),
    Entry("7101", "handle_alert", N_("非交易目的划转预警处理"), (N_("合规风控"),),
          params=("alert", "action", "instruction", "note")),
    Entry("7102", "alerts", N_("反洗钱监控"), (N_("合规风控"),),
          params=("customer", "alert", "action", "reason")),
    Entry("7103", "notify", N_("重大事项告知"), (N_("合规风控"),),
          params=("action", "customer", "content", "channel", "notice")),
    Entry("8101", "archive", N_("影像档案"), (N_("客管系统"),),
          params=("customer", "account", "files", "file", "paper", "journal")),
    Entry("8102", "review", N_("业务复核"), (N_("客管系统"),),
          params=("approve", "reject", "reason", "counter_teller")),
    Entry("8103", "reprint", N_("回单打印"), (N_("客管系统"),),
          params=("journal",)),
    Entry("9101", "end_of_day", N_("日终处理"), (N_("系统"),),
          params=()),
    Entry("9102", "manage_tellers", N_("柜员管理"), (N_("系统"),),
          params=("action", "id", "role", "password", "name")),
    Entry("9103", "training", N_("培训演练"), (N_("系统"),),
          params=("action", "kind", "subject", "started", "finished", "score", "total", "passed", "timed_out", "items", "name", "text")),
    # The bank link (README, "The bank link"): 3107 is recorded by the link itself, 6104 settles a
    # request from the 6101 screen (a supervisor approves it), 6105 re-sends one. Not on the menu.
    Entry("3107", "bank_answer", N_("银行应答处理"),
          params=("request", "event", "result", "reason")),
    Entry("6104", "settle_bank_request", N_("银证转账调账"),
          params=("request", "result")),
    Entry("6105", "resend_bank_request", N_("银证转账重发"),
          params=("request",)),
)

BY_CODE: dict[str, Entry] = {e.code: e for e in FUNCTIONS}
BY_OP: dict[str, Entry] = {e.op: e for e in FUNCTIONS}
MENU: tuple[Entry, ...] = tuple(e for e in FUNCTIONS if e.on_menu)


def entry(code_or_op: str) -> Entry | None:
    """The function a teller or a file names by its code or its op."""
    return BY_CODE.get(code_or_op) or BY_OP.get(code_or_op)


def title_of(code: str) -> str:
    """The function's title (N_-marked), or the code itself when there is no such function."""
    e = BY_CODE.get(code)
    return e.title if e else code
