"""jianbao's own Word edition (`output/<id>/<id>.docx`) → its articles as Markdown again: the round trip.

The edition says what it is (docProps/custom.xml: `jianbao-issue`, and the
article files in order, `jianbao-articles`) and marks every part of an
article with a style of its own (jianbao/docx/, layouts/word/styles.xml),
so nothing here guesses: mammoth reads it with those styles mapped to
classes; the masthead, 本期要目 and 报尾 are left out; each `heading 1`
starts an article; title, 副标题, author, 编者按 and source go back into the
front matter; headings lose the numbers the Markdown stage adds again;
tables get their columns' alignment from the cells (which mammoth does not
read); pictures get their names back from the drawings, an SVG its own
file. A reviewer's changes in Word (text, tracked insertions) come back
with the rest; comments and deleted text do not.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from posixpath import join, normpath
from typing import Any
from xml.etree import ElementTree

from bs4 import BeautifulSoup, Tag
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from jianbao import disk
from jianbao.errors import UnreadableError, UsageError
from jianbao.importing.cleanup import (
    clean_text,
    escape_list_markers,
    keep_complex_tables,
    numbered_level,
    table_problem,
    take_footnotes,
)
from jianbao.importing.marks import BREAK, FN_CLOSE, FN_OPEN
from jianbao.importing.reading import check_part_sizes, explain_message, squeeze_whitespace
from jianbao.importing.writing import Article, note_markdown, to_markdown

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
SVG_BLIP = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
ISSUE_PROPERTY, ARTICLES_PROPERTY = "jianbao-issue", "jianbao-articles"
MAX_PROPERTIES_BYTES = 1024 * 1024  # docProps/custom.xml is read before the zip's other checks
# The edition's styles (layouts/word/styles.xml, by name) → what the conversion below reads.
STYLE_MAP = """
p[style-name='heading 1'] => h1:fresh
p[style-name='heading 2'] => h2:fresh
p[style-name='heading 3'] => h3:fresh
p[style-name='heading 4'] => h4:fresh
p[style-name='heading 5'] => h5:fresh
p[style-name='Subtitle'] => p.jb-subtitle:fresh
p[style-name='作者'] => p.jb-author:fresh
p[style-name='编者按'] => p.jb-note:fresh
p[style-name='来源'] => p.jb-source:fresh
p[style-name='caption'] => p.jb-caption:fresh
p[style-name='图片'] => p.jb-figure:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name^='报头'] => p.jb-skip:fresh
p[style-name^='本期要目'] => p.jb-skip:fresh
p[style-name='报尾'] => p.jb-skip:fresh
r[style-name='编者按 标签'] => span.jb-skip
r[style-name='脚注引用 再次'] => span.jb-noteref
r[style-name='Strong'] => strong
r[style-name='Emphasis'] => em
"""
_CAPTION = re.compile(r"^([表图])\s*[0-9]+[　\s]*")
_ALIGN = {"left": ":--", "right": "--:", "center": ":-:"}  # `|:--|--:|`, as the sample articles write them


@dataclass
class Edition:
    """A jianbao Word edition as read: its issue, its articles' files, its HTML, pictures and tables."""

    issue: str
    files: list[str]
    html: str = ""
    images: list[tuple[str, bytes]] = field(default_factory=list)  # original path (images/…), bytes
    alignments: list[list[str | None]] = field(default_factory=list)  # per table: each column's
    lost: list[str] = field(default_factory=list)


def edition_properties(source: Path) -> tuple[str, list[str]] | None:
    """(issue id, article files) if `source` is a jianbao Word edition, else None."""
    try:
        with disk.open_checked(source, disk.MANUSCRIPT) as file, zipfile.ZipFile(file) as archive:
            if archive.getinfo("docProps/custom.xml").file_size > MAX_PROPERTIES_BYTES:
                return None
            root = fromstring(archive.read("docProps/custom.xml"), forbid_dtd=True)
    except (OSError, UnreadableError, KeyError, zipfile.BadZipFile, ElementTree.ParseError, DefusedXmlException):
        return None
    values = {prop.get("name"): "".join(prop.itertext()) for prop in root}
    if ISSUE_PROPERTY not in values:
        return None
    files = [name for name in (values.get(ARTICLES_PROPERTY) or "").split("|") if name]
    return values[ISSUE_PROPERTY], files


