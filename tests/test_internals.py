"""Canaries for every private internal jianbao relies on (jianbao/pdf/weasy_internals.py).

Run them first after upgrading a dependency: `pytest -m upgrade`. Each fails
where the internal it names has moved or changed meaning.
"""

from __future__ import annotations

import ctypes.util
import re
from collections.abc import Callable

import pytest

from jianbao.errors import BuildError
from jianbao.pdf import weasy_internals as internals

pytestmark = pytest.mark.upgrade


def test_the_installed_weasyprint_is_the_verified_one() -> None:
    internals.check_version()  # raises if not
    assert internals.weasyprint_version().split(".")[0] == str(internals.VERIFIED_WEASYPRINT[0])


def test_another_major_release_is_refused_with_a_message() -> None:
    with pytest.raises(BuildError, match=r"WeasyPrint 版本为 71\.0.*weasy_internals\.py"):
        internals.check_version("71.0")


def test_library_search_is_restored_after_loading() -> None:
    original = ctypes.util.find_library
    with internals.fast_library_load():
        assert ctypes.util.find_library("c") is None
    assert ctypes.util.find_library is original


def test_array_types_are_made_without_the_parser() -> None:
    from weasyprint.text.ffi import ffi

    internals.make_array_types_directly()
    assert isinstance(ffi._parsed_types, internals._ArrayTypes)
    made = ffi._parsed_types["hb_codepoint_t[7]"][0]
    assert made is ffi.typeof("hb_codepoint_t[7]") and ffi.sizeof(made) == 7 * 4


def test_markdown_still_has_the_footnote_placeholder() -> None:
    from markdown.extensions.footnotes import NBSP_PLACEHOLDER

    from jianbao.markup.article import convert_markdown

    html = convert_markdown("正文[^1]。\n\n[^1]: 注释。\n", "art1").html
    assert NBSP_PLACEHOLDER not in html and "\x02" not in html


@pytest.mark.slow
def test_laid_out_pages_expose_boxes_text_and_style() -> None:
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    document = HTML(string="<p style='letter-spacing:1px'>甲\u2060乙</p>").render()
    text = next(b for b in internals.page_box(document.pages[0]).descendants() if isinstance(b, boxes.TextBox))
    internals.drop_characters(text, "\u2060")
    assert text.text == "甲乙" and text.pango_layout.text == "甲乙"
    internals.set_letter_spacing(text, 2.5)
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
    internals.force_break_before(next(e for e in source.etree_element.iter() if e.get("id") == "b"))
    assert len(source.render().pages) == 2


def test_drawn_spacing_matches_weasyprints_rounding() -> None:
    # 16 px glyphs: no spacing draws none; 1 px asked draws 1 px within WeasyPrint's 1/1000 em steps.
    assert internals.drawn_spacing(0, 16) == pytest.approx(0, abs=0.016)
    assert internals.drawn_spacing(1024, 16) == pytest.approx(1, abs=0.016)


def test_a_process_pool_lists_its_processes() -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(1, get_context("fork")) as executor:
        assert executor.submit(int, "7").result() == 7
        processes = internals.pool_processes(executor)
        assert len(processes) == 1 and processes[0].is_alive()


def test_neutral_colours_are_written_as_gray() -> None:
    from weasyprint import HTML

    internals.neutral_colours_as_gray()
    internals.neutral_colours_as_gray()  # once only
    pdf = HTML(string="<p style='color:black;border-top:1px solid #808080'>甲</p><p style='color:#f00'>乙</p>")
    content = pdf.write_pdf(uncompressed_pdf=True)
    assert b"0 0 0 rg" not in content and re.search(rb"(?m)^0 g$", content) and b"0.502 g" in content
    assert b"1 0 0 rg" in content  # a colour keeps its RGB


def test_font_files_are_copied_only_as_their_subsets(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint copies each font's whole file on first use; jianbao defers that copy, which the
    HarfBuzz subset makes unneeded (a CJK font is 5-20 MB; its subset for a page a few KB)."""
    from weasyprint import HTML

    internals.lazy_font_files()
    internals.lazy_font_files()  # once only
    copied: list[int] = []
    init = internals._FaceData.__init__

    def counting(holder: internals._FaceData, face: object, read: Callable[[object], bytes | None]) -> None:
        def read_counted(face: object) -> bytes | None:
            data = read(face)
            copied.append(len(data or b""))
            return data

        init(holder, face, read_counted)

    monkeypatch.setattr(internals._FaceData, "__init__", counting)
    pdf = HTML(string="<p style='font-family: FandolSong, Noto Serif CJK SC'>简报排版测试，字体子集。</p>").write_pdf(
        uncompressed_pdf=True
    )
    assert copied and max(copied) < 200_000, copied  # subsets only, never a whole file
    assert b"/FontFile3" in pdf or b"/FontFile2" in pdf


def test_footnote_area_top_and_static_painting() -> None:
    from weasyprint import HTML

    noted = HTML(string="<style>@page{size:100mm 60mm}</style><p>乙<span style='float:footnote'>注</span></p>")
    page = noted.render().pages[0]
    top = internals.footnote_area_top(page)
    assert top is not None and 0 < top < internals.page_box(page).margin_height()
    assert internals.footnote_area_top(HTML(string="<p>甲</p>").render().pages[0]) is None
    html = (
        "<style>header{position:relative} .a{position:absolute}</style>"
        "<p>甲</p><header><p>报头</p><div class=a>角</div><p>在行内<b class=a>的</b></p></header>"
    )
    document = HTML(string=html).render()
    page = document.pages[0]
    header = next(b for b in internals.page_box(page).descendants() if b.element_tag == "header")
    internals.paint_in_tree_order(header)
    assert header.style["position"] == "static"
    block = next(b for b in header.descendants() if b.element_tag == "div")
    assert block.style["position"] == "static"
    inline = next(b for b in header.descendants() if b.element_tag == "b")
    assert inline.style["position"] == "absolute"  # inside a line: left positioned, still drawn
    assert b"BT" in document.write_pdf(uncompressed_pdf=True)


def test_press_helpers_find_weasyprint_data() -> None:
    import pydyf

    assert internals.srgb_profile_bytes()[36:40] == b"acsp"  # ICC signature
    spaces = pydyf.Dictionary({"lab-d50": 1, "lab-d65": 2})
    assert internals.is_colour_space_resources(spaces)
    assert not internals.is_colour_space_resources(pydyf.Dictionary({"Font": 1}))
