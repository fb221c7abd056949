"""The command line takes people's habits: options anywhere, Chinese from argparse, helpful when lost."""

from __future__ import annotations

import argparse
import inspect
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.cli.args import MESSAGES, translate
from jianbao.invocation import program
from jianbao.pdf.fonts import installed_faces
from tests.test_cli import ROOT, run


@pytest.mark.slow
def test_common_options_before_or_after_the_command(project: Path) -> None:
    (project / "content").rename(project / "稿件库")
    before = run(project, "--content", "稿件库", "check")
    after = run(project, "check", "--content", "稿件库")
    equals = run(project, "--content=稿件库", "-q", "check")
    assert before.returncode == after.returncode == equals.returncode == 0, before.stderr
    assert before.stdout == after.stdout and "检查完毕：3 期" in before.stdout
    assert equals.stdout == ""


@pytest.mark.slow
def test_argparse_messages_are_chinese(project: Path) -> None:
    ambiguous = run(project, "serve", "--po", "1")
    assert ambiguous.returncode == 2
    assert "错误：选项 --po 不明确，可能是 --port, --poll" in ambiguous.stderr
    no_value = run(project, "check", "--content")
    assert "错误：参数 --content: 需要一个值" in no_value.stderr
    choice = run(project, "build", "--pdf-variant", "pdf/x")
    assert "无效的选择 “pdf/x”（可选：“pdf/a-2b”、“pdf/x-4”、“pdf/ua-1”）" in choice.stderr
    for result in (ambiguous, no_value, choice):
        assert "usage" not in result.stderr and "error" not in result.stderr


def test_translation_covers_every_message_kind() -> None:
    assert translate("argument --jobs: invalid int value: 'x'") == "参数 --jobs: 不是有效的整数：“x”"
    assert translate("unrecognized arguments: --a --b") == "无法识别的参数：--a --b"
    assert translate("expected 2 arguments") == "需要 2 个值"
    assert translate("one of the arguments --a --b is required") == "须提供以下参数之一：--a --b"
    for english, chinese in MESSAGES.items():
        assert not any("a" <= c <= "z" for c in "".join(chinese.replace("{", "}").split("}")[::2]))
        assert english in inspect.getsource(argparse), f"argparse no longer says {english!r}: update MESSAGES"


@pytest.mark.slow
def test_unknown_font_files_are_named_with_the_names_expected(project: Path) -> None:
    fonts = project / "fonts"
    fonts.mkdir()
    real = next(face.file for face in installed_faces() if str(face.file).endswith(".ttf"))  # any readable font
    shutil.copy(real, fonts / "fsgb2312.ttf")
    shutil.copy(real, fonts / "mystery.ttf")
    (fonts / "说明.txt").write_text("字体授权", encoding="utf-8")
    result = run(project, "check", "-v")
    assert result.returncode == 0, result.stderr
    assert "仿宋：fsgb2312.ttf" in result.stdout
    assert "fonts/mystery.ttf 未使用：从文件名认不出是哪种字体，请按用途改名（" in result.stderr
    assert "仿宋：仿宋_GB2312.ttf、FS_GB2312.ttf" in result.stderr
    assert "fonts/说明.txt 未使用：不是字体文件" in result.stderr


def test_fonts_folder_is_not_committed() -> None:
    assert "/fonts/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


@pytest.mark.slow
def test_missing_content_says_where_it_looked(tmp_path: Path) -> None:
    result = run(tmp_path, "check")
    assert result.returncode == 1
    where = f"找不到内容文件夹 {tmp_path / 'content'}。请在刊物的项目文件夹（或它的任何子文件夹）里运行 {program()}"
    assert where in result.stderr
    assert "--content" in result.stderr


@pytest.mark.slow
def test_serve_open_starts_the_browser_and_prints_text_warnings(
    minimal: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_serve import Server

    project = minimal(article="---\ntitle: 测试文章\n---\n\n正文第一段,没有用全角逗号。\n")
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n', encoding="utf-8")
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    monkeypatch.delenv("DISPLAY", raising=False)
    server = Server(project, "--open")
    try:
        deadline = time.monotonic() + 20
        while not (opened.exists() and opened.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text().strip() == server.url
        # The preview prints the text warnings of what it built, as `build` does.
        assert f"1 条文字警告（全部警告和可自动修正的改动见 {program()} check）：" in server.stderr
        assert any("01-article.md:5: 警告：中文句中使用了半角标点" in line for line in server.stderr)
    finally:
        server.stop()
