"""Private files: what the counter writes to disk for one branch (printed papers in the spool folder,
exported scans, backups) can hold a client's name, accounts and amounts, so it is readable by the
user the counter runs as and nobody else: folders 0700, files 0600, whatever the umask.

One helper for every writer (papers, backups, the store): a file is created with its final mode
(never written first and chmod-ed after, which leaves a moment when others can read it) and
appears whole under its name (written beside it, then renamed), so a printer daemon or a reader
never sees half a file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: str | os.PathLike) -> Path:
    """The folder, created if missing (parents too), and made 0700 if it is ours and wider."""
    folder = Path(path)
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode != DIR_MODE and folder.stat().st_uid == os.getuid():
        folder.chmod(DIR_MODE)
    return folder


def private_store_file(path: str | os.PathLike) -> Path:
    """An SQLite store's file, created empty as 0600 if missing (SQLite then opens it, and gives its
    -wal and -shm files the mode of the database file). A missing folder is created 0700; an existing
    folder the user named is left as it is (it may be their home). An existing store, -wal or -shm of
    ours that others can read is made 0600: a store written by an older release was 0644."""
    target = Path(path)
    if not target.parent.exists():
        private_dir(target.parent)
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    for p in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        try:
            st = p.stat()
        except FileNotFoundError:
            continue
        if stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) & 0o077 and st.st_uid == os.getuid():
            p.chmod(FILE_MODE)
    return target


def open_private(path: str | os.PathLike, encoding: str = "utf-8", newline: str | None = None):  # noqa: ANN201
    """PATH opened for writing text as a 0600 file (an export: a report of trainees' scores, a recorded
    drill). An existing file of ours is made 0600 before anything is written into it."""
    fd = os.open(Path(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    if os.fstat(fd).st_uid == os.getuid():
        os.fchmod(fd, FILE_MODE)
    return os.fdopen(fd, "w", encoding=encoding, newline=newline)


def write_private(path: str | os.PathLike, data: bytes, *, exclusive: bool = False) -> Path:
    """Write DATA to PATH as a 0600 file in a 0700 folder. With `exclusive`, an existing file is never
    replaced (FileExistsError): a printed paper is kept, a later copy takes another name."""
    target = Path(path)
    private_dir(target.parent)
    if exclusive and target.exists():
        raise FileExistsError(str(target))
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if exclusive:
            os.link(tmp, target)  # fails if another writer took the name meanwhile
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise
    return target


def unused_name(folder: Path, stem: str, suffix: str) -> Path:
    """FOLDER/STEM.SUFFIX, or STEM-2.SUFFIX, STEM-3... if taken: nothing already there is overwritten."""
    candidate = folder / f"{stem}{suffix}"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}{suffix}"
    return candidate
