"""Staged issue pages → `pagefind/`, the site's Chinese full-text search index.

The index is made in bundles, one per year of issues (`pagefind/2025/`,
listed newest first in `pagefind/bundles.json`; assets/search.js loads the
newest and merges the others into it), so that a build re-indexes only the
years whose pages changed: Pagefind has no incremental mode, and over a
thousand pages it takes seconds and hundreds of MB. Pagefind's extended
build (with Chinese segmentation) runs in the background over the published
issue pages while the PDFs render, one bundle at a time; drafts are never
indexed.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Iterable
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from jianbao import disk
from jianbao.digests import digest_bytes, installed_version
from jianbao.errors import BuildError, display_path
from jianbao.lifetime import die_with_parent

if TYPE_CHECKING:
    from jianbao.model import Issue

SEARCH_DIR = "pagefind"
BUNDLES = "bundles.json"  # in SEARCH_DIR: {"bundles": [names, newest first]}
# Pagefind writes several UIs; the pages use none of them (layouts/assets/search.js drives pagefind.js itself).
UNUSED_SEARCH_FILES = (
    "pagefind-ui.css",
    "pagefind-ui.js",
    "pagefind-component-ui.css",
    "pagefind-component-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-highlight.js",
)
# Text the web page carries twice or that is no text: the print-only copy of each footnote (the web page shows
# the notes at the article's end, which are indexed) and the headings' permalinks.
EXCLUDED = ".fn-print, .permalink"


# What the site's own search box (layouts/assets/search.js) loads; Pagefind's UIs are not used.
REQUIRED_SEARCH_FILES = (
    "pagefind.js",
    "pagefind-entry.json",
    "pagefind-worker.js",
)


def bundles_of(issues: Iterable[Issue]) -> dict[str, list[str]]:
    """The search bundles and their issue ids, newest first: one bundle per year.

    Each Pagefind run costs ~0.4 s before its first page and ~3 ms a page after (and ~70 MB): a year of a
    fortnightly bulletin re-indexes in ~0.5 s beside the changed issue's PDF, where a decade took ~1.5 s
    and was what a one-article change waited for at 1,000 issues.
    """
    bundles: dict[str, list[str]] = {}
    for issue in sorted(issues, key=lambda i: (i.date, i.total), reverse=True):
        bundles.setdefault(str(issue.date.year), []).append(issue.id)
    return bundles


def bundle_key(pages: list[tuple[str, str]]) -> str:
    """What a bundle's index is made from: its pages' (id, digest), what is excluded, and Pagefind's version."""
    return digest_bytes(json.dumps([installed_version("pagefind"), EXCLUDED, pages]).encode())


def bundle_list(bundles: Iterable[str]) -> bytes:
    """`pagefind/bundles.json`: what the search box loads first."""
    return json.dumps({"bundles": list(bundles)}).encode()


def bundle_problem(index: Path) -> str | None:
    """Why one bundle is missing or damaged, or None. Only sizes, the entry file and the gzip headers
    of the metadata are read: cheap enough after every indexing."""
    if not index.is_dir():
        return f"没有搜索索引 {index.name}"
    try:
        sizes = {path.relative_to(index).as_posix(): path.stat().st_size for path in index.rglob("*") if path.is_file()}
        missing = [name for name in REQUIRED_SEARCH_FILES if name not in sizes]
        if missing:
            return f"缺少 {index.name}/{missing[0]}"
        empty = sorted(name for name, size in sizes.items() if size == 0)
        if empty:
            return f"{index.name}/{empty[0]} 是空文件"
        entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
        pages = 0
        for language in entry["languages"].values():
            meta = f"pagefind.{language['hash']}.pf_meta"
            if meta not in sizes or (index / meta).read_bytes()[:2] != GZIP_MAGIC:
                return f"{index.name}/{meta} 缺失或损坏"
            pages += int(language["page_count"])
        fragments = sum(name.startswith("fragment/") for name in sizes)
        if fragments < pages or not any(name.startswith("index/") for name in sizes) or "wasm" not in str(sizes):
            return f"{index.name} 的索引文件不全"
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return f"{index.name}/pagefind-entry.json 损坏"
    return None


GZIP_MAGIC = b"\x1f\x8b"


Foreign = dict[str, tuple[int, int]]  # a file in the index folders that jianbao did not write → (inode, mtime)


def file_marks(folder: Path, names: Iterable[str]) -> Foreign:
    """Each file's (inode, mtime), to tell it later from a file written in its place."""
    marks = {}
    for name in names:
        with suppress(OSError):
            info = os.lstat(folder / name)
            marks[name] = (info.st_ino, info.st_mtime_ns)
    return marks


