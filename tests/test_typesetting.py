"""Body typesetting measured on the built PDF: grid, flush justification, line rules, fonts.

Runs over the sample issue and over tests/fixtures/stress (dense punctuation,
quotes in quotes, numbers with units, Latin terms, four heading levels, a
three-line title).
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from jianbao.pdf.typeset import typeset_document
from jianbao.recipe import build
from jianbao.text.breaking import balanced_lines
from jianbao.text.chars import NO_END, NO_START
from tests.conftest import ROOT, options_for
from tests.pdftools import AREA_BOTTOM, AREA_LEFT, AREA_RIGHT, AREA_TOP, MM, PAGE_H, Line, lines_of, open_pdf
from tests.typemeasure import ink_top

pytestmark = pytest.mark.slow  # builds PDFs

PITCH = 28.95
BODY_FONT = "FandolFang"
HEADING_FONTS = {"Noto-Sans-CJK-SC-GB2312", "LXGW-WenKai"}
CLOSING = "，。、；：？！）》」』”’"
FLUSH = 0.5  # pt


def baseline_lines(pdf) -> list[Line]:
    """Like `lines_of`, but characters are grouped by baseline, so a line mixing
    faces (仿宋 with 黑体 bold) stays one line."""
    result = []
    for line in lines_of(pdf):
        key = (line.page, round(baseline(line), 1))
        if result and (result[-1].page, round(baseline(result[-1]), 1)) == key:
            chars = tuple(sorted(result[-1].chars + line.chars, key=lambda c: c["x0"]))
            result[-1] = Line(
                page=line.page,
                top=min(c["top"] for c in chars),
                bottom=max(c["bottom"] for c in chars),
                x0=chars[0]["x0"],
                x1=chars[-1]["x1"],
                text="".join(c["text"] for c in chars),
                fonts=result[-1].fonts | line.fonts,
                size=max(result[-1].size, line.size),
                chars=chars,
            )
        else:
            result.append(line)
    return result


def _build(project: Path, issue: str) -> list[Line]:
    shutil.copytree(ROOT / "layouts", project / "layouts")
    build(options_for(project, ids=(issue,)))
    with open_pdf(project / "output" / issue / f"{issue}.pdf") as pdf:
        return baseline_lines(pdf)


@pytest.fixture(scope="module", params=["sample", "stress"])
def lines(request, tmp_path_factory) -> list[Line]:
    if request.param == "sample":  # the session's build of the sample has this PDF already
        with open_pdf(request.getfixturevalue("sample_build") / "output/2025-08/2025-08.pdf") as pdf:
            return baseline_lines(pdf)
    project = tmp_path_factory.mktemp(request.param)
    shutil.copytree(ROOT / "tests/fixtures/stress/content", project / "content")
    return _build(project, "2025-01")


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Body paragraphs (16 pt 仿宋 text in the type area), as lists of lines.

    A paragraph starts at a line indented two characters; its lines may run
    over a page break.
    """
    result: list[list[Line]] = []
    title = next(line for line in lines if line.size == 22)  # the masthead ends above the first title
    for line in lines:
        if (line.page == 1 and line.top <= title.top) or line.top > AREA_BOTTOM:
            continue  # masthead, page numbers
        if line.size != 16 or BODY_FONT not in line.fonts or line.x0 - AREA_LEFT > 40:
            if result and result[-1]:
                result.append([])
            continue
        if line.x0 - AREA_LEFT > 20 or not result:
            result.append([])
        result[-1].append(line)
    return [p for p in result if p]


def baseline(line: Line) -> float:
    """Baseline from the top of the page."""
    return PAGE_H - line.chars[0]["matrix"][5]


def is_heading(line: Line) -> bool:
    """A body heading line: indented, 16 pt, no 仿宋 (levels 3 and 4 are 仿宋 and told by their number)."""
    numbered = line.text[:1].isdigit() or line.text.startswith(("（1", "（2", "（3", "（4", "（5"))
    indented = line.x0 - AREA_LEFT > 20 and line.size == 16 and line.top < AREA_BOTTOM
    return indented and (BODY_FONT not in line.fonts or (numbered and len(line.text) < 28))


