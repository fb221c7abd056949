"""An issue page printed from Chromium on A4 (screen.css `@media print`): every column of a wide table on
paper, no search box or navigation, the issue's masthead line and the page's address on top.

The PDF Chromium prints is read back with pdfplumber: the text of every table cell, where it sits.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from playwright.sync_api import Browser

from tests.browser import build_pages, needs_chromium, serve_folder
from tests.conftest import ROOT

pytestmark = [needs_chromium, pytest.mark.slow]  # runs Chromium

SUB_PATH = "/neiwang/cankao/"
HEADERS = [
    "区县",
    "地区生产总值（亿元）",
    "同比增长",
    "一般公共预算收入（亿元）",
    "固定资产投资增速",
    "社会消费品零售总额（亿元）",
    "进出口总额（亿元）",
    "城镇居民人均可支配收入（元）",
    "农村居民人均可支配收入（元）",
    "常住人口（万人）",
]
ROWS = [
    ["秦淮区", "1823.5", "5.2%", "171.87", "9.9%", "652.3", "88.1", "82310", "40215", "74.2"],
    ["鼓楼区", "2410.8", "6.1%", "203.11", "7.5%", "812.6", "102.4", "85102", "41020", "93.6"],
]
# Fourteen columns: a table that gets a landscape page of its own.
WIDEST = [f"第{n}季度指标" for n in range(1, 15)]


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(["--"] * len(headers)) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]) + "\n"


ARTICLE = f"""---
title: 各区县主要经济指标对比分析
---

全市经济运行总体平稳。

表：2024年各区县主要经济指标

{table(HEADERS, ROWS)}
以上数据为初步统计。

表：分季度指标

{table(WIDEST, [[str(n) for n in range(100, 114)]])}
"""

# A CJK font's glyph shared with a radical is written to the PDF's text as the radical (⽐ for 比, ⻓ for 长):
# NFKC turns the Kangxi radicals back; these simplified ones it leaves.
RADICALS = str.maketrans(
    "⺠⺟⻓⻔⻛⻋⻅⻢⻜⻉⻄⻘⻚⻥⻦⻩⻬⻮⻰⻳⻆⻣⻨",
    "民母长门风车见马飞贝西青页鱼鸟黄齐齿龙龟角骨麦",
)


def readable(text: str | None) -> str:
    """Text as pdfplumber read it, as a reader reads it: radicals as characters, no line breaks."""
    return unicodedata.normalize("NFKC", text or "").translate(RADICALS).replace("\n", "")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[tuple[Path, str]]:
    """The issue page printed to A4 by Chromium, and the address it was printed from."""
    project = tmp_path_factory.mktemp("print")
    (project / "content/issues/2025-01").mkdir(parents=True)
    shutil.copy2(ROOT / "content/bulletin.yaml", project / "content/bulletin.yaml")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    (project / "content/issues/2025-01/issue.yaml").write_text("number: 1\ntotal: 1\ndate: 2025-01-10\n")
    (project / "content/issues/2025-01/01-wide.md").write_text(ARTICLE, encoding="utf-8")
    output = build_pages(project)
    pdf = project / "printed.pdf"
    with serve_folder(output, SUB_PATH) as url:
        page = browser.new_page()
        address = url + "2025-01/index.html"
        page.goto(address)
        page.pdf(path=str(pdf), format="A4")
        page.close()
    yield pdf, address


def test_a_ten_column_table_prints_every_column(printed: tuple[Path, str]) -> None:
    pdf, _ = printed
    with pdfplumber.open(pdf) as document:
        first = document.pages[0]
        rows = [[readable(cell) for cell in row] for table in first.extract_tables() for row in table]
        head = next(row for row in rows if row and row[0] == "区县")
        assert head == [readable(cell) for cell in HEADERS]  # (main printed 区县 … 进出口 and half of 总)
        assert all(row in rows for row in ROWS)
        # On the paper, inside its margins.
        body = [c for c in first.chars if c["top"] > 100]
        assert max(c["x1"] for c in body) <= first.width - 30


def test_a_table_wider_still_gets_a_landscape_page(printed: tuple[Path, str]) -> None:
    pdf, _ = printed
    with pdfplumber.open(pdf) as document:
        landscape = [page for page in document.pages if page.width > page.height]
        assert len(landscape) == 1
        (head, row) = [[readable(cell) for cell in cells] for cells in landscape[0].extract_tables()[0]]
        assert head == [readable(cell) for cell in WIDEST] and row == [str(n) for n in range(100, 114)]


def test_the_printout_names_the_issue_and_its_address_and_leaves_the_site_out(printed: tuple[Path, str]) -> None:
    pdf, address = printed
    with pdfplumber.open(pdf) as document:
        first = readable(document.pages[0].extract_text()).replace(" ", "")
        everything = "".join(readable(page.extract_text()) for page in document.pages).replace(" ", "")
    line = f"领导学习2025年第1期（总第1期）2025年1月10日网址：{address}"
    assert first.startswith(readable(line + "内部资料注意保存市管重点新型智库领导学习第1期（总第1期）"))  # the masthead
    for left_out in ("搜索全部期刊", "打开PDF", "下载", "跳到正文", "全部期刊"):
        assert left_out not in everything, left_out
