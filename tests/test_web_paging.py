"""No cap on search results, in a real headless Chromium: 80 issues over four years all hold 营商环境, and every
one of them is listed (twenty at a time as the reader scrolls or asks for more), under the exact total, for
at most 2 + (results shown ÷ 10) requests to the server. On main the list stopped at 60 (20 of 2022's issues
missing) after 76 requests."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import build_pages, needs_chromium, serve_folder
from tests.conftest import ROOT

pytestmark = [needs_chromium, pytest.mark.slow]  # builds 80 pages and runs Chromium

SUB_PATH = "/neiwang/cankao/"
YEARS = (2022, 2023, 2024, 2025)
PER_YEAR = 20
QUERY = "营商环境"


def make_archive(project: Path) -> None:
    """80 one-article issues, 20 a year, each holding the query once and a sentence of its own."""
    shutil.copy2(ROOT / "content/bulletin.yaml", (project / "content").mkdir(parents=True) or project / "content")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    total = 0
    for year in YEARS:
        for number in range(1, PER_YEAR + 1):
            total += 1
            folder = project / "content/issues" / f"{year}-{number:02d}"
            folder.mkdir(parents=True)
            date = dt.date(year, 1, 8) + dt.timedelta(days=14 * (number - 1))
            (folder / "issue.yaml").write_text(f"number: {number}\ntotal: {total}\ndate: {date}\n")
            (folder / "01-article.md").write_text(
                f"---\ntitle: 第{total}次企业座谈会纪要\n---\n\n"
                f"本次座谈会围绕优化{QUERY}听取了{total}家企业的意见。\n\n## 主要意见\n\n企业建议简化审批流程。\n",
                encoding="utf-8",
            )


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("eighty")
    make_archive(project)
    return build_pages(project)


@pytest.fixture(scope="module")
def served(archive: Path) -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []
    with serve_folder(archive, SUB_PATH, requests) as url:
        yield url, requests


def shown(page: Page) -> list[str]:
    return page.eval_on_selector_all(".search-result-link", "links => links.map(a => a.pathname)")


def scroll_to_the_end_of_the_list(page: Page) -> None:
    page.locator(".search-results > li").last.scroll_into_view_if_needed()


def test_every_issue_is_listed_as_the_reader_scrolls(browser: Browser, served: tuple[str, list[str]]) -> None:
    url, requests = served
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "index.html")
    requests.clear()  # what the query costs, from the moment the reader reaches the box
    page.get_by_role("searchbox").fill(QUERY)
    expect(page.locator(".search-status")).to_have_text("找到 80 篇文章")
    assert len(shown(page)) == 20
    assert len(requests) <= 2 + 20 / 10, requests
    for expected in (40, 60, 80):
        scroll_to_the_end_of_the_list(page)
        page.wait_for_function("n => document.querySelectorAll('.search-result').length === n", arg=expected)
    listed = shown(page)
    assert len(set(listed)) == 80
    assert {f"{SUB_PATH}{year}-{n:02d}/index.html" for year in YEARS for n in range(1, 21)} == set(listed)
    assert page.locator(".search-more").count() == 0  # nothing more to show
    assert len(requests) <= 2 + 80 / 10, requests
    assert [path for path in requests if "search/" in path] == [f"{SUB_PATH}search/latest.bin"]
    page.close()


def test_more_results_by_keyboard(browser: Browser, served: tuple[str, list[str]]) -> None:
    url, _ = served
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(url + "2025-20/index.html")
    page.get_by_role("searchbox").fill(QUERY)
    expect(page.locator(".search-status")).to_have_text("找到 80 篇文章")
    more = page.get_by_role("button", name="再显示 20 篇（还有 60 篇）")
    more.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".search-result")).to_have_count(40)
    expect(page.locator(":focus")).to_have_attribute("href", shown(page)[20] + f"?q={quote(QUERY)}#art1")
    page.close()
