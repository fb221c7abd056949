"""`import`: one manuscript (.docx, .md, .txt) into an issue; the work is jianbao/importing/.

Picks the issue (`--issue`, else the newest), imports the file and says
what was written and what could not be converted.
"""

from __future__ import annotations

import argparse

from jianbao.cli.console import EXIT_OK, say, shout
from jianbao.errors import UsageError, display_path
from jianbao.importing.edition import edition_properties
from jianbao.importing.manuscript import import_manuscript, newest_issue


def run(args: argparse.Namespace) -> int:
    """`import`: convert one manuscript into the given issue and say what was written."""
    from jianbao.model import ISSUE_ID_RE

    edition = edition_properties(args.file) if args.file.suffix.lower() == ".docx" and args.file.is_file() else None
    issue = args.issue or (edition[0] if edition else newest_issue(args.content))
    if not ISSUE_ID_RE.match(issue):  # it names a folder: no path tricks
        raise UsageError(f"期号“{issue}”只能用小写字母、数字和连字符（如 2025-08）")
    result = import_manuscript(args.file, args.content / "issues" / issue, args.name, args.replace)
    if not args.issue:
        where = f" Word 版所属的一期 {issue}" if edition else f"最新一期 {issue}"
        say(f"已导入到{where}（用 --issue 指定其他期）", quiet=args.quiet)
    for path in result.written:
        say(f"已写入 {display_path(path)}", quiet=args.quiet)
    for line in result.summary:
        say(f"  {line}", quiet=args.quiet)
    for line in result.lost:
        shout(f"未能转换：{line}", "yellow")
    for line in result.warnings:
        shout(f"注意：{line}", "yellow")
    return EXIT_OK
