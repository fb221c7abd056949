"""Model + built pages → the site around the issues: archive, Atom feed, search index.

`render_archive` and `render_feed` turn the published issues into
`index.html` and `feed.xml` (Jinja layouts, so the office can restyle them);
`SearchIndex` runs Pagefind (extended build, with Chinese segmentation) over
the staged issue pages and writes `pagefind/`. Drafts never reach any of them.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable
from itertools import groupby
from pathlib import Path

import jinja2

from jianbao.errors import BuildError
from jianbao.model import ISSUE_ID_RE, Issue, Site
from jianbao.site.pages import render_layout

SEARCH_DIR = "pagefind"
# Pagefind writes several UIs; the pages use only the default one (pagefind-ui.*).
UNUSED_SEARCH_FILES = (
    "pagefind-component-ui.css",
    "pagefind-component-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-highlight.js",
)
# Top-level names of the output folder that are not issue folders.
SITE_FILES = frozenset({"index.html", "feed.xml", "assets", SEARCH_DIR})
# Feed ids must never change once readers have seen them: derive them from names, not from paths or times.
_FEED_NAMESPACE = uuid.UUID("5b0f6c3e-4a61-4f4e-9d7e-6a2f1c1b8e01")


def render_archive(
    env: jinja2.Environment, site: Site, issues: list[Issue], pdf_sizes: dict[str, str], drafts: list[Issue]
) -> str:
    """The archive index: published issues newest first, grouped by year (drafts listed apart for previews)."""
    years = [(year, list(group)) for year, group in groupby(newest_first(issues), key=lambda i: i.date.year)]
    return render_layout(env, "archive.html", bulletin=site.bulletin, years=years, pdf_sizes=pdf_sizes, drafts=drafts)


def render_feed(env: jinja2.Environment, site: Site, issues: list[Issue]) -> str:
    """The Atom 1.0 feed: one entry per published issue, newest first."""
    return render_layout(
        env,
        "feed.xml",
        bulletin=site.bulletin,
        issues=newest_first(issues),
        base=link_base(site.bulletin.base_url),
        feed_id=feed_id(site.bulletin.title, ""),
        entry_id=lambda issue: feed_id(site.bulletin.title, issue.id),
        timestamp=lambda issue: f"{issue.date.isoformat()}T00:00:00+08:00",
    )


def newest_first(issues: list[Issue]) -> list[Issue]:
    """Issues by date (then total), the newest first."""
    return sorted(issues, key=lambda i: (i.date, i.total), reverse=True)


def feed_id(title: str, issue_id: str) -> str:
    """A stable `urn:uuid:` for the feed (empty id) or one issue."""
    return uuid.uuid5(_FEED_NAMESPACE, f"{title}/{issue_id}").urn


def link_base(base_url: str) -> str:
    """Prefix for feed links: empty (relative to feed.xml) unless bulletin.yaml gives the site's address."""
    return "" if base_url in ("", "/") else base_url.rstrip("/") + "/"


def belongs(site: Site, drafts: bool) -> Callable[[str], bool]:
    """Which top-level names of the output folder this build keeps (stale issues and drafts go)."""
    wanted = {issue.id for issue in site.issues if drafts or not issue.draft}
    return lambda name: name in SITE_FILES or name in wanted or not ISSUE_ID_RE.match(name)


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
        command = [str(get_executable()), "--site", str(folder), "--output-subdir", SEARCH_DIR, "--glob", glob]
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
