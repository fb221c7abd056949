"""A progress bar on the terminal while many PDFs render (tqdm); nothing otherwise."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jianbao.options import Progress

FEW = 3  # up to this many PDFs, a bar would only flicker


@contextmanager
def progress_bar(quiet: bool) -> Iterator[Progress | None]:
    """A callback drawing a bar on stderr once more than a few PDFs are to render (None if quiet or piped)."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if total <= FEW:
            return
        if bar is None:
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: the render pool forks
            bar = tqdm(total=total, desc="生成 PDF", unit="期", leave=False, file=sys.stderr, dynamic_ncols=True)
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()
