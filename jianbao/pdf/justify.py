"""A laid-out WeasyPrint document → the same document with flush, even Chinese lines.

WeasyPrint 70's `text-align: justify` only stretches spaces, so lines of
Chinese stay ragged and a line shortened by a line rule (typeset.py) ends a
character or two short. tighten.py (between a first and a second
layout) makes room on the lines whose slack would widen every gap by more than
about a point; `justify_lines` removes the word joiners typeset.py
added and spreads the slack of every non-final line of a justified paragraph
evenly over its character gaps; grid.py puts the baseline of every
16 pt line on the 版心's line grid; `clean_bookmarks` takes the joiners out of the PDF outline.
"""

from __future__ import annotations

from collections.abc import Iterator

from jianbao.pdf.internals import boxes
from jianbao.text.chars import WJ, ZWSP


def line_leaves(box: boxes.Box) -> Iterator[boxes.Box]:
    """Text boxes and atomic inlines of a line, in visual order."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from line_leaves(child)
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
    for lines in paragraphs(document, drop=True):
        for line, right in lines[:-1]:
            _plain_spaces(line)
            stretch_line(line, right)


def _plain_spaces(line: boxes.LineBox) -> None:
    """Take WeasyPrint's justification out of the line's spaces (stretch_line spreads it)."""
    shift = 0.0
    for leaf in line_leaves(line):
        leaf.position_x += shift
        if isinstance(leaf, boxes.TextBox):
            shift -= boxes.drop_word_justification(leaf)
    if shift:
        _fit_parents(line)


def paragraphs(
    document: object, drop: bool = False, body_only: bool = False
) -> list[list[tuple[boxes.LineBox, float]]]:
    """The lines of each justified paragraph (across pages), each with the right edge it
    should end at; with `drop`, the joiners of every line are taken out first; with
    `body_only`, not the 报尾's rows."""
    by_block: dict[int, list[tuple[boxes.LineBox, float]]] = {}
    for page in getattr(document, "pages", []):
        for block in _containers(boxes.page_box(page), body_only):
            if not isinstance(block, boxes.BlockContainerBox):
                continue
            lines = [child for child in block.children if isinstance(child, boxes.LineBox)]
            if drop:
                for line in lines:
                    drop_joiners(line)
            if not lines or block.style["text_align_all"] != "justify":
                continue
            key = id(block.element) if block.element is not None else id(block)
            right = block.content_box_x() + block.width
            by_block.setdefault(key, []).extend((line, right) for line in lines)
    return list(by_block.values())


def _containers(box: boxes.Box, body_only: bool) -> Iterator[boxes.Box]:
    """`box` and the boxes under it, in tree order; with `body_only`, none inside the 报尾."""
    element = getattr(box, "element", None)
    if body_only and box.element_tag == "footer" and element is not None and "colophon" in element.get("class", ""):
        return
    yield box
    for child in getattr(box, "children", ()):
        yield from _containers(child, body_only)


def drop_joiners(line: boxes.LineBox) -> None:
    """Take the word joiners out of a laid-out line: they have done their work.

    Pango gives a joiner letter spacing like any character, so left in place
    it widens its gap (and PDF readers see a space there).
    """
    shift = 0.0
    for leaf in line_leaves(line):
        leaf.position_x += shift
        if isinstance(leaf, boxes.TextBox) and (WJ in leaf.text or ZWSP in leaf.text):
            count = leaf.text.count(WJ) + leaf.text.count(ZWSP)
            boxes.drop_characters(leaf, WJ)
            boxes.drop_characters(leaf, ZWSP)
            spacing = leaf.style["letter_spacing"]
            delta = -count * (0 if spacing == "normal" else spacing)
            leaf.width += delta
            shift += delta
    if shift:
        _fit_parents(line)


def stretch_line(line: boxes.LineBox, right: float) -> None:
    """Spread `right` minus the line's end over the gaps between its characters."""
    leaves = list(line_leaves(line))
    texts = [leaf for leaf in leaves if isinstance(leaf, boxes.TextBox)]
    if not texts or any("\n" in leaf.text for leaf in texts):
        return  # a forced break (<br>) ends this line: leave it as set
    end = max(leaf.position_x + leaf.margin_width() for leaf in leaves)
    last = texts[-1]
    end = max(end, last.position_x + last.width)
    chars = sum(_spaced_count(leaf.text) for leaf in texts)
    # WeasyPrint counts a spacing after the last glyph; the visible edge does not.
    slack = right - end + letter_spacing(last)
    font_size = last.style["font_size"]
    if chars < 2 or abs(slack) < 0.01 or slack > MAX_SLACK_EMS * font_size:
        return  # nothing to do, or a structural break (two spans too long for one line)
    # Pango takes letter spacing in 1/1024 px: try the values around the ideal
    # and keep the one whose drawn advances put the last glyph nearest `right`.
    counts = [_spaced_count(t.text) for t in texts]
    before = [_laid_out(t) for t in texts]
    # The one spacing that moves the end by `slack` (runs may start with different spacings).
    ideal = int((slack + sum(c * b for c, b in zip(counts, before, strict=True)) - before[-1]) / (chars - 1) * 1024)

    def growth(units: int) -> list[float]:
        drawn = boxes.drawn_spacing(units, font_size)
        return [count * (drawn - old) for count, old in zip(counts, before, strict=True)]

    def miss(units: int) -> float:
        # The line end moves by the growth of all boxes, less the last glyph's trailing spacing.
        moved = sum(growth(units)) - boxes.drawn_spacing(units, font_size) + before[-1]
        return abs(moved - slack)

    units = min(range(ideal - 24, ideal + 25), key=miss)
    grown = dict(zip(map(id, texts), growth(units), strict=True))
    shift = 0.0
    for leaf in leaves:
        leaf.position_x += shift
        if isinstance(leaf, boxes.TextBox):
            boxes.set_letter_spacing(leaf, units / 1024)
            leaf.width += grown[id(leaf)]
            shift += grown[id(leaf)]
    _fit_parents(line)


def letter_spacing(box: boxes.TextBox) -> float:
    """The box's letter spacing in px (0 for normal)."""
    spacing = box.style["letter_spacing"]
    return 0.0 if spacing == "normal" else spacing


def _laid_out(box: boxes.TextBox) -> float:
    """The spacing per glyph in the box's laid-out width (Pango's 1/1024 px steps)."""
    return int(letter_spacing(box) * 1024) / 1024


def _fit_parents(box: boxes.Box) -> None:
    """Stretch inline boxes (strong, span) so they cover their moved children."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.InlineBox) and child.children:
            _fit_parents(child)
            first, last = child.children[0], child.children[-1]
            child.position_x = first.position_x - child.padding_left - child.border_left_width - child.margin_left
            child.width = last.position_x + last.margin_width() - first.position_x


def clean_bookmarks(document: object) -> None:
    """Drop the word joiners `typeset.py` added to PDF bookmark labels."""
    for page in getattr(document, "pages", []):
        page.bookmarks = [
            (level, label.replace(WJ, "").replace(ZWSP, ""), *rest) for level, label, *rest in page.bookmarks
        ]
