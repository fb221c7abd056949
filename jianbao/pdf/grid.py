"""A laid-out document → every 16 pt line's baseline on the 版心's line grid.

Headings in other faces, the text after a table or figure, subtitle and author
lines: each is moved to the grid line of the body text (28.95 pt pitch), as
GB/T 9704's 22-line page needs; what follows a moved block moves with it.
"""

from __future__ import annotations

from jianbao.pdf.internals import boxes

# ---- Every 16 pt line on the grid ---------------------------------------------------

# A line this close to a grid line is a face's own baseline (黑体, 楷体 put theirs at
# another depth in the same line box): it moves alone. A bigger offset follows a block
# of another height (table, figure, footnote-free title block): everything after moves.
FACE_OFFSET_PX = 4.0
# Text after a block moves up to the grid line just above it when that is at most
# 6 pt away: with the block's half-line margin, ≥ 15 pt stay between them.
UP_PX = 8.0


def snap_to_grid(document: object) -> None:
    """Put the baseline of every body-size line on the page's line grid.

    The grid is the 版心's top plus whole line pitches, with the body face's
    baseline in it. A heading or 楷体 line set in a face whose baseline sits
    higher or lower moves by that difference; after a table, a figure or
    anything else whose height is not a whole number of lines, the rest of
    the page moves down to the next grid line (or up, when down would run
    past the page's foot or its footnotes).
    """
    pages = getattr(document, "pages", [])
    if not pages:
        return
    root = boxes.page_box(pages[0]).children[0]
    pitch = root.style["line_height"]
    pitch = getattr(pitch, "value", None)
    if not pitch:
        return
    body = _body_baseline(pages, root.style["font_family"], root.style["font_size"], pitch)
    if body is None:
        return
    for page in pages:
        page_box = boxes.page_box(page)
        flow = page_box.children[0]
        top = page_box.content_box_y()
        limit = top + page_box.height
        for child in page_box.children:
            if isinstance(child, boxes.FootnoteAreaBox) and child.children:
                limit = min(limit, child.position_y)
        state = _Snap(top + body, pitch, root.style["font_size"], limit, _flow_bottom(flow))
        state.walk(flow)


def _body_baseline(pages: list, family: tuple, size: float, pitch: float) -> float | None:
    """Distance from a body line's top to its baseline (the first line set in the root's face)."""
    for page in pages:
        for box in boxes.page_box(page).descendants():
            if isinstance(box, boxes.LineBox) and abs(box.height - pitch) < 0.1:
                style = box.style
                if style["font_family"] == family and style["font_size"] == size:
                    return float(box.baseline)
    return None


def _is_leaf(box: boxes.Box) -> bool:
    """A box moved whole: lines, tables, images, the masthead and 报尾."""
    if isinstance(box, boxes.LineBox | boxes.TableBox | boxes.ReplacedBox) or box.element_tag in ("header", "footer"):
        return True
    if getattr(box, "is_table_wrapper", False):
        return True
    return not isinstance(box, boxes.BlockContainerBox) or not box.children


def _flow_bottom(box: boxes.Box) -> float:
    """The lowest bottom edge of the page's flow content."""
    bottom = 0.0
    for child in getattr(box, "children", ()):
        if not child.is_in_normal_flow():
            continue
        if _is_leaf(child):
            bottom = max(bottom, child.position_y + child.margin_height())
        else:
            bottom = max(bottom, _flow_bottom(child))
    return bottom


class _Snap:
    """One page's walk: `shift` is how far everything from here on moves down."""

    def __init__(self, grid: float, pitch: float, size: float, limit: float, bottom: float):
        self.grid, self.pitch, self.size, self.limit, self.bottom = grid, pitch, size, limit, bottom
        self.shift = 0.0

    def walk(self, box: boxes.Box) -> None:
        for child in getattr(box, "children", ()):
            if not child.is_in_normal_flow():
                if self.shift:
                    child.translate(dy=self.shift)
                continue
            if _is_leaf(child):
                child.translate(dy=self.shift)
                if isinstance(child, boxes.LineBox):
                    self.line(child)
            else:
                before = self.shift
                child.position_y += before
                self.walk(child)
                child.height += self.shift - before

    def line(self, line: boxes.LineBox) -> None:
        if line.style["font_size"] != self.size or abs(line.height - self.pitch) > 0.1:
            return
        off = (line.position_y + line.baseline - self.grid) % self.pitch
        if min(off, self.pitch - off) < 0.05:
            return
        up, down = -off, self.pitch - off
        if min(off, down) <= FACE_OFFSET_PX:
            line.translate(dy=up if off <= down else down)
            return
        fits = self.bottom + self.shift + down <= self.limit + 0.05
        # Up to the grid line just passed when that is near (the block's margin keeps
        # the text clear of it), else down to the next one if the page has room.
        delta = up if off <= UP_PX or not fits else down
        line.translate(dy=delta)
        self.shift += delta
