"""What a build remembers beside the output — the manifest, the stats file, the shadow — is input too: a forged or
damaged one never yields a wrong or unsafe site, a hang or a crash; it only costs the next build some work
(issue 27, requirement 1)."""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.recipe import build
from jianbao.write.manifest import Manifest
from tests.conftest import build_pages_bounded, options_for
from tests.test_hostile import png

CACHE = ".output.jianbao-cache"
ISSUE = "2025-01"


def site(project: Path) -> dict[str, bytes]:
    output = project / "output"
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


@pytest.fixture
def project(minimal: Callable[..., Path]) -> Path:
    """The minimal project with an image, its pages built twice (so the second left a shadow)."""
    folder = minimal(article="---\ntitle: 测试文章\n---\n\n正文第一段。\n\n![图1 示意](images/a.png)\n")
    images = folder / "content/issues" / ISSUE / "images"
    images.mkdir()
    (images / "a.png").write_bytes(png(40, 20))
    build_pages_bounded(folder)
    article = folder / "content/issues" / ISSUE / "01-article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n第二段。\n", encoding="utf-8")
    build_pages_bounded(folder)
    assert (folder / ".output.shadow").is_dir()
    return folder


def damage(project: Path, name: str, kind: str) -> None:
    path = project / CACHE / name
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)  # opened, it would block the build forever
    elif kind == "huge":
        with path.open("wb") as file:
            file.truncate(1024**3)
    elif kind == "deep":
        path.write_text("[" * 100_000 + "]" * 100_000)
    elif kind == "types":
        path.write_text(json.dumps({"index.html": 5, "feed.xml": [True, 1, 2, "x"], f"{ISSUE}/index.html": "x"}))
    else:  # names no file may have
        units = {"format": 2, "jianbao": "0", "owned": ["a\0b", "../x", "", "a//b"], "units": {}}
        units["units"][":site"] = {"key": "k", "files": {"a\0b": "d", "x\ny": "d"}, "sizes": {"a\0b": 1, "x\ny": 1}}
        path.write_text(json.dumps(units))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("manifest.json", "fifo"),
        ("manifest.json", "huge"),
        ("manifest.json", "deep"),
        ("manifest.json", "names"),
        ("stats.json", "fifo"),
        ("stats.json", "types"),
    ],
)
def test_a_damaged_manifest_or_stats_file_only_means_rebuild(project: Path, name: str, kind: str) -> None:
    clean = site(project)
    damage(project, name, kind)
    build_pages_bounded(project)
    assert site(project) == clean
    build_pages_bounded(project)  # and the next build finds what this one wrote
    assert site(project) == clean


def forget_file(project: Path, unit: str, name: str) -> None:
    """A manifest that lost one file of a unit (as a hand, or a disk, may leave it)."""
    path = project / CACHE / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["units"][unit]["files"][name], data["units"][unit]["sizes"][name]
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("unit", "name"), [(f":page:{ISSUE}", f"{ISSUE}/images/a.png"), (":site", "assets/screen.css")]
)
def test_a_manifest_that_lost_a_file_never_leaves_it_missing(project: Path, unit: str, name: str) -> None:
    clean = site(project)
    forget_file(project, unit, name)
    (project / "output" / name).unlink()
    build_pages_bounded(project)
    assert site(project) == clean


def test_a_recorded_size_the_file_does_not_have_is_not_believed(project: Path) -> None:
    path = project / CACHE / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["units"][":site"]["sizes"]["index.html"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    records = Manifest.load(project / "output")
    assert not records.fresh(":site", data["units"][":site"]["key"])


def test_a_recorded_digest_the_page_does_not_have_is_never_given(project: Path) -> None:
    page = project / "output" / ISSUE / "index.html"
    records = Manifest.load(project / "output")
    recorded = records.units[f":page:{ISSUE}"]["files"][f"{ISSUE}/index.html"]
    assert records.digest_of(f":page:{ISSUE}", f"{ISSUE}/index.html", project / "output") == recorded
    page.write_bytes(page.read_bytes().replace("正文第一段".encode(), "被改过的段".encode()))
    changed = records.digest_of(f":page:{ISSUE}", f"{ISSUE}/index.html", project / "output")
    assert changed not in (None, recorded)  # what the search index is keyed by: the page as it is


def test_a_forged_shadow_never_changes_the_site(project: Path, tmp_path: Path) -> None:
    clean = site(project)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "留着.txt").write_text("不是 jianbao 的", encoding="utf-8")
    shadow = project / ".output.shadow"
    shutil.rmtree(shadow / ISSUE)
    (shadow / ISSUE).symlink_to(outside)  # a folder of the site made a link out of it
    (shadow / "index.html").unlink()
    (shadow / "index.html").write_text("<script>伪造</script>", encoding="utf-8")
    os.mkfifo(shadow / "404.html.fifo")
    (shadow / "assets/多出来的.js").write_text("alert(1)", encoding="utf-8")
    article = project / "content/issues" / ISSUE / "01-article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("第二段", "第二段改"), encoding="utf-8")
    build_pages_bounded(project)
    expected = {name: data.replace("第二段".encode(), "第二段改".encode()) for name, data in clean.items()}
    assert site(project) == expected
    assert [p.name for p in outside.iterdir()] == ["留着.txt"]


def test_a_shadow_that_cannot_be_moved_is_never_emptied(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder mounted (or otherwise fixed) where the shadow goes: the build makes its copy anew, and leaves it."""
    shadow = project / ".output.shadow"
    (shadow / "别人的.txt").write_text("留着", encoding="utf-8")
    real = os.rename

    def refuse(source: object, target: object) -> None:
        if Path(str(source)) == shadow:
            raise OSError(errno.EBUSY, "Device or resource busy", str(source))
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", refuse)
    article = project / "content/issues" / ISSUE / "01-article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n第三段。\n", encoding="utf-8")
    build_pages_bounded(project)
    assert "第三段" in (project / "output" / ISSUE / "index.html").read_text(encoding="utf-8")
    assert (shadow / "别人的.txt").read_text(encoding="utf-8") == "留着"


@pytest.mark.slow
def test_a_reindex_keeps_files_someone_put_in_the_search_folder(minimal: Callable[..., Path]) -> None:
    """Issue 27, 6: a re-index deleted a user's file under output/pagefind/<year>/ (now search/)."""
    project = minimal()
    build(options_for(project, ofd=False, docx=False))
    search = project / "output/search"
    (search / "说明.txt").write_text("信息中心的说明", encoding="utf-8")
    (search / "2025").mkdir()
    (search / "2025/备份.bin").write_bytes(b"someone's")
    article = project / "content/issues" / ISSUE / "01-article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    build(options_for(project, ofd=False, docx=False))
    assert "新增一段" in (project / "output" / ISSUE / "index.html").read_text(encoding="utf-8")
    assert (search / "说明.txt").read_text(encoding="utf-8") == "信息中心的说明"
    assert (search / "2025/备份.bin").read_bytes() == b"someone's"
