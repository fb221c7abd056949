"""Render workers: processes that turn print HTML into PDFs, WeasyPrint loaded once in each.

A worker is forked, imports WeasyPrint once, then lays out job after job
(print HTML, base folder, allowed folders → PDF bytes). It needs nothing
else of jianbao, so `RenderPool.start` can be called before the content is
even loaded (when the build will surely render): the workers' start-up
(importing WeasyPrint) then overlaps the main process's own.
"""

from __future__ import annotations

import gc
import os
import signal
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol, TypeVar

from jianbao.errors import JianbaoError
from jianbao.lifetime import die_with_parent
from jianbao.pdf.internals.pool import pool_processes
from jianbao.pdf.printed import Printed, ShortPage

T = TypeVar("T")


class EditionJob(Protocol):
    """An edition a render worker makes from the PDF it has just laid out, as plain values (jianbao/docx,
    jianbao/ofd): the file name's suffix, and the bytes made from the PDF."""

    @property
    def suffix(self) -> str: ...

    def make(self, pdf: bytes) -> bytes: ...


@dataclass(frozen=True)
class PrintJob:
    """Everything WeasyPrint needs for one issue's PDF, as plain values: a worker never needs
    jianbao's content model (pydantic) or its templates, so it starts without importing them."""

    html: str  # the print HTML
    base_dir: Path  # relative URLs (the articles' images) resolve against it: the issue folder
    roots: tuple[Path, ...]  # the only folders WeasyPrint may read: issue, layouts, fonts
    pdf_variant: str | None = None  # e.g. "pdf/a-2b"
    stylesheets: tuple[Path, ...] = ()  # applied after the document's own (layouts/pdfa.css)
    articles: tuple[Path, ...] = ()  # the Markdown files, to name the line of a refused resource
    font_files: tuple[Path, ...] = ()  # the licensed fonts its @font-face rules load
    editions: tuple[EditionJob, ...] = ()  # made from the PDF once it is laid out (the Word and OFD editions)

    def render(self) -> Printed:
        """Lay the job out: the PDF and its page report (WeasyPrint is imported on first use)."""
        from jianbao.pdf.engine import print_pdf

        return print_pdf(
            self.html,
            self.base_dir,
            list(self.roots),
            self.pdf_variant,
            self.stylesheets,
            self.articles,
            self.font_files,
        )


@dataclass(frozen=True)
class Failure:
    """Why one issue could not be rendered: one line for the user, and a traceback when it is a bug."""

    message: str
    traceback: str = ""

    @property
    def internal(self) -> bool:
        """A bug in jianbao (or a dependency), not a problem of the content."""
        return bool(self.traceback)


@dataclass(frozen=True)
class Unmade:
    """An edition that failed before it reached the worker (while it was drafted): its failure is reported
    with the job's results, after the PDF, like one that fails in the worker."""

    suffix: str
    failure: Failure

    def make(self, pdf: bytes) -> bytes:
        raise AssertionError("an unmade edition is never made")  # render_issue reports its failure


@dataclass(frozen=True)
class Made:
    """What a render worker makes of one job: the PDF, its cover, each edition (suffix → bytes) or why it
    failed (a failed edition never fails the PDF)."""

    pdf: bytes
    cover: bytes = b""
    editions: dict[str, bytes] = field(default_factory=dict)
    edition_failures: dict[str, Failure] = field(default_factory=dict)
    short_pages: tuple[ShortPage, ...] = ()  # pages that end short, and why (pdf/pagereport.py)
    pages: int = 0
    room: tuple[int, ...] = ()  # the empty grid lines at the foot of each page


