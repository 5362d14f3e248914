"""客管系统→回单打印 (8103): a copy of a committed line's 业务回单 (3106: 资金利息归本单), the first
if none was printed, else marked 补打; journalled. The counter's printer prints it (README "Papers")."""

from __future__ import annotations

from teller.i18n import N_

from teller.forms.base import Field, FormDef, define

define(
    FormDef(
        "8103",
        (Field("journal", N_("流水号"), help=N_("要打印回单的业务流水号（结果行、6101、6103 列出）")),),
        help=N_("按流水号打印已办理业务的业务回单（3106 为《资金利息归本单》）；已打印过的再打印为补打，注明第几份，并记流水。"),
        agent=False,
    ),
)
