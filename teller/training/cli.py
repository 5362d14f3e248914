"""`teller exam`, `teller exam practice`, `teller exam import`, `teller drill …` and `teller report`.

Thin, like teller/cli.py: options in, the training library and the 9103 function do the work.
Heavy modules (the store, the services) are imported inside the command that needs them. The exam
and practice here are a plain keyboard prompt loop; the counter's 9103 screens are the full version.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Optional

import typer

from teller.i18n import _, set_language

exam_app = typer.Typer(help="The branch exam (9103): sit it, practise, import a trainer's bank.")
drill_app = typer.Typer(help="Guided drills (9103): list them, grade a list of steps.")

DbOption = typer.Option(None, "--db", envvar="TELLER_DB", help="Database URL (default: SQLite in the user data dir).")
LangOption = typer.Option(None, "--lang", envvar="TELLER_LANG", help="zh_CN (default) or en.")
TraineeOption = typer.Option("T00", "--trainee", help="The teller id the result is stored under.")


def register(app: typer.Typer) -> None:
    app.add_typer(exam_app, name="exam")
    app.add_typer(drill_app, name="drill")
    app.command("report")(report)


def _console():  # noqa: ANN202
    from rich.console import Console

    return Console(highlight=False)


def _open(db: str | None):  # noqa: ANN202
    """The counter on the store the results go to (created on first use, as the counter does)."""
    from teller.services.counter import Counter
    from teller.services.setup import init_store
    from teller.store.db import default_db_url, make_engine

    engine = make_engine(db or default_db_url())
    init_store(engine, date.today())
    return Counter(engine)


def _ctx(teller: str):  # noqa: ANN202
    from teller.services.base import Context

    return Context(teller_id=teller, terminal="CLI")


def _record(counter, trainee: str, params: dict, console) -> bool:  # noqa: ANN001
    outcome = counter.run("9103", params, _ctx(trainee))
    console.print(outcome.message if outcome.ok else f"[{outcome.rule}] {outcome.message}", markup=False)
    return outcome.ok


def _may_record(counter, trainee: str, console) -> bool:  # noqa: ANN001
    """Ask the 9103 function, without writing anything, whether this trainee's result can be stored."""
    probe = {"action": "record", "kind": "exam", "subject": "-", "started": datetime.now().isoformat(),
             "finished": datetime.now().isoformat(), "items": []}
    outcome = counter.preview("9103", probe, _ctx(trainee))
    if not outcome.ok:
        console.print(f"[{outcome.rule}] {outcome.message}", markup=False)
    return outcome.ok


def _bank(counter, bank: str | None):  # noqa: ANN001, ANN202
    from teller.services.training import imported_bank
    from teller.training.bank import load_bank, parse_bank

    if bank is None:
        return load_bank()
    if Path(bank).is_file():
        return load_bank(bank)
    row = imported_bank(counter.engine, bank)
    if row is None:
        raise typer.BadParameter(_("没有名为 {name} 的已导入题库，也没有这个文件").format(name=bank), param_hint="--bank")
    return parse_bank(row.text, source=row.name)


def _show_question(console, q, n: int, total: int, remaining: str | None = None) -> None:  # noqa: ANN001
    from teller.training.present import question_text

    console.print()
    console.print(question_text(q, n, total, _("剩余时间 {t}").format(t=remaining) if remaining else "", answer_hint=False))


def _ask(q, prompt: Callable[[str], str], console):  # noqa: ANN001, ANN202
    """The trainee's answer, asked again until it is one; None when they press Enter to skip."""
    from teller.training.exam import AnswerError, parse_answer

    hint = _("答案（对/错，回车跳过）") if q.kind == "truefalse" else _("答案（字母，回车跳过）")
    while True:
        text = prompt(hint)
        if not text.strip():
            return None
        try:
            return parse_answer(q, text)
        except AnswerError as e:
            console.print(str(e), style="yellow", markup=False)


class _HandIn(Exception):
    """End of input (Ctrl+D) or Ctrl+C: the paper is handed in as it stands."""


def _prompt(label: str) -> str:
    try:
        return input(_("{label}： ").format(label=label))
    except (EOFError, KeyboardInterrupt):
        raise _HandIn() from None


def _mmss(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60:02d}:{s % 60:02d}"


