"""The Word edition as a package: sound parts and references, the page set-up of issue 23, fonts by role
embedded and obfuscated, footnotes, lists, tables and pictures as Word keeps them; same issue, same bytes."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fontTools.ttLib import TTFont

from jianbao.docx.fonts import characters_by_face
from tests.conftest import MINIMAL_BULLETIN
from tests.docxcheck import RICH, W, deobfuscate, edition, embedded_fonts, package_problems, write_rich

ISSUE = "2025-01"


@pytest.fixture
def rich(minimal: Callable[..., Path]) -> Path:
    return write_rich(minimal(article=RICH))


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(data: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(data)


def test_the_edition_is_a_sound_package(rich: Path, tmp_path: Path) -> None:
    path = tmp_path / "issue.docx"
    path.write_bytes(edition(rich))
    assert package_problems(path) == []


def test_the_package_check_catches_a_broken_edition(rich: Path, tmp_path: Path) -> None:
    """A footnote reference without its footnote, a part without a content type, a missing picture:
    each is reported (the check can fail)."""
    good = parts(edition(rich))
    notes = good["word/footnotes.xml"].decode()
    broken = dict(good)
    broken["word/footnotes.xml"] = re.sub(r'<w:footnote w:id="2">.*?</w:footnote>', "", notes, flags=re.S).encode()
    broken["word/extra.bin"] = b"?"
    del broken["word/media/image1.png"]
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in broken.items():
            archive.writestr(name, data)
    problems = package_problems(path)
    assert any("footnote reference 2 has no footnote" in p for p in problems), problems
    assert any("word/extra.bin has no content type" in p for p in problems), problems
    assert any("missing part word/media/image1.png" in p for p in problems), problems


def test_page_setup_grid_and_page_numbers(rich: Path) -> None:
    """A4, 37/26/35/28 mm, a lines-only grid of 28.95 pt, odd footers right and even left, “— PAGE —”."""
    files = parts(edition(rich))
    body = xml(files["word/document.xml"]).find(f"{W}body")
    assert body is not None
    sections = list(body.iter(f"{W}sectPr"))
    assert len(sections) == 2  # one per article: its footnotes restart at ①
    for section in sections:
        size, margins, grid = (section.find(f"{W}{tag}") for tag in ("pgSz", "pgMar", "docGrid"))
        assert size is not None and margins is not None and grid is not None
        assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
        assert [margins.get(f"{W}{side}") for side in ("top", "right", "bottom", "left")] == [
            "2098",
            "1474",
            "1984",
            "1587",
        ]
        assert (grid.get(f"{W}type"), grid.get(f"{W}linePitch")) == ("lines", "579")
        assert {r.get(f"{W}type") for r in section.iter(f"{W}footerReference")} == {"default", "even"}
        restart = section.find(f"{W}footnotePr/{W}numRestart")
        assert restart is not None and restart.get(f"{W}val") == "eachSect"
    assert b"<w:evenAndOddHeaders/>" in files["word/settings.xml"]
    for name, side in (("word/footer1.xml", "right"), ("word/footer2.xml", "left")):
        footer = xml(files[name])
        align = footer.find(f".//{W}jc")
        assert align is not None and align.get(f"{W}val") == side
        assert [f.get(f"{W}instr") for f in footer.iter(f"{W}fldSimple")] == [" PAGE "]
        assert "".join(t.text or "" for t in footer.iter(f"{W}t")).replace("1", "") == "—  —"
    styles = files["word/styles.xml"].decode()
    assert re.search(r'w:styleId="Footer">.*?<w:sz w:val="28"/>', styles, re.S)  # 4号


def test_real_footnotes_numbered_per_article(rich: Path) -> None:
    files = parts(edition(rich))
    document, notes = xml(files["word/document.xml"]), xml(files["word/footnotes.xml"])
    texts = {n.get(f"{W}id"): "".join(t.text or "" for t in n.iter(f"{W}t")) for n in notes.iter(f"{W}footnote")}
    calls = [r.get(f"{W}id") for r in document.iter(f"{W}footnoteReference")]
    assert [texts[c] for c in calls] == ["据市数据局统计。", "调查于今年3月开展。", "第二篇的注释。"]
    # The note's second call shows the same ①, a NOTEREF field to the bookmark on the first.
    runs = list(document.iter(f"{W}r"))
    (start,) = [n for n, r in enumerate(runs) if "NOTEREF" in (r.findtext(f"{W}instrText") or "")]
    assert runs[start + 1].find(f"{W}fldChar") is not None and runs[start + 2].findtext(f"{W}t") == "①"
    fmt = xml(files["word/settings.xml"]).find(f".//{W}footnotePr/{W}numFmt")
    assert fmt is not None and fmt.get(f"{W}val") == "decimalEnclosedCircle"


def test_tables_lists_figures_and_head(rich: Path) -> None:
    document = xml(parts(edition(rich))["word/document.xml"])
    paragraphs = [(p.findtext(f"{W}pPr/{W}pStyle/[@{W}val]") or "", p) for p in document.iter(f"{W}p")]
    styled = [(p.find(f"{W}pPr/{W}pStyle"), "".join(t.text or "" for t in p.iter(f"{W}t"))) for _, p in paragraphs]
    by_style = [(s.get(f"{W}val") if s is not None else "", text) for s, text in styled if text]
    assert ("Heading1", "关于数据要素市场化配置改革的调研报告") in by_style
    assert ("Subtitle", "——以江南市为例") in by_style and ("Author", "市发展研究中心课题组") in by_style
    assert ("EditorNote", "编者按：本文根据调研整理。") in by_style
    assert ("Heading2", "一、主要做法") in by_style and ("Heading3", "（一）建立授权运营机制") in by_style
    assert ("Caption", "表1　各区数据产品挂牌情况") in by_style and ("Caption", "图1　各区数据产品数量") in by_style
    assert ("Source", "（来源：《江南观察》2025年第1期）") in by_style
    (table,) = document.iter(f"{W}tbl")
    rows = list(table.iter(f"{W}tr"))
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None and rows[1].find(f"{W}trPr/{W}tblHeader") is None
    aligns = [c.find(f".//{W}jc") for c in rows[1].iter(f"{W}tc")]
    assert [a.get(f"{W}val") if a is not None else None for a in aligns] == ["left", "right", None]  # `---`: none
    items = [p for _, p in paragraphs if p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(items) == 2
    (extent,) = document.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    assert (extent.get("cx"), extent.get("cy")) == (str(400 * 9525), str(200 * 9525))  # the PDF's 400 × 200 px


def test_fonts_by_role_embedded_subset_and_obfuscated(rich: Path) -> None:
    files = parts(edition(rich))
    table = xml(files["word/fontTable.xml"])
    styles = files["word/styles.xml"].decode()
    fang = re.search(r'<w:rPrDefault><w:rPr><w:rFonts w:ascii="([^"]+)"', styles)  # the body's face
    assert fang is not None
    entries = {f.get(f"{W}name"): f for f in table.iter(f"{W}font")}
    body = entries[fang.group(1)]
    alt = body.find(f"{W}altName")
    assert alt is not None and alt.get(f"{W}val", "").startswith("仿宋_GB2312")
    embed = body.find(f"{W}embedRegular")
    assert embed is not None and embed.get(f"{W}subsetted") == "1"
    raw = embedded_part(files, embed)
    key = embed.get(f"{W}fontKey") or ""
    font = TTFont(io.BytesIO(deobfuscate(raw, key)))
    assert raw[:4] != deobfuscate(raw, key)[:4]  # stored obfuscated
    assert font["name"].getDebugName(1) == fang.group(1)
    used = characters_by_face(styles, [files["word/document.xml"], files["word/footnotes.xml"]])
    cmap = {chr(c) for c in font.getBestCmap()}
    with TTFont("/usr/local/share/fonts/fandol/FandolFang-Regular.otf", lazy=True) as whole:
        drawable = {chr(c) for c in whole.getBestCmap()}
    assert (used[fang.group(1)] & drawable) - {" "} <= cmap  # every character of the text it can draw
    assert len(cmap) < 1000  # a subset, not the whole face


def test_colophon_rows_break_after_names_and_lines_stay_flush_left(minimal: Callable[..., Path]) -> None:
    """Word would break 市委副书|记 and stretch a line ended by a break: the rows come cut as the PDF cuts them."""
    names = "、".join(["市委书记", "市长", "市人大常委会主任", "市政协主席", "市委副书记", "市中级人民法院院长"] * 3)
    bulletin = MINIMAL_BULLETIN.replace("报: [甲单位, 乙单位]", f"报: {names}")
    document = xml(parts(edition(minimal(bulletin=bulletin)))["word/document.xml"])
    (row,) = [p for p in document.iter(f"{W}p") if "".join(t.text or "" for t in p.iter(f"{W}t")).startswith("报：")]
    lines = "".join(
        "\n" if node.tag == f"{W}br" else node.text or "" for node in row.iter() if node.tag in (f"{W}t", f"{W}br")
    )
    lines = lines.removeprefix("报：").split("\n")
    assert len(lines) >= 3 and "".join(lines) == names + "。"
    assert all(line.endswith("、") for line in lines[:-1]), lines
    assert all(len(line) <= 27 for line in lines), lines  # 31 characters of 4号 in the 版心, less 报： and the margins
    assert row.find(f"{W}pPr/{W}jc").get(f"{W}val") == "left"


def test_same_issue_same_bytes(rich: Path) -> None:
    assert edition(rich) == edition(rich)


def test_a_licensed_font_is_named_not_embedded(rich: Path) -> None:
    """A 仿宋 font the office put into fonts/ is what the body asks for; its licence is the office's: not embedded."""
    fonts = rich / "fonts"
    fonts.mkdir()
    shutil.copy("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", fonts / "FS_GB2312.ttf")
    files = parts(edition(rich))
    assert '<w:rFonts w:ascii="Liberation Sans" w:eastAsia="Liberation Sans"' in files["word/styles.xml"].decode()
    entry = next(f for f in xml(files["word/fontTable.xml"]).iter(f"{W}font") if f.get(f"{W}name") == "Liberation Sans")
    assert not [e for e in entry if e.tag.startswith(f"{W}embed")]


@pytest.mark.slow
def test_sample_editions_are_sound_packages(sample_build: Path) -> None:
    paths = sorted((sample_build / "output").glob("*/*.docx"))
    assert [p.name for p in paths] == ["2025-07.docx", "2025-08.docx", "2025-09.docx"]
    for path in paths:
        assert package_problems(path) == [], path
        families = {name.rsplit(" jb", 1)[0] for name in embedded_fonts(path)}
        assert families >= {"FandolFang R", "LXGW WenKai", "Noto Sans CJK SC GB2312", "Noto Serif CJK SC GB2312"}


def embedded_part(files: dict[str, bytes], embed: ElementTree.Element) -> bytes:
    """The font part an embed element's relationship points at."""
    rel_id = embed.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    rels = xml(files["word/_rels/fontTable.xml.rels"])
    target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
    return files[f"word/{target}"]
