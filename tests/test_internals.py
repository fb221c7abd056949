"""Canaries for every private internal jianbao relies on (jianbao/pdf/internals/).

Run them first after upgrading a dependency: `pytest -m upgrade`. Each fails
where the internal it names has moved or changed meaning.
"""

from __future__ import annotations

import ctypes.util
import re
from collections.abc import Callable

import pytest

from jianbao.errors import BuildError
from jianbao.pdf import internals
from jianbao.pdf.internals import colour, loading, relayout
from jianbao.pdf.internals.pool import pool_processes

pytestmark = pytest.mark.upgrade


def test_the_installed_weasyprint_is_the_verified_one() -> None:
    internals.check_version()  # raises if not
    assert internals.weasyprint_version().split(".")[0] == str(internals.VERIFIED_WEASYPRINT[0])


def test_another_major_release_is_refused_with_a_message() -> None:
    with pytest.raises(BuildError, match=r"WeasyPrint 版本为 71\.0.*pdf/internals"):
        internals.check_version("71.0")


def test_library_search_is_restored_after_loading() -> None:
    original = ctypes.util.find_library
    with loading.fast_library_load():
        assert ctypes.util.find_library("c") is None
    assert ctypes.util.find_library is original


def test_array_types_are_made_without_the_parser() -> None:
    from weasyprint.text.ffi import ffi

    loading.make_array_types_directly()
    assert isinstance(ffi._parsed_types, loading._ArrayTypes)
    made = ffi._parsed_types["hb_codepoint_t[7]"][0]
    assert made is ffi.typeof("hb_codepoint_t[7]") and ffi.sizeof(made) == 7 * 4


def test_markdown_still_has_the_footnote_placeholder() -> None:
    from markdown.extensions.footnotes import NBSP_PLACEHOLDER

    from jianbao.markup.article import convert_markdown

    html = convert_markdown("正文[^1]。\n\n[^1]: 注释。\n", "art1").html
    assert NBSP_PLACEHOLDER not in html and "\x02" not in html


@pytest.mark.slow
def test_the_box_api_jianbao_reads_and_moves_is_there() -> None:
    """Every attribute and method of WeasyPrint's boxes that justify.py, footnotes.py and engine.py use
    (jianbao/pdf/internals/boxes.py lists them), with the meaning they rely on."""
    from weasyprint import HTML

    from jianbao.pdf.internals import boxes

    document = HTML(string="<body><p class='x'>甲乙<b>丙</b></p><table><tr><td>丁</td></tr></table></body>").render()
    page = boxes.page_box(document.pages[0])
    found = list(page.descendants())
    paragraph = next(b for b in found if isinstance(b, boxes.BlockContainerBox) and b.element_tag == "p")
    assert isinstance(paragraph, boxes.BlockLevelBox) and paragraph.is_in_normal_flow()
    assert paragraph.element.get("class") == "x" and paragraph.style["text_align_all"] in ("start", "left")
    line = paragraph.children[0]
    assert isinstance(line, boxes.LineBox)
    text, bold = line.children[0], line.children[1]
    assert isinstance(text, boxes.TextBox) and text.text == "甲乙" and isinstance(bold, boxes.InlineBox)
    assert text.style["font_size"] == 16 and text.style["letter_spacing"] == "normal"
    assert text.margin_width() == text.width > 0 and text.height > 0
    assert paragraph.content_box_x() == paragraph.position_x and paragraph.content_box_y() >= paragraph.position_y
    assert paragraph.border_box_y() == paragraph.position_y + paragraph.margin_top  # the UA's 1em margin
    assert paragraph.border_height() >= line.height
    x, y = text.position_x, text.position_y
    paragraph.translate(dx=3, dy=5)
    assert (text.position_x, text.position_y) == (x + 3, y + 5)  # children move with their parent
    assert any(isinstance(b, boxes.TableBox) for b in found)
    assert issubclass(boxes.ReplacedBox, boxes.Box) and issubclass(boxes.FootnoteAreaBox, boxes.Box)


@pytest.mark.slow
def test_laid_out_pages_expose_boxes_text_and_style() -> None:
    from weasyprint import HTML

    from jianbao.pdf.internals import boxes

    document = HTML(string="<p style='letter-spacing:1px'>甲\u2060乙</p>").render()
    text = next(b for b in boxes.page_box(document.pages[0]).descendants() if isinstance(b, boxes.TextBox))
    boxes.drop_characters(text, "\u2060")
    assert text.text == "甲乙" and text.pango_layout.text == "甲乙"
    boxes.set_letter_spacing(text, 2.5)
    assert text.style["letter_spacing"] == 2.5
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(document.write_pdf())) as pdf:
        assert pdf.pages[0].extract_text() == "甲乙"  # the edited box still draws, without the joiner


