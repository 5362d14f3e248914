"""A terminal's random day, run in worker processes by the concurrency and crash tests: transfers
main<->aux, 银证转账 in and out, and purchases against a few shared clients. Amounts are large
enough that many are refused, which is the point: refusals must hold under contention."""

from __future__ import annotations

import random
import sys
from collections import Counter as Tally

CLIENTS = ("880001", "880002", "880003")


def branch() -> str:
    """Three clients, each a main and two auxes, with money on both sides."""
    text = 'date = "2026-11-23"\nauto_documents = true\n'
    ids = ("11010519491231002X", "110101199003074477", "310101198501010014")
    for code, id_no in zip(CLIENTS, ids):
        text += f'\n[[customers]]\ncode = "{code}"\nname = "客户{code}"\nid_no = "{id_no}"\n'
        for no, bank, role in ((f"{code}001", "工商银行", "main"), (f"{code}00101", "建设银行", "aux"),
                               (f"{code}00102", "中国银行", "aux")):
            text += (f'\n[[accounts]]\nno = "{no}"\ncustomer = "{code}"\nbank = "{bank}"\nrole = "{role}"\n'
                     f'cash = "3000.00"\nbank_balance = "20000.00"\n')
    return text


def one(rnd: random.Random) -> tuple[str, dict]:
    code = rnd.choice(CLIENTS)
    main, aux = f"{code}001", rnd.choice((f"{code}00101", f"{code}00102"))
    amount = f"{rnd.randint(1, 2500)}.{rnd.randint(0, 99):02d}"
    kind = rnd.choice(("ledger", "ledger", "in", "out", "out", "buy"))
    if kind == "ledger":
        src, dst = (main, aux) if rnd.random() < 0.5 else (aux, main)
        return "ledger_transfer", {"from": src, "to": dst, "amount": amount}
    if kind == "buy":
        return "order", {"account": main, "side": "buy", "amount": amount}
    return "bank_transfer", {"account": rnd.choice((main, aux)), "direction": kind, "amount": amount}


def work(url: str, seed: int, n: int) -> Tally:
    from teller.services.base import Context
    from teller.services.counter import Counter
    from teller.store.db import make_engine

    engine = make_engine(url)
    counter, rnd, seen = Counter(engine), random.Random(seed), Tally()
    ctx = Context(teller_id="T00", terminal=f"W{seed:02d}", documents=None)
    for _i in range(n):
        op, params = one(rnd)
        o = counter.run(op, params, ctx)
        seen[f"{op}:{'ok' if o.ok else o.rule or o.data.get('state')}"] += 1
    engine.dispose()
    return seen


def forever(url: str, seed: int) -> None:
    """For the crash test: one function after another, a line on stdout after each, until killed."""
    from teller.services.base import Context
    from teller.services.counter import Counter
    from teller.store.db import make_engine

    counter, rnd = Counter(make_engine(url)), random.Random(seed)
    ctx = Context(teller_id="T00", terminal=f"K{seed:02d}", documents=None)
    while True:
        op, params = one(rnd)
        counter.run(op, params, ctx)
        sys.stdout.write("done\n")
        sys.stdout.flush()


def until(url: str, seed: int, stop: str, seconds: float = 120.0) -> Tally:
    """A terminal looping short functions, one transaction each, until the file STOP exists (or
    SECONDS pass): the stream day-end must not starve behind (issue 11). What it did is tallied,
    with 'during' counting the calls made while the file 'STOP.dayend' (day-end under way) existed."""
    import os
    import time

    from teller.services.base import Context
    from teller.services.counter import Counter
    from teller.store.db import make_engine

    engine = make_engine(url)
    counter, rnd, seen = Counter(engine), random.Random(seed), Tally()
    ctx = Context(teller_id="T00", terminal=f"L{seed:02d}", documents=None)
    end = time.monotonic() + seconds
    while not os.path.exists(stop) and time.monotonic() < end:
        op, params = one(rnd)
        o = counter.run(op, params, ctx)
        seen[f"{op}:{'ok' if o.ok else o.rule or o.data.get('state')}"] += 1
        if os.path.exists(stop + ".dayend"):
            seen["during"] += 1
    engine.dispose()
    return seen


def opens(url: str, worker: int, n: int, start: str) -> list[str]:
    """For the client-number test: n 1101s with no client code typed (the counter numbers the client),
    each a new person; waits for the file `start` so that every worker begins at once. The outcome
    of each: the client code it was given, or the refusal."""
    import os
    import time

    from teller.demo.generate import id_number
    from teller.services.base import Context
    from teller.services.counter import Counter
    from teller.store.db import make_engine

    engine = make_engine(url)
    counter = Counter(engine)
    ctx = Context(teller_id="T00", terminal=f"O{worker:02d}", documents=None)
    while not os.path.exists(start):
        time.sleep(0.005)
    seen = []
    for i in range(n):
        o = counter.run("joint_open", {"name": f"客户{worker}-{i}", "id_no": id_number(1000 + worker * n + i),
                                       "bank": "工商银行"}, ctx)
        seen.append(o.data["customer"] if o.ok else f"{o.rule}: {o.message}")
    engine.dispose()
    return seen


def of_opens(url: str, worker: int, n: int, start: str) -> list[str]:
    """For the numbering test: n 4101s with no fund account number typed, under the main of one of
    the branch's clients (each worker its own, so that the calls do not queue on a client)."""
    import os
    import time

    from teller.services.base import Context
    from teller.services.counter import Counter
    from teller.store.db import make_engine

    engine = make_engine(url)
    counter = Counter(engine)
    ctx = Context(teller_id="T00", terminal=f"F{worker:02d}", documents=None)
    code = CLIENTS[worker % len(CLIENTS)]
    while not os.path.exists(start):
        time.sleep(0.005)
    seen = []
    for _i in range(n):
        o = counter.run("open_of_account", {"customer": code, "fund_account": f"{code}001"}, ctx)
        seen.append(o.data["of_account"] if o.ok else f"{o.rule}: {o.message}")
    engine.dispose()
    return seen
