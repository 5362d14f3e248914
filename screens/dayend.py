"""9101 日终处理 on the counter. Day-end is the one batch over every client: on a branch of a few
hundred clients it takes a moment and runs at once; on a firm-sized store (a million clients: tens
of seconds) it runs behind a progress bar, in a worker, so the counter keeps drawing. It is not
previewed (a preview would do the whole batch once more only to roll it back): the confirmation
says what it will do, and first lists what is still open (requests waiting for review, requests to
a bank not yet answered) and asks: the teller goes on with Enter or goes back with F12 (issue 10
item 8). Decided: open items do not stop day-end (the branch may have to close with a bank silent);
they are named so it is never done without a word."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.widgets import ProgressBar, Static

from teller.forms.menu import title_of
from teller.i18n import _
from teller.screens import fmt
from teller.screens.form import FormView
from teller.screens.views import register_view


@register_view("9101")
class DayEndView(FormView):
    # Clients above which day-end runs behind the progress bar.
    LONG = 20_000

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.running = False

    def compose_tail(self) -> ComposeResult:
        yield Static("", id="dayend-step", markup=False)
        yield ProgressBar(id="dayend-bar", total=1, show_eta=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#dayend-bar").display = False

    def submit(self) -> None:
        from teller.services import reads
        from teller.services.dayend import left_open

        if self.running:
            self.say(_("日终正在处理，请等待进度完成"))
            return
        if self.waiting():
            return
        engine, counter = self.app.engine, self.counter
        # What is still open, read off the UI thread; the confirmation lists it (issue 10 item 8).
        # So is the number of clients, which decides how day-end runs (_decided).
        self.store_call("submit", lambda: (reads.branch_status(engine)["business_date"], left_open(counter), reads.client_count(engine)),
                        self._ask)

    def _ask(self, result: tuple) -> None:
        from teller.screens.dialogs import ConfirmDialog

        day, still, self.clients = result
        title = _("{code} {title}：请核对后确认").format(code=self.code, title=_(title_of(self.code)))
        body = [_("结束营业日 {d}：各资金账户的资金余额计入利息积数，清除当日不可取金额，运行合规监控与银行对账，"
                  "营业日期移到下一交易日。").format(d=fmt.day(day)),
                _("日终处理期间，其他柜员提交的业务须等待日终完成。")]
        self.app.push_screen(ConfirmDialog(title, open_lines(still) + body), self._decided)

    def _decided(self, yes: bool | None) -> None:
        if not yes:
            self.say(_("未提交；可修改后再按 F8"))
            return
        ctx = self.app.context(documents=frozenset())
        if self.clients < self.LONG:
            counter = self.counter
            self.store_call("submit", lambda: counter.run("end_of_day", {}, ctx), self.committed)
            return
        self.running = True
        self.query_one("#dayend-bar").display = True
        self.say(_("日终处理中……"))
        self.run_worker(lambda: self._run(ctx), thread=True, exclusive=True, group="day-end", exit_on_error=False)

    def _run(self, ctx) -> None:  # noqa: ANN001 - a Context; in the worker thread
        def progress(step: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, step, done, total)

        try:
            outcome = self.counter.run("end_of_day", {}, replace(ctx, progress=progress))
        except Exception as e:  # noqa: BLE001 - the teller sees it; the batch rolled back whole
            self.app.call_from_thread(self._failed, str(e))
            return
        self.app.call_from_thread(self._done, outcome)

    def _progress(self, step: str, done: int, total: int) -> None:
        self.query_one("#dayend-step", Static).update(step)
        self.query_one("#dayend-bar", ProgressBar).update(total=max(total, 1), progress=done)

    def _done(self, outcome) -> None:  # noqa: ANN001 - an Outcome
        self.running = False
        self.query_one("#dayend-bar", ProgressBar).update(progress=self.query_one("#dayend-bar", ProgressBar).total)
        self.show_outcome(outcome)

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#dayend-bar").display = False
        self.say(_("日终未完成，已全部撤回：{e}").format(e=message), "error")


def open_lines(still: dict) -> list[str]:
    """The confirmation's first lines when reviews or bank requests are still open: each listed, and
    what day-end does with it, so the teller asks the supervisor or the bank first, or goes on."""
    from teller.domain.money import format_amount

    reviews, requests = still.get("reviews") or [], still.get("requests") or []
    out: list[str] = []
    if reviews:
        lines = [_("注意：还有 {n} 笔业务待复核，日终后仍留在 8102 待复核：").format(n=len(reviews))]
        for r in reviews:
            parts = [_("复核号 {id}").format(id=r["id"]), r["function"], _("客户 {c}").format(c=r["customer"])]
            if r.get("change"):
                parts.append(r["change"])
            parts.append(_("提交 {t}").format(t=r["requested_by"]))
            lines.append("  " + "  ".join(parts))
        out.append("\n".join(lines))
    if requests:
        lines = [_("注意：还有 {n} 笔银行请求未得到答复，日终按银行对账单调为成功或调为失败：").format(n=len(requests))]
        for q in requests:
            parts = [_("请求号 {id}").format(id=q["id"]), fmt.label(q["kind"]), _("客户 {c}").format(c=q["customer"]),
                     _(q["bank"])]
            if q.get("amount"):
                parts.append(format_amount(int(q["amount"])))
            parts.append(fmt.label(q["state"]))
            lines.append("  " + "  ".join(parts))
        out.append("\n".join(lines))
    if out:
        out.append(_("确认仍要日终请按回车或 F8；先处理请按 F12 返回"))
    return out
