"""The recipe of a build: load → check → render → write.

1. Load and check all content (jianbao/markup: the load stage reading files, the Markdown stage making
   article trees); any error raises before anything is written.
2. Plan (jianbao/plan.py): key every issue by content hash against the output folder's manifest; only
   the stale issues' PDFs are rendered — in a process pool when there are several, while the pages are
   staged here.
3. Render and stage (jianbao/steps.py): web pages, PDFs as they come, the archive, feed and assets, the
   search text (jianbao/indexing.py) — each file written only when its bytes change, into a staging
   copy of the site beside the output folder (write/staging.py).
4. Write: the manifest into the staged site, which is swapped into place, so readers never see a
   half-built site. An issue that fails to render is reported; the others still finish.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from jianbao.check.fit import PageFit
from jianbao.digests import TreeDigests
from jianbao.errors import Problem, display_path
from jianbao.indexing import stage_search
from jianbao.load.content import Memo
from jianbao.markup import load_content
from jianbao.markup.memo import load_memo, memo_path, save_memo
from jianbao.model import Issue, Site
from jianbao.options import Options, Progress
from jianbao.pdf.fonts import FontSetup, environment_warnings, resolve_fonts
from jianbao.pdf.internals import check_version
from jianbao.pdf.workers import Failure, RenderPool, ShortPage
from jianbao.plan import plan_build, select_issues
from jianbao.site.archive import belongs, feed_warning
from jianbao.site.pages import make_environment
from jianbao.steps import NO_WORD_LAYOUTS, made_editions, rendering, stage_pages, stage_pdfs, stage_site, word_layouts
from jianbao.write.guard import guard_output
from jianbao.write.lock import output_lock
from jianbao.write.manifest import Manifest
from jianbao.write.staging import Staging

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
    # id → edition suffix → why that edition could not be made (its PDF is fine)
    edition_failures: dict[str, dict[str, Failure]] = field(default_factory=dict)
    short_pages: dict[str, tuple[ShortPage, ...]] = field(default_factory=dict)  # id → its page report
    fits: dict[str, PageFit] = field(default_factory=dict)  # id → how it fills its pages (rendered ones)
    lost_versions: dict[str, tuple[int, ...]] = field(default_factory=dict)  # id → corrections whose before-PDF is gone
    kept_versions: dict[str, tuple[int, ...]] = field(
        default_factory=dict
    )  # id → corrections whose before-PDF was kept

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
        self._memo_path = memo_path(options.output)
        self._loaded: Memo = load_memo(self._memo_path, options.content)
        self._memo_saved = {folder: parsed.key for folder, parsed in self._loaded.items()}

    def build(
        self,
        ids: tuple[str, ...] | None = None,
        progress: Progress | None = None,
        pages_only: bool = False,
        index: bool = True,
    ) -> Report:
        """Build `ids` (default: the options' ids, or everything) and the site pages (only those if `pages_only`).

        Without `index` the search index is left as it was: the next build that has it sees the pages it
        has not indexed (by their digests) and indexes their years.
        """
        options = self.options if ids is None else replace(self.options, ids=ids)
        options = replace(options, pages_only=pages_only, index=index and options.index)
        started = time.perf_counter()
        # 1. Load and check everything; raises ContentError before any output.
        digests = TreeDigests()
        site, warnings = load_content(options.content, strict=options.strict, memo=self._loaded, digests=digests)
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
        report = Report(issues, warnings, self.notices(fonts))
        records = Manifest.load(options.output)  # 2. what the last build made, and from what
        plan = plan_build(site, issues, options, fonts, digests, records, made_editions(options))
        staging = Staging(options.output, belongs(site, options.drafts), records.owned)
        pdfs = rendering(plan.stale, env, fonts, options, progress, self.pool)  # under way while pages stage
        with staging as stage, pdfs as rendered:
            report.written += stage_pages(stage, plan, env, records, options)  # 3. while the workers lay out PDFs
            self.save_memo()  # (its time is off the critical path there too)
            outcome = stage_pdfs(stage, plan, rendered, records)  # each as soon as it is ready
            report.rendered, report.failures = outcome.rendered, outcome.failures
            report.edition_failures, report.short_pages = outcome.edition_failures, outcome.short_pages
            report.fits = outcome.fits
            report.lost_versions = {i: v.lost for i, v in plan.versions.items() if v.lost}
            report.kept_versions = {
                i: v.keeping for i, v in plan.versions.items() if v.keeping and i in outcome.rendered
            }
            stage.revert([f"{issue_id}/index.html" for issue_id in outcome.failures])  # their last good pages
            report.written += outcome.written + stage_search(stage, plan, options, records)  # what is published
            site_written = stage_site(stage, plan, env, options, records)
            report.written += site_written
            if site_written and (warning := feed_warning(site)):  # said when the feed is written, as check says it
                report.warnings.append(Problem(display_path(options.content / "bulletin.yaml"), 0, warning, "warning"))
            records.save(stage.root if stage.opened else options.output, stage.owned or set())  # 4. the swap
            stage.finish()
        return report

    def save_memo(self) -> None:
        """Keep the issues parsed since the memo file was last written, for the next process."""
        now = {folder: parsed.key for folder, parsed in self._loaded.items()}
        if now != self._memo_saved:
            save_memo(self._memo_path, self._loaded)
            self._memo_saved = now

    def environment(self) -> Environment:
        """The Jinja environment, made once (Jinja reloads a template when its file changes)."""
        if self._env is None:
            self._env = make_environment(self.options.layouts)
        return self._env

    def notices(self, fonts: FontSetup) -> list[str]:
        """What is missing from the machine or the layouts — said on the first build only."""
        if self._noticed:
            return []
        self._noticed = True
        lacking = [NO_WORD_LAYOUTS] if self.options.docx and not word_layouts(self.options) else []
        return environment_warnings(fonts) + lacking
