"""Search on the built site, in a real headless Chromium: results are articles, and only what is there.

The fixture (tests/fixtures/articles) has an issue of three articles — the third without subheadings — and
words found in one article only (医共体, 适老化改造, 数据经纪人, 港航联运), words Pagefind's segmentation
splits into parts found elsewhere (量子计算, 登记凭证, 银发 vs 发展/银行), and tokens next to near misses
(5G vs a row numbered 5, GDP vs GDPR, 85.6% vs 185.6%).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium, serve_folder

pytestmark = [needs_chromium, pytest.mark.slow]  # builds the fixture site, PDFs included

SUB_PATH = "/neiwang/cankao/"
ISSUE = "2025-03"
TITLES = {
    "art1": "培育数据要素市场的国际经验与启示",
    "art2": "县域医共体建设的调查与建议",
    "art3": "以适老化改造激活银发消费",
}


@pytest.fixture(scope="module")
def site_url(articles_build: Path) -> Iterator[str]:
    with serve_folder(articles_build, SUB_PATH) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def guarded_page(browser: Browser, origin: str, width: int = 1280) -> tuple[Page, list[str]]:
    """A page that records console errors and blocks requests to anything but `origin` (or file: pages)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith((origin, "data:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            problems.append("request to " + url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", guard)
    return page, problems


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    page, problems = guarded_page(browser, site_url.split(SUB_PATH)[0] + "/")
    yield page
    page.context.close()
    assert problems == []


def search(page: Page, query: str) -> list[dict[str, object]]:
    """Type `query`; the results as shown, best first."""
    page.get_by_role("search").get_by_role("searchbox", name="搜索全部期刊").fill(query)
    page.wait_for_function("q => document.querySelector('.search-results').dataset.query === q", arg=query.strip())
    return page.evaluate(
        """() => [...document.querySelectorAll('.search-result')].map(r => ({
            href: r.querySelector('.search-result-link').getAttribute('href'),
            title: r.querySelector('.search-result-title').textContent,
            context: r.querySelector('.search-result-context').textContent,
            marks: [...r.querySelectorAll('mark')].map(m => m.textContent),
            sections: [...r.querySelectorAll('.search-section-link')].map(a => a.getAttribute('href')),
        }))"""
    )


@pytest.mark.parametrize(
    ("query", "issue", "slug"),
    [
        ("医共体", ISSUE, "art2"),
        ("适老化改造", ISSUE, "art3"),
        ("数据经纪人", ISSUE, "art1"),
        ("港航联运", "2025-02", "art1"),
    ],
)
def test_a_result_names_its_article_and_links_inside_it(
    page: Page, site_url: str, query: str, issue: str, slug: str
) -> None:
    page.goto(site_url + "index.html")
    results = search(page, query)
    assert len(results) == 1, results
    result = results[0]
    assert result["href"] == f"{SUB_PATH}{issue}/index.html#{slug}"
    if issue == ISSUE:
        assert result["title"] == TITLES[slug]
        assert result["context"] == "2025年第3期（总第31期）"
    assert result["marks"] and set(result["marks"]) == {query}
    for section in result["sections"]:  # type: ignore[attr-defined]
        assert re.fullmatch(rf"{SUB_PATH}{issue}/index\.html#{slug}-\d+", section), section


def test_article_without_subheadings_and_text_before_the_first_heading_land_in_their_article(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + "2025-02/index.html")
    # 医共体 is in art2's opening paragraphs (before its first heading) and in two of its sections.
    (result,) = search(page, "医共体")
    assert result["sections"] == [f"{SUB_PATH}{ISSUE}/index.html#art2-1", f"{SUB_PATH}{ISSUE}/index.html#art2-3"]
    page.locator(".search-result-link").first.click()
    page.wait_for_url(f"**{SUB_PATH}{ISSUE}/index.html#art2")
    top = page.evaluate("document.getElementById('art2-title').getBoundingClientRect().top")
    assert 0 <= top < 100
    # The third article has no subheadings: its result still names and opens it.
    (result,) = search(page, "银发")
    assert result["title"] == TITLES["art3"] and result["sections"] == []
    page.keyboard.press("ArrowDown")
    expect(page.locator(":focus")).to_have_attribute("href", f"{SUB_PATH}{ISSUE}/index.html#art3")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{SUB_PATH}{ISSUE}/index.html#art3")
    expect(page.locator("#art3 h2")).to_be_in_viewport()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("量子计算", []),  # 量子 and 计算 are there, apart
        ("登记凭证", []),  # 登记 … 凭证 in one sentence, not together
        ("银发", [f"{ISSUE}#art3"]),  # not 发展 or 银行
        ("发展", ["2025-02#art1", f"{ISSUE}#art1"]),
        ("5G", [f"{ISSUE}#art2"]),  # not row 5 of the table in 2025-02
        ("GDP", [f"{ISSUE}#art2"]),  # not GDPR in art1
        ("85.6%", [f"{ISSUE}#art2"]),  # not 185.6% in 2025-02
        ("医共体 GDP", [f"{ISSUE}#art2"]),
        ("医共体 港航联运", []),  # both terms, in one article
    ],
)
def test_search_finds_what_is_there_and_nothing_else(
    page: Page, site_url: str, query: str, expected: list[str]
) -> None:
    page.goto(site_url + "index.html")
    results = search(page, query)
    found = sorted(str(r["href"]).removeprefix(SUB_PATH).replace("/index.html", "") for r in results)
    assert found == sorted(expected)
    for result in results:  # what is highlighted is exactly a term of the query
        assert result["marks"] and set(result["marks"]) <= set(query.split())  # type: ignore[arg-type]
    if not expected:
        expect(page.locator(".search-status")).to_have_text(f"没有找到“{query}”")


