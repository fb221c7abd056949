"""`serve`: the preview server as an editor uses it — started, edited, broken, fixed, stopped."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from jianbao.preview.events import State
from jianbao.preview.inject import inject
from jianbao.preview.rebuild import affected
from tests.browser import needs_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser
from tests.test_cli import ROOT

ISSUE = "2025-01"


def save(path: Path, text: str) -> None:
    """Save as editors do (a new file renamed over the old): a test's truncate-then-write could be
    caught half-written when the machine is busy, and the preview would rightly report an empty file.
    The new file is written outside the watched folders, in the project folder."""
    temp = next(folder for folder in path.parents if (folder / "content").is_dir()) / f".{path.name}.saving"
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


pytestmark = pytest.mark.slow


class Server:
    """`python build.py serve --port 0` running in a project copy."""

    def __init__(self, project: Path, *options: str):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", *options],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.stdout: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        self.connections: list[http.client.HTTPConnection] = []
        self.pumps = [
            threading.Thread(target=self._pump, args=(self.process.stdout, self.stdout.put), daemon=True),
            threading.Thread(target=self._pump, args=(self.process.stderr, self.stderr.append), daemon=True),
        ]
        for pump in self.pumps:
            pump.start()
        self.url = self.wait_for_line(r"预览地址：(http://\S+/)").group(1)

    @staticmethod
    def _pump(stream: object, sink: Callable[[str], None]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            sink(line.rstrip("\n"))

    def wait_for_line(self, pattern: str, timeout: float = 120) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.stdout.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "\n".join(self.stderr)
                continue
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matching {pattern!r}")

    def get(self, path: str) -> str:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.read().decode()

    def poll(self, path: str, test: Callable[[str], bool], timeout: float = 60) -> tuple[str, float]:
        """GET `path` until `test` holds; returns the page and the seconds it took."""
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            page = self.get(path)
            if test(page):
                return page, time.perf_counter() - started
            time.sleep(0.02)
        raise AssertionError(f"{path} never changed as expected; stderr:\n" + "\n".join(self.stderr))

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        finally:
            for pump in self.pumps:
                pump.join(timeout=5)
            for connection in self.connections:
                connection.close()
            for pipe in (self.process.stdout, self.process.stderr):
                if pipe is not None:
                    pipe.close()


@pytest.fixture
def project(minimal: Callable[..., Path]) -> Path:
    """A one-issue project (2025-01, 01-article.md) that changes to the sample content cannot disturb."""
    return minimal()


@pytest.fixture
def server(project: Path) -> Iterator[Server]:
    running = Server(project)
    yield running
    running.stop()


def events(server: Server) -> queue.Queue[dict[str, object]]:
    """Listen on the event stream as the browser does; each message lands in the queue."""
    received: queue.Queue[dict[str, object]] = queue.Queue()
    host, port = server.url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    server.connections.append(connection)
    connection.request("GET", "/__jianbao/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type", "").startswith("text/event-stream")

    def read() -> None:
        try:
            for raw in response:
                line = raw.decode().strip()
                if line.startswith("data: "):
                    received.put(json.loads(line.removeprefix("data: ")))
        except (OSError, ValueError):
            return  # the test closed the connection
        finally:
            response.close()

    threading.Thread(target=read, daemon=True).start()
    return received


def test_edit_reloads_the_page(server: Server, project: Path) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    page = server.get(f"{ISSUE}/index.html")
    assert "测试文章" in page
    assert "new EventSource(config.events)" in page and '"events": "/__jianbao/events"' in page
    first_pdf = re.search(rf'href="{ISSUE}\.pdf\?v=(\d+)"', page)
    assert first_pdf, "the PDF link carries a cache-busting query"
    on_disk = (project / "preview" / ISSUE / "index.html").read_text(encoding="utf-8")  # serve's own folder
    assert "EventSource" not in on_disk and f'href="{ISSUE}.pdf"' in on_disk

    stream = events(server)
    assert stream.get(timeout=10)["errors"] == []
    article = project / "content/issues" / ISSUE / "01-article.md"
    original = article.read_text(encoding="utf-8")
    timings = []
    for n in range(3):
        marker = f"预览测试段落{n}号"
        save(article, f"{original}\n{marker}。\n")
        page, seconds = server.poll(f"{ISSUE}/index.html", lambda text, m=marker: m in text)
        timings.append(seconds)
        message = stream.get(timeout=10)
        assert message["ids"] == [ISSUE] and message["errors"] == []
    print(f"save → page updated: {', '.join(f'{t:.2f}' for t in timings)} s")
    later_pdf = re.search(rf'href="{ISSUE}\.pdf\?v=(\d+)"', page)
    assert later_pdf and later_pdf.group(1) != first_pdf.group(1)


def test_error_overlay_appears_and_clears(server: Server, project: Path) -> None:
    issue_yaml = project / "content/issues" / ISSUE / "issue.yaml"
    good = issue_yaml.read_text(encoding="utf-8")
    save(issue_yaml, "number: 1\ntotal: [1\ndate: 2025-01-10\n")
    page, _ = server.poll(f"{ISSUE}/index.html", lambda text: 'id="jianbao-overlay"' in text)
    assert "content/issues/2025-01/issue.yaml:" in page and "YAML 格式错误" in page
    assert "测试文章" in page, "the last good page stays underneath"
    assert any("issue.yaml" in line and "YAML 格式错误" in line for line in server.stderr)

    save(issue_yaml, good)
    server.poll(f"{ISSUE}/index.html", lambda text: 'id="jianbao-overlay"' not in text)
    server.wait_for_line("错误已改正")


def test_ctrl_c_stops_cleanly(server: Server) -> None:
    assert server.stop() == 0
    assert "Traceback" not in "\n".join(server.stderr)
    server.wait_for_line("预览已停止")


def test_polling_notices_edits(project: Path) -> None:
    server = Server(project, "--poll")
    try:
        article = project / "content/issues" / ISSUE / "01-article.md"
        save(article, article.read_text(encoding="utf-8") + "\n轮询模式测试。\n")
        server.poll(f"{ISSUE}/index.html", lambda text: "轮询模式测试" in text)
        # Polling reports a file renamed into a folder as a change of the folder, which rebuilds every issue.
        server.wait_for_line("已更新 ")
    finally:
        assert server.stop() == 0


def test_changes_map_to_the_issue_they_touch(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for issue in ("2025-07", "2025-08"):
        (content / "issues" / issue).mkdir(parents=True)
        (content / "issues" / issue / "issue.yaml").write_text("number: 1\n", encoding="utf-8")
    folder = content / "issues"
    assert affected([str(folder / "2025-08" / "01-a.md")], content) == {"2025-08"}
    assert affected(
        [str(folder / "2025-08" / "images" / "a.png"), str(folder / "2025-07" / "issue.yaml")], content
    ) == {
        "2025-07",
        "2025-08",
    }
    assert affected([str(content / "bulletin.yaml")], content) is None
    assert affected([str(tmp_path / "layouts" / "print.css")], content) is None
    assert affected([str(folder / "2025-09" / "issue.yaml")], content) is None  # a new issue


def test_inject_adds_script_overlay_and_pdf_query(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    stamp = (tmp_path / "x.pdf").stat().st_mtime_ns
    page = '<html><body><a href="x.pdf" download>PDF</a><a href="../other.html">o</a></body></html>'
    served = inject(page, State(3, None, ("a.md:1: 错误 <b>",)), tmp_path)
    assert f'href="x.pdf?v={stamp}"' in served and 'href="../other.html"' in served
    assert served.index('id="jianbao-overlay"') < served.index("<script>") < served.index("</body>")
    assert "a.md:1: 错误 &lt;b&gt;" in served
    assert '"errors": ["a.md:1: 错误 \\u003cb>"]' in served, "error text cannot close the script element"


@needs_chromium
def test_browser_tab_reloads_and_shows_the_overlay(server: Server, project: Path, browser: Browser) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    try:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
        page.goto(f"{server.url}{ISSUE}/index.html")
        page.evaluate("window.notReloaded = true")
        article = project / "content/issues" / ISSUE / "01-article.md"
        save(article, article.read_text(encoding="utf-8") + "\n浏览器自动刷新测试。\n")
        expect(page.locator("main")).to_contain_text("浏览器自动刷新测试", timeout=60_000)
        assert page.evaluate("window.notReloaded === undefined"), "the tab reloaded by itself"

        issue_yaml = project / "content/issues" / ISSUE / "issue.yaml"
        good = issue_yaml.read_text(encoding="utf-8")
        save(issue_yaml, "number: 1\ntotal: [1\n")
        overlay = page.locator("#jianbao-overlay")
        expect(overlay).to_be_visible(timeout=60_000)
        expect(overlay).to_contain_text("content/issues/2025-01/issue.yaml:")
        save(issue_yaml, good)
        expect(overlay).to_have_count(0, timeout=60_000)
        assert errors == []
    finally:
        page.close()
