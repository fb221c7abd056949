"""layouts/ is confined like content/: no symlink, FIFO or device is followed out of it, nothing in it is read
past its limit, and an asset that disappears from layouts/ disappears from output/ (issue 27, requirement 2)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.errors import BuildError, ContentError
from jianbao.pdf.fonts import find_user_fonts
from tests.conftest import build_pages_bounded

SECRET = "机密内容"


@pytest.fixture
def project(minimal: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = minimal()
    (tmp_path.parent / f"{tmp_path.name}-secret.txt").write_text(SECRET, encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def secret(project: Path) -> Path:
    return project.parent / f"{project.name}-secret.txt"


def published(project: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in (project / "output").rglob("*") if p.is_file()
    )


def test_a_template_linked_out_of_layouts_is_refused(project: Path) -> None:
    toc = project / "layouts/_masthead.html"
    toc.unlink()
    toc.symlink_to(secret(project))
    with pytest.raises(
        BuildError,
        match=re.escape("layouts/_masthead.html：版式文件指向版式文件夹以外（符号链接），出于安全考虑不予读取"),
    ):
        build_pages_bounded(project)
    assert not (project / "output").exists()


def test_a_template_that_is_a_fifo_is_refused_without_waiting(project: Path) -> None:
    toc = project / "layouts/_masthead.html"
    toc.unlink()
    os.mkfifo(toc)
    with pytest.raises(BuildError, match=re.escape("layouts/_masthead.html：是管道（FIFO），不是普通文件，不予读取")):
        build_pages_bounded(project)


@pytest.mark.parametrize("kind", ["link", "fifo", "loop", "huge"])
def test_an_asset_that_cannot_be_used_is_named_and_never_published(project: Path, kind: str) -> None:
    asset = project / "layouts/assets/logo.css"
    if kind == "link":
        asset.symlink_to(secret(project))
    elif kind == "fifo":
        os.mkfifo(asset)
    elif kind == "loop":
        asset.symlink_to("logo.css")
    else:
        with asset.open("wb") as file:
            file.truncate(1024**3)  # sparse
    with pytest.raises(ContentError) as caught:
        build_pages_bounded(project)
    cause = {
        "link": "网站资源是指向所在文件夹以外的符号链接，出于安全考虑不予读取",
        "fifo": "网站资源不是普通文件（管道、套接字或设备文件），不予读取",
        "loop": "网站资源是循环的符号链接（最终指向它自己），无法读取",
        "huge": "文件过大（1.0 GB，网站资源文件上限 20 MB）",
    }[kind]
    assert [str(p) for p in caught.value.problems] == [f"layouts/assets/logo.css: {cause}"]
    assert not (project / "output").exists()


def test_an_asset_gone_from_layouts_is_gone_from_the_output(project: Path) -> None:
    (project / "layouts/assets/icons").mkdir()
    (project / "layouts/assets/icons/old.svg").write_text("<svg/>", encoding="utf-8")
    build_pages_bounded(project)
    assert (project / "output/assets/icons/old.svg").is_file()
    (project / "layouts/assets/icons/old.svg").unlink()
    build_pages_bounded(project)
    assert not (project / "output/assets/icons").exists()
    (project / "output/assets/用户的.txt").write_text("不是 jianbao 写的", encoding="utf-8")
    (project / "layouts/assets/screen.css").write_text("body {}", encoding="utf-8")
    build_pages_bounded(project, force=True)
    assert (project / "output/assets/用户的.txt").is_file()  # only what jianbao wrote ever leaves


def test_a_secret_linked_as_an_asset_and_then_unlinked_never_stays(project: Path) -> None:
    """Published by a build before this rule: once the link is gone, so is the copy (even with --force)."""
    (project / "layouts/assets/note.txt").write_text(SECRET, encoding="utf-8")  # as the old build copied it
    build_pages_bounded(project)
    assert SECRET in published(project)
    (project / "layouts/assets/note.txt").unlink()
    build_pages_bounded(project, force=True)
    assert SECRET not in published(project)


def test_a_font_linked_out_of_fonts_is_not_used(tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (tmp_path / "elsewhere.ttf").write_bytes(b"\0\1\0\0")
    (fonts / "仿宋_GB2312.ttf").symlink_to(tmp_path / "elsewhere.ttf")
    assert find_user_fonts(fonts) == ()
