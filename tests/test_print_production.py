"""Print production (SPEC §5): nothing drawn over anything, black in one ink, tags, PDF/X, PDF/A.

Every check reads the built PDF (pdfplumber / pdfminer objects): glyph boxes,
colour operators, the structure tree, the output intent and the XMP packet.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdftypes import resolve1

from jianbao.build import build
from tests.conftest import ROOT, options_for

BULLETIN = """\
title: 测试简报
organizers:
  - 测试研究院
editor: 张编辑
phone: "0000-0000"
copies: 10
distribution:
  报: [甲单位, 乙单位]
"""

PARAGRAPH = "数据要素市场化配置改革是一项系统工程，需要制度、技术和市场协同推进，" * 3


def long_article(paragraphs: int, notes: int) -> str:
    """A long article whose footnotes are called in its last paragraphs (so they print on the last page)."""
    parts = ["---\ntitle: 关于数据要素市场化配置改革的调研报告\n---"]
    parts += [f"{PARAGRAPH}第{n}段。" for n in range(1, paragraphs + 1)]
    parts += [f"结尾段落第{n}句引用了一份材料[^{n}]。" for n in range(1, notes + 1)]
    parts += [
        f"[^{n}]: 第{n}条注释：材料来源于课题组调研访谈记录，数据截至本年度第二季度末。" for n in range(1, notes + 1)
    ]
    return "\n\n".join(parts) + "\n"


# (paragraphs, footnotes): last pages from nearly empty to full, one to four notes.
LENGTHS = [(n, k) for n in (6, 9, 12, 15, 18, 21, 24) for k in (1, 3)]


@pytest.fixture(scope="module")
def long_issues(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    project = tmp_path_factory.mktemp("long")
    content = project / "content"
    for number, (paragraphs, notes) in enumerate(LENGTHS, 1):
        folder = content / "issues" / f"2025-{number:02d}"
        folder.mkdir(parents=True)
        (folder / "issue.yaml").write_text(f"number: {number}\ntotal: {number}\ndate: 2025-01-{number:02d}\n")
        (folder / "01-long.md").write_text(long_article(paragraphs, notes), encoding="utf-8")
    (content / "bulletin.yaml").write_text(BULLETIN, encoding="utf-8")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    build(options_for(project, index=False))
    return sorted((project / "output").glob("*/*.pdf"))


def overlaps(a: dict, b: dict) -> bool:
    """Two glyph boxes share more than a sliver (a fifth of the smaller one)."""
    width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    if width <= 0 or height <= 0:
        return False
    smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
    return width * height > 0.2 * smaller


def glyph_collisions(page: pdfplumber.page.Page) -> list[str]:
    """Text glyphs up to 22 pt whose boxes overlap (the masthead title's 1-em boxes reach into
    the line below by design of the font box, not of the ink)."""
    chars = sorted((c for c in page.chars if c["text"].strip() and c["size"] <= 22), key=lambda c: c["top"])
    found = []
    for i, a in enumerate(chars):
        for b in chars[i + 1 :]:
            if b["top"] >= a["bottom"]:
                break
            if overlaps(a, b):
                found.append(f"“{a['text']}”与“{b['text']}”（y={a['top']:.0f}）")
    return found


@pytest.mark.slow
def test_footnotes_never_print_over_the_colophon(long_issues: list[Path]) -> None:
    last_pages_with_notes = 0
    for pdf_path in long_issues:
        with pdfplumber.open(pdf_path) as pdf:
            for page in pdf.pages:
                assert not glyph_collisions(page), (pdf_path.name, page.page_number, glyph_collisions(page)[:5])
            last = pdf.pages[-1]
            text_lines = last.extract_text_lines()
            colophon = [line for line in text_lines if "责任编辑" in line["text"]]
            notes = [line for line in text_lines if re.match(r"[①②③④]第", line["text"])]
            assert colophon, pdf_path.name
            if notes:
                last_pages_with_notes += 1
                # Notes and the 报尾 never share a band of the page, and the rule above the notes stays clear.
                colophon_top = min(line["top"] for line in text_lines if line["top"] >= colophon[0]["top"] - 60)
                assert all(line["bottom"] <= colophon_top or line["top"] >= colophon[0]["bottom"] for line in notes)
    assert last_pages_with_notes >= 3  # the fixture really puts notes on the last page


def operators(pdf_path: Path) -> list[tuple[str, list]]:
    """Every colour operator (with operands) of every page's content, forms included."""
    from pdfminer.pdfinterp import PDFContentParser
    from pdfminer.pdfpage import PDFPage
    from pdfminer.psparser import PSKeyword

    found: list[tuple[str, list]] = []
    with open(pdf_path, "rb") as handle:
        for page in PDFPage.get_pages(handle):
            streams = page.contents
            parser = PDFContentParser(streams)
            operands: list = []
            while True:
                try:
                    _, token = parser.nextobject()
                except Exception:
                    break
                if isinstance(token, PSKeyword):
                    name = token.name.decode() if isinstance(token.name, bytes) else token.name
                    if name in {"rg", "RG", "g", "G", "k", "K", "sc", "SC", "scn", "SCN", "cs", "CS"}:
                        found.append((name, operands))
                    operands = []
                else:
                    operands.append(token)
    return found


