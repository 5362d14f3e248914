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
