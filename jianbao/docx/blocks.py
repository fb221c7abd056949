"""One article → its Word paragraphs and tables: the head (title, 副标题, author, 编者按), the body, the source.

Walks the article's tree (jianbao/tree.py) block by block: paragraphs,
numbered headings (一、 → `Heading2` … （1） → `Heading5`, the article title
being `Heading1`, so Word's navigation pane shows the outline), lists, block
quotes, figures with their `图N` captions, tables with their `表N` captions.
The end-of-article list of notes is not written as text: each note becomes
a Word footnote where it is first called (inline.py). Spacing follows the
print layout: a blank grid line after the head, between articles.
"""

from __future__ import annotations

from dataclasses import dataclass

from jianbao.docx.context import Context
from jianbao.docx.inline import KAI, PLAIN, ArticleNotes, Look, inline, picture, text_runs
from jianbao.docx.layout import PITCH
from jianbao.docx.numbering import list_props
from jianbao.docx.tables import table_blocks
from jianbao.docx.xml import bookmark, paragraph, run
from jianbao.model import Article
from jianbao.pdf.typeset import title_lines
from jianbao.tree import Node, map_nodes

KAI_STYLES = {"Heading3"}  # （一） headings are 楷体 (so are 副标题, author, 编者按 and block quotes)
HEADING_STYLES = {"h-l1": "Heading2", "h-l2": "Heading3", "h-l3": "Heading4", "h-l4": "Heading5"}
TAG_STYLES = {"h3": "Heading2", "h4": "Heading3", "h5": "Heading4", "h6": "Heading5"}
_BLOCK_TAGS = frozenset({"p", "ol", "ul", "blockquote", "figure", "div", "table", "pre", "hr", "h3", "h4", "h5", "h6"})


@dataclass
class Para:
    """A paragraph whose section break may still be added (an article's last paragraph ends its section)."""

    content: str
    style: str | None = None
    props: str = ""
    mark: str = ""
    section: str = ""

    def xml(self) -> str:
        return paragraph(self.content, self.style, self.props, self.mark, self.section)


Block = Para | str  # a paragraph, or a table's XML


def article_body(article: Article) -> Node:
    """The article's body as a tree — the one place the Word edition gets it from — without the PDF's
    `fn-keep` spans (they keep a note's call on its character's line there; Word does so itself)."""
    return map_nodes(article.body, _unwrap_keep)


def _unwrap_keep(node: Node) -> Node | list[Node | str]:
    return list(node.children) if node.tag == "span" and "fn-keep" in node.classes else node


def bookmark_name(article: Article) -> str:
    """The hidden bookmark on an article's title (本期要目's page numbers and links point at it)."""
    return f"_jbart_{article.slug}"[:40]


def article_blocks(article: Article, ctx: Context, first: bool) -> list[Block]:
    """The whole article: head, body, source line."""
    body = article_body(article)
    notes = ArticleNotes(article.slug, _note_items(body), {})
    return [*head_blocks(article, ctx, first), *BodyWriter(ctx, notes).blocks(body), *source_blocks(article)]


def head_blocks(article: Article, ctx: Context, first: bool) -> list[Block]:
    """Title (lines balanced as in the PDF), 副标题, author and 编者按, with the print layout's spacing."""
    lines = title_lines(article.title, ctx.setting)
    title = bookmark(ctx.bookmark_id(), bookmark_name(article), run("\n".join(lines)))
    before = "" if first else f' w:before="{PITCH}"'
    after = ' w:after="0"' if article.subtitle else ""
    blocks: list[Block] = [Para(title, "Heading1", f"<w:spacing{before}{after}/>" if before or after else "")]
    if article.subtitle:
        text = article.subtitle if article.subtitle.startswith("——") else f"——{article.subtitle}"
        blocks.append(Para(text_runs(text, KAI), "Subtitle", '<w:spacing w:after="0"/>'))
    if article.author:
        spacing = '<w:spacing w:after="0"/>' if article.note else ""
        blocks.append(Para(text_runs(article.author, KAI), "Author", spacing))
    if article.note:
        blocks.append(Para(run("编者按：", "EditorNoteLabel") + text_runs(article.note, KAI), "EditorNote"))
    return blocks


def source_blocks(article: Article) -> list[Block]:
    """`（来源：…）`, flush right."""
    if not article.source:
        return []
    source = article.source[3:] if article.source.startswith("来源：") else article.source
    return [Para(run(f"（来源：{source}）"), "Source")]


