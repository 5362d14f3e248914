"""Creating a store, and filling it with a starting state (scenario files, the demo branch).

This writes rows directly because it sets up a state rather than performing counter business:
nothing here is journaled, and it refuses to run on a store that already has a business date
unless told to (`fresh=True` is for empty stores only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import select

from teller.domain.money import parse_amount
from teller.domain.monitors import SETTINGS as MONITOR_SETTINGS
from teller.domain.rules import AccountRole, Custody
from teller.services.auth import SANDBOX_SETTING as AUTH_SANDBOX_SETTING, hash_password
from teller.store.db import create_schema, unit_of_work
from teller.store.models import BankKeyInfo, Customer, FundAccount, OfAccount, Setting, ShareholderAccount, Teller

BUILTIN_TELLERS = (("T00", "teller", "内置柜员"), ("S00", "supervisor", "内置主管"))
DEFAULT_SETTINGS = {
    "branch": "0001",
    "branch_name": "示范营业部",
    "interest_rate": "0.0035",
    # The compliance monitors' thresholds (DOMAIN §4–§5), documented where they are used.
    **MONITOR_SETTINGS,
    "agent_allowed": "1",
    # The simulated bank side of an account opened at the counter (3101/1101).
    "new_account_bank_balance": "10000000.00",
}


@dataclass
class SeedAccount:
    no: str
    customer: str
    bank: str
    role: str = AccountRole.NONE
    cash: int = 0
    frozen: int = 0
    transfer_flag: int | None = None
    custody: str = Custody.SIGNED
    liabilities: int = 0
    interest_base: int = 0
    bank_balance: int = parse_amount("10000000.00")


@dataclass
class SeedState:
    business_date: date
    tellers: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, role, name, password
    customers: list[Customer] = field(default_factory=list)
    accounts: list[SeedAccount] = field(default_factory=list)
    shareholder_accounts: list[tuple[str, str, str]] = field(default_factory=list)
    of_accounts: list[tuple[str, str, str]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)


def init_store(engine: Engine, business_date: date, *, settings: dict[str, str] | None = None) -> bool:
    """Create the tables and, on an empty store, the settings and the built-in tellers.
    Returns True if it initialised a new store."""
    create_schema(engine)
    with unit_of_work(engine) as s:
        if s.get(Setting, "business_date") is not None:
            return False
        for k, v in (DEFAULT_SETTINGS | (settings or {}) | {"business_date": business_date.isoformat()}).items():
            s.add(Setting(key=k, value=str(v)))
        for tid, role, name in BUILTIN_TELLERS:
            s.add(Teller(id=tid, role=role, name=name))
    return True


# A store seeded for training (a drill's, a recording's) says so in its settings: trainees sign on
# only to such a store, and nothing done there is a branch's business.
SANDBOX_SETTING = AUTH_SANDBOX_SETTING


def is_sandbox(engine: Engine) -> bool:
    with unit_of_work(engine) as s:
        row = s.get(Setting, SANDBOX_SETTING)
        return row is not None and row.value == "1"


def is_initialised(engine: Engine) -> bool:
    create_schema(engine)
    with unit_of_work(engine) as s:
        return s.get(Setting, "business_date") is not None


def seed(engine: Engine, state: SeedState) -> None:
    init_store(engine, state.business_date, settings=state.settings)
    with unit_of_work(engine) as s:
        for k, v in state.settings.items():
            s.merge(Setting(key=k, value=str(v)))
        for tid, role, name, password in state.tellers:
            t = s.get(Teller, tid) or Teller(id=tid)
            t.role, t.name = role, name or t.name
            t.password_hash = hash_password(password) if password else t.password_hash
            s.add(t)
        # Copies, so one parsed scenario can seed any number of stores (drills, tests).
        by_code = {c.code: Customer.model_validate(c.model_dump()) for c in state.customers}
        s.add_all(by_code.values())
        s.flush()
        for a in state.accounts:
            in_service = a.role in (AccountRole.MAIN, AccountRole.AUX)
            flag = a.transfer_flag if a.transfer_flag is not None else (1 if in_service else 0)
            s.add(FundAccount(
                no=a.no, customer_code=a.customer, bank=a.bank, role=a.role, in_service=in_service,
                transfer_flag=flag, custody=a.custody, cash=a.cash, frozen=a.frozen, liabilities=a.liabilities,
                interest_base=a.interest_base, bank_balance=a.bank_balance, opened_on=state.business_date,
            ))
            c = by_code.get(a.customer) or s.get(Customer, a.customer)
            known = s.exec(select(BankKeyInfo).where(BankKeyInfo.customer_code == c.code, BankKeyInfo.bank == a.bank)).first()
            if known is None and a.custody == Custody.SIGNED:
                s.add(BankKeyInfo(customer_code=c.code, bank=a.bank, name=c.name, id_type=c.id_type, id_no=c.id_no,
                                  updated_on=state.business_date))
            s.flush()
        for no, customer, fund in state.shareholder_accounts:
            s.add(ShareholderAccount(no=no, customer_code=customer, fund_account=fund, market="SH" if no[:1] in "AB" else "SZ"))
        for no, customer, fund in state.of_accounts:
            s.add(OfAccount(no=no, customer_code=customer, fund_account=fund, opened_on=state.business_date))
