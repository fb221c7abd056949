"""`init DIR`: a new bulletin's project that checks clean, numbers from 第N期, and builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import run


@pytest.mark.slow
def test_init_writes_a_project_that_checks_and_numbers_from_n(tmp_path: Path) -> None:
    result = run(tmp_path, "init", "我的简报")
    assert result.returncode == 0, result.stderr
    project = tmp_path / "我的简报"
    bulletin = (project / "content/bulletin.yaml").read_text(encoding="utf-8")
    assert bulletin.startswith("# 刊物设置") and "title: 工作简报" in bulletin
    assert (project / "content/issues").is_dir() and not any((project / "content/issues").iterdir())
    assert (project / "layouts/print.css").is_file()
    assert "/fonts/" in (project / ".gitignore").read_text(encoding="utf-8")
    assert "new --number 12 --total 86" in result.stdout
    assert run(project, "check").stdout.strip() == "检查完毕：0 期，0 条警告，没有错误。"
    new = run(project, "new", "--number", "12", "--total", "86", "--date", "2026-03-02")
    assert new.stdout.strip() == "已新建第12期（总第86期，2026-03-02）：content/issues/2026-12"
    checked = run(project, "check", "--strict")
    assert checked.returncode == 0, checked.stderr


def test_init_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "旧").mkdir()
    (tmp_path / "旧/笔记.txt").write_text("x", encoding="utf-8")
    result = run(tmp_path, "init", "旧")
    assert result.returncode == 2 and "已存在且不是空文件夹，不会覆盖" in result.stderr


@pytest.mark.slow
def test_a_new_bulletin_builds(tmp_path: Path) -> None:
    run(tmp_path, "init", "p")
    project = tmp_path / "p"
    run(project, "new", "--number", "3", "--total", "40", "--date", "2026-03-02")
    result = run(project, "build", "-q")
    assert result.returncode == 0, result.stderr
    assert (project / "output/2026-03/2026-03.pdf").is_file()
