"""An issue → its print HTML: the layout's page as a tree, the article trees grafted in, and the Chinese
line rules CSS cannot express applied to the whole (before layout).

The print layout (layouts/issue.html with target "print") is rendered by
Jinja with a placeholder where each article body goes; the page is parsed
once into a tree (jianbao/tree.py) and each placeholder replaced by the
article's own tree. Then, on that one tree:

- long article titles and subtitles are cut into balanced lines (`<br>`)
  between words, measured with the fonts that print them (metrics.py);
  source lines that would leave a scrap are broken before the publication's 《;
- a paragraph's (or a table cell's) last two Chinese characters are joined,
  so no line holds a single character (not in the 报尾, whose rows may end
  on one name);
- every text gets the line rules of jianbao/text/breaking.py (word joiners,
  zero-width spaces, no spaces between Chinese and Latin); short texts that
  wrap — titles, the contents list, table cells, captions, source lines —
  break between words only, and 报尾 rows only between names; `halt` spans for
  the first of two adjacent full-width marks, and — in 楷体 — spans that print
  quote marks in FandolKai, since LXGW WenKai draws “”‘’ as narrow Latin
  quotes (an @font-face with unicode-range would do it in CSS alone, but
  loading that large face for every build costs more than the spans).

After layout, justify.py takes the joiners out again and makes lines flush.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from jianbao.pdf.fonts import FontSetup
from jianbao.pdf.metrics import BODY_PT, BODY_SPACING, MEASURE_PT, TITLE_PT, Widths, role_widths
from jianbao.pdf.tablehead import caption_rows
from jianbao.site.pages import PRINT_BODY, render_layout, sized_image
from jianbao.text.breaking import (
    balanced_lines,
    halved_in_pair,
    keep_names,
    keep_words,
    last_two_joint,
    mark_line_rules,
    source_lines,
    squeezed_marks,
)
from jianbao.text.chars import OPENING_MARKS, WJ, ZWSP, advance_ems
from jianbao.tree import Node, element, map_nodes, map_text, parse_fragment, to_html

if TYPE_CHECKING:
    import jinja2

    from jianbao.model import Issue

DOCTYPE = "<!DOCTYPE html>"

# Text inside these is not body copy (a date is one short run: a joiner in it, which takes the body's
# negative letter-spacing like any character, would push a right-aligned date past the 版心).
_SKIP_TAGS = frozenset({"head", "style", "script", "pre", "code", "title", "time"})
# Elements whose text prints in 楷体 (print.css): em and i, and these classes.
_KAI_CLASSES = re.compile(r"\b(?:tagline|author|note|h-l2|correction)\b")
_QUOTES = "“”‘’"
# Texts that wrap in a box of their own: they break between words only (the 报尾's rows between names).
_SHORT_TAGS = frozenset({"h2", "th", "td", "caption", "figcaption"})
_SHORT_CLASSES = frozenset({"subtitle", "author", "source", "toc"})


@dataclass(frozen=True)
class Setting:
    """What the line rules of one issue's print HTML need: its glossary and the widths of the faces."""

    glossary: tuple[str, ...] = ()
    title_width: Widths = advance_ems
    body_width: Widths = advance_ems

    def body_spaced(self, char: str) -> float:
        """A body character's advance with the body's letter-spacing."""
        return self.body_width(char) + BODY_SPACING


def print_html(env: jinja2.Environment, issue: Issue, fonts: FontSetup, layouts_url: str = "") -> str:
    """The HTML WeasyPrint lays out into the issue's PDF (relative URLs resolve against the issue folder;
    `layouts_url` is where print.css lives)."""
    page = render_layout(env, "issue.html", issue=issue, target="print", font_css=fonts.css(), root=layouts_url)
    tree = graft_bodies(parse_fragment(page.removeprefix(DOCTYPE)), issue)
    return (DOCTYPE if page.startswith(DOCTYPE) else "") + to_html(typeset_page(tree, issue_setting(issue, fonts)))


def issue_setting(issue: Issue, fonts: FontSetup) -> Setting:
    """The line rules' setting of an issue printed in `fonts`: its glossary, the faces' real widths."""
    return Setting(issue.bulletin.glossary, role_widths(fonts, "title", bold=True), role_widths(fonts, "fang"))


def title_lines(title: str, setting: Setting) -> list[str]:
    """An article title in the balanced lines the PDF prints it in (the Word edition breaks it the same)."""
    return balanced_lines(title, MEASURE_PT / TITLE_PT, setting.title_width, setting.glossary)


def typeset_document(html: str, setting: Setting | None = None) -> str:
    """A print HTML document given as text, with the line rules applied (pages not made from an issue)."""
    tree = parse_fragment(html.removeprefix(DOCTYPE))
    return (DOCTYPE if html.startswith(DOCTYPE) else "") + to_html(typeset_page(tree, setting or Setting()))


