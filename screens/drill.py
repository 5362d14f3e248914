"""A drill at the counter (9103): the ordinary counter frame, every function and form as usual,
working on the drill's sandbox store instead of the branch's.

While the drill runs, the app's counter and engine are the sandbox's, so every function view works
unchanged; the trainee is known to the sandbox as a teller. Guided mode: F1 shows the next step of
the model run and a wrong step is warned about at once. Graded mode: nothing until the end. F3 on
the menu ends the drill: each check is scored and explained, and the result is stored in the
branch's training records through 9103. A request that needs a second person (8102) is approved at
once by the sandbox's supervisor S00, since a trainee cannot approve their own work.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from teller.i18n import _
from teller.screens.counter import CounterScreen
from teller.screens.keymap import TranslatedBindings, bindings
from teller.screens.legend import KeyLegend


def start_drill(app, prepared, *, guided: bool) -> None:  # noqa: ANN001
    from teller.training.grading import DrillSession

    who = app.signed_on
    session = DrillSession(prepared, trainee=who.teller_id, name=who.name)
    app.push_screen(DrillCounterScreen(session, guided=guided))


class DrillCounter:
    """Looks like a Counter to the function views; runs each call in the drill session."""

    def __init__(self, session, screen: "DrillCounterScreen") -> None:  # noqa: ANN001
        self.session = session
        self.screen = screen
        self.engine = session.counter.engine

    def preview(self, op: str, params: dict | None = None, ctx=None):  # noqa: ANN001, ANN201
        return self.session.counter.preview(op, params, ctx)

    def run(self, op: str, params: dict | None = None, ctx=None):  # noqa: ANN001, ANN201
        outcome = self.session.run(op, dict(params or {}), ctx)
        if outcome.ok and outcome.data.get("status") == "pending_review":
            approval = self.session.run("review", {"approve": outcome.data["review_id"]},
                                        replace(ctx, teller_id="S00", documents=frozenset(), agent=False))
            outcome = replace(outcome, message=outcome.message + "\n" + _("（演练：主管 S00 已在 8102 批准）") + approval.message)
        self.screen.after_act()
        return outcome


class DrillCounterScreen(CounterScreen):
    """The counter frame with the drill's task above the work area."""

    def __init__(self, session, *, guided: bool) -> None:  # noqa: ANN001
        super().__init__()
        self.session = session
        self.guided = guided
        self.started = datetime.now()

    def on_mount(self) -> None:
        app = self.app
        self.branch = (app.counter, app.engine, app.signed_on)
        app.counter, app.engine = DrillCounter(self.session, self), self.session.counter.engine
        app.signed_on = replace(app.signed_on, role="teller")  # a trainer practises as a teller
        drill = self.session.drill
        mode = _("引导模式：F1 看下一步提示") if self.guided else _("评分模式：结束后逐项评分")
        task = Text(_("演练 {id} {title}（{mode}；在菜单上按 F3 结束演练）").format(id=drill.id, title=drill.title, mode=mode),
                    style="bold") + Text("\n" + drill.task)
        self.warning = Static("", id="drill-warning", markup=False, classes="-warn")
        self.mount(Static(task, id="drill-task", markup=False), self.warning, before=self.query_one("#body"))
        # CounterScreen.on_mount runs after this one (Textual calls each class's handler), on the sandbox.

    def restore(self) -> None:
        if getattr(self, "branch", None) is not None:
            self.app.counter, self.app.engine, self.app.signed_on = self.branch
            self.branch = None

    def after_act(self) -> None:
        """Guided mode: what the last step did wrong, at once."""
        if not self.guided:
            return
        warned = self.session.warnings()
        self.warning.update("\n".join("⚠ " + w for w in warned))

    def action_help(self) -> None:
        from teller.screens.dialogs import HelpDialog

        if not self.guided:
            self.say(_("评分模式没有提示：结束演练后逐项评分"), "warn")
            return
        view = self.view
        text = self.session.hint()
        if view is not None and view.help_text():
            text += "\n\n" + view.help_text()
        self.app.push_screen(HelpDialog(_("演练提示"), text))

    async def action_leave(self) -> None:
        if self.view is not None:
            await self.close_function()
            return
        from teller.screens.dialogs import ConfirmDialog

        def done(yes: bool | None) -> None:
            if yes:
                self.finish()

        self.app.push_screen(ConfirmDialog(_("结束演练"), [_("结束演练 {id} 并评分？").format(id=self.session.drill.id)]), done)

    def finish(self) -> None:
        from teller.screens.training import record
        from teller.training.results import drill_params

        grade = self.session.finish()
        self.restore()
        stored = record(self.app, drill_params(grade, self.started, datetime.now()))
        self.app.switch_screen(DrillResultScreen(self.session, grade, stored))

    def on_unmount(self) -> None:
        self.restore()


class DrillResultScreen(TranslatedBindings, Screen[None]):
    """Each check: met or missed, what was found, and for a miss the rule and its source."""

    BINDINGS = bindings("leave")

    def __init__(self, session, grade, stored: str) -> None:  # noqa: ANN001
        super().__init__()
        self.session, self.grade, self.stored = session, grade, stored

    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll

        with VerticalScroll(id="drill-result"):
            yield Static(self.render_grade(), id="grade", markup=False)
        yield Static(self.stored + "  " + _("F3 返回"), id="message", markup=False)
        yield KeyLegend()

    def on_mount(self) -> None:
        self.query_one("#drill-result").focus()

    def render_grade(self) -> Group:
        g = self.grade
        verdict = _("通过") if g.passed else _("未通过")
        head = Text(_("演练 {id} {title}：得分 {score} / {total}，{verdict}").format(
            id=g.drill, title=self.session.drill.title, score=f"{g.score:g}", total=f"{g.total:g}", verdict=verdict),
            style="bold green" if g.passed else "bold red")
        table = Table(show_lines=True, expand=True)
        for head_text, ratio in (("", 1), (_("检查项"), 4), (_("分值"), 2), (_("结果"), 12)):
            table.add_column(head_text, ratio=ratio, overflow="fold")
        for r in g.results:
            said = r.detail if r.passed else f"{r.detail}\n{r.check.explain}"
            table.add_row("✓" if r.passed else "✗", r.check.id, f"{r.earned:g}/{r.check.points:g}", said,
                          style=None if r.passed else "red")
        return Group(head, table)

    def action_leave(self) -> None:
        self.dismiss(None)
