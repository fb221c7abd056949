"""The built pages on a phone (390 px) and the site's furniture, in a real headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import needs_chromium, serve_folder

pytestmark = [needs_chromium, pytest.mark.slow]  # builds the fixture site, PDFs included

ISSUE = "2025-03/index.html"
# Where a Chinese title may break besides a <wbr>: after these marks, or before an opening one.
BREAK_AFTER = "，、：；。！？”’）》」』"
BREAK_BEFORE = "“‘（《「『"


@pytest.fixture(scope="module")
def site_url(articles_build: Path) -> Iterator[str]:
    with serve_folder(articles_build, "/") as url:
        yield url


@pytest.fixture
def phone(browser: Browser, site_url: str) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + ISSUE)
    yield page
    page.close()


def test_a_wide_table_scrolls_in_its_frame_with_a_hint_and_the_caption_stays(phone: Page) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    wrap = phone.locator("#art2 .table-wrap")
    expect(wrap).to_have_class(re.compile(r"\bscrolls\b"))
    hint = wrap.locator(".table-caption").evaluate("e => getComputedStyle(e, '::after').content")
    assert "左右滑动" in hint
    frame = wrap.locator(".table-scroll")
    assert frame.get_attribute("tabindex") == "0" and frame.get_attribute("role") == "region"
    expect(frame).to_have_accessible_name(re.compile(r"^表1\s各区县医共体远程医疗情况$"))  # the hint is not read out
    assert frame.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    caption = wrap.locator(".table-caption").bounding_box()
    frame.focus()
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("End")
    frame.evaluate("e => e.scrollBy(400, 0)")
    assert frame.evaluate("e => e.scrollLeft") > 0
    after = wrap.locator(".table-caption").bounding_box()
    assert after is not None and caption is not None
    assert (after["x"], after["width"]) == (caption["x"], caption["width"])  # the page scrolled, not the caption
    # Caption above its frame, both measured at once (the page may still be scrolling after End).
    below = wrap.evaluate(
        "w => w.querySelector('.table-scroll').getBoundingClientRect().top"
        " - w.querySelector('.table-caption').getBoundingClientRect().bottom"
    )
    assert below >= -1
    assert frame.evaluate("e => e.getBoundingClientRect().right") <= 390


def test_a_table_that_fits_shows_no_hint(browser: Browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "2025-02/index.html")
    expect(page.locator(".table-wrap")).not_to_have_class(re.compile(r"\bscrolls\b"))
    page.close()


def line_starts(page: Page, selector: str) -> list[tuple[str, list[int], list[int]]]:
    """For each element: its text (permalinks left out), where its lines start, and where it has a <wbr>."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)].map(element => {
            let text = "", breaks = [], wbrs = [], top = null;
            const walk = node => {
                if (node.nodeType === Node.ELEMENT_NODE) {
                    if (node.classList.contains('permalink')) return;
                    if (node.tagName === 'WBR') wbrs.push(text.length);
                    node.childNodes.forEach(walk);
                    return;
                }
                if (node.nodeType !== Node.TEXT_NODE) return;
                for (let i = 0; i < node.data.length; i++) {
                    const range = document.createRange();
                    range.setStart(node, i);
                    range.setEnd(node, i + 1);
                    const y = range.getClientRects()[0].top;
                    if (top !== null && y > top + 2) breaks.push(text.length);
                    top = y;
                    text += node.data[i];
                }
            };
            walk(element);
            return [text, breaks, wbrs];
        })""",
        selector,
    )


def test_titles_break_between_words(phone: Page, site_url: str) -> None:
    checked = 0
    for name in ("index.html", ISSUE):
        phone.goto(site_url + name)
        for text, breaks, wbrs in line_starts(phone, ".article-title, .toc-list a, .titles a"):
            for at in breaks:
                assert at in wbrs or text[at - 1] in BREAK_AFTER or text[at] in BREAK_BEFORE, (text[:at], text[at:])
            checked += len(breaks)
    assert checked > 0  # some title did need two lines at 390 px


def test_phone_numbers_dates_and_colophon_rows_hold_together(phone: Page) -> None:
    for selector in (".colophon .contact span", ".colophon .address-line span", "time"):
        for item in phone.locator(selector).all():
            assert item.evaluate("e => e.getClientRects().length") == 1, item.inner_text()
            assert (
                item.evaluate(
                    "e => { const r = document.createRange(); r.selectNodeContents(e);"
                    " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size }"
                )
                == 1
            )
    starts = phone.evaluate(
        """[...document.querySelectorAll('.colophon > p')].map(p => {
            const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
            const node = walker.nextNode();
            const range = document.createRange();
            range.setStart(node, 0);
            range.setEnd(node, 1);
            return range.getClientRects()[0].left;
        })"""
    )
    assert len(starts) == 4 and max(starts) - min(starts) < 1, starts


def test_furniture(browser: Browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for name in ("index.html", ISSUE, "404.html"):
        page.goto(site_url + name)
        icon = page.locator("link[rel=icon]").get_attribute("href") or ""
        assert icon.startswith("data:image/svg+xml,")
        drawn = page.evaluate(
            "src => new Promise(ok => { const i = new Image(); i.onload = () => ok(i.naturalWidth);"
            " i.onerror = () => ok(0); i.src = src; })",
            icon,
        )
        assert drawn > 0
        assert page.locator("meta[name=description]").get_attribute("content")
    page.goto(site_url + ISSUE)
    # Every heading of an article has an id and a permalink to it (the title's to its article).
    headings = page.evaluate(
        """[...document.querySelectorAll('main h2, main h3, main h4, main h5, main h6')].map(h =>
            [h.id, h.querySelector('a.permalink')?.getAttribute('href'), h.closest('article').id])"""
    )
    assert len(headings) > 6
    for anchor, link, article in headings:
        assert anchor and link == ("#" + article if anchor.endswith("-title") else "#" + anchor)
    page.locator("#art2-2 .permalink").click()
    page.wait_for_url("**#art2-2")
    # PDF links open in the browser; a separate link downloads.
    opener = page.locator(".site-nav .pdf-link")
    assert opener.get_attribute("download") is None and opener.get_attribute("type") == "application/pdf"
    assert page.locator(".site-nav .pdf-download").get_attribute("download") == ""
    page.goto(site_url + "index.html")
    assert all(link.get_attribute("download") is None for link in page.locator(".pdf-link").all())
    page.goto(site_url + "404.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("找不到这个页面")
    page.get_by_role("link", name="全部期刊").click()
    page.wait_for_url("**/index.html")
    expect(page.locator("h1")).to_have_text("决策参阅")
    page.close()
