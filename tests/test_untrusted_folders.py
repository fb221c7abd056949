"""What a careless or hostile colleague leaves in the content folder — FIFOs, symlink loops, huge files, files
that vanish, folders that cannot be read, names with control characters or differing only in case, articles
under names never read — gets one Chinese message each, never a traceback or a hang, bounded memory, and the
same verdict from `check` as from `build` (issue 27, requirements 3, 4, 6, 7; issue 25, GBK and unread names)."""

from __future__ import annotations

import os
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from jianbao import invocation
from jianbao.cli import main
from jianbao.digests import tree_digest
from jianbao.errors import ContentError
from jianbao.markup import load_content

ISSUE = "content/issues/2025-01"
GB = 1024**3


def sparse(path: Path, size: int) -> None:
    """A file of `size` bytes that costs no time and no disk."""
    with path.open("wb") as file:
        file.truncate(size)


def within(seconds: float, call: Callable[[], object]) -> object:
    """`call()`, failing the test (not hanging it) if it has not returned within `seconds`."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "hung"
    return result[0] if result else None


def problems(project: Path) -> list[str]:
    """What loading the content (as build and check do) says, one line each (warnings only when it loads)."""
    try:
        _, warnings = load_content(project / "content")
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return [str(w) for w in warnings]


def command(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    """Run a command in-process (in the project folder: the test's working directory); (exit code, its
    stderr lines). Only after `problems` has shown that loading does not hang."""
    code = main(list(args))
    return code, capsys.readouterr().err.splitlines()


@pytest.fixture
def project(minimal: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal project, the working directory (messages name files relative to it)."""
    folder = minimal()
    monkeypatch.chdir(folder)
    return folder


# --- what check and build say ------------------------------------------------------------------------


def fifo_article(project: Path) -> None:
    os.mkfifo(project / ISSUE / "02-管道.md")


def looping_links(project: Path) -> None:
    (project / ISSUE / "02-循环.md").symlink_to("02-循环.md")
    (project / ISSUE / "images").mkdir()
    (project / ISSUE / "images/a").symlink_to("b")
    (project / ISSUE / "images/b").symlink_to("a")


def gbk_article(project: Path) -> None:
    (project / ISSUE / "02-gbk.md").write_bytes("---\ntitle: 测试\n---\n\n中文内容。\n".encode("gbk"))


def huge_article(project: Path) -> None:
    sparse(project / ISSUE / "02-大.md", 10 * 1024 * 1024)


def article_outside(project: Path) -> None:
    (project / "机密.md").write_text("---\ntitle: 机密\n---\n\n机密内容，半角,逗号。\n", encoding="utf-8")
    (project / ISSUE / "02-link.md").symlink_to(project / "机密.md")


CASES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "fifo": (fifo_article, [f"{ISSUE}/02-管道.md: 不是普通文件（管道、套接字或设备文件），不予读取"]),
    "loops": (
        looping_links,
        [
            f"{ISSUE}/02-循环.md: 是循环的符号链接（最终指向它自己），无法读取",
            f"{ISSUE}/images/a: 警告：是循环的符号链接（最终指向它自己），无法读取，已忽略",
            f"{ISSUE}/images/b: 警告：是循环的符号链接（最终指向它自己），无法读取，已忽略",
        ],
    ),
    "gbk": (gbk_article, [f"{ISSUE}/02-gbk.md:2: 文件不是 UTF-8 编码（看起来是 GBK 编码，请用编辑器另存为 UTF-8）"]),
    "huge": (huge_article, [f"{ISSUE}/02-大.md: 文件过大（10 MB，文章上限 512 KB）"]),
    "outside": (article_outside, [f"{ISSUE}/02-link.md: 文件指向内容文件夹以外（符号链接），出于安全考虑不予读取"]),
}


