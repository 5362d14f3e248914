"""`teller db backup` / `teller db restore` for an SQLite store.

The copy is taken with SQLite's online backup API: a consistent snapshot of the last committed
state, taken while terminals keep working (WAL), never a half-written file. A restore refuses to
overwrite an existing store unless forced, and refuses a file that is not a teller store.
PostgreSQL stores are backed up with pg_dump / pg_restore (README, "Backups").
"""

from __future__ import annotations

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


def _create_private(dest: Path) -> None:
    """The backup is a copy of every client's records: created 0600 (a missing folder 0700) before
    SQLite writes into it, never widened."""
    import os

    if not dest.parent.exists():
        private_dir(dest.parent)
    os.close(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def backup(url: str, dest: Path) -> Path:
    src_path = sqlite_path(url)
    if not src_path.exists():
        raise BackupError(_("{path} 不存在").format(path=src_path))
    dest = Path(dest)
    if dest.exists():
        raise BackupError(_("{path} 已存在：每次备份请用新文件名").format(path=dest))
    src = sqlite3.connect(src_path)
    try:
        if not _is_store(src):
            raise BackupError(_("{path} 不是柜台数据库").format(path=src_path))
        _create_private(dest)
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    return dest


def restore(source: Path, url: str, *, force: bool = False) -> Path:
    """Replace the store at `url` with the backup `source`. No terminal may be using it."""
    target = sqlite_path(url)
    source = Path(source)
    if not source.exists():
        raise BackupError(_("{path} 不存在").format(path=source))
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if not _is_store(src):
            raise BackupError(_("{path} 不是柜台数据库的备份").format(path=source))
        if target.exists() and not force:
            raise BackupError(_("{path} 已存在：确认所有终端已退出后，加 --force 才覆盖恢复").format(path=target))
        private_store_file(target)
        out = sqlite3.connect(target)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    return target
