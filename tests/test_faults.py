"""Faults around the program: foreign folders, full and read-only disks, kill -9, Ctrl-C, odd names,
a .docx bomb, hostile requests — nothing of the user's is lost, no process is left behind, and the
message names the folder and the cause.

The disk cases mount a small tmpfs (the tests run as root in CI) and skip cleanly elsewhere.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from jianbao.errors import UsageError
from jianbao.pdf.workers import default_jobs
from jianbao.recipe import build
from jianbao.site import search
from jianbao.write.guard import guard_output
from tests.conftest import ROOT, copy_built, copy_project, options_for
from tests.test_cli import run, snapshot

# --- helpers -------------------------------------------------------------------------------


@contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `folder` (root only; skips the test elsewhere)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a tmpfs")
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def children(pid: int) -> set[int]:
    """The pids whose parent is `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_bytes()
            except OSError:
                continue
            fields = stat.rsplit(b")", 1)[-1].split()
            if int(fields[1]) == pid and fields[0] != b"Z":
                found.add(int(entry.name))
    return found


def gone(pids: set[int], seconds: float = 5.0) -> bool:
    """Whether every process in `pids` has ended (zombies count as ended) within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = set()
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[-1].split()[0]
            except OSError:
                continue
            if state != b"Z":
                alive.add(pid)
        if not alive:
            return True
        time.sleep(0.05)
    return False


def start_build(project: Path, *args: str) -> subprocess.Popen[str]:
    """`python build.py build …` in its own session (so a signal can go to its whole group)."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "build", *args],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.02)


def leftovers(project: Path) -> list[str]:
    """Staging and old-site folders beside the output."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith((".output.staging-", ".output.old-")))


def edit_article(project: Path) -> None:
    article = project / "content/issues/2025-08/01-data-elements.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The sample with the edited article, built from scratch."""
    project = copy_project(tmp_path_factory.mktemp("clean"))
    edit_article(project)
    build(options_for(project))
    return snapshot(project / "output")


# --- 1. own only what you made ----------------------------------------------------------------


@pytest.mark.slow
def test_a_foreign_folder_with_an_index_page_is_refused_and_untouched(minimal: Callable[..., Path]) -> None:
    project = minimal()
    folder = project / "我的文件"
    for name in ("photos/a.jpg", "backup-2024/b.txt", "2025-01/c.txt"):
        (folder / name).parent.mkdir(parents=True)
        (folder / name).write_text("x")
    (folder / "index.html").write_text("<p>mine</p>")
    before = snapshot(folder)

    result = run(project, "build", "--output", "我的文件")

    assert result.returncode == 2
    assert "我的文件" in result.stderr and "photos" in result.stderr and "index.html" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == ["2025-01", "backup-2024", "index.html", "photos"]


@pytest.mark.slow
def test_jianbao_deletes_only_paths_it_wrote(minimal: Callable[..., Path]) -> None:
    project = minimal()
    second = project / "content/issues/2025-02"
    shutil.copytree(project / "content/issues/2025-01", second)
    (second / "issue.yaml").write_text("number: 2\ntotal: 2\ndate: 2025-02-10\n", encoding="utf-8")
    output = project / "output"
    build(options_for(project, pages_only=True))
    assert (output / "2025-02/index.html").is_file()
    # The user keeps notes in the output: in a folder jianbao wrote, and in one shaped like an issue.
    (output / "2025-02/notes.txt").write_text("mine")
    (output / "2099-01").mkdir()
    (output / "2099-01/plan.txt").write_text("mine")

    shutil.rmtree(second)  # the issue goes: its page goes, nothing else
    build(options_for(project, pages_only=True))

    assert not (output / "2025-02/index.html").exists()
    assert (output / "2025-02/notes.txt").read_text() == "mine"
    assert (output / "2099-01/plan.txt").read_text() == "mine"
    assert (output / "2025-01/index.html").is_file()


def test_output_inside_content_or_layouts_is_refused(minimal: Callable[..., Path]) -> None:
    project = minimal()
    content, layouts = project / "content", project / "layouts"
    for inside in (content / "issues/2025-01/site", content / "site", layouts / "out"):
        with pytest.raises(UsageError, match="不能用作输出"):
            guard_output(inside, [content, layouts])


@pytest.mark.slow
def test_a_mount_point_is_refused_with_its_cause(minimal: Callable[..., Path], tmp_path: Path) -> None:
    project = minimal()
    with tmpfs(tmp_path / "mnt", "4m") as mount:
        result = run(project, "build", "--output", str(mount))
    assert result.returncode == 2
    assert "挂载点" in result.stderr and str(mount) in result.stderr
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr


# --- 2. nothing published from a failed step --------------------------------------------------


def index_problem(site: Path) -> str | None:
    """Why the site's search text is missing or damaged (latest.bin or a volume it names unreadable), or None."""
    latest = search.read_volume(site / search.LATEST)
    if latest is None:
        return "search/latest.bin 缺失或损坏"
    names = [volume["file"] for volume in latest["volumes"]]
    broken = [name for name in names if search.read_volume(site / search.SEARCH_DIR / name) is None]
    return f"search/{broken[0]} 缺失或损坏" if broken else None


@pytest.mark.slow
def test_a_later_build_repairs_a_damaged_search_index(built_sample: Path) -> None:
    output = built_sample / "output"
    good = snapshot(output)
    for path in (output / "search").rglob("*"):
        if path.is_file():
            path.write_bytes(b"")  # what a full disk left behind

    build(options_for(built_sample))  # nothing changed in the content

    assert snapshot(output) == good
    assert index_problem(output) is None


@pytest.mark.slow
@pytest.mark.parametrize("free_kib", [0, 40, 160, 400])
def test_a_full_disk_at_any_writer_keeps_the_old_site_and_names_the_cause(
    tmp_path: Path, free_kib: int, sample_build: Path, clean_site: dict[str, bytes]
) -> None:
    with tmpfs(tmp_path / "disk", "12m") as disk:
        site = copy_built(sample_build, disk / "p")
        before = snapshot(site / "output")
        edit_article(site)
        stats = os.statvfs(disk)
        filler = max(0, stats.f_bavail * stats.f_frsize - free_kib * 1024)
        (disk / "filler").write_bytes(b"\0" * filler)

        result = run(site, "build")

        assert "内部错误" not in result.stderr and "Traceback" not in result.stderr, result.stderr
        if result.returncode != 0:
            assert result.returncode == 1
            assert "磁盘已满" in result.stderr, result.stderr  # a writer of ours met ENOSPC
            assert snapshot(site / "output") == before
        else:
            assert index_problem(site / "output") is None
        assert leftovers(site) == []
        (disk / "filler").unlink()
        assert run(site, "build").returncode == 0
        assert snapshot(site / "output") == clean_site  # the search text too: its files are named by content
        assert index_problem(site / "output") is None


@pytest.mark.slow
def test_a_read_only_output_names_the_folder_and_the_cause(tmp_path: Path, sample_build: Path) -> None:
    with tmpfs(tmp_path / "ro", "12m") as disk:
        site = copy_built(sample_build, disk / "p")
        edit_article(site)
        shutil.copytree(site / "content", tmp_path / "content")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        try:
            result = run(site, "build", "--content", str(tmp_path / "content"))
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误")]
    assert len(errors) == 1 and "只读" in errors[0], result.stderr
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr


# --- 3. no orphans --------------------------------------------------------------------------


def moment_workers(project: Path, process: subprocess.Popen[str]) -> bool:
    return len(children(process.pid)) >= 2


def moment_staging(project: Path, process: subprocess.Popen[str]) -> bool:
    return bool([p for p in project.iterdir() if p.name.startswith(".output.staging-")])


def moment_first_pdf(project: Path, process: subprocess.Popen[str]) -> bool:
    staged = [p for p in project.iterdir() if p.name.startswith(".output.staging-")]
    return any(p.stat().st_ino != q.stat().st_ino for s in staged for p, q in _pdfs(s, project / "output"))


def _pdfs(staged: Path, live: Path) -> Iterator[tuple[Path, Path]]:
    for pdf in staged.glob("*/*.pdf"):
        if (live / pdf.relative_to(staged)).is_file():
            yield pdf, live / pdf.relative_to(staged)


@pytest.mark.slow
@pytest.mark.parametrize("moment", [moment_workers, moment_staging, moment_first_pdf])
def test_kill_9_leaves_no_worker_and_the_next_build_matches_a_clean_one(
    built_sample: Path, moment: Callable[[Path, subprocess.Popen[str]], bool], clean_site: dict[str, bytes]
) -> None:
    edit_article(built_sample)
    process = start_build(built_sample, "--force", "-j", "2")
    wait_for(lambda: moment(built_sample, process) or process.poll() is not None)
    workers = children(process.pid)
    process.kill()
    process.communicate()

    assert gone(workers), "render workers outlived the killed build"
    again = run(built_sample, "build")
    assert again.returncode == 0, again.stderr
    assert snapshot(built_sample / "output") == clean_site
    assert leftovers(built_sample) == []


@pytest.mark.slow
def test_a_lock_kept_by_a_child_of_a_dead_build_is_taken_over(project: Path, tmp_path: Path) -> None:
    lock = project / ".output.lock"
    probe = subprocess.Popen(["sleep", "0"])  # a build that has ended: its pid is free
    probe.wait()
    lock.write_text(f"{probe.pid}\n")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import fcntl, os, time\nf = os.open({str(lock)!r}, os.O_RDWR)\n"
            "fcntl.flock(f, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = run(project, "build", "2025-07")
    finally:
        holder.kill()
        holder.communicate()
    assert result.returncode == 0, result.stderr
    assert "已接管" in result.stderr and str(probe.pid) in result.stderr


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.slow
def test_ctrl_c_ends_everything_with_one_line(built_sample: Path) -> None:
    before = snapshot(built_sample / "output")
    edit_article(built_sample)
    process = start_build(built_sample, "--force", "-j", "2")
    wait_for(lambda: moment_staging(built_sample, process) and len(children(process.pid)) >= 2)
    workers = children(process.pid)
    os.killpg(process.pid, signal.SIGINT)  # what the terminal does
    _, stderr = process.communicate(timeout=30)

    assert process.returncode == 130, stderr
    assert "已中断" in one_line(stderr)
    assert gone(workers)
    assert snapshot(built_sample / "output") == before
    assert leftovers(built_sample) == []


@pytest.mark.slow
def test_sigterm_ends_everything_with_one_line(built_sample: Path) -> None:
    before = snapshot(built_sample / "output")
    edit_article(built_sample)
    process = start_build(built_sample, "--force", "-j", "2")
    wait_for(lambda: moment_staging(built_sample, process) and len(children(process.pid)) >= 2)
    workers = children(process.pid)
    process.terminate()  # the main process only, as a service manager would
    _, stderr = process.communicate(timeout=30)

    assert process.returncode == 143
    assert "已终止" in one_line(stderr)
    assert gone(workers)
    assert snapshot(built_sample / "output") == before
    assert leftovers(built_sample) == []


# --- 8. memory: jobs within bounds ------------------------------------------------------------


def test_jobs_are_capped_by_cpus_issues_and_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    cpus = len(os.sched_getaffinity(0))
    assert default_jobs(32, 3) <= min(3, cpus)
    assert default_jobs(0, 1) == 1
    monkeypatch.setattr("jianbao.pdf.workers.available_memory", lambda: 400 * 1024 * 1024)
    assert default_jobs(32, 100) == 1


def test_a_worker_started_in_case_is_ended_at_once_when_nothing_renders() -> None:
    """`build` starts one worker in case an issue changed; a build that renders nothing must not wait
    for it to finish loading WeasyPrint (0.7 s) before it exits."""
    from jianbao.pdf.internals.pool import pool_processes
    from jianbao.pdf.workers import RenderPool

    with RenderPool.start(1) as pool:
        processes = pool_processes(pool.executor)
    assert processes and all(process.exitcode == -signal.SIGKILL for process in processes)


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def big_pdf(job: object) -> object:
    from jianbao.pdf.workers import Made

    # 40 MB: above glibc's highest dynamic mmap threshold (32 MiB), so each is mapped on its own and the RSS
    # says how many are alive (at 30 MB the first free raises the threshold and later PDFs share the heap).
    return Made(b"%PDF" + os.urandom(1) * (40 << 20))


def test_the_main_process_lets_go_of_each_pdf_once_staged(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool's futures kept every PDF until the last one was done: +40 MiB over a 150-issue build."""
    from jianbao.pdf import workers

    monkeypatch.setattr(workers, "_work", big_pdf)  # before the fork: the worker runs it
    sizes, grown = [], 0
    with workers.RenderPool(1) as pool:
        before = rss_kib()
        for result in pool.render({str(n): None for n in range(6)}):  # type: ignore[misc]
            sizes.append(len(result.pdf))
            grown = max(grown, rss_kib() - before)  # while the last PDFs arrive the first must be gone
    assert sizes == [(40 << 20) + 4] * 6
    # One PDF alive at a time (42 MB measured), a few on a busy machine; all six kept would be 240 MiB.
    assert grown < 160 * 1024, f"{grown} KiB kept at most"


@pytest.mark.slow
def test_j32_on_three_issues_starts_at_most_three_workers(project: Path) -> None:
    process = start_build(project, "-j", "32")
    most = 0
    while process.poll() is None:
        most = max(most, len(children(process.pid)))
        time.sleep(0.02)
    process.communicate()
    assert process.returncode == 0
    # Workers, plus Pagefind indexing beside them.
    assert most <= min(3, len(os.sched_getaffinity(0))) + 1


# --- 5. check before you open -----------------------------------------------------------------

IN_OPEN, IN_ACCESS, IN_NONBLOCK = 0x20, 0x1, 0o4000


@contextmanager
def opened(path: Path) -> Iterator[Callable[[], bool]]:
    """Watch `path` with inotify; yields a function telling whether anyone opened or read it."""
    libc = ctypes.CDLL(None, use_errno=True)
    handle = libc.inotify_init1(IN_NONBLOCK)
    if handle < 0:
        pytest.skip("no inotify")
    try:
        libc.inotify_add_watch(handle, os.fsencode(path), IN_OPEN | IN_ACCESS)

        def touched() -> bool:
            try:
                data = os.read(handle, 4096)
            except BlockingIOError:
                return False
            masks = [struct.unpack_from("iIII", data, offset)[1] for offset in range(0, len(data), 16)]
            return any(mask & (IN_OPEN | IN_ACCESS) for mask in masks)

        yield touched
    finally:
        os.close(handle)


@pytest.mark.slow
def test_a_symlinked_image_outside_content_is_never_opened(minimal: Callable[..., Path], tmp_path: Path) -> None:
    project = minimal(article=MINIMAL_WITH_IMAGE)
    canary = tmp_path / "secret.png"
    canary.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (project / "content/issues/2025-01/chart.png").symlink_to(canary)
    with opened(canary) as touched:
        result = run(project, "check")
        built = run(project, "build")
        assert not touched(), "the file behind the symlink was opened"
    assert result.returncode == 1 and "符号链接" in result.stderr
    assert built.returncode == 1 and "符号链接" in built.stderr


MINIMAL_WITH_IMAGE = "---\ntitle: 测试文章\n---\n\n正文。\n\n![图](chart.png)\n"


# --- 6. any file name -------------------------------------------------------------------------


@pytest.mark.slow
def test_non_utf8_names_are_reported_by_check_and_build_alike(minimal: Callable[..., Path]) -> None:
    project = minimal()
    folder = os.fsencode(project / "content/issues/2025-01")
    with open(folder + b"/\xb1\xb8\xb7\xdd.txt", "wb") as file:  # 备份.txt in GBK
        file.write(b"x")
    for command in ("check", "build"):
        result = run(project, command)
        assert result.returncode == 0, result.stderr
        assert "\\xb1\\xb8\\xb7\\xdd.txt" in result.stderr and "警告" in result.stderr
        assert "内部错误" not in result.stderr
    with open(folder + b"/\xb1\xb8.md", "wb") as file:
        file.write(b"# x\n")
    for command in ("check", "build"):
        result = run(project, command)
        assert result.returncode == 1
        assert "\\xb1\\xb8.md" in result.stderr and "UTF-8" in result.stderr
        assert "内部错误" not in result.stderr and "Traceback" not in result.stderr


# --- 4. import limits -------------------------------------------------------------------------


def whitespace_docx(path: Path, megabytes: float) -> Path:
    """A small .docx whose document.xml holds a long run of spaces (it compresses ~1000:1)."""
    import io
    import zipfile

    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("标题")
    document.add_paragraph("正文 MARK")
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"MARK", b"A" + b" " * int(megabytes * 1024 * 1024) + b"B")
            out.writestr(item, data)
    return path


@pytest.mark.slow
def test_a_docx_bomb_is_refused_quickly(minimal: Callable[..., Path], tmp_path: Path) -> None:
    project = minimal()
    bomb = whitespace_docx(tmp_path / "bomb.docx", 64)
    assert bomb.stat().st_size < 200_000
    started = time.monotonic()
    result = run(project, "import", str(bomb), "--issue", "2025-01")
    assert time.monotonic() - started < 30
    assert result.returncode == 2 and "解压后过大" in result.stderr
    assert sorted(p.name for p in (project / "content/issues/2025-01").glob("*.md")) == ["01-article.md"]


@pytest.mark.slow
def test_whitespace_in_a_docx_costs_linear_time(minimal: Callable[..., Path], tmp_path: Path) -> None:
    project = minimal()
    spaces = whitespace_docx(tmp_path / "spaces.docx", 4)
    started = time.monotonic()
    result = run(project, "import", str(spaces), "--issue", "2025-01")
    assert time.monotonic() - started < 30  # was quadratic: minutes
    assert result.returncode == 0, result.stderr
    assert "正文 A B" in (project / "content/issues/2025-01/02-spaces.md").read_text(encoding="utf-8")


# --- 7. serve: aborted and malformed requests -------------------------------------------------


@pytest.fixture
def preview_server(tmp_path: Path) -> Iterator[tuple[int, list[str]]]:
    from jianbao.preview.events import Preview
    from jianbao.preview.server import Address, make_handler, open_server

    (tmp_path / "site").mkdir()
    (tmp_path / "site/big.pdf").write_bytes(b"%PDF" + b"\0" * 8_000_000)
    logged: list[str] = []
    server = open_server(Address("127.0.0.1", 0), make_handler(Preview(), tmp_path / "site", logged.append))
    server.log = logged.append
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_port, logged
    finally:
        server.shutdown()
        server.server_close()


def request(port: int, path: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(f"GET {path} HTTP/1.0\r\n\r\n".encode())
        return client.recv(200)


def test_serve_answers_a_nul_in_the_path_with_400(preview_server: tuple[int, list[str]]) -> None:
    port, _ = preview_server
    assert request(port, "/a%00.html").startswith(b"HTTP/1.0 400")
    assert request(port, "/missing.html").startswith(b"HTTP/1.0 404")  # still serving


@pytest.mark.slow
def test_serve_logs_an_aborted_download_in_one_line_at_most(
    preview_server: tuple[int, list[str]], capfd: pytest.CaptureFixture[str]
) -> None:
    port, logged = preview_server
    for _ in range(3):
        client = socket.create_connection(("127.0.0.1", port), timeout=5)
        client.sendall(b"GET /big.pdf HTTP/1.0\r\n\r\n")
        client.recv(100)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()  # a reset, as when a browser tab is closed mid-download
    time.sleep(0.5)
    assert request(port, "/missing.html").startswith(b"HTTP/1.0 404")
    err = capfd.readouterr().err
    assert "Traceback" not in err and err.count("\n") <= 3
    assert len([line for line in logged if "中断" in line]) <= 3


# --- 10. minor --------------------------------------------------------------------------------


def test_a_failed_swap_leaves_no_empty_old_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from jianbao.write import swap
    from tests.test_write import write_site

    output = tmp_path / "output"
    write_site(output, {"index.html": b"old"})
    monkeypatch.setattr(swap, "exchange", lambda first, second: False)
    real_rename = os.rename

    def busy(source: object, target: object) -> None:
        if Path(str(source)) == output.resolve():
            raise OSError(errno.EBUSY, "Device or resource busy", str(source))
        real_rename(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(swap.os, "rename", busy)
    with pytest.raises(OSError):
        write_site(output, {"index.html": b"new"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
    assert (output / "index.html").read_bytes() == b"old"


@pytest.mark.slow
def test_the_parse_memo_sits_beside_the_output_folder(minimal: Callable[..., Path]) -> None:
    """Not in content/ (which every editor writes to), not in the output (which is published)."""
    project = minimal()
    build(options_for(project, pages_only=True))
    assert (project / ".output.jianbao-cache/parsed.json").is_file()
    assert not (project / "content/.jianbao-cache").exists()
    assert not any(".parsed" in path.name for path in (project / "output").rglob("*"))
