"""A rich, multi-article issue in the PDF, measured: 本期要目 pages, figures,
tables, footnotes, bookmarks, metadata and the PDF/A-2b archival variant."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from pdfminer.pdftypes import resolve1
from PIL import Image

from jianbao.markup import load_content
from jianbao.recipe import build
from tests.bodypdf import body_pdf, full_lines
from tests.conftest import options_for
from tests.pdftools import AREA_BOTTOM, AREA_LEFT, AREA_RIGHT, AREA_TOP, base_font, lines_of, open_pdf, squash

pytestmark = pytest.mark.slow  # builds PDFs

ISSUE = "2025-09"
CHART_RED = (0.784314, 0.062745, 0.180392)  # the bars' fill in images/aging-chart.svg


@pytest.fixture(scope="module")
def articles(sample_build: Path):
    site, _ = load_content(sample_build / "content")
    (issue,) = [i for i in site.issues if i.id == ISSUE]
    return issue.articles


@pytest.fixture(scope="module")
def pdf(sample_build: Path):
    with open_pdf(sample_build / "output" / ISSUE / f"{ISSUE}.pdf") as document:
        yield document


@pytest.fixture(scope="module")
def lines(pdf):
    return lines_of(pdf)


def start_page(lines, title: str) -> int:
    """The page where an article's 22 pt title begins."""
    return next(line.page for line in lines if line.size == 22 and title.startswith(line.text))


def page_numbers(pdf) -> dict[int, int]:
    """PDF page object id → page number."""
    return {page.page_obj.pageid: number for number, page in enumerate(pdf.pages, 1)}


def test_contents_list_each_article_with_the_page_it_starts_on(lines, articles) -> None:
    first = [line for line in lines if line.page == 1]
    heading = next(index for index, line in enumerate(first) if line.text == "本期要目")
    contents = "".join(squash(line.text) for line in first[heading + 1 :] if line.size == 16)
    assert len(articles) == 3
    for article in articles:
        found = re.search(re.escape(squash(article.title)) + r"\.*(\d+)", contents)
        assert found, f"{article.title} missing from 本期要目"
        assert int(found.group(1)) == start_page(lines, article.title)
    assert [start_page(lines, a.title) for a in articles] == sorted(start_page(lines, a.title) for a in articles)


def test_contents_come_after_the_masthead(lines) -> None:
    date = next(line for line in lines if "2025年6月17日" in line.text)
    toc = next(line for line in lines if line.text == "本期要目")
    assert toc.page == 1 and toc.top > date.bottom


def test_bookmarks_for_masthead_articles_and_level_one_headings(pdf, lines, articles) -> None:
    outline = list(pdf.doc.get_outlines())
    expected = [(1, "报头"), (1, "本期要目")]
    for article in articles:
        expected.append((1, article.title))
        expected.extend((2, h.text) for h in article.headings if h.level == 1)
    assert [(level, title) for level, title, *_ in outline] == expected
    pages = page_numbers(pdf)
    for level, title, dest, *_ in outline:
        if level == 1 and title not in ("报头", "本期要目"):
            assert pages[resolve1(dest)[0].objid] == start_page(lines, title)


def test_document_metadata(pdf, articles) -> None:
    meta = pdf.metadata
    assert meta["Title"] == "领导学习 2025年第9期（总第145期）"
    assert meta["Author"] == "太湖研究院、太湖发展智库"
    assert all(article.title in meta["Subject"] for article in articles)
    assert "领导学习" in meta["Keywords"]
    assert meta["CreationDate"].startswith("D:20250617")
    assert resolve1(pdf.doc.catalog["Lang"]) == b"zh-CN"


def test_chart_is_drawn_inside_the_type_area_above_its_caption(pdf, lines) -> None:
    caption = next(line for line in lines if line.text.startswith("图1　全市60岁"))
    bars = [r for r in pdf.pages[caption.page - 1].rects if r.get("non_stroking_color") == CHART_RED]
    assert len(bars) == 5
    for bar in bars:
        assert bar["x0"] >= AREA_LEFT - 0.5 and bar["x1"] <= AREA_RIGHT + 0.5
        assert bar["top"] >= AREA_TOP - 0.5 and bar["bottom"] < caption.top
    assert caption.fonts == {"Noto-Sans-CJK-SC-GB2312"}


