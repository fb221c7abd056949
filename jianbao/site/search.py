"""Staged issue pages → `pagefind/`, the site's Chinese full-text search index.

Pagefind's extended build (with Chinese segmentation) runs in the background
over the published issue pages while the PDFs render; drafts are never indexed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import partial
from pathlib import Path

from jianbao.errors import BuildError, display_path
from jianbao.lifetime import die_with_parent

SEARCH_DIR = "pagefind"
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


# What the pages load (assets/search.js): missing or empty, search does not work at all.
# What the site's own search box (layouts/assets/search.js) loads; Pagefind's UIs are not used.
REQUIRED_SEARCH_FILES = (
    "pagefind.js",
    "pagefind-entry.json",
    "pagefind-worker.js",
)


def lacks_search_index(folder: Path) -> bool:
    """Whether a built site has no usable search index (deleted by hand, or damaged: see `search_index_problem`)."""
    return search_index_problem(folder) is not None


def search_index_problem(folder: Path) -> str | None:
    """Why the search index in `folder` is missing or damaged (a file absent, empty or cut short), or None.

    Pagefind can exit 0 having written empty files (a full disk); a later build must see that and index again.
    Only sizes, the entry file and the gzip headers of the metadata are read: cheap enough for every build.
    """
    index = folder / SEARCH_DIR
    if not index.is_dir():
        return "没有搜索索引"
    try:
        sizes = {path.relative_to(index).as_posix(): path.stat().st_size for path in index.rglob("*") if path.is_file()}
        missing = [name for name in REQUIRED_SEARCH_FILES if name not in sizes]
        if missing:
            return f"缺少 {missing[0]}"
        empty = sorted(name for name, size in sizes.items() if size == 0)
        if empty:
            return f"{empty[0]} 是空文件"
        entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
        pages = 0
        for language in entry["languages"].values():
            meta = f"pagefind.{language['hash']}.pf_meta"
            if meta not in sizes or (index / meta).read_bytes()[:2] != GZIP_MAGIC:
                return f"{meta} 缺失或损坏"
            pages += int(language["page_count"])
        fragments = sum(name.startswith("fragment/") for name in sizes)
        if fragments < pages or not any(name.startswith("index/") for name in sizes) or "wasm" not in str(sizes):
            return "索引文件不全"
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return "pagefind-entry.json 损坏"
    return None


GZIP_MAGIC = b"\x1f\x8b"


def search_files(folder: Path) -> list[str]:
    """The search index's files in a site folder, as paths relative to it."""
    return [path.relative_to(folder).as_posix() for path in (folder / SEARCH_DIR).rglob("*") if path.is_file()]


class SearchIndex:
    """Pagefind indexing a staged site in the background (it reads only the issue pages, which do
    not depend on the PDFs, so it runs while they render)."""

    def __init__(self, folder: Path, issue_ids: list[str]):
        try:
            from pagefind_bin_extended import get_executable
        except ImportError:
            raise BuildError("没有安装站内搜索工具 Pagefind（请运行 bash scripts/setup.sh）") from None
        self.folder = folder
        # Only published issues, never a draft page built for a preview; with none, the archive page, so that
        # the search box still loads.
        present = [i for i in issue_ids if (folder / i / "index.html").is_file()]
        names = ",".join(present)
        glob = f"{{{names}}}/index.html" if len(present) > 1 else f"{names}/index.html" if present else "index.html"
        # Replace, never rewrite in place: files here may be hard links into the live site.
        shutil.rmtree(folder / SEARCH_DIR, ignore_errors=True)
        command = [
            str(get_executable()),
            "--site",
            str(folder),
            "--output-subdir",
            SEARCH_DIR,
            "--glob",
            glob,
            "--exclude-selectors",
            EXCLUDED,
        ]
        self.process = subprocess.Popen(
            [*command, "--keep-index-url", "--silent"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # Killed with this process (even by kill -9): an orphan would go on writing into a staging folder.
            preexec_fn=partial(die_with_parent, os.getpid()),
        )

    def wait(self) -> None:
        """Wait for the index; a failure is a one-line error."""
        stdout, stderr = self.process.communicate()
        if self.process.returncode != 0:
            detail = (stderr or stdout).strip().splitlines()
            said = f"，Pagefind 报告：{detail[-1]}" if detail else ""
            raise BuildError(
                f"生成搜索索引失败（Pagefind 退出码 {self.process.returncode}{said}）；"
                f"请检查 {display_path(self.folder.parent)} 所在磁盘的空间和权限"
            )
        for name in UNUSED_SEARCH_FILES:
            (self.folder / SEARCH_DIR / name).unlink(missing_ok=True)
        # Pagefind may report success having written nothing (a full disk): never publish that.
        problem = search_index_problem(self.folder)
        if problem is not None:
            raise BuildError(
                f"生成的搜索索引不完整（{problem}），网站未更新；"
                f"请检查 {display_path(self.folder.parent)} 所在磁盘是否已满，再重新生成"
            )

    def stop(self) -> None:
        """End the indexer if it still runs (the build failed; its staging folder goes away)."""
        if self.process.poll() is None:
            self.process.kill()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        self.process.wait()
