#!/usr/bin/env python3
"""Benchmark `serve`: seconds from saving an article to the browser having the new page.

Copies the sample project to a temporary folder, starts `python build.py serve`
on a free port, listens on the event stream like the browser's reload script,
then edits one article N times. For each save it measures the time from the
write to (a) the reload event arriving and (b) the reloaded page being fetched.

    .venv/bin/python scripts/bench_serve.py [-n 10] [--poll]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ISSUE = "2025-08"  # the sample issue whose first article is edited


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="number of saves (default 10)")
    parser.add_argument("--poll", action="store_true", help="pass --poll to serve")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp)
        shutil.copytree(ROOT / "content", project / "content")
        shutil.copytree(ROOT / "layouts", project / "layouts")
        command = [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0"] + (["--poll"] if args.poll else [])
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        server = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, text=True, env=env)
        try:
            url = ""
            for line in server.stdout:  # type: ignore[union-attr]
                match = re.search(r"预览地址：(http://\S+/)", line)
                if match:
                    url = match.group(1)
                    break
            builds: list[float] = []
            pdfs: list[float] = []

            def read_builds() -> None:
                for line in server.stdout:  # type: ignore[union-attr]
                    match = re.search(rf"已更新 {ISSUE}（网页 ([\d.]+) 秒，PDF ([\d.]+) 秒）", line)
                    if match:
                        builds.append(float(match.group(1)))
                        pdfs.append(float(match.group(2)))

            threading.Thread(target=read_builds, daemon=True).start()
            host, port = url.removeprefix("http://").rstrip("/").split(":")
            connection = http.client.HTTPConnection(host, int(port), timeout=60)
            connection.request("GET", "/__jianbao/events")
            stream = connection.getresponse()

            def next_event() -> dict[str, object]:
                while True:
                    line = stream.readline().decode().strip()
                    if line.startswith("data: "):
                        return json.loads(line.removeprefix("data: "))

            next_event()  # the current state
            article = sorted((project / "content/issues" / ISSUE).glob("*.md"))[0]
            original = article.read_text(encoding="utf-8")
            events, pages = [], []
            for n in range(args.n):
                time.sleep(1.0)  # an editor does not save twice in a second (and the PDF follows the page)
                started = time.perf_counter()
                article.write_text(f"{original}\n基准测试第{n}次保存。\n", encoding="utf-8")
                event = next_event()
                events.append(time.perf_counter() - started)
                with urllib.request.urlopen(f"{url}{ISSUE}/index.html") as response:
                    assert f"基准测试第{n}次保存" in response.read().decode(), event
                pages.append(time.perf_counter() - started)
            connection.close()
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
    print(f"saves: {args.n}{' (polling)' if args.poll else ''}")
    rows = (
        ("save → reload event", events),
        ("save → page fetched", pages),
        ("page build alone", builds),
        ("PDF build after it", pdfs),
    )
    for label, values in rows:
        print(f"{label}: median {statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
