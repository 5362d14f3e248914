"""Where a printed paper goes: the branch's printer through CUPS (`lp -d NAME FILE`) when the site
names one, and always the spool folder first, so a paper is never lost: a missing printer, a
refused job or a missing `lp` leave the PDF in the spool folder and the message line says where.

A terminal's printer is its own (TELLER_PRINTER, `--printer`); so are the paper size (TELLER_PAPER)
and the spool folder (TELLER_SPOOL, default `spool/` in the user's data folder). README "Papers".
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from teller.files import private_dir, unused_name, write_private
from teller.i18n import _
from teller.printing.pdf import A4, SIZES, render
from teller.printing.sheet import Sheet

ENV_PRINTER, ENV_PAPER, ENV_SPOOL = "TELLER_PRINTER", "TELLER_PAPER", "TELLER_SPOOL"
LP_SECONDS = 20  # a CUPS server that does not answer in this time is treated as a failed job


def default_spool() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("teller", appauthor=False)) / "spool"


@dataclass(frozen=True)
class Issued:
    """What became of one paper: `printed` only when lp accepted the job."""

    path: Path
    printed: bool
    printer: str = ""
    job: str = ""  # lp's answer, e.g. "request id is counter1-42 (1 file(s))"
    problem: str = ""  # why it was not printed, for the message line
    written: bool = False  # written to the file asked for (teller print --out), not printed

    def message(self, what: str) -> str:
        if self.written:
            return _("{what}已写入 {path}").format(what=what, path=self.path)
        if self.printed:
            return _("{what}已打印（打印机 {printer}）").format(what=what, printer=self.printer)
        if self.problem:
            return _("{what}未打印：{why}；已存入 {path}").format(what=what, why=self.problem, path=self.path)
        return _("{what}未打印（未设置打印机）：已存入 {path}").format(what=what, path=self.path)


@dataclass(frozen=True)
class Printer:
    """A terminal's way out for papers. `out` writes one given file instead (teller print --out)."""

    name: str = ""
    paper: str = A4
    spool: Path | None = None
    out: Path | None = None

    @classmethod
    def from_env(cls, name: str | None = None, paper: str | None = None, spool: str | os.PathLike | None = None) -> "Printer":
        paper = (paper or os.environ.get(ENV_PAPER) or A4).strip().lower()
        if paper not in SIZES:
            raise ValueError(_("纸张只能是 {sizes}，不是“{paper}”").format(sizes=" / ".join(SIZES), paper=paper))
        spool = spool or os.environ.get(ENV_SPOOL) or default_spool()
        return cls(name=(name if name is not None else os.environ.get(ENV_PRINTER, "")).strip(), paper=paper, spool=Path(spool))

    def issue(self, sheet: Sheet) -> Issued:
        data = render(sheet, self.paper)
        if self.out is not None:
            return Issued(write_private(self.out, data), printed=False, written=True)
        folder = private_dir(self.spool or default_spool())
        path = write_private(unused_name(folder, sheet.stem, ".pdf"), data, exclusive=True)
        if not self.name:
            return Issued(path, printed=False)
        return self._lp(path)

    def _lp(self, path: Path) -> Issued:
        lp = shutil.which("lp")
        if lp is None:
            return Issued(path, False, self.name, problem=_("本机没有 CUPS 的 lp 命令"))
        try:
            done = subprocess.run([lp, "-d", self.name, str(path)], capture_output=True, text=True, timeout=LP_SECONDS)
        except subprocess.TimeoutExpired:
            return Issued(path, False, self.name, problem=_("打印机 {p} 在 {s} 秒内没有应答").format(p=self.name, s=LP_SECONDS))
        except OSError as e:
            return Issued(path, False, self.name, problem=_("lp 无法运行：{e}").format(e=e.strerror or e))
        if done.returncode != 0:
            why = (done.stderr or done.stdout).strip().splitlines()
            return Issued(path, False, self.name, problem=_("打印机 {p} 拒绝了作业：{why}").format(
                p=self.name, why=why[-1] if why else done.returncode))
        return Issued(path, True, self.name, job=done.stdout.strip())