def graft_bodies(page: Node, issue: Issue) -> Node:
    """The page with each body placeholder replaced by its article's tree."""
    bodies = {article.slug: article.body for article in issue.articles}

    def graft(node: Node) -> Node | list[Node | str]:
        if node.tag != PRINT_BODY:
            return node
        body = bodies.get(node.get("data-slug") or "")
        return list(map_nodes(body, sized_image).children) if body is not None else []

    return map_nodes(page, graft)


def typeset_page(page: Node, setting: Setting) -> Node:
    """The page with balanced titles, source lines, tables' captions in their headers (tablehead.py), kept
    paragraph ends and the text line rules."""
    page = caption_rows(page)
    page = map_nodes(page, lambda node: break_lines(node, setting))
    page = keep_paragraph_ends(page)
    page = mark_split_pairs(page)
    return map_text(page, lambda text, ancestors: typeset_text(text, ancestors, setting))


def break_lines(node: Node, setting: Setting) -> Node:
    """An article title or subtitle in balanced lines; a long source line broken where it reads well."""
    plain = all(isinstance(child, str) for child in node.children)
    if node.tag == "h2" and "article-title" in node.classes:
        return node.with_children(_with_breaks(title_lines(node.text(), setting)))
    if node.tag == "p" and "subtitle" in node.classes and plain:
        capacity = MEASURE_PT / BODY_PT
        return node.with_children(_with_breaks(balanced_lines(node.text(), capacity, setting.body_spaced)))
    if node.tag == "ol" and "toc-list" in node.classes:
        return node.with_children(
            [_toc_entry(item, setting) if isinstance(item, Node) else item for item in node.children]
        )
    if node.tag == "p" and "source" in node.classes and plain:
        return node.with_children(_with_breaks(source_lines(node.text(), MEASURE_PT / BODY_PT, setting.body_spaced)))
    return node


# 本期要目: each entry between two character-wide columns (print.css), the last line keeping room for its
# dotted leader.
TOC_INSET_EMS = 4
TOC_LEADER_EMS = 1.5


def _toc_entry(item: Node, setting: Setting) -> Node:
    """A contents entry too long for one line, in balanced lines between words (never a scrap such as
    "分析" alone)."""
    links = item.elements()
    if len(links) != 1 or links[0].tag != "a" or not all(isinstance(c, str) for c in links[0].children):
        return item
    link = links[0]
    capacity = MEASURE_PT / BODY_PT - TOC_INSET_EMS
    text = link.text()
    if sum(map(setting.body_spaced, text)) <= capacity - TOC_LEADER_EMS:
        return item
    lines = balanced_lines(text, capacity - TOC_LEADER_EMS, setting.body_spaced, setting.glossary)
    return item.with_children([link.with_children(_with_breaks(lines))])


def _with_breaks(lines: list[str]) -> list[Node | str]:
    """Lines of text with `<br>` between them."""
    children: list[Node | str] = []
    for index, line in enumerate(lines):
        children.extend([element("br"), line] if index else [line])
    return children


# Inside a paragraph, these hold no text of its last line: a footnote's copy and its call.
_NOT_IN_LINE = frozenset({"fn-print"})
_BLOCKS = frozenset({"p", "ul", "ol", "div", "table", "blockquote", "figure"})


def keep_paragraph_ends(node: Node) -> Node:
    """Join the last two Chinese characters of every paragraph, list item and table cell (footnote calls
    between them do not count), so no last line holds one character; not in the 报尾."""
    if node.tag == "footer" and "colophon" in node.classes:
        return node
    node = node.with_children([keep_paragraph_ends(c) if isinstance(c, Node) else c for c in node.children])
    if node.tag not in ("p", "li", "th", "td"):
        return node
    joint = last_two_joint("".join(_line_texts(node)))
    return node if joint is None else _insert_at(node, joint, WJ)[0]


def _skipped(child: Node) -> bool:
    return child.tag == "sup" or child.tag in _BLOCKS or bool(_NOT_IN_LINE.intersection(child.classes))


def _line_texts(node: Node) -> list[str]:
    """The texts of an element that print in its own lines, in order (not footnote copies or calls)."""
    texts: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            texts.append(child)
        elif not _skipped(child):
            texts.extend(_line_texts(child))
    return texts


def _insert_at(node: Node, offset: int, text: str) -> tuple[Node, int]:
    """`text` inserted at `offset` of the element's own line texts (`_line_texts`); returns the new node
    and the offset left (negative once inserted)."""
    children: list[Node | str] = []
    for child in node.children:
        if offset < 0:
            children.append(child)
        elif isinstance(child, str):
            if offset <= len(child) and offset >= 0:
                child = child[:offset] + text + child[offset:]
                offset = -1
            else:
                offset -= len(child)
            children.append(child)
        elif _skipped(child):
            children.append(child)
        else:
            child, offset = _insert_at(child, offset, text)
            children.append(child)
    return node.with_children(children), offset


