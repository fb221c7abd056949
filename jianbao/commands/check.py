"""`check`: the content → its errors and warnings on stderr, nothing written (unless --fix).

Exit code 0 when there is no error, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from jianbao.cli.console import EXIT_OK, report_problems, say
from jianbao.errors import BuildError, ContentError, Severity

if TYPE_CHECKING:
    from jianbao.check.fit import PageFit
    from jianbao.model import Article, Issue, Site
    from jianbao.pdf.fonts import FontSetup


def run(args: argparse.Namespace) -> int:
    from jianbao.check.fit import fit_problems
    from jianbao.check.fixes import apply_fixes, fix_diff
    from jianbao.check.placeholders import bulletin_placeholder_problems, placeholder_problems
    from jianbao.check.report import lint_article, lint_loaded, lint_site
    from jianbao.markup import load_content
    from jianbao.pdf.fonts import environment_warnings, resolve_fonts, unused_font_files
    from jianbao.site.archive import feed_warning

    loaded: list[tuple[Article, frozenset[str]]] = []  # what loading read, linted beside its errors
    try:
        site, warnings = load_content(args.content, strict=args.strict, loaded=loaded)
    except ContentError as exc:  # the text warnings too, so one round of corrections fixes both
        raise ContentError(exc.problems + lint_loaded(loaded, args.strict)) from None
    fonts = resolve_fonts(args.content.parent / "fonts")
    reports = lint_site(site, args.content, fonts)
    if args.fix:
        diff, changes = fix_diff(reports, lint_article)
        if not changes:
            say("没有可以自动修正的地方。", quiet=args.quiet)
        else:
            say(diff.rstrip("\n"))  # shown even with -q: it is what will be written
            if args.yes or confirm(f"以上改动涉及 {len(changes)} 个文件，确认写入吗？[y/N] "):
                say(f"已自动修正 {apply_fixes(changes)} 个文件。", quiet=args.quiet)
                site, warnings = load_content(args.content, strict=args.strict)
                reports = lint_site(site, args.content, fonts)
            else:
                say("未写入任何文件（加 --yes 可不经询问直接写入）。")
    findings = [p for report in reports for p in report.problems(args.strict)] + fonts.problems()
    severity: Severity = "error" if args.strict else "warning"
    findings += placeholder_problems(site.issues, severity) + bulletin_placeholder_problems(args.content, severity)
    if any(p.severity == "error" for p in findings):
        raise ContentError(warnings + findings)
    # Lay out the issues being prepared (every issue with --layout): how many pages, and what does not fit.
    laid_out = site.issues if args.layout else tuple(i for i in site.issues if not i.publishable)
    fits = lay_out(site, laid_out, fonts, args) if laid_out else {}
    for issue in laid_out:
        findings += fit_problems(issue, fits[issue.id], severity)
    if any(p.severity == "error" for p in findings):
        raise ContentError(warnings + findings)
    warnings = sorted(warnings + findings)
    if not args.quiet:
        report_problems(warnings)
    if args.verbose:
        say("字体：" + "；".join(fonts.describe()))
    feed = feed_warning(site)
    for notice in [*unused_font_files(args.content.parent / "fonts"), *([feed] if feed else [])]:
        say(f"提示：{notice}", quiet=args.quiet, stream=sys.stderr)
    for notice in environment_warnings(fonts):  # what the machine lacks: shown even with -q, as build does
        print(f"提示：{notice}", file=sys.stderr)
    for issue in laid_out:  # the page counts; with --layout every page that ends short, and why
        fit = fits[issue.id]
        say(f"排版：{issue.id} 共 {fit.pages} 页", quiet=args.quiet and not args.layout)
        for page in fit.short_pages if args.layout else ():
            say(f"  {page}")
    say(f"检查完毕：{len(site.issues)} 期，{len(warnings)} 条警告，没有错误。", quiet=args.quiet)
    return EXIT_OK


def lay_out(site: Site, issues: Sequence[Issue], fonts: FontSetup, args: argparse.Namespace) -> dict[str, PageFit]:
    """Lay the issues out (nothing written): how each fills its pages. A layout that fails is an error."""
    from jianbao.options import Options
    from jianbao.site.pages import make_environment
    from jianbao.steps import fit_of, rendering

    options = Options(args.content, args.layouts, args.output, ofd=False)
    env = make_environment(args.layouts)
    fits = {}
    with rendering(issues, env, fonts, options, None) as results:
        for result in results:
            if result.failure is not None:
                raise BuildError(f"{result.issue_id} 排版失败：{result.failure.message}")
            fits[result.issue_id] = fit_of(result)
    return fits


def confirm(question: str) -> bool:
    """Ask on the terminal (or read the answer piped in); anything but y/是 — or no answer — is no."""
    try:
        answer = input(question)
    except EOFError:
        print(file=sys.stderr)
        return False
    return answer.strip().lower() in ("y", "yes", "是", "好")
