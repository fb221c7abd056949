"""Print HTML → the same HTML with the Chinese line rules CSS cannot express (before layout).

Word joiners (U+2060) where a line must not break (before a dash, between a
number and its unit, between a paragraph's last two characters), zero-width
spaces where it may (beside quote marks, which Pango glues to their neighbours), `halt`
spans for the first of two adjacent full-width marks, no spaces between
Chinese and Latin/digits, FandolKai spans for quotes in 楷体, and `<br>`s
that balance long article titles. After layout, justify.py takes the
joiners out again and makes the lines flush.

Spacing rule for mixed text (documented in README): digits and Latin words
sit directly against Chinese characters, with no added space; the source's
spaces between them are dropped. Spaces between two Latin words stay.
"""

from __future__ import annotations

import html as html_lib
import math
import re
from itertools import pairwise

from jianbao.load.sources import VOID_TAGS
from jianbao.markup.words import drop_mixed_spaces, word_boundaries

WJ = "\u2060"  # WORD JOINER: forbids a break, prints nothing
ZWSP = "\u200b"  # ZERO WIDTH SPACE: allows a break, prints nothing

# GB/T 15834 line rules (SPEC §5).
NO_START = "，。、；：？！）》」』”’…—%％·〕】］｝〉"
NO_END = "（《「『“‘〔【［｛〈"
CLOSING_MARKS = "，。、；：？！）》」』”’〕】］｝〉"
OPENING_MARKS = NO_END
_FULL_PUNCT = CLOSING_MARKS + OPENING_MARKS

_TAG = re.compile(r"(<[^>]*>)")
_SQUEEZE = re.compile(rf"([{_FULL_PUNCT}])(?=[{WJ}{ZWSP}]?[{_FULL_PUNCT}])")
# Pango 1.50 follows UAX #14's old rule 19: no break on either side of a quote
# mark (class QU), so “满意”和“比较满意”的 is one unbreakable run of 13 characters
# and the line before it ends far short. Chinese text may break before an
# opening quote and after a closing one; a zero-width space says so.
_QUOTE_BREAK = re.compile(
    rf"(?<=[\u3400-\u9fff{re.escape(CLOSING_MARKS)}…])(?=[“‘])|(?<=[”’])(?=[\u3400-\u9fff“‘（《〔【])"
)
# Pango's UAX #14 rules already keep closing marks, ；：？！, quotes and … off a
# line start and opening marks off a line end. It allows a break before a dash
# (class B2) and between a number and its unit (2200亿元), so joiners go there.
# Joiners are taken out again after layout (`drop_joiners`).
_NO_BREAK_BEFORE = re.compile(rf"(?<=[^\s{WJ}—])(?=[—%％·])")
_NUMBER_UNIT = re.compile(r"(?<=[0-9])(?=[\u4e00-\u9fff%％])")

TITLE_PX = 22 * 4 / 3  # 22 pt title glyphs, in CSS px
MEASURE_PX = 156 / 25.4 * 96  # 版心 width in CSS px
# Skip these elements: their text is not body copy.
_SKIP_TAGS = ("head", "style", "script", "pre", "code", "title")


# The last two Chinese characters of a paragraph (and any closing marks) stay
# together, so no paragraph ends on a line holding a single character (孤字).
# Table cells too: a header such as 改造覆盖率 never leaves 率 alone on its last line.
_PARAGRAPH_END = re.compile(rf"([\u4e00-\u9fff])([\u4e00-\u9fff][{re.escape(CLOSING_MARKS)}…]*</(?:p|th|td)>)")


def prepare_html(html: str) -> str:
    """The print HTML with line rules, squeezes, mixed-text spacing and balanced titles."""
    html = balance_titles(html)
    html = _SOURCE.sub(_break_source, html)
    body, colophon = _split_colophon(html)
    html = _PARAGRAPH_END.sub(rf"\1{WJ}\2", body) + colophon
    out: list[str] = []
    open_tags: list[tuple[str, bool]] = []  # (tag, sets 楷体) of the elements we are inside
    for part in _TAG.split(html):
        if part.startswith("<"):
            _track(part, open_tags)
            out.append(part)
        elif not part.strip() or any(tag in _SKIP_TAGS for tag, _ in open_tags):
            out.append(part)
        else:
            text = typeset_text(part)
            if any(kai for _, kai in open_tags):
                text = _KAI_QUOTES.sub(r'<span class="jb-kai-quote">\1</span>', text)
            out.append(text)
    return "".join(out)


