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
from jianbao.content import load_site
from jianbao.errors import Problem, UsageError
from jianbao.fonts import FontSetup, environment_warnings, resolve_fonts
from jianbao.model import Issue, Site
from jianbao.output import output_lock, read_assets, write_tree

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
    # 3. Write, each file atomically, holding the output folder's lock.
    with output_lock(options.output):
        written = write_tree(options.output, files)
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

    html = render.render_print_html(env, issue, fonts.css())
    pdf = write_pdf(html, options.layouts, [issue.folder, options.layouts, options.fonts], issue.articles)
    siblings = published(site)
    index = siblings.index(issue) if issue in siblings else -1
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if 0 <= index < len(siblings) - 1 else None
    page = render.render_web_html(env, issue, previous, following, render.human_size(len(pdf)))
    return {f"{issue.id}/{issue.pdf_name}": pdf, f"{issue.id}/index.html": page.encode()}


def render_site(env: Environment, site: Site, options: Options, files: dict[str, bytes]) -> dict[str, bytes]:
    """The archive page and the shared assets."""
    sizes = {}
    for issue in published(site):
        key = f"{issue.id}/{issue.pdf_name}"
        path = options.output / key
        size = len(files[key]) if key in files else (path.stat().st_size if path.is_file() else 0)
        sizes[issue.id] = render.human_size(size)
    archive = render.render_archive_html(env, site, published(site), sizes)
    return {"index.html": archive.encode(), **read_assets(options.layouts / "assets", "assets")}
