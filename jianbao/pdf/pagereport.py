"""A laid-out document → its short pages, each with the rule that made it short (the layout report).

GB/T 9704's page holds 22 lines. A page of body text that stops short of its
foot does so for a reason an editor can act on: what starts the next page
could not start on this one. `short_pages` names that reason for every page
but the last that ends two or more grid lines short: an article title or a
heading kept with its first lines, a figure or table that did not fit, a
paragraph too short to split or kept at least two lines to a page, a footnote
kept on the page of its call, the 报尾 kept with the last lines of the text.
`build -v` and `check --layout` print the report.
"""

from __future__ import annotations

from collections.abc import Iterator

from jianbao.pdf.internals import boxes
from jianbao.pdf.printed import ShortPage

PITCH_PX = 28.95 * 4 / 3  # one grid line, in CSS px
SHORT_LINES = 2  # a page this many grid lines short (or more) is reported
_HEADINGS = {"h3": "一级标题", "h4": "二级标题", "h5": "三级标题", "h6": "四级标题"}


def short_pages(document: object) -> tuple[ShortPage, ...]:
    """Every page but the last that ends `SHORT_LINES` or more grid lines short, with its reason."""
    pages = getattr(document, "pages", [])
    found = []
    for index, page in enumerate(pages[:-1]):
        empty = int(room_left(page) + 0.25)
        if empty >= SHORT_LINES:
            kind, reason = _reason(page, pages[index + 1], index + 2 == len(pages))
            found.append(ShortPage(index + 1, empty, reason, kind))
    return tuple(found)


def page_room(document: object) -> tuple[int, ...]:
    """The empty grid lines at the foot of every page (of the last: below the 报尾, before it moves down)."""
    return tuple(int(room_left(page) + 0.25) for page in getattr(document, "pages", []))


def room_left(page: object) -> float:
    """How many grid lines the page's text stops short of the 版心's foot (its footnotes count as used)."""
    page_box = boxes.page_box(page)
    bottom = page_box.content_box_y() + page_box.height
    notes = boxes.footnote_area(page)
    if notes is not None:
        bottom = notes.position_y
    used = max((box.position_y + box.margin_height() for box in _lowest(boxes.flow_root(page))), default=bottom)
    return max(0.0, (bottom - used) / PITCH_PX)


def _reason(page: object, following: object, following_is_last: bool) -> tuple[str, str]:
    """Why `page` ends short — what starts the page after it could not start here: a kind (printed.py
    `ShortPage.kind`) and the reason in words."""
    first = _first_block(following)
    if first is None:
        return "empty", "下一页没有正文"
    element = first.element
    classes = (element.get("class") or "").split() if element is not None else []
    on_page = _elements(page)
    if following_is_last and _holds_colophon(following) and first.element_tag in ("p", "li", "blockquote"):
        return "colophon", "报尾放不下，正文最后几行随报尾排到下一页（报尾不单独成页）"
    if "article-title" in classes or first.element_tag == "h2":
        return "title", "下一篇文章的标题须与开头几行排在一起"
    if first.element_tag in _HEADINGS:
        return "heading", f"{_HEADINGS[first.element_tag]}须与下面的正文排在一起（不单独留在页末）"
    if "figure" in classes:
        return "figure", "图排不下，移到下一页"
    if "table-wrap" in classes or first.element_tag == "table":
        return "table", "表格的表题、表头和前两行排不下，移到下一页"
    if "colophon" in classes:
        return "colophon", "报尾放不下，排到下一页"
    if id(element) in on_page:
        return "paragraph", "段落最后一行不单独排在下一页页首"
    lines = sum(1 for child in getattr(first, "children", ()) if isinstance(child, boxes.LineBox))
    if 0 < lines <= 3:
        return "paragraph", f"段落只有 {lines} 行，不能拆在两页"
    return "footnote", "脚注须与注码排在同一页"


def _first_block(page: object) -> boxes.Box | None:
    """The innermost block the page's text starts with (a figure or a table counts as one block)."""
    node = boxes.flow_root(page)
    while children := boxes.in_flow(node):
        first = children[0]
        classes = (first.element.get("class") or "").split() if first.element is not None else []
        if {"figure", "table-wrap", "colophon"} & set(classes) or isinstance(first, boxes.TableBox):
            return first
        node = first
    return node if node is not boxes.flow_root(page) else None


def _lowest(box: boxes.Box) -> Iterator[boxes.Box]:
    """The innermost in-flow blocks and lines under `box`: what sits lowest on the page."""
    children = boxes.in_flow(box) or [c for c in getattr(box, "children", ()) if isinstance(c, boxes.LineBox)]
    if not children:
        yield box
    for child in children:
        yield from [child] if isinstance(child, boxes.LineBox) else _lowest(child)


def _elements(page: object) -> set[int]:
    return {id(box.element) for box in boxes.flow_root(page).descendants() if box.element is not None}


def _holds_colophon(page: object) -> bool:
    return any(
        box.element_tag == "footer" and "colophon" in (box.element.get("class") or "")
        for box in boxes.flow_root(page).descendants()
        if box.element is not None
    )
