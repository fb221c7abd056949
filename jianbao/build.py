"""The recipe of a build: load → check → render → write.

Phase one loads and checks all content and raises before anything is
written. Then the build cache (publish/manifest.py: content hashes)
says which issues' PDFs are stale; only those are rendered — in a process
pool when there are several. Every file goes into a staging copy of the
site beside the output folder (publish/staging.Staging), created only once something
differs, whose pages' text is gathered for the search box and which is
swapped into place at the end, so readers never see a half-built site. A web page is rendered again only when
its issue or a neighbour it links to changed, the archive only when some
issue's metadata or PDF did, and either is written only when its bytes
change. An issue that fails to render is reported; the others still finish.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jianbao.digests import TreeDigests, digest_file
from jianbao.errors import Problem, UsageError, display_path
from jianbao.load import memo
from jianbao.load.content import load_site
from jianbao.model import Issue, Site
from jianbao.options import Options, Progress
from jianbao.pdf.cover import COVER_NAME
from jianbao.pdf.fonts import FontSetup, environment_warnings, resolve_fonts
from jianbao.pdf.weasy_internals import check_version
from jianbao.pdf.workers import (
    Failure,
    PrintJob,
    Rendered,
    RenderPool,
    as_rendered,
    default_jobs,
    guarded,
    render_issue,
)
from jianbao.publish import manifest as cache
from jianbao.publish.staging import Staging, guard_output, output_lock, read_assets, remove_tree
from jianbao.site import archive as site_pages
from jianbao.site import pages as render
from jianbao.site import search

if TYPE_CHECKING:
    from jinja2 import Environment


@dataclass
class Report:
    """What a build did, for the one-line summary."""

    issues: list[Issue] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    written: int = 0
    seconds: float = 0.0
    rendered: list[str] = field(default_factory=list)  # ids whose PDF was rendered, not reused
    failures: dict[str, Failure] = field(default_factory=dict)  # id → why its PDF could not be rendered

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
        # Unchanged issues are not parsed again, in this process or (via the memo file) the next one.
        self._memo_path = memo.content_memo_path(options.content)
        self._loaded: dict[str, Any] = memo.load_content_memo(self._memo_path)
        self._memo_saved = {folder: entry and entry[0] for folder, entry in self._loaded.items()}

    def build(
        self,
        ids: tuple[str, ...] | None = None,
        progress: Progress | None = None,
        pages_only: bool = False,
        index: bool = True,
    ) -> Report:
        """Build `ids` (default: the options' ids, or everything) and the site pages (only those if `pages_only`).

        Without `index` the search index is left as it was: the next build that has it sees the pages it
        has not indexed (by their digests) and reads them.
        """
        options = self.options if ids is None else replace(self.options, ids=ids)
        options = replace(options, pages_only=pages_only, index=index and options.index)
        started = time.perf_counter()
        # 1. Load and check everything; raises ContentError before any output.
        digests = TreeDigests()
        site, warnings = load_site(options.content, strict=options.strict, memo=self._loaded, digests=digests)
        taken_over: list[str] = []  # a stale lock of a killed build, said as a notice
        try:
            issues = select_issues(site, options.ids, options.drafts)
            fonts = resolve_fonts(options.fonts)
            env = self.environment()
            if not self._warm:
                # The modules and the first content stay for the process's life (serve keeps its issues
                # in a memo): freeze them so the collection after each PDF (pdf.py) scans only its own objects.
                gc.freeze()
                self._warm = True
            if not options.pages_only:
                check_version()  # before any PDF: WeasyPrint's internals are verified for one release
            guard_output(options.output, [options.content, options.layouts, options.fonts])
            with output_lock(options.output, taken_over):
                report = self.render_and_write(site, issues, warnings, fonts, env, options, progress, digests)
        finally:
            self.save_memo()  # (done already while the PDFs rendered, unless the build stopped before)
        report.notices[:0] = taken_over
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
        run = WriteRun(site, issues, fonts, env, options, self.pool, Report(issues, warnings, self.notices(fonts)))
        run.find_stale(digests)  # 2. content hashes against the manifest in the output folder
        staging = Staging(options.output, site_pages.belongs(site, options.drafts), run.manifest.owned)
        # The stale PDFs are under way in the workers while the pages are staged here.
        with staging as stage, rendering(run.stale, env, fonts, options, progress, self.pool) as pdfs:
            run.stage_pages(stage)  # 3. web pages first, while the workers lay the PDFs out
            self.save_memo()  # (its time is off the critical path there too)
            run.stage_pdfs(stage, pdfs)  # 4. the stale PDFs, each staged as soon as it is ready
            run.keep_last_good_pages(stage)
            run.stage_search(stage)  # 5. the text of the pages, for the search box
            run.stage_site(stage)  # 6. archive, feed, assets
            run.manifest.save(stage.root if stage.opened else options.output)  # 7. the swap, with its manifest
            stage.finish()
        return run.report

    def save_memo(self) -> None:
        """Keep the issues parsed since the memo file was last written, for the next process."""
        now = {folder: entry and entry[0] for folder, entry in self._loaded.items()}
        if now != self._memo_saved:
            memo.save_content_memo(self._memo_path, self._loaded)
            self._memo_saved = now

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


@dataclass
class WriteRun:
    """One build's write phase: what is stale, and the steps that stage pages, PDFs and site files."""

    site: Site
    issues: list[Issue]
    fonts: FontSetup
    env: Environment
    options: Options
    pool: RenderPool | None
    report: Report
    manifest: cache.Manifest = field(init=False)
    shared: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    stale: list[Issue] = field(default_factory=list)
    shown: Site = field(init=False)  # what the archive, the feed and prev/next may link to (`on_show`)

    def find_stale(self, digests: TreeDigests) -> None:
        """Key every issue by content hash; the stale ones are those the manifest has no match for."""
        self.manifest = cache.Manifest.load(self.options.output)
        self.shown = on_show(self.site, self.issues, self.options.output)
        self.shared = cache.shared_key(self.options, self.fonts)
        keyed = {i.id: i for i in [*self.issues, *published(self.site)]}.values()
        self.keys = {i.id: cache.issue_key(self.shared, i, digests[i.folder]) for i in keyed}
        if not self.options.pages_only:  # else left stale in the manifest: the next full build renders them
            fresh = self.manifest.fresh
            self.stale = [i for i in self.issues if self.options.force or not fresh(i.id, self.keys[i.id])]

    def stage_pages(self, stage: Staging) -> int:
        """Stage the web page (with its articles' images) of each issue whose page is stale; count the
        changed files. A page is stale when its issue or a neighbour it links to changed (`page_key`)."""
        around = neighbours(self.shown)
        changed = 0
        for issue in self.issues:
            unit, key = cache.page_unit(issue.id), self.page_key(issue, around)
            if not self.options.force and self.manifest.fresh(unit, key):
                continue
            files = {f"{issue.id}/index.html": render_page(self.env, issue, around), **issue_images(issue)}
            changed += stage.write(files)
            self.manifest.record(unit, key, files)
        self.report.written += changed
        return changed

    def page_key(self, issue: Issue, around: Around) -> str:
        """What an issue's web page is made from: the issue, and the neighbours whose numbers it links to."""
        previous, following = (
            (neighbour.id, self.keys[neighbour.id]) if neighbour else None
            for neighbour in around.get(issue.id, (None, None))
        )
        return cache.page_key(self.shared, self.keys[issue.id], previous, following)

    def stage_pdfs(self, stage: Staging, pdfs: Iterator[Rendered]) -> None:
        """Stage each stale PDF as it is ready; a failure is recorded, not raised."""
        by_id = {issue.id: issue for issue in self.stale}
        for result in pdfs:
            issue = by_id[result.issue_id]
            if result.failure is None:
                files = {pdf_path(issue): result.pdf, cover_path(issue): result.cover}
                self.report.written += stage.write(files)
                self.manifest.record(issue.id, self.keys[issue.id], files)
                self.report.rendered.append(issue.id)
            else:
                self.report.failures[issue.id] = result.failure
                self.manifest.forget(issue.id)

    def keep_last_good_pages(self, stage: Staging) -> None:
        """An issue whose PDF failed keeps its last good page (the next build renders it again)."""
        for issue_id in self.report.failures:
            self.manifest.forget(cache.page_unit(issue_id))
        if self.report.failures:
            stage.revert([f"{i}/index.html" for i in self.report.failures])

    @property
    def indexing(self) -> bool:
        """Whether this build brings the search index up to date."""
        return self.options.index and not self.options.pages_only

    def stage_search(self, stage: Staging) -> None:
        """The search files (site/search.py): the text of every page the archive lists (drafts too in a
        preview), made again when one of those pages changed; files of an older index are removed."""
        if not self.indexing:
            return
        listed = [
            i
            for i in self.shown.issues
            if (self.options.drafts or not i.draft) and (stage.root / i.id / "index.html").is_file()
        ]
        digests = dict(self.page_digests(stage, [i.id for i in listed]))
        unit, key = cache.search_unit("text"), search.index_key(listed, digests)
        for old in [u for u in self.manifest.units if u.startswith(cache.search_unit("")) and u != unit]:
            self.manifest.forget(old)  # Pagefind's bundles, before
        if not self.options.force and self.manifest.fresh(unit, key):
            return
        files = search.index_files(stage.root, listed, digests)
        self.drop_search_leftovers(stage, search.volume_names(files))
        self.report.written += stage.write(files)
        self.manifest.record(unit, key, files)

    def page_digests(self, stage: Staging, issue_ids: list[str]) -> list[tuple[str, str]]:
        """Each issue's page digest: as this or an earlier build recorded it, else (older manifests) as found."""
        pairs = []
        for issue_id in issue_ids:
            name = f"{issue_id}/index.html"
            entry = self.manifest.units.get(cache.page_unit(issue_id))
            digest = entry["files"].get(name) if entry is not None else None
            pairs.append((issue_id, digest or digest_file(stage.root / name) or ""))
        return pairs

    def drop_search_leftovers(self, stage: Staging, wanted: set[str]) -> None:
        """Remove from `search/` what the new index does not hold (older volumes, files of another layout)."""
        folder = stage.root / search.SEARCH_DIR
        leftovers = [name for name in os.listdir(folder) if name not in wanted] if folder.is_dir() else []
        if not leftovers:
            return
        folder = stage.open() / search.SEARCH_DIR
        for name in leftovers:
            if (folder / name).is_dir() and not (folder / name).is_symlink():
                remove_tree(folder / name)
            else:
                (folder / name).unlink(missing_ok=True)
            self.manifest.owned.discard(f"{search.SEARCH_DIR}/{name}")

    def stage_site(self, stage: Staging) -> None:
        """Archive, feed and assets: cheap, rebuilt when an issue's metadata or a PDF size changed."""
        pdf_sizes = {i.id: pdf_size(self.manifest, self.options, i) for i in published(self.shown)}
        units = [(i.id, self.keys[i.id], pdf_sizes[i.id]) for i in published(self.shown)]
        site_key = cache.site_key(self.shared, units)
        if self.options.force or not self.manifest.fresh(cache.SITE, site_key):
            site_files = render_site(self.env, self.shown, self.options, pdf_sizes)
            self.report.written += stage.write(site_files)
            self.manifest.record(cache.SITE, site_key, site_files)
            # Said when the feed is written, not only by `check`: without base_url its links are relative.
            if warning := site_pages.feed_warning(self.site):
                bulletin = display_path(self.options.content / "bulletin.yaml")
                self.report.warnings.append(Problem(bulletin, 0, warning, "warning"))


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


def pdf_path(issue: Issue) -> str:
    """The PDF's path inside the output folder."""
    return f"{issue.id}/{issue.pdf_name}"


def cover_path(issue: Issue) -> str:
    """The cover thumbnail's path inside the output folder (made with the PDF, shown in the archive)."""
    return f"{issue.id}/{COVER_NAME}"


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
    articles = tuple(a.source_path for a in issue.articles)
    font_files = tuple(font.path.resolve() for font in fonts.user_fonts)
    return PrintJob(html, issue.folder, tuple(roots), options.pdf_variant, extra, articles, font_files)


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
    covers = frozenset(issue_id for issue_id, size in pdf_sizes.items() if size)  # made with each PDF
    archive = site_pages.render_archive(env, site, published(site), sizes, drafts, covers)
    feed = site_pages.render_feed(env, site, published(site), pdf_sizes)
    not_found = site_pages.render_not_found(env, site)
    assets = read_assets(options.layouts / "assets", "assets")
    return {"index.html": archive.encode(), "feed.xml": feed.encode(), "404.html": not_found.encode(), **assets}


# --- rendering PDFs, in this process or in worker processes ----------------------------


@contextmanager
def rendering(
    issues: list[Issue],
    env: Environment,
    fonts: FontSetup,
    options: Options,
    progress: Progress | None,
    pool: RenderPool | None = None,
) -> Iterator[Iterator[Rendered]]:
    """Start rendering the issues' PDFs and give each result in completion order; a failure is
    given as a `Failure`, not raised.

    Jobs for workers are under way once this is entered (in this process, one renders as its result
    is asked for). The print HTML is made here (Jinja is fast); only WeasyPrint's part runs in the
    workers, which therefore never need to load the content model or the templates.
    """
    if progress is not None:
        progress(0, len(issues))
    jobs: dict[str, PrintJob] = {}
    failed: list[Rendered] = []
    for issue in issues:
        job = guarded(print_job, env, issue, fonts, options)
        if isinstance(job, PrintJob):
            jobs[issue.id] = job
        else:
            failed.append(Rendered(issue.id, failure=job))
    workers = default_jobs(options.jobs, len(jobs))
    if pool is not None and pool.workers < workers:
        pool = None  # the one worker started in case an issue changed; several changed: a pool of the full size
    with ExitStack() as stack:
        if pool is None and workers > 1:
            pool = stack.enter_context(RenderPool(workers))
        if pool is not None and jobs:
            results: Iterable[Rendered] = pool.render(jobs)
        else:
            results = (as_rendered(issue_id, guarded(render_issue, job)) for issue_id, job in jobs.items())
        yield counted(chain(failed, results), len(issues), progress)


def counted(results: Iterable[Rendered], total: int, progress: Progress | None) -> Iterator[Rendered]:
    """The results, each told to `progress` as it comes."""
    for done, result in enumerate(results, 1):
        if progress is not None:
            progress(done, total)
        yield result