@pytest.mark.slow
def test_black_is_one_ink(sample_build: Path) -> None:
    for pdf_path in sorted((sample_build / "output").glob("*/*.pdf")):
        ops = operators(pdf_path)
        rgb_black = [o for o in ops if o[0] in ("rg", "RG") and [float(v) for v in o[1]] == [0, 0, 0]]
        assert not rgb_black, pdf_path.name
        neutral_rgb = [o for o in ops if o[0] in ("rg", "RG") and len({float(v) for v in o[1]}) == 1]
        assert not neutral_rgb, (pdf_path.name, neutral_rgb[:3])
        assert any(o[0] in ("g", "G") and float(o[1][0]) == 0 for o in ops), pdf_path.name  # black text is gray
        red = [o for o in ops if o[0] in ("scn", "sc") and len(o[1]) == 4]
        assert red and all([round(float(v), 2) for v in o[1]] == [0, 0.8, 0.8, 0] for o in red), pdf_path.name


def test_overlap_check_sees_overlaps() -> None:
    a = {"x0": 0, "x1": 10, "top": 0, "bottom": 10, "text": "甲"}
    assert overlaps(a, {**a, "x0": 3, "x1": 13})
    assert not overlaps(a, {**a, "x0": 10, "x1": 20})


# --- Tags and reading order -------------------------------------------------------------------


def structure_text(pdf: pdfplumber.PDF) -> str:
    """The document's text in structure-tree order (marked content by MCID)."""
    texts: dict[tuple[int, int], list[str]] = {}
    for page in pdf.pages:
        for char in page.chars:
            if char.get("mcid") is not None:
                texts.setdefault((page.page_number, char["mcid"]), []).append(char["text"])
    out: list[str] = []

    def walk(element: dict) -> None:
        for mcid in element.get("mcids") or []:
            out.append("".join(texts.get((element.get("page_number"), mcid), [])))
        for child in element.get("children", []):
            walk(child)

    for element in pdf.structure_tree:
        walk(element)
    return "".join(out)


def in_order(text: str, *needles: str) -> bool:
    """Each needle occurs after the previous one, and the first before the second needle's first occurrence."""
    start = 0
    for needle in needles:
        found = text.find(needle, start)
        if found < 0:
            return False
        start = found + len(needle)
    return text.find(needles[0]) < text.find(needles[1]) if len(needles) > 1 else True


@pytest.mark.slow
def test_tagged_in_reading_order(sample_build: Path) -> None:
    with pdfplumber.open(sample_build / "output/2025-09/2025-09.pdf") as pdf:
        catalog = pdf.doc.catalog
        assert catalog["Lang"] == b"zh-CN"
        assert resolve1(catalog["MarkInfo"])["Marked"] is True
        text = structure_text(pdf)
        # masthead → 本期要目 → articles (title, 编者按, headings, paragraphs, footnotes) → 报尾
        assert in_order(
            text,
            "内部资料",
            "领导学习",
            "第9期",
            "本期要目",
            "编者按：",
            "一、",
            "数据由企业提供",
            "企业眼中的营商环境",
            "报：",
            "责任编辑",
            "共印",
        ), text[:400]
        types = {element["type"] for element in _elements(pdf.structure_tree)}
        assert {"H1", "H2", "P", "Table", "L", "Figure"} <= types, types
        # Content-stream order too: page 1 gives the masthead before anything else.
        stream = "".join(c["text"] for c in pdf.pages[0].chars)
        assert stream.startswith("内部资料"), stream[:40]
        assert stream.index("领导学习") < stream.index("本期要目")


def _elements(elements: list[dict]) -> list[dict]:
    found = []
    for element in elements:
        found.append(element)
        found.extend(_elements(element.get("children", [])))
    return found


@pytest.mark.slow
def test_pdftotext_reads_in_order(sample_build: Path) -> None:
    """poppler's text extraction gives the page in reading order. (A squeezed closing quote
    still ends a line there: `halt` narrows it by positioning, while the font's width for
    it stays a full em, so poppler sees the next mark start inside it.)"""
    result = subprocess.run(
        ["pdftotext", "-layout", str(sample_build / "output/2025-09/2025-09.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    flat = re.sub(r"\s+", "", result.stdout)
    assert in_order(flat, "内部资料", "领导学习", "本期要目", "编者按：", "报：", "责任编辑")
