"""Numbering integrity across the archive, on the multi-year fixture."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.errors import ContentError, Problem
from jianbao.markup import load_content


def set_issue(project: Path, issue_id: str, text: str) -> None:
    (project / "content/issues" / issue_id / "issue.yaml").write_text(text, encoding="utf-8")


def drop_draft(project: Path) -> None:
    """Remove the fixture's draft 2025-02 (numbered like any issue) from a test about the issues before it."""
    shutil.rmtree(project / "content/issues/2025-02")


def problems_of(project: Path, *, strict: bool = False) -> list[Problem]:
    """Every problem of a load: the errors if it failed, else the warnings."""
    try:
        return load_content(project / "content", strict=strict)[1]
    except ContentError as exc:
        return exc.problems


def test_fixture_numbers_restart_in_a_new_year_and_drafts_are_loaded(multiyear: Path) -> None:
    site, warnings = load_content(multiyear / "content")
    assert warnings == []
    assert [(i.id, i.number, i.total, i.draft) for i in site.issues] == [
        ("2024-11", 11, 23, False),
        ("2024-12", 12, 24, False),
        ("2025-01", 1, 25, False),
        ("2025-02", 2, 26, True),
    ]


def test_duplicate_number_names_folder_line_and_expected_number(multiyear: Path) -> None:
    set_issue(multiyear, "2024-12", "total: 24\nnumber: 11\ndate: 2024-12-20\n")
    (problem,) = problems_of(multiyear)
    assert problem.severity == "error"
    assert problem.path.endswith("issues/2024-12/issue.yaml") and problem.line == 2
    assert problem.message == "number：第11期与上一期 2024-11 的第11期重复或倒序（应为 12）"


def test_newest_issue_dated_too_early_is_blamed_not_the_published_one(multiyear: Path) -> None:
    # The friction report: the new issue got a date before the previous one's; the message used to land
    # on the published issue ("第12期与上一期 … 重复或倒序") and following it would have damaged it.
    drop_draft(multiyear)
    set_issue(multiyear, "2025-01", "number: 1\ntotal: 25\ndate: 2024-12-10\n")
    (problem,) = problems_of(multiyear)
    assert problem.severity == "error"
    assert problem.path.endswith("issues/2025-01/issue.yaml") and problem.line == 3
    assert problem.message == (
        "date：本期日期 2024-12-10 早于上一期 2024-12 的 2024-12-20（按总期号，本期日期应晚于 2024-12-20），请核对日期"
    )


def test_a_date_too_late_in_the_middle_is_blamed_on_its_issue(multiyear: Path) -> None:
    set_issue(multiyear, "2025-02", "number: 2\ntotal: 26\ndate: 2025-02-14\n")
    set_issue(multiyear, "2024-12", "number: 12\ntotal: 24\ndate: 2025-03-01\n")
    (problem,) = problems_of(multiyear)
    assert problem.path.endswith("issues/2024-12/issue.yaml") and problem.line == 3
    assert problem.message == (
        "date：本期日期 2025-03-01 晚于下一期 2025-01 的 2025-01-10"
        "（按总期号，本期日期应在上一期 2024-11 的 2024-11-15 与下一期之间），请核对日期"
    )


def test_a_year_typo_is_called_a_date_problem(multiyear: Path) -> None:
    set_issue(multiyear, "2025-02", "number: 2\ntotal: 26\ndate: 2026-02-14\n")
    (problem,) = problems_of(multiyear)
    assert problem.severity == "warning" and problem.line == 3
    assert problem.message.startswith("date：年份 2026 与上一期 2025-01（2025-01-10）不同，但第2期接着上一期的第1期")
    assert "期号跳号" not in problem.message


