"""One issue → the bytes of its Word edition (`<id>.docx`): the recipe of the writer.

masthead and 本期要目 (layouts/word/) → each article in a section of its own
(blocks.py; its footnotes restart at ①) → the 报尾 frame → the parts Word
needs beside the text: styles, settings, footers with the page number,
numbering, footnotes, pictures, the embedded fonts (fonts.py), the
document properties. `WordJob` carries plain values, so it travels to a
render worker; `write_docx` runs there, after the PDF, whose outline gives
本期要目's page numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jianbao.docx import layout
from jianbao.docx.blocks import Block, Para, article_blocks, bookmark_name
from jianbao.docx.context import Context
from jianbao.docx.fonts import (
    FONT_TYPE,
    Face,
    characters_by_face,
    embed_faces,
    font_relationships,
    font_table,
    shown_names,
)
from jianbao.docx.package import Package
from jianbao.docx.xml import DECLARATIONS, XML_HEAD, escape_text
from jianbao.model import Issue

MAIN = "word/document.xml"
FRONT_BOOKMARKS = ("报头", "本期要目")  # the PDF's outline entries before the articles (layouts/print.css)
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
DOC_PROPS = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
# settings.xml: odd and even footers differ; punctuation compressed (GB/T 15834); notes ①② per section.
SETTINGS = (
    f"{XML_HEAD}<w:settings {DECLARATIONS}>"
    '<w:zoom w:percent="100"/><w:embedTrueTypeFonts/><w:saveSubsetFonts/><w:defaultTabStop w:val="420"/>'
    "<w:evenAndOddHeaders/>"
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:footnotePr><w:numFmt w:val="decimalEnclosedCircle"/><w:numRestart w:val="eachSect"/>'
    '<w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat></w:settings>'
)


@dataclass(frozen=True)
class WordJob:
    """Everything the Word edition of one issue is made from, as plain values (a render worker's
    `Edition`, made after the PDF)."""

    issue: Issue
    layouts: Path
    faces: tuple[Face, ...]  # one per role (fonts.word_faces)
    suffix: str = "docx"

    def render(self, pdf: bytes) -> bytes:
        """The .docx, 本期要目 numbered with the pages `pdf` starts the articles on."""
        return write_docx(self, article_pages(pdf))


@dataclass(frozen=True)
class ContentsEntry:
    """One line of 本期要目: the title, the bookmark on it, and the page the PDF printed it on."""

    title: str
    bookmark: str
    page: int | None


def write_docx(job: WordJob, pages: tuple[int, ...] = ()) -> bytes:
    """The issue's .docx; `pages` are the pages its articles start on in the PDF (for 本期要目)."""
    issue, layouts = job.issue, job.layouts
    faces = {face.role: face for face in job.faces}
    package = Package()
    ctx = Context(issue.folder)
    footers = {"odd": "rIdFooterOdd", "even": "rIdFooterEven"}
    body = front_matter(issue, layouts, pages)
    for index, article in enumerate(issue.articles):
        blocks = article_blocks(article, ctx, first=index == 0)
        if index + 1 < len(issue.articles):
            section = layout.render(layouts, "section.xml", footers=footers, continuous=index > 0)
            blocks = ended(blocks, section)
        body += "".join(block.xml() if isinstance(block, Para) else block for block in blocks)
    if issue.bulletin.has_colophon:
        body += layout.render(layouts, "colophon.xml", issue=issue)
    last = layout.render(layouts, "section.xml", footers=footers, continuous=len(issue.articles) > 1)
    document = f"{XML_HEAD}<w:document {DECLARATIONS}><w:body>{body}{last}</w:body></w:document>".encode()
    draft = layout.render(layouts, "styles.xml", faces={role: face.name for role, face in faces.items()})
    odd, even = (layout.render(layouts, "footer.xml", odd=odd).encode() for odd in (True, False))
    notes = ctx.notes.part()

    package.add(MAIN, document, f"{WML}.document.main+xml")
    package.relate("", "officeDocument", MAIN)
    add_part(package, "word/settings.xml", SETTINGS.encode(), "settings")
    add_part(package, "word/footnotes.xml", notes, "footnotes")
    add_part(package, "word/numbering.xml", ctx.numbering.part(), "numbering")
    add_part(package, "word/footer1.xml", odd, "footer", footers["odd"])
    add_part(package, "word/footer2.xml", even, "footer", footers["even"])
    for rel_id, picture, is_svg in ctx.media.relationships():
        name = picture.name[: -len(".png")] + ".svg" if is_svg else picture.name
        package.add(name, picture.svg if is_svg else picture.data, "image/svg+xml" if is_svg else picture.content_type)
        package.relate(MAIN, "image", name, rel_id)
    for url, rel_id in ctx.links.items():
        package.relate(MAIN, "hyperlink", url, rel_id, external=True)
    used = characters_by_face(draft, [document, notes, odd, even])
    embedded = embed_faces(faces, used)
    styles = layout.render(layouts, "styles.xml", faces=shown_names(faces, embedded))
    add_part(package, "word/styles.xml", styles.encode(), "styles")
    add_part(package, "word/fontTable.xml", font_table(faces, used, embedded), "fontTable")
    for (rel_id, part), entry in zip(font_relationships(embedded), embedded, strict=True):
        package.add(part, entry.data, FONT_TYPE)
        package.relate("word/fontTable.xml", "font", part, rel_id)
    add_properties(package, issue)
    return package.to_bytes()


def article_pages(pdf: bytes) -> tuple[int, ...]:
    """The page each article starts on in the PDF: its outline's top entries, 报头 and 本期要目 left out."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return tuple(
            bookmark.get_dest().get_index() + 1
            for bookmark in document.get_toc()
            if bookmark.level == 0 and bookmark.get_title() not in FRONT_BOOKMARKS and bookmark.get_dest()
        )
    finally:
        document.close()


def front_matter(issue: Issue, layouts: Path, pages: tuple[int, ...]) -> str:
    """The masthead, then 本期要目 when the issue has several articles."""
    xml = layout.render(layouts, "masthead.xml", issue=issue)
    if issue.toc and len(issue.articles) > 1:
        entries = [
            ContentsEntry(article.title, bookmark_name(article), pages[index] if index < len(pages) else None)
            for index, article in enumerate(issue.articles)
        ]
        xml += layout.render(layouts, "contents.xml", contents=entries)
    return xml


def ended(blocks: list[Block], section: str) -> list[Block]:
    """The blocks with `section` ending them (in the last paragraph; after a table, in a hairline one)."""
    last = blocks[-1] if blocks else None
    if isinstance(last, Para):
        return [*blocks[:-1], Para(last.content, last.style, last.props, last.mark, section)]
    hairline = Para(
        "", None, '<w:snapToGrid w:val="0"/><w:spacing w:line="20" w:lineRule="exact"/>', '<w:sz w:val="2"/>', section
    )
    return [*blocks, hairline]


def add_part(package: Package, name: str, data: bytes, kind: str, rel_id: str | None = None) -> None:
    """A part of the main document, related from it."""
    package.add(name, data, f"{WML}.{kind}+xml")
    package.relate(MAIN, kind, name, rel_id)


def add_properties(package: Package, issue: Issue) -> None:
    """File → Properties: title, organizers, the issue's date (never the build's), and which issue
    and article files it holds (the importer gives each article back to its file)."""
    when = dt.datetime.combine(issue.date, dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = (
        f"{XML_HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape_text(issue.full_title)}</dc:title>"
        f"<dc:creator>{escape_text('、'.join(issue.bulletin.organizers))}</dc:creator>"
        f"<dc:subject>{escape_text('；'.join(a.title for a in issue.articles))}</dc:subject>"
        "<dc:language>zh-CN</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    package.add("docProps/core.xml", core.encode(), "application/vnd.openxmlformats-package.core-properties+xml")
    package.relate("", DOC_PROPS, "docProps/core.xml")
    app = (
        f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>jianbao</Application></Properties>"
    )
    package.add(
        "docProps/app.xml", app.encode(), "application/vnd.openxmlformats-officedocument.extended-properties+xml"
    )
    package.relate("", "extended-properties", "docProps/app.xml")
    files = "|".join(article.source_path.name for article in issue.articles)
    custom = (
        f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="jianbao-issue">'
        f"<vt:lpwstr>{escape_text(issue.id)}</vt:lpwstr></property>"
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="jianbao-articles">'
        f"<vt:lpwstr>{escape_text(files)}</vt:lpwstr></property></Properties>"
    )
    package.add(
        "docProps/custom.xml", custom.encode(), "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    )
    package.relate("", "custom-properties", "docProps/custom.xml")
