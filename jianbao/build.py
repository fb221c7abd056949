"""The recipe of a build: load → check → render → write.

Phase one loads and checks all content and raises before anything is
written. Then the build cache (cache.py: content hashes, never file times)
says which issues' PDFs are stale; only those are rendered — in a process
pool when there are several. Every file goes into a staging copy of the
site beside the output folder (output.Staging), created only once something
differs, which is indexed for search and swapped into place at the end, so
readers never see a half-built site. Web pages and the archive are cheap:
they are always rendered and written only when their bytes change. An issue
that fails to render is reported; the others still finish.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jianbao.digests import TreeDigests
from jianbao.errors import Problem, UsageError
from jianbao.load import memo
from jianbao.load.content import load_site
from jianbao.model import Issue, Site
from jianbao.pdf.fonts import FontSetup, environment_warnings, resolve_fonts
from jianbao.pdf.workers import PrintJob, RenderPool, default_jobs, guarded
from jianbao.publish import manifest as cache
from jianbao.publish.staging import Staging, guard_output, output_lock, read_assets
from jianbao.site import archive as site_pages
from jianbao.site import pages as render
from jianbao.site.search import SearchIndex, lacks_search_index

if TYPE_CHECKING:
    from jinja2 import Environment

Progress = Callable[[int, int], None]  # (issues done, issues to render)


@dataclass(frozen=True)
class Options:
    """What to build, from where, to where, and how."""

    content: Path = Path("content")
    layouts: Path = Path("layouts")
    output: Path = Path("output")
    ids: tuple[str, ...] = ()
    strict: bool = False
    drafts: bool = False
    pdf_variant: str | None = None  # e.g. "pdf/a-2b" for an archival copy
    jobs: int = 0  # PDF render processes; 0 means one per CPU
    force: bool = False  # ignore the build cache
    pages_only: bool = False  # web pages only, no PDF or search index (serve shows the page first)
    index: bool = True  # make the search index (serve makes it in a pass of its own, after the PDF)

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
    rendered: list[str] = field(default_factory=list)  # ids whose PDF was rendered, not reused
    failures: dict[str, str] = field(default_factory=dict)  # id → why its PDF could not be rendered

    @property
    def built(self) -> list[Issue]:
        """The requested issues that are now up to date in the output."""
        return [i for i in self.issues if i.id not in self.failures]


def build(options: Options, progress: Progress | None = None, pool: RenderPool | None = None) -> Report:
    """Build the requested issues and the archive into `options.output` (rendering in `pool` if given)."""
    return Builder(options, pool).build(progress=progress)


class Builder:
    """Builds that keep the slow parts warm between runs.

    A long-lived process (`serve`) keeps one Builder: the Jinja environment
    (with its compiled templates) and, after the first PDF, WeasyPrint and
    its fonts stay loaded, so re-rendering one saved issue costs only its
    layout. Notices about the environment are reported once.
    """

    def __init__(self, options: Options, pool: RenderPool | None = None):
        self.options = options
        self.pool = pool
        self._env: Environment | None = None
        self._noticed = False
        self._warm = False
        # Unchanged issues are not parsed again, in this process or (via .cache/) the next one.
        self._memo_path = memo.content_memo_path(options.content)
        self._loaded: dict[str, Any] = memo.load_content_memo(self._memo_path)
        self._search_owed = False  # a build without the index changed pages the search index has not seen

    def build(
        self,
        ids: tuple[str, ...] | None = None,
        progress: Progress | None = None,
        pages_only: bool = False,
        index: bool = True,
    ) -> Report:
        """Build `ids` (default: the options' ids, or everything) and the site pages (only those if `pages_only`).

        Without `index` the search index is owed, and made by the next build that has it.
        """
        options = self.options if ids is None else replace(self.options, ids=ids)
        options = replace(options, pages_only=pages_only, index=index and options.index)
        started = time.perf_counter()
        # 1. Load and check everything; raises ContentError before any output.
        known = {folder: entry and entry[0] for folder, entry in self._loaded.items()}
        digests = TreeDigests()
        site, warnings = load_site(options.content, strict=options.strict, memo=self._loaded, digests=digests)
        if {folder: entry and entry[0] for folder, entry in self._loaded.items()} != known:
            memo.save_content_memo(self._memo_path, self._loaded)
        issues = select_issues(site, options.ids, options.drafts)
        fonts = resolve_fonts(options.fonts)
        env = self.environment()
        if not self._warm:
            # The modules and the first content stay for the process's life (serve keeps its issues
            # in a memo): freeze them so the collection after each PDF (pdf.py) scans only its own objects.
            gc.freeze()
            self._warm = True
        guard_output(options.output, [options.content, options.layouts])
        with output_lock(options.output):
            report = self.render_and_write(site, issues, warnings, fonts, env, options, progress, digests)
        report.seconds = time.perf_counter() - started
        return report

    def render_and_write(
        self,
        site: Site,
        issues: list[Issue],
        warnings: list[Problem],
        fonts: FontSetup,
        env: Environment,
        options: Options,
        progress: Progress | None,
        digests: TreeDigests,
    ) -> Report:
        """Render what is stale into a staging copy of the site, index it and swap it in
        (`digests`: the issue folders' digests, as far as loading the content needed them)."""
        # 2. Decide what is stale: content hashes against the manifest in the output folder.
        manifest = cache.Manifest.load(options.output)
        shared = cache.shared_key(options, fonts)
        keyed = {i.id: i for i in [*issues, *published(site)]}.values()
        keys = {i.id: cache.issue_key(shared, i, digests[i.folder]) for i in keyed}
        stale = [i for i in issues if options.force or not manifest.fresh(i.id, keys[i.id])]
        if options.pages_only:
            stale = []  # left stale in the manifest: the next full build renders them
        report = Report(issues, warnings, self.notices(fonts))
        with Staging(options.output, site_pages.belongs(site, options.drafts)) as stage:
            # 3. Web pages (with the articles' images) do not depend on the PDFs: staged first, so the
            #    search index can be made in the background while the PDFs render.
            pages: dict[str, bytes] = {}
            around = neighbours(site)
            for issue in issues:
                pages[f"{issue.id}/index.html"] = render_page(env, issue, around)
                pages.update(issue_images(issue))
            pages_changed = stage.write(pages)
            report.written += pages_changed
            searchable = [i.id for i in published(site)]
            indexing = options.index and not options.pages_only
            if not indexing and (pages_changed or stage.dropped):
                self._search_owed = True
            wants_index = indexing and bool(
                pages_changed or stage.dropped or self._search_owed or lacks_search_index(stage.root)
            )
            search = SearchIndex(stage.open(), searchable) if wants_index and searchable else None
            try:
                # 4. The stale PDFs, each staged as soon as it is ready; the others are reused.
                for issue, pdf, error in render_pdfs(stale, env, fonts, options, progress, self.pool):
                    if error is None:
                        report.written += stage.write({pdf_path(issue): pdf})
                        manifest.record(issue.id, keys[issue.id], {pdf_path(issue): pdf})
                        report.rendered.append(issue.id)
                    else:
                        report.failures[issue.id] = error
                        manifest.forget(issue.id)
                if report.failures and stage.revert([f"{i}/index.html" for i in report.failures]) and search:
                    # A failed issue keeps its last good page; index what will actually be published.
                    search.stop()
                    search = SearchIndex(stage.root, searchable)
                # 5. Archive, feed, assets: cheap, rebuilt when an issue's metadata or a PDF size changed.
                pdf_sizes = {i.id: pdf_size(manifest, options, i) for i in published(site)}
                site_key = cache.site_key(shared, [(i.id, keys[i.id], pdf_sizes[i.id]) for i in published(site)])
                if options.force or not manifest.fresh(cache.SITE, site_key):
                    site_files = render_site(env, site, options, pdf_sizes)
                    report.written += stage.write(site_files)
                    manifest.record(cache.SITE, site_key, site_files)
                if wants_index and not searchable:  # no published issue: index the archive page
                    search = SearchIndex(stage.open(), [])
                if search is not None:
                    search.wait()
                    self._search_owed = False
            finally:
                if search is not None:
                    search.stop()
            # 6. The swap; the manifest goes with the site it describes.
            manifest.save(stage.root if stage.opened else options.output)
            stage.finish()
        return report

    def environment(self) -> Environment:
        """The Jinja environment, made once (Jinja reloads a template when its file changes)."""
        if self._env is None:
            self._env = render.make_environment(self.options.layouts)
        return self._env

    def notices(self, fonts: FontSetup) -> list[str]:
        """What is missing from the machine — said on the first build only."""
        if self._noticed:
            return []
        self._noticed = True
        return environment_warnings(fonts)


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


def pdf_path(issue: Issue) -> str:
    """The PDF's path inside the output folder."""
    return f"{issue.id}/{issue.pdf_name}"


def pdf_size(manifest: cache.Manifest, options: Options, issue: Issue) -> int:
    """An issue's PDF size: as recorded for this build, else as found on disk (0 if never built)."""
    entry = manifest.units.get(issue.id)
    if entry is not None and pdf_path(issue) in entry["sizes"]:
        return int(entry["sizes"][pdf_path(issue)])
    path = options.output / pdf_path(issue)
    return path.stat().st_size if path.is_file() else 0


def print_job(env: Environment, issue: Issue, fonts: FontSetup, options: Options) -> PrintJob:
    """What WeasyPrint needs for one issue: the print HTML, its base folder (the issue's, for images),
    the folders it may read, the PDF variant and extra stylesheets, the articles' files (for error lines)."""
    html = render.render_print_html(env, issue, fonts.css(), options.layouts.resolve().as_uri() + "/")
    # An archival variant may need its own overrides (PDF/A: no DeviceCMYK), in layouts/pdfa.css.
    archival = options.layouts / "pdfa.css"
    wants_archival = bool(options.pdf_variant and options.pdf_variant.startswith("pdf/a"))
    extra = (archival,) if wants_archival and archival.is_file() else ()
    roots = [issue.folder, options.layouts, options.fonts]
    return html, issue.folder, roots, options.pdf_variant, extra, tuple(a.source_path for a in issue.articles)


Around = dict[str, tuple[Issue | None, Issue | None]]  # issue id → (previous, next) in the archive


def neighbours(site: Site) -> Around:
    """Each published issue's previous and next published issue (drafts have none)."""
    chain = published(site)
    return {
        issue.id: (chain[k - 1] if k else None, chain[k + 1] if k + 1 < len(chain) else None)
        for k, issue in enumerate(chain)
    }


def render_page(env: Environment, issue: Issue, around: Around) -> bytes:
    """One issue's web page, linking its neighbours in the archive."""
    previous, following = around.get(issue.id, (None, None))
    return render.render_web_html(env, issue, previous, following).encode()


def issue_images(issue: Issue) -> dict[str, bytes]:
    """The articles' images, copied beside the web page at the paths they were written with."""
    return {
        f"{issue.id}/{name}": (issue.folder / name).read_bytes()
        for article in issue.articles
        for name in article.images
    }


def render_site(env: Environment, site: Site, options: Options, pdf_sizes: dict[str, int]) -> dict[str, bytes]:
    """The archive page, the feed and the shared assets."""
    sizes = {issue_id: render.human_size(size) for issue_id, size in pdf_sizes.items()}
    drafts = [i for i in site.issues if i.draft] if options.drafts else []
    archive = site_pages.render_archive(env, site, published(site), sizes, drafts)
    feed = site_pages.render_feed(env, site, published(site), pdf_sizes)
    not_found = site_pages.render_not_found(env, site)
    assets = read_assets(options.layouts / "assets", "assets")
    return {"index.html": archive.encode(), "feed.xml": feed.encode(), "404.html": not_found.encode(), **assets}


# --- rendering PDFs, in this process or in worker processes ----------------------------

Rendered = tuple[Issue, bytes, str | None]  # (issue, PDF, error message or None)


def render_pdfs(
    issues: list[Issue],
    env: Environment,
    fonts: FontSetup,
    options: Options,
    progress: Progress | None,
    pool: RenderPool | None = None,
) -> Iterator[Rendered]:
    """Each issue's PDF, in completion order; a failure is yielded as a message, not raised.

    The print HTML is made here (Jinja is fast); only WeasyPrint's part runs in the workers,
    which therefore never need to load the content model or the templates.
    """
    if progress is not None:
        progress(0, len(issues))
    jobs: dict[str, PrintJob] = {}
    failed: list[Rendered] = []
    for issue in issues:
        html_or_error = guarded(print_job, env, issue, fonts, options)
        if isinstance(html_or_error, str):
            failed.append((issue, b"", html_or_error))
        else:
            jobs[issue.id] = html_or_error
    by_id = {issue.id: issue for issue in issues}
    workers = min(default_jobs(options.jobs), len(jobs))
    with ExitStack() as stack:
        if pool is None and workers > 1:
            pool = stack.enter_context(RenderPool(workers))
        if pool is not None and jobs:
            results = ((by_id[i], pdf, error) for i, pdf, error in pool.render(jobs))
        else:
            results = (_pdf_of(by_id[i], job) for i, job in jobs.items())
        for done, result in enumerate(chain(failed, results), 1):
            if progress is not None:
                progress(done, len(issues))
            yield result


def _pdf_of(issue: Issue, job: PrintJob) -> Rendered:
    """Render one PDF in this process."""
    from jianbao.pdf.engine import write_pdf

    pdf = guarded(write_pdf, *job)
    return (issue, b"", pdf) if isinstance(pdf, str) else (issue, pdf, None)