def test_footnotes_are_indexed_once(page: Page, site_url: str) -> None:
    page.goto(site_url + "index.html")
    content = page.evaluate(
        """async (root) => {
            const listed = await (await fetch(root + 'pagefind/bundles.json')).json();
            const pagefind = await import(root + 'pagefind/' + listed.bundles[0] + '/pagefind.js');
            await pagefind.options({baseUrl: root});
            const search = await pagefind.search('依法登记');
            return (await search.results[0].data()).content;
        }""",
        SUB_PATH,
    )
    assert content.count("数据经纪人指依法登记") == 1
    assert "本节链接" not in content and "本文链接" not in content


def contrast(page: Page, selector: str, pseudo: str = "") -> float:
    """WCAG contrast ratio of an element's text (or ::placeholder) against the white page."""
    return page.evaluate(
        """([selector, pseudo]) => {
            const style = getComputedStyle(document.querySelector(selector), pseudo || null);
            const rgb = style.color.match(/[\\d.]+/g).map(Number);
            const lin = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
            const l = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
            return 1.05 / (l + 0.05);
        }""",
        [selector, pseudo],
    )


def test_search_box_is_readable_and_its_panel_floats_over_the_page(page: Page, site_url: str) -> None:
    page.goto(site_url + f"{ISSUE}/index.html")
    assert contrast(page, ".search-input", "::placeholder") >= 4.5
    masthead = page.locator(".bulletin-title").bounding_box()
    search(page, "医共体")
    expect(page.locator(".search-panel")).to_be_visible()
    clear = page.get_by_role("button", name="清除")
    expect(clear).to_be_visible()
    assert contrast(page, ".search-clear") >= 4.5
    assert page.locator(".search-clear").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 14
    assert page.locator(".bulletin-title").bounding_box() == masthead  # the panel covers, never pushes
    page.keyboard.press("Escape")
    expect(page.locator(".search-panel")).to_be_hidden()
    expect(page.get_by_role("searchbox")).to_be_focused()
    clear.click()
    expect(page.get_by_role("searchbox")).to_have_value("")


def test_search_from_a_file_explains_why_it_cannot_run(browser: Browser, articles_build: Path) -> None:
    page, problems = guarded_page(browser, "file://")
    page.goto((articles_build / ISSUE / "index.html").as_uri())
    page.get_by_role("searchbox").fill("医共体")
    expect(page.locator(".search-status")).to_contain_text("file://", timeout=5000)
    expect(page.locator(".search-status")).to_contain_text("无法搜索")
    page.context.close()
    assert problems == []


def test_search_is_quick(page: Page, site_url: str) -> None:
    """First query (loads Pagefind and its index) and later ones, each under a second on this machine."""
    page.goto(site_url + "index.html")
    started = time.perf_counter()
    search(page, "医共体")
    first = time.perf_counter() - started
    started = time.perf_counter()
    search(page, "发展")
    later = time.perf_counter() - started
    assert first < 3 and later < 1, (first, later)
