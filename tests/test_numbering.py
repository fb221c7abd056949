"""Numbering integrity across the archive (SPEC §2), on the multi-year fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.errors import ContentError, Problem
from jianbao.load.content import load_site


def set_issue(project: Path, issue_id: str, text: str) -> None:
    (project / "content/issues" / issue_id / "issue.yaml").write_text(text, encoding="utf-8")


def problems_of(project: Path, *, strict: bool = False) -> list[Problem]:
    """Every problem of a load: the errors if it failed, else the warnings."""
    try:
        return load_site(project / "content", strict=strict)[1]
    except ContentError as exc:
        return exc.problems


def test_fixture_numbers_restart_in_a_new_year_and_drafts_are_loaded(multiyear: Path) -> None:
    site, warnings = load_site(multiyear / "content")
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


def test_number_out_of_date_order_is_an_error(multiyear: Path) -> None:
    # 2024-11 dated after 2024-12 sorts after it, so its number 11 goes backwards.
    set_issue(multiyear, "2024-11", "number: 11\ntotal: 23\ndate: 2024-12-25\n")
    messages = [p.message for p in problems_of(multiyear) if p.severity == "error"]
    assert "number：第11期与上一期 2024-12 的第12期重复或倒序（应为 13）" in messages
    assert "total：总第23期不大于上一期 2024-12 的总第24期（应为 25）" in messages


def test_same_date_is_an_error(multiyear: Path) -> None:
    set_issue(multiyear, "2024-12", "number: 12\ntotal: 24\ndate: 2024-11-15\n")
    messages = [str(p) for p in problems_of(multiyear)]
    assert any("2024-12/issue.yaml:3: date：与上一期 2024-11 日期相同（2024-11-15）" in m for m in messages)


def test_first_issue_of_a_year_should_be_number_one(multiyear: Path) -> None:
    set_issue(multiyear, "2025-01", "number: 2\ntotal: 25\ndate: 2025-01-10\n")
    (problem,) = problems_of(multiyear)
    assert problem.severity == "warning"
    assert problem.line == 1
    assert problem.message == "number：期号跳号，2025 年的第一期（应为 1）"


@pytest.mark.parametrize("strict", [False, True])
def test_gaps_are_warnings_and_errors_under_strict(multiyear: Path, strict: bool) -> None:
    set_issue(multiyear, "2024-12", "number: 13\ntotal: 25\ndate: 2024-12-20\n")
    set_issue(multiyear, "2025-01", "number: 1\ntotal: 26\ndate: 2025-01-10\n")
    problems = problems_of(multiyear, strict=strict)
    assert [(p.line, p.message) for p in problems] == [
        (1, "number：期号跳号，上一期 2024-11 为第11期（应为 12）"),
        (2, "total：总期号跳号，上一期 2024-11 为总第23期（应为 24）"),
    ]
    assert {p.severity for p in problems} == {"error" if strict else "warning"}


def test_drafts_are_left_out_of_numbering(multiyear: Path) -> None:
    # A draft reusing a published number and total is not checked …
    set_issue(multiyear, "2025-02", "number: 1\ntotal: 25\ndate: 2025-02-14\ndraft: true\n")
    assert problems_of(multiyear) == []
    # … and the same issue published is.
    set_issue(multiyear, "2025-02", "number: 1\ntotal: 25\ndate: 2025-02-14\n")
    assert {p.message for p in problems_of(multiyear)} == {
        "number：第1期与上一期 2025-01 的第1期重复或倒序（应为 2）",
        "total：总第25期不大于上一期 2025-01 的总第25期（应为 26）",
    }