def test_date_far_in_the_future_is_a_warning(minimal: Callable[..., Path]) -> None:
    ahead = dt.date.today() + dt.timedelta(days=40)
    project = minimal(issue=f"number: 1\ntotal: 1\ndate: {ahead}\n", issue_id=f"{ahead.year}-01")
    (problem,) = problems_of(project)
    assert problem.severity == "warning" and problem.line == 3
    assert problem.message == f"date：{ahead} 比今天（{dt.date.today()}）晚 40 天，日期是不是写错了？"
    soon = dt.date.today() + dt.timedelta(days=20)
    issues = project / "content/issues"
    (issues / f"{ahead.year}-01").rename(issues / f"{soon.year}-01")
    set_issue(project, f"{soon.year}-01", f"number: 1\ntotal: 1\ndate: {soon}\n")
    assert problems_of(project) == []


def test_folder_name_disagreeing_with_issue_yaml_is_a_warning(minimal: Callable[..., Path]) -> None:
    project = minimal(issue="number: 12\ntotal: 86\ndate: 2026-01-10\n", issue_id="2026-01")
    (problem,) = problems_of(project)
    assert problem.severity == "warning" and problem.line == 1
    assert problem.message.startswith("number：第12期与文件夹名 2026-01（第1期）不符")
    assert "改名为 2026-12" in problem.message
    set_issue(project, "2026-01", "number: 1\ntotal: 1\ndate: 2025-01-10\n")
    (problem,) = problems_of(project)
    assert problem.message.startswith("date：年份 2025 与文件夹名 2026-01 的 2026 年不符")


def test_same_date_is_an_error(multiyear: Path) -> None:
    set_issue(multiyear, "2024-12", "number: 12\ntotal: 24\ndate: 2024-11-15\n")
    messages = [str(p) for p in problems_of(multiyear)]
    assert any("2024-12/issue.yaml:3: date：与上一期 2024-11 日期相同（2024-11-15）" in m for m in messages)


def test_first_issue_of_a_year_should_be_number_one(multiyear: Path) -> None:
    drop_draft(multiyear)
    set_issue(multiyear, "2025-01", "number: 2\ntotal: 25\ndate: 2025-01-10\n")
    (problem,) = problems_of(multiyear)
    assert problem.severity == "warning"
    assert problem.line == 1
    assert problem.message == "number：期号跳号，2025 年的第一期（应为 1）"


@pytest.mark.parametrize("strict", [False, True])
def test_gaps_are_warnings_and_errors_under_strict(multiyear: Path, strict: bool) -> None:
    drop_draft(multiyear)
    set_issue(multiyear, "2024-12", "number: 13\ntotal: 25\ndate: 2024-12-20\n")
    set_issue(multiyear, "2025-01", "number: 1\ntotal: 26\ndate: 2025-01-10\n")
    problems = problems_of(multiyear, strict=strict)
    assert [(p.line, p.message) for p in problems] == [
        (1, "number：期号跳号，上一期 2024-11 为第11期（应为 12）"),
        (2, "total：总期号跳号，上一期 2024-11 为总第23期（应为 24）"),
    ]
    assert {p.severity for p in problems} == {"error" if strict else "warning"}


def test_drafts_are_numbered_as_new_numbers_them(multiyear: Path) -> None:
    # A draft is the issue being prepared: `new` numbers the next issue after it, so `check` counts it too.
    # On main a draft was left out, and after draft 总第26期 `new` made 总第27期 while `check` wanted 26.
    expected = {
        "number：第1期与上一期 2025-01 的第1期重复或倒序（应为 2）",
        "total：总第25期不大于上一期 2025-01 的总第25期（应为 26）",
    }
    for status in ("draft: true", "status: 草稿", ""):
        set_issue(multiyear, "2025-02", f"number: 1\ntotal: 25\ndate: 2025-02-14\n{status}\n")
        assert {p.message for p in problems_of(multiyear)} == expected
    # The issue `new` makes after the draft 总第26期 is 总第27期, and `check` agrees (main wanted 26 there).
    set_issue(multiyear, "2025-02", "number: 2\ntotal: 26\ndate: 2025-02-14\nstatus: 草稿\n")
    shutil.copytree(multiyear / "content/issues/2025-02", multiyear / "content/issues/2025-03")
    set_issue(multiyear, "2025-03", "number: 3\ntotal: 27\ndate: 2025-03-14\nstatus: 草稿\n")
    assert problems_of(multiyear, strict=True) == []
