"""What a reader meets around the text, in a real headless Chromium: the focus ring, the archive's covers
and titles on a phone, headings without noise for the keyboard and screen readers, the 404 page under a
sub-path, and a search hit in a footnote or a source line brought into view on a small screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from jianbao.site.pages import title_breaks
from tests.browser import needs_chromium, serve_folder

pytestmark = [needs_chromium, pytest.mark.slow]  # builds the fixture sites, PDFs included

SUB_PATH = "/neiwang/cankao/"


@pytest.fixture(scope="module")
def articles_url(articles_build: Path) -> Iterator[str]:
    with serve_folder(articles_build, SUB_PATH) as url:
        yield url


@pytest.fixture(scope="module")
def sample_url(sample_build: Path) -> Iterator[str]:
    with serve_folder(sample_build / "output", SUB_PATH) as url:
        yield url


# ---- the focus ring ----------------------------------------------------------------------------

# The focused element's outline, and the background it is drawn on (outside the element, so its parent's)
# and beside (the element's own), each composited over the page's white; WCAG relative luminance.
_RING = """() => {
    const rgba = c => {
        const v = c.match(/[\\d.]+/g).map(Number);
        return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
    };
    const under = element => {
        const layers = [];
        for (let e = element; e; e = e.parentElement) {
            const c = rgba(getComputedStyle(e).backgroundColor);
            if (c[3] > 0) layers.push(c);
            if (c[3] >= 1) break;
        }
        let out = [255, 255, 255];
        for (const [r, g, b, a] of layers.reverse()) {
            out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
        }
        return out;
    };
    const luminance = ([r, g, b]) => {
        const lin = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const contrast = (a, b) => {
        const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05);
    };
    const e = document.activeElement;
    const style = getComputedStyle(e);
    const ring = rgba(style.outlineColor).slice(0, 3);
    return {
        what: e.tagName + (e.className ? '.' + e.className : '') + ' ' + (e.textContent || '').trim().slice(0, 12),
        style: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        contrast: Math.min(contrast(ring, under(e.parentElement)), contrast(ring, under(e))),
    };
}"""


def rings(page: Page, stops: int = 80) -> list[dict[str, object]]:
    """The focus ring of each element Tab reaches (up to `stops` of them)."""
    found: list[dict[str, object]] = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        found.append(page.evaluate(_RING))
    return found


def test_the_focus_ring_stands_out_at_3_to_1_wherever_it_is_drawn(browser: Browser, articles_url: str) -> None:
    """Archive, an issue (its contents box, table frames), a draft (its banner), the 404 page, and the
    search panel's results: every element Tab reaches shows a ring of ≥ 2 px at ≥ 3:1 (WCAG 1.4.11)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen: list[dict[str, object]] = []
    for name in ("index.html", "2025-03/index.html", "2025-04/index.html", "404.html"):
        page.goto(articles_url + name)
        expect(page.locator(".bulletin-title")).to_have_css("color", "rgb(213, 43, 30)")  # (404: its script's)
        seen += rings(page)
    page.goto(articles_url + "2025-03/index.html")
    page.get_by_role("searchbox").fill("发展")
    page.wait_for_function("() => document.querySelector('.search-results').hasAttribute('data-complete')")
    page.get_by_role("searchbox").focus()
    seen += rings(page, 8)
    page.close()
    assert len(seen) > 30
    weak = [ring for ring in seen if ring["style"] == "none" or ring["width"] < 2 or ring["contrast"] < 3]  # type: ignore[operator]
    assert weak == []


# ---- headings: no tab stops, no noise in their names ----------------------------------------------


