"""主管授权 at the maker's terminal (issue 10 item 2), the service: Counter.authorise is 8102 with the
supervisor's id and password checked in the approval's own transaction by sign-on's check."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import select

from screenkit import NOW, call, demo_template  # noqa: F401  (fixtures)
from teller.services import auth, reads
from teller.services.base import Context
from teller.services.counter import Counter
from teller.store.db import reading
from teller.store.models import Journal, Review, Teller

AT_T01 = Context(teller_id="T01", terminal="T-07", now=NOW)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, demo_template, tmp_path):  # noqa: F811
    """The demo branch, on SQLite and (TELLER_TEST_DB) on PostgreSQL: the teller's row is locked and
    its count kept in the approval's transaction, which both stores must honour."""
    from teller.store.db import make_engine

    if request.param == "sqlite":
        path = tmp_path / "branch.db"
        shutil.copy(demo_template, path)
        e = make_engine(f"sqlite:///{path}")
    else:
        from teller.demo import seed_demo

        e = make_engine(request.getfixturevalue("pg_url"))
        seed_demo(e)
    yield e
    e.dispose()


def pending_key_change(engine) -> int:  # noqa: ANN001
    o = call(engine, "change_key_info", customer="880002", name="李肆")
    assert o.ok and o.data["status"] == "pending_review", o
    return o.data["review_id"]


def review(engine, rid: int) -> Review:  # noqa: ANN001
    with reading(engine) as s:
        return Review.model_validate(s.get(Review, rid).model_dump())


def teller(engine, tid: str) -> Teller:  # noqa: ANN001
    with reading(engine) as s:
        return Teller.model_validate(s.get(Teller, tid).model_dump())


def line(engine, jid: int) -> Journal:  # noqa: ANN001
    with reading(engine) as s:
        return Journal.model_validate(s.get(Journal, jid).model_dump())


def test_a_supervisor_authorises_at_the_makers_terminal_and_it_is_8102s_approval(engine):
    rid = pending_key_change(engine)
    o = Counter(engine).authorise(rid, "S01", "s01pass", AT_T01)
    assert o.ok, o
    assert "S01" in o.message and str(rid) in o.message
    assert reads.client(engine, "880002")["name"] == "李肆"  # applied at once
    r = review(engine, rid)
    assert (r.status, r.decided_by, r.decided_journal) == ("approved", "S01", o.journal_id)
    j = line(engine, o.journal_id)
    # the journal line 8102 writes, under the supervisor, at the maker's terminal, the maker named
    assert (j.function_code, j.op, j.teller_id, j.terminal, j.ok) == ("8102", "review", "S01", "T-07", True)
    assert j.inputs == {"approve": str(rid), "counter_teller": "T01"}
    assert "s01pass" not in repr(j.inputs) + j.message


def test_a_wrong_password_is_refused_as_sign_on_refuses_it_and_counts(engine):
    rid = pending_key_change(engine)
    counter = Counter(engine)
    wrong = counter.authorise(rid, "S01", "nottheone", AT_T01)
    unknown = counter.authorise(rid, "S99", "s01pass", AT_T01)
    assert not wrong.ok and not unknown.ok
    # the same words for a wrong id and a wrong password, and they are sign-on's
    assert wrong.message == unknown.message == auth.failed().message
    assert (wrong.rule, unknown.rule) == ("FORBIDDEN", "FORBIDDEN")
    assert teller(engine, "S01").failed_attempts == 1
    assert review(engine, rid).status == "pending"  # still in the 8102 queue
    assert reads.client(engine, "880002")["name"] == "李四"
    bad, stranger = line(engine, wrong.journal_id), line(engine, unknown.journal_id)
    assert (bad.function_code, bad.teller_id, bad.ok, bad.inputs["why"]) == ("8102", "S01", False, "password")
    assert (stranger.teller_id, stranger.inputs["why"]) == ("", "unknown")  # an unknown id is not journalled
    with reading(engine) as s:
        assert not any("nottheone" in repr(j.inputs) + j.message for j in s.exec(select(Journal)))


def test_a_password_typed_into_the_id_field_never_reaches_the_journal(engine):
    rid = pending_key_change(engine)
    o = Counter(engine).authorise(rid, "s01pass", "", AT_T01)
    assert not o.ok and o.message == auth.failed().message
    with reading(engine) as s:
        assert not any("s01pass" in (j.teller_id + repr(j.inputs) + j.message) for j in s.exec(select(Journal)))


def test_five_wrong_passwords_lock_the_supervisor_as_at_sign_on(engine):
    rid = pending_key_change(engine)
    counter = Counter(engine)
    for _ in range(auth.MAX_FAILURES):
        assert not counter.authorise(rid, "S01", "wrongpass", AT_T01).ok
    assert teller(engine, "S01").locked
    right = counter.authorise(rid, "S01", "s01pass", AT_T01)
    assert not right.ok and right.message == auth.failed().message  # locked: the same words, nothing more
    assert review(engine, rid).status == "pending"


def test_the_right_password_resets_the_count(engine):
    rid = pending_key_change(engine)
    counter = Counter(engine)
    assert not counter.authorise(rid, "S01", "wrongpass", AT_T01).ok
    assert counter.authorise(rid, "S01", "s01pass", AT_T01).ok
    assert teller(engine, "S01").failed_attempts == 0


def test_a_teller_may_not_authorise_and_is_told_so(engine):
    rid = pending_key_change(engine)
    counter = Counter(engine)
    for tid, password in (("T02", "t02pass"), ("T01", "t01pass"), ("TR01", "tr01pass")):
        o = counter.authorise(rid, tid, password, AT_T01)
        assert not o.ok and o.rule == "FORBIDDEN", o
        assert "无权授权" in o.message and "主管" in o.message and tid in o.message, o.message
    assert review(engine, rid).status == "pending"
    assert teller(engine, "T02").failed_attempts == 0  # the right password: nothing counted


def test_the_maker_may_not_authorise_their_own_request(engine):
    o = call(engine, "change_key_info", teller="S01", customer="880002", name="李肆")
    rid = o.data["review_id"]
    refused = Counter(engine).authorise(rid, "S01", "s01pass", Context(teller_id="S01", terminal="T-07", now=NOW))
    assert not refused.ok and refused.rule == "FORBIDDEN"
    assert "本人提交" in refused.message and "另一名主管" in refused.message, refused.message
    assert review(engine, rid).status == "pending"
