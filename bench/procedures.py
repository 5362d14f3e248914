"""Keys per exam procedure (issue 10 item 9): the seven procedures of issue 10 "Keys", each driven
through the counter (Textual Pilot, the demo branch's store) by the key sequence kept as data in
bench/procedures.toml, each run checked for its result in the store (the account opened, the flag
closed ...): a sequence that does not reach its result fails, whatever its count. Printed: each
procedure's keys beside its floor (60% of the count issue 10 found), the total beside 330, and the
seconds each took through Pilot (every key waited for, with the store calls it started)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import time
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from bench.report import Figure, Report, Target, at_most

SECTION = "procedures"
DATA = Path(__file__).with_name("procedures.toml")
TOTAL_FLOOR = 330  # issue 10 "Done when": the seven procedures in ≤ 330 keys
NOW = datetime(2026, 11, 23, 10, 0, 0)  # the demo branch's business day, in the morning
TELLERS = {"T01": ("柜员甲", "teller")}

_TOKEN = re.compile(r"<([a-z0-9_+]+)>|(\S)")


def tokens(text: str) -> list[str]:
    """The keys of a sequence: each character one key, <name> one key of that name; whitespace and
    `#` comments are layout."""
    keys: list[str] = []
    for line in text.splitlines():
        for m in _TOKEN.finditer(line.split("#", 1)[0]):
            keys.append(m.group(1) or m.group(2))
    return keys


@dataclass
class Procedure:
    id: str
    title: str
    title_en: str
    legacy: int
    floor: int
    keys: list[str]
    setup: list[dict] = field(default_factory=list)


def load(path: Path = DATA) -> list[Procedure]:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return [Procedure(p["id"], p["title"], p["title_en"], int(p["legacy"]), int(p["floor"]), tokens(p["keys"]),
                      list(p.get("setup", []))) for p in data["procedure"]]


class NotReached(AssertionError):
    """The sequence ran but the store is not in the state the procedure should leave it in."""


@dataclass
class Run:
    procedure: Procedure
    seconds: float
    messages: list[str]  # every distinct message line the counter showed, in order
    error: str | None = None  # why the result was not reached

    @property
    def keys(self) -> int:
        return len(self.procedure.keys)


# --- the results, read back from the store ------------------------------------------------------
def _accounts(engine, customer: str) -> dict[str, dict]:  # noqa: ANN001
    from teller.services.reads import client

    return {a["no"]: a for a in client(engine, customer)["accounts"]}


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise NotReached(what)


def _filed(engine, customer: str) -> set[tuple[str, str]]:  # noqa: ANN001
    from teller.services.base import Context
    from teller.services.counter import Counter

    out = Counter(engine).run("archive", {"customer": customer}, Context(teller_id="T01", now=NOW))
    return {(d["paper"], d["account"]) for d in out.data["documents"]}


def _open_880001(engine, messages: list[str]) -> None:  # noqa: ANN001
    from teller.domain import papers as P
    from teller.services.reads import client

    a = _accounts(engine, "880001")
    got = {no: (x["role"], x["transfer_flag"]) for no, x in a.items()}
    _expect(got == {"880001001": ("main", 1), "88000100101": ("aux", 1)}, f"880001's accounts are {got}")
    _expect(client(engine, "880001")["service_state"] == "已开通", "the service is not 已开通")
    _expect(a["88000100101"]["custody"] == "signed", "the new account's custody is not signed")
    filed = _filed(engine, "880001")
    _expect({(P.AGREEMENT, "880001001"), (P.NEW_AUX_FORM, "88000100101")} <= filed, f"papers filed: {sorted(filed)}")


def _transfer_880002(engine, messages: list[str]) -> None:  # noqa: ANN001
    a = _accounts(engine, "880002")
    # 1000 in from the aux today, 1000 out to the bank: what was there before the transfer
    got = (a["880002001"]["cash"], a["88000200101"]["cash"])
    _expect(got == ("1000.00", "1000.00"), f"main and aux cash are {got}, not 1000.00 and 1000.00")


def _aux_to_aux(engine, messages: list[str]) -> None:  # noqa: ANN001
    a = _accounts(engine, "880002")
    got = (a["88000200101"]["cash"], a["88000200102"]["cash"])
    _expect(got == ("2000.00", "3000.00"), f"the auxes hold {got}: money moved")
    _expect(any("[AUX_TO_AUX]" in m for m in messages), "the counter never said AUX_TO_AUX")


def _change_main_880006(engine, messages: list[str]) -> None:  # noqa: ANN001
    from teller.domain import papers as P

    a = _accounts(engine, "880006")
    got = (a["88000600101"]["role"], a["880006001"]["role"])
    _expect(got == ("main", "aux"), f"roles of 88000600101, 880006001 are {got}")
    filed = _filed(engine, "880006")
    _expect({(P.CHANGE_MAIN_FORM, "880006001"), (P.CHANGE_MAIN_FORM, "88000600101")} <= filed,
            "变更主资金账户申请表 not filed under both mains")


def _close_aux(engine, messages: list[str]) -> None:  # noqa: ANN001
    from teller.services.reads import branch_status

    a = _accounts(engine, "880005")
    _expect(a["88000500102"]["status"] == "closed", f"88000500102 is {a['88000500102']['status']}")
    _expect(a["880005001"]["cash"] == "9703.50", f"the main holds {a['880005001']['cash']}")
    _expect(str(branch_status(engine)["business_date"]) == "2026-11-24", "the day did not end")


def _key_info_880002(engine, messages: list[str]) -> None:  # noqa: ANN001
    from teller.services.reads import client, review_list

    c = client(engine, "880002")
    _expect(c["name"] == "李肆", f"the name is {c['name']}")
    _expect(c["key_info_pending_banks"] == [], f"banks still waiting: {c['key_info_pending_banks']}")
    _expect(not review_list(engine), "a review is still pending")


def _close_transfer_880002(engine, messages: list[str]) -> None:  # noqa: ANN001
    from teller.services.reads import review_list

    flags = {no: x["transfer_flag"] for no, x in _accounts(engine, "880002").items()}
    _expect(set(flags.values()) == {0}, f"transfer flags {flags}")
    _expect(not review_list(engine), "a review is still pending")


CHECKS: dict[str, Callable[..., None]] = {
    "open-880001": _open_880001,
    "transfer-880002": _transfer_880002,
    "aux-to-aux": _aux_to_aux,
    "change-main-880006": _change_main_880006,
    "close-aux-t1": _close_aux,
    "key-info-880002": _key_info_880002,
    "close-transfer-880002": _close_transfer_880002,
}


# --- driving the counter ------------------------------------------------------------------------
def demo_template(folder: str) -> Path:
    """The demo branch seeded once; each procedure runs on its own copy."""
    from teller.demo import seed_demo
    from teller.store.db import make_engine

    path = Path(folder) / "procedures-demo.db"
    if not path.exists():
        engine = make_engine(f"sqlite:///{path}")
        seed_demo(engine)
        engine.dispose()
    return path


def _setup(engine, steps: list[dict]) -> None:  # noqa: ANN001
    from teller.services.base import Context
    from teller.services.counter import Counter

    for step in steps:
        params = {k: v for k, v in step.items() if k not in ("op", "documents")}
        docs = frozenset(step["documents"]) if "documents" in step else None
        out = Counter(engine).run(step["op"], params, Context(teller_id="T01", documents=docs, now=NOW))
        if not out.ok:
            raise RuntimeError(f"setup {step['op']} refused: {out.message}")


def key_event(key: str):  # noqa: ANN201 - a textual.events.Key
    """The Key event the terminal driver would send for one key of a sequence (as Pilot builds it)."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def settle(pilot) -> None:  # noqa: ANN001
    """Until every message the key caused is handled, on whatever screen it led to, and the store
    calls the screens started (storecall.py's workers) are back and their results handled. Nothing
    sleeps: Pilot's press waits for the process to look idle (at least 40 ms a key), which would
    time the harness, not the counter."""
    from textual.worker import WorkerState

    app = pilot.app
    quiet = 0
    for _ in range(20000):
        await pilot._wait_for_screen()
        running = [w for w in app.workers
                   if w.group.startswith("store-") and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if running:
            quiet = 0
            await app.workers.wait_for_complete(running)
            continue
        nodes = [app, *app.screen.walk_children(with_self=True)]
        if any(not n._message_queue.empty() for n in nodes):
            quiet = 0
            continue
        typeahead = getattr(app, "typeahead", None)  # screens/typeahead.py: keys held until the counter is ready
        if typeahead is not None and not typeahead.idle:
            quiet = 0
            await asyncio.sleep(0.002)
            continue
        quiet += 1
        if quiet == 3:  # three rounds in a row with every queue empty: nothing left to follow from the key
            return
    raise RuntimeError("the counter did not settle")


async def send(pilot, key: str) -> None:  # noqa: ANN001
    event = key_event(key)
    event.set_sender(pilot.app)
    pilot.app._driver.send_message(event)
    await settle(pilot)


def _message(app) -> str | None:  # noqa: ANN001
    from textual.css.query import NoMatches
    from textual.widgets import Static

    try:
        return str(app.screen.query_one("#message", Static).render())
    except NoMatches:  # a dialog is on top
        return None


async def drive(engine, proc: Procedure, *, trace: bool = False) -> Run:  # noqa: ANN001
    """Type the procedure's keys into a counter signed on as T01, each key waited for as a teller
    watching the screen would; then check the store."""
    from teller.screens.app import SignedOn, TellerApp

    name, role = TELLERS["T01"]
    app = TellerApp(engine=engine, signed_on=SignedOn("T01", name, role, "T-01"), now=NOW)
    messages: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await settle(pilot)
        t0 = time.perf_counter()
        for key in proc.keys:
            await send(pilot, key)
            line = _message(app)
            if line and (not messages or messages[-1] != line):
                messages.append(line)
            if trace and len(key) > 1:
                f = app.focused
                print(f"  {key:8} {type(app.screen).__name__}/{getattr(f, 'id', None)}  {(line or '')[:100]}")
        seconds = time.perf_counter() - t0
    run = Run(proc, seconds, messages)
    try:
        CHECKS[proc.id](engine, messages)
    except NotReached as e:
        run.error = str(e)
    return run


def run_one(proc: Procedure, folder: str, *, trace: bool = False) -> Run:
    from teller.store.db import make_engine

    path = Path(folder) / f"procedure-{proc.id}.db"
    shutil.copy(demo_template(folder), path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        _setup(engine, proc.setup)
        return asyncio.run(drive(engine, proc, trace=trace))
    finally:
        engine.dispose()


@dataclass(frozen=True)
class _Reached(Target):
    """The target of a sequence that did not reach its result: missed, whatever the count."""

    def met(self, value: float, floor: float | None) -> bool | None:
        return False


def run(report: Report, *, quick: bool, folder: str) -> list[Run]:
    os.environ.setdefault("TELLER_SPOOL", os.path.join(folder, "spool"))  # the receipts printed on the way
    procs = load()
    print(f"[{SECTION}] {len(procs)} exam procedures through the counter (bench/procedures.toml)", flush=True)
    runs = [run_one(p, folder) for p in procs]
    for r in runs:
        p = r.procedure
        target = at_most(p.floor, "keys") if r.error is None else _Reached("reached", 0, "reaches its result")
        note = f"{p.title_en}; {p.legacy} before; {r.seconds:.1f} s" + (f"; NOT REACHED: {r.error}" if r.error else "")
        report.add(Figure(SECTION, p.id, r.keys, "keys", floor=p.floor, floor_name=f"60% of {p.legacy}", target=target,
                          note=note, extra={"legacy": p.legacy, "seconds": round(r.seconds, 2), "error": r.error}))
    total = sum(r.keys for r in runs)
    failed = [r.procedure.id for r in runs if r.error]
    report.add(Figure(SECTION, "the seven procedures", total, "keys", floor=TOTAL_FLOOR, floor_name="issue 10",
                      target=at_most(TOTAL_FLOOR, "keys") if not failed else _Reached("reached", 0, "all reach their results"),
                      note=f"{sum(r.procedure.legacy for r in runs)} before; {sum(r.seconds for r in runs):.1f} s"
                      + (f"; NOT REACHED: {', '.join(failed)}" if failed else "")))
    return runs


if __name__ == "__main__":
    import sys
    import tempfile

    trace = "--trace" in sys.argv
    only = [a for a in sys.argv[1:] if not a.startswith("--")]
    with tempfile.TemporaryDirectory() as d:
        os.environ.setdefault("TELLER_SPOOL", os.path.join(d, "spool"))
        if trace or only:
            for p in load():
                if not only or p.id in only:
                    r = run_one(p, d, trace=trace)
                    print(p.id, r.keys, "keys", f"{r.seconds:.1f} s", r.error or "reached")
        else:
            rep = Report()
            run(rep, quick=True, folder=d)
            print(rep.table())
