"""How values look on the counter: money and dates through Babel in the teller's language, labels
for stored codes, and padding measured in terminal cells (a Chinese character takes two)."""

from __future__ import annotations

import re
from decimal import Decimal

from rich.cells import cell_len

from teller.domain import papers as P
from teller.i18n import N_, _, current_language, format_day

ROLE = {"main": N_("主"), "aux": N_("辅"), "none": "—"}
FLAG = {1: N_("1--开"), 0: N_("0--关")}
# Stored codes a teller sees (custody, request and movement kinds, states, markets, service states).
LABELS = {
    "unsigned": N_("未签约"), "pending_bank": N_("待银行签约"), "signed": N_("已签约"), "terminated": N_("已解约"),
    "transfer_in": N_("银行转证券"), "transfer_out": N_("证券转银行"), "key_update": N_("资料变更"),
    "ledger_in": N_("转入"), "ledger_out": N_("转出"), "counter": N_("柜台"), "online": N_("网上"),
    "SH": N_("沪市"), "SZ": N_("深市"), "individual": N_("自然人"), "institution": N_("机构"),
    "NON_TRADING_TRANSFER": N_("非交易目的划转"), "AML_LARGE": N_("大额交易"), "AML_SUSPICIOUS": N_("可疑交易"),
    "new": N_("新预警"), "under_review": N_("审核中"), "reported": N_("已报告"), "dismissed": N_("已排除"), "closed": N_("已处理"),
    "未开通": N_("未开通"), "开通中": N_("开通中"), "主资金账户变更中": N_("主资金账户变更中"), "已开通": N_("已开通"),
    "成功": N_("成功"), "失败": N_("失败"), "超时": N_("超时"), "未报": N_("未报"), "已报": N_("已报"),
    "调为成功": N_("调为成功"), "调为失败": N_("调为失败"),
}


def babel_locale() -> str:
    return "en_US" if current_language() == "en" else "zh_CN"


def money(value: object) -> str:
    """'1000.00' or integer fen -> '1,000.00' in the teller's locale (never through a float)."""
    from babel.numbers import format_decimal

    if value is None or value == "":
        return ""
    amount = Decimal(value) / 100 if isinstance(value, int) else Decimal(str(value))
    return format_decimal(amount, format="#,##0.00", locale=babel_locale())


def day(value: object) -> str:
    return format_day(value)


def label(value: object) -> str:
    text = str(value)
    return _(LABELS.get(text, text))


def cell(kind: str, value: object) -> str:
    """A result-table cell by its column kind (forms.base.Column)."""
    if kind == "money":
        return money(value)
    if kind == "date":
        return day(value)
    if kind == "role":
        return _(ROLE.get(str(value), str(value)))
    if kind == "flag":
        return _(FLAG.get(int(value), str(value))) if str(value).isdigit() else str(value)
    if kind == "bank":
        return _(str(value))
    if kind == "paper":
        return P.paper_title(str(value))
    if kind == "label":
        return label(value)
    return "" if value is None else str(value)


def bank_code(name: object) -> str:
    """A bank by its code (CCB), where its English name is too long for a narrow table."""
    from teller.domain.banks import BY_NAME

    bank = BY_NAME.get(str(name))
    return bank.code if bank else _(str(name or ""))


def paper(name: str) -> str:
    """A paper's title as the counter shows it: 《…》 in Chinese, quoted in English."""
    return _("《{title}》").format(title=P.paper_title(name))


def pad(text: str, width: int) -> str:
    """Left-aligned in `width` terminal cells."""
    return text + " " * max(0, width - cell_len(text))


