"""The `teller` command. Thin: each command parses its options, then calls the library. Heavy
imports (the store, the screens) happen inside the command that needs them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from teller.i18n import _, set_language

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=False, help="teller: 单客户多银行服务 counter")
scenario_app = typer.Typer(help="Run scenario files (DOMAIN.md §6).")
app.add_typer(scenario_app, name="scenario")
from teller.training.cli import register as _register_training  # noqa: E402  (exam, drill, report)
_register_training(app)

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
    if not demo:  # a store older than the program is upgraded on purpose, never run on
        from teller.store.db import default_db_url, make_engine
        from teller.store.migrate import SchemaOutdated, ensure_schema

        try:
            ensure_schema(make_engine(db or default_db_url()))
        except SchemaOutdated as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(2) from None
    from teller.screens.app import TellerApp

    TellerApp(db_url=db, demo=demo, theme=theme, terminal=terminal, keymap_file=keymap).run()


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


audit_app = typer.Typer(help="Check the journal's hash chain.")
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(
    db: Optional[str] = typer.Option(None, "--db", envvar="TELLER_DB", help="Database URL (default: SQLite in the user data dir)."),
    lang: Optional[str] = LangOption,
) -> None:
    """Check every journal line against its hash and its chain. Exit 0 when intact, 1 naming the
    first altered, removed or inserted line of each broken chain, 2 when DB is not a teller store."""
    if lang:
        set_language(lang)
    from teller.services.audit import open_store, verify

    engine = open_store(db)
    if engine is None:
        typer.echo(_("{db} 不是柜台数据库（没有流水表）").format(db=db or _("默认数据库")), err=True)
        raise typer.Exit(2)
    report = verify(engine)
    for b in report.breaks:
        typer.echo(b.message)
    if not report.ok:
        raise typer.Exit(1)
    heads = "; ".join(f"{chain or '*'} {h}" for chain, h in sorted(report.heads.items()))
    typer.echo(_("流水链完好：共 {n} 行；链尾哈希 {heads}").format(n=report.lines, heads=heads or "-"))


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
    """Put an SQLite backup back in place of the store."""
    from teller.store.backup import BackupError, restore
    from teller.store.db import default_db_url

    try:
        typer.echo(_("已从 {src} 恢复到 {path}").format(src=file, path=restore(file, db or default_db_url(), force=force)))
    except BackupError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
