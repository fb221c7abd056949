"""Loaded `Site` + a date → a new issue folder with the next numbers (`new` command).

The next issue follows the latest one by date, drafts included (a draft is
usually the issue being prepared): `number` goes up by one within a year and
restarts at 1 in a new year, `total` always goes up by one; `--number` and
`--total` set them instead (a bulletin that starts using jianbao at 第12期).
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jianbao.cli.console import EXIT_OK, say
from jianbao.errors import UsageError, display_path
from jianbao.model import Site

ISSUE_TEMPLATE = """\
# 第{number}期（总第{total}期）。期号由 `python build.py new` 算出，发布后请勿再改。
number: {number}
total: {total}
date: {date}
# draft: true    # 取消这一行的注释即为草稿：serve 预览时可见，正式生成时不发布
"""

ARTICLE_TEMPLATE = """\
---
title: 文章标题（请修改）
# subtitle: ——副标题（可选）
# author: 作者（可选）
# note: 编者按（可选）
# source: 来源（可选，印在文末）
---

正文第一段。段落之间空一行。

## 一级标题（自动编号为“一、”）

正文。

### 二级标题（自动编号为“（一）”）

正文。
"""


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
    text = ISSUE_TEMPLATE.format(number=issue.number, total=issue.total, date=issue.date.isoformat())
    (folder / "issue.yaml").write_text(text, encoding="utf-8")
    (folder / "01-article.md").write_text(ARTICLE_TEMPLATE, encoding="utf-8")
    return folder


def run(args: argparse.Namespace) -> int:
    """`new`: write the next issue's folder and say where it is."""
    from jianbao.markup import load_content

    site, _ = load_content(args.content, strict=False)
    issue = next_issue(site, args.date or dt.date.today(), number=args.number, total=args.total)
    folder = create_issue(args.content, issue)
    say(f"已新建第{issue.number}期（总第{issue.total}期，{issue.date}）：{display_path(folder)}")
    return EXIT_OK
