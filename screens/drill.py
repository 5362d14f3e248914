"""A drill, or a recording, at the counter (9103): the ordinary counter frame, every function and
form as usual, working on a sandbox store instead of the branch's.

Recording: a trainer does the procedure once on a sandbox seeded from the demo branch or a scenario
file; F3 on the menu stops it and writes a drill file (teller.training.recording) to edit and use.

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


def start_drill(node, prepared, *, guided: bool) -> None:  # noqa: ANN001
    """The drill's sandbox is seeded in a worker (it is a store), then its counter opens."""
    from teller.screens.training import in_background
    from teller.training.grading import DrillSession

    app, who = node.app, node.app.signed_on

    def opened(session) -> None:  # noqa: ANN001
        if isinstance(session, Exception):
            app.notify(str(session), severity="error")
        else:
            app.push_screen(DrillCounterScreen(session, guided=guided))

    in_background(node, lambda: DrillSession(prepared, trainee=who.teller_id, name=who.name), opened)


def start_recording(node, text: str, source: str, failed) -> None:  # noqa: ANN001
    """A recording on a sandbox seeded (in a worker) from `text`; it replaces `node`'s screen.
    `failed(problems)` when `text` is not a scenario."""
    from teller.scenario import ScenarioError
    from teller.screens.training import in_background
    from teller.training.recording import Recording

    app, who = node.app, node.app.signed_on

    def opened(session) -> None:  # noqa: ANN001
        if isinstance(session, ScenarioError):
            failed(session.problems)
        elif isinstance(session, Exception):
            failed([str(session)])
        else:
            app.switch_screen(RecordingScreen(session))

    in_background(node, lambda: Recording(text, source, recorder=who.teller_id, name=who.name), opened)


class DrillCounter:
    """Looks like a Counter to the function views; runs each call in the sandbox session."""

    def __init__(self, session, screen: "SandboxScreen") -> None:  # noqa: ANN001
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


class SandboxScreen(CounterScreen):
    """The counter frame on a sandbox store, with a banner above the work area."""

    def __init__(self, session) -> None:  # noqa: ANN001
        super().__init__()
        self.session = session
        self.started = datetime.now()

    def banner(self) -> Text:
        raise NotImplementedError

    def on_mount(self) -> None:
        app = self.app
        self.branch = (app.counter, app.engine, app.signed_on)
        app.counter, app.engine = DrillCounter(self.session, self), self.session.counter.engine
        app.signed_on = replace(app.signed_on, role="teller")  # a trainer practises as a teller
        self.warning = Static("", id="drill-warning", markup=False, classes="-warn")
        self.mount(Static(self.banner(), id="drill-task", markup=False), self.warning, before=self.query_one("#body"))
        # CounterScreen.on_mount runs after this one (Textual calls each class's handler), on the sandbox.

    def restore(self) -> None:
        if getattr(self, "branch", None) is not None:
            self.app.counter, self.app.engine, self.app.signed_on = self.branch
            self.branch = None

    def after_act(self) -> None:
        pass

    def on_unmount(self) -> None:
        self.restore()

    def ending(self) -> tuple[str, str]:
        """The title and the question of the dialog that ends the session."""
        raise NotImplementedError

    def end(self) -> None:
        raise NotImplementedError

    async def action_leave(self) -> None:
        """F3 closes the function, as at the counter; on the menu it asks, then ends the session."""
        if self.view is not None:
            await self.close_function()
            return
        from teller.screens.dialogs import QuestionDialog

        def done(yes: bool | None) -> None:
            if yes:
                self.end()

        title, question = self.ending()
        self.app.push_screen(QuestionDialog(title, [question]), done)


