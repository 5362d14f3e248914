"""Random sequences of counter functions never create or lose money, never give a client more than
five fund accounts or more than one main, and keep withdrawable <= available <= cash."""

from __future__ import annotations

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlmodel import func, select

from svc import branch, call
from teller.store.db import unit_of_work
from teller.store.models import FundAccount, Movement

CUSTOMERS = ("880001", "880002", "880004", "880005")
BANKS = ("工商银行", "农业银行", "中国银行", "建设银行", "交通银行", "招商银行", "兴业银行")
amounts = st.integers(min_value=1, max_value=400_000_00).map(lambda f: f"{f // 100}.{f % 100:02d}")


class Counter(RuleBasedStateMachine):
    @initialize()
    def open_branch(self):
        self.c = branch()
        self.start_total = self.total()

    def accounts(self):
        with unit_of_work(self.c.engine) as s:
            return list(s.exec(select(FundAccount)))

    def total(self) -> int:
        """Broker side + bank side, corrected by what left for the exchange or came as interest."""
        with unit_of_work(self.c.engine) as s:
            cash = s.exec(select(func.sum(FundAccount.cash + FundAccount.bank_balance))).one()
            def flow(kind):
                return s.exec(select(func.coalesce(func.sum(Movement.amount), 0)).where(Movement.kind == kind)).one()
            return cash + flow("buy") + flow("subscribe") - flow("sell") - flow("interest")

    def pick(self, data):
        return data.draw(st.sampled_from([a.no for a in self.accounts()]))

    @rule(data=st.data(), direction=st.sampled_from(["in", "out"]), amount=amounts)
    def bank_transfer(self, data, direction, amount):
        call(self.c, "bank_transfer", account=self.pick(data), direction=direction, amount=amount)

    @rule(data=st.data(), amount=amounts)
    def ledger_transfer(self, data, amount):
        call(self.c, "ledger_transfer", **{"from": self.pick(data), "to": self.pick(data), "amount": amount})

    @rule(data=st.data(), side=st.sampled_from(["buy", "sell", "subscribe"]), amount=amounts)
    def order(self, data, side, amount):
        call(self.c, "order", account=self.pick(data), side=side, amount=amount)

    @rule(customer=st.sampled_from(CUSTOMERS))
    def collect(self, customer):
        call(self.c, "collect", customer=customer)

    @rule(customer=st.sampled_from(CUSTOMERS), bank=st.sampled_from(BANKS))
    def open_account(self, customer, bank):
        o = call(self.c, "open_asset_account", customer=customer, bank=bank)
        if o.ok:  # a new client bank account joins the model with what it holds: not created money
            with unit_of_work(self.c.engine) as s:
                self.start_total += s.get(FundAccount, o.data["fund_account"]).bank_balance

    @rule(data=st.data())
    def sign_and_add(self, data):
        no = self.pick(data)
        call(self.c, "sign_custody", account=no, bank_confirmed=True)
        call(self.c, "maintain_multibank", account=no, action="add")

    @rule(data=st.data())
    def delete_from_service(self, data):
        call(self.c, "maintain_multibank", account=self.pick(data), action="delete")

    @rule(data=st.data(), customer=st.sampled_from(CUSTOMERS))
    def set_main(self, data, customer):
        call(self.c, "set_main", customer=customer, account=self.pick(data))

    @rule(data=st.data())
    def capitalize(self, data):
        call(self.c, "capitalize_interest", account=self.pick(data))

    @rule()
    def day_end(self):
        assert call(self.c, "end_of_day").ok

    @invariant()
    def money_is_neither_created_nor_lost(self):
        if hasattr(self, "c"):
            assert self.total() == self.start_total

    @invariant()
    def accounts_hold_their_shape(self):
        if not hasattr(self, "c"):
            return
        per_client: dict[str, list[FundAccount]] = {}
        for a in self.accounts():
            assert a.cash >= 0 and a.bank_balance >= 0 and a.frozen >= 0
            available = a.cash - a.frozen
            withdrawable = max(0, available - a.non_withdrawable_today)
            assert withdrawable <= available <= a.cash
            if a.status == "open":
                per_client.setdefault(a.customer_code, []).append(a)
        for accounts in per_client.values():
            assert len(accounts) <= 5
            assert sum(1 for a in accounts if a.in_service and a.role == "main") <= 1
            assert all(a.role == "none" for a in accounts if not a.in_service)


Counter.TestCase.settings = settings(max_examples=20, stateful_step_count=30, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow])
TestCounter = Counter.TestCase
