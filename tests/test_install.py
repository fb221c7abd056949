"""A non-editable install (a wheel, as `pip install .` makes it) carries the default layouts: `init` copies them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # builds a wheel with pip (~7 s)


def layout_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """jianbao's wheel, built from a copy of this checkout as `pip install .` builds it (the copy: setuptools
    writes a build/ folder beside the sources)."""
    source, folder = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("jianbao", "layouts"):
        shutil.copytree(ROOT / name, source / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--quiet", "--wheel-dir", str(folder)]
    built = subprocess.run(command, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    return next(folder.glob("jianbao-*.whl"))


def test_the_wheel_carries_every_default_layout(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        packed = {name.removeprefix("jianbao/layouts/") for name in archive.namelist() if "/layouts/" in name}
    assert packed == layout_files(ROOT / "layouts")
    assert {"print.css", "issue.html", "assets/screen.css"} <= packed


def test_init_from_an_installed_wheel_copies_the_layouts(wheel: Path, tmp_path: Path) -> None:
    installed = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)  # what pip does with a wheel's files
    script = (
        "import sys\n"
        "import jianbao\n"
        f"assert jianbao.__file__.startswith({str(installed)!r}), jianbao.__file__\n"
        "from jianbao.cli import main\n"
        "sys.exit(main())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(installed)}  # the dependencies come from this venv, jianbao from the wheel
    result = subprocess.run(
        [sys.executable, "-c", script, "init", "我的简报"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert layout_files(tmp_path / "我的简报/layouts") == layout_files(ROOT / "layouts")
    assert "jianbao new --number 12 --total 86" in result.stdout  # no build.py beside an installed package
