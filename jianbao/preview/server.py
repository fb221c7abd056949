"""The output folder and the preview's state → an HTTP server on a local address.

HTML pages are served with the live snippet (inject.py), `/__jianbao/events`
streams the state to each open tab (events.py), everything else is served as
the files are; nothing is cached by the browser.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jianbao.errors import UsageError
from jianbao.preview.events import EVENTS_PATH, Preview, stream_events
from jianbao.preview.inject import inject, placeholder_page


@dataclass(frozen=True)
class Address:
    """Where the preview listens."""

    host: str = "127.0.0.1"
    port: int = 8000


def make_handler(preview: Preview, root: Path, log: Callable[[str], None] | None) -> type[SimpleHTTPRequestHandler]:
    """A request handler serving `root`, with live pages and the event stream."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == EVENTS_PATH:
                self.send_events()
                return
            if "\0" in unquote(path):  # `/a%00.html`: no file has such a name
                self.send_error(HTTPStatus.BAD_REQUEST, "Bad request path")
                return
            file = Path(self.translate_path(self.path))
            if file.is_dir() and path.endswith("/"):
                file = file / "index.html"
            if file.suffix == ".html":
                self.send_page(file)
                return
            super().do_GET()

        def send_page(self, file: Path) -> None:
            """An HTML page with the live snippet (a placeholder while it does not exist)."""
            state = preview.state
            try:
                text, status = file.read_text(encoding="utf-8"), 200
            except OSError:
                text, status = placeholder_page(), 404
            body = inject(text, state, file.parent).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def send_events(self) -> None:
            """Stream the state to one tab until it closes or the server stops."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.end_headers()
            stream_events(preview, self.wfile)

        def end_headers(self) -> None:
            # Never let the browser keep a stale page or PDF while previewing.
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:
            if log is not None:
                log(f"{self.address_string()} {format % args}")

    return Handler


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server: a browser that drops a connection (a reload, a closed tab) is no error."""

    log: Callable[[str], None] | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        kind, exc, _ = sys.exc_info()
        if isinstance(exc, ConnectionError):  # BrokenPipe, ConnectionReset, ConnectionAborted
            if self.log is not None:
                self.log(f"{client_address[0]} 浏览器中断了连接")
            return
        # Anything else: one line, never a traceback in the middle of the editor's console.
        print(f"预览服务器处理请求出错：{kind.__name__ if kind else '?'}: {exc}", file=sys.stderr, flush=True)


def open_server(address: Address, handler: type[SimpleHTTPRequestHandler]) -> PreviewServer:
    """Bind the HTTP server, turning a busy port into a usage error."""
    try:
        server = PreviewServer((address.host, address.port), handler)
    except OSError as exc:
        reason = {
            errno.EADDRINUSE: "端口已被占用；用 --port 换一个端口",
            errno.EACCES: "没有权限；1024 以下的端口需要管理员权限，请用 --port 换一个端口",
            errno.EADDRNOTAVAIL: "本机没有这个地址；用 --host 127.0.0.1",
        }.get(exc.errno or 0, f"{exc.strerror}")
        raise UsageError(f"无法在 {address.host}:{address.port} 上启动预览：{reason}") from None
    server.daemon_threads = True
    server.block_on_close = False  # Ctrl-C must not wait for a tab's open event stream
    return server