def typeset_text(text: str, ancestors: tuple[Node, ...], setting: Setting) -> list[Node | str] | str:
    """One text of the page with its line rules, squeezed marks and (in 楷体) FandolKai quotes."""
    halve_first, halve_last = text.startswith(HALVE_FIRST), text.endswith(HALVE_LAST)
    text = text.strip(HALVE_FIRST + HALVE_LAST)
    if not text.strip() or any(node.tag in _SKIP_TAGS for node in ancestors):
        return text
    kai = any(node.tag in ("em", "i") or _KAI_CLASSES.search(node.get("class") or "") for node in ancestors)
    if any(node.tag == "footer" and "colophon" in node.classes for node in ancestors):
        text = keep_names(text)
    elif any(node.tag in _SHORT_TAGS or _SHORT_CLASSES.intersection(node.classes) for node in ancestors):
        text = keep_words(text, setting.glossary)
    else:
        text = mark_line_rules(text)
    pieces: list[Node | str] = []
    start = 0
    for begin in _halved(text, halve_first, halve_last):
        pieces.extend(_kai_quotes(text[start:begin], kai))
        side = "jb-open" if text[begin] in OPENING_MARKS else "jb-close"
        pieces.append(element("span", *_kai_quotes(text[begin], kai), class_=f"jb-halt {side}"))
        start = begin + 1
    pieces.extend(_kai_quotes(text[start:], kai))
    return pieces


def _halved(text: str, first: bool, last: bool) -> list[int]:
    """The marks of a text set at half width: its own pairs', and its first or last mark when that ends a
    pair begun or finished in the text beside it (`mark_split_pairs`)."""
    visible = [index for index, char in enumerate(text) if char not in (WJ, ZWSP)]
    edges = ([visible[0]] if first and visible else []) + ([visible[-1]] if last and visible else [])
    return sorted({*squeezed_marks(text), *edges})


# A pair of marks split between two texts (an element's end and the next one's start): the half of the pair
# set at half width is marked with one of these, removed when the text is typeset (`typeset_text`).
HALVE_FIRST, HALVE_LAST = "\ue000", "\ue001"
_INLINE_TAGS = frozenset({"span", "strong", "b", "em", "i", "u", "s", "del", "a", "sub", "code", "time"})


def mark_split_pairs(node: Node) -> Node:
    """Mark the pairs of adjacent full-width marks that an element boundary splits (，<strong>“…):
    CLREQ's 1.5 em for the pair holds across inline elements too."""
    node = node.with_children([mark_split_pairs(c) if isinstance(c, Node) else c for c in node.children])
    if not node.tag or node.tag in _INLINE_TAGS:
        return node
    texts = list(_text_paths(node, ()))
    marks: dict[tuple[int, ...], str] = {}
    for (path, before), (next_path, after) in pairwise(texts):
        a, b = before.rstrip(WJ + ZWSP)[-1:], after.lstrip(WJ + ZWSP)[:1]
        which = halved_in_pair(a, b) if a and b else None
        if which == "before":
            marks[path] = marks.get(path, "") + HALVE_LAST
        elif which == "after":
            marks[next_path] = HALVE_FIRST + marks.get(next_path, "")
    return _with_marks(node, (), marks) if marks else node


def _text_paths(node: Node, path: tuple[int, ...]) -> Iterator[tuple[tuple[int, ...], str]]:
    """(path, text) of the texts that print in an element's own lines, in order."""
    for index, child in enumerate(node.children):
        if isinstance(child, str):
            yield (*path, index), child
        elif not _skipped(child):
            yield from _text_paths(child, (*path, index))


def _with_marks(node: Node, path: tuple[int, ...], marks: dict[tuple[int, ...], str]) -> Node:
    children: list[Node | str] = []
    for index, child in enumerate(node.children):
        here = (*path, index)
        if isinstance(child, str):
            mark = marks.get(here, "")
            child = (HALVE_FIRST if HALVE_FIRST in mark else "") + child + (HALVE_LAST if HALVE_LAST in mark else "")
        elif any(key[: len(here)] == here for key in marks):
            child = _with_marks(child, here, marks)
        children.append(child)
    return node.with_children(children)


def _kai_quotes(text: str, kai: bool) -> list[Node | str]:
    """Quote marks in 楷体 wrapped to print in FandolKai."""
    if not kai:
        return [text]
    pieces: list[Node | str] = []
    for part in re.split(f"([{_QUOTES}])", text):
        pieces.append(element("span", part, class_="jb-kai-quote") if part and part in _QUOTES else part)
    return pieces
