"""The write stage: the new site is assembled beside the old one and swapped in; failures leave the old site."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jianbao import indexing
from jianbao.errors import BuildError, UsageError
from jianbao.recipe import build
from jianbao.write import mirror, swap
from jianbao.write.guard import guard_output
from jianbao.write.staging import Staging
from tests.conftest import options_for
from tests.test_cli import run, snapshot


def write_site(
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
    write_site(root, {"index.html": b"old archive", "a/index.html": b"old a", "b/index.html": b"b"})


def test_write_swaps_in_a_new_tree_that_starts_from_the_old_one(tmp_path: Path) -> None:
    output = tmp_path / "output"
    make_site(output)
    kept_inode = (output / "b/index.html").stat().st_ino
    keep_old = tmp_path / "old-archive"
    os.link(output / "index.html", keep_old)  # a second name for the live file's inode

    changed = write_site(output, {"index.html": b"new archive"}, keep=lambda name: name != "a")

    assert changed == 1
    assert snapshot(output) == {"index.html": b"new archive", "b/index.html": b"b"}
    # Unrendered files carried over as hard links, not copies …
    assert (output / "b/index.html").stat().st_ino == kept_inode
    # … and the live file was replaced, never written through.
    assert keep_old.read_bytes() == b"old archive"
    # The site it replaced is kept as the next build's starting point, nothing else is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.shadow", "old-archive", "output"]
    old_site = {"index.html": b"old archive", "a/index.html": b"old a", "b/index.html": b"b"}
    assert snapshot(tmp_path / ".output.shadow") == old_site


def tree(folder: Path) -> dict[str, object]:
    """Every entry below `folder`: a file by inode and bytes, a link by its target, a folder as such."""
    entries: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            entries[name] = ("link", os.readlink(path))
        elif path.is_dir():
            entries[name] = "dir"
        else:
            entries[name] = (path.stat().st_ino, path.read_bytes())
    return entries


def test_a_shadow_in_any_state_gives_an_exact_staging_copy(tmp_path: Path) -> None:
    """Whatever a crash or a hand did to the shadow, the next site is the live one plus this build's change."""
    output = tmp_path / "output"
    site = {
        ".jianbao-cache.json": b"{}",
        "index.html": b"v1",
        "a/index.html": b"a1",
        "a/x.pdf": b"pdf",
        "b/index.html": b"b",
    }
    write_site(output, site)
    write_site(output, {"a/index.html": b"a2"})  # now the shadow is version 1, the output version 2
    (output / "c").mkdir()
    os.symlink("a/index.html", output / "c" / "link")  # (a build never makes links; an editor may)
    shadow = tmp_path / ".output.shadow"
    (shadow / "b/index.html").unlink()  # missing
    (shadow / "stray.tmp").write_bytes(b"junk")  # a file the live site lacks
    (shadow / "old/deep").mkdir(parents=True)  # a folder the live site lacks
    (shadow / "a/x.pdf").unlink()
    (shadow / "a/x.pdf").write_bytes(b"pdf")  # same name and bytes, another file: must become the live one
    (shadow / "index.html").unlink()
    (shadow / "index.html").mkdir()  # a folder where the live site has a file
    os.symlink("elsewhere", shadow / "c")  # a link where the live site has a folder
    live = tree(output)

    write_site(output, {"b/index.html": b"b2"})

    expected = {**live, "b/index.html": (tree(output)["b/index.html"][0], b"b2")}  # type: ignore[index]
    assert tree(output) == expected  # unchanged files are still the very same files (inodes): links, not copies
    assert tree(output)["b/index.html"][0] != live["b/index.html"][0]  # type: ignore[index]
    assert snapshot(shadow) == {**site, "a/index.html": b"a2"}  # the shadow was used, and is now version 2


def test_a_folder_of_someone_else_named_like_the_shadow_is_never_touched(tmp_path: Path) -> None:
    output, theirs = tmp_path / "output", tmp_path / ".output.shadow"
    (theirs / "photos").mkdir(parents=True)
    (theirs / "photos/1.jpg").write_bytes(b"jpeg")
    for version in (b"v1", b"v2", b"v3"):
        write_site(output, {".jianbao-cache.json": b"{}", "index.html": version})
    assert snapshot(theirs) == {"photos/1.jpg": b"jpeg"}
    assert snapshot(output)["index.html"] == b"v3"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.shadow", "output"]


