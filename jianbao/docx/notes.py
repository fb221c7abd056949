"""Footnotes → word/footnotes.xml: real Word footnotes, numbered ①②③ per article by Word itself.

The body writer adds each note's paragraphs as it meets the note's first
call and puts a `w:footnoteReference` with the returned id where the call
is. The separator is a full-width hairline, as in the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jianbao.docx.xml import DECLARATIONS, XML_HEAD

# Ids -1 and 0 are Word's separator and continuation separator; notes count from 1.
_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
)


@dataclass
class Notes:
    """The document's footnotes, in the order of their first calls."""

    bodies: list[str] = field(default_factory=list)  # each note's paragraphs (XML)

    def add(self, paragraphs: str) -> int:
        """Add a note; returns its id for `w:footnoteReference`."""
        self.bodies.append(paragraphs)
        return len(self.bodies)

    def part(self) -> bytes:
        """word/footnotes.xml."""
        notes = "".join(f'<w:footnote w:id="{n}">{body}</w:footnote>' for n, body in enumerate(self.bodies, 1))
        return f"{XML_HEAD}<w:footnotes {DECLARATIONS}>{_SEPARATORS}{notes}</w:footnotes>".encode()


def note_paragraph(content: str) -> str:
    """A note's paragraph: Word's own mark (①, full size, hanging one character), then the text."""
    return f'<w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:footnoteRef/></w:r>{content}</w:p>'


def reference(note_id: int) -> str:
    """The call in the text: Word numbers it (①②③, restarting per article's section)."""
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'
