"""The loaded site, the issues asked for and the output folder's manifest → a `Plan`: what this build must make.

Every issue is keyed by a content hash (write/manifest.py); the stale ones are
those the manifest holds no match for. The plan also says what the archive,
the feed and each page's previous/next links may show: the issues built now
and those the output folder already holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from jianbao.digests import TreeDigests
from jianbao.errors import UsageError
from jianbao.invocation import command
from jianbao.model import Issue, Site
from jianbao.options import Options
from jianbao.pdf.cover import COVER_NAME
from jianbao.pdf.fonts import FontSetup
from jianbao.write import manifest

Around = dict[str, tuple[Issue | None, Issue | None]]  # issue id → (previous, next) in the archive


@dataclass(frozen=True)
class Plan:
    """What one build makes: the issues asked for and the stale ones among them, each issue's key, and
    the site as the output folder will hold it (`shown`); for corrected issues, the PDFs kept from before
    each correction (`versions`, see `versions_after`)."""

    issues: tuple[Issue, ...]
    stale: tuple[Issue, ...]
    shown: Site
    shared: str  # the key part every issue shares (options, layouts, fonts, versions)
    keys: dict[str, str]  # issue id → its key
    versions: dict[str, Versions] = field(default_factory=dict)  # corrected issue id → its kept PDFs

    def page_key(self, issue: Issue, around: Around) -> str:
        """What an issue's web page is made from: the issue, the PDFs kept from before its corrections, and
        the neighbours whose numbers it links to."""
        previous, following = (
            (neighbour.id, self.keys[neighbour.id]) if neighbour else None
            for neighbour in around.get(issue.id, (None, None))
        )
        kept = self.versions.get(issue.id, Versions()).kept
        return manifest.page_key(self.shared, f"{self.keys[issue.id]}:{sorted(kept)}", previous, following)


@dataclass(frozen=True)
class Versions:
    """A corrected issue's earlier PDFs: the correction numbers whose before-PDF the output will hold
    (`kept`), those this build keeps from the PDF it replaces (`keeping`), and those lost (`lost`: the
    output folder no longer holds the PDF from before them)."""

    kept: frozenset[int] = frozenset()
    keeping: tuple[int, ...] = ()
    lost: tuple[int, ...] = ()


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
    # The status is part of the key: an issue without one may become 送审 because of another issue.
    keys = {i.id: manifest.issue_key(shared, i, f"{digests[i.folder]}:{i.status}") for i in keyed}
    stale: list[Issue] = []
    if not options.pages_only:  # else left stale in the manifest: the next full build renders them
        stale = [i for i in issues if options.force or not last.fresh(i.id, keys[i.id], made_files(i, editions))]
    rendered = {i.id for i in stale}
    versions = {i.id: versions_after(i, options.output, i.id in rendered) for i in issues if i.corrections}
    return Plan(tuple(issues), tuple(stale), on_show(site, issues, options.output), shared, keys, versions)


def versions_after(issue: Issue, output: Path, rendering: bool) -> Versions:
    """Which PDFs from before the issue's corrections the output will hold after this build.

    Correction number n keeps the PDF as it stood before it as `<name>-v<n>.pdf`: when its PDF is
    re-rendered with a correction the PDF it replaces did not have (the PDF records how many it had),
    that PDF is kept. One no longer there to keep (an output folder made afresh) is lost.
    """
    from jianbao.pdf.record import corrections_in

    folder = output / issue.id
    there = {n for n in range(1, len(issue.corrections) + 1) if (folder / issue.version_name(n)).is_file()}
    missing = [n for n in range(1, len(issue.corrections) + 1) if n not in there]
    if not missing:
        return Versions(frozenset(there))
    current = folder / issue.pdf_name
    had = corrections_in(current) if rendering and current.is_file() else None
    keeping = tuple(n for n in missing if had is not None and n > had)
    lost = tuple(n for n in missing if n not in keeping)
    return Versions(frozenset(there | set(keeping)), keeping, lost)


def made_files(issue: Issue, editions: tuple[str, ...]) -> list[str]:
    """What rendering an issue makes: its PDF, the cover thumbnail, its editions."""
    return [pdf_path(issue), cover_path(issue), *(edition_path(issue, suffix) for suffix in editions)]


def select_issues(site: Site, ids: tuple[str, ...], drafts: bool) -> list[Issue]:
    """The issues named on the command line, or all (drafts only when asked: a draft named without
    `--drafts` is refused, so that it never lands in the folder `publish` copies from)."""
    if not ids:
        return [i for i in site.issues if drafts or not i.draft]
    by_id = {i.id: i for i in site.issues}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise UsageError(f"没有这一期：{'、'.join(unknown)}（可用：{'、'.join(by_id) or '无'}）")
    if not drafts and (named := [i for i in ids if by_id[i].draft]):
        how = command("build", "--drafts", *named)
        raise UsageError(
            f"{'、'.join(named)} 是草稿，正式生成不含草稿；预览草稿请用 {how}（生成到 preview/），"
            "或把 issue.yaml 里的 status 改为 送审"
        )
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
    """Issues that appear in the archive, the feed and the search index: signed off (or in an archive that
    does not use approval, every issue but the drafts)."""
    return [i for i in site.issues if i.publishable]


def unpublished(site: Site) -> list[Issue]:
    """Issues built for previews or for review only: drafts and 送审 issues."""
    return [i for i in site.issues if not i.publishable]


def neighbours(site: Site) -> Around:
    """Each published issue's previous and next published issue (drafts and 送审 issues have none)."""
    chain = published(site)
    return {
        issue.id: (chain[k - 1] if k else None, chain[k + 1] if k + 1 < len(chain) else None)
        for k, issue in enumerate(chain)
    }


def pdf_path(issue: Issue) -> str:
    """The PDF's path inside the output folder."""
    return f"{issue.id}/{issue.pdf_name}"


def edition_path(issue: Issue, suffix: str) -> str:
    """An edition's path inside the output folder, beside the PDF and named as it is: `2025-08/2025-08.ofd`."""
    return f"{issue.id}/{issue.file_stem}{suffix}"


def version_path(issue: Issue, number: int) -> str:
    """The path of the PDF as it stood before correction `number`: `2025-08/2025-08-v1.pdf`."""
    return f"{issue.id}/{issue.version_name(number)}"


def cover_path(issue: Issue) -> str:
    """The cover thumbnail's path inside the output folder (made with the PDF, shown in the archive)."""
    return f"{issue.id}/{COVER_NAME}"
