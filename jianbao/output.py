"""Files in memory → files on disk, atomically (write stage).

Each file is written to a temporary name in its own folder and renamed into
place, so a reader or a crash never sees half a PDF. Unchanged files are not
rewritten, which keeps their times for rsync and the web server's caches.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


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


def write_tree(root: Path, files: dict[str, bytes]) -> int:
    """Write every file under `root` (keys are relative POSIX paths); count the changed ones."""
    return sum(write_atomic(root / name, data) for name, data in sorted(files.items()))


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
