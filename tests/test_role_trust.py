"""Issue 11, hole 2: roles that cannot become each other. A trainer manages trainees only; a trainee
works only on a training store; whoever set a password never approves its holder's requests. Every
actor role x 9102 action x target role, with real inputs and their effect checked."""

from __future__ import annotations

import pytest
from conftest import BASE, account, build

from teller.domain.errors import Refused
from teller.domain.roles import ROLE_FUNCTIONS
from teller.services.auth import sign_on
from teller.services.base import Context
from teller.services.setup import SANDBOX_SETTING
from teller.store.db import unit_of_work
from teller.store.models import Setting, Teller

ROLES = sorted(ROLE_FUNCTIONS)  # supervisor, teller, trainee, trainer
ACCOUNTS = account("880001001", "工商银行", "main", "1000.00") + account("88000100101", "建设银行", "aux", "2000.00")


def _tellers(*rows: tuple[str, str]) -> str:
    """Each with the password `<id in lower case>pass`, except the X-... targets nobody signs on as
    (scrypt is slow on purpose) but X-reset."""
    return "".join(f'\n[[tellers]]\nid = "{i}"\nrole = "{r}"\n'
                   + (f'password = "{i.lower()}pass"\n' if not i.startswith("X-") or i == "X-reset" else "")
                   for i, r in rows)


def _state(sandbox: bool, *tellers: tuple[str, str]) -> str:
    return BASE + _tellers(*tellers) + ACCOUNTS


def _store(sandbox: bool, *tellers: tuple[str, str]):  # noqa: ANN202
    counter, _ = build(_state(sandbox, *tellers))
    if sandbox:
        with unit_of_work(counter.engine) as s:
            s.merge(Setting(key=SANDBOX_SETTING, value="1"))
    return counter


def _teller(counter, tid: str) -> Teller | None:  # noqa: ANN001
    with unit_of_work(counter.engine) as s:
        t = s.get(Teller, tid)
        return None if t is None else Teller.model_validate(t.model_dump())


def _signs_on(counter, tid: str, password: str) -> bool:  # noqa: ANN001
    try:
        sign_on(counter.engine, tid, password)
        return True
    except Refused:
        return False


def _may(actor: str, target: str, new: str | None = None) -> bool:
    """The rule written out independently of teller.domain.roles: a supervisor manages everyone, a
    trainer only trainees (into trainees), nobody else manages anyone."""
    if actor == "supervisor":
        return True
    return actor == "trainer" and target == "trainee" and new in (None, "trainee")


@pytest.mark.parametrize("actor", ROLES)
@pytest.mark.parametrize("target", ROLES)
def test_9102_every_actor_action_and_target_role(actor, target):
    ids = {a: f"X-{a}" for a in ("reset", "lock", "unlock", "deactivate")} | {f"role-{r}": f"X-role-{r}" for r in ROLES}
    counter = _store(False, ("A1", actor), *[(i, target) for i in ids.values()])
    me = Context(teller_id="A1", documents=None)
    run = lambda **p: counter.run("manage_tellers", p, me)  # noqa: E731

    # add a teller of the target role
    added = run(action="add", id="NEW1", role=target, password="added-pw1", name="新人")
    assert added.ok == _may(actor, target), (added.rule, added.message)
    assert (_teller(counter, "NEW1") is not None) == _may(actor, target)
    if not added.ok:
        assert added.rule == "FORBIDDEN"

    # reset a password: the new one works only if the reset was allowed; the old one then no more
    reset = run(action="reset_password", id=ids["reset"], password="reset-pw1")
    assert reset.ok == _may(actor, target), (reset.rule, reset.message)
    allowed = _may(actor, target)
    assert _signs_on(counter, ids["reset"], "reset-pw1") == (allowed and target != "trainee")  # a trainee: sandbox only
    assert _teller(counter, ids["reset"]).password_set_by == ("A1" if allowed else "")
    if not allowed:
        assert target == "trainee" or _signs_on(counter, ids["reset"], ids["reset"].lower() + "pass")

    locked = run(action="lock", id=ids["lock"])
    assert locked.ok == allowed and _teller(counter, ids["lock"]).locked == allowed
    with unit_of_work(counter.engine) as s:
        s.get(Teller, ids["unlock"]).locked = True
    unlocked = run(action="unlock", id=ids["unlock"])
    assert unlocked.ok == allowed and _teller(counter, ids["unlock"]).locked == (not allowed)
    gone = run(action="deactivate", id=ids["deactivate"])
    assert gone.ok == allowed and _teller(counter, ids["deactivate"]).active == (not allowed)

    # change the role to every role
    for new in ROLES:
        changed = run(action="set_role", id=ids[f"role-{new}"], role=new)
        assert changed.ok == _may(actor, target, new), (actor, target, new, changed.message)
        assert _teller(counter, ids[f"role-{new}"]).role == (new if _may(actor, target, new) else target)


