"""`check`: the content → its errors and warnings on stderr, nothing written (unless --fix).

Exit code 0 when there is no error, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys

from jianbao.cli.console import EXIT_OK, report_problems, say
from jianbao.errors import ContentError


def run(args: argparse.Namespace) -> int:
    from jianbao.load.content import load_site
    from jianbao.load.lint import apply_fixes, fix_diff, lint_site, lint_unloaded
    from jianbao.pdf.fonts import environment_warnings, resolve_fonts, unused_font_files
    from jianbao.site.archive import feed_warning

    try:
        site, warnings = load_site(args.content, strict=args.strict)
    except ContentError as exc:  # the text warnings too, so one round of corrections fixes both
        raise ContentError(exc.problems + lint_unloaded(args.content, args.strict)) from None
    fonts = resolve_fonts(args.content.parent / "fonts")
    reports = lint_site(site, args.content, fonts)
    if args.fix:
        diff, changes = fix_diff(reports)
        say(diff.rstrip("\n"), quiet=args.quiet or not diff)
        say(f"已自动修正 {apply_fixes(changes)} 个文件。", quiet=args.quiet)
        site, warnings = load_site(args.content, strict=args.strict)
        reports = lint_site(site, args.content, fonts)
    findings = [p for report in reports for p in report.problems(args.strict)] + fonts.problems()
    if any(p.severity == "error" for p in findings):
        raise ContentError(warnings + findings)
    warnings = sorted(warnings + findings)
    if not args.quiet:
        report_problems(warnings)
    if args.verbose:
        say("字体：" + "；".join(fonts.describe()))
    feed = feed_warning(site)
    for notice in [
        *unused_font_files(args.content.parent / "fonts"),
        *environment_warnings(fonts),
        *([feed] if feed else []),
    ]:
        say(f"提示：{notice}", quiet=args.quiet, stream=sys.stderr)
    say(f"检查完毕：{len(site.issues)} 期，{len(warnings)} 条警告，没有错误。", quiet=args.quiet)
    return EXIT_OK
