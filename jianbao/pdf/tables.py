"""A layout → each table that runs onto another page split there, the part on the new page headed
`续表N` above its repeated header (for the next layout).

WeasyPrint repeats a table's header on each page it runs onto, but a reader
of the second page cannot tell which table goes on, and CSS has no caption
for a continuation. So after a layout, each table seen on a page after its
first is split, in the parsed tree, before the first row that page shows:
the rows from there become a table of their own, captioned `续表N`, with the
same header, starting a new page (print.css keeps its first two rows with
the header and its last row with the one before). The caller lays the
document out again; a part that still runs on is split the next time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jianbao.pdf.internals import boxes, relayout
from jianbao.text.breaking import strip_joiners

_NUMBER = re.compile(r"表\s*(\d+)")


def mark_continued_tables(document: object) -> bool:
    """Split each table where the first page break falls inside its body; True if any was split."""
    seen: set[int] = set()
    done: set[int] = set()
    split = False
    for page in getattr(document, "pages", []):
        for table, parent in _tables(boxes.page_box(page).children[0], None):
            element = table.element
            if id(element) in seen and id(element) not in done:
                done.add(id(element))  # its later breaks: on the next layout, where the pages have settled
                row = _first_body_row(table)
                number = _number(element)
                if row is not None and number and parent is not None:
                    split |= relayout.split_table(parent, element, row, f"续表{number}") is not None
            seen.add(id(element))
    return split


def _tables(box: boxes.Box, parent: object | None) -> Iterator[tuple[boxes.Box, object | None]]:
    """Each table box under `box`, with the element its table sits in."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TableBox):
            yield child, parent
        elif isinstance(child, boxes.BlockLevelBox):
            # WeasyPrint wraps a table in a block box of the same element: the parent stays the one outside.
            element = child.element
            yield from _tables(child, parent if element is None or element.tag == "table" else element)


def _first_body_row(table: boxes.Box) -> object | None:
    """The element of the first body row the table box holds on its page."""
    for group in getattr(table, "children", ()):
        if isinstance(group, boxes.TableRowGroupBox) and not group.is_header:
            for row in group.children:
                if isinstance(row, boxes.TableRowBox):
                    return row.element
    return None


def _number(table: object) -> str:
    """N of the table's caption `表N　…` (or of a part's `续表N`)."""
    for child in table:  # type: ignore[attr-defined]
        if child.tag == "caption":
            found = _NUMBER.search(strip_joiners("".join(child.itertext())))
            return found.group(1) if found else ""
    return ""
