"""Money is integer fen. Parsing is strict: a teller's typo must never become a different amount."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from teller.domain.errors import BadInput
from teller.i18n import _, N_

Fen = int

# No single counter movement in this product exceeds RMB 10 billion; anything larger is a typo
# (an extra run of zeros), not a business request.
MAX_AMOUNT_FEN: Fen = 10_000_000_000_00

# ASCII digits only (issue 11): Python's \d and int() also take Arabic-Indic (١٠٠) and mathematical
# (𝟏𝟎𝟎) digits, which a teller never means and a reviewer cannot read.
_AMOUNT = re.compile(r"^[0-9]{1,3}(,[0-9]{3})*(\.[0-9]{1,2})?$|^[0-9]+(\.[0-9]{1,2})?$")
_FULL_WIDTH = re.compile(r"[\uff10-\uff19\uff0c\uff0e\u3002]")


def parse_amount(value: object, field: str = N_("金额"), *, allow_zero: bool = False) -> Fen:
    """Parse '1,000.00', '1000', '1000.5' or a Decimal/int into fen; refuse everything else.

    Refused, each with its own message: floats (inexact), full-width digits, more than two
    decimals, signs, zero (unless allowed), and amounts over MAX_AMOUNT_FEN.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise BadInput(field, _("金额须写成带引号的文本（如 \"1000.00\"），不能是浮点数"))
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, Decimal):
        value = format(value, "f")
    if not isinstance(value, str):
        raise BadInput(field, _("金额须为数字"))
    text = value.strip()
    if not text:
        raise BadInput(field, _("金额不能为空"))
    if _FULL_WIDTH.search(text):
        raise BadInput(field, _("金额含全角字符，请用半角数字与小数点重新输入"))
    if not text.isascii():
        raise BadInput(field, _("金额只能用半角数字 0-9 与小数点"))
    if text.startswith("-"):
        raise BadInput(field, _("金额不能为负数"))
    if text.startswith("+"):
        text = text[1:]
    if not _AMOUNT.match(text):
        if re.match(r"^[0-9,]*\.[0-9]{3,}$", text):
            raise BadInput(field, _("金额最多两位小数（精确到分）"))
        raise BadInput(field, _("金额格式不对：只能是数字，最多两位小数，如 1000.00"))
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex already refused it
        raise BadInput(field, _("金额格式不对：只能是数字，最多两位小数，如 1000.00")) from None
    fen = int(amount * 100)
    if fen == 0 and not allow_zero:
        raise BadInput(field, _("金额须大于零"))
    if fen > MAX_AMOUNT_FEN:
        raise BadInput(field, _("金额超过单笔上限 {limit} 元，请核对位数").format(limit=format_amount(MAX_AMOUNT_FEN)))
    return fen


def ascii_digits(text: str) -> bool:
    """A number typed at the counter (a journal line, a review, an alert): ASCII digits 0-9 only."""
    return text.isascii() and text.isdigit()


def format_amount(fen: Fen, *, grouping: bool = True) -> str:
    """1234567 -> '12,345.67' (the counter's own fixed format; locale-aware display is in screens)."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    whole = f"{yuan:,}" if grouping else str(yuan)
    return f"{sign}{whole}.{cents:02d}"


def to_decimal(fen: Fen) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))
