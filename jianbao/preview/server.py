"""Live preview: build (drafts included), serve output/, rebuild on save, reload the browser.

Takes the build `Options` and an address; runs until Ctrl-C. A change under
content/issues/<id>/ rebuilds that issue; anything else (bulletin.yaml,
layouts/, fonts/) rebuilds everything. HTML pages are served with a small
inline script that listens to Server-Sent Events on `/__jianbao/events`: it
reloads the tab after a rebuild, or shows the content errors as an overlay.
Only the served bytes carry the script; the files in output/ are untouched.
"""

from __future__ import annotations

import errno
import gc
import html
import json
import re
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from jianbao.build import Builder, Options, Report
from jianbao.errors import ContentError, JianbaoError, UsageError, missing_content

EVENTS_PATH = "/__jianbao/events"
KEEPALIVE_SECONDS = 15.0
WATCH_STEP_MS = 30  # quiet time that ends a burst of file events (an editor's save)
WATCH_TIMEOUT_MS = 500  # the watcher reports "nothing happened" this often


@dataclass(frozen=True)
class State:
    """What the browser should show: the build's version, what it rebuilt, the errors."""

    version: int = 0
    ids: tuple[str, ...] | None = None  # None: everything was rebuilt
    errors: tuple[str, ...] = ()

    def to_json(self) -> str:
        """The event payload, safe inside a <script> element."""
        data = {"version": self.version, "ids": self.ids, "errors": list(self.errors)}
        return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


class Preview:
    """The state shared by the rebuild loop and the HTTP threads."""

    def __init__(self) -> None:
        self.state = State()
        self.closed = False
        self.condition = threading.Condition()

    def publish(self, ids: tuple[str, ...] | None, errors: Iterable[str] = ()) -> None:
        """Announce a finished rebuild (or its errors) to every open tab."""
        with self.condition:
            self.state = State(self.state.version + 1, ids, tuple(errors))
            self.condition.notify_all()

    def wait(self, seen: int | None, timeout: float) -> State | None:
        """The state once it differs from version `seen`; None on timeout or close."""
        with self.condition:
            self.condition.wait_for(lambda: self.closed or self.state.version != seen, timeout)
            return None if self.closed or self.state.version == seen else self.state

    def close(self) -> None:
        """Release every waiting event stream."""
        with self.condition:
            self.closed = True
            self.condition.notify_all()


# ---------------------------------------------------------------------------
# What the served pages carry

_OVERLAY_STYLE = (
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2em 3em;"
    "background:rgba(255,255,255,.97);color:#222;font:16px/1.7 sans-serif;text-align:left"
)
_OVERLAY_TITLE = "内容有错误，页面仍是上次成功生成的版本。改正后保存，页面会自动刷新。"

# The reload client (a file of its own, read once); its settings come in `window.jianbaoPreview`.
_CLIENT_SCRIPT = (Path(__file__).parent / "client.js").read_text(encoding="utf-8")


def overlay_html(errors: Iterable[str]) -> str:
    """The error overlay as HTML, so it shows even before the script runs."""
    lines = "\n".join(html.escape(e) for e in errors)
    return (
        f'<div id="jianbao-overlay" role="alert" style="{_OVERLAY_STYLE}">'
        f'<p style="font-weight:bold;color:#b00">{_OVERLAY_TITLE}</p>'
        f'<pre style="white-space:pre-wrap;font:15px/1.7 monospace">{lines}</pre></div>'
    )


def live_snippet(state: State) -> str:
    """The overlay (when there are errors) and the reload script put into a served page."""
    # state.to_json() escapes "<", so no error text can close the script element.
    settings = {"style": _OVERLAY_STYLE, "title": _OVERLAY_TITLE, "events": EVENTS_PATH}
    config = f'{{"state": {state.to_json()}, {json.dumps(settings, ensure_ascii=False)[1:]}'
    overlay = overlay_html(state.errors) if state.errors else ""
    return f"{overlay}<script>window.jianbaoPreview = {config};\n{_CLIENT_SCRIPT}</script>\n"


_PDF_HREF = re.compile(r'href="([^":?#]+\.pdf)"')