def horizontal_rules(page) -> list[tuple[float, float, float, float]]:
    """(top, x0, x1, width) of each horizontal rule, joining the cell-edge segments WeasyPrint draws."""
    rows: dict[float, list[dict]] = {}
    for segment in page.lines:
        if abs(segment["top"] - segment["bottom"]) < 0.01:
            rows.setdefault(round(segment["top"], 1), []).append(segment)
    return [
        (top, min(s["x0"] for s in row), max(s["x1"] for s in row), max(s["linewidth"] for s in row))
        for top, row in sorted(rows.items())
    ]


def test_table_caption_header_and_full_width_rules(pdf, lines) -> None:
    caption = next(line for line in lines if line.text == "表1　调研企业人工智能应用情况（按区分）")
    assert caption.fonts == {"Noto-Sans-CJK-SC-GB2312"}
    header = next(line for line in lines if line.text.startswith("区调研数（家）"))
    assert header.page == caption.page and header.top > caption.bottom
    assert header.fonts == {"Noto-Sans-CJK-SC-GB2312"}
    row = next(line for line in lines if line.text.startswith("湖滨区"))
    assert row.size == 14 and "FandolFang" in row.fonts
    rules = [r for r in horizontal_rules(pdf.pages[caption.page - 1]) if r[0] > caption.bottom]
    pages = [rules]
    if round(rules[-1][3], 1) != 1.0:  # split at the page foot (six rows need not move whole): header repeated
        following = horizontal_rules(pdf.pages[caption.page])
        end = next(i for i, r in enumerate(following) if i and round(r[3], 1) == 1.0)
        pages.append(following[: end + 1])
        repeated = [line for line in lines if line.page == caption.page + 1 and line.text.startswith("区调研数")]
        assert repeated
    # Top (heavy), below the header, between the rows, bottom (heavy); each page's part has its own top.
    assert sum(len(found) - 2 for found in pages) == 6  # below the header and each of the six rows but the last
    for found in pages:
        for _, x0, x1, _ in found:
            assert x0 == pytest.approx(AREA_LEFT, abs=0.5) and x1 == pytest.approx(AREA_RIGHT, abs=0.5)
        assert round(found[0][3], 1) == 1.0 and {round(r[3], 1) for r in found[1:-1]} == {0.5}
    assert round(pages[-1][-1][3], 1) == 1.0


def circled_chars(pdf, size: float) -> list[tuple[int, str]]:
    """(page, char) of every ①–⑳ set at `size`, in reading order."""
    return [
        (number, char["text"])
        for number, page in enumerate(pdf.pages, 1)
        for char in sorted(page.chars, key=lambda c: (round(c["top"]), c["x0"]))
        if "①" <= char["text"] <= "⑳" and round(char["size"]) == size
    ]


def test_footnotes_sit_at_the_foot_of_the_page_of_their_call(pdf, lines) -> None:
    calls = circled_chars(pdf, 10)
    notes = [(line.page, squash(line.text)[0]) for line in lines if line.size == 12 and "①" <= line.text[:1] <= "⑳"]
    assert calls == notes
    assert [number for _, number in notes] == ["①", "②", "①", "②"]  # restarting per article
    for page, _ in notes:
        body = [line for line in lines if line.page == page and line.size == 16]
        foot = [line for line in lines if line.page == page and line.size == 12]
        assert min(line.top for line in foot) > max(line.bottom for line in body)
        assert max(line.bottom for line in foot) <= AREA_BOTTOM + 0.5


@pytest.mark.parametrize(
    ("call", "note"),
    [("以上", "①数据由企业提供"), ("疑虑", "②在36家调研企业中"), ("调查", "①调查于今年"), ("安心", "②据市市场监管")],
)
def test_footnote_follows_its_call_on_the_same_page(pdf, lines, call: str, note: str) -> None:
    note_line = next(line for line in lines if squash(line.text).startswith(note))
    calls = [(page, char) for page, char in circled_chars(pdf, 10) if page == note_line.page and char == note[0]]
    assert calls, f"the call {note[0]} is not on page {note_line.page}"
    words = squash("".join(line.text for line in lines if line.page == note_line.page and line.size == 16))
    assert call in words


