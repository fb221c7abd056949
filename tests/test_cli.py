"""The command line as users run it: messages, exit codes, nothing lost on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jianbao.write.manifest import STATS

ROOT = Path(__file__).resolve().parent.parent


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes (not the stats cache: inodes and times differ from build to build by nature)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != STATS
    }


@pytest.mark.slow
def test_build_then_broken_yaml_leaves_output_untouched(project: Path) -> None:
    first = run(project, "build", "2025-08")
    assert first.returncode == 0, first.stderr
    assert "已生成 1 期" in first.stdout
    before = snapshot(project / "output")
    assert "2025-08/2025-08.pdf" in before and "index.html" in before

    issue = project / "content/issues/2025-08/issue.yaml"
    issue.write_text("number: 8\ntotal: [144\ndate: 2025-06-03\n", encoding="utf-8")
    second = run(project, "build")
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    lines = second.stderr.strip().splitlines()
    assert lines[0].startswith("content/issues/2025-08/issue.yaml:")
    assert "YAML 格式错误" in lines[0]
    assert "未生成任何文件" in lines[-1]
    assert snapshot(project / "output") == before


@pytest.mark.slow
def test_missing_field_and_wrong_type_messages(project: Path) -> None:
    (project / "content/issues/2025-08/issue.yaml").write_text("number: 八\ndate: 2025-06-03\n", encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    assert "content/issues/2025-08/issue.yaml:1: number（期号）：“八” 不是整数（应为正整数）" in result.stderr
    assert "content/issues/2025-08/issue.yaml:1: total（总期号）：缺少必填字段" in result.stderr
    assert not (project / "output").exists()


@pytest.mark.slow
def test_check_passes_on_sample(project: Path) -> None:
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    assert "检查完毕：3 期" in result.stdout
    assert not (project / "output").exists()


@pytest.mark.slow  # a first build starts the render workers
def test_usage_errors_exit_2_in_chinese(project: Path) -> None:
    result = run(project, "build", "--bogus")
    assert result.returncode == 2
    assert "无法识别的参数" in result.stderr
    unknown = run(project, "build", "2099-01")
    assert unknown.returncode == 2
    assert "没有这一期：2099-01" in unknown.stderr


def test_help_is_chinese(project: Path) -> None:
    result = run(project, "--help")
    assert result.returncode == 0
    assert "生成 PDF 和网页" in result.stdout


@pytest.mark.slow
def test_custom_folders(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    result = run(project, "--output", str(target), "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert (target / "2025-07" / "2025-07.pdf").is_file()


@pytest.mark.slow
def test_options_may_come_before_the_command(project: Path) -> None:
    result = run(project, "-q", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


@pytest.mark.slow
def test_import_refuses_a_path_as_issue_id(project: Path) -> None:
    manuscript = project / "稿件.txt"
    manuscript.write_text("标题\n\n正文。\n", encoding="utf-8")
    result = run(project, "import", str(manuscript), "--issue", "../../content")
    assert result.returncode == 2
    assert "只能用小写字母、数字和连字符" in result.stderr