def test_the_issue_trainer_cannot_become_a_teller_who_moves_money():
    counter = _store(False, ("TR01", "trainer"), ("T01", "teller"))
    tr = Context(teller_id="TR01", documents=None)
    reset = counter.run("manage_tellers", {"action": "reset_password", "id": "T01", "password": "hijack99"}, tr)
    assert not reset.ok and reset.rule == "FORBIDDEN" and "学员" in reset.message
    assert not _signs_on(counter, "T01", "hijack99") and _signs_on(counter, "T01", "t01pass")
    add = counter.run("manage_tellers", {"action": "add", "id": "T77", "role": "teller", "password": "hijack99"}, tr)
    assert not add.ok and _teller(counter, "T77") is None
    # A trainer's add without a role adds a trainee, who cannot sign on to the branch's store ...
    trainee = counter.run("manage_tellers", {"action": "add", "id": "TN09", "password": "hijack99"}, tr)
    assert trainee.ok and _teller(counter, "TN09").role == "trainee"
    with pytest.raises(Refused) as no:
        sign_on(counter.engine, "TN09", "hijack99")
    assert "培训库" in no.value.message
    # ... nor move money there by any other way in (a scenario file, a CLI naming the teller id).
    moved = counter.run("ledger_transfer", {"from": "88000100101", "to": "880001001", "amount": "100.00"},
                        Context(teller_id="TN09", documents=None))
    assert not moved.ok and moved.rule == "FORBIDDEN"
    assert counter.run("query", {"account": "880001001"}).data["cash"] == "1000.00"


@pytest.mark.parametrize("sandbox", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_money_moves_only_for_roles_that_may_and_trainees_only_in_a_sandbox(role, sandbox):
    counter = _store(sandbox, ("R1", role))
    ctx = Context(teller_id="R1", documents=None)
    moved = counter.run("ledger_transfer", {"from": "88000100101", "to": "880001001", "amount": "100.00"}, ctx)
    may = role in ("teller", "supervisor") or (role == "trainee" and sandbox)
    assert moved.ok == may, (role, sandbox, moved.message)
    assert counter.run("query", {"account": "880001001"}).data["cash"] == ("1100.00" if may else "1000.00")
    assert _signs_on(counter, "R1", "r1pass") == (role != "trainee" or sandbox)
    if role == "trainee":  # their own training results are recorded on any store
        rec = counter.preview("training", {"action": "record", "kind": "exam", "subject": "S01", "score": 90,
                                           "total": 100, "passed": True, "timed_out": False,
                                           "started": "2026-11-23T09:00:00", "finished": "2026-11-23T10:00:00"}, ctx)
        assert "培训库" not in rec.message


def _pending_request(counter, maker: str, account: str = "880001001") -> int:  # noqa: ANN001
    asked = counter.run("maintain_multibank", {"account": account, "action": "set_flag", "flag": 0,
                                               "instruction": "运营[2026]17号"}, Context(teller_id=maker, documents=None))
    assert asked.data.get("status") == "pending_review", asked.message
    return asked.data["review_id"]


def test_a_supervisor_never_approves_a_request_of_someone_whose_password_they_set():
    counter = _store(False, ("S01", "supervisor"), ("S02", "supervisor"), ("S03", "supervisor"))
    s1 = Context(teller_id="S01", documents=None)
    assert counter.run("manage_tellers", {"action": "reset_password", "id": "S02", "password": "known-to-s1"}, s1).ok
    # S01 could now sign on as S02: neither approves the other's requests.
    rid = _pending_request(counter, "S02")
    mine = counter.run("review", {"approve": rid}, s1)
    assert not mine.ok and mine.rule == "FORBIDDEN" and "S02" in mine.message
    rid2 = _pending_request(counter, "S01", "88000100101")
    theirs = counter.run("review", {"approve": rid2}, Context(teller_id="S02"))
    assert not theirs.ok and theirs.rule == "FORBIDDEN" and "S01" in theirs.message
    assert counter.run("query", {"account": "880001001"}).data["transfer_flag"] == 1
    # A third supervisor, who knows neither password, approves.
    assert counter.run("review", {"approve": rid}, Context(teller_id="S03")).ok
    assert counter.run("query", {"account": "880001001"}).data["transfer_flag"] == 0


def test_the_demo_is_a_training_store_where_its_trainee_signs_on():
    from teller.demo import seed_demo
    from teller.services.setup import is_sandbox
    from teller.store.db import make_engine

    engine = make_engine("sqlite://")
    seed_demo(engine)
    assert is_sandbox(engine)
    assert sign_on(engine, "TN01", "tn01pass").role == "trainee"
