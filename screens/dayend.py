"""9101 日终处理 on the counter. Day-end is the one batch over every client: on a branch of a few
hundred clients it takes a moment and runs at once; on a firm-sized store (a million clients: tens
of seconds) it runs behind a progress bar, in a worker, so the counter keeps drawing. It is not
previewed (a preview would do the whole batch once more only to roll it back): the confirmation
says what it will do."""

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
        from teller.screens.dialogs import ConfirmDialog
        from teller.services import reads

        if self.running:
            self.say(_("日终正在处理，请等待进度完成"))
            return
        if self.waiting():
            return
        day = reads.branch_status(self.app.engine)["business_date"]
        title = _("{code} {title}：请核对后确认").format(code=self.code, title=_(title_of(self.code)))
        body = [_("结束营业日 {d}：各资金账户的资金余额计入利息积数，清除当日不可取金额，运行合规监控与银行对账，"
                  "营业日期移到下一交易日。").format(d=fmt.day(day)),
                _("日终处理期间，其他柜员提交的业务须等待日终完成。")]
        self.app.push_screen(ConfirmDialog(title, body), self._decided)

    def _decided(self, yes: bool | None) -> None:
        from teller.services import reads

        if not yes:
            self.say(_("未提交；可修改后再按 F8"))
            return
        ctx = self.app.context(documents=frozenset())
        if reads.client_count(self.app.engine) < self.LONG:
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
