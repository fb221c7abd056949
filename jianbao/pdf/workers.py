"""Render workers: processes that turn print HTML into PDFs, WeasyPrint loaded once in each.

A worker is forked, imports WeasyPrint once, then lays out job after job
(print HTML, base folder, allowed folders → PDF bytes). It needs nothing
else of jianbao, so `RenderPool.start` can be called before the content is
even loaded (when the build will surely render): the workers' ~0.3 s of
start-up then overlaps the main process's own.
"""

from __future__ import annotations

import gc
import os
import signal
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from jianbao.errors import JianbaoError
from jianbao.lifetime import die_with_parent

# print HTML, the folder its URLs are relative to, folders it may read, PDF variant, extra stylesheets,
# and the articles' Markdown files (to name the line of a refused resource): the arguments of pdf.write_pdf.
# Plain values only, so a worker never needs jianbao's content model (pydantic: +0.1 s of start-up).
PrintJob = tuple[str, Path, list[Path], str | None, tuple[Path, ...], tuple[Path, ...]]
T = TypeVar("T")


WORKER_MEMORY = 300 * 1024 * 1024  # a worker's peak while laying out a long issue (WeasyPrint, fonts)


def default_jobs(jobs: int, tasks: int | None = None) -> int:
    """How many render workers: --jobs (0: one per CPU), but never more than the CPUs this process may
    use, the `tasks` (issues) there are, or the available memory can hold (a worker more only swaps)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    limit = min(jobs or cpus, cpus, max(1, available_memory() // WORKER_MEMORY))
    return max(1, min(limit, tasks if tasks is not None else limit))


def available_memory() -> int:
    """Bytes of memory available to new processes (Linux MemAvailable); plenty if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 1 << 40


def guarded(function: Callable[..., T], *args: Any) -> T | str:
    """`function(*args)`, or the one-line message of its failure (one issue must not stop the others)."""
    try:
        return function(*args)
    except JianbaoError as exc:
        return str(exc)
    except Exception as exc:
        # The traceback follows the first line; the command line shows it only under -v.
        return f"内部错误（{type(exc).__name__}: {exc}），请把 -v 的输出报告给维护者\n{traceback.format_exc()}"


class RenderPool:
    """A process pool rendering PDFs; use as a context manager."""

    def __init__(self, workers: int):
        self.workers = workers
        # fork: workers start with what this process has imported so far.
        self.executor = ProcessPoolExecutor(
            workers, get_context("fork"), initializer=_start_worker, initargs=(os.getpid(),)
        )

    @classmethod
    def start(cls, workers: int) -> RenderPool:
        """A pool whose workers begin loading WeasyPrint right away."""
        pool = cls(workers)
        pool.executor.submit(int)  # the first task starts every worker
        return pool

    def render(self, jobs: dict[str, PrintJob]) -> Iterator[tuple[str, bytes, str | None]]:
        """(key, PDF, error) for each job, in completion order; a worker's death is reported, not raised."""
        futures = {self.executor.submit(_work, job): key for key, job in jobs.items()}
        for future in as_completed(futures):
            try:
                pdf = future.result()
            except Exception as exc:  # the worker itself died (e.g. out of memory)
                pdf = f"内部错误（{type(exc).__name__}: {exc}）"
            yield (futures[future], b"", pdf) if isinstance(pdf, str) else (futures[future], pdf, None)

    def close(self, abort: bool = False) -> None:
        """Shut the workers down; with `abort` (Ctrl-C, an error) end them now, not after their PDFs."""
        if abort:
            # The executor's own handles on its processes: the only way to stop a layout midway.
            for process in list(getattr(self.executor, "_processes", {}).values()):
                process.kill()
        self.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: Any) -> None:
        self.close(abort=kind is not None)


def _start_worker(parent: int | None = None) -> None:
    """Per worker, once: die with the parent (the pid that forked it); leave Ctrl-C to it; load WeasyPrint."""
    if parent is not None:
        die_with_parent(parent)
    # Ctrl-C reaches the whole process group: the parent alone answers it (one line, then ends us).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import jianbao.pdf.engine  # noqa: F401  (the slow import this process exists to do early)

    gc.freeze()  # what is loaded now lives as long as the worker: keep the per-PDF collections short


def _work(job: PrintJob) -> bytes | str:
    from jianbao.pdf import engine as pdf

    return guarded(pdf.write_pdf, *job)
