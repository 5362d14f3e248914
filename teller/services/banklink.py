"""The bank link, counter side (issue 6): every 银证转账 (3105) and every 资料变更发送银行 (3205) is a
request to the client's depository bank with a state, as real counters keep them:

  未报  recorded, not sent: the bank certainly does not have it
  已报  sent (or about to be): the bank may have it
  成功 / 失败  the bank's answer
  超时  no answer in time: the bank may or may not have done it
  调为成功 / 调为失败  settled without an answer: by the teller in 6101 (6104, a supervisor approves)
        or by day-end reconciling against the bank's statement of the day

A transfer out freezes its amount when it is recorded; money moves, and the freeze is released,
only when the request becomes final, once: a request already final ignores every later answer
(a duplicate or a late one). The request's id is the serial the bank sees, so a retried request
(6105) is the same request and the bank answers it without doing it twice. Each step is its own
transaction and journal line (the bank call happens between them, never inside one), so a process
killed at any moment leaves a request in a state that says how far it got, with the money frozen.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlmodel import select

from teller.domain.money import ascii_digits, format_amount
from teller.domain import rules as R
from teller.domain.banks import DONE_OK, PENDING, RequestState, answer_rule
from teller.domain.errors import BadInput, NotFound, Outcome, Refused, Rule
from teller.i18n import N_, _
from teller.services import banksim, monitors
from teller.services.base import Done, Params, Tx, function
from teller.services.views import account_view, amt
from teller.store.models import BankKeyInfo, BankRequest, FundAccount, Movement

NOT_SENT, SENT, OK, FAILED, TIMEOUT, SET_OK, SET_FAILED = RequestState
LINK = "bank"  # Context.channel of the link's own calls (what their journal lines and movements say)
# What makes a call the link's: this object, in Context.link. A channel is only a string that any
# caller can set; nothing outside this module can hand over this object (issue 11, hole 3).
_PASS = object()


def _link_context(ctx):  # noqa: ANN001, ANN202 - a Context
    return replace(ctx, channel=LINK, link=_PASS, documents=frozenset(), agent=False, approving=False)


# --- the counter side of a request --------------------------------------------------------------------
def open_request(tx: Tx, a: FundAccount, kind: str, amount: int) -> BankRequest:
    """Inside 3105/3205: record the request 未报 (freezing a transfer out) and send it after commit."""
    if kind == "transfer_out":
        a.frozen += amount
        tx.s.add(a)
    r = BankRequest(journal_id=tx.journal.id, business_date=tx.today, customer_code=a.customer_code,
                    fund_account=a.no, bank=a.bank, kind=kind, amount=amount, state=NOT_SENT)
    tx.s.add(r)
    tx.s.flush()
    tx.requests.append(r)
    tx.followups.append(lambda counter, outcome, ctx, rid=r.id: send(counter, outcome, ctx, rid))
    return r


def send(counter, outcome: Outcome, ctx, request_id: int) -> Outcome:  # noqa: ANN001
    """After the request's transaction: take in what the bank left waiting, mark the request 已报,
    hand it to the bank, record its answer (or its silence). Returns the teller's final outcome."""
    link = _link_context(ctx)
    sent = counter.run("bank_answer", {"request": request_id, "event": "sent"}, link)
    if not sent.ok:
        return Outcome(False, outcome.op, sent.rule, sent.message, {**outcome.data, "request": request_id}, outcome.journal_id)
    m = banksim.Message(**sent.data["message"])
    poll(counter, m.bank, link)
    answer = banksim.simulator(m.bank).receive(counter.engine, m)
    if answer is None:
        final = counter.run("bank_answer", {"request": request_id, "event": "no_answer"}, link)
    else:
        final = counter.run("bank_answer", {"request": request_id, "event": "answer", "result": answer.result,
                                            "reason": answer.reason}, link)
    state = final.data.get("state")
    answered = answer_rule(state, final.data.get("reason") or "")
    rule = answered.value if answered else final.rule
    # The request's own lines (sent, how much) come first, then what the bank's answer moved.
    merged = {**outcome.data, **final.data,
              "changes": list(outcome.data.get("changes", [])) + list(final.data.get("changes", []))}
    return Outcome(state in DONE_OK, outcome.op, None if state in DONE_OK else rule, final.message,
                   merged, outcome.journal_id)


def poll(counter, bank: str, ctx) -> int:  # noqa: ANN001
    """Take in the answers a bank sent late or twice; each is recorded, and ignored if its request
    is already final. Returns how many arrived."""
    link = _link_context(ctx)
    answers = banksim.simulator(bank).outbox(counter.engine)
    for a in answers:
        counter.run("bank_answer", {"request": a.serial, "event": "answer", "result": a.result, "reason": a.reason}, link)
    return len(answers)


def _request(tx: Tx, p: Params) -> BankRequest:
    """The request, read after its client is locked."""
    raw = p.text("request", N_("请求号"))
    owner = tx.s.exec(select(BankRequest.customer_code).where(BankRequest.id == int(raw))).first() if ascii_digits(raw) else None
    if owner is None:
        raise NotFound(N_("银行请求"), raw)
    tx.customer(owner)
    return tx.s.exec(select(BankRequest).where(BankRequest.id == int(raw)).execution_options(populate_existing=True)).one()