def test_block_quote_and_editor_note_in_kaiti(lines) -> None:
    quote = next(line for line in lines if line.text.startswith("与其让每家企业"))
    assert quote.fonts == {"LXGW-WenKai"}
    # Label and note share a baseline; whether `lines_of` (which groups by the
    # rounded glyph bottom, font-dependent) splits them depends on the position.
    chars = [c for line in lines for c in line.chars if line.text.startswith(("编者按：", "制造业是我市经济"))]
    chars.sort(key=lambda c: (round(c["matrix"][5]), c["x0"]))
    text = "".join(c["text"] for c in chars)
    assert text.startswith("编者按：制造业是我市经济")
    assert {base_font(c["fontname"]) for c in chars[:4]} == {"Noto-Sans-CJK-SC-GB2312"}
    assert {base_font(c["fontname"]) for c in chars[4:12]} == {"LXGW-WenKai"}
    assert any(line.text == "——关于我市养老服务消费的调查与思考" for line in lines)
    assert any(line.text == "（来源：《江南社会观察》2025年第3期）" for line in lines)


def test_ordered_list_numbered_below_the_heading_level(lines) -> None:
    # The bold lead-in (黑体) has other font metrics, so extraction puts it on a line of its own.
    items = [line for line in lines if re.match(r"^\d\.(不少|一条|既懂|部分)", line.text)]
    assert [line.text[:2] for line in items] == ["1.", "2.", "3.", "4."]
    assert all(line.x0 == pytest.approx(AREA_LEFT + 2 * 16, abs=1.5) for line in items)


@pytest.mark.parametrize("first", ["1.", "更加期待政策"])
def test_list_lines_stay_on_the_line_grid(lines, first: str) -> None:
    """A 黑体 lead-in or a small bullet must not make an item's line taller than the pitch."""
    start = next(index for index, line in enumerate(lines) if line.text.startswith(first))
    items = [line for line in lines[start:] if line.size == 16 and line.page == lines[start].page][:6]
    fang = [line for line in items if "FandolFang" in line.fonts]
    steps = [round(b.top - a.top, 2) for a, b in pairwise(fang)]
    assert len(steps) >= 3 and all(step == pytest.approx(28.95, abs=0.05) for step in steps), steps


# ---------------------------------------------------------------------------
# Built from small projects made for the purpose


LONG_TABLE = "表：各月指标\n\n| 月份 | 指标甲 | 指标乙 |\n|:--|--:|--:|\n" + "".join(
    f"| 第{n}行 | {n * 7} | {n * 11} |\n" for n in range(1, 61)
)


def test_long_table_repeats_its_header_on_each_page(minimal: Callable[..., Path]) -> None:
    project = minimal(article=f"---\ntitle: 长表格\n---\n\n正文。\n\n{LONG_TABLE}")
    build(options_for(project))
    with open_pdf(project / "output/2025-01/2025-01.pdf") as document:
        found = lines_of(document)
    is_row = re.compile(r"^第\d+行").match
    table_pages = sorted({line.page for line in found if is_row(line.text)})
    assert len(table_pages) >= 2
    for page in table_pages:
        on_page = [line for line in found if line.page == page and line.top < AREA_BOTTOM]
        header = next(line for line in on_page if line.text == "月份指标甲指标乙")
        rows = [line for line in on_page if is_row(line.text)]
        assert header.bottom < min(row.top for row in rows)
    assert sum(line.text == "表1　各月指标" for line in found) == 1


SHORT_TABLE = "表：短表\n\n| 区 | 数 |\n|:--|--:|\n" + "".join(f"| 第{n}区 | {n} |\n" for n in range(1, 7))


@pytest.mark.parametrize(("filler", "first_rows"), [(15, 4), (18, 0)])
def test_table_splits_with_its_header_or_moves_whole(tmp_path: Path, filler: int, first_rows: int) -> None:
    """A table of seven rows no longer jumps whole (that left up to six lines empty):
    it splits, the header repeated, as long as the caption, the header and two body
    rows stay on the first page and two rows go over; otherwise it moves whole."""
    source = f"{full_lines(filler, '测')}\n\n{SHORT_TABLE}\n\n后文。\n"
    with open_pdf(body_pdf(source, tmp_path / "table.pdf")) as document:
        found = lines_of(document)
    rows = [line for line in found if line.text.startswith("第")]
    assert len(rows) == 6
    assert sum(row.page == 1 for row in rows) == first_rows
    caption = next(line for line in found if line.text.startswith("表1"))
    assert caption.page == (1 if first_rows else 2)
    headers = [line for line in found if line.text.startswith("区数")]
    assert {line.page for line in headers} == {row.page for row in rows}
    assert max(line.page for line in found if line.text.startswith("测")) == 1


