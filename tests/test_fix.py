"""`check --fix`: shows the diff and asks (or --yes), fixes everything in one run, covers `.` and front matter."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.check.report import lint_markdown
from tests.test_cli import ROOT

ARTICLE = "content/issues/2025-01/01-article.md"
BAD = "---\ntitle: 标题,副题\nnote: 编者按:请阅读.\n---\n\n第一句话.第二句话,,然后结束.\n\n版本3.5和www.gov.cn不改。\n"


def check_fix(project: Path, *args: str, answer: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--fix", *args],
        cwd=project,
        input=answer,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.slow
def test_fix_asks_before_writing(minimal: Callable[..., Path]) -> None:
    project = minimal(article=BAD)
    refused = check_fix(project, answer="n\n")
    assert f"--- {ARTICLE}" in refused.stdout and "-第一句话.第二句话,,然后结束." in refused.stdout
    assert "确认写入吗？[y/N]" in refused.stdout
    assert "未写入任何文件（加 --yes 可不经询问直接写入）。" in refused.stdout
    assert (project / ARTICLE).read_text(encoding="utf-8") == BAD
    no_answer = check_fix(project)  # nothing piped in: no
    assert (project / ARTICLE).read_text(encoding="utf-8") == BAD and no_answer.returncode == 0
    accepted = check_fix(project, answer="y\n")
    assert "已自动修正 1 个文件。" in accepted.stdout
    assert (project / ARTICLE).read_text(encoding="utf-8") != BAD


@pytest.mark.slow
def test_one_run_fixes_everything_including_periods_and_front_matter(minimal: Callable[..., Path]) -> None:
    project = minimal(article=BAD)
    first = check_fix(project, "--yes")
    assert first.returncode == 0, first.stderr
    fixed = (project / ARTICLE).read_text(encoding="utf-8")
    assert "title: 标题，副题\n" in fixed and "note: 编者按：请阅读。\n" in fixed
    assert "第一句话。第二句话，然后结束。" in fixed  # `,,` became `，，` and then one `，` in the same run
    assert "版本3.5和www.gov.cn不改。" in fixed
    again = check_fix(project, "--yes")
    assert "没有可以自动修正的地方。" in again.stdout


def test_halfwidth_period_rule_spares_numbers_and_addresses() -> None:
    findings = lint_markdown("结束.开始。3.5亿元。访问www.gov.cn。省略...号。Fig.1 图。结尾.\n", 1)
    assert [(f.rule, f.edits[0].column) for f in findings if "句点" in f.message] == [
        ("halfwidth-punct", 2),
        ("halfwidth-punct", 42),
    ]
