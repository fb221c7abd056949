"""The line-breaking service: where a line of Chinese text may break, and how a short text is cut into lines.

Every short text that wraps asks here — article titles (balanced lines in print,
break points on the web), the contents list, the archive, source lines — so one
title breaks the same way everywhere. Pango (WeasyPrint's line breaker) follows
UAX #14, which misses some Chinese rules; `mark_line_rules` spells them out with
word joiners and zero-width spaces for the print HTML.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from itertools import pairwise

from jianbao.text.chars import (
    CLOSING_MARKS,
    FULL_WIDTH_MARKS,
    HAN,
    HAN_BMP,
    NO_END,
    NO_START,
    WJ,
    ZWSP,
    advance_ems,
)
from jianbao.text.spacing import drop_mixed_spaces
from jianbao.text.words import LINE_OPENERS, word_boundaries

# ---- Rules Pango needs spelled out (print) -------------------------------------------------

# Pango 1.50 follows UAX #14's old rule 19: no break on either side of a quote mark (class QU), so
# “满意”和“比较满意”的 is one unbreakable run and the line before it ends far short. Chinese text may
# break before an opening quote and after a closing one: a zero-width space says so.
_QUOTE_BREAK = re.compile(rf"(?<=[{HAN_BMP}{re.escape(CLOSING_MARKS)}…])(?=[“‘])|(?<=[”’])(?=[{HAN_BMP}“‘（《〔【])")
# Pango allows a break before a dash (class B2) and between a number and its unit (2200亿元): joiners.
_NO_BREAK_BEFORE = re.compile(rf"(?<=[^\s{WJ}—])(?=[—%％·])")
_NUMBER_UNIT = re.compile(rf"(?<=[0-9])(?=[{HAN_BMP}%％])")
# The last two Chinese characters of a paragraph (and any closing marks) stay together (no 孤字).
_PARAGRAPH_END = re.compile(rf"({HAN})({HAN}[{re.escape(CLOSING_MARKS)}…]*)$")
# ？ and ！ sit in the middle of their em: halved, they would collide with the ” or ） after them.
CENTRED_MARKS = "？！"


def mark_line_rules(text: str) -> str:
    """`text` with mixed-text spaces dropped, joiners where a line must not break and zero-width
    spaces where it may."""
    text = drop_mixed_spaces(text)
    text = _NUMBER_UNIT.sub(WJ, text)
    text = _NO_BREAK_BEFORE.sub(WJ, text)
    return _QUOTE_BREAK.sub(ZWSP, text)


def last_two_joint(text: str) -> int | None:
    """Where a joiner keeps a paragraph's last two Chinese characters together (no line of one character):
    the offset between them when the text ends with them (and closing marks), else None."""
    match = _PARAGRAPH_END.search(text)
    return match.end(1) if match else None


def squeezed_marks(text: str) -> list[int]:
    """The offsets of the marks set at half width (CLREQ: a pair of adjacent full-width marks takes 1.5 em):
    the first of each pair — or the second, after ？ or ！, which keep their full width."""
    visible = [(index, char) for index, char in enumerate(text) if char not in (WJ, ZWSP)]
    halved: list[int] = []
    for (first, a), (second, b) in pairwise(visible):
        if a in FULL_WIDTH_MARKS and b in FULL_WIDTH_MARKS:
            halved.append(second if a in CENTRED_MARKS else first)
    return sorted(set(halved))


def halved_in_pair(before: str, after: str) -> str | None:
    """Which of two adjacent characters a pair takes at half width ("before", "after"), if they are a pair."""
    if before not in FULL_WIDTH_MARKS or after not in FULL_WIDTH_MARKS:
        return None
    return "after" if before in CENTRED_MARKS else "before"


# ---- Where a short text may break ------------------------------------------------------------

Widths = Callable[[str], float]  # a character's advance in ems


# Particles that end the phrase before them: a title line never starts with one (…服务｜的实践 reads wrong).
PARTICLES = frozenset("的地得了着过们")


def can_break(text: str, index: int) -> bool:
    """Whether a line may break before `index` (line rules, "+" kept with its word, ASCII words whole)."""
    before, after = text[index - 1], text[index]
    if after in NO_START or before in NO_END or after in PARTICLES:
        return False
    if after in "+＋" and not before.isspace():
        return False  # 老旧小区+ is one word
    return not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum())


def break_points(text: str, glossary: Iterable[str] = ()) -> list[int]:
    """The offsets (0 < i < len) where a short text may break: between words, within the line rules."""
    bounds = word_boundaries(text, glossary)
    return [i for i in range(1, len(text)) if i in bounds and can_break(text, i)]


def keep_words(text: str, glossary: Iterable[str] = ()) -> str:
    """`text` (mixed-text spaces dropped) with a word joiner wherever a line must not break and a zero-width
    space where it may but Pango would not (beside quote marks): a box of any width wraps it between
    words only. For short texts: contents entries, table cells, captions, subtitles, source lines.
    Joiners already in the text keep their places."""
    text, joined = _without_joiners(drop_mixed_spaces(text))
    return _joined(text, set(break_points(text, glossary)) - joined)


def keep_names(text: str) -> str:
    """A 报尾 row: breaks only after 、，；： and at spaces, never inside a name, a number or （传真）."""
    text, joined = _without_joiners(drop_mixed_spaces(text))
    allowed = {i for i in range(1, len(text)) if text[i - 1] in "、，；： " or text[i] == " "}
    return _joined(text, allowed - joined)


def name_lines(text: str, capacity: float, width: Widths = advance_ems) -> list[str]:
    """A 报尾 row cut into lines of at most `capacity` ems, each as full as `keep_names` allows (a name longer
    than a line is cut where it must): for a writer that breaks lines itself (the Word edition)."""
    text = strip_joiners(drop_mixed_spaces(text))
    allowed = [i for i in range(1, len(text)) if text[i - 1] in "、，；： " or text[i] == " "]
    widths = _prefix_widths(text, width)
    lines: list[str] = []
    start = 0
    while widths[-1] - widths[start] > capacity:
        fits = [i for i in range(start + 1, len(text)) if widths[i] - widths[start] <= capacity] or [start + 1]
        cut = max((i for i in allowed if start < i <= fits[-1]), default=fits[-1])
        lines.append(text[start:cut].rstrip(" "))
        start = cut
        while start < len(text) - 1 and text[start] == " ":
            start += 1
    return [*lines, text[start:]]


def _without_joiners(text: str) -> tuple[str, set[int]]:
    """The text without its word joiners, and the offsets where they stood."""
    plain: list[str] = []
    joined: set[int] = set()
    for char in text:
        if char == WJ:
            joined.add(len(plain))
        else:
            plain.append(char)
    return "".join(plain), joined


def _joined(text: str, allowed: set[int]) -> str:
    out = []
    for index, char in enumerate(text):
        if index and not (char == " " or text[index - 1] == " ") and ZWSP not in (char, text[index - 1]):
            out.append(ZWSP if index in allowed else WJ)
        out.append(char)
    return "".join(out)


# A title longer than this (in characters) may wrap on a phone: it gets break points between words.
WEB_TITLE_WRAP = 12


def title_words(title: str, glossary: Iterable[str] = ()) -> tuple[str, ...]:
    """The title (mixed-text spaces dropped) cut at its word boundaries: where a web page may wrap it — never
    after a leading word of one or two characters (关于, 以): alone on a line it reads as a broken title."""
    title = drop_mixed_spaces(title)
    if len(title) <= WEB_TITLE_WRAP:
        return (title,)
    words = [title[start:end] for start, end in pairwise([0, *break_points(title, glossary), len(title)])]
    if len(words) > 1 and len(words[0]) <= 2:
        words[:2] = [words[0] + words[1]]
    return tuple(words)


# ---- Balanced lines (article titles and subtitles in print) --------------------------------------

# No line of a balanced title holds fewer characters than this (GB/T 9704: 回行时词意完整、排列对称).
MIN_LINE = 3


def balanced_lines(text: str, capacity: float, width: Widths = advance_ems, glossary: Iterable[str] = ()) -> list[str]:
    """Split `text` into lines of at most `capacity` ems (each character `width` ems wide), as few and as
    even as possible (GB/T 9704: 词意完整、排列对称、长短适宜).

    Lines break between words (`break_points`); earlier lines may take the extra
    character (上长下短); a break after 、，：； or before a line opener is
    preferred when it costs little balance; no line is shorter than `MIN_LINE`
    characters. When the fewest lines cannot be even (the shortest under
    `BALANCE` of the longest: a quoted term too long to move, say), one line
    more is taken if that evens them. Only when no cut between words exists do
    lines break between any two characters the line rules allow (`title_advice`
    tells the editor where).
    """
    widths = _prefix_widths(text, width)
    if widths[-1] <= capacity:
        return [text]
    count = math.ceil(widths[-1] / capacity)
    allowed = [i for i in range(1, len(text)) if can_break(text, i)]
    for pool in (break_points(text, glossary), allowed):
        candidates = [cuts for lines in (count, count + 1) if (cuts := _even_cuts(text, widths, pool, lines, capacity))]
        if candidates:
            even = [cuts for cuts in candidates if _balance(widths, cuts) >= BALANCE]
            cuts = (even or candidates)[0]
            return [text[a:b] for a, b in pairwise([0, *cuts, len(text)])]
    return _greedy_lines(text, capacity, count, width)


# The shortest line of a balanced title is at least this share of the longest.
BALANCE = 0.75


def _balance(widths: list[float], cuts: list[int]) -> float:
    """The shortest line's width over the longest's."""
    lines = [widths[b] - widths[a] for a, b in pairwise([0, *cuts, len(widths) - 1])]
    return min(lines) / max(lines)


def title_advice(text: str, capacity: float, width: Widths = advance_ems, glossary: Iterable[str] = ()) -> str | None:
    """When a title cannot be cut between words into even lines: the cut it gets (`甲｜乙`), else None."""
    widths = _prefix_widths(text, width)
    if widths[-1] <= capacity:
        return None
    count = math.ceil(widths[-1] / capacity)
    pool = break_points(text, glossary)
    for lines in (count, count + 1):
        cuts = _even_cuts(text, widths, pool, lines, capacity)
        if cuts is not None and _balance(widths, cuts) >= BALANCE:
            return None
    return "｜".join(balanced_lines(text, capacity, width, glossary))


def _prefix_widths(text: str, width: Widths = advance_ems) -> list[float]:
    """widths[i]: the advance of text[:i] in ems."""
    widths = [0.0]
    for char in text:
        widths.append(widths[-1] + width(char))
    return widths


def _even_cuts(text: str, widths: list[float], pool: list[int], count: int, capacity: float) -> list[int] | None:
    """The `count - 1` cuts from `pool` whose lines are most even (least squares, less the
    break bonuses), every line within `capacity` and at least `MIN_LINE` characters; None when there are none."""
    target = widths[-1] / count
    ends = [i for i in pool if i >= MIN_LINE] + [len(text)]
    # best[j][end] = (cost, cuts) of the first j + 1 lines ending at `end`.
    best: list[dict[int, tuple[float, list[int]]]] = [{}]
    for end in ends:
        if widths[end] <= capacity:
            best[0][end] = (_line_cost(widths[end], target, 0, count) - 2 * _break_bonus(text, end), [end])
    for line in range(1, count):
        layer: dict[int, tuple[float, list[int]]] = {}
        for end in ends:
            options = [
                (
                    cost + _line_cost(widths[end] - widths[start], target, line, count) - 2 * _break_bonus(text, end),
                    cuts,
                )
                for start, (cost, cuts) in best[line - 1].items()
                if end - start >= MIN_LINE and widths[end] - widths[start] <= capacity
            ]
            if options:
                cost, cuts = min(options, key=lambda option: option[0])
                layer[end] = (cost, [*cuts, end])
        best.append(layer)
    final = best[count - 1].get(len(text))
    return None if final is None else final[1][:-1]


def _line_cost(width: float, target: float, index: int, count: int) -> float:
    """Squared distance from an even line; earlier lines may run half a character longer."""
    lean = 0.5 if index < count - 1 else -0.5
    return (width - target - lean) ** 2


def _greedy_lines(text: str, capacity: float, count: int, width: Widths = advance_ems) -> list[str]:
    """Lines cut one at a time near the even length (when no cuts keep every line within capacity)."""
    lines: list[str] = []
    rest = text
    while count > 1:
        target = math.ceil(sum(width(c) for c in rest) / count)
        cut = _best_cut(rest, target, capacity, width)
        lines.append(rest[:cut])
        rest = rest[cut:]
        count -= 1
    lines.append(rest)
    return lines


def _best_cut(text: str, target: float, capacity: float, width: Widths = advance_ems) -> int:
    """The break index nearest to `target` ems that obeys the line rules."""
    widths = _prefix_widths(text, width)
    candidates = [i for i in range(1, len(text)) if widths[i] <= capacity and can_break(text, i)]
    if not candidates:
        return min(len(text) - 1, max(1, int(target)))
    return min(candidates, key=lambda i: (abs(widths[i] - target) - _break_bonus(text, i), -i))


def _break_bonus(text: str, index: int) -> float:
    """How much imbalance (in characters) a break before `index` is worth."""
    if index >= len(text):
        return 0.0
    if text[index - 1] in "、，：；":
        return 1.5
    if text.startswith(LINE_OPENERS, index):
        return 1.0
    return 0.0


# ---- Source lines --------------------------------------------------------------------------------


def source_lines(text: str, capacity: float, width: Widths = advance_ems) -> list[str]:
    """A source line `（来源：…）` too long for one line of `capacity` ems, broken before the publication's
    《 (or after a comma), both lines within the measure and as even as may be; else between words in
    balanced lines: never a scrap such as "整理）" alone. One line when it fits."""
    widths = _prefix_widths(text, width)
    if widths[-1] <= capacity:
        return [text]
    cuts = [i for i in range(1, len(text)) if text[i] == "《" or text[i - 1] in "，、"]
    cuts = [i for i in cuts if widths[i] <= capacity and widths[-1] - widths[i] <= capacity]
    if not cuts:
        return balanced_lines(text, capacity, width)
    cut = min(cuts, key=lambda i: abs(2 * widths[i] - widths[-1]))
    return [text[:cut], text[cut:]]


def strip_joiners(text: str) -> str:
    """The text without the joiners and zero-width spaces the print rules added."""
    return text.replace(WJ, "").replace(ZWSP, "")
