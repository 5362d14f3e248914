"""The `teller` command. Thin: each command parses its options, then calls the library. Heavy
imports (the store, the screens) happen inside the command that needs them."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from teller.i18n import _, set_language

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=False, help="teller: 单客户多银行服务 counter")
scenario_app = typer.Typer(help="Run scenario files (DOMAIN.md §6).")
app.add_typer(scenario_app, name="scenario")
from teller.training.cli import register as _register_training  # noqa: E402  (exam, drill, report)
_register_training(app)
from teller.papers_cli import register as _register_papers  # noqa: E402  (print, form, archive)
_register_papers(app)

DbOption = typer.Option(None, "--db", envvar="TELLER_DB", help="Database URL (default: SQLite in the user data dir).")
LangOption = typer.Option(None, "--lang", envvar="TELLER_LANG", help="zh_CN (default) or en.")


@app.callback(invoke_without_command=True)
def start(
    ctx: typer.Context,
    db: Optional[str] = DbOption,
    lang: Optional[str] = LangOption,
    demo: bool = typer.Option(False, "--demo", help="Fill a fresh store with the demo branch first (README lists its tellers)."),
    theme: str = typer.Option("green", "--theme", envvar="TELLER_THEME", help="green (legacy terminal, default) or light."),
    terminal: str = typer.Option("T-01", "--terminal", envvar="TELLER_TERMINAL", help="This counter terminal's id."),
    keymap: Optional[Path] = typer.Option(None, "--keymap", envvar="TELLER_KEYMAP", help="A TOML file of site key overrides."),
) -> None:
    """Start the counter: the sign-on screen, then the function codes."""
    set_language(lang)
    if ctx.invoked_subcommand is not None:
        return
    if theme not in ("green", "light"):
        raise typer.BadParameter(_("主题只能是 green 或 light"), param_hint="--theme")
    from teller.launch import run_counter

    # The `teller` command itself starts the counter without this module (teller.launch).
    code = run_counter(db=db, demo=demo, theme=theme, terminal=terminal, keymap=keymap)
    if code:
        raise typer.Exit(code)


@scenario_app.command("run")
def scenario_run(
    file: Path = typer.Argument(..., exists=False, help="The scenario TOML file."),
    db: Optional[str] = typer.Option(None, "--db", help="Run against this empty store instead of a temporary one."),
    lang: Optional[str] = LangOption,
) -> None:
    """Run FILE and print one JSON object per step. Exit 1 on the first step whose `expect` fails,
    2 if the file is malformed."""
    if lang:
        set_language(lang)
    from teller.runner import run_scenario_file

    code = run_scenario_file(file, db, out=sys.stdout, err=sys.stderr)
    raise typer.Exit(code)


audit_app = typer.Typer(help="Check the journal's hash chain and the books.")
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(
    db: Optional[str] = typer.Option(None, "--db", envvar="TELLER_DB", help="Database URL (default: SQLite in the user data dir)."),
    lang: Optional[str] = LangOption,
) -> None:
    """Check every journal line against its hash and its chain, then the books (as `audit books`).
    Exit 0 when both hold, 1 naming the first altered, removed or inserted line of each broken chain
    or the first account whose books disagree, 2 when DB is not a teller store."""
    if lang:
        set_language(lang)
    from teller.services.audit import verify

    engine = _existing_store(db)
    report = verify(engine)
    for b in report.breaks:
        typer.echo(b.message)
    if report.ok:
        heads = "; ".join(f"{chain or '*'} {h}" for chain, h in sorted(report.heads.items()))
        typer.echo(_("流水链完好：共 {n} 行；链尾哈希 {heads}").format(n=report.lines, heads=heads or "-"))
    books_ok = _print_books(engine)
    if not (report.ok and books_ok):
        raise typer.Exit(1)


def _existing_store(db: str | None):  # noqa: ANN202
    """An engine on an existing teller store, or exit 2 saying DB is none (no file is created): the
    papers commands' own check (papers_cli._engine), one for every command."""
    from teller.papers_cli import _engine

    return _engine(db)


def _print_books(engine) -> bool:  # noqa: ANN001
    from teller.services.books import check_store

    found = check_store(engine)
    for f in found[:50]:
        typer.echo(f.message)
    if len(found) > 50:
        typer.echo(_("……另有 {n} 处不符").format(n=len(found) - 50))
    if found:
        typer.echo(_("账务不平：{n} 处不符，第一处是 {first}").format(n=len(found), first=found[0].account or "-"))
        return False
    typer.echo(_("账务平衡：每个资金账户的余额、冻结与银行端余额都与其流水和银行请求相符"))
    return True


