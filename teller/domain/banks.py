"""Depository banks known to the branch.

`name` is the stored value and the msgid: shown with `_(name)`.
`counter_signing`: whether the bank lets the broker sign 三方存管 at the branch counter; where it
does not, 3103 leaves the account 待银行签约 until the bank confirms (DOMAIN.md §4, new client).
Which banks allow it differs between firms; this table is the demo branch's and a site edits it.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def find_bank(name: str) -> Bank | None:
    return BY_NAME.get(name.strip())
