"""A laid-out WeasyPrint document → the same document with flush, even Chinese lines.

WeasyPrint 70's `text-align: justify` only stretches spaces, so lines of
Chinese stay ragged and a line shortened by a line rule (typeset.py) ends a
character or two short. `tighten_spread_lines` (between a first and a second
layout) makes room on the lines whose slack would widen every gap by more than
about a point; `justify_lines` removes the word joiners typeset.py
added and spreads the slack of every non-final line of a justified paragraph
evenly over its character gaps; `snap_to_grid` puts the baseline of every
16 pt line on the 版心's line grid (headings in other faces, the text after a
table or figure); `clean_bookmarks` takes the joiners out of the PDF outline.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from jianbao.pdf.internals import boxes, relayout
from jianbao.text.chars import CLOSING_MARKS, HAN, NO_END, NO_START, OPENING_MARKS, WJ, ZWSP, advance_ems


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
    for lines in _paragraphs(document, drop=True):
        for line, right in lines[:-1]:
            _plain_spaces(line)
            stretch_line(line, right)


def _plain_spaces(line: boxes.LineBox) -> None:
    """Take WeasyPrint's justification out of the line's spaces (stretch_line spreads it)."""
    shift = 0.0
    for leaf in _leaves(line):
        leaf.position_x += shift
        if isinstance(leaf, boxes.TextBox):
            shift -= boxes.drop_word_justification(leaf)
    if shift:
        _fit_parents(line)


def _paragraphs(document: object, drop: bool = False) -> list[list[tuple[boxes.LineBox, float]]]:
    """The lines of each justified paragraph (across pages), each with the right edge it
    should end at; with `drop`, the joiners of every line are taken out first."""
    by_block: dict[int, list[tuple[boxes.LineBox, float]]] = {}
    for page in getattr(document, "pages", []):
        for block in boxes.page_box(page).descendants():
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
    """Drop the word joiners `typeset.py` added to PDF bookmark labels."""
    for page in getattr(document, "pages", []):
        page.bookmarks = [
            (level, label.replace(WJ, "").replace(ZWSP, ""), *rest) for level, label, *rest in page.bookmarks
        ]


# ---- Lines too short to spread evenly (SPEC §5) -------------------------------------------

# A line whose stretch would widen its gaps by more than this (px) is fitted instead.
SPREAD_PX = 0.95 / 0.75  # 0.95 pt
# Squeezing up to this many marks is preferred to moving a number's unit.
FEW_MARKS = 2
# At most this much tighter a gap (em) when neither makes room: InDesign's usual minimum letter spacing.
SHRINK_EMS = 0.05
_MARKS = CLOSING_MARKS + OPENING_MARKS
SQUEEZABLE = _MARKS.translate(str.maketrans("", "", "。？！"))
_NEXT_TO = _MARKS + "…—"


def tighten_spread_lines(document: object) -> bool:
    """Make room, for the next layout, on the lines that would otherwise spread.

    A line ends a character or two short when what follows may not be split
    from its next characters (a number and its unit, a quote pair, a closing
    mark, a paragraph's last two characters). Spreading that slack evenly
    widens every gap by more than a point. Instead, in the parsed document:
    a few full-width marks of the short line take half width (`jb-halt`, the
    GB/T 15834 squeeze: those next to another mark first, then closing marks,
    then opening ones; a closing mark that will end the line too), or a
    number's unit may move to the next line (its joiner goes), or else the
    line's last run is set a little tighter (at most `SHRINK_EMS` a gap) so
    that the characters fit, the gaps made even again by `justify_lines`.
    The caller lays the document out again; only documents with such lines
    pay for it. Returns True when anything changed.
    """
    edits: list[_Edit] = []
    for lines in _paragraphs(document):
        for (line, right), (after, _) in pairwise(lines):
            edits += _room_for(line, right, after)
    changed = False
    # Right to left in each box: an edit leaves the box's text before it whole, and that
    # text (up to the previous edit) is what finds the next one.
    ends: dict[tuple[int, str], int] = {}
    for edit in sorted(edits, key=lambda edit: -edit.index):
        key = (id(edit.element), edit.context)
        text = edit.context[: ends.get(key, len(edit.context))]
        ends[key] = edit.index
        changed |= relayout.edit_text(edit.element, text, edit.index, edit.wrap, edit.length, edit.style)
    return changed


@dataclass(frozen=True)
class _Edit:
    """Characters `index` to `index + length` of a box's text (`context`) in `element`: wrapped in a
    span of class `wrap` (with inline `style`), or deleted (`wrap` None)."""

    element: object
    context: str
    index: int
    wrap: str | None
    length: int = 1
    style: str = ""


def _room_for(line: boxes.LineBox, right: float, after: boxes.LineBox) -> list[_Edit]:
    """The edits that let `line` take the characters pushed to `after`; none when it is even enough."""
    halted = _halted_texts(line)
    texts = [leaf for leaf, _ in halted]
    following_halted = _halted_texts(after)
    following = [leaf for leaf, _ in following_halted]
    if not texts or not following or any("\n" in leaf.text for leaf in texts):
        return []
    end = max(leaf.position_x + leaf.margin_width() for leaf in _leaves(line))
    slack = right - end + _spacing(texts[-1])
    size = texts[-1].style["font_size"]
    gaps = sum(_visible(leaf.text) for leaf in texts) - 1
    if gaps < 8 or slack <= SPREAD_PX * gaps:
        return []
    text = "".join(leaf.text for leaf in following)
    flat = [(leaf, index, half) for leaf, half in following_halted for index in range(len(leaf.text))]
    end, number = _pushed_unit(text)
    widths = [0.5 if half else _ems(leaf.text[index]) for leaf, index, half in flat[:end]]
    if not widths or (sum(widths) + 0.1) * size <= slack:
        return []  # something else ended the line
    # The unit's closing mark will end the line: it may take half width there.
    leaf, index, half = flat[end - 1]
    ending = [] if half or leaf.text[index] not in CLOSING_MARKS else [(leaf, index)]
    if ending:
        widths[-1] = 0.5
    marks = _squeezable(halted)
    need = (sum(widths) + 0.1) * size - slack

    def squeezes(width: float) -> int:
        """How many marks must take half width for `width` ems more to fit."""
        return max(0, math.ceil(((width + 0.1) * size - slack) / (size / 2)))

    whole = squeezes(sum(widths))
    if whole <= min(FEW_MARKS, len(marks)):
        return _halt_edits(ending + marks[:whole])
    first = following[0]
    split = squeezes(_ems(number))
    if number and first.text.startswith(number) and split <= min(FEW_MARKS, len(marks)):
        # Let the unit move: the number alone joins this line.
        return [_Edit(first.element, first.text, len(number), None), *_halt_edits(marks[:split])]
    # The marks there are squeezed, and the rest of the line's last run (before its first
    # squeezed mark) set tighter for what they do not make up.
    marks = marks[:whole]
    last = texts[-1]
    rest = need - len(marks) * size / 2
    upto = min([index for leaf, index in marks if leaf is last], default=len(last.text))
    if rest <= 0:
        return _halt_edits(ending + marks)
    if tight := _tighter(last, upto, rest):
        return [tight, *_halt_edits(ending + marks)]
    return []


def _tighter(last: boxes.TextBox, length: int, need: float) -> _Edit | None:
    """Set the first `length` characters of a line's last run tighter so that the line takes
    `need` px more; None if that is more than SHRINK_EMS a gap. (After layout the whole
    line's gaps are made even again.)"""
    gaps = _visible(last.text[:length]) - 1
    if gaps < 4 or need > SHRINK_EMS * last.style["font_size"] * gaps:
        return None
    spacing = math.floor((_spacing(last) - need / gaps) * 100) / 100
    return _Edit(last.element, last.text, 0, "jb-tight", length, f"letter-spacing:{spacing:.2f}px")


def _visible(text: str) -> int:
    """How many characters of `text` print (joiners do not)."""
    return len(text) - text.count(WJ) - text.count(ZWSP)


def _halt_edits(marks: list[tuple[boxes.TextBox, int]]) -> list[_Edit]:
    """Edits that give these marks half width."""
    return [
        _Edit(
            leaf.element,
            leaf.text,
            index,
            "jb-halt jb-open" if leaf.text[index] in OPENING_MARKS else "jb-halt jb-close",
        )
        for leaf, index in marks
    ]


def _pushed_unit(text: str) -> tuple[int, str]:
    """Where a line's first break opportunity is, and the number the line starts with
    when a joiner holds a unit to it ("" otherwise)."""
    end = len(text)
    for index in range(1, len(text)):
        before, char = text[index - 1], text[index]
        if before == ZWSP:
            end = index
            break
        if WJ in (before, char) or char in NO_START or before in NO_END:
            continue
        if before.isascii() and char.isascii() and not before.isspace():
            continue
        end = index
        break
    number = re.match(rf"[0-9.,:]+(?={WJ}{HAN})", text[:end])
    return end, number.group() if number else ""


def _ems(text: str) -> float:
    """The advance of `text` in ems (jianbao/text estimate; joiners print nothing)."""
    return sum(0.0 if char in (WJ, ZWSP) else advance_ems(char) for char in text)


def _squeezable(texts: list[tuple[boxes.TextBox, bool]]) -> list[tuple[boxes.TextBox, int]]:
    """The full-width marks of a line that may take half width, best first (box, index).

    Those next to a mark of full width or to … or —, an opening mark starting the line and
    a closing one ending it come first (where GB/T 15834 squeezes), then closing marks,
    then opening ones, the line's last first.
    A mark next to one already squeezed, and 。？！ (which end a sentence), keep their width.
    """
    chars = [
        (char, half, leaf, index)
        for leaf, half in texts
        for index, char in enumerate(leaf.text)
        if char not in (WJ, ZWSP)
    ]
    ranked = []
    for position, (char, half, leaf, index) in enumerate(chars):
        if half or char not in SQUEEZABLE:
            continue
        near = [chars[i] for i in (position - 1, position + 1) if 0 <= i < len(chars)]
        if any(other in _MARKS and other_half for other, other_half, _, _ in near):
            continue
        at_edge = position == (0 if char in OPENING_MARKS else len(chars) - 1)
        next_to = at_edge or any(other in _NEXT_TO for other, _, _, _ in near)
        rank = 0 if next_to else 1 if char in CLOSING_MARKS else 2
        ranked.append((rank, -position, leaf, index))
    return [(leaf, index) for _, _, leaf, index in sorted(ranked, key=lambda mark: mark[:2])]


def _halted_texts(box: boxes.Box, halted: bool = False) -> list[tuple[boxes.TextBox, bool]]:
    """The text boxes of a line, each with whether it is inside a `jb-halt` span
    (typeset.py squeezed it: it takes half width already)."""
    found: list[tuple[boxes.TextBox, bool]] = []
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            found.append((child, halted))
        elif isinstance(child, boxes.InlineBox):
            element = child.element
            inside = element is not None and "jb-halt" in (element.get("class") or "").split()
            found += _halted_texts(child, halted or inside)
    return found


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
