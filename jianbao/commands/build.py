"""`build`: options → PDFs and web pages in the output folder, and a summary line.

Exit code 0, or 1 when some issue failed (its last output is kept).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jianbao.cli.console import EXIT_CONTENT, EXIT_OK, report_problems, say, shout

if TYPE_CHECKING:
    from jianbao.errors import Problem
    from jianbao.pdf.workers import Failure
    from jianbao.recipe import Report


def run(args: argparse.Namespace) -> int:
    from jianbao.pdf.workers import RenderPool, default_jobs
    from jianbao.write.manifest import holds_manifest

    # Start the workers now, so loading WeasyPrint in them overlaps loading jianbao and the content
    # here: all of them for a forced or first build, which will surely render; otherwise one, for the
    # issue an editor most likely changed (a build that renders nothing ends it unused, at once).
    surely_renders = args.force or not holds_manifest(args.output)
    workers = default_jobs(args.jobs, len(args.ids) or count_issue_folders(args.content)) if surely_renders else 1
    with RenderPool.start(workers) as pool:
        from jianbao.cli.progress import progress_bar
        from jianbao.recipe import Options, build

        options = Options(
            args.content,
            args.layouts,
            args.output,
            tuple(args.ids),
            args.strict,
            args.drafts,
            pdf_variant=args.pdf_variant,
            docx=not args.no_docx,
            jobs=args.jobs,
            force=args.force,
            ofd=not args.no_ofd,
        )
        with progress_bar(args.quiet) as progress:
            report = build(options, progress, pool)
    if not args.quiet:
        from jianbao.check.report import about, lint_issues, warning_lines

        # The warnings about what was built (a build of one issue says nothing of the others), and the
        # first few text warnings, which used to surface only in `check`.
        report_problems(about(report.warnings, report.issues, args.content))
        report_problems(workflow_warnings(report, args.content))
        for line in warning_lines(lint_issues(report.built)):
            shout(line, "yellow")
        for line in workflow_notes(report, args.output):
            say(line)
    for notice in report.notices:  # what the machine lacks, said once: shown even with -q
        print(f"提示：{notice}", file=sys.stderr)
    for message, ids in failures_by_message(report.failures, args.verbose):
        print(f"错误：{ids} 生成失败：{message}", file=sys.stderr)
    for suffix, name in EDITION_NAMES.items():
        failed = {issue_id: why[suffix] for issue_id, why in report.edition_failures.items() if suffix in why}
        for message, ids in failures_by_message(failed, args.verbose):
            print(f"错误：{ids} 的 {name}生成失败（PDF 已生成）：{message}", file=sys.stderr)
    if args.verbose:  # the layout report: every page that ends short, and the rule that made it short
        for issue_id, pages in sorted(report.short_pages.items()):
            for page in pages:
                say(f"排版提示：{issue_id} {page}")
    say(summary(report), quiet=args.quiet)
    if report.failures:
        print(f"{len(report.failures)} 期生成失败（这些期上次的输出保持不变），其余各期已生成。", file=sys.stderr)
        return EXIT_CONTENT
    if report.edition_failures:
        for suffix, name in EDITION_NAMES.items():
            count = sum(suffix in why for why in report.edition_failures.values())
            if count:
                print(f"{count} 期的 {name}生成失败（上次的 {name}保持不变），PDF 和网页已生成。", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


EDITION_NAMES = {".docx": "Word 版", ".ofd": "OFD 版"}  # an edition's name in a message


def workflow_warnings(report: Report, content: Path) -> list[Problem]:
    """What stands between the built issues and publishing: template text, and pages that do not fit."""
    from jianbao.check.fit import fit_problems
    from jianbao.check.placeholders import bulletin_placeholder_problems, placeholder_problems

    found = placeholder_problems(report.built) + (bulletin_placeholder_problems(content) if report.built else [])
    for issue in report.built:
        if issue.id in report.fits:
            found += fit_problems(issue, report.fits[issue.id])
    return found


def workflow_notes(report: Report, output: Path) -> list[str]:
    """The page count of each issue being prepared, where each 送审稿 is, and the corrections' lost PDFs."""
    from jianbao.errors import display_path
    from jianbao.plan import pdf_path, version_path

    notes = []
    for issue in report.built:
        fit = report.fits.get(issue.id)
        if fit is not None and not issue.publishable:
            notes.append(f"排版：{issue.id} 共 {fit.pages} 页")
        if issue.in_review:
            where = display_path(output / pdf_path(issue))
            notes.append(f"送审稿：{where}（带“送审稿”标记；签发后才会发布）")
    for issue in report.built:
        for number in report.kept_versions.get(issue.id, ()):
            where = display_path(output / version_path(issue, number))
            notes.append(f"更正：{issue.id} 更正前的 PDF 保留为 {where}，网页上的更正说明链接它")
    for issue_id, numbers in report.lost_versions.items():
        numbers_text = "、".join(f"第{n}条" for n in numbers)
        notes.append(f"提示：{issue_id} {numbers_text}更正之前的 PDF 不在输出文件夹里，更正说明里不链接它")
    return notes


def count_issue_folders(content: Path) -> int:
    """How many issues there may be (folders in content/issues/), before the content is loaded."""
    try:
        return max(1, sum(entry.is_dir() for entry in (content / "issues").iterdir()))
    except OSError:
        return 1


def failures_by_message(failures: dict[str, Failure], verbose: bool = False) -> list[tuple[str, str]]:
    """(message, issues) pairs: a layout error that fails every issue is said once, not 150 times.

    An internal error's traceback is shown only when `verbose`.
    """
    grouped: dict[str, list[str]] = {}
    for issue_id, failure in sorted(failures.items()):
        message = f"{failure.message}\n{failure.traceback}" if failure.internal and verbose else failure.message
        grouped.setdefault(message, []).append(issue_id)
    return [
        (message, "、".join(ids) if len(ids) <= 3 else f"{ids[0]} 等 {len(ids)} 期") for message, ids in grouped.items()
    ]


def summary(report: Report) -> str:
    """`已生成 150 期：PDF 150，网页 150，用时 41.2 秒` (PDFs reused from the last build counted apart)."""
    built = len(report.built)
    reused = built - len(report.rendered)
    pdfs = f"PDF {len(report.rendered)}" + (f"（另 {reused} 份未改动，沿用上次）" if reused else "")
    return f"已生成 {built} 期：{pdfs}，网页 {built}，用时 {report.seconds:.1f} 秒"
