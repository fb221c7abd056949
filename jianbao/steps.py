"""The render-and-write steps of a build: a `Plan` and a staging folder → the staged files of each output.

Each step renders what the plan says is stale, stages the files whose bytes
changed, records in the manifest what they were made from, and returns what
it did; the recipe (jianbao/recipe.py) calls them in order. PDFs render in
worker processes (`rendering`) while the pages are staged here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING

from jianbao import disk
from jianbao.check.fit import PageFit
from jianbao.docx.document import word_draft
from jianbao.docx.fonts import word_faces
from jianbao.model import Issue, Site
from jianbao.ofd.edition import OFD_SUFFIX, OfdJob, edition_of
from jianbao.options import Options, Progress
from jianbao.pdf.fonts import FontSetup
from jianbao.pdf.typeset import issue_setting, print_html
from jianbao.pdf.workers import (
    EditionJob,
    Failure,
    PrintJob,
    Rendered,
    RenderPool,
    ShortPage,
    Unmade,
    as_rendered,
    default_jobs,
    guarded,
    render_issue,
)
from jianbao.plan import (
    Around,
    Plan,
    Versions,
    cover_path,
    edition_path,
    neighbours,
    pdf_path,
    published,
    unpublished,
    version_path,
)
from jianbao.site.archive import render_archive, render_feed, render_not_found
from jianbao.site.layouts import asset_names, read_assets
from jianbao.site.pages import human_size, render_web_html
from jianbao.write import manifest
from jianbao.write.staging import Staging

if TYPE_CHECKING:
    from jinja2 import Environment


def stage_pages(stage: Staging, plan: Plan, env: Environment, records: manifest.Manifest, options: Options) -> int:
    """Stage the web page (with its articles' images) of each issue whose page is stale; count the
    changed files. A page is stale when its issue or a neighbour it links to changed (`Plan.page_key`)."""
    around = neighbours(plan.shown)
    changed = 0
    for issue in plan.issues:
        unit, key = manifest.page_unit(issue.id), plan.page_key(issue, around)
        if not options.force and records.fresh(unit, key, page_files(issue)):
            continue
        kept = plan.versions.get(issue.id, Versions()).kept
        page = render_page(env, issue, around, made_editions(options), kept)
        files = {f"{issue.id}/index.html": page, **issue_images(issue)}
        changed += stage_unit(stage, records, unit, key, files)
    return changed


def stage_unit(
    stage: Staging, records: manifest.Manifest, unit: str, key: str, files: dict[str, bytes], keep: Iterable[str] = ()
) -> int:
    """Stage one unit's files and record them; what the unit made last time and makes no more (an image no
    article shows, an asset gone from layouts/, an edition no longer made) is removed, but what it must `keep`
    (the PDFs kept from before each correction). Count the changes."""
    kept = set(keep)
    gone = [name for name in records.dropped(unit, files) if name not in kept]
    changed = stage.write(files) + stage.remove_files(gone)
    records.record(unit, key, files)
    return changed


@dataclass
class PdfOutcome:
    """What staging the PDFs did: files changed, issues rendered, issues that failed (and why), editions
    that failed beside a good PDF (issue id → suffix → why)."""

    written: int = 0
    rendered: list[str] = field(default_factory=list)
    failures: dict[str, Failure] = field(default_factory=dict)
    edition_failures: dict[str, dict[str, Failure]] = field(default_factory=dict)
    short_pages: dict[str, tuple[ShortPage, ...]] = field(default_factory=dict)  # the page report of each
    fits: dict[str, PageFit] = field(default_factory=dict)  # how each rendered issue fills its pages


def stage_pdfs(stage: Staging, plan: Plan, pdfs: Iterator[Rendered], records: manifest.Manifest) -> PdfOutcome:
    """Stage each stale PDF as it is ready. A failed issue keeps its last good PDF and page: its page is put
    back and both are left for the next build."""
    by_id = {issue.id: issue for issue in plan.stale}
    outcome = PdfOutcome()
    for result in pdfs:
        issue = by_id[result.issue_id]
        if result.failure is None:
            files = kept_versions(stage, plan, issue)  # read before the new PDF replaces the one they keep
            files |= {pdf_path(issue): result.pdf, cover_path(issue): result.cover}
            files |= {edition_path(issue, suffix): data for suffix, data in result.editions.items()}
            if result.edition_failures:  # the PDF is staged; the edition is reported and made again next time
                outcome.written += stage.write(files)
                outcome.edition_failures[issue.id] = result.edition_failures
                records.forget(issue.id)
            else:
                versions = [version_path(issue, n) for n in plan.versions.get(issue.id, Versions()).kept]
                outcome.written += stage_unit(stage, records, issue.id, plan.keys[issue.id], files, versions)
            outcome.rendered.append(issue.id)
            outcome.short_pages[issue.id] = result.short_pages
            outcome.fits[issue.id] = fit_of(result)
        else:
            outcome.failures[issue.id] = result.failure
            records.forget(issue.id)
            records.forget(manifest.page_unit(issue.id))  # its live page stays; the next build renders it again
    return outcome


def fit_of(result: Rendered) -> PageFit:
    """How a rendered issue fills its pages (check/fit.py)."""
    return PageFit(result.pages, result.room, result.short_pages)


def kept_versions(stage: Staging, plan: Plan, issue: Issue) -> dict[str, bytes]:
    """The PDF this build replaces, under the name of each correction it predates (plan.py `versions_after`)."""
    keeping = plan.versions.get(issue.id, Versions()).keeping
    if not keeping:
        return {}
    previous = (stage.root / pdf_path(issue)).read_bytes()
    return {version_path(issue, number): previous for number in keeping}


def stage_site(stage: Staging, plan: Plan, env: Environment, options: Options, records: manifest.Manifest) -> int:
    """Archive, feed and assets: cheap, rebuilt when an issue's metadata or a PDF size changed."""
    pdf_sizes = {i.id: file_size(records, options, i, pdf_path(i)) for i in published(plan.shown)}
    units = [(i.id, plan.keys[i.id], pdf_sizes[i.id]) for i in published(plan.shown)]
    key = manifest.site_key(plan.shared, units)
    if not options.force and records.fresh(manifest.SITE, key, site_files(options)):
        return 0
    # A Word edition changes only with its issue's key (or the options, in `shared`): no size in the key.
    docx_sizes = {
        i.id: file_size(records, options, i, edition_path(i, DOCX_SUFFIX))
        for i in published(plan.shown)
        if word_layouts(options)
    }
    files = render_site(env, plan.shown, options, pdf_sizes, docx_sizes)
    return stage_unit(stage, records, manifest.SITE, key, files)


