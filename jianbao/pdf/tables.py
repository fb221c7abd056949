"""A laid-out document → its tables' first parts without the `续` their caption row carries (tablehead.py).

The caption of a table is the first row of its header, repeated by WeasyPrint
on each page the table runs onto as `续表N　…`; on the table's first page it
must read `表N　…`, so the `续` is taken out of that part's text (it is out of
flow: nothing moves).
"""

from __future__ import annotations

from jianbao.pdf.internals import boxes
from jianbao.pdf.tablehead import XU, XU_CLASS


def unmark_first_parts(document: object) -> None:
    """Take the `续` out of each table's part on its first page (the repeated headers keep theirs)."""
    seen: set[int] = set()
    for page in getattr(document, "pages", []):
        for table in _tables(boxes.page_box(page)):
            if id(table.element) not in seen:
                seen.add(id(table.element))
                for box in table.descendants():
                    if isinstance(box, boxes.TextBox) and _is_xu(box):
                        boxes.drop_characters(box, XU)


def _tables(box: boxes.Box) -> list[boxes.Box]:
    return [child for child in box.descendants() if isinstance(child, boxes.TableBox)]


def _is_xu(box: boxes.TextBox) -> bool:
    element_ = box.element
    return element_ is not None and XU_CLASS in (element_.get("class") or "").split()
