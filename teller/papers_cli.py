"""`teller print`, `teller form` and `teller archive`: the counter's papers from the command line.
Thin: each command parses its options and calls teller.services.papers / archive."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from teller.i18n import _, set_language

DbOption = typer.Option(None, "--db", envvar="TELLER_DB", help="Database URL (default: SQLite in the user data dir).")
LangOption = typer.Option(None, "--lang", envvar="TELLER_LANG", help="zh_CN (default) or en.")
TellerOption = typer.Option("T00", "--teller", envvar="TELLER_ID", help="Who does it (journalled): a teller id.")
TerminalOption = typer.Option("CLI", "--terminal", envvar="TELLER_TERMINAL", help="This terminal's id (journalled).")
PrinterOption = typer.Option(None, "--printer", envvar="TELLER_PRINTER", help="CUPS printer name for lp -d (default: none, spool only).")
PaperOption = typer.Option(None, "--paper", envvar="TELLER_PAPER", help="a4 (default) or voucher (241 x 140 mm).")
SpoolOption = typer.Option(None, "--spool", envvar="TELLER_SPOOL", help="Spool folder (default: spool/ in the user data dir).")

archive_app = typer.Typer(help="Scans of the client's signed papers (8101).")


def register(app: typer.Typer) -> None:
    app.command("print")(print_receipt)
    app.command("form")(print_form)
    app.add_typer(archive_app, name="archive")


def _engine(db: str | None):  # noqa: ANN202
    from teller.services.audit import open_store

    engine = open_store(db)
    if engine is None:
        typer.echo(_("{db} 不是柜台数据库（没有流水表）").format(db=db or _("默认数据库")), err=True)
        raise typer.Exit(2)
    return engine


def _printer(printer: str | None, paper: str | None, spool: Path | None, out: Path | None = None):  # noqa: ANN202
    from dataclasses import replace

    from teller.printing.output import Printer

    try:
        p = Printer.from_env(printer, paper, spool)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--paper") from None
    return replace(p, out=out) if out else p


def _say(outcome) -> None:  # noqa: ANN001
    if outcome.ok:
        typer.echo(outcome.message)
        return
    typer.echo(f"[{outcome.rule}] {outcome.message}", err=True)
    raise typer.Exit(1)


def print_receipt(
    journal_no: int = typer.Argument(..., help="The journal number (流水号) of a committed function."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the PDF to this file instead of printing or spooling it."),
    db: Optional[str] = DbOption, teller: str = TellerOption, terminal: str = TerminalOption,
    printer: Optional[str] = PrinterOption, paper: Optional[str] = PaperOption, spool: Optional[Path] = SpoolOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Print a committed line's 业务回单 (a 3106 line's 资金利息归本单): the first copy if none was
    printed, else a reprint marked 补打. Journalled as 8103. Exit 1 when refused."""
    set_language(lang)
    from teller.services.base import Context
    from teller.services.counter import Counter
    from teller.services.papers import print_copy

    counter = Counter(_engine(db))
    _say(print_copy(counter, _printer(printer, paper, spool, out), journal_no, Context(teller_id=teller, terminal=terminal)))


