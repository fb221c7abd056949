"""Changed files → what to rebuild, and the rebuild itself: page first, then PDF, then search index.

A change under content/issues/<id>/ rebuilds that issue; anything else
(bulletin.yaml, layouts/, fonts/) rebuilds everything. Each result is
announced to the open tabs (events.py) as soon as it is there; a failed build
shows its errors over the page and is owed again on the next save.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from jianbao.errors import BusyError, ContentError, JianbaoError, UsageError, display_path, os_error_message
from jianbao.invocation import command
from jianbao.options import Options
from jianbao.preview.events import Preview
from jianbao.recipe import Builder, Report


def make_builder(options: Options) -> Builder:
    """The preview's warm builder: drafts included, PDFs rendered in this process (its WeasyPrint
    and fonts stay loaded between saves; forking a pool from a threaded server is unsafe)."""
    return Builder(replace(options, drafts=True, jobs=1))


# A preview rebuild is three builds, so that each result shows as soon as it can: the web page
# (the tab reloads), then the PDF, then the search text (site/search.py).
Stage = Literal["page", "pdf", "index"]


def rebuild(builder: Builder, ids: tuple[str, ...], stage: Stage) -> Report:
    """The one build call of the preview (`()` means everything), up to `stage`."""
    return builder.build(ids, pages_only=stage == "page", index=stage == "index")


def affected(paths: Iterable[str], content: Path) -> set[str] | None:
    """Issue ids whose folders the changed paths lie in; None when everything is affected."""
    issues_dir = Path(os.path.realpath(content)) / "issues"
    ids = set()
    for raw in paths:
        try:  # the folder resolved, not the file: a saved file may be a symlink loop
            parts = Path(os.path.realpath(Path(raw).parent), Path(raw).name).relative_to(issues_dir).parts
        except ValueError:
            return None  # bulletin.yaml, layouts/, fonts/
        if len(parts) < 2 or not (issues_dir / parts[0] / "issue.yaml").is_file():
            return None  # an issue folder appeared or vanished: the archive changes too
        ids.add(parts[0])
    return ids


@dataclass
class Rebuilder:
    """Rebuilds what changed, remembering what a failed build still owes."""

    options: Options
    preview: Preview
    say: Callable[[str], None]
    shout: Callable[[str], None]
    pending: set[str] | None = None  # None: everything
    failed: bool = False
    builder: Builder | None = None
    waiting: bool = False  # another build held the output: run again once it is done, unasked

    def retry(self) -> None:
        """Run what another build's lock held up, once that build is done (called while nothing is saved)."""
        from jianbao.write.lock import lock_is_held

        if self.waiting and not lock_is_held(self.options.output):
            self.waiting = False
            self.run(set() if self.pending is not None else None)

    def run(self, wanted: set[str] | None) -> None:
        """Rebuild `wanted` plus whatever the last failed build did not finish.

        The web page first, so the tab reloads at once; then the PDF; then the search index.
        """
        todo = None if wanted is None or self.pending is None else self.pending | wanted
        ids = tuple(sorted(todo)) if todo else ()
        if self.builder is None:
            self.builder = make_builder(self.options)
        pages = self.attempt(ids, todo, "page")
        if pages is None:
            return
        from jianbao.check.report import about, lint_issues, warning_lines

        for warning in about(pages.warnings, pages.issues, self.options.content):
            self.shout(str(warning))
        for line in warning_lines(lint_issues(pages.issues)):  # what `check` would say about the saved text
            self.shout(line)
        fixed = "错误已改正，" if self.failed else ""
        self.failed = False
        self.preview.announce(ids or None)
        report = self.attempt(ids, todo, "pdf")
        if report is None:
            return
        if report.failures:
            self.fail([f"{issue_id}：{failure.message}" for issue_id, failure in sorted(report.failures.items())], todo)
            return
        gc.collect()  # the PDF's garbage goes now, not at the start of the next save's PDF
        if self.attempt(ids, todo, "index") is None:
            return
        built = "、".join(i.id for i in report.issues) if ids else f"全部 {len(report.issues)} 期"
        seconds = f"网页 {pages.seconds:.2f} 秒，PDF {pages.seconds + report.seconds:.2f} 秒"
        self.say(f"{fixed}已更新 {built}（{seconds}）")
        self.pending = set()  # the page did not change again: no second reload

    def attempt(self, ids: tuple[str, ...], todo: set[str] | None, stage: Stage) -> Report | None:
        """One build; its errors go to the terminal and the overlay (None then)."""
        assert self.builder is not None
        try:
            return rebuild(self.builder, ids, stage)
        except ContentError as exc:
            self.fail([str(p) for p in exc.problems], todo)
        except UsageError as exc:
            if ids:  # an issue named by the change no longer loads: build everything
                self.run(None)
                return None
            self.fail([str(exc)], todo)
        except BusyError:  # not the content's fault: said as such, and built again once it is free
            where = display_path(self.options.output)
            self.shout(f"另一个 jianbao 正在生成 {where}：正在生成，稍后重试（它结束后自动生成保存的改动）")
            self.pending, self.waiting = todo, True
        except JianbaoError as exc:
            self.fail([str(exc)], todo)
        except OSError as exc:  # a disk or a folder the preview cannot use now: said, and the preview goes on
            self.fail([os_error_message(exc)], todo)
        except Exception as exc:  # a bug of ours must not end an editor's preview: said, and it goes on
            report = f"请把 {command('build', '-v')} 的输出报告给维护者"
            self.fail([f"内部错误（{type(exc).__name__}），预览继续运行；{report}"], todo)
        return None

    def fail(self, errors: list[str], todo: set[str] | None) -> None:
        """Show the errors in the terminal and in every open tab."""
        for line in errors:
            self.shout(line)
        self.shout("内容有错误，浏览器里显示了错误信息；改正后保存即可。")
        self.pending, self.failed = todo, True
        self.preview.announce(tuple(sorted(todo)) if todo else None, errors)