def file_size(records: manifest.Manifest, options: Options, issue: Issue, name: str) -> int:
    """The size of one of an issue's files (its PDF, an edition): as recorded for this build, else as found
    on disk (0 if never built)."""
    entry = records.units.get(issue.id)
    if entry is not None and name in entry["sizes"]:
        return int(entry["sizes"][name])
    path = options.output / name
    return path.stat().st_size if path.is_file() else 0


def render_page(
    env: Environment,
    issue: Issue,
    around: Around,
    editions: tuple[str, ...] = (),
    versions: frozenset[int] = frozenset(),
) -> bytes:
    """One issue's web page, linking its neighbours in the archive, the editions made beside its PDF and the
    PDFs kept from before its corrections (`versions`)."""
    previous, following = around.get(issue.id, (None, None))
    return render_web_html(env, issue, previous, following, editions, versions).encode()


DOCX_SUFFIX = ".docx"
NO_WORD_LAYOUTS = (
    "版式文件夹里没有 word/（Word 版的版式），未生成 Word 版；从 jianbao 自带的 layouts/word/ 复制过来即可"
)


def made_editions(options: Options) -> tuple[str, ...]:
    """The suffixes of the editions this build makes beside each PDF."""
    return (*((DOCX_SUFFIX,) if word_layouts(options) else ()), *((OFD_SUFFIX,) if options.ofd else ()))


