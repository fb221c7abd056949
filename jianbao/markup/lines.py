"""Source lines on the Markdown tree: each block Python-Markdown makes carries the article file's line it came from.

Python-Markdown keeps no positions. Its block parser takes the document as
blocks (text between blank lines) one at a time, in order; `SourceLines`
watches that loop at the top level and finds each block's first line in the
source, from where the previous one was found (preprocessors expand tabs and
stash raw HTML, so lines are matched by their text, not counted). A block
that gives several elements (a paragraph and the heading inside it) places
each by its own text. List items, table rows and footnotes are placed the same
way inside their block by `place_inner_lines`. The line travels as the
`data-jb-line` attribute to the sanitized HTML and becomes `Node.line`.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as etree  # noqa: N813 (Markdown's own spelling)

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

LINE_ATTRIBUTE = "data-jb-line"
_PLACEHOLDER = re.compile(util.HTML_PLACEHOLDER % r"(\d+)")


class SourceIndex:
    """The article body's lines, searched forward for the text of each block."""

    def __init__(self, source: str, first_line: int):
        self.lines = [line.expandtabs(4).strip() for line in source.split("\n")]
        self.first_line = first_line
        self.cursor = 0  # index of the line the last block was found on

    def find(self, text: str, start: int | None = None, whole: bool = True) -> int | None:
        """The index of the first line at or after `start` that is (or, not `whole`, holds) `text`."""
        needle = text.strip()
        if not needle:
            return None
        for index in range(self.cursor if start is None else start, len(self.lines)):
            line = self.lines[index]
            if line == needle if whole else needle in line:
                return index
        return None

    def locate_block(self, block: str, stash: util.HtmlStash) -> int:
        """The file line of a block's first line (moving the cursor there)."""
        first = next((line for line in block.split("\n") if line.strip()), "")
        placeholder = _PLACEHOLDER.fullmatch(first.strip())
        if placeholder:  # a raw HTML block: find the HTML's own first line
            raw = stash.rawHtmlBlocks[int(placeholder.group(1))]
            first = next((line for line in str(raw).split("\n") if line.strip()), "")
        found = self.find(first)
        if found is not None:
            self.cursor = found
        return self.first_line + self.cursor

    def locate_text(self, text: str, start_line: int) -> int:
        """The file line at or after `start_line` holding the start of `text` (else `start_line`)."""
        snippet = text.strip()[:8]
        found = self.find(snippet, start_line - self.first_line, whole=False) if snippet else None
        return start_line if found is None else self.first_line + found


def has_line(element: etree.Element) -> bool:
    return element.get(LINE_ATTRIBUTE) is not None


def set_line(element: etree.Element, line: int) -> None:
    """Note `line` on an element, unless it is a raw-HTML placeholder (which must stay a bare `<p>`)."""
    if not has_line(element) and not _PLACEHOLDER.fullmatch((element.text or "").strip()):
        element.set(LINE_ATTRIBUTE, str(line))


def line_of(element: etree.Element) -> int:
    return int(element.get(LINE_ATTRIBUTE) or 0)


class SourceLines(Extension):
    """Puts each top-level block's source line on the elements it makes."""

    def __init__(self, source: str, first_line: int):
        super().__init__()
        self.index = SourceIndex(source, first_line)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        parser = md.parser
        index = self.index

        def parse_blocks(parent: etree.Element, blocks: list[str]) -> None:
            # BlockParser.parseBlocks (a public method) with each top-level block's line noted.
            while blocks:
                top = parent is getattr(parser, "root", None)
                line = index.locate_block(blocks[0], md.htmlStash) if top else 0
                count = len(parent)
                for processor in parser.blockprocessors:
                    if processor.test(parent, blocks[0]) and processor.run(parent, blocks) is not False:
                        break
                made = list(parent)[count:] if top else []
                for element in made:
                    own = line if len(made) == 1 else index.locate_text(element.text or "", line)
                    set_line(element, own)

        parser.parseBlocks = parse_blocks  # type: ignore[method-assign]
        md.treeprocessors.register(InnerLines(md, index), "jianbao-inner-lines", 19)


class InnerLines(Treeprocessor):
    """Lines of list items and table rows, found inside their block (after inline parsing, priority 19)."""

    def __init__(self, md: markdown.Markdown, index: SourceIndex):
        super().__init__(md)
        self.index = index

    def run(self, root: etree.Element) -> None:
        for block in root:
            line = line_of(block)
            if not line:
                continue
            if block.tag in ("ol", "ul"):
                self.place_items(block, line)
            elif block.tag == "table":
                place_rows(block, line)

    def place_items(self, listing: etree.Element, line: int) -> None:
        """Each item on the line holding its first words (nested lists within)."""
        for item in listing.iter("li"):
            first = item[0] if len(item) and not (item.text or "").strip() else None
            text = (first.text if first is not None and first.tag == "p" else item.text) or ""
            line = self.index.locate_text(text, line)
            set_line(item, line)


def place_rows(table: etree.Element, line: int) -> None:
    """A pipe table's rows: the header on the block's line, the body rows after the delimiter row."""
    for offset, row in enumerate(table.iter("tr")):
        set_line(row, line + offset + (1 if offset else 0))