def print_form(
    code: str = typer.Argument(..., help="The function code (or op), e.g. 3203."),
    values: list[str] = typer.Argument(None, help="The form's fields as NAME=VALUE, e.g. from=880001001 amount=100.00."),
    agent: bool = typer.Option(False, "--agent", help="An agent acts for the client."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the forms' PDFs into this folder instead of printing them."),
    db: Optional[str] = DbOption, teller: str = TellerOption, terminal: str = TerminalOption,
    printer: Optional[str] = PrinterOption, paper: Optional[str] = PaperOption, spool: Optional[Path] = SpoolOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Print the application forms FUNCTION needs for these values, pre-filled for the client to check
    and sign (nothing is committed). Exit 1 when the function would be refused for another reason."""
    set_language(lang)
    from teller.forms.catalog import FORMS
    from teller.services.base import Context
    from teller.services.counter import Counter, find_function
    from teller.services.papers import prefill

    fn = find_function(code)
    if fn is None or fn.code not in FORMS:
        raise typer.BadParameter(_("没有功能 {op}").format(op=code), param_hint="CODE")
    typed = {}
    for v in values or []:
        name, sep, value = v.partition("=")
        if not sep:
            raise typer.BadParameter(_("应写成 名称=值：{v}").format(v=v), param_hint="VALUES")
        typed[name.strip()] = value.strip()
    form = FORMS[fn.code]
    params, _context = form.params(typed)
    labelled = [(_(f.label), f.shown_value(f.normalise(typed[f.name]))) for f in form.fields if typed.get(f.name)]
    counter = Counter(_engine(db))
    outcome, sheets = prefill(counter, fn.op, params, Context(teller_id=teller, terminal=terminal, agent=agent), labelled)
    if not outcome.ok:
        _say(outcome)
    if not sheets:
        typer.echo(_("{code} 按所填内容不需要柜台预先打印的资料").format(code=fn.code))
        return
    device = _printer(printer, paper, spool)
    for sheet in sheets:
        if out is not None:
            from dataclasses import replace

            from teller.files import unused_name

            done = replace(device, out=unused_name(out, sheet.stem, ".pdf")).issue(sheet)
        else:
            done = device.issue(sheet)
        typer.echo(done.message(_("《{title}》").format(title=sheet.title)))


@archive_app.command("attach")
def archive_attach(
    customer: str = typer.Argument(..., help="The client code."),
    files: list[Path] = typer.Argument(..., help="Scans: PDF, PNG or JPEG (checked by content)."),
    paper: str = typer.Option(..., "--paper", help="The paper they are scans of: its name, e.g. 变更主资金账户申请表, or its number."),
    account: Optional[str] = typer.Option(None, "--account", help="Only the filing under this fund account."),
    journal: Optional[int] = typer.Option(None, "--journal", help="Only the filing of this journal line (default: the latest)."),
    db: Optional[str] = DbOption, teller: str = TellerOption, terminal: str = TerminalOption,
    lang: Optional[str] = LangOption,
) -> None:
    """File scans with the client's latest filing of PAPER (8101, journalled, hashes sealed)."""
    set_language(lang)
    from teller.services.base import Context
    from teller.services.counter import Counter

    params = {"customer": customer, "paper": paper, "files": [str(f) for f in files]}
    if account:
        params["account"] = account
    if journal:
        params["journal"] = str(journal)
    _say(Counter(_engine(db)).run("archive", params, Context(teller_id=teller, terminal=terminal)))


@archive_app.command("list")
def archive_list(
    customer: str = typer.Argument(..., help="The client code."),
    account: Optional[str] = typer.Option(None, "--account", help="Only papers filed under this fund account."),
    db: Optional[str] = DbOption, teller: str = TellerOption, terminal: str = TerminalOption,
    lang: Optional[str] = LangOption,
) -> None:
    """The client's archived papers, each with its scans (type, size, SHA-256, who filed it)."""
    set_language(lang)
    from teller.domain.papers import paper_title
    from teller.services.base import Context
    from teller.services.counter import Counter

    params = {"customer": customer} | ({"account": account} if account else {})
    outcome = Counter(_engine(db)).run("archive", params, Context(teller_id=teller, terminal=terminal))
    if not outcome.ok:
        _say(outcome)
    for d in outcome.data["documents"]:
        typer.echo(f"{d['id']:>6}  {d['date']}  {d['function']}  {d['account'] or '-':<12} {paper_title(d['paper'])}  "
                   + _("流水 {j}，影像 {n} 份").format(j=d["journal"], n=d["scans"]))
        for s in d["images"]:
            typer.echo(f"        #{s['id']} {s['file']}  {s['type']}  {s['size']:,} B  sha256 {s['sha256']}  "
                       + _("{who} 归档（流水 {j}）").format(who=s["filed_by"], j=s["journal"]))


@archive_app.command("export")
def archive_export(
    customer: str = typer.Argument(..., help="The client code."),
    out: Path = typer.Option(..., "--out", help="The folder to write into (made 0700; files 0600)."),
    account: Optional[str] = typer.Option(None, "--account", help="Only scans filed under this fund account."),
    db: Optional[str] = DbOption, lang: Optional[str] = LangOption,
) -> None:
    """Write the client's scans into OUT with a SHA256SUMS file (`sha256sum -c SHA256SUMS` checks them)."""
    set_language(lang)
    from teller.services.archive import export

    written = export(_engine(db), customer, out, account or "")
    typer.echo(_("已导出客户 {code} 的 {n} 份影像到 {out}").format(code=customer, n=written, out=out))
