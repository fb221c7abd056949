"""A Word edition's draft (its XML parts, what to embed, which pictures) + the issue's PDF → the .docx bytes.

The draft is made in the main process (document.py: the model, the
templates and the article trees are there); this is the rest, done in a
render worker right after the PDF, with nothing but plain values: the
pages the PDF starts the articles on go into 本期要目, the faces are cut
down and embedded (embed.py), the pictures read (an SVG's PNG drawn by
WeasyPrint), and the parts zipped (package.py). The worker so never loads
the content model, Jinja or Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jianbao.docx.embed import FONT_TYPE, EmbeddedFont, font_bytes
from jianbao.docx.media import PictureNeed, picture_parts
from jianbao.docx.package import Package

MAIN = "word/document.xml"
FRONT_BOOKMARKS = ("报头", "本期要目")  # the PDF's outline entries before the articles (layouts/print.css)
PAGE_MARK = re.compile("\ue020jbpage(\\d+)\ue021")  # 本期要目's page of article N, filled in from the PDF


def page_mark(index: int) -> str:
    """Where article `index`'s page goes in the draft's document.xml."""
    return f"\ue020jbpage{index}\ue021"


@dataclass(frozen=True)
class WordDraft:
    """Everything but the PDF's pages, the fonts and the pictures: plain values for a render worker."""

    parts: tuple[tuple[str, bytes, str], ...]  # name, bytes, content type
    relationships: tuple[tuple[str, str, str, str, bool], ...]  # source, type, target, id, external
    fonts: tuple[EmbeddedFont, ...]
    pictures: tuple[PictureNeed, ...]
    suffix: str = ".docx"  # (a render worker's EditionJob: jianbao/pdf/workers.py)

    def make(self, pdf: bytes) -> bytes:
        """The .docx, 本期要目 numbered with the pages `pdf` starts the articles on."""
        pages = article_pages(pdf)
        package = Package()
        for name, data, content_type in self.parts:
            if name == MAIN:
                data = numbered(data, pages)
            package.add(name, data, content_type)
        for source, kind, target, rel_id, external in self.relationships:
            package.relate(source, kind, target, rel_id, external=external)
        for picture in self.pictures:
            for rel_id, name, data, content_type in picture_parts(picture):
                package.add(name, data, content_type)
                package.relate(MAIN, "image", name, rel_id)
        for font in self.fonts:
            package.add(font.part, font_bytes(font), FONT_TYPE)
            package.relate("word/fontTable.xml", "font", font.part, font.rel_id)
        return package.to_bytes()


def numbered(document: bytes, pages: tuple[int, ...]) -> bytes:
    """document.xml with each article's page in 本期要目 (none where the PDF has no entry for it)."""
    text = document.decode()
    filled = PAGE_MARK.sub(lambda m: str(pages[int(m.group(1))]) if int(m.group(1)) < len(pages) else "", text)
    return filled.encode()


def article_pages(pdf: bytes) -> tuple[int, ...]:
    """The page each article starts on in the PDF: its outline's top entries, 报头 and 本期要目 left out."""
    import pypdfium2 as pdfium

    if not pdf:
        return ()
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for bookmark in document.get_toc():
            destination = bookmark.get_dest()
            if bookmark.level == 0 and bookmark.get_title() not in FRONT_BOOKMARKS and destination is not None:
                pages.append((destination.get_index() or 0) + 1)
        return tuple(pages)
    finally:
        document.close()
