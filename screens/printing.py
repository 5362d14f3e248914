"""Printing at the counter (README "Papers"), two keys of the counter frame (keymap.py):

- F6 / Ctrl+O 打印回单: the 业务回单 (a 3106 line's 资金利息归本单) of the line on the result line,
  or, in a list with a 流水号 column (6101, 6103, 8101), of the highlighted row. It is function 8103
  (journalled; a copy after the first is marked 补打), run as if typed at 8103.
- F7 / Ctrl+Y 预印申请表: the application forms the function needs for the values typed, pre-filled
  for the client to check and sign (teller.services.papers.prefill), before F8. Nothing is committed;
  the teller still ticks each paper when it comes back signed.

Both run off the UI thread (`lp` may take its 20 s): the message line says what became of each paper
(已打印 only when lp took it, else where it was spooled) when the worker is done.
"""

from __future__ import annotations

from textual.widgets import DataTable

from teller.i18n import _
from teller.screens.form import FormView, refusal_line


def journal_on_screen(view) -> int | None:  # noqa: ANN001 - a FunctionView
    """The journal number the teller is looking at: the highlighted row of a result list that has a
    流水号 column, else the line on the result line (the last committed one of this form)."""
    table = view.screen.focused
    if isinstance(table, DataTable) and table.id and table.id.startswith("result-") and table.row_count:
        results = getattr(view.form, "results", ())
        i = int(table.id.split("-", 1)[1])
        columns = [c.key for c in results[i].columns] if i < len(results) else []
        if "journal" in columns:
            cell = str(table.get_row_at(table.cursor_row)[columns.index("journal")])
            return int(cell) if cell.strip().isdigit() else None
    return getattr(view, "last_journal", None)


def print_receipt(screen, view) -> None:  # noqa: ANN001 - the CounterScreen and its view
    journal = journal_on_screen(view) if view is not None else None
    if not journal:
        screen.say(_("结果行没有已办理的业务，没有可打印的回单；在 6101、6103 列表中选中一行，或用 8103 按流水号打印"), "error")
        return
    app, counter = screen.app, screen.app.counter
    ctx = app.context(documents=None)

    def job() -> None:
        from teller.services.papers import print_copy

        o = print_copy(counter, counter.printer, journal, ctx)
        line = ("✔ " + o.message + _("（流水号 {j}）").format(j=o.journal_id), "ok") if o.ok else (refusal_line(o), "error")
        app.call_from_thread(screen.say, *line)

    screen.say(_("正在打印流水 {n} 的回单…").format(n=journal))
    screen.run_worker(job, thread=True, group="papers")


def print_forms(screen, view) -> None:  # noqa: ANN001
    if not isinstance(view, FormView) or getattr(view.form, "query", False):
        screen.say(_("本功能没有预印的申请表"), "error")
        return
    bad = view.first_error()
    if bad:
        view.input_of(bad[0].name).focus()
        screen.say(bad[1], "error")
        return
    params, agent = view.call()
    values = view.values()
    typed = [(_(f.label), f.shown_value(values[f.name])) for f in view.fields() if values.get(f.name)]
    app, counter, op = screen.app, screen.app.counter, view.form.op
    ctx = app.context(documents=None, agent=agent)

    def job() -> None:
        from teller.printing.output import Printer
        from teller.services.papers import prefill

        outcome, sheets = prefill(counter, op, params, ctx, typed)
        if not outcome.ok:
            line = (refusal_line(outcome), "error")
        elif not sheets:
            line = (_("按所填内容，本业务没有须柜台预印的申请表"), "info")
        else:
            printer = counter.printer or Printer.from_env()
            said = [printer.issue(s).message(_("《{title}》").format(title=s.title)) for s in sheets]
            line = ("✔ " + _("预印申请表，客户签字交回后在资料清单中勾选：") + _("；").join(said), "ok")
        app.call_from_thread(screen.say, *line)

    screen.say(_("正在预印申请表…"))
    screen.run_worker(job, thread=True, group="papers")
