"""Bytes in memory → files on disk, atomically; temporary folders removed.

Each file is written to a temporary name in its own folder and renamed into
place, so a reader or a crash never sees half a PDF. Unchanged files are not
rewritten, which keeps their times for rsync and the web server's caches.
A leaf: every stage may use it (`check --fix`, the parse memo, `import`, the
write stage), and it imports nothing of jianbao but the errors.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from jianbao import disk
from jianbao.errors import BuildError, UnreadableError, os_error_message

# What `write_atomic` names its temporary files (mkstemp: 8 random characters).
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def cache_folder(output: Path) -> Path:
    """Where builds keep what they know of `output` (manifest, stats, parsed issues): the hidden folder
    beside it, `.output.jianbao-cache/`, like the lock and the shadow; never inside what a web server serves."""
    output = output.resolve()
    return output.parent / f".{output.name}.jianbao-cache"


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file; False if it was already identical."""
    if holds(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # a failed write names no file: name it
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    return True


def is_temporary(path: Path) -> bool:
    """Whether `path` is a temporary file `write_atomic` left behind (killed mid-write): nothing else matches."""
    return _TEMPORARY.match(path.name) is not None and path.is_file() and not path.is_symlink()


def write_tree(root: Path, files: dict[str, bytes]) -> int:
    """Write every file under `root` (keys are relative POSIX paths); count the changed ones."""
    written = 0
    for name, data in sorted(files.items()):
        path = root / name
        try:
            written += write_atomic(path, data)
        except OSError as exc:
            raise BuildError(os_error_message(exc, path)) from exc
    return written


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` is a regular file with exactly these bytes (never opened if it is not one)."""
    try:
        return disk.read_bounded(path, disk.Kind("", len(data))) == data
    except UnreadableError:
        return False


def remove_tree(path: Path) -> None:
    """Remove a folder if it exists (used for temporary build folders)."""
    shutil.rmtree(path, ignore_errors=True)