def word_layouts(options: Options) -> bool:
    """Whether the Word edition is made: asked for, and the layouts have its templates (a project made
    before it existed has none: it gets a notice, not a failed edition for every issue)."""
    return options.docx and (options.layouts / "word").is_dir()


def page_files(issue: Issue) -> list[str]:
    """What an issue's page unit makes: the page and its articles' images."""
    return [f"{issue.id}/index.html", *(f"{issue.id}/{name}" for a in issue.articles for name in a.images)]


def site_files(options: Options) -> list[str]:
    """What the site unit makes: the archive, the feed, the 404 page, the assets (named, not read)."""
    assets = asset_names(options.layouts / "assets", "assets")
    return ["index.html", "feed.xml", "404.html", *assets]


def issue_images(issue: Issue) -> dict[str, bytes]:
    """The articles' images, copied beside the web page at the paths they were written with."""
    return {
        f"{issue.id}/{name}": disk.read_bounded(issue.folder / name, disk.IMAGE)
        for article in issue.articles
        for name in article.images
    }


def render_site(
    env: Environment, site: Site, options: Options, pdf_sizes: dict[str, int], docx_sizes: dict[str, int] | None = None
) -> dict[str, bytes]:
    """The archive page, the feed (enclosing each PDF and Word edition) and the shared assets."""
    sizes = {issue_id: human_size(size) for issue_id, size in pdf_sizes.items()}
    drafts = unpublished(site) if options.drafts else []  # previews list drafts and 送审 issues apart
    covers = frozenset(issue_id for issue_id, size in pdf_sizes.items() if size)  # made with each PDF
    archive = render_archive(env, site, published(site), sizes, drafts, covers)
    feed = render_feed(env, site, published(site), pdf_sizes, docx_sizes)
    not_found = render_not_found(env, site)
    assets = read_assets(options.layouts / "assets", "assets")
    return {"index.html": archive.encode(), "feed.xml": feed.encode(), "404.html": not_found.encode(), **assets}


# --- rendering PDFs, in this process or in worker processes ----------------------------


def print_job(env: Environment, issue: Issue, fonts: FontSetup, options: Options) -> PrintJob:
    """What WeasyPrint needs for one issue: the print HTML, its base folder (the issue's, for images),
    the folders it may read, the PDF variant and extra stylesheets, the articles' files (for error lines)."""
    html = print_html(env, issue, fonts, options.layouts.resolve().as_uri() + "/")
    # An archival variant may need its own overrides (PDF/A: no DeviceCMYK), in layouts/pdfa.css.
    archival = options.layouts / "pdfa.css"
    wants_archival = bool(options.pdf_variant and options.pdf_variant.startswith("pdf/a"))
    extra = (archival,) if wants_archival and archival.is_file() else ()
    roots = [issue.folder, options.layouts, options.fonts]
    articles = tuple(a.source_path for a in issue.articles)
    font_files = tuple(font.path.resolve() for font in fonts.user_fonts)
    editions: tuple[EditionJob, ...] = ()
    if word_layouts(options):  # a Word edition that cannot be drafted fails alone: the PDF and the page are made
        faces = tuple(word_faces(fonts).values())
        draft = guarded(word_draft, issue, options.layouts, faces, issue_setting(issue, fonts))
        editions += (Unmade(DOCX_SUFFIX, draft) if isinstance(draft, Failure) else draft,)
    if options.ofd:
        editions += (OfdJob(edition_of(issue)),)
    return PrintJob(html, issue.folder, tuple(roots), options.pdf_variant, extra, articles, font_files, editions)


@contextmanager
def rendering(
    issues: Iterable[Issue],
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
    issues = list(issues)
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