def _view(r: BankRequest) -> dict:
    return {"request": r.id, "state": r.state, "bank": r.bank, "kind": r.kind, "amount": amt(r.amount),
            "fund_account": r.fund_account, "attempts": r.attempts}


def settle(tx: Tx, r: BankRequest, ok: bool, state: str, note: str = "") -> dict:
    """Make the request final: on success move the money (or apply the key information) once; in
    every case release a transfer out's freeze."""
    a = tx.account(r.fund_account)
    data = _view(r)
    if r.kind == "transfer_out":
        a.frozen -= r.amount
        if ok:
            a.cash -= r.amount
    elif r.kind == "transfer_in" and ok:
        a.cash += r.amount
    if ok and r.kind != "key_update":
        tx.move(a, "bank_" + r.kind.removeprefix("transfer_"), r.amount, counterpart=a.bank, channel="counter")
        r.applied_journal = tx.journal.id
    tx.s.add(a)
    if ok and r.kind == "key_update":
        data.update(_key_info_received(tx, r))
    r.state, r.settled_journal, r.detail = state, tx.journal.id, note or r.detail
    tx.s.add(r)
    data.update(state=state, account=account_view(a))
    return data


def _key_info_received(tx: Tx, r: BankRequest) -> dict:
    c = tx.customer(r.customer_code)
    row = tx.s.exec(select(BankKeyInfo).where(BankKeyInfo.customer_code == c.code, BankKeyInfo.bank == r.bank)).first()
    row = row or BankKeyInfo(customer_code=c.code, bank=r.bank, name=c.name, id_type=c.id_type, id_no=c.id_no)
    row.name, row.id_type, row.id_no, row.updated_on = c.name, c.id_type, c.id_no, tx.today
    tx.s.add(row)
    tx.s.flush()
    return {"pending_banks": sorted(tx.pending_banks(c) - {r.bank})}


def _result_message(r: BankRequest, data: dict) -> str:
    if r.kind == "key_update":
        msg = _("已发送{bank}，银行返回成功").format(bank=_(r.bank)) if r.state in DONE_OK else \
            _("发送{bank}未成功（{state}），该行资金账户的资金划转仍暂停").format(bank=_(r.bank), state=_(r.state))
        if data.get("pending_banks"):
            msg += _("；尚待发送：{banks}").format(banks=_("、").join(_(b) for b in data["pending_banks"]))
        return msg
    word = _("银行转证券") if r.kind == "transfer_in" else _("证券转银行")
    if r.state in DONE_OK:
        return _("{word} {amount} 元成功，资金账户 {no} 余额 {cash} 元").format(
            word=word, amount=R.y(r.amount), no=r.fund_account,
            cash=format_amount(int(Decimal(str(data["account"]["cash"])) * 100)))  # one format in one line
    return _("{word} {amount} 元未成功：{bank}返回“{state}”，资金未划转").format(
        word=word, amount=R.y(r.amount), bank=_(r.bank), state=_(r.state))


# --- functions ----------------------------------------------------------------------------------------
@function("3107")
def bank_answer(tx: Tx, p: Params) -> Done | dict:
    """The link records a request's progress: sent, the bank's answer, or no answer in time."""
    if tx.ctx.link is not _PASS or tx.ctx.channel != LINK:
        raise Refused(Rule.FORBIDDEN, _("银行应答只由银行接口记录，柜员不能录入"))
    r = _request(tx, p)
    event = p.choice("event", N_("事件"), ("sent", "answer", "no_answer"))
    if event == "sent":
        if r.state not in PENDING:
            raise BadInput(N_("请求号"), _("请求 {id} 已是“{s}”，不再发送").format(id=r.id, s=_(r.state)))
        r.state, r.attempts = SENT, r.attempts + 1
        tx.s.add(r)
        message = {"serial": r.id, "bank": r.bank, "kind": r.kind, "customer_code": r.customer_code,
                   "fund_account": r.fund_account, "amount": r.amount, "business_date": r.business_date}
        return Done({**_view(r), "message": message},
                    _("请求 {id} 已报送{bank}（第 {n} 次）").format(id=r.id, bank=_(r.bank), n=r.attempts))
    if event == "no_answer":
        if r.state in (NOT_SENT, SENT):
            r.state = TIMEOUT
            tx.s.add(r)
        held = _("，资金 {amount} 元保持冻结").format(amount=R.y(r.amount)) if r.kind == "transfer_out" else ""
        return Done(_view(r), _(
            "{bank}未在时限内应答：请求 {id} 为“超时”{held}。请在 6101 查询银行结果后调账（调为成功或调为失败，须主管复核），"
            "或由日终对账处理；不要重新办理，以免重复划转").format(bank=_(r.bank), id=r.id, held=held))
    result = p.choice("result", N_("应答结果"), (OK, FAILED))
    reason = p.text("reason", N_("原因"), required=False)
    if r.state not in PENDING:
        agrees = (result == OK) == (r.state in DONE_OK)
        r.detail = _("重复或迟到的应答（{res}），已忽略").format(res=_(result)) if agrees else \
            _("迟到的应答（{res}）与“{s}”不符，待日终对账").format(res=_(result), s=_(r.state))
        tx.s.add(r)
        return Done({**_view(r), "ignored": True, "reason": reason}, r.detail)
    data = settle(tx, r, result == OK, result, reason)
    data["reason"] = reason
    msg = _result_message(r, data)
    if result == FAILED and reason:
        msg += _("（银行原因：{why}）").format(why=_("余额不足") if reason == banksim.INSUFFICIENT else reason)
    if r.kind == "key_update" or result != OK:
        return Done(data, msg)
    # The compliance monitors look at a movement when it happens: here, when the bank has answered.
    return monitors.watch(tx, r.customer_code, Done(data, msg))