def read_edition(source: Path, issue: str, files: list[str]) -> Edition:
    """Read the edition with mammoth, its pictures under their own names (raises UsageError if unreadable)."""
    import mammoth

    edition = Edition(issue, files)
    try:
        with disk.open_checked(source, disk.MANUSCRIPT) as file, zipfile.ZipFile(file) as archive:
            check_part_sizes(archive, source)
            drawings, edition.alignments = drawings_and_tables(archive)
            data = squeeze_whitespace(archive)
            pictures = iter(drawings)

            def save_image(image: Any) -> dict[str, str]:
                name, svg = next(pictures, ("", ""))
                with image.open() as stream:
                    picture = archive.read(svg) if svg else stream.read()
                path = name if name.startswith("images/") else f"images/{PurePosixPath(name).name or 'image.png'}"
                edition.images.append((path, picture))
                return {"src": path, "alt": image.alt_text or ""}

            result = mammoth.convert_to_html(
                io.BytesIO(data), style_map=STYLE_MAP, convert_image=mammoth.images.img_element(save_image)
            )
    except UsageError:
        raise
    except Exception as exc:  # mammoth raises many kinds on a damaged file
        raise UsageError(f"无法读取 {source.name}：文件已损坏；请在 Word 中打开后重新保存再导入") from exc
    edition.html = result.value
    edition.lost = [line for m in result.messages if m.type == "error" and (line := explain_message(m.message))]
    return edition


def drawings_and_tables(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], list[list[str | None]]]:
    """Each drawing's name (the image's path in the article) and SVG part, and each table's column
    alignments (from its first body row's cells), in document order."""
    document = fromstring(archive.read("word/document.xml"), forbid_dtd=True)
    rels_root = fromstring(archive.read("word/_rels/document.xml.rels"), forbid_dtd=True)
    targets = {
        rel.get("Id"): normpath(join("word", rel.get("Target") or "")) for rel in rels_root.iter(f"{PR}Relationship")
    }
    drawings = []
    for drawing in document.iter(f"{W}drawing"):
        properties = drawing.find(f".//{WP}docPr")
        svg = drawing.find(f".//{SVG_BLIP}")
        drawings.append(
            (
                properties.get("name", "") if properties is not None else "",
                targets.get(svg.get(f"{R}embed"), "") if svg is not None else "",
            )
        )
    tables = []
    for table in document.iter(f"{W}tbl"):
        rows = table.findall(f"{W}tr")
        body = [row for row in rows if row.find(f"{W}trPr/{W}tblHeader") is None] or rows
        cells = body[0].findall(f"{W}tc") if body else []
        tables.append([_cell_alignment(cell) for cell in cells])
    return drawings, tables


def _cell_alignment(cell: ElementTree.Element) -> str | None:
    align = cell.find(f"{W}p/{W}pPr/{W}jc")
    return align.get(f"{W}val") if align is not None else None


def edition_articles(edition: Edition) -> list[tuple[str, Article]]:
    """Each article of the edition with its file name, in order."""
    soup = BeautifulSoup(edition.html, "html.parser")
    for skipped in soup.select(".jb-skip"):
        skipped.decompose()
    for anchor in soup.find_all("a"):
        if not anchor.get("href"):  # bookmarks: on titles and footnote calls
            anchor.decompose()
    notes = {item.get("id"): item.extract() for item in soup.select('li[id^="footnote-"]')}
    tables = iter(edition.alignments)
    articles: list[tuple[str, Article]] = []
    titles = soup.find_all("h1", recursive=False)
    for number, title in enumerate(titles):
        part = BeautifulSoup("", "html.parser")
        for sibling in list(title.next_siblings):
            if isinstance(sibling, Tag) and sibling.name == "h1":
                break
            part.append(sibling.extract())
        # mammoth lists every note at the end of the document: each article gets back the ones it calls.
        listing = part.new_tag("ol")
        for call in part.select('a[href^="#footnote-"]'):
            if (item := notes.get(str(call["href"]).lstrip("#"))) is not None:
                listing.append(item)
        part.append(listing)
        _calls_again(part)
        aligns = [next(tables, []) for _ in part.find_all("table")]
        name = edition.files[number] if number < len(edition.files) else f"{number + 1:02d}-article.md"
        articles.append((name, edition_article(title.get_text(""), part, aligns)))
    return articles


def _calls_again(part: BeautifulSoup) -> None:
    """A note's later call (a NOTEREF field showing ①) → a call of the same note, as the source had it."""
    calls: list[str] = []  # the article's notes, in the order of their first calls
    for call in part.select('a[href^="#footnote-"]'):
        if str(call["href"]) not in calls:
            calls.append(str(call["href"]))
    for again in part.select("span.jb-noteref"):
        text = again.get_text("").strip()
        number = ord(text) - 0x2460 if len(text) == 1 and "①" <= text <= "⑳" else -1
        if 0 <= number < len(calls):
            sup = part.new_tag("sup")
            sup.append(part.new_tag("a", href=calls[number], id=f"footnote-ref-again-{number}"))
            again.replace_with(sup)
        else:
            again.unwrap()


