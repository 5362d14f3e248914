"""Random sequences of counter functions never create or lose money, never give a client more than
five fund accounts or more than one main, and keep withdrawable <= available <= cash."""

from __future__ import annotations

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlmodel import func, select

from collections import Counter as Tally

from svc import branch, call
from teller.domain import rules as R
from teller.store.db import unit_of_work
from teller.store.models import FundAccount, Movement

CUSTOMERS = ("880001", "880002", "880004", "880005")
BANKS = ("工商银行", "农业银行", "中国银行", "建设银行", "交通银行", "招商银行", "兴业银行")
amounts = st.integers(min_value=1, max_value=400_000_00).map(lambda f: f"{f // 100}.{f % 100:02d}")
# Transfers mostly within what the accounts hold, sometimes beyond it.
moderate = st.one_of(st.integers(min_value=1, max_value=2_000_00), st.integers(min_value=1, max_value=400_000_00)).map(
    lambda f: f"{f // 100}.{f % 100:02d}")
TALLY: Tally = Tally()  # how 3203 went, over the whole run (printed at the end of the test)


def fen(amount: str) -> int:
    yuan, cents = amount.split(".")
    return int(yuan) * 100 + int(cents)


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

    def of_one_client(self, data, at_least: int = 1) -> list[str]:
        """The accounts of one client, drawn first: a transfer between two clients is refused before
        any rule of interest is looked at (issue 11: drawing from every client, 3203 succeeded once
        in 24 tries and the T+1 rule could go unnoticed)."""
        mine: dict[str, list[str]] = {}
        for a in self.accounts():
            mine.setdefault(a.customer_code, []).append(a.no)
        return mine[data.draw(st.sampled_from(sorted(c for c, nos in mine.items() if len(nos) >= at_least)))]

    def account(self, no) -> FundAccount:
        with unit_of_work(self.c.engine) as s:
            return s.get(FundAccount, no)

    @rule(data=st.data(), direction=st.sampled_from(["in", "out"]), amount=moderate)
    def bank_transfer(self, data, direction, amount):
        no = data.draw(st.sampled_from(self.of_one_client(data)))
        before = self.account(no)
        o = call(self.c, "bank_transfer", account=no, direction=direction, amount=amount)
        if direction == "out" and o.ok:  # only withdrawable money leaves (T+1: today's arrivals stay)
            assert fen(amount) <= R.withdrawable(before), (no, amount, before)

    @rule(data=st.data(), amount=moderate)
    def ledger_transfer(self, data, amount):
        nos = self.of_one_client(data, at_least=2)
        src = data.draw(st.sampled_from(nos))
        dst = data.draw(st.sampled_from([n for n in nos if n != src]))
        before_src, before_dst = self.account(src), self.account(dst)
        o = call(self.c, "ledger_transfer", **{"from": src, "to": dst, "amount": amount})
        TALLY["3203 ok" if o.ok else f"3203 {o.rule}"] += 1
        if not o.ok:
            return
        assert fen(amount) <= R.withdrawable(before_src), (src, amount, before_src)
        after = self.account(dst)
        # T+1 (S05): what arrived by a main<->aux transfer today may be traded, not taken out, until tomorrow.
        assert after.non_withdrawable_today == before_dst.non_withdrawable_today + fen(amount), (dst, amount)
        assert R.withdrawable(after) == R.withdrawable(before_dst), (dst, amount)

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


# derandomize: the same sequences on every run and every machine, so the floor below is a fact about
# the test, not a draw (with 20 random examples 3203 went through 6 to 21 times and the floor of 10 failed
# about 3 runs in 10; 60 derandomized examples give 31).
Counter.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None, derandomize=True,
                                     suppress_health_check=[HealthCheck.too_slow])
TestCounter = Counter.TestCase


def test_zz_how_often_3203_went_through():
    """Runs after TestCounter (file order): the state machine must have moved money between a
    client's own accounts often enough for the T+1 assertions above to mean something."""
    print(f"3203 over the stateful run: {dict(TALLY)}")
    assert TALLY["3203 ok"] >= 10, dict(TALLY)
