"""The built site in a real headless Chromium (Debian's chromium driven by Playwright).

The multi-year fixture is served by a local HTTP server under a sub-path, as
an intranet server might; every test fails on a console error or on any
request to a host other than that server.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import needs_chromium

pytestmark = [needs_chromium, pytest.mark.slow]  # builds PDFs

SUB_PATH = "/intranet/diaoyan/"
# The link of each result article (not of its sections, listed under it).
RESULT_LINK = ".search-result-link"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(multiyear_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built fixture served on 127.0.0.1 under SUB_PATH."""
    root = tmp_path_factory.mktemp("www")
    (root / SUB_PATH.strip("/")).parent.mkdir(parents=True)
    (root / SUB_PATH.strip("/")).symlink_to(multiyear_build / "output", target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    """A fresh page that records console errors and blocks (and records) requests leaving the server."""
    origin = site_url.split(SUB_PATH)[0]
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(origin + "/") or url.startswith("data:"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            foreign.append(url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", guard)
    yield page
    context.close()
    assert errors == [], f"console errors: {errors}"
    assert foreign == [], f"requests leaving the site: {foreign}"


def search(page: Page, query: str) -> list[str]:
    """Type `query` into the search box; the result articles' links (without the ?q= that marks the words
    on the page they open), best first."""
    page.get_by_role("search").get_by_role("searchbox", name="搜索全部期刊").fill(query)
    # search.js marks the result list with the query it has finished showing.
    page.wait_for_function(
        "q => { const l = document.querySelector('.search-results');"
        " return l.dataset.query === q && l.hasAttribute('data-complete'); }",
        arg=query,
    )
    links = [link.get_attribute("href") or "" for link in page.locator(RESULT_LINK).all()]
    return [re.sub(r"\?q=[^#]*", "", link) for link in links]


@pytest.mark.parametrize(
    ("query", "article"),
    [("港口", "2025-01#art1"), ("养老", "2024-12#art1"), ("湿地", "2024-11#art1"), ("夜间经济", "2024-12#art2")],
)
def test_chinese_search_on_the_archive_lists_the_right_article_first(
    page: Page, site_url: str, query: str, article: str
) -> None:
    page.goto(site_url + "index.html")
    results = search(page, query)
    assert results, f"no result for {query}"
    assert results[0] == SUB_PATH + article.replace("#", "/index.html#")


def test_search_from_an_issue_page_leads_to_the_issue(page: Page, site_url: str) -> None:
    page.goto(site_url + "2024-11/index.html")
    expect(page.get_by_role("search").locator("input")).to_have_attribute("aria-label", "搜索全部期刊")
    assert search(page, "港口")[0] == f"{SUB_PATH}2025-01/index.html#art1"
    page.locator(RESULT_LINK).first.click()
    page.wait_for_url(f"**{SUB_PATH}2025-01/index.html?q=*#art1")
    expect(page.locator("h2.article-title")).to_contain_text("内河港口转型升级的思考")


def test_drafts_are_not_searchable(page: Page, site_url: str) -> None:
    page.goto(site_url + "index.html")
    assert search(page, "草莓") == []
    expect(page.locator(".search-status")).to_have_text("没有找到“草莓”")


def test_previous_and_next_links_walk_the_archive(page: Page, site_url: str) -> None:
    page.goto(site_url + "2024-11/index.html")
    assert page.locator("a[rel=prev]").count() == 0
    for issue_id in ("2024-12", "2025-01"):
        page.locator("a[rel=next]").click()
        page.wait_for_url(f"**{SUB_PATH}{issue_id}/index.html")
    assert page.locator("a[rel=next]").count() == 0
    page.locator("a[rel=prev]").click()
    page.wait_for_url(f"**{SUB_PATH}2024-12/index.html")
    expect(page.locator("[aria-current=page]")).to_have_text("第12期（总第24期）")
    page.get_by_role("link", name="调研参考 · 全部期刊").click()
    page.wait_for_url(f"**{SUB_PATH}index.html")
    expect(page.locator("h1")).to_have_text("调研参考")


def test_archive_links_to_issues_and_pdfs(page: Page, site_url: str) -> None:
    page.goto(site_url + "index.html")
    page.get_by_role("link", name="社区嵌入式养老服务调研").click()
    page.wait_for_url(f"**{SUB_PATH}2024-12/index.html#art1")
    response = page.request.get(site_url + "2024-12/2024-12.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_keyboard_focus_is_visible(page: Page, site_url: str) -> None:
    page.goto(site_url + "2025-01/index.html")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("跳到正文")
    assert focused.bounding_box() is not None and focused.bounding_box()["x"] >= 0  # type: ignore[index]
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") != "none"


def test_print_stylesheet_hides_navigation_and_search(page: Page, site_url: str) -> None:
    page.goto(site_url + "2025-01/index.html")
    page.emulate_media(media="print")
    for selector in (".site-nav", ".search", ".issue-nav"):
        assert page.locator(selector).evaluate("e => getComputedStyle(e).display") == "none", selector
    expect(page.locator("main")).to_be_visible()
    expect(page.locator(".colophon")).to_be_visible()