# Elements whose text prints in 楷体 (print.css). LXGW WenKai draws “”‘’ as
# narrow Latin quotes, so there they are wrapped to print in FandolKai, whose
# quotes are full-width. (An @font-face with unicode-range would do it in CSS
# alone, but loading that large face for every build costs more than the spans.)
_KAI_CLASSES = re.compile(r'class="[^"]*\b(?:tagline|author|note|h-l2)\b')
_KAI_QUOTES = re.compile("([“”‘’])")


def _track(tag_text: str, open_tags: list[tuple[str, bool]]) -> None:
    """Keep `open_tags` in step with one tag of the document."""
    name = re.match(r"<(/?)([a-zA-Z0-9]+)", tag_text)
    if not name:
        return
    closing, tag = name.group(1) == "/", name.group(2).lower()
    if closing:
        for index in range(len(open_tags) - 1, -1, -1):
            if open_tags[index][0] == tag:
                del open_tags[index:]
                break
    elif tag not in VOID_TAGS and not tag_text.endswith("/>"):
        open_tags.append((tag, tag in ("em", "i") or bool(_KAI_CLASSES.search(tag_text))))


def _split_colophon(html: str) -> tuple[str, str]:
    """The HTML before the 报尾 and the 报尾 itself (its lists may end on one name)."""
    index = html.find('<footer class="colophon"')
    return (html, "") if index < 0 else (html[:index], html[index:])


def typeset_text(text: str) -> str:
    """One run of escaped HTML text → the same text with joiners and squeeze spans."""
    text = drop_mixed_spaces(text)  # the web page's rule too
    text = _NUMBER_UNIT.sub(WJ, text)
    text = _NO_BREAK_BEFORE.sub(WJ, text)
    text = _QUOTE_BREAK.sub(ZWSP, text)
    return _SQUEEZE.sub(_squeeze_span, text)


def _squeeze_span(match: re.Match[str]) -> str:
    """Wrap a mark that takes half width; opening marks lose their left half."""
    mark = match.group(1)
    side = "jb-open" if mark in OPENING_MARKS else "jb-close"
    return f'<span class="jb-halt {side}">{mark}</span>'


_ARTICLE_TITLE = re.compile(r'(<h2 class="article-title"[^>]*>)(.*?)(</h2>)', re.S)