@audit_app.command("books")
def audit_books(
    db: Optional[str] = typer.Option(None, "--db", envvar="TELLER_DB", help="Database URL (default: SQLite in the user data dir)."),
    lang: Optional[str] = LangOption,
) -> None:
    """Check every fund account's cash, frozen and bank-side balance against its movements, bank
    requests and the bank's ledger. Exit 0 when they balance, 1 naming the first account that
    disagrees (with both figures), 2 when DB is not a teller store."""
    if lang:
        set_language(lang)
    engine = _existing_store(db)
    if not _print_books(engine):
        raise typer.Exit(1)


db_app = typer.Typer(help="The store: schema upgrades, backup and restore.")
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(db: Optional[str] = DbOption, lang: Optional[str] = LangOption) -> None:
    """Bring the store's schema to this program's version, keeping its data (back up first)."""
    if lang:
        set_language(lang)
    from teller.store.db import make_engine
    from teller.store.migrate import upgrade

    before, after = upgrade(make_engine(db))
    typer.echo(_("数据库结构：{before} → {after}").format(before=before or _("空库"), after=after))


@db_app.command("current")
def db_current(db: Optional[str] = DbOption) -> None:
    """Print the store's schema version and this program's."""
    from teller.store.db import make_engine
    from teller.store.migrate import current, head

    typer.echo(f"{current(make_engine(db)) or '-'} {head()}")


@db_app.command("backup")
def db_backup(file: Path = typer.Argument(..., help="The new backup file."), db: Optional[str] = DbOption) -> None:
    """Copy an SQLite store while terminals keep working (PostgreSQL: pg_dump, see README)."""
    from teller.store.backup import BackupError, backup
    from teller.store.db import default_db_url

    try:
        typer.echo(_("已备份到 {path}").format(path=backup(db or default_db_url(), file)))
    except BackupError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None


@db_app.command("restore")
def db_restore(
    file: Path = typer.Argument(..., help="A backup made by teller db backup."),
    db: Optional[str] = DbOption,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing store (no terminal may be running)."),
) -> None:
    """Put an SQLite backup back in place of the store, once the file has passed every check (a store
    of this program, its journal chains whole, its books balanced); otherwise exit 2 with the reason
    and the store untouched."""
    from teller.store.backup import BackupError, restore_checked
    from teller.store.db import default_db_url

    try:
        path, upgraded = restore_checked(file, db or default_db_url(), force=force)
        typer.echo(_("已从 {src} 恢复到 {path}（流水链完好，账务平衡）").format(src=file, path=path))
        if upgraded:
            typer.echo(_("备份的结构版本为 {rev}，已升级到本程序的版本").format(rev=upgraded))
    except BackupError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on: loopback unless told otherwise (README: TLS, branch network only)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    db: Optional[str] = DbOption,
    lang: Optional[str] = LangOption,
    theme: str = typer.Option("green", "--theme", envvar="TELLER_THEME", help="green (legacy terminal, default) or light."),
    keymap: Optional[Path] = typer.Option(None, "--keymap", envvar="TELLER_KEYMAP", help="A TOML file of site key overrides."),
    demo: bool = typer.Option(False, "--demo", help="Each connection its own fresh demo store (a training room)."),
) -> None:
    """The counter in a browser: one counter process per tab, the same sign-on and keys."""
    if lang:
        set_language(lang)
    if theme not in ("green", "light"):
        raise typer.BadParameter(_("主题只能是 green 或 light"), param_hint="--theme")
    # TELLER_DB in the environment is set aside by --demo; --db typed with it is a mistake.
    if demo and db and getattr(ctx.get_parameter_source("db"), "name", "") == "COMMANDLINE":
        raise typer.BadParameter(_("--demo 给每个连接一个新的演示库，不能同时指定 --db"), param_hint="--db")
    from teller.i18n import current_language
    from teller.serve import serve

    serve(host=host, port=port, db=None if demo else db, lang=current_language(), theme=theme, keymap=keymap, demo=demo)


