"""A laid-out WeasyPrint document → the same document with flush, even Chinese lines.

WeasyPrint 70's `text-align: justify` only stretches spaces, so lines of
Chinese stay ragged and a line shortened by a line rule (prepare.py) ends a
character or two short. `justify_lines` removes the word joiners prepare.py
added and spreads the slack of every non-final line of a justified paragraph
evenly over its character gaps; `snap_to_grid` puts the baseline of every
16 pt line on the 版心's line grid (headings in other faces, the text after a
table or figure); `clean_bookmarks` takes the joiners out of the PDF outline.
"""

from __future__ import annotations

from collections.abc import Iterator

from weasyprint.formatting_structure import boxes

from jianbao.pdf import weasy_internals as internals
from jianbao.pdf.prepare import WJ, ZWSP


def _leaves(box: boxes.Box) -> Iterator[boxes.Box]:
    """Text boxes and atomic inlines of a line, in visual order."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _leaves(child)
        elif child.is_in_normal_flow():
            yield child


def _spaced_count(text: str) -> int:
    """How many letter spacings Pango gives `text`: one per character."""
    return len(text) - text.count("\n")


# Line rules shorten a line by at most about two characters; a bigger gap means
# the line ends at a structural break (e.g. 报尾 "责任编辑" before a long phone line).
MAX_SLACK_EMS = 3


def justify_lines(document: object) -> None:
    """Make every non-final line of each justified paragraph end at its right edge.

    WeasyPrint 70 only stretches U+0020/U+00A0, so lines of Chinese stay
    ragged and a line shortened by a line rule ends a character or two short.
    Each such line gets extra letter spacing, the same at every character
    gap, and the boxes after each text run move right accordingly.
    """
    by_block: dict[int, list[tuple[boxes.LineBox, boxes.Box]]] = {}
    order: list[int] = []
    for page in getattr(document, "pages", []):
        for block in internals.page_box(page).descendants():
            if not isinstance(block, boxes.BlockContainerBox):
                continue
            lines = [child for child in block.children if isinstance(child, boxes.LineBox)]
            for line in lines:
                drop_joiners(line)
            if not lines or block.style["text_align_all"] != "justify":
                continue
            key = id(block.element) if block.element is not None else id(block)
            if key not in by_block:
                order.append(key)
            by_block.setdefault(key, []).extend((line, block) for line in lines)
    for key in order:
        for line, block in by_block[key][:-1]:
            stretch_line(line, block.content_box_x() + block.width)


def drop_joiners(line: boxes.LineBox) -> None:
    """Take the word joiners out of a laid-out line: they have done their work.

    Pango gives a joiner letter spacing like any character, so left in place
    it widens its gap (and PDF readers see a space there).
    """
    shift = 0.0
    for leaf in _leaves(line):
        leaf.position_x += shift
        if isinstance(leaf, boxes.TextBox) and (WJ in leaf.text or ZWSP in leaf.text):
            count = leaf.text.count(WJ) + leaf.text.count(ZWSP)
            internals.drop_characters(leaf, WJ)
            internals.drop_characters(leaf, ZWSP)
            spacing = leaf.style["letter_spacing"]
            delta = -count * (0 if spacing == "normal" else spacing)
            leaf.width += delta
            shift += delta
    if shift:
        _fit_parents(line)


def stretch_line(line: boxes.LineBox, right: float) -> None:
    """Spread `right` minus the line's end over the gaps between its characters."""
    leaves = list(_leaves(line))
    texts = [leaf for leaf in leaves if isinstance(leaf, boxes.TextBox)]
    if not texts or any("\n" in leaf.text for leaf in texts):
        return  # a forced break (<br>) ends this line: leave it as set
    end = max(leaf.position_x + leaf.margin_width() for leaf in leaves)
    last = texts[-1]
    end = max(end, last.position_x + last.width)
    chars = sum(_spaced_count(leaf.text) for leaf in texts)
    # WeasyPrint counts a spacing after the last glyph; the visible edge does not.
    slack = right - end + _spacing(last)
    font_size = last.style["font_size"]
    if chars < 2 or abs(slack) < 0.01 or slack > MAX_SLACK_EMS * font_size:
        return  # nothing to do, or a structural break (two spans too long for one line)
    # Pango takes letter spacing in 1/1024 px: try the values around the ideal
    # and keep the one whose drawn advances put the last glyph nearest `right`.
    ideal = int((_spacing(last) + slack / (chars - 1)) * 1024)

    counts = [_spaced_count(t.text) for t in texts]
    before = [_laid_out(t) for t in texts]

    def growth(units: int) -> list[float]:
        drawn = internals.drawn_spacing(units, font_size)
        return [count * (drawn - old) for count, old in zip(counts, before, strict=True)]

    def miss(units: int) -> float:
        # The line end moves by the growth of all boxes, less the last glyph's trailing spacing.
        moved = sum(growth(units)) - internals.drawn_spacing(units, font_size) + before[-1]
        return abs(moved - slack)

    units = min(range(ideal - 24, ideal + 25), key=miss)
    grown = dict(zip(map(id, texts), growth(units), strict=True))
    shift = 0.0
    for leaf in leaves:
        leaf.position_x += shift
        if isinstance(leaf, boxes.TextBox):
            internals.set_letter_spacing(leaf, units / 1024)
            leaf.width += grown[id(leaf)]
            shift += grown[id(leaf)]
    _fit_parents(line)


def _spacing(box: boxes.TextBox) -> float:
    """The box's letter spacing in px (0 for normal)."""
    spacing = box.style["letter_spacing"]
    return 0.0 if spacing == "normal" else spacing


def _laid_out(box: boxes.TextBox) -> float:
    """The spacing per glyph in the box's laid-out width (Pango's 1/1024 px steps)."""
    return int(_spacing(box) * 1024) / 1024


def _fit_parents(box: boxes.Box) -> None:
    """Stretch inline boxes (strong, span) so they cover their moved children."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.InlineBox) and child.children:
            _fit_parents(child)
            first, last = child.children[0], child.children[-1]
            child.position_x = first.position_x - child.padding_left - child.border_left_width - child.margin_left
            child.width = last.position_x + last.margin_width() - first.position_x


def clean_bookmarks(document: object) -> None:
    """Drop the word joiners `prepare_html` added from PDF bookmark labels."""
    for page in getattr(document, "pages", []):
        page.bookmarks = [
            (level, label.replace(WJ, "").replace(ZWSP, ""), *rest) for level, label, *rest in page.bookmarks
        ]


# ---- Every 16 pt line on the grid (SPEC §5) ----------------------------------------------

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
    root = internals.page_box(pages[0]).children[0]
    pitch = root.style["line_height"]
    pitch = getattr(pitch, "value", None)
    if not pitch:
        return
    body = _body_baseline(pages, root.style["font_family"], root.style["font_size"], pitch)
    if body is None:
        return
    for page in pages:
        page_box = internals.page_box(page)
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
        for box in internals.page_box(page).descendants():
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
