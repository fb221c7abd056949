"""What writing the body gathers besides its XML: footnotes, pictures, lists, links, bookmark numbers.

One `Context` per document. The body writers (blocks.py, inline.py) add to
it as they walk the article trees; document.py turns it into parts:
footnotes.xml, numbering.xml, the media and the relationships.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from jianbao.docx.media import Media
from jianbao.docx.notes import Notes
from jianbao.docx.numbering import Numbering
from jianbao.pdf.typeset import Setting


@dataclass
class Context:
    """The collectors of one document, and where its articles' images are."""

    folder: Path  # the issue folder: images are read from it
    setting: Setting = field(default_factory=Setting)  # the PDF's line rules: titles break as they print
    media: Media = field(default_factory=Media)
    notes: Notes = field(default_factory=Notes)
    numbering: Numbering = field(default_factory=Numbering)
    links: dict[str, str] = field(default_factory=dict)  # external URL → relationship id
    bookmarks: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def link(self, url: str) -> str:
        """The relationship id of an external link (one per URL)."""
        return self.links.setdefault(url, f"rIdLink{len(self.links) + 1}")

    def bookmark_id(self) -> int:
        """A fresh bookmark number."""
        return next(self.bookmarks)
