"""Files in memory → files on disk, atomically (write stage).

Each file is written to a temporary name in its own folder and renamed into
place, so a reader or a crash never sees half a PDF. Unchanged files are not
rewritten, which keeps their times for rsync and the web server's caches.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jianbao.errors import BuildError, display_path


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file; False if it was already identical."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold an exclusive lock on `output` for a whole build; a second build is told to wait.

    The lock file sits beside the folder (the folder itself may be swapped
    whole), and the kernel releases it when the process dies, even by kill -9.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(output.parent / f".{output.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"另一个 jianbao 正在生成 {display_path(output)}，请等它结束后再运行（两次同时生成会互相覆盖）"
            ) from None
        remove_stale_temporaries(output)
        yield
    finally:
        os.close(handle)


def remove_stale_temporaries(output: Path) -> None:
    """Delete temporary files a killed build left behind (only ever under our own lock)."""
    if output.is_dir():
        for temp in output.rglob(".*.tmp"):
            if temp.is_file() and not temp.is_symlink():
                temp.unlink(missing_ok=True)


def write_tree(root: Path, files: dict[str, bytes]) -> int:
    """Write every file under `root` (keys are relative POSIX paths); count the changed ones."""
    written = 0
    for name, data in sorted(files.items()):
        path = root / name
        try:
            written += write_atomic(path, data)
        except OSError as exc:
            raise BuildError(f"无法写入 {display_path(path)}（{exc.strerror or exc}）") from exc
    return written


def read_assets(folder: Path, prefix: str) -> dict[str, bytes]:
    """Every file below `folder`, keyed `prefix/relative/path`."""
    if not folder.is_dir():
        return {}
    return {
        f"{prefix}/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def remove_tree(path: Path) -> None:
    """Remove a folder if it exists (used for temporary build folders)."""
    shutil.rmtree(path, ignore_errors=True)
