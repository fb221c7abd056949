"""`check`: the content → its errors and warnings on stderr, nothing written (unless --fix).

Exit code 0 when there is no error, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from jianbao.cli.console import EXIT_CONTENT, EXIT_OK, report_problems, say
from jianbao.errors import ContentError

if TYPE_CHECKING:
    from jianbao.model import Article, Site
    from jianbao.pdf.fonts import FontSetup


def run(args: argparse.Namespace) -> int:
    from jianbao.check.fixes import apply_fixes, fix_diff
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
    say(f"检查完毕：{len(site.issues)} 期，{len(warnings)} 条警告，没有错误。", quiet=args.quiet)
    if args.layout:
        return report_layout(site, fonts, args)
    return EXIT_OK


def report_layout(site: Site, fonts: FontSetup, args: argparse.Namespace) -> int:
    """Lay every issue out (nothing written) and say how many pages each takes and which end short, and why."""
    from jianbao.options import Options
    from jianbao.site.pages import make_environment
    from jianbao.steps import rendering

    options = Options(args.content, args.layouts, args.output, ofd=False)
    issues = {issue.id: issue for issue in site.issues}
    env = make_environment(args.layouts)
    with rendering(issues.values(), env, fonts, options, None) as results:
        for result in sorted(results, key=lambda r: (issues[r.issue_id].date, r.issue_id)):
            if result.failure is not None:
                print(f"错误：{result.issue_id} 排版失败：{result.failure.message}", file=sys.stderr)
                return EXIT_CONTENT
            say(f"{result.issue_id}：{result.pages} 页")
            for page in result.short_pages:
                say(f"  {page}")
    return EXIT_OK


def confirm(question: str) -> bool:
    """Ask on the terminal (or read the answer piped in); anything but y/是 — or no answer — is no."""
    try:
        answer = input(question)
    except EOFError:
        print(file=sys.stderr)
        return False
    return answer.strip().lower() in ("y", "yes", "是", "好")
