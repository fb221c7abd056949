"""Launching Debian's Chromium for the browser tests (never a browser Playwright downloads)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
# Headless as root on a machine with no network: no sandbox, no GPU, and none of the
# background connections (updates, safe browsing) that would be refused here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Every browser test carries this mark: without Debian's chromium it is skipped, not failed.
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="Debian chromium not installed")


@contextlib.contextmanager
def serve_folder(folder: Path, sub_path: str = "/", requests: list[str] | None = None) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 under `sub_path` (as an intranet server might, its 404.html answering
    for any missing address there, as the README sets nginx up); yields the site's URL. The paths asked
    for are appended to `requests` when given."""
    with tempfile.TemporaryDirectory() as www:
        site = Path(www) / sub_path.strip("/") if sub_path.strip("/") else Path(www) / "site"
        site.parent.mkdir(parents=True, exist_ok=True)
        site.symlink_to(folder, target_is_directory=True)
        directory = www if sub_path.strip("/") else str(site)
        handler = functools.partial(
            _QuietHandler, directory=directory, not_found=folder / "404.html", sub_path=sub_path, log=requests
        )
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}{sub_path}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, not_found: Path, sub_path: str, log: list[str] | None, **kwargs: Any) -> None:
        self.not_found, self.sub_path, self.log = not_found, sub_path, log
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        if self.log is not None:
            self.log.append(self.path)
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing file under the site's sub-path gets the site's 404.html (nginx: error_page 404)."""
        if code != 404 or not self.path.startswith(self.sub_path) or not self.not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def build_pages(project: Path, drafts: bool = False) -> Path:
    """The project's web pages and search text, without PDFs (for tests that need pages only, quickly); the
    search text made by the function the build uses. Returns the output folder."""
    from jianbao.digests import digest_file
    from jianbao.files import write_tree
    from jianbao.markup import load_content
    from jianbao.recipe import Builder
    from jianbao.site import search
    from tests.conftest import options_for

    Builder(options_for(project, drafts=drafts)).build(pages_only=True)
    output = project / "output"
    site, _ = load_content(project / "content")
    listed = [issue for issue in site.issues if drafts or not issue.draft]
    digests = {issue.id: digest_file(output / issue.id / "index.html") or "" for issue in listed}
    write_tree(output, search.index_files(output, listed, digests))
    return output
