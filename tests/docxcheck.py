"""Judging a Word edition: as a package (parts, relationships, references) and as LibreOffice draws it.

`package_problems` re-opens the .docx with python-docx and checks what Word
would trip over: a part named in [Content_Types].xml or a relationship that
is missing, a style, list, footnote or bookmark used but not defined, an
embedded font that is not a font once de-obfuscated. `convert` has
LibreOffice (headless, with a profile of its own) turn .docx files into
PDFs in one run; `rendering_problems` compares such a PDF with jianbao's.
"""

from __future__ import annotations

import difflib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from posixpath import dirname, join, normpath
from xml.etree import ElementTree

import pdfplumber

from jianbao.docx.document import write_docx
from jianbao.docx.fonts import word_faces
from jianbao.markup import load_content
from jianbao.pdf.fonts import resolve_fonts
from tests.docxmaker import png

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ISSUE = "2025-01"  # the minimal project's issue (tests/conftest.py)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def package_problems(path: Path) -> list[str]:
    """What is wrong with the .docx as a package; [] when nothing is."""
    from docx import Document

    problems: list[str] = []
    try:
        Document(str(path))
    except Exception as exc:  # python-docx raises many kinds
        problems.append(f"python-docx cannot open it: {type(exc).__name__}: {exc}")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
        for override in types.iter(f"{CT}Override"):
            part = (override.get("PartName") or "").lstrip("/")
            if part not in names:
                problems.append(f"[Content_Types].xml names a missing part {part}")
        defaults = {d.get("Extension") for d in types.iter(f"{CT}Default")}
        overridden = {(o.get("PartName") or "").lstrip("/") for o in types.iter(f"{CT}Override")}
        for name in names:
            if not name.endswith("/") and name not in overridden and name.rsplit(".", 1)[-1] not in defaults:
                problems.append(f"{name} has no content type")
        for rels in (n for n in names if n.endswith(".rels")):
            source_dir = dirname(dirname(rels))
            for rel in ElementTree.fromstring(archive.read(rels)).iter(f"{PR}Relationship"):
                if rel.get("TargetMode") == "External":
                    continue
                target = normpath(join(source_dir, rel.get("Target") or ""))
                if target not in names:
                    problems.append(f"{rels}: {rel.get('Id')} points at a missing part {target}")
        problems += reference_problems(archive)
        problems += font_problems(archive)
    return problems


def part_ids(archive: zipfile.ZipFile, name: str, tag: str, attribute: str) -> set[str | None]:
    """The `attribute` of every `tag` element in the part `name` (none when the package lacks the part)."""
    if name not in archive.namelist():
        return set()
    return {element.get(f"{W}{attribute}") for element in ElementTree.fromstring(archive.read(name)).iter(f"{W}{tag}")}


