"""`python build.py new` (the next issue folder with the right numbers) and `build --drafts`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from jianbao.commands.new import NextIssue, create_issue
from jianbao.errors import UsageError
from jianbao.markup import load_content
from tests.test_cli import run


@pytest.mark.slow
def test_new_in_the_same_year_follows_the_latest_issue_draft_included(multiyear: Path) -> None:
    result = run(multiyear, "new", "--date", "2025-03-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "已新建第3期（总第27期，2025-03-01）：content/issues/2025-03"
    folder = multiyear / "content/issues/2025-03"
    assert sorted(p.name for p in folder.iterdir()) == ["01-article.md", "issue.yaml"]
    # The scaffold is valid content whose numbers pass the archive checks (with the draft published).
    (multiyear / "content/issues/2025-02/issue.yaml").write_text(
        "number: 2\ntotal: 26\ndate: 2025-02-14\n", encoding="utf-8"
    )
    site, warnings = load_content(multiyear / "content", strict=True)
    new = site.issues[-1]
    # A new issue is a draft (previews only) until it is sent for review and signed off.
    assert (new.id, new.number, new.total, new.date, new.draft) == ("2025-03", 3, 27, dt.date(2025, 3, 1), True)
    assert new.articles[0].title == "文章标题（请修改）"
    assert warnings == []


@pytest.mark.slow
def test_new_restarts_numbering_in_a_new_year(multiyear: Path) -> None:
    result = run(multiyear, "new", "--date", "2026-01-05")
    assert result.returncode == 0, result.stderr
    text = (multiyear / "content/issues/2026-01/issue.yaml").read_text(encoding="utf-8")
    assert "number: 1\ntotal: 27\ndate: 2026-01-05\n" in text


@pytest.mark.slow
def test_new_defaults_to_today(multiyear: Path) -> None:
    today = dt.date.today()
    result = run(multiyear, "new")
    assert result.returncode == 0, result.stderr
    before = {"2024-11", "2024-12", "2025-01", "2025-02"}
    (folder,) = (p for p in (multiyear / "content/issues").iterdir() if p.name not in before)
    assert folder.name.startswith(f"{today.year}-")
    text = (folder / "issue.yaml").read_text(encoding="utf-8")
    assert f"date: {today.isoformat()}\n" in text
    assert result.stdout.splitlines()[0].endswith(f"：{folder.relative_to(multiyear)}")


@pytest.mark.slow
def test_new_refuses_a_date_not_after_the_latest_issue(multiyear: Path) -> None:
    result = run(multiyear, "new", "--date", "2025-02-14")
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "错误：日期 2025-02-14 不晚于最新一期 2025-02 的日期 2025-02-14（用 --date 指定更晚的日期）"
    )
    assert not (multiyear / "content/issues/2025-03").exists()


def test_new_rejects_a_malformed_date(multiyear: Path) -> None:
    result = run(multiyear, "new", "--date", "2025-13-01")
    assert result.returncode == 2
    assert "“2025-13-01” 不是有效日期（应为 YYYY-MM-DD）" in result.stderr


def test_new_refuses_to_overwrite(multiyear: Path) -> None:
    issue_yaml = multiyear / "content/issues/2025-01/issue.yaml"
    before = issue_yaml.read_bytes()
    with pytest.raises(UsageError, match="已存在，不会覆盖"):
        create_issue(multiyear / "content", NextIssue("2025-01", 1, 25, dt.date(2025, 1, 10)))
    assert issue_yaml.read_bytes() == before
    assert sorted(p.name for p in issue_yaml.parent.iterdir()) == ["01-port.md", "issue.yaml"]


@pytest.mark.slow
def test_new_in_an_empty_archive_starts_at_one(minimal) -> None:
    project = minimal()
    for path in (project / "content/issues/2025-01").iterdir():
        path.unlink()
    (project / "content/issues/2025-01").rmdir()
    result = run(project, "new", "--date", "2025-04-01")
    assert result.returncode == 0, result.stderr
    assert "number: 1\ntotal: 1\ndate: 2025-04-01\n" in (project / "content/issues/2025-01/issue.yaml").read_text()


@pytest.mark.slow
def test_build_drafts_option_builds_the_draft_for_preview(multiyear: Path) -> None:
    # Drafts go to preview/ (never into output/, which `publish` copies from).
    result = run(multiyear, "build", "--drafts", "-q")
    assert result.returncode == 0, result.stderr
    assert "草稿" in (multiyear / "preview/2025-02/index.html").read_text(encoding="utf-8")
    assert not (multiyear / "output").exists()
    result = run(multiyear, "build", "-q")
    assert result.returncode == 0, result.stderr
    assert not (multiyear / "output/2025-02").exists() and (multiyear / "output/2025-01/index.html").is_file()
    # Naming the draft without --drafts is refused (main built it into output/), with the command that works.
    named = run(multiyear, "build", "2025-02", "-q")
    assert named.returncode == 2 and not (multiyear / "output/2025-02").exists()
    assert (
        "2025-02 是草稿，正式生成不含草稿；预览草稿请用 " in named.stderr and "build --drafts 2025-02" in named.stderr
    )


@pytest.mark.slow
def test_new_can_start_at_a_given_number_and_total(minimal) -> None:  # type: ignore[no-untyped-def]
    project = minimal()
    shutil.rmtree(project / "content/issues")
    result = run(project, "new", "--date", "2026-03-02", "--number", "12", "--total", "86")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "已新建第12期（总第86期，2026-03-02）：content/issues/2026-12"
    site, warnings = load_content(project / "content", strict=True)
    assert [(i.id, i.number, i.total) for i in site.issues] == [("2026-12", 12, 86)] and warnings == []
    following = run(project, "new", "--date", "2026-03-16")
    assert following.stdout.splitlines()[0] == "已新建第13期（总第87期，2026-03-16）：content/issues/2026-13"
    backwards = run(project, "new", "--date", "2026-04-01", "--total", "80")
    assert backwards.returncode == 2 and "总第80期不大于最新一期 2026-13 的总第87期" in backwards.stderr