class DrillCounterScreen(SandboxScreen):
    """The counter frame with the drill's task above the work area."""

    def __init__(self, session, *, guided: bool) -> None:  # noqa: ANN001
        super().__init__(session)
        self.guided = guided

    def banner(self) -> Text:
        drill = self.session.drill
        mode = _("引导模式：F1 看下一步提示") if self.guided else _("评分模式：结束后逐项评分")
        return Text(_("演练 {id} {title}（{mode}；在菜单上按 F3 结束演练）").format(id=drill.id, title=drill.title, mode=mode),
                    style="bold") + Text("\n" + drill.task)

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

    def ending(self) -> tuple[str, str]:
        return _("结束演练"), _("结束演练 {id} 并评分？").format(id=self.session.drill.id)

    def end(self) -> None:
        from teller.screens.training import record
        from teller.training.results import drill_params

        grade = self.session.finish()
        self.restore()
        result = DrillResultScreen(self.session, grade, _("正在记录成绩……"))
        self.app.switch_screen(result)
        record(result, drill_params(grade, self.started, datetime.now()), result.stored_as)


class RecordingScreen(SandboxScreen):
    """A trainer's recording: the counter on a sandbox; F3 on the menu stops and writes the drill."""

    def banner(self) -> Text:
        return Text(_("录制演练（起始状态：{source}）：照常办理业务；在菜单上按 F3 结束录制并生成演练文件").format(
            source=self.session.source), style="bold")

    def after_act(self) -> None:
        from teller.training.drills import function_code

        acts = [a for a in self.session.acts if a.ok and a.writes]
        self.warning.update(_("已录制 {n} 步：{steps}").format(
            n=len(acts), steps=" → ".join(function_code(a.op) or a.op for a in acts[-8:])) if acts else "")

    def ending(self) -> tuple[str, str]:
        steps = len([a for a in self.session.acts if a.ok and a.writes])
        return _("结束录制"), _("结束录制并生成演练文件？已录制 {n} 步。").format(n=steps)

    def end(self) -> None:
        from teller.screens.training import in_background

        self.say(_("正在生成演练文件……"))
        in_background(self, self.session.save, self.saved)

    def saved(self, path) -> None:  # noqa: ANN001
        self.restore()
        if isinstance(path, Exception):
            self.app.switch_screen(RecordedScreen(None, str(path)))
        else:
            self.app.switch_screen(RecordedScreen(path, ""))


class RecordedScreen(TranslatedBindings, Screen[None]):
    """Where the recorded drill was written, and what it checks."""

    BINDINGS = bindings("leave")

    def __init__(self, path, error: str) -> None:  # noqa: ANN001
        super().__init__()
        self.path, self.error = path, error

    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll

        with VerticalScroll(id="drill-result"):
            yield Static(self.describe(), id="grade", markup=False)
        yield Static(_("F3 返回"), id="message", markup=False)
        yield KeyLegend()

    def describe(self) -> Text:
        if self.path is None:
            return Text(_("演练文件没有生成：{e}").format(e=self.error), style="bold")
        from teller.training.drills import DrillError
        from teller.training.grading import load_drill

        try:
            d = load_drill(self.path)
        except DrillError as e:
            return Text(_("演练文件已写出，但读回时有问题：\n{p}").format(p="\n".join(e.problems)))
        text = Text(_("演练文件已写出：{path}").format(path=self.path), style="bold")
        text.append("\n\n" + _("{id} {title}：{steps} 步标准做法，{checks} 个检查项").format(
            id=d.id, title=d.drill.title, steps=len(d.solution), checks=len(d.drill.checks)))
        for c in d.drill.checks:
            text.append(f"\n  {c.id}  {c.kind}")
        text.append("\n\n" + _("请在文件中改写题目、任务和各检查项的说明，并写上依据（sources）；"
                               "之后可在 9103 的演练列表中选用（编号后带 *），或用 teller drill grade 评分。"))
        return text

    def on_mount(self) -> None:
        self.query_one("#drill-result").focus()

    def action_leave(self) -> None:
        self.dismiss(None)


class DrillResultScreen(TranslatedBindings, Screen[None]):
    """Each check: met or missed, what was found, and for a miss the rule and its source."""

    BINDINGS = bindings("leave")

    def __init__(self, session, grade, stored: str) -> None:  # noqa: ANN001
        super().__init__()
        self.session, self.grade, self.stored = session, grade, stored

    def stored_as(self, said: str) -> None:
        self.stored = said
        if self.is_mounted:
            self.query_one("#message", Static).update(said + "  " + _("F3 返回"))

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
