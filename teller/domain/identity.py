"""Client identity documents: checked with python-stdnum, not by hand."""

from __future__ import annotations

from teller.domain.errors import BadInput
from teller.i18n import N_, _

# Stored and compared in Chinese; each is also its msgid, shown with _().
ID_TYPES = (
    N_("居民身份证"), N_("统一社会信用代码"), N_("护照"),
    N_("港澳居民来往内地通行证"), N_("台湾居民来往大陆通行证"), N_("外国人永久居留身份证"),
)
KINDS = ("individual", "institution")
STATUSES = (N_("合格"), N_("不合格"), N_("休眠"), N_("风险处置"))
CLIENT_CODE_DIGITS = 6  # 客户号: six ASCII digits (the counter's numbering, 880001…)


def is_client_code(code: str) -> bool:
    return len(code) == CLIENT_CODE_DIGITS and code.isascii() and code.isdigit()


def client_code_problem() -> str:
    return _("客户号为 6 位数字")


def check_client_code(code: str) -> str:
    """The client code as typed, or BadInput naming the field."""
    if not is_client_code(code):
        raise BadInput(N_("客户号"), client_code_problem())
    return code


def check_id(id_type: str, id_no: str) -> str:
    """Return the normalised number, or raise BadInput naming the field and the rule."""
    from stdnum import exceptions
    from stdnum.cn import ric, uscc

    if id_type not in ID_TYPES:
        raise BadInput(N_("证件类型"), _("“{t}”不是可选的证件类型").format(t=id_type))
    try:
        if id_type == "居民身份证":
            return ric.validate(id_no)
        if id_type == "统一社会信用代码":
            return uscc.validate(id_no)
    except exceptions.InvalidChecksum:
        raise BadInput(N_("证件号码"), _("{t}号码 {no} 校验位不对，请核对").format(t=_(id_type), no=id_no)) from None
    except exceptions.ValidationError:
        raise BadInput(N_("证件号码"), _("{no} 不是有效的{t}号码").format(t=_(id_type), no=id_no)) from None
    if not id_no.strip() or len(id_no.strip()) > 32:
        raise BadInput(N_("证件号码"), _("证件号码不能为空，最长 32 位"))
    return id_no.strip()


def mask_id(id_no: str) -> str:
    """ID numbers are masked on screens and exports except where the function needs them."""
    if len(id_no) <= 8:
        return id_no[:2] + "*" * max(0, len(id_no) - 2)
    return id_no[:4] + "*" * (len(id_no) - 8) + id_no[-4:]
