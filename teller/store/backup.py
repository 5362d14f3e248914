"""`teller db backup` / `teller db restore` for an SQLite store.

The copy is taken with SQLite's online backup API: a consistent snapshot of the last committed
state, taken while terminals keep working (WAL). A backup is written under a temporary name beside
its own (0600) and takes its name only when whole: a backup killed half-way leaves no file under the
backup's name, only a `.NAME.PID.part` that says what it is.

A restore checks the file before anything is replaced, and refuses, with the reason, any file that
is not a whole store of this program: not a file, empty, not SQLite, damaged (SQLite's
quick_check), without this program's schema version (a foreign file with tables of the same names
has none), made by a newer program, missing a table or column this program keeps, not set up (no
business date), a journal chain that does not verify, or books that don't balance (the books check
of `teller audit books`). The checks run on a private copy next to the store; only a copy that
passes them all is written into the store, through SQLite (in one transaction: a restore killed
half-way leaves the old store). A backup made by an older release of this program is brought to
this program's schema in that copy first, and the restore says so. PostgreSQL stores are backed up
with pg_dump / pg_restore (README, "Backups").
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from teller.files import FILE_MODE, private_dir, private_store_file
from teller.i18n import _


class BackupError(RuntimeError):
    pass


def sqlite_path(url: str) -> Path:
    u = make_url(url)
    if not u.drivername.startswith("sqlite"):
        raise BackupError(_("PostgreSQL 数据库请用 pg_dump / pg_restore 备份和恢复（见 README“Backups”）"))
    if u.database in (None, "", ":memory:"):
        raise BackupError(_("内存数据库没有可备份的内容"))
    return Path(u.database)


def _is_store(conn: sqlite3.Connection) -> bool:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {"setting", "journal", "fundaccount"} <= names


def _part(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.{os.getpid()}.part")


def _copy_to_new(src: sqlite3.Connection, dest: Path) -> Path:
    """The one copy both commands make: SRC's committed state into the new file DEST, created 0600
    (a missing folder 0700) under a temporary name and linked to DEST when whole; never over an
    existing DEST. Returns DEST."""
    if not dest.parent.exists():
        private_dir(dest.parent)
    tmp = _part(dest)
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
        finally:
            out.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.link(tmp, dest)  # fails if the name was taken meanwhile: nothing is overwritten
    finally:
        if tmp.exists():
            tmp.unlink()
    return dest


def backup(url: str, dest: Path) -> Path:
    src_path = sqlite_path(url)
    if not src_path.exists():
        raise BackupError(_("{path} 不存在").format(path=src_path))
    dest = Path(dest)
    if dest.exists():
        raise BackupError(_("{path} 已存在：每次备份请用新文件名").format(path=dest))
    src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True)
    try:
        if not _is_store(src):
            raise BackupError(_("{path} 不是柜台数据库").format(path=src_path))
        return _copy_to_new(src, dest)
    except FileExistsError:
        raise BackupError(_("{path} 已存在：每次备份请用新文件名").format(path=dest)) from None
    except (sqlite3.Error, OSError) as e:
        raise BackupError(_("备份未完成（{why}），{path} 未写入").format(why=e, path=dest)) from None
    finally:
        src.close()


def restore(source: Path, url: str, *, force: bool = False) -> Path:
    """Replace the store at `url` with the backup `source`, once it has passed every check. No
    terminal may be using the store."""
    return restore_checked(source, url, force=force)[0]


def restore_checked(source: Path, url: str, *, force: bool = False) -> tuple[Path, str | None]:
    """`restore`, returning also the schema version the backup was upgraded from (None if it was
    at this program's)."""
    target = sqlite_path(url)
    source = Path(source)
    if target.exists() and not force:
        raise BackupError(_("{path} 已存在：确认所有终端已退出后，加 --force 才覆盖恢复").format(path=target))
    _plain_file(source)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise BackupError(_("{path} 打不开（{why}）").format(path=source, why=e)) from None
    checked = target.with_name(f".{target.name}.restore")
    if checked.exists():
        checked.unlink()
    try:
        _sqlite_store(src, source)
        try:
            _copy_to_new(src, checked)
        except (sqlite3.Error, OSError) as e:
            raise BackupError(_("{path} 读不出来（{why}）：不是完整的备份").format(path=source, why=e)) from None
        src.close()
        upgraded = _same_program(checked, source)
        _whole(checked, source)
        private_store_file(target)
        done = sqlite3.connect(checked)
        try:
            out = sqlite3.connect(target)
            try:
                done.backup(out)
            finally:
                out.close()
        except sqlite3.Error as e:
            raise BackupError(_("恢复未完成（{why}），{path} 未改变").format(why=e, path=target)) from None
        finally:
            done.close()
    finally:
        src.close()
        for p in (checked, Path(f"{checked}-wal"), Path(f"{checked}-shm"), Path(f"{checked}-journal")):
            if p.exists():
                p.unlink()
    return target, upgraded


def _plain_file(source: Path) -> None:
    if not source.exists():
        raise BackupError(_("{path} 不存在").format(path=source))
    if source.is_dir():
        raise BackupError(_("{path} 是文件夹，不是备份文件").format(path=source))
    if not source.is_file():
        raise BackupError(_("{path} 不是普通文件，不是备份文件").format(path=source))
    if source.stat().st_size == 0:
        raise BackupError(_("{path} 是空文件，不是备份文件").format(path=source))


def _sqlite_store(src: sqlite3.Connection, source: Path) -> None:
    """An SQLite file, whole, with this program's tables and schema version."""
    try:
        problems = [r[0] for r in src.execute("PRAGMA quick_check").fetchall()]
        names = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as e:
        raise BackupError(_("{path} 不是 SQLite 数据库文件，或已损坏（{why}）").format(path=source, why=e)) from None
    if problems != ["ok"]:
        raise BackupError(_("{path} 已损坏（SQLite 检查：{why}）").format(path=source, why="; ".join(problems[:3])))
    if "alembic_version" not in names or not {"setting", "journal", "journalchain", "fundaccount"} <= names:
        raise BackupError(_("{path} 不是本程序的数据库：没有本程序的结构版本或数据表").format(path=source))


def _same_program(checked: Path, source: Path) -> str | None:
    """The copy's schema version is one of this program's; an older one is upgraded in the copy.
    Every table and column this program keeps is then there, and the store is set up."""
    from sqlalchemy import inspect

    from teller.store import models  # noqa: F401  (registers the tables)
    from teller.store.db import make_engine
    from teller.store.migrate import _script, current, head, upgrade

    engine = make_engine(f"sqlite:///{checked}")
    try:
        rev = current(engine)
        known = {r.revision for r in _script().walk_revisions()}
        if rev not in known:
            raise BackupError(_("{path} 的结构版本“{rev}”不是本程序的（本程序为 {head}）：可能是更新版本的程序所做，"
                                "或不是柜台数据库").format(path=source, rev=rev or "-", head=head()))
        upgraded = None
        if rev != head():
            try:
                upgrade(engine)
            except Exception as e:  # noqa: BLE001 - a migration's failure on a foreign file is its reason
                raise BackupError(_("{path} 的结构版本 {rev} 无法升级到 {head}（{why}）").format(
                    path=source, rev=rev, head=head(), why=e)) from None
            upgraded = rev
        from sqlmodel import SQLModel

        with engine.connect() as conn:
            have = inspect(conn)
            tables = set(have.get_table_names())
            for table in SQLModel.metadata.sorted_tables:
                if table.name not in tables:
                    raise BackupError(_("{path} 缺少数据表 {t}：不是本程序的数据库").format(path=source, t=table.name))
                cols = {c["name"] for c in have.get_columns(table.name)}
                missing = sorted(c.name for c in table.columns if c.name not in cols)
                if missing:
                    raise BackupError(_("{path} 的数据表 {t} 缺少字段 {c}：不是本程序的数据库").format(
                        path=source, t=table.name, c=", ".join(missing)))
            date = conn.exec_driver_sql("SELECT value FROM setting WHERE key = 'business_date'").first()
        if date is None:
            raise BackupError(_("{path} 没有营业日期：不是建好的柜台数据库").format(path=source))
        return upgraded
    finally:
        engine.dispose()


def _whole(checked: Path, source: Path) -> None:
    """Its journal chains verify and its books balance."""
    from teller.services.audit import verify
    from teller.services.books import check_store
    from teller.store.db import make_engine

    engine = make_engine(f"sqlite:///{checked}")
    try:
        try:
            report = verify(engine)
            found = check_store(engine)
        except Exception as e:  # noqa: BLE001 - a row this program cannot read is the file's fault
            raise BackupError(_("{path} 的数据读不出来（{why}）：不是完整的柜台数据库").format(path=source, why=e)) from None
        if not report.ok:
            raise BackupError(_("{path} 的流水链不完整，不予恢复：{why}").format(path=source, why=report.breaks[0].message))
        if found:
            more = _("（共 {n} 处不符）").format(n=len(found)) if len(found) > 1 else ""
            raise BackupError(_("{path} 的账务不平，不予恢复：{why}{more}").format(path=source, why=found[0].message, more=more))
    finally:
        engine.dispose()
