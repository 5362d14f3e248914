"""Which paper a committed function prints for the client, and which papers the branch can print
pre-filled for the client to sign (DOMAIN.md §4: "every function that changes something prints a
业务回单 for the client's signature, and each required paper can be printed pre-filled").

Pure rules over plain values: the services decide with these, the printing code only draws.
"""

from __future__ import annotations

from teller.domain import papers as P

RECEIPT = "receipt"  # 业务回单
INTEREST_SLIP = "interest_slip"  # 资金利息归本单 (3106; exam multiple 9 B and 10 B)

# Functions whose committed lines print no 业务回单, each for a reason a branch would give:
NO_RECEIPT = {
    # AML review, report or dismissal: the client must not learn of it (no tipping-off, 反洗钱法 第三十条).
    "alerts",
    # The bank's answer arrives with nobody at the counter; the client signed the request's receipt.
    "bank_answer",
    # No client: the day's close, teller administration, training records.
    "end_of_day", "manage_tellers", "training",
    # Filing the scans of papers already received, and printing a paper again, change no business.
    "archive", "reprint",
}
# 7103 list / delete / purge are the branch's own records; only a notice given to the client prints.
INTERNAL_ACTIONS = {"notify": {"list", "delete", "purge"}}


def receipt_kind(op: str, params: dict, data: dict) -> str | None:
    """The paper this committed line prints, or None. A request waiting for a second person changes
    nothing yet: its receipt prints when 8102 (or the supervisor at the terminal) applies it; a
    rejected request prints nothing."""
    if op in NO_RECEIPT:
        return None
    if str(params.get("action", "")) in INTERNAL_ACTIONS.get(op, set()):
        return None
    if data.get("status") in ("pending_review", "rejected"):
        return None
    applied = data.get("op") if op == "review" else op
    if applied == "capitalize_interest":
        return INTEREST_SLIP
    return RECEIPT


# Papers the branch prints pre-filled for the client to check and sign. The others are not the
# branch's to print: ID papers are copies of the client's or agent's own documents, the 授权委托书
# comes from a notary, and the 资金利息归本单 is what 3106 itself prints.
NOT_PREFILLED = {P.ID_PROOF, P.AGENT_ID, P.POWER_OF_ATTORNEY, P.INTEREST_SLIP}
PREFILLED = tuple(p for p in P.ALL_PAPERS if p not in NOT_PREFILLED)


def prefilled(paper: str) -> bool:
    return paper in PREFILLED


def papers_ahead(op: str, data: dict) -> list[P.Filing]:
    """Papers a later step of the same business needs, which the client signs now, before this one.
    3106 is the first step of taking an account out (DOMAIN.md "Closing an aux", "Ending the
    service"): the client fills the 资产转出及销户申请表 before the interest is capitalized, though
    3201 delete and 3102 only ask for it on T+1, when their own form can no longer be the first
    thing the client signs. Capitalizing the main's interest in the service is ending the service,
    so the 账户综合业务申请表 comes with it. `data` is the function's preview data."""
    if op != "capitalize_interest":
        return []
    account = data.get("account") or {}
    no = account.get("no")
    if not no:
        return []
    ahead = [P.Filing(P.CLOSE_FORM, (no,))]
    if account.get("in_service") and account.get("role") == "main":
        ahead.append(P.Filing(P.GENERAL_FORM, (no,)))
    return ahead


# What a change names: the fund account's fields a receipt shows before -> after, in this order.
ACCOUNT_FIELDS = ("opened", "in_service", "role", "transfer_flag", "custody", "status", "cash", "frozen",
                  "interest_base", "commission_class")
KEY_FIELDS = ("name", "id_type", "id_no")