def inject(page: str, state: State, folder: Path) -> str:
    """Add the live snippet before </body> and a cache-busting query to PDF links."""

    def bust(match: re.Match[str]) -> str:
        pdf = folder / match.group(1)
        stamp = pdf.stat().st_mtime_ns if pdf.is_file() else state.version
        return f'href="{match.group(1)}?v={stamp}"'

    page = _PDF_HREF.sub(bust, page)
    snippet = live_snippet(state)
    end = page.rfind("</body>")
    return page + snippet if end < 0 else page[:end] + snippet + page[end:]


def placeholder_page() -> str:
    """What a page that has not been built yet shows (it reloads once it exists)."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>jianbao 预览</title></head>'
        "<body><p>这一页还没有生成。改正错误或等待生成完成后，页面会自动刷新。</p></body></html>\n"
    )


# ---------------------------------------------------------------------------
# HTTP


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
            seen: int | None = None
            try:
                while not preview.closed:
                    state = preview.wait(seen, KEEPALIVE_SECONDS)
                    if state is None:
                        self.wfile.write(b": keep-alive\n\n")
                    else:
                        self.wfile.write(f"data: {state.to_json()}\n\n".encode())
                        seen = state.version
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def end_headers(self) -> None:
            # Never let the browser keep a stale page or PDF while previewing.
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:
            if log is not None:
                log(f"{self.address_string()} {format % args}")

    return Handler


# ---------------------------------------------------------------------------
# Rebuilding


def make_builder(options: Options) -> Builder:
    """The preview's warm builder: drafts included, PDFs rendered in this process (its WeasyPrint
    and fonts stay loaded between saves; forking a pool from a threaded server is unsafe)."""
    return Builder(replace(options, drafts=True, jobs=1))


# A preview rebuild is three builds, so that each result shows as soon as it can: the web page
# (the tab reloads), then the PDF, then the search index (Pagefind over the issue's year).
Stage = Literal["page", "pdf", "index"]


def rebuild(builder: Builder, ids: tuple[str, ...], stage: Stage) -> Report:
    """The one build call of the preview (`()` means everything), up to `stage`."""
    return builder.build(ids, pages_only=stage == "page", index=stage == "index")


def affected(paths: Iterable[str], content: Path) -> set[str] | None:
    """Issue ids whose folders the changed paths lie in; None when everything is affected."""
    issues_dir = content.resolve() / "issues"
    ids = set()
    for raw in paths:
        try:
            parts = Path(raw).resolve().relative_to(issues_dir).parts
        except ValueError:
            return None  # bulletin.yaml, layouts/, fonts/
        if len(parts) < 2 or not (issues_dir / parts[0] / "issue.yaml").is_file():
            return None  # an issue folder appeared or vanished: the archive changes too
        ids.add(parts[0])
    return ids


@dataclass
class Rebuilder:
    """Rebuilds what changed, remembering what a failed build still owes."""

    options: Options
    preview: Preview
    say: Callable[[str], None]
    shout: Callable[[str], None]
    pending: set[str] | None = None  # None: everything
    failed: bool = False
    builder: Builder | None = None

    def run(self, wanted: set[str] | None) -> None:
        """Rebuild `wanted` plus whatever the last failed build did not finish.

        The web page first, so the tab reloads at once; then the PDF; then the search index.
        """
        todo = None if wanted is None or self.pending is None else self.pending | wanted
        ids = tuple(sorted(todo)) if todo else ()
        if self.builder is None:
            self.builder = make_builder(self.options)
        pages = self.attempt(ids, todo, "page")
        if pages is None:
            return
        from jianbao.check.report import about, lint_issues, warning_lines

        for warning in about(pages.warnings, pages.issues, self.options.content):
            self.shout(str(warning))
        for line in warning_lines(lint_issues(pages.issues)):  # what `check` would say about the saved text
            self.shout(line)
        fixed = "错误已改正，" if self.failed else ""
        self.failed = False
        self.preview.publish(ids or None)
        report = self.attempt(ids, todo, "pdf")
        if report is None:
            return
        if report.failures:
            self.fail([f"{issue_id}：{failure.message}" for issue_id, failure in sorted(report.failures.items())], todo)
            return
        gc.collect()  # the PDF's garbage goes now, not at the start of the next save's PDF
        if self.attempt(ids, todo, "index") is None:
            return
        built = "、".join(i.id for i in report.issues) if ids else f"全部 {len(report.issues)} 期"
        seconds = f"网页 {pages.seconds:.2f} 秒，PDF {pages.seconds + report.seconds:.2f} 秒"
        self.say(f"{fixed}已更新 {built}（{seconds}）")
        self.pending = set()  # the page did not change again: no second reload

    def attempt(self, ids: tuple[str, ...], todo: set[str] | None, stage: Stage) -> Report | None:
        """One build; its errors go to the terminal and the overlay (None then)."""
        assert self.builder is not None
        try:
            return rebuild(self.builder, ids, stage)
        except ContentError as exc:
            self.fail([str(p) for p in exc.problems], todo)
        except UsageError as exc:
            if ids:  # an issue named by the change no longer loads: build everything
                self.run(None)
                return None
            self.fail([str(exc)], todo)
        except JianbaoError as exc:
            self.fail([str(exc)], todo)
        return None

    def fail(self, errors: list[str], todo: set[str] | None) -> None:
        """Show the errors in the terminal and in every open tab."""
        for line in errors:
            self.shout(line)
        self.shout("内容有错误，浏览器里显示了错误信息；改正后保存即可。")
        self.pending, self.failed = todo, True
        self.preview.publish(tuple(sorted(todo)) if todo else None, errors)


# ---------------------------------------------------------------------------
# The command


@dataclass(frozen=True)
class Address:
    """Where the preview listens."""

    host: str = "127.0.0.1"
    port: int = 8000


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


def watched_folders(options: Options) -> list[Path]:
    """content/, layouts/ and fonts/ (those that exist)."""
    return [p.resolve() for p in (options.content, options.layouts, options.fonts) if p.is_dir()]


def serve(
    options: Options,
    address: Address,
    *,
    poll: bool = False,
    open_browser: bool = False,
    say: Callable[[str], None] = print,
    shout: Callable[[str], None] = lambda text: print(text, file=sys.stderr, flush=True),
    log: Callable[[str], None] | None = None,
) -> int:
    """Build, serve and rebuild on every save until Ctrl-C; returns the exit code.

    `open_browser` opens the preview in the default browser (Python's `webbrowser`, which honours $BROWSER)
    once it is up.
    """
    import jianbao.pdf.engine  # noqa: F401 (import WeasyPrint once, so each save only lays out)

    if not options.content.is_dir():
        raise UsageError(missing_content(options.content))
    preview = Preview()
    rebuilder = Rebuilder(options, preview, say, shout)
    server = open_server(address, make_handler(preview, options.output.resolve(), log))
    server.log = log
    thread = threading.Thread(target=server.serve_forever, name="jianbao-http", daemon=True)
    try:
        changes = watch(options, poll)
        say("正在生成全部期刊（含草稿）……")
        rebuilder.run(None)
        thread.start()
        url = f"http://{address.host}:{server.server_port}/"
        say(f"预览地址：{url}")
        if open_browser and not webbrowser.open(url):
            shout(f"提示：未能打开浏览器，请手动打开 {url}")
        if address.host not in ("127.0.0.1", "localhost"):
            shout(f"注意：预览在 {address.host} 上开放，局域网里的其他电脑也能看到（包括草稿）。")
        say("保存文件后会自动重新生成并刷新浏览器；按 Ctrl-C 停止。")
        for batch in changes:
            if batch:
                started = time.perf_counter()
                rebuilder.run(affected((path for _, path in batch), options.content))
                if log is not None:
                    log(f"rebuild took {time.perf_counter() - started:.3f} s")
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
    say("预览已停止。")
    return 0


def watch(options: Options, poll: bool) -> Iterator[set[tuple[Any, str]]]:
    """Batches of changed files; the watcher is already running when this returns.

    Starting it before the first build means a save made during that build is
    not missed; the short timeout yields empty batches, the first of which
    tells us the watcher is in place.
    """
    import watchfiles

    batches = watchfiles.watch(
        *watched_folders(options),
        step=WATCH_STEP_MS,
        rust_timeout=WATCH_TIMEOUT_MS,
        yield_on_timeout=True,
        force_polling=poll or None,
        poll_delay_ms=200,
    )
    next(batches)
    return batches
