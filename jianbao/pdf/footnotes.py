"""Keep each footnote on the page of its call, after layout.

WeasyPrint 70 may move a footnote to the next page to save a paragraph from
an orphan line at the page's foot (its fix for
https://github.com/Kozea/WeasyPrint/issues/2432, PR #2437): it reports the
page's last footnote, whichever paragraph calls it, and keeps it reported even
when the lines it made room for are then pushed over too. No CSS property
turns that off. So after layout we look for a note printed on a later page
than its call and force a page break where the call's page should end instead:

- before the block the page break splits, together with the headings kept
  with it (`break-after: avoid`), as WeasyPrint would do without the report;
- or, if no block is split, at the very place the page already ends.

The caller (jianbao/pdf.py) lays the document out again, only for such an
issue; with the break forced the overflow that triggered the report never
happens.
"""

from __future__ import annotations

from collections.abc import Iterator

from jianbao.pdf.internals import boxes, relayout

AVOID = ("avoid", "avoid-page")


def _blocks(box: boxes.Box, parent: boxes.Box | None = None) -> Iterator[tuple[boxes.Box, boxes.Box | None]]:
    """(box, parent) for every in-flow block-level box under `box`, itself included."""
    yield box, parent
    for child in boxes.in_flow(box):
        yield from _blocks(child, box)


def _note_elements(page: object) -> list[object]:
    """The elements of the notes printed in the page's footnote area."""
    return [
        note.element
        for child in boxes.page_box(page).children
        if isinstance(child, boxes.FootnoteAreaBox)
        for note in child.children
    ]


def misplaced_call_page(document: object) -> int | None:
    """Index of the first page with a footnote call whose note prints on a later page."""
    pages = getattr(document, "pages", [])
    note_page = {id(note): index for index, page in enumerate(pages) for note in _note_elements(page)}
    for index, page in enumerate(pages):
        for box in boxes.flow_root(page).descendants():
            if box.element_tag.endswith("::footnote-call") and note_page.get(id(box.element), -1) > index:
                return index
    return None


def break_target(document: object, index: int) -> object | None:
    """The element that should start the page after page `index`, or None."""
    pages = getattr(document, "pages", [])
    if index + 1 >= len(pages):
        return None
    on_page: dict[int, tuple[boxes.Box, boxes.Box | None]] = {}
    for box, parent in _blocks(boxes.flow_root(pages[index])):
        on_page.setdefault(id(box.element), (box, parent))
    earlier = {id(box.element) for box, _ in _blocks(boxes.flow_root(pages[index - 1]))} if index else set()
    node = boxes.flow_root(pages[index + 1])
    while children := boxes.in_flow(node):
        if id(children[0].element) not in on_page:
            # The page ends between two blocks: force the break there.
            parent = on_page[id(node.element)][0]
            return _group_start(parent, len(boxes.in_flow(parent)), children[0].element, on_page, earlier)
        node = children[0]
    # The page break splits `node`'s lines: move the whole block.
    box, parent = on_page[id(node.element)]
    if parent is None:
        return None
    return _group_start(parent, boxes.in_flow(parent).index(box), None, on_page, earlier)


def _group_start(
    parent: boxes.Box,
    position: int,
    following: object | None,
    on_page: dict[int, tuple[boxes.Box, boxes.Box | None]],
    earlier: set[int],
) -> object | None:
    """The first element of the blocks that must move with `parent`'s child at
    `position` (`following` if that is past the children on this page): the
    blocks before it with `break-after: avoid`, as WeasyPrint keeps them. None
    when that run starts the page, where a forced break would leave it empty."""
    while True:
        siblings = boxes.in_flow(parent)
        while position and siblings[position - 1].style["break_after"] in AVOID:
            position -= 1
        if position:
            return siblings[position].element if position < len(siblings) else following
        if id(parent.element) in earlier:
            return None  # the run starts a container begun on an earlier page
        box, grandparent = on_page[id(parent.element)]
        if grandparent is None:
            return None
        parent, position = grandparent, boxes.in_flow(grandparent).index(box)


def force_break_for_misplaced_note(document: object) -> bool:
    """Add `break-before: page` where a misplaced note's page should end; True if added."""
    index = misplaced_call_page(document)
    if index is None:
        return False
    try:
        target = break_target(document, index)
    except (KeyError, ValueError):  # a box tree of an unforeseen shape: leave the layout as it is
        return False
    if target is None:
        return False
    relayout.force_break_before(target)
    return True
