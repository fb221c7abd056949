"""An issue's web page (HTML text) → what a reader reads on it, article by article, for the site search.

Each `<article>` in the page's `<main>` becomes an `ArticleText`: its title, and its visible text cut
into blocks as the page shows them (headings, paragraphs, list items, quotations, captions, one table
row with its cells separated by "｜", footnotes, the source line), each block tied to the place on
the page a search result should open at: the block's own element when it has an id (a footnote, a
table, a figure, the source line), else the heading of the section it is in, else the article.
Text the page hides (the print-only copy of each footnote, permalinks, back links) is left out, as is
whatever has `hidden` or `aria-hidden`, so the search text is the page text, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jianbao.tree import Node, parse_fragment

# Elements that start a block of their own; everything else is inline text of the block around it.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    ]
)
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Never text a reader sees: scripts and such, and what the page hides (screen.css, layouts/_article.html).
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "img", "svg", "button", "input"})
_HIDDEN_CLASSES = frozenset({"fn-print", "permalink", "footnote-backref", "visually-hidden"})
CELL_SEPARATOR = "｜"
_SPACES = re.compile(r"[ \t\n\r\f\u00a0]+")


@dataclass
class ArticleText:
    """One article's text: `places` are (element id, label) a result may open at, the first the article
    itself; `blocks` are (index into places, text)."""

    id: str
    title: str
    places: list[tuple[str, str]] = field(default_factory=list)
    blocks: list[tuple[int, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "places": self.places, "blocks": self.blocks}


def page_articles(html: str) -> list[ArticleText]:
    """The articles of an issue page, in page order (the whole `<main>` as one when it has no `<article>`)."""
    main = next(parse_fragment(html).iter("main"), None)
    if main is None:
        return []
    articles = [node for node in main.iter("article") if node.get("id")]
    if not articles:
        return [_read_article(main, "", "")]
    return [_read_article(node, node.get("id") or "", _title_of(node)) for node in articles]


def _title_of(article: Node) -> str:
    """The text of the article's first heading (its title)."""
    heading = next((node for node in article.iter() if node.tag in _HEADINGS or node.tag == "h1"), None)
    return visible_text(heading) if heading is not None else ""


def visible_text(node: Node) -> str:
    """The text of `node` a reader sees, spaces collapsed."""
    parts: list[str] = []

    def walk(current: Node) -> None:
        for child in current.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append(" ")
            elif not _hidden(child):
                walk(child)

    walk(node)
    return tidy("".join(parts))


def tidy(text: str) -> str:
    """Runs of white space (and no-break spaces) as one space, none at the ends."""
    return _SPACES.sub(" ", text).strip()


def _hidden(node: Node) -> bool:
    """Whether the page never shows `node` (or shows it to no reader)."""
    return (
        node.tag in _SKIPPED_TAGS
        or node.has("hidden")
        or node.get("aria-hidden") == "true"
        or not _HIDDEN_CLASSES.isdisjoint(node.classes)
    )


def _read_article(article: Node, slug: str, title: str) -> ArticleText:
    reader = _Reader(ArticleText(slug, title, [(slug, "")]))
    reader.read(article, None)
    reader.flush(None)
    return reader.text


class _Reader:
    """Walks one article in document order, cutting its text into blocks."""

    def __init__(self, text: ArticleText) -> None:
        self.text = text
        self.section = 0  # the place of the section being read: the last heading's, or the article's
        self.pending: list[str] = []

    def flush(self, place: int | None) -> None:
        """End the block being gathered (its text belongs to `place`, or to the current section)."""
        block = tidy("".join(self.pending))
        self.pending = []
        if block:
            self.text.blocks.append((self.section if place is None else place, block))

    def add_place(self, anchor: str, label: str) -> int:
        self.text.places.append((anchor, label))
        return len(self.text.places) - 1

    def read(self, node: Node, place: int | None) -> None:
        """Gather the text below `node`, whose blocks open at `place` (None: the section they are in)."""
        for child in node.children:
            if isinstance(child, str):
                self.pending.append(child)
            elif child.tag == "br":
                self.pending.append(" ")
            elif not _hidden(child):
                self.read_element(child, place)

    def read_element(self, node: Node, place: int | None) -> None:
        if node.tag not in _BLOCKS:
            self.read(node, place)
            return
        self.flush(place)
        anchor = node.get("id") or ""
        if "article-title" in node.classes:  # the title opens at the article itself
            self.text.blocks.append((0, visible_text(node)))
            return
        if node.tag in _HEADINGS and anchor:
            self.section = self.add_place(anchor, visible_text(node))  # a section starts here
            self.text.blocks.append((self.section, visible_text(node)))
            return
        if node.tag == "tr":
            cells = [visible_text(cell) for cell in node.elements() if cell.tag in ("td", "th") and not _hidden(cell)]
            row = CELL_SEPARATOR.join(cell for cell in cells if cell)
            if row:
                self.text.blocks.append((self.section if place is None else place, row))
            return
        if "table-wrap" in node.classes:  # a table's frame: its caption and rows open at the table
            anchor = next((table.get("id") or "" for table in node.iter("table")), "")
        if anchor and node.tag != "article" and place is None:  # (a block inside such a place stays in it)
            place = self.add_place(anchor, self.label_of(node))
        self.read(node, place)
        self.flush(place)

    def label_of(self, node: Node) -> str:
        """What a result calls a place of its own: a footnote by its number, the source line, else its section."""
        number = next((visible_text(n) for n in node.iter() if "fn-num" in n.classes), None)
        if node.tag == "li" and number is not None:
            return f"注释{number}"
        if "source" in node.classes:
            return "来源"
        return self.text.places[self.section][1]