def right_edge_error(line: Line) -> float:
    """Distance of the last glyph's edge from the 版心's right edge.

    A closing mark at the end of a line may be set half-width (GB squeeze), so
    its edge is its left half.
    """
    last = line.chars[-1]
    full = last["x1"] - AREA_RIGHT
    if last["text"] in CLOSING:
        return min(full, last["x0"] + last["size"] / 2 - AREA_RIGHT, key=abs)
    return full


def test_every_non_final_line_is_flush(lines) -> None:
    errors = [(right_edge_error(line), line.text) for p in paragraphs(lines) for line in p[:-1]]
    assert len(errors) > 20
    bad = [(round(e, 2), t) for e, t in errors if abs(e) > FLUSH]
    assert not bad


def test_stretch_is_even_across_a_line(lines) -> None:
    """The slack of a line is spread evenly: every gap between two full-width characters is the same."""
    marks = CLOSING + NO_END
    for p in paragraphs(lines):
        for line in p[:-1]:
            gaps = [
                b["x0"] - a["x0"]
                for a, b in pairwise(line.chars)
                if not a["text"].isascii() and not b["text"].isascii() and a["text"] not in marks
            ]
            # Equal within 0.1 pt: each text run's first glyph may sit a few 1/1000 em off.
            assert max(gaps) - min(gaps) < 0.1, (line.text, sorted(set(round(g, 2) for g in gaps)))


def test_last_lines_are_not_stretched(lines) -> None:
    for p in paragraphs(lines):
        last = p[-1]
        if len(last.chars) > 2:
            gaps = [b["x0"] - a["x0"] for a, b in pairwise(last.chars) if not a["text"].isascii()]
            assert max(gaps) < 16.5, last.text


def test_full_lines_hold_28_characters(lines) -> None:
    """A line of full-width characters only, not first or last of its paragraph, has 28."""
    punctuation = CLOSING + NO_END

    def squeezed(text: str) -> bool:
        return any(a in punctuation and b in punctuation for a, b in pairwise(text))

    counts = [
        len(line.text)
        for p in paragraphs(lines)
        for line in p[1:-1]
        if all(not c["text"].isascii() for c in line.chars) and not squeezed(line.text)
    ]
    assert counts
    # Lines shortened by a line rule may hold 27 (or 26); most hold 28 and none more.
    assert max(counts) == 28
    assert counts.count(28) >= len(counts) * 0.6
    assert min(counts) >= 26


def test_first_line_indent_is_two_grid_characters(lines) -> None:
    firsts = [p[0] for p in paragraphs(lines)]
    assert firsts
    for line in firsts:
        assert line.x0 - AREA_LEFT == pytest.approx(2 * (16 - 0.208), abs=0.1)


def test_no_line_breaks_a_line_rule(lines) -> None:
    body = [line for line in lines if AREA_TOP - 1 < line.top < AREA_BOTTOM]
    starts = [line.text for line in body if line.text[0] in NO_START]
    ends = [line.text for line in body if line.text[-1] in NO_END]
    assert not starts
    assert not ends
    for first, second in pairwise(body):
        joint = first.text[-1:] + second.text[:1]
        assert joint not in ("——", "……"), (first.text, second.text)
        assert not (first.text[-1].isdigit() and second.text[0] in "亿万元%％"), (first.text, second.text)


def test_adjacent_marks_are_squeezed(lines) -> None:
    """Of two adjacent full-width marks the first takes half width, in 仿宋 and in 楷体 alike."""
    marks = CLOSING + NO_END
    pairs = [
        (b["x0"] - a["x0"], a["text"] + b["text"], line.text)
        for line in lines
        if line.size == 16 and line.top < AREA_BOTTOM
        for a, b in pairwise(line.chars)
        if a["text"] in marks and b["text"] in marks
    ]
    assert pairs
    # Half of a 15.79 pt grid character, plus at most the stretch a line gets.
    assert all(gap < 10 for gap, _, _ in pairs), [p for p in pairs if p[0] >= 10]


