"""Chinese typesetting for the print PDF, around WeasyPrint's own layout.

Two stages. `prepare_html` takes the print HTML and returns it with the line
rules and squeezes WeasyPrint cannot express in CSS: word joiners (U+2060)
where a line must not break (before a dash, between a number and its unit,
between a paragraph's last two characters), `halt` spans for the first of two
adjacent full-width marks, no spaces between Chinese and Latin/digits,
FandolKai spans for quotes in 楷体, and `<br>`s that balance long article
titles. `justify_lines` takes the laid-out document, removes the joiners again
and spreads the slack of every non-final line of a justified paragraph evenly
over its character gaps, since WeasyPrint's `text-align: justify` only
stretches spaces.

Spacing rule for mixed text (documented in README): digits and Latin words
sit directly against Chinese characters, with no added space; the source's
spaces between them are dropped. Spaces between two Latin words stay.
"""

from __future__ import annotations

import html as html_lib
import math
import re
from collections.abc import Iterator

from weasyprint.formatting_structure import boxes

from jianbao.load.sources import VOID_TAGS

WJ = "\u2060"  # WORD JOINER: forbids a break, prints nothing

# GB/T 15834 line rules (SPEC §5).
NO_START = "，。、；：？！）》」』”’…—%％·〕】］｝〉"
NO_END = "（《「『“‘〔【［｛〈"
_CLOSING = "，。、；：？！）》」』”’〕】］｝〉"
_OPENING = NO_END
_FULL_PUNCT = _CLOSING + _OPENING
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…·"
_HALF = "A-Za-z0-9"

_TAG = re.compile(r"(<[^>]*>)")
_SPACE_CJK_HALF = re.compile(rf"(?<=[{_CJK}])[ \u00a0]+(?=[{_HALF}])|(?<=[{_HALF}%])[ \u00a0]+(?=[{_CJK}])")
_SQUEEZE = re.compile(rf"([{_FULL_PUNCT}])(?={WJ}?[{_FULL_PUNCT}])")
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
_PARAGRAPH_END = re.compile(rf"([\u4e00-\u9fff])([\u4e00-\u9fff][{re.escape(_CLOSING)}…]*</p>)")


def prepare_html(html: str) -> str:
    """The print HTML with line rules, squeezes, mixed-text spacing and balanced titles."""
    html = balance_titles(html)
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
# alone, but loading the 8 MB face costs ~75 ms a build.)
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
    text = _SPACE_CJK_HALF.sub("", text)
    text = _NUMBER_UNIT.sub(WJ, text)
    text = _NO_BREAK_BEFORE.sub(WJ, text)
    return _SQUEEZE.sub(_squeeze_span, text)


def _squeeze_span(match: re.Match[str]) -> str:
    """Wrap a mark that takes half width; opening marks lose their left half."""
    mark = match.group(1)
    side = "jb-open" if mark in _OPENING else "jb-close"
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


def _width(char: str) -> float:
    """Advance in ems: half for ASCII, full otherwise."""
    return 0.5 if ord(char) < 0x2000 and char not in "—…·" else 1.0


def balanced_lines(text: str, capacity: int) -> list[str]:
    """Split `text` into the fewest lines of at most `capacity` ems, as even as possible.

    Earlier lines get the extra character (上长下短); a break after 、，：；
    is preferred when it costs little balance; no line starts with a no-start
    mark or ends with an opening mark, and ASCII words stay whole.
    """
    total = sum(_width(c) for c in text)
    if total <= capacity:
        return [text]
    count = math.ceil(total / capacity)
    lines: list[str] = []
    rest = text
    while count > 1:
        target = math.ceil(sum(_width(c) for c in rest) / count)
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
        widths.append(widths[-1] + _width(char))
    candidates = [i for i in range(1, len(text)) if widths[i] <= capacity and _can_break(text, i)]
    if not candidates:
        return min(len(text) - 1, max(1, int(target)))
    return min(candidates, key=lambda i: (abs(widths[i] - target) - _break_bonus(text, i), -i))


# Words a title line may well start with: conjunctions, prepositions and the
# verbs titles of this kind turn on. No dictionary segmenter is loaded (too slow
# for a sub-second build), so breaking inside other words is only avoided here.
_LINE_OPENERS = (
    "与", "和", "及", "并", "以", "对", "为", "在", "把", "将", "从", "向", "推动", "促进", "加快",
    "赋能", "助力", "支撑", "打造", "建设", "关于", "深化", "构建", "提升", "培育",
)  # fmt: skip


def _break_bonus(text: str, index: int) -> float:
    """How much imbalance (in characters) a break before `index` is worth."""
    if text[index - 1] in "、，：；":
        return 1.5
    if text.startswith(_LINE_OPENERS, index):
        return 1.0
    return 0.0


def _can_break(text: str, index: int) -> bool:
    before, after = text[index - 1], text[index]
    if after in NO_START or before in NO_END:
        return False
    return not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum())


# ---- after layout -------------------------------------------------------------


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
        for block in page._page_box.descendants():
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
        if isinstance(leaf, boxes.TextBox) and WJ in leaf.text:
            count = leaf.text.count(WJ)
            leaf.text = leaf.text.replace(WJ, "")
            leaf.pango_layout.text = leaf.pango_layout.text.replace(WJ, "")
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
        drawn = drawn_spacing(units, font_size)
        return [count * (drawn - old) for count, old in zip(counts, before, strict=True)]

    def miss(units: int) -> float:
        # The line end moves by the growth of all boxes, less the last glyph's trailing spacing.
        moved = sum(growth(units)) - drawn_spacing(units, font_size) + before[-1]
        return abs(moved - slack)

    units = min(range(ideal - 24, ideal + 25), key=miss)
    grown = dict(zip(map(id, texts), growth(units), strict=True))
    shift = 0.0
    for leaf in leaves:
        leaf.position_x += shift
        if isinstance(leaf, boxes.TextBox):
            style = leaf.style.copy()
            style["letter_spacing"] = units / 1024
            leaf.style = style
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


def drawn_spacing(units: int, font_size: float) -> float:
    """The spacing (px) drawn after each full-width glyph for a letter spacing
    of `units`/1024 px at `font_size` px.

    Pango adds the spacing to each glyph's advance and half of it to its x
    offset; WeasyPrint writes the advance to the PDF as a whole number of
    thousandths of an em (truncated) plus the offset as a fraction. Doing the
    same arithmetic here makes every gap of a stretched line equal and puts
    its last glyph on the edge, instead of drifting by up to 1/1000 em a
    character.
    """
    glyph = round(font_size * 1024)  # a 1000-unit glyph, in Pango units
    offset = int(units / 2) / font_size  # WeasyPrint's offset, in thousandths of an em
    kerning = 1000 + offset - (glyph + units) * 1000 / 1024 / font_size
    return (offset - int(kerning)) * font_size / 1000


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
        page.bookmarks = [(level, label.replace(WJ, ""), *rest) for level, label, *rest in page.bookmarks]