# A message's unbreakable pieces: the journal number with its brackets, an amount with its unit
# (`500.00 元`, `CNY 500.00`: a line that ends in 500.00 reads as a whole sentence about another
# sum), and any run of digits, Latin letters and the marks inside numbers, accounts, amounts and
# dates (1,000.00, 88000200101, 2026-11-23, T+1, a file's path); closing marks stay with what they
# close, opening marks with what they open.
_ATOM = re.compile(r"（流水号 \d+）|\d--[^\s，。、；：,.;:]|\(journal no\. \d+\)|CNY [0-9](?:[0-9.,]*[0-9])?|[0-9](?:[0-9.,]*[0-9])? ?元"
                   r"|[0-9A-Za-z/~][0-9A-Za-z.,:/_+\-'’%~]*[0-9A-Za-z%]|[0-9A-Za-z]|\s+|.")
_CLOSING = set("，。、；：！？）》」』”’,.;:!?)]】")
_OPENING = set("（《「『“‘([【")


def _atoms(text: str) -> list[str]:
    out: list[str] = []
    for tok in _ATOM.findall(text):
        if out and (tok[0] in _CLOSING or (out[-1] and out[-1][-1] in _OPENING)) and not out[-1].isspace() and not tok.isspace():
            out[-1] += tok
        else:
            out.append(tok)
    return out


def longest_piece(text: str) -> int:
    """The widest piece of `text` that wrap never breaks (an account, an amount), in cells."""
    return max([0] + [cell_len(t) for t in _atoms(text) if not t.isspace()])


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken between characters of Chinese text or at a
    space, never inside a number, an account, an amount, a date or the journal number."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for tok in _atoms(para):
            if cell_len(line + tok) <= width:
                line += tok
                continue
            if tok.isspace():
                lines.append(line.rstrip())
                line = ""
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = ""
            while cell_len(tok) > width:  # a piece wider than the line: folded, as nothing else fits
                cut = _fit(tok, width)
                lines.append(tok[:cut])
                tok = tok[cut:]
            line = tok
        lines.append(line.rstrip())
    return lines


class Unbroken:
    """Text drawn laid out by `wrap` at whatever width it is given (a dialog's line, which Rich
    would break at any space: `划转 500.00` / `元成功`), in one style."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text, self.style = text, style

    def __rich_console__(self, console, options):  # noqa: ANN001, ANN204 - Rich's protocol
        from rich.text import Text

        yield Text("\n".join(wrap(self.text, options.max_width)), style=self.style, overflow="fold")

    def __rich_measure__(self, console, options):  # noqa: ANN001, ANN204
        from rich.measure import Measurement

        return Measurement(min(longest_piece(self.text), options.max_width), max(cell_len(p) for p in self.text.split("\n")))

    def __str__(self) -> str:
        return self.text


class Options:
    """A choice field's hint, laid out at whatever width it is drawn: the options one after another,
    none broken across two lines unless it is wider than the line; in their short labels when the
    whole ones would take more than MAX lines (1102's 证件类型 at 80 columns: four lines in Chinese,
    eight in English)."""

    MAX = 2

    def __init__(self, whole: list[str], short: list[str]) -> None:
        self.whole, self.short = whole, short

    def lines(self, width: int) -> list[str]:
        lines = _pack(self.whole, width)
        return lines if len(lines) <= self.MAX or self.short == self.whole else _pack(self.short, width)

    def __rich_console__(self, console, options):  # noqa: ANN001, ANN204 - Rich's protocol
        from rich.text import Text

        yield Text("\n".join(self.lines(options.max_width)), overflow="fold")

    def __rich_measure__(self, console, options):  # noqa: ANN001, ANN204
        from rich.measure import Measurement

        return Measurement(min(max(cell_len(o) for o in self.short), options.max_width), cell_len(" ".join(self.whole)))

    def __str__(self) -> str:
        return " ".join(self.whole)


def _pack(items: list[str], width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for item in items:
        if line and cell_len(f"{line} {item}") <= width:
            line = f"{line} {item}"
            continue
        if line:
            lines.append(line)
        pieces = wrap(item, width) if cell_len(item) > width else [item]
        lines += pieces[:-1]
        line = pieces[-1]
    return lines + [line] if line else lines


def _fit(text: str, width: int) -> int:
    n = 0
    for i, ch in enumerate(text):
        n += cell_len(ch)
        if n > width:
            return max(1, i)
    return len(text)
