"""`serve` never dies of what sits in the folders, and tells a build holding the output apart from an error in
the content: it says 正在生成，稍后重试 and builds the saved edit once the other build is done, unasked
(issue 27, requirement 6)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import ROOT
from tests.test_serve import ISSUE, Server, save

pytestmark = pytest.mark.slow

HOLD = """
import sys
from pathlib import Path
from jianbao.write.lock import output_lock
with output_lock(Path("preview")):  # where serve builds
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def server(minimal: object) -> Iterator[tuple[Server, Path]]:
    project = minimal()  # type: ignore[operator]
    running = Server(project)
    yield running, project
    running.stop()


def wait_for_stderr(server: Server, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not any(text in line for line in server.stderr):
        assert time.monotonic() < deadline, "\n".join(server.stderr)
        assert server.process.poll() is None, "\n".join(server.stderr)
        time.sleep(0.05)


def test_an_edit_saved_while_another_build_holds_the_output_is_built_after_it(
    server: tuple[Server, Path],
) -> None:
    preview, project = server
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        article = project / "content/issues" / ISSUE / "01-article.md"
        save(article, article.read_text(encoding="utf-8") + "\n锁释放后才生成的段落。\n")
        wait_for_stderr(preview, "正在生成，稍后重试")
        assert not any("内容有错误" in line for line in preview.stderr), preview.stderr
        assert "锁释放后才生成的段落" not in preview.get(f"{ISSUE}/index.html")
    finally:
        holder.communicate("", timeout=10)  # the other build ends: its lock goes
    preview.poll(f"{ISSUE}/index.html", lambda page: "锁释放后才生成的段落" in page)  # with no second save


def test_symlink_loops_never_end_the_preview(server: tuple[Server, Path]) -> None:
    preview, project = server
    folder = project / "content/issues" / ISSUE
    (folder / "loop").symlink_to("loop")
    article = folder / "01-article.md"
    save(article, article.read_text(encoding="utf-8") + "\n循环链接旁的段落。\n")
    preview.poll(f"{ISSUE}/index.html", lambda page: "循环链接旁的段落" in page)
    wait_for_stderr(preview, "loop: 警告：是循环的符号链接")
    (folder / "02-self.md").symlink_to("02-self.md")
    page, _ = preview.poll(f"{ISSUE}/index.html", lambda page: 'id="jianbao-overlay"' in page)
    assert "02-self.md: 是循环的符号链接" in page
    (folder / "02-self.md").unlink()
    preview.poll(f"{ISSUE}/index.html", lambda page: 'id="jianbao-overlay"' not in page)
    assert preview.process.poll() is None
    assert not any("Traceback" in line or "内部错误" in line for line in preview.stderr), preview.stderr