def test_headings_carry_no_tab_stops_and_say_only_their_text(browser: Browser, sample_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(sample_url + "2025-09/index.html")
    stops = [ring["what"] for ring in rings(page, 200)]
    assert not any(str(stop).startswith("A.permalink") for stop in stops), stops
    links = page.locator("a.permalink")
    assert links.count() >= 15
    for heading in page.locator("main h2, main h3, main h4").all():
        name = heading.evaluate("h => h.textContent.replace(/#$/, '')")
        expect(heading).to_have_accessible_name(name)
    expect(page.get_by_role("heading", name="三、对策建议", exact=True)).to_be_visible()
    # Still there for the mouse: pointing at a heading and clicking its # gives the section's address.
    page.locator("#art1-5 .permalink").click()
    page.wait_for_url("**#art1-5")
    page.close()


# ---- the archive on a phone ------------------------------------------------------------------------


@pytest.mark.parametrize("width", [360, 1280])
def test_archive_covers_stand_apart_from_the_titles(browser: Browser, sample_url: str, width: int) -> None:
    """No title (nor its bullet) is drawn over a cover or wraps under it."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(sample_url + "index.html")
    page.wait_for_load_state("load")
    issues = page.evaluate(
        """[...document.querySelectorAll('.issue')].filter(i => i.querySelector('.cover')).map(i => {
            const cover = i.querySelector('.cover img').getBoundingClientRect();
            const titles = i.querySelector('.titles').getBoundingClientRect();
            const lines = [...i.querySelectorAll('.titles a')].flatMap(a => [...a.getClientRects()]);
            return {cover: [cover.right, cover.bottom], titles: [titles.left, titles.top],
                    lines: lines.map(r => [r.left, r.top])};
        })"""
    )
    assert len(issues) == 3
    for issue in issues:
        right, bottom = issue["cover"]
        left, top = issue["titles"]  # the list's box holds its bullets
        assert left >= right or top >= bottom, issue
        assert all(x >= right or y >= bottom for x, y in issue["lines"]), issue
    page.close()


def test_a_title_never_leaves_a_leading_word_alone_on_its_first_line() -> None:
    assert not str(title_breaks("关于加快构建新型电力系统的调查与思考")).startswith("关于<wbr>")
    assert not str(title_breaks("以数据要素市场化配置改革赋能城市高质量发展")).startswith("以<wbr>")
    assert str(title_breaks("关于加快构建新型电力系统的调查与思考")).startswith("关于加快<wbr>构建<wbr>")


# ---- the 404 page under a sub-path ------------------------------------------------------------------


@pytest.mark.parametrize("address", ["nothing.html", "2025-03/nothing.html", "gone/deeper/still/x.html"])
def test_the_404_page_works_at_any_depth_under_a_sub_path(browser: Browser, articles_url: str, address: str) -> None:
    """Served by the server for a missing address (as nginx's error_page does), without base_url: styled by
    the site's stylesheet and linking to the archive, whatever the depth of the address."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    response = page.goto(articles_url + address)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("找不到这个页面")
    expect(page.locator(".bulletin-title")).to_have_css("color", "rgb(213, 43, 30)")  # screen.css applies
    page.get_by_role("link", name="全部期刊").click()
    page.wait_for_url(f"**{SUB_PATH}index.html")
    expect(page.locator("h1")).to_have_text("决策参阅")
    page.close()


# ---- a search hit in a footnote or a source line, on a phone -------------------------------------------


def open_result(page: Page, site_url: str, query: str, selector: str) -> None:
    """Search the archive for `query` and open the first link matching `selector` in the results."""
    page.goto(site_url + "index.html")
    page.get_by_role("searchbox").fill(query)
    page.wait_for_function("q => document.querySelector('.search-results').dataset.query === q", arg=query)
    page.locator(selector).first.click()


@pytest.mark.parametrize(
    ("query", "place", "target"),
    [("首要顾虑", "注释②", "#art1-fn2"), ("有删节", "来源", "#art1-source")],
)
def test_a_hit_in_a_footnote_or_source_line_lands_there_in_view(
    browser: Browser, sample_url: str, query: str, place: str, target: str
) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 640})
    open_result(page, sample_url, query, f".search-section-link:text-is('{place}')")
    page.wait_for_url(f"**2025-09/index.html?q=*{target}")
    mark = page.locator(f"{target} mark.search-hit")
    expect(mark).to_have_text(query)
    expect(mark).to_be_in_viewport()
    # The article's own link lands on the same word: its first occurrence in the article is there.
    open_result(page, sample_url, query, ".search-result-link")
    page.wait_for_url("**2025-09/index.html?q=*#art1")
    expect(page.locator(f"{target} mark.search-hit")).to_be_in_viewport()
    page.close()