@pytest.mark.slow
def test_an_edited_element_breaks_the_page_on_the_next_render() -> None:
    from weasyprint import HTML

    source = HTML(string="<p>第一段</p><p id='b'>第二段</p>")
    assert len(source.render().pages) == 1
    relayout.force_break_before(next(e for e in source.etree_element.iter() if e.get("id") == "b"))
    assert len(source.render().pages) == 2


def test_drawn_spacing_matches_weasyprints_rounding() -> None:
    from jianbao.pdf.internals import boxes

    # 16 px glyphs: no spacing draws none; 1 px asked draws 1 px within WeasyPrint's 1/1000 em steps.
    assert boxes.drawn_spacing(0, 16) == pytest.approx(0, abs=0.016)
    assert boxes.drawn_spacing(1024, 16) == pytest.approx(1, abs=0.016)


def test_a_process_pool_lists_its_processes() -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(1, get_context("fork")) as executor:
        assert executor.submit(int, "7").result() == 7
        processes = pool_processes(executor)
        assert len(processes) == 1 and processes[0].is_alive()


def test_neutral_colours_are_written_as_gray() -> None:
    from weasyprint import HTML

    colour.neutral_colours_as_gray()
    colour.neutral_colours_as_gray()  # once only
    pdf = HTML(string="<p style='color:black;border-top:1px solid #808080'>甲</p><p style='color:#f00'>乙</p>")
    content = pdf.write_pdf(uncompressed_pdf=True)
    assert b"0 0 0 rg" not in content and re.search(rb"(?m)^0 g$", content) and b"0.502 g" in content
    assert b"1 0 0 rg" in content  # a colour keeps its RGB


def test_font_files_are_copied_only_as_their_subsets(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint copies each font's whole file on first use; jianbao defers that copy, which the
    HarfBuzz subset makes unneeded (a CJK font is 5-20 MB; its subset for a page a few KB)."""
    from weasyprint import HTML

    loading.lazy_font_files()
    loading.lazy_font_files()  # once only
    copied: list[int] = []
    init = loading._FaceData.__init__

    def counting(holder: loading._FaceData, face: object, read: Callable[[object], bytes | None]) -> None:
        def read_counted(face: object) -> bytes | None:
            data = read(face)
            copied.append(len(data or b""))
            return data

        init(holder, face, read_counted)

    monkeypatch.setattr(loading._FaceData, "__init__", counting)
    pdf = HTML(string="<p style='font-family: FandolSong, Noto Serif CJK SC'>简报排版测试，字体子集。</p>").write_pdf(
        uncompressed_pdf=True
    )
    assert copied and max(copied) < 200_000, copied  # subsets only, never a whole file
    assert b"/FontFile3" in pdf or b"/FontFile2" in pdf


def test_footnote_area_and_static_painting() -> None:
    from weasyprint import HTML

    from jianbao.pdf.internals import boxes

    noted = HTML(string="<style>@page{size:100mm 60mm}</style><p>乙<span style='float:footnote'>注</span></p>")
    page = noted.render().pages[0]
    area = boxes.footnote_area(page)
    top = area.position_y if area is not None else None
    assert top is not None and 0 < top < boxes.page_box(page).margin_height()
    assert boxes.footnote_area(HTML(string="<p>甲</p>").render().pages[0]) is None
    html = (
        "<style>header{position:relative} .a{position:absolute}</style>"
        "<p>甲</p><header><p>报头</p><div class=a>角</div><p>在行内<b class=a>的</b></p></header>"
    )
    document = HTML(string=html).render()
    page = document.pages[0]
    header = next(b for b in boxes.page_box(page).descendants() if b.element_tag == "header")
    boxes.paint_in_tree_order(header)
    assert header.style["position"] == "static"
    block = next(b for b in header.descendants() if b.element_tag == "div")
    assert block.style["position"] == "static"
    inline = next(b for b in header.descendants() if b.element_tag == "b")
    assert inline.style["position"] == "absolute"  # inside a line: left positioned, still drawn
    assert b"BT" in document.write_pdf(uncompressed_pdf=True)


def test_press_helpers_find_weasyprint_data() -> None:
    import pydyf

    assert colour.srgb_profile_bytes()[36:40] == b"acsp"  # ICC signature
    spaces = pydyf.Dictionary({"lab-d50": 1, "lab-d65": 2})
    assert colour.is_colour_space_resources(spaces)
    assert not colour.is_colour_space_resources(pydyf.Dictionary({"Font": 1}))