def edition_article(title: str, soup: BeautifulSoup, alignments: list[list[str | None]]) -> Article:
    """One article's HTML (after its title) → front matter and Markdown, as its source had them."""
    clean_text(soup)
    footnotes = take_footnotes(soup)
    meta: dict[str, Any] = {}
    subtitle = _take(soup, "jb-subtitle")
    if author := _take(soup, "jb-author"):
        meta["author"] = author
    if note := _take(soup, "jb-note"):
        meta["note"] = note
    if source := _take(soup, "jb-source", last=True):
        meta["source"] = re.sub(r"^（来源：(.*)）$", r"\1", source, flags=re.S)
    for level in range(2, 6):
        for heading in soup.find_all(f"h{level}"):
            text = heading.get_text("").replace(BREAK, "")
            heading.string = _unnumbered(text)
    _captions(soup)
    escape_list_markers(soup)
    lost: list[str] = []
    kept = _pipe_tables(soup, alignments)
    kept |= keep_complex_tables(soup, lost)  # what a pipe table cannot hold stays HTML
    body = to_markdown(soup, kept)
    notes = "".join(f"\n[^{n}]: {note_markdown(note)}" for n, note in enumerate(footnotes, 1))
    body = (body + ("\n" + notes if notes else "")).replace(FN_OPEN, "[^").replace(FN_CLOSE, "]")
    title = title.replace(BREAK, "").replace("\n", "").strip()
    return Article(title, subtitle, body.strip() + "\n", meta=meta, footnotes=len(footnotes), lost=lost)


def _take(soup: BeautifulSoup, kind: str, last: bool = False) -> str:
    """The text of the (first, or last) paragraph of class `kind`, removed; "" if there is none."""
    found = soup.find_all("p", class_=kind)
    if not found:
        return ""
    paragraph = found[-1] if last else found[0]
    text = paragraph.get_text("").replace(BREAK, "").strip()
    paragraph.decompose()
    return text


def _unnumbered(text: str) -> str:
    """A heading without the number jianbao gave it (一、 （一） 1. （1）): the Markdown stage numbers it."""
    level = numbered_level(text)
    if not level:
        return text.strip()
    patterns = (
        r"^[一二三四五六七八九十]+\s*、",
        r"^[（(][一二三四五六七八九十]+[）)]",
        r"^\d{1,2}\s*[.．、]",
        r"^[（(]\d{1,2}[）)]",
    )
    return re.sub(patterns[level - 1], "", text.strip()).strip()


def _captions(soup: BeautifulSoup) -> None:
    """`表N　…` above a table → `表：…`; a figure's `图N　…` → nothing when it is the picture's alt text
    (the Markdown stage takes the caption from it), else `图：…` under the picture."""
    for caption in soup.find_all("p", class_="jb-caption"):
        text = caption.get_text("").replace(BREAK, "").strip()
        match = _CAPTION.match(text)
        kind, title = (match.group(1), text[match.end() :].strip()) if match else ("", text)
        previous = caption.find_previous_sibling()
        image = (
            previous.find("img") if isinstance(previous, Tag) and "jb-figure" in (previous.get("class") or []) else None
        )
        if kind == "图" and image is not None and title == (image.get("alt") or ""):
            caption.decompose()
        elif title:
            caption.attrs = {}
            caption.string = f"{kind or '表'}：{title}"
        else:
            caption.decompose()
    for figure in soup.find_all("p", class_="jb-figure"):
        figure.attrs = {}


def _pipe_tables(soup: BeautifulSoup, alignments: list[list[str | None]]) -> dict[str, str]:
    """Each table a pipe table can hold → Markdown with its columns' alignment (placeholders for to_markdown)."""
    kept: dict[str, str] = {}
    columns = itertools.chain(alignments, itertools.repeat([]))
    for number, (table, aligns) in enumerate(zip(soup.find_all("table"), columns, strict=False)):
        if table_problem(table) is not None:
            continue
        rows = [[_cell(cell) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]
        if not rows:
            continue
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        marks = [_ALIGN.get(aligns[i] or "", "---") if i < len(aligns) else "---" for i in range(width)]
        lines = [f"|{'|'.join(marks)}|", *(f"| {' | '.join(row)} |" for row in rows[1:])]
        key = f"\ue005{number}\ue005"
        kept[key] = "\n".join([f"| {' | '.join(rows[0])} |", *lines])
        table.replace_with(key)
    return kept


def _cell(cell: Tag) -> str:
    """A cell's content as one line of Markdown."""
    text = to_markdown(BeautifulSoup(cell.decode_contents(), "html.parser"), {})
    return re.sub(r"\s*\n+\s*", " ", text).replace("|", "\\|").strip()
