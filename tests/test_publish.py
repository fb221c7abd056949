"""Publishing: the new site is assembled beside the old one and swapped in; failures leave the old site."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from jianbao.build import build
from jianbao.errors import BuildError, UsageError
from jianbao.publish import staging as output_module
from jianbao.publish.staging import Staging, guard_output
from jianbao.site import search
from tests.conftest import options_for
from tests.test_cli import run, snapshot


def publish(
    output: Path,
    files: dict[str, bytes],
    keep: Callable[[str], bool] = lambda name: True,
    finish: Callable[[Path, int], None] = lambda folder, written: None,
) -> int:
    """Stage `files` as a build does, run `finish` on the staged site when it changed, swap it in."""
    with Staging(output, keep) as stage:
        written = stage.write(files)
        if stage.opened or stage.dropped:
            finish(stage.open(), stage.changed + len(stage.dropped))
        stage.finish()
    return written


def make_site(root: Path) -> None:
    publish(root, {"index.html": b"old archive", "a/index.html": b"old a", "b/index.html": b"b"})


def test_publish_swaps_in_a_new_tree_that_starts_from_the_old_one(tmp_path: Path) -> None:
    output = tmp_path / "output"
    make_site(output)
    kept_inode = (output / "b/index.html").stat().st_ino
    keep_old = tmp_path / "old-archive"
    os.link(output / "index.html", keep_old)  # a second name for the live file's inode

    changed = publish(output, {"index.html": b"new archive"}, keep=lambda name: name != "a")

    assert changed == 1
    assert snapshot(output) == {"index.html": b"new archive", "b/index.html": b"b"}
    # Unrendered files carried over as hard links, not copies …
    assert (output / "b/index.html").stat().st_ino == kept_inode
    # … and the live file was replaced, never written through.
    assert keep_old.read_bytes() == b"old archive"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old-archive", "output"]


def test_publish_without_atomic_exchange_falls_back_to_two_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    make_site(output)
    monkeypatch.setattr(output_module, "_exchange", lambda first, second: False)
    publish(output, {"index.html": b"new archive"})
    assert snapshot(output)["index.html"] == b"new archive"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_published_folder_is_readable_by_the_web_server(tmp_path: Path) -> None:
    make_site(tmp_path / "output")
    assert (tmp_path / "output").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "output/index.html").stat().st_mode & 0o777 == 0o644


def test_publish_with_nothing_changed_leaves_the_site_alone(tmp_path: Path) -> None:
    output = tmp_path / "output"
    make_site(output)
    inode = output.stat().st_ino
    calls: list[int] = []
    assert publish(output, {"index.html": b"old archive"}, finish=lambda folder, n: calls.append(n)) == 0
    assert output.stat().st_ino == inode and calls == []
    # Something to drop is a change.
    assert publish(output, {}, keep=lambda name: name != "b", finish=lambda folder, n: calls.append(n)) == 0
    assert output.stat().st_ino != inode and calls == [1]
    assert snapshot(output) == {"index.html": b"old archive", "a/index.html": b"old a"}


def test_failed_publish_leaves_the_old_site(tmp_path: Path) -> None:
    output = tmp_path / "output"
    make_site(output)
    before = snapshot(output)

    def fail(folder: Path, written: int) -> None:
        assert (folder / "index.html").read_bytes() == b"half-built"
        raise BuildError("索引失败")

    with pytest.raises(BuildError):
        publish(output, {"index.html": b"half-built"}, finish=fail)
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.slow
def test_failed_search_index_leaves_the_previous_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(options_for(project))
    before = snapshot(project / "output")
    article = project / "content/issues/2025-08/01-data-elements.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")

    def broken(self: object) -> None:
        raise BuildError("生成搜索索引失败：测试")

    monkeypatch.setattr(search.SearchIndex, "wait", broken)
    with pytest.raises(BuildError):
        build(options_for(project))
    assert snapshot(project / "output") == before


def test_output_must_not_replace_content_or_an_unrelated_folder(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    with pytest.raises(UsageError, match="包含内容或版式文件夹"):
        guard_output(tmp_path, [content])
    with pytest.raises(UsageError, match="包含内容或版式文件夹"):
        guard_output(content, [content])
    other = tmp_path / "documents"
    other.mkdir()
    (other / "report.docx").write_bytes(b"x")
    with pytest.raises(UsageError, match=r"不是简报生成的文件（report\.docx）"):
        guard_output(other, [content])
    (tmp_path / "site.html").write_text("x")
    with pytest.raises(UsageError, match="是一个文件"):
        guard_output(tmp_path / "site.html", [content])
    guard_output(tmp_path / "new-folder", [content])


@pytest.mark.slow
def test_cli_refuses_to_publish_over_the_project(project: Path) -> None:
    result = run(project, "build", "--output", ".")
    assert result.returncode == 2
    assert "包含内容或版式文件夹" in result.stderr
    assert (project / "content/bulletin.yaml").is_file()


def test_no_lock_file_outlives_the_build(tmp_path: Path) -> None:
    from jianbao.publish.staging import output_lock

    output = tmp_path / "output"
    with output_lock(output):
        assert (tmp_path / ".output.lock").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    with output_lock(output), output_lock(tmp_path / "other"):  # the same again, and a second folder
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == []
