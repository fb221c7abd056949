"""One issue → its Word edition (`<id>.docx`): the recipe of the writer.

masthead and 本期要目 (layouts/word/) → each article in a section of its own
(blocks.py; its footnotes restart at ①) → the 报尾 frame → the parts Word
needs beside the text: styles, settings, footers with the page number,
numbering, footnotes, the font table (fonts.py), the document properties.
`word_draft` runs in the main process, where the model and the templates
are; the `WordDraft` it returns is plain values, which a render worker
finishes after the PDF (assemble.py: 本期要目's pages from the PDF's
outline, the embedded fonts, the pictures, the zip).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jianbao.docx import layout
from jianbao.docx.assemble import MAIN, WordDraft, page_mark
from jianbao.docx.blocks import Block, Para, article_blocks, bookmark_name
from jianbao.docx.context import Context
from jianbao.docx.fonts import Face, characters_by_face, font_table, plan_fonts, shown_names
from jianbao.docx.xml import DECLARATIONS, XML_HEAD, escape_text
from jianbao.model import Issue
from jianbao.pdf.typeset import Setting

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
class ContentsEntry:
    """One line of 本期要目: the title, the bookmark on it, and where its page goes (filled in from the PDF)."""

    title: str
    bookmark: str
    page: str


def write_docx(
    issue: Issue, layouts: Path, faces: tuple[Face, ...], pdf: bytes = b"", setting: Setting | None = None
) -> bytes:
    """The issue's .docx at once (as a build makes it in two steps: `word_draft`, then its `make(pdf)`)."""
    return word_draft(issue, layouts, faces, setting).make(pdf)


def word_draft(
    issue: Issue, layouts: Path, faces_by_role: tuple[Face, ...], setting: Setting | None = None
) -> WordDraft:
    """The issue's Word edition but for what needs its PDF, its fonts' bytes and its pictures (assemble.py).
    `setting`: the PDF's line rules (pdf/typeset.py `issue_setting`), so titles break where they print."""
    faces = {face.role: face for face in faces_by_role}
    ctx = Context(issue.folder, setting or Setting(issue.bulletin.glossary))
    footers = {"odd": "rIdFooterOdd", "even": "rIdFooterEven"}
    body = front_matter(issue, layouts)
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
    odd, even = (layout.render(layouts, "footer.xml", odd=odd).encode() for odd in (True, False))
    notes = ctx.notes.part()
    own_names = layout.render(layouts, "styles.xml", faces={role: face.name for role, face in faces.items()})
    used = characters_by_face(own_names, [document, notes, odd, even])
    fonts = plan_fonts(faces, used)
    styles = layout.render(layouts, "styles.xml", faces=shown_names(faces, fonts)).encode()
    parts = [
        (MAIN, document, f"{WML}.document.main+xml", "officeDocument", None),
        ("word/styles.xml", styles, f"{WML}.styles+xml", "styles", None),
        ("word/settings.xml", SETTINGS.encode(), f"{WML}.settings+xml", "settings", None),
        ("word/footnotes.xml", notes, f"{WML}.footnotes+xml", "footnotes", None),
        ("word/numbering.xml", ctx.numbering.part(), f"{WML}.numbering+xml", "numbering", None),
        ("word/footer1.xml", odd, f"{WML}.footer+xml", "footer", footers["odd"]),
        ("word/footer2.xml", even, f"{WML}.footer+xml", "footer", footers["even"]),
        ("word/fontTable.xml", font_table(faces, used, fonts), f"{WML}.fontTable+xml", "fontTable", None),
        *properties(issue),
    ]
    relationships = [
        ("" if name == MAIN or name.startswith("docProps/") else MAIN, kind, name, rel_id or f"rIdPart{n}", False)
        for n, (name, _, _, kind, rel_id) in enumerate(parts, 1)
    ]
    relationships += [(MAIN, "hyperlink", url, rel_id, True) for url, rel_id in ctx.links.items()]
    return WordDraft(
        tuple((name, data, content_type) for name, data, content_type, _, _ in parts),
        tuple(relationships),
        tuple(fonts),
        tuple(ctx.media.pictures.values()),
    )


def front_matter(issue: Issue, layouts: Path) -> str:
    """The masthead, then 本期要目 when the issue has several articles."""
    xml = layout.render(layouts, "masthead.xml", issue=issue)
    if issue.toc and len(issue.articles) > 1:
        entries = [
            ContentsEntry(article.title, bookmark_name(article), page_mark(index))
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


def properties(issue: Issue) -> list[tuple[str, bytes, str, str, None]]:
    """File → Properties: title, organizers, the issue's date (never the build's), and which issue and
    article files it holds (the importer gives each article back to its file)."""
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
    app = (
        f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>jianbao</Application></Properties>"
    )
    files = "|".join(article.source_path.name for article in issue.articles)
    # The sign-off, as the PDF's document info records it (status, approver, approved).
    approval = issue.approval
    named = [("jianbao-issue", issue.id), ("jianbao-articles", files)]
    named += [("status", approval.status)] if approval.status else []
    named += [("approver", approval.signer)] if approval.signer else []
    named += [("approved", approval.date.isoformat())] if approval.date else []
    custom = (
        f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        + "".join(
            f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{name}">'
            f"<vt:lpwstr>{escape_text(value)}</vt:lpwstr></property>"
            for pid, (name, value) in enumerate(named, 2)
        )
        + "</Properties>"
    )
    office = "application/vnd.openxmlformats-officedocument"
    return [
        (
            "docProps/core.xml",
            core.encode(),
            "application/vnd.openxmlformats-package.core-properties+xml",
            DOC_PROPS,
            None,
        ),
        ("docProps/app.xml", app.encode(), f"{office}.extended-properties+xml", "extended-properties", None),
        ("docProps/custom.xml", custom.encode(), f"{office}.custom-properties+xml", "custom-properties", None),
    ]
