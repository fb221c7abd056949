"""Build `Options` and an address → a live preview until Ctrl-C: build, serve, rebuild on every save.

The file watcher starts before the first build, so a save made meanwhile
is not missed; the HTTP server (server.py) starts once there is a site to
serve; each batch of saves goes to the rebuild policy (rebuild.py).
"""

from __future__ import annotations

import sys
import threading
import time
import webbrowser
from collections.abc import Callable

from jianbao.errors import UsageError, display_path, missing_content
from jianbao.options import Options
from jianbao.preview.events import Preview
from jianbao.preview.rebuild import Rebuilder, affected
from jianbao.preview.server import Address, make_handler, open_server
from jianbao.preview.watch import watch


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
        say(f"正在生成全部期刊（含草稿）到 {display_path(options.output)}（不要发布这个文件夹）……")
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
            if not batch:
                rebuilder.retry()  # quiet for a moment: what another build's lock held up, if it is done
                continue
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