def test_text_has_no_stray_characters(lines) -> None:
    text = "".join(line.text for line in lines)
    assert "\u2060" not in text
    assert "\u00a0" not in text


def test_lines_sit_on_the_22_line_grid(lines) -> None:
    """Every body and heading line sits a whole number of pitches below the 版心's top.

    Each face puts its baseline at its own depth in the line box, so the
    fraction of a pitch is compared per face: it must be the same on every page.
    """
    residues: dict[frozenset[str], set[float]] = defaultdict(set)
    title = next(line for line in lines if line.size == 22)
    for line in lines:
        if line.size == 16 and line.top < AREA_BOTTOM and (line.page > 1 or line.top > title.top):
            slot = (baseline(line) - AREA_TOP) / PITCH
            residues[line.fonts].add(round(slot - int(slot), 2))
            assert slot < 22, (line.page, line.text)
    assert {BODY_FONT} in [set(fonts) for fonts in residues]
    for fonts, found in residues.items():
        assert max(found) - min(found) < 0.02, fonts


def test_full_pages_have_22_lines(lines) -> None:
    """A page short of 22 lines is one where a heading or paragraph was kept with what follows."""
    pages = sorted({line.page for p in paragraphs(lines) for line in p})
    for page in pages[:-1]:
        body = [line for line in lines if line.page == page and line.top < AREA_BOTTOM]
        if page == 1:
            continue  # the masthead takes 8 lines; its grid is checked elsewhere
        slots = {round((baseline(line) - AREA_TOP) / PITCH - 0.5) for line in body}
        if len(slots) < 22:
            # Kept with what follows: a heading or paragraph moved whole, or one line
            # pulled over so the paragraph does not end with a single line (widow).
            following = next(line for line in lines if line.page == page + 1)
            moved_whole = is_heading(following) or following.x0 - AREA_LEFT > 20
            assert moved_whole or len(slots) == 21, page
        assert len(slots) <= 22


def test_wrapped_headings_are_flush(lines) -> None:
    """A heading too long for one line is justified like a paragraph."""
    heading_only = [line for line in lines if line.size == 16 and line.fonts <= HEADING_FONTS]
    wrapped = [
        first
        for first, second in pairwise(heading_only)
        # the next line down, at the left edge (not the last line of a 楷体 编者按 further down)
        if is_heading(first) and abs(second.x0 - AREA_LEFT) < 1 and 0 < second.top - first.top < 1.5 * PITCH
    ]
    if any("统筹发展和安全" in line.text for line in lines):  # the stress fixture's long heading
        assert wrapped
    for line in wrapped:
        assert abs(right_edge_error(line)) <= FLUSH, line.text


def test_no_heading_alone_at_the_bottom(lines) -> None:
    body = [line for line in lines if line.top < AREA_BOTTOM]
    for line, after in pairwise(body):
        if is_heading(line):
            assert after.page == line.page, line.text


def test_no_lone_last_line_at_a_page_top(lines) -> None:
    """A paragraph split over two pages carries at least two lines to the next (no 孤行); its first line
    may stay alone at a page's foot, which its indent marks (print.css: orphans 1, widows 2)."""
    split = 0
    for p in paragraphs(lines):
        pages = [line.page for line in p]
        if len(set(pages)) > 1:
            split += 1
            assert pages.count(pages[-1]) >= 2, p[0].text
    assert split, "no paragraph of the sample is split over two pages"


def test_no_paragraph_ends_with_a_lone_character(lines) -> None:
    """The last line of a paragraph holds at least two characters besides punctuation (no 孤字)."""
    for p in paragraphs(lines):
        if len(p) > 1:
            letters = [c for c in p[-1].text if c not in CLOSING + "…"]
            assert len(letters) >= 2, p[-1].text