@exam_app.callback(invoke_without_command=True)
def exam(
    ctx: typer.Context,
    trainee: str = TraineeOption,
    items: Optional[int] = typer.Option(None, "--items", min=1, help="Draw this many items at random (default: the whole paper)."),
    minutes: float = typer.Option(60, "--minutes", min=1, help="Time allowed."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed for drawing items, to repeat a paper."),
    bank: Optional[str] = typer.Option(None, "--bank", help="An imported bank's name, or a bank file (default: the shipped exam)."),
    db: Optional[str] = DbOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Sit the exam: timed, scored as the user's paper, a review of every wrong item at the end."""
    if lang:
        set_language(lang)
    if ctx.invoked_subcommand is not None:
        return
    import random

    from teller.training.exam import Exam, select_items
    from teller.training.present import opening_line, review_table, score_line
    from teller.training.results import exam_params

    console = _console()
    counter = _open(db)
    if not _may_record(counter, trainee, console):
        raise typer.Exit(2)
    paper = _bank(counter, bank)
    questions = select_items(paper.questions, items, random.Random(seed))
    sitting = Exam(questions, minutes=minutes)
    console.print(opening_line(paper, questions, minutes), markup=False)
    for n, q in enumerate(questions, 1):
        _show_question(console, q, n, len(questions), _mmss(sitting.remaining().total_seconds()))
        try:
            given = _ask(q, _prompt, console)
        except _HandIn:
            console.print()
            break
        if sitting.expired:
            console.print(_("时间到，此题及以后的答案不计"), style="red", markup=False)
            break
        if given is not None:
            sitting.answer(q.id, given)
    result = sitting.finish()
    console.print()
    console.print(score_line(result), style="bold", markup=False)
    if result.wrong:
        console.print(review_table(result.wrong))
    _record(counter, trainee, exam_params(result, paper.title), console)


@exam_app.command("practice")
def practice(
    trainee: str = TraineeOption,
    count: int = typer.Option(10, "--count", min=1, help="How many items to practise."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed for choosing items."),
    bank: Optional[str] = typer.Option(None, "--bank", help="An imported bank's name, or a bank file."),
    db: Optional[str] = DbOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Practise one item at a time, marked at once; items you missed before come back more often.
    Press Enter on an empty answer to stop."""
    if lang:
        set_language(lang)
    import random

    from teller.services.training import practice_history
    from teller.training.exam import Practice
    from teller.training.present import feedback, practice_line
    from teller.training.results import practice_params

    console = _console()
    counter = _open(db)
    if not _may_record(counter, trainee, console):
        raise typer.Exit(2)
    paper = _bank(counter, bank)
    session = Practice(paper.questions, rng=random.Random(seed), history=practice_history(counter.engine, trainee))
    for n in range(1, count + 1):
        q = session.next()
        _show_question(console, q, n, count)
        try:
            given = _ask(q, _prompt, console)
        except _HandIn:
            given = None
        if given is None:
            break
        console.print(feedback(session.answer(given)))
    if session.answered:
        console.print(practice_line(session.answered), style="bold", markup=False)
        _record(counter, trainee, practice_params(session, paper.title, datetime.now()), console)


@exam_app.command("import")
def import_bank(
    file: Path = typer.Argument(..., help="The bank, a TOML file in the format of data/questions/exam.toml."),
    name: Optional[str] = typer.Option(None, "--name", help="Name to use it by (default: the file's name without .toml)."),
    teller: str = typer.Option("S00", "--teller", help="Who imports it: a trainer or a supervisor."),
    db: Optional[str] = DbOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Check a trainer's own bank and store it; every malformed item is reported with its line.
    Exit 2 when the bank has problems (nothing is stored), 1 when the store refuses it."""
    if lang:
        set_language(lang)
    from teller.training.bank import BankError, load_bank

    try:
        bank = load_bank(file)
    except BankError as e:
        typer.echo(_("题库 {source} 有 {count} 处问题：").format(source=e.source, count=len(e.problems)), err=True)
        for p in e.problems:
            typer.echo(str(p), err=True)
        raise typer.Exit(2) from None
    counter = _open(db)
    params = {"action": "import_bank", "name": name or file.stem, "text": file.read_text(encoding="utf-8-sig")}
    outcome = counter.run("9103", params, _ctx(teller))
    if not outcome.ok:
        typer.echo(f"[{outcome.rule}] {outcome.message}", err=True)
        raise typer.Exit(1)
    typer.echo(outcome.message)
    typer.echo(_("单选 {s} 题、多选 {m} 题、判断 {t} 题，满分 {total} 分；用 teller exam --bank {name} 考试").format(
        s=len(bank.of_kind("single")), m=len(bank.of_kind("multiple")), t=len(bank.of_kind("truefalse")),
        total=f"{bank.total_points:g}", name=params["name"]))


@drill_app.command("list")
def drill_list(lang: Optional[str] = LangOption) -> None:
    """The shipped drills: id, title, steps of the model run, checks, the exam items they practise."""
    if lang:
        set_language(lang)
    from rich.table import Table

    from teller.training.grading import shipped_drills

    table = Table(title=_("培训演练"), title_justify="left")
    for head, justify in ((_("编号"), "left"), (_("演练"), "left"), (_("步骤"), "right"), (_("检查项"), "right"),
                          (_("对应试题"), "left")):
        table.add_column(head, justify=justify, overflow="fold")
    drills = shipped_drills()
    for d in drills:
        table.add_row(d.id, d.drill.title, str(len(d.solution)), str(len(d.drill.checks)), " ".join(d.drill.questions))
    _console().print(table)
    typer.echo(_("共 {n} 个演练").format(n=len(drills)))


def _find(drill_id: str):  # noqa: ANN202
    from teller.training.drills import DrillError
    from teller.training.grading import find_drill

    try:
        return find_drill(drill_id)
    except KeyError:
        typer.echo(_("没有演练 {id}：teller drill list 列出全部演练").format(id=drill_id), err=True)
        raise typer.Exit(2) from None
    except DrillError as e:
        for p in e.problems:
            typer.echo(p, err=True)
        raise typer.Exit(2) from None


@drill_app.command("show")
def drill_show(
    drill_id: str = typer.Argument(..., metavar="ID"),
    solution: bool = typer.Option(False, "--solution", help="Also show the model run, step by step."),
    lang: Optional[str] = LangOption,
) -> None:
    """A drill's task as the client tells it (and, for trainers, its model run)."""
    if lang:
        set_language(lang)
    from teller.training.drills import hint_text
    from teller.training.grading import show_function

    d = _find(drill_id)
    console = _console()
    console.print(f"{d.id} {d.drill.title}", style="bold", markup=False)
    console.print(d.drill.task, markup=False)
    if solution:
        for n, (step, hint) in enumerate(zip(d.solution, d.drill.hints), 1):
            console.print(_("{n}. {fn}：{hint}").format(n=n, fn=show_function(step.op), hint=hint_text(hint, step.op)), markup=False)


@drill_app.command("grade")
def drill_grade(
    drill_id: str = typer.Argument(..., metavar="ID", help="A drill id (teller drill list), or a drill file."),
    steps: Path = typer.Option(..., "--steps", help="The trainee's steps: [[steps]] tables in the scenario format."),
    as_json: bool = typer.Option(False, "--json", help="Print the grade as one JSON object."),
    trainee: Optional[str] = typer.Option(None, "--trainee", help="Store the attempt under this teller id."),
    db: Optional[str] = DbOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Grade STEPS as if a trainee had performed them at the counter. Exit 0 for full marks, 1 when
    a check was missed, 2 when the drill or the steps file is malformed."""
    if lang:
        set_language(lang)
    from teller.scenario import ScenarioError, parse_steps
    from teller.training.grading import grade_steps, show_function

    d = _find(drill_id)
    try:
        parsed = parse_steps(steps.read_text(encoding="utf-8"), str(steps))
    except (OSError, UnicodeDecodeError) as e:
        typer.echo(_("读不了步骤文件 {path}：{e}").format(path=steps, e=e), err=True)
        raise typer.Exit(2) from None
    except ScenarioError as e:
        for p in e.problems:
            typer.echo(p, err=True)
        raise typer.Exit(2) from None
    started = datetime.now()
    grade, ran = grade_steps(d, parsed)
    if as_json:
        typer.echo(json.dumps({
            "drill": grade.drill, "score": grade.score, "total": grade.total, "passed": grade.passed,
            "steps": [{"step": s.number, "op": o.op, "ok": o.ok, "rule": o.rule, "message": o.message} for s, o in ran],
            "checks": [{"id": r.check.id, "kind": r.check.kind, "passed": r.passed, "points": r.check.points,
                        "detail": r.detail, "explain": r.check.explain} for r in grade.results],
        }, ensure_ascii=False))
    else:
        _print_grade(grade, ran, d, show_function)
    if trainee:
        from teller.training.results import drill_params

        _record(_open(db), trainee, drill_params(grade, started, datetime.now()), _console())
    raise typer.Exit(0 if grade.passed else 1)


def _print_grade(grade, ran, d, show_function) -> None:  # noqa: ANN001
    from rich.table import Table

    console = _console()
    steps = Table(title=_("办理过程"), title_justify="left")
    for head in (_("步"), _("功能"), _("结果"), _("说明")):
        steps.add_column(head, overflow="fold")
    for s, o in ran:
        steps.add_row(str(s.number), show_function(o.op), _("成功") if o.ok else f"{_('拒绝')} {o.rule}", o.message)
    console.print(steps)
    checks = Table(title=_("评分：{id} {title}").format(id=d.id, title=d.drill.title), title_justify="left", show_lines=True)
    for head in ("", _("检查项"), _("分值"), _("结果")):
        checks.add_column(head, overflow="fold")
    for r in grade.results:
        said = r.detail if r.passed else f"{r.detail}\n{r.check.explain}"
        checks.add_row("✓" if r.passed else "✗", r.check.id, f"{r.earned:g}/{r.check.points:g}", said,
                       style=None if r.passed else "red")
    console.print(checks)
    verdict = _("通过") if grade.passed else _("未通过")
    console.print(_("得分 {score} / {total}：{verdict}").format(score=f"{grade.score:g}", total=f"{grade.total:g}", verdict=verdict),
                  style="bold", markup=False)


def _banks(engine) -> list:  # noqa: ANN001
    """The shipped bank and every imported bank that still parses."""
    from teller.services.training import parsed_banks
    from teller.training.bank import load_bank

    return [load_bank()] + [bank for _row, bank in parsed_banks(engine)]


def report(
    csv_file: Optional[Path] = typer.Option(None, "--csv", help="Also write the tables as CSV: FILE, FILE-questions.csv, FILE-checks.csv (with --items: FILE-items.csv, FILE-drill-checks.csv)."),
    items: bool = typer.Option(False, "--items", help="Item analysis: per exam item its facility, discrimination (upper/lower 27% and item-rest r), option shares and flags; per drill each check's miss rate."),
    limit: int = typer.Option(10, "--limit", min=1, help="How many of the most missed items to chart."),
    db: Optional[str] = DbOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Per-trainee and per-question tables, and bar charts of what the class misses most; with
    --items, the item analysis a trainer uses to find items too easy, too hard or misleading."""
    if lang:
        set_language(lang)
    from teller.services.training import answers, attempts
    from teller.training.bank import load_bank
    from teller.training.grading import shipped_drills
    from teller.training.report import labels, render, summarize, write_csv

    counter = _open(db)
    drills = [d.drill for d in shipped_drills()]
    console = _console()
    if items:
        from teller.training.analysis import analyse, check_rates
        from teller.training.report import bank_keys, bank_options, bank_titles, render_analysis, write_items_csv

        rows = answers(counter.engine)
        banks = _banks(counter.engine)
        options, texts = bank_options(banks)
        stats = analyse(rows, options=options, labels=texts)
        checks = check_rates(rows, labels(None, drills)[1])
        for part in render_analysis(stats, checks, titles=bank_titles(banks), keys=bank_keys(banks)):
            console.print(part)
        if csv_file:
            for path in write_items_csv(stats, checks, csv_file):
                typer.echo(_("已写出 {path}").format(path=path))
        return
    questions, checks = labels(load_bank(), drills)
    summary = summarize(attempts(counter.engine), answers(counter.engine), questions=questions, checks=checks)
    for part in render(summary, limit=limit):
        console.print(part)
    if csv_file:
        for path in write_csv(summary, csv_file):
            typer.echo(_("已写出 {path}").format(path=path))
