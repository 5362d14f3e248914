"""One function, one client (issue 6): no function's transaction reads or writes rows of two clients,
so a firm can distribute the tables by client code (Citus, YugabyteDB) and every function runs as
a single-shard transaction. A listener on every session records the client codes of the rows each
transaction loads or writes, while the shipped scenario and every drill's solution run, then a
random multi-client workload with bank faults, then an attempt to move money between two clients.

Day-end is the one batch over every client and is named as such; seeding a store is not a function. Finding which client owns an
account number (Tx.account) reads only that key; on a distributed engine it is a routing lookup."""

from __future__ import annotations

import random
from importlib import resources

import pytest
import workload
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlmodel import select

from teller.scenario import parse_scenario, parse_steps, run_steps
from teller.services.base import Context
from teller.training.drills import HINT_KEYS
from teller.store.models import BankLedger, Customer, Journal

BATCH = {"end_of_day"}


class Touches:
    """Client codes per transaction, with the function (the journal line's op) that ran it."""

    def __init__(self) -> None:
        self.open: dict[int, tuple[set, set]] = {}
        self.done: list[tuple[frozenset, frozenset]] = []

    def _note(self, session, obj) -> None:  # noqa: ANN001
        codes, ops = self.open.setdefault(id(session), (set(), set()))
        code = obj.code if isinstance(obj, Customer) else getattr(obj, "customer_code", None)
        if code:
            codes.add(code)
        if isinstance(obj, Journal):
            ops.add(obj.op)
        if isinstance(obj, BankLedger):
            ops.add("bank")  # the bank simulator's own transaction

    def loaded(self, session, obj) -> None:  # noqa: ANN001
        self._note(session, obj)

    def written(self, session, row: dict) -> None:  # noqa: ANN001
        """A row a batch inserts (teller.store.batch): movements, papers, the journal line."""
        codes, ops = self.open.setdefault(id(session), (set(), set()))
        if row.get("customer_code"):
            codes.add(row["customer_code"])
        if "op" in row and "function_code" in row:
            ops.add(row["op"])

    def flushing(self, session, _ctx, _instances) -> None:  # noqa: ANN001
        for obj in (*session.new, *session.dirty, *session.deleted):
            self._note(session, obj)

    def ended(self, session) -> None:  # noqa: ANN001
        codes, ops = self.open.pop(id(session), (set(), set()))
        self.done.append((frozenset(codes), frozenset(ops)))

    def functions(self) -> list[tuple[frozenset, frozenset]]:
        """Transactions of a business function or of a bank (setting a store up is neither)."""
        return [(c, o) for c, o in self.done if o]

    def offenders(self) -> list[tuple[frozenset, frozenset]]:
        return [(c, o) for c, o in self.functions() if len(c) > 1 and not (o & BATCH)]


@pytest.fixture
def touches(monkeypatch):
    from teller.services.base import Tx
    from teller.store.batch import Batch

    t = Touches()
    hooks = [("loaded_as_persistent", t.loaded), ("before_flush", t.flushing),
             ("after_commit", t.ended), ("after_soft_rollback", lambda s, _prev: t.ended(s))]
    for name, fn in hooks:
        event.listen(Session, name, fn)
    # The counter's fast path reads and writes rows outside the ORM's events: the rows it reads with
    # the client's lock (Tx._track) and the rows it inserts (Batch.insert) are noted as well.
    track, insert = Tx._track, Batch.insert

    def tracked(self, model, cols, row):  # noqa: ANN001, ANN202
        obj = track(self, model, cols, row)
        t.loaded(self.s, obj)
        return obj

    def inserted(self, stmt, rows):  # noqa: ANN001, ANN202
        for r in rows:
            t.written(self.session, r)
        return insert(self, stmt, rows)

    monkeypatch.setattr(Tx, "_track", tracked)
    monkeypatch.setattr(Batch, "insert", inserted)
    yield t
    for name, fn in hooks:
        event.remove(Session, name, fn)


def _run(counter, scenario, steps=None) -> None:  # noqa: ANN001
    if steps is not None:
        scenario.steps = steps
    for _step, _outcome in run_steps(counter, scenario):
        pass


def test_shipped_scenarios_and_drill_solutions_touch_one_client_per_transaction(touches):
    from conftest import build

    from teller import runner
    from teller.training.grading import DRILL_KEYS

    data = resources.files("teller.data")
    texts = [(f.name, f.read_text(encoding="utf-8")) for f in (data / "scenarios").iterdir() if f.name.endswith(".toml")]
    for name, text in texts:
        counter, scenario = build(text)
        _run(counter, scenario)
    drills = sorted(f for f in (data / "drills").iterdir() if f.name.endswith(".toml"))
    assert drills
    for f in drills:
        text = f.read_text(encoding="utf-8")
        scenario = parse_scenario(text, f.name, extra_keys=DRILL_KEYS)
        _run(runner.open_store_for(scenario, None), scenario, parse_steps(text, f.name, table="solution", others_allowed=True,
                                                                          extra_keys=HINT_KEYS))
    assert len(touches.functions()) > 100
    assert touches.offenders() == []


def test_a_random_branch_day_with_bank_faults_touches_one_client_per_transaction(touches):
    from conftest import build

    faults = "".join(f'\n[[bank_faults]]\nbank = "{b}"\nfault = "{f}"\ntimes = 3\nskip = {i}\n'
                     for i, (b, f) in enumerate([("工商银行", "timeout"), ("建设银行", "late"), ("中国银行", "duplicate"),
                                                 ("工商银行", "fail")]))
    counter, _scenario = build(workload.branch() + faults)
    rnd, ctx = random.Random(6), Context(documents=None)
    for _i in range(150):
        op, params = workload.one(rnd)
        counter.run(op, params, ctx)
    for request in range(1, 10):
        counter.run("settle_bank_request", {"request": request, "result": "fail"}, ctx)
    counter.run("review", {"approve": 1}, Context(teller_id="S00"))
    o = counter.run("ledger_transfer", {"from": "880001001", "to": "880002001", "amount": "1.00"}, ctx)
    assert o.rule == "NOT_SAME_CUSTOMER"
    assert counter.run("end_of_day", {}, ctx).ok
    assert touches.offenders() == []
    assert any(o & BATCH and len(c) > 1 for c, o in touches.functions())  # the listener does see several clients


def test_with_one_journal_chain_per_client_sealing_stays_on_the_clients_rows():
    from conftest import build

    from teller.services.audit import verify
    from teller.store.db import unit_of_work
    from teller.store.models import JournalChain

    counter, _scenario = build(workload.branch() + '\n[settings]\njournal_chain = "client"\n')
    rnd, ctx = random.Random(7), Context(documents=None)
    for _i in range(40):
        op, params = workload.one(rnd)
        counter.run(op, params, ctx)
    assert counter.run("end_of_day", {}, ctx).ok
    with unit_of_work(counter.engine) as s:
        chains = {h.chain for h in s.exec(select(JournalChain))}
    assert set(workload.CLIENTS) <= chains and "" in chains  # day-end is the branch's own line
    assert verify(counter.engine).ok