def test_fonts_by_element(lines) -> None:
    heading_fonts = {}
    for line in lines:
        for marker, level in (("一、", 1), ("（一）", 2), ("1.", 3), ("（1）", 4)):
            if line.text.startswith(marker) and line.x0 - AREA_LEFT > 20:
                heading_fonts.setdefault(level, line.fonts)
    assert heading_fonts[1] == {"Noto-Sans-CJK-SC-GB2312"}
    assert heading_fonts[2] == {"LXGW-WenKai"}
    if 3 in heading_fonts:
        assert heading_fonts[3] == {BODY_FONT}
    if 4 in heading_fonts:
        assert heading_fonts[4] == {BODY_FONT}
    # Digits and Latin in body text come from the body face itself.
    body = [line for p in paragraphs(lines) for line in p]
    digits = [c for line in body for c in line.chars if c["text"].isascii() and c["text"].isalnum()]
    assert digits
    assert {c["fontname"].split("+")[-1] for c in digits} == {BODY_FONT}
    # Bold prints in 黑体, a face with its own weight, never as a faux bold of 仿宋.
    bold = [c for line in body for c in line.chars if "Sans" in c["fontname"]]
    assert all(c["fontname"].endswith("Noto-Sans-CJK-SC-GB2312") for c in bold)
    folios = [line for line in lines if line.top > AREA_BOTTOM]
    assert all(line.fonts == {"Liberation-Serif"} and line.size == 14 for line in folios)


def test_title_lines_are_balanced(lines) -> None:
    title = [line for line in lines if line.size == 22]
    assert title
    lengths = [len(line.text) for line in title]
    # A break at a pause mark or before 与/以… may cost up to 1.5 each way; keeping a
    # four-character word such as 自立自强 whole may cost one more.
    assert max(lengths) - min(lengths) <= 4
    for line in title:
        assert (line.x0 + line.x1) / 2 == pytest.approx((AREA_LEFT + AREA_RIGHT) / 2, abs=1)


def test_masthead_takes_the_top_third(lines) -> None:
    title = next(line for line in lines if line.size == 22)
    assert title.page == 1
    # Red rule after 7 grid lines, the title on the 9th.
    assert (title.top - AREA_TOP) / MM == pytest.approx(8 * PITCH / MM * 1, abs=3)
    assert 90 < (AREA_TOP + 7 * PITCH) / MM < 115


def test_page_numbers_and_colophon_positions(lines) -> None:
    folios = [line for line in lines if line.top > AREA_BOTTOM]
    for folio in folios:
        # GB/T 9704 measures the 一字线's ink (not the line box) 7 mm below the 版心.
        dash = next(char for char in folio.chars if char["text"] == "—")
        assert ink_top(dash, TTFont) == pytest.approx(AREA_BOTTOM + 7 * MM, abs=0.5)
        edge = folio.x1 if folio.page % 2 else folio.x0
        assert edge == pytest.approx(AREA_RIGHT - 16 if folio.page % 2 else AREA_LEFT + 16, abs=2)
    last = max(line.page for line in lines)
    address = next(line for line in lines if line.page == last and line.text.startswith("地址："))
    assert AREA_BOTTOM - 25 < address.bottom < AREA_BOTTOM
    colophon = [line for line in lines if line.page == last and line.size == 14 and line.top < AREA_BOTTOM]
    assert colophon[0].text.startswith("报：")
    assert all(line.fonts == {BODY_FONT} for line in colophon)  # 4号仿宋


# ---- the HTML stage ---------------------------------------------------------


def test_typeset_document_joins_dashes_units_and_squeezes_pairs() -> None:
    out = typeset_document("<html><head><style>p{}</style></head><body><p>超过 2200亿元——见“规划。”</p></body></html>")
    assert "2200\u2060亿元" in out
    assert "元\u2060——" in out
    assert '<span class="jb-halt jb-close">。</span>”' in out
    assert "超过2200" in out
    assert "p{}" in out


