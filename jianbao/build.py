"""The recipe of a build: load → check → render → write.

Phase one loads and checks all content and raises before anything is
written; phase two renders every page and PDF in memory, and only then are
the files written, each atomically.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jianbao import render
from jianbao import site as site_pages
from jianbao.content import load_site
from jianbao.errors import Problem, UsageError
from jianbao.fonts import FontSetup, environment_warnings, resolve_fonts
from jianbao.model import Issue, Site
from jianbao.output import guard_output, output_lock, publish, read_assets

if TYPE_CHECKING:
    from jinja2 import Environment


@dataclass(frozen=True)
class Options:
    """What to build, from where, to where."""

    content: Path = Path("content")
    layouts: Path = Path("layouts")
    output: Path = Path("output")
    ids: tuple[str, ...] = ()
    strict: bool = False
    drafts: bool = False
    pdf_variant: str | None = None  # e.g. "pdf/a-2b" for an archival copy

    @property
    def fonts(self) -> Path:
        """Licensed fonts live beside content/."""
        return self.content.parent / "fonts"


@dataclass
class Report:
    """What a build did, for the one-line summary."""

    issues: list[Issue] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    written: int = 0
    seconds: float = 0.0


def build(options: Options) -> Report:
    """Build the requested issues and the archive into `options.output`."""
    started = time.perf_counter()
    # 1. Load and check everything; raises ContentError before any output.
    site, warnings = load_site(options.content, strict=options.strict)
    issues = select_issues(site, options.ids, options.drafts)
    fonts = resolve_fonts(options.fonts)
    env = render.make_environment(options.layouts)
    # 2. Render every PDF and page in memory.
    files: dict[str, bytes] = {}
    for issue in issues:
        files.update(render_issue(env, site, issue, fonts, options))
    files.update(render_site(env, site, options, files))
    # 3. Write into a copy of the old site, index it for search, swap it into place.
    guard_output(options.output, [options.content, options.layouts])
    with output_lock(options.output):
        written = publish(
            options.output, files, site_pages.belongs(site, options.drafts), site_pages.search_indexer(site)
        )
    return Report(issues, warnings, environment_warnings(fonts), written, time.perf_counter() - started)


def select_issues(site: Site, ids: tuple[str, ...], drafts: bool) -> list[Issue]:
    """The issues named on the command line, or all (drafts only when asked)."""
    if not ids:
        return [i for i in site.issues if drafts or not i.draft]
    by_id = {i.id: i for i in site.issues}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise UsageError(f"没有这一期：{'、'.join(unknown)}（可用：{'、'.join(by_id) or '无'}）")
    return [by_id[i] for i in dict.fromkeys(ids)]


def published(site: Site) -> list[Issue]:
    """Issues that appear in the archive."""
    return [i for i in site.issues if not i.draft]


def render_issue(env: Environment, site: Site, issue: Issue, fonts: FontSetup, options: Options) -> dict[str, bytes]:
    """One issue's PDF and web page, keyed by output path."""
    from jianbao.pdf import write_pdf  # WeasyPrint is slow to import; only builds need it

    html = render.render_print_html(env, issue, fonts.css(), options.layouts.resolve().as_uri() + "/")
    roots = [issue.folder, options.layouts, options.fonts]
    # An archival variant may need its own overrides (PDF/A: no DeviceCMYK), in layouts/pdfa.css.
    archival = options.layouts / "pdfa.css"
    extra = (
        (archival,) if options.pdf_variant and options.pdf_variant.startswith("pdf/a") and archival.is_file() else ()
    )
    pdf = write_pdf(
        html, issue.folder, roots, pdf_variant=options.pdf_variant, stylesheets=extra, articles=issue.articles
    )
    siblings = published(site)
    index = siblings.index(issue) if issue in siblings else -1
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if 0 <= index < len(siblings) - 1 else None
    page = render.render_web_html(env, issue, previous, following, render.human_size(len(pdf)))
    return {f"{issue.id}/{issue.pdf_name}": pdf, f"{issue.id}/index.html": page.encode(), **issue_images(issue)}


def issue_images(issue: Issue) -> dict[str, bytes]:
    """The articles' images, copied beside the web page at the paths they were written with."""
    return {
        f"{issue.id}/{name}": (issue.folder / name).read_bytes()
        for article in issue.articles
        for name in article.images
    }


def render_site(env: Environment, site: Site, options: Options, files: dict[str, bytes]) -> dict[str, bytes]:
    """The archive page, the feed and the shared assets."""
    sizes = {}
    for issue in published(site):
        key = f"{issue.id}/{issue.pdf_name}"
        path = options.output / key
        size = len(files[key]) if key in files else (path.stat().st_size if path.is_file() else 0)
        sizes[issue.id] = render.human_size(size)
    drafts = [i for i in site.issues if i.draft] if options.drafts else []
    archive = site_pages.render_archive(env, site, published(site), sizes, drafts)
    feed = site_pages.render_feed(env, site, published(site))
    assets = read_assets(options.layouts / "assets", "assets")
    return {"index.html": archive.encode(), "feed.xml": feed.encode(), **assets}