def reference_problems(archive: zipfile.ZipFile) -> list[str]:
    """Styles, lists, footnotes and bookmarks the text uses but the document does not define."""
    problems = []
    document = ElementTree.fromstring(archive.read("word/document.xml"))
    parts = [document] + [
        ElementTree.fromstring(archive.read(name))
        for name in archive.namelist()
        if re.fullmatch(r"word/(footnotes|footer\d+)\.xml", name)
    ]
    styles = ElementTree.fromstring(archive.read("word/styles.xml"))
    defined = {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")}
    for part in parts:
        for tag in ("pStyle", "rStyle", "tblStyle"):
            for element in part.iter(f"{W}{tag}"):
                if element.get(f"{W}val") not in defined:
                    problems.append(f"style {element.get(f'{W}val')} is used but not defined")
    note_ids = part_ids(archive, "word/footnotes.xml", "footnote", "id")
    for reference in document.iter(f"{W}footnoteReference"):
        if reference.get(f"{W}id") not in note_ids:
            problems.append(f"footnote reference {reference.get(f'{W}id')} has no footnote")
    num_ids = part_ids(archive, "word/numbering.xml", "num", "numId")
    for num in document.iter(f"{W}numId"):
        if num.get(f"{W}val") not in num_ids:
            problems.append(f"list {num.get(f'{W}val')} is not in numbering.xml")
    marks = {b.get(f"{W}name") for part in parts for b in part.iter(f"{W}bookmarkStart")}
    for part in parts:
        instructions = [f.get(f"{W}instr") or "" for f in part.iter(f"{W}fldSimple")]
        instructions += [i.text or "" for i in part.iter(f"{W}instrText")]
        for instruction in instructions:
            words = instruction.split()
            if words and words[0] in ("PAGEREF", "NOTEREF") and words[1] not in marks:
                problems.append(f"{words[0]} {words[1]} points at no bookmark")
        for link in part.iter(f"{W}hyperlink"):
            anchor = link.get(f"{W}anchor")
            if anchor and anchor not in marks:
                problems.append(f"link to a missing bookmark {anchor}")
    return problems


def font_problems(archive: zipfile.ZipFile) -> list[str]:
    """Every embedded font must de-obfuscate (with its fontKey) into a font named as its fontTable entry."""
    from fontTools.ttLib import TTFont

    problems = []
    if "word/fontTable.xml" not in archive.namelist():
        return problems
    table = ElementTree.fromstring(archive.read("word/fontTable.xml"))
    rels = (
        {
            rel.get("Id"): normpath(join("word", rel.get("Target") or ""))
            for rel in ElementTree.fromstring(archive.read("word/_rels/fontTable.xml.rels")).iter(f"{PR}Relationship")
        }
        if "word/_rels/fontTable.xml.rels" in archive.namelist()
        else {}
    )
    for font in table.iter(f"{W}font"):
        for embed in list(font):
            if not embed.tag.startswith(f"{W}embed"):
                continue
            data = archive.read(rels[embed.get(f"{R}id")])
            try:
                with TTFont(io.BytesIO(deobfuscate(data, embed.get(f"{W}fontKey") or ""))) as parsed:
                    family = parsed["name"].getDebugName(1)
            except Exception as exc:
                problems.append(f"embedded font {font.get(f'{W}name')} is not a font: {exc}")
                continue
            if family != font.get(f"{W}name"):
                problems.append(f"embedded font {font.get(f'{W}name')} is named {family}")
    return problems


def deobfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1 §17.8.1, read as a consumer reads it (the key's bytes from the end of the GUID)."""
    guid = bytes.fromhex(re.sub(r"[{}-]", "", key))[::-1]
    return bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32])) + data[32:]


def embedded_fonts(path: Path) -> dict[str, int]:
    """Family name → size in bytes of every font embedded in the .docx."""
    with zipfile.ZipFile(path) as archive:
        table = ElementTree.fromstring(archive.read("word/fontTable.xml"))
        rels = {
            rel.get("Id"): normpath(join("word", rel.get("Target") or ""))
            for rel in ElementTree.fromstring(archive.read("word/_rels/fontTable.xml.rels")).iter(f"{PR}Relationship")
        }
        return {
            font.get(f"{W}name") or "": archive.getinfo(rels[embed.get(f"{R}id")]).file_size
            for font in table.iter(f"{W}font")
            for embed in font
            if embed.tag.startswith(f"{W}embed")
        }


def convert(paths: list[Path], outdir: Path, profile: Path, env: dict[str, str] | None = None) -> dict[Path, Path]:
    """Convert the .docx files to PDF with LibreOffice in one run; each source → its PDF."""
    assert SOFFICE, "LibreOffice is missing: bash scripts/setup.sh --test installs libreoffice-writer-nogui"
    command = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
    subprocess.run(
        [*command, "--outdir", str(outdir), *map(str, paths)], check=True, capture_output=True, env=env, timeout=180
    )
    return {path: outdir / f"{path.stem}.pdf" for path in paths}


def cjk(text: str) -> str:
    """Only the Chinese characters, in order (what the two layouts must agree on)."""
    return "".join(_CJK.findall(text))