def test_balanced_lines_avoid_orphans_and_line_rules() -> None:
    assert balanced_lines("以数据要素市场化配置改革赋能城市高质量发展", 20) == [
        "以数据要素市场化配置改革",
        "赋能城市高质量发展",
    ]
    lines = balanced_lines("关于二〇二五年经济运行情况和下半年工作安排的汇报材料", 20)
    assert lines == ["关于二〇二五年经济运行情况", "和下半年工作安排的汇报材料"]
    lines = balanced_lines("一二三四五六七八九十一二三四五六七八九，十", 20)
    assert not any(line[0] in NO_START for line in lines)
    assert balanced_lines("短标题", 20) == ["短标题"]


# ---- every line rule at the exact place it would bite -------------------------

FIRST_LINE = 26  # characters on a paragraph's first line (two-character indent)
FILL = "国"


def _rule_cases() -> list[str]:
    """Paragraphs that put each protected character exactly on a line boundary."""
    cases = [FILL * FIRST_LINE + mark + FILL * 6 for mark in NO_START]
    cases += [FILL * (FIRST_LINE - 1) + mark + FILL * 6 for mark in NO_END]
    for pair in ("——", "……"):
        cases += [FILL * (FIRST_LINE - 1) + pair + FILL * 6, FILL * FIRST_LINE + pair + FILL * 6]
    cases += [FILL * (FIRST_LINE - 2) + "2200亿元" + FILL * 6, FILL * (FIRST_LINE - 1) + "30%" + FILL * 6]
    return cases


def test_line_rules_hold_at_every_boundary(minimal) -> None:
    article = "---\ntitle: 禁则\n---\n\n" + "\n\n".join(_rule_cases()) + "\n"
    project = minimal(article=article)
    build(options_for(project))
    with open_pdf(project / "output/2025-01/2025-01.pdf") as pdf:
        body = [line for line in baseline_lines(pdf) if line.size == 16 and AREA_TOP - 1 < line.top < AREA_BOTTOM]
    paragraphs_found = [line for line in body if line.text.startswith(FILL) and line.x0 - AREA_LEFT > 20]
    assert len(paragraphs_found) == len(_rule_cases())
    assert not [line.text for line in body if line.text[0] in NO_START]
    assert not [line.text for line in body if line.text[-1] in NO_END]
    for first, second in pairwise(body):
        assert first.text[-1:] + second.text[:1] not in ("——", "……")
        assert not (first.text[-1].isdigit() and second.text[0] in "亿元%"), (first.text, second.text)
    for line in body[:-1]:
        if line.text.startswith(FILL) and len(line.text) > 20:
            assert abs(right_edge_error(line)) <= FLUSH, line.text


def test_extracted_text_has_no_spaces_between_chinese(tmp_path) -> None:
    """Stretched lines still extract as plain Chinese (pdfplumber's extract_text inserts a
    space wherever a gap is wider than 3 pt)."""
    project = tmp_path
    shutil.copytree(ROOT / "tests/fixtures/stress/content", project / "content")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    build(options_for(project, ids=("2025-01",)))
    with open_pdf(project / "output/2025-01/2025-01.pdf") as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages[1:])  # page 1: letter-spaced masthead
        outline = [entry[1] for entry in pdf.doc.get_outlines()]
    # Bookmarks: article titles and level-1 headings; this one carries a joiner before "——".
    assert "一、总体形势——机遇与挑战并存" in outline
    assert not [label for label in outline if "\u2060" in label]
    text = text.split("报：")[0]  # the 报尾's address and print run are spaced apart on purpose
    assert "一是高端算力芯片依赖进口，训练所需的高性能GPU供给" in text.replace("\n", "")
    assert not re.search(r"[\u4e00-\u9fff，。、；：“”] +[\u4e00-\u9fff，。、；：“”]", text)
