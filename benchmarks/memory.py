"""A process tree's memory as Linux counts it: PSS (pages shared after fork count once), sampled while it runs.

Used by benchmarks/bench.py and by the fault tests that bound a build's memory.
"""

from __future__ import annotations

import os
import threading


def tree_pss(root: int) -> int:
    """Proportional set size (KiB) of `root` and all its descendants: pages shared after fork count once."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as file:
                parent = int(file.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss(pid)
        todo.extend(children.get(pid, []))
    return total


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            return next((int(line.split()[1]) for line in file if line.startswith("Pss:")), 0)
    except OSError:
        return 0


class PeakPss:
    """The peak `tree_pss` of a running process, sampled every 20 ms in a thread from creation to `stop()`."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, tree_pss(self.pid))
            self._done.wait(0.02)

    def stop(self) -> int:
        """End the sampling; the peak (KiB)."""
        self._done.set()
        self._thread.join()
        return self.peak