def rendering_problems(drawn: Path, printed: Path, titles: list[str], notes: list[str], masthead: str) -> list[str]:
    """How LibreOffice's drawing of the .docx (`drawn`) differs from jianbao's PDF (`printed`) beyond what issue 23
    allows: pages ±1, the masthead on page 1, the 报尾 in the bottom third of the last page, every title and
    footnote there, the Chinese text at least 98 % alike."""
    problems = []
    with pdfplumber.open(drawn) as ours, pdfplumber.open(printed) as theirs:
        if abs(len(ours.pages) - len(theirs.pages)) > 1:
            problems.append(f"{len(ours.pages)} pages, the PDF has {len(theirs.pages)}")
        texts = [page.extract_text() or "" for page in ours.pages]
        first = cjk(texts[0]) if texts else ""
        if cjk(masthead) not in first:
            problems.append(f"the masthead {masthead} is not on page 1")
        last = ours.pages[-1]
        copies = [w for w in last.extract_words() if "共印" in w["text"]]
        if not copies:
            problems.append("no 报尾 (共印) on the last page")
        elif copies[0]["top"] < last.height * 2 / 3:
            problems.append(f"the 报尾 is not in the bottom third of the last page (共印 at {copies[0]['top']:.0f} pt)")
        whole = cjk("".join(texts))
        for text in [*titles, *notes]:
            if cjk(text) not in whole:
                problems.append(f"missing: {text}")
        theirs_text = cjk("".join(page.extract_text() or "" for page in theirs.pages))
        # Footnotes print at the foot of whichever page their call falls on: the two paginations put
        # them at different places in the text, so they are compared above, and left out here.
        body, theirs_body = whole, theirs_text
        for note in notes:
            body, theirs_body = body.replace(cjk(note), ""), theirs_body.replace(cjk(note), "")
        ratio = difflib.SequenceMatcher(None, body, theirs_body, autojunk=False).ratio()
        if ratio < 0.98:
            problems.append(f"Chinese text only {ratio:.1%} alike")
    return problems


# ---- A rich issue for the writer's and the importer's tests ----------------------------------------

RICH = """\
---
title: 关于数据要素市场化配置改革的调研报告
subtitle: ——以江南市为例
author: 市发展研究中心课题组
note: 本文根据调研整理。
source: 《江南观察》2025年第1期
---

数据已成为新型生产要素[^1]。各地探索授权运营，成效初显[^2]。

## 主要做法

### 建立授权运营机制

表：各区数据产品挂牌情况

| 区 | 产品数 | 增长 |
|:---|---:|---|
| 湖滨区 | 12 | 50.0% |
| 高新区 | 9 | 12.5% |

主要问题有：

1. **权属不清。**部分单位“不敢给”。
2. **质量不高。**标准不统一[^1]。

![各区数据产品数量](images/chart.png)

> 数据要“供得出、流得动、用得好”。

[^1]: 据市数据局统计。
[^2]: 调查于今年3月开展。
"""
SECOND = """\
---
title: 第二篇文章
---

第二篇的正文[^1]。

[^1]: 第二篇的注释。
"""


def write_rich(project: Path) -> Path:
    """Make the minimal project's issue (its article RICH) two articles with footnotes in both, a table, a
    list, a picture and a block quote."""
    folder = project / "content/issues" / ISSUE
    (folder / "images").mkdir()
    (folder / "images/chart.png").write_bytes(png(400, 200))
    (folder / "02-second.md").write_text(SECOND, encoding="utf-8")
    return project


def edition(project: Path, issue_id: str = ISSUE) -> bytes:
    """The issue's .docx as the build makes it (without the PDF's page numbers for 本期要目)."""
    site, _ = load_content(project / "content")
    issue = next(i for i in site.issues if i.id == issue_id)
    faces = tuple(word_faces(resolve_fonts(project / "fonts")).values())
    return write_docx(issue, project / "layouts", faces)
