"""Staged issue pages → `pagefind/`, the site's Chinese full-text search index.

Pagefind's extended build (with Chinese segmentation) runs in the background
over the published issue pages while the PDFs render; drafts are never indexed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from jianbao.errors import BuildError

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


def lacks_search_index(folder: Path) -> bool:
    """Whether a built site has no search index yet (say, it was deleted by hand)."""
    return not (folder / SEARCH_DIR).is_dir()


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
            [*command, "--keep-index-url", "--silent"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def wait(self) -> None:
        """Wait for the index; a failure is a one-line error."""
        stdout, stderr = self.process.communicate()
        if self.process.returncode != 0:
            detail = (stderr or stdout).strip().splitlines()
            raise BuildError(f"生成搜索索引失败：{detail[-1] if detail else self.process.returncode}")
        for name in UNUSED_SEARCH_FILES:
            (self.folder / SEARCH_DIR / name).unlink(missing_ok=True)

    def stop(self) -> None:
        """End the indexer if it still runs (the build failed; its staging folder goes away)."""
        if self.process.poll() is None:
            self.process.kill()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        self.process.wait()
