"""WordprocessingML text → escaped XML pieces: runs, paragraphs, fields, bookmarks.

Small functions that return XML strings; the writer modules join them. Every
text that reaches Word passes `escape_text`, which also drops the
characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import re

# Namespaces every part the writer makes may use (declared on each root element).
NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
}
DECLARATIONS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape_text(text: str) -> str:
    """Text for an element's content."""
    return _NOT_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    """Text for an attribute value in double quotes."""
    return escape_text(text).replace('"', "&quot;")


def run(text: str, style: str | None = None, props: str = "") -> str:
    """One run of text (tabs and line breaks become Word's own); empty text gives nothing."""
    if not text:
        return ""
    pieces = []
    for index, line in enumerate(text.split("\n")):
        if index:
            pieces.append("<w:br/>")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                pieces.append("<w:tab/>")
            if part:
                pieces.append(f'<w:t xml:space="preserve">{escape_text(part)}</w:t>')
    return f"<w:r>{run_props(style, props)}{''.join(pieces)}</w:r>"


def run_props(style: str | None, props: str = "") -> str:
    """`<w:rPr>` with a character style and other properties (in schema order), or nothing."""
    inner = (f'<w:rStyle w:val="{style}"/>' if style else "") + props
    return f"<w:rPr>{inner}</w:rPr>" if inner else ""


def paragraph(content: str, style: str | None = None, props: str = "", mark: str = "", section: str = "") -> str:
    """One paragraph: its style, other paragraph properties (in schema order), its runs; `mark` is the
    run properties of the paragraph mark itself, `section` the section this paragraph ends (w:sectPr)."""
    inner = (f'<w:pStyle w:val="{style}"/>' if style else "") + props + (f"<w:rPr>{mark}</w:rPr>" if mark else "")
    inner += section
    return f"<w:p>{f'<w:pPr>{inner}</w:pPr>' if inner else ''}{content}</w:p>"


def simple_field(instruction: str, result: str, style: str | None = None, props: str = "") -> str:
    """A field Word computes (PAGE, PAGEREF, NOTEREF) with the result shown until it does."""
    return f'<w:fldSimple w:instr=" {escape_attribute(instruction)} ">{run(result or " ", style, props)}</w:fldSimple>'


def complex_field(instruction: str, result: str, style: str | None = None) -> str:
    """A field written as Word writes most (begin, instruction, separate, result, end): readers that
    skip w:fldSimple still see its result."""
    mark = run_props(style)
    return (
        f'<w:r>{mark}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{mark}<w:instrText xml:space="preserve"> {escape_text(instruction)} </w:instrText></w:r>'
        f'<w:r>{mark}<w:fldChar w:fldCharType="separate"/></w:r>{run(result, style)}'
        f'<w:r>{mark}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def bookmark(number: int, name: str, content: str) -> str:
    """`content` inside a bookmark (Word's hidden bookmarks start with `_`)."""
    return f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>{content}<w:bookmarkEnd w:id="{number}"/>'


def twips(points: float) -> int:
    """Points → twentieths of a point, Word's unit for spacing and indents."""
    return round(points * 20)


def half_points(points: float) -> int:
    """Points → half points, Word's unit for font sizes."""
    return round(points * 2)
