"""A first layout → edits to its parsed tree that make room on the lines that would spread (for the second).

A line shortened by a line rule (a mark that may not start the next line, a
number kept with its unit) ends a character or two short; spread over its
gaps that slack would widen every one by more than about a point. The
lines it would spread get room instead: a squeezed mark, a unit moved to the
next line, or a little tighter letter spacing — edits the next `render()` of
the same document picks up (internals/relayout.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import pairwise

from jianbao.pdf.internals import boxes, relayout
from jianbao.pdf.justify import letter_spacing, line_leaves, paragraphs
from jianbao.text.chars import CLOSING_MARKS, HAN, NO_END, NO_START, OPENING_MARKS, WJ, ZWSP, advance_ems

# ---- Lines too short to spread evenly ------------------------------------------------

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
    a few full-width marks of the short line take half width where GB/T 15834
    squeezes (next to another mark or … —; never a comma or a stop on its own), or a
    number's unit may move to the next line (its joiner goes), or else the
    line's last run is set a little tighter (at most `SHRINK_EMS` a gap) so
    that the characters fit, the gaps made even again by `justify_lines`.
    The caller lays the document out again; only documents with such lines
    pay for it. Returns True when anything changed.
    """
    edits: list[_Edit] = []
    for lines in paragraphs(document, body_only=True):
        for (line, right), (after, _) in pairwise(lines):
            edits += _room_for(line, right, after, after is lines[-1][0])
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


def _room_for(line: boxes.LineBox, right: float, after: boxes.LineBox, after_ends: bool = False) -> list[_Edit]:
    """The edits that let `line` take the characters pushed to `after` (`after_ends`: the paragraph's last
    line); none when it is even enough."""
    halted = _halted_texts(line)
    texts = [leaf for leaf, _ in halted]
    following_halted = _halted_texts(after)
    following = [leaf for leaf, _ in following_halted]
    if not texts or not following or any("\n" in leaf.text for leaf in texts):
        return []
    end = max(leaf.position_x + leaf.margin_width() for leaf in line_leaves(line))
    slack = right - end + letter_spacing(texts[-1])
    size = texts[-1].style["font_size"]
    gaps = sum(_visible(leaf.text) for leaf in texts) - 1
    if gaps < 8 or slack <= SPREAD_PX * gaps:
        return []
    text = "".join(leaf.text for leaf in following)
    flat = [(leaf, index, half) for leaf, half in following_halted for index in range(len(leaf.text))]
    end, number = pushed_unit(text)
    widths = [0.5 if half else _ems(leaf.text[index]) for leaf, index, half in flat[:end]]
    if not widths or (sum(widths) + 0.1) * size <= slack:
        return []  # something else ended the line
    ending: list[tuple[boxes.TextBox, int]] = []  # (no mark is squeezed for ending a line: see _squeezable)
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
    # A unit left alone as a paragraph's last line ("个。") is worse than a spread line.
    left_alone = after_ends and _counted("".join(leaf.text for leaf in following)) - len(number) <= 1
    if number and first.text.startswith(number) and split <= min(FEW_MARKS, len(marks)) and not left_alone:
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
    if tights := _tighter_runs(halted, last, upto, rest):
        return [*tights, *_halt_edits(ending + marks)]
    return []


def _tighter(last: boxes.TextBox, length: int, need: float) -> _Edit | None:
    """Set the first `length` characters of a line's last run tighter so that the line takes
    `need` px more; None if that is more than SHRINK_EMS a gap. (After layout the whole
    line's gaps are made even again.)"""
    gaps = _visible(last.text[:length]) - 1
    if gaps < 4 or need > SHRINK_EMS * last.style["font_size"] * gaps:
        return None
    spacing = math.floor((letter_spacing(last) - need / gaps) * 100) / 100
    return _Edit(last.element, last.text, 0, "jb-tight", length, f"letter-spacing:{spacing:.2f}px")


def _tighter_runs(halted: list[tuple[boxes.TextBox, bool]], last: boxes.TextBox, upto: int, need: float) -> list[_Edit]:
    """Every full-width run of the line set tighter by the same amount, when its last run alone has too
    few gaps to make up `need` px (a line broken into runs by squeezed marks or inline elements); none
    if that is more than SHRINK_EMS a gap."""
    runs = [(leaf, upto if leaf is last else len(leaf.text)) for leaf, half in halted if not half]
    runs = [(leaf, length) for leaf, length in runs if _visible(leaf.text[:length]) > 1]
    gaps = sum(_visible(leaf.text[:length]) for leaf, length in runs) - 1
    size = last.style["font_size"]
    if gaps < 8 or need > SHRINK_EMS * size * gaps or any(leaf.style["font_size"] != size for leaf, _ in runs):
        return []
    step = need / gaps
    return [
        _Edit(
            leaf.element,
            leaf.text,
            0,
            "jb-tight",
            length,
            f"letter-spacing:{math.floor((letter_spacing(leaf) - step) * 100) / 100:.2f}px",
        )
        for leaf, length in runs
    ]


def _counted(text: str) -> int:
    """How many characters of `text` count for a line's length: not marks, joiners or spaces."""
    return sum(1 for char in text if char.isalnum())


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


def pushed_unit(text: str) -> tuple[int, str]:
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
    """The full-width marks of a line that may take half width, the line's last first (box, index).

    Only where GB/T 15834 and CLREQ squeeze: a mark next to a mark of full width or to … or —,
    which stays beside it however the next layout breaks the line. A comma or a stop in mid-line
    keeps its width (squeezed, it reads as a half-width comma typed by mistake), and so does a mark
    that ends the line now: the next layout may well carry it into mid-line. Such a line is set a
    little tighter instead, or spread. A mark next to one already squeezed, and 。？！ (which end a
    sentence; ？！ are centred in their em), keep their width.
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
        if any(other in _NEXT_TO for other, _, _, _ in near):
            ranked.append((-position, leaf, index))
    return [(leaf, index) for _, leaf, index in sorted(ranked, key=lambda mark: mark[0])]


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
