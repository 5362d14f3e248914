"""Issue 11, hole 8: ASCII digits only; length limits naming the field; failed sign-ons journalled
with one message for every cause; an unlock command for a locked supervisor."""

from __future__ import annotations

import pytest
from sqlmodel import select
from svc import branch, call, q
from typer.testing import CliRunner

from teller.domain.errors import BadInput, Refused
from teller.domain.money import parse_amount
from teller.services.auth import MAX_FAILURES, sign_on
from teller.store.db import unit_of_work
from teller.store.models import Journal, Teller

ODD_DIGITS = ("١٠٠", "𝟏𝟎𝟎", "۱۰۰", "१००")  # Arabic-Indic, mathematical bold, Persian, Devanagari: all 100


@pytest.mark.parametrize("text", ODD_DIGITS + ("1٠0.00",))
def test_amounts_take_ascii_digits_only(text):
    with pytest.raises(BadInput) as e:
        parse_amount(text, "金额")
    assert e.value.field == "金额"


@pytest.mark.parametrize("text", ODD_DIGITS)
def test_a_transfer_of_odd_digits_moves_nothing(text):
    c = branch()
    before = q(c, "880001001")["cash"]
    o = call(c, "ledger_transfer", **{"from": "88000100101", "to": "880001001", "amount": text})
    assert not o.ok and o.rule == "BAD_INPUT" and "金额" in o.message
    assert q(c, "880001001")["cash"] == before


def test_a_review_number_of_odd_digits_is_not_a_number():
    c = branch()
    o = call(c, "review", teller="S01", approve="١")
    assert not o.ok and o.rule == "BAD_INPUT" and "复核号" in o.message


@pytest.mark.parametrize("field,label", [("name", "姓名"), ("id_no", "证件号码"), ("customer", "客户号")])
def test_a_100000_character_input_is_refused_naming_the_field(field, label):
    c = branch()
    params = {"customer": "880001", "name": "张三", "id_type": "居民身份证", "id_no": "11010519491231002X",
              field: "长" * 100_000}
    o = call(c, "change_key_info", **params)
    assert not o.ok and o.rule == "BAD_INPUT", o.message
    assert "100000" in o.message and label in o.message
    with unit_of_work(c.engine) as s:
        assert all(len(str(j.inputs)) < 1000 or not j.ok for j in s.exec(select(Journal)))


def _fail(c, tid, password) -> str:  # noqa: ANN001
    with pytest.raises(Refused) as e:
        sign_on(c.engine, tid, password, terminal="T-07")
    return e.value.message


def test_failed_sign_ons_are_journalled_without_the_password_and_say_the_same_thing():
    c = branch('\n[[tellers]]\nid = "T09"\nrole = "teller"\npassword = "right-pw1"\n')
    stranger = _fail(c, "NOBODY", "guess-pw-1")
    wrong = _fail(c, "T09", "guess-pw-2")
    for _ in range(MAX_FAILURES - 1):
        _fail(c, "T09", "guess-pw-3")
    locked = _fail(c, "T09", "right-pw1")  # the right password of a locked teller
    assert stranger == wrong == locked  # nothing tells a stranger which ids exist or are locked
    with unit_of_work(c.engine) as s:
        lines = s.exec(select(Journal).where(Journal.op == "sign_on").order_by(Journal.id)).all()
        assert s.get(Teller, "T09").locked
    assert [(j.teller_id, j.terminal, j.ok, j.inputs["why"]) for j in lines] == (
        [("", "T-07", False, "unknown"), ("T09", "T-07", False, "password")]
        + [("T09", "T-07", False, "password")] * (MAX_FAILURES - 2)
        + [("T09", "T-07", False, "password_locked"), ("T09", "T-07", False, "locked")])
    text = " ".join(f"{j.teller_id} {j.inputs} {j.message}" for j in lines)
    assert not [p for p in ("guess-pw", "right-pw1", "NOBODY") if p in text]
    from teller.services.audit import verify

    assert verify(c.engine).ok


def _cli(*args, **kw):  # noqa: ANN002, ANN003, ANN202
    from teller.cli import app

    return CliRunner().invoke(app, list(args), **kw)


def test_staff_unlock_by_a_supervisor_and_by_the_store_owner(tmp_path):
    from teller.scenario import parse_scenario
    from teller.services.setup import seed
    from teller.store.db import make_engine

    from svc import BRANCH

    db = tmp_path / "b.db"
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    seed(engine, parse_scenario(BRANCH + '\n[[tellers]]\nid = "S02"\nrole = "supervisor"\npassword = "s02pass"\n'
                                '\n[[tellers]]\nid = "S03"\nrole = "supervisor"\npassword = "s03pass"\n').state)
    for tid in ("S02", "S03"):
        for _ in range(MAX_FAILURES):
            with pytest.raises(Refused):
                sign_on(engine, tid, "wrong-one")
    pw = tmp_path / "pw"
    pw.write_text("s03pass\n")
    pw.chmod(0o600)
    # S03 is locked too: it cannot unlock S02 ...
    assert _cli("staff", "unlock", "S02", "--by", "S03", "--password-file", str(pw), "--db", url).exit_code == 1
    # ... so the store's owner unlocks S03, journalled as such, and S03 unlocks S02 through 9102.
    owner = _cli("staff", "unlock", "S03", "--store-owner", "--db", url)
    assert owner.exit_code == 0, owner.output
    done = _cli("staff", "unlock", "S02", "--by", "S03", "--password-file", str(pw), "--db", url)
    assert done.exit_code == 0, done.output
    assert sign_on(engine, "S02", "s02pass").id == "S02"
    with unit_of_work(engine) as s:
        ops = [(j.op, j.teller_id, j.inputs.get("id"), j.ok) for j in s.exec(
            select(Journal).where(Journal.op.in_(("staff_unlock", "manage_tellers"))).order_by(Journal.id))]
    assert ops == [("staff_unlock", "", "S03", True), ("manage_tellers", "S03", "S02", True)]
    assert _cli("staff", "unlock", "S02", "--db", url).exit_code == 2  # neither --by nor --store-owner
