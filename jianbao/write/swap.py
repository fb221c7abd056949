"""A complete new folder → in place of the old one, in one step (Linux renameat2), or two renames elsewhere.

Readers see the old folder or the new one, never half of each; the old
tree ends up where the new one was, for the caller to keep or remove.
"""

from __future__ import annotations

import ctypes
import errno
import os
import tempfile
from pathlib import Path


def old_prefix(target: Path) -> str:
    """The name prefix of the folder the fallback parks the live tree in, for a moment."""
    return f".{target.name}.old-"


def swap_into_place(new: Path, target: Path) -> None:
    """Make `new` appear at `target` in one step; the old tree ends up at `new` (removed by the caller)."""
    if not target.exists():
        os.rename(new, target)
    elif not exchange(new, target):
        # No atomic exchange here (not Linux, or the file system lacks it): two renames, a moment apart.
        old = Path(tempfile.mkdtemp(prefix=old_prefix(target), dir=target.parent))
        try:
            os.rename(target, old)
        except OSError:
            old.rmdir()  # never leave an empty `.old-` folder behind
            raise
        try:
            os.rename(new, target)
        except OSError:
            os.rename(old, target)  # the live site back in place
            raise
        os.rename(old, new)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False when unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # not supported here: the caller falls back to two renames
    raise OSError(error, os.strerror(error), str(second))  # a mount point, a read-only disk: say so
