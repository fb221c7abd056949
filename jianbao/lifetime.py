"""Child processes and locks that never outlive the build that made them.

A render worker is of no use once its build is gone:
the kernel kills it when its parent dies (Linux `PR_SET_PDEATHSIG`, even
after kill -9 of the parent), and the output lock records the pid of its
holder, so a lock kept by a process of a dead build can be told apart from
a build that still runs.
"""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1


def _prctl() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    """libc's prctl, looked up before any fork (a child must not load libraries)."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when `parent` dies; exit now if it already has.

    Call first thing in a forked child (`parent`: the pid that forked it).
    Elsewhere than Linux nothing is set up, and a child lives until its pool is shut down.
    """
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def alive(pid: int) -> bool:
    """Whether a process with this pid exists (a zombie counts as dead)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True
