"""A command that works everywhere (issue 25, requirement 7): the venv's `jianbao` console script, hints
("下一步") that work when pasted into a shell whose `python` is not the venv's, and every command working
from any subfolder of a project (content/ found upwards, like git)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jianbao import __version__, invocation
from tests.test_cli import ROOT
from tests.workflow import make_project

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"  # a shell where the venv is not active


def shell(command: str, cwd: Path, path: str = SYSTEM_PATH) -> subprocess.CompletedProcess[str]:
    """Run `command` as pasted into bash (no PYTHONPATH: the command must find jianbao by itself)."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, capture_output=True, text=True, env={**env, "PATH": path}, check=False
    )


def test_the_venv_has_a_jianbao_console_script() -> None:
    script = Path(sys.executable).with_name("jianbao")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == f"jianbao {__version__}"


def test_a_hint_names_jianbao_as_the_shell_will_find_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("jianbao")
    monkeypatch.setenv("PATH", f"{script.parent}:{SYSTEM_PATH}")
    invocation.program.cache_clear()
    assert invocation.command("check") == "jianbao check"  # the venv is active
    monkeypatch.setenv("PATH", SYSTEM_PATH)
    invocation.program.cache_clear()
    assert invocation.command("check") == f"{script} check"
    # No console script (jianbao not installed with pip): this interpreter and build.py, both absolute.
    lone = tmp_path / "venv 2" / "bin"
    lone.mkdir(parents=True)
    (lone / "python").symlink_to(sys.executable)
    monkeypatch.setattr(sys, "executable", str(lone / "python"))
    invocation.program.cache_clear()
    assert invocation.program() == f"'{lone / 'python'}' {ROOT / 'build.py'}"
    invocation.program.cache_clear()


@pytest.mark.slow
def test_every_next_step_init_and_new_print_works_when_pasted(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("jianbao")
    init = shell(f"{script} init 我的简报", tmp_path)
    assert init.returncode == 0, init.stderr
    steps = dict(re.findall(r"^\s+(\d)\. (.+)$", init.stdout, re.MULTILINE))
    assert steps["2"] == "cd 我的简报"
    new = steps["3"]  # main printed `python /…/build.py new …`: not the venv's python
    assert new == f"{script} new --number 12 --total 86"
    created = shell(f"{steps['2']} && {new} --date 2026-03-02", tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "我的简报"
    # new's own hints: the import and build commands, pasted from inside the issue folder
    hints = dict(re.findall(r"^\s+(\d)\. (.+)$", created.stdout, re.MULTILINE))
    build = re.search(rf"({re.escape(str(script))} build)", hints["3"])
    assert build, hints["3"]
    built = shell(f"{build[1]} -q", project / "content/issues/2026-12")
    assert built.returncode == 0, built.stderr
    approve = re.search(rf"{re.escape(str(script))} approve 2026-12 --by 姓名", hints["4"])
    assert approve, hints["4"]


@pytest.mark.slow
def test_commands_work_from_any_subfolder_of_the_project(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"2026-01": "number: 1\ntotal: 1\ndate: 2026-03-02\n"})
    inside = project / "content/issues/2026-01"
    script = Path(sys.executable).with_name("jianbao")
    checked = shell(f"{script} check", inside)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "检查完毕：1 期，0 条警告，没有错误。"
    built = shell(f"{script} build -q", inside)
    assert built.returncode == 0, built.stderr
    assert (project / "output/2026-01/2026-01.pdf").is_file() and not (inside / "output").exists()
    # Outside any project: the message says where it looked and how to run from elsewhere.
    outside = shell(f"{script} check", tmp_path.parent)
    assert outside.returncode == 1 and "（或它的任何子文件夹）里运行 " in outside.stderr
