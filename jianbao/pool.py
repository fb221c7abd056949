"""Render workers: processes that turn issues into PDFs, WeasyPrint loaded once in each.

A worker is forked, imports WeasyPrint and makes its Jinja environment once,
then renders issue after issue. `RenderPool.start` can be called before the
content is even loaded (when the build will surely render), so the workers'
~0.3 s of start-up overlaps the main process's own.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

    from jianbao.build import Options, Rendered
    from jianbao.fonts import FontSetup
    from jianbao.model import Issue


def default_jobs(jobs: int) -> int:
    """--jobs, where 0 means one per CPU."""
    return jobs or os.cpu_count() or 1


class RenderPool:
    """A process pool rendering PDFs; use as a context manager."""

    def __init__(self, layouts: Path, workers: int):
        self.workers = workers
        # fork: workers start with what this process has imported so far.
        self.executor = ProcessPoolExecutor(
            workers, get_context("fork"), initializer=_start_worker, initargs=(layouts,)
        )

    @classmethod
    def start(cls, layouts: Path, workers: int) -> RenderPool:
        """A pool whose workers begin loading WeasyPrint right away."""
        pool = cls(layouts, workers)
        pool.executor.submit(int)  # the first task starts every worker
        return pool

    def render(self, issues: list[Issue], fonts: FontSetup, options: Options) -> Iterator[Rendered]:
        """Each issue's PDF, in completion order; a worker's death is reported, not raised."""
        futures = {self.executor.submit(_work, issue, fonts, options): issue for issue in issues}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # the worker itself died (e.g. out of memory)
                yield futures[future], b"", f"内部错误（{type(exc).__name__}: {exc}）"

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


_worker_env: Environment | None = None


def _start_worker(layouts: Path) -> None:
    """Per worker, once: WeasyPrint and the Jinja environment."""
    global _worker_env
    import jianbao.pdf  # noqa: F401  (the slow import this process exists to do early)
    from jianbao import render

    _worker_env = render.make_environment(layouts)
    gc.freeze()  # what is loaded now lives as long as the worker: keep the per-PDF collections short


def _work(issue: Issue, fonts: FontSetup, options: Options) -> Rendered:
    from jianbao.build import render_one

    assert _worker_env is not None
    return render_one(_worker_env, issue, fonts, options)
