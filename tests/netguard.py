"""A local HTTP server that must stay silent: it counts every connection it accepts."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CANARY = "CANARY-5f1c9e-must-never-appear"


class _CountingServer(ThreadingHTTPServer):
    """Counts every accepted connection, even one that never sends a request."""

    connections = 0

    def get_request(self) -> tuple[socket.socket, object]:
        type(self).connections += 1
        return super().get_request()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(CANARY.encode())

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def silent_server() -> Iterator[tuple[str, Callable[[], int]]]:
    """A local HTTP server; yields its base URL and a connection counter."""
    _CountingServer.connections = 0
    httpd = _CountingServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", lambda: _CountingServer.connections
    finally:
        httpd.shutdown()
        httpd.server_close()