@dataclass(frozen=True)
class Rendered:
    """One issue's render result: what was made, or the failure that stopped it."""

    issue_id: str
    pdf: bytes = b""
    cover: bytes = b""  # the first page as a small PNG (pdf/cover.py)
    failure: Failure | None = None
    editions: dict[str, bytes] = field(default_factory=dict)  # suffix (".ofd") → the edition's bytes
    edition_failures: dict[str, Failure] = field(default_factory=dict)  # suffix → why it could not be made
    short_pages: tuple[ShortPage, ...] = ()  # pages that end short, and why
    pages: int = 0  # the PDF's page count
    room: tuple[int, ...] = ()  # the empty grid lines at the foot of each page


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


def guarded(function: Callable[..., T], *args: Any) -> T | Failure:
    """`function(*args)`, or the `Failure` that stopped it (one issue must not stop the others)."""
    try:
        return function(*args)
    except JianbaoError as exc:
        return Failure(str(exc))
    except Exception as exc:
        # The command line shows the traceback only under -v.
        return Failure(f"内部错误（{type(exc).__name__}: {exc}），请把 -v 的输出报告给维护者", traceback.format_exc())


class RenderPool:
    """A process pool rendering PDFs; use as a context manager."""

    def __init__(self, workers: int):
        self.workers = workers
        self.used = False  # an unused pool is ended without waiting for its workers to finish loading
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

    def render(self, jobs: dict[str, PrintJob]) -> Iterator[Rendered]:
        """Start every job now; each result (keyed by issue id) in completion order. A worker's death is
        reported, not raised."""
        self.used = True
        return self._completed({self.executor.submit(_work, job): key for key, job in jobs.items()})

    def _completed(self, futures: dict[Future[Made | Failure], str]) -> Iterator[Rendered]:
        for future in as_completed(futures):
            key = futures.pop(future)  # a future keeps its PDF: let go of each once it is staged
            try:
                made = future.result()
            except Exception as exc:  # the worker itself died (e.g. out of memory)
                made = Failure(f"内部错误（生成 PDF 的进程意外退出：{type(exc).__name__}: {exc}）", repr(exc))
            del future
            yield as_rendered(key, made)

    def close(self, abort: bool = False) -> None:
        """Shut the workers down; with `abort` (Ctrl-C, an error) end them now, not after their PDFs."""
        if abort:
            for process in pool_processes(self.executor):  # the only way to stop a layout midway
                process.kill()
        self.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: Any) -> None:
        self.close(abort=kind is not None or not self.used)


def _start_worker(parent: int | None = None) -> None:
    """Per worker, once: die with the parent (the pid that forked it); leave Ctrl-C to it; load WeasyPrint."""
    if parent is not None:
        die_with_parent(parent)
    # Ctrl-C reaches the whole process group: the parent alone answers it (one line, then ends us).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import jianbao.pdf.engine  # noqa: F401  (the slow import this process exists to do early)

    gc.freeze()  # what is loaded now lives as long as the worker: keep the per-PDF collections short


def render_issue(job: PrintJob) -> Made:
    """The job's PDF, its cover thumbnail and its editions (a failed edition never fails the PDF)."""
    from jianbao.pdf.cover import cover_png

    printed = job.render()
    pdf = printed.pdf
    editions: dict[str, bytes] = {}
    failures: dict[str, Failure] = {}
    for edition in job.editions:
        made = edition.failure if isinstance(edition, Unmade) else guarded(edition.make, pdf)
        if isinstance(made, Failure):
            failures[edition.suffix] = made
        else:
            editions[edition.suffix] = made
    return Made(pdf, cover_png(pdf), editions, failures, printed.short_pages, printed.pages, printed.room)


def _work(job: PrintJob) -> Made | Failure:
    return guarded(render_issue, job)


def as_rendered(issue_id: str, result: Made | Failure) -> Rendered:
    """A worker's or this process's result as a `Rendered`."""
    if isinstance(result, Failure):
        return Rendered(issue_id, failure=result)
    return Rendered(
        issue_id,
        result.pdf,
        result.cover,
        None,
        result.editions,
        result.edition_failures,
        result.short_pages,
        result.pages,
        result.room,
    )
