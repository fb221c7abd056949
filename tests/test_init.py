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
    # The examples init wrote into bulletin.yaml are warnings until replaced (they would print on the page).
    checked = run(project, "check")
    assert checked.stdout.strip() == "检查完毕：0 期，5 条警告，没有错误。"
    assert "content/bulletin.yaml:6: 警告：“某某单位办公室”是 init 写的示例" in checked.stderr
    fill_in_bulletin(project)
    assert run(project, "check").stdout.strip() == "检查完毕：0 期，0 条警告，没有错误。"
    new = run(project, "new", "--number", "12", "--total", "86", "--date", "2026-03-02")
    assert new.stdout.splitlines()[0] == "已新建第12期（总第86期，2026-03-02）：content/issues/2026-12"
    # The template's text is reported line by line until it is written over.
    checked = run(project, "check", "--strict", "-q")
    assert checked.returncode == 1
    assert "content/issues/2026-12/01-article.md:2: 模板文字“文章标题（请修改）”还没有替换成正文" in checked.stderr
    write_article(project / "content/issues/2026-12")
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
    issue = project / "content/issues/2026-03"
    # A new issue is a draft: `build` leaves it to previews, until it is sent for review.
    assert run(project, "build", "-q").returncode == 0 and not (project / "output/2026-03").exists()
    text = (issue / "issue.yaml").read_text(encoding="utf-8")
    (issue / "issue.yaml").write_text(text.replace("status: 草稿", "status: 送审"), encoding="utf-8")
    result = run(project, "build", "-q")
    assert result.returncode == 0, result.stderr
    assert (project / "output/2026-03/2026-03.pdf").is_file()


def fill_in_bulletin(project: Path) -> None:
    """Replace the examples init wrote into bulletin.yaml."""
    path = project / "content/bulletin.yaml"
    text = path.read_text(encoding="utf-8")
    for example, own in {
        "某某单位办公室": "城市治理研究中心",
        "张三": "李晓梅",
        "0000-00000000": "0571-87000000",
    }.items():
        text = text.replace(example, own, 1)
    path.write_text(text.replace("某某领导", "市政府办公厅").replace("某某部门", "市发改委"), encoding="utf-8")


def write_article(folder: Path) -> None:
    """An editor's article in place of the template new wrote."""
    (folder / "01-article.md").write_text("---\ntitle: 城市更新的三个问题\n---\n\n正文第一段。\n", encoding="utf-8")
