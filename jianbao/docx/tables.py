"""A table of an article's tree → its `表N` caption and a Word table (`w:tbl`), set as the PDF sets it.

Style `BodyTable` (heavier rules at top and bottom, open sides), 14 pt text,
header rows repeated on every page (`w:tblHeader`) and never split, the
alignment of each cell from richtext.py's `al-*` classes, the first column
kept on one line where it is marked `nowrap`. Column widths follow the
CSS automatic table layout the PDF uses (each column between its longest
unbreakable piece and its whole text), so Word and LibreOffice break the
cells' lines as the PDF does. The caption, the header and the first two
rows keep together (a short table, `table-keep`, whole).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from jianbao.docx.layout import MEASURE, PITCH
from jianbao.docx.xml import paragraph
from jianbao.tree import Node

CELL_MARGIN = 60  # twips each side (print.css: padding 3 pt)
EM = 280  # twips: one character of 14 pt
KEEP_ROWS = 2  # body rows kept with the caption and the header
_ALIGN = {"al-left": "left", "al-right": "right", "al-center": "center"}
_UNBREAKABLE = re.compile(r"[\x21-\x7e\u00a0-\u1fff]+")  # Latin words and numbers; CJK text breaks anywhere

Inline = Callable[[Node], str]  # inline content of a node → runs


@dataclass(frozen=True)
class Cell:
    """One cell as Word needs it."""

    node: Node
    header: bool
    span: int
    rows: int  # rowspan

    @property
    def text(self) -> str:
        return " ".join(self.node.text().split())


def table_blocks(table: Node, keep_whole: bool, inline: Inline) -> list[str]:
    """The caption paragraph (if any) and the table's XML."""
    blocks = []
    caption = next((child for child in table.elements() if child.tag == "caption"), None)
    if caption is not None:
        props = f'<w:keepNext/><w:spacing w:before="{PITCH // 2}"/>'
        blocks.append(paragraph(inline(caption), "Caption", props))
    rows = table_rows(table)
    cells = [
        [cell_of(c, header or c.tag == "th") for c in row.elements() if c.tag in ("th", "td")] for row, header in rows
    ]
    widths = column_widths(cells)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    kept = len(rows) - 1 if keep_whole else sum(1 for _, header in rows if header) + KEEP_ROWS
    body = "".join(
        table_row(row_cells, header, index < kept, widths, inline, pending)
        for index, ((_, header), row_cells, pending) in enumerate(zip(rows, cells, _merged(cells), strict=True))
    )
    props = (
        '<w:tblPr><w:tblStyle w:val="BodyTable"/>'
        f'<w:tblW w:w="{MEASURE}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0"/></w:tblPr>'
    )
    blocks.append(f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>")
    return blocks


def table_rows(table: Node) -> list[tuple[Node, bool]]:
    """Every row, and whether it is a header row (in thead)."""
    rows = []
    for child in table.elements():
        if child.tag == "tr":
            rows.append((child, False))
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend((row, child.tag == "thead") for row in child.elements() if row.tag == "tr")
    return rows


def cell_of(node: Node, header: bool) -> Cell:
    """A th/td with its spans."""
    span, rows = (_count(node.get(name)) for name in ("colspan", "rowspan"))
    return Cell(node, header, span, rows)


def _count(value: str | None) -> int:
    return max(1, min(int(value), 50)) if value and value.isdigit() else 1


def _merged(rows: list[list[Cell]]) -> list[dict[int, int]]:
    """For each row: grid column → width in columns of a cell merged down into it from above."""
    pending: dict[int, tuple[int, int]] = {}  # column → (rows still to cover, span)
    out = []
    for row in rows:
        here = {column: span for column, (left, span) in pending.items() if left > 0}
        out.append(here)
        pending = {column: (left - 1, span) for column, (left, span) in pending.items() if left > 1}
        column = 0
        for cell in row:
            while column in here:
                column += here[column]
            if cell.rows > 1:
                pending[column] = (cell.rows - 1, cell.span)
            column += cell.span
    return out


def table_row(
    cells: list[Cell], header: bool, keep: bool, widths: list[int], inline: Inline, merged: dict[int, int]
) -> str:
    """One `w:tr`; cells merged from above get their continuation cells."""
    props = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
    out, column, queue = [], 0, list(cells)
    while queue or column in merged:
        if column in merged:
            out.append(_cell_xml("", _width(widths, column, merged[column]), merged[column], "continue", ""))
            column += merged[column]
            continue
        cell = queue.pop(0)
        out.append(
            _cell_xml(
                cell_paragraphs(cell, keep, inline),
                _width(widths, column, cell.span),
                cell.span,
                "restart" if cell.rows > 1 else "",
                "<w:noWrap/>" if "nowrap" in cell.node.classes else "",
            )
        )
        column += cell.span
    return f"<w:tr>{props}{''.join(out)}</w:tr>"


def _width(widths: list[int], column: int, span: int) -> int:
    return sum(widths[column : column + span]) or widths[-1]


def _cell_xml(content: str, width: int, span: int, merge: str, extra: str) -> str:
    props = (
        f'<w:tcW w:w="{width}" w:type="dxa"/>'
        + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
        + (f'<w:vMerge w:val="{merge}"/>' if merge == "restart" else "<w:vMerge/>" if merge else "")
        + extra
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content or paragraph('', 'TableText')}</w:tc>"


def cell_paragraphs(cell: Cell, keep: bool, inline: Inline) -> str:
    """A cell's paragraphs: its inline content, or each of its own paragraphs. A column the Markdown
    aligned says so (w:jc); one it did not takes its style's alignment (and the importer tells them apart)."""
    align = next((_ALIGN[c] for c in cell.node.classes if c in _ALIGN), None)
    style = "TableHeading" if cell.header else "TableText"
    props = ("<w:keepNext/>" if keep else "") + (f'<w:jc w:val="{align}"/>' if align else "")
    blocks = [child for child in cell.node.elements() if child.tag in ("p", "ul", "ol", "div")]
    if not blocks:
        return paragraph(inline(cell.node), style, props)
    return "".join(paragraph(inline(block), style, props) for block in blocks)


def column_widths(rows: list[list[Cell]]) -> list[int]:
    """Each column's width in twips (CSS automatic layout, filling the 版心)."""
    count = max((sum(cell.span for cell in row) for row in rows), default=1) or 1
    least, most = [CELL_MARGIN * 2] * count, [CELL_MARGIN * 2] * count
    for row in rows:
        column = 0
        for cell in row:
            if cell.span == 1 and column < count:
                whole = round(_ems(cell.text) * EM) + CELL_MARGIN * 2
                pieces = [_ems(piece) for piece in _UNBREAKABLE.findall(cell.text)] + [1.0 if cell.text else 0.0]
                narrowest = whole if "nowrap" in cell.node.classes else round(max(pieces) * EM) + CELL_MARGIN * 2
                least[column], most[column] = max(least[column], narrowest), max(most[column], whole)
            column += cell.span
    return _share(least, most, MEASURE)


def _share(least: list[int], most: list[int], total: int) -> list[int]:
    if sum(most) <= total:
        widths = [m * total / sum(most) for m in most]
    elif sum(least) >= total:
        widths = [m * total / sum(least) for m in least]
    else:
        room = sum(most) - sum(least)
        widths = [lo + (total - sum(least)) * (hi - lo) / room for lo, hi in zip(least, most, strict=True)]
    rounded = [int(w) for w in widths]
    rounded[-1] += total - sum(rounded)
    return rounded


def _ems(text: str) -> float:
    """Width in ems of 14 pt: half for ASCII, full otherwise."""
    return sum(0.5 if ord(char) < 0x2000 and char not in "—…·" else 1.0 for char in text)