def balance_titles(html: str) -> str:
    """Break each long article title into lines of near-equal length."""

    def balance(match: re.Match[str]) -> str:
        text = html_lib.unescape(match.group(2))
        lines = balanced_lines(text, int(MEASURE_PX // TITLE_PX))
        body = "<br>".join(html_lib.escape(line, quote=False) for line in lines)
        return match.group(1) + body + match.group(3)

    return _ARTICLE_TITLE.sub(balance, html)


BODY_PX = 16 * 4 / 3  # 16 pt body glyphs, in CSS px
_SOURCE = re.compile(r'(<p class="source">)([^<]*)(</p>)')


def _break_source(match: re.Match[str]) -> str:
    """A source line too long for one line breaks before the publication's 《 (or after a
    comma), both lines within the measure and as even as may be: never "删节）" alone."""
    text = html_lib.unescape(match.group(2))
    capacity = MEASURE_PX / BODY_PX
    widths = [0.0]
    for char in text:
        widths.append(widths[-1] + advance_ems(char))
    if widths[-1] <= capacity:
        return match.group(0)
    cuts = [i for i in range(1, len(text)) if text[i] == "《" or text[i - 1] in "，、"]
    cuts = [i for i in cuts if widths[i] <= capacity and widths[-1] - widths[i] <= capacity]
    if not cuts:
        return match.group(0)
    cut = min(cuts, key=lambda i: abs(2 * widths[i] - widths[-1]))
    lines = (html_lib.escape(text[:cut], quote=False), html_lib.escape(text[cut:], quote=False))
    return match.group(1) + "<br>".join(lines) + match.group(3)


def advance_ems(char: str) -> float:
    """Advance in ems: half for ASCII, full otherwise."""
    return 0.5 if ord(char) < 0x2000 and char not in "—…·" else 1.0


def balanced_lines(text: str, capacity: int) -> list[str]:
    """Split `text` into the fewest lines of at most `capacity` ems, as even as possible.

    Lines break between words (ICU's dictionary segmentation, `word_boundaries`)
    when the title allows it; earlier lines may take the extra character
    (上长下短); a break after 、，：； or before a function word is preferred when
    it costs little balance; no line starts with a no-start mark or a "+" glued
    to the word before, or ends with an opening mark, and ASCII words stay whole.
    """
    total = sum(advance_ems(c) for c in text)
    if total <= capacity:
        return [text]
    count = math.ceil(total / capacity)
    widths = [0.0]
    for char in text:
        widths.append(widths[-1] + advance_ems(char))
    allowed = [i for i in range(1, len(text)) if can_break(text, i)]
    bounds = word_boundaries(text)
    for pool in ([i for i in allowed if i in bounds], allowed):
        cuts = _even_cuts(text, widths, pool, count, capacity)
        if cuts is not None:
            return [text[a:b] for a, b in pairwise([0, *cuts, len(text)])]
    return _greedy_lines(text, capacity, count)


def _even_cuts(text: str, widths: list[float], pool: list[int], count: int, capacity: int) -> list[int] | None:
    """The `count - 1` cuts from `pool` whose lines are most even (least squares, less the
    break bonuses), every line within `capacity`; None when there are none."""
    target = widths[-1] / count
    ends = [*pool, len(text)]
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
                if start < end and widths[end] - widths[start] <= capacity
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


def _greedy_lines(text: str, capacity: int, count: int) -> list[str]:
    """Lines cut one at a time near the even length (when no cuts keep every line within capacity)."""
    lines: list[str] = []
    rest = text
    while count > 1:
        target = math.ceil(sum(advance_ems(c) for c in rest) / count)
        cut = _best_cut(rest, target, capacity)
        lines.append(rest[:cut])
        rest = rest[cut:]
        count -= 1
    lines.append(rest)
    return lines


def _best_cut(text: str, target: float, capacity: int) -> int:
    """The break index nearest to `target` ems that obeys the line rules."""
    widths = [0.0]
    for char in text:
        widths.append(widths[-1] + advance_ems(char))
    candidates = [i for i in range(1, len(text)) if widths[i] <= capacity and can_break(text, i)]
    if not candidates:
        return min(len(text) - 1, max(1, int(target)))
    return min(candidates, key=lambda i: (abs(widths[i] - target) - _break_bonus(text, i), -i))


# Words a title line may well start with: conjunctions, prepositions and the
# verbs titles of this kind turn on.
_LINE_OPENERS = (
    "与", "和", "及", "并", "以", "对", "为", "在", "把", "将", "从", "向", "推动", "促进", "加快",
    "赋能", "助力", "支撑", "打造", "建设", "关于", "深化", "构建", "提升", "培育",
)  # fmt: skip


def _break_bonus(text: str, index: int) -> float:
    """How much imbalance (in characters) a break before `index` is worth."""
    if index >= len(text):
        return 0.0
    if text[index - 1] in "、，：；":
        return 1.5
    if text.startswith(_LINE_OPENERS, index):
        return 1.0
    return 0.0


def can_break(text: str, index: int) -> bool:
    """Whether a title line may break before `index` (line rules, "+" kept with its word, ASCII words whole)."""
    before, after = text[index - 1], text[index]
    if after in NO_START or before in NO_END:
        return False
    if after in "+＋" and not before.isspace():
        return False  # 老旧小区+ is one word
    return not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum())
