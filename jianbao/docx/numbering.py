"""Ordered and bulleted lists → word/numbering.xml, numbered as the PDF numbers them.

richtext.py marks each list with the level it takes under its heading:
`list-l3` 1. 2., `list-l4` （1）（2）, `list-l5` ①②, `list-bullets` ●. Each
kind is one abstract numbering whose levels are the nesting depths (two
characters further in each); each list in the text is a numbering instance
of its own, so it starts again at its first number (or at `start`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jianbao.docx.layout import INDENT
from jianbao.docx.xml import DECLARATIONS, XML_HEAD, escape_attribute

# class → (abstract id, w:numFmt, w:lvlText with %1 for the number)
KINDS = {
    "list-l3": (1, "decimal", "%1."),
    "list-l4": (2, "decimal", "（%1）"),
    "list-l5": (3, "decimalEnclosedCircle", "%1"),
    "list-bullets": (4, "bullet", "●"),
}
DEPTHS = 3  # nesting levels written per kind (deeper lists take the last)


@dataclass
class Numbering:
    """The numbering instances made so far: (kind, depth, start) per w:numId (from 1)."""

    instances: list[tuple[str, int, int]] = field(default_factory=list)

    def new_list(self, kind: str, depth: int, start: int = 1) -> int:
        """A numbering instance for one list; returns its w:numId."""
        self.instances.append((kind if kind in KINDS else "list-l3", min(depth, DEPTHS - 1), start))
        return len(self.instances)

    def part(self) -> bytes:
        """word/numbering.xml: the abstract numberings, then one instance per list."""
        abstracts = "".join(_abstract(number, fmt, text) for number, fmt, text in KINDS.values())
        instances = "".join(
            f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{KINDS[kind][0]}"/>'
            f'<w:lvlOverride w:ilvl="{depth}"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
            for num_id, (kind, depth, start) in enumerate(self.instances, 1)
        )
        return f"{XML_HEAD}<w:numbering {DECLARATIONS}>{abstracts}{instances}</w:numbering>".encode()


def _abstract(number: int, fmt: str, text: str) -> str:
    """One kind of list: the same number format on every depth, the number two characters further in each
    (a bullet at half size, a space after it, as the PDF prints ●)."""
    bullet = fmt == "bullet"
    suffix, mark = ("space", '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>') if bullet else ("nothing", "")
    levels = "".join(
        f'<w:lvl w:ilvl="{depth}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="{suffix}"/>'
        f'<w:lvlText w:val="{escape_attribute(text.replace("%1", f"%{depth + 1}"))}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="0" w:firstLine="{INDENT * (depth + 1)}"/></w:pPr>{mark}</w:lvl>'
        for depth in range(DEPTHS)
    )
    return f'<w:abstractNum w:abstractNumId="{number}"><w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'


def list_props(num_id: int, depth: int) -> str:
    """The `w:numPr` of a list item."""
    return f'<w:numPr><w:ilvl w:val="{min(depth, DEPTHS - 1)}"/><w:numId w:val="{num_id}"/></w:numPr>'
