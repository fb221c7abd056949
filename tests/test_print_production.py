"""Print production: nothing drawn over anything, black in one ink, tags, PDF/X, PDF/A.

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

from jianbao.recipe import build
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
    build(options_for(project, index=False, docx=False, ofd=False))
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
                # The last page's notes sit above the 报尾, which closes the page (GB/T 9704): never beside,
                # under or over it.
                rows = [line for line in text_lines if re.match(r"(报|送|发|抄送|责任编辑)：", line["text"])]
                colophon_top = min(line["top"] for line in rows)
                assert all(line["bottom"] <= colophon_top for line in notes), pdf_path.name
    assert last_pages_with_notes >= 3  # the fixture really puts notes on the last page


def operators(pdf_path: Path) -> list[tuple[str, list]]:
    """Every colour operator (with operands) of every page's content stream (not inside form XObjects)."""
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


# --- PDF/X-4, PDF/A-2b, PDF/UA-1 ------------------------------------------------------------------


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Issue 2025-09 of the sample (table, chart, footnotes, 本期要目) in each variant."""
    project = tmp_path_factory.mktemp("variants")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    found = {}
    for variant in ("pdf/x-4", "pdf/a-2b", "pdf/ua-1"):
        output = project / variant.replace("/", "-")
        report = build(
            options_for(
                project, output=output, pdf_variant=variant, ids=("2025-09",), index=False, docx=False, ofd=False
            )
        )
        assert not report.failures, report.failures
        found[variant] = output / "2025-09/2025-09.pdf"
    return found


def xmp(pdf: pdfplumber.PDF) -> str:
    return resolve1(pdf.doc.catalog["Metadata"]).get_data().decode()


def xmp_value(packet: str, name: str) -> str | None:
    """A simple XMP property, written as an element or as an attribute."""
    found = re.search(rf"<{name}>([^<]*)</{name}>|{name}=\"([^\"]*)\"", packet)
    return (found[1] or found[2]) if found else None


def output_intent(pdf: pdfplumber.PDF) -> tuple[dict, bytes]:
    (intent,) = [resolve1(item) for item in resolve1(pdf.doc.catalog["OutputIntents"])]
    profile = resolve1(intent["DestOutputProfile"])
    return intent, profile.get_data()


def fonts_of(pdf: pdfplumber.PDF) -> list[dict]:
    """Every CIDFont dictionary of the file."""
    found = []
    for xref in pdf.doc.xrefs:
        for objid in xref.get_objids():
            try:
                obj = pdf.doc.getobj(objid)
            except Exception:
                continue
            if isinstance(obj, dict) and getattr(obj.get("Subtype"), "name", "").startswith("CIDFontType"):
                found.append(obj)
    return found


@pytest.mark.slow
def test_pdfx4_for_print_shops(variants: dict[str, Path]) -> None:
    with pdfplumber.open(variants["pdf/x-4"]) as pdf:
        intent, profile = output_intent(pdf)
        assert intent["S"].name == "GTS_PDFX"
        assert intent["OutputConditionIdentifier"] == b"Custom" and intent["Info"]
        assert profile[16:20] == b"CMYK" and profile[12:16] == b"prtr"  # ICC header: colour space, class
        assert xmp_value(xmp(pdf), "pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        assert pdf.doc.info[0]["Trapped"].name == "False"
        for page in pdf.pages:
            attrs = page.page_obj.attrs
            trim, bleed, media = (resolve1(attrs[key]) for key in ("TrimBox", "BleedBox", "MediaBox"))
            assert [round(v, 1) for v in trim] == [0, 0, 595.3, 841.9]  # A4
            assert bleed[0] <= trim[0] - 8 and bleed[2] >= trim[2] + 8  # 3 mm bleed
            assert media[0] <= bleed[0] and media[2] >= bleed[2]
            spaces = resolve1(resolve1(attrs["Resources"])["ColorSpace"])
            assert "DefaultRGB" in spaces  # sRGB artwork is calibrated, not device RGB
        for font in fonts_of(pdf):
            descriptor = resolve1(font["FontDescriptor"])
            assert {"FontFile", "FontFile2", "FontFile3"} & set(descriptor), font["BaseFont"]
        assert pdf.doc.catalog["Lang"] == b"zh-CN"


@pytest.mark.slow
def test_pdfx4_draws_alike(variants: dict[str, Path]) -> None:
    from tests.renderers import available, compare

    if not all(available().values()):
        pytest.skip("需要 gs、mutool（bash scripts/setup.sh --test）")
    for engine, report in compare(variants["pdf/x-4"]).items():
        assert report.bad_blocks == 0, (engine, report.worst())


@pytest.mark.slow
def test_pdfa2b_structure(variants: dict[str, Path]) -> None:
    """What can be checked here without veraPDF (README: 存档版 PDF/A)."""
    from fontTools.ttLib import TTFont

    with pdfplumber.open(variants["pdf/a-2b"]) as pdf:
        intent, profile = output_intent(pdf)
        assert intent["S"].name == "GTS_PDFA1" and profile[16:20] == b"RGB "
        meta = xmp(pdf)
        assert xmp_value(meta, "pdfaid:part") == "2" and xmp_value(meta, "pdfaid:conformance") == "B"
        info = pdf.doc.info[0]
        title = info["Title"].decode("utf-16") if info["Title"][:2] == b"\xfe\xff" else info["Title"].decode()
        assert f">{title}</rdf:li>" in meta  # Info and XMP agree
        assert "Encrypt" not in pdf.doc.xrefs[0].trailer
        # No DeviceCMYK under an RGB output intent (the red is sRGB here, black is gray).
        ops = operators(variants["pdf/a-2b"])
        assert not [o for o in ops if o[0] in ("k", "K")]
        assert not [o for o in ops if o[0] in ("cs", "CS") and "DeviceCMYK" in str(o[1])]
        # Every font embedded, and every CID it uses has a glyph (CFF: identity charset, W within).
        for font in fonts_of(pdf):
            descriptor = resolve1(font["FontDescriptor"])
            files = {"FontFile", "FontFile2", "FontFile3"} & set(descriptor)
            assert files, font["BaseFont"]
            data = resolve1(descriptor[files.pop()]).get_data()
            import io

            glyphs = TTFont(io.BytesIO(data)).getGlyphOrder()
            widths = resolve1(font.get("W", []))
            used = [widths[i] for i in range(0, len(widths), 2) if isinstance(widths[i], int)]
            assert max(used, default=0) < len(glyphs), font["BaseFont"]
            with TTFont(io.BytesIO(data)) as face:
                if "CFF " in face:
                    charset = face["CFF "].cff.topDictIndex[0].charset
                    assert all(n == f"cid{i:05d}" for i, n in enumerate(charset) if i), font["BaseFont"]


@pytest.mark.slow
def test_pdfua1(variants: dict[str, Path]) -> None:
    with pdfplumber.open(variants["pdf/ua-1"]) as pdf:
        assert xmp_value(xmp(pdf), "pdfuaid:part") == "1"
        assert resolve1(pdf.doc.catalog["ViewerPreferences"])["DisplayDocTitle"] is True
        figures = [e for e in _elements(pdf.structure_tree) if e["type"] == "Figure"]
        assert figures and all(e.get("alt_text") for e in figures), figures
