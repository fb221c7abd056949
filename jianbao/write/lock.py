"""An output folder → held exclusively by one build at a time (an fcntl lock beside it), freed when that build dies.

The lock file holds the pid of its holder: a lock still held although that
process is gone (kept by a stray child of a killed build) is taken over, and
what the killed build left behind is cleared (leftovers.py).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from jianbao.errors import BuildError, BusyError, display_path
from jianbao.lifetime import alive
from jianbao.write.leftovers import remove_stale_temporaries

_HELD_LOCKS: set[int] = set()  # descriptors of the output locks this process holds


def _close_held_locks() -> None:
    """In a forked child (a render worker): let go of the parent's locks, which must die with it."""
    for handle in _HELD_LOCKS:
        with suppress(OSError):
            os.close(handle)
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_close_held_locks)


@contextmanager
def output_lock(output: Path, notices: list[str] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `output` for a whole build; a second build is told to wait.

    The lock file sits beside the folder (the folder itself may be swapped
    whole), and the kernel releases it when the process dies, even by kill -9;
    forked children never keep it. It holds the holder's pid: a lock still
    held although that process is gone (kept by a stray child of a killed
    build) is taken over, with a line in `notices`.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    path = output.parent / f".{output.name}.lock"
    handle = _take_lock(path, output, notices)
    _HELD_LOCKS.add(handle)
    try:
        # A build that ended removed its lock file: one still naming a holder means that build was killed.
        killed = _lock_holder(handle) is not None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        remove_stale_temporaries(output, inside=killed)
        yield
    finally:
        _HELD_LOCKS.discard(handle)
        # No lock file outlives its build. Removed while still held: a build that opened the old
        # file meanwhile finds it replaced once it locks it (`_same_file`) and takes the new one.
        if _same_file(handle, path):
            path.unlink(missing_ok=True)
        os.close(handle)


def lock_is_held(output: Path) -> bool:
    """Whether a live build seems to hold `output`'s lock now: its lock file names a live process. Read, never
    locked (a probe that took the lock even for a moment could turn a build away)."""
    path = output.resolve().parent / f".{output.resolve().name}.lock"
    try:
        handle = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return False  # no lock file: no build under way
    try:
        holder = _lock_holder(handle)
    finally:
        os.close(handle)
    return holder is not None and holder != os.getpid() and alive(holder)


def _take_lock(path: Path, output: Path, notices: list[str] | None) -> int:
    """The locked descriptor of `path`; a lock whose recorded holder is dead is replaced by a new file."""
    for _ in range(3):
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_holder(handle)
            os.close(handle)
            if holder is None or alive(holder):
                raise BusyError(
                    f"另一个 jianbao 正在生成 {display_path(output)}，请等它结束后再运行（两次同时生成会互相覆盖）"
                ) from None
            # Its holder died and left a child holding the lock: a fresh lock file, under the same name.
            path.unlink(missing_ok=True)
            if notices is not None:
                notices.append(f"上次生成（进程 {holder}）已意外结束，已接管它留下的锁 {display_path(path)}")
            continue
        except BaseException:
            os.close(handle)
            raise
        if _same_file(handle, path):
            return handle
        os.close(handle)  # another build replaced the file between our open and lock: try again
    raise BuildError(f"无法锁定 {display_path(output)}（锁文件 {display_path(path)} 不断被替换），请稍后再试")


def _lock_holder(handle: int) -> int | None:
    """The pid recorded in a lock file (None if there is none)."""
    try:
        text = os.pread(handle, 32, 0).decode("ascii").strip()
        return int(text) if text else None
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _same_file(handle: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(handle).st_ino
    except OSError:
        return False
