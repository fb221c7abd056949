"""Loaded issues → the numbering problems across the archive (第 N 期, 总第 N 期, dates).

Numbers are explicit in each issue.yaml; this stage only checks them, so a
printed number never changes because someone added a folder.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from jianbao.errors import display_path
from jianbao.load.problems import Problems
from jianbao.load.yamlfile import YamlDoc
from jianbao.model import Issue


def check_numbering(issues: list[Issue], docs: dict[str, YamlDoc], problems: Problems) -> None:
    """Within a year `number` runs 1, 2, 3… by date; `total` rises by one each issue; dates strictly increase.

    Drafts are left out. Duplicates and numbers going backwards are errors,
    gaps are warnings (errors under --strict); each message names the issue's
    issue.yaml and line and says what the number should be.
    """
    published = sorted((i for i in issues if not i.draft), key=lambda i: (i.date, i.total))
    for previous, issue in itertools.pairwise(published):
        for key, is_error, message in numbering_problems(previous, issue):
            report = problems.error if is_error else problems.warn
            report(display_path(issue.folder / "issue.yaml"), docs[issue.id].line_of((key,)), message)


def numbering_problems(previous: Issue, issue: Issue) -> Iterator[tuple[str, bool, str]]:
    """(issue.yaml key, is an error, message) for each way `issue` does not follow `previous`."""
    before = f"上一期 {previous.id}"
    if issue.date == previous.date:
        yield "date", True, f"date：与{before} 日期相同（{issue.date}），每期日期应不同"
    expected_total = previous.total + 1
    if issue.total <= previous.total:
        backwards = f"总第{issue.total}期不大于{before} 的总第{previous.total}期"
        yield "total", True, f"total：{backwards}（应为 {expected_total}）"
    elif issue.total > expected_total:
        yield "total", False, f"total：总期号跳号，{before} 为总第{previous.total}期（应为 {expected_total}）"
    same_year = issue.date.year == previous.date.year
    expected = previous.number + 1 if same_year else 1
    if same_year and issue.number <= previous.number:
        backwards = f"第{issue.number}期与{before} 的第{previous.number}期重复或倒序"
        yield "number", True, f"number：{backwards}（应为 {expected}）"
    elif issue.number > expected:
        where = f"{before} 为第{previous.number}期" if same_year else f"{issue.date.year} 年的第一期"
        yield "number", False, f"number：期号跳号，{where}（应为 {expected}）"
