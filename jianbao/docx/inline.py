"""Inline content of an article's tree → Word runs: text, bold, emphasis, links, footnote calls, images.

Bold prints in 黑体 and emphasis in 楷体 (character styles `Strong`,
`Emphasis`), as in the PDF. A footnote's first call becomes a real Word
footnote (its text from the article's list of notes); a later call to the
same note is a NOTEREF field showing the same ① (style `FootnoteAgain`, so the importer knows it). The copy of each note
that the print layout floats (`span.fn-print`) is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from jianbao.docx.context import Context
from jianbao.docx.notes import note_paragraph, reference
from jianbao.docx.xml import bookmark, complex_field, run
from jianbao.errors import BuildError, display_path
from jianbao.load import safety
from jianbao.tree import Node

_SPACES = re.compile(r"[ \t\r\n]+")
_EXTERNAL = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)


@dataclass(frozen=True)
class Look:
    """How a run looks beyond its paragraph: a character style and a few direct properties."""

    style: str | None = None
    kai: bool = False  # the text is set in 楷体: its quote marks take style KaiQuote
    strike: bool = False
    underline: bool = False
    vertical: str | None = None  # "superscript" / "subscript"

    def props(self) -> str:
        """The direct properties, in the order the schema wants them."""
        return (
            ("<w:strike/>" if self.strike else "")
            + ('<w:u w:val="single"/>' if self.underline else "")
            + (f'<w:vertAlign w:val="{self.vertical}"/>' if self.vertical else "")
        )


PLAIN = Look()
_LOOKS: dict[str, dict[str, Any]] = {
    "strong": {"style": "Strong"},
    "b": {"style": "Strong"},
    "em": {"style": "Emphasis", "kai": True},
    "i": {"style": "Emphasis", "kai": True},
    "u": {"underline": True},
    "s": {"strike": True},
    "del": {"strike": True},
    "sub": {"vertical": "subscript"},
    "sup": {"vertical": "superscript"},
}


@dataclass
class ArticleNotes:
    """An article's footnotes: the list items by id, and the bookmark of each note's first call."""

    slug: str
    items: dict[str, Node]
    marks: dict[str, str]  # note id → bookmark name of its reference


def collapse(text: str) -> str:
    """HTML's whitespace rule: every run of spaces and line breaks is one space."""
    return _SPACES.sub(" ", text)


def inline(node: Node, ctx: Context, notes: ArticleNotes, look: Look = PLAIN) -> str:
    """The runs of `node`'s children."""
    return "".join(inline_child(child, ctx, notes, look) for child in node.children)


def inline_child(child: Node | str, ctx: Context, notes: ArticleNotes, look: Look) -> str:
    """One child as runs."""
    if isinstance(child, str):
        return text_runs(collapse(child), look)
    tag = child.tag
    if tag == "span" and "fn-print" in child.classes:
        return ""  # the PDF's floating copy of a note
    if tag == "sup" and "fn-ref" in child.classes:
        return footnote_call(child, ctx, notes)
    if tag == "br":
        return "<w:r><w:br/></w:r>"
    if tag == "img":
        return picture(child, ctx)
    if tag == "a":
        return link(child, ctx, notes, look)
    if tag in _LOOKS:
        changed = _LOOKS[tag]
        style = changed.get("style")
        kept = replace(look, **{k: v for k, v in changed.items() if k != "style"})
        return inline(child, ctx, notes, replace(kept, style=look.style or style) if style else kept)
    return inline(child, ctx, notes, look)


def text_runs(text: str, look: Look = PLAIN) -> str:
    """Runs of `text` as `look` says; in 楷体, each quote mark a run of style KaiQuote."""
    if not look.kai:
        return run(text, look.style, look.props())
    return "".join(
        run(piece, "KaiQuote" if piece in KAI_QUOTES else look.style, look.props()) for piece in _QUOTE.split(text)
    )


KAI = Look(kai=True)
KAI_QUOTES = "“”‘’"
_QUOTE = re.compile(f"([{KAI_QUOTES}])")


def link(node: Node, ctx: Context, notes: ArticleNotes, look: Look) -> str:
    """An outside link stays a link (style Hyperlink); an anchor inside the page is plain text."""
    href = node.get("href") or ""
    content = inline(node, ctx, notes, look)
    if not _EXTERNAL.match(href):
        return content
    return f'<w:hyperlink r:id="{ctx.link(href)}" w:history="1">{content}</w:hyperlink>'


def footnote_call(sup: Node, ctx: Context, notes: ArticleNotes) -> str:
    """The first call of a note: a Word footnote; a later one: NOTEREF to the first's bookmark."""
    target = next((a.get("href") or "" for a in sup.iter("a")), "").lstrip("#")
    item = notes.items.get(target)
    if item is None:
        return ""
    if target in notes.marks:
        shown = sup.text().strip()
        return complex_field(f"NOTEREF {notes.marks[target]} \\f \\h", shown, "FootnoteAgain")
    paragraphs = "".join(note_paragraph(inline(p, ctx, notes)) for p in note_paragraphs(item))
    note_id = ctx.notes.add(paragraphs or note_paragraph(""))
    name = f"_jbfn_{notes.slug}_{len(notes.marks) + 1}"[:40]
    notes.marks[target] = name
    return bookmark(ctx.bookmark_id(), name, reference(note_id))


def note_paragraphs(item: Node) -> list[Node]:
    """A note's paragraphs without the list's ① marker, the back-link and the no-break space before it."""
    paragraphs = [p for p in item.elements() if p.tag == "p"] or [item]
    cleaned = []
    for paragraph in paragraphs:
        kept = [
            child
            for child in paragraph.children
            if not (isinstance(child, Node) and ({"fn-num", "footnote-backref"} & set(child.classes)))
        ]
        if kept and isinstance(kept[-1], str):
            kept[-1] = kept[-1].rstrip(" \u00a0\n")
        if kept and isinstance(kept[0], str):
            kept[0] = kept[0].lstrip()
        cleaned.append(paragraph.with_children(kept))
    return cleaned


def picture(img: Node, ctx: Context) -> str:
    """An image in the text, at its printed size (the load stage has checked its path already)."""
    src = img.get("src") or ""
    if not src:
        return ""  # nothing to draw (the PDF draws nothing either)
    path, problem = safety.resolve_image_src(src, ctx.folder)
    if path is None or problem:
        raise BuildError(f"{display_path(ctx.folder)}：图片“{src}”{problem or ''}")
    return ctx.media.drawing(path, src, img.get("alt") or "", (img.get("width"), img.get("height")))