@pytest.mark.parametrize("case", CASES)
def test_check_says_what_build_says(project: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    make, expected = CASES[case]
    make(project)
    assert within(30, lambda: problems(project)) == expected
    checked = command(capsys, "check", "-q")
    built = command(capsys, "build", "--no-ofd", "-q")
    errors = [line for line in expected if "警告：" not in line]  # -q: errors only
    assert checked == built == (1, [*errors, "发现 1 个错误，未生成任何文件（上次的输出保持不变）。"])
    assert "机密内容" not in "\n".join(checked[1])


def test_check_lints_the_articles_loading_read_beside_its_errors(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ISSUE / "01-article.md").write_text("---\ntitle: 测试文章\n---\n\n正文第一段,有半角逗号。\n")
    article_outside(project)  # an error; the article outside content/ is never read, not even to lint it
    code, lines = command(capsys, "check")
    assert code == 1
    assert any(line.startswith(f"{ISSUE}/01-article.md:5:") and "半角标点" in line for line in lines), lines
    assert not any("02-link.md:5" in line for line in lines)


# --- bounded reading ---------------------------------------------------------------------------------


T = TypeVar("T")


def traced(work: Callable[[], T]) -> tuple[T, int]:
    """What `work` returns, and the peak of Python memory it allocated (bytes)."""
    tracemalloc.start()
    try:
        return work(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_huge_article_is_refused_before_it_is_read(project: Path) -> None:
    sparse(project / ISSUE / "02-大.md", 64 * 1024 * 1024)
    said, peak = traced(lambda: problems(project))
    assert said == [f"{ISSUE}/02-大.md: 文件过大（64 MB，文章上限 512 KB）"]
    assert peak < 16 * 1024 * 1024, peak


def test_a_stray_1_gb_file_is_hashed_by_its_size_without_reading_it(tmp_path: Path) -> None:
    folder = tmp_path / "2025-01"
    folder.mkdir()
    (folder / "01.md").write_text("正文", encoding="utf-8")
    sparse(folder / "录像.mp4", GB)
    started = time.perf_counter()
    first, peak = traced(lambda: tree_digest(folder))
    assert time.perf_counter() - started < 1.0 and peak < 8 * 1024 * 1024, peak
    sparse(folder / "录像.mp4", GB + 1)
    assert tree_digest(folder) != first  # a different file: the issue is stale


def test_digests_stream_files_in_chunks(tmp_path: Path) -> None:
    (tmp_path / "图.png").write_bytes(os.urandom(8 * 1024 * 1024))
    _, peak = traced(lambda: tree_digest(tmp_path))
    assert peak < 4 * 1024 * 1024, peak


# --- walks that survive the folder -------------------------------------------------------------------


def test_files_that_vanish_between_listing_and_reading(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jianbao import disk

    folder = project / ISSUE
    real_walk = disk.walk

    def walk_then_vanish(top: Path, outside_ok: bool = False) -> disk.Listing:
        (folder / ".01-article.md.swp").write_text("swap", encoding="utf-8")
        listing = real_walk(top, outside_ok)
        (folder / ".01-article.md.swp").unlink()  # the editor's swap file is gone before it is read
        return listing

    monkeypatch.setattr(disk, "walk", walk_then_vanish)
    assert tree_digest(folder)  # hashed without it, no exception
    assert problems(project) == []
    monkeypatch.setattr(disk, "walk", real_walk)

    from jianbao.load import content

    monkeypatch.setattr(content, "article_names", lambda folder, problems: ["01-article.md", "02-已删除.md"])
    assert problems(project) == [
        f"{ISSUE}/02-已删除.md: 文件不存在（可能刚被删除或改名，或是指向不存在文件的符号链接）"
    ]


def test_folders_that_cannot_be_read_are_said_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(The tests run as root, who reads every folder: the refusal is made by hand.)"""
    (project / ISSUE / "images").mkdir()
    (project / ISSUE / "images/图1.png").write_bytes(b"png")
    real_scandir = os.scandir

    def refuse(path: object = ".") -> object:
        if str(path).rstrip("/").endswith(("images", "content/issues")):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refuse)
    assert tree_digest(project / ISSUE)
    assert problems(project) == [f"{ISSUE}/images: 警告：文件夹无法读取（没有权限），其中的文件不会用到"]
    real_iterdir = Path.iterdir

    def refuse_issues(self: Path) -> object:
        if self.name == "issues":
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refuse_issues)
    assert problems(project) == ["content/issues: 无法读取文件夹（没有权限）"]


# --- names -------------------------------------------------------------------------------------------


def test_names_with_control_characters_are_shown_escaped(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ISSUE / "02-\n错误：伪造.md").write_text("---\ntitle: 伪造\n---\n\n半角,逗号。\n", encoding="utf-8")
    main(["check"])
    lines = capsys.readouterr().err.splitlines()
    assert not any(line.startswith("错误：伪造") for line in lines), lines
    assert f"{ISSUE}/02-\\n错误：伪造.md: 警告：文件名含有换行等控制字符，请重命名" in lines


def test_names_that_differ_only_in_case_are_warned(project: Path) -> None:
    (project / ISSUE / "images").mkdir()
    for name in ("Chart.png", "chart.png"):
        (project / ISSUE / "images" / name).write_bytes(b"png")
    _, warnings = load_content(project / "content")
    assert [str(w) for w in warnings] == [
        f"{ISSUE}/images/chart.png: 警告：与 images/Chart.png 只有大小写不同：在 Windows 和 macOS 上它们是同一个文件，"
        "复制或发布到那里时会互相覆盖，请改名"
    ]


def test_articles_under_names_never_read_are_named_and_md_in_capitals_is_read(project: Path) -> None:
    second = "---\ntitle: 第二篇\n---\n\n正文。\n"
    (project / ISSUE / "03-专报.md.txt").write_text(second, encoding="utf-8")
    (project / ISSUE / "04-调研.MD").write_text(second, encoding="utf-8")
    (project / ISSUE / "05-来稿.docx").write_bytes(b"PK")
    site, warnings = load_content(project / "content")
    importing = invocation.command("import", "05-来稿.docx", "--issue", "2025-01")
    assert [a.source_path.name for a in site.issues[0].articles] == ["01-article.md", "04-调研.MD"]
    assert [str(w) for w in warnings] == [
        f"{ISSUE}/03-专报.md.txt: 警告：扩展名是 .md.txt（Windows 可能隐藏了 .txt），不会作为文章印出；"
        "请改名为 03-专报.md",
        f"{ISSUE}/05-来稿.docx: 警告：Word 文件不会直接印出；请用 {importing} 把它导入为文章，再移走原文件",
    ]
