#!/usr/bin/env python3
"""The site's search measured in Debian's Chromium: requests and time to the first result, and recall.

    python benchmarks/search.py --issues 80 --issues 1000        # synthetic archives (benchmarks/archive.py)
    python benchmarks/search.py --site OUTPUT [--recall 1000]    # a built site (main's too: same measures)

For each site: the size of the search files; then, in a fresh browser context per round, the archive page
is opened, the query typed, and the time from the keystroke to the first result shown and to the complete
list is taken, with the requests the server saw from the keystroke on (the first query loads the search
text) and after scrolling through every result; then a second, later query. With --recall N, N words drawn
from the pages as Chromium shows them (tests/recall.py) are searched and every miss and wrong result
counted. A synthetic archive is built without PDFs (they play no part in search); its issues repeat the
sample's five articles, which gzip squeezes to almost nothing, so --unique N rewrites each issue's text into
N characters of its own (the sample's, every Chinese character shifted by an amount of the issue's, with
one sentence left as it was for the queries to find): the sizes of a real archive.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.archive import make_archive
from tests import recall
from tests.browser import CHROMIUM, CHROMIUM_ARGS, build_pages, serve_folder

SUB_PATH = "/jianbao/"
# The search box marks its list with the query once it shows it all (an older one: once it shows it).
COMPLETE = """q => { const l = document.querySelector('.search-results');
    return l.dataset.query === q && (l.hasAttribute('data-complete') || !l.hasAttribute('data-total')); }"""


KEPT = "本期关注营商环境与高质量发展。"  # in every issue, as written


def make_unique(project: Path, chars: int) -> None:
    """Give each issue of a synthetic archive `chars` characters of text of its own."""
    for number, article in enumerate(sorted((project / "content/issues").glob("*/*.md")), 1):
        head, _, body = article.read_text(encoding="utf-8").partition("\n---\n")
        paragraphs = [line for line in body.splitlines() if line and not line.startswith(("!", "|", "[^", "#"))]
        text, shift = [KEPT], number * 101
        while sum(map(len, text)) < chars:
            shift += 7919
            text += ["".join(_shifted(c, shift) for c in paragraph) for paragraph in paragraphs]
        article.write_text(f"{head}\n---\n\n" + "\n\n".join(text) + "\n", encoding="utf-8")


def _shifted(char: str, shift: int) -> str:
    """A CJK unified ideograph moved `shift` places along the block (anything else as it is)."""
    if "\u4e00" <= char <= "\u9fa5":
        return chr(0x4E00 + (ord(char) - 0x4E00 + shift) % 20902)
    return char


def search_size(site: Path) -> tuple[int, int]:
    """Bytes and files of the search data (search/, or an older site's pagefind/)."""
    files = [p for name in ("search", "pagefind") for p in (site / name).rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def measure_query(page: Any, requests: list[str], query: str) -> dict[str, Any]:
    """Type `query`; seconds to the first result and to the full list, results, and requests seen."""
    requests.clear()
    started = time.perf_counter()
    page.get_by_role("searchbox").fill(query)
    shown_or_done = f"q => document.querySelector('.search-result') || ({COMPLETE})(q)"
    page.wait_for_function(shown_or_done, arg=query, timeout=120_000)
    first = time.perf_counter() - started  # (to "nothing found", when nothing is)
    page.wait_for_function(COMPLETE, arg=query, timeout=120_000)
    done = time.perf_counter() - started
    asked = len(requests)
    total = page.evaluate("Number(document.querySelector('.search-results').dataset.total || 0)")
    # Every result, as a reader scrolling to the end of the list.
    page.evaluate("() => { let more; while ((more = document.querySelector('.search-more-button'))) more.click(); }")
    shown = page.locator(".search-result").count()
    return {
        "first": first,
        "done": done,
        "shown_first": min(shown, 20),
        "requests_first": asked,
        "total": total or shown,
        "shown": shown,
        "requests_all": len(requests),
    }


def measure_site(site: Path, queries: list[str], rounds: int) -> list[list[dict[str, Any]]]:
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    runs = []
    with serve_folder(site, SUB_PATH, requests) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(rounds):
            context = browser.new_context()  # an empty cache: a reader's first visit
            page = context.new_page()
            page.goto(url + "index.html")
            runs.append([measure_query(page, requests, query) for query in queries])
            context.close()
        browser.close()
    return runs


def measure_recall(site: Path, count: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    issue_ids = sorted(p.parent.name for p in site.glob("*/index.html"))
    with serve_folder(site, SUB_PATH) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        texts = recall.article_texts(page, url, issue_ids)
        words = recall.draw_words(texts, count)
        wanted = recall.expected(texts, words)
        page.goto(url + "index.html")
        found = recall.search_all(page, words)
        browser.close()
    problems = recall.misses(found, wanted, SUB_PATH)
    pairs = sum(len(articles) for articles in wanted.values())
    missed = sum(len(p["missed"]) for p in problems.values())
    extra = sum(len(p["extra"]) for p in problems.values())
    return {
        "articles": len(texts),
        "words": len(words),
        "pairs": pairs,
        "words_wrong": len(problems),
        "pairs_missed": missed,
        "wrong_results": extra,
        "examples": dict(list(problems.items())[:8]),
    }


def report(name: str, site: Path, queries: list[str], rounds: int, recall_words: int) -> None:
    size, files = search_size(site)
    print(f"== {name}: search data {size / 1024:.0f} KiB in {files} files; load {os.getloadavg()[0]:.2f}")
    runs = measure_site(site, queries, rounds)
    for index, query in enumerate(queries):
        rows = [run[index] for run in runs]
        first = statistics.median(r["first"] for r in rows)
        done = statistics.median(r["done"] for r in rows)
        r = rows[0]
        label = "first query" if index == 0 else "later query"
        print(
            f"  {label} {query}: first result {first:.2f} s, all {done:.2f} s (median of {rounds}); "
            f"{r['total']} found; requests {r['requests_first']} for the first {r['shown_first']} shown, "
            f"{r['requests_all']} for all {r['shown']} (bound 2 + shown/10 = {2 + r['shown'] / 10:.0f})"
        )
    if recall_words:
        result = measure_recall(site, recall_words)
        print(f"  recall: {json.dumps(result, ensure_ascii=False)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, action="append", default=[], help="a built output folder")
    parser.add_argument("--issues", type=int, action="append", default=[], help="a synthetic archive of N issues")
    parser.add_argument("--query", action="append", help="queries, in order (default: 营商环境, 发展)")
    parser.add_argument("--rounds", type=int, default=3, help="fresh browser contexts (default 3)")
    parser.add_argument("--recall", type=int, default=0, help="also measure recall over N words from the pages")
    parser.add_argument("--unique", type=int, default=0, help="N characters of its own text in each issue")
    args = parser.parse_args()
    queries = args.query or ["营商环境", "发展"]
    for site in args.site:
        report(str(site), site.resolve(), queries, args.rounds, args.recall)
    for count in args.issues:
        with tempfile.TemporaryDirectory() as folder:
            project = make_archive(Path(folder) / "project", count)
            if args.unique:
                make_unique(project, args.unique)
            started = time.perf_counter()
            site = build_pages(project)
            print(f"(built {count} issues' pages and search text in {time.perf_counter() - started:.1f} s)")
            unique = f", {args.unique} characters of its own each" if args.unique else ""
            report(f"{count} issues{unique}", site, queries, args.rounds, args.recall)
    return 0


if __name__ == "__main__":
    sys.exit(main())
