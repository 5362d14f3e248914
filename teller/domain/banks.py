"""Depository banks known to the branch.

`name` is the stored value and the msgid: shown with `_(name)`.
`counter_signing`: whether the bank lets the broker sign 三方存管 at the branch counter; where it
does not, 3103 leaves the account 待银行签约 until the bank confirms (DOMAIN.md §4, new client).
Which banks allow it differs between firms; this table is the demo branch's and a site edits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from teller.domain.errors import Rule
from teller.i18n import N_


@dataclass(frozen=True)
class Bank:
    name: str
    code: str
    counter_signing: bool = True


BANKS: tuple[Bank, ...] = (
    Bank(N_("工商银行"), "ICBC"),
    Bank(N_("农业银行"), "ABC"),
    Bank(N_("中国银行"), "BOC"),
    Bank(N_("建设银行"), "CCB"),
    Bank(N_("交通银行"), "BOCOM"),
    Bank(N_("招商银行"), "CMB", counter_signing=False),
    Bank(N_("兴业银行"), "CIB"),
    Bank(N_("浦发银行"), "SPDB"),
    Bank(N_("民生银行"), "CMBC"),
    Bank(N_("中信银行"), "CITIC", counter_signing=False),
    Bank(N_("光大银行"), "CEB"),
    Bank(N_("平安银行"), "PAB"),
)

BY_NAME = {b.name: b for b in BANKS}
BY_SHORT = {b.code: b for b in BANKS}


def bank_named(text: str) -> Bank | None:
    """The bank a teller typed: its name, or its code as F4 shows it (`BOC`, any case), which needs no IME."""
    text = (text or "").strip()
    return BY_NAME.get(text) or BY_SHORT.get(text.upper())


def find_bank(name: str) -> Bank | None:
    return BY_NAME.get(name.strip())


class RequestState(StrEnum):
    """A request to a depository bank (3105, 3205), stored and shown as these words (README, "The
    bank link"): 未报 recorded, not sent; 已报 sent; 成功 / 失败 the bank's answer; 超时 no answer in
    time; 调为成功 / 调为失败 settled without an answer (6104, or day-end against the statement)."""

    NOT_SENT = N_("未报")
    SENT = N_("已报")
    OK = N_("成功")
    FAILED = N_("失败")
    TIMEOUT = N_("超时")
    SET_OK = N_("调为成功")
    SET_FAILED = N_("调为失败")


PENDING = (RequestState.NOT_SENT, RequestState.SENT, RequestState.TIMEOUT)
DONE_OK = (RequestState.OK, RequestState.SET_OK)
# The bank's reason when the client's settlement account cannot cover a 银证转账 in.
INSUFFICIENT = "INSUFFICIENT_FUNDS"


def answer_rule(state: str, reason: str = "") -> Rule | None:
    """What the teller is told when a 3105 or 3205 comes back: the bank's 失败 is BANK_FAILED (or
    INSUFFICIENT_FUNDS when the client's bank account lacks the money), 超时 is BANK_NO_ANSWER (the
    outcome unknown: a transfer out stays frozen until 6104 or day-end settles it); None when it
    went through or is still to be answered (DOMAIN §6)."""
    if reason == INSUFFICIENT:
        return Rule.INSUFFICIENT_FUNDS
    if state == RequestState.FAILED:
        return Rule.BANK_FAILED
    if state == RequestState.TIMEOUT:
        return Rule.BANK_NO_ANSWER
    return None
