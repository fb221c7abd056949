"""Tables that run onto another page say so: `续表N` above the header WeasyPrint repeats there (before layout).

Before layout (`caption_rows`), a table's caption `表N　…` becomes the first row of
its header, with a `续` just before `表` that takes no room (print.css: a negative margin). WeasyPrint repeats
the whole header on every page the table runs onto, so each continued part
starts `续表N　…` above its column heads — in the same layout, with no second
layout to split the table and no page whose break moved when a caption was
added. After layout (tables.py), the `续`'s character is taken out of the part on
the table's first page, which reads `表N　…` as captioned. Rows never split
(print.css), and the first two and the last body rows keep to their neighbours,
so a repeated header always has two rows under it.
"""

from __future__ import annotations

import re

from jianbao.tree import Node, element, map_nodes

TITLE_ROW = "jb-title"  # the header row that carries the caption (print.css)
XU_CLASS = "jb-xu"  # the 续 before 表N, taking no room
XU = "续"
_NUMBER = re.compile(r"表\s*\d+")


def caption_rows(page: Node) -> Node:
    """Every captioned table of the page with its caption as the first row of its header."""
    return map_nodes(page, lambda node: _captioned(node) if node.tag == "table" else node)


def _captioned(table: Node) -> Node:
    caption = next((child for child in table.elements() if child.tag == "caption"), None)
    head = next((child for child in table.elements() if child.tag == "thead"), None)
    rows = head.elements() if head is not None else ()
    if caption is None or head is None or not rows:
        return table
    first = caption.children[0] if caption.children else ""
    number = _NUMBER.match(first) if isinstance(first, str) else None
    if number is None or not isinstance(first, str):
        return table
    columns = sum(int(cell.get("colspan") or 1) for cell in rows[0].elements() if cell.tag in ("th", "td"))
    mark = element("span", element("span", XU, class_=XU_CLASS), number.group(), class_="jb-number")
    rest = [first[number.end() :], *caption.children[1:]]
    cell = element("th", mark, *(child for child in rest if child), colspan=str(columns))
    head = head.with_children([element("tr", cell, class_=TITLE_ROW), *head.children])
    kept = [child for child in table.children if child is not caption]
    return table.with_children([head if isinstance(c, Node) and c.tag == "thead" else c for c in kept])
