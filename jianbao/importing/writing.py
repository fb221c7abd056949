"""Writing Markdown: a manuscript's HTML → `Article` (front matter fields and a Markdown body).

`convert` runs the clean-up (jianbao/importing/cleanup.py) and then
markdownify; the placeholders the clean-up left (footnote calls, manual
line breaks, tables kept as HTML) are resolved in the Markdown text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from bs4 import BeautifulSoup, Tag

from jianbao.importing.cleanup import (
    clean_text,
    keep_complex_tables,
    mark_headings,
    normalise_numbering,
    remove_web_junk,
    take_author,
    take_footnotes,
    take_title,
)
from jianbao.importing.marks import BREAK, DOT, FN_CLOSE, FN_OPEN, join_lines
from jianbao.text.chars import is_wide


@dataclass
class Article:
    """The converted article: front matter fields and Markdown body."""

    title: str
    subtitle: str
    body: str
    meta: dict[str, Any] = field(default_factory=dict)
    headings: int = 0
    tables: int = 0
    footnotes: int = 0
    lost: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The .md file: front matter, a blank line, the body."""
        meta = {"title": self.title} | ({"subtitle": self.subtitle} if self.subtitle else {})
        meta |= {k: v for k, v in self.meta.items() if k not in meta}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000)
        return f"---\n{front}---\n\n{self.body}"


def convert(source_html: str, fallback_title: str) -> Article:
    """Clean the manuscript's HTML and turn it into our Markdown."""
    soup = BeautifulSoup(source_html, "html.parser")
    lost: list[str] = []
    clean_text(soup)
    meta = remove_web_junk(soup)
    normalise_numbering(soup)
    footnotes = take_footnotes(soup)
    title, subtitle = take_title(soup, fallback_title)
    if author := take_author(soup):
        meta["author"] = author
    headings = mark_headings(soup, lost)
    tables = keep_complex_tables(soup, lost)
    body = to_markdown(soup, tables)
    notes = "".join(f"\n[^{n}]: {note_markdown(note)}" for n, note in enumerate(footnotes, 1))
    body = body + ("\n" + notes if notes else "")
    body = body.replace(FN_OPEN, "[^").replace(FN_CLOSE, "]")
    return Article(
        title,
        subtitle,
        body.strip() + "\n",
        headings=headings,
        tables=len(soup.find_all("table")) + len(tables),
        footnotes=len(footnotes),
        lost=lost,
        meta=meta,
    )


def note_markdown(note: Tag) -> str:
    """A footnote's body as one Markdown line."""
    return join_lines(to_markdown(BeautifulSoup(note.decode_contents(), "html.parser"), {}), " ", None)


def to_markdown(soup: Tag, tables: dict[str, str]) -> str:
    """Cleaned HTML → Markdown text (markdownify, then our placeholders resolved)."""
    from markdownify import MarkdownConverter

    converter = MarkdownConverter(
        heading_style="ATX", bullets="-", table_infer_header=True, sub_symbol="<sub>", sup_symbol="<sup>"
    )
    text = converter.convert_soup(soup)
    text = re.sub(f"{BREAK}+", lambda match: join_break(match, text), text)
    for key, table in tables.items():
        text = text.replace(key, f"\n\n{table}\n\n")
    text = text.replace(DOT, "\\.")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def join_break(match: re.Match[str], text: str) -> str:
    """A manual line break inside a paragraph: nothing between Chinese characters, else a space.

    Only the run of breaks is matched, its neighbours read from `text`: linear however long the run.
    """
    before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
    return "" if is_wide(before) or is_wide(after) or not before.strip() or not after.strip() else " "
