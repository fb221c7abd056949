"""A first layout → figures and tables moved later in the parsed tree, so the text after them fills the
gap they left (for the next layout).

A figure, or a table with its caption, header and first rows, is never
split (print.css); when it does not fit in the room a page has left, it
starts the next page and the room stays empty — half a page, at worst.
Word and LaTeX float such a block instead: the paragraphs after it fill the
page, and it follows them. Here, after the first layout, each figure or table
that starts a page while the page before ends `GAP_LINES` or more grid lines
short moves, in the parsed tree, past as many of the paragraphs after it as
the gap holds (never past a heading, another figure or table, or the end of
its article body). The caller lays the document out again.
"""

from __future__ import annotations

from jianbao.pdf.internals import boxes, relayout
from jianbao.pdf.pagereport import room_left

GAP_LINES = 3  # a page this many grid lines short before a figure or table: the figure floats
_FLOATS = ("figure", "table-wrap")
_TEXT_TAGS = frozenset({"p", "ul", "ol", "blockquote"})


def float_past_text(document: object) -> bool:
    """Move each figure or table that left a gap of `GAP_LINES` or more after the text that follows it;
    True if any moved."""
    pages = getattr(document, "pages", [])
    lines = _line_counts(pages)
    moved = False
    for index in range(1, len(pages)):
        start = _float_starting(pages[index])
        if start is None:
            continue
        box, parent = start
        gap = room_left(pages[index - 1])
        if gap < GAP_LINES or _on_page(pages[index - 1], box.element):
            continue
        siblings = [child for child in parent.element if isinstance(child.tag, str)]
        position = siblings.index(box.element)
        filled, target = 0, None
        for sibling in siblings[position + 1 :]:
            if sibling.tag not in _TEXT_TAGS:
                break
            target = sibling
            filled += lines.get(id(sibling), 0)
            if filled >= gap:
                break
        if target is not None:
            relayout.move_after(parent.element, box.element, target)
            moved = True
    return moved


def _float_starting(page: object) -> tuple[boxes.Box, boxes.Box] | None:
    """The figure or table (box, parent box) the page's text starts with, if any."""
    node = boxes.flow_root(page)
    while children := boxes.in_flow(node):
        first = children[0]
        classes = (first.element.get("class") or "").split() if first.element is not None else []
        if any(name in classes for name in _FLOATS):
            return first, node
        node = first
    return None


def _on_page(page: object, element: object) -> bool:
    return any(box.element is element for box in boxes.flow_root(page).descendants())


def _line_counts(pages: list[object]) -> dict[int, int]:
    """Element id → how many lines the blocks of that element (and those inside it) hold, over all pages."""
    counts: dict[int, int] = {}

    def walk(box: boxes.Box, elements: tuple[object, ...]) -> None:
        here = (*elements, box.element) if box.element is not None else elements
        lines = sum(1 for child in getattr(box, "children", ()) if isinstance(child, boxes.LineBox))
        for element in here if lines else ():
            counts[id(element)] = counts.get(id(element), 0) + lines
        for child in boxes.in_flow(box):
            walk(child, here)

    for page in pages:
        walk(boxes.flow_root(page), ())
    return counts