@contextmanager
def _progress_bar():  # noqa: ANN202
    """A rich progress bar for long work; yields the progress(step, done, total) callback."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                  transient=False) as bar:
        task = bar.add_task(_("开始"), total=1)

        def say(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=max(total, 1))

        yield say


@app.command("demo")
def demo_generate(
    clients: int = typer.Option(..., "--clients", min=1, help="Generated clients to add to the demo branch (1000000 for a firm)."),
    db: Optional[str] = typer.Option(None, "--db", help="An empty store (default: demo-firm.db in the user data dir, remade)."),
    lang: Optional[str] = LangOption,
) -> None:
    """A firm-sized store: the demo branch, then CLIENTS generated clients with a year of history, written
    with bulk inserts. Open it with `teller --db URL`."""
    if lang:
        set_language(lang)
    from teller.demo import DemoError, fresh_store_url, seed_demo
    from teller.demo.generate import generate
    from teller.store.db import make_engine

    url = db or fresh_store_url("demo-firm.db")
    engine = make_engine(url)
    try:
        seed_demo(engine)
    except DemoError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None
    with _progress_bar() as say:
        made = generate(engine, clients, progress=say)
    typer.echo(_("已生成 {n} 个客户、{a} 个资金账户、{j} 行流水、{m} 笔资金变动，用时 {s:.0f} 秒。打开：teller --db {url}").format(
        n=made.clients, a=made.accounts, j=made.journal, m=made.movements, s=made.seconds, url=url))


staff_app = typer.Typer(help="Tellers' sign-on: unlock one that five wrong passwords locked.")
app.add_typer(staff_app, name="staff")


@staff_app.command("unlock")
def staff_unlock(
    teller_id: str = typer.Argument(..., help="The locked teller (or supervisor)."),
    by: Optional[str] = typer.Option(None, "--by", help="The supervisor who unlocks it (9102); asked for a password."),
    store_owner: bool = typer.Option(False, "--store-owner", help="When no supervisor can sign on (every one locked): "
                                     "unlock as the owner of the store itself, journalled as such."),
    password_file: Optional[Path] = typer.Option(None, "--password-file", help="The supervisor's password, first line of a 0600 file."),
    db: Optional[str] = DbOption,
    terminal: str = typer.Option("CLI", "--terminal", envvar="TELLER_TERMINAL"),
    lang: Optional[str] = LangOption,
) -> None:
    """Unlock a teller locked by wrong passwords: by a supervisor (9102 unlock, its journal line), or,
    with --store-owner, by whoever may write the store, when every supervisor is locked."""
    if lang:
        set_language(lang)
    if (by is None) == (not store_owner):
        raise typer.BadParameter(_("请用 --by 主管柜员号，或（所有主管都已锁定时）--store-owner"), param_hint="--by")
    from teller.domain.errors import Refused

    engine = _existing_store(db)
    try:
        if store_owner:
            from teller.services.auth import unlock_as_store_owner

            typer.echo(unlock_as_store_owner(engine, teller_id, terminal=terminal))
            return
        from teller.services.auth import sign_on
        from teller.services.base import Context
        from teller.services.counter import Counter

        who = sign_on(engine, by, read_password(password_file), terminal=terminal)
    except Refused as r:
        typer.echo(r.message, err=True)
        raise typer.Exit(1) from None
    outcome = Counter(engine).run("manage_tellers", {"action": "unlock", "id": teller_id},
                                  Context(teller_id=who.id, terminal=terminal, documents=None))
    typer.echo(outcome.message if outcome.ok else f"[{outcome.rule}] {outcome.message}", err=not outcome.ok)
    if not outcome.ok:
        raise typer.Exit(1)


@app.command("day-end")
def day_end(
    teller_id: str = typer.Option(..., "--teller", help="The supervisor who runs day-end (9101)."),
    password_file: Optional[Path] = typer.Option(
        None, "--password-file", help="Read the password from this file (first line; 0600, for the nightly batch). "
        "Without it the password is asked for, never typed on the command line."),
    db: Optional[str] = DbOption,
    terminal: str = typer.Option("CLI", "--terminal", envvar="TELLER_TERMINAL"),
    lang: Optional[str] = LangOption,
) -> None:
    """Close the business date (9101) from the command line, with a progress bar: the nightly batch."""
    if lang:
        set_language(lang)
    from teller.domain.errors import Refused
    from teller.services.auth import sign_on
    from teller.services.base import Context
    from teller.services.counter import Counter

    engine = _existing_store(db)
    password = read_password(password_file)
    try:
        who = sign_on(engine, teller_id, password, terminal=terminal)
    except Refused as r:
        typer.echo(r.message, err=True)
        raise typer.Exit(1) from None
    with _progress_bar() as say:
        outcome = Counter(engine).run("end_of_day", {}, Context(teller_id=who.id, terminal=terminal, progress=say))
    typer.echo(outcome.message if outcome.ok else f"[{outcome.rule}] {outcome.message}", err=not outcome.ok)
    if not outcome.ok:
        raise typer.Exit(1)


def read_password(path: Path | None) -> str:
    """A password from a prompt (not echoed) or from PATH, never from the command line, where `ps`
    shows it to every user of the machine, nor from an environment variable, which every child
    process inherits (README, "Passwords"). A file others can read is refused, as ssh refuses a key."""
    if path is None:
        return typer.prompt(_("密码"), hide_input=True)
    import stat

    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise typer.BadParameter(_("{path} 其他用户也能读取：密码文件须为 0600（chmod 600）").format(path=path),
                                     param_hint="--password-file")
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise typer.BadParameter(_("读不了 {path}：{why}").format(path=path, why=e.strerror or e),
                                 param_hint="--password-file") from None
    lines = text.splitlines()
    return lines[0] if lines else ""


def main() -> None:
    from teller.store.errors import StoreRefused

    try:
        app()
    except StoreRefused as e:  # a store the command will not run on: one line, no traceback
        print(e, file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":  # pragma: no cover
    main()
