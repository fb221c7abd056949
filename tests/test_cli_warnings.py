"""Warnings where people look: build prints the first few text warnings, check shows them beside errors,
-q shows errors only, a build of one issue speaks of that issue only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.invocation import command
from tests.conftest import MINIMAL_BULLETIN
from tests.test_cli import run

ARTICLE_0808 = "content/issues/2025-08/01-data-elements.md"


def add_halfwidth_commas(project: Path, relative: str, count: int) -> None:
    """Insert `count` lines each with a half-width comma inside a Chinese sentence."""
    path = project / relative
    text = path.read_text(encoding="utf-8")
    lines = "".join(f"第{n}段话,没有用全角逗号。\n\n" for n in range(count))
    path.write_text(text.rstrip("\n") + "\n\n" + lines, encoding="utf-8")


@pytest.mark.slow
def test_check_shows_text_warnings_beside_errors(project: Path) -> None:
    add_halfwidth_commas(project, ARTICLE_0808, 1)
    (project / "content/issues/2025-07/issue.yaml").write_text(
        "number: 7\ntotal: 143\ndate: 2025-05-20\ncopies: 八\n", encoding="utf-8"
    )
    result = run(project, "check")
    assert result.returncode == 1
    assert "content/issues/2025-07/issue.yaml:4: copies（印数）：“八” 不是整数" in result.stderr
    assert f"{ARTICLE_0808}:" in result.stderr and "警告：中文句中使用了半角标点“,”" in result.stderr
    assert "发现 1 个错误、1 条警告" in result.stderr
    quiet = run(project, "check", "-q")
    assert "copies（印数）" in quiet.stderr and "警告" not in quiet.stderr


@pytest.mark.slow
def test_quiet_check_shows_no_warnings(project: Path) -> None:
    add_halfwidth_commas(project, ARTICLE_0808, 1)
    loud = run(project, "check")
    assert loud.returncode == 0 and "半角标点" in loud.stderr
    quiet = run(project, "-q", "check")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


@pytest.mark.slow
def test_build_of_one_issue_prints_its_first_text_warnings_only(project: Path, tmp_path: Path) -> None:
    add_halfwidth_commas(project, ARTICLE_0808, 7)
    add_halfwidth_commas(project, "content/issues/2025-07/01-low-altitude.md", 1)
    (project / "content/issues/2025-09/issue.yaml").write_text(
        "number: 9\ntotal: 146\ndate: 2025-06-17\n", encoding="utf-8"
    )  # a total gap: a warning about 2025-09
    result = run(project, "build", "2025-08", "--output", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "base_url" not in line]  # (the feed's, said apart)
    # the command named is the one that works when pasted (jianbao/invocation.py)
    assert lines[0] == f"7 条文字警告，以下是前 5 条（全部警告和可自动修正的改动见 {command('check')}）：", lines
    assert all(line.startswith(f"{ARTICLE_0808}:") for line in lines[1:6])
    assert "2025-07" not in result.stderr and "2025-09" not in result.stderr
    quiet = run(project, "build", "2025-08", "-q", "--output", str(tmp_path / "site"))
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


@pytest.mark.slow
def test_check_says_when_the_feed_has_no_site_address(project: Path) -> None:
    bulletin = project / "content/bulletin.yaml"
    assert "base_url" not in bulletin.read_text(encoding="utf-8")
    assert "提示：bulletin.yaml 没有设置 base_url（网站地址）" in run(project, "check").stderr
    bulletin.write_text(bulletin.read_text(encoding="utf-8") + "base_url: http://intranet.example/jianbao/\n")
    result = run(project, "check")
    assert result.returncode == 0 and "base_url" not in result.stderr


@pytest.mark.slow
def test_build_says_when_the_feed_it_writes_has_no_site_address(minimal: Callable[..., Path]) -> None:
    """Not only `check`: the build that writes feed.xml says so too (once, not at every build after)."""
    project = minimal(bulletin=MINIMAL_BULLETIN.replace("base_url: http://intranet.example/jianbao/\n", ""))
    first = run(project, "build")
    assert first.returncode == 0
    assert "content/bulletin.yaml: 警告：bulletin.yaml 没有设置 base_url（网站地址）" in first.stderr
    assert "base_url" not in run(project, "build").stderr  # nothing written: nothing said
    bulletin = project / "content/bulletin.yaml"
    bulletin.write_text(bulletin.read_text(encoding="utf-8") + "base_url: http://intranet.example/jianbao/\n")
    result = run(project, "build")
    assert result.returncode == 0 and "base_url" not in result.stderr
