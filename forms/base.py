"""What a function's form is made of, as data: fields, their kinds and checks, the lists behind F4,
the papers the client may hand over, help text, and (for queries) the result tables.

Adding a function to the counter is adding a FormDef (in the module of its menu group) with
`@form`-style registration through `define()`. Nothing here imports Textual or the store: the
screens read these definitions, and the business rules stay in the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from teller.domain import catalog
from teller.domain.errors import BadInput
from teller.i18n import N_, _

# Field kinds. The screens look up values of the "keyed" kinds (F4 lists, exists-and-belongs checks).
TEXT, AMOUNT, CHOICE, PASSWORD = "text", "amount", "choice", "password"
CUSTOMER, ACCOUNT, BANK, SHAREHOLDER, OF_ACCOUNT = "customer", "account", "bank", "shareholder", "of_account"
REVIEW, ALERT, TELLER, ID_NO = "review", "alert", "teller", "id_no"
FILES = "files"  # paths on this terminal, separated by ; (8101's scans): longer than a field's 40 characters
KEYED = (CUSTOMER, ACCOUNT, SHAREHOLDER, OF_ACCOUNT, REVIEW, ALERT)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # N_-marked
    short: str = ""  # N_-marked: the label in a hint with no room for every label whole (1102's ID types)


@dataclass(frozen=True)
class Field:
    name: str  # the service parameter it fills
    label: str  # N_-marked
    kind: str = TEXT
    required: bool = True
    choices: tuple[Choice, ...] = ()
    default: str = ""
    help: str = ""  # N_-marked: F1 on this field
    # Shown (and sent) only while another field holds one of these values: ("action", ("set_flag",)).
    when: tuple[str, tuple[str, ...]] | None = None
    # Goes into the call's Context rather than its parameters (agent, channel).
    context: bool = False

    def visible(self, values: dict[str, str]) -> bool:
        if self.when is None:
            return True
        other, allowed = self.when
        return values.get(other, "") in allowed

    def normalise(self, text: str) -> str:
        """What the teller typed, as the value sent: a choice may be typed by its number."""
        text = text.strip()
        if self.kind == CHOICE and text.isdigit() and not any(c.value == text for c in self.choices):
            i = int(text) - 1
            if 0 <= i < len(self.choices):
                return self.choices[i].value
        return text

    def check(self, text: str, values: dict[str, str]) -> str | None:
        """The field's own format rule, as typed; None when it holds. Whether a client or account
        exists and belongs together is the screens' lookup, and every business rule the service's."""
        value = self.normalise(text)
        if not value:
            return _("{field}：必须填写").format(field=_(self.label)) if self.required else None
        try:
            if self.kind == AMOUNT:
                from teller.domain.money import parse_amount

                parse_amount(value, self.label)
            elif self.kind == CHOICE and value not in {c.value for c in self.choices}:
                return _("{field}：请输入 {opts}").format(field=_(self.label), opts=self.choice_hint())
            elif self.kind == BANK:
                from teller.domain.banks import bank_named

                if bank_named(value) is None:  # its name, or its code as F4 shows it (BOC)
                    return _("{field}：“{v}”不是本营业部的存管银行，按 F4 选择").format(field=_(self.label), v=value)
            elif self.kind == ID_NO:
                from teller.domain.identity import check_id

                id_type = values.get("id_type") or "居民身份证"
                check_id(id_type, value)
            elif self.kind == CUSTOMER:
                from teller.domain.identity import client_code_problem, is_client_code

                if not is_client_code(value):
                    return _("{field}：{reason}").format(field=_(self.label), reason=client_code_problem())
            elif self.kind in (REVIEW, ALERT) and not value.isdigit():
                return _("{field}：应为数字").format(field=_(self.label))
        except BadInput as e:
            return e.message
        return None

    def coded(self) -> bool:
        """Choices whose stored values are digits (0/1 flags) are typed as those digits."""
        return all(c.value.isdigit() for c in self.choices)

    def typed_default(self) -> str:
        """What the field holds when the form opens: a choice by its number, as the teller types it."""
        if self.kind == CHOICE and not self.coded():
            for i, c in enumerate(self.choices, 1):
                if c.value == self.default:
                    return str(i)
        return self.default

    def choice_options(self, short: bool = False) -> list[str]:
        """Each choice as the teller types it and its label (`1-居民身份证`); `short`: the short
        labels, where a choice has one."""
        def label(c: Choice) -> str:
            return _(c.short) if short and c.short else _(c.label)

        if self.coded():
            return [label(c) if label(c).startswith(c.value) else f"{c.value}-{label(c)}" for c in self.choices]
        return [f"{i}-{label(c)}" for i, c in enumerate(self.choices, 1)]

    def choice_hint(self, short: bool = False) -> str:
        return " ".join(self.choice_options(short))

    def shown_value(self, value: str) -> str:
        for c in self.choices:
            if c.value == value:
                return _(c.label)
        return value


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # N_-marked
    kind: str = TEXT  # text | money | role | flag | bank | paper | date | label (translate the value)


@dataclass(frozen=True)
class ResultTable:
    """One table of a query's result: rows from data[key] (None: the data itself is one row)."""

    key: str | None
    title: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class FormDef:
    code: str  # the function's op and title are the catalog's (teller.domain.catalog)
    fields: tuple[Field, ...]
    help: str = ""  # N_-marked: F1 on the function
    # Papers this function may need; the service (through Counter.preview) says which are required
    # for the values typed, and where each is filed. The checklist shows both.
    papers: tuple[str, ...] = ()
    query: bool = False
    results: tuple[ResultTable, ...] = ()
    # A function done for the client may be done by an agent (DOMAIN §4: extra agent papers).
    agent: bool = True
    # Maps the form's values to the service's parameters when they differ (8102 approve/reject).
    to_params: Callable[[dict[str, str]], dict] | None = None
    # A list shown above the fields (pending reviews, open alerts): a reads function's name.
    listing: str | None = None
    # What the rules leave no choice about, filled into empty fields once the field named first is
    # checked: (that field, fill(values, client) -> {field: (value, why, N_-marked)}).
    fill: tuple[str, Callable[[dict[str, str], dict], dict[str, tuple[str, str]]]] | None = None
    # The function a teller most often runs next for the same client, when the service names no next
    # step of its own: then(values, result data) -> (code, {field: (value, why, N_-marked)}) or None.
    # Offered on the code line (Enter opens it with those fields filled in, said on the message line;
    # another code types over it).
    then: Callable[[dict[str, str], dict], tuple[str, dict[str, tuple[str, str]]] | None] | None = None

    @property
    def op(self) -> str:
        return catalog.BY_CODE[self.code].op

    @property
    def title(self) -> str:
        """N_-marked: translate when shown."""
        return catalog.BY_CODE[self.code].title

    def all_fields(self) -> tuple[Field, ...]:
        if self.query or not self.agent:
            return self.fields
        return self.fields + (AGENT,)

    def params(self, values: dict[str, str]) -> tuple[dict, dict]:
        """(service parameters, context values) from the visible, non-empty fields."""
        params, context = {}, {}
        for f in self.all_fields():
            value = f.normalise(values.get(f.name, ""))
            if not f.visible(values) or value == "":
                continue
            (context if f.context else params)[f.name] = value
        if self.to_params is not None:
            params = self.to_params(params)
        return params, context


YES_NO = (Choice("0", N_("否")), Choice("1", N_("是")))
AGENT = Field("agent", N_("代理人办理"), CHOICE, required=False, choices=YES_NO, default="0", context=True,
              help=N_("客户本人办理填 0；代理人办理填 1，须另收《授权委托书》（经公证、写明委托事项）与《代理人身份证明》"))

FORMS: dict[str, FormDef] = {}


def define(*forms: FormDef) -> None:
    for f in forms:
        FORMS[f.code] = f
