"""The loaded site, the issues asked for and the output folder's manifest → a `Plan`: what this build must make.

Every issue is keyed by a content hash (write/manifest.py); the stale ones are
those the manifest holds no match for. The plan also says what the archive,
the feed and each page's previous/next links may show: the issues built now
and those the output folder already holds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from jianbao.digests import TreeDigests
from jianbao.errors import UsageError
from jianbao.model import Issue, Site
from jianbao.options import Options
from jianbao.pdf.cover import COVER_NAME
from jianbao.pdf.fonts import FontSetup
from jianbao.write import manifest

Around = dict[str, tuple[Issue | None, Issue | None]]  # issue id → (previous, next) in the archive


@dataclass(frozen=True)
class Plan:
    """What one build makes: the issues asked for and the stale ones among them, each issue's key, and
    the site as the output folder will hold it (`shown`)."""

    issues: tuple[Issue, ...]
    stale: tuple[Issue, ...]
    shown: Site
    shared: str  # the key part every issue shares (options, layouts, fonts, versions)
    keys: dict[str, str]  # issue id → its key

    def page_key(self, issue: Issue, around: Around) -> str:
        """What an issue's web page is made from: the issue, and the neighbours whose numbers it links to."""
        previous, following = (
            (neighbour.id, self.keys[neighbour.id]) if neighbour else None
            for neighbour in around.get(issue.id, (None, None))
        )
        return manifest.page_key(self.shared, self.keys[issue.id], previous, following)


def plan_build(
    site: Site,
    issues: list[Issue],
    options: Options,
    fonts: FontSetup,
    digests: TreeDigests,
    last: manifest.Manifest,
    editions: tuple[str, ...] = (),
) -> Plan:
    """Key every issue by content hash; the stale ones are those the last build's manifest has no match for.
    (`digests`: the issue folders' digests, as far as loading the content needed them; `editions`: the suffixes
    of the editions made beside each PDF, which a fresh issue must have.)"""
    shared = manifest.shared_key(options, fonts)
    keyed = {i.id: i for i in [*issues, *published(site)]}.values()
    keys = {i.id: manifest.issue_key(shared, i, digests[i.folder]) for i in keyed}
    stale: list[Issue] = []
    if not options.pages_only:  # else left stale in the manifest: the next full build renders them
        stale = [i for i in issues if options.force or not last.fresh(i.id, keys[i.id], made_files(i, editions))]
    return Plan(tuple(issues), tuple(stale), on_show(site, issues, options.output), shared, keys)


def made_files(issue: Issue, editions: tuple[str, ...]) -> list[str]:
    """What rendering an issue makes: its PDF, the cover thumbnail, its editions."""
    return [pdf_path(issue), cover_path(issue), *(edition_path(issue, suffix) for suffix in editions)]


def select_issues(site: Site, ids: tuple[str, ...], drafts: bool) -> list[Issue]:
    """The issues named on the command line, or all (drafts only when asked)."""
    if not ids:
        return [i for i in site.issues if drafts or not i.draft]
    by_id = {i.id: i for i in site.issues}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise UsageError(f"没有这一期：{'、'.join(unknown)}（可用：{'、'.join(by_id) or '无'}）")
    return [by_id[i] for i in dict.fromkeys(ids)]


def on_show(site: Site, issues: list[Issue], output: Path) -> Site:
    """The site as the output folder will hold it: the issues built now and those already there.

    A build of some issues into a folder that lacks the others (`build 2025-08 --output 新文件夹`) gets an
    archive, a feed and previous/next links of what the folder holds, never links to missing pages.
    """
    there = {i.id for i in issues} | {i.id for i in site.issues if (output / i.id / "index.html").is_file()}
    if len(there) == len(site.issues):
        return site
    return replace(site, issues=tuple(i for i in site.issues if i.id in there))


def published(site: Site) -> list[Issue]:
    """Issues that appear in the archive."""
    return [i for i in site.issues if not i.draft]


def neighbours(site: Site) -> Around:
    """Each published issue's previous and next published issue (drafts have none)."""
    chain = published(site)
    return {
        issue.id: (chain[k - 1] if k else None, chain[k + 1] if k + 1 < len(chain) else None)
        for k, issue in enumerate(chain)
    }


def pdf_path(issue: Issue) -> str:
    """The PDF's path inside the output folder."""
    return f"{issue.id}/{issue.pdf_name}"


def edition_path(issue: Issue, suffix: str) -> str:
    """An edition's path inside the output folder, beside the PDF: `2025-08/2025-08.ofd`."""
    return f"{issue.id}/{issue.id}{suffix}"


def cover_path(issue: Issue) -> str:
    """The cover thumbnail's path inside the output folder (made with the PDF, shown in the archive)."""
    return f"{issue.id}/{COVER_NAME}"
