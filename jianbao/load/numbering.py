"""Loaded issues → the numbering problems across the archive (第 N 期, 总第 N 期, dates, folder names).

Numbers are explicit in each issue.yaml; this stage only checks them, so a
printed number never changes because someone added a folder.

Issues are put in order by `total` (then folder name): the total is the
number people are least likely to get wrong, so a wrong **date** is reported
on the issue whose date breaks that order — never on the published issue next
to it — with the neighbouring dates in the message.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator

from jianbao.errors import display_path
from jianbao.load.problems import Problems
from jianbao.load.yamlfile import YamlDoc
from jianbao.model import Issue

FUTURE_DAYS = 30  # a date further ahead than this is probably a typo
FOLDER_RE = re.compile(r"(\d{4})-(\d{1,3})")  # the folder names `new` writes: 2026-12


def check_numbering(
    issues: list[Issue], docs: dict[str, YamlDoc], problems: Problems, today: dt.date | None = None
) -> None:
    """Within a year `number` runs 1, 2, 3…; `total` rises by one each issue; dates strictly increase.

    Drafts are checked as well: a draft is the issue being prepared, and `new` numbers the next issue after
    it, so both agree on what comes next. An issue with no numbering problem is also checked for a date far
    in the future and a folder name that disagrees with its year and number (warnings).
    Duplicates, numbers going backwards and dates out of order are errors, gaps and suspicious dates
    are warnings (errors under --strict); each message names the issue's issue.yaml and line and says
    what the value should be.
    """

    reported: set[str] = set()

    def report(issue: Issue, key: str, is_error: bool, message: str) -> None:
        where = display_path(issue.folder / "issue.yaml")
        (problems.error if is_error else problems.warn)(where, docs[issue.id].line_of((key,)), message)
        reported.add(issue.id)

    ordered = sorted(issues, key=lambda i: (i.total, i.id))
    for issue, message in date_order_problems(ordered):
        report(issue, "date", True, message)
    wrong_dates = set(reported)
    for previous, issue in itertools.pairwise(ordered):
        dates_right = not {previous.id, issue.id} & wrong_dates  # else the year says nothing about the number
        for key, is_error, message in numbering_problems(previous, issue, dates_right=dates_right):
            report(issue, key, is_error, message)
    for issue in [i for i in ordered if i.id not in reported]:  # one story per issue
        for key, message in single_issue_problems(issue, today or dt.date.today()):
            report(issue, key, False, message)


def date_order_problems(issues: list[Issue]) -> Iterator[tuple[Issue, str]]:
    """(issue, message) for each issue (in `total` order) whose date breaks the order of dates.

    Of two issues out of order, the blame goes to the earlier one only when its date alone is
    wrong (the later date fits between the neighbours and the earlier does not); otherwise to the later.
    """
    blamed: set[str] = set()
    dates = [i.date for i in issues]
    for k in range(1, len(issues)):
        first, second = issues[k - 1], issues[k]
        if second.date > first.date:
            continue
        low = dates[k - 2] if k >= 2 else None
        high = dates[k + 1] if k + 1 < len(issues) else None
        if second.date == first.date:
            culprit, message = second, f"date：与上一期 {first.id} 日期相同（{second.date}），每期日期应不同"
        elif _fits(second.date, low, high) and not _fits(first.date, low, high):
            after = f"上一期 {issues[k - 2].id} 的 {low} 与" if low else ""
            message = f"date：本期日期 {first.date} 晚于下一期 {second.id} 的 {second.date}"
            culprit, message = first, f"{message}（按总期号，本期日期应在{after}下一期之间），请核对日期"
        else:
            after = f"，早于下一期 {issues[k + 1].id} 的 {high}" if high else ""
            message = f"date：本期日期 {second.date} 早于上一期 {first.id} 的 {first.date}"
            culprit, message = second, f"{message}（按总期号，本期日期应晚于 {first.date}{after}），请核对日期"
        if culprit.id not in blamed:
            blamed.add(culprit.id)
            yield culprit, message


def _fits(date: dt.date, low: dt.date | None, high: dt.date | None) -> bool:
    return (low is None or low < date) and (high is None or date < high)


def numbering_problems(previous: Issue, issue: Issue, *, dates_right: bool = True) -> Iterator[tuple[str, bool, str]]:
    """(issue.yaml key, is an error, message) for each way `issue` does not follow `previous` (by total).

    The yearly `number` is checked only when both dates are in order (`dates_right`).
    """
    before = f"上一期 {previous.id}"
    expected_total = previous.total + 1
    if issue.total == previous.total:
        backwards = f"总第{issue.total}期不大于{before} 的总第{previous.total}期"
        yield "total", True, f"total：{backwards}（应为 {expected_total}）"
    elif issue.total > expected_total:
        yield "total", False, f"total：总期号跳号，{before} 为总第{previous.total}期（应为 {expected_total}）"
    if not dates_right:
        return
    same_year = issue.date.year == previous.date.year
    if not same_year and issue.number == previous.number + 1 and issue.number != 1:
        # The number continues last year's: the year of the date is the likelier mistake.
        yield (
            "date",
            False,
            f"date：年份 {issue.date.year} 与{before}（{previous.date}）不同，但第{issue.number}期接着上一期的"
            f"第{previous.number}期——日期的年份是不是写错了？"
            f"（如果本期确是 {issue.date.year} 年的第一期，number 应为 1）",
        )
        return
    expected = previous.number + 1 if same_year else 1
    if same_year and issue.number <= previous.number:
        backwards = f"第{issue.number}期与{before} 的第{previous.number}期重复或倒序"
        yield "number", True, f"number：{backwards}（应为 {expected}）"
    elif issue.number > expected:
        where = f"{before} 为第{previous.number}期" if same_year else f"{issue.date.year} 年的第一期"
        yield "number", False, f"number：期号跳号，{where}（应为 {expected}）"


def single_issue_problems(issue: Issue, today: dt.date) -> Iterator[tuple[str, str]]:
    """(issue.yaml key, warning) for a date far in the future or a folder name that tells another story."""
    ahead = (issue.date - today).days
    if ahead > FUTURE_DAYS:
        yield "date", f"date：{issue.date} 比今天（{today}）晚 {ahead} 天，日期是不是写错了？"
    folder = FOLDER_RE.fullmatch(issue.id)
    if folder is None:
        return
    year, number = int(folder[1]), int(folder[2])
    right = f"{issue.date.year}-{issue.number:02d}"
    if year != issue.date.year:
        yield (
            "date",
            f"date：年份 {issue.date.year} 与文件夹名 {issue.id} 的 {year} 年不符，日期的年份是不是写错了？"
            f"（如果日期没错，文件夹名应为 {right}）",
        )
    elif number != issue.number:
        yield (
            "number",
            f"number：第{issue.number}期与文件夹名 {issue.id}（第{number}期）不符；文件夹名就是网址，"
            f"尚未发布的期请改名为 {right}，已发布的期改名会使旧链接失效",
        )