@function("6104")
def settle_bank_request(tx: Tx, p: Params) -> Done | dict:
    """6101's 调为成功 / 调为失败 for a request without a final answer, after the teller has checked
    with the bank; it takes effect when a supervisor approves it in 8102."""
    r = _request(tx, p)
    result = p.choice("result", N_("调账结果"), ("success", "fail"))
    if r.state not in PENDING:
        raise BadInput(N_("请求号"), _("请求 {id} 已是“{s}”，不需调账").format(id=r.id, s=_(r.state)))
    tx.require_papers([])
    if not tx.ctx.approving:
        tx.journal.inputs = {**tx.journal.inputs, "account": r.fund_account}
    pending = tx.review_gate(r.customer_code)
    if pending:
        return pending
    ok = result == "success"
    data = settle(tx, r, ok, SET_OK if ok else SET_FAILED, _("柜员调账"))
    return Done(data, _("请求 {id} 已{how}").format(id=r.id, how=_(r.state)) + "：" + _result_message(r, data))


@function("6105")
def resend_bank_request(tx: Tx, p: Params) -> Done | dict:
    """Send a request without a final answer again, with the same serial: the bank does it at most once."""
    r = _request(tx, p)
    if r.state not in PENDING:
        raise BadInput(N_("请求号"), _("请求 {id} 已是“{s}”，不需重发").format(id=r.id, s=_(r.state)))
    tx.require_papers([])
    tx.followups.append(lambda counter, outcome, ctx, rid=r.id: send(counter, outcome, ctx, rid))
    return Done(_view(r), _("请求 {id} 重新发送{bank}").format(id=r.id, bank=_(r.bank)))


# --- day-end ------------------------------------------------------------------------------------------
def reconcile(tx: Tx) -> None:
    """Day-end settles every request still open against the bank's statement of its day, and
    corrects a final state the statement contradicts: a 冲正 that names the journal line whose
    movement it reverses, or a 补记 of what the bank did. A correction the client's money cannot
    cover is left for the branch to handle, named in the request's detail."""
    rows = tx.s.exec(select(BankRequest).where(BankRequest.business_date <= tx.today)
                     .where((BankRequest.state.in_(PENDING)) | (BankRequest.business_date == tx.today))
                     .order_by(BankRequest.id)).all()
    statements: dict = {}
    for i, r in enumerate(rows):
        if i % 500 == 0:
            tx.progress(_("银行对账"), i, len(rows))
        key = (r.bank, r.business_date)
        if key not in statements:
            statements[key] = banksim.statement(tx.s, r.bank, r.business_date)
        line = statements[key].get(r.id)
        bank_ok = line is not None and line.result == OK
        if r.state in PENDING:
            settle(tx, r, bank_ok, SET_OK if bank_ok else SET_FAILED, _("日终对账"))
        elif (r.state in DONE_OK) != bank_ok and r.kind != "key_update":
            _correct(tx, r, bank_ok)


def _correct(tx: Tx, r: BankRequest, bank_ok: bool) -> None:
    a = tx.account(r.fund_account)
    into_broker = (r.kind == "transfer_in") == bank_ok  # 补记 of an in, or 冲正 of an out
    if not into_broker and R.available(a) < r.amount:
        r.detail = _("日终对账不符：银行{what}，资金不足以更正，须营业部人工处理").format(
            what=_("已办理") if bank_ok else _("无此笔"))
        tx.s.add(r)
        return
    a.cash += r.amount if into_broker else -r.amount
    a.version += 1
    tx.s.add(a)
    base = "bank_" + r.kind.removeprefix("transfer_")
    tx.s.add(Movement(journal_id=tx.journal.id, business_date=tx.today, customer_code=a.customer_code,
                      fund_account=a.no, kind=base if bank_ok else base + "_reversal", amount=r.amount,
                      counterpart=a.bank, channel="counter", reverses=None if bank_ok else r.applied_journal))
    if bank_ok:
        r.state, r.applied_journal, r.detail = SET_OK, tx.journal.id, _("日终对账补记")
    else:
        r.state, r.detail = SET_FAILED, _("日终对账冲正第 {j} 号流水").format(j=r.applied_journal)
    r.settled_journal = tx.journal.id
    tx.s.add(r)