def test_two_line_footnote_lines_are_a_line_apart(lines) -> None:
    first = next(line for line in lines if squash(line.text).startswith("②据市市场监管"))
    second = next(line for line in lines if line.page == first.page and line.size == 12 and line.top > first.top)
    assert second.text == "成。" and second.top - first.top == pytest.approx(18, abs=0.1)


def test_png_is_scaled_to_the_type_area_and_kept_with_its_caption(minimal: Callable[..., Path]) -> None:
    filler = "\n\n".join("这是用来把图片推到页面下方的正文段落。" * 3 for _ in range(14))
    article = f"---\ntitle: 图片\n---\n\n{filler}\n\n![一张很宽的图](images/wide.png)\n\n后文。\n"
    project = minimal(article=article)
    images = project / "content/issues/2025-01/images"
    images.mkdir()
    Image.new("RGB", (2400, 900), (40, 90, 160)).save(images / "wide.png")
    build(options_for(project))
    with open_pdf(project / "output/2025-01/2025-01.pdf") as document:
        found = lines_of(document)
        placed = [(number, image) for number, page in enumerate(document.pages, 1) for image in page.images]
    ((page, image),) = placed
    assert image["x0"] >= AREA_LEFT - 0.5 and image["x1"] <= AREA_RIGHT + 0.5
    assert image["x1"] - image["x0"] == pytest.approx(AREA_RIGHT - AREA_LEFT, abs=1)
    assert image["top"] >= AREA_TOP - 0.5 and image["bottom"] <= AREA_BOTTOM + 0.5
    caption = next(line for line in found if line.text == "图1　一张很宽的图")
    assert caption.page == page and caption.top > image["bottom"]
    assert (project / "output/2025-01/images/wide.png").read_bytes() == (images / "wide.png").read_bytes()


def test_toc_false_leaves_out_the_contents(minimal: Callable[..., Path]) -> None:
    project = minimal(issue="number: 1\ntotal: 1\ndate: 2025-01-10\ntoc: false\n")
    folder = project / "content/issues/2025-01"
    (folder / "02-second.md").write_text("---\ntitle: 第二篇\n---\n\n正文。\n", encoding="utf-8")
    build(options_for(project))
    page = (project / "output/2025-01/index.html").read_text(encoding="utf-8")
    assert "第二篇" in page and "本期要目" not in page
    with open_pdf(project / "output/2025-01/2025-01.pdf") as document:
        assert all(line.text != "本期要目" for line in lines_of(document))


def test_archival_variant_is_pdf_a_2b(sample_build: Path, tmp_path: Path) -> None:
    build(options_for(sample_build, output=tmp_path / "archive", ids=(ISSUE,), pdf_variant="pdf/a-2b"))
    path = tmp_path / "archive" / ISSUE / f"{ISSUE}.pdf"
    with open_pdf(path) as document:
        catalog = document.doc.catalog
        xmp = resolve1(catalog["Metadata"]).get_data().decode()
        (intent,) = [resolve1(item) for item in resolve1(catalog["OutputIntents"])]
        colours = {c["non_stroking_color"] for page in document.pages for c in page.chars}
        assert [title for _, title, *_ in document.doc.get_outlines()][:2] == ["报头", "本期要目"]
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "<xmp:CreateDate>2025-06-17</xmp:CreateDate>" in xmp
    assert resolve1(intent["S"]).name == "GTS_PDFA1"
    assert resolve1(intent["DestOutputProfile"]).get_data()[36:40] == b"acsp"  # an ICC profile
    assert all(len(colour) != 4 for colour in colours), "PDF/A with an sRGB intent may not use DeviceCMYK"
    if shutil.which("pdffonts"):
        report = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = report.splitlines()[2:]
        assert rows and all(" yes yes yes " in row for row in rows)
