"""The OFD edition (jianbao/ofd/): the same pages as the PDF, a well-formed GB/T 33190 package.

Read back with jianbao's own parser (reader.py) and checked for structure
(check.py); every character's place compared with the PDF's (pdfplumber);
ofd.js's drawing of it is in test_ofd_browser.py. `OFD_XSD_DIR=<folder with
the standard's XSD files>` adds a validation against the schemas themselves.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from defusedxml.ElementTree import fromstring

from jianbao.errors import BuildError
from jianbao.ofd import check, edition, reader
from jianbao.ofd.drawn import Glyph, Shape
from jianbao.ofd.shapes import resolved
from jianbao.ofd.xmlwrite import deltas, element, text_codes
from jianbao.pdf.fonts import installed_families
from jianbao.recipe import build
from tests.conftest import ROOT, options_for
from tests.ofdbreak import KINDS, broken

# --- the parts, without a PDF -------------------------------------------------------------


def test_any_unicode_is_escaped_in_the_xml() -> None:
    title = '标题 & <期号> "引号" ’单引号’ 𠀀 emoji 🙂 \x07bell\ufffe'
    parsed = fromstring(f'<r xmlns:ofd="{reader.NS}">{element("Title", {"Name": title}, text=title)}</r>')
    (node,) = list(parsed)
    expected = title.replace("\x07", "").replace("\ufffe", "")
    assert node.text == expected
    assert node.get("Name") == expected


def test_deltas_write_repeats_as_g_and_read_back() -> None:
    values = [5.574, 5.573, 5.573, 5.573, 2.751, 2.751, -0.1]
    text = deltas(values)
    assert text == "5.574 g 3 5.573 2.751 2.751 -0.1"
    assert reader.numbers(text) == values


def test_text_codes_start_anew_on_a_new_line_and_around_a_character_beyond_the_bmp() -> None:
    glyphs = [
        Glyph("中", 10, 20),
        Glyph("文", 15.5, 20),
        Glyph("𠀀", 21, 20),
        Glyph("字", 26.5, 20),
        Glyph("行", 10, 30),
    ]
    codes = [fromstring(f'<r xmlns:ofd="{reader.NS}">{code}</r>')[0] for code in text_codes(glyphs, 5, 5)]
    assert [c.text for c in codes] == ["中文", "𠀀", "字", "行"]
    assert [(c.get("X"), c.get("Y"), c.get("DeltaX")) for c in codes] == [
        ("5", "15", "5.5"),
        ("16", "15", None),
        ("21.5", "15", None),
        ("5", "25", None),
    ]


def _rect(left: float, top: float, right: float, bottom: float) -> list[tuple[str, tuple[float, ...]]]:
    return [("M", (left, top)), ("L", (right, top)), ("L", (right, bottom)), ("L", (left, bottom)), ("C", ())]


def test_a_border_frame_is_written_as_the_band_it_inks() -> None:
    # WeasyPrint's bottom border: a frame (outer box, inner box) filled even-odd through a clip.
    frame = Shape((*_rect(28, 100, 184, 160.95), *_rect(28, 100, 184, 160.6)), (0, 0, 0), None, even_odd=True)
    band = resolved(replace(frame, clips=(tuple(_rect(28, 160.6, 184, 160.95)),)))
    assert band is not None and not band.even_odd and not band.clips
    assert band.commands == tuple(_rect(28, 160.6, 184, 160.95))
    # A one-side border: a box of no height and the rule's box.
    rule = resolved(
        Shape((*_rect(28, 108.49, 184, 108.49), *_rect(28, 108.49, 184, 109.196)), (240, 89, 62), None, even_odd=True)
    )
    assert rule is not None and rule.commands == tuple(_rect(28, 108.49, 184, 109.196))


def test_a_path_that_is_not_rectangles_keeps_its_rule_and_clip() -> None:
    triangle = (("M", (0.0, 0.0)), ("L", (10.0, 0.0)), ("L", (5.0, 8.0)), ("C", ()))
    shape = Shape(triangle, (0, 0, 0), None, even_odd=True, clips=(tuple(_rect(0, 0, 6, 6)),))
    assert resolved(shape) == shape


@pytest.mark.parametrize(
    "loc", ["../../evil.xml", "/../evil.xml", "http://example.com/x.otf", "file:///etc/passwd", "C:\\x"]
)
def test_locations_never_leave_the_package(loc: str) -> None:
    assert reader.resolve("Doc_0", loc) == ""


def test_a_file_that_is_not_an_ofd_is_one_line() -> None:
    with pytest.raises(BuildError, match="不是 OFD 文件"):
        reader.read_ofd(b"not a zip")
    assert check.problems(b"not a zip") == ["不是 OFD 文件（无法作为 zip 打开：File is not a zip file）"]


# --- the sample issues' editions ----------------------------------------------------------


def editions(project: Path) -> list[tuple[Path, Path]]:
    pairs = [(pdf, pdf.with_suffix(".ofd")) for pdf in sorted((project / "output").glob("*/*.pdf"))]
    assert len(pairs) >= 3
    return pairs


def unmatched_share(pdf_path: Path, ofd: bytes) -> tuple[float, list[int]]:
    """The share of the PDF's characters whose OFD character is missing or more than 0.05 mm off, and the
    page counts (PDF, OFD). Positions are the glyph origins (pdfplumber's text matrix)."""
    document = reader.read_ofd(ofd)
    with pdfplumber.open(pdf_path) as pdf:
        counts = [len(pdf.pages), len(document.pages)]
        total = unmatched = 0
        for page, drawn in zip(pdf.pages, document.pages, strict=False):
            places = Counter((c.char, round(c.x, 1), round(c.y, 1)) for c in drawn.chars)
            for char in page.chars:
                if not char["text"].strip():
                    continue
                total += 1
                x, y = char["matrix"][4] / 72 * 25.4, (float(page.height) - char["matrix"][5]) / 72 * 25.4
                # A ligature is one glyph for several characters ("——"): its first one is at the glyph's origin.
                key = next((k for k in _near(char["text"][0], x, y) if places[k] > 0), None)
                if key is None:
                    unmatched += 1
                else:
                    places[key] -= 1
    return unmatched / max(total, 1), counts


def _near(text: str, x: float, y: float) -> list[tuple[str, float, float]]:
    """Keys within 0.05 mm of (x, y) at the 0.1 mm rounding."""
    return [(text, round(x + dx, 1), round(y + dy, 1)) for dx in (0, -0.05, 0.05) for dy in (0, -0.05, 0.05)]


@pytest.mark.slow
def test_every_character_sits_where_the_pdf_puts_it(sample_build: Path) -> None:
    for pdf, ofd in editions(sample_build):
        share, (pdf_pages, ofd_pages) = unmatched_share(pdf, ofd.read_bytes())
        assert pdf_pages == ofd_pages, pdf.name
        assert share < 0.002, (pdf.name, share)


@pytest.mark.slow
def test_the_package_is_well_formed(sample_build: Path) -> None:
    for _, ofd in editions(sample_build):
        assert check.problems(ofd.read_bytes()) == [], ofd.name


@pytest.mark.slow
def test_document_info_and_outline(sample_build: Path) -> None:
    ofd = sample_build / "output/2025-09/2025-09.ofd"
    document = reader.read_ofd(ofd.read_bytes())
    assert document.info["Title"] == "领导学习 2025年第9期（总第145期）"
    assert document.info["Author"] == "太湖研究院、太湖发展智库"
    assert document.info["CreationDate"] == document.info["ModDate"] == "2025-06-17"
    assert document.info["Creator"] == "jianbao" and document.info["CreatorVersion"]
    assert len(document.info["DocID"]) == 32
    assert document.custom["期号"] == "9" and document.custom["总期号"] == "145"
    assert document.page_box == (0, 0, 210, 297)
    articles = [entry for entry in document.outline if entry.children]
    assert [a.title for a in articles][:2] == [
        "以“人工智能+”行动推动制造业智能化改造提速增效",
        "发展银发经济要在“供得好”上下功夫",
    ]
    assert [h.title for h in articles[0].children] == [
        "一、智能化改造取得阶段性进展",
        "二、推进中遇到的主要问题",
        "三、对策建议",
    ]
    assert all(0 <= entry.page < len(document.pages) for entry in articles)


@pytest.mark.slow
def test_fonts_are_embedded_subsets_named_by_installed_families(sample_build: Path) -> None:
    installed = installed_families()
    for _, ofd in editions(sample_build):
        data = ofd.read_bytes()
        document = reader.read_ofd(data)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for font in document.fonts.values():
                assert font.file, font
                assert package.getinfo(font.file).file_size < 400_000, font  # a subset, not a whole CJK face
                assert font.family in installed, font


@pytest.mark.slow
def test_rules_colours_and_layers(sample_build: Path) -> None:
    """Page 1: the masthead's red rule as a filled 156 mm band, the title in red; the 报尾's rules on the last
    page; the colour space RGB; no even-odd fill (ofd.js ignores the rule)."""
    data = (sample_build / "output/2025-08/2025-08.ofd").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        first = package.read("Doc_0/Pages/Page_0/Content.xml").decode()
        last = package.read(sorted(n for n in package.namelist() if n.endswith("Content.xml"))[-1]).decode()
        public = package.read("Doc_0/PublicRes.xml").decode()
    assert 'Type="RGB"' in public
    page = fromstring(first.encode())
    q = reader.Q
    red = [p for p in page.iter(q + "PathObject") if p.find(q + "FillColor").get("Value") == "240 89 62"]
    assert red and reader.numbers(red[0].get("Boundary"))[2] == pytest.approx(156, abs=0.01)
    assert any(t.find(q + "FillColor").get("Value") == "240 89 62" for t in page.iter(q + "TextObject"))
    rules = [reader.numbers(p.get("Boundary")) for p in fromstring(last.encode()).iter(q + "PathObject")]
    thick = [box for box in rules if box[2] == pytest.approx(156, abs=0.01) and box[3] == pytest.approx(0.35, abs=0.02)]
    assert len(thick) >= 2, rules  # the 报尾's top and bottom rules (0.35 mm)
    assert "Even-Odd" not in first + last


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_the_checks_catch_a_broken_ofd(sample_build: Path, kind: str) -> None:
    pdf = sample_build / "output/2025-07/2025-07.pdf"
    data = broken(pdf.with_suffix(".ofd").read_bytes(), kind)
    share, (pdf_pages, ofd_pages) = unmatched_share(pdf, data) if kind != "missing-font" else (0.0, (1, 1))
    problems = check.problems(data)
    caught = {
        "missing-font": any("不在包中" in p for p in problems),
        "wrong-deltax": share >= 0.002,
        "missing-page": ofd_pages < pdf_pages,
    }
    assert caught[kind], (kind, problems, share)


@pytest.mark.slow
def test_ofd_info_lists_pages_and_text(sample_build: Path) -> None:
    ofd = sample_build / "output/2025-08/2025-08.ofd"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "ofd-info", str(ofd)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "标题：领导学习 2025年第8期（总第144期）" in result.stdout
    assert "页数：3（页面 210 × 297 mm）" in result.stdout
    assert "—— 第 3 页 ——" in result.stdout and "以数据要素市场化配置改革" in result.stdout
    broken_file = ofd.parent / "broken.ofd"
    broken_file.write_bytes(broken(ofd.read_bytes(), "missing-font"))
    try:
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "ofd-info", "-q", str(broken_file)],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        broken_file.unlink()
    assert result.returncode == 1 and "问题：" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_no_ofd_builds_none_and_links_none(project: Path) -> None:
    report = build(options_for(project, ids=("2025-07",), ofd=False, index=False))
    assert not report.failures
    folder = project / "output/2025-07"
    assert (folder / "2025-07.pdf").is_file() and not (folder / "2025-07.ofd").exists()
    assert "OFD 版" not in (folder / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_failed_ofd_keeps_the_pdf_and_is_reported(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(pdf: bytes, info: object) -> bytes:
        raise BuildError("OFD：测试中的故障")

    monkeypatch.setattr(edition, "make_ofd", fail)
    report = build(options_for(project, ids=("2025-07",), jobs=1, index=False))
    folder = project / "output/2025-07"
    assert not report.failures and report.edition_failures["2025-07"][".ofd"].message == "OFD：测试中的故障"
    assert (folder / "2025-07.pdf").is_file() and not (folder / "2025-07.ofd").exists()
    monkeypatch.undo()
    again = build(options_for(project, ids=("2025-07",), jobs=1, index=False))  # made again, not cached away
    assert again.rendered == ["2025-07"] and (folder / "2025-07.ofd").is_file()


@pytest.mark.slow
def test_the_issue_page_links_the_ofd_and_publish_carries_it(sample_build: Path, tmp_path: Path) -> None:
    from jianbao.commands.publish import publish_site

    page = (sample_build / "output/2025-08/index.html").read_text(encoding="utf-8")
    assert 'href="2025-08.ofd"' in page and "OFD 版" in page
    publish_site(sample_build / "output", tmp_path / "www")
    assert (tmp_path / "www/2025-08/2025-08.ofd").read_bytes() == (
        sample_build / "output/2025-08/2025-08.ofd"
    ).read_bytes()


XSD_DIR = os.environ.get("OFD_XSD_DIR", "")


@pytest.mark.slow
@pytest.mark.skipif(not XSD_DIR, reason="OFD_XSD_DIR 未设置（GB/T 33190 附录的 XSD 文件不随项目分发）")
def test_the_package_validates_against_the_standards_schemas(sample_build: Path) -> None:
    from lxml import etree

    schemas = {
        name: etree.XMLSchema(etree.parse(f"{XSD_DIR}/{name}.xsd")) for name in ("OFD", "Document", "Page", "Res")
    }
    for _, ofd in editions(sample_build):
        with zipfile.ZipFile(ofd) as package:
            for name in (n for n in package.namelist() if n.endswith(".xml")):
                root = etree.fromstring(package.read(name))
                schema = schemas[etree.QName(root).localname]
                assert schema.validate(root), (ofd.name, name, [str(e) for e in schema.error_log][:3])


@pytest.mark.slow
def test_a_pdfx_issue_gives_the_same_a4_pages_without_the_bleed(sample_build: Path, project: Path) -> None:
    build(options_for(project, ids=("2025-08",), pdf_variant="pdf/x-4", index=False))
    press = reader.read_ofd((project / "output/2025-08/2025-08.ofd").read_bytes())
    plain = reader.read_ofd((sample_build / "output/2025-08/2025-08.ofd").read_bytes())
    assert press.page_box == (0, 0, 210, 297)
    for a, b in zip(press.pages, plain.pages, strict=True):
        assert [(c.char, round(c.x, 1), round(c.y, 1)) for c in a.chars] == [
            (c.char, round(c.x, 1), round(c.y, 1)) for c in b.chars
        ]


def test_a_ligature_is_one_glyph_through_a_cgtransform() -> None:
    glyphs = [Glyph("势", 10, 20), Glyph("—", 15.6, 20, joined=2), Glyph("—", 20.3, 20), Glyph("机", 25, 20)]
    (transform, code) = [
        fromstring(f'<r xmlns:ofd="{reader.NS}">{c}</r>')[0] for c in text_codes(glyphs, 0, 0, {"——": 7})
    ]
    assert transform.tag == reader.Q + "CGTransform" and code.text == "势——机"
    assert (transform.get("CodePosition"), transform.get("CodeCount"), transform.get("GlyphCount")) == ("1", "2", "1")
    assert transform.find(reader.Q + "Glyphs").text == "7"


LIGATURES = """---
title: 连字与表格
---

## 总体形势——机遇与挑战并存

| 区县 | 5G远程会诊（人次） | 基层就诊率 |
|---|---|---|
| 湖滨区 | 3,120 | 83.2% |
"""


@pytest.mark.slow
def test_a_dash_ligature_keeps_its_glyph_and_every_character_its_code(minimal: Callable[..., Path]) -> None:
    """黑体 draws "——" as one long dash and the table's digits as tabular forms: glyphs the PDF's font subset
    maps to no character. The OFD's font is cut from the installed face, with the long dash for the
    CGTransform; every character stays mapped."""
    from fontTools.ttLib import TTFont

    project = minimal(article=LIGATURES)
    report = build(options_for(project, index=False))
    assert not report.failures and not report.edition_failures, report.edition_failures
    pdf = project / "output/2025-01/2025-01.pdf"
    data = pdf.with_suffix(".ofd").read_bytes()
    assert check.problems(data) == []
    assert unmatched_share(pdf, data)[0] < 0.002
    document = reader.read_ofd(data)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        pages = [fromstring(package.read(page.path)) for page in document.pages]
        (transform,) = [t for page in pages for t in page.iter(reader.Q + "CGTransform")]
        glyph = int(transform.find(reader.Q + "Glyphs").text)
        heading = next(f for f in document.fonts.values() if f.family == "Noto Sans CJK SC")
        face = TTFont(io.BytesIO(package.read(heading.file)))
    widths = face["hmtx"].metrics
    order = face.getGlyphOrder()
    assert widths[order[glyph]][0] > 1.5 * widths[face.getBestCmap()[0x2014]][0]  # the long dash, not an em dash


@pytest.mark.slow
def test_the_command_line_reports_a_failed_ofd_like_a_failed_pdf(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from jianbao.cli.main import main

    def fail(pdf: bytes, info: object) -> bytes:
        raise BuildError("OFD：测试中的故障")

    monkeypatch.setattr(edition, "make_ofd", fail)  # before the render workers are forked
    paths = ["--content", str(project / "content"), "--layouts", str(project / "layouts")]
    code = main(["build", "2025-07", *paths, "--output", str(project / "output")])
    err = capsys.readouterr().err
    assert code == 1 and "错误：2025-07 的 OFD 版生成失败（PDF 已生成）：OFD：测试中的故障" in err
    assert (project / "output/2025-07/2025-07.pdf").is_file() and not (project / "output/2025-07/2025-07.ofd").exists()
