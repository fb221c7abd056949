"""Launching Debian's Chromium for the browser tests (never a browser Playwright downloads)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

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
def serve_folder(folder: Path, sub_path: str = "/") -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 under `sub_path` (as an intranet server might); yields the site's URL."""
    with tempfile.TemporaryDirectory() as www:
        site = Path(www) / sub_path.strip("/") if sub_path.strip("/") else Path(www) / "site"
        site.parent.mkdir(parents=True, exist_ok=True)
        site.symlink_to(folder, target_is_directory=True)
        directory = www if sub_path.strip("/") else str(site)
        handler = functools.partial(_QuietHandler, directory=directory)
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
    def log_message(self, format: str, *args: object) -> None:
        pass