def _note_items(body: Node) -> dict[str, Node]:
    """The article's notes by id, from its end-of-article list."""
    return {
        item.get("id") or "": item for div in body.iter("div") if "footnotes" in div.classes for item in div.iter("li")
    }


class BodyWriter:
    """Writes an article body's blocks, gathering notes, pictures and lists into the context."""

    def __init__(self, ctx: Context, notes: ArticleNotes):
        self.ctx, self.notes = ctx, notes
        self.look = PLAIN  # KAI inside a block quote

    def runs(self, node: Node, look: Look | None = None) -> str:
        """The inline content of `node`, its outer whitespace trimmed."""
        return inline(trimmed(node), self.ctx, self.notes, look or self.look)

    def blocks(self, node: Node, depth: int = 0) -> list[Block]:
        """Every block in `node`, in order; loose inline content becomes a paragraph."""
        out: list[Block] = []
        loose: list[Node | str] = []
        for child in node.children:
            if isinstance(child, Node) and child.tag in _BLOCK_TAGS:
                out.extend(self.loose(loose))
                loose = []
                out.extend(self.block(child, depth))
            else:
                loose.append(child)
        out.extend(self.loose(loose))
        return out

    def loose(self, children: list[Node | str], style: str | None = None, props: str = "") -> list[Block]:
        """Inline content outside any paragraph, as one (nothing when it is only whitespace)."""
        holder = Node("p", (), tuple(children))
        if not any(isinstance(c, Node) or c.strip() for c in children):
            return []
        return [Para(self.runs(holder), style, props)]

    def block(self, node: Node, depth: int) -> list[Block]:
        tag = node.tag
        if tag == "p":
            return [Para(self.runs(node))]
        if tag in TAG_STYLES:
            style = next((HEADING_STYLES[c] for c in node.classes if c in HEADING_STYLES), TAG_STYLES[tag])
            return [Para(self.runs(node, KAI if style in KAI_STYLES else None), style)]
        if tag in ("ol", "ul"):
            return self.listing(node, depth)
        if tag == "blockquote":
            outer, self.look = self.look, KAI
            try:
                quoted = self.blocks(node)
            finally:
                self.look = outer
            return [Para(b.content, "Quote", b.props) if isinstance(b, Para) and not b.style else b for b in quoted]
        if tag == "figure":
            return self.figure(node)
        if tag == "div" and "footnotes" in node.classes:
            return []  # each note is a Word footnote at its call
        if tag == "div":
            table = next((child for child in node.elements() if child.tag == "table"), None)
            if table is not None:
                return list(table_blocks(table, "table-keep" in node.classes, self.runs))
            return self.blocks(node, depth)
        if tag == "table":
            return list(table_blocks(node, False, self.runs))
        if tag == "hr":
            return [Para("", None, '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>')]
        if tag == "pre":
            return [
                Para(run(line), None, '<w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/>')
                for line in node.text().rstrip("\n").split("\n")
            ]
        return self.blocks(node, depth)

    def listing(self, node: Node, depth: int) -> list[Block]:
        """A list: each item numbered by Word (its own numbering instance), nested lists one level deeper."""
        kind = next(
            (c for c in node.classes if c.startswith("list-")), "list-bullets" if node.tag == "ul" else "list-l3"
        )
        start = node.get("start") or "1"
        num_id = self.ctx.numbering.new_list(kind, depth, int(start) if start.isdigit() else 1)
        out: list[Block] = []
        for item in node.elements():
            if item.tag != "li":
                continue
            numbered = True
            for block in self.blocks(item, depth + 1) if _has_blocks(item) else [Para(self.runs(item))]:
                if isinstance(block, Para) and block.style is None and numbered:
                    block = Para(block.content, "ListParagraph", list_props(num_id, depth))
                    numbered = False
                out.append(block)
        return out

    def figure(self, node: Node) -> list[Block]:
        """The picture centred, its caption under it."""
        out: list[Block] = []
        for child in node.elements():
            if child.tag == "img":
                out.append(Para(picture(child, self.ctx), "Figure"))
            elif child.tag == "figcaption":
                out.append(Para(self.runs(child), "Caption"))
        return out


def _has_blocks(item: Node) -> bool:
    return any(isinstance(child, Node) and child.tag in _BLOCK_TAGS for child in item.children)


def trimmed(node: Node) -> Node:
    """`node` without the whitespace at the start of its first text and the end of its last."""
    children = list(node.children)
    if children and isinstance(children[0], str):
        children[0] = children[0].lstrip()
    if children and isinstance(children[-1], str):
        children[-1] = children[-1].rstrip()
    return node.with_children(children)
