"""Loaded `Site` + a date → a new issue folder with the next numbers (`new` command).

The next issue follows the latest one by date, drafts included (a draft is
usually the issue being prepared, and `check` numbers it too): `number` goes up
by one within a year and restarts at 1 in a new year, `total` always goes up by
one; `--number` and `--total` set them instead (a bulletin that starts using
jianbao at 第12期). The new issue is a draft (`status: 草稿`) whose article is a
template of placeholders (jianbao/scaffold.py), which `check` reports until
they are replaced.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jianbao.cli.console import EXIT_OK, say
from jianbao.errors import UsageError, display_path
from jianbao.invocation import command, shell_word
from jianbao.model import Site
from jianbao.scaffold import ARTICLE_NAME, article_template, issue_template


@dataclass(frozen=True)
class NextIssue:
    """Where and with which numbers the next issue goes."""

    id: str
    number: int
    total: int
    date: dt.date


def next_issue(site: Site, date: dt.date, *, number: int | None = None, total: int | None = None) -> NextIssue:
    """The numbers of an issue dated `date` that follows every existing issue.

    `number` / `total` given (`new --number 12 --total 86`) start the numbering there: for the first issue
    made with jianbao of a bulletin that has been published before, or to continue after a gap.
    """
    latest = max(site.issues, key=lambda i: (i.date, i.total), default=None)
    if latest is None:
        number = number or 1
        return NextIssue(f"{date.year}-{number:02d}", number, total or number, date)
    if date <= latest.date:
        raise UsageError(f"日期 {date} 不晚于最新一期 {latest.id} 的日期 {latest.date}（用 --date 指定更晚的日期）")
    if total is not None and total <= latest.total:
        raise UsageError(
            f"总第{total}期不大于最新一期 {latest.id} 的总第{latest.total}期；要从头编号，"
            "请先删除示例期刊（见 README“换成自己的刊物”）"
        )
    number = number or (latest.number + 1 if date.year == latest.date.year else 1)
    return NextIssue(f"{date.year}-{number:02d}", number, total or latest.total + 1, date)


def create_issue(content: Path, issue: NextIssue) -> Path:
    """Write issue.yaml and an article template; refuse to touch an existing folder."""
    folder = content / "issues" / issue.id
    if folder.exists():
        raise UsageError(f"{display_path(folder)} 已存在，不会覆盖（请检查期号或改用 --date）")
    folder.mkdir(parents=True)
    text = issue_template(issue.id, issue.number, issue.total, issue.date.isoformat())
    (folder / "issue.yaml").write_text(text, encoding="utf-8")
    (folder / ARTICLE_NAME).write_text(article_template(), encoding="utf-8")
    return folder


def run(args: argparse.Namespace) -> int:
    """`new`: write the next issue's folder and say where it is."""
    from jianbao.markup import load_content

    site, _ = load_content(args.content, strict=False)
    issue = next_issue(site, args.date or dt.date.today(), number=args.number, total=args.total)
    folder = create_issue(args.content, issue)
    say(f"已新建第{issue.number}期（总第{issue.total}期，{issue.date}）：{display_path(folder)}")
    say(next_steps(folder, issue.id), quiet=args.quiet)
    return EXIT_OK


def next_steps(folder: Path, issue_id: str) -> str:
    """What to do with the new draft, as commands to paste."""
    article = shell_word(display_path(folder / ARTICLE_NAME))
    return (
        "下一步：\n"
        f"  1. 在 {article} 里写稿，或导入 Word 稿件：{command('import', '稿件.docx', '--issue', issue_id)}\n"
        f"  2. {command('serve', '--open')}   边写边预览（本期是草稿，预览生成到 preview/ 文件夹）\n"
        f"  3. 写完把 issue.yaml 里的 status 改为 送审，{command('build')} 生成带“送审稿”标记的 PDF 送领导审阅\n"
        f"  4. {command('approve', issue_id, '--by', '姓名')}   签发，再 {command('build')} 和 "
        f"{command('publish', '网站目录')} 发布"
    )