def bundle_files(folder: Path, name: str, foreign: Foreign | None = None) -> dict[str, bytes]:
    """One bundle's files in a site folder, keyed by their paths relative to it; not the `foreign` ones
    (someone's files there, left as they were)."""
    index = folder / SEARCH_DIR / name
    listing = disk.walk(index)
    names = [f"{SEARCH_DIR}/{name}/{file}" for file in listing.files]
    left = file_marks(folder, names)
    written = [n for n in names if foreign is None or n not in foreign or left.get(n) != foreign[n]]
    return {n: disk.read_bounded(folder / n, disk.CACHE) for n in written}


def clear_bundle(folder: Path, name: str, foreign: Foreign) -> None:
    """Empty one bundle's folder for Pagefind to write it anew, but for the `foreign` files (someone's)."""
    index = folder / SEARCH_DIR / name
    for file in disk.walk(index).files:
        if f"{SEARCH_DIR}/{name}/{file}" not in foreign:
            # Removed, never rewritten in place: files here may be hard links into the live site.
            (index / file).unlink(missing_ok=True)


class SearchIndex:
    """Pagefind indexing bundles of a staged site in the background, one after another (it reads only the
    issue pages, which do not depend on the PDFs, so it runs while they render; one at a time keeps its
    memory beside the render workers' small)."""

    def __init__(self, folder: Path, bundles: dict[str, list[str]], output: Path, foreign: Foreign | None = None):
        """Index `bundles` (name → issue ids) of the staged site in `folder`; messages name `output`. The
        `foreign` files in the bundles' folders (someone else's) are left as they are."""
        try:
            from pagefind_bin_extended import get_executable
        except ImportError:
            raise BuildError("没有安装站内搜索工具 Pagefind（请运行 bash scripts/setup.sh）") from None
        self.folder = folder
        self.bundles = bundles
        self.output = output
        self.foreign = foreign or {}
        self.executable = str(get_executable())
        self.failure: tuple[str, str] | None = None
        self.process: subprocess.Popen[str] | None = None
        self.stopped = threading.Event()
        # The thread starts each Pagefind and outlives it: a child set to die with its parent dies with
        # the thread that made it (PR_SET_PDEATHSIG), so the thread never ends before its child.
        self.thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for name, issue_ids in self.bundles.items():
            if self.stopped.is_set():
                return
            self.failure = self._index(name, issue_ids)
            if self.failure is not None:
                return

    def _index(self, name: str, issue_ids: list[str]) -> tuple[str, str] | None:
        """Index one bundle (its issues' pages are all staged); why it failed and what to check on the disk, or None."""
        glob = f"{{{','.join(issue_ids)}}}/index.html" if len(issue_ids) > 1 else f"{issue_ids[0]}/index.html"
        clear_bundle(self.folder, name, self.foreign)
        command = [
            self.executable,
            "--site",
            str(self.folder),
            "--output-subdir",
            f"{SEARCH_DIR}/{name}",
            "--glob",
            glob,
            "--exclude-selectors",
            EXCLUDED,
            "--keep-index-url",
            "--silent",
        ]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # Killed with this process (even by kill -9): an orphan would go on writing into a staging folder.
            preexec_fn=partial(die_with_parent, os.getpid()),
        )
        stdout, stderr = self.process.communicate()
        if self.stopped.is_set():
            return None
        if self.process.returncode != 0:
            detail = (stderr or stdout).strip().splitlines()
            said = f"，Pagefind 报告：{detail[-1]}" if detail else ""
            return f"生成搜索索引失败（Pagefind 退出码 {self.process.returncode}{said}）", "的空间和权限"
        for unused in UNUSED_SEARCH_FILES:
            (self.folder / SEARCH_DIR / name / unused).unlink(missing_ok=True)
        # Pagefind may report success having written nothing (a full disk): never publish that.
        problem = bundle_problem(self.folder / SEARCH_DIR / name)
        return None if problem is None else (f"生成的搜索索引不完整（{problem}）", "是否已满")

    def wait(self) -> None:
        """Wait for every bundle; a failure is a one-line error."""
        self.thread.join()
        if self.failure is not None:
            what, check = self.failure
            where = display_path(self.output)  # the folder the editor knows, not the staging folder beside it
            raise BuildError(f"{what}，网站未更新；请检查 {where} 所在磁盘{check}，再重新生成")

    def stop(self) -> None:
        """End the indexing if it still runs (the build failed, or its pages changed)."""
        self.stopped.set()
        process = self.process
        if process is not None and process.poll() is None:
            process.kill()
        self.thread.join()
