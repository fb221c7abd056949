"""The print PDF, measured: geometry, masthead, text order, page numbers, 报尾, fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tests.pdftools import (
    AREA_BOTTOM,
    AREA_LEFT,
    AREA_RIGHT,
    AREA_TOP,
    MM,
    PAGE_H,
    PAGE_W,
    RED_CMYK,
    lines_of,
    open_pdf,
    rules_of,
    squash,
)
from tests.typemeasure import ink_top

pytestmark = pytest.mark.slow  # builds PDFs

ISSUE = "2025-08"


@pytest.fixture(scope="module")
def pdf_path(sample_build: Path) -> Path:
    return sample_build / "output" / ISSUE / f"{ISSUE}.pdf"


@pytest.fixture(scope="module")
def pdf(pdf_path: Path):
    with open_pdf(pdf_path) as document:
        yield document


@pytest.fixture(scope="module")
def lines(pdf):
    return lines_of(pdf)


def test_every_page_is_a4(pdf) -> None:
    assert len(pdf.pages) >= 2
    for page in pdf.pages:
        assert page.width == pytest.approx(PAGE_W, abs=0.5)
        assert page.height == pytest.approx(PAGE_H, abs=0.5)


def test_masthead_on_page_one(lines) -> None:
    first = [line for line in lines if line.page == 1]
    texts = [line.text for line in first]
    assert texts[0] == "内部资料　注意保存"
    assert first[0].x0 == pytest.approx(AREA_LEFT, abs=1)
    assert "市管重点新型智库" in texts
    assert "领导学习" in texts
    assert "第8期（总第144期）" in texts
    assert "太湖研究院" in texts
    assert any(t.startswith("太湖发展智库") and t.endswith("主办2025年6月3日") for t in texts)
    assert all(line.text != "领导学习" for line in lines if line.page > 1)


def test_masthead_title_is_large_red_cmyk_and_centred(lines) -> None:
    title = next(line for line in lines if line.text == "领导学习")
    assert 42 <= title.size <= 60
    assert {c["non_stroking_color"] for c in title.chars} == {RED_CMYK}
    centre = (title.x0 + title.x1) / 2
    assert centre == pytest.approx((AREA_LEFT + AREA_RIGHT) / 2, abs=title.size * 0.3)


def test_red_rule_spans_the_type_area_below_the_date(pdf, lines) -> None:
    page = pdf.pages[0]
    (rule,) = [r for r in rules_of(page) if r.color == RED_CMYK]
    assert rule.x0 == pytest.approx(AREA_LEFT, abs=1)
    assert rule.x1 == pytest.approx(AREA_RIGHT, abs=1)
    date_line = next(line for line in lines if "2025年6月3日" in line.text)
    title_line = next(line for line in lines if "以数据要素" in line.text)
    assert date_line.bottom < rule.top < title_line.top


def test_body_text_is_complete_and_in_order(sample_build: Path, lines) -> None:
    source = (sample_build / "content/issues" / ISSUE / "01-data-elements.md").read_text(encoding="utf-8")
    body = source.split("---", 2)[2]
    paragraphs = [re.sub(r"^#+\s*", "", block).strip() for block in body.split("\n\n") if block.strip()]
    text = squash("".join(line.text for line in lines if line.top < AREA_BOTTOM))  # without page numbers
    position = 0
    for paragraph in paragraphs:
        found = text.find(squash(paragraph), position)
        assert found >= 0, f"missing or out of order: {paragraph[:20]}"
        position = found


def test_body_is_16pt_fangsong_with_two_character_indent(lines) -> None:
    body = [line for line in lines if "FandolFang" in line.fonts and line.size == 16]
    assert len(body) > 20
    first_lines = [line for line in body if line.text.startswith("数据已成为")]
    assert first_lines[0].x0 == pytest.approx(AREA_LEFT + 2 * 16, abs=1.5)


def test_level_one_headings_use_heiti(lines) -> None:
    heading = next(line for line in lines if line.text.startswith("一、各地推进"))
    assert heading.fonts == {"Noto-Sans-CJK-SC-GB2312"}
    level_two = next(line for line in lines if line.text.startswith("（一）建立"))
    assert level_two.fonts == {"LXGW-WenKai"}


def test_article_title_is_22pt_and_centred(lines) -> None:
    title = next(line for line in lines if line.text.startswith("以数据要素"))
    assert title.size == pytest.approx(22, abs=0.2)
    assert title.fonts == {"Noto-Serif-CJK-SC-GB2312-Bold"}


def test_page_numbers_with_dashes_on_the_outer_side(pdf, lines) -> None:
    for number in range(1, len(pdf.pages) + 1):
        (folio,) = [line for line in lines if line.page == number and line.top > AREA_BOTTOM]
        assert folio.text.replace(" ", "") == f"—{number}—"
        assert folio.size == pytest.approx(14, abs=0.2)
        # GB/T 9704 measures the 一字线's ink (not the line box) 7 mm below the 版心.
        dash = next(char for char in folio.chars if char["text"] == "—")
        assert ink_top(dash, TTFont) == pytest.approx(AREA_BOTTOM + 7 * MM, abs=0.5)
        if number % 2:
            assert folio.x1 == pytest.approx(AREA_RIGHT - 16, abs=2)
        else:
            assert folio.x0 == pytest.approx(AREA_LEFT + 16, abs=2)


def test_colophon_at_the_bottom_of_the_last_page(pdf, lines) -> None:
    last = len(pdf.pages)
    texts = [line.text for line in lines if line.page == last]
    assert any(t.startswith("报：市委书记、市长") for t in texts)
    assert any(t.startswith("送：市委常委、副市长；市发改委") for t in texts)
    assert any("责任编辑：陈思远" in t for t in texts)
    assert any("65000001（传真）" in t for t in texts)
    address = next(line for line in lines if line.page == last and line.text.startswith("地址："))
    assert address.text.endswith("共印：70份")  # no space between Chinese and digits (typeset.py)
    assert address.bottom > AREA_BOTTOM - 40
    rules = [r for r in rules_of(pdf.pages[-1]) if r.x1 - r.x0 > 400]
    assert rules[-1].bottom == pytest.approx(AREA_BOTTOM, abs=0.5)
    thickness = [round(r.thickness / MM, 2) for r in rules]
    assert thickness[0] == thickness[-1] == 0.35
    assert set(thickness[1:-1]) == {0.25}
    assert len(rules) == 5  # outer, 报 | 送 | 责任编辑 | 地址, outer
    assert all(not t.startswith("报：") for line in lines if line.page < last for t in [line.text])


def test_colophon_continuation_lines_align_after_the_colon(lines) -> None:
    """Each row starts one character in from the rules (GB/T 9704); a wrapped row's next line hangs after
    the colon."""
    rows = [i for i, line in enumerate(lines) if line.text[:2] in ("报：", "送：", "发：")]
    wrapped = [i for i in rows if not lines[i + 1].text.startswith(("报：", "送：", "发：", "责任编辑"))]
    assert wrapped, "the sample's 送 row wraps"
    for i in rows:
        assert lines[i].x0 == pytest.approx(AREA_LEFT + 14, abs=1)  # one 14 pt character in
    first, second = lines[wrapped[0]], lines[wrapped[0] + 1]
    colon = first.chars[1]
    assert second.x0 == pytest.approx(colon["x1"], abs=1)


def test_body_lines_stay_inside_the_type_area(lines) -> None:
    for line in lines:
        if line.top < AREA_BOTTOM:
            assert line.x0 >= AREA_LEFT - 0.5
            assert line.x1 <= AREA_RIGHT + 0.5
            assert line.top >= AREA_TOP - 0.5


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_fonts_are_embedded_and_subset(pdf_path: Path) -> None:
    report = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    rows = report.splitlines()[2:]
    assert rows
    for row in rows:
        assert re.match(r"^[A-Z]{6}\+", row), row
        assert " yes yes yes " in row, row


def test_metadata(pdf) -> None:
    meta = pdf.metadata
    assert meta["Title"] == "领导学习 2025年第8期（总第144期）"
    assert meta["Author"] == "太湖研究院、太湖发展智库"
    assert "以数据要素市场化配置改革" in meta["Subject"]
    assert meta["CreationDate"].startswith("D:20250603")


def test_text_extracts_without_stray_spaces(lines) -> None:
    body = "".join(line.text for line in lines)
    assert "数 据" not in body
    assert "数据已成为继土地、劳动力、资本、技术之后的新型生产" in body


def test_same_input_gives_same_bytes(sample_build: Path, tmp_path: Path) -> None:
    from jianbao.recipe import build
    from tests.conftest import options_for

    build(options_for(sample_build, output=tmp_path / "again", ids=(ISSUE,)))
    first = (sample_build / "output" / ISSUE / f"{ISSUE}.pdf").read_bytes()
    assert (tmp_path / "again" / ISSUE / f"{ISSUE}.pdf").read_bytes() == first
