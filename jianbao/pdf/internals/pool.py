"""The standard library's process pool, from outside: its worker processes."""

from __future__ import annotations

from typing import Any


def pool_processes(executor: Any) -> list[Any]:
    """The worker processes of a `concurrent.futures.ProcessPoolExecutor` (private `_processes`).

    `shutdown(cancel_futures=True)` still waits for the layouts already running;
    killing the processes is the only way to stop them midway (Ctrl-C, an error).
    """
    return list((getattr(executor, "_processes", None) or {}).values())
