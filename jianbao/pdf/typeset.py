"""An issue → its print HTML: the layout's page as a tree, the article trees grafted in, and the Chinese
line rules CSS cannot express applied to the whole (before layout).

The print layout (layouts/issue.html with target "print") is rendered by
Jinja with a placeholder where each article body goes; the page is parsed
once into a tree (jianbao/tree.py) and each placeholder replaced by the
article's own tree. Then, on that one tree:

- long article titles are cut into balanced lines (`<br>`), source lines
  that would leave a scrap are broken before the publication's 《;
- a paragraph's (or a table cell's) last two Chinese characters are joined,
  so no line holds a single character (not in the 报尾, whose rows may end
  on one name);
- every text gets the line rules of jianbao/text/breaking.py (word joiners,
  zero-width spaces, no spaces between Chinese and Latin), `halt` spans for
  the first of two adjacent full-width marks, and — in 楷体 — spans that print
  quote marks in FandolKai, since LXGW WenKai draws “”‘’ as narrow Latin
  quotes (an @font-face with unicode-range would do it in CSS alone, but
  loading that large face for every build costs more than the spans).

After layout, justify.py takes the joiners out again and makes lines flush.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jianbao.site.pages import PRINT_BODY, render_layout
from jianbao.text.breaking import balanced_lines, keep_last_two, mark_line_rules, source_lines, squeezed_marks
from jianbao.text.chars import OPENING_MARKS
from jianbao.tree import Node, element, map_nodes, map_text, parse_fragment, to_html

if TYPE_CHECKING:
    import jinja2

    from jianbao.model import Issue

TITLE_PX = 22 * 4 / 3  # 22 pt title glyphs, in CSS px
BODY_PX = 16 * 4 / 3  # 16 pt body glyphs, in CSS px
MEASURE_PX = 156 / 25.4 * 96  # 版心 width in CSS px
DOCTYPE = "<!DOCTYPE html>"

# Text inside these is not body copy.
_SKIP_TAGS = frozenset({"head", "style", "script", "pre", "code", "title"})
# Elements whose text prints in 楷体 (print.css): em and i, and these classes.
_KAI_CLASSES = re.compile(r"\b(?:tagline|author|note|h-l2)\b")
_QUOTES = "“”‘’"


def print_html(env: jinja2.Environment, issue: Issue, font_css: str, layouts_url: str = "") -> str:
    """The HTML WeasyPrint lays out into the issue's PDF (relative URLs resolve against the issue folder;
    `layouts_url` is where print.css lives)."""
    page = render_layout(env, "issue.html", issue=issue, target="print", font_css=font_css, root=layouts_url)
    tree = graft_bodies(parse_fragment(page.removeprefix(DOCTYPE)), issue)
    return (DOCTYPE if page.startswith(DOCTYPE) else "") + to_html(typeset_page(tree))


def typeset_document(html: str) -> str:
    """A print HTML document given as text, with the line rules applied (pages not made from an issue)."""
    tree = parse_fragment(html.removeprefix(DOCTYPE))
    return (DOCTYPE if html.startswith(DOCTYPE) else "") + to_html(typeset_page(tree))


def graft_bodies(page: Node, issue: Issue) -> Node:
    """The page with each body placeholder replaced by its article's tree."""
    bodies = {article.slug: article.body for article in issue.articles}

    def graft(node: Node) -> Node | list[Node | str]:
        if node.tag != PRINT_BODY:
            return node
        body = bodies.get(node.get("data-slug") or "")
        return list(body.children) if body is not None else []

    return map_nodes(page, graft)


def typeset_page(page: Node) -> Node:
    """The page with balanced titles, source lines, kept paragraph ends and the text line rules."""
    page = map_nodes(page, break_lines)
    page = keep_paragraph_ends(page)
    return map_text(page, typeset_text)


def break_lines(node: Node) -> Node:
    """An article title in balanced lines; a long source line broken where it reads well."""
    if node.tag == "h2" and "article-title" in node.classes:
        return node.with_children(_with_breaks(balanced_lines(node.text(), int(MEASURE_PX // TITLE_PX))))
    if node.tag == "p" and "source" in node.classes and all(isinstance(c, str) for c in node.children):
        return node.with_children(_with_breaks(source_lines(node.text(), MEASURE_PX / BODY_PX)))
    return node


def _with_breaks(lines: list[str]) -> list[Node | str]:
    """Lines of text with `<br>` between them."""
    children: list[Node | str] = []
    for index, line in enumerate(lines):
        children.extend([element("br"), line] if index else [line])
    return children


def keep_paragraph_ends(node: Node) -> Node:
    """Join the last two Chinese characters of every paragraph and table cell, except in the 报尾."""
    if node.tag == "footer" and "colophon" in node.classes:
        return node
    children = [keep_paragraph_ends(child) if isinstance(child, Node) else child for child in node.children]
    if node.tag in ("p", "th", "td") and children and isinstance(children[-1], str):
        children[-1] = keep_last_two(children[-1])
    return node.with_children(children)


def typeset_text(text: str, ancestors: tuple[Node, ...]) -> list[Node | str] | str:
    """One text of the page with its line rules, squeezed marks and (in 楷体) FandolKai quotes."""
    if not text.strip() or any(node.tag in _SKIP_TAGS for node in ancestors):
        return text
    kai = any(node.tag in ("em", "i") or _KAI_CLASSES.search(node.get("class") or "") for node in ancestors)
    text = mark_line_rules(text)
    pieces: list[Node | str] = []
    start = 0
    for begin, end in squeezed_marks(text):
        pieces.extend(_kai_quotes(text[start:begin], kai))
        side = "jb-open" if text[begin] in OPENING_MARKS else "jb-close"
        pieces.append(element("span", *_kai_quotes(text[begin:end], kai), class_=f"jb-halt {side}"))
        start = end
    pieces.extend(_kai_quotes(text[start:], kai))
    return pieces


def _kai_quotes(text: str, kai: bool) -> list[Node | str]:
    """Quote marks in 楷体 wrapped to print in FandolKai."""
    if not kai:
        return [text]
    pieces: list[Node | str] = []
    for part in re.split(f"([{_QUOTES}])", text):
        pieces.append(element("span", part, class_="jb-kai-quote") if part and part in _QUOTES else part)
    return pieces
