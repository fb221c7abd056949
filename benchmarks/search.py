#!/usr/bin/env python3
"""Search in a built site, measured in Debian's Chromium: index size, first and later query times.

    python benchmarks/search.py OUTPUT [--query 营商环境 --query 发展 ...]

Serves OUTPUT (a built site) over local HTTP under a sub-path, opens the archive page, and
types each query into the site's own search box, timing from the keystroke until the results
are shown (the first query loads Pagefind, its WebAssembly and every bundle's metadata). Also
prints the size of pagefind/ and its number of files and bundles.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve_folder

RESULTS_SHOWN = "q => document.querySelector('.search-results').dataset.query === q"


def index_size(site: Path) -> tuple[int, int, int]:
    """Bytes and files under pagefind/, and the number of bundles."""
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    bundles = json.loads((site / "pagefind" / "bundles.json").read_text(encoding="utf-8"))["bundles"]
    return sum(p.stat().st_size for p in files), len(files), len(bundles)


def query_times(site: Path, queries: list[str], rounds: int) -> list[list[float]]:
    """Seconds from typing each query to its results, per round (each round a fresh browser context)."""
    from playwright.sync_api import sync_playwright

    times = []
    with serve_folder(site, "/jianbao/") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(rounds):
            context = browser.new_context()
            page = context.new_page()
            page.goto(url + "index.html")
            box = page.get_by_role("search").get_by_role("searchbox", name="搜索全部期刊")
            round_times = []
            for query in queries:
                started = time.perf_counter()
                box.fill(query)
                page.wait_for_function(RESULTS_SHOWN, arg=query, timeout=60_000)
                round_times.append(time.perf_counter() - started)
            times.append(round_times)
            context.close()
        browser.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built output folder")
    parser.add_argument("--query", action="append", help="queries, in order (default: 营商环境, 发展, 数据要素)")
    parser.add_argument("--rounds", type=int, default=3, help="fresh browser contexts (default 3)")
    args = parser.parse_args()
    queries = args.query or ["营商环境", "发展", "数据要素"]
    size, files, bundles = index_size(args.site)
    print(f"pagefind/: {size / 1024 / 1024:.1f} MiB in {files} files, {bundles} bundles")
    times = query_times(args.site, queries, args.rounds)
    # The search box waits 120 ms after the last keystroke before it searches; that is counted.
    first = [round_times[0] for round_times in times]
    later = [t for round_times in times for t in round_times[1:]]
    print(f"first query (loads the index): median {statistics.median(first):.2f} s, max {max(first):.2f} s")
    if later:
        print(f"later queries: median {statistics.median(later):.2f} s, max {max(later):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
