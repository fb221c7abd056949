"""The command line's manners: Chinese help with examples, a version, plain output when piped."""

from __future__ import annotations

import re
import socket
import sys
from pathlib import Path

import pytest

from jianbao import __version__
from jianbao.cli import helpformat
from jianbao.cli.args import parse
from jianbao.cli.console import paint
from tests.test_cli import run


@pytest.mark.parametrize("command", ["build", "check", "serve", "import"])
def test_every_command_has_chinese_help_with_examples(project: Path, command: str) -> None:
    result = run(project, command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"用法：python build.py {command}")
    assert "选项:" in result.stdout and "示例：" in result.stdout
    assert f"python build.py {command}" in result.stdout.split("示例：")[1]
    assert "usage" not in result.stdout and "options:" not in result.stdout


def test_top_level_help_lists_all_commands(project: Path) -> None:
    result = run(project, "--help")
    for command in ("build", "check", "serve", "import"):
        assert f"\n    {command} " in result.stdout


def test_version(project: Path) -> None:
    result = run(project, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"jianbao {__version__}"


def test_bad_option_value_is_chinese(project: Path) -> None:
    result = run(project, "serve", "--port", "八千")
    assert result.returncode == 2
    assert "参数 --port: 不是有效的整数" in result.stderr
    missing = run(project, "import")
    assert missing.returncode == 2 and "缺少参数：文件" in missing.stderr


@pytest.mark.slow
def test_piped_output_has_no_colour_or_progress(project: Path) -> None:
    (project / "content/issues/2025-08/issue.yaml").write_text("number: 8\ntotal: [\n", encoding="utf-8")
    result = run(project, "build")
    assert result.returncode == 1
    assert "\033[" not in result.stderr + result.stdout and "\r" not in result.stdout


def test_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert paint("错", "red", Tty()) == "\033[31m错\033[0m"  # type: ignore[arg-type]
    assert paint("错", "red", sys.stderr) == "错"  # captured by pytest: not a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    assert paint("错", "red", Tty()) == "错"  # type: ignore[arg-type]


@pytest.mark.slow
def test_internal_error_shows_traceback_only_with_v(project: Path) -> None:
    # A layout that divides by zero is a failure jianbao does not anticipate.
    issue_html = project / "layouts" / "issue.html"
    issue_html.write_text("{{ 1 // 0 }}", encoding="utf-8")
    plain = run(project, "build", "2025-08")
    assert plain.returncode == 1
    assert "内部错误" in plain.stderr and "Traceback" not in plain.stderr
    verbose = run(project, "build", "2025-08", "-v")
    assert "Traceback" in verbose.stderr and "ZeroDivisionError" in verbose.stderr


@pytest.mark.slow
def test_busy_port_is_a_usage_error(project: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(project, "serve", "--port", str(port))
    assert result.returncode == 2
    assert f"无法在 127.0.0.1:{port} 上启动预览：端口已被占用" in result.stderr


def test_help_columns_line_up_with_chinese_metavars(project: Path) -> None:
    from jianbao.cli.helpformat import columns as _columns

    result = run(project, "serve", "--help")
    options = result.stdout.split("选项:\n")[1].split("\n\n")[0].splitlines()
    starts = {_columns(line[: re.search(r"\S {2,}(?=\S)", line).end()]) for line in options}  # type: ignore[union-attr]
    assert len(options) >= 8 and len(starts) == 1, options


@pytest.mark.upgrade
def test_argparse_still_has_what_the_help_formatter_reaches_into(capsys: pytest.CaptureFixture[str]) -> None:
    """Canary for jianbao/cli/helpformat.py: run first on a new Python (`pytest -m upgrade`)."""
    assert helpformat.internals_present(), "argparse moved a private member cli/helpformat.py uses"
    assert helpformat.formatter_class() is helpformat.Formatter
    with pytest.raises(SystemExit):
        parse(["build", "--help"])
    lines = capsys.readouterr().out.split("选项:\n")[1].split("\n\n")[0].splitlines()
    helps = {helpformat.columns(line[: re.search(r"\S {2,}(?=\S)", line).end()]) for line in lines}  # type: ignore[union-attr]
    assert len(lines) >= 10 and len(helps) == 1, lines  # `--pdf-variant 类型` and `-j N` alike