def test_the_shadow_of_a_site_since_deleted_is_removed(tmp_path: Path) -> None:
    output = tmp_path / "output"
    for version in (b"v1", b"v2"):
        write_site(output, {".jianbao-cache.json": b"{}", "index.html": version})
    shutil.rmtree(output)
    write_site(output, {".jianbao-cache.json": b"{}", "index.html": b"v3"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


# A tree: name → file (its bytes' number; 0 in a shadow: a hard link to the live file, if there is one),
# link (its target) or folder.
Tree = dict[str, "int | tuple[str, str] | Tree"]
_names = st.sampled_from("abcd")
_leaves = st.integers(0, 2) | st.sampled_from([("link", "x"), ("link", "y")])
trees = st.dictionaries(
    _names, _leaves | st.dictionaries(_names, _leaves | st.dictionaries(_names, _leaves)), max_size=4
)


def make_tree(folder: Path, spec: Tree, live: Path | None = None) -> None:
    folder.mkdir(exist_ok=True)
    for name, entry in spec.items():
        path = folder / name
        if isinstance(entry, dict):
            make_tree(path, entry, live / name if live else None)
        elif isinstance(entry, tuple):
            os.symlink(entry[1], path)
        elif entry == 0 and live is not None and (live / name).is_file() and not (live / name).is_symlink():
            os.link(live / name, path)
        else:
            path.write_bytes(str(entry).encode())


@given(live=trees, shadow=trees)
@settings(max_examples=150, deadline=None)
def test_mirror_makes_any_leftover_tree_a_link_copy_of_the_live_one(live: Tree, shadow: Tree) -> None:
    with tempfile.TemporaryDirectory() as temp:
        source, target = Path(temp, "live"), Path(temp, "shadow")
        make_tree(source, live)
        make_tree(target, shadow, source)
        mirror.mirror(source, target, lambda a, b: os.link(a, b))
        assert tree(target) == tree(source)


def test_no_shadow_is_kept_where_hard_links_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system without hard links (exFAT on a USB stick): a shadow of copies would only double the space."""
    output = tmp_path / "output"
    write_site(output, {".jianbao-cache.json": b"{}", "index.html": b"v1", "a/index.html": b"a1"})
    write_site(output, {"index.html": b"v2"})
    assert (tmp_path / ".output.shadow").is_dir()

    def refuse(source: str, target: str) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(mirror.os, "link", refuse)
    write_site(output, {"index.html": b"v3"})
    write_site(output, {"index.html": b"v4"})

    assert snapshot(output) == {".jianbao-cache.json": b"{}", "index.html": b"v4", "a/index.html": b"a1"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_a_failed_build_keeps_no_half_built_shadow(tmp_path: Path) -> None:
    output = tmp_path / "output"
    write_site(output, {".jianbao-cache.json": b"{}", "index.html": b"v1"})
    write_site(output, {"index.html": b"v2"})
    assert (tmp_path / ".output.shadow").is_dir()
    with pytest.raises(RuntimeError), Staging(output) as stage:
        stage.write({"index.html": b"half"})
        raise RuntimeError("a PDF failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]  # its space freed: the disk may be full
    assert snapshot(output) == {".jianbao-cache.json": b"{}", "index.html": b"v2"}
    write_site(output, {"index.html": b"v3"})
    assert snapshot(output) == {".jianbao-cache.json": b"{}", "index.html": b"v3"}


def test_write_without_atomic_exchange_falls_back_to_two_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    make_site(output)
    monkeypatch.setattr(swap, "exchange", lambda first, second: False)
    write_site(output, {"index.html": b"new archive"})
    assert snapshot(output)["index.html"] == b"new archive"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.shadow", "output"]  # no `.old-` folder


def test_written_folder_is_readable_by_the_web_server(tmp_path: Path) -> None:
    make_site(tmp_path / "output")
    assert (tmp_path / "output").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "output/index.html").stat().st_mode & 0o777 == 0o644


def test_write_with_nothing_changed_leaves_the_site_alone(tmp_path: Path) -> None:
    output = tmp_path / "output"
    make_site(output)
    inode = output.stat().st_ino
    calls: list[int] = []
    assert write_site(output, {"index.html": b"old archive"}, finish=lambda folder, n: calls.append(n)) == 0
    assert output.stat().st_ino == inode and calls == []
    # Something to drop is a change.
    assert write_site(output, {}, keep=lambda name: name != "b", finish=lambda folder, n: calls.append(n)) == 0
    assert output.stat().st_ino != inode and calls == [1]
    assert snapshot(output) == {"index.html": b"old archive", "a/index.html": b"old a"}


def test_failed_write_leaves_the_old_site(tmp_path: Path) -> None:
    output = tmp_path / "output"
    make_site(output)
    before = snapshot(output)

    def fail(folder: Path, written: int) -> None:
        assert (folder / "index.html").read_bytes() == b"half-built"
        raise BuildError("索引失败")

    with pytest.raises(BuildError):
        write_site(output, {"index.html": b"half-built"}, finish=fail)
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.slow
def test_failed_search_index_leaves_the_previous_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(options_for(project))
    before = snapshot(project / "output")
    article = project / "content/issues/2025-08/01-data-elements.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")

    def broken(*args: object) -> dict[str, bytes]:
        raise BuildError("生成搜索索引失败：测试")

    monkeypatch.setattr(indexing, "index_files", broken)
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
def test_cli_refuses_to_write_over_the_project(project: Path) -> None:
    result = run(project, "build", "--output", ".")
    assert result.returncode == 2
    assert "包含内容或版式文件夹" in result.stderr
    assert (project / "content/bulletin.yaml").is_file()


def test_no_lock_file_outlives_the_build(tmp_path: Path) -> None:
    from jianbao.write.lock import output_lock

    output = tmp_path / "output"
    with output_lock(output):
        assert (tmp_path / ".output.lock").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    with output_lock(output), output_lock(tmp_path / "other"):  # the same again, and a second folder
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_interrupt_as_the_staging_folder_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C landing just after the folder exists (before Python noted its name) left an empty staging folder."""
    output = tmp_path / "output"
    write_site(output, {"index.html": b"v1"})
    real_mkdir = os.mkdir

    def interrupted(path: str | Path, mode: int = 0o777) -> None:
        real_mkdir(path, mode)
        if ".staging-" in str(path):
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "mkdir", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_site(output, {"index.html": b"v2"})
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
    assert snapshot(output) == {"index.html": b"v1"}
