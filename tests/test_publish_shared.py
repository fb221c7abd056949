"""`publish DEST` into a folder others use too: it writes only its own paths, under the build lock, keeps DEST
and everything it did not write exactly as they were, refuses harmful destinations at once, cleans up after a
publish that was stopped, and says what went wrong in Chinese. (Issue 25, requirement 6; issue 27, 5.)"""

from __future__ import annotations

import os
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jianbao.cli import main
from jianbao.write.lock import output_lock
from tests.test_faults import tmpfs
from tests.test_publish_command import fake_site

OLD = 978_307_200  # 2001-01-01: a time no publish would give a file


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A built-looking site in output/, content/ and layouts/ beside it, the working directory."""
    fake_site(tmp_path)
    (tmp_path / "layouts").mkdir()
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def publish(dest: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["publish", str(dest)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def foreign(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (OLD, OLD))


def state(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, info.st_ino


def test_files_it_did_not_write_stay_exactly_as_they_were(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    www = project / "www"
    theirs = {name: www / name for name in ("附件.pdf", ".htaccess", "web.config", "2025-08/附件/说明.txt")}
    for name, path in theirs.items():
        foreign(path, f"同事的 {name}")
    before = {name: state(path) for name, path in theirs.items()}
    code, said = publish("www", capsys)
    assert code == 0, said
    assert (www / "2025-08/index.html").read_text(encoding="utf-8") == "第8期"
    # A second publish replaces what the first wrote (a mistake can be corrected) and nothing else.
    (project / "output/index.html").write_text("新目录", encoding="utf-8")
    code, said = publish("www", capsys)
    assert code == 0, said
    assert (www / "index.html").read_text(encoding="utf-8") == "新目录"
    assert {name: state(path) for name, path in theirs.items()} == before


def test_fifos_sockets_and_empty_folders_are_kept(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    www = project / "www"
    (www / "空文件夹").mkdir(parents=True)
    os.mkfifo(www / "管道")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(www / "套接字"))
    try:
        code, said = publish("www", capsys)
        assert code == 0, said
        code, said = publish("www", capsys)
        assert code == 0, said
        assert stat.S_ISFIFO(os.lstat(www / "管道").st_mode)
        assert stat.S_ISSOCK(os.lstat(www / "套接字").st_mode)
        assert (www / "空文件夹").is_dir() and not any((www / "空文件夹").iterdir())
    finally:
        server.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the folder another owner")
def test_dest_keeps_its_owner_group_mode_and_setgid(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    www = project / "www"
    www.mkdir()
    os.chown(www, 33, 33)  # www-data, as the web server's folder is
    os.chmod(www, 0o2770)
    before = os.stat(www)
    code, said = publish("www", capsys)
    assert code == 0, said
    after = os.stat(www)
    assert (after.st_ino, after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (
        before.st_ino,
        33,
        33,
        0o2770,
    )
    assert (www / "index.html").stat().st_gid == 33  # the setgid folder gives its group to what is published


@pytest.mark.parametrize(
    ("dest", "said"),
    [
        ("content/issues/2099-01", "与 content 重叠"),
        ("layouts/site", "与 layouts 重叠"),
        ("output/www", "与输出文件夹 output 重叠"),
        ("/", "是根目录"),
        ("~", "是个人主目录"),
    ],
)
def test_a_harmful_destination_is_refused_at_once(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, dest: str, said: str
) -> None:
    monkeypatch.setenv("HOME", str(project / "home"))
    (project / "home/文档").mkdir(parents=True)
    started = time.perf_counter()
    code, text = publish(os.path.expanduser(dest), capsys)
    assert code == 2 and said in text, text
    assert time.perf_counter() - started < 1.0
    assert not (project / "content/issues/2099-01").exists() and not (project / "layouts/site").exists()
    assert not (project / "output/www").exists() and sorted(os.listdir(project / "home")) == ["文档"]


def test_publish_waits_for_no_build(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A build swapping the site during a publish would leave DEST mixed: publish takes the build lock."""
    with output_lock(project / "output"):
        code, said = publish("www", capsys)
    assert code == 1 and "正在生成" in said, said
    assert not (project / "www").exists()


def test_leftovers_of_a_stopped_publish_are_removed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    www = project / "www"
    foreign(www / "附件.pdf", "同事的")
    (www / ".jianbao-published").write_text("index.html\n", encoding="utf-8")
    (www / "index.html").write_text("旧目录", encoding="utf-8")
    (www / ".index.html.jianbao-publishing").write_text("半个目录", encoding="utf-8")  # killed mid-copy
    old_copy = project / ".www.publishing-abcd1234"  # a whole copy, as publish used to make beside DEST
    (old_copy / "2025-08").mkdir(parents=True)
    (old_copy / ".jianbao-published").write_text("2025-08/index.html\n", encoding="utf-8")
    code, said = publish("www", capsys)
    assert code == 0, said
    assert not old_copy.exists() and not (www / ".index.html.jianbao-publishing").exists()
    assert sorted(p.name for p in project.iterdir()) == ["content", "layouts", "output", "www"]
    assert (www / "附件.pdf").read_text(encoding="utf-8") == "同事的"


def test_a_publish_stopped_midway_is_completed_by_the_next(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from jianbao.write import publishing

    real, copied = publishing.copy_file, []

    def stop_after_two(source: Path, target: Path) -> bool:
        if len(copied) == 2:
            raise KeyboardInterrupt
        copied.append(target)
        return real(source, target)

    monkeypatch.setattr(publishing, "copy_file", stop_after_two)
    assert publish("www", capsys)[0] == 130
    monkeypatch.setattr(publishing, "copy_file", real)
    (project / "output/pagefind/pagefind.js").unlink()  # gone from the site meanwhile: the next publish removes it
    code, said = publish("www", capsys)
    assert code == 0, said
    published = sorted(p.relative_to(project / "www").as_posix() for p in (project / "www").rglob("*"))
    assert published == [".jianbao-published", "2025-08", "2025-08/2025-08.pdf", "2025-08/index.html", "index.html"]


def test_a_symlinked_folder_in_dest_is_never_written_through(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "www").mkdir()
    (project / "www/2025-08").symlink_to(elsewhere)
    code, said = publish("www", capsys)
    assert code == 2 and "www 里的 2025-08 不是 jianbao 发布的" in said, said
    assert list(elsewhere.iterdir()) == []


@pytest.mark.slow
def test_a_full_disk_is_said_in_chinese_with_the_folder(tmp_path: Path) -> None:
    from tests.test_cli import run

    with tmpfs(tmp_path / "disk", "1m") as disk:
        fake_site(tmp_path)
        (tmp_path / "output/2025-08/2025-08.pdf").write_bytes(b"%PDF" * 600_000)  # 2.4 MB: more than fits
        result = run(tmp_path, "publish", str(disk / "www"))
        assert result.returncode == 1
        assert "发布到" in result.stderr and "磁盘已满" in result.stderr and "disk/www" in result.stderr, result.stderr
        assert "No space" not in result.stderr and "未更新任何文件" not in result.stderr
        assert not any(name.endswith(".jianbao-publishing") for name in os.listdir(disk / "www"))
