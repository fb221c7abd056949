"""The multi-article issue as a web page, in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import needs_chromium

ISSUE = "2025-09"

pytestmark = [
    needs_chromium,
    pytest.mark.slow,  # builds PDFs
]


@pytest.fixture(scope="module", params=[(390, 844), (1280, 900)], ids=["phone", "desktop"])
def page(request: pytest.FixtureRequest, browser, sample_build: Path):
    width, height = request.param
    page = browser.new_page(viewport={"width": width, "height": height})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto((sample_build / "output" / ISSUE / "index.html").as_uri())
    page.wait_for_load_state("load")
    yield page
    page.close()


def test_no_horizontal_scrolling_outside_tables(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wraps = page.evaluate("[...document.querySelectorAll('.table-scroll')].map(w => getComputedStyle(w).overflowX)")
    assert wraps == ["auto"]


def test_contents_link_to_each_article(page) -> None:
    targets = page.evaluate(
        "[...document.querySelectorAll('.toc a')].map(a => document.getElementById(a.hash.slice(1))?.tagName)"
    )
    assert targets == ["ARTICLE", "ARTICLE", "ARTICLE"]
    page.click(".toc li:nth-child(3) a")
    top = page.evaluate("document.getElementById('art3').getBoundingClientRect().top")
    assert 0 <= top < 50


def test_images_load_fit_the_column_and_are_named_once(page) -> None:
    images = page.evaluate(
        "[...document.querySelectorAll('figure img')].map(i => [i.naturalWidth, i.alt,"
        " i.getBoundingClientRect().width, i.parentElement.getBoundingClientRect().width])"
    )
    assert len(images) == 1
    natural, alt, shown, column = images[0]
    # The sample's alt text was its caption: the caption says it, the image adds nothing a reader hears twice.
    assert natural > 0 and alt == ""
    assert page.inner_text("figure figcaption").startswith("图1　全市60岁")
    assert shown <= column + 0.5


def test_footnotes_at_article_end_with_working_back_links(page) -> None:
    hidden = page.evaluate("[...document.querySelectorAll('.fn-print')].every(s => s.offsetParent === null)")
    assert hidden
    pairs = page.evaluate(
        "[...document.querySelectorAll('.footnote-backref')].map(a => [a.closest('article').id,"
        " document.getElementById(a.hash.slice(1))?.closest('article')?.id])"
    )
    assert pairs == [["art1", "art1"], ["art1", "art1"], ["art2", "art2"], ["art2", "art2"]]
    last = page.evaluate("[...document.querySelectorAll('#art1 .body > *')].pop().className")
    assert last == "footnotes"


def test_notes_sources_and_lists_are_shown(page) -> None:
    assert page.inner_text("#art1 .note").startswith("编者按：")
    assert page.inner_text("#art2 .subtitle") == "——关于我市养老服务消费的调查与思考"
    assert page.inner_text("#art1 .source").startswith("（来源：")
    marker = page.evaluate("getComputedStyle(document.querySelector('#art1 .list-l3 > li'), '::before').content")
    assert marker == 'counter(jb-item) "."'
